//! Media types, as exec, judge, mock, lint and check compare them: one place for each rule.

/// The media type without parameters, lower-cased.
pub fn media_type_of(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub fn is_json_media(media_type: &str) -> bool {
    let mt = media_type_of(media_type);
    mt == "application/json" || mt.ends_with("+json")
}

/// Whether a media type is a problem-details type (RFC 9457): `application/problem+json`
/// or `application/problem+xml`.
pub fn is_problem_media(media_type: &str) -> bool {
    matches!(media_type_of(media_type).as_str(), "application/problem+json" | "application/problem+xml")
}

/// The `charset` parameter of a media type, lower-cased, if it has one.
pub fn charset_of(media_type: &str) -> Option<String> {
    media_type
        .to_ascii_lowercase()
        .split(';')
        .skip(1)
        .find_map(|p| p.trim().strip_prefix("charset=").map(|c| c.trim_matches('"').to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_compare_without_parameters_or_case() {
        assert_eq!(media_type_of("Application/JSON; charset=UTF-8"), "application/json");
        assert!(is_json_media("application/vnd.api+json") && !is_json_media("text/json-ish"));
        assert!(is_problem_media("application/problem+json; charset=utf-8") && !is_problem_media("application/json"));
        assert_eq!(charset_of("application/json; Charset=\"ISO-8859-1\""), Some("iso-8859-1".into()));
        assert_eq!(charset_of("application/json"), None);
    }
}

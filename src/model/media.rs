//! Media types, as exec, judge, mock and lint compare them.

pub fn media_type_of(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub fn is_json_media(media_type: &str) -> bool {
    let mt = media_type_of(media_type);
    mt == "application/json" || mt.ends_with("+json")
}

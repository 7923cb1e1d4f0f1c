//! Badges: a small SVG in the flat style people know from shields.io, and the same badge
//! as a shields.io endpoint file (`{"schemaVersion": 1, "label", "message", "color"}`), so
//! a vendor can show it from the register's own files or through shields.io. The text is
//! escaped; the SVG loads nothing.

use super::registry::Status;
use crate::messages::Reg;
use crate::model::Lang;
use crate::report::html::esc;

/// The colour of a status: green, red, amber, grey, black.
pub fn colour(status: Status) -> &'static str {
    match status {
        Status::Certified => "#1a7f37",
        Status::NotCertified => "#c62828",
        Status::Expired => "#9a6700",
        Status::Retired => "#6e7781",
        Status::Revoked => "#1f2328",
    }
}

/// The word for a status.
pub fn word(status: Status, lang: Lang) -> String {
    match status {
        Status::Certified => Reg::StatusCertified,
        Status::NotCertified => Reg::StatusNotCertified,
        Status::Expired => Reg::StatusExpired,
        Status::Retired => Reg::StatusRetired,
        Status::Revoked => Reg::StatusRevoked,
    }
    .get(lang)
}

/// The width of text in 11px Verdana, near enough for a badge: narrow letters, wide
/// letters, and the rest.
fn width(text: &str) -> u32 {
    let tenths: u32 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 35,
            ' ' | 'f' | 'r' | 't' | 'I' | '(' | ')' | '[' | ']' | '-' => 48,
            'm' | 'w' | 'M' | 'W' | '@' => 100,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 75,
            _ => 68,
        })
        .sum();
    tenths.div_ceil(10)
}

/// The SVG badge: `label` on grey, `message` on the status's colour.
pub fn svg(label: &str, status: Status, lang: Lang) -> String {
    let message = word(status, lang);
    let (lw, mw) = (width(label) + 12, width(&message) + 12);
    let total = lw + mw;
    let colour = colour(status);
    let (label, message) = (esc(label), esc(&message));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{label}: {message}">
<title>{label}: {message}</title>
<clipPath id="r"><rect width="{total}" height="20" rx="3"/></clipPath>
<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{mw}" height="20" fill="{colour}"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="{lx}" y="14">{label}</text><text x="{mx}" y="14">{message}</text>
</g>
</svg>
"##,
        lx = lw / 2,
        mx = lw + mw / 2,
    )
}

/// The shields.io endpoint file of the same badge.
pub fn endpoint(label: &str, status: Status, lang: Lang) -> String {
    let value = serde_json::json!({
        "schemaVersion": 1,
        "label": label,
        "message": word(status, lang),
        "color": colour(status),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_text_is_escaped_and_sized() {
        let badge = svg("<b>&\"x'", Status::Revoked, Lang::En);
        assert!(badge.contains("&lt;b&gt;&amp;&quot;x&#39;"), "{badge}");
        assert!(!badge.contains("<b>"));
        assert!(width("mmmm") > width("iiii"));
        let json: serde_json::Value = serde_json::from_str(&endpoint("<b>", Status::Certified, Lang::Sv)).unwrap();
        assert_eq!(json["label"], "<b>");
        assert_eq!(json["message"], "certifierad");
    }
}

//! HTTP status keys as OpenAPI `responses` and suite expectations write them.

use std::fmt;

use serde::Serialize;

/// A key of an operation's `responses`: `200`, `4XX` or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKey {
    Code(u16),
    /// The hundreds digit of a range such as `4XX`.
    Range(u16),
    Default,
}

impl StatusKey {
    pub fn parse(key: &str) -> Option<StatusKey> {
        if key == "default" {
            return Some(StatusKey::Default);
        }
        let b = key.as_bytes();
        if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) {
            if b[1..].eq_ignore_ascii_case(b"xx") {
                return Some(StatusKey::Range(u16::from(b[0] - b'0')));
            }
            return key.parse::<u16>().ok().map(StatusKey::Code);
        }
        None
    }

    pub fn matches(&self, status: u16) -> bool {
        match self {
            StatusKey::Code(c) => *c == status,
            StatusKey::Range(h) => status / 100 == *h,
            StatusKey::Default => true,
        }
    }
}

impl fmt::Display for StatusKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusKey::Code(c) => write!(f, "{c}"),
            StatusKey::Range(h) => write!(f, "{h}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

impl Serialize for StatusKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

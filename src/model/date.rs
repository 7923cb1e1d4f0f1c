//! A calendar date (`2026-12-03`, UTC), for lifecycles and expiries. Written by hand on
//! `humantime` (already a dependency for RFC 3339 timestamps): a date crate would bring
//! time zones and calendars konform has no use for.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Today, in UTC.
    pub fn today() -> Date {
        Date::of(SystemTime::now())
    }

    /// The UTC date of a moment.
    pub fn of(at: SystemTime) -> Date {
        let text = humantime::format_rfc3339_seconds(at).to_string();
        text[..10].parse().unwrap_or(Date { year: 1970, month: 1, day: 1 })
    }

    /// The date of an RFC 3339 timestamp (`2026-12-03T06:36:00Z` → 2026-12-03), as written.
    pub fn of_rfc3339(timestamp: &str) -> Option<Date> {
        humantime::parse_rfc3339_weak(timestamp).ok()?;
        timestamp.get(..10)?.parse().ok()
    }

    /// Midnight UTC at the start of this date.
    pub fn start(self) -> SystemTime {
        humantime::parse_rfc3339(&format!("{self}T00:00:00Z")).unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: write YYYY-MM-DD, e.g. 2027-03-01")]
pub struct NotADate(pub String);

impl FromStr for Date {
    type Err = NotADate;
    fn from_str(s: &str) -> Result<Date, NotADate> {
        let wrong = || NotADate(s.to_string());
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(wrong());
        }
        // The calendar (month lengths, leap years) is humantime's.
        humantime::parse_rfc3339(&format!("{s}T00:00:00Z")).map_err(|_| wrong())?;
        Ok(Date {
            year: s[..4].parse().map_err(|_| wrong())?,
            month: s[5..7].parse().map_err(|_| wrong())?,
            day: s[8..10].parse().map_err(|_| wrong())?,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly_and_order_by_time() {
        let d: Date = "2027-03-01".parse().unwrap();
        assert_eq!(d.to_string(), "2027-03-01");
        assert!("2027-02-28".parse::<Date>().unwrap() < d);
        assert!("2024-02-29".parse::<Date>().is_ok(), "a leap day");
        for bad in ["2023-02-29", "2027-13-01", "2027-3-1", "27-03-01", "2027-03-01T00:00:00Z", "tomorrow", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(Date::of_rfc3339("2026-12-03T06:36:00.123Z"), Some("2026-12-03".parse().unwrap()));
        assert_eq!(Date::of(d.start()), d);
    }
}

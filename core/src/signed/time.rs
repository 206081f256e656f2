//! Reading times: `YYYY-MM-DDThh:mm:ss,fff±hhmm S`.

use super::model::{OcmfTime, TimeStatus};
use chrono::{DateTime, Datelike, Utc};

impl OcmfTime {
    /// Parses a `TM` value. Accepts `,` or `.` before the fraction (or none), a
    /// zone as `±hhmm`, `±hh:mm` or `Z`, and an optional status letter after a
    /// space. Returns `None` when the text is not such a time; the second value
    /// tells whether the zone deviated from the specification.
    pub fn parse(text: &str) -> Option<OcmfTime> {
        Self::parse_noting(text).map(|(t, _)| t)
    }

    pub(crate) fn parse_noting(text: &str) -> Option<(OcmfTime, bool)> {
        if text.len() > 64 {
            return None;
        }
        let trimmed = text.trim();
        let (stamp, status) = match trimmed.rsplit_once(' ') {
            Some((stamp, letter)) if !letter.is_empty() && letter.len() <= 2 => {
                (stamp.trim_end(), Some(TimeStatus::from_wire(letter)))
            }
            Some(_) => return None,
            None => (trimmed, None),
        };
        let mut norm = stamp.replacen(',', ".", 1);
        let mut nonspec_zone = false;
        if let Some(stripped) = norm.strip_suffix('Z') {
            norm = format!("{stripped}+0000");
            nonspec_zone = true;
        } else if norm.len() >= 6 && norm.is_char_boundary(norm.len() - 6) {
            // `+hh:mm` → `+hhmm`
            let (head, zone) = norm.split_at(norm.len() - 6);
            let zb = zone.as_bytes();
            if (zb[0] == b'+' || zb[0] == b'-') && zb[3] == b':' {
                norm = format!("{head}{}{}", &zone[..3], &zone[4..]);
                nonspec_zone = true;
            }
        }
        let at = DateTime::parse_from_str(&norm, "%Y-%m-%dT%H:%M:%S%.f%z").ok()?;
        // Years 1-9999 only, local and UTC: what every binding's time type can hold.
        let utc = at.with_timezone(&Utc);
        if !(1..=9999).contains(&at.year()) || !(1..=9999).contains(&utc.year()) {
            return None;
        }
        Some((
            OcmfTime {
                at: at.with_timezone(&Utc),
                offset_s: at.offset().local_minus_utc(),
                status,
                text: text.to_string(),
            },
            nonspec_zone,
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn forms() {
        let t = OcmfTime::parse("2019-04-02T17:28:45,867+0200 S").unwrap();
        assert_eq!(t.at.timestamp_subsec_millis(), 867);
        assert_eq!(t.status, Some(TimeStatus::Synchronised));
        let (t, odd) = OcmfTime::parse_noting("2024-01-01T00:00:00+02:00 I").unwrap();
        assert!(odd);
        assert_eq!(t.offset_s, 7200);
        assert!(OcmfTime::parse_noting("2024-01-01T00:00:00Z").unwrap().1);
        assert!(OcmfTime::parse("1970-01-01T01:08:51,000+0100 U").is_some());
        assert!(OcmfTime::parse("yesterday").is_none());
        assert!(OcmfTime::parse("2024-01-01T00:00:00,000+0000 too long").is_none());
        assert!(OcmfTime::parse("").is_none());
        assert!(OcmfTime::parse("€€€€€€€").is_none());
        // Regression (issue 18 item 7): year -1 parsed, then no binding could show it.
        assert!(OcmfTime::parse("-0001-01-01T00:00:00,000+0000 S").is_none());
        assert!(OcmfTime::parse("0001-01-01T00:30:00,000+0100 S").is_none()); // year 0 in UTC
        assert!(OcmfTime::parse("9999-12-31T23:59:59,000+0000 S").is_some());
    }
}

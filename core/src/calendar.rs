//! Calendar vocabulary every module shares: the days of the week and IANA time zones.
//!
//! Owns: [`DayOfWeek`] (OCPI's names, also the weekday of analytics and profiles) and
//! [`parse_timezone`], the one reader of time-zone names. Imports: the error table and the
//! wire-enum macro (foundation).

use crate::enums::wire_enum;

wire_enum! {
    /// A day of the week in a `day_of_week` restriction.
    ///
    /// ```
    /// use chargekit::calendar::DayOfWeek;
    /// assert_eq!(DayOfWeek::from_chrono(chrono::Weekday::Sat), DayOfWeek::Saturday);
    /// ```
    pub enum DayOfWeek {
        /// Monday.
        Monday = "MONDAY",
        /// Tuesday.
        Tuesday = "TUESDAY",
        /// Wednesday.
        Wednesday = "WEDNESDAY",
        /// Thursday.
        Thursday = "THURSDAY",
        /// Friday.
        Friday = "FRIDAY",
        /// Saturday.
        Saturday = "SATURDAY",
        /// Sunday.
        Sunday = "SUNDAY",
    }
}

impl DayOfWeek {
    /// The day for a chrono weekday.
    pub fn from_chrono(d: chrono::Weekday) -> Self {
        use chrono::Weekday::*;
        match d {
            Mon => Self::Monday,
            Tue => Self::Tuesday,
            Wed => Self::Wednesday,
            Thu => Self::Thursday,
            Fri => Self::Friday,
            Sat => Self::Saturday,
            Sun => Self::Sunday,
        }
    }

    /// Monday = 0 … Sunday = 6.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// An IANA time zone by name (surrounding white space ignored), as a typed error when
/// unknown.
///
/// ```
/// use chargekit::calendar::parse_timezone;
/// assert_eq!(parse_timezone("Europe/Paris").unwrap(), chrono_tz::Europe::Paris);
/// assert!(parse_timezone("Mars/Olympus").is_err());
/// ```
pub fn parse_timezone(name: &str) -> Result<chrono_tz::Tz, crate::Error> {
    name.trim()
        .parse()
        .map_err(|_| crate::Error::UnknownTimezone {
            timezone: name.to_string(),
        })
}

//! Time of day as OCPI writes it in restrictions.
use crate::Error;
use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A local time of day `HH:MM` between 00:00 and 23:59 (OCPI has no 24:00).
///
/// ```
/// use chargekit::tariff::TimeOfDay;
/// let t: TimeOfDay = "17:30".parse().unwrap();
/// assert_eq!(t.minutes(), 17 * 60 + 30);
/// assert_eq!(t.to_string(), "17:30");
/// assert!("24:00".parse::<TimeOfDay>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// Midnight, 00:00.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);

    /// From hours and minutes, if valid.
    pub fn new(hour: u32, minute: u32) -> Option<Self> {
        (hour < 24 && minute < 60).then(|| TimeOfDay((hour * 60 + minute) as u16))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }

    /// Seconds since midnight.
    pub fn seconds(self) -> u32 {
        self.minutes() * 60
    }

    /// True for 00:00.
    pub fn is_midnight(self) -> bool {
        self.0 == 0
    }

    /// As a chrono time.
    pub fn to_naive(self) -> NaiveTime {
        NaiveTime::from_num_seconds_from_midnight_opt(self.seconds(), 0).unwrap_or(NaiveTime::MIN)
    }

    /// Whether `t` is at or after this time (to the second).
    pub fn le_time(self, t: NaiveTime) -> bool {
        self.seconds() <= t.num_seconds_from_midnight()
    }
}

impl std::str::FromStr for TimeOfDay {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let err = || Error::InvalidTimeOfDay {
            value: s.to_string(),
        };
        let (h, m) = s.split_once(':').ok_or_else(err)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(err());
        }
        let h: u32 = h.parse().map_err(|_| err())?;
        let m: u32 = m.parse().map_err(|_| err())?;
        TimeOfDay::new(h, m).ok_or_else(err)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written digit by digit: every priced line's reason shows times of day.
        let (h, m) = (self.0 / 60, self.0 % 60);
        let digit = |d: u16| b'0' + (d % 10) as u8;
        let text = [digit(h / 10), digit(h), b':', digit(m / 10), digit(m)];
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

//! The conditions of a price (`TariffConditionsType`, `TariffConditionsFixedType`) and
//! when they hold.
//!
//! All conditions set on a price must hold (AND). Time of day, day of week and dates are
//! local to the station's time zone; time-of-day windows are `[start, end)` and wrap past
//! midnight when `end < start`. Bounds are `min ≤ value < max`; for a negative bound
//! (energy, power or current flowing back, V2X) "min" is the value closest to zero, so the
//! comparisons flip.

use super::json::{invalid, parse_word, Obj, Out};
use crate::calendar::DayOfWeek;
use crate::enums::wire_enum;
use crate::json::Value;
use crate::tariff::TimeOfDay;
use crate::Error;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;

wire_enum! {
    /// `EvseKindEnumType`: the kind of EVSE a price applies to.
    ///
    /// ```
    /// use chargekit::station_tariff::EvseKind;
    /// assert_eq!("DC".parse::<EvseKind>().unwrap(), EvseKind::Dc);
    /// ```
    pub enum EvseKind {
        /// Alternating current.
        Ac = "AC",
        /// Direct current.
        Dc = "DC",
    }
}

wire_enum! {
    /// One kind of condition, named as its JSON field. A station states which it supports
    /// ([`StationCapabilities`](super::StationCapabilities)).
    ///
    /// ```
    /// use chargekit::station_tariff::ConditionKind;
    /// assert_eq!(ConditionKind::MinIdleTime.as_str(), "minIdleTime");
    /// ```
    pub enum ConditionKind {
        /// `startTimeOfDay`.
        StartTimeOfDay = "startTimeOfDay",
        /// `endTimeOfDay`.
        EndTimeOfDay = "endTimeOfDay",
        /// `dayOfWeek`.
        DayOfWeek = "dayOfWeek",
        /// `validFromDate`.
        ValidFromDate = "validFromDate",
        /// `validToDate`.
        ValidToDate = "validToDate",
        /// `evseKind`.
        EvseKind = "evseKind",
        /// `minEnergy`.
        MinEnergy = "minEnergy",
        /// `maxEnergy`.
        MaxEnergy = "maxEnergy",
        /// `minCurrent`.
        MinCurrent = "minCurrent",
        /// `maxCurrent`.
        MaxCurrent = "maxCurrent",
        /// `minPower`.
        MinPower = "minPower",
        /// `maxPower`.
        MaxPower = "maxPower",
        /// `minTime`.
        MinTime = "minTime",
        /// `maxTime`.
        MaxTime = "maxTime",
        /// `minChargingTime`.
        MinChargingTime = "minChargingTime",
        /// `maxChargingTime`.
        MaxChargingTime = "maxChargingTime",
        /// `minIdleTime`.
        MinIdleTime = "minIdleTime",
        /// `maxIdleTime`.
        MaxIdleTime = "maxIdleTime",
        /// `paymentBrand` (fixed prices only).
        PaymentBrand = "paymentBrand",
        /// `paymentRecognition` (fixed prices only).
        PaymentRecognition = "paymentRecognition",
    }
}

/// The calendar part shared by both condition types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarConditions {
    /// Local start of the daily window, inclusive.
    pub start_time_of_day: Option<TimeOfDay>,
    /// Local end of the daily window, exclusive; before the start it wraps past midnight.
    pub end_time_of_day: Option<TimeOfDay>,
    /// Local weekdays (empty: every day).
    pub day_of_week: Vec<DayOfWeek>,
    /// First local date, inclusive.
    pub valid_from_date: Option<NaiveDate>,
    /// Local date from which it no longer applies (exclusive).
    pub valid_to_date: Option<NaiveDate>,
    /// The kind of EVSE.
    pub evse_kind: Option<EvseKind>,
}

/// `TariffConditionsType`: when an energy or time price applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TariffConditions {
    /// Time of day, weekday, dates and EVSE kind.
    pub calendar: CalendarConditions,
    /// Energy delivered in the transaction so far, Wh, at least.
    pub min_energy: Option<Decimal>,
    /// Energy so far, Wh, below.
    pub max_energy: Option<Decimal>,
    /// Present current summed over phases, A, at least.
    pub min_current: Option<Decimal>,
    /// Present current, A, below.
    pub max_current: Option<Decimal>,
    /// Present power, W, at least.
    pub min_power: Option<Decimal>,
    /// Present power, W, below.
    pub max_power: Option<Decimal>,
    /// Seconds since the transaction started, at least.
    pub min_time: Option<u64>,
    /// Seconds since the start, below.
    pub max_time: Option<u64>,
    /// Seconds of charging so far, at least.
    pub min_charging_time: Option<u64>,
    /// Seconds of charging so far, below.
    pub max_charging_time: Option<u64>,
    /// Seconds of idle time so far (cumulative), at least.
    pub min_idle_time: Option<u64>,
    /// Seconds of idle time so far, below.
    pub max_idle_time: Option<u64>,
}

/// `TariffConditionsFixedType`: when a fixed fee applies (evaluated once, at the start).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixedConditions {
    /// Time of day, weekday, dates and EVSE kind.
    pub calendar: CalendarConditions,
    /// The payment brand of an ad-hoc payment (at most 20 characters), e.g. `VISA`.
    pub payment_brand: Option<String>,
    /// How the payment was recognised (at most 20 characters), e.g. `Contactless`.
    pub payment_recognition: Option<String>,
}

/// What conditions are evaluated against at one instant.
#[derive(Debug, Clone)]
pub(super) struct Moment<'a> {
    /// Local wall-clock time.
    pub local: NaiveDateTime,
    pub evse_kind: Option<EvseKind>,
    pub energy_wh: Decimal,
    pub current_a: Option<Decimal>,
    pub power_w: Option<Decimal>,
    pub elapsed_s: Decimal,
    pub charging_s: Decimal,
    pub idle_s: Decimal,
    pub payment_brand: Option<&'a str>,
    pub payment_recognition: Option<&'a str>,
}

/// `min ≤ v < max`, flipped for negative bounds; an unknown value meets no bound.
fn within(v: Option<Decimal>, min: Option<Decimal>, max: Option<Decimal>) -> bool {
    if min.is_none() && max.is_none() {
        return true;
    }
    let Some(v) = v else { return false };
    let lo = min.is_none_or(|m| {
        if m.is_sign_negative() && !m.is_zero() {
            v <= m
        } else {
            v >= m
        }
    });
    let hi = max.is_none_or(|m| {
        if m.is_sign_negative() && !m.is_zero() {
            v > m
        } else {
            v < m
        }
    });
    lo && hi
}

fn secs(v: Option<u64>) -> Option<Decimal> {
    v.map(Decimal::from)
}

/// The daily window holds at `minute` (minutes since local midnight).
pub(super) fn in_window(start: Option<TimeOfDay>, end: Option<TimeOfDay>, minute: u32) -> bool {
    let s = start.map_or(0, TimeOfDay::minutes);
    let e = end.map_or(24 * 60, |e| {
        if e.is_midnight() {
            24 * 60
        } else {
            e.minutes()
        }
    });
    if start.is_none() && end.is_none() || s == e {
        // No window, or one that covers the whole day.
        return true;
    }
    if s < e {
        minute >= s && minute < e
    } else {
        minute >= s || minute < e
    }
}

impl CalendarConditions {
    fn holds(&self, m: &Moment<'_>) -> bool {
        let minute = m.local.hour() * 60 + m.local.minute();
        let day = DayOfWeek::from_chrono(m.local.weekday());
        let date = m.local.date();
        in_window(self.start_time_of_day, self.end_time_of_day, minute)
            && (self.day_of_week.is_empty() || self.day_of_week.contains(&day))
            && self.valid_from_date.is_none_or(|d| date >= d)
            && self.valid_to_date.is_none_or(|d| date < d)
            && self.evse_kind.is_none_or(|k| m.evse_kind == Some(k))
    }

    /// The kinds of condition set.
    fn kinds(&self, out: &mut Vec<ConditionKind>) {
        let c = self;
        let mut add = |set: bool, k| {
            if set {
                out.push(k);
            }
        };
        add(c.start_time_of_day.is_some(), ConditionKind::StartTimeOfDay);
        add(c.end_time_of_day.is_some(), ConditionKind::EndTimeOfDay);
        add(!c.day_of_week.is_empty(), ConditionKind::DayOfWeek);
        add(c.valid_from_date.is_some(), ConditionKind::ValidFromDate);
        add(c.valid_to_date.is_some(), ConditionKind::ValidToDate);
        add(c.evse_kind.is_some(), ConditionKind::EvseKind);
    }

    fn read(o: &mut Obj<'_>) -> Result<Self, Error> {
        let time = |o: &mut Obj<'_>, key: &'static str| match o.text(key, 5)? {
            None => Ok(None),
            Some(s) => s
                .parse::<TimeOfDay>()
                .map(Some)
                .map_err(|e| invalid(o.path(key), e.to_string())),
        };
        let start_time_of_day = time(o, "startTimeOfDay")?;
        let end_time_of_day = time(o, "endTimeOfDay")?;
        let mut day_of_week = Vec::new();
        if let Some(days) = o.array("dayOfWeek", 1, 7)? {
            for (i, d) in days.iter().enumerate() {
                let day = d
                    .as_str()
                    .and_then(|s| s.to_ascii_uppercase().parse::<DayOfWeek>().ok())
                    .ok_or_else(|| {
                        invalid(
                            format!("{}[{i}]", o.path("dayOfWeek")),
                            format!("{d} is not a day of the week (Monday … Sunday)"),
                        )
                    })?;
                if !day_of_week.contains(&day) {
                    day_of_week.push(day);
                }
            }
        }
        Ok(CalendarConditions {
            start_time_of_day,
            end_time_of_day,
            day_of_week,
            valid_from_date: o.date("validFromDate")?,
            valid_to_date: o.date("validToDate")?,
            evse_kind: o.word("evseKind", parse_word::<EvseKind>)?,
        })
    }

    fn write(&self, o: &mut Out) {
        let s = |v: Option<String>| v.map(Value::String);
        o.opt(
            "startTimeOfDay",
            s(self.start_time_of_day.map(|t| t.to_string())),
        );
        o.opt(
            "endTimeOfDay",
            s(self.end_time_of_day.map(|t| t.to_string())),
        );
        o.list(
            "dayOfWeek",
            self.day_of_week
                .iter()
                .map(|d| Value::String(ocpp_day(*d).into()))
                .collect(),
        );
        o.opt(
            "validFromDate",
            s(self.valid_from_date.map(|d| d.to_string())),
        );
        o.opt("validToDate", s(self.valid_to_date.map(|d| d.to_string())));
        o.opt("evseKind", s(self.evse_kind.map(|k| k.as_str().into())));
    }
}

/// The OCPP spelling of a weekday (`Monday`).
pub(super) fn ocpp_day(d: DayOfWeek) -> &'static str {
    match d {
        DayOfWeek::Monday => "Monday",
        DayOfWeek::Tuesday => "Tuesday",
        DayOfWeek::Wednesday => "Wednesday",
        DayOfWeek::Thursday => "Thursday",
        DayOfWeek::Friday => "Friday",
        DayOfWeek::Saturday => "Saturday",
        DayOfWeek::Sunday => "Sunday",
    }
}

impl TariffConditions {
    /// True when every condition set holds at `m`.
    pub(super) fn holds(&self, m: &Moment<'_>) -> bool {
        self.calendar.holds(m)
            && within(Some(m.energy_wh), self.min_energy, self.max_energy)
            && within(m.current_a, self.min_current, self.max_current)
            && within(m.power_w, self.min_power, self.max_power)
            && within(Some(m.elapsed_s), secs(self.min_time), secs(self.max_time))
            && within(
                Some(m.charging_s),
                secs(self.min_charging_time),
                secs(self.max_charging_time),
            )
            && within(
                Some(m.idle_s),
                secs(self.min_idle_time),
                secs(self.max_idle_time),
            )
    }

    /// The kinds of condition set, in schema order.
    pub fn kinds(&self) -> Vec<ConditionKind> {
        let mut out = Vec::new();
        self.calendar.kinds(&mut out);
        use ConditionKind as K;
        for (set, k) in [
            (self.min_energy.is_some(), K::MinEnergy),
            (self.max_energy.is_some(), K::MaxEnergy),
            (self.min_current.is_some(), K::MinCurrent),
            (self.max_current.is_some(), K::MaxCurrent),
            (self.min_power.is_some(), K::MinPower),
            (self.max_power.is_some(), K::MaxPower),
            (self.min_time.is_some(), K::MinTime),
            (self.max_time.is_some(), K::MaxTime),
            (self.min_charging_time.is_some(), K::MinChargingTime),
            (self.max_charging_time.is_some(), K::MaxChargingTime),
            (self.min_idle_time.is_some(), K::MinIdleTime),
            (self.max_idle_time.is_some(), K::MaxIdleTime),
        ] {
            if set {
                out.push(k);
            }
        }
        out
    }

    pub(super) fn read(v: &Value, path: &str) -> Result<Self, Error> {
        let mut o = Obj::new(v, path)?;
        let calendar = CalendarConditions::read(&mut o)?;
        let c = TariffConditions {
            calendar,
            min_energy: o.decimal("minEnergy")?,
            max_energy: o.decimal("maxEnergy")?,
            min_current: o.decimal("minCurrent")?,
            max_current: o.decimal("maxCurrent")?,
            min_power: o.decimal("minPower")?,
            max_power: o.decimal("maxPower")?,
            min_time: o.count("minTime")?,
            max_time: o.count("maxTime")?,
            min_charging_time: o.count("minChargingTime")?,
            max_charging_time: o.count("maxChargingTime")?,
            min_idle_time: o.count("minIdleTime")?,
            max_idle_time: o.count("maxIdleTime")?,
        };
        o.finish()?;
        Ok(c)
    }

    /// The conditions as OCPP 2.1 JSON.
    pub fn to_value(&self) -> serde_json::Value {
        self.tree().to_serde()
    }

    /// The conditions as OCPP 2.1 JSON, numbers as their exact text.
    pub(crate) fn tree(&self) -> Value {
        let mut o = Out::default();
        self.calendar.write(&mut o);
        o.dec("minEnergy", self.min_energy)
            .dec("maxEnergy", self.max_energy)
            .dec("minCurrent", self.min_current)
            .dec("maxCurrent", self.max_current)
            .dec("minPower", self.min_power)
            .dec("maxPower", self.max_power);
        for (k, v) in [
            ("minTime", self.min_time),
            ("maxTime", self.max_time),
            ("minChargingTime", self.min_charging_time),
            ("maxChargingTime", self.max_charging_time),
            ("minIdleTime", self.min_idle_time),
            ("maxIdleTime", self.max_idle_time),
        ] {
            o.opt(k, v.map(Value::from));
        }
        o.done()
    }
}

impl FixedConditions {
    /// True when every condition set holds at `m` (the transaction's start).
    pub(super) fn holds(&self, m: &Moment<'_>) -> bool {
        let eq = |want: &Option<String>, got: Option<&str>| {
            want.as_deref()
                .is_none_or(|w| got.is_some_and(|g| g.eq_ignore_ascii_case(w)))
        };
        self.calendar.holds(m)
            && eq(&self.payment_brand, m.payment_brand)
            && eq(&self.payment_recognition, m.payment_recognition)
    }

    /// The kinds of condition set, in schema order.
    pub fn kinds(&self) -> Vec<ConditionKind> {
        let mut out = Vec::new();
        self.calendar.kinds(&mut out);
        if self.payment_brand.is_some() {
            out.push(ConditionKind::PaymentBrand);
        }
        if self.payment_recognition.is_some() {
            out.push(ConditionKind::PaymentRecognition);
        }
        out
    }

    pub(super) fn read(v: &Value, path: &str) -> Result<Self, Error> {
        let mut o = Obj::new(v, path)?;
        let calendar = CalendarConditions::read(&mut o)?;
        let c = FixedConditions {
            calendar,
            payment_brand: o.text("paymentBrand", 20)?,
            payment_recognition: o.text("paymentRecognition", 20)?,
        };
        o.finish()?;
        Ok(c)
    }

    /// The conditions as OCPP 2.1 JSON.
    pub fn to_value(&self) -> serde_json::Value {
        self.tree().to_serde()
    }

    /// The conditions as OCPP 2.1 JSON, numbers as their exact text.
    pub(crate) fn tree(&self) -> Value {
        let mut o = Out::default();
        self.calendar.write(&mut o);
        o.opt(
            "paymentBrand",
            self.payment_brand.clone().map(Value::String),
        )
        .opt(
            "paymentRecognition",
            self.payment_recognition.clone().map(Value::String),
        );
        o.done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<TimeOfDay> {
        s.parse().ok()
    }

    #[test]
    fn windows_are_half_open_and_wrap() {
        // 22:00–06:00 wraps past midnight: 23:00 and 05:59 inside, 06:00 and 21:59 outside.
        assert!(in_window(t("22:00"), t("06:00"), 23 * 60));
        assert!(in_window(t("22:00"), t("06:00"), 5 * 60 + 59));
        assert!(!in_window(t("22:00"), t("06:00"), 6 * 60));
        assert!(!in_window(t("22:00"), t("06:00"), 21 * 60 + 59));
        // End 00:00 means the end of the day.
        assert!(in_window(t("18:00"), t("00:00"), 23 * 60 + 59));
        assert!(!in_window(t("18:00"), t("00:00"), 17 * 60));
        // Only a start: until midnight. Start == end: the whole day.
        assert!(in_window(t("07:00"), None, 23 * 60));
        assert!(!in_window(t("07:00"), None, 6 * 60));
        assert!(in_window(t("09:00"), t("09:00"), 3 * 60));
    }

    #[test]
    fn bounds_flip_for_negative_values() {
        let d = |s: &str| s.parse::<Decimal>().ok();
        assert!(within(d("10"), d("10"), d("20")));
        assert!(!within(d("20"), d("10"), d("20")));
        // Discharging: between -10 (closest to zero) and -50.
        assert!(within(d("-30"), d("-10"), d("-50")));
        assert!(!within(d("-5"), d("-10"), d("-50")));
        assert!(!within(d("-50"), d("-10"), d("-50")));
        assert!(!within(None, d("1"), None));
    }
}

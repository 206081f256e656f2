//! Pricing policies: every ambiguity of OCPI pricing is a named option here, with the
//! OCPI 2.2.1 bugfix reading as the default and presets that reproduce peers. The numbers
//! (`#1` … `#15`) are those of `docs/tariffs.md` §5.
//!
//! Policies are plain data (serde, snake_case) so that bindings can pass JSON:
//!
//! ```
//! use chargekit::billing::{PricingPolicy, StepSizeMode, MidnightEnd};
//! let p = PricingPolicy::from_json(r#""ocpi_tariffs""#).unwrap();
//! assert_eq!(p.step_size, StepSizeMode::OcpiTariffsCompat);
//! let q = PricingPolicy::from_json(r#"{"preset": "ocpi_tariffs", "midnight_end": "literal"}"#).unwrap();
//! assert_eq!(q.midnight_end, MidnightEnd::Literal);
//! assert_eq!(q.step_size, StepSizeMode::OcpiTariffsCompat);
//! let d = PricingPolicy::from_json("{}").unwrap();
//! assert_eq!(d, PricingPolicy::default());
//! ```
use super::{Currency, TariffType, Vat};
use crate::json::Value;
use crate::units::SeriesPoint;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

macro_rules! policy_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? } default $def:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }
        impl Default for $name {
            fn default() -> Self { $name::$def }
        }
    };
}

policy_enum! {
    /// How `step_size` is applied (`docs/tariffs.md` §4, ambiguity #1).
    StepSizeMode {
        /// OCPI 2.2.1 bugfix text: one ceiling per session per group (ENERGY; TIME+PARKING
        /// where parking wins when billed), billable volume only, step of the last
        /// component that billed the group.
        OcpiBugfix,
        /// ocpi-tariffs: like the bugfix text but rounds the *whole* volume of the
        /// dimension, including unpriced periods.
        OcpiTariffsCompat,
        /// A naive ceiling in every period.
        PerPeriod,
        /// Whole steps only, rounded down in every period (ev-server); a counter-example.
        FloorPerPeriod,
        /// No quantisation (OCPI 3.0).
        Ignore,
    } default OcpiBugfix
}

policy_enum! {
    /// A lone `end_time: "00:00"` (ambiguity #2).
    MidnightEnd {
        /// Until the end of the day: matches the whole day.
        EndOfDay,
        /// Literally `t < 00:00`: never matches (ocpi-kit, ocpi-tariffs 0.48).
        Literal,
    } default EndOfDay
}

policy_enum! {
    /// How CDR durations stated in hours become seconds before `step_size` (ambiguity #19).
    /// OCPI writes hours with at most six decimals (3.6 ms), so 0.666667 h may stand for
    /// 40 minutes or mean 40 min 0.0012 s, which is one 300 s parking step more.
    CdrHours {
        /// To the nearest 10 ms: 0.666667 h is 40 minutes (`docs/tariffs.md` §4 item 7).
        Centiseconds,
        /// As written: 0.666667 h is 2400.0012 s (ocpi-tariffs, and ocpi-kit, which keeps
        /// microseconds).
        Exact,
    } default Centiseconds
}

policy_enum! {
    /// `start_time == end_time` (ambiguity #3). `00:00`–`00:00` is always the whole day.
    EqualTimes {
        /// The window is empty: never matches (lint `never_valid`).
        Never,
        /// The whole day (ocpi-kit).
        WholeDay,
    } default Never
}

policy_enum! {
    /// A power/current restriction in a period without that measurement (ambiguity #4).
    MissingMeasurement {
        /// The element does not apply.
        Fail,
        /// The restriction holds (ocpi-tariffs).
        Pass,
    } default Fail
}

policy_enum! {
    /// Where a CDR period's charging time comes from (ambiguity #5).
    TimeSource {
        /// Only TIME / PARKING_TIME dimensions (warning `periods_state_no_time` when absent).
        Dimensions,
        /// Derive charging time from the period boundaries when the period states no time.
        Timestamps,
    } default Dimensions
}

policy_enum! {
    /// How often FLAT is billed (ambiguity #6).
    FlatPolicy {
        /// Once for the charging session and once for the reservation.
        OncePerScope,
        /// Once per distinct FLAT-bearing element that is active at some point.
        PerDistinctElement,
    } default OncePerScope
}

policy_enum! {
    /// A period that crosses a price boundary (ambiguity #7).
    PeriodSplit {
        /// Price the whole period at its start state (note `period_spans_price_change`).
        AtPeriodStart,
        /// Cut periods at every boundary the meter timeline allows (session pricing).
        FromMeterTimeline,
    } default FromMeterTimeline
}

policy_enum! {
    /// How a native idle-fee grace period is exported to OCPI 2.2.1 (ambiguity #9).
    IdleFeeExport {
        /// Export what OCPI can express; lint `grace_period_not_expressible`.
        BestEffort,
        /// Map the grace period to `min_duration` from session start (imprecise).
        SessionRelative,
    } default BestEffort
}

policy_enum! {
    /// What parking time is (ambiguity #10).
    ParkingDefinition {
        /// OCPI 2.2.1: time without energy flow.
        NoEnergyFlow,
        /// OCPI 2.3.0: time the EV does not request power (EVSE-side pauses count as charging).
        EvNotRequesting,
    } default NoEnergyFlow
}

policy_enum! {
    /// Which tariff prices a period (ambiguities #12).
    TariffSwitch {
        /// The tariff valid at session start prices the whole session.
        FreezeAtStart,
        /// Each period's `tariff_id` chooses its tariff.
        PerPeriodTariffId,
    } default FreezeAtStart
}

policy_enum! {
    /// The weekday a `day_of_week` restriction looks at in a window wrapping midnight (#13).
    WeekdayOf {
        /// The weekday of the current local instant.
        CurrentInstant,
        /// The weekday on which the wrapping window started.
        WindowStart,
    } default CurrentInstant
}

policy_enum! {
    /// Dates combined with times (#14).
    DateTimeSpan {
        /// The time window applies daily inside the date range.
        DailyWindow,
        /// One continuous span from start date+time to end date+time.
        Continuous,
    } default DailyWindow
}

policy_enum! {
    /// Restriction times of 2.1.1 tariffs (#15).
    LegacyTimes {
        /// Local time of the location.
        Local,
        /// UTC.
        Utc,
    } default Local
}

policy_enum! {
    /// Reservation elements.
    ReservationPricing {
        /// Priced: RESERVATION_TIME and reservation fees.
        Price,
        /// Skipped with warning `reservation_element_skipped` (ocpi-tariffs).
        Skip,
    } default Price
}

policy_enum! {
    /// What `min_duration` / `max_duration` count from.
    ElapsedFrom {
        /// The session start (the earlier of the CDR start and the first period).
        SessionStart,
        /// The first period's start (ocpi-tariffs).
        FirstPeriod,
    } default SessionStart
}

policy_enum! {
    /// How a decimal is rounded.
    RoundingMode {
        /// Half away from zero (commercial rounding).
        HalfAwayFromZero,
        /// Half to even (banker's rounding).
        HalfEven,
        /// Toward zero (truncation).
        TowardZero,
        /// Away from zero (ceiling of the magnitude).
        AwayFromZero,
    } default HalfAwayFromZero
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::TowardZero => RoundingStrategy::ToZero,
            RoundingMode::AwayFromZero => RoundingStrategy::AwayFromZero,
        }
    }
}

/// One rounding step: to how many decimals, and how.
///
/// ```
/// use chargekit::billing::{Rounding, RoundingMode};
/// use rust_decimal::Decimal;
/// let eur = "EUR".parse().unwrap();
/// let r = Rounding { decimals: None, mode: RoundingMode::HalfAwayFromZero };
/// assert_eq!(r.apply(Decimal::new(5625, 3), eur), Decimal::new(563, 2));
/// let r4 = Rounding { decimals: Some(4), mode: RoundingMode::HalfEven };
/// assert_eq!(r4.apply(Decimal::new(123445, 5), eur), Decimal::new(12344, 4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimals to keep; `None` means the currency's ISO 4217 minor units.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// The rounding mode.
    #[serde(default)]
    pub mode: RoundingMode,
}

impl Rounding {
    /// Rounds an amount of `currency`, keeping exactly that many decimals (`5` → `5.00`).
    pub fn apply(self, amount: Decimal, currency: Currency) -> Decimal {
        let dp = self.decimals.unwrap_or_else(|| currency.minor_units());
        let mut r = amount.round_dp_with_strategy(dp, self.mode.strategy());
        r.rescale(dp);
        r
    }

    /// The decimals used for `currency`.
    pub fn decimals_for(self, currency: Currency) -> u32 {
        self.decimals.unwrap_or_else(|| currency.minor_units())
    }
}

/// Money rounding (ambiguity #8). The spec is silent; each preset reproduces a peer.
///
/// * `lines`: each priced line (period × dimension, and its incl. VAT amount) is
///   rounded, and totals are sums of rounded lines.
/// * `totals`: every total (per dimension and `total_cost`) is rounded; `total_cost`
///   is rounded from the unrounded sum, not summed from rounded dimension totals.
///
/// ```
/// use chargekit::billing::RoundingPolicy;
/// let p: RoundingPolicy = serde_json::from_str(r#""per_line""#).unwrap();
/// assert_eq!(p, RoundingPolicy::per_line());
/// assert!(RoundingPolicy::default().lines.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(try_from = "RoundingRepr")]
pub struct RoundingPolicy {
    /// Rounding of every line (`None`: lines stay exact).
    pub lines: Option<Rounding>,
    /// Rounding of every total (`None`: totals stay exact).
    pub totals: Option<Rounding>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RoundingRepr {
    Preset(String),
    Fields {
        #[serde(default)]
        lines: Option<Rounding>,
        #[serde(default)]
        totals: Option<Rounding>,
    },
}

impl TryFrom<RoundingRepr> for RoundingPolicy {
    type Error = String;
    fn try_from(r: RoundingRepr) -> Result<Self, String> {
        match r {
            RoundingRepr::Preset(name) => RoundingPolicy::preset(&name).ok_or_else(|| {
                format!("unknown rounding preset {name:?}; expected one of: default, ocpi_tariffs, ocpi_kit, per_line, ev_server, exact")
            }),
            RoundingRepr::Fields { lines, totals } => Ok(RoundingPolicy { lines, totals }),
        }
    }
}

impl Default for RoundingPolicy {
    /// Exact components; totals rounded to the currency's minor units, half away from zero.
    fn default() -> Self {
        RoundingPolicy {
            lines: None,
            totals: Some(Rounding {
                decimals: None,
                mode: RoundingMode::HalfAwayFromZero,
            }),
        }
    }
}

impl RoundingPolicy {
    /// ocpi-tariffs: exact lines, totals at 4 decimals, half to even, no cents rounding.
    pub fn ocpi_tariffs() -> Self {
        RoundingPolicy {
            lines: None,
            totals: Some(Rounding {
                decimals: Some(4),
                mode: RoundingMode::HalfEven,
            }),
        }
    }

    /// ocpi-kit: 4 decimals per component, totals to 2 decimals, half away from zero.
    pub fn ocpi_kit() -> Self {
        RoundingPolicy {
            lines: Some(Rounding {
                decimals: Some(4),
                mode: RoundingMode::HalfAwayFromZero,
            }),
            totals: Some(Rounding {
                decimals: Some(2),
                mode: RoundingMode::HalfAwayFromZero,
            }),
        }
    }

    /// EN 16931-style: every line rounded to the currency's minor units; totals are their sums.
    pub fn per_line() -> Self {
        RoundingPolicy {
            lines: Some(Rounding {
                decimals: None,
                mode: RoundingMode::HalfAwayFromZero,
            }),
            totals: None,
        }
    }

    /// ev-server: money truncated to 2 decimals.
    pub fn ev_server() -> Self {
        let t = Rounding {
            decimals: Some(2),
            mode: RoundingMode::TowardZero,
        };
        RoundingPolicy {
            lines: Some(t),
            totals: Some(t),
        }
    }

    /// No rounding at all.
    pub fn exact() -> Self {
        RoundingPolicy {
            lines: None,
            totals: None,
        }
    }

    /// A preset by name (`default`, `ocpi_tariffs`, `ocpi_kit`, `per_line`, `ev_server`, `exact`).
    pub fn preset(name: &str) -> Option<Self> {
        Some(match name {
            "default" => Self::default(),
            "ocpi_tariffs" => Self::ocpi_tariffs(),
            "ocpi_kit" => Self::ocpi_kit(),
            "per_line" => Self::per_line(),
            "ev_server" => Self::ev_server(),
            "exact" => Self::exact(),
            _ => return None,
        })
    }

    pub(crate) fn line(&self, d: Decimal, c: Currency) -> Decimal {
        self.lines.map_or(d, |r| r.apply(d, c))
    }

    pub(crate) fn total(&self, d: Decimal, c: Currency) -> Decimal {
        self.totals.map_or(d, |r| r.apply(d, c))
    }
}

/// Where the price of energy the EV fed back (V2X) comes from (#16).
///
/// OCPI tariffs have no export price, and neither has an OCPP 2.1 `TariffType`: the
/// price is always the caller's, either a fixed credit per kWh or a price series (for an
/// OCPP 2.1 station tariff, pass the export price the contract states). Exported energy
/// priced this way becomes credit lines of category [`CostCategory::EnergyExport`]
/// (`−(kWh × price)`, VAT at `vat` on that negative amount: the tax follows the sign).
///
/// JSON (under the policy's `export` key): `"ignore"`,
/// `{"per_kwh": {"price": 0.20, "vat": 19}}` or
/// `{"series": {"prices": [["2026-03-10T09:30:00Z", 0.20], …], "vat": 19}}`; `vat` is a
/// percentage (0 included), absent or `null` when no VAT applies, `"unknown"` when it is
/// not known.
///
/// ```
/// use chargekit::billing::{ExportPricing, PricingPolicy};
/// use chargekit::tariff::Vat;
/// use rust_decimal::Decimal;
/// let p = PricingPolicy::from_json(r#"{"export": {"per_kwh": {"price": "0.20", "vat": 19}}}"#).unwrap();
/// assert_eq!(p.export, ExportPricing::PerKwh { price: Decimal::new(20, 2), vat: Vat::Rate(Decimal::from(19)) });
/// assert_eq!(p.export.price_at("2026-03-10T10:00:00Z".parse().unwrap()), Some(Decimal::new(20, 2)));
/// assert_eq!(PricingPolicy::default().export, ExportPricing::Ignore);
///
/// // A CDR with 10 kWh charged at 0.30 and 2.5 kWh fed back, both at 19 % VAT:
/// // 3.00 − 2.5 × 0.20 = 2.50 net; 3.57 − 0.595 = 2.975 → 2.98 gross.
/// let tariff = chargekit::billing::tariffs_from_json(r#"{"id":"T","currency":"EUR",
///   "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"vat":19,"step_size":1}]}]}"#).unwrap();
/// let cdr = r#"{"currency":"EUR","start_date_time":"2026-03-10T08:00:00Z",
///   "end_date_time":"2026-03-10T10:00:00Z","charging_periods":[
///   {"start_date_time":"2026-03-10T08:00:00Z","dimensions":[{"type":"ENERGY","volume":10}]},
///   {"start_date_time":"2026-03-10T09:00:00Z","dimensions":[{"type":"ENERGY_EXPORT","volume":2.5}]}]}"#;
/// let r = chargekit::billing::price_cdr(cdr, &tariff, Some("UTC"), &p).unwrap();
/// assert_eq!(r.total_cost.excl_vat.to_string(), "2.50");
/// assert_eq!(r.total_cost.incl_vat.unwrap().to_string(), "2.98");
/// assert_eq!(r.energy_export_cost().excl_vat.to_string(), "-0.50");
/// ```
///
/// [`CostCategory::EnergyExport`]: crate::billing::CostCategory::EnergyExport
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExportPricing {
    /// Exported energy is not priced: the session prices exactly as without export.
    #[default]
    Ignore,
    /// A fixed credit per kWh fed back.
    PerKwh {
        /// The credit per kWh, excluding VAT (a negative price makes feeding back cost).
        #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
        price: Decimal,
        /// The VAT of the credit.
        #[serde(default = "no_vat", with = "export_vat")]
        vat: Vat,
    },
    /// Prices per kWh given by the caller, each in force from its instant on until the
    /// next one; energy fed back before the first point is not credited (note
    /// `export_price_missing`).
    Series {
        /// The price points, starts strictly increasing.
        prices: Vec<SeriesPoint>,
        /// The VAT of the credit.
        #[serde(default = "no_vat", with = "export_vat")]
        vat: Vat,
    },
}

fn no_vat() -> Vat {
    Vat::NotApplicable
}

/// The VAT of an export price as JSON: a percentage, `null` (no VAT applies) or
/// `"unknown"`; the tagged form of [`Vat`] is read too.
mod export_vat {
    use super::Vat;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(vat: &Vat, s: S) -> Result<S::Ok, S::Error> {
        match vat {
            Vat::Rate(r) => Serialize::serialize(r, s),
            Vat::NotApplicable => s.serialize_none(),
            Vat::Unknown => s.serialize_str("unknown"),
        }
    }

    /// Read from the exact tree rather than a serde `untagged` enum, which would buffer a
    /// percentage as an `f64`; the forms are tried in the order that enum had.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vat, D::Error> {
        use crate::json::number::decimal_text;
        use crate::json::Value;
        let no_form =
            || serde::de::Error::custom("data did not match any variant of untagged enum Form");
        let percent = |r: Decimal| match r.is_sign_negative() && !r.is_zero() {
            true => Err(serde::de::Error::custom(
                "an export VAT rate must not be negative",
            )),
            false => Ok(Vat::Rate(r)),
        };
        match Value::deserialize(d)? {
            Value::Number(n) => decimal_text(n.as_str())
                .map_err(|_| no_form())
                .and_then(percent),
            Value::String(w) => match decimal_text(&w) {
                Ok(r) => percent(r),
                Err(_) => match w.as_str() {
                    "unknown" => Ok(Vat::Unknown),
                    "not_applicable" | "none" => Ok(Vat::NotApplicable),
                    other => Err(serde::de::Error::custom(format!(
                        "export vat {other:?}: expected a percentage, null or \"unknown\""
                    ))),
                },
            },
            Value::Null => Ok(Vat::NotApplicable),
            other => serde_json::from_str::<Vat>(&other.to_string()).map_err(|_| no_form()),
        }
    }
}

impl ExportPricing {
    /// The export price per kWh (excluding VAT) in force at `t`: `None` when exported
    /// energy is not priced (`Ignore`, or before a series' first point).
    pub fn price_at(&self, t: DateTime<Utc>) -> Option<Decimal> {
        match self {
            ExportPricing::Ignore => None,
            ExportPricing::PerKwh { price, .. } => Some(*price),
            ExportPricing::Series { prices, .. } => {
                let i = prices.partition_point(|p| p.start <= t);
                i.checked_sub(1)
                    .and_then(|i| prices.get(i))
                    .map(|p| p.value)
            }
        }
    }

    /// The VAT of the credit (`None` under `Ignore`).
    pub fn vat(&self) -> Option<Vat> {
        match self {
            ExportPricing::Ignore => None,
            ExportPricing::PerKwh { vat, .. } | ExportPricing::Series { vat, .. } => Some(*vat),
        }
    }

    /// The instants strictly inside `(from, to)` where a series' price changes (empty for
    /// the other forms).
    pub fn changes_within(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let ExportPricing::Series { prices, .. } = self else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, p) in prices.iter().enumerate() {
            let changes = i == 0 || prices.get(i - 1).is_some_and(|q| q.value != p.value);
            if changes && p.start > from && p.start < to {
                out.push(p.start);
            }
        }
        out
    }

    /// Checks a series: starts must strictly increase.
    pub fn validate(&self) -> Result<(), Error> {
        if let ExportPricing::Series { prices, .. } = self {
            if let Some(i) = prices.windows(2).position(|w| w[1].start <= w[0].start) {
                return Err(Error::InvalidPricingPolicy {
                    reason: format!(
                        "export.series.prices[{}].start: starts must strictly increase",
                        i + 1
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Every pricing choice, one field per ambiguity of `docs/tariffs.md` §5, with the defaults
/// of the OCPI 2.2.1 bugfix text ([`PricingPolicy::default`]; presets by name:
/// [`PricingPolicy::named`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct PricingPolicy {
    /// #1 step_size.
    pub step_size: StepSizeMode,
    /// #2 lone `end_time 00:00`.
    pub midnight_end: MidnightEnd,
    /// #3 `start_time == end_time`.
    pub equal_times: EqualTimes,
    /// #4 power/current restriction without a measurement.
    pub missing_measurement: MissingMeasurement,
    /// #5 periods without TIME/PARKING_TIME.
    pub time_source: TimeSource,
    /// #6 FLAT.
    pub flat: FlatPolicy,
    /// #7 periods crossing a boundary.
    pub period_split: PeriodSplit,
    /// #8 money rounding.
    pub rounding: RoundingPolicy,
    /// #9 idle-fee export.
    pub idle_fee_export: IdleFeeExport,
    /// #10 parking.
    pub parking_definition: ParkingDefinition,
    /// #12 tariff switching.
    pub tariff_switch: TariffSwitch,
    /// #13 weekday in wrapping windows.
    pub weekday_of: WeekdayOf,
    /// #14 dates with times.
    pub date_time_span: DateTimeSpan,
    /// #15 2.1.1 restriction times.
    pub legacy_times: LegacyTimes,
    /// Reservation elements.
    pub reservation: ReservationPricing,
    /// What durations count from.
    pub elapsed_from: ElapsedFrom,
    /// The payment option / profile asked for; chooses among tariffs by `type`
    /// (`None`: REGULAR or untyped tariffs first).
    pub tariff_type: Option<TariffType>,
    /// #16 energy fed back (V2X): how it is priced (default: not at all).
    pub export: ExportPricing,
    /// #17 whether `total_cost` may be negative (export credits above the charges).
    /// `false` (default): a negative net total is raised to zero (note
    /// `total_cost_clamped_to_zero`).
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub allow_negative_total: bool,
    /// #18 whether a CDR may state negative usage (a negative ENERGY, TIME, PARKING_TIME,
    /// RESERVATION_TIME or ENERGY_EXPORT volume). `false` (default): such a CDR is
    /// `InvalidCdr` naming the volume; `true`: it is priced as stated, with a
    /// `negative_volume` note per volume.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub allow_negative_usage: bool,
    /// #19 CDR hours to seconds.
    pub cdr_hours: CdrHours,
}

impl PricingPolicy {
    /// The set of choices that reproduces ocpi-tariffs 0.54 (`StepSizeMode::OcpiTariffsCompat`,
    /// `MissingMeasurement::Pass`, reservations skipped, durations from the first period,
    /// 4-decimal banker's rounding).
    pub fn ocpi_tariffs() -> Self {
        PricingPolicy {
            step_size: StepSizeMode::OcpiTariffsCompat,
            missing_measurement: MissingMeasurement::Pass,
            rounding: RoundingPolicy::ocpi_tariffs(),
            reservation: ReservationPricing::Skip,
            elapsed_from: ElapsedFrom::FirstPeriod,
            period_split: PeriodSplit::AtPeriodStart,
            // ocpi-tariffs prices negative volumes as stated (its fixtures do).
            allow_negative_usage: true,
            cdr_hours: CdrHours::Exact,
            ..Self::default()
        }
    }

    /// ocpi-kit 0.4: lone `end_time 00:00` never matches, equal times are the whole day,
    /// a missing power fails, 4-decimal components and 2-decimal totals, CDR hours as
    /// written.
    pub fn ocpi_kit() -> Self {
        PricingPolicy {
            midnight_end: MidnightEnd::Literal,
            equal_times: EqualTimes::WholeDay,
            rounding: RoundingPolicy::ocpi_kit(),
            period_split: PeriodSplit::AtPeriodStart,
            cdr_hours: CdrHours::Exact,
            ..Self::default()
        }
    }

    /// ev-server: whole steps only, money truncated to 2 decimals.
    pub fn ev_server() -> Self {
        PricingPolicy {
            step_size: StepSizeMode::FloorPerPeriod,
            rounding: RoundingPolicy::ev_server(),
            ..Self::default()
        }
    }

    /// A preset by name, or an [`Error::InvalidPricingPolicy`] naming the presets.
    ///
    /// ```
    /// use chargekit::billing::{PricingPolicy, StepSizeMode};
    /// assert_eq!(PricingPolicy::named("ocpi_tariffs").unwrap().step_size, StepSizeMode::OcpiTariffsCompat);
    /// assert!(PricingPolicy::named("cheapest").is_err());
    /// ```
    pub fn named(name: &str) -> Result<Self, Error> {
        Self::preset(name).ok_or_else(|| Error::InvalidPricingPolicy {
            reason: format!(
                "unknown preset {name:?}; expected one of: default, ocpi_tariffs, ocpi_kit, ev_server"
            ),
        })
    }

    /// A preset by name: `default`, `ocpi_tariffs`, `ocpi_kit`, `ev_server`.
    pub fn preset(name: &str) -> Option<Self> {
        Some(match name {
            "default" | "ocpi_bugfix" => Self::default(),
            "ocpi_tariffs" => Self::ocpi_tariffs(),
            "ocpi_kit" => Self::ocpi_kit(),
            "ev_server" => Self::ev_server(),
            _ => return None,
        })
    }

    /// Reads a policy from JSON: a preset name (`"ocpi_tariffs"`), or an object of
    /// fields, optionally with `"preset"` naming the base the fields override.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let v = Value::from_text(text).map_err(|e| Error::InvalidPricingPolicy {
            reason: e.to_string(),
        })?;
        Self::from_tree(v)
    }

    /// Like [`PricingPolicy::from_json`], from a JSON value (numbers as exact as the value
    /// holds them).
    pub fn from_value(v: serde_json::Value) -> Result<Self, Error> {
        Self::from_tree((&v).into())
    }

    /// Reads a policy from the exact tree: fields merged over the base, then read by serde
    /// from the merged text (numbers exact).
    fn from_tree(v: Value) -> Result<Self, Error> {
        let invalid = |e: serde_json::Error| Error::InvalidPricingPolicy {
            reason: crate::json::without_position(&e),
        };
        match v {
            Value::String(name) => Self::named(&name),
            Value::Null => Ok(Self::default()),
            Value::Object(mut fields) => {
                let base = match fields.remove("preset") {
                    Some(Value::String(name)) => Self::named(&name)?,
                    Some(_) => {
                        return Err(Error::InvalidPricingPolicy {
                            reason: "`preset` must be a string".into(),
                        })
                    }
                    None => Self::default(),
                };
                let mut merged = serde_json::to_string(&base)
                    .and_then(|text| Value::from_text(&text))
                    .map_err(invalid)?;
                if let Value::Object(m) = &mut merged {
                    m.extend(fields);
                }
                let policy: Self = serde_json::from_str(&merged.to_string()).map_err(invalid)?;
                policy.export.validate()?;
                Ok(policy)
            }
            _ => Err(Error::InvalidPricingPolicy {
                reason: "a policy is a preset name or an object".into(),
            }),
        }
    }

    /// The policy as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn policy_round_trips_through_json() {
        for p in [
            PricingPolicy::default(),
            PricingPolicy::ocpi_tariffs(),
            PricingPolicy::ocpi_kit(),
            PricingPolicy::ev_server(),
        ] {
            let back = PricingPolicy::from_json(&p.to_json()).unwrap();
            assert_eq!(back, p);
        }
    }

    #[test]
    fn unknown_fields_and_presets_are_rejected() {
        assert!(PricingPolicy::from_json(r#"{"stepsize": "ignore"}"#).is_err());
        assert!(PricingPolicy::from_json(r#""nope""#).is_err());
        assert!(PricingPolicy::from_json(r#"{"rounding": "nope"}"#).is_err());
        let p = PricingPolicy::from_json(r#"{"rounding": "per_line"}"#).unwrap();
        assert_eq!(p.rounding, RoundingPolicy::per_line());
    }
}

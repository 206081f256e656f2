//! Checking the cost a station reported against chargekit's own calculation (CSMS side).

use super::cost::{cost_details, LocalCostOptions, TariffTimeline};
use super::details::{Amount, CostDetails};
use crate::enums::wire_enum;
use crate::session::Session;
use crate::Error;
use rust_decimal::Decimal;

wire_enum! {
    /// One figure compared between chargekit and the station.
    ///
    /// ```
    /// use chargekit::station_tariff::CheckItem;
    /// assert_eq!(CheckItem::EnergyInclTax.as_str(), "energy.inclTax");
    /// ```
    pub enum CheckItem {
        /// `totalCost.fixed.exclTax`.
        FixedExclTax = "fixed.exclTax",
        /// `totalCost.fixed.inclTax`.
        FixedInclTax = "fixed.inclTax",
        /// `totalCost.energy.exclTax`.
        EnergyExclTax = "energy.exclTax",
        /// `totalCost.energy.inclTax`.
        EnergyInclTax = "energy.inclTax",
        /// `totalCost.chargingTime.exclTax`.
        ChargingTimeExclTax = "chargingTime.exclTax",
        /// `totalCost.chargingTime.inclTax`.
        ChargingTimeInclTax = "chargingTime.inclTax",
        /// `totalCost.idleTime.exclTax`.
        IdleTimeExclTax = "idleTime.exclTax",
        /// `totalCost.idleTime.inclTax`.
        IdleTimeInclTax = "idleTime.inclTax",
        /// `totalCost.reservationTime.exclTax`.
        ReservationTimeExclTax = "reservationTime.exclTax",
        /// `totalCost.reservationTime.inclTax`.
        ReservationTimeInclTax = "reservationTime.inclTax",
        /// `totalCost.reservationFixed.exclTax`.
        ReservationFixedExclTax = "reservationFixed.exclTax",
        /// `totalCost.reservationFixed.inclTax`.
        ReservationFixedInclTax = "reservationFixed.inclTax",
        /// `totalCost.total.exclTax`.
        TotalExclTax = "total.exclTax",
        /// `totalCost.total.inclTax`.
        TotalInclTax = "total.inclTax",
        /// `totalUsage.energy`, Wh.
        UsageEnergy = "usage.energy",
        /// `totalUsage.chargingTime`, s.
        UsageChargingTime = "usage.chargingTime",
        /// `totalUsage.idleTime`, s.
        UsageIdleTime = "usage.idleTime",
        /// `totalUsage.reservationTime`, s.
        UsageReservationTime = "usage.reservationTime",
        /// The number of `chargingPeriods` (compared when both report periods).
        PeriodCount = "chargingPeriods.count",
    }
}

wire_enum! {
    /// The overall verdict on a station's report.
    ///
    /// ```
    /// use chargekit::station_tariff::CheckVerdict;
    /// assert_eq!(CheckVerdict::Match.as_str(), "match");
    /// ```
    pub enum CheckVerdict {
        /// Every figure agrees within the tolerance.
        Match = "match",
        /// At least one figure differs (see the lines).
        Mismatch = "mismatch",
        /// The station reported `failureToCalculate`.
        StationFailed = "station_failed",
        /// chargekit cannot calculate the cost either (e.g. the currency changed).
        NotCalculable = "not_calculable",
        /// The currency or the kind of cost (`typeOfCost`) differs.
        DifferentBasis = "different_basis",
    }
}

/// One compared figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    /// What.
    pub item: CheckItem,
    /// chargekit's figure (`None`: not calculated or not priced).
    pub expected: Option<Decimal>,
    /// The station's figure (`None`: not reported).
    pub reported: Option<Decimal>,
    /// `reported − expected` when both exist.
    pub difference: Option<Decimal>,
    /// Whether the figures agree within the tolerance (an absent figure agrees only with
    /// an absent or zero one).
    pub ok: bool,
}

/// How strictly a report is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// How the cost is calculated (the station's settings).
    pub cost: LocalCostOptions,
    /// Largest accepted absolute difference of amounts, after both are rounded to the
    /// station's decimals (default 0: exact).
    pub amount_tolerance: Decimal,
    /// Largest accepted difference of energy, Wh (default 0).
    pub energy_tolerance_wh: Decimal,
    /// Largest accepted difference of times, s (default 0).
    pub time_tolerance_s: Decimal,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            cost: LocalCostOptions::default(),
            amount_tolerance: Decimal::ZERO,
            energy_tolerance_wh: Decimal::ZERO,
            time_tolerance_s: Decimal::ZERO,
        }
    }
}

/// chargekit's verdict on a station's `costDetails`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostCheck {
    /// The verdict.
    pub verdict: CheckVerdict,
    /// Every figure compared, in [`CheckItem`] order.
    pub lines: Vec<CheckLine>,
    /// chargekit's own calculation.
    pub expected: CostDetails,
}

impl CostCheck {
    /// The lines that do not agree.
    pub fn differences(&self) -> Vec<&CheckLine> {
        self.lines.iter().filter(|l| !l.ok).collect()
    }
}

/// Checks a station's reported `costDetails` for `session` against chargekit's own
/// calculation under the same tariffs and settings: each component, total and usage
/// figure with both values and their difference, and an overall verdict. A running-cost
/// report is checked at its `at`.
///
/// ```
/// use chargekit::station_tariff::*;
/// use chargekit::session::sessions_from_log;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::ocpp::OcppVersion;
/// let log = r#"[2,"1","TransactionEvent",{"eventType":"Started","timestamp":"2026-03-10T08:00:00Z","triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"TX","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-03-10T08:00:00Z","sampledValue":[{"value":0,"measurand":"Energy.Active.Import.Register"}]}]}]
/// [2,"2","TransactionEvent",{"eventType":"Ended","timestamp":"2026-03-10T09:00:00Z","triggerReason":"EVDeparted","seqNo":1,"transactionInfo":{"transactionId":"TX","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-03-10T09:00:00Z","sampledValue":[{"value":10000,"measurand":"Energy.Active.Import.Register"}]}]}]"#;
/// let s = &sessions_from_log("CP", log, Some(OcppVersion::V201), &MeterPolicy::default()).unwrap()[0];
/// let tl = TariffTimeline::new(StationTariff::from_json(
///     r#"{"tariffId":"T","currency":"EUR","energy":{"prices":[{"priceKwh":0.30}]}}"#).unwrap());
/// let reported = CostDetails::from_json(r#"{"totalCost":{"currency":"EUR","typeOfCost":"NormalCost",
///   "energy":{"exclTax":3.10,"inclTax":3.10},"total":{"exclTax":3.10,"inclTax":3.10}},
///   "totalUsage":{"energy":10000,"chargingTime":3600,"idleTime":0}}"#).unwrap();
/// let c = check_cost_details(s, &tl, None, &reported, &CheckOptions::default()).unwrap();
/// assert_eq!(c.verdict, CheckVerdict::Mismatch);
/// let d = c.differences();
/// assert_eq!(d[0].item, CheckItem::EnergyExclTax);
/// assert_eq!(d[0].difference.unwrap().to_string(), "0.10");
/// ```
pub fn check_cost_details(
    session: &Session,
    tariffs: &TariffTimeline,
    at: Option<chrono::DateTime<chrono::Utc>>,
    reported: &CostDetails,
    options: &CheckOptions,
) -> Result<CostCheck, Error> {
    let expected = cost_details(session, tariffs, at, &options.cost)?;
    let decimals = options.cost.decimals_for(expected.total_cost.currency);
    let round = |d: Decimal| options.cost.rounding_round(d, decimals);
    let mut lines = Vec::new();
    let (e, r) = (&expected.total_cost, &reported.total_cost);
    let amounts: [(Option<Amount>, Option<Amount>, CheckItem, CheckItem); 7] = [
        (
            e.fixed,
            r.fixed,
            CheckItem::FixedExclTax,
            CheckItem::FixedInclTax,
        ),
        (
            e.energy,
            r.energy,
            CheckItem::EnergyExclTax,
            CheckItem::EnergyInclTax,
        ),
        (
            e.charging_time,
            r.charging_time,
            CheckItem::ChargingTimeExclTax,
            CheckItem::ChargingTimeInclTax,
        ),
        (
            e.idle_time,
            r.idle_time,
            CheckItem::IdleTimeExclTax,
            CheckItem::IdleTimeInclTax,
        ),
        (
            e.reservation_time,
            r.reservation_time,
            CheckItem::ReservationTimeExclTax,
            CheckItem::ReservationTimeInclTax,
        ),
        (
            e.reservation_fixed,
            r.reservation_fixed,
            CheckItem::ReservationFixedExclTax,
            CheckItem::ReservationFixedInclTax,
        ),
        (
            Some(e.total),
            Some(r.total),
            CheckItem::TotalExclTax,
            CheckItem::TotalInclTax,
        ),
    ];
    let compare = |item, ours: Option<Decimal>, theirs: Option<Decimal>, tol: Decimal| {
        let difference = match (ours, theirs) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        let ok = match (ours, theirs) {
            (Some(a), Some(b)) => (b - a).abs() <= tol,
            (Some(x), None) | (None, Some(x)) => x.abs() <= tol,
            (None, None) => true,
        };
        CheckLine {
            item,
            expected: ours,
            reported: theirs,
            difference,
            ok,
        }
    };
    for (ours, theirs, excl_item, incl_item) in amounts {
        let half = |a: Option<Amount>, f: fn(&Amount) -> Option<Decimal>| {
            a.as_ref().and_then(f).map(round)
        };
        lines.push(compare(
            excl_item,
            half(ours, |a| a.excl_tax),
            half(theirs, |a| a.excl_tax),
            options.amount_tolerance,
        ));
        lines.push(compare(
            incl_item,
            half(ours, |a| a.incl_tax),
            half(theirs, |a| a.incl_tax),
            options.amount_tolerance,
        ));
    }
    let (eu, ru) = (&expected.total_usage, &reported.total_usage);
    lines.push(compare(
        CheckItem::UsageEnergy,
        Some(eu.energy),
        Some(ru.energy),
        options.energy_tolerance_wh,
    ));
    let t = options.time_tolerance_s;
    lines.push(compare(
        CheckItem::UsageChargingTime,
        Some(eu.charging_time.into()),
        Some(ru.charging_time.into()),
        t,
    ));
    lines.push(compare(
        CheckItem::UsageIdleTime,
        Some(eu.idle_time.into()),
        Some(ru.idle_time.into()),
        t,
    ));
    lines.push(compare(
        CheckItem::UsageReservationTime,
        eu.reservation_time.map(Decimal::from),
        ru.reservation_time.map(Decimal::from),
        t,
    ));
    if !expected.charging_periods.is_empty() && !reported.charging_periods.is_empty() {
        let n = |d: &CostDetails| Some(Decimal::from(d.charging_periods.len()));
        lines.push(compare(
            CheckItem::PeriodCount,
            n(&expected),
            n(reported),
            Decimal::ZERO,
        ));
    }
    let verdict = if reported.failure_to_calculate == Some(true) {
        CheckVerdict::StationFailed
    } else if expected.failure_to_calculate == Some(true) {
        CheckVerdict::NotCalculable
    } else if e.currency != r.currency || e.type_of_cost != r.type_of_cost {
        CheckVerdict::DifferentBasis
    } else if lines.iter().all(|l| l.ok) {
        CheckVerdict::Match
    } else {
        CheckVerdict::Mismatch
    };
    Ok(CostCheck {
        verdict,
        lines,
        expected,
    })
}

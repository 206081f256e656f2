//! OCPP 2.1 station tariffs as both bindings call them: the tariff given as `TariffType`
//! JSON (text or parsed), changes mid-transaction as `(instant, tariff)` pairs, the site's
//! time zone as an IANA name (UTC when absent; an unknown one is
//! [`Error::UnknownTimezone`]), the station's report as `CostDetailsType` JSON, and a check
//! report whose expected figure is JSON text in OCPP field names.

use crate::session::Session;
use crate::station_tariff::{
    self, CheckItem, CheckOptions, CheckVerdict, ConditionKind, CostDetails, EvseKind,
    LocalCostOptions, StationCapabilities, StationTariff, TariffTimeline,
};
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// What a station can handle, as the bindings pass it: absent lists mean "no restriction"
/// (every condition, both EVSE kinds), the currency is ISO 4217 text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StationLimits {
    /// The most prices per dimension (`None`: no limit).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub max_elements: Option<u32>,
    /// The conditions the station evaluates (`None`: all).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub supported_conditions: Option<Vec<ConditionKind>>,
    /// The station's EVSE kinds (`None`: AC and DC).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub evse_kinds: Option<Vec<EvseKind>>,
    /// Ids of tariffs already installed.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub existing_tariff_ids: Vec<String>,
    /// The station's configured currency, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub currency: Option<String>,
}

impl StationLimits {
    /// The station's capabilities; an unreadable currency is [`Error::InvalidCurrency`].
    ///
    /// ```
    /// use chargekit::boundary::station_tariff::StationLimits;
    /// let caps = StationLimits { max_elements: Some(2), ..StationLimits::default() }
    ///     .capabilities()
    ///     .unwrap();
    /// assert_eq!(caps.max_elements, Some(2));
    /// assert!(!caps.supported_conditions.is_empty());
    /// ```
    pub fn capabilities(&self) -> Result<StationCapabilities, Error> {
        let all = StationCapabilities::default();
        Ok(StationCapabilities {
            max_elements: self.max_elements,
            supported_conditions: self
                .supported_conditions
                .clone()
                .unwrap_or(all.supported_conditions),
            evse_kinds: self.evse_kinds.clone().unwrap_or(all.evse_kinds),
            existing_tariff_ids: self.existing_tariff_ids.clone(),
            currency: self.currency.as_deref().map(str::parse).transpose()?,
        })
    }
}

/// The calculation options of a station in `timezone` (an IANA name; `None`: UTC).
pub fn cost_options(timezone: Option<&str>) -> Result<LocalCostOptions, Error> {
    let tz = match timezone {
        None => chrono_tz::Tz::UTC,
        Some(name) => crate::calendar::parse_timezone(name)?,
    };
    Ok(LocalCostOptions::new(tz))
}

/// The tariff in force from the start, changed at each instant of `changes` (in any order).
pub fn timeline(
    initial: StationTariff,
    changes: Vec<(DateTime<Utc>, StationTariff)>,
) -> TariffTimeline {
    let mut changes = changes;
    changes.sort_by_key(|c| c.0);
    changes
        .into_iter()
        .fold(TariffTimeline::new(initial), |tl, (at, t)| {
            tl.change_at(at, t)
        })
}

/// The cost a 2.1 station calculates for `session` up to `at` (`None`: its end or latest
/// data), as `CostDetailsType` JSON.
///
/// ```
/// use chargekit::boundary::station_tariff::cost_details_json;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::session::sessions_from_log;
/// use chargekit::station_tariff::StationTariff;
/// let log = r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
/// [3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]
/// [2,"2","StopTransaction",{"transactionId":5,"meterStop":10000,"timestamp":"2026-03-10T09:00:00Z"}]"#;
/// let s = &sessions_from_log("CP", log, None, &MeterPolicy::default()).unwrap()[0];
/// let t = StationTariff::from_json(r#"{"tariffId":"t1","currency":"EUR",
///     "energy":{"prices":[{"priceKwh":0.30}]}}"#).unwrap();
/// let d = cost_details_json(s, t, Vec::new(), None, Some("Europe/Amsterdam")).unwrap();
/// // 10 kWh × 0.30 = 3.00
/// assert_eq!(d["totalCost"]["total"]["exclTax"].to_string(), "3");
/// ```
pub fn cost_details_json(
    session: &Session,
    tariff: StationTariff,
    changes: Vec<(DateTime<Utc>, StationTariff)>,
    at: Option<DateTime<Utc>>,
    timezone: Option<&str>,
) -> Result<crate::json::Value, Error> {
    let options = cost_options(timezone)?;
    station_tariff::cost_details(session, &timeline(tariff, changes), at, &options)
        .map(|d| d.tree())
}

/// The instant the running cost (including tax) first reaches `max_cost` (`None`: the
/// session's own 2.1 `transactionLimit.maxCost`), or `None` when it does not, or when there
/// is no limit.
pub fn cost_limit_instant(
    session: &Session,
    tariff: StationTariff,
    changes: Vec<(DateTime<Utc>, StationTariff)>,
    max_cost: Option<Decimal>,
    timezone: Option<&str>,
) -> Result<Option<DateTime<Utc>>, Error> {
    let Some(max_cost) = max_cost.or(session.max_cost) else {
        return Ok(None);
    };
    let basis = station_tariff::CostLimitBasis::InclTax;
    let (tl, options) = (timeline(tariff, changes), cost_options(timezone)?);
    station_tariff::cost_limit_reached(session, &tl, max_cost, basis, &options)
}

/// One figure of a check, chargekit's against the station's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CostCheckLine {
    /// What is compared, e.g. `energy.exclTax`.
    pub item: CheckItem,
    /// chargekit's figure.
    pub expected: Option<Decimal>,
    /// The station's figure.
    pub reported: Option<Decimal>,
    /// Reported minus expected.
    pub difference: Option<Decimal>,
    /// Within the tolerance.
    pub ok: bool,
}

/// A station's `costDetails` checked against chargekit's own calculation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CostCheckReport {
    /// The overall verdict.
    pub verdict: CheckVerdict,
    /// Every figure compared.
    pub lines: Vec<CostCheckLine>,
    /// The figures that differ beyond the tolerance.
    pub differences: Vec<CostCheckLine>,
    /// chargekit's own `CostDetailsType`, as JSON text.
    pub expected_json: String,
}

/// Checks the station's `reported` cost details (`CostDetailsType` JSON text) against
/// chargekit's calculation with the same tariffs; `tolerance` is the amount two money
/// figures may differ by (default 0: exact at the currency's minor units).
pub fn check_report(
    session: &Session,
    tariff: StationTariff,
    changes: Vec<(DateTime<Utc>, StationTariff)>,
    reported: &str,
    at: Option<DateTime<Utc>>,
    timezone: Option<&str>,
    tolerance: Option<Decimal>,
) -> Result<CostCheckReport, Error> {
    let reported = CostDetails::from_json(reported)?;
    let options = CheckOptions {
        cost: cost_options(timezone)?,
        amount_tolerance: tolerance.unwrap_or(Decimal::ZERO),
        ..CheckOptions::default()
    };
    let check = station_tariff::check_cost_details(
        session,
        &timeline(tariff, changes),
        at,
        &reported,
        &options,
    )?;
    let lines: Vec<CostCheckLine> = check
        .lines
        .iter()
        .map(|l| CostCheckLine {
            item: l.item,
            expected: l.expected,
            reported: l.reported,
            difference: l.difference,
            ok: l.ok,
        })
        .collect();
    Ok(CostCheckReport {
        verdict: check.verdict,
        differences: lines.iter().filter(|l| !l.ok).cloned().collect(),
        lines,
        expected_json: check.expected.to_json(),
    })
}

//! How a station answers a tariff: `SetDefaultTariff` and `ChangeTransactionTariff`.

use super::condition::{ConditionKind, EvseKind};
use super::model::StationTariff;
use crate::enums::wire_enum;
use crate::tariff::Currency;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `TariffSetStatusEnumType`: a station's answer to `SetDefaultTariff`.
    ///
    /// ```
    /// use chargekit::station_tariff::TariffSetStatus;
    /// assert_eq!(TariffSetStatus::ConditionNotSupported.as_str(), "ConditionNotSupported");
    /// ```
    pub enum TariffSetStatus {
        /// Installed.
        Accepted = "Accepted",
        /// Refused for another reason (e.g. a currency the station does not charge in).
        Rejected = "Rejected",
        /// A dimension has more prices than the station's `MaxElements[Tariff]`.
        TooManyElements = "TooManyElements",
        /// A condition the station cannot evaluate.
        ConditionNotSupported = "ConditionNotSupported",
        /// A tariff with this id is already installed.
        DuplicateTariffId = "DuplicateTariffId",
    }
}

wire_enum! {
    /// `TariffChangeStatusEnumType`: a station's answer to `ChangeTransactionTariff`.
    ///
    /// ```
    /// use chargekit::station_tariff::TariffChangeStatus;
    /// assert_eq!(TariffChangeStatus::NoCurrencyChange.as_str(), "NoCurrencyChange");
    /// ```
    pub enum TariffChangeStatus {
        /// The new tariff applies from now on.
        Accepted = "Accepted",
        /// Refused for another reason.
        Rejected = "Rejected",
        /// A dimension has more prices than the station supports.
        TooManyElements = "TooManyElements",
        /// A condition the station cannot evaluate.
        ConditionNotSupported = "ConditionNotSupported",
        /// No such transaction is running.
        TxNotFound = "TxNotFound",
        /// The new tariff's currency differs from the running one's.
        NoCurrencyChange = "NoCurrencyChange",
    }
}

/// What a station can handle (its `TariffCostCtrlr` configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StationCapabilities {
    /// `MaxElements[Tariff]`: the most prices in each of energy, chargingTime, idleTime and
    /// fixedFee (and, chargekit's choice, in reservationTime and reservationFixed).
    /// `None`: no limit.
    pub max_elements: Option<u32>,
    /// The conditions the station evaluates. Empty: `ConditionsSupported[Tariff]` false.
    pub supported_conditions: Vec<ConditionKind>,
    /// The kinds of EVSE the station has (an `evseKind` condition for another kind is
    /// accepted but can never apply; [`TariffValidation::notes`] says so).
    pub evse_kinds: Vec<EvseKind>,
    /// Ids of tariffs already installed.
    pub existing_tariff_ids: Vec<String>,
    /// `TariffCostCtrlr.Currency`: the currency the station charges in, if configured.
    pub currency: Option<Currency>,
}

impl Default for StationCapabilities {
    /// A station without limits that supports every condition and both EVSE kinds.
    fn default() -> Self {
        StationCapabilities {
            max_elements: None,
            supported_conditions: ConditionKind::ALL.to_vec(),
            evse_kinds: EvseKind::ALL.to_vec(),
            existing_tariff_ids: Vec::new(),
            currency: None,
        }
    }
}

/// One reason behind a station's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ValidationReason {
    /// The answer this reason leads to.
    pub status: TariffSetStatus,
    /// JSON path, e.g. `$.energy.prices[2].conditions.minPower`.
    pub path: String,
    /// Plain English.
    pub message: String,
}

/// A station's answer to a tariff, with every reason found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TariffValidation {
    /// The answer: the highest-ranked reason's status, or `Accepted`.
    pub status: TariffSetStatus,
    /// Every reason not to accept, ranked as `status` is chosen.
    pub reasons: Vec<ValidationReason>,
    /// Accepted but notable (e.g. a price that can never apply on this station).
    pub notes: Vec<String>,
}

/// The rank of a refusal: `Rejected` (currency) first, then a duplicate id, then too many
/// elements, then an unsupported condition.
fn rank(s: TariffSetStatus) -> u8 {
    match s {
        TariffSetStatus::Rejected => 0,
        TariffSetStatus::DuplicateTariffId => 1,
        TariffSetStatus::TooManyElements => 2,
        TariffSetStatus::ConditionNotSupported => 3,
        TariffSetStatus::Accepted => 4,
    }
}

/// One price list of a tariff: its JSON name, its length and the conditions of each price.
type PriceList = (
    &'static str,
    usize,
    Vec<Vec<ConditionKind>>,
    Vec<Option<EvseKind>>,
);

fn price_lists(t: &StationTariff) -> Vec<PriceList> {
    let mut out = Vec::new();
    if let Some(e) = &t.energy {
        out.push((
            "energy",
            e.prices.len(),
            e.prices
                .iter()
                .map(|p| p.conditions.as_ref().map(|c| c.kinds()).unwrap_or_default())
                .collect(),
            e.prices
                .iter()
                .map(|p| p.conditions.as_ref().and_then(|c| c.calendar.evse_kind))
                .collect(),
        ));
    }
    for (name, tt) in t.time_dimensions() {
        if let Some(tt) = tt {
            out.push((
                name,
                tt.prices.len(),
                tt.prices
                    .iter()
                    .map(|p| p.conditions.as_ref().map(|c| c.kinds()).unwrap_or_default())
                    .collect(),
                tt.prices
                    .iter()
                    .map(|p| p.conditions.as_ref().and_then(|c| c.calendar.evse_kind))
                    .collect(),
            ));
        }
    }
    for (name, f) in [
        ("fixedFee", &t.fixed_fee),
        ("reservationFixed", &t.reservation_fixed),
    ] {
        if let Some(f) = f {
            out.push((
                name,
                f.prices.len(),
                f.prices
                    .iter()
                    .map(|p| p.conditions.as_ref().map(|c| c.kinds()).unwrap_or_default())
                    .collect(),
                f.prices
                    .iter()
                    .map(|p| p.conditions.as_ref().and_then(|c| c.calendar.evse_kind))
                    .collect(),
            ));
        }
    }
    out
}

pub(super) fn validate(t: &StationTariff, caps: &StationCapabilities) -> TariffValidation {
    let mut reasons = Vec::new();
    let mut notes = Vec::new();
    if let Some(c) = caps.currency {
        if c != t.currency {
            reasons.push(ValidationReason {
                status: TariffSetStatus::Rejected,
                path: "$.currency".into(),
                message: format!(
                    "the station charges in {c}, the tariff is in {}",
                    t.currency
                ),
            });
        }
    }
    if caps.existing_tariff_ids.contains(&t.tariff_id) {
        reasons.push(ValidationReason {
            status: TariffSetStatus::DuplicateTariffId,
            path: "$.tariffId".into(),
            message: format!("a tariff with id {:?} is already installed", t.tariff_id),
        });
    }
    for (name, len, conditions, kinds) in price_lists(t) {
        if let Some(max) = caps.max_elements {
            if len > max as usize {
                reasons.push(ValidationReason {
                    status: TariffSetStatus::TooManyElements,
                    path: format!("$.{name}.prices"),
                    message: format!("{len} prices, the station supports at most {max}"),
                });
            }
        }
        for (i, kinds_set) in conditions.iter().enumerate() {
            for k in kinds_set {
                if !caps.supported_conditions.contains(k) {
                    reasons.push(ValidationReason {
                        status: TariffSetStatus::ConditionNotSupported,
                        path: format!("$.{name}.prices[{i}].conditions.{k}"),
                        message: format!("the station does not evaluate {k} conditions"),
                    });
                }
            }
        }
        for (i, k) in kinds.iter().enumerate() {
            if let Some(k) = k {
                if !caps.evse_kinds.contains(k) {
                    notes.push(format!(
                        "$.{name}.prices[{i}] applies only to {k} EVSEs, which this station does not have"
                    ));
                }
            }
        }
    }
    reasons.sort_by_key(|r| rank(r.status));
    TariffValidation {
        status: reasons
            .first()
            .map_or(TariffSetStatus::Accepted, |r| r.status),
        reasons,
        notes,
    }
}

pub(super) fn validate_change(
    t: &StationTariff,
    running: Option<&StationTariff>,
    caps: &StationCapabilities,
) -> (TariffChangeStatus, TariffValidation) {
    let Some(running) = running else {
        return (TariffChangeStatus::TxNotFound, validate(t, caps));
    };
    if running.currency != t.currency {
        return (TariffChangeStatus::NoCurrencyChange, validate(t, caps));
    }
    // A changed tariff replaces the transaction's own: its id may be an installed one.
    let caps = StationCapabilities {
        existing_tariff_ids: Vec::new(),
        ..caps.clone()
    };
    let v = validate(t, &caps);
    let status = match v.status {
        TariffSetStatus::Accepted => TariffChangeStatus::Accepted,
        TariffSetStatus::TooManyElements => TariffChangeStatus::TooManyElements,
        TariffSetStatus::ConditionNotSupported => TariffChangeStatus::ConditionNotSupported,
        TariffSetStatus::Rejected | TariffSetStatus::DuplicateTariffId => {
            TariffChangeStatus::Rejected
        }
    };
    (status, v)
}

impl StationTariff {
    /// The answer a station with `caps` gives to this tariff in `SetDefaultTariff`, with
    /// every reason. When several apply, the status is the first of `Rejected` (another
    /// currency), `DuplicateTariffId`, `TooManyElements`, `ConditionNotSupported`.
    ///
    /// ```
    /// use chargekit::station_tariff::{ConditionKind, StationCapabilities, StationTariff, TariffSetStatus};
    /// let t = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR","energy":{"prices":[
    ///   {"priceKwh":0.20,"conditions":{"startTimeOfDay":"23:00","endTimeOfDay":"07:00"}},
    ///   {"priceKwh":0.35}]}}"#).unwrap();
    /// let caps = StationCapabilities { supported_conditions: vec![], ..StationCapabilities::default() };
    /// let v = t.validate(&caps);
    /// assert_eq!(v.status, TariffSetStatus::ConditionNotSupported);
    /// assert_eq!(v.reasons[0].path, "$.energy.prices[0].conditions.startTimeOfDay");
    /// assert_eq!(t.validate(&StationCapabilities::default()).status, TariffSetStatus::Accepted);
    /// ```
    pub fn validate(&self, caps: &StationCapabilities) -> TariffValidation {
        validate(self, caps)
    }

    /// The answer to this tariff in `ChangeTransactionTariff` for a transaction running
    /// under `running` (`None`: no such transaction, `TxNotFound`). A different currency
    /// is `NoCurrencyChange`; the tariff id may repeat an installed one.
    pub fn validate_change(
        &self,
        running: Option<&StationTariff>,
        caps: &StationCapabilities,
    ) -> (TariffChangeStatus, TariffValidation) {
        validate_change(self, running, caps)
    }
}

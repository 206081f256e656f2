//! OCPP 2.1 station tariffs (`chargekit::station_tariff`): `StationTariff`, the cost a 2.1
//! station calculates for a `Session`, and the check of a station's reported cost. The
//! records (`TariffValidation`, `StationLimits`, `CostCheckReport`, …) are the core's.

use std::sync::Arc;

use chargekit::boundary::station_tariff::{self as boundary, CostCheckReport, StationLimits};
use chargekit::station_tariff::{StationTariff as CoreStationTariff, TariffValidation};

use crate::session::Session;
use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

/// An OCPP 2.1 station tariff (`TariffType`), read strictly from its JSON.
#[derive(Debug, uniffi::Object)]
pub struct StationTariff(CoreStationTariff);

/// A tariff taking over at an instant of a transaction (`ChangeTransactionTariff`).
#[derive(uniffi::Record)]
pub struct StationTariffChange {
    /// When the new tariff applies.
    pub at: UtcInstant,
    /// The new tariff.
    pub tariff: Arc<StationTariff>,
}

fn timeline(changes: Vec<StationTariffChange>) -> Vec<(UtcInstant, CoreStationTariff)> {
    changes
        .into_iter()
        .map(|c| (c.at, c.tariff.0.clone()))
        .collect()
}

#[uniffi::export]
impl StationTariff {
    /// Reads a `TariffType` (JSON text); a field of the wrong type or shape is a typed error
    /// naming it.
    #[uniffi::constructor]
    pub fn new(json: String) -> Result<Self, ChargekitError> {
        guarded(|| CoreStationTariff::from_json(&json)).map(Self)
    }

    /// The tariff id.
    pub fn tariff_id(&self) -> String {
        self.0.tariff_id.clone()
    }

    /// The ISO 4217 currency.
    pub fn currency(&self) -> String {
        self.0.currency.to_string()
    }

    /// The tariff as compact JSON text (OCPP field names).
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The answer a station with `limits` gives (`SetDefaultTariffResponse` status, with
    /// every reason); without limits, a station that supports everything.
    #[uniffi::method(default(limits = None))]
    pub fn validate(
        &self,
        limits: Option<StationLimits>,
    ) -> Result<TariffValidation, ChargekitError> {
        guarded(|| {
            let caps = limits.unwrap_or_default().capabilities()?;
            Ok::<_, ChargekitError>(self.0.validate(&caps))
        })
    }
}

#[uniffi::export]
impl Session {
    /// The cost a 2.1 station calculates locally under `tariff` (and `changes`), up to `at`
    /// (null: the end or latest data), as `CostDetailsType` JSON text; `timezone`: the
    /// station's IANA zone for time-of-day conditions (null: UTC).
    #[uniffi::method(default(at = None, timezone = None, changes = []))]
    pub fn cost_details(
        &self,
        tariff: Arc<StationTariff>,
        at: Option<UtcInstant>,
        timezone: Option<String>,
        changes: Vec<StationTariffChange>,
    ) -> Result<String, ChargekitError> {
        guarded(|| {
            boundary::cost_details_json(
                self.core(),
                tariff.0.clone(),
                timeline(changes),
                at,
                timezone.as_deref(),
            )
            .map(|v| v.to_string())
        })
    }
}

/// A station's reported `costDetails` (JSON text) checked against chargekit's calculation
/// with the same tariffs; `tolerance`: how far money figures may differ (null: exact).
#[uniffi::export(default(at = None, timezone = None, changes = [], tolerance = None))]
pub fn check_cost_details(
    session: Arc<Session>,
    tariff: Arc<StationTariff>,
    reported_json: String,
    at: Option<UtcInstant>,
    timezone: Option<String>,
    changes: Vec<StationTariffChange>,
    tolerance: Option<ExactDecimal>,
) -> Result<CostCheckReport, ChargekitError> {
    guarded(|| {
        let reported: serde_json::Value =
            serde_json::from_str(&reported_json).map_err(|e| ChargekitError::TariffJson {
                reason: e.to_string(),
            })?;
        boundary::check_report(
            session.core(),
            tariff.0.clone(),
            timeline(changes),
            &reported,
            at,
            timezone.as_deref(),
            tolerance,
        )
    })
}

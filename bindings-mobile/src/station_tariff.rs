//! OCPP 2.1 station tariffs (`chargekit::station_tariff`): `StationTariff`, the cost a 2.1
//! station calculates for a `Session`, and the check of a station's reported cost. The
//! records (`TariffValidation`, `StationLimits`, `CostCheckReport`, …) are the core's.

use std::sync::Arc;

use chargekit::boundary::station_tariff::{self as boundary, CostCheckReport, StationLimits};
use chargekit::station_tariff::{
    ConversionLoss, StationLintFinding, StationTariff as CoreStationTariff, TariffValidation,
};
use chargekit::tariff::{Explanation, Language, OcpiVersion};

use crate::session::Session;
use crate::tariff::Tariff;
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

/// An OCPI tariff as an OCPP 2.1 station tariff, and what could not be carried over.
#[derive(uniffi::Record)]
pub struct StationFromOcpi {
    /// The station tariff.
    pub tariff: Arc<StationTariff>,
    /// What was left out or changed, each with its JSON path.
    pub losses: Vec<ConversionLoss>,
}

/// A station tariff as OCPI tariff JSON, and what could not be carried over.
#[derive(uniffi::Record)]
pub struct StationToOcpi {
    /// The OCPI tariff (JSON text).
    pub tariff_json: String,
    /// What was left out or changed, each with its JSON path.
    pub losses: Vec<ConversionLoss>,
}

/// An OCPI tariff converted to an OCPP 2.1 station tariff, with the losses.
#[uniffi::export]
pub fn station_tariff_from_ocpi(tariff: Arc<Tariff>) -> Result<StationFromOcpi, ChargekitError> {
    guarded(|| {
        let (t, losses) = CoreStationTariff::from_ocpi(tariff.core());
        Ok::<_, ChargekitError>(StationFromOcpi {
            tariff: Arc::new(StationTariff(t)),
            losses,
        })
    })
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

    /// Findings a tariff author would want to know (shadowed prices, reversed bounds, …).
    pub fn lint(&self) -> Vec<StationLintFinding> {
        self.0.lint()
    }

    /// The tariff in plain language (English by default, or Dutch).
    #[uniffi::method(default(language = None))]
    pub fn explain(&self, language: Option<Language>) -> Explanation {
        self.0.explain(language.unwrap_or_default())
    }

    /// The tariff as OCPI JSON (2.2.1 by default), with what could not be carried over.
    #[uniffi::method(default(version = None))]
    pub fn to_ocpi(&self, version: Option<OcpiVersion>) -> Result<StationToOcpi, ChargekitError> {
        let v = version.unwrap_or(OcpiVersion::V221);
        guarded(|| {
            let (t, losses) = self.0.to_ocpi(v)?;
            Ok::<_, ChargekitError>(StationToOcpi {
                tariff_json: t.to_ocpi_json(v),
                losses,
            })
        })
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

#[uniffi::export]
impl Session {
    /// OCPP 2.1: the transaction's cost limit (`transactionLimit.maxCost`), if set.
    pub fn max_cost(&self) -> Option<ExactDecimal> {
        self.core().max_cost
    }

    /// When the running cost (including tax) under `tariff` (and `changes`) first reaches
    /// `maxCost` (null: the transaction's own limit), or null when it does not.
    #[uniffi::method(default(max_cost = None, timezone = None, changes = []))]
    pub fn cost_limit_reached(
        &self,
        tariff: Arc<StationTariff>,
        max_cost: Option<ExactDecimal>,
        timezone: Option<String>,
        changes: Vec<StationTariffChange>,
    ) -> Result<Option<UtcInstant>, ChargekitError> {
        guarded(|| {
            let (t, c) = (tariff.0.clone(), timeline(changes));
            boundary::cost_limit_instant(self.core(), t, c, max_cost, timezone.as_deref())
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
        boundary::check_report(
            session.core(),
            tariff.0.clone(),
            timeline(changes),
            &reported_json,
            at,
            timezone.as_deref(),
            tolerance,
        )
    })
}

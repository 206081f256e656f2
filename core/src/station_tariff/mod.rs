//! OCPP 2.1 station tariffs: the `TariffType` a CSMS sends to a station, how a station
//! answers it, and the cost a station calculates locally and reports in
//! `TransactionEvent.costDetails`.
//!
//! Owns: [`StationTariff`] and its parts, [`CostDetails`], station-side validation
//! ([`StationTariff::validate`]), lint ([`StationTariff::lint`]), plain-language
//! explanations ([`StationTariff::explain`]), conversion to and from OCPI
//! ([`StationTariff::from_ocpi`], [`StationTariff::to_ocpi`]), the local cost
//! calculation ([`cost_details`]) and the check of a station's report
//! ([`check_cost_details`]). Imports: `session` (the metered transaction), `tariff`
//! (currency, time of day, explanations), `billing` (price-boundary helpers) and the
//! foundation.
//!
//! The rules, and every choice made where OCPP 2.1 leaves room, are written down in
//! `docs/station-tariffs.md`.

mod check;
mod condition;
mod convert;
mod cost;
mod details;
mod explain;
mod json;
mod lint;
mod model;
mod validate;

pub use check::{check_cost_details, CheckItem, CheckLine, CheckOptions, CheckVerdict, CostCheck};
pub use condition::{
    CalendarConditions, ConditionKind, EvseKind, FixedConditions, TariffConditions,
};
pub use convert::{ConversionLoss, ConversionLossKind};
pub use cost::{
    cost_details, cost_limit_reached, with_taxes, CostLimitBasis, CostRounding, LocalCostOptions,
    PeriodReporting, Reservation, TariffTimeline, UnmatchedPrice, UsageChargingTime,
};
pub use details::{
    Amount, CostDetails, CostDimension, CostDimensionKind, CostPeriod, TotalCost, TotalUsage,
    TypeOfCost,
};
pub use lint::{StationLintFinding, StationLintRule};
pub use model::{
    EnergyPrice, FixedPrice, MessageContent, MessageFormat, Price, StationTariff, TariffEnergy,
    TariffFixed, TariffTime, TaxRate, TimePrice,
};
pub use validate::{
    StationCapabilities, TariffChangeStatus, TariffSetStatus, TariffValidation, ValidationReason,
};

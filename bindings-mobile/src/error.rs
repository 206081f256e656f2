//! The one error type of the binding: every variant of core's `OcppError`,
//! `MeterError`, `SessionError`, `ProfileError`, `OcmfError`, `TariffError`,
//! `BillingError`, `AnalyticsError`, `FeedbackError` and `PlanningError`, with
//! typed fields, plus `Internal` for a panic caught at the boundary.
//!
//! Kotlin sees a sealed class `ChargekitException` with one subclass per
//! variant; Swift an `enum ChargekitError: Error`. Field names avoid `message`,
//! which would clash with Kotlin's `Throwable.message`.

use chargekit::analytics::AnalyticsError;
use chargekit::billing::BillingError;
use chargekit::feedback::FeedbackError;
use chargekit::meter::MeterError;
use chargekit::ocpp::OcppError;
use chargekit::planning::PlanningError;
use chargekit::profile::ProfileError;
use chargekit::session::SessionError;
use chargekit::signed::OcmfError;
use chargekit::tariff::TariffError;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::types::{ExactDecimal, UtcInstant};

/// Everything that can go wrong in a chargekit call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum ChargekitError {
    /// The text is not valid JSON.
    #[error("invalid JSON{}: {reason}", line.map(|l| format!(" on line {l}")).unwrap_or_default())]
    InvalidJson {
        /// 1-based line for line-delimited input.
        line: Option<u64>,
        /// What the JSON parser reported.
        reason: String,
    },
    /// Valid JSON that is not an OCPP-J frame.
    #[error("frame {index}: not an OCPP-J frame: {reason}")]
    InvalidFrame {
        /// 0-based position of the frame in the input.
        index: u64,
        /// Why the frame was refused.
        reason: String,
    },
    /// A payload field has the wrong type, an unknown enum value, or a required field is missing.
    #[error("{action}: field `{field}`: {reason}")]
    InvalidPayload {
        /// The OCPP action whose payload failed.
        action: String,
        /// Path of the offending field, e.g. `meterValue[0].sampledValue[1].measurand`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The OCPP version is unknown or cannot be told from the input.
    #[error("OCPP version: {reason}")]
    Version {
        /// What is wrong.
        reason: String,
    },
    /// The input is larger than core's limit (`MAX_LOG_BYTES`).
    #[error("input of {bytes} bytes exceeds the limit")]
    TooLarge {
        /// Size of the input.
        bytes: u64,
    },
    /// The register went down and the policy's `negativeStep` is `ERROR`.
    #[error("register dropped from {from_wh} Wh to {to_wh} Wh at {at}")]
    NegativeStep {
        /// When.
        at: UtcInstant,
        /// Previous value, Wh.
        from_wh: ExactDecimal,
        /// New value, Wh.
        to_wh: ExactDecimal,
    },
    /// A meter policy given as JSON could not be read.
    #[error("meter policy: field `{field}`: {reason}")]
    InvalidPolicy {
        /// The offending field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A unit is not an OCPP unit and the policy's `unknownUnit` is `STRICT`.
    #[error("unknown unit {unit:?} in message {msg_id}")]
    UnknownUnit {
        /// The unit text.
        unit: String,
        /// The message.
        msg_id: String,
    },
    /// Exactly one session was expected.
    #[error("expected exactly one session, found {found}")]
    NotExactlyOne {
        /// How many were found.
        found: u64,
    },
    /// A charging profile (or another smart-charging document) is malformed: a field has the
    /// wrong type or an unknown value, or a required field is missing.
    #[error("invalid {what}: field `{field}`: {reason}")]
    InvalidProfile {
        /// What was being read, e.g. `ChargingProfile (2.0.1)`.
        what: String,
        /// Path of the offending field, e.g. `chargingSchedule[0].chargingRateUnit`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The station rejects the profile (SetChargingProfile status `Rejected`).
    #[error("rejected by {rule_id} ({rule}): {reason}")]
    ProfileRejected {
        /// The requirement id of the rule, e.g. `K01.FR.06` (`schema` for schema violations).
        rule_id: String,
        /// The stable name of the rule, e.g. `DuplicateValidity`.
        rule: String,
        /// Details: which period, which existing profile, ...
        reason: String,
    },
    /// The EVSE does not exist on this station.
    #[error("EVSE {evse_id} does not exist on this station")]
    UnknownEvse {
        /// The EVSE asked for.
        evse_id: u32,
    },
    /// The station configuration, its options or a version name are invalid.
    #[error("invalid configuration: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
    /// A profile cannot be expressed in the requested OCPP version.
    #[error("cannot express as OCPP {version}: {reason}")]
    NotRepresentable {
        /// The target version.
        version: String,
        /// Why.
        reason: String,
    },
    /// Charging preferences that cannot be planned at all (not merely unmet wishes).
    #[error("invalid preferences: {reason}")]
    InvalidPreferences {
        /// What is wrong.
        reason: String,
    },
    /// Signed data (OCMF): the input is empty.
    #[error("empty signed data")]
    OcmfEmpty,
    /// Signed data (OCMF): the input is longer than core's limit.
    #[error("signed data of {len} bytes exceeds the limit of {max} bytes")]
    OcmfTooLarge {
        /// Its length in bytes.
        len: u64,
        /// The limit.
        max: u64,
    },
    /// The record does not have the three `|`-separated sections.
    #[error("an OCMF record needs three sections separated by `|`: OCMF|payload|signature")]
    OcmfMissingSeparator,
    /// The first section is not `OCMF`.
    #[error("the record header is {found:?}, expected \"OCMF\"")]
    OcmfBadHeader {
        /// What was found (at most 16 characters).
        found: String,
    },
    /// The payload section is not a JSON object.
    #[error("payload is not valid JSON: {reason}")]
    OcmfPayloadJson {
        /// The JSON error.
        reason: String,
    },
    /// The signature section is not a JSON object.
    #[error("signature section is not valid JSON: {reason}")]
    OcmfSignatureJson {
        /// The JSON error.
        reason: String,
    },
    /// A payload or signature field is missing or has the wrong form.
    #[error("field {field}: {reason}")]
    OcmfField {
        /// The field, e.g. `RD[1].TM`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The signature section has no signature (`SD` absent or empty).
    #[error("the record carries no signature (SD is absent or empty)")]
    OcmfNoSignature,
    /// `SD` is not valid in its encoding (`SE`: hex or base64).
    #[error("signature value: {reason}")]
    OcmfSignatureEncoding {
        /// What is wrong.
        reason: String,
    },
    /// The decoded signature is neither DER nor raw `r‖s` of the curve's size.
    #[error("signature structure: {reason}")]
    OcmfSignatureFormat {
        /// What is wrong.
        reason: String,
    },
    /// The public key cannot be decoded.
    #[error("public key: {reason}")]
    OcmfPublicKey {
        /// What is wrong.
        reason: String,
    },
    /// A recognised signed format other than OCMF (Alfen, EDL40/SML, PCDF, RSA "SAFE seal").
    #[error("signed data in format {format} is recognised but not supported")]
    OcmfUnsupportedFormat {
        /// The format name, e.g. `alfen`.
        format: String,
    },
    /// A transport container (OCPP 1.6 value, OCPP 2.0.1 `signedMeterValue`, OCPI
    /// `signed_data`) could not be read.
    #[error("signed-data container: {reason}")]
    OcmfContainer {
        /// What is wrong.
        reason: String,
    },
    /// A tariff is not JSON.
    #[error("tariff is not valid JSON: {reason}")]
    TariffJson {
        /// What the JSON parser reported.
        reason: String,
    },
    /// A required tariff field is absent.
    #[error("tariff field `{path}` is required")]
    TariffMissingField {
        /// JSON path of the field, e.g. `$.elements[0].price_components`.
        path: String,
    },
    /// A tariff field has a value that cannot be used.
    #[error("tariff field `{path}` is invalid: {reason}")]
    TariffInvalidField {
        /// JSON path of the field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A tariff needs at least one element.
    #[error("a tariff needs at least one element")]
    TariffNoElements,
    /// A currency code is not three ASCII letters.
    #[error("{code:?} is not an ISO 4217 currency code")]
    InvalidCurrency {
        /// As written.
        code: String,
    },
    /// A time of day is not `HH:MM` between 00:00 and 23:59.
    #[error("{text:?} is not a time of day HH:MM (00:00-23:59)")]
    InvalidTimeOfDay {
        /// As written.
        text: String,
    },
    /// The CDR is not JSON or lacks what pricing needs.
    #[error("CDR field `{path}`: {reason}")]
    InvalidCdr {
        /// JSON path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// No tariff was given, or none is valid at the session start.
    #[error("no tariff is valid at {at} (of {offered} offered)")]
    NoValidTariff {
        /// Session start.
        at: UtcInstant,
        /// How many tariffs were offered.
        offered: u64,
    },
    /// The CDR and the tariff use different currencies; chargekit never converts.
    #[error("currency mismatch: the CDR is in {cdr}, tariff {tariff_id} in {tariff}")]
    CurrencyMismatch {
        /// CDR currency.
        cdr: String,
        /// Tariff id.
        tariff_id: String,
        /// Tariff currency.
        tariff: String,
    },
    /// The time zone is unknown and cannot be inferred from the country.
    #[error("unknown time zone {name:?}; pass one explicitly (IANA name, e.g. Europe/Amsterdam)")]
    UnknownTimezone {
        /// As given.
        name: String,
    },
    /// The session has no periods to price.
    #[error("nothing to price: the session has no periods")]
    NoPeriods,
    /// A pricing policy could not be read.
    #[error("invalid policy: {reason}")]
    InvalidPricingPolicy {
        /// What is wrong.
        reason: String,
    },
    /// An analytics period must end after it starts.
    #[error("empty period: {start} is not before {end}")]
    EmptyPeriod {
        /// Start.
        start: UtcInstant,
        /// End.
        end: UtcInstant,
    },
    /// Analytics periods are limited to 100 years.
    #[error("a period of {days} days is longer than the 100-year limit")]
    PeriodTooLong {
        /// Its length in days.
        days: i64,
    },
    /// A date beyond the calendar's range.
    #[error("date out of range")]
    DateOutOfRange,
    /// Analytics options given as JSON could not be read.
    #[error("options: field `{field}`: {reason}")]
    InvalidAnalyticsOptions {
        /// The offending field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// An accumulator needs the period in its options.
    #[error("the summary options name no period; an accumulator needs one")]
    MissingPeriod,
    /// No session to derive a period from.
    #[error("no session to derive the period from")]
    NoSessions,
    /// Accumulators made with different options cannot be merged.
    #[error("cannot merge accumulators made with different options")]
    IncompatibleAccumulators,
    /// A shard of a parallel summary did not finish.
    #[error("a shard of the parallel summary failed")]
    ShardFailed,
    /// A CSV export's header matches no known shape or lacks a required column.
    #[error("CSV header: {reason}")]
    CsvHeader {
        /// What is wrong.
        reason: String,
    },
    /// Stars must be 1 to 5.
    #[error("stars must be 1 to 5, got {stars}")]
    InvalidStars {
        /// As given.
        stars: u8,
    },
    /// Feedback input given as JSON could not be read.
    #[error("field `{field}`: {reason}")]
    InvalidFeedback {
        /// The offending field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The reliability KPIs need a period.
    #[error("the reliability options name no period")]
    ReliabilityMissingPeriod,
    /// A planning request field has a value the planner cannot use.
    #[error("invalid field `{field}`: {reason}")]
    InvalidPlanningField {
        /// Path of the field, e.g. `ev.max_power_w` or `sessions[2].departure`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A planning request given as JSON is malformed or a field has the wrong type.
    #[error("invalid JSON: field `{field}`: {reason}")]
    InvalidPlanningJson {
        /// Path of the offending field (`.` for the document).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The price series does not cover an instant of the planning window.
    #[error("no price for {at}: the price series must cover the window from its start")]
    MissingPrice {
        /// The first instant without a price.
        at: UtcInstant,
    },
    /// A bug in chargekit: a panic caught at the language boundary. Please report it.
    #[error("internal error in chargekit: {reason}")]
    Internal {
        /// The panic message.
        reason: String,
    },
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl From<OcppError> for ChargekitError {
    fn from(e: OcppError) -> Self {
        match e {
            OcppError::InvalidJson { line, message } => Self::InvalidJson {
                line: line.map(wide),
                reason: message,
            },
            OcppError::InvalidFrame { index, reason } => Self::InvalidFrame {
                index: wide(index),
                reason,
            },
            OcppError::InvalidPayload {
                action,
                field,
                message,
            } => Self::InvalidPayload {
                action,
                field,
                reason: message,
            },
            OcppError::Version(reason) => Self::Version { reason },
            OcppError::TooLarge(bytes) => Self::TooLarge { bytes: wide(bytes) },
        }
    }
}

impl From<MeterError> for ChargekitError {
    fn from(e: MeterError) -> Self {
        match e {
            MeterError::NegativeStep { at, from_wh, to_wh } => {
                Self::NegativeStep { at, from_wh, to_wh }
            }
            MeterError::InvalidPolicy { field, message } => Self::InvalidPolicy {
                field,
                reason: message,
            },
            MeterError::UnknownUnit { unit, msg_id } => Self::UnknownUnit { unit, msg_id },
        }
    }
}

impl From<SessionError> for ChargekitError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Ocpp(e) => e.into(),
            SessionError::Meter(e) => e.into(),
            SessionError::NotExactlyOne { found } => Self::NotExactlyOne { found: wide(found) },
        }
    }
}

impl From<ProfileError> for ChargekitError {
    fn from(e: ProfileError) -> Self {
        match e {
            ProfileError::InvalidJson {
                what,
                field,
                message,
            } => Self::InvalidProfile {
                what,
                field,
                reason: message,
            },
            ProfileError::Rejected { rule, message } => Self::ProfileRejected {
                rule_id: rule.id().to_string(),
                rule: rule.name().to_string(),
                reason: message,
            },
            ProfileError::UnknownEvse { evse_id } => Self::UnknownEvse { evse_id },
            ProfileError::InvalidConfig(reason) => Self::InvalidConfig { reason },
            ProfileError::NotRepresentable { version, message } => Self::NotRepresentable {
                version: version.to_string(),
                reason: message,
            },
            ProfileError::InvalidPreferences(reason) => Self::InvalidPreferences { reason },
        }
    }
}

impl From<OcmfError> for ChargekitError {
    fn from(e: OcmfError) -> Self {
        match e {
            OcmfError::Empty => Self::OcmfEmpty,
            OcmfError::TooLarge { len, max } => Self::OcmfTooLarge {
                len: wide(len),
                max: wide(max),
            },
            OcmfError::MissingSeparator => Self::OcmfMissingSeparator,
            OcmfError::BadHeader { found } => Self::OcmfBadHeader { found },
            OcmfError::PayloadJson { message } => Self::OcmfPayloadJson { reason: message },
            OcmfError::SignatureJson { message } => Self::OcmfSignatureJson { reason: message },
            OcmfError::Field { field, message } => Self::OcmfField {
                field,
                reason: message,
            },
            OcmfError::NoSignature => Self::OcmfNoSignature,
            OcmfError::SignatureEncoding { message } => {
                Self::OcmfSignatureEncoding { reason: message }
            }
            OcmfError::SignatureFormat { message } => Self::OcmfSignatureFormat { reason: message },
            OcmfError::PublicKey { message } => Self::OcmfPublicKey { reason: message },
            OcmfError::UnsupportedFormat { format } => Self::OcmfUnsupportedFormat { format },
            OcmfError::Container { message } => Self::OcmfContainer { reason: message },
        }
    }
}

impl From<TariffError> for ChargekitError {
    fn from(e: TariffError) -> Self {
        match e {
            TariffError::Json(reason) => Self::TariffJson { reason },
            TariffError::MissingField { path } => Self::TariffMissingField { path },
            TariffError::InvalidField { path, message } => Self::TariffInvalidField {
                path,
                reason: message,
            },
            TariffError::NoElements => Self::TariffNoElements,
            TariffError::InvalidCurrency(code) => Self::InvalidCurrency { code },
            TariffError::InvalidTimeOfDay(text) => Self::InvalidTimeOfDay { text },
        }
    }
}

impl From<BillingError> for ChargekitError {
    fn from(e: BillingError) -> Self {
        match e {
            BillingError::Tariff(e) => e.into(),
            BillingError::InvalidCdr { path, message } => Self::InvalidCdr {
                path,
                reason: message,
            },
            BillingError::NoValidTariff { at, offered } => Self::NoValidTariff {
                at,
                offered: wide(offered),
            },
            BillingError::CurrencyMismatch {
                cdr,
                tariff_id,
                tariff,
            } => Self::CurrencyMismatch {
                cdr: cdr.to_string(),
                tariff_id,
                tariff: tariff.to_string(),
            },
            BillingError::UnknownTimezone(name) => Self::UnknownTimezone { name },
            BillingError::NoPeriods => Self::NoPeriods,
            BillingError::InvalidPolicy(reason) => Self::InvalidPricingPolicy { reason },
        }
    }
}

impl From<AnalyticsError> for ChargekitError {
    fn from(e: AnalyticsError) -> Self {
        match e {
            AnalyticsError::EmptyPeriod { start, end } => Self::EmptyPeriod { start, end },
            AnalyticsError::PeriodTooLong { days } => Self::PeriodTooLong { days },
            AnalyticsError::DateOutOfRange => Self::DateOutOfRange,
            AnalyticsError::InvalidOptions { field, message } => Self::InvalidAnalyticsOptions {
                field,
                reason: message,
            },
            AnalyticsError::MissingPeriod => Self::MissingPeriod,
            AnalyticsError::NoSessions => Self::NoSessions,
            AnalyticsError::IncompatibleAccumulators => Self::IncompatibleAccumulators,
            AnalyticsError::ShardFailed => Self::ShardFailed,
            AnalyticsError::CsvHeader(reason) => Self::CsvHeader { reason },
        }
    }
}

impl From<FeedbackError> for ChargekitError {
    fn from(e: FeedbackError) -> Self {
        match e {
            FeedbackError::InvalidStars(stars) => Self::InvalidStars { stars },
            FeedbackError::InvalidInput { field, message } => Self::InvalidFeedback {
                field,
                reason: message,
            },
            FeedbackError::MissingPeriod => Self::ReliabilityMissingPeriod,
        }
    }
}

impl From<PlanningError> for ChargekitError {
    fn from(e: PlanningError) -> Self {
        match e {
            PlanningError::InvalidField { field, message } => Self::InvalidPlanningField {
                field,
                reason: message,
            },
            PlanningError::InvalidJson { field, message } => Self::InvalidPlanningJson {
                field,
                reason: message,
            },
            PlanningError::MissingPrice { at } => Self::MissingPrice { at },
            PlanningError::Billing(e) => e.into(),
            PlanningError::Profile(e) => e.into(),
        }
    }
}

/// Runs a call into core and turns a panic into [`ChargekitError::Internal`].
///
/// UniFFI 0.32 also catches panics (its `rust_call` wraps every scaffolding function in
/// `catch_unwind` and reports `CALL_UNEXPECTED_ERROR`, which Kotlin raises as
/// `InternalException` and Swift as `UniffiInternalError.rustPanic`). Catching here as
/// well gives callers the typed error they already handle.
pub(crate) fn guarded<T, E>(call: impl FnOnce() -> Result<T, E>) -> Result<T, ChargekitError>
where
    E: Into<ChargekitError>,
{
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result.map_err(Into::into),
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic without a message".to_string());
            Err(ChargekitError::Internal { reason })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_a_typed_error() {
        let r: Result<(), ChargekitError> = guarded(|| -> Result<(), ChargekitError> {
            panic!("boom {}", 42);
        });
        assert_eq!(
            r,
            Err(ChargekitError::Internal {
                reason: "boom 42".into()
            })
        );
    }

    #[test]
    fn ocmf_errors_keep_cores_wording() {
        let errors = [
            OcmfError::Empty,
            OcmfError::TooLarge { len: 9, max: 8 },
            OcmfError::MissingSeparator,
            OcmfError::BadHeader {
                found: "OCMX".into(),
            },
            OcmfError::PayloadJson {
                message: "EOF".into(),
            },
            OcmfError::SignatureJson {
                message: "EOF".into(),
            },
            OcmfError::Field {
                field: "RD[1].TM".into(),
                message: "bad time".into(),
            },
            OcmfError::NoSignature,
            OcmfError::SignatureEncoding {
                message: "odd".into(),
            },
            OcmfError::SignatureFormat {
                message: "short".into(),
            },
            OcmfError::PublicKey {
                message: "junk".into(),
            },
            OcmfError::UnsupportedFormat {
                format: "alfen".into(),
            },
            OcmfError::Container {
                message: "no array".into(),
            },
        ];
        for e in errors {
            let text = e.to_string();
            assert_eq!(ChargekitError::from(e).to_string(), text);
        }
    }

    #[test]
    fn tariff_and_billing_errors_keep_cores_wording() {
        let tariff = [
            TariffError::Json("EOF".into()),
            TariffError::MissingField {
                path: "$.elements".into(),
            },
            TariffError::InvalidField {
                path: "$.id".into(),
                message: "not a string".into(),
            },
            TariffError::NoElements,
            TariffError::InvalidCurrency("euro".into()),
            TariffError::InvalidTimeOfDay("24:00".into()),
        ];
        for e in tariff {
            let text = e.to_string();
            assert_eq!(ChargekitError::from(e).to_string(), text);
        }
        let billing = [
            BillingError::InvalidCdr {
                path: "$".into(),
                message: "EOF".into(),
            },
            BillingError::NoValidTariff {
                at: chrono::DateTime::UNIX_EPOCH,
                offered: 2,
            },
            BillingError::UnknownTimezone("Mars/Olympus".into()),
            BillingError::NoPeriods,
            BillingError::InvalidPolicy("nope".into()),
        ];
        for e in billing {
            let text = e.to_string();
            assert_eq!(ChargekitError::from(e).to_string(), text);
        }
        let e: ChargekitError = BillingError::Tariff(TariffError::NoElements).into();
        assert_eq!(e, ChargekitError::TariffNoElements);
    }

    #[test]
    fn analytics_and_feedback_errors_keep_cores_wording() {
        let t = chrono::DateTime::UNIX_EPOCH;
        let analytics = [
            AnalyticsError::EmptyPeriod { start: t, end: t },
            AnalyticsError::PeriodTooLong { days: 40_000 },
            AnalyticsError::DateOutOfRange,
            AnalyticsError::InvalidOptions {
                field: "tz".into(),
                message: "unknown".into(),
            },
            AnalyticsError::MissingPeriod,
            AnalyticsError::NoSessions,
            AnalyticsError::IncompatibleAccumulators,
            AnalyticsError::ShardFailed,
            AnalyticsError::CsvHeader("no columns".into()),
        ];
        for e in analytics {
            let text = e.to_string();
            assert_eq!(ChargekitError::from(e).to_string(), text);
        }
        let feedback = [
            FeedbackError::InvalidStars(6),
            FeedbackError::InvalidInput {
                field: "stars".into(),
                message: "6".into(),
            },
            FeedbackError::MissingPeriod,
        ];
        for e in feedback {
            let text = e.to_string();
            assert_eq!(ChargekitError::from(e).to_string(), text);
        }
    }

    #[test]
    fn every_core_variant_keeps_its_fields() {
        let e: ChargekitError = SessionError::NotExactlyOne { found: 3 }.into();
        assert_eq!(e, ChargekitError::NotExactlyOne { found: 3 });
        let e: ChargekitError = SessionError::Ocpp(OcppError::InvalidPayload {
            action: "MeterValues".into(),
            field: "connectorId".into(),
            message: "invalid type".into(),
        })
        .into();
        assert_eq!(
            e.to_string(),
            "MeterValues: field `connectorId`: invalid type"
        );
        let e: ChargekitError = OcppError::InvalidJson {
            line: Some(2),
            message: "EOF".into(),
        }
        .into();
        assert_eq!(e.to_string(), "invalid JSON on line 2: EOF");
    }
}

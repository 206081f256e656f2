//! The one error type of chargekit, and the table the bindings build theirs from.
//!
//! Owns: [`Error`], one variant per kind of failure, each with a stable snake_case name
//! ([`Error::kind`]) and typed fields; [`Error::KINDS`] and [`Error::GROUPS`], the same
//! information as data; [`catch_panic`], the guard every binding call runs under.
//! Imports: nothing of chargekit (foundation layer).
//!
//! One name per kind in every language: the kind `invalid_payload` is the Rust variant
//! `Error::InvalidPayload`, the Python class `chargekit.InvalidPayloadError` (under its
//! group class `chargekit.OcppError`) and the Kotlin class
//! `ChargekitException.InvalidPayload` / Swift case `ChargekitError.InvalidPayload`, with the
//! fields `action`, `field` and `reason` everywhere.
//!
//! ```
//! use chargekit::error::{Error, FieldType};
//! use chargekit::session::sessions_from_log;
//! use chargekit::meter::MeterPolicy;
//!
//! let err = sessions_from_log("CP-1", "[2, \"1\", \"MeterValues\"", None, &MeterPolicy::default())
//!     .unwrap_err();
//! assert_eq!((err.kind(), err.group()), ("invalid_json", "ocpp"));
//! let row = Error::KINDS.iter().find(|k| k.name == "invalid_json").unwrap();
//! assert_eq!(row.python_class(), "InvalidJsonError");
//! assert_eq!(row.fields[0].name, "line");
//! assert_eq!((row.fields[0].ty, row.fields[0].optional), (FieldType::Integer, true));
//! ```

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// chargekit's error type. Named `ChargekitError` so that it keeps that name in Kotlin
/// (`ChargekitException`) and Swift; Rust code says `chargekit::Error`.
pub type Error = ChargekitError;

/// `Result` with chargekit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a field of an error kind crosses to other languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text (`str`, `String`).
    Text,
    /// A whole number (`int`, `Long`/`ULong`/`UInt`...).
    Integer,
    /// An exact decimal (`Decimal`, `BigDecimal`).
    Decimal,
    /// A UTC instant (aware `datetime`, `Instant`, `Date`).
    Instant,
}

/// One field of an error kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorField {
    /// The field name, the same in every language (snake_case; camelCase in Kotlin/Swift).
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// Whether it may be absent (`None`, `null`, `nil`).
    pub optional: bool,
    /// What it holds.
    pub doc: &'static str,
}

/// One kind of error: a row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorKind {
    /// The stable snake_case name, e.g. `invalid_payload`.
    pub name: &'static str,
    /// The group it belongs to (see [`Error::GROUPS`]).
    pub group: &'static str,
    /// What it means.
    pub doc: &'static str,
    /// Its fields, in declaration order.
    pub fields: &'static [ErrorField],
}

impl ErrorKind {
    /// The Python exception class: the name in CamelCase plus `Error`
    /// (`invalid_payload` → `InvalidPayloadError`).
    pub fn python_class(&self) -> String {
        camel(self.name) + "Error"
    }

    /// The Rust variant, Kotlin exception subclass and Swift case (lower camel in Swift):
    /// the name in CamelCase (`invalid_payload` → `InvalidPayload`).
    pub fn variant(&self) -> String {
        camel(self.name)
    }
}

/// A group of kinds: a Python base class under `ChargekitError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorGroup {
    /// The group name, e.g. `ocpp`.
    pub name: &'static str,
    /// Its Python class, e.g. `OcppError` (`ChargekitError` for kinds directly under the root).
    pub python_class: &'static str,
    /// What its kinds have in common.
    pub doc: &'static str,
}

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The type of an error field as the table states it.
trait Field {
    const TY: FieldType;
    const OPTIONAL: bool = false;
}
impl Field for String {
    const TY: FieldType = FieldType::Text;
}
impl Field for u64 {
    const TY: FieldType = FieldType::Integer;
}
impl Field for u32 {
    const TY: FieldType = FieldType::Integer;
}
impl Field for u8 {
    const TY: FieldType = FieldType::Integer;
}
impl Field for i64 {
    const TY: FieldType = FieldType::Integer;
}
impl Field for Decimal {
    const TY: FieldType = FieldType::Decimal;
}
impl Field for DateTime<Utc> {
    const TY: FieldType = FieldType::Instant;
}
impl<T: Field> Field for Option<T> {
    const TY: FieldType = T::TY;
    const OPTIONAL: bool = true;
}

macro_rules! error_table {
    (
        $(
            $(#[doc = $gdoc:literal])*
            group $group:ident = $gclass:literal {
                $(
                    $(#[doc = $vdoc:literal])*
                    #[error($($msg:tt)+)]
                    $variant:ident = $kind:literal $({
                        $( $(#[doc = $fdoc:literal])* $field:ident : $fty:ty ),* $(,)?
                    })?
                ),+ $(,)?
            }
        )+
    ) => {
        /// Everything that can go wrong in chargekit, one variant per kind (see the module
        /// text). `Display` gives a sentence for people; [`Error::kind`] the stable name.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
        #[serde(tag = "kind")]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Error))]
        #[cfg_attr(feature = "uniffi", uniffi::export(Display))]
        pub enum ChargekitError {
            $($(
                $(#[doc = $vdoc])*
                #[error($($msg)+)]
                #[serde(rename = $kind)]
                $variant $({ $( $(#[doc = $fdoc])* $field: $fty ),* })?,
            )+)+
        }

        impl ChargekitError {
            /// Every kind, grouped, in declaration order.
            pub const KINDS: &'static [ErrorKind] = &[
                $($(
                    ErrorKind {
                        name: $kind,
                        group: stringify!($group),
                        doc: concat!($($vdoc, "\n"),*),
                        fields: &[$($(
                            ErrorField {
                                name: stringify!($field),
                                ty: <$fty as Field>::TY,
                                optional: <$fty as Field>::OPTIONAL,
                                doc: concat!($($fdoc, "\n"),*),
                            },
                        )*)?],
                    },
                )+)+
            ];

            /// The groups, in declaration order.
            pub const GROUPS: &'static [ErrorGroup] = &[
                $(ErrorGroup {
                    name: stringify!($group),
                    python_class: $gclass,
                    doc: concat!($($gdoc, "\n"),*),
                },)+
            ];

            /// The stable snake_case name of this error's kind, e.g. `invalid_payload`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $($( ChargekitError::$variant { .. } => $kind, )+)+
                }
            }

            /// The group of this error's kind, e.g. `ocpp`.
            pub fn group(&self) -> &'static str {
                match self {
                    $($( ChargekitError::$variant { .. } => stringify!($group), )+)+
                }
            }
        }
    };
}

error_table! {
    /// The OCPP input could not be read.
    group ocpp = "OcppError" {
        /// The text is not valid JSON.
        #[error("invalid JSON{}: {reason}", line.map(|l| format!(" on line {l}")).unwrap_or_default())]
        InvalidJson = "invalid_json" {
            /// 1-based line for line-delimited input, else absent.
            line: Option<u64>,
            /// What the JSON parser reported.
            reason: String,
        },
        /// Valid JSON that is not an OCPP-J frame.
        #[error("frame {index}: not an OCPP-J frame: {reason}")]
        InvalidFrame = "invalid_frame" {
            /// 0-based position of the frame in the input.
            index: u64,
            /// Why the frame was refused.
            reason: String,
        },
        /// A payload field has the wrong type, an unknown enum value, or a required field
        /// is missing.
        #[error("{action}: field `{field}`: {reason}")]
        InvalidPayload = "invalid_payload" {
            /// The OCPP action whose payload failed.
            action: String,
            /// Path of the offending field, e.g. `meterValue[0].sampledValue[1].measurand`.
            field: String,
            /// What is wrong with it.
            reason: String,
        },
        /// The OCPP version is unknown, cannot be told from the input, or a message does not
        /// belong to the input's version.
        #[error("OCPP version: {reason}")]
        UnsupportedVersion = "unsupported_version" {
            /// What is wrong.
            reason: String,
        },
        /// The input is larger than the limit.
        #[error("input of {size} bytes exceeds the limit of {limit} bytes")]
        InputTooLarge = "input_too_large" {
            /// Size of the input, bytes.
            size: u64,
            /// The limit, bytes.
            limit: u64,
        },
    }

    /// The meter data violates a strict policy, or a policy cannot be read.
    group meter = "MeterError" {
        /// The register went down and the policy's `negative_step` is `error`.
        #[error("register dropped from {from_wh} Wh to {to_wh} Wh at {at}")]
        NegativeStep = "negative_step" {
            /// When.
            at: DateTime<Utc>,
            /// Previous value, Wh.
            from_wh: Decimal,
            /// New value, Wh.
            to_wh: Decimal,
        },
        /// A unit is not an OCPP unit and the policy's `unknown_unit` is `strict`.
        #[error("unknown unit {unit:?} in message {message_id}")]
        UnknownUnit = "unknown_unit" {
            /// The unit text.
            unit: String,
            /// The OCPP message id.
            message_id: String,
        },
        /// A meter policy could not be read.
        #[error("meter policy: field `{field}`: {reason}")]
        InvalidPolicy = "invalid_policy" {
            /// The offending field.
            field: String,
            /// What is wrong.
            reason: String,
        },
    }

    /// Sessions could not be formed as asked.
    group session = "SessionError" {
        /// Exactly one session was expected.
        #[error("expected exactly one session in the log, found {found}")]
        NotExactlyOneSession = "not_exactly_one_session" {
            /// How many were found.
            found: u64,
        },
        /// Bytes given as an assembler checkpoint are not one: truncated, corrupted, or
        /// not a checkpoint at all.
        #[error("invalid checkpoint: {reason}")]
        InvalidSnapshot = "invalid_snapshot" {
            /// What is wrong.
            reason: String,
        },
        /// A checkpoint written in a format version this build does not read.
        #[error("checkpoint format version {found} is not supported (this build reads {supported})")]
        UnsupportedSnapshotVersion = "unsupported_snapshot_version" {
            /// The version in the checkpoint.
            found: u32,
            /// The version this build reads.
            supported: u32,
        },
    }

    /// Charging profiles, smart-charging stations and preferences.
    group profile = "ProfileError" {
        /// A charging profile (or another smart-charging document) is malformed: a field has
        /// the wrong type or an unknown value, or a required field is missing.
        #[error("invalid {what}: field `{field}`: {reason}")]
        InvalidProfile = "invalid_profile" {
            /// What was being read, e.g. `ChargingProfile (2.0.1)`.
            what: String,
            /// Path of the offending field, e.g. `chargingSchedule[0].chargingRateUnit`.
            field: String,
            /// What is wrong with it.
            reason: String,
        },
        /// The station rejects the profile (SetChargingProfile status `Rejected`).
        #[error("rejected by {rule_id} ({rule_name}): {reason}")]
        ProfileRejected = "profile_rejected" {
            /// The requirement id of the rule, e.g. `K01.FR.06` (`schema` for schema
            /// violations).
            rule_id: String,
            /// The stable name of the rule, e.g. `DuplicateValidity`.
            rule_name: String,
            /// Details: which period, which existing profile, ...
            reason: String,
        },
        /// The EVSE does not exist on this station.
        #[error("EVSE {evse_id} does not exist on this station")]
        UnknownEvse = "unknown_evse" {
            /// The EVSE asked for.
            evse_id: u32,
        },
        /// The station configuration, its options or a version name are invalid.
        #[error("invalid configuration: {reason}")]
        InvalidStationConfig = "invalid_station_config" {
            /// What is wrong.
            reason: String,
        },
        /// A profile cannot be expressed in the requested OCPP version.
        #[error("cannot express as OCPP {version}: {reason}")]
        NotRepresentable = "not_representable" {
            /// The target version, e.g. `1.6`.
            version: String,
            /// Why.
            reason: String,
        },
        /// Charging preferences that cannot be planned at all (not merely unmet wishes).
        #[error("invalid preferences: {reason}")]
        InvalidPreferences = "invalid_preferences" {
            /// What is wrong.
            reason: String,
        },
        /// A composite schedule asked for longer than the limit.
        #[error("a composite schedule of {duration_s} s exceeds the limit of {limit_s} s")]
        CompositeTooLong = "composite_too_long" {
            /// The duration asked for (saturated at the largest 64-bit value).
            duration_s: i64,
            /// [`MAX_COMPOSITE_DURATION_S`](crate::profile::MAX_COMPOSITE_DURATION_S).
            limit_s: i64,
        },
    }

    /// An OCPI tariff could not be read.
    group tariff = "TariffError" {
        /// A tariff is not JSON.
        #[error("tariff is not valid JSON: {reason}")]
        TariffJson = "tariff_json" {
            /// What the JSON parser reported.
            reason: String,
        },
        /// A required tariff field is absent.
        #[error("tariff field `{path}` is required")]
        MissingTariffField = "missing_tariff_field" {
            /// JSON path of the field, e.g. `$.elements[0].price_components`.
            path: String,
        },
        /// A tariff field has a value that cannot be used.
        #[error("tariff field `{path}` is invalid: {reason}")]
        InvalidTariffField = "invalid_tariff_field" {
            /// JSON path of the field.
            path: String,
            /// What is wrong.
            reason: String,
        },
        /// A tariff needs at least one element.
        #[error("a tariff needs at least one element")]
        NoTariffElements = "no_tariff_elements",
        /// A currency code is not three ASCII letters.
        #[error("{currency:?} is not an ISO 4217 currency code")]
        InvalidCurrency = "invalid_currency" {
            /// As written.
            currency: String,
        },
        /// A time of day is not `HH:MM` between 00:00 and 23:59.
        #[error("{value:?} is not a time of day HH:MM (00:00-23:59)")]
        InvalidTimeOfDay = "invalid_time_of_day" {
            /// As written.
            value: String,
        },
        /// An OCPI version chargekit does not read or write.
        #[error("OCPI version {version:?} is not supported; expected 2.1.1, 2.2.1 or 2.3.0")]
        UnsupportedOcpiVersion = "unsupported_ocpi_version" {
            /// As written.
            version: String,
        },
    }

    /// A CDR or session could not be priced.
    group billing = "BillingError" {
        /// The CDR is not JSON or lacks what pricing needs.
        #[error("CDR field `{path}`: {reason}")]
        InvalidCdr = "invalid_cdr" {
            /// JSON path.
            path: String,
            /// What is wrong.
            reason: String,
        },
        /// No tariff was given, or none is valid at the session start.
        #[error("no tariff is valid at {at} (of {offered} offered)")]
        NoValidTariff = "no_valid_tariff" {
            /// Session start.
            at: DateTime<Utc>,
            /// How many tariffs were offered.
            offered: u64,
        },
        /// The CDR and the tariff use different currencies; chargekit never converts.
        #[error("currency mismatch: the CDR is in {cdr_currency}, tariff {tariff_id} in {tariff_currency}")]
        CurrencyMismatch = "currency_mismatch" {
            /// The CDR's ISO 4217 currency.
            cdr_currency: String,
            /// The tariff's id.
            tariff_id: String,
            /// The tariff's ISO 4217 currency.
            tariff_currency: String,
        },
        /// The time zone is unknown and cannot be inferred from the country.
        #[error("unknown time zone {timezone:?}; pass one explicitly (IANA name, e.g. Europe/Amsterdam)")]
        UnknownTimezone = "unknown_timezone" {
            /// As given.
            timezone: String,
        },
        /// The session has no periods to price.
        #[error("nothing to price: the session has no periods")]
        NoPeriods = "no_periods",
        /// A pricing policy could not be read.
        #[error("invalid policy: {reason}")]
        InvalidPricingPolicy = "invalid_pricing_policy" {
            /// What is wrong.
            reason: String,
        },
    }

    /// Site analytics could not be computed.
    group analytics = "AnalyticsError" {
        /// A period must end after it starts.
        #[error("empty period: {start} is not before {end}")]
        EmptyPeriod = "empty_period" {
            /// Start.
            start: DateTime<Utc>,
            /// End.
            end: DateTime<Utc>,
        },
        /// Periods are limited to 100 years.
        #[error("a period of {days} days is longer than the 100-year limit")]
        PeriodTooLong = "period_too_long" {
            /// Its length in days.
            days: i64,
        },
        /// A date beyond the calendar's range.
        #[error("date out of range")]
        DateOutOfRange = "date_out_of_range",
        /// Analytics options, or a session record given as data, could not be read.
        #[error("options: field `{field}`: {reason}")]
        InvalidAnalyticsOptions = "invalid_analytics_options" {
            /// The offending field.
            field: String,
            /// What is wrong.
            reason: String,
        },
        /// An accumulator needs the period in its options.
        #[error("the summary options name no period; an accumulator needs one")]
        MissingPeriod = "missing_period",
        /// No session to derive a period from.
        #[error("no session to derive the period from")]
        NoSessions = "no_sessions",
        /// Accumulators made with different options cannot be merged.
        #[error("cannot merge accumulators made with different options")]
        IncompatibleAccumulators = "incompatible_accumulators",
        /// A shard of a parallel summary did not finish.
        #[error("a shard of the parallel summary failed")]
        ShardFailed = "shard_failed",
        /// A CSV export's header matches no known shape or lacks a required column.
        #[error("CSV header: {reason}")]
        CsvHeader = "csv_header" {
            /// What is wrong.
            reason: String,
        },
    }

    /// A charging plan or a site allocation could not be made.
    group planning = "PlanningError" {
        /// A planning request field has a value the planner cannot use.
        #[error("invalid field `{field}`: {reason}")]
        InvalidPlanningField = "invalid_planning_field" {
            /// Path of the field, e.g. `ev.max_power_w` or `sessions[2].departure`.
            field: String,
            /// What is wrong with it.
            reason: String,
        },
        /// A planning request given as JSON is malformed or a field has the wrong type.
        #[error("invalid JSON: field `{field}`: {reason}")]
        InvalidPlanningJson = "invalid_planning_json" {
            /// Path of the offending field (`.` for the document).
            field: String,
            /// What is wrong.
            reason: String,
        },
        /// The price series does not cover an instant of the planning window.
        #[error("no price for {at}: the price series must cover the window from its start")]
        MissingPrice = "missing_price" {
            /// The first instant without a price.
            at: DateTime<Utc>,
        },
    }

    /// Driver feedback and reliability could not be scored.
    group feedback = "FeedbackError" {
        /// Stars must be 1 to 5.
        #[error("stars must be 1 to 5, got {stars}")]
        InvalidStars = "invalid_stars" {
            /// As given.
            stars: u8,
        },
        /// Feedback input given as data could not be read.
        #[error("field `{field}`: {reason}")]
        InvalidFeedback = "invalid_feedback" {
            /// The offending field.
            field: String,
            /// What is wrong.
            reason: String,
        },
        /// The reliability KPIs need a period.
        #[error("the reliability options name no period")]
        MissingReliabilityPeriod = "missing_reliability_period",
    }

    /// Signed meter values (OCMF) could not be read. A signature that does not verify is a
    /// verdict, not an error.
    group ocmf = "OcmfError" {
        /// The signed data is empty (or only whitespace).
        #[error("empty signed data")]
        EmptySignedData = "empty_signed_data",
        /// The signed data is longer than the limit.
        #[error("signed data of {size} bytes exceeds the limit of {limit} bytes")]
        SignedDataTooLarge = "signed_data_too_large" {
            /// Its length, bytes.
            size: u64,
            /// The limit, bytes.
            limit: u64,
        },
        /// The record does not have the three `|`-separated sections.
        #[error("an OCMF record needs three sections separated by `|`: OCMF|payload|signature")]
        MissingSeparator = "missing_separator",
        /// The first section is not `OCMF`.
        #[error("the record header is {found:?}, expected \"OCMF\"")]
        BadHeader = "bad_header" {
            /// What was found (at most 16 characters).
            found: String,
        },
        /// The payload section is not a JSON object.
        #[error("payload is not valid JSON: {reason}")]
        PayloadJson = "payload_json" {
            /// The JSON error.
            reason: String,
        },
        /// The signature section is not a JSON object.
        #[error("signature section is not valid JSON: {reason}")]
        SignatureJson = "signature_json" {
            /// The JSON error.
            reason: String,
        },
        /// A payload or signature field is missing or has the wrong form.
        #[error("field {field}: {reason}")]
        OcmfField = "ocmf_field" {
            /// The field, e.g. `RD[1].TM`.
            field: String,
            /// What is wrong.
            reason: String,
        },
        /// The signature section has no signature (`SD` absent or empty).
        #[error("the record carries no signature (SD is absent or empty)")]
        NoSignature = "no_signature",
        /// `SD` is not valid in its encoding (`SE`: hex or base64).
        #[error("signature value: {reason}")]
        SignatureEncoding = "signature_encoding" {
            /// What is wrong.
            reason: String,
        },
        /// The decoded signature is neither DER nor raw `r‖s` of the curve's size.
        #[error("signature structure: {reason}")]
        SignatureFormat = "signature_format" {
            /// What is wrong.
            reason: String,
        },
        /// The public key cannot be decoded.
        #[error("public key: {reason}")]
        PublicKey = "public_key" {
            /// What is wrong.
            reason: String,
        },
        /// A recognised signed format other than OCMF (Alfen, EDL40/SML, PCDF, RSA "SAFE
        /// seal"), which is not implemented.
        #[error("signed data in format {format} is recognised but not supported")]
        UnsupportedSignedFormat = "unsupported_signed_format" {
            /// The format name, e.g. `alfen`.
            format: String,
        },
        /// A transport container (OCPP 1.6 value, OCPP 2.0.1 `signedMeterValue`, OCPI
        /// `signed_data`) could not be read.
        #[error("signed-data container: {reason}")]
        SignedDataContainer = "signed_data_container" {
            /// What is wrong.
            reason: String,
        },
    }

    /// An Arrow table (module `arrow`) does not have the documented schema, or a value in
    /// it cannot be converted exactly.
    group arrow = "ArrowError" {
        /// A column is missing, has a type the schema does not allow, or is a timestamp
        /// without a time zone.
        #[error("Arrow column `{column}`: {reason}")]
        ArrowSchema = "arrow_schema" {
            /// The column's name.
            column: String,
            /// What is wrong with it.
            reason: String,
        },
        /// A value cannot cross exactly: a decimal with more scale than its column or out
        /// of range, a time out of range, a required value that is null.
        #[error("Arrow column `{column}`, row {row}: {reason}")]
        ArrowValue = "arrow_value" {
            /// The column's name.
            column: String,
            /// The 0-based row within its batch.
            row: u64,
            /// What is wrong with the value.
            reason: String,
        },
    }

    /// Kinds directly under the root class.
    group root = "ChargekitError" {
        /// A binding's argument whose value (not its type) cannot be used: a name that is
        /// not one of the accepted values (a language, a unit), a number out of range, or
        /// text that is not valid Unicode (a Python string holding a lone surrogate has no
        /// UTF-8 form).
        #[error("invalid {argument}: {reason}")]
        InvalidArgument = "invalid_argument" {
            /// The argument, or what in it (e.g. `a str value`).
            argument: String,
            /// What is wrong with it.
            reason: String,
        },
        /// An input beyond one of the size limits of [`crate::limits`].
        #[error("{what}: {size} exceeds the limit of {limit} ({name})")]
        TooLarge = "too_large" {
            /// What was counted, e.g. `readings of session CP-1/7`.
            what: String,
            /// How many there are (or would be).
            size: u64,
            /// The limit.
            limit: u64,
            /// The limit's constant in `chargekit::limits`, e.g. `MAX_SESSION_READINGS`.
            name: String,
        },
        /// A bug in chargekit: a panic caught at the language boundary. Please report it.
        #[error("internal error in chargekit: {reason}")]
        Internal = "internal" {
            /// The panic message.
            reason: String,
        },
    }
}

/// Runs a call and turns a panic into [`Error::Internal`], so that no panic crosses a
/// language boundary. Every binding call into core runs under it.
///
/// ```
/// use chargekit::error::{catch_panic, Error};
/// let r: Result<(), Error> = catch_panic(|| -> Result<(), Error> { panic!("boom {}", 42) });
/// assert_eq!(r, Err(Error::Internal { reason: "boom 42".into() }));
/// ```
pub fn catch_panic<T, E: Into<Error>>(call: impl FnOnce() -> Result<T, E>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result.map_err(Into::into),
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic without a message".to_string());
            Err(Error::Internal { reason })
        }
    }
}

/// A count or size as the `u64` the table uses (a `usize` never exceeds it in practice).
pub(crate) fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_snake_case_and_classes_follow_them() {
        let mut seen = HashSet::new();
        for k in Error::KINDS {
            assert!(seen.insert(k.name), "duplicate kind {}", k.name);
            assert!(k.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert!(
                Error::GROUPS.iter().any(|g| g.name == k.group),
                "{}",
                k.name
            );
            assert!(!k.doc.trim().is_empty(), "{} has no doc", k.name);
            assert!(k.fields.iter().all(|f| !f.doc.trim().is_empty()));
        }
        let row = |name: &str| Error::KINDS.iter().find(|k| k.name == name).copied();
        assert_eq!(
            row("not_exactly_one_session").map(|k| k.python_class()),
            Some("NotExactlyOneSessionError".into())
        );
        assert_eq!(
            row("invalid_payload").map(|k| k.variant()),
            Some("InvalidPayload".into())
        );
    }

    #[test]
    fn the_table_agrees_with_the_enum() {
        let samples = [
            Error::InvalidJson {
                line: Some(2),
                reason: "EOF".into(),
            },
            Error::NegativeStep {
                at: DateTime::UNIX_EPOCH,
                from_wh: Decimal::TEN,
                to_wh: Decimal::ONE,
            },
            Error::NoTariffElements,
            Error::Internal { reason: "x".into() },
        ];
        for e in samples {
            let value = serde_json::to_value(&e).unwrap_or_default();
            let row = Error::KINDS.iter().find(|k| k.name == e.kind());
            let row = row.map(|r| (r.group, r.fields.iter().map(|f| f.name).collect::<Vec<_>>()));
            let keys: Vec<&str> = value
                .as_object()
                .map(|o| {
                    o.keys()
                        .map(String::as_str)
                        .filter(|k| *k != "kind")
                        .collect()
                })
                .unwrap_or_default();
            let (group, fields) = row.unwrap_or_default();
            assert_eq!(group, e.group());
            let mut fields = fields;
            fields.sort_unstable();
            assert_eq!(keys, fields, "{}", e.kind());
            assert_eq!(value["kind"], e.kind());
        }
        assert_eq!(
            Error::InvalidJson {
                line: Some(2),
                reason: "EOF".into()
            }
            .to_string(),
            "invalid JSON on line 2: EOF"
        );
    }

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_a_typed_error() {
        let r: Result<()> = catch_panic(|| -> Result<()> { panic!("boom {}", 42) });
        assert_eq!(
            r,
            Err(Error::Internal {
                reason: "boom 42".into()
            })
        );
    }
}

//! Signed meter values: OCMF (Open Charge Metering Format) records, their
//! ECDSA signatures, the calibration-law ("Eichrecht") transaction checks and
//! the energy proven by signed readings of a session.
//!
//! The reference is OCMF rev 1.4.1 (see `shared/specs/ocmf.md`). The payload is
//! kept as the exact bytes the meter signed; the typed view ([`Payload`]) is
//! only for reading values, so a record is never re-serialised.
//!
//! * [`parse`] reads a record (`OCMF|{payload}|{signature}`, or one of the
//!   transport forms of [`SignedData::decode`]) into an [`OcmfRecord`].
//! * [`verify`] checks its signature against a public key and returns a
//!   [`Verification`] whose [`Verdict`] is `valid`, `invalid` or
//!   `unsupported_algorithm`, together with the parsed record.
//! * [`check_transaction`] runs the transaction-level checks on a begin/end pair
//!   and names each failed [`TransactionCheck`].
//! * [`proven_energy`] finds the signed readings of a [`crate::session::Session`]
//!   and reports the energy they prove.
//!
//! ```
//! use chargekit::signed::{parse, TxKind};
//! let record = r#"OCMF|{"FV":"1.0","PG":"T1","MS":"M1","IS":false,"IT":"NONE","RD":[{"TM":"2024-01-01T10:00:00,000+0000 S","TX":"B","RV":1.230,"RI":"1-b:1.8.0","RU":"kWh","ST":"G"}]}|{"SD":"00"}"#;
//! let r = parse(record).unwrap();
//! assert_eq!(r.payload.meter_serial.as_deref(), Some("M1"));
//! assert_eq!(r.payload.readings[0].transaction, Some(TxKind::Begin));
//! // The value keeps its written form: three decimals.
//! assert_eq!(r.payload.readings[0].value.to_string(), "1.230");
//! assert_eq!(r.payload.readings[0].value_text, "1.230");
//! ```

mod container;
mod crypto;
mod model;
mod obis;
mod parse;
mod proven;
mod time;
mod transaction;
mod verify;

pub use container::{Container, SignedData, SignedFormat};
pub use crypto::{Curve, KeyKind, PublicKey};
pub use model::{
    ChargePointIdType, CurrentType, Identification, IdentificationLevel, IdentificationType,
    LossCompensation, MeterStatus, OcmfReading, OcmfRecord, OcmfTime, Pagination,
    PaginationContext, ParseNote, Payload, ReadingUnit, ResistanceUnit, SignatureSection,
    TimeStatus, TxKind,
};
pub use obis::Obis;
pub use parse::{parse, MAX_RECORD_LEN};
pub use proven::{proven_energy, ProvenEnergy, UnreadableSignedData};
pub use transaction::{
    check_records, check_transaction, BillableEnergy, FailedCheck, SignedInput, TimeBilling,
    TransactionCheck, TransactionReport,
};
pub use verify::{verify, verify_record, Verdict, VerdictReason, Verification};

/// Errors of the signed-data module: the input could not be read as signed data.
///
/// A record that is well formed but whose signature does not match is not an
/// error: it is a [`Verification`] with [`Verdict::Invalid`].
///
/// ```
/// use chargekit::signed::{parse, OcmfError};
/// assert!(matches!(parse("OCMF|{}"), Err(OcmfError::MissingSeparator)));
/// assert_eq!(parse("OCMF|{}").unwrap_err().kind(), "missing_separator");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcmfError {
    /// The input is empty (or only whitespace).
    #[error("empty signed data")]
    Empty,
    /// The input is longer than [`MAX_RECORD_LEN`].
    #[error("signed data of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The record does not have the three `|`-separated sections.
    #[error("an OCMF record needs three sections separated by `|`: OCMF|payload|signature")]
    MissingSeparator,
    /// The first section is not `OCMF`.
    #[error("the record header is {found:?}, expected \"OCMF\"")]
    BadHeader {
        /// What was found (at most 16 characters).
        found: String,
    },
    /// The payload section is not a JSON object.
    #[error("payload is not valid JSON: {message}")]
    PayloadJson {
        /// The JSON error.
        message: String,
    },
    /// The signature section is not a JSON object.
    #[error("signature section is not valid JSON: {message}")]
    SignatureJson {
        /// The JSON error.
        message: String,
    },
    /// A payload or signature field is missing or has the wrong form.
    #[error("field {field}: {message}")]
    Field {
        /// The field, e.g. `RD[1].TM`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The signature section has no signature (`SD` absent or empty).
    #[error("the record carries no signature (SD is absent or empty)")]
    NoSignature,
    /// `SD` is not valid in its encoding (`SE`: hex or base64).
    #[error("signature value: {message}")]
    SignatureEncoding {
        /// What is wrong.
        message: String,
    },
    /// The decoded signature is neither DER nor raw `r‖s` of the curve's size.
    #[error("signature structure: {message}")]
    SignatureFormat {
        /// What is wrong.
        message: String,
    },
    /// The public key cannot be decoded.
    #[error("public key: {message}")]
    PublicKey {
        /// What is wrong.
        message: String,
    },
    /// The data is a recognised signed format other than OCMF (Alfen, EDL40/SML,
    /// PCDF, RSA "SAFE seal"), which is not implemented.
    #[error("signed data in format {format} is recognised but not supported")]
    UnsupportedFormat {
        /// The format name, e.g. `alfen`.
        format: String,
    },
    /// A transport container (OCPP 1.6 value, OCPP 2.0.1 `signedMeterValue`,
    /// OCPI `signed_data`) could not be read.
    #[error("signed-data container: {message}")]
    Container {
        /// What is wrong.
        message: String,
    },
}

impl OcmfError {
    /// A stable snake_case name for the kind of error, for bindings and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            OcmfError::Empty => "empty",
            OcmfError::TooLarge { .. } => "too_large",
            OcmfError::MissingSeparator => "missing_separator",
            OcmfError::BadHeader { .. } => "bad_header",
            OcmfError::PayloadJson { .. } => "payload_json",
            OcmfError::SignatureJson { .. } => "signature_json",
            OcmfError::Field { .. } => "field",
            OcmfError::NoSignature => "no_signature",
            OcmfError::SignatureEncoding { .. } => "signature_encoding",
            OcmfError::SignatureFormat { .. } => "signature_format",
            OcmfError::PublicKey { .. } => "public_key",
            OcmfError::UnsupportedFormat { .. } => "unsupported_format",
            OcmfError::Container { .. } => "container",
        }
    }

    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        OcmfError::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}

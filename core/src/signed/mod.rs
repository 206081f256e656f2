//! Signed meter values: OCMF (Open Charge Metering Format) records, their
//! ECDSA signatures, the calibration-law ("Eichrecht") transaction checks and
//! the energy proven by signed readings of a session.
//!
//! Owns: OCMF records, signature verification, the transaction checks and a session's
//! proven energy. Imports: `session`, `ocpp`, `meter` and the foundation.
//!
//! The reference is OCMF rev 1.4.1; the rules chargekit applies are written up in
//! `docs/ocmf.md`. The payload is kept as the exact bytes the meter signed; the typed
//! view ([`Payload`]) is only for reading values, so a record is never re-serialised.
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
#[cfg(feature = "aws-lc")]
mod fast_ecdsa;
mod model;
mod obis;
mod parse;
mod proven;
mod secp192k1;
mod time;
mod transaction;
mod verify;

use crate::Error;
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
pub use verify::{verify, verify_many, verify_record, Verdict, VerdictReason, Verification};

/// A payload or signature field that is missing or has the wrong form.
pub(crate) fn ocmf_field(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::OcmfField {
        field: field.into(),
        reason: reason.into(),
    }
}

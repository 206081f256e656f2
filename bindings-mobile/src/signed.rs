//! Signed meter values (OCMF): parsing, signature verification, the transaction
//! ("Eichrecht") checks and the energy a session's signed readings prove.
//!
//! A record whose signature does not match is not an error: `verifyOcmf` returns an
//! `OcmfVerification` with verdict `INVALID`. Errors (`ChargekitException`, group OCMF) are
//! for input that cannot be read at all. The records are the core's (`io.chargekit.core`).

use chargekit::signed::{
    check_records, check_transaction, parse, proven_energy, verify, verify_many, OcmfRecord,
    ProvenEnergy, SignedData, SignedInput, TimeBilling, TransactionReport, Verification,
};

use crate::session::Session;
use crate::{guarded, ChargekitError};

/// Parses an OCMF record (`OCMF|payload|signature`, or a transport form: hex, Base64,
/// OCPP 1.6 / 2.0.1 wrappers, OCPI) without checking its signature.
#[uniffi::export]
pub fn parse_ocmf(record: String) -> Result<OcmfRecord, ChargekitError> {
    guarded(|| parse(&record))
}

/// Verifies signed data with a public key (hex or Base64; SPKI DER or a raw point).
/// A readable record whose signature fails is a result with verdict `INVALID`, not an error.
#[uniffi::export]
pub fn verify_ocmf(data: String, public_key: String) -> Result<Verification, ChargekitError> {
    guarded(|| verify(&data, &public_key))
}

/// What `verifyOcmfMany` found for one record: its verification, or why it cannot be read.
#[derive(uniffi::Enum)]
#[expect(
    clippy::large_enum_variant,
    reason = "UniFFI copies each outcome to Kotlin/Swift at once; a Box would not be lowered"
)]
pub enum OcmfOutcome {
    /// The record was read; its verdict may still be `INVALID`.
    Verified {
        /// As `verifyOcmf` returns it.
        verification: Verification,
    },
    /// The record (or its key) cannot be read: what `verifyOcmf` would throw.
    Unreadable {
        /// The error.
        error: ChargekitError,
    },
}

/// `verifyOcmf` for each input, in order, decoding each distinct key once; one unreadable
/// record is an `Unreadable` outcome in its place and does not stop the others.
#[uniffi::export]
pub fn verify_ocmf_many(inputs: Vec<SignedInput>) -> Result<Vec<OcmfOutcome>, ChargekitError> {
    let results = guarded(|| Ok::<_, ChargekitError>(verify_many(&inputs)))?;
    Ok(results
        .into_iter()
        .map(|r| match r {
            Ok(verification) => OcmfOutcome::Verified { verification },
            Err(error) => OcmfOutcome::Unreadable { error },
        })
        .collect())
}

/// Checks a transaction given by its begin and end records (the same record twice for one
/// holding both readings), with law-accurate clocks required for a billable duration.
#[uniffi::export]
pub fn check_ocmf_transaction(
    begin: String,
    end: String,
    public_key: String,
) -> Result<TransactionReport, ChargekitError> {
    guarded(|| check_transaction(&begin, &end, &public_key))
}

/// Checks the records of one transaction in order (begin, intermediate records, end), each
/// with its own key.
#[uniffi::export(default(time_billing = None))]
pub fn check_ocmf_records(
    inputs: Vec<SignedInput>,
    time_billing: Option<TimeBilling>,
) -> Result<TransactionReport, ChargekitError> {
    let time_billing = time_billing.unwrap_or(TimeBilling::LawAccurateOnly);
    guarded(|| check_records(&inputs, time_billing))
}

/// Takes signed data out of its transport form (plain, hex, Base64, OCPP 1.6 JSON, OCPP 2.0.1
/// `signedMeterValue`, OCPI signed value); other signed formats are recognised.
#[uniffi::export]
pub fn decode_signed_data(text: String) -> Result<SignedData, ChargekitError> {
    guarded(|| SignedData::decode(&text))
}

/// Reads an OCPI 2.3 CDR `signed_data` object into its signed values, in order.
#[uniffi::export]
pub fn signed_data_from_ocpi(json: String) -> Result<Vec<SignedData>, ChargekitError> {
    guarded(|| SignedData::from_ocpi(&json))
}

#[uniffi::export]
impl Session {
    /// Verifies the session's signed readings (OCPP 1.6 `SignedData`, 2.0.1
    /// `signedMeterValue`) with `publicKey`, runs the transaction checks and compares the
    /// proven energy with the unsigned series. Errors only when the key cannot be decoded.
    pub fn proven_energy(&self, public_key: String) -> Result<ProvenEnergy, ChargekitError> {
        guarded(|| proven_energy(self.core(), &public_key))
    }
}

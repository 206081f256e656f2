//! Signed meter values (OCMF): parsing, signature verification, the transaction
//! ("Eichrecht") checks and the energy a session's signed readings prove.
//!
//! A record whose signature does not match is not an error: `verifyOcmf` returns a
//! `Verification` with verdict `INVALID` (name `"invalid"`). Errors
//! (`ChargekitError.Ocmf*`) are for input that cannot be read at all.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use chargekit::signed::{
    check_records, check_transaction, parse, proven_energy, verify, BillableEnergy,
    ChargePointIdType, Container, CurrentType, Curve, FailedCheck, Identification,
    IdentificationLevel, IdentificationType, LossCompensation, MeterStatus, Obis,
    OcmfReading as CoreReading, OcmfRecord as CoreRecord, OcmfTime as CoreTime, Pagination,
    PaginationContext, ParseNote, Payload, ProvenEnergy, ReadingUnit, ResistanceUnit,
    SignatureSection, SignedData as CoreSignedData, SignedFormat, SignedInput, TimeBilling,
    TimeStatus, TransactionCheck, TransactionReport, TxKind,
    UnreadableSignedData as CoreUnreadable, Verdict, VerdictReason, Verification,
};
use chrono::Utc;

use crate::session::{Anomaly, Session};
use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

/// Vendor and unknown keys as `key → JSON text of the value`.
fn json_map<V: Display>(map: BTreeMap<String, V>) -> HashMap<String, String> {
    map.into_iter().map(|(k, v)| (k, v.to_string())).collect()
}

// ---------------------------------------------------------------- closed enums (mirrors)

// ---------------------------------------------------------------- open enums (mirrors)
// Values outside the specification are kept as `Other(text)`.

// ---------------------------------------------------------------- records

/// A reading time (`TM`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfTime {
    /// The instant.
    pub at: UtcInstant,
    /// The meter's UTC offset, in seconds.
    pub offset_s: i32,
    /// The clock status letter, if given.
    pub status: Option<TimeStatus>,
    /// The text as sent, e.g. `2019-08-13T10:03:15,000+0000 I`.
    pub text: String,
}

impl From<CoreTime> for OcmfTime {
    fn from(t: CoreTime) -> Self {
        Self {
            at: t.at.with_timezone(&Utc),
            offset_s: t.at.offset().local_minus_utc(),
            status: t.status,
            text: t.text,
        }
    }
}

/// An OBIS id in its six groups (read as hexadecimal, as the reference verifier does).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ObisCode {
    /// Medium (1 = electricity).
    pub a: Option<u32>,
    /// Channel.
    pub b: Option<u32>,
    /// Quantity (1 import, 2 export, 0x98 compensated, ...).
    pub c: u32,
    /// Processing (8 = register).
    pub d: u32,
    /// Tariff.
    pub e: Option<u32>,
    /// Billing period / storage.
    pub f: Option<u32>,
    /// A loss-compensated register.
    pub is_compensated: bool,
    /// A law-relevant import register.
    pub is_billing_import: bool,
}

impl From<Obis> for ObisCode {
    fn from(o: Obis) -> Self {
        Self {
            a: o.a,
            b: o.b,
            c: o.c,
            d: o.d,
            e: o.e,
            f: o.f,
            is_compensated: o.is_compensated(),
            is_billing_import: o.is_billing_import(),
        }
    }
}

/// One reading (`RD` element); omitted fields are inherited from the previous reading.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfReading {
    /// `TM`: time and clock status.
    pub time: Option<OcmfTime>,
    /// `TX`: transaction meaning.
    pub transaction: Option<TxKind>,
    /// `RV`: the value, exactly as written (same number of decimals).
    pub value: ExactDecimal,
    /// `RV` as written.
    pub value_text: String,
    /// The value in Wh, for energy readings.
    pub value_wh: Option<ExactDecimal>,
    /// `RI`: OBIS id, as written.
    pub obis: Option<String>,
    /// `RI` parsed into its groups.
    pub obis_code: Option<ObisCode>,
    /// `RU`: unit.
    pub unit: Option<ReadingUnit>,
    /// `RT`: current type.
    pub current_type: Option<CurrentType>,
    /// `CL`: cumulated loss, in the unit of `RV`.
    pub cumulated_loss: Option<ExactDecimal>,
    /// `EF`: error flags as sent.
    pub error_flags: Option<String>,
    /// `EF` flags the energy as unusable.
    pub energy_error: bool,
    /// `EF` flags the time as unusable.
    pub time_error: bool,
    /// `ST`: meter state.
    pub status: Option<MeterStatus>,
    /// `EI`: legacy event counter.
    pub event_counter: Option<String>,
    /// Keys inherited from the previous reading.
    pub inherited: Vec<String>,
    /// Vendor and unknown keys: key → JSON text of the value.
    pub extra: HashMap<String, String>,
}

impl From<CoreReading> for OcmfReading {
    fn from(r: CoreReading) -> Self {
        Self {
            value_wh: r.value_wh(),
            obis_code: r.obis_code().map(ObisCode::from),
            energy_error: r.energy_error(),
            time_error: r.time_error(),
            time: r.time.map(OcmfTime::from),
            transaction: r.transaction,
            value: r.value,
            value_text: r.value_text,
            obis: r.obis,
            unit: r.unit,
            current_type: r.current_type,
            cumulated_loss: r.cumulated_loss,
            error_flags: r.error_flags,
            status: r.status,
            event_counter: r.event_counter,
            inherited: r.inherited,
            extra: json_map(r.extra),
        }
    }
}

/// Pagination (`PG`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfPagination {
    /// Transaction or fiscal.
    pub context: PaginationContext,
    /// The counter.
    pub counter: u64,
    /// The text as sent, e.g. `T32`.
    pub text: String,
}

impl From<Pagination> for OcmfPagination {
    fn from(p: Pagination) -> Self {
        Self {
            context: p.context,
            counter: p.counter,
            text: p.text,
        }
    }
}

/// User assignment: `IS`, `IL`, `IF`, `IT`, `ID`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfIdentification {
    /// `IS`.
    pub status: Option<bool>,
    /// `IL`.
    pub level: Option<IdentificationLevel>,
    /// `IF`, as sent.
    pub flags: Vec<String>,
    /// `IT`.
    pub id_type: Option<IdentificationType>,
    /// `ID`.
    pub data: Option<String>,
}

impl From<Identification> for OcmfIdentification {
    fn from(i: Identification) -> Self {
        Self {
            status: i.status,
            level: i.level,
            flags: i.flags,
            id_type: i.id_type,
            data: i.data,
        }
    }
}

/// Loss compensation (`LC`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfLossCompensation {
    /// `LN`.
    pub name: Option<String>,
    /// `LI`, as written.
    pub id: Option<String>,
    /// `LR`: cable resistance.
    pub resistance: ExactDecimal,
    /// `LU`.
    pub unit: ResistanceUnit,
}

impl From<LossCompensation> for OcmfLossCompensation {
    fn from(l: LossCompensation) -> Self {
        Self {
            name: l.name,
            id: l.id,
            resistance: l.resistance,
            unit: l.unit,
        }
    }
}

/// The signed payload, typed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfPayload {
    /// `FV`.
    pub format_version: Option<String>,
    /// `GI`.
    pub gateway_id: Option<String>,
    /// `GS`.
    pub gateway_serial: Option<String>,
    /// `GV`.
    pub gateway_version: Option<String>,
    /// `PG`.
    pub pagination: OcmfPagination,
    /// `MV`.
    pub meter_vendor: Option<String>,
    /// `MM`.
    pub meter_model: Option<String>,
    /// `MS`.
    pub meter_serial: Option<String>,
    /// `MF`.
    pub meter_firmware: Option<String>,
    /// `IS`, `IL`, `IF`, `IT`, `ID`.
    pub identification: OcmfIdentification,
    /// `TT`.
    pub tariff_text: Option<String>,
    /// `CF`.
    pub charge_controller_firmware: Option<String>,
    /// `LC`.
    pub loss_compensation: Option<OcmfLossCompensation>,
    /// `CT`.
    pub charge_point_id_type: Option<ChargePointIdType>,
    /// `CI`.
    pub charge_point_id: Option<String>,
    /// `RD`.
    pub readings: Vec<OcmfReading>,
    /// Vendor, legacy and unknown top-level keys: key → JSON text of the value.
    pub extra: HashMap<String, String>,
    /// Tolerated deviations from the specification.
    pub notes: Vec<ParseNote>,
}

impl From<Payload> for OcmfPayload {
    fn from(p: Payload) -> Self {
        Self {
            format_version: p.format_version,
            gateway_id: p.gateway_id,
            gateway_serial: p.gateway_serial,
            gateway_version: p.gateway_version,
            pagination: p.pagination.into(),
            meter_vendor: p.meter_vendor,
            meter_model: p.meter_model,
            meter_serial: p.meter_serial,
            meter_firmware: p.meter_firmware,
            identification: p.identification.into(),
            tariff_text: p.tariff_text,
            charge_controller_firmware: p.charge_controller_firmware,
            loss_compensation: p.loss_compensation.map(OcmfLossCompensation::from),
            charge_point_id_type: p.charge_point_id_type,
            charge_point_id: p.charge_point_id,
            readings: p.readings.into_iter().map(OcmfReading::from).collect(),
            extra: json_map(p.extra),
            notes: p.notes,
        }
    }
}

/// The signature section: `SA`, `SE`, `SM`, `SD`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfSignature {
    /// `SA` as written (null: `ECDSA-secp256r1-SHA256`).
    pub algorithm: Option<String>,
    /// `SE` as written (null: hex).
    pub encoding: Option<String>,
    /// `SM` as written.
    pub mime_type: Option<String>,
    /// `SD`: the signature text.
    pub data: String,
    /// Vendor and reserved keys: key → JSON text of the value.
    pub extra: HashMap<String, String>,
}

impl From<SignatureSection> for OcmfSignature {
    fn from(s: SignatureSection) -> Self {
        Self {
            algorithm: s.algorithm,
            encoding: s.encoding,
            mime_type: s.mime_type,
            data: s.data,
            extra: json_map(s.extra),
        }
    }
}

/// A parsed OCMF record. `payloadText` is kept byte for byte: the signature covers it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfRecord {
    /// The payload section exactly as received.
    pub payload_text: String,
    /// The signature section as received.
    pub signature_text: String,
    /// The typed payload.
    pub payload: OcmfPayload,
    /// The typed signature section.
    pub signature: OcmfSignature,
    /// A public key carried with the record (fourth section or transport container).
    pub embedded_public_key: Option<String>,
    /// `OCMF|payload|signature` (without an appended key).
    pub record_text: String,
}

impl From<CoreRecord> for OcmfRecord {
    fn from(r: CoreRecord) -> Self {
        Self {
            record_text: r.to_record_text(),
            payload_text: r.payload_text,
            signature_text: r.signature_text,
            payload: r.payload.into(),
            signature: r.signature.into(),
            embedded_public_key: r.embedded_public_key,
        }
    }
}

/// The result of verifying a signed value: the verdict and the parsed record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfVerification {
    /// The verdict.
    pub verdict: Verdict,
    /// Its stable name: `"valid"`, `"invalid"` or `"unsupported_algorithm"`.
    pub verdict_name: String,
    /// Why it is not valid.
    pub reason: Option<VerdictReason>,
    /// The reason's stable name, e.g. `"signature_mismatch"`.
    pub reason_name: Option<String>,
    /// The effective algorithm (`SA`, or its default), for OCMF records.
    pub algorithm: Option<String>,
    /// The curve of the algorithm, when known.
    pub curve: Option<Curve>,
    /// The format of the signed data.
    pub format: SignedFormat,
    /// The parsed record; null only for a non-OCMF format.
    pub record: Option<OcmfRecord>,
    /// True for a valid verdict.
    pub is_valid: bool,
}

impl From<Verification> for OcmfVerification {
    fn from(v: Verification) -> Self {
        Self {
            is_valid: v.is_valid(),
            verdict_name: v.verdict.as_str().to_string(),
            reason_name: v.reason.map(|r| r.as_str().to_string()),
            verdict: v.verdict,
            reason: v.reason,
            algorithm: v.algorithm,
            curve: v.curve,
            format: v.format,
            record: v.record.map(OcmfRecord::from),
        }
    }
}

/// One failed transaction check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfFailedCheck {
    /// The check.
    pub check: TransactionCheck,
    /// Its stable name, e.g. `"value_monotonic"`.
    pub name: String,
    /// What was found.
    pub detail: String,
    /// A failure makes the energy unusable for billing.
    pub blocks_energy: bool,
    /// A failure makes the duration unusable for billing.
    pub blocks_time: bool,
}

impl From<FailedCheck> for OcmfFailedCheck {
    fn from(f: FailedCheck) -> Self {
        Self {
            check: f.check,
            name: f.check.as_str().to_string(),
            detail: f.detail,
            blocks_energy: f.check.blocks_energy(),
            blocks_time: f.check.blocks_time(),
        }
    }
}

/// The energy between the begin and end readings of the billing register.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfBillableEnergy {
    /// End `RV` − begin `RV`, in `unit`, with the decimals of the `RV` texts.
    pub value: ExactDecimal,
    /// The unit.
    pub unit: ReadingUnit,
    /// The energy in Wh.
    pub wh: Option<ExactDecimal>,
    /// The begin `RV` as written.
    pub begin_text: String,
    /// The end `RV` as written.
    pub end_text: String,
    /// The register's OBIS id.
    pub obis: Option<String>,
    /// `CL` of the end reading.
    pub cable_loss: Option<ExactDecimal>,
}

impl From<BillableEnergy> for OcmfBillableEnergy {
    fn from(e: BillableEnergy) -> Self {
        Self {
            wh: e.wh(),
            value: e.value,
            unit: e.unit,
            begin_text: e.begin_text,
            end_text: e.end_text,
            obis: e.obis,
            cable_loss: e.cable_loss,
        }
    }
}

/// The outcome of the transaction checks.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfTransactionReport {
    /// The verification of each record, in input order.
    pub verifications: Vec<OcmfVerification>,
    /// Each failed check, in the order of the checks.
    pub failed: Vec<OcmfFailedCheck>,
    /// The names of the failed checks.
    pub failed_names: Vec<String>,
    /// The energy between begin and end, when both were found with one unit.
    pub energy: Option<OcmfBillableEnergy>,
    /// Seconds from begin to end, when both times are known.
    pub duration_s: Option<i64>,
    /// No check that concerns the energy failed.
    pub energy_billable: bool,
    /// No check that concerns time failed and the clocks suit the policy.
    pub time_billable: bool,
    /// Every check passed.
    pub passed: bool,
}

impl From<TransactionReport> for OcmfTransactionReport {
    fn from(r: TransactionReport) -> Self {
        Self {
            failed_names: r.failed_names().into_iter().map(str::to_string).collect(),
            passed: r.passed(),
            verifications: r
                .verifications
                .into_iter()
                .map(OcmfVerification::from)
                .collect(),
            failed: r.failed.into_iter().map(OcmfFailedCheck::from).collect(),
            energy: r.energy.map(OcmfBillableEnergy::from),
            duration_s: r.duration_s,
            energy_billable: r.energy_billable,
            time_billable: r.time_billable,
        }
    }
}

/// One signed value of a transaction and the key to verify it with.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfInput {
    /// The signed data (a record or any transport form).
    pub data: String,
    /// The public key (hex or Base64).
    pub public_key: String,
}

/// Signed data taken out of its transport container.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignedData {
    /// The signed data as text (for OCMF: the record, trimmed).
    pub text: String,
    /// Its format.
    pub format: SignedFormat,
    /// How it was carried.
    pub container: Container,
    /// A public key sent along with it, if any.
    pub public_key: Option<String>,
    /// The container's encoding method, if given.
    pub encoding_method: Option<String>,
    /// The OCPI nature (`Start`, `End`, `Intermediate`), for OCPI values.
    pub nature: Option<String>,
}

impl From<CoreSignedData> for SignedData {
    fn from(d: CoreSignedData) -> Self {
        Self {
            text: d.text,
            format: d.format,
            container: d.container,
            public_key: d.public_key,
            encoding_method: d.encoding_method,
            nature: d.nature,
        }
    }
}

/// Signed data of a session that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnreadableSignedData {
    /// The OCPP message it came in.
    pub msg_id: String,
    /// Why it could not be read.
    pub error: String,
    /// The stable error kind, e.g. `"missing_separator"`.
    pub kind: String,
}

impl From<CoreUnreadable> for UnreadableSignedData {
    fn from(u: CoreUnreadable) -> Self {
        Self {
            msg_id: u.msg_id,
            error: u.error,
            kind: u.kind.to_string(),
        }
    }
}

/// The energy of a session proven by its signed begin and end readings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OcmfProvenEnergy {
    /// The transaction checks over the session's distinct signed records; null without any.
    pub report: Option<OcmfTransactionReport>,
    /// The proven energy in Wh, only when every energy check passed.
    pub energy_wh: Option<ExactDecimal>,
    /// The energy the session computed from its unsigned series, Wh.
    pub unsigned_energy_wh: ExactDecimal,
    /// Disagreements between signed and unsigned data (`start_stop_mismatch`).
    pub anomalies: Vec<Anomaly>,
    /// Signed data that could not be read, or that is not OCMF.
    pub unreadable: Vec<UnreadableSignedData>,
    /// Signatures prove an energy and the unsigned series agrees with it.
    pub is_consistent: bool,
}

impl From<ProvenEnergy> for OcmfProvenEnergy {
    fn from(p: ProvenEnergy) -> Self {
        Self {
            is_consistent: p.is_consistent(),
            report: p.report.map(OcmfTransactionReport::from),
            energy_wh: p.energy_wh,
            unsigned_energy_wh: p.unsigned_energy_wh,
            anomalies: p.anomalies.into_iter().map(Anomaly::from).collect(),
            unreadable: p
                .unreadable
                .into_iter()
                .map(UnreadableSignedData::from)
                .collect(),
        }
    }
}

// ---------------------------------------------------------------- functions

/// Parses an OCMF record (`OCMF|payload|signature`, or a transport form: hex, Base64,
/// OCPP 1.6 / 2.0.1 wrappers, OCPI) without checking its signature.
#[uniffi::export]
pub fn parse_ocmf(record: String) -> Result<OcmfRecord, ChargekitError> {
    guarded(|| parse(&record)).map(OcmfRecord::from)
}

/// Verifies signed data with a public key (hex or Base64; SPKI DER or a raw point).
/// A readable record whose signature fails is a result with verdict `INVALID`, not an error.
#[uniffi::export]
pub fn verify_ocmf(data: String, public_key: String) -> Result<OcmfVerification, ChargekitError> {
    guarded(|| verify(&data, &public_key)).map(OcmfVerification::from)
}

/// Checks a transaction given by its begin and end records (the same record twice for one
/// holding both readings), with law-accurate clocks required for a billable duration.
#[uniffi::export]
pub fn check_ocmf_transaction(
    begin: String,
    end: String,
    public_key: String,
) -> Result<OcmfTransactionReport, ChargekitError> {
    guarded(|| check_transaction(&begin, &end, &public_key)).map(OcmfTransactionReport::from)
}

/// Checks the records of one transaction in order (begin, intermediate records, end), each
/// with its own key.
#[uniffi::export(default(time_billing = None))]
pub fn check_ocmf_records(
    inputs: Vec<OcmfInput>,
    time_billing: Option<TimeBilling>,
) -> Result<OcmfTransactionReport, ChargekitError> {
    let borrowed: Vec<SignedInput<'_>> = inputs
        .iter()
        .map(|i| SignedInput {
            data: &i.data,
            public_key: &i.public_key,
        })
        .collect();
    let time_billing = time_billing.unwrap_or(TimeBilling::LawAccurateOnly);
    guarded(|| check_records(&borrowed, time_billing)).map(OcmfTransactionReport::from)
}

/// Takes signed data out of its transport form (plain, hex, Base64, OCPP 1.6 JSON, OCPP 2.0.1
/// `signedMeterValue`, OCPI signed value); other signed formats are recognised.
#[uniffi::export]
pub fn decode_signed_data(text: String) -> Result<SignedData, ChargekitError> {
    guarded(|| CoreSignedData::decode(&text)).map(SignedData::from)
}

/// Reads an OCPI 2.3 CDR `signed_data` object into its signed values, in order.
#[uniffi::export]
pub fn signed_data_from_ocpi(json: String) -> Result<Vec<SignedData>, ChargekitError> {
    guarded(|| CoreSignedData::from_ocpi(&json))
        .map(|v| v.into_iter().map(SignedData::from).collect())
}

/// The stable name of a transaction check, e.g. `"value_monotonic"`.
#[uniffi::export]
pub fn transaction_check_name(check: TransactionCheck) -> String {
    check.as_str().to_string()
}

/// The canonical name of a curve, e.g. `"secp256r1"`, `"brainpoolP256r1"`.
#[uniffi::export]
pub fn curve_name(curve: Curve) -> String {
    curve.as_str().to_string()
}

/// Every transaction check name, in check order.
#[uniffi::export]
pub fn transaction_check_names() -> Vec<String> {
    TransactionCheck::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

#[uniffi::export]
impl Session {
    /// Verifies the session's signed readings (OCPP 1.6 `SignedData`, 2.0.1
    /// `signedMeterValue`) with `publicKey`, runs the transaction checks and compares the
    /// proven energy with the unsigned series. Errors only when the key cannot be decoded.
    pub fn proven_energy(&self, public_key: String) -> Result<OcmfProvenEnergy, ChargekitError> {
        guarded(|| proven_energy(self.core(), &public_key)).map(OcmfProvenEnergy::from)
    }
}

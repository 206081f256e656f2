//! Transaction-level ("Eichrecht") checks over the records of one transaction
//! (`docs/ocmf.md` §5).

use super::crypto::{KeyKind, PublicKey};
use super::model::{OcmfReading, OcmfRecord, PaginationContext, ReadingUnit, TimeStatus, TxKind};
use super::verify::{verify, Verdict, Verification};
use crate::enums::wire_enum;
use crate::Error;
use rust_decimal::Decimal;
use serde::Serialize;

wire_enum! {
    /// The transaction checks. Their snake_case names are stable public API.
    ///
    /// ```
    /// use chargekit::signed::TransactionCheck;
    /// assert_eq!(TransactionCheck::ValueMonotonic.as_str(), "value_monotonic");
    /// ```
    pub enum TransactionCheck {
        /// Every record's signature verifies.
        SignatureValid = "signature_valid",
        /// Every record was signed with the same public key.
        SamePublicKey = "same_public_key",
        /// Every record comes from the same meter (`MS`, and `GS` when present).
        SameMeter = "same_meter",
        /// Every record has the same user assignment (`IS`, `IT`, `ID`).
        SameIdentification = "same_identification",
        /// Pagination counters of one context follow each other without gap or repeat.
        PaginationContiguous = "pagination_contiguous",
        /// A law-relevant energy register (`docs/ocmf.md` §4) is present.
        BillingRegister = "billing_register",
        /// Exactly one begin reading (`TX=B`) on the billing register.
        SingleBegin = "single_begin",
        /// Exactly one end reading (`E`, `L`, `R`, `A`, `P`) on the billing register.
        SingleEnd = "single_end",
        /// Begin and end have the same unit.
        SameUnit = "same_unit",
        /// The begin value is not above the end value.
        ValueMonotonic = "value_monotonic",
        /// The begin time is not after the end time.
        TimeMonotonic = "time_monotonic",
        /// The meter state is `G` at begin and end.
        MeterStatusOk = "meter_status_ok",
        /// No error flag `E` (energy unusable) at begin or end.
        NoEnergyError = "no_energy_error",
        /// No error flag `t` (time unusable) at begin or end.
        NoTimeError = "no_time_error",
        /// No exception reading (`TX=X`) on the billing register.
        NoException = "no_exception",
        /// No identification level is an error value (MISMATCH, INVALID, OUTDATED, UNKNOWN).
        IdentificationLevelOk = "identification_level_ok",
        /// A relative (`R`) begin time has a relative end time.
        TimeStatus = "time_status",
        /// The legacy event counter `EI` is equal at begin and end.
        EventCounter = "event_counter",
    }
}

impl TransactionCheck {
    /// True when a failure makes the energy unusable for billing.
    pub fn blocks_energy(self) -> bool {
        !matches!(
            self,
            TransactionCheck::NoTimeError | TransactionCheck::TimeStatus
        )
    }

    /// True when a failure makes the duration unusable for billing.
    pub fn blocks_time(self) -> bool {
        !matches!(
            self,
            TransactionCheck::NoEnergyError
                | TransactionCheck::ValueMonotonic
                | TransactionCheck::SameUnit
        )
    }
}

wire_enum! {
    /// Which clocks a billable duration needs (`docs/ocmf.md` §5).
    pub enum TimeBilling {
        /// Synchronised (`S`) or relative (`R`) times at both ends.
        LawAccurateOnly = "law_accurate_only",
        /// Any clock status.
        AnyClock = "any_clock",
    }
}

/// One failed check with an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfFailedCheck"))]
pub struct FailedCheck {
    /// The check.
    pub check: TransactionCheck,
    /// What was found.
    pub detail: String,
    /// A failure of this check makes the energy unusable for billing.
    pub blocks_energy: bool,
    /// A failure of this check makes the duration unusable for billing.
    pub blocks_time: bool,
}

/// The energy between the begin and end readings of the billing register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfBillableEnergy"))]
pub struct BillableEnergy {
    /// End `RV` − begin `RV`, in `unit`, with the decimals of the `RV` texts.
    pub value: Decimal,
    /// The unit.
    pub unit: ReadingUnit,
    /// The begin `RV` as written.
    pub begin_text: String,
    /// The end `RV` as written.
    pub end_text: String,
    /// The register's OBIS id.
    pub obis: Option<String>,
    /// `CL` of the end reading: the cable loss removed by loss compensation.
    pub cable_loss: Option<Decimal>,
    /// The energy in Wh.
    pub wh: Option<Decimal>,
}

impl BillableEnergy {
    /// End − begin of one register, when both readings have the same unit.
    fn between(b: &OcmfReading, e: &OcmfReading) -> Option<BillableEnergy> {
        let unit = b.unit.clone().filter(|u| Some(u) == e.unit.as_ref())?;
        Some(BillableEnergy {
            wh: unit
                .wh_factor()
                .and_then(|f| (e.value - b.value).checked_mul(f)),
            value: e.value - b.value,
            unit,
            begin_text: b.value_text.clone(),
            end_text: e.value_text.clone(),
            obis: b.obis.clone(),
            cable_loss: e.cumulated_loss,
        })
    }
}

/// The outcome of the transaction checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfTransactionReport"))]
pub struct TransactionReport {
    /// The verification of each record, in input order.
    pub verifications: Vec<Verification>,
    /// Each failed check, in the order of [`TransactionCheck::ALL`].
    pub failed: Vec<FailedCheck>,
    /// The energy between begin and end, when both were found with one unit
    /// (also when a check failed: see `energy_billable`).
    pub energy: Option<BillableEnergy>,
    /// The energy fed back by the EV (V2X): end − begin of the export register (OBIS C = 2
    /// or 0xC0–0xC3), when it has exactly one begin and one end reading in one unit. It is
    /// proven by the same signatures and checks as `energy` (see `energy_billable`).
    pub energy_export: Option<BillableEnergy>,
    /// Seconds from begin to end, when both times are known.
    pub duration_s: Option<i64>,
    /// True when no check that concerns the energy failed.
    pub energy_billable: bool,
    /// True when no check that concerns time failed and the clocks suit the policy.
    pub time_billable: bool,
    /// True when every check passed.
    pub passed: bool,
    /// The names of the failed checks, in the order of `failed`.
    pub failed_names: Vec<String>,
}

impl TransactionReport {
    /// True when `check` failed.
    pub fn has_failed(&self, check: TransactionCheck) -> bool {
        self.failed.iter().any(|f| f.check == check)
    }
}

/// One signed value of a transaction and the key to verify it with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfInput"))]
pub struct SignedInput {
    /// The signed data (a record or any form of [`super::SignedData::decode`]).
    pub data: String,
    /// The public key (hex or Base64).
    pub public_key: String,
}

/// Checks a transaction given by its begin and end records (the same record
/// twice, or equal texts, for a record holding both readings).
///
/// ```
/// use chargekit::signed::{check_transaction, TransactionCheck};
/// // ebee/DZG, from the S.A.F.E. Transparenzsoftware test data (Apache-2.0).
/// let key = "3059 3013 0607 2A86 48CE 3D02 0106 082A 8648 CE3D 0301 0703 4200 04E5 CE28 01D7 16BF 55B7 1477 CA66 6BE6 A8B8 994F EBBF 05B0 4BC0 AE78 79A6 2AE7 7460 A143 35F3 F306 57DD 7ADC 4338 398C 837D D2DE 52D8 FCAA E786 01D1 476F E1C2 1F";
/// let begin = r#"OCMF|{"FV":"1.0","GI":"Heinz_CSA","GS":"","GV":"1.6.0","PG":"T28","MV":"DZG","MM":"DVH4013","MS":"000033022620","MF":"","IS":true,"IT":"ISO14443","ID":"7bcf78ad","RD":[{"TM":"2021-08-25T10:01:04,000+0200 I","TX":"B","RV":7753,"RI":"1-b:1.8.0","RU":"Wh","RT":"AC","EF":"","ST":"G"}]}|{"SD":"3045022100AA010A609E2A6D5E5DAC54CB469FA4A430BFBADC0CDF5F82F5291A6C9CEACE9B022052E7ECC79DEF081C303703ABC67C07C4CFA842AF6EE21B12C1263C21E80D92FF"}"#;
/// let end = r#"OCMF|{"FV":"1.0","GI":"Heinz_CSA","GS":"","GV":"1.6.0","PG":"T29","MV":"DZG","MM":"DVH4013","MS":"000033022620","MF":"","IS":true,"IT":"ISO14443","ID":"7bcf78ad","RD":[{"TM":"2021-08-25T10:01:09,000+0200 R","TX":"E","RV":7753,"RI":"1-b:1.8.0","RU":"Wh","RT":"AC","EF":"","ST":"G"}]}|{"SD":"30450220342732A56E5C95BF70673351D5CBEC5E8C44C435BD2A389CF0BA8777A8B67BF4022100D88647A1D2B1712B077D490E8AFD14E00E5E3FAB94F70FDCFFCAC653D214A484"}"#;
/// let report = check_transaction(begin, end, key).unwrap();
/// assert!(report.passed, "{:?}", report.failed);
/// assert_eq!(report.energy.unwrap().value.to_string(), "0");
///
/// // The begin value changed after signing.
/// let report = check_transaction(&begin.replace("7753", "7763"), end, key).unwrap();
/// assert_eq!(report.failed_names, ["signature_valid", "value_monotonic"]);
/// assert!(!report.energy_billable);
/// ```
pub fn check_transaction(
    begin: &str,
    end: &str,
    public_key: &str,
) -> Result<TransactionReport, Error> {
    let input = |data: &str| SignedInput {
        data: data.to_string(),
        public_key: public_key.to_string(),
    };
    let inputs = if begin.trim() == end.trim() {
        vec![input(begin)]
    } else {
        vec![input(begin), input(end)]
    };
    check_records(&inputs, TimeBilling::LawAccurateOnly)
}

/// Checks the records of one transaction, in order (e.g. begin, intermediate
/// records, end), each with its own key.
pub fn check_records(
    inputs: &[SignedInput],
    time_billing: TimeBilling,
) -> Result<TransactionReport, Error> {
    let verifications = inputs
        .iter()
        .map(|i| verify(&i.data, &i.public_key))
        .collect::<Result<Vec<_>, _>>()?;
    let keys: Vec<String> = inputs.iter().map(|i| key_identity(&i.public_key)).collect();
    Ok(check_verified(verifications, &keys, time_billing))
}

/// A comparable identity of a key: its point (and curve), or its compact text.
pub(crate) fn key_identity(text: &str) -> String {
    match PublicKey::decode(text) {
        Ok(k) => match k.kind {
            KeyKind::Ec { curve, point } => format!("{curve}:{}", hex::encode(point)),
            KeyKind::RawPoint(point) => format!("raw:{}", hex::encode(point)),
            KeyKind::Other(_) => hex::encode(k.der),
        },
        Err(_) => text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase(),
    }
}

fn point_of(identity: &str) -> &str {
    identity.rsplit(':').next().unwrap_or(identity)
}

struct Checks {
    failed: Vec<FailedCheck>,
}

impl Checks {
    fn fail(&mut self, check: TransactionCheck, detail: impl Into<String>) {
        self.failed.push(FailedCheck {
            check,
            detail: detail.into(),
            blocks_energy: check.blocks_energy(),
            blocks_time: check.blocks_time(),
        });
    }
}

/// A reading with the index of its record.
type Located<'a> = (usize, &'a OcmfReading);

pub(crate) fn check_verified(
    verifications: Vec<Verification>,
    keys: &[String],
    time_billing: TimeBilling,
) -> TransactionReport {
    use TransactionCheck as C;
    let mut c = Checks { failed: Vec::new() };
    let records: Vec<&OcmfRecord> = verifications
        .iter()
        .filter_map(|v| v.record.as_ref())
        .collect();

    // Signatures.
    let bad: Vec<String> = verifications
        .iter()
        .enumerate()
        .filter(|(_, v)| v.verdict != Verdict::Valid)
        .map(|(i, v)| format!("record {i}: {}", v.verdict))
        .collect();
    if !bad.is_empty() || verifications.is_empty() {
        c.fail(
            C::SignatureValid,
            if bad.is_empty() {
                "no records".to_string()
            } else {
                bad.join(", ")
            },
        );
    }

    // Same key: the given keys, and any key embedded in the records.
    let mut identities: Vec<String> = keys.to_vec();
    identities.extend(
        records
            .iter()
            .filter_map(|r| r.embedded_public_key.as_deref())
            .map(key_identity),
    );
    if let Some(first) = identities.first() {
        if identities.iter().any(|k| point_of(k) != point_of(first)) {
            c.fail(
                C::SamePublicKey,
                "the records were not all signed with the same public key",
            );
        }
    }

    // Same meter and identification.
    if let Some(first) = records.first() {
        let p0 = &first.payload;
        for (i, r) in records.iter().enumerate().skip(1) {
            let p = &r.payload;
            if p.meter_serial != p0.meter_serial
                || (p.gateway_serial.is_some()
                    && p0.gateway_serial.is_some()
                    && p.gateway_serial != p0.gateway_serial)
            {
                c.fail(
                    C::SameMeter,
                    format!(
                        "record {i}: meter {:?}/{:?} differs from {:?}/{:?}",
                        p.meter_serial, p.gateway_serial, p0.meter_serial, p0.gateway_serial
                    ),
                );
                break;
            }
        }
        for (i, r) in records.iter().enumerate().skip(1) {
            let (a, b) = (&r.payload.identification, &p0.identification);
            if a.status != b.status || a.id_type != b.id_type || a.data != b.data {
                c.fail(
                    C::SameIdentification,
                    format!(
                        "record {i}: identification {:?} differs from {:?}",
                        a.data, b.data
                    ),
                );
                break;
            }
        }
        // Pagination: consecutive records of one context count up by one.
        for ctx in [PaginationContext::Transaction, PaginationContext::Fiscal] {
            let counters: Vec<u64> = records
                .iter()
                .filter(|r| r.payload.pagination.context == ctx)
                .map(|r| r.payload.pagination.counter)
                .collect();
            if let Some(w) = counters
                .windows(2)
                .find(|w| w[0].checked_add(1) != Some(w[1]))
            {
                c.fail(
                    C::PaginationContiguous,
                    format!("pagination {} is followed by {}", w[0], w[1]),
                );
                break;
            }
        }
    }

    // Identification levels.
    if let Some(level) = records
        .iter()
        .filter_map(|r| r.payload.identification.level.as_ref())
        .find(|l| l.is_error())
    {
        c.fail(
            C::IdentificationLevelOk,
            format!("identification level {level}"),
        );
    }

    // Readings of the billing register.
    let all: Vec<Located<'_>> = records
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.payload.readings.iter().map(move |rd| (i, rd)))
        .collect();
    let register = billing_register(&all);
    let mut energy = None;
    let mut duration_s = None;
    let mut clocks_ok = false;
    match register {
        None => c.fail(C::BillingRegister, "no law-relevant energy register"),
        Some(reg) => {
            let begins: Vec<&OcmfReading> = reg
                .iter()
                .filter(|r| r.1.transaction == Some(TxKind::Begin))
                .map(|r| r.1)
                .collect();
            let ends: Vec<&OcmfReading> = reg
                .iter()
                .filter(|r| r.1.transaction.as_ref().is_some_and(TxKind::is_end))
                .map(|r| r.1)
                .collect();
            if begins.len() != 1 {
                c.fail(C::SingleBegin, format!("{} begin readings", begins.len()));
            }
            if ends.len() != 1 {
                c.fail(C::SingleEnd, format!("{} end readings", ends.len()));
            }
            if reg
                .iter()
                .any(|r| r.1.transaction == Some(TxKind::Exception))
            {
                c.fail(
                    C::NoException,
                    "an exception reading (TX=X) makes the data unusable from there on",
                );
            }
            if let (Some(b), Some(e)) = (begins.first(), ends.last()) {
                pair_checks(&mut c, b, e);
                energy = BillableEnergy::between(b, e);
                if let (Some(tb), Some(te)) = (&b.time, &e.time) {
                    duration_s = Some((te.at - tb.at).num_seconds());
                    clocks_ok = match time_billing {
                        TimeBilling::AnyClock => true,
                        TimeBilling::LawAccurateOnly => matches!(
                            (&tb.status, &te.status),
                            (
                                Some(TimeStatus::Synchronised),
                                Some(TimeStatus::Synchronised)
                            ) | (Some(TimeStatus::Relative), Some(TimeStatus::Relative))
                        ),
                    };
                }
            }
        }
    }

    let order = |f: &FailedCheck| {
        C::ALL
            .iter()
            .position(|k| *k == f.check)
            .unwrap_or(usize::MAX)
    };
    c.failed.sort_by_key(order);
    c.failed.dedup_by_key(|f| f.check);
    let energy_export = export_register(&all);
    let energy_billable = energy.is_some() && !c.failed.iter().any(|f| f.check.blocks_energy());
    let time_billable =
        duration_s.is_some() && clocks_ok && !c.failed.iter().any(|f| f.check.blocks_time());
    TransactionReport {
        verifications,
        passed: c.failed.is_empty(),
        failed_names: c.failed.iter().map(|f| f.check.to_string()).collect(),
        failed: c.failed,
        energy,
        energy_export,
        duration_s,
        energy_billable,
        time_billable,
    }
}

fn pair_checks(c: &mut Checks, b: &OcmfReading, e: &OcmfReading) {
    use TransactionCheck as C;
    if b.unit != e.unit {
        c.fail(
            C::SameUnit,
            format!(
                "begin unit {:?}, end unit {:?}",
                b.unit.as_ref().map(|u| u.as_str()),
                e.unit.as_ref().map(|u| u.as_str())
            ),
        );
    }
    if b.value > e.value {
        c.fail(
            C::ValueMonotonic,
            format!(
                "begin {} is above end {}",
                b.value_text.trim(),
                e.value_text.trim()
            ),
        );
    }
    match (&b.time, &e.time) {
        (Some(tb), Some(te)) if tb.at > te.at => c.fail(
            C::TimeMonotonic,
            format!("begin {} is after end {}", tb.text, te.text),
        ),
        (Some(_), Some(_)) => {}
        _ => c.fail(C::TimeMonotonic, "a reading has no time"),
    }
    let st = |r: &OcmfReading| {
        r.status
            .as_ref()
            .map_or("-".to_string(), |s| s.as_str().to_string())
    };
    if !b.status.as_ref().is_some_and(|s| s.is_ok())
        || !e.status.as_ref().is_some_and(|s| s.is_ok())
    {
        c.fail(
            C::MeterStatusOk,
            format!("meter state {} at begin, {} at end", st(b), st(e)),
        );
    }
    if b.energy_error || e.energy_error {
        c.fail(C::NoEnergyError, "error flag E: the energy is unusable");
    }
    if b.time_error || e.time_error {
        c.fail(C::NoTimeError, "error flag t: the time is unusable");
    }
    let status = |r: &OcmfReading| r.time.as_ref().and_then(|t| t.status.clone());
    if status(b) == Some(TimeStatus::Relative) && status(e) != Some(TimeStatus::Relative) {
        c.fail(
            C::TimeStatus,
            "a relative begin time needs a relative end time",
        );
    }
    if b.event_counter != e.event_counter {
        c.fail(
            C::EventCounter,
            format!(
                "event counter {:?} at begin, {:?} at end",
                b.event_counter, e.event_counter
            ),
        );
    }
}

/// The energy of the export register (`Obis::is_export`): its one begin and one end reading,
/// in one unit; `None` otherwise.
fn export_register(all: &[Located<'_>]) -> Option<BillableEnergy> {
    let reg: Vec<&OcmfReading> = all
        .iter()
        .map(|(_, r)| *r)
        .filter(|r| r.is_energy() && r.obis_code.is_some_and(|o| o.is_export))
        .collect();
    let single = |want: &dyn Fn(&TxKind) -> bool| {
        let found: Vec<&&OcmfReading> = reg
            .iter()
            .filter(|r| r.transaction.as_ref().is_some_and(want))
            .collect();
        (found.len() == 1).then(|| *found[0])
    };
    let b = single(&|t| *t == TxKind::Begin)?;
    let e = single(&TxKind::is_end)?;
    BillableEnergy::between(b, e).filter(|_| b.obis_code == e.obis_code)
}

/// The readings of the law-relevant energy register (`docs/ocmf.md` §4): compensated
/// registers when present, else the default import registers; a record set
/// without any `RI` uses its energy readings. The first such register with a
/// begin reading wins.
fn billing_register<'a>(all: &[Located<'a>]) -> Option<Vec<Located<'a>>> {
    let energy: Vec<Located<'a>> = all.iter().copied().filter(|(_, r)| r.is_energy()).collect();
    let any_ri = energy.iter().any(|(_, r)| r.obis.is_some());
    let candidates: Vec<Located<'a>> = if !any_ri {
        energy
    } else {
        let compensated = energy
            .iter()
            .any(|(_, r)| r.obis_code.is_some_and(|o| o.is_compensated));
        energy
            .into_iter()
            .filter(|(_, r)| {
                r.obis_code.is_some_and(|o| {
                    if compensated {
                        o.is_compensated
                    } else {
                        o.is_billing_import
                    }
                })
            })
            .collect()
    };
    if candidates.is_empty() {
        return None;
    }
    let key = |r: &OcmfReading| r.obis_code;
    // An import register before an export counterpart (0xC0–0xC3 are law-relevant too).
    let export = |r: &OcmfReading| r.obis_code.is_some_and(|o| o.is_export);
    let chosen = candidates
        .iter()
        .find(|(_, r)| r.transaction == Some(TxKind::Begin) && !export(r))
        .or_else(|| {
            candidates
                .iter()
                .find(|(_, r)| r.transaction == Some(TxKind::Begin))
        })
        .or(candidates.first())
        .map(|(_, r)| key(r))?;
    Some(
        candidates
            .into_iter()
            .filter(|(_, r)| key(r) == chosen)
            .collect(),
    )
}

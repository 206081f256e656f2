//! The energy of a session proven by its signed readings.

use super::container::{SignedData, SignedFormat};
use super::model::{OcmfReading, TxKind};
use super::transaction::{check_verified, key_identity, TimeBilling, TransactionReport};
use super::verify::{verify, Verification};
use crate::meter::{Anomaly, AnomalyKind, Measurand, Reading, ReadingContext};
use crate::session::Session;
use crate::Error;
use rust_decimal::Decimal;
use serde::Serialize;

/// Signed data of a session that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnreadableSignedData {
    /// The OCPP message it came in.
    pub message_id: String,
    /// Why it could not be read.
    pub error: String,
    /// The stable error kind ([`Error::kind`](crate::Error::kind)).
    pub kind: String,
}

/// The energy of a session proven by its signed begin and end readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfProvenEnergy"))]
pub struct ProvenEnergy {
    /// The transaction checks over the session's distinct signed records, in
    /// pagination order; `None` when the session has no readable OCMF record.
    pub report: Option<TransactionReport>,
    /// The proven energy in Wh: end − begin of the law-relevant register, only
    /// when every energy check passed (valid signatures, one begin, one end, …).
    pub energy_wh: Option<Decimal>,
    /// The energy the session computed from its unsigned series, Wh.
    pub unsigned_energy_wh: Decimal,
    /// The energy fed back by the EV (V2X) proven by the export register's signed begin and
    /// end, Wh, under the same conditions as `energy_wh`.
    pub export_wh: Option<Decimal>,
    /// Disagreements between signed and unsigned data, as anomalies of kind
    /// `start_stop_mismatch` (the signed begin/end are the session's law-relevant
    /// start and stop values).
    pub anomalies: Vec<Anomaly>,
    /// Signed data that could not be read, or that is not OCMF.
    pub unreadable: Vec<UnreadableSignedData>,
    /// True when signatures prove an energy and the unsigned series agrees with it.
    pub is_consistent: bool,
}

/// Finds the signed readings of a session (OCPP 1.6 `SignedData` values and
/// OCPP 2.0.1 `signedMeterValue`s, kept in [`Reading::signed_data`]), verifies
/// them with `public_key`, runs the transaction checks and compares the proven
/// energy with the unsigned series.
///
/// Errors only when `public_key` cannot be decoded; unreadable signed data is
/// listed in [`ProvenEnergy::unreadable`].
///
/// ```
/// use chargekit::meter::MeterPolicy;
/// use chargekit::session::sessions_from_log;
/// use chargekit::signed::proven_energy;
/// let s = sessions_from_log("CP", r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]"#, None, &MeterPolicy::default()).unwrap();
/// let key = "3059301306072A8648CE3D020106082A8648CE3D030107034200043AEEB45C392357820A58FDFB0857BD77ADA31585C61C430531DFA53B440AFBFDD95AC887C658EA55260F808F55CA948DF235C2108A0D6DC7D4AB1A5E1A7955BE";
/// let p = proven_energy(&s[0], key).unwrap();
/// assert!(p.report.is_none() && p.energy_wh.is_none()); // no signed readings
/// ```
pub fn proven_energy(session: &Session, public_key: &str) -> Result<ProvenEnergy, Error> {
    // The key must be readable: a typo in it must not look like tampering.
    super::crypto::PublicKey::decode(public_key)?;
    let mut unreadable = Vec::new();
    let mut found: Vec<(&Reading, Verification)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for r in &session.readings {
        let Some(data) = r.signed_data.as_deref() else {
            continue;
        };
        let outcome = SignedData::decode(data).and_then(|d| {
            if d.format == SignedFormat::Ocmf {
                Ok(d)
            } else {
                Err(Error::UnsupportedSignedFormat {
                    format: d.format.as_str().to_string(),
                })
            }
        });
        let text = match outcome {
            Ok(d) => d.text.trim().to_string(),
            Err(e) => {
                unreadable.push(unreadable_entry(r, &e));
                continue;
            }
        };
        if seen.contains(&text) {
            continue;
        }
        match verify(data, public_key) {
            Ok(v) => {
                seen.push(text);
                found.push((r, v));
            }
            Err(e) => unreadable.push(unreadable_entry(r, &e)),
        }
    }
    let unsigned_energy_wh = session.energy_wh;
    if found.is_empty() {
        return Ok(ProvenEnergy {
            report: None,
            energy_wh: None,
            export_wh: None,
            unsigned_energy_wh,
            anomalies: Vec::new(),
            unreadable,
            is_consistent: false,
        });
    }
    // Pagination order (the meter's order), then station time.
    found.sort_by_key(|(r, v)| {
        let pg = v.record.as_ref().map(|rec| {
            (
                rec.payload.pagination.context,
                rec.payload.pagination.counter,
            )
        });
        (pg, r.ts_station)
    });
    let mut anomalies = Vec::new();
    for (r, v) in &found {
        if let Some(a) = compare_reading(r, v) {
            anomalies.push(a);
        }
    }
    let keys = vec![key_identity(public_key); found.len()];
    let verifications: Vec<Verification> = found.into_iter().map(|(_, v)| v).collect();
    let report = check_verified(verifications, &keys, TimeBilling::LawAccurateOnly);
    let energy_wh = report
        .energy
        .as_ref()
        .filter(|_| report.energy_billable)
        .and_then(|e| e.wh);
    if let (Some(e), Some(proven_wh)) = (
        report.energy.as_ref().filter(|_| report.energy_billable),
        energy_wh,
    ) {
        let scale = scale_of(&e.begin_text).max(scale_of(&e.end_text));
        let factor = e.unit.wh_factor().unwrap_or(Decimal::ONE);
        let unsigned_in_unit = (unsigned_energy_wh / factor).round_dp(scale);
        if unsigned_in_unit != e.value {
            anomalies.push(Anomaly::new(
                AnomalyKind::StartStopMismatch,
                session.end,
                None,
                format!(
                    "signed begin/end prove {} {} ({proven_wh} Wh) but the unsigned series gives {unsigned_energy_wh} Wh",
                    e.value,
                    e.unit
                ),
            ));
        }
    }
    let export_wh = report
        .energy_export
        .as_ref()
        .filter(|_| report.energy_billable)
        .and_then(|e| e.wh);
    if let Some(proven) = export_wh {
        if proven != session.energy_export_wh {
            anomalies.push(Anomaly::new(
                AnomalyKind::StartStopMismatch,
                session.end,
                None,
                format!(
                    "signed export begin/end prove {proven} Wh fed back but the unsigned export series gives {} Wh",
                    session.energy_export_wh
                ),
            ));
        }
    }
    anomalies.sort();
    Ok(ProvenEnergy {
        is_consistent: energy_wh.is_some() && anomalies.is_empty(),
        report: Some(report),
        energy_wh,
        export_wh,
        unsigned_energy_wh,
        anomalies,
        unreadable,
    })
}

fn unreadable_entry(r: &Reading, e: &Error) -> UnreadableSignedData {
    UnreadableSignedData {
        message_id: r.source.message_id.clone(),
        error: e.to_string(),
        kind: e.kind().to_string(),
    }
}

/// Decimal places of a number text (`"62500.1270"` → 4).
fn scale_of(text: &str) -> u32 {
    super::parse::exact_decimal(text).map_or(0, |d| d.scale())
}

/// An OCPP 2.0.1 sampled value carries an unsigned value next to its signed
/// data: they must agree. Compares it with the signed reading of the same
/// moment (begin for `Transaction.Begin`, end for `Transaction.End`, else the
/// last energy reading).
fn compare_reading(r: &Reading, v: &Verification) -> Option<Anomaly> {
    if r.measurand != Measurand::EnergyActiveImportRegister || r.phase.is_some() {
        return None;
    }
    let unsigned = r.value?;
    let record = v.record.as_ref()?;
    let energy: Vec<&OcmfReading> = record
        .payload
        .readings
        .iter()
        .filter(|x| x.is_energy())
        .collect();
    let pick = |want: &dyn Fn(&TxKind) -> bool| {
        energy
            .iter()
            .find(|x| x.transaction.as_ref().is_some_and(want))
            .copied()
    };
    let signed = match r.context {
        ReadingContext::TransactionBegin => pick(&|t| *t == TxKind::Begin),
        ReadingContext::TransactionEnd => pick(&TxKind::is_end),
        _ => None,
    }
    .or_else(|| energy.last().copied())?;
    let signed_wh = signed.value_wh?;
    if signed_wh == unsigned {
        return None;
    }
    Some(Anomaly::new(
        AnomalyKind::StartStopMismatch,
        Some(r.ts_station),
        Some(&r.source.message_id),
        format!(
            "unsigned value {unsigned} Wh differs from the signed value {} {} ({signed_wh} Wh)",
            signed.value_text.trim(),
            signed.unit.as_ref().map_or("", |u| u.as_str())
        ),
    ))
}

//! A normalised meter reading.

use super::{Location, Measurand, Phase, ReadingContext};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// Where a reading came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MessageRef {
    /// The OCPP message id of the frame.
    pub message_id: String,
    /// The 2.0.1 `seqNo` of the event, if any.
    pub seq_no: Option<u64>,
    /// True when the station marked the event as queued while offline.
    pub offline: bool,
}

/// One sampled value, normalised, with everything needed to audit it.
///
/// `value` is in the base unit of the measurand (Wh, W, A, V, %); `raw`,
/// `unit_raw` and `multiplier` keep exactly what the station sent, since
/// `"12.30"` and `"12.3"` differ for an audit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reading {
    /// Sampling time on the station's clock.
    pub ts_station: DateTime<Utc>,
    /// When the central system received the message, when known.
    pub ts_received: Option<DateTime<Utc>>,
    /// What was measured (default `Energy.Active.Import.Register`).
    pub measurand: Measurand,
    /// The phase; `None` means the total.
    pub phase: Option<Phase>,
    /// Where it was measured; `None` means unspecified (OCPP's default is Outlet).
    pub location: Option<Location>,
    /// Why it was sampled (default `Sample.Periodic`).
    pub context: ReadingContext,
    /// The unit text as sent, if any.
    pub unit_raw: Option<String>,
    /// The 2.0.1 power-of-ten multiplier (0 in 1.6).
    pub multiplier: i32,
    /// The value text as sent.
    pub raw: String,
    /// The normalised value, or `None` when it could not be read (see the session's anomalies).
    pub value: Option<Decimal>,
    /// Signed data carried with the value (OCMF and similar), kept verbatim.
    pub signed_data: Option<String>,
    /// The message it came from.
    pub source: MessageRef,
}

impl Reading {
    /// The identity used for de-duplication: time, measurand, phase, location and value.
    pub fn dedup_key(
        &self,
    ) -> (
        DateTime<Utc>,
        Measurand,
        Option<Phase>,
        Option<Location>,
        Option<Decimal>,
    ) {
        (
            self.ts_station,
            self.measurand,
            self.phase,
            self.location,
            self.value.map(|v| v.normalize()),
        )
    }
}

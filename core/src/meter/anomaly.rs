//! Anomalies: what the data got wrong, reported instead of silently fixed.

use crate::enums::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// The closed set of anomaly kinds. Their snake_case names are stable public API
    /// in every language binding.
    ///
    /// ```
    /// use chargekit::meter::AnomalyKind;
    /// assert_eq!(AnomalyKind::BeginZeroPlaceholder.as_str(), "begin_zero_placeholder");
    /// assert_eq!(AnomalyKind::ALL.len(), 15);
    /// ```
    pub enum AnomalyKind {
        /// The same data arrived more than once in different messages.
        Duplicate = "duplicate",
        /// Messages disagree about their order (seqNo vs time, or receive vs station time).
        OutOfOrder = "out_of_order",
        /// A 2.0.1 seqNo is missing from the transaction's sequence.
        MissingSeqNo = "missing_seq_no",
        /// A single reading dropped below the trend and the next one returned to it.
        Dip = "dip",
        /// The register restarted near zero and kept rising.
        MeterReset = "meter_reset",
        /// The register wrapped around at a power of ten or two.
        Rollover = "rollover",
        /// An energy step implies more power than the station can deliver.
        ImplausiblePower = "implausible_power",
        /// A Transaction.Begin value of 0 that is an offline placeholder.
        BeginZeroPlaceholder = "begin_zero_placeholder",
        /// meterStart/meterStop disagree with the sampled series.
        StartStopMismatch = "start_stop_mismatch",
        /// The unit looks wrong (e.g. kWh numbers labelled Wh).
        UnitSuspect = "unit_suspect",
        /// The unit is not an OCPP unit; the value is kept raw.
        UnknownUnit = "unknown_unit",
        /// The value is not a finite number.
        Unparseable = "unparseable",
        /// A timestamp is implausible (before time sync, skewed, outside the transaction).
        ClockSuspect = "clock_suspect",
        /// Data arrived for a transaction that had already ended.
        AfterEnd = "after_end",
        /// A 1.6 StartTransaction whose transaction id is not in the log could not be matched
        /// to a transaction although start-less ones exist on its connector (reported on the
        /// start's session and on those).
        UnmatchedStart = "unmatched_start",
    }
}

/// One anomaly found in a session's data.
///
/// ```
/// use chargekit::meter::{Anomaly, AnomalyKind};
/// let a = Anomaly::new(AnomalyKind::Dip, None, None, "register dropped to 0");
/// assert_eq!(a.kind.as_str(), "dip");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Anomaly {
    /// What kind of anomaly.
    pub kind: AnomalyKind,
    /// The station time it concerns, when it concerns one moment.
    pub at: Option<DateTime<Utc>>,
    /// The OCPP message id it was found in, when it concerns one message.
    pub message_id: Option<String>,
    /// A sentence for people: what was seen and what was done about it.
    pub detail: String,
}

impl Anomaly {
    /// Creates an anomaly.
    pub fn new(
        kind: AnomalyKind,
        at: Option<DateTime<Utc>>,
        message_id: Option<&str>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            at,
            message_id: message_id.map(str::to_string),
            detail: detail.into(),
        }
    }
}

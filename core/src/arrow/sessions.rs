//! OCPP frames in, sessions out, one station at a time.

use super::build::Columns;
use super::columns::{required, Instants, Texts};
use super::priced::{self, Pricing};
use super::records;
use crate::analytics::SessionRecord;
use crate::billing::PricingPolicy;
use crate::meter::MeterPolicy;
use crate::ocpp::OcppVersion;
use crate::session::{Session, SessionAssembler};
use crate::tariff::Tariff;
use crate::Error;
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashSet, VecDeque};

/// Sessions as one batch: the session-record columns (so the table feeds the analytics
/// as it is), then what OCPP adds.
pub(crate) fn write(sessions: &[Session], timezone: Option<Tz>) -> Result<RecordBatch, Error> {
    let recs: Vec<SessionRecord> = sessions.iter().map(SessionRecord::from).collect();
    let mut out = Columns::default();
    records::write(&mut out, &recs)?;
    let s = sessions;
    let keys: Vec<String> = s.iter().map(|s| s.key.to_string()).collect();
    out.text(
        "transaction_id",
        false,
        keys.iter().map(|k| Some(k.as_str())),
    );
    out.text("stable_key", false, s.iter().map(|s| Some(&*s.stable_key)));
    let versions: Vec<String> = s.iter().map(|s| s.version.to_string()).collect();
    out.text(
        "ocpp_version",
        false,
        versions.iter().map(|v| Some(v.as_str())),
    );
    // int64 rather than uint32: Spark and Java have no unsigned types.
    out.integers("evse_id", true, s.iter().map(|s| s.evse_id.map(i64::from)));
    out.integers(
        "connector_id",
        true,
        s.iter().map(|s| s.connector_id.map(i64::from)),
    );
    out.text("state", false, s.iter().map(|s| Some(s.state().as_str())));
    out.instants("start", false, s.iter().map(|s| Some(s.start)))?;
    out.instants("end", true, s.iter().map(|s| s.end))?;
    out.instants("last_seen", false, s.iter().map(|s| Some(s.last_seen)))?;
    out.decimals("meter_start_wh", true, s.iter().map(|s| s.meter_start_wh))?;
    out.decimals("meter_stop_wh", true, s.iter().map(|s| s.meter_stop_wh))?;
    out.decimals(
        "energy_export_wh",
        false,
        s.iter().map(|s| Some(s.energy_export_wh)),
    )?;
    out.decimals(
        "energy_net_wh",
        false,
        s.iter().map(|s| Some(s.energy_net_wh)),
    )?;
    out.text(
        "energy_method",
        false,
        s.iter().map(|s| Some(s.energy_method.as_str())),
    );
    out.integers(
        "discharging_s",
        false,
        s.iter().map(|s| Some(s.discharging_s)),
    );
    out.integers("idle_s", false, s.iter().map(|s| Some(s.idle_s)));
    out.integers("overstay_s", false, s.iter().map(|s| Some(s.overstay_s)));
    out.text_lists(
        "anomalies",
        s.iter()
            .map(|s| s.anomalies.iter().map(|a| a.kind.as_str())),
    );
    out.text("tariff_id", true, s.iter().map(|s| s.tariff_id.as_deref()));
    out.decimals("max_cost", true, s.iter().map(|s| s.max_cost))?;
    let zone = timezone.map(|tz| tz.name());
    out.text("timezone", true, s.iter().map(|_| zone));
    out.finish()
}

/// A frame waiting for the rest of its station: when it was received, and its text.
type Pending = (Option<DateTime<Utc>>, String);

/// Turns batches of OCPP frames (the [`frames_schema`](super::frames_schema) columns) into
/// batches of sessions, one batch per station.
///
/// Within a station the frames are taken in `received_at` order when every frame of the
/// station has one (ties in row order), else in row order: arrival order decides what is
/// reported as `out_of_order`, so give engines that shuffle rows the receive times.
///
/// With `presorted` (frames ordered by `station_id`, as a partition sorted by station is),
/// a station's sessions are written as soon as the next station starts, so memory holds
/// one station; a station that comes back after another is then an error rather than two
/// half sessions. Without it, every station is kept until [`finish`](Self::finish).
///
/// ```
/// use chargekit::arrow::{frames_batch, SessionsFromFrames};
/// use chargekit::meter::MeterPolicy;
/// let frames = frames_batch(&[
///     ("CP-1", None, r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]"#),
///     ("CP-1", None, r#"[3,"1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#),
///     ("CP-1", None, r#"[2,"2","StopTransaction",{"transactionId":7,"meterStop":8400,"timestamp":"2026-03-10T09:00:00Z"}]"#),
/// ]).unwrap();
/// let mut job = SessionsFromFrames::new(None, MeterPolicy::default(), None, true);
/// let mut out = job.push(&frames).unwrap();
/// out.extend(job.finish().unwrap());
/// assert_eq!(out.len(), 1);
/// assert_eq!(out[0].num_rows(), 1);
/// let records = chargekit::arrow::records_from_batch(&out[0]).unwrap();
/// assert_eq!(records[0].energy.wh().to_string(), "7400");
/// ```
pub struct SessionsFromFrames {
    version: Option<OcppVersion>,
    policy: MeterPolicy,
    timezone: Option<Tz>,
    presorted: bool,
    /// Frames of the stations not yet written, by station (one at most when presorted).
    open: BTreeMap<String, Vec<Pending>>,
    /// Stations already written (presorted only), to refuse their return.
    written: HashSet<String>,
    /// When set, each station's sessions are priced and the priced table is written.
    pricing: Option<Pricing>,
}

impl SessionsFromFrames {
    /// A job for frames of `version` (None: told from the messages) under `policy`; the
    /// sessions table names `timezone` as the site's zone when given.
    pub fn new(
        version: Option<OcppVersion>,
        policy: MeterPolicy,
        timezone: Option<Tz>,
        presorted: bool,
    ) -> Self {
        Self {
            version,
            policy,
            timezone,
            presorted,
            open: BTreeMap::new(),
            written: HashSet::new(),
            pricing: None,
        }
    }

    /// Writes priced sessions ([`priced_schema`](super::priced_schema)) instead of sessions:
    /// each session priced by `tariffs` for a site in `timezone` under `policy`, as
    /// [`crate::billing::price_session`] prices it.
    pub fn with_pricing(
        mut self,
        tariffs: Vec<Tariff>,
        timezone: Tz,
        policy: PricingPolicy,
    ) -> Self {
        self.pricing = Some(Pricing {
            tariffs,
            timezone,
            policy,
        });
        self
    }

    /// Takes one batch of frames; returns the sessions of the stations it completed
    /// (presorted only).
    pub fn push(&mut self, batch: &RecordBatch) -> Result<Vec<RecordBatch>, Error> {
        let stations = required(Texts::of(batch, "station_id")?, "station_id")?;
        let frames = required(Texts::of(batch, "frame")?, "frame")?;
        let received = Instants::of(batch, "received_at")?;
        let mut out = Vec::new();
        for row in 0..batch.num_rows() {
            let station = stations.value(row)?;
            if self.presorted {
                out.extend(self.switch_to(station)?);
            }
            let at = match &received {
                Some(r) => r.get(row)?,
                None => None,
            };
            let frame = (at, frames.value(row)?.to_owned());
            match self.open.get_mut(station) {
                Some(pending) => pending.push(frame),
                None => {
                    self.open.insert(station.to_owned(), vec![frame]);
                }
            }
        }
        Ok(out)
    }

    /// Writes the open station when `station` is another one; refuses a station's return.
    fn switch_to(&mut self, station: &str) -> Result<Option<RecordBatch>, Error> {
        if self.open.contains_key(station) {
            return Ok(None);
        }
        if self.written.contains(station) {
            return Err(Error::ArrowSchema {
                column: "station_id".into(),
                reason: format!(
                    "frames of station {station:?} come again after other stations; \
                     sort by station_id or do not declare the input presorted"
                ),
            });
        }
        self.pop_first()
    }

    /// Assembles and writes the first open station. A frame that cannot be read is an
    /// error naming the station and the frame's place among the station's frames.
    fn pop_first(&mut self) -> Result<Option<RecordBatch>, Error> {
        let Some((station, mut frames)) = self.open.pop_first() else {
            return Ok(None);
        };
        if frames.iter().all(|(at, _)| at.is_some()) {
            frames.sort_by_key(|(at, _)| *at);
        }
        let texts: Vec<(Option<DateTime<Utc>>, &str)> =
            frames.iter().map(|(at, t)| (*at, t.as_str())).collect();
        let mut assembler =
            SessionAssembler::new(station.clone(), self.version, self.policy.clone());
        assembler
            .feed_frame_texts(&texts)
            .map_err(|(i, e)| Error::ArrowValue {
                column: "frame".into(),
                row: u64::try_from(i).unwrap_or(u64::MAX),
                reason: format!("frame {i} of station {station:?}: {e}"),
            })?;
        let sessions = assembler.sessions()?;
        let batch = match &self.pricing {
            Some(pricing) => priced::write(&sessions, pricing)?,
            None => write(&sessions, self.timezone)?,
        };
        if self.presorted {
            self.written.insert(station);
        }
        Ok(Some(batch))
    }

    /// The whole job over `batches` at once: every batch pushed, then finished.
    ///
    /// ```
    /// use chargekit::arrow::{frames_batch, SessionsFromFrames};
    /// let frames = frames_batch(&[("CP-1", None, r#"[2,"1","Heartbeat",{}]"#)]).unwrap();
    /// let job = SessionsFromFrames::new(None, Default::default(), None, false);
    /// let out = job.run([Ok(frames)]).unwrap();
    /// assert_eq!((out.len(), out[0].num_rows()), (1, 0)); // a station without sessions
    /// ```
    pub fn run(
        self,
        batches: impl IntoIterator<Item = Result<RecordBatch, Error>>,
    ) -> Result<Vec<RecordBatch>, Error> {
        self.stream(batches).collect()
    }

    /// The job as an iterator over `batches`: each station's batch comes out as soon as it
    /// is complete, so with `presorted` input neither the frames nor the sessions are held
    /// whole (without it, every station waits for the end of the input). The first error
    /// ends the stream.
    ///
    /// ```
    /// use chargekit::arrow::{frames_batch, SessionsFromFrames};
    /// let beat = r#"[2,"1","Heartbeat",{}]"#;
    /// let first = frames_batch(&[("CP-1", None, beat)]).unwrap();
    /// let second = frames_batch(&[("CP-2", None, beat)]).unwrap();
    /// let job = SessionsFromFrames::new(None, Default::default(), None, true);
    /// let mut input = vec![Ok(first), Ok(second)].into_iter();
    /// let mut out = job.stream(input.by_ref());
    /// // CP-1 is complete once CP-2 starts: its batch leaves before the input is read out.
    /// assert!(out.next().unwrap().is_ok());
    /// assert_eq!(out.count(), 1);
    /// ```
    pub fn stream<I>(self, batches: I) -> Stream<I::IntoIter>
    where
        I: IntoIterator<Item = Result<RecordBatch, Error>>,
    {
        Stream {
            job: Some(self),
            input: batches.into_iter(),
            ready: VecDeque::new(),
        }
    }

    /// The schema of the batches the job writes: sessions, or priced sessions.
    pub fn schema(&self) -> SchemaRef {
        if self.pricing.is_some() {
            super::priced_schema()
        } else {
            super::sessions_schema()
        }
    }

    /// The sessions of the stations still open, one batch per station in `station_id` order.
    pub fn finish(mut self) -> Result<Vec<RecordBatch>, Error> {
        let mut out = Vec::new();
        while let Some(batch) = self.pop_first()? {
            out.push(batch);
        }
        Ok(out)
    }
}

/// [`SessionsFromFrames::stream`]: the job's batches, each as soon as its station is done.
pub struct Stream<I> {
    job: Option<SessionsFromFrames>,
    input: I,
    ready: VecDeque<RecordBatch>,
}

impl<I: Iterator<Item = Result<RecordBatch, Error>>> Iterator for Stream<I> {
    type Item = Result<RecordBatch, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(batch) = self.ready.pop_front() {
                return Some(Ok(batch));
            }
            let step = match (self.input.next(), self.job.as_mut()) {
                (_, None) => return None,
                (Some(batch), Some(job)) => batch.and_then(|b| job.push(&b)),
                (None, Some(_)) => self.job.take().map_or(Ok(Vec::new()), |job| job.finish()),
            };
            match step {
                Ok(out) => self.ready.extend(out),
                Err(e) => {
                    self.job = None;
                    return Some(Err(e));
                }
            }
        }
    }
}

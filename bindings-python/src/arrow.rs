//! `chargekit.arrow`: Arrow tables in and out (`chargekit::arrow`) through the Arrow
//! PyCapsule interface, so any producer works (pyarrow, polars, DuckDB, arro3). Results
//! are `RecordBatchReader`s that expose `__arrow_c_stream__`; the GIL is released while
//! the core reads and writes the batches.

use crate::analytics::{sessions_arg, summary};
use crate::convert::{self, Int, Text};
use crate::errors::{detached, guarded};
use crate::{billing, policy, Any};
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};
use chargekit::analytics::{self, SessionRecord};
use chargekit::arrow::{self as core_arrow, SessionsFromFrames};
use chargekit::calendar::parse_timezone;
use chargekit::error::catch_panic;
use chargekit::ocpp::OcppVersion;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyRecordBatchReader;

/// An Arrow stream of `batches`, all of `schema`.
fn stream(batches: Vec<RecordBatch>, schema: SchemaRef) -> PyRecordBatchReader {
    let items = batches.into_iter().map(Ok);
    PyRecordBatchReader::new(Box::new(RecordBatchIterator::new(items, schema)))
}

/// True for an object that offers `__arrow_c_stream__` or `__arrow_c_array__`.
pub fn is_arrow(obj: &Any<'_>) -> PyResult<bool> {
    Ok(obj.hasattr("__arrow_c_stream__")? || obj.hasattr("__arrow_c_array__")?)
}

/// The batches of an Arrow object as they are read (a producer's own failure has no
/// column: it is named as the stream).
fn batches_of(
    input: &Any<'_>,
) -> PyResult<impl Iterator<Item = chargekit::Result<RecordBatch>> + Send> {
    let reader: Box<dyn RecordBatchReader + Send> = input
        .extract::<AnyRecordBatch>()
        .map_err(|_| convert::wrong_type(input, "an Arrow table, batch or stream"))?
        .into_reader()?;
    Ok(reader.map(|b| {
        b.map_err(|e| chargekit::Error::ArrowSchema {
            column: "(stream)".into(),
            reason: e.to_string(),
        })
    }))
}

/// The batches of an Arrow object, read one at a time by `each` outside the GIL.
fn each_batch<T: Send>(
    input: &Any<'_>,
    each: impl FnOnce(&mut dyn Iterator<Item = chargekit::Result<RecordBatch>>) -> chargekit::Result<T>
        + Send,
) -> PyResult<T> {
    let mut batches = batches_of(input)?;
    Ok(detached(input.py(), || each(&mut batches))?)
}

/// The session records of an Arrow table (the record columns of ``docs/arrow.md``).
pub fn records(input: &Any<'_>) -> PyResult<Vec<SessionRecord>> {
    each_batch(input, |batches| core_arrow::records_from_batches(batches))
}

/// `job` over the frames as a lazy Arrow stream: each station's batch is made when the
/// consumer reads it. The first is made here, outside the GIL, so that a wrong schema or a
/// bad first station raises its typed error at the call; a later error reaches the reader
/// as an Arrow error carrying the same sentence.
fn frames_job(frames: &Any<'_>, job: SessionsFromFrames) -> PyResult<PyRecordBatchReader> {
    let schema = job.schema();
    let mut out = job.stream(batches_of(frames)?);
    let first = detached(frames.py(), || out.next().transpose())?;
    // Read by the consumer through the C stream: a panic must not unwind into it.
    let next = move || {
        let step = || -> chargekit::Result<_> { Ok(out.next()) };
        catch_panic(step).unwrap_or_else(|e| Some(Err(e)))
    };
    let rest =
        std::iter::from_fn(next).map(|b| b.map_err(|e| ArrowError::ExternalError(Box::new(e))));
    let all = first.into_iter().map(Ok).chain(rest);
    Ok(PyRecordBatchReader::new(Box::new(
        RecordBatchIterator::new(all, schema),
    )))
}

/// The arguments every frames job takes.
fn frames_args(
    version: Option<Text>,
    policy: Option<&Any<'_>>,
    timezone: Option<&Any<'_>>,
    presorted: bool,
) -> PyResult<SessionsFromFrames> {
    let policy = policy::extract(policy)?;
    let zone = convert::zone_arg(timezone, "timezone")?;
    Ok(guarded(|| {
        let version: Option<OcppVersion> = version.as_deref().map(str::parse).transpose()?;
        let tz = zone.as_deref().map(parse_timezone).transpose()?;
        Ok(SessionsFromFrames::new(version, policy, tz, presorted))
    })?)
}

/// Sessions from an Arrow table of OCPP frames, one batch per station.
#[pyfunction]
#[pyo3(signature = (frames, version=None, *, policy=None, timezone=None, presorted=false))]
pub fn sessions_from_frames(
    frames: &Any<'_>,
    version: Option<Text>,
    policy: Option<&Any<'_>>,
    timezone: Option<&Any<'_>>,
    presorted: bool,
) -> PyResult<PyRecordBatchReader> {
    frames_job(frames, frames_args(version, policy, timezone, presorted)?)
}

/// Priced sessions from an Arrow table of OCPP frames, one batch per station.
#[pyfunction]
#[pyo3(signature = (frames, tariffs, timezone, *, version=None, policy=None, pricing_policy=None, presorted=false))]
pub fn price_sessions(
    frames: &Any<'_>,
    tariffs: &Any<'_>,
    timezone: &Any<'_>,
    version: Option<Text>,
    policy: Option<&Any<'_>>,
    pricing_policy: Option<&Any<'_>>,
    presorted: bool,
) -> PyResult<PyRecordBatchReader> {
    let (tariffs, pricing) = (billing::tariffs(tariffs)?, billing::policy(pricing_policy)?);
    let zone = convert::zone_name(timezone, "timezone")?;
    let tz = guarded(|| parse_timezone(&zone))?;
    frames_job(
        frames,
        frames_args(version, policy, None, presorted)?.with_pricing(tariffs, tz, pricing),
    )
}

/// Session records (a ``SessionBatch``, dicts, sessions or an Arrow table) as an Arrow stream.
#[pyfunction]
pub fn arrow_session_records(py: Python<'_>, sessions: &Any<'_>) -> PyResult<PyRecordBatchReader> {
    let records = sessions_arg(sessions)?;
    let batch = detached(py, || core_arrow::records_to_batch(&records))?;
    Ok(stream(vec![batch], core_arrow::records_schema()))
}

/// The site summary of the sessions as a one-row Arrow stream, or with `by_site` one row
/// per site; an Arrow input is read straight from its columns, over `shards` threads.
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None, shards=None, by_site=false))]
pub fn arrow_summarize(
    sessions: &Any<'_>,
    tz: Option<&Any<'_>>,
    options: Option<&Any<'_>>,
    shards: Option<Int<usize>>,
    by_site: bool,
) -> PyResult<PyRecordBatchReader> {
    let (opts, shards) = (summary(tz, options)?, shards.map_or(1, |n| n.0));
    let summaries = if by_site {
        let records = sessions_arg(sessions)?;
        detached(sessions.py(), || {
            Ok(analytics::summarize_fleet(&records, &opts)?.sites)
        })?
    } else if is_arrow(sessions)? {
        vec![each_batch(sessions, |batches| {
            let all = batches.collect::<chargekit::Result<Vec<_>>>()?;
            core_arrow::summarize_parallel(&all, &opts, shards)
        })?]
    } else {
        let records = sessions_arg(sessions)?;
        let summarize = || analytics::summarize_parallel(&records, &opts, shards);
        vec![detached(sessions.py(), summarize)?]
    };
    let batch = guarded(|| core_arrow::summary_to_batch(&summaries))?;
    Ok(stream(vec![batch], core_arrow::summary_schema()))
}

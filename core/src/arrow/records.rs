//! Session records (the input of the analytics) as Arrow: one row per session.

use super::build::Columns;
use super::columns::{required, Decimals, Instants, Integers, TextLists, Texts};
use super::values::Cell;
use crate::analytics::{EndedBy, Fees, SessionRecord};
use crate::units::{Energy, Power};
use crate::Error;
use arrow_array::RecordBatch;

/// Writes the record columns of `records` into `out` (the sessions table adds its own after).
pub(crate) fn write(out: &mut Columns, records: &[SessionRecord]) -> Result<(), Error> {
    let r = records;
    out.text("session_id", false, r.iter().map(|s| Some(&*s.session_id)));
    out.text("station_id", false, r.iter().map(|s| Some(&*s.station_id)));
    out.text("port_id", false, r.iter().map(|s| Some(&*s.port_id)));
    out.text("site_id", true, r.iter().map(|s| s.site_id.as_deref()));
    out.text("user_id", true, r.iter().map(|s| s.user_id.as_deref()));
    out.instants("plug_in", false, r.iter().map(|s| Some(s.plug_in)))?;
    out.instants("plug_out", false, r.iter().map(|s| Some(s.plug_out)))?;
    out.instants("tx_start", true, r.iter().map(|s| s.tx_start))?;
    out.instants("tx_end", true, r.iter().map(|s| s.tx_end))?;
    out.instants("charge_start", true, r.iter().map(|s| s.charge_start))?;
    out.instants("charge_end", true, r.iter().map(|s| s.charge_end))?;
    out.decimals("energy_wh", false, r.iter().map(|s| Some(s.energy.wh())))?;
    out.integers("charging_s", true, r.iter().map(|s| s.charging_s));
    out.integers("throttled_s", true, r.iter().map(|s| s.throttled_s));
    out.decimals(
        "peak_power_w",
        true,
        r.iter().map(|s| s.peak_power.map(Power::w)),
    )?;
    out.decimals(
        "rated_power_w",
        true,
        r.iter().map(|s| s.rated_power.map(Power::w)),
    )?;
    out.decimals("soc_start", true, r.iter().map(|s| s.soc_start))?;
    out.decimals("soc_end", true, r.iter().map(|s| s.soc_end))?;
    out.text(
        "ended_by",
        true,
        r.iter().map(|s| s.ended_by.map(EndedBy::as_str)),
    );
    out.text(
        "stop_reason",
        true,
        r.iter().map(|s| s.stop_reason.as_deref()),
    );
    out.text_lists(
        "error_codes",
        r.iter().map(|s| s.error_codes.iter().map(String::as_str)),
    );
    let fee = |f: fn(&Fees) -> Option<rust_decimal::Decimal>| {
        r.iter().map(move |s| s.fees.as_ref().and_then(f))
    };
    out.decimals("fees_total", true, fee(|f| f.total))?;
    out.decimals("fees_energy", true, fee(|f| f.energy))?;
    out.decimals("fees_session", true, fee(|f| f.session))?;
    out.decimals("fees_time", true, fee(|f| f.time))?;
    out.text(
        "payment_type",
        true,
        r.iter().map(|s| s.payment_type.as_deref()),
    );
    Ok(())
}

/// Reads session records from a batch with the record columns (others are ignored; of the
/// optional ones, an absent column reads as null).
pub(crate) fn read(batch: &RecordBatch) -> Result<Vec<SessionRecord>, Error> {
    let mut out = Vec::with_capacity(batch.num_rows());
    for_each(batch, |r| out.push(r.clone()))?;
    Ok(out)
}

/// Text into a reused string: no allocation once its capacity suffices.
fn set(target: &mut String, text: &str) {
    target.clear();
    target.push_str(text);
}

/// Optional text into a reused optional string.
fn set_opt(target: &mut Option<String>, text: Option<&str>) {
    match (target.as_mut(), text) {
        (Some(t), Some(text)) => set(t, text),
        (None, Some(text)) => *target = Some(text.to_owned()),
        (_, None) => *target = None,
    }
}

/// The text at `row` of an optional column.
fn opt_text<'a>(t: &Option<Texts<'a>>, row: usize) -> Option<&'a str> {
    t.as_ref().and_then(|t| t.get(row))
}

/// Calls `each` with every row of `batch` as a session record. The record is one buffer
/// refilled row by row, so that summarising a table allocates (almost) nothing per row.
pub(crate) fn for_each(
    batch: &RecordBatch,
    mut each: impl FnMut(&SessionRecord),
) -> Result<(), Error> {
    let text = |name| Texts::of(batch, name);
    let time = |name| Instants::of(batch, name);
    let dec = |name| Decimals::of(batch, name);
    let (session_id, station_id, port_id) = (
        required(text("session_id")?, "session_id")?,
        required(text("station_id")?, "station_id")?,
        required(text("port_id")?, "port_id")?,
    );
    let (plug_in, plug_out) = (
        required(time("plug_in")?, "plug_in")?,
        required(time("plug_out")?, "plug_out")?,
    );
    let energy = required(dec("energy_wh")?, "energy_wh")?;
    let (site_id, user_id, ended_by, stop_reason, payment_type) = (
        text("site_id")?,
        text("user_id")?,
        text("ended_by")?,
        text("stop_reason")?,
        text("payment_type")?,
    );
    let (tx_start, tx_end, charge_start, charge_end) = (
        time("tx_start")?,
        time("tx_end")?,
        time("charge_start")?,
        time("charge_end")?,
    );
    let (charging_s, throttled_s) = (
        Integers::of(batch, "charging_s")?,
        Integers::of(batch, "throttled_s")?,
    );
    let (peak, rated, soc_start, soc_end) = (
        dec("peak_power_w")?,
        dec("rated_power_w")?,
        dec("soc_start")?,
        dec("soc_end")?,
    );
    let fees = [
        dec("fees_total")?,
        dec("fees_energy")?,
        dec("fees_session")?,
        dec("fees_time")?,
    ];
    let error_codes = TextLists::of(batch, "error_codes")?;
    let opt_time = |t: &Option<Instants<'_>>, row| t.as_ref().map_or(Ok(None), |t| t.get(row));
    let opt_dec = |d: &Option<Decimals<'_>>, row| d.as_ref().map_or(Ok(None), |d| d.get(row));
    let opt_int = |i: &Option<Integers<'_>>, row| i.as_ref().and_then(|i| i.get(row));
    if batch.num_rows() == 0 {
        return Ok(());
    }
    let mut r = SessionRecord::new(
        "",
        "",
        "",
        plug_in.value(0)?,
        plug_out.value(0)?,
        Energy::ZERO,
    );
    for row in 0..batch.num_rows() {
        set(&mut r.session_id, session_id.value(row)?);
        set(&mut r.station_id, station_id.value(row)?);
        set(&mut r.port_id, port_id.value(row)?);
        r.plug_in = plug_in.value(row)?;
        r.plug_out = plug_out.value(row)?;
        r.energy = Energy::from_wh(energy.value(row)?);
        set_opt(&mut r.site_id, opt_text(&site_id, row));
        set_opt(&mut r.user_id, opt_text(&user_id, row));
        r.tx_start = opt_time(&tx_start, row)?;
        r.tx_end = opt_time(&tx_end, row)?;
        r.charge_start = opt_time(&charge_start, row)?;
        r.charge_end = opt_time(&charge_end, row)?;
        r.charging_s = opt_int(&charging_s, row);
        r.throttled_s = opt_int(&throttled_s, row);
        r.peak_power = opt_dec(&peak, row)?.map(Power::from_w);
        r.rated_power = opt_dec(&rated, row)?.map(Power::from_w);
        r.soc_start = opt_dec(&soc_start, row)?;
        r.soc_end = opt_dec(&soc_end, row)?;
        r.ended_by = match opt_text(&ended_by, row) {
            Some(name) => Some(name.parse::<EndedBy>().map_err(|e| {
                Cell {
                    column: "ended_by",
                    row,
                }
                .error(e)
            })?),
            None => None,
        };
        set_opt(&mut r.stop_reason, opt_text(&stop_reason, row));
        r.error_codes = match &error_codes {
            Some(lists) => lists.get(row)?,
            None => Vec::new(),
        };
        let [total, energy_fee, session_fee, time_fee] = [
            opt_dec(&fees[0], row)?,
            opt_dec(&fees[1], row)?,
            opt_dec(&fees[2], row)?,
            opt_dec(&fees[3], row)?,
        ];
        r.fees = (total.is_some()
            || energy_fee.is_some()
            || session_fee.is_some()
            || time_fee.is_some())
        .then_some(Fees {
            total,
            energy: energy_fee,
            session: session_fee,
            time: time_fee,
        });
        set_opt(&mut r.payment_type, opt_text(&payment_type, row));
        each(&r);
    }
    Ok(())
}

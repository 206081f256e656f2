"""chargekit.arrow and SummaryPartial: Arrow tables from pyarrow, polars, DuckDB and arro3 give the
single-process results exactly; what cannot cross exactly is a typed error; partials travel
as bytes and through pickle and merge to the one-process summary."""

import json
import pickle
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

import chargekit
from chargekit import analytics, arrow, ocpp

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
LOGS = {"CP-ALPHA": "site-day-ocpp16.jsonl", "CP-BRAVO": "site-day-ocpp201.jsonl"}
BASE = datetime(2026, 3, 10, 0, 0, tzinfo=timezone.utc)


def frames_table():
    rows = {"station_id": [], "received_at": [], "frame": []}
    n = 0
    for station, name in LOGS.items():
        for line in (DATA / name).read_text().splitlines():
            rows["station_id"].append(station)
            rows["received_at"].append(BASE.timestamp() * 1_000_000 + n * 1_000_000)
            rows["frame"].append(line)
            n += 1
    return pa.table({
        "station_id": pa.array(rows["station_id"], pa.string()),
        "received_at": pa.array([int(x) for x in rows["received_at"]], pa.timestamp("us", tz="UTC")),
        "frame": pa.array(rows["frame"], pa.string()),
    })


def single_process(table):
    """sessions_from_messages per station, in arrival order, with the same receive times."""
    out = []
    for station in LOGS:
        sub = table.filter(pa.compute.equal(table["station_id"], station)).sort_by("received_at")
        log = [json.dumps({"received_at": t.isoformat(), "frame": json.loads(f)})
               for t, f in zip(sub["received_at"].to_pylist(), sub["frame"].to_pylist())]
        out += ocpp.sessions_from_messages("\n".join(log), station_id=station)
    return out


def test_frames_become_the_single_process_sessions():
    table = frames_table()
    got = pa.table(arrow.sessions_from_frames(table, timezone="Europe/Berlin"))
    want = single_process(table)
    assert got.num_rows == len(want) == 13
    assert got["session_id"].to_pylist() == [f"{s.station_id}-{s.transaction_id}" for s in want]
    assert got["energy_wh"].to_pylist() == [s.energy_wh for s in want]
    assert got["anomalies"].to_pylist() == [[a.kind for a in s.anomalies] for s in want]
    assert set(got["timezone"].to_pylist()) == {"Europe/Berlin"}
    assert got.schema.field("energy_wh").type == pa.decimal128(38, 6)
    assert got.schema.field("plug_in").type == pa.timestamp("us", tz="UTC")
    records = pa.table(arrow.session_records(want))
    assert records.to_pylist() == got.select(records.column_names).to_pylist()


def test_shuffled_and_split_input_gives_the_same_table():
    table = frames_table()
    want = pa.table(arrow.sessions_from_frames(table))
    rows = table.to_pylist()
    mixed = [rows[(i * 7919) % len(rows)] for i in range(len(rows))]
    mixed_table = pa.Table.from_pylist(mixed, schema=table.schema)
    reader = pa.RecordBatchReader.from_batches(table.schema, mixed_table.to_batches(max_chunksize=37))
    assert pa.table(arrow.sessions_from_frames(reader)) == want


def test_polars_and_duckdb_tables_are_read_alike():
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    table = frames_table()
    want = pa.table(arrow.sessions_from_frames(table))
    assert pa.table(arrow.sessions_from_frames(pl.from_arrow(table))) == want
    rel = duckdb.from_arrow(table)
    assert pa.table(arrow.sessions_from_frames(rel.arrow())) == want
    generated, options = analytics.generate_sessions({"days": 7}, batch=True)
    records = pa.table(arrow.session_records(generated))
    summary = analytics.summarize(generated, options=options)
    assert analytics.summarize(pl.from_arrow(records), options=options) == summary


def test_arro3_tables_are_read_and_results_are_read_by_arro3():
    """arro3 (no pyarrow inside) speaks only the PyCapsule interface, both ways."""
    arro3 = pytest.importorskip("arro3.core")
    table = frames_table()
    want = pa.table(arrow.sessions_from_frames(table))
    got = arro3.Table.from_arrow(arrow.sessions_from_frames(arro3.Table.from_arrow(table)))
    assert got.num_rows == want.num_rows
    assert pa.table(got) == want
    generated, options = analytics.generate_sessions({"days": 7}, batch=True)
    records = arro3.Table.from_arrow(arrow.session_records(generated))
    assert analytics.summarize(records, options=options) == analytics.summarize(generated, options=options)


def test_summaries_from_arrow_equal_summarize():
    generated, options = analytics.generate_sessions({"days": 14}, batch=True)
    records = pa.table(arrow.session_records(generated))
    want = analytics.summarize(generated, options=options)
    assert analytics.summarize(records, options=options) == want
    row = pa.table(arrow.summarize(records, options=options)).to_pylist()[0]
    for shards in (2, 7):
        sliced = pa.Table.from_batches(records.to_batches(max_chunksize=333))
        assert pa.table(arrow.summarize(sliced, options=options, shards=shards)).to_pylist()[0] == row
    assert row["sessions_seen"] == want.counts["sessions_seen"]
    summary = json.loads(row["summary"], parse_float=Decimal)
    assert Decimal(str(summary["energy"]["total_kwh"])) == want.energy["total_kwh"]


def test_what_cannot_cross_exactly_is_refused():
    generated, options = analytics.generate_sessions({"days": 2}, batch=True)
    records = pa.table(arrow.session_records(generated))
    naive = records.set_column(records.schema.get_field_index("plug_in"), "plug_in",
                               records["plug_in"].cast(pa.timestamp("us")))
    with pytest.raises(chargekit.ArrowSchemaError) as e:
        analytics.summarize(naive, options=options)
    assert e.value.column == "plug_in" and "time zone" in e.value.reason
    floats = records.set_column(records.schema.get_field_index("energy_wh"), "energy_wh",
                                records["energy_wh"].cast(pa.float64()))
    with pytest.raises(chargekit.ArrowSchemaError):
        analytics.summarize(floats, options=options)
    fine = [{"session_id": "s", "station_id": "CP", "port_id": "1", "plug_in": BASE,
             "plug_out": BASE, "energy": Decimal("0.0000001")}]
    with pytest.raises(chargekit.ArrowValueError) as e:
        arrow.session_records(fine)
    assert (e.value.column, e.value.row) == ("energy_wh", 0)
    with pytest.raises(TypeError):
        arrow.sessions_from_frames([1, 2, 3])
    # A station that comes back after another in presorted input: typed at the call when
    # the first batch already shows it, else the reader's Arrow error with the same sentence.
    back_at_once = pa.concat_tables([frames_table().slice(0, 5), frames_table().slice(len(frames_table()) - 5),
                                     frames_table().slice(0, 5)])
    with pytest.raises(chargekit.ArrowSchemaError, match="CP-ALPHA"):
        arrow.sessions_from_frames(back_at_once.combine_chunks(), presorted=True)
    presorted_lie = pa.concat_tables([frames_table(), frames_table().slice(0, 5)])
    with pytest.raises(pa.ArrowException, match="CP-ALPHA.*presorted"):
        pa.table(arrow.sessions_from_frames(presorted_lie, presorted=True))


def test_sessions_stream_one_station_at_a_time():
    """With presorted input, the first station's batch is made before the input is read out,
    and the rest as the reader reads: the same table as in one go."""
    table = frames_table()
    batches = table.to_batches(max_chunksize=50)
    pulled = []

    def source():
        for b in batches:
            pulled.append(b.num_rows)
            yield b

    out = arrow.sessions_from_frames(pa.RecordBatchReader.from_batches(table.schema, source()), presorted=True)
    made_at_call = len(pulled)
    assert 0 < made_at_call < len(batches)
    assert pa.table(out) == pa.table(arrow.sessions_from_frames(table))
    assert len(pulled) == len(batches)


def test_partials_travel_as_bytes_and_pickles_and_merge_exactly():
    sessions, options = analytics.generate_sessions({"days": 14, "stations": 3})
    want = analytics.summarize(sessions, options=options)
    parts = []
    for i in range(3):
        p = analytics.SummaryPartial(options=options)
        p.add(sessions[i::3])
        parts.append(p)
    shipped = [analytics.SummaryPartial.from_bytes(parts[0].to_bytes()),
               pickle.loads(pickle.dumps(parts[1])), parts[2]]
    total = shipped[0]
    total.merge(shipped[1])
    total.merge(shipped[2])
    assert total.finish() == want
    assert total.fingerprint == parts[1].fingerprint
    other = analytics.SummaryPartial(options={**options, "overstay_grace_s": 1})
    assert other.fingerprint != total.fingerprint
    with pytest.raises(chargekit.IncompatibleAccumulatorsError):
        total.merge(other)
    damaged = bytearray(parts[0].to_bytes())
    damaged[-1] ^= 1
    with pytest.raises(chargekit.ChargekitError):
        analytics.SummaryPartial.from_bytes(bytes(damaged))
    with pytest.raises(chargekit.MissingPeriodError):
        analytics.SummaryPartial("Europe/Berlin")


def two_sites():
    """Generated sessions of four stations at two sites, and their options."""
    sessions, options = analytics.generate_sessions({"days": 14, "stations": 4})
    for s in sessions:
        s["site_id"] = "north" if s["station_id"] in ("ST-1", "ST-2") else "south"
    return sessions, options


def test_fleet_partials_are_small_travel_and_merge_to_summarize_fleet():
    sessions, options = two_sites()
    report = analytics.summarize_fleet(sessions, options=options)
    assert [s.site_id for s in report.sites] == ["north", "south"]
    assert report.fleet.sites == 2 and report.fleet.counts["sessions_seen"] == len(sessions)
    assert report.fleet.energy["total_kwh"] == sum(s.energy["total_kwh"] for s in report.sites)
    north = analytics.FleetPartial(options=options)
    assert north.add([s for s in sessions if s["site_id"] == "north"]) == report.sites[:1]
    south = analytics.FleetPartial(options=options)
    assert south.add([s for s in sessions if s["site_id"] == "south"]) == report.sites[1:]
    # A fleet partial does not grow with the sessions it holds (a SummaryPartial does).
    site_partial = analytics.SummaryPartial(options=options)
    site_partial.add(sessions)
    assert len(north.to_bytes()) < 6000 < len(site_partial.to_bytes())
    shipped = [analytics.FleetPartial.from_bytes(north.to_bytes()), pickle.loads(pickle.dumps(south))]
    assert analytics.FleetPartial.merge_many(shipped).finish() == report.fleet
    shipped[1].merge(shipped[0])
    assert shipped[1].finish() == report.fleet
    other = analytics.FleetPartial(options={**options, "overstay_grace_s": 1})
    assert other.fingerprint != north.fingerprint
    with pytest.raises(chargekit.IncompatibleAccumulatorsError):
        north.merge(other)
    with pytest.raises(chargekit.InvalidArgumentError, match="fleet partial bytes"):
        analytics.FleetPartial.from_bytes(site_partial.to_bytes())
    with pytest.raises(chargekit.InvalidArgumentError):
        analytics.FleetPartial.merge_many([])
    rows = pa.table(arrow.summarize(sessions, options=options, by_site=True))
    assert rows["site_id"].to_pylist() == ["north", "south"]
    assert rows["sessions_used"].to_pylist() == [s.counts["sessions_used"] for s in report.sites]


def test_summary_partials_merge_many():
    sessions, options = analytics.generate_sessions({"days": 7, "stations": 2})
    parts = []
    for i in range(3):
        p = analytics.SummaryPartial(options=options)
        p.add(sessions[i::3])
        parts.append(p)
    merged = analytics.SummaryPartial.merge_many(parts)
    assert merged.finish() == analytics.summarize(sessions, options=options)
    # The parts are left as they were.
    assert parts[0].finish() != merged.finish()


def test_priced_sessions_equal_session_price():
    tariff = (DATA / "tariff-tou.json").read_text()
    table = frames_table()
    got = pa.table(arrow.price_sessions(table, tariff, "Europe/Berlin"))
    want = single_process(table)
    prices = [s.price(tariff, timezone="Europe/Berlin") for s in want]
    assert got["session_id"].to_pylist() == [f"{s.station_id}-{s.transaction_id}" for s in want]
    assert got["total_incl_vat"].to_pylist() == [p.total_cost.incl_vat for p in prices]
    assert got["energy_cost"].to_pylist() == [p.total_energy_cost.excl_vat for p in prices]
    assert set(got["currency"].to_pylist()) == {"EUR"}
    assert got["error_kind"].null_count == got.num_rows
    old = json.loads(tariff)
    old["end_date_time"] = "2020-01-01T00:00:00Z"
    late = pa.table(arrow.price_sessions(table, old, "Europe/Berlin", pricing_policy="ocpi_tariffs"))
    assert set(late["error_kind"].to_pylist()) == {"no_valid_tariff"}
    assert late["total_incl_vat"].null_count == late.num_rows

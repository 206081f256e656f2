"""Sessions per second through the full site summary: ``chargekit.analytics.summarize``
against the same summary computed in pandas (issue #6).

Sessions come from the core's seeded synthetic generator
(``chargekit.analytics.generate_sessions``); by default the configuration of the criterion
bench ``benches/benches/analytics.rs`` (a 500-port public site over 600 days, about 1.02
million sessions, seed 2026). ``--n`` scales the number of days for about ``n`` sessions.

Four costs are timed separately, so that the comparison is explicit:

1. generating the sessions as Python dicts (not compared, reported for scale);
2. ``chargekit.analytics.summarize(sessions, options=...)`` from those dicts: the whole
   call a Python user makes, converting every dict to the core's record included;
3. building the pandas DataFrame from the same dicts (``pd.DataFrame`` + column types);
4. the pandas summary from that DataFrame (:func:`summarize_pandas`), the DataFrame
   already built.

Sessions/s are quoted for (2) and (4), and the ratio (4)/(2) time.

Before timing is reported, the pandas results are checked against chargekit's
(:func:`compare`): counts, energy (total, mean, median), durations (mean and median dwell,
charging, idle), time totals, per-port and per-station metrics (sessions, energy, mean and
median energy, occupied/charging time, busy time, occupied/charging/idle rates, capacity
factor, in-use days, quick turnovers, overstays), site utilisation, every heatmap
(occupancy, congestion, arrivals, departures, arrival rate, energy, available hours), peak
hours, overstay totals and the repeat overstayers, demand indicators, the off-peak shift
estimate and the validation flag counts. Integers and sums of whole mWh/seconds must be
equal; chargekit rounds rates to 6 decimals (heatmap shares and ratios to 4, means to 3)
while pandas keeps float64, so those agree within 0.6 units of chargekit's last decimal.

pandas assumes the options the generator produces (site-local buckets, always open,
plug-in/plug-out boundary, idle = dwell − charging, exclude-errors filter, flag outliers,
per-port denominator) and a time zone whose UTC offsets are whole hours; it refuses others.
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

#: The criterion bench's generator configuration (benches/benches/analytics.rs).
RUST_BENCH_CONFIG: Dict[str, Any] = {
    "seed": 2026,
    "days": 600,
    "stations": 250,
    "ports_per_station": 2,
    "profile": "public",
    "arrivals_per_port_day": Decimal("3.6"),
    "users": 50_000,
}
#: Sessions per port and day the configuration above yields (for ``--n``).
SESSIONS_PER_PORT_DAY = 3.53
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_PER_WEEK = 168


def config(n: Optional[int] = None) -> Dict[str, Any]:
    """The generator configuration: the criterion bench's, or scaled to about ``n``
    sessions (fewer stations below 100 000 sessions, so that tiny runs stay tiny)."""
    cfg = dict(RUST_BENCH_CONFIG)
    if n is None:
        return cfg
    stations = max(2, min(250, n // 4000))
    ports = stations * cfg["ports_per_station"]
    cfg["stations"] = stations
    cfg["days"] = max(1, math.ceil(n / (ports * SESSIONS_PER_PORT_DAY)))
    cfg["users"] = max(10, min(50_000, n // 20))
    return cfg


def generate(cfg: Mapping[str, Any]) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """The core's synthetic sessions (dicts) and the summary options of their site."""
    from chargekit.analytics import generate_sessions

    return generate_sessions(dict(cfg))


# ---------------------------------------------------------------------------------------
# The DataFrame
# ---------------------------------------------------------------------------------------


def to_frame(sessions: Sequence[Mapping[str, Any]]) -> Any:
    """The sessions as a pandas DataFrame with natural column types: ids as str, instants
    as ``datetime64[UTC]``, ``charging_s`` float (NaN when absent), energy in Wh as float,
    ``ended_by`` str, and the number of error codes."""
    import pandas as pd

    df = pd.DataFrame.from_records(sessions)
    for col in ("charge_start", "charge_end", "charging_s", "user_id", "ended_by", "error_codes"):
        if col not in df:
            df[col] = None
    out = pd.DataFrame(
        {
            "session_id": df["session_id"].astype(str),
            "station_id": df["station_id"].astype(str),
            "port_id": df["port_id"].astype(str),
            "user_id": df["user_id"],
            "plug_in": pd.to_datetime(df["plug_in"], utc=True),
            "plug_out": pd.to_datetime(df["plug_out"], utc=True),
            "charge_start": pd.to_datetime(df["charge_start"], utc=True),
            "charge_end": pd.to_datetime(df["charge_end"], utc=True),
            "charging_s": pd.to_numeric(df["charging_s"], errors="raise").astype("float64"),
            "energy_wh": df["energy"].astype("float64"),
            "ended_by": df["ended_by"],
            "error_codes": df["error_codes"].map(lambda c: len(c) if isinstance(c, list) else 0),
        }
    )
    if "stop_reason" in df and (out["ended_by"].isna() & df["stop_reason"].notna()).any():
        raise NotImplementedError("the pandas summary needs ended_by (the generator sets it)")
    return out


# ---------------------------------------------------------------------------------------
# The pandas summary
# ---------------------------------------------------------------------------------------


def _epoch_s(col: Any) -> Any:
    """``datetime64[UTC]`` → float seconds since 1970 (NaN for NaT; exact below 2^53)."""
    import numpy as np
    import pandas as pd

    out = (col - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return out.to_numpy(dtype=np.float64, na_value=np.nan)


def _check_options(opts: Mapping[str, Any]) -> None:
    wanted = {
        "availability": {"closures": [], "kind": "always_open"},
        "boundary": "plug_in_plug_out",
        "bucketing": "site_local",
        "denominator": "per_port",
        "filter": "exclude_errors",
        "idle": "dwell_minus_charging",
        "outliers": "flag",
    }
    for key, value in wanted.items():
        if opts.get(key) != value:
            raise NotImplementedError(f"the pandas summary implements {key}={value!r} only")


class _HourTable:
    """Local hour-of-week bucket, local day and UTC offset of every UTC hour from ``h0``."""

    def __init__(self, tz: str, first_s: int, last_s: int) -> None:
        import numpy as np
        import pandas as pd

        self.h0 = first_s // 3600
        hours = pd.date_range(
            pd.Timestamp(self.h0 * 3600, unit="s", tz="UTC"),
            pd.Timestamp((last_s // 3600 + 1) * 3600, unit="s", tz="UTC"),
            freq="h",
        )
        local = hours.tz_convert(tz)
        offset = (local.tz_localize(None) - hours.tz_localize(None)) / pd.Timedelta(seconds=1)
        offset = np.asarray(offset, dtype=np.int64)
        if (offset % 3600).any():
            raise NotImplementedError(f"{tz} has UTC offsets that are not whole hours")
        self.bucket = np.asarray(local.day_of_week * 24 + local.hour, dtype=np.int64)
        self.offset = offset

    def of(self, t: Any) -> Any:
        """Bucket of instants ``t`` (int seconds)."""
        return self.bucket[t // 3600 - self.h0]

    def day(self, t: Any) -> Any:
        """Local day number (days since 1970-01-01) of instants ``t``."""
        return (t + self.offset[t // 3600 - self.h0]) // 86_400


def _pieces(lo: Any, hi: Any) -> Tuple[Any, Any, Any, Any]:
    """Cuts intervals ``[lo, hi)`` (int arrays, lo < hi) at every UTC hour: returns the
    index of the interval each piece belongs to, its hour, start and end."""
    import numpy as np

    first = lo // 3600
    n = (hi - 1) // 3600 - first + 1
    owner = np.repeat(np.arange(len(lo)), n)
    step = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    hour = first[owner] + step
    a = np.maximum(lo[owner], hour * 3600)
    b = np.minimum(hi[owner], hour * 3600 + 3600)
    return owner, hour, a, b


def _runs(key: Any, a: Any, b: Any) -> Tuple[Any, Any, Any]:
    """Merges intervals ``[a, b)`` per ``key`` into busy runs (sweep order: an end at t
    comes before a start at t, so touching intervals are separate runs). Returns per run:
    key, start, end, sorted by key and start."""
    import numpy as np
    import pandas as pd

    order = np.lexsort((a, key))
    k, a, b = key[order], a[order], b[order]
    reach = pd.Series(b).groupby(k).cummax().to_numpy()
    prev = np.empty_like(reach)
    prev[1:] = reach[:-1]
    new = np.ones(len(k), dtype=bool)
    new[1:] = (k[1:] != k[:-1]) | (a[1:] >= prev[1:])
    run = np.cumsum(new) - 1
    starts = a[new]
    ends = pd.Series(b).groupby(run).max().to_numpy()
    return k[new], starts, ends


def _level_runs(starts: Any, ends: Any) -> Tuple[int, Any, Any]:
    """Sweeps +1/−1 events (ends before starts at equal instants): the peak level and the
    spans ``[t_i, t_{i+1})`` with the level after event i."""
    import numpy as np

    t = np.concatenate([starts, ends])
    d = np.concatenate([np.ones(len(starts), np.int64), -np.ones(len(ends), np.int64)])
    order = np.lexsort((d, t))
    t, level = t[order], np.cumsum(d[order])
    peak = int(level.max()) if len(level) else 0
    return peak, t, level


def _share(v: Any, num: Any, den: Any) -> Any:
    """``v × num ÷ den`` rounded half up, in integers (the core's ``share``)."""
    return (2 * v * num + den) // (2 * den)


def summarize_pandas(df: Any, opts: Mapping[str, Any]) -> Dict[str, Any]:
    """The site summary of ``df`` (see :func:`to_frame`) under ``opts`` (the summary
    options dict), computed with pandas/numpy. Rates are float64; sums are exact integers
    (seconds, mWh)."""
    import numpy as np
    import pandas as pd

    _check_options(opts)
    rules = opts["rules"]
    ps = int(_epoch_s(pd.Series(pd.to_datetime([opts["period"]["start"]], utc=True)))[0])
    pe = int(_epoch_s(pd.Series(pd.to_datetime([opts["period"]["end"]], utc=True)))[0])
    avail = pe - ps
    grace = int(opts["overstay_grace_s"])
    declared = {(p["station_id"], p["port_id"]): p for p in opts["ports"]}

    plug_in = _epoch_s(df["plug_in"]).astype(np.int64)
    plug_out = _epoch_s(df["plug_out"]).astype(np.int64)
    start, end = plug_in, np.maximum(plug_out, plug_in)
    dwell = end - start
    cs_raw, ce_raw = _epoch_s(df["charge_start"]), _epoch_s(df["charge_end"])
    cs = np.clip(np.where(np.isnan(cs_raw), start, cs_raw), start, end).astype(np.int64)
    chg_given = df["charging_s"].to_numpy()
    claimed = np.where(np.isnan(chg_given), ce_raw - cs, chg_given)  # NaN: not stated
    charging = np.clip(np.where(np.isnan(claimed), dwell, claimed), 0, dwell).astype(np.int64)
    idle = dwell - charging
    has_ce = ~np.isnan(ce_raw)
    ce_clamped = np.clip(np.where(has_ce, ce_raw, 0), start, end).astype(np.int64)
    after_full = np.where(has_ce, end - ce_clamped, dwell - charging)
    overstay_s = np.maximum(after_full - max(grace, 0), 0)
    wh = df["energy_wh"].to_numpy()
    mwh = np.round(wh * 1000).astype(np.int64)
    kwh = wh / 1000
    ended_by = df["ended_by"].to_numpy(dtype=object)
    fault = (ended_by == "fault") | ((ended_by == "other") & (df["error_codes"].to_numpy() > 0))
    floor_kwh = float(Decimal(opts["success"]["threshold"]["kwh"]))
    success = (kwh > 0) & ~fault & ((ended_by == "ev") | (kwh >= floor_kwh))

    # Validation flags (docs/analytics-and-feedback.md §2.1) and the filter.
    station = df["station_id"].to_numpy(dtype=object)
    port = df["port_id"].to_numpy(dtype=object)
    key = pd.Series(list(zip(station, port)))
    rated_w = key.map(lambda k: float(declared[k]["rated_power"]) if k in declared else np.nan)
    rated_w = rated_w.to_numpy(dtype=np.float64)
    avg_w = np.where(charging > 0, wh * 3600 / np.maximum(charging, 1), np.nan)
    flags = {
        "end_before_start": plug_out < plug_in,
        "zero_duration": dwell == 0,
        "short_duration": (dwell < rules["min_duration_s"]) | (charging < rules["min_duration_s"]),
        "long_session": dwell > rules["max_session_s"],
        "long_charging": charging > rules["max_charging_s"],
        "low_energy": kwh < float(Decimal(rules["min_energy_kwh"])),
        "high_energy": kwh > float(Decimal(rules["max_energy_kwh"])),
        "charging_exceeds_session": (~np.isnan(claimed) & (claimed > dwell))
        | (has_ce & (ce_raw > end)),
        "zero_energy_claimed": (kwh <= 0) & ~np.isnan(claimed) & (claimed > 0),
        "power_above_rated": avg_w > rated_w * float(Decimal(rules["max_power_ratio"])),
        "outside_period": (plug_in < ps) | (plug_in >= pe) | (plug_out < ps),
        "unregistered_port": (
            ~key.isin(list(declared)).to_numpy() if declared else np.zeros(len(df), bool)
        ),
    }
    ids = df["session_id"]
    dup = ids.duplicated(keep=False).to_numpy()
    flag_counts = {name: int(v.sum()) for name, v in flags.items() if v.any()}
    if dup.any():
        flag_counts["duplicate_id"] = int(dup.sum())
    errors = (
        "end_before_start",
        "zero_duration",
        "zero_energy_claimed",
        "outside_period",
        "unregistered_port",
    )
    used = ~np.logical_or.reduce([flags[f] for f in errors])
    in_means = used & ~(flags["long_session"] | flags["high_energy"])

    # Used sessions only from here.
    u = used
    start, end, dwell, charging, idle = start[u], end[u], dwell[u], charging[u], idle[u]
    cs, overstay_s, mwh, success = cs[u], overstay_s[u], mwh[u], success[u]
    means = in_means[u]
    ports_all = sorted(set(declared) | set(zip(station[u], port[u])))
    port_index = {k: i for i, k in enumerate(ports_all)}
    pidx = key[u].map(port_index).to_numpy(dtype=np.int64)
    station_ids = sorted({s for s, _ in ports_all})
    st_of_port = np.array([station_ids.index(s) for s, _ in ports_all], dtype=np.int64)
    nports, nst = len(ports_all), len(station_ids)
    table = _HourTable(
        opts["tz"],
        min(int(start.min(initial=ps)), ps) - 86_400,
        max(int(end.max(initial=pe)), pe) + 86_400,
    )
    day = table.day(start)

    # Occupancy, clipped to the period.
    a, b = np.maximum(start, ps), np.minimum(end, pe)
    occ = a < b
    rk, ra, rb = _runs(pidx[occ], a[occ], b[occ])
    port_busy = np.bincount(rk, weights=rb - ra, minlength=nports).astype(np.int64)
    gap = np.full(len(rk), np.iinfo(np.int64).max)
    same = np.zeros(len(rk), dtype=bool)
    same[1:] = rk[1:] == rk[:-1]
    gap[1:] = ra[1:] - rb[:-1]
    quick = np.bincount(rk[same & (gap <= int(opts["quick_turnover_s"]))], minlength=nports)
    sk, sa, sb = _runs(st_of_port[pidx[occ]], a[occ], b[occ])
    station_busy = np.bincount(sk, weights=sb - sa, minlength=nst).astype(np.int64)
    peak_sessions, _, _ = _level_runs(a[occ], b[occ])
    peak_ports, t_ev, level = _level_runs(ra, rb)
    full = np.nonzero(level[:-1] == nports)[0] if nports else np.array([], np.int64)
    cong_a, cong_b = t_ev[full], t_ev[full + 1]
    keep = cong_a < cong_b
    cong_a, cong_b = cong_a[keep], cong_b[keep]

    def grid(lo: Any, hi: Any) -> Any:
        if len(lo) == 0:
            return np.zeros(HOURS_PER_WEEK, np.int64)
        _, hour, x, y = _pieces(lo, hi)
        return np.bincount(table.bucket[hour - table.h0], weights=y - x, minlength=HOURS_PER_WEEK)

    exposure = grid(np.array([ps]), np.array([pe]))
    busy_grid = grid(ra, rb)
    cong_grid = grid(cong_a, cong_b)

    # Energy per hour and the off-peak shift, over each session's charging in the period.
    tou = opts["tou"]
    hours = np.arange(HOURS_PER_WEEK)
    peak_bucket = (hours % 24 >= tou["start_hour"]) & (hours % 24 < tou["end_hour"])
    if tou["start_hour"] > tou["end_hour"]:
        peak_bucket = (hours % 24 >= tou["start_hour"]) | (hours % 24 < tou["end_hour"])
    if tou["weekdays_only"]:
        peak_bucket &= hours // 24 < 5
    sidx = np.nonzero(occ)[0]
    owner, hour, x, y = _pieces(a[occ], b[occ])
    owner = sidx[owner]
    bucket = table.bucket[hour - table.h0]
    ce = np.minimum(cs + charging, end)
    span = ce - cs
    overlap = np.maximum(np.minimum(y, ce[owner]) - np.maximum(x, cs[owner]), 0)
    e = np.where(
        overlap == span[owner], mwh[owner], _share(mwh[owner], overlap, np.maximum(span[owner], 1))
    )
    e = np.where(overlap > 0, e, 0)
    is_peak = peak_bucket[bucket]
    energy_grid = np.bincount(bucket, weights=e, minlength=HOURS_PER_WEEK)
    n = len(start)
    in_period_chg = np.bincount(owner, weights=overlap, minlength=n).astype(np.int64)
    peak_chg = np.bincount(owner, weights=overlap * is_peak, minlength=n).astype(np.int64)
    peak_dwell = np.bincount(owner, weights=(y - x) * is_peak, minlength=n).astype(np.int64)
    peak_e = np.bincount(owner, weights=e * is_peak, minlength=n).astype(np.int64)
    charged_in_peak = peak_chg > 0
    spare = np.maximum(((b - a) - peak_dwell) - (in_period_chg - peak_chg), 0)
    shift = np.minimum(spare, peak_chg)
    flexible = charged_in_peak & (shift == peak_chg)
    shiftable = np.where(flexible, peak_e, _share(peak_e, shift, np.maximum(peak_chg, 1)))
    shiftable = int(shiftable[charged_in_peak].sum())

    # Per port and station.
    frame = pd.DataFrame(
        {
            "port": pidx,
            "station": st_of_port[pidx],
            "mwh": mwh,
            "mean_mwh": np.where(means, mwh, np.nan),
            "dwell": dwell,
            "charging": charging,
            "in_period": in_period_chg,
            "overstay": overstay_s > 0,
            "day": day,
        }
    )
    by_port = frame.groupby("port")
    per_port = pd.DataFrame(
        {
            "sessions": by_port.size(),
            "energy_mwh": by_port["mwh"].sum(),
            "mean_kwh": by_port["mean_mwh"].mean() / 1e6,
            "median_kwh": by_port["mean_mwh"].median() / 1e6,
            "occupied_s": by_port["dwell"].sum(),
            "charging_s": by_port["charging"].sum(),
            "charging_in_period": by_port["in_period"].sum(),
            "overstays": by_port["overstay"].sum(),
            "in_use_days": by_port["day"].nunique(),
        }
    ).reindex(range(nports))
    per_port[
        [
            "sessions",
            "energy_mwh",
            "occupied_s",
            "charging_s",
            "charging_in_period",
            "overstays",
            "in_use_days",
        ]
    ] = (
        per_port[
            [
                "sessions",
                "energy_mwh",
                "occupied_s",
                "charging_s",
                "charging_in_period",
                "overstays",
                "in_use_days",
            ]
        ]
        .fillna(0)
        .astype(np.int64)
    )
    per_port["busy_s"] = port_busy
    chg_in = np.minimum(per_port["charging_in_period"].to_numpy(), port_busy)
    per_port["occupied_rate"] = np.minimum(port_busy / avail, 1)
    per_port["charging_rate"] = np.minimum(chg_in / avail, 1)
    per_port["idle_rate"] = np.minimum((port_busy - chg_in) / avail, 1)
    port_rated = np.array(
        [float(declared[k]["rated_power"]) if k in declared else np.nan for k in ports_all]
    )
    cap_wh = port_rated * avail / 3600
    per_port["capacity_factor"] = np.minimum(per_port["energy_mwh"] / 1000 / cap_wh, 1)
    per_port["quick_turnovers"] = quick
    per_port["station_id"] = [s for s, _ in ports_all]
    per_port["port_id"] = [p for _, p in ports_all]

    by_station = frame.groupby("station")
    st_chg = np.minimum(
        np.bincount(st_of_port, weights=per_port["charging_in_period"].to_numpy(), minlength=nst),
        station_busy,
    )
    rated_by_station = np.bincount(st_of_port, weights=np.nan_to_num(cap_wh), minlength=nst)
    energy_by_station = np.bincount(
        st_of_port, weights=per_port["energy_mwh"].to_numpy(), minlength=nst
    )
    per_station = pd.DataFrame(
        {
            "station_id": station_ids,
            "ports": np.bincount(st_of_port, minlength=nst),
            "sessions": by_station.size().reindex(range(nst), fill_value=0).to_numpy(),
            "energy_mwh": energy_by_station.astype(np.int64),
            "mean_kwh": (by_station["mean_mwh"].mean() / 1e6).reindex(range(nst)).to_numpy(),
            "median_kwh": (by_station["mean_mwh"].median() / 1e6).reindex(range(nst)).to_numpy(),
            "occupied_rate": np.minimum(station_busy / avail, 1),
            "capacity_factor": np.minimum(energy_by_station / 1000 / rated_by_station, 1),
            "in_use_days": by_station["day"].nunique().reindex(range(nst), fill_value=0).to_numpy(),
        }
    )

    # Users and overstays.
    users = df["user_id"][u]
    has_user = users.notna().to_numpy()
    per_user = (
        pd.DataFrame(
            {
                "user_id": users[has_user].to_numpy(),
                "ov": overstay_s[has_user] > 0,
                "ov_s": overstay_s[has_user],
            }
        )
        .assign(ov_s=lambda d: np.where(d["ov"], d["ov_s"], 0))
        .groupby("user_id")
        .agg(sessions=("ov", "size"), overstays=("ov", "sum"), overstay_s=("ov_s", "sum"))
        .reset_index()
    )
    repeat = per_user[per_user["overstays"] >= max(int(opts["repeat_overstays"]), 1)].sort_values(
        ["overstays", "overstay_s", "user_id"], ascending=[False, False, True]
    )

    occupancy = np.where(exposure > 0, busy_grid / np.maximum(exposure * nports, 1), 0)
    congestion = np.where(exposure > 0, cong_grid / np.maximum(exposure, 1), 0)
    in_period = (start >= ps) & (start < pe)
    arrivals = np.bincount(table.of(start[in_period]), minlength=HOURS_PER_WEEK)
    dep = (end > start) & (end >= ps) & (end < pe)
    departures = np.bincount(table.of(end[dep]), minlength=HOURS_PER_WEEK)
    order = sorted(
        (k for k in range(HOURS_PER_WEEK) if occupancy[k] > 0), key=lambda k: (-occupancy[k], k)
    )
    used_n = int(u.sum())
    mean_mwh = mwh[means]
    total_mwh = int(mwh.sum())
    peak_mwh = int(peak_e.sum())
    rated_cap = float(np.nansum(cap_wh))
    port_rate_num = (
        int(port_busy.sum()),
        int(np.minimum(per_port["charging_in_period"].to_numpy(), port_busy).sum()),
    )
    denom = avail * nports
    turn_aways = int((~success & (dwell <= int(opts["turn_away_max_dwell_s"]))).sum())

    def stat(v: Any) -> Tuple[Optional[float], Optional[float]]:
        return (float(v.mean()), float(np.median(v))) if len(v) else (None, None)

    return {
        "counts": {
            "sessions_seen": len(df),
            "sessions_used": used_n,
            "sessions_excluded": len(df) - used_n,
            "sessions_per_day": used_n * 86_400 / avail,
            "sessions_per_week": used_n * 7 * 86_400 / avail,
            "in_use_days": int(pd.unique(day).size),
            "unique_users": int(users.nunique()),
        },
        "flags": flag_counts,
        "energy": {
            "total_mwh": total_mwh,
            "mean_kwh": stat(mean_mwh)[0] / 1e6 if len(mean_mwh) else None,
            "median_kwh": stat(mean_mwh)[1] / 1e6 if len(mean_mwh) else None,
        },
        "durations": {
            "dwell": stat(dwell[means]),
            "charging": stat(charging[means]),
            "idle": stat(idle[means]),
        },
        "time": {
            "available_s": avail,
            "occupied_s": int(dwell.sum()),
            "charging_s": int(charging.sum()),
            "idle_s": int(dwell.sum() - charging.sum()),
            "congestion_s": int((cong_b - cong_a).sum()),
        },
        "utilisation": {
            "occupied": min(port_rate_num[0] / denom, 1),
            "charging": min(port_rate_num[1] / denom, 1),
            "idle": min((port_rate_num[0] - port_rate_num[1]) / denom, 1),
            "capacity_factor": min(total_mwh / 1000 / rated_cap, 1) if rated_cap > 0 else None,
            "congestion": min(int((cong_b - cong_a).sum()) / avail, 1),
        },
        "ports": per_port,
        "stations": per_station,
        "heatmaps": {
            "occupancy": occupancy,
            "congestion": congestion,
            "arrivals": arrivals,
            "departures": departures,
            "arrival_rate": np.where(exposure > 0, arrivals / np.maximum(exposure / 3600, 1e-9), 0),
            "energy_mwh": energy_grid.astype(np.int64),
            "available_h": exposure / 3600,
        },
        "peak_hours": [
            (k, occupancy[k], int(arrivals[k])) for k in order[: int(opts["peak_hours_top"])]
        ],
        "peak_order": order,
        "overstay": {
            "sessions": int((overstay_s > 0).sum()),
            "total_s": int(overstay_s.sum()),
            "share": (overstay_s > 0).sum() / used_n if used_n else 0.0,
            "repeat_overstayers": repeat,
        },
        "demand": {
            "attempts": used_n,
            "successes": int(success.sum()),
            "turn_aways": turn_aways,
            "quick_turnovers": int(quick.sum()),
            "peak_concurrent_sessions": peak_sessions,
            "peak_busy_ports": peak_ports,
            "ports": nports,
        },
        "off_peak": {
            "total_mwh": total_mwh,
            "peak_mwh": peak_mwh,
            "shiftable_mwh": shiftable,
            "sessions_in_peak": int(charged_in_peak.sum()),
            "flexible_sessions": int(flexible.sum()),
        },
    }


# ---------------------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------------------


class Mismatch(AssertionError):
    """A pandas result that disagrees with chargekit's."""


class _Checker:
    def __init__(self) -> None:
        self.compared = 0
        self.failures: List[str] = []

    def exact(self, name: str, ck: Any, pd_value: Any) -> None:
        self.compared += 1
        if ck != pd_value:
            self.failures.append(f"{name}: chargekit {ck!r} != pandas {pd_value!r}")

    def near(self, name: str, ck: Optional[Decimal], pd_value: Optional[float], dp: int) -> None:
        """Equal within 0.6 units of chargekit's last decimal (it rounds to ``dp``)."""
        self.compared += 1
        if ck is None or pd_value is None or (isinstance(pd_value, float) and math.isnan(pd_value)):
            if (ck is None) != (pd_value is None or math.isnan(pd_value)):
                self.failures.append(f"{name}: chargekit {ck!r} vs pandas {pd_value!r}")
            return
        if abs(float(ck) - float(pd_value)) > 0.6 * 10.0**-dp + 1e-12:
            self.failures.append(f"{name}: chargekit {ck} vs pandas {pd_value} (to {dp} dp)")


def _mwh(kwh: Decimal) -> int:
    return int(kwh * 1_000_000)


def compare(ck: Mapping[str, Any], pdx: Mapping[str, Any]) -> int:
    """Checks the pandas summary against chargekit's summary dict; raises ``Mismatch``
    listing every disagreement. Returns the number of values compared."""
    c = _Checker()
    for k, v in pdx["counts"].items():
        if k.startswith("sessions_per"):
            c.near(f"counts.{k}", ck["counts"][k], v, 4)
        else:
            c.exact(f"counts.{k}", ck["counts"][k], v)
    c.exact("flags", {f["flag"]: f["count"] for f in ck["flags"]}, pdx["flags"])
    c.exact("energy.total_kwh", _mwh(ck["energy"]["total_kwh"]), pdx["energy"]["total_mwh"])
    c.near("energy.mean_kwh", ck["energy"]["mean_kwh"], pdx["energy"]["mean_kwh"], 3)
    c.near("energy.median_kwh", ck["energy"]["median_kwh"], pdx["energy"]["median_kwh"], 9)
    for name, (mean, median) in pdx["durations"].items():
        c.near(f"durations.mean_{name}_s", ck["durations"][f"mean_{name}_s"], mean, 3)
        c.exact(
            f"durations.median_{name}_s", ck["durations"][f"median_{name}_s"], Decimal(str(median))
        )
    for k, v in pdx["time"].items():
        c.exact(f"time.{k}", ck["time"][k], v)
    for k, v in pdx["utilisation"].items():
        c.near(f"utilisation.{k}", ck["utilisation"][k], v, 6)

    ports = pdx["ports"]
    c.exact("ports.count", len(ck["ports"]), len(ports))
    for row, p in zip(ports.itertuples(index=False), ck["ports"]):
        name = f"ports[{p['station_id']}/{p['port_id']}]"
        c.exact(f"{name}.id", (p["station_id"], p["port_id"]), (row.station_id, row.port_id))
        for k in (
            "sessions",
            "occupied_s",
            "charging_s",
            "busy_s",
            "in_use_days",
            "quick_turnovers",
            "overstays",
        ):
            c.exact(f"{name}.{k}", p[k], int(getattr(row, k)))
        c.exact(f"{name}.energy_kwh", _mwh(p["energy_kwh"]), int(row.energy_mwh))
        c.near(f"{name}.mean_energy_kwh", p["mean_energy_kwh"], row.mean_kwh, 3)
        c.near(f"{name}.median_energy_kwh", p["median_energy_kwh"], row.median_kwh, 9)
        for k in ("occupied_rate", "charging_rate", "idle_rate", "capacity_factor"):
            c.near(f"{name}.{k}", p[k], getattr(row, k), 6)
    stations = pdx["stations"]
    c.exact("stations.count", len(ck["stations"]), len(stations))
    for row, s in zip(stations.itertuples(index=False), ck["stations"]):
        name = f"stations[{s['station_id']}]"
        c.exact(f"{name}.id", s["station_id"], row.station_id)
        for k in ("ports", "sessions", "in_use_days"):
            c.exact(f"{name}.{k}", s[k], int(getattr(row, k)))
        c.exact(f"{name}.energy_kwh", _mwh(s["energy_kwh"]), int(row.energy_mwh))
        c.near(f"{name}.mean_energy_kwh", s["mean_energy_kwh"], row.mean_kwh, 3)
        c.near(f"{name}.median_energy_kwh", s["median_energy_kwh"], row.median_kwh, 9)
        c.near(f"{name}.occupied_rate", s["occupied_rate"], row.occupied_rate, 6)
        c.near(f"{name}.capacity_factor", s["capacity_factor"], row.capacity_factor, 6)

    heat = pdx["heatmaps"]
    for name, dp in (("occupancy", 4), ("congestion", 4), ("arrival_rate", 4), ("available_h", 4)):
        for k in range(HOURS_PER_WEEK):
            c.near(
                f"heatmaps.{name}[{WEEKDAYS[k // 24]} {k % 24}h]",
                ck["heatmaps"][name][k // 24][k % 24],
                heat[name][k],
                dp,
            )
    for name in ("arrivals", "departures"):
        c.exact(
            f"heatmaps.{name}",
            [v for row in ck["heatmaps"][name] for v in row],
            [int(v) for v in heat[name]],
        )
    c.exact(
        "heatmaps.energy_kwh",
        [_mwh(v) for row in ck["heatmaps"]["energy_kwh"] for v in row],
        [int(v) for v in heat["energy_mwh"]],
    )
    # Peak hours: chargekit's are the top of pandas' occupancy ranking (ties within the
    # rounding tolerance may swap places), with the same occupancy and arrivals.
    occ = heat["occupancy"]
    for i, p in enumerate(ck["peak_hours"]):
        k = WEEKDAYS.index(p["weekday"]) * 24 + p["hour"]
        c.near(f"peak_hours[{i}].occupancy", p["occupancy"], occ[k], 4)
        c.near(f"peak_hours[{i}].rank", p["occupancy"], occ[pdx["peak_order"][i]], 4)
        c.exact(f"peak_hours[{i}].arrivals", p["arrivals"], int(heat["arrivals"][k]))

    o = pdx["overstay"]
    c.exact("overstay.sessions", ck["overstay"]["sessions"], o["sessions"])
    c.exact("overstay.total_s", ck["overstay"]["total_s"], o["total_s"])
    c.near("overstay.share", ck["overstay"]["share"], o["share"], 4)
    c.exact(
        "overstay.repeat_overstayers",
        [
            (r["user_id"], r["sessions"], r["overstays"], r["overstay_s"])
            for r in ck["overstay"]["repeat_overstayers"]
        ],
        [
            (r.user_id, int(r.sessions), int(r.overstays), int(r.overstay_s))
            for r in o["repeat_overstayers"].itertuples(index=False)
        ],
    )
    for k, v in pdx["demand"].items():
        c.exact(f"demand.{k}", ck["demand"][k], v)
    op = pdx["off_peak"]
    c.exact("off_peak.total_energy_kwh", _mwh(ck["off_peak"]["total_energy_kwh"]), op["total_mwh"])
    c.exact("off_peak.peak_energy_kwh", _mwh(ck["off_peak"]["peak_energy_kwh"]), op["peak_mwh"])
    c.exact("off_peak.shiftable_kwh", _mwh(ck["off_peak"]["shiftable_kwh"]), op["shiftable_mwh"])
    c.exact("off_peak.sessions_in_peak", ck["off_peak"]["sessions_in_peak"], op["sessions_in_peak"])
    c.exact(
        "off_peak.flexible_sessions", ck["off_peak"]["flexible_sessions"], op["flexible_sessions"]
    )
    if c.failures:
        shown = "\n  ".join(c.failures[:20])
        raise Mismatch(f"{len(c.failures)} of {c.compared} values disagree:\n  {shown}")
    return c.compared


# ---------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------


def best_of(fn: Callable[[], Any], repeat: int) -> Tuple[float, Any]:
    """The best wall time of ``repeat`` calls, and the last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def run(
    n: Optional[int] = None, repeat: int = 3, pandas: bool = True, verbose: bool = True
) -> Dict[str, Any]:
    """Generates the sessions, times chargekit's summary and (when ``pandas``) the
    DataFrame build and the pandas summary, checks agreement, prints and returns the
    numbers."""
    import chargekit.analytics
    from chargekit.analytics import summarize

    cfg = config(n)
    t_gen, (sessions, opts) = best_of(lambda: generate(cfg), 1)
    count = len(sessions)
    t_ck, ck = best_of(lambda: summarize(sessions, options=opts), repeat)
    out: Dict[str, Any] = {
        "sessions": count,
        "generate_s": t_gen,
        "chargekit_s": t_ck,
        "chargekit_per_s": count / t_ck,
    }
    # The columnar counterpart of the DataFrame: the records converted once into a
    # SessionBatch (kept on the Rust side), then summarised (wheels without it skip this).
    batch_type = getattr(chargekit.analytics, "SessionBatch", None)
    if batch_type is not None:
        t_batch, batch = best_of(lambda: batch_type(sessions), 1)
        t_ckb, ckb = best_of(lambda: summarize(batch, options=opts), repeat)
        assert ckb._data == ck._data, "summarize(SessionBatch) differs from summarize(dicts)"
        out.update(
            batch_s=t_batch,
            chargekit_batch_s=t_ckb,
            chargekit_batch_per_s=count / t_ckb,
        )
    # The Arrow counterpart (issue #17): the records as an Arrow table built once, then
    # chargekit.arrow.summarize straight from its columns (wheels without it skip this).
    ck_arrow = getattr(__import__("chargekit"), "arrow", None)
    if ck_arrow is not None and batch_type is not None:
        import pyarrow as pa

        t_tab, table = best_of(lambda: pa.table(ck_arrow.session_records(batch)), 1)
        t_cka, row = best_of(lambda: pa.table(ck_arrow.summarize(table, options=opts)), repeat)
        assert chargekit.analytics.summarize(table, options=opts)._data == ck._data, "Arrow differs"
        assert row["sessions_seen"][0].as_py() == ck.counts["sessions_seen"]
        t_ck2, row2 = best_of(lambda: pa.table(ck_arrow.summarize(table, options=opts, shards=2)), repeat)
        assert row2 == row, "two shards differ"
        out.update(arrow_table_s=t_tab, chargekit_arrow_s=t_cka, chargekit_arrow_per_s=count / t_cka,
                   chargekit_arrow2_s=t_ck2, chargekit_arrow2_per_s=count / t_ck2)
    if pandas:
        import pandas as _  # noqa: F401  (imported before timing, not inside it)

        t_df, df = best_of(lambda: to_frame(sessions), 1)
        t_pd, pdx = best_of(lambda: summarize_pandas(df, opts), repeat)
        out["compared"] = compare(ck.to_dict() if hasattr(ck, "to_dict") else ck._data, pdx)
        out.update(
            frame_s=t_df,
            pandas_s=t_pd,
            pandas_per_s=count / t_pd,
            ratio=t_pd / t_ck,
            ratio_with_frame=(t_pd + t_df) / t_ck,
        )
        if "chargekit_batch_s" in out:
            out["ratio_batch"] = t_pd / out["chargekit_batch_s"]
        if "chargekit_arrow_s" in out:
            out["ratio_arrow"] = t_pd / out["chargekit_arrow_s"]
    if verbose:
        print(
            f"site summary over {count:,} generated sessions "
            f"({cfg['stations'] * cfg['ports_per_station']} ports, {cfg['days']} days), best of {repeat}"
        )
        print(f"  generate (core generator → Python dicts)   {t_gen:8.2f} s")
        print(
            f"  chargekit.analytics.summarize(dicts)       {t_ck:8.2f} s  {out['chargekit_per_s']:>12,.0f} sessions/s"
        )
        if "chargekit_batch_s" in out:
            print(f"  SessionBatch build from the dicts          {out['batch_s']:8.2f} s")
            print(
                f"  chargekit summarize(SessionBatch)          {out['chargekit_batch_s']:8.2f} s  {out['chargekit_batch_per_s']:>12,.0f} sessions/s"
            )
        if "chargekit_arrow_s" in out:
            print(f"  Arrow table build (session_records)        {out['arrow_table_s']:8.2f} s")
            print(
                f"  chargekit.arrow.summarize(Arrow table)     {out['chargekit_arrow_s']:8.2f} s  {out['chargekit_arrow_per_s']:>12,.0f} sessions/s"
            )
            print(
                f"  the same, shards=2 (two threads)           {out['chargekit_arrow2_s']:8.2f} s  {out['chargekit_arrow2_per_s']:>12,.0f} sessions/s"
            )
        if pandas:
            print(f"  pandas DataFrame build from the dicts      {out['frame_s']:8.2f} s")
            print(
                f"  pandas summary from the DataFrame          {out['pandas_s']:8.2f} s  {out['pandas_per_s']:>12,.0f} sessions/s"
            )
            print(
                f"  ratio pandas / chargekit time: {out['ratio']:.1f}x "
                f"({out['ratio_with_frame']:.1f}x with the DataFrame build); "
                f"{out['compared']:,} values agree"
            )
            if "ratio_batch" in out:
                print(
                    f"  ratio pandas summary / chargekit summarize(SessionBatch): {out['ratio_batch']:.1f}x"
                )
            if "ratio_arrow" in out:
                print(
                    f"  ratio pandas summary / chargekit.arrow.summarize: {out['ratio_arrow']:.1f}x "
                    f"({out['pandas_s'] / out['chargekit_arrow2_s']:.1f}x with shards=2)"
                )
    return out


def main(argv: Optional[List[str]] = None) -> None:
    """Command line: ``--n`` sessions (default: the criterion bench's ~1.02 M),
    ``--quick`` for a smoke run, ``--no-pandas`` to time chargekit only."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--n",
        type=int,
        default=None,
        help="about this many sessions (default: the criterion bench's)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="repeats, best taken (default 3)")
    ap.add_argument(
        "--quick", action="store_true", help="smoke run: about 2,000 sessions, 1 repeat"
    )
    ap.add_argument("--no-pandas", action="store_true", help="time chargekit only")
    args = ap.parse_args(argv)
    n, repeat = (2_000, 1) if args.quick else (args.n, args.repeat)
    run(n=n, repeat=repeat, pandas=not args.no_pandas)


if __name__ == "__main__":
    main()

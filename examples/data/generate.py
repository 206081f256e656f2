#!/usr/bin/env python3
"""Generate chargekit's bundled OCPP sample data (standard library only).

    python3 examples/data/generate.py

Writes, next to this script:

  site-day-ocpp16.jsonl   CP-ALPHA, OCPP 1.6-J, one frame per line, arrival order
  site-day-ocpp201.jsonl  CP-BRAVO, OCPP 2.0.1, one frame per line, arrival order
  expected.json           expected session energy (Wh) and anomalies per transaction
  README.md               human description of every file and session

The output is fully deterministic: every random stream is seeded from a fixed
string (random.Random(str) hashes the string with SHA-512, so PYTHONHASHSEED
does not matter) and running the script again rewrites all four files
byte-identically.

How the data is made
--------------------
Each session is simulated second by second: the car draws a power (slowly
varying noise around its on-board charger limit, a taper near full), an
integer Wh meter register per connector/EVSE integrates it, voltages drift a
little. Messages are then cut from that trace, exactly as a station would emit
them (station timestamps), and pushed through a model of the WebSocket link:
live frames arrive a few hundred ms later, during an offline window
transaction-related frames are queued and replayed at reconnect (status
notifications are dropped and the current status is re-sent), and the
anomalies are injected at the link or at the message level. The file is
written in ARRIVAL order.

The expected energy of a session is the number of Wh the meter actually
counted between the start and the end of the transaction ("true consumption",
independent of register resets, dips, unit choices and duplicates). The script
asserts that this equals what the clean register readings give.
"""

import json
import math
import os
import random

SEED = "chargekit-sample-site-day-2026-03-10"
HERE = os.path.dirname(os.path.abspath(__file__))
DATE = "2026-03-10"

F16 = "site-day-ocpp16.jsonl"
F201 = "site-day-ocpp201.jsonl"

ANOMALY_ORDER = [
    "duplicate", "out_of_order", "missing_seq_no", "dip", "meter_reset", "rollover",
    "implausible_power", "begin_zero_placeholder", "start_stop_mismatch", "unit_suspect",
    "unknown_unit", "unparseable", "clock_suspect", "after_end",
]


# ---------------------------------------------------------------------------
# time helpers: all times are integer milliseconds since 2026-03-10T00:00:00Z
# ---------------------------------------------------------------------------

def T(hms):
    """'HH:MM:SS' or 'HH:MM:SS.mmm' (UTC) -> ms since midnight UTC."""
    h, m, s = hms.split(":")
    if "." in s:
        sec, frac = s.split(".")
        ms = int(frac.ljust(3, "0")[:3])
    else:
        sec, ms = s, 0
    return ((int(h) * 60 + int(m)) * 60 + int(sec)) * 1000 + ms


def iso(ms, millis=False):
    s, frac = divmod(ms, 1000)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    assert 0 <= h < 24, ms
    if millis:
        return f"{DATE}T{h:02d}:{m:02d}:{sec:02d}.{frac:03d}Z"
    assert frac == 0, ms
    return f"{DATE}T{h:02d}:{m:02d}:{sec:02d}Z"


def hm(ms, millis=False):
    """Short UTC time for the README."""
    return iso(ms, millis)[11:-1]


class Uids:
    """Deterministic uuid4-shaped message ids."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def __call__(self):
        h = f"{self.r.getrandbits(128):032x}"
        h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) & 3] + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# ---------------------------------------------------------------------------
# physical simulation
# ---------------------------------------------------------------------------

class Meter:
    """Integer-Wh energy register of one connector / EVSE."""

    def __init__(self, reg):
        self.reg = reg      # what the meter displays (can be reset)
        self.count = 0      # Wh counted since the start of the day (never reset)
        self.acc = 0.0

    def add(self, wh):
        self.acc += wh
        w = int(self.acc)
        if w:
            self.reg += w
            self.count += w
            self.acc -= w


class Trace:
    pass


class S:
    """Session specification (plain attribute bag)."""

    def __init__(self, **kw):
        self.pause = None
        self.soc = None
        self.anomaly = None
        self.unplug_after = 0
        self.trigger = "Authorized"
        self.__dict__.update(kw)


def simulate(s, meter, rated_w, v_base):
    """Simulate a session second by second starting at s.t_start.

    Returns a Trace with, for every second offset k from the start:
      reg[k], count[k] (register / counted Wh at that instant, k = 0..N),
      pw[k], state[k], volts[k], soc[k] (during second k, k = 0..N-1).
    """
    rng = random.Random(f"{SEED}/sim/{s.name}")
    car = s.car
    p_max, phases, need, taper = car["p"], car["ph"], car["need"], car.get("taper", 650.0)
    assert p_max * 1.02 <= rated_w
    tr = Trace()
    tr.reg, tr.count, tr.pw, tr.state, tr.volts, tr.soc = [meter.reg], [meter.count], [], [], [], []
    tr.full_k = None
    tr.reset_k = None
    end_k = None
    if s.stop[0] == "at":
        end_k = (T(s.stop[1]) - s.t_start) // 1000
    delivered = 0.0
    noise = 0.0
    vn = [0.0, 0.0, 0.0]
    k = 0
    while end_k is None or k < end_k:
        if k < s.on_s:
            state, p = "EVConnected", 0.0
        elif tr.full_k is not None:
            state, p = "SuspendedEV", 0.0
        elif s.pause and s.pause[0] <= k < s.pause[1]:
            state, p = "SuspendedEVSE", 0.0
        else:
            state = "Charging"
            noise = 0.995 * noise + rng.gauss(0.0, 0.0007)
            noise = max(-0.02, min(0.02, noise))
            rem = need - delivered
            f = 1.0 if rem > taper else max(0.1, rem / taper)
            p = min(float(rated_w), p_max * (1.0 + noise) * f)
        # voltages (absolute-time drift, small noise, a little load sag)
        t_abs = s.t_start / 1000.0 + k
        volts = []
        for i in range(3):
            vn[i] = 0.98 * vn[i] + rng.gauss(0.0, 0.09)
            sag = (p / (3 if phases == 3 else (1 if i == 0 else 1e9))) * 0.00012
            ang = 6.283185307179586 * (t_abs / 5400.0 + i / 3.0)
            volts.append(v_base[i] + 1.6 * math.sin(ang) + vn[i] - sag)
        soc = None
        if s.soc:
            soc = min(s.soc["target"],
                      int(round(s.soc["start"] + delivered * s.soc["eta"] / s.soc["cap"] * 100.0)))
            if tr.full_k is not None:
                soc = s.soc["target"]
        tr.state.append(state)
        tr.pw.append(p)
        tr.volts.append(volts)
        tr.soc.append(soc)
        meter.add(p / 3600.0)
        delivered += p / 3600.0
        if state == "Charging" and delivered >= need and tr.full_k is None:
            tr.full_k = k + 1
            if s.stop[0] == "idle":
                end_k = tr.full_k + s.stop[1]
        k += 1
        if s.pause and s.pause[2] is not None and k == s.pause[2]:
            meter.reg = 0          # meter module rebooted: register restarts at 0
            tr.reset_k = k
        tr.reg.append(meter.reg)
        tr.count.append(meter.count)
    tr.N = end_k
    tr.true_wh = tr.count[end_k] - tr.count[0]
    tr.charging_s = sum(1 for st in tr.state if st == "Charging")
    return tr


def currents(tr, k, phases):
    p = tr.pw[k]
    v = tr.volts[k]
    if phases == 3:
        base = p / (v[0] + v[1] + v[2])
        return [base * 1.004, base * 0.997, base * 0.999]
    return [p / v[0], 0.0, 0.0]


# ---------------------------------------------------------------------------
# link model (arrival order, offline queues)
# ---------------------------------------------------------------------------

class Msg:
    _seq = 0

    def __init__(self, t, kind, frame, conn=None, status=None, txid=None):
        Msg._seq += 1
        self.seq = Msg._seq
        self.t = t                # station send time (ms)
        self.kind = kind          # "tx" (queued when offline) or "status" (dropped when offline)
        self.frame = frame
        self.conn = conn
        self.status = status
        self.txid = txid          # for StartTransaction: the id the CSMS returns
        self.lost = False
        self.session = None

    @property
    def action(self):
        return self.frame[2] if self.frame[0] == 2 else None


class Window:
    def __init__(self, start, end, policy, note):
        self.start, self.end, self.policy, self.note = start, end, policy, note
        self.queue = []
        self.dropped_status = {}


def run_link(msgs, windows, station):
    rng = random.Random(f"{SEED}/link/{station}")
    out = []
    order = [0]

    def put(arrival, frame):
        order[0] += 1
        out.append((arrival, order[0], frame))

    for m in sorted(msgs, key=lambda m: (m.t, m.seq)):
        if m.lost:
            continue
        w = next((w for w in windows if w.start <= m.t < w.end), None)
        if w is not None:
            if m.kind == "tx":
                w.queue.append(m)
            else:
                w.dropped_status[m.conn] = m
            continue
        arr = m.t + rng.randint(150, 900)
        put(arr, m.frame)
        if m.action == "StartTransaction":
            put(arr + rng.randint(40, 250),
                [3, m.frame[1], {"transactionId": m.txid, "idTagInfo": {"status": "Accepted"}}])
    for w in windows:
        w.policy(w, put)
    out.sort(key=lambda x: (x[0], x[1]))
    return [f for _, _, f in out]


def dumps(frame):
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=True)


# ---------------------------------------------------------------------------
# CP-ALPHA: OCPP 1.6, 2 connectors, 11 kW AC 3-phase
# ---------------------------------------------------------------------------

ALPHA_RATED = 11000
ALPHA_REG = {1: 1_203_517, 2: 2_398_264}
ALPHA_VBASE = [231.4, 230.6, 232.1]

ALPHA = [
    S(name="A1", txid=48213, conn=1, id_tag="04A3F21C6B5E80",
      plug="06:11:52", start="06:12:41", car=dict(p=10750, ph=3, need=40000),
      stop=("at", "08:03:17", "Local"), unplug_after=45, soc=None,
      anomaly=None),
    S(name="A5", txid=48217, conn=2, id_tag="04E6612FA1B780",
      plug="07:04:10", start="07:05:02", car=dict(p=6900, ph=3, need=15243.7),
      stop=("at", "09:31:40", "Remote"), unplug_after=95,
      anomaly="begin_zero"),
    S(name="A2", txid=48226, conn=1, id_tag="04519B8A2C3D80",
      plug="08:54:30", start="08:55:12", car=dict(p=10700, ph=3, need=22167),
      stop=("idle", 8 * 60 + 14, "EVDisconnected"),
      soc=dict(start=55, target=90, cap=57000.0, eta=0.90),
      anomaly="dip"),
    S(name="A6", txid=48231, conn=2, id_tag="04C08D3B5E2A81",
      plug="11:44:10", start="11:45:02", car=dict(p=10750, ph=3, need=50000),
      stop=("at", "13:38:55", "Local"), unplug_after=70,
      anomaly="offline_start"),
    S(name="A3", txid=48236, conn=1, id_tag="7F3A9C21",
      plug="12:58:40", start="12:59:31", car=dict(p=3650, ph=1, need=9817.4, taper=300.0),
      stop=("idle", 9 * 60 + 2, "EVDisconnected"),
      anomaly="kwh_clock"),
    S(name="A7", txid=48240, conn=2, id_tag="0412F7A0CC4D80",
      plug="14:39:40", start="14:40:18", car=dict(p=10650, ph=3, need=62637),
      stop=("at", "16:55:12", "Local"), unplug_after=17 * 60 + 18,
      soc=dict(start=24, target=100, cap=75000.0, eta=0.91),
      anomaly="double_stop"),
    S(name="A4", txid=48249, conn=1, id_tag="04A3F21C6B5E80",
      plug="17:48:20", start="17:49:05", car=dict(p=10750, ph=3, need=30593),
      stop=("idle", 2 * 3600, "EVDisconnected"),
      soc=dict(start=52, target=100, cap=58000.0, eta=0.91),
      anomaly="idle"),
]

ALPHA_WINDOWS = {
    "A6": ("11:44:31", "12:52:47"),
    "A7": ("16:47:10", "17:06:40"),
}

DIP_INDEX = 9           # the 9th periodic MeterValues of A2 reports "0"
A6_DUP_INDEX = 6        # the 7th replayed MeterValues of A6 is sent twice


def sv16(value, measurand, unit, context="Sample.Periodic", phase=None, location="Outlet"):
    d = {"value": value, "context": context, "measurand": measurand}
    if phase:
        d["phase"] = phase
    d["location"] = location
    d["unit"] = unit
    return d


def wh_str(reg, kwh):
    return f"{reg // 1000}.{reg % 1000:03d}" if kwh else str(reg)


def build_alpha(uid):
    meters = {c: Meter(r) for c, r in ALPHA_REG.items()}
    msgs = []
    info = []
    for s in sorted(ALPHA, key=lambda s: T(s.start)):
        s.t_plug, s.t_start = T(s.plug), T(s.start)
        s.on_s = 3
        tr = simulate(s, meters[s.conn], ALPHA_RATED, ALPHA_VBASE)
        s.tr = tr
        N = tr.N
        t_end = s.t_start + N * 1000
        reason = s.stop[2]
        t_unplug = t_end + (2000 if reason == "EVDisconnected" else s.unplug_after * 1000)
        s.t_end, s.t_unplug = t_end, t_unplug
        kwh = s.anomaly == "kwh_clock"
        eunit = "kWh" if kwh else "Wh"
        clean_series = []   # (k, register) as really measured, for self-checks

        def status(t, st):
            m = Msg(t, "status", [2, uid(), "StatusNotification",
                                  {"connectorId": s.conn, "errorCode": "NoError", "status": st,
                                   "timestamp": iso(t)}], conn=s.conn, status=st)
            m.session = s.name
            msgs.append(m)
            return m

        def tx(t, action, payload, txid=None):
            m = Msg(t, "tx", [2, uid(), action, payload], conn=s.conn, txid=txid)
            m.session = s.name
            msgs.append(m)
            return m

        def mv_frame(k, context):
            reg = tr.reg[k]
            clean_series.append((k, reg))
            p = int(round(tr.pw[k]))
            cur = currents(tr, k, s.car["ph"])
            v = tr.volts[k]
            regv = wh_str(reg, kwh)
            if s.anomaly == "dip" and context == "Sample.Periodic" and k == DIP_INDEX * 300:
                regv = "0"
            svs = [sv16(regv, "Energy.Active.Import.Register", eunit, context)]
            if kwh:
                svs.append(sv16(f"{p // 1000}.{p % 1000:03d}", "Power.Active.Import", "kW", context))
            else:
                svs.append(sv16(str(p), "Power.Active.Import", "W", context))
            if context == "Sample.Periodic":
                for ph, a in zip(("L1", "L2", "L3"), cur):
                    svs.append(sv16(f"{a:.1f}", "Current.Import", "A", context, ph))
                for ph, vv in zip(("L1-N", "L2-N", "L3-N"), v):
                    svs.append(sv16(f"{vv:.1f}", "Voltage", "V", context, ph))
                if tr.soc[k] is not None:
                    svs.append(sv16(str(tr.soc[k]), "SoC", "Percent", context, location="EV"))
            return {"connectorId": s.conn, "transactionId": s.txid,
                    "meterValue": [{"timestamp": iso(s.t_start + k * 1000), "sampledValue": svs}]}

        status(s.t_plug, "Preparing")
        meter_start = tr.reg[0]
        clean_series.append((0, meter_start))
        s.start_msg = tx(s.t_start, "StartTransaction",
                         {"connectorId": s.conn, "idTag": s.id_tag, "meterStart": meter_start,
                          "timestamp": iso(s.t_start)}, txid=s.txid)
        status(s.t_start + s.on_s * 1000, "Charging")
        if s.anomaly == "begin_zero":
            tx(s.t_start + 2000, "MeterValues",
               {"connectorId": s.conn, "transactionId": s.txid,
                "meterValue": [{"timestamp": iso(s.t_start), "sampledValue": [
                    sv16("0", "Energy.Active.Import.Register", "Wh", "Transaction.Begin")]}]})
        s.periodic = []
        for k in range(300, N, 300):
            s.periodic.append(tx(s.t_start + k * 1000, "MeterValues", mv_frame(k, "Sample.Periodic")))
        s.clock = []
        if kwh:
            q = (s.t_start // 900000 + 1) * 900000
            crng = random.Random(f"{SEED}/clock/{s.name}")
            while q < t_end:
                k = (q - s.t_start) // 1000 + crng.randint(0, 4)
                if k < N:
                    s.clock.append(tx(s.t_start + k * 1000, "MeterValues", mv_frame(k, "Sample.Clock")))
                q += 900000
        if tr.full_k is not None and tr.full_k < N:
            status(s.t_start + tr.full_k * 1000, "SuspendedEV")
        meter_stop = tr.reg[N]
        clean_series.append((N, meter_stop))
        tdata_begin = "0" if s.anomaly == "begin_zero" else wh_str(meter_start, kwh)
        stop_payload = {"transactionId": s.txid}
        if reason in ("Local",):
            stop_payload["idTag"] = s.id_tag
        stop_payload.update({
            "timestamp": iso(t_end), "meterStop": meter_stop, "reason": reason,
            "transactionData": [
                {"timestamp": iso(s.t_start), "sampledValue": [
                    sv16(tdata_begin, "Energy.Active.Import.Register", eunit, "Transaction.Begin")]},
                {"timestamp": iso(t_end), "sampledValue": [
                    sv16(wh_str(meter_stop, kwh), "Energy.Active.Import.Register", eunit,
                         "Transaction.End")]},
            ]})
        s.stop_msg = tx(t_end, "StopTransaction", stop_payload)
        status(t_end + 1000, "Finishing")
        status(t_unplug, "Available")
        s.meter_start, s.meter_stop = meter_start, meter_stop
        s.clean_series = sorted(set(clean_series))
        info.append(s)
    return msgs, info


def alpha_windows(uid):
    sess = {s.name: s for s in ALPHA}

    def status_frames(w, t, put, arrival):
        for conn in sorted(w.dropped_status):
            st = w.dropped_status[conn].status
            put(arrival, [2, uid(), "StatusNotification",
                          {"connectorId": conn, "errorCode": "NoError", "status": st,
                           "timestamp": iso(t)}])
            arrival += 140

    def policy_a6(w, put):
        # Firmware replays its MeterValues queue before its transaction queue;
        # one MeterValues is transmitted twice (new message id); the CSMS
        # never answers the replayed StartTransaction in this capture.
        s = sess["A6"]
        a = w.end + 600
        mvs = [m for m in w.queue if m.action == "MeterValues"]
        starts = [m for m in w.queue if m.action == "StartTransaction"]
        assert len(starts) == 1 and starts[0] is s.start_msg
        assert all(m.session == "A6" for m in w.queue)
        s.a6_dup = None
        for i, m in enumerate(mvs):
            put(a, m.frame)
            a += 120
            if i == A6_DUP_INDEX:
                dup = [2, uid(), "MeterValues", m.frame[3]]
                s.a6_dup = (m.frame[1], dup[1], m.frame[3]["meterValue"][0]["timestamp"])
                put(a, dup)
                a += 120
        put(a, starts[0].frame)
        a += 120
        status_frames(w, w.end + 3000, put, w.end + 3200)
        s.a6_replayed = len(mvs)

    def policy_a7(w, put):
        # Queue replayed in order; the StopTransaction.conf is not seen by the
        # station and the same StopTransaction is re-sent 61 s later with a new id.
        s = sess["A7"]
        assert all(m.session == "A7" for m in w.queue)
        a = w.end + 600
        for m in w.queue:
            put(a, m.frame)
            a += 120
        status_frames(w, w.end + 1000, put, w.end + 1300)
        stop = s.stop_msg
        dup = [2, uid(), "StopTransaction", stop.frame[3]]
        put(w.end + 61000 + 400, dup)
        s.a7_dup = (stop.frame[1], dup[1])
        s.a7_replayed = [m.action for m in w.queue]

    wins = []
    for name, pol in (("A6", policy_a6), ("A7", policy_a7)):
        a, b = ALPHA_WINDOWS[name]
        wins.append(Window(T(a), T(b), pol, name))
    return wins


# ---------------------------------------------------------------------------
# CP-BRAVO: OCPP 2.0.1, EVSE 1 and 2 (connector 1 each), 22 kW AC
# ---------------------------------------------------------------------------

BRAVO_RATED = 22000
BRAVO_REG = {1: 5_126_318, 2: 3_874_552}
BRAVO_VBASE = [229.8, 230.9, 230.2]

BRAVO = [
    S(name="B1", evse=1, tid_seed="B1", token="04D2A51B7C3380",
      plug="06:38:12.204", start="06:40:05.731", car=dict(p=21500, ph=3, need=60000),
      stop=("at", "08:05:40.731", "Local"), unplug_after=118,
      soc=dict(start=18, target=100, cap=52000.0, eta=0.88),
      anomaly=None),
    S(name="B2", evse=2, tid_seed="B2", token="0477C0E2915A81",
      plug="07:30:40.118", start="07:31:15.482", car=dict(p=10700, ph=3, need=60000),
      stop=("at", "09:52:07.482", "Local"), unplug_after=80,
      anomaly="ooo"),
    S(name="B3", evse=1, tid_seed="B3", token="04F1E8836D2C80", trigger="CablePluggedIn",
      plug="10:10:20.902", start="10:10:21.315", car=dict(p=21400, ph=3, need=50000),
      stop=("at", "11:48:30.315", "Remote"), unplug_after=143,
      anomaly="units"),
    S(name="B4", evse=2, tid_seed="B4", token="04308BB6E1FA81",
      plug="11:18:02.640", start="11:19:44.907", car=dict(p=7300, ph=1, need=14862.3, taper=400.0),
      stop=("idle", 6 * 60 + 11, "EVDisconnected"),
      anomaly="gap"),
    S(name="B5", evse=1, tid_seed="B5", token="04A9934C0B7E80",
      plug="14:28:31.077", start="14:30:09.640", car=dict(p=16300, ph=3, need=60000),
      stop=("at", "16:44:51.640", "Local"), unplug_after=61,
      anomaly="reset"),
    S(name="B6", evse=2, tid_seed="B6", token="04D2A51B7C3380",
      plug="17:08:30.550", start="17:10:02.118", car=dict(p=10800, ph=3, need=28889),
      stop=("idle", 90 * 60, "EVDisconnected"),
      soc=dict(start=35, target=100, cap=40000.0, eta=0.90),
      anomaly="idle"),
]

B2_WINDOW = ("08:12:20.000", "09:03:40.000")
# replay order of the queued (offline) events, as indices into the queue
B2_REPLAY = [0, 2, 1, 3, 5, 4, 6, 9, 7, 8]
B2_DUPS = [(4, 700), (7, 30000)]   # (queue index, delay after the burst in ms)
B4_LOST_PERIODIC = 8               # the 8th periodic Updated of B4 never arrives
B3_KWH_PERIODIC = 5                # periodic #5 of B3: register in kWh, multiplier 0
B3_WH3_PERIODIC = 12               # periodic #12 of B3: register in Wh, multiplier 3
B5_PAUSE = (51 * 60 + 12, 53 * 60 + 7, 51 * 60 + 50)   # offsets (s): suspend, resume, reset


def num1(x):
    return round(x, 1)


def sv201(value, measurand, context, phase=None, unit=None, multiplier=None, location=None):
    d = {"value": value, "context": context, "measurand": measurand}
    if phase:
        d["phase"] = phase
    if location:
        d["location"] = location
    if unit is not None:
        u = {"unit": unit}
        if multiplier is not None:
            u["multiplier"] = multiplier
        d["unitOfMeasure"] = u
    return d


def build_bravo(uid):
    meters = {e: Meter(r) for e, r in BRAVO_REG.items()}
    tid_uids = Uids(f"{SEED}/txids")
    msgs = []
    for s in sorted(BRAVO, key=lambda s: T(s.start)):
        s.tid = tid_uids()
        s.t_plug, s.t_start = T(s.plug), T(s.start)
        s.on_s = 4
        if s.anomaly == "reset":
            s.pause = B5_PAUSE
        tr = simulate(s, meters[s.evse], BRAVO_RATED, BRAVO_VBASE)
        s.tr = tr
        N = tr.N
        t_end = s.t_start + N * 1000
        reason = s.stop[2]
        t_unplug = t_end + (500 if reason == "EVDisconnected" else s.unplug_after * 1000)
        s.t_end, s.t_unplug = t_end, t_unplug
        clean_series = []
        events = []   # (k, order, builder) -> payload without seqNo

        def at(k):
            return iso(s.t_start + k * 1000, True)

        def status(t, st):
            m = Msg(t, "status", [2, uid(), "StatusNotification",
                                  {"timestamp": iso(t, True), "connectorStatus": st,
                                   "evseId": s.evse, "connectorId": 1}],
                    conn=s.evse, status=st)
            m.session = s.name
            msgs.append(m)

        def reg_sv(k, context, unit=None, multiplier=None):
            reg = tr.reg[k]
            clean_series.append((k, reg))
            if unit == "kWh":
                value = float(f"{reg // 1000}.{reg % 1000:03d}")
            elif unit == "Wh" and multiplier == 3:
                value = float(f"{reg // 1000}.{reg % 1000:03d}")
            else:
                value = reg
            return sv201(value, "Energy.Active.Import.Register", context, unit=unit,
                         multiplier=multiplier)

        def periodic_mv(k, j):
            p = int(round(tr.pw[k]))
            unit = mult = None
            punit = pmult = None
            pval = p
            if s.anomaly == "units" and j == B3_KWH_PERIODIC:
                unit, mult, punit, pmult = "kWh", 0, "kW", 0
                pval = float(f"{p // 1000}.{p % 1000:03d}")
            elif s.anomaly == "units" and j == B3_WH3_PERIODIC:
                unit, mult, punit, pmult = "Wh", 3, "W", 3
                pval = float(f"{p // 1000}.{p % 1000:03d}")
            svs = [reg_sv(k, "Sample.Periodic", unit, mult),
                   sv201(pval, "Power.Active.Import", "Sample.Periodic", unit=punit,
                         multiplier=pmult)]
            for ph, a in zip(("L1", "L2", "L3"), currents(tr, k, s.car["ph"])):
                svs.append(sv201(num1(a), "Current.Import", "Sample.Periodic", ph, "A"))
            for ph, vv in zip(("L1-N", "L2-N", "L3-N"), tr.volts[k]):
                svs.append(sv201(num1(vv), "Voltage", "Sample.Periodic", ph, "V"))
            if tr.soc[k] is not None:
                svs.append(sv201(tr.soc[k], "SoC", "Sample.Periodic", unit="Percent",
                                 location="EV"))
            return [{"timestamp": at(k), "sampledValue": svs}]

        # Started
        events.append((0, 0, "Started", s.trigger, "EVConnected",
                       [{"timestamp": at(0), "sampledValue": [
                           reg_sv(0, "Transaction.Begin", "Wh", 0)]}], {}))
        events.append((s.on_s, 0, "Updated", "ChargingStateChanged", "Charging", None, {}))
        j = 0
        for k in range(300, N, 300):
            j += 1
            events.append((k, 1, "Updated", "MeterValuePeriodic", tr.state[k],
                           periodic_mv(k, j), {"periodic": j}))
        if tr.full_k is not None and tr.full_k < N:
            events.append((tr.full_k, 0, "Updated", "ChargingStateChanged", "SuspendedEV", None, {}))
        if s.pause:
            pa, pb, _ = s.pause
            events.append((pa, 0, "Updated", "ChargingStateChanged", "SuspendedEVSE",
                           [{"timestamp": at(pa), "sampledValue": [
                               reg_sv(pa, "Interruption.Begin")]}], {}))
            events.append((pb, 0, "Updated", "ChargingStateChanged", "Charging",
                           [{"timestamp": at(pb), "sampledValue": [
                               reg_sv(pb, "Interruption.End")]}], {}))
        if reason == "Local":
            trig, cstate = "StopAuthorized", "EVConnected"
        elif reason == "Remote":
            trig, cstate = "RemoteStop", "EVConnected"
        else:
            trig, cstate = "EVDeparted", "Idle"
        events.append((N, 9, "Ended", trig, cstate,
                       [{"timestamp": at(N), "sampledValue": [
                           reg_sv(N, "Transaction.End", "Wh", 0)]}],
                       {"stoppedReason": reason}))
        events.sort(key=lambda e: (e[0], e[1]))

        status(s.t_plug, "Occupied")
        s.events = []
        for seq, (k, _, etype, trig, cstate, mv, extra) in enumerate(events):
            ti = {"transactionId": s.tid, "chargingState": cstate}
            if etype == "Ended":
                ti["timeSpentCharging"] = tr.charging_s
                ti["stoppedReason"] = extra["stoppedReason"]
            payload = {"eventType": etype, "timestamp": at(k), "triggerReason": trig,
                       "seqNo": seq, "transactionInfo": ti}
            if etype == "Started" or (etype == "Ended" and trig == "StopAuthorized"):
                payload["idToken"] = {"idToken": s.token, "type": "ISO14443"}
            if etype == "Started":
                payload["evse"] = {"id": s.evse, "connectorId": 1}
            if mv:
                payload["meterValue"] = mv
            m = Msg(s.t_start + k * 1000, "tx", [2, uid(), "TransactionEvent", payload], conn=s.evse)
            m.session = s.name
            m.seq_no = seq
            m.periodic = extra.get("periodic")
            msgs.append(m)
            s.events.append(m)
        status(t_unplug, "Available")
        if s.anomaly == "gap":
            lost = [m for m in s.events if m.periodic == B4_LOST_PERIODIC]
            assert len(lost) == 1
            lost[0].lost = True
            s.lost_seq = lost[0].seq_no
        s.begin, s.end = tr.reg[0], tr.reg[N]
        s.clean_series = sorted(set(clean_series))
    return msgs


def bravo_windows(uid):
    sess = {s.name: s for s in BRAVO}

    def policy_b2(w, put):
        s = sess["B2"]
        assert all(m.session == "B2" for m in w.queue), [m.session for m in w.queue]
        assert not w.dropped_status
        q = w.queue
        assert sorted(B2_REPLAY) == list(range(len(q))), len(q)
        for m in q:
            p = m.frame[3]
            new = {}
            for key, val in p.items():
                new[key] = val
                if key == "seqNo":
                    new["offline"] = True
            m.frame[3] = new
        a = w.end + 800
        for i in B2_REPLAY:
            put(a, q[i].frame)
            a += 150
        s.b2_dups = []
        for i, delay in B2_DUPS:
            dup = [2, uid(), "TransactionEvent", q[i].frame[3]]
            put(a + delay, dup)
            s.b2_dups.append((q[i].seq_no, q[i].frame[1], dup[1]))
        s.b2_queue_seq = [m.seq_no for m in q]
        s.b2_replay_seq = [q[i].seq_no for i in B2_REPLAY]

    return [Window(T(B2_WINDOW[0]), T(B2_WINDOW[1]), policy_b2, "B2")]


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------

def positive_sum(series):
    """Sum of positive steps of the clean register series (a reset to 0 counts from 0)."""
    e = 0
    for (_, a), (_, b) in zip(series, series[1:]):
        e += max(0, b - a)
    return e


def check_session(s, rated_w):
    tr = s.tr
    assert positive_sum(s.clean_series) == tr.true_wh, (s.name, positive_sum(s.clean_series), tr.true_wh)
    for (k1, a), (k2, b) in zip(s.clean_series, s.clean_series[1:]):
        if b >= a and k2 > k1:
            kw = (b - a) / ((k2 - k1) / 3600.0) / 1000.0
            assert kw <= rated_w / 1000.0 * 1.1, (s.name, k1, k2, kw)
    assert max(tr.pw) <= rated_w, s.name


def validate(path, version):
    calls = {}
    n = 0
    with open(path, "rb") as fh:
        for ln, line in enumerate(fh, 1):
            assert line.endswith(b"\n")
            f = json.loads(line)
            assert isinstance(f, list), (path, ln)
            if f[0] == 2:
                assert len(f) == 4 and isinstance(f[1], str) and isinstance(f[2], str) \
                    and isinstance(f[3], dict), (path, ln)
                assert f[1] not in calls, (path, ln, "uid reused")
                calls[f[1]] = f[2]
                if version == "1.6":
                    assert f[2] in ("StartTransaction", "MeterValues", "StopTransaction",
                                    "StatusNotification"), f[2]
                else:
                    assert f[2] in ("TransactionEvent", "StatusNotification"), f[2]
            elif f[0] == 3:
                assert len(f) == 3 and isinstance(f[1], str) and isinstance(f[2], dict), (path, ln)
                assert calls.get(f[1]) == "StartTransaction", (path, ln)
                assert isinstance(f[2]["transactionId"], int)
            else:
                raise AssertionError((path, ln, f[0]))
            n += 1
    return n


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def fmt_wh(x):
    return f"{x:,} Wh"


def dur(s):
    h, rem = divmod(int(s), 3600)
    m, sec = divmod(rem, 60)
    return f"{h}h{m:02d}m{sec:02d}s" if h else f"{m}m{sec:02d}s"


def main():
    uid16 = Uids(f"{SEED}/uids/ocpp16")
    msgs16, _ = build_alpha(uid16)
    frames16 = run_link(msgs16, alpha_windows(uid16), "CP-ALPHA")
    uid201 = Uids(f"{SEED}/uids/ocpp201")
    msgs201 = build_bravo(uid201)
    frames201 = run_link(msgs201, bravo_windows(uid201), "CP-BRAVO")

    for s in ALPHA:
        check_session(s, ALPHA_RATED)
        assert s.meter_stop - s.meter_start == s.tr.true_wh, s.name
    for s in BRAVO:
        check_session(s, BRAVO_RATED)
        if s.anomaly != "reset":
            assert s.end - s.begin == s.tr.true_wh, s.name

    with open(os.path.join(HERE, F16), "w", newline="\n") as fh:
        for f in frames16:
            fh.write(dumps(f) + "\n")
    with open(os.path.join(HERE, F201), "w", newline="\n") as fh:
        for f in frames201:
            fh.write(dumps(f) + "\n")

    anomalies16 = {None: [], "dip": ["dip"], "offline_start": ["duplicate", "out_of_order"],
                   "begin_zero": ["begin_zero_placeholder"], "kwh_clock": [],
                   "double_stop": ["duplicate"], "idle": []}
    anomalies201 = {None: [], "ooo": ["duplicate", "out_of_order"], "gap": ["missing_seq_no"],
                    "reset": ["meter_reset"], "idle": [], "units": []}
    expected = {"CP-ALPHA": {}, "CP-BRAVO": {}}
    for s in sorted(ALPHA, key=lambda s: s.t_start):
        an = anomalies16[s.anomaly]
        assert an == sorted(an, key=ANOMALY_ORDER.index)
        s.anoms = an
        expected["CP-ALPHA"][str(s.txid)] = {"energy_wh": str(s.tr.true_wh), "anomalies": an}
    for s in sorted(BRAVO, key=lambda s: s.t_start):
        an = anomalies201[s.anomaly]
        assert an == sorted(an, key=ANOMALY_ORDER.index)
        s.anoms = an
        expected["CP-BRAVO"][s.tid] = {"energy_wh": str(s.tr.true_wh), "anomalies": an}
    with open(os.path.join(HERE, "expected.json"), "w", newline="\n") as fh:
        fh.write(json.dumps(expected, indent=2) + "\n")

    with open(os.path.join(HERE, "README.md"), "w", newline="\n") as fh:
        fh.write(readme(frames16, frames201))

    n16 = validate(os.path.join(HERE, F16), "1.6")
    n201 = validate(os.path.join(HERE, F201), "2.0.1")
    for name in (F16, F201):
        size = os.path.getsize(os.path.join(HERE, name))
        assert size < 400_000, (name, size)
    print(f"{F16}: {n16} frames, {os.path.getsize(os.path.join(HERE, F16)):,} bytes")
    print(f"{F201}: {n201} frames, {os.path.getsize(os.path.join(HERE, F201)):,} bytes")
    for st, d in expected.items():
        for k, v in d.items():
            print(f"  {st} {k}: {v['energy_wh']} Wh {v['anomalies']}")


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------

def readme(frames16, frames201):
    A = {s.name: s for s in ALPHA}
    B = {s.name: s for s in BRAVO}
    L = []
    w = L.append
    w("# chargekit sample data: one site, one day (2026-03-10)")
    w("")
    w("Generated by `generate.py` (Python 3 standard library only, seeded, deterministic):")
    w("`python3 examples/data/generate.py` rewrites every file here byte-identically.")
    w("**Do not edit the data files by hand**; change the generator and re-run it.")
    w("")
    w("| file | content |")
    w("|---|---|")
    w(f"| `{F16}` | CP-ALPHA, OCPP 1.6-J, {len(frames16)} frames, 7 sessions |")
    w(f"| `{F201}` | CP-BRAVO, OCPP 2.0.1, {len(frames201)} frames, 6 sessions |")
    w("| `expected.json` | per station and transaction id: expected session energy (Wh, decimal string) and the exact anomaly set |")
    w("| `generate.py` | the generator (simulation, link model, anomaly injection, self-checks) |")
    w("")
    w("## Conventions (both files)")
    w("")
    w("* One OCPP-J frame per line, a bare JSON array, no wrapper and no receive timestamp.")
    w("  Lines are in **arrival order at the CSMS**, which is not station-timestamp order")
    w("  where a station replayed its offline queue. Frames are compact JSON (no spaces).")
    w("* Station timestamps are UTC ISO-8601 with `Z` (CP-ALPHA: whole seconds; CP-BRAVO:")
    w("  milliseconds). The site is in Europe/Berlin; on 2026-03-10 that is CET = UTC+1,")
    w("  so the local day is 2026-03-09T23:00Z .. 2026-03-10T23:00Z. All frames lie in it.")
    w("* Message ids are uuid4-shaped strings, unique per file (a re-sent frame gets a new id).")
    w("* Station clocks are correct (no skew, no 1970 timestamps).")
    w("* Each connector/EVSE has a lifetime energy register. The meter counts whole Wh; the")
    w("  expected energy is the Wh it counted between transaction start and end (\"true")
    w("  consumption\"); the generator asserts it equals the clean register difference.")
    w("* Power is physically consistent: power samples never exceed the rated power, and")
    w("  every register step between consecutive real readings implies ≤ the rated power.")
    w("* `anomalies` in `expected.json` is the **exact set** a correct implementation with")
    w("  chargekit's default policies should raise for that session (empty = none). Meaning")
    w("  of the names used here:")
    w("  * `duplicate`: the same message content arrived twice under two message ids (1.6), or")
    w("    a TransactionEvent with an already-seen seqNo (2.0.1);")
    w("  * `out_of_order`: a message of the transaction arrived after one with a later station")
    w("    timestamp (1.6) or a higher seqNo (2.0.1). Historical data by design (the")
    w("    `transactionData` of a StopTransaction) does not count;")
    w("  * `missing_seq_no`: a seqNo never arrived; `dip`: one register value dropped and the")
    w("    next returned to the trend; `meter_reset`: the register restarted near 0;")
    w("    `begin_zero_placeholder`: a `Transaction.Begin` of 0 followed by lifetime values.")
    w("* Several sessions without an anomaly still carry a quirk the parser must handle (kWh")
    w("  units, Sample.Clock, unit multipliers, idle tails), described below.")
    w("")

    # ---------------- 1.6
    w("## `site-day-ocpp16.jsonl`: CP-ALPHA (OCPP 1.6)")
    w("")
    w(f"2 connectors, 11 kW AC (3 × 16 A), rated power {ALPHA_RATED} W. Lifetime registers at the")
    w(f"start of the day: connector 1 = {ALPHA_REG[1]:,} Wh, connector 2 = {ALPHA_REG[2]:,} Wh.")
    w("")
    w("Frames: CALLs `[2, uid, action, payload]` with StartTransaction, MeterValues,")
    w("StopTransaction, StatusNotification, and the CSMS's CALLRESULTs `[3, uid, {\"transactionId\": N,")
    w("\"idTagInfo\": {\"status\": \"Accepted\"}}]` **for StartTransaction only** (the result uid is the")
    w("CALL's uid). No other CALLRESULT, no Heartbeat/BootNotification.")
    w("")
    w("Every session: StatusNotification Preparing (plug-in) → StartTransaction (+ CALLRESULT) →")
    w("Charging → [SuspendedEV when the battery is full] → StopTransaction → Finishing → Available.")
    w("MeterValues every 300 s from the transaction start (Sample.Periodic, location Outlet):")
    w("`Energy.Active.Import.Register` (string), `Power.Active.Import`, `Current.Import` L1/L2/L3,")
    w("`Voltage` L1-N/L2-N/L3-N, and `SoC` (location EV, Percent) when the car reports it.")
    w("`meterStart`/`meterStop` are integer Wh on the lifetime register. StopTransaction always")
    w("carries `transactionData` = [Transaction.Begin register at start, Transaction.End register")
    w("at stop]. During SuspendedEV the MeterValues continue with a flat register and 0 W.")
    w("")
    w("| transactionId | conn | plug-in (UTC) | start | stop | unplug | stop reason | SoC | anomaly | expected energy |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for s in sorted(ALPHA, key=lambda s: s.t_start):
        soc = f"{s.soc['start']}→{s.tr.soc[-1]} %" if s.soc else "–"
        w(f"| {s.txid} | {s.conn} | {hm(s.t_plug)} | {hm(s.t_start)} | {hm(s.t_end)} | "
          f"{hm(s.t_unplug)} | {s.stop[2]} | {soc} | {', '.join(s.anoms) or 'none'} | "
          f"**{fmt_wh(s.tr.true_wh)}** |")
    w("")
    w("Details (times UTC; local = UTC+1):")
    w("")
    for s in sorted(ALPHA, key=lambda s: s.t_start):
        tr = s.tr
        full = (f" Battery full at {hm(s.t_start + tr.full_k * 1000)} (SuspendedEV)."
                if tr.full_k is not None and tr.full_k < tr.N else "")
        head = (f"* **{s.txid}** (connector {s.conn}, idTag `{s.id_tag}`, "
                f"{'1-phase' if s.car['ph'] == 1 else '3-phase'} ≈{s.car['p'] / 1000:.2f} kW): "
                f"meterStart {s.meter_start:,}, meterStop {s.meter_stop:,} Wh.{full}")
        w(head)
        if s.anomaly is None:
            w("  Normal session, user stops with the RFID card before the battery is full."
              f" Expected {fmt_wh(tr.true_wh)} = meterStop − meterStart.")
        elif s.anomaly == "dip":
            k = DIP_INDEX * 300
            w(f"  **Register dip**: the periodic MeterValues at {hm(s.t_start + k * 1000)} reports")
            w(f"  `Energy.Active.Import.Register` = \"0\" (true value {tr.reg[k]:,}); the previous")
            w(f"  ({tr.reg[k - 300]:,}) and next ({tr.reg[k + 300]:,}) values are on the trend; the other")
            w("  measurands of that frame are normal. Dip ignored:"
              f" **{fmt_wh(tr.true_wh)}** (a naive positive-step sum gives")
            w(f"  {fmt_wh(tr.true_wh + tr.reg[k - 300])}: it re-adds the lifetime register after the dip).")
            w("  Car unplugged after a short SuspendedEV.")
        elif s.anomaly == "offline_start":
            a, b = ALPHA_WINDOWS["A6"]
            d_orig, d_new, d_ts = s.a6_dup
            w(f"  **Offline start**: Preparing is sent live at {hm(s.t_plug)}; the connection is lost")
            w(f"  {a} → {b}. The StartTransaction (station ts {hm(s.t_start)}, uid"
              f" `{s.start_msg.frame[1]}`) and {s.a6_replayed} MeterValues are queued; the Charging")
            w("  StatusNotification is dropped (1.6 does not queue status). At reconnect the firmware")
            w("  replays the MeterValues queue first, then the StartTransaction, then sends")
            w(f"  StatusNotification Charging with the reconnect time. **There is no CALLRESULT** for this")
            w(f"  StartTransaction in the file: the consumer must attach it to transaction {s.txid} (the id")
            w("  its MeterValues and StopTransaction carry) by connector and time: it is the only")
            w(f"  StartTransaction on connector 2 without a CALLRESULT, its timestamp precedes the first")
            w(f"  MeterValues of {s.txid} ({hm(s.periodic[0].t)}) by 5 min, and no other transaction is open on")
            w("  connector 2 then.")
            w(f"  The MeterValues with timestamp {d_ts[11:-1]} is sent **twice** (uids `{d_orig}` and")
            w(f"  `{d_new}`, identical payload). The session's frames are keyed by transactionId {s.txid}.")
            w(f"  Expected **{fmt_wh(tr.true_wh)}** (duplicate counted once).")
        elif s.anomaly == "begin_zero":
            w(f"  **Begin = 0 placeholder**: 2 s after the StartTransaction the station sends a MeterValues")
            w(f"  with one sampledValue, context `Transaction.Begin`, register \"0\" (timestamp = start).")
            w(f"  The next register values are ≈{s.meter_start:,} Wh. The same \"0\" Begin value is repeated in")
            w("  StopTransaction.transactionData. meterStart is correct. Battery full before the")
            w("  remote stop, so there is a SuspendedEV phase. Rejecting the placeholder gives"
              f" **{fmt_wh(tr.true_wh)}**;")
            w(f"  trusting it would give {fmt_wh(s.meter_stop)}.")
        elif s.anomaly == "kwh_clock":
            w("  **kWh units and clock-aligned samples**: every energy value of this session (MeterValues")
            w("  and transactionData) uses `unit: \"kWh\"` with three decimals (e.g."
              f" \"{wh_str(s.meter_start, True)}\"), power uses `\"kW\"`")
            p0 = s.periodic[0].frame[3]["meterValue"][0]["sampledValue"][1]["value"]
            w(f"  (e.g. \"{p0}\"). Besides the 300-s Sample.Periodic frames, the station sends")
            w(f"  {len(s.clock)} `Sample.Clock` MeterValues at the quarter hours (0–4 s late, register + power")
            w("  only). meterStart/meterStop stay integer Wh. 1-phase car (L2/L3 current 0.0).")
            w(f"  No anomaly: **{fmt_wh(tr.true_wh)}** after normalising kWh × 1000.")
        elif s.anomaly == "double_stop":
            a, b = ALPHA_WINDOWS["A7"]
            o, n = s.a7_dup
            w(f"  **Offline stop, StopTransaction sent twice**: the connection is lost {a} → {b}; the user")
            w(f"  stops with the card at {hm(s.t_end)} while offline. Queued and replayed in order at")
            w(f"  reconnect: {', '.join(s.a7_replayed)}. Finishing is dropped while offline and re-sent")
            w(f"  at reconnect; the identical StopTransaction is re-sent 61 s later (uids `{o}` then")
            w(f"  `{n}`). The car is unplugged at {hm(s.t_unplug)} (Available, live).")
            w(f"  Expected **{fmt_wh(tr.true_wh)}**; the second stop must be recognised as a duplicate (not")
            w("  `after_end`, and it must not reopen the session).")
        elif s.anomaly == "idle":
            idle_s = tr.N - tr.full_k
            w(f"  **Idle / overstay**: battery full at {hm(s.t_start + tr.full_k * 1000)}, the car stays")
            w(f"  plugged in for {dur(idle_s)} in SuspendedEV with a flat register (MeterValues keep")
            w(f"  coming, 0 W), then is unplugged (EVDisconnected) at {hm(s.t_end)}. Charging time"
              f" {dur(tr.charging_s)}, idle {dur(idle_s)}. Not an anomaly:")
            w(f"  **{fmt_wh(tr.true_wh)}**.")
    w("")

    # ---------------- 2.0.1
    w("## `site-day-ocpp201.jsonl`: CP-BRAVO (OCPP 2.0.1)")
    w("")
    w(f"EVSE 1 and 2 (connector 1 each), 22 kW AC (3 × 32 A), rated power {BRAVO_RATED} W. Lifetime")
    w(f"registers at the start of the day: EVSE 1 = {BRAVO_REG[1]:,} Wh, EVSE 2 = {BRAVO_REG[2]:,} Wh.")
    w("Station configuration (informative): TxStartPoint = PowerPathClosed,")
    w("TxStopPoint = EVConnected,Authorized, TxUpdatedInterval = 300 s.")
    w("")
    w("Frames: CALLs only, `[2, uid, \"TransactionEvent\" | \"StatusNotification\", payload]` (no")
    w("CALLRESULTs). Per transaction: StatusNotification Occupied (plug-in) → Started (seqNo 0,")
    w("triggerReason Authorized, or CablePluggedIn when the card was presented first; chargingState")
    w("EVConnected; `evse {id, connectorId}` and `idToken {idToken, type ISO14443}` **only here**;")
    w("meterValue Transaction.Begin) → Updated ChargingStateChanged → Charging (4 s later) → Updated")
    w("MeterValuePeriodic every 300 s → [Updated ChargingStateChanged → SuspendedEV] → Ended")
    w("(timeSpentCharging, stoppedReason, meterValue Transaction.End; idToken again for")
    w("StopAuthorized) → StatusNotification Available (unplug). `chargingState` is present in every")
    w("event. Sampled values: `value` is a JSON number. The register and power carry **no")
    w("unitOfMeasure** in periodic events (defaults: Wh and W); Transaction.Begin/End carry")
    w("`{\"unit\": \"Wh\", \"multiplier\": 0}`; current (A), voltage (V) and SoC (Percent, location EV)")
    w("always carry a unit. Every sampledValue has `context` and `measurand`.")
    w("")
    w("| transactionId | EVSE | plug-in (UTC) | start | end | unplug | stoppedReason | timeSpentCharging | anomaly | expected energy |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for s in sorted(BRAVO, key=lambda s: s.t_start):
        w(f"| `{s.tid}` | {s.evse} | {hm(s.t_plug, True)} | {hm(s.t_start, True)} | "
          f"{hm(s.t_end, True)} | {hm(s.t_unplug, True)} | {s.stop[2]} | {s.tr.charging_s} s | "
          f"{', '.join(s.anoms) or 'none'} | **{fmt_wh(s.tr.true_wh)}** |")
    w("")
    w("Details (times UTC):")
    w("")
    for s in sorted(BRAVO, key=lambda s: s.t_start):
        tr = s.tr
        n_ev = len(s.events)
        w(f"* **`{s.tid}`** (EVSE {s.evse}, token `{s.token}`, "
          f"{'1-phase' if s.car['ph'] == 1 else '3-phase'} ≈{s.car['p'] / 1000:.1f} kW, seqNo 0..{n_ev - 1}): "
          f"Begin {s.begin:,} Wh, End {s.end:,} Wh.")
        if s.anomaly is None:
            w(f"  Normal session with SoC, stopped by the card (StopAuthorized/Local). Expected"
              f" **{fmt_wh(tr.true_wh)}** = End − Begin.")
        elif s.anomaly == "ooo":
            a, b = B2_WINDOW
            w(f"  **Offline, out of order, duplicated**: the station is offline {a[:8]} → {b[:8]}. The")
            w(f"  {len(s.b2_queue_seq)} periodic events of that window (seqNo {s.b2_queue_seq[0]}..{s.b2_queue_seq[-1]})"
              " carry `\"offline\": true` and")
            w(f"  are replayed at reconnect in the order {s.b2_replay_seq}; then seqNo")
            w(f"  {s.b2_dups[0][0]} and {s.b2_dups[1][0]} arrive a second time with new uids (`{s.b2_dups[0][2]}`,")
            w(f"  `{s.b2_dups[1][2]}`; identical payloads). Live events resume afterwards. No seqNo is missing.")
            w(f"  Expected **{fmt_wh(tr.true_wh)}** = End − Begin.")
        elif s.anomaly == "gap":
            w(f"  **Missing seqNo**: the Updated MeterValuePeriodic with seqNo {s.lost_seq} never arrives")
            w("  (the station was online; the frame is simply absent). The register is cumulative, so")
            w(f"  the energy is unaffected: **{fmt_wh(tr.true_wh)}**. 1-phase car (L2/L3 0.0 A); battery")
            w("  full, short SuspendedEV, then EVDeparted/EVDisconnected.")
        elif s.anomaly == "reset":
            pa, pb, pr = s.pause
            before = tr.reg[pa] - tr.reg[0]
            after = tr.reg[tr.N] - tr.reg[pb]
            w(f"  **Meter reset**: at {hm(s.t_start + pa * 1000, True)} an Updated ChargingStateChanged →"
              f" SuspendedEVSE carries register {tr.reg[pa]:,} Wh (context Interruption.Begin); the")
            w(f"  meter module reboots; at {hm(s.t_start + pb * 1000, True)} Updated ChargingStateChanged →"
              " Charging carries register **0** Wh (context Interruption.End), and the periodic values")
            nxt = [v for k, v in s.clean_series if k > pb][0]
            w(f"  keep rising from there (next periodic value: {nxt:,} Wh). No energy flows during the")
            w(f"  {pb - pa} s interruption, so \"continue from the new baseline\" and the true consumption agree:")
            w(f"  {before:,} + {after:,} = **{fmt_wh(tr.true_wh)}**. Transaction.End ({s.end:,}) is below")
            w(f"  Transaction.Begin ({s.begin:,}): End − Begin is negative and must not be used. EVSE 1's")
            w("  register stays on the new base after this session.")
        elif s.anomaly == "idle":
            idle_s = tr.N - tr.full_k
            w(f"  **Idle tail**: battery full at {hm(s.t_start + tr.full_k * 1000, True)}"
              f" (SoC {s.soc['start']}→{s.soc['target']} %); chargingState SuspendedEV with a flat")
            w(f"  register for {dur(idle_s)}, then Ended (EVDeparted, stoppedReason EVDisconnected,")
            w(f"  chargingState Idle). timeSpentCharging = {tr.charging_s} s. Not an anomaly:")
            w(f"  **{fmt_wh(tr.true_wh)}**.")
        elif s.anomaly == "units":
            ek = [m for m in s.events if m.periodic == B3_KWH_PERIODIC][0]
            wk = [m for m in s.events if m.periodic == B3_WH3_PERIODIC][0]
            ev = ek.frame[3]["meterValue"][0]["sampledValue"][0]["value"]
            wv = wk.frame[3]["meterValue"][0]["sampledValue"][0]["value"]
            w(f"  **Unit variants**: the event with seqNo {ek.seq_no} reports the register as `{ev}` with")
            w("  `{\"unit\": \"kWh\", \"multiplier\": 0}` (power in `{\"unit\": \"kW\", \"multiplier\": 0}`), the")
            w(f"  event with seqNo {wk.seq_no} as `{wv}` with `{{\"unit\": \"Wh\", \"multiplier\": 3}}` (power")
            w("  `{\"unit\": \"W\", \"multiplier\": 3}`); both mean kWh / kW. All other values are plain Wh.")
            w("  The card was presented before plugging in (Started triggerReason CablePluggedIn); stopped")
            w(f"  remotely. No anomaly (no unit_suspect): **{fmt_wh(tr.true_wh)}**.")
    w("")
    w("## What a consumer must know")
    w("")
    w("* Sort by station timestamp (1.6) / seqNo (2.0.1), not by line number.")
    w("* CP-ALPHA 48231: match the CALLRESULT-less StartTransaction by connector and time.")
    w("* The 1.6 file contains CALLRESULTs only for StartTransaction; the 2.0.1 file none.")
    w("* All energies in `expected.json` are integer Wh as decimal strings; compare exactly.")
    w("* Anomaly names not listed for a session (rollover, implausible_power, start_stop_mismatch,")
    w("  unit_suspect, unknown_unit, unparseable, clock_suspect, after_end, ...) must not be raised.")
    w("* StatusNotifications are dropped while a station is offline (never queued); the current")
    w("  status is re-sent at reconnect with the reconnect time.")
    w("")
    return "\n".join(L)


if __name__ == "__main__":
    main()

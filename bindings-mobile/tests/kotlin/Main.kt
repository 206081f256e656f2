// Kotlin checks of the chargekit bindings, run on the JVM by scripts/test-kotlin.sh.
//
// Usage: MainKt [DATA_DIR [VECTORS_DIR]]  (or env CHARGEKIT_DATA_DIR, CHARGEKIT_VECTORS_DIR;
// default examples/data and core/tests/vectors)
// Prints one line per check and a final line "N passed, M failed"; exits 1 on any failure.
// This file holds the harness and the session checks; each other file registers the checks of
// one area (ProfileChecks.kt: smart charging; OcmfChecks.kt: signed meter values;
// TariffChecks.kt: tariffs, pricing and invoices; AnalyticsChecks.kt: analytics and feedback;
// PlanningChecks.kt: charging plans and site load sharing).

import io.chargekit.core.AnomalyKind
import io.chargekit.core.CdrOptions
import io.chargekit.core.BeginZeroPolicy
import io.chargekit.core.ChargekitException
import io.chargekit.InternalException
import io.chargekit.core.Location
import io.chargekit.core.LocationPolicy
import io.chargekit.core.Measurand
import io.chargekit.core.NegativeStepPolicy
import io.chargekit.core.PeriodKind
import io.chargekit.core.ReadingContext
import io.chargekit.Session
import io.chargekit.SessionAssembler
import io.chargekit.Fleet
import io.chargekit.core.SessionEventKind
import io.chargekit.core.SessionState
import io.chargekit.anomalyKindNames
import io.chargekit.defaultMeterPolicy
import io.chargekit.meterPolicyFromJson
import io.chargekit.meterPolicyToJson
import io.chargekit.sessionFromMessages
import io.chargekit.sessionsFromMessages
import java.io.File
import java.math.BigDecimal
import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

// ---------------------------------------------------------------- assertions

class CheckFailed(message: String) : Exception(message)

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw CheckFailed(message())
}

fun <T> checkEq(actual: T, expected: T, what: String) {
    check(actual == expected) { "$what: expected <$expected>, got <$actual>" }
}

/** Decimal equality by value (BigDecimal.equals also compares the scale: 5.0 != 5.00). */
fun checkDec(actual: BigDecimal?, expected: String, what: String) {
    check(actual != null && actual.compareTo(BigDecimal(expected)) == 0) {
        "$what: expected $expected, got ${actual?.toPlainString()}"
    }
}

inline fun <reified E : Throwable> expectThrows(what: String, block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw CheckFailed("$what: expected ${E::class.simpleName}, got ${e::class.qualifiedName}: ${e.message}")
    }
    throw CheckFailed("$what: expected ${E::class.simpleName}, nothing was thrown")
}

// ---------------------------------------------------------------- a small JSON reader

/** Just enough JSON for expected.json and the CDR: objects, arrays, strings, numbers (BigDecimal), literals. */
class Json private constructor(private val s: String) {
    private var i = 0

    companion object {
        fun parse(text: String): Any? {
            val p = Json(text)
            val v = p.value()
            p.ws()
            if (p.i != text.length) throw IllegalArgumentException("trailing text at ${p.i}")
            return v
        }
    }

    private fun ws() {
        while (i < s.length && s[i].isWhitespace()) i++
    }

    private fun expect(c: Char) {
        ws()
        if (i >= s.length || s[i] != c) throw IllegalArgumentException("expected '$c' at $i")
        i++
    }

    private fun value(): Any? {
        ws()
        if (i >= s.length) throw IllegalArgumentException("unexpected end")
        return when (s[i]) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> num()
        }
    }

    private fun literal(word: String, v: Any?): Any? {
        if (!s.startsWith(word, i)) throw IllegalArgumentException("bad literal at $i")
        i += word.length
        return v
    }

    private fun obj(): Map<String, Any?> {
        expect('{')
        val out = LinkedHashMap<String, Any?>()
        ws()
        if (s[i] == '}') { i++; return out }
        while (true) {
            ws()
            val k = str()
            expect(':')
            out[k] = value()
            ws()
            if (s[i] == ',') { i++; continue }
            expect('}')
            return out
        }
    }

    private fun arr(): List<Any?> {
        expect('[')
        val out = ArrayList<Any?>()
        ws()
        if (s[i] == ']') { i++; return out }
        while (true) {
            out.add(value())
            ws()
            if (s[i] == ',') { i++; continue }
            expect(']')
            return out
        }
    }

    private fun str(): String {
        expect('"')
        val sb = StringBuilder()
        while (true) {
            val c = s[i++]
            when (c) {
                '"' -> return sb.toString()
                '\\' -> {
                    when (val e = s[i++]) {
                        'n' -> sb.append('\n')
                        't' -> sb.append('\t')
                        'r' -> sb.append('\r')
                        'b' -> sb.append('\b')
                        'f' -> sb.append('\u000c')
                        'u' -> { sb.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4 }
                        else -> sb.append(e)
                    }
                }
                else -> sb.append(c)
            }
        }
    }

    private fun num(): BigDecimal {
        val start = i
        while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
        return BigDecimal(s.substring(start, i))
    }
}

/** Writes what [Json.parse] reads back as JSON text (numbers as plain decimals). */
fun toJson(v: Any?): String = when (v) {
    null -> "null"
    is String -> buildString {
        append('"')
        for (c in v) {
            when {
                c == '"' -> append("\\\"")
                c == '\\' -> append("\\\\")
                c < ' ' -> append("\\u%04x".format(c.code))
                else -> append(c)
            }
        }
        append('"')
    }
    is BigDecimal -> v.toPlainString()
    is Boolean -> v.toString()
    is Map<*, *> -> v.entries.joinToString(",", "{", "}") { (k, x) -> toJson(k as String) + ":" + toJson(x) }
    is List<*> -> v.joinToString(",", "[", "]") { toJson(it) }
    else -> throw IllegalArgumentException("not a JSON value: $v")
}

@Suppress("UNCHECKED_CAST")
fun Any?.obj(): Map<String, Any?> = this as Map<String, Any?>

@Suppress("UNCHECKED_CAST")
fun Any?.arr(): List<Any?> = this as List<Any?>

// ---------------------------------------------------------------- inline OCPP logs (docs/metering.md §8)

fun frame16(uid: String, action: String, payload: String) = """[2,"$uid","$action",$payload]"""

fun mv16(uid: String, tx: Int, ts: String, wh: String) =
    frame16(uid, "MeterValues", """{"connectorId":1,"transactionId":$tx,"meterValue":[{"timestamp":"$ts","sampledValue":[{"value":"$wh"}]}]}""")

const val START16 =
    """[2,"s1","StartTransaction",{"connectorId":1,"idTag":"TAG-1","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]
[3,"s1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"""

const val STOP16 = """{"transactionId":7,"meterStop":4000,"timestamp":"2026-03-10T08:20:00Z","reason":"Local"}"""

/** Story 7: the register drops to 0 once and returns to the trend (lbbrhzn/ocpp #1756). */
val DIP_LOG = listOf(
    START16,
    mv16("m1", 7, "2026-03-10T08:05:00Z", "2000"),
    mv16("m2", 7, "2026-03-10T08:10:00Z", "0"),
    mv16("m3", 7, "2026-03-10T08:15:00Z", "3000"),
    frame16("p1", "StopTransaction", STOP16),
).joinToString("\n")

fun tx201(uid: String, type: String, seq: Int, ts: String, trigger: String, info: String, extra: String, values: String) =
    """[2,"$uid","TransactionEvent",{"eventType":"$type","timestamp":"$ts","triggerReason":"$trigger","seqNo":$seq,""" +
        """"transactionInfo":{"transactionId":"TX-1",$info}$extra,"meterValue":[{"timestamp":"$ts","sampledValue":[$values]}]}]"""

fun wh201(v: String, context: String) =
    """{"value":$v,"context":"$context","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh","multiplier":0}}"""

/** Story 1: an offline Transaction.Begin of 0, then the lifetime register (citrineos-core PR #1060). */
val BEGIN_ZERO_FRAMES = listOf(
    tx201("e0", "Started", 0, "2026-03-10T08:00:00Z", "Authorized", """"chargingState":"Charging"""",
        ""","offline":true,"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"TOKEN-1","type":"ISO14443"}""",
        wh201("0", "Transaction.Begin")),
    tx201("e1", "Updated", 1, "2026-03-10T08:01:00Z", "MeterValuePeriodic", """"chargingState":"Charging"""", "",
        wh201("910031", "Sample.Periodic")),
    tx201("e2", "Updated", 2, "2026-03-10T08:02:00Z", "MeterValuePeriodic", """"chargingState":"Charging"""", "",
        wh201("910072", "Sample.Periodic")),
    tx201("e3", "Ended", 3, "2026-03-10T08:03:00Z", "StopAuthorized",
        """"chargingState":"EVConnected","stoppedReason":"Local"""", "", wh201("910114", "Transaction.End")),
)
val BEGIN_ZERO_LOG = BEGIN_ZERO_FRAMES.joinToString("\n")

/** Story 3: an Updated event after Ended (citrineos #204). */
val LATE_UPDATE = tx201("e9", "Updated", 4, "2026-03-10T08:30:00Z", "MeterValuePeriodic",
    """"chargingState":"Charging"""", "", wh201("912000", "Sample.Periodic"))

fun readData(dir: File, name: String): String {
    val f = File(dir, name)
    check(f.isFile) { "missing data file ${f.path} (pass the data directory as argument or CHARGEKIT_DATA_DIR)" }
    return f.readText()
}

// ---------------------------------------------------------------- checks

fun checkSampleDay(dir: File, file: String, station: String, version: String?, count: Int): List<Session> {
    val expected = Json.parse(readData(dir, "expected.json")).obj()[station].obj()
    val sessions = sessionsFromMessages(readData(dir, file), version, station)
    checkEq(sessions.size, count, "$station session count")
    checkEq(sessions.map { it.transactionId() }.toSet(), expected.keys, "$station transaction ids")
    for (s in sessions) {
        val want = expected[s.transactionId()].obj()
        val id = "$station/${s.transactionId()}"
        checkDec(s.energyWh(), want["energy_wh"] as String, "$id energyWh")
        checkEq(s.energyKwh().compareTo(s.energyWh().movePointLeft(3)), 0, "$id energyKwh = energyWh / 1000")
        val names = want["anomalies"].arr().map { it as String }
        checkEq(s.anomalyNames(), names, "$id anomaly names")
        checkEq(s.anomalies().map { it.kind.wireName() }.toSet(), names.toSet(), "$id Anomaly.kind set")
        checkEq(s.anomalyKinds().map { it.wireName() }, names, "$id anomalyKinds")
        check(s.isEnded()) { "$id should be ended" }
        checkEq(s.state(), SessionState.ENDED, "$id state")
        checkEq(s.state().wireName(), "ended", "$id state name")
        checkEq(s.stationId(), station, "$id stationId")
        check(s.end()!! >= s.start()) { "$id end before start" }
    }
    checkEq(sessions.map { it.start() }, sessions.map { it.start() }.sorted(), "$station sessions ordered by start")
    return sessions
}

val checks = linkedMapOf<String, (File) -> Unit>()

/** Set by a check to append what it observed to its result line. */
var note: String? = null

fun register() {
    checks["sample day OCPP 1.6 matches expected.json"] = { dir ->
        val sessions = checkSampleDay(dir, "site-day-ocpp16.jsonl", "CP-ALPHA", "1.6", 7)
        val s = sessions.first { it.transactionId() == "48213" }
        checkEq(s.version(), "1.6", "version")
        checkEq(s.connectorId(), 1u, "connectorId")
        checkEq(s.evseId(), null, "evseId")
        checkEq(s.idToken(), "04A3F21C6B5E80", "idToken")
        checkEq(s.stopReason(), "Local", "stopReason")
        checkDec(s.meterStartWh(), "1203517", "meterStartWh")
        checkDec(s.meterStopWh(), "1223275", "meterStopWh")
        checkEq(s.energyMethod().wireName(), "register", "energyMethod")
    }
    checks["sample day OCPP 2.0.1 (version detected) matches expected.json"] = { dir ->
        val sessions = checkSampleDay(dir, "site-day-ocpp201.jsonl", "CP-BRAVO", null, 6)
        val s = sessions.first { it.transactionId() == "b6fa07a7-bb6c-4992-a958-ff92cfff874c" }
        checkEq(s.version(), "2.0.1", "version")
        checkEq(s.evseId(), 1u, "evseId")
        checkEq(s.idToken(), "04D2A51B7C3380", "idToken")
        checkEq(s.meterStartWh(), null, "meterStartWh (1.6 only)")
        checkDec(s.chargingS().toBigDecimal(), "5131", "chargingS = timeSpentCharging")
    }
    checks["instants are java.time.Instant with sub-second precision"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "site-day-ocpp201.jsonl"), stationId = "CP-BRAVO")
            .first { it.transactionId() == "b6fa07a7-bb6c-4992-a958-ff92cfff874c" }
        val start: Instant = s.start()
        checkEq(start, Instant.parse("2026-03-10T06:40:05.731Z"), "start")
        checkEq(s.end(), Instant.parse("2026-03-10T08:05:40.731Z"), "end")
        checkEq(s.durationS(), 5135L, "durationS")
        check(s.lastSeen() >= s.end()!!) { "lastSeen before end" }
    }
    checks["decimals are BigDecimal, exact and with the sent scale"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
            .first { it.transactionId() == "48236" }
        val kwh: BigDecimal = s.energyKwh()
        checkEq(kwh.toPlainString(), "9.817", "energyKwh text")
        checkDec(s.energyWh(), "9817", "energyWh")
        val r = s.readings().first {
            it.measurand == Measurand.ENERGY_ACTIVE_IMPORT_REGISTER && it.unitRaw == "kWh"
        }
        check(r.raw.contains('.')) { "raw kWh text kept: ${r.raw}" }
        checkDec(r.value, BigDecimal(r.raw).movePointRight(3).toPlainString(), "kWh reading normalised to Wh")
        val soc = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
            .first { it.transactionId() == "48226" }
        // The car reports SoC from the first periodic sample on (56 %, five minutes after the start).
        val socReadings = soc.readings().filter { it.measurand == Measurand.SO_C }
        checkDec(soc.socStart(), "56", "socStart")
        checkDec(socReadings.first().value, "56", "first SoC reading")
        checkDec(soc.socEnd(), "90", "socEnd")
        check(soc.peakPowerW()!! > BigDecimal.ZERO) { "peakPowerW" }
        checkDec(soc.currentPowerW(), "0", "currentPowerW once ended")
    }
    checks["story 1: Begin 0 then 910031..910114 Wh gives 83 Wh, begin_zero_placeholder"] = { _ ->
        val s = sessionFromMessages(BEGIN_ZERO_LOG, "2.0.1", "CP-1")
        checkDec(s.energyWh(), "83", "energyWh")
        checkDec(s.energyKwh(), "0.083", "energyKwh")
        check("begin_zero_placeholder" in s.anomalyNames()) { "anomalies ${s.anomalyNames()}" }
        val a = s.anomalies().first { it.kind == AnomalyKind.BEGIN_ZERO_PLACEHOLDER }
        checkEq(a.kind.wireName(), "begin_zero_placeholder", "Anomaly.kind name")
        check(a.detail.isNotBlank()) { "Anomaly.detail is empty" }
        checkEq(s.transactionId(), "TX-1", "transactionId")
        checkEq(s.idToken(), "TOKEN-1", "idToken")
    }
    checks["policy: trust_begin bills the lifetime register instead"] = { _ ->
        val trusting = defaultMeterPolicy().copy(beginZero = BeginZeroPolicy.TRUST_BEGIN, allowImplausible = true)
        val s = sessionFromMessages(BEGIN_ZERO_LOG, "2.0.1", "CP-1", trusting)
        checkDec(s.energyWh(), "910114", "energyWh with TRUST_BEGIN")
        check("begin_zero_placeholder" !in s.anomalyNames()) { "anomalies ${s.anomalyNames()}" }
        val fromJson = meterPolicyFromJson("""{"begin_zero": "trust_begin", "allow_implausible": true}""")
        checkEq(fromJson, trusting, "meterPolicyFromJson equals the copied record")
        checkEq(meterPolicyFromJson(meterPolicyToJson(trusting)), trusting, "JSON round trip")
        checkEq(meterPolicyFromJson("{}"), defaultMeterPolicy(), "empty JSON is the default")
        val cable = meterPolicyFromJson("""{"location": {"exact": "Cable"}}""")
        checkEq(cable.location, LocationPolicy.Exact(Location.CABLE), "location exact Cable")
        checkDec(defaultMeterPolicy().ratedPowerW, "400000", "default ratedPowerW")
    }
    checks["story 7: a dip to 0 is ignored (3000 Wh, dip)"] = { _ ->
        val s = sessionFromMessages(DIP_LOG, "1.6", "CP-1")
        checkDec(s.energyWh(), "3000", "energyWh")
        checkEq(s.anomalyNames(), listOf("dip"), "anomalies")
        checkEq(s.transactionId(), "7", "transactionId")
        checkEq(s.stopReason(), "Local", "stopReason")
    }
    checks["policy: negative steps as resets, or as a typed NegativeStep error"] = { _ ->
        val reset = sessionFromMessages(DIP_LOG, "1.6", "CP-1", defaultMeterPolicy().copy(negativeStep = NegativeStepPolicy.TREAT_AS_RESET))
        checkDec(reset.energyWh(), "5000", "energyWh with TREAT_AS_RESET")
        val e = expectThrows<ChargekitException.NegativeStep>("negativeStep = ERROR") {
            sessionFromMessages(DIP_LOG, "1.6", "CP-1", defaultMeterPolicy().copy(negativeStep = NegativeStepPolicy.ERROR))
        }
        checkDec(e.fromWh, "2000", "NegativeStep.fromWh")
        checkDec(e.toWh, "0", "NegativeStep.toWh")
        checkEq(e.at, Instant.parse("2026-03-10T08:10:00Z"), "NegativeStep.at")
        check(e.toString().contains("register dropped")) { "toString: $e" }
    }
    checks["story 20: a duplicate StopTransaction is flagged, not after_end"] = { _ ->
        val log = DIP_LOG + "\n" + frame16("p2", "StopTransaction", STOP16)
        val s = sessionFromMessages(log, "1.6", "CP-1")
        checkDec(s.energyWh(), "3000", "energyWh")
        checkEq(s.anomalyNames(), listOf("duplicate", "dip"), "anomalies")
        checkEq(s.end(), Instant.parse("2026-03-10T08:20:00Z"), "end")
    }
    checks["story 3: a late Updated after Ended does not change totals"] = { _ ->
        val before = sessionFromMessages(BEGIN_ZERO_LOG, "2.0.1", "CP-1")
        val after = sessionFromMessages(BEGIN_ZERO_LOG + "\n" + LATE_UPDATE, "2.0.1", "CP-1")
        checkDec(after.energyWh(), "83", "energyWh")
        checkEq(after.end(), before.end(), "end")
        checkEq(after.chargingS(), before.chargingS(), "chargingS")
        check(after.isEnded()) { "session reopened" }
        checkEq(after.state(), SessionState.ENDED, "state")
        check("after_end" in after.anomalyNames()) { "anomalies ${after.anomalyNames()}" }
    }
    checks["story 5: shuffled and duplicated 2.0.1 events give the same totals"] = { _ ->
        val f = BEGIN_ZERO_FRAMES
        val shuffled = listOf(f[3], f[1], f[0], f[2], f[1].replace("\"e1\"", "\"e1-again\"")).joinToString("\n")
        val ordered = sessionFromMessages(BEGIN_ZERO_LOG, "2.0.1", "CP-1")
        val s = sessionFromMessages(shuffled, "2.0.1", "CP-1")
        checkDec(s.energyWh(), ordered.energyWh().toPlainString(), "energyWh")
        checkEq(s.start(), ordered.start(), "start")
        checkEq(s.end(), ordered.end(), "end")
        checkEq(s.connectorId(), 1u, "connectorId inherited from the first event")
        for (name in listOf("duplicate", "out_of_order", "begin_zero_placeholder")) {
            check(name in s.anomalyNames()) { "$name missing from ${s.anomalyNames()}" }
        }
    }
    checks["story 4: per-phase-only and interval-only inputs"] = { _ ->
        fun phases(v: List<Int>, ctx: String) = listOf("L1", "L2", "L3").zip(v).joinToString(",") { (p, x) ->
            """{"value":$x,"context":"$ctx","measurand":"Energy.Active.Import.Register","phase":"$p"}"""
        }
        val phaseLog = listOf(
            tx201("a0", "Started", 0, "2026-03-10T08:00:00Z", "Authorized", """"chargingState":"Charging"""",
                ""","evse":{"id":1,"connectorId":1}""", phases(listOf(100, 200, 300), "Transaction.Begin")),
            tx201("a1", "Ended", 1, "2026-03-10T09:00:00Z", "StopAuthorized", """"stoppedReason":"Local"""", "",
                phases(listOf(400, 500, 600), "Transaction.End")),
        ).joinToString("\n")
        val p = sessionFromMessages(phaseLog, "2.0.1", "CP-1")
        checkDec(p.energyWh(), "900", "phase sum energy")
        checkEq(p.energyMethod().wireName(), "phase_sum", "energyMethod")
        fun interval(x: Int) = """{"value":$x,"measurand":"Energy.Active.Import.Interval"}"""
        val intervalLog = listOf(
            tx201("b0", "Started", 0, "2026-03-10T08:00:00Z", "Authorized", """"chargingState":"Charging"""",
                ""","evse":{"id":1,"connectorId":1}""", interval(0)),
            tx201("b1", "Updated", 1, "2026-03-10T08:15:00Z", "MeterValuePeriodic", """"chargingState":"Charging"""", "", interval(100)),
            tx201("b2", "Updated", 2, "2026-03-10T08:30:00Z", "MeterValuePeriodic", """"chargingState":"Charging"""", "", interval(200)),
            tx201("b3", "Ended", 3, "2026-03-10T08:45:00Z", "StopAuthorized", """"stoppedReason":"Local"""", "", interval(300)),
        ).joinToString("\n")
        val i = sessionFromMessages(intervalLog, "2.0.1", "CP-1")
        checkDec(i.energyWh(), "600", "interval energy (deltas summed, never differenced)")
        checkEq(i.energyMethod().wireName(), "interval", "energyMethod")
    }
    checks["live feeding one frame at a time equals feeding all"] = { dir ->
        val text = readData(dir, "site-day-ocpp16.jsonl")
        val batch = sessionsFromMessages(text, "1.6", "CP-ALPHA")
        SessionAssembler("CP-ALPHA").use { live ->
            checkEq(live.version(), null, "version before any frame")
            var fed = 0UL
            var sawCharging = false
            for (line in text.lines().filter { it.isNotBlank() }) {
                fed += live.feed(line)
                val open = live.sessions().filter { !it.isEnded() }
                if (open.any { it.state() == SessionState.CHARGING && it.currentPowerW() != null }) sawCharging = true
            }
            checkEq(fed, 290UL, "frames fed")
            check(sawCharging) { "no open charging session was visible while feeding" }
            checkEq(live.version(), "1.6", "version detected")
            val got = live.sessions()
            checkEq(got.map { it.transactionId() }, batch.map { it.transactionId() }, "transaction ids")
            checkEq(got.map { it.energyWh() }, batch.map { it.energyWh() }, "energies")
            checkEq(got.map { it.anomalyNames() }, batch.map { it.anomalyNames() }, "anomalies")
            checkEq(got.map { it.chargingPeriods() }, batch.map { it.chargingPeriods() }, "charging periods")
        }
    }
    checks["checkpoint: snapshot, restore, feed the rest equals feeding everything; damage is typed"] = { dir ->
        val lines = readData(dir, "site-day-ocpp16.jsonl").lines().filter { it.isNotBlank() }
        val whole = SessionAssembler("CP-ALPHA")
        whole.feed(lines.joinToString("\n"))
        for (cut in listOf(0, 1, 57, 145, lines.size)) {
            val first = SessionAssembler("CP-ALPHA")
            if (cut > 0) first.feed(lines.take(cut).joinToString("\n"))
            val bytes: ByteArray = first.snapshot()
            checkEq(String(bytes.copyOfRange(0, 4), Charsets.US_ASCII), "CKSA", "magic")
            val resumed = SessionAssembler.restore(bytes)
            check(resumed.snapshot().contentEquals(bytes)) { "a restored assembler checkpoints to the same bytes (cut $cut)" }
            if (cut < lines.size) resumed.feed(lines.drop(cut).joinToString("\n"))
            val got = resumed.sessions()
            val want = whole.sessions()
            checkEq(got.map { it.transactionId() }, want.map { it.transactionId() }, "transaction ids (cut $cut)")
            checkEq(got.map { it.energyWh() }, want.map { it.energyWh() }, "energies (cut $cut)")
            checkEq(got.map { it.anomalyNames() }, want.map { it.anomalyNames() }, "anomalies (cut $cut)")
            check(resumed.snapshot().contentEquals(whole.snapshot())) { "same checkpoint as feeding everything (cut $cut)" }
        }
        val bytes = whole.snapshot()
        val flipped = bytes.copyOf().also { it[it.size / 2] = (it[it.size / 2].toInt() xor 1).toByte() }
        val bad = expectThrows<ChargekitException.InvalidSnapshot>("a flipped byte") { SessionAssembler.restore(flipped) }
        check(bad.reason.contains("checksum")) { "reason: ${bad.reason}" }
        expectThrows<ChargekitException.InvalidSnapshot>("a truncated checkpoint") {
            SessionAssembler.restore(bytes.copyOf(bytes.size - 1))
        }
        val newer = bytes.copyOf().also { it[5] = 9 }
        val v = expectThrows<ChargekitException.UnsupportedSnapshotVersion>("format 9") { SessionAssembler.restore(newer) }
        checkEq(v.found to v.supported, 9U to 1U, "found and supported versions")
    }
    checks["kept sessions: fed frame by frame and drained, every read equals the bulk result so far"] = { dir ->
        fun shown(s: Session) = listOf(
            s.transactionId(), s.energyWh().toPlainString(), s.state().wireName(), s.chargingS(),
            s.readings().size, s.timeline().size, s.anomalyNames(), s.lastSeen(), s.end(),
        )
        for ((file, station) in listOf("site-day-ocpp16.jsonl" to "CP-ALPHA", "site-day-ocpp201.jsonl" to "CP-BRAVO")) {
            val lines = readData(dir, file).lines().filter { it.isNotBlank() }
            val a = SessionAssembler(station)
            lines.forEachIndexed { i, line ->
                a.feed(line)
                a.drainEvents()
                if (i % 20 == 0 || i == lines.size - 1) {
                    val bulk = sessionsFromMessages(lines.take(i + 1).joinToString("\n"), null, station)
                    checkEq(a.sessions().map(::shown), bulk.map(::shown), "$file after frame $i")
                }
            }
        }
    }
    checks["stats: frames fed, redelivered (also when re-serialised), ignored by action, CALLERRORs"] = { _ ->
        val a = SessionAssembler("CP-1")
        val meter = frame16("m1", "MeterValues", """{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-03-10T08:10:00Z","sampledValue":[{"value":"12000"}]}]}""")
        val reformatted = frame16("m1", "MeterValues", """{ "transactionId": 7, "meterValue": [{"sampledValue":[{"value":"12000"}], "timestamp":"2026-03-10T09:10:00+01:00"}], "connectorId": 1 }""")
        a.feed(listOf(meter, reformatted, frame16("h", "Heartbeat", "{}"), """[4,"h","NotImplemented","",{}]""").joinToString("\n"))
        val st = a.stats()
        checkEq(listOf(st.framesFed, st.redelivered, st.callErrors, st.forgotten), listOf(4UL, 1UL, 1UL, 0UL), "counters")
        checkEq(st.ignoredActions, mapOf("Heartbeat" to 1UL), "ignored by action")
    }
    checks["drainEvents: started, anomaly, updated, ended once; kept across a checkpoint"] = { _ ->
        val frames = listOf(
            frame16("s1", "StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":10000,"timestamp":"2026-03-10T08:00:00Z"}"""),
            """[3,"s1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]""",
            frame16("m1", "MeterValues", """{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-03-10T08:10:00Z","sampledValue":[{"value":"12000"}]}]}"""),
            frame16("m2", "MeterValues", """{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-03-10T08:20:00Z","sampledValue":[{"value":"0"}]}]}"""),
            frame16("m3", "MeterValues", """{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-03-10T08:30:00Z","sampledValue":[{"value":"14000"}]}]}"""),
            frame16("e1", "StopTransaction", """{"transactionId":7,"meterStop":17000,"timestamp":"2026-03-10T08:40:00Z"}"""),
        )
        val a = SessionAssembler("CP-1")
        a.feed(frames.take(3).joinToString("\n"))
        val first = a.drainEvents()
        checkEq(first.map { it.kind() }, listOf(SessionEventKind.STARTED), "first events")
        checkEq(first[0].transactionId() to first[0].stationId(), "7" to "CP-1", "ids")
        checkDec(first[0].session()!!.energyWh(), "2000", "energy at start event")
        val b = SessionAssembler.restore(a.snapshot())
        checkEq(b.drainEvents().size, 0, "nothing repeated after a restore")
        b.feed(frames.drop(3).joinToString("\n"))
        val rest = b.drainEvents()
        checkEq(rest.map { it.kind().wireName() }, listOf("anomaly", "updated", "ended"), "later events")
        checkEq(rest[0].anomaly()?.kind?.wireName(), "dip", "the anomaly")
        check(rest[2].session()!!.isEnded()) { "ended event holds the final session" }
        checkDec(rest[2].session()!!.energyWh(), "7000", "final energy")
        checkEq(b.drainEvents().size, 0, "drained")
        checkEq(b.forgetEnded(Instant.parse("2026-03-10T12:00:00Z")), listOf("7"), "dropped after its end was drained")
        checkEq(b.sessions().size, 0, "nothing left")
        b.feed(frames.joinToString("\n"))
        checkEq(b.sessions().size + b.drainEvents().size, 0, "a replay brings nothing back")
    }
    checks["Fleet: stations routed, each end reported once, dropped after retention, checkpointed"] = { _ ->
        fun start(uid: String, tx: Int, at: String) = listOf(
            frame16(uid, "StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T$at:00Z"}"""),
            """[3,"$uid",{"transactionId":$tx,"idTagInfo":{"status":"Accepted"}}]""",
        ).joinToString("\n")
        fun stop(uid: String, tx: Int, wh: Int, at: String) =
            frame16(uid, "StopTransaction", """{"transactionId":$tx,"meterStop":$wh,"timestamp":"2026-03-10T$at:00Z"}""")
        val fleet = Fleet(retentionS = 3600UL)
        fleet.feed("CP-A", start("s1", 1, "08:00") + "\n" + stop("e1", 1, 500, "08:30"))
        fleet.feed("CP-B", start("s2", 2, "08:10"))
        checkEq(
            fleet.drainEvents().map { Triple(it.stationId(), it.transactionId(), it.kind().wireName()) },
            listOf(Triple("CP-A", "1", "started"), Triple("CP-A", "1", "ended"), Triple("CP-B", "2", "started")),
            "events",
        )
        checkEq(fleet.openSessions().map { it.transactionId() }, listOf("2"), "open sessions")
        val again = Fleet.restore(fleet.snapshot())
        checkEq(again.drainEvents().size, 0, "nothing repeated after a restore")
        again.feed("CP-B", stop("e2", 2, 900, "10:45"))
        checkEq(again.drainEvents().map { it.kind().wireName() }, listOf("updated", "ended"), "B ends")
        checkEq(again.sessions("CP-A").size, 0, "A's session dropped after the retention")
        again.feed("CP-A", stop("e1", 1, 500, "08:30"))
        checkEq(again.drainEvents().size, 0, "a replayed stop brings nothing back")
        checkEq(again.stationIds(), listOf("CP-A", "CP-B"), "stations")
        expectThrows<ChargekitException.InvalidSnapshot>("an assembler checkpoint is not a fleet") {
            Fleet.restore(SessionAssembler("CP").snapshot())
        }
    }
    checks["readings of no transaction are kept: unassignedReadings"] = { _ ->
        val a = SessionAssembler("CP-1", "2.0.1")
        a.feed(frame16("u", "MeterValues", """{"evseId":1,"meterValue":[{"timestamp":"2026-03-10T12:00:00Z","sampledValue":[{"value":230.4,"measurand":"Voltage","unitOfMeasure":{"unit":"V"}}]}]}"""))
        checkEq(a.sessions().size, 0, "no session")
        val r = a.unassignedReadings().single()
        checkEq(r.measurand.wireName() to r.raw, "Voltage" to "230.4", "measurand and raw text")
        checkDec(r.value!!, "230.4", "value")
    }
    checks["feed is all or nothing; concurrent feeding equals batch"] = { dir ->
        val lines = readData(dir, "site-day-ocpp201.jsonl").lines().filter { it.isNotBlank() }
        val a = SessionAssembler("CP-BRAVO", "2.0.1")
        a.feed(lines.take(10).joinToString("\n"))
        val before = a.sessions().map { it.transactionId() to it.energyWh() }
        expectThrows<ChargekitException.InvalidJson>("feeding good frames then a broken one") {
            a.feed(lines.drop(10).take(20).joinToString("\n") + "\n[2,\"x\",")
        }
        checkEq(a.sessions().map { it.transactionId() to it.energyWh() }, before, "state unchanged after a failed feed")
        val pool = Executors.newFixedThreadPool(4)
        val fed = lines.drop(10).chunked(7).map { chunk -> pool.submit<ULong> { a.feed(chunk.joinToString("\n")) } }
        pool.shutdown()
        check(pool.awaitTermination(60, TimeUnit.SECONDS)) { "feeding threads did not finish" }
        checkEq(fed.sumOf { it.get().toLong() }, (lines.size - 10).toLong(), "frames fed by the threads")
        val batch = sessionsFromMessages(lines.joinToString("\n"), "2.0.1", "CP-BRAVO")
        val got = a.sessions()
        checkEq(got.map { it.transactionId() }, batch.map { it.transactionId() }, "transaction ids")
        checkEq(got.map { it.energyWh() }, batch.map { it.energyWh() }, "energies")
        // out_of_order describes arrival, which the threads scrambled; every other anomaly must agree.
        fun noArrival(s: Session) = s.anomalyNames().filter { it != "out_of_order" }
        checkEq(got.map(::noArrival), batch.map(::noArrival), "anomalies other than out_of_order")
        a.close()
    }
    checks["typed exceptions: truncated JSON, bad frame, wrong field type, version"] = { _ ->
        val trunc = expectThrows<ChargekitException.InvalidJson>("truncated JSON") {
            sessionsFromMessages("""[2,"x","StartTransaction",{"connectorId":1,""", "1.6", "CP-1")
        }
        check(trunc.reason.isNotBlank()) { "InvalidJson.reason empty" }
        val frame = expectThrows<ChargekitException.InvalidFrame>("not a frame") {
            sessionsFromMessages("""[9,"x"]""", "1.6", "CP-1")
        }
        checkEq(frame.index, 0UL, "InvalidFrame.index")
        val bad = expectThrows<ChargekitException.InvalidPayload>("connectorId of the wrong type") {
            sessionsFromMessages(
                frame16("x", "StartTransaction", """{"connectorId":"one","idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}"""),
                "1.6", "CP-1",
            )
        }
        checkEq(bad.action, "StartTransaction", "InvalidPayload.action")
        checkEq(bad.field, "connectorId", "InvalidPayload.field")
        check(bad.message.contains("connectorId")) { "message: ${bad.message}" }
        val v = expectThrows<ChargekitException.UnsupportedVersion>("unknown version") { SessionAssembler("CP-1", "3.0") }
        check(v.reason.contains("3.0")) { "Version.reason: ${v.reason}" }
        val policy = expectThrows<ChargekitException.InvalidPolicy>("unknown option value") {
            meterPolicyFromJson("""{"negative_step": "maybe"}""")
        }
        checkEq(policy.field, "negative_step", "InvalidPolicy.field")
        // Every variant is a ChargekitException, itself a plain Kotlin Exception.
        check((bad as Exception) is ChargekitException) { "not a ChargekitException" }
    }
    checks["NotExactlyOne carries the count"] = { dir ->
        val many = expectThrows<ChargekitException.NotExactlyOneSession>("seven sessions") {
            sessionFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
        }
        checkEq(many.found, 7UL, "found")
        // A live assembler waiting for its first transaction has no session yet: null.
        checkEq(SessionAssembler("CP-1").session(), null, "no session yet")
        val none = expectThrows<ChargekitException.NotExactlyOneSession>("no session") { sessionFromMessages("[]", "1.6", "CP-1") }
        checkEq(none.found, 0UL, "found")
    }
    checks["out-of-range instants are an exception, never a crash"] = { _ ->
        val s = sessionFromMessages(DIP_LOG, "1.6", "CP-1")
        expectThrows<InternalException>("Instant.MAX as a cut") { s.chargingPeriodsCutAt(listOf(Instant.MAX)) }
        // The session is still usable afterwards.
        checkDec(s.energyWh(), "3000", "energyWh after the failed call")
    }
    checks["hostile policy values give a session, never an error or a caught panic"] = { _ ->
        // Core once panicked on both (decimal overflow, chrono TimeDelta out of bounds); it now
        // computes them. A panic caught at the boundary (ChargekitException.Internal) fails here.
        val envelope = """{"received_at":"2026-03-10T08:07:01Z","frame":${mv16("m9", 7, "2026-03-10T08:07:00Z", "2500")}}"""
        val log = DIP_LOG + "\n" + envelope
        val plain = sessionFromMessages(log, "1.6", "CP-1").energyWh()
        val cases = listOf(
            "maxClockSkewS=Long.MAX_VALUE" to defaultMeterPolicy().copy(maxClockSkewS = Long.MAX_VALUE),
            "ratedPowerW=7.9e28" to defaultMeterPolicy().copy(ratedPowerW = BigDecimal("79228162514264337593543950335")),
        )
        note = cases.joinToString("; ") { (label, policy) ->
            val wh = sessionFromMessages(log, "1.6", "CP-1", policy).energyWh()
            checkDec(wh, plain.toPlainString(), "$label: the energy of the default policy")
            "$label -> $wh Wh"
        }
    }
    checks["charging periods add up and can be cut at instants"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
            .first { it.transactionId() == "48249" }
        val periods = s.chargingPeriods()
        check(periods.isNotEmpty()) { "no periods" }
        checkDec(periods.fold(BigDecimal.ZERO) { acc, p -> acc + p.energyWh }, s.energyWh().toPlainString(), "sum of period energies")
        check(periods.any { it.kind == PeriodKind.CHARGING } && periods.any { it.kind == PeriodKind.IDLE }) { "kinds ${periods.map { it.kind }}" }
        checkEq(s.chargingS(), 10752L, "chargingS (2h59m12s)")
        // Battery full at 20:48:20; the first sample that shows it is 20:49:05, the unplug 22:48:20.
        checkEq(s.overstayS(), 7155L, "overstayS (last register increase to the end)")
        checkEq(s.idleS(), s.durationS() - s.chargingS(), "idleS = duration - charging")
        check(periods.zipWithNext().all { (a, b) -> a.end == b.start }) { "periods not contiguous" }
        val cut = Instant.parse("2026-03-10T19:00:00Z")
        val cutPeriods = s.chargingPeriodsCutAt(listOf(cut))
        checkEq(cutPeriods.size, periods.size + 1, "one more period")
        check(cutPeriods.any { it.start == cut } && cutPeriods.any { it.end == cut }) { "no boundary at $cut" }
        checkDec(cutPeriods.fold(BigDecimal.ZERO) { acc, p -> acc + p.energyWh }, s.energyWh().toPlainString(), "sum after cut")
        val timeline = s.timeline()
        checkEq(timeline.last().state, SessionState.ENDED, "timeline ends ended")
        checkDec(timeline.last().energyWh, s.energyWh().toPlainString(), "timeline energy at end")
    }
    checks["toOcpiCdr JSON has total_energy and charging_periods"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
            .first { it.transactionId() == "48213" }
        val cdr = Json.parse(s.toOcpiCdr()).obj()
        checkDec(cdr["total_energy"] as BigDecimal, "19.758", "total_energy (kWh)")
        val periods = cdr["charging_periods"].arr()
        check(periods.isNotEmpty()) { "charging_periods empty" }
        val dims = periods.flatMap { it.obj()["dimensions"].arr() }.map { it.obj() }
        checkDec(dims.filter { it["type"] == "ENERGY" }.fold(BigDecimal.ZERO) { acc, d -> acc + d["volume"] as BigDecimal }, "19.758", "ENERGY dimensions")
        checkEq(cdr["country_code"], "XX", "default country_code")
        checkEq(cdr["session_id"], "48213", "session_id")
        val de = Json.parse(s.toOcpiCdr(CdrOptions(countryCode = "DE", partyId = "ABC"))).obj()
        checkEq(de["country_code"], "DE", "country_code from options")
        checkEq(de["cdr_location"].obj()["evse_id"], "DE*ABC*E1", "evse_id from options")
    }
    checks["anomalyKindNames: the 14 names in core order"] = { _ ->
        val names = anomalyKindNames()
        checkEq(names, listOf(
            "duplicate", "out_of_order", "missing_seq_no", "dip", "meter_reset", "rollover", "implausible_power",
            "begin_zero_placeholder", "start_stop_mismatch", "unit_suspect", "unknown_unit", "unparseable",
            "clock_suspect", "after_end", "unmatched_start",
        ), "names")
        checkEq(AnomalyKind.entries.map { it.wireName() }, names, "enum order and names agree")
    }
    checks["readings keep what the station sent"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "site-day-ocpp201.jsonl"), "2.0.1", "CP-BRAVO")
            .first { it.transactionId() == "cae828a4-586f-460f-a2c7-a90e290eeec1" }
        val readings = s.readings()
        val kwh = readings.first { it.unitRaw == "kWh" && it.measurand == Measurand.ENERGY_ACTIVE_IMPORT_REGISTER }
        checkEq(kwh.raw, "5165.835", "raw")
        checkDec(kwh.value, "5165835", "value in Wh")
        checkEq(kwh.source.seqNo, 6UL, "seqNo")
        val mult = readings.first { it.multiplier == 3 && it.measurand == Measurand.ENERGY_ACTIVE_IMPORT_REGISTER }
        checkDec(mult.value, "5178327", "multiplier 3 applied")
        check(readings.any { it.context == ReadingContext.TRANSACTION_BEGIN }) { "no Transaction.Begin reading" }
        check(readings.zipWithNext().all { (a, b) -> a.tsStation <= b.tsStation }) { "readings not in time order" }
    }
}

/** The shared test vectors (core/tests/vectors), for the checks that use them. */
var vectorsDir = File("core/tests/vectors")

fun main(args: Array<String>) {
    val dir = File(args.firstOrNull() ?: System.getenv("CHARGEKIT_DATA_DIR") ?: "examples/data")
    vectorsDir = File(args.getOrNull(1) ?: System.getenv("CHARGEKIT_VECTORS_DIR") ?: "core/tests/vectors")
    register()
    registerProfileChecks()
    registerOcmfChecks()
    registerTariffChecks()
    registerAnalyticsChecks()
    registerPlanningChecks()
    registerV21Checks()
    registerMutationChecks()
    registerLimitChecks()
    var passed = 0
    var failed = 0
    for ((name, body) in checks) {
        note = null
        try {
            body(dir)
            passed++
            println("ok   $name" + (note?.let { " [$it]" } ?: ""))
        } catch (e: Throwable) {
            failed++
            println("FAIL $name: ${e::class.simpleName}: ${e.message}")
        }
    }
    println("$passed passed, $failed failed")
    if (failed > 0) exitProcess(1)
}

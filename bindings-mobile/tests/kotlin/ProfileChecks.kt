// Kotlin checks of smart charging (SmartChargingStation, composite schedules, install rules),
// on the shared composite vectors in core/tests/vectors/composite and on inline profiles.

import io.chargekit.core.ChargekitException
import io.chargekit.core.ChargingPreferences
import io.chargekit.core.ChargingProfilePurpose
import io.chargekit.core.ChargingRateUnit
import io.chargekit.core.ClearCriteria
import io.chargekit.core.CompositeResponse
import io.chargekit.core.CompositeSchedule
import io.chargekit.core.DuplicatePolicy
import io.chargekit.core.Evse0
import io.chargekit.core.GapFill
import io.chargekit.core.LimitRounding
import io.chargekit.core.LimitSourceKind
import io.chargekit.core.PhaseSource
import io.chargekit.core.ProfileOrigin
import io.chargekit.core.ProfileVersion
import io.chargekit.core.RecurringBeforeStart
import io.chargekit.core.RelativeWithoutTx
import io.chargekit.core.Stacking16
import io.chargekit.core.StationOptions
import io.chargekit.SmartChargingStation
import io.chargekit.core.UnmetWish
import io.chargekit.chargingProfileToV2Json
import io.chargekit.defaultStationOptions
import io.chargekit.readCompositeResponse
import java.io.File
import java.math.BigDecimal
import java.time.Duration
import java.time.Instant

// ---------------------------------------------------------------- the composite vectors

/**
 * The vectors are profile sets as EVerest's unit tests store them, without the install checks
 * between profiles (two cases hold sets a CSMS could not install), so they load with
 * `duplicates: keep`; every composite option keeps its default (core/tests/profile_vectors.rs).
 */
val VECTOR_OPTIONS: StationOptions = defaultStationOptions().copy(duplicates = DuplicatePolicy.KEEP)

fun compositeDir(): File = File(vectorsDir, "composite")

val compositeCases: Map<String, Any?> by lazy {
    Json.parse(File(compositeDir(), "cases.json").readText()).obj()["cases"].obj()
}
val compositeExpected: Map<String, Any?> by lazy {
    Json.parse(File(compositeDir(), "expected.json").readText()).obj()["expected"].obj()
}

fun num(v: Any?): BigDecimal = v as BigDecimal

/** A case's request: EVSE, start ("now"), duration, unit. */
data class CompositeRequest(val evseId: UInt, val start: Instant, val durationS: Long, val unit: ChargingRateUnit)

/**
 * Builds the station a case describes through the public API, as core's CompositeCase::station
 * does: the EVSEs and defaults, a transaction on every EVSE (at its own start, else the case's,
 * else the window start; with the transactionId of its TxProfiles), then every profile installed
 * as 2.0.1 (external constraints through setExternalConstraints).
 */
fun stationForCase(case: Map<String, Any?>, options: StationOptions?): Pair<SmartChargingStation, CompositeRequest> {
    val evseId = num(case["evse_id"]).toInt().toUInt()
    val evses = (case["evses"] ?: emptyList<Any?>()).arr().map { it.obj() }
    val evseIds = if (evseId == 0u) evses.map { num(it["evse_id"]).toInt().toUInt() } else listOf(evseId)
    val d = case["defaults"].obj()
    val station = SmartChargingStation(
        evseIds, num(d["limit_amps"]), num(d["limit_watts"]), num(d["supply_voltage"]),
        num(d["number_phases"]).toInt().toUByte(), options,
    )
    val placed = ArrayList<Pair<UInt, Map<String, Any?>>>()
    (case["station_profiles"] ?: emptyList<Any?>()).arr().forEach { placed.add(0u to it.obj()) }
    if (evseId == 0u) {
        for (e in evses) {
            (e["profiles"] ?: emptyList<Any?>()).arr().forEach { placed.add(num(e["evse_id"]).toInt().toUInt() to it.obj()) }
        }
    } else {
        (case["evse_profiles"] ?: emptyList<Any?>()).arr().forEach { placed.add(evseId to it.obj()) }
    }
    val window = case["window"].obj()
    val start = Instant.parse(window["start"] as String)
    val tx = case["transaction"].obj()
    if (tx["active"] == true) {
        for (e in evseIds) {
            val own = evses.firstOrNull { num(it["evse_id"]).toInt().toUInt() == e }?.get("transaction_start") as String?
            val at = own ?: tx["start"] as String? ?: window["start"] as String
            val txId = placed.filter { (pe, p) -> pe == e && p["chargingProfilePurpose"] == "TxProfile" }
                .firstNotNullOfOrNull { (_, p) -> p["transactionId"] as String? }
            station.startTransaction(e, Instant.parse(at), txId)
        }
    }
    for ((e, p) in placed) {
        if (p["chargingProfilePurpose"] == "ChargingStationExternalConstraints") {
            station.setExternalConstraints(toJson(p), e, "2.0.1")
        } else {
            station.install(toJson(p), e, "2.0.1")
        }
    }
    val end = Instant.parse(window["end"] as String)
    val unit = ChargingRateUnit.valueOf(case["charging_rate_unit"] as String)
    return station to CompositeRequest(evseId, start, Duration.between(start, end).seconds, unit)
}

fun runCase(name: String, options: StationOptions? = VECTOR_OPTIONS): CompositeSchedule {
    val (station, r) = stationForCase(compositeCases[name].obj(), options)
    return station.use { it.compositeSchedule(r.evseId, r.start, r.durationS, r.unit) }
}

/** `startPeriod:limit` pairs of the typed periods (limits without trailing zeros, `none` for null). */
fun pairs(s: CompositeSchedule): List<String> =
    s.periods().map { "${it.startPeriod}:${it.limit?.stripTrailingZeros()?.toPlainString() ?: "none"}" }

/**
 * The vectors' comparison rules (README): header and duration equal, (startPeriod, limit) exactly,
 * numberPhases equal where expected.json has one and "3 or absent" where it has none. Compares the
 * 2.0.1 GetCompositeSchedule JSON of `toOcpp`, and checks the typed periods say the same.
 */
fun compareWithExpected(name: String, got: CompositeSchedule) {
    val want = compositeExpected[name].obj()
    val ocpp = Json.parse(got.toOcpp("2.0.1")).obj()
    checkEq(ocpp["status"], "Accepted", "$name status")
    val s = ocpp["schedule"].obj()
    for (k in listOf("evseId", "duration")) {
        check(num(s[k]).compareTo(num(want[k])) == 0) { "$name $k: ${s[k]} != ${want[k]}" }
    }
    checkEq(s["scheduleStart"], want["scheduleStart"], "$name scheduleStart")
    checkEq(s["chargingRateUnit"], want["chargingRateUnit"], "$name chargingRateUnit")
    val gp = s["chargingSchedulePeriod"].arr().map { it.obj() }
    val wp = want["chargingSchedulePeriod"].arr().map { it.obj() }
    fun show(ps: List<Map<String, Any?>>) = ps.joinToString(" ") { "${it["startPeriod"]}:${it["limit"]}/${it["numberPhases"]}" }
    val mismatch = { "$name: got [${show(gp)}], want [${show(wp)}]" }
    check(gp.size == wp.size, mismatch)
    for ((g, w) in gp.zip(wp)) {
        check(num(g["startPeriod"]).compareTo(num(w["startPeriod"])) == 0, mismatch)
        check(num(g["limit"]).compareTo(num(w["limit"])) == 0, mismatch)
        val wn = w["numberPhases"]
        val gn = g["numberPhases"]
        check(if (wn == null) gn == null || num(gn).toInt() == 3 else gn != null && num(gn).compareTo(num(wn)) == 0, mismatch)
    }
    // The typed view agrees with the JSON, and every period names what bound it.
    checkEq(got.duration().toLong(), num(want["duration"]).toLong(), "$name duration()")
    checkEq(got.scheduleStart(), Instant.parse(want["scheduleStart"] as String), "$name scheduleStart()")
    checkEq(got.unit().name, want["chargingRateUnit"], "$name unit()")
    val typed = got.periods()
    checkEq(typed.size, gp.size, "$name periods()")
    for ((t, g) in typed.zip(gp)) {
        checkEq(t.startPeriod.toLong(), num(g["startPeriod"]).toLong(), "$name startPeriod")
        checkDec(t.limit, num(g["limit"]).toPlainString(), "$name limit at ${t.startPeriod}")
        checkEq(t.numberPhases?.toInt(), (g["numberPhases"] as BigDecimal?)?.toInt(), "$name numberPhases at ${t.startPeriod}")
        check(t.source != LimitSourceKind.REPORTED) { "$name: computed period marked REPORTED" }
        checkEq(t.binding != null, t.source == LimitSourceKind.PROFILE, "$name binding present iff PROFILE at ${t.startPeriod}")
        checkEq(t.evseSources.isNotEmpty(), t.source == LimitSourceKind.EVSE_SUM, "$name evseSources iff EVSE_SUM")
    }
}

// ---------------------------------------------------------------- inline profiles

fun txDefault(id: Int, stackLevel: Int, firstStart: Int = 0, limit: String = "10") =
    """{"id": $id, "stackLevel": $stackLevel, "chargingProfilePurpose": "TxDefaultProfile",
       "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
       "chargingSchedulePeriod": [{"startPeriod": $firstStart, "limit": $limit}]}]}"""

const val TX_PROFILE = """{"id": 5, "stackLevel": 0, "chargingProfilePurpose": "TxProfile", "transactionId": "T-1",
    "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10}]}]}"""

const val STATION_MAX = """{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationMaxProfile",
    "chargingProfileKind": "Absolute", "chargingSchedule": [{"id": 1, "startSchedule": "2026-03-10T08:00:00Z",
    "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32}, {"startPeriod": 3600, "limit": 16}]}]}"""

/** OCPP 1.6 csChargingProfiles: a ChargePointMaxProfile of 10 000 W (14.49... A on 3 x 230 V). */
const val STATION_MAX_16 = """{"chargingProfileId": 3, "stackLevel": 0, "chargingProfilePurpose": "ChargePointMaxProfile",
    "chargingProfileKind": "Absolute", "chargingSchedule": {"startSchedule": "2026-03-10T08:00:00Z",
    "chargingRateUnit": "W", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10000}]}}"""

fun defaultStation(vararg evses: Int, options: StationOptions? = null) = SmartChargingStation(
    evses.map { it.toUInt() }, BigDecimal("48"), BigDecimal("33120"), BigDecimal("230"), 3u, options,
)

val T0: Instant = Instant.parse("2026-03-10T08:00:00Z")

// ---------------------------------------------------------------- checks

fun registerProfileChecks() {
    checks["composite vectors: all 19 cases reproduce expected.json (duplicates: keep)"] = { _ ->
        checkEq(compositeCases.size, 19, "case count")
        checkEq(compositeExpected.keys, compositeCases.keys, "expected.json names the same cases")
        val failures = ArrayList<String>()
        for (name in compositeCases.keys) {
            try {
                compareWithExpected(name, runCase(name))
            } catch (e: CheckFailed) {
                failures.add(e.message ?: name)
            }
        }
        check(failures.isEmpty()) { "${failures.size} of 19 differ:\n  " + failures.joinToString("\n  ") }
        note = "19 cases"
    }
    checks["composite vectors: the other 17 cases also install under the default rules"] = { _ ->
        for (name in compositeCases.keys - setOf("NoGapsWithSequentialProfiles", "OCTT_TC_K_41_CS")) {
            compareWithExpected(name, runCase(name, options = null))
        }
    }
    checks["composite periods name the binding profile (id, purpose, stackLevel)"] = { _ ->
        // StationMax 24 (hourly 10, 20, ... W) caps the 2000 W TxProfile 2000; TxProfile 2001 starts at 23:00.
        val max = runCase("MaxOverridesHigherLimits").periods()
        checkEq(max.map { it.binding?.id }, listOf(24, 24), "binding ids")
        checkEq(max[0].binding?.purpose, ChargingProfilePurpose.CHARGING_STATION_MAX_PROFILE, "purpose")
        checkEq(max[0].binding?.stackLevel, 0u, "stackLevel")
        checkEq(max[0].binding?.evseId, 0u, "evseId of the station-wide profile")
        // OCTT TC_K_41_CS: TxProfile 2 at 8 A, StationMax 1 at 10 A, TxDefault 2 once the TxProfile ended.
        val octt = runCase("OCTT_TC_K_41_CS")
        val p = octt.periods()
        checkEq(pairs(octt), listOf("0:8", "46:10", "196:6", "236:10", "260:8", "300:10"), "periods")
        checkEq(p.map { it.binding?.id }, listOf(2, 1, 2, 1, 2, 1), "binding ids")
        checkEq(p.map { it.binding?.purpose?.wireName() }, listOf(
            "TxProfile", "ChargingStationMaxProfile", "TxProfile", "ChargingStationMaxProfile", "TxDefaultProfile",
            "ChargingStationMaxProfile",
        ), "binding purposes")
        checkEq(octt.periodAt(200u)?.startPeriod, 196u, "periodAt(200)")
        checkEq(p.all { it.profiles == listOfNotNull(it.binding) }, true, "profiles = [binding] for one EVSE")
    }
    checks["EVSE 0 sums the EVSEs and names each EVSE's source"] = { _ ->
        val s = runCase("TxDefaultConnector0_evse0")
        checkEq(s.evseId(), 0u, "evseId")
        val first = s.periods()[0]
        checkDec(first.limit, "2000", "sum of two 1000 W TxDefaults")
        checkEq(first.source, LimitSourceKind.EVSE_SUM, "source")
        checkEq(first.binding, null, "no single binding profile")
        checkEq(first.evseSources.map { it.evseId }, listOf(1u, 2u), "EVSEs")
        checkEq(first.evseSources.map { it.binding?.id }, listOf(66, 66), "each EVSE bound by TxDefault 66")
        checkEq(first.profiles.map { it.id }.toSet(), setOf(66), "profiles involved")
        // The named alternative: only EVSE 0's own profiles (codetics).
        val only = runCase("TxDefaultConnector0_evse0", VECTOR_OPTIONS.copy(evse0 = Evse0.STATION_PROFILES_ONLY))
        checkEq(pairs(only), listOf("0:1000", "70:7000", "140:0", "210:6000", "280:1500", "350:5000"), "station_profiles_only")
    }
    checks["options: no_limit gap fill gives null limits, omitted from the OCPP JSON"] = { _ ->
        val s = runCase("NoGapsWithSequentialProfiles", VECTOR_OPTIONS.copy(gapFill = GapFill.NO_LIMIT))
        checkEq(pairs(s), listOf("0:16", "300:12", "600:none"), "periods")
        checkEq(s.periods()[2].source, LimitSourceKind.DEFAULT, "gap source")
        val json = Json.parse(s.toOcpp("2.0.1")).obj()["schedule"].obj()["chargingSchedulePeriod"].arr()
        check("limit" !in json[2].obj()) { "limit written for a gap: ${json[2]}" }
        val station = defaultStation(1, options = defaultStationOptions().copy(gapFill = GapFill.NO_LIMIT, mergeEqualAdjacent = false))
        val opts = station.options()
        checkEq(opts.gapFill, GapFill.NO_LIMIT, "options() gapFill")
        checkEq(opts.mergeEqualAdjacent, false, "options() mergeEqualAdjacent")
        checkEq(defaultStationOptions().duplicates, DuplicatePolicy.PROTOCOL, "default duplicates")
        // The record's literal defaults are core's: only the enum fields (and the unit list) must be named.
        val named = StationOptions(
            gapFill = GapFill.DEFAULT_LIMIT, recurringBeforeStart = RecurringBeforeStart.APPLY, evse0 = Evse0.SUM_OF_EVSES,
            phaseSource = PhaseSource.RESULT_MIN, stacking16 = Stacking16.FALL_THROUGH,
            relativeWithoutTx = RelativeWithoutTx.ANCHOR_AT_REQUEST, duplicates = DuplicatePolicy.PROTOCOL,
            limitRounding = LimitRounding.FLOOR01, supportedUnits = listOf(ChargingRateUnit.A, ChargingRateUnit.W),
            preferredUnit = ChargingRateUnit.A,
        )
        checkEq(named, defaultStationOptions(), "StationOptions field defaults = defaultStationOptions()")
        val bad = expectThrows<ChargekitException.InvalidStationConfig>("unknown option") {
            SmartChargingStation.fromConfigJson("""{"evse_ids": [1], "options": {"gap_fil": "no_limit"}}""")
        }
        check(bad.reason.contains("gap_fil")) { "reason: ${bad.reason}" }
    }
    checks["rejections name their rule: K01.FR.06 duplicate, K01.FR.09, K01.FR.31"] = { _ ->
        // The vectors' two TxDefaults at stackLevel 5: a CSMS could not install both.
        val dup = expectThrows<ChargekitException.ProfileRejected>("NoGapsWithSequentialProfiles under default rules") {
            stationForCase(compositeCases["NoGapsWithSequentialProfiles"].obj(), null)
        }
        checkEq(dup.ruleId, "K01.FR.06", "ruleId")
        checkEq(dup.ruleName, "DuplicateValidity", "ruleName")
        check(dup.reason.contains("401")) { "reason names the existing profile: ${dup.reason}" }
        check(dup.toString().contains("rejected by K01.FR.06 (DuplicateValidity)")) { "toString: $dup" }
        defaultStation(1).use { st ->
            val noTx = expectThrows<ChargekitException.ProfileRejected>("TxProfile without transaction") { st.install(TX_PROFILE, 1u, "2.0.1") }
            checkEq(noTx.ruleId, "K01.FR.09", "ruleId")
            st.startTransaction(1u, T0, "T-1")
            checkEq(st.install(TX_PROFILE, 1u, "2.0.1").replaced, emptyList<Int>(), "installed once the transaction runs")
            val late = expectThrows<ChargekitException.ProfileRejected>("first period at 60 s") {
                st.install(txDefault(7, 0, firstStart = 60), 0u, "2.0.1")
            }
            checkEq(late.ruleId to late.ruleName, "K01.FR.31" to "FirstPeriodNotZero", "rule")
            val onEvse = expectThrows<ChargekitException.ProfileRejected>("StationMax on EVSE 1") { st.install(STATION_MAX, 1u, "2.0.1") }
            checkEq(onEvse.ruleId, "SetChargingProfileRequest.evseId", "ruleId")
            checkEq(st.profiles().map { it.id }, listOf(5), "rejected profiles are not installed")
        }
    }
    checks["OCTT_TC_K_41_CS under the default rules: the TxProfile replaces TxDefault 2"] = { _ ->
        val (st, r) = stationForCase(compositeCases["OCTT_TC_K_41_CS"].obj(), null)
        st.use {
            checkEq(it.profiles().map { p -> p.purpose }, listOf(ChargingProfilePurpose.CHARGING_STATION_MAX_PROFILE, ChargingProfilePurpose.TX_PROFILE), "installed")
            checkEq(pairs(it.compositeSchedule(r.evseId, r.start, r.durationS, r.unit)), listOf("0:8", "46:10", "196:6", "236:10"), "periods")
        }
    }
    checks["typed exceptions: malformed profile, unknown EVSE, bad version, 1.6 round trip"] = { _ ->
        defaultStation(1, 2).use { st ->
            val bad = expectThrows<ChargekitException.InvalidProfile>("unknown purpose") {
                st.install(txDefault(1, 0).replace("TxDefaultProfile", "TxDefault"), 0u, "2.0.1")
            }
            checkEq(bad.field, "chargingProfilePurpose", "InvalidProfile.field")
            check(bad.what.contains("ChargingProfile")) { "InvalidProfile.what: ${bad.what}" }
            val evse = expectThrows<ChargekitException.UnknownEvse>("EVSE 7") { st.compositeSchedule(7u, T0, 60L) }
            checkEq(evse.evseId, 7u, "UnknownEvse.evseId")
            val v = expectThrows<ChargekitException.InvalidStationConfig>("version 3.0") { st.install(txDefault(1, 0), 0u, "3.0") }
            check(v.reason.contains("3.0")) { "reason: ${v.reason}" }
            expectThrows<ChargekitException.InvalidStationConfig>("no EVSE") { defaultStation() }
            // A 1.6 ChargePointMaxProfile: stored as a 2.x ChargingStationMaxProfile, reported in 1.6 shape.
            st.install(STATION_MAX_16, 0u, "1.6")
            val info = st.profiles().single()
            checkEq(info.version, ProfileVersion.V16, "version")
            checkEq(info.version.wireName(), "1.6", "version name")
            checkEq(info.origin, ProfileOrigin.CSMS, "origin")
            checkEq(info.purpose, ChargingProfilePurpose.CHARGING_STATION_MAX_PROFILE, "purpose")
            checkEq(Json.parse(info.profileJson).obj()["id"], BigDecimal("3"), "profileJson id")
            val s = st.compositeSchedule(1u, T0.plusSeconds(600), 600L, ChargingRateUnit.A)
            val exact = s.periods()[0].limit!!
            check(exact > BigDecimal("14.4927") && exact < BigDecimal("14.4928")) { "10000 W / 690 V = $exact A" }
            val p2 = Json.parse(s.toOcpp("2.0.1")).obj()["schedule"].obj()["chargingSchedulePeriod"].arr()[0].obj()
            checkDec(p2["limit"] as BigDecimal, exact.toPlainString(), "2.0.1 limit exact")
            val r16 = Json.parse(s.toOcpp("1.6")).obj()
            checkEq(r16["scheduleStart"], "2026-03-10T08:10:00Z", "1.6 scheduleStart")
            checkEq(r16["connectorId"], BigDecimal("1"), "1.6 connectorId")
            val p16 = r16["chargingSchedule"].obj()["chargingSchedulePeriod"].arr()[0].obj()
            checkDec(p16["limit"] as BigDecimal, "14.4", "1.6 limit floored to 0.1")
            val v2 = Json.parse(chargingProfileToV2Json(STATION_MAX_16, "1.6")).obj()
            checkEq(v2["chargingProfilePurpose"], "ChargingStationMaxProfile", "1.6 → 2.x purpose")
        }
    }
    checks["W ↔ A conversion, external constraints, clear and transactions"] = { _ ->
        defaultStation(1).use { st ->
            st.install(STATION_MAX, 0u, "2.0.1")
            // 32 A x 230 V x 3 phases = 22080 W, then 16 A = 11040 W.
            val w = st.compositeSchedule(1u, T0.plusSeconds(1800), 3600L, ChargingRateUnit.W)
            checkEq(pairs(w), listOf("0:22080", "1800:11040"), "W periods")
            checkEq(st.compositeSchedule(1u, T0.plusSeconds(1800), 3600L).unit(), ChargingRateUnit.A, "preferred unit")
            val ems = """{"id": 900, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationExternalConstraints",
                "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "W",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 6900}]}]}"""
            val fromCsms = expectThrows<ChargekitException.ProfileRejected>("external constraints from the CSMS") { st.install(ems, 0u, "2.0.1") }
            checkEq(fromCsms.ruleId, "K01.FR.22", "ruleId")
            st.setExternalConstraints(ems, 0u, "2.0.1")
            val capped = st.compositeSchedule(1u, T0.plusSeconds(1800), 600L, ChargingRateUnit.A).periods()
            checkDec(capped[0].limit, "10", "6900 W / (230 V x 3) = 10 A")
            checkEq(capped[0].binding?.id, 900, "bound by the EMS limit")
            checkEq(st.profiles().first { it.id == 900 }.origin, ProfileOrigin.LOCAL, "origin")
            checkEq(st.clear(), listOf(1), "clear() removes CSMS profiles only")
            checkEq(st.clearExternalConstraints(ClearCriteria(id = 900)), listOf(900), "clearExternalConstraints")
            st.startTransaction(1u, T0, "T-1")
            checkEq(st.transaction(1u)?.transactionId, "T-1", "transaction")
            checkEq(st.transaction(1u)?.startedAt, T0, "startedAt")
            st.install(TX_PROFILE, 1u, "2.0.1")
            checkEq(st.stopTransaction(1u)?.transactionId, "T-1", "stopTransaction")
            checkEq(st.profiles(), emptyList(), "TxProfile removed with its transaction")
            checkEq(st.stopTransaction(1u), null, "nothing to stop")
            checkEq(st.evseIds(), listOf(1u), "evseIds")
        }
    }
    checks["fromConfigJson and concurrent use of one station"] = { _ ->
        val st = SmartChargingStation.fromConfigJson("""{"evse_ids": [1, 2], "default_limit_amps": "16", "options": {"gap_fill": "default_limit"}}""")
        checkEq(pairs(st.compositeSchedule(2u, T0, 60L)), listOf("0:16"), "default limit from the config")
        val threads = (1..8).map { i ->
            Thread { st.install(txDefault(100 + i, i), if (i % 2 == 0) 1u else 2u, "2.0.1") }.apply { start() }
        }
        threads.forEach { it.join() }
        checkEq(st.profiles().map { it.id }.sorted(), (101..108).toList(), "eight concurrent installs")
        st.close()
    }
    checks["readCompositeResponse: a station's answer in another unit, empty, rejected"] = { _ ->
        // Our own 2.0.1 response reads back as the same periods.
        val ours = runCase("OCTT_TC_K_41_CS")
        val back = readCompositeResponse(ours.toOcpp("2.0.1"), "2.0.1", supplyVoltage = BigDecimal("230"), defaultPhases = 3u)
        val sched = (back as CompositeResponse.Schedule).schedule
        checkEq(pairs(sched), pairs(ours), "round trip")
        checkEq(back.unitConverted, false, "unitConverted")
        check(sched.periods().all { it.source == LimitSourceKind.REPORTED && it.binding == null }) { "sources" }
        // A 1.6 station answering in A when the CSMS works in W (docs/charging-profiles.md §5 #10).
        val r16 = """{"status": "Accepted", "connectorId": 1, "scheduleStart": "2026-03-10T08:00:00Z",
            "chargingSchedule": {"duration": 600, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}}"""
        val w = readCompositeResponse(r16, "1.6", ChargingRateUnit.W, BigDecimal("230"), 3u) as CompositeResponse.Schedule
        checkEq(w.unitConverted, true, "converted")
        checkDec(w.schedule.periods()[0].limit, "11040", "16 A x 230 V x 3")
        checkEq(w.schedule.scheduleStart(), T0, "scheduleStart")
        val empty = """{"status": "Accepted", "schedule": {"evseId": 1, "duration": 0, "scheduleStart": "2026-03-10T08:00:00Z",
            "chargingRateUnit": "A", "chargingSchedulePeriod": []}}"""
        check(readCompositeResponse(empty, "2.0.1", supplyVoltage = BigDecimal("230"), defaultPhases = 3u) is CompositeResponse.Unknown) { "empty" }
        expectThrows<ChargekitException.InvalidProfile>("strict") {
            readCompositeResponse(empty, "2.0.1", null, BigDecimal("230"), 3u, strict = true)
        }
        val rejected = readCompositeResponse("""{"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEVSE"}}""", "2.0.1",
            supplyVoltage = BigDecimal("230"), defaultPhases = 3u)
        checkEq((rejected as CompositeResponse.Rejected).reason, "UnknownEVSE", "reasonCode")
    }
    checks["planPreferences: energy shortfall reported, plan installable"] = { _ ->
        defaultStation(1).use { st ->
            val now = Instant.parse("2026-03-10T18:00:00Z")
            st.startTransaction(1u, now, "T9")
            val prefs = ChargingPreferences(
                maxCurrentA = BigDecimal("32"), maxEnergyWh = BigDecimal("60000"),
                departure = Instant.parse("2026-03-10T19:00:00Z"),
            )
            val plan = st.planPreferences(1u, prefs, now, 50, 1u)
            checkEq(plan.allMet, false, "allMet")
            // One hour at 32 A x 230 V x 3 = 22080 Wh.
            checkDec(plan.deliverableWh, "22080", "deliverableWh")
            val shortfall = plan.unmet.single() as UnmetWish.EnergyShortfall
            checkDec(shortfall.requestedWh, "60000", "requestedWh")
            checkDec(shortfall.deliverableWh, "22080", "shortfall deliverableWh")
            checkEq(plan.chargingStarts, now, "chargingStarts")
            val profile = Json.parse(plan.profileJson).obj()
            checkEq(profile["transactionId"], "T9", "transactionId")
            checkEq(profile["chargingProfilePurpose"], "TxProfile", "purpose")
            st.install(plan.profileJson, 1u, "2.0.1")
            checkDec(st.compositeSchedule(1u, now, 60L).periods()[0].limit, "32", "the plan's limit applies")
            val bad = expectThrows<ChargekitException.UnknownEvse>("plan on EVSE 0") { st.planPreferences(0u, prefs, now, 51, 1u) }
            checkEq(bad.evseId, 0u, "evseId")
        }
    }
}

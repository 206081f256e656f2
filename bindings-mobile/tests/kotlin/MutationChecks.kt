// Kotlin mutation checks: every entry point that reads text (OCPP logs, OCPI tariffs and
// CDRs, OCPP 2.1 tariffs, charging profiles and composite responses, OCMF records and keys,
// CSV exports, plans, feedback, policies, version and zone names) is called with seeded
// mutations of a valid input: truncations, flipped characters, odd Unicode, huge numbers,
// deep nesting and a megabyte of text. A call may succeed or throw the library's own
// ChargekitException, but never its Internal variant (a core panic caught at the boundary)
// and never any other exception or error.
//
// Lone surrogates are left out: UniFFI's generated string conversion refuses them with
// java.nio.charset.MalformedInputException before chargekit is called (bindings-mobile/README.md).

import io.chargekit.Fleet
import io.chargekit.SessionAssembler
import io.chargekit.StationTariff
import io.chargekit.Tariff
import io.chargekit.allocateFromJson
import io.chargekit.chargingProfileToV2Json
import io.chargekit.checkOcmfTransaction
import io.chargekit.decodeSignedData
import io.chargekit.feedbackFromJson
import io.chargekit.importSessionsCsv
import io.chargekit.limits
import io.chargekit.meterPolicyFromJson
import io.chargekit.parseOcmf
import io.chargekit.planFromJson
import io.chargekit.priceCdr
import io.chargekit.pricingPolicyPreset
import io.chargekit.readCompositeResponse
import io.chargekit.sessionsFromMessages
import io.chargekit.signedDataFromOcpi
import io.chargekit.summarize
import io.chargekit.verifyOcmf
import io.chargekit.core.ChargekitException
import java.io.File
import java.math.BigDecimal
import java.util.Random

/** One mutation of `seed`, chosen by `rnd`. */
fun mutate(seed: String, rnd: Random): String {
    val at = if (seed.isEmpty()) 0 else rnd.nextInt(seed.length)
    val odd = listOf("\u0000", "\u202E", "\uFEFF", "\uD83D\uDE00", "\u00E9", "\"", "\\", "{", "]", ",")
    val numbers = listOf("1e999999", "-1e-999999", "99999999999999999999999999999999", "-0", "NaN", "9223372036854775808")
    return when (rnd.nextInt(8)) {
        0 -> seed.substring(0, at)
        1 -> seed.substring(0, at) + odd[rnd.nextInt(odd.size)] + seed.substring(at)
        2 -> seed.substring(0, at) + (seed.getOrNull(at)?.let { (it.code xor (1 shl rnd.nextInt(7))).toChar() } ?: "") + seed.substring(minOf(at + 1, seed.length))
        3 -> Regex("-?\\d+(\\.\\d+)?").replace(seed) { if (rnd.nextInt(3) == 0) numbers[rnd.nextInt(numbers.size)] else it.value }
        4 -> "[".repeat(100_000) + seed + "]".repeat(100_000)
        5 -> seed.substring(0, at) + "x".repeat(1 shl 20) + seed.substring(at)
        6 -> seed.replace("\"", "'")
        else -> seed.substring(at) + seed.substring(0, at)
    }
}

/** Runs `call` on `count` mutations of `seed`; any outcome but success or a non-internal
 *  ChargekitException fails, naming the entry point and the input. */
fun fuzzEntryPoint(name: String, seed: String, rnd: Random, count: Int, call: (String) -> Unit) {
    for (i in 0 until count) {
        val input = if (i == 0) seed else mutate(seed, rnd)
        try {
            call(input)
        } catch (e: ChargekitException.Internal) {
            throw AssertionError("$name: a core panic on ${input.take(120)}: ${e.message}")
        } catch (e: ChargekitException) {
            // The library's own error: what a malformed input must give.
        } catch (e: Throwable) {
            throw AssertionError("$name: ${e::class.qualifiedName} on ${input.take(120)}: ${e.message}")
        }
    }
}

fun registerMutationChecks() {
    checks["malformed text into every text entry point: only ChargekitException, never Internal"] = { dir ->
        val rnd = Random(20261207)
        val log = readData(dir, "site-day-ocpp16.jsonl").lines().take(40).joinToString("\n")
        val tariff = readData(dir, "tariff-tou.json")
        val cdr = File(vectorsDir, "ocpi-tariffs/v221/every_field_set/cdr.json").readText()
        val record = readData(dir, "ocmf-transaction.txt").lines().first { it.isNotBlank() }
        val key = readData(dir, "ocmf-transaction.key").trim()
        val profile = File(vectorsDir, "composite/fixtures/v2/baseline/TxProfile_1.json").readText()
        val csv = "sessionID,stationID,connectionTime,disconnectTime,kWhDelivered\n" +
            "s1,st1,\"Wed, 02 Jan 2019 14:57:25 GMT\",\"Wed, 02 Jan 2019 22:03:12 GMT\",11.927\n"
        val composite = """{"status":"Accepted","schedule":{"evseId":1,"duration":3600,"scheduleStart":"2026-03-10T08:00:00Z",""" +
            """"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}}"""
        val feedback = """{"id":"f1","location_id":"L1","created_at":"2026-03-10T08:00:00Z","stars":4}"""
        val station = defaultStation(1)
        val entryPoints: List<Pair<String, Pair<String, (String) -> Unit>>> = listOf(
            "sessionsFromMessages" to (log to { m: String -> sessionsFromMessages(m, null, "CP") }),
            "sessionsFromMessages(version)" to ("1.6" to { v: String -> sessionsFromMessages(log, v, "CP") }),
            "SessionAssembler.feed" to (log to { m: String -> SessionAssembler("CP").feed(m) }),
            "Fleet.feed" to (log to { m: String -> Fleet().feed("CP", m) }),
            "Tariff" to (tariff to { t: String -> Tariff(t) }),
            "priceCdr(cdr)" to (cdr to { c: String -> priceCdr(c, listOf(tariff)) }),
            "priceCdr(tariff)" to (tariff to { t: String -> priceCdr(cdr, listOf(t), "Europe/Amsterdam") }),
            "priceCdr(timezone)" to ("Europe/Amsterdam" to { z: String -> priceCdr(cdr, listOf(tariff), z) }),
            "StationTariff" to (readData(dir, "station-tariff-ocpp21.json") to { t: String -> StationTariff(t) }),
            "SmartChargingStation.install" to (profile to { p: String -> station.install(p, 1u, "2.0.1") }),
            "SmartChargingStation.install(version)" to ("2.0.1" to { v: String -> station.install(profile, 1u, v) }),
            "chargingProfileToV2Json" to (profile to { p: String -> chargingProfileToV2Json(p, "2.0.1") }),
            "readCompositeResponse" to (composite to { r: String -> readCompositeResponse(r, "2.0.1", null, BigDecimal("230"), 3u) }),
            "parseOcmf" to (record to { r: String -> parseOcmf(r) }),
            "decodeSignedData" to (record to { r: String -> decodeSignedData(r) }),
            "signedDataFromOcpi" to ("""[{"encoding_method":"OCMF","signed_values":[{"nature":"Start","plain_data":"","signed_data":"x"}]}]""" to { j: String -> signedDataFromOcpi(j) }),
            "verifyOcmf(record)" to (record to { r: String -> verifyOcmf(r, key) }),
            "verifyOcmf(key)" to (key to { k: String -> verifyOcmf(record, k) }),
            "checkOcmfTransaction" to (record to { r: String -> checkOcmfTransaction(r, record, key) }),
            "importSessionsCsv" to (csv to { c: String -> importSessionsCsv(c, "UTC") }),
            "summarize(tz)" to ("Europe/Berlin" to { z: String -> summarize(listOf(), z) }),
            "planFromJson" to (readData(dir, "plan-request.json") to { j: String -> planFromJson(j) }),
            "allocateFromJson" to ("{}" to { j: String -> allocateFromJson(j) }),
            "feedbackFromJson" to (feedback to { j: String -> feedbackFromJson(j) }),
            "meterPolicyFromJson" to ("""{"negative_step":"error"}""" to { j: String -> meterPolicyFromJson(j) }),
            "pricingPolicyPreset" to ("ocpi_kit" to { n: String -> pricingPolicyPreset(n) }),
        )
        for ((name, case) in entryPoints) {
            fuzzEntryPoint(name, case.first, rnd, 40, case.second)
        }
        note = "${entryPoints.size} entry points × 40 inputs"
    }
}

fun registerLimitChecks() {
    checks["size limits are published and TooLarge names them"] = { _ ->
        val all = limits().associate { it.name to it.value }
        checkDec(all["MAX_JSON_DEPTH"], "128", "JSON depth")
        checkDec(all["MAX_COMPOSITE_DURATION_S"], "31622400", "366 days")
        val e = expectThrows<ChargekitException.TooLarge>("a plan over a millennium") {
            planFromJson(
                """{"start":"1013-03-10T22:00:00Z","departure":"2026-03-11T02:00:00Z","energy_wh":"15000",""" +
                    """"ev":{"max_power_w":"10000"},"interval_s":3601,"prices":[["2026-03-10T22:00:00Z","0.30"]]}"""
            )
        }
        checkEq(e.name, "MAX_PLAN_INTERVALS", "the limit named")
        checkDec(all[e.name], e.limit.toString(), "the same value")
    }
}

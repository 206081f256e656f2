// Kotlin checks of OCPP 2.1 sessions (chargekit::session with 2.1 input): the bundled V2X
// session (examples/data/v2x-session-ocpp21.jsonl) with import, export and a discharging
// period, version detection and the typed error for a declared 2.0.1 log; and OCPP 2.1 station
// tariffs (examples/data/station-tariff-ocpp21.json): local cost, the check of the station's
// report, a tariff change, and the station's answers.

import io.chargekit.core.ChargekitException
import io.chargekit.core.CheckItem
import io.chargekit.core.CheckVerdict
import io.chargekit.core.ConditionKind
import io.chargekit.core.StationLimits
import io.chargekit.core.TariffSetStatus
import io.chargekit.StationTariff
import io.chargekit.StationTariffChange
import io.chargekit.checkCostDetails
import io.chargekit.stationTariffFromOcpi
import io.chargekit.Tariff
import io.chargekit.core.ConversionLossKind
import io.chargekit.core.Language
import io.chargekit.core.StationLintRule
import java.math.BigDecimal
import io.chargekit.core.EnergyMethod
import io.chargekit.core.PeriodKind
import io.chargekit.core.SessionState
import io.chargekit.SessionAssembler
import io.chargekit.sessionsFromMessages
import java.time.Instant

fun registerV21Checks() {
    checks["2.1 V2X session: import 7000, export 3000, net 4000 Wh; discharging 09:30–10:30"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        checkEq(s.version(), "2.1", "told from operationMode / OperationModeChanged")
        // 17000 − 10000 = 7000 Wh in; 5000 − 2000 = 3000 Wh out; 7000 − 3000 = 4000 Wh net.
        checkDec(s.energyWh(), "7000", "import")
        checkDec(s.energyExportWh(), "3000", "export")
        checkDec(s.energyNetWh(), "4000", "net")
        checkEq(s.exportMethod(), EnergyMethod.REGISTER, "export method")
        checkEq(
            s.timeline().map { it.at to it.state },
            listOf(
                Instant.parse("2026-03-10T08:00:00Z") to SessionState.CHARGING,
                Instant.parse("2026-03-10T09:00:00Z") to SessionState.SUSPENDED_EV,
                Instant.parse("2026-03-10T09:30:00Z") to SessionState.DISCHARGING,
                Instant.parse("2026-03-10T10:30:00Z") to SessionState.SUSPENDED_EVSE,
                Instant.parse("2026-03-10T11:00:00Z") to SessionState.ENDED,
            ),
            "timeline",
        )
        // 3 h = 1 h charging + 1 h discharging + 1 h idle.
        checkEq(listOf(s.chargingS(), s.dischargingS(), s.idleS()), listOf(3600L, 3600L, 3600L), "times")
        val d = s.chargingPeriods().single { it.state == SessionState.DISCHARGING }
        checkEq(d.kind, PeriodKind.CHARGING, "energy flows: not idle")
        checkDec(d.energyExportWh, "3000", "export in the discharging period")
        checkDec(d.energyWh, "0", "no import in it")
        checkEq(s.tariffId(), "T-1", "tariffId")
        check(s.reportedCostDetails()?.contains("\"chargingTime\":7200") == true) { "costDetails kept" }
    }
    checks["2.1 content in a declared 2.0.1 log is UnsupportedVersion; live assembler turns 2.1"] = { dir ->
        val text = readData(dir, "v2x-session-ocpp21.jsonl")
        val e = expectThrows<ChargekitException.UnsupportedVersion>("declared 2.0.1") {
            sessionsFromMessages(text, "2.0.1", "CP-V2X")
        }
        check(e.reason.contains("2.1")) { "reason names 2.1: ${e.reason}" }
        val a = SessionAssembler("CP-V2X", null)
        for (line in text.lines().filter { it.isNotBlank() }) a.feed(line)
        checkEq(a.version(), "2.1", "live version")
        val live = a.sessions().single()
        checkDec(live.energyExportWh(), "3000", "live export")
        checkEq(live.dischargingS(), 3600L, "live discharging time")
    }
    checks["2.1 local cost of the V2X session: 8.30 net / 10.05 gross; running cost at 09:00"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        val t = StationTariff(readData(dir, "station-tariff-ocpp21.json"))
        checkEq(t.tariffId() to t.currency(), "T-1" to "EUR", "id and currency")
        val d = s.costDetails(t, timezone = "Europe/Amsterdam")
        // 0.50 fixed + 7 kWh × 0.30 + 120 min × 0.01 (charging and discharging) + 45 min × 0.10
        // idle after the 15-minute grace = 0.50 + 2.10 + 1.20 + 4.50 = 8.30 net; per component
        // with 21 % VAT 0.61 + 2.54 + 1.45 + 5.45 = 10.05.
        check(d.contains("\"total\":{\"exclTax\":8.3,\"inclTax\":10.05}")) { "total in $d" }
        check(d.contains("\"totalUsage\":{\"chargingTime\":7200,\"energy\":7000,\"idleTime\":3600}")) { "usage in $d" }
        val nine = s.costDetails(t, Instant.parse("2026-03-10T09:00:00Z"), "Europe/Amsterdam")
        // 0.50 + 2.10 + 60 min × 0.01 = 3.20
        check(nine.contains("\"total\":{\"exclTax\":3.2,")) { "running cost in $nine" }
    }
    checks["2.1 check of the station's report: only idle time (and the total) differ"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        val t = StationTariff(readData(dir, "station-tariff-ocpp21.json"))
        val c = checkCostDetails(s, t, s.reportedCostDetails()!!, timezone = "Europe/Amsterdam")
        checkEq(c.verdict, CheckVerdict.MISMATCH, "verdict")
        checkEq(c.differences.map { it.item }, listOf(CheckItem.IDLE_TIME_EXCL_TAX, CheckItem.IDLE_TIME_INCL_TAX,
            CheckItem.TOTAL_EXCL_TAX, CheckItem.TOTAL_INCL_TAX), "differing items")
        // The station billed 60 idle minutes: 6.00 instead of 4.50.
        checkDec(c.differences[0].difference, "1.50", "idle difference")
        checkDec(c.differences[0].reported, "6.00", "idle reported")
        val tolerant = checkCostDetails(s, t, s.reportedCostDetails()!!, timezone = "Europe/Amsterdam",
            tolerance = BigDecimal("2"))
        checkEq(tolerant.verdict, CheckVerdict.MATCH, "within 2.00")
    }
    checks["2.1 tariff change at 08:30: 3.5 kWh × 0.30 + 3.5 kWh × 0.60 = 3.15"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        val text = readData(dir, "station-tariff-ocpp21.json")
        val t = StationTariff(text)
        val dearer = StationTariff(text.replace("\"T-1\"", "\"T-2\"").replace("\"priceKwh\": 0.30", "\"priceKwh\": 0.60"))
        val d = s.costDetails(t, null, "Europe/Amsterdam",
            listOf(StationTariffChange(Instant.parse("2026-03-10T08:30:00Z"), dearer)))
        check(d.contains("\"energy\":{\"exclTax\":3.15,")) { "energy in $d" }
        check(d.contains("\"tariffId\":\"T-2\"")) { "a T-2 period in $d" }
    }
    checks["2.1 station answers: Accepted, TooManyElements, ConditionNotSupported, DuplicateTariffId"] = { dir ->
        val t = StationTariff(readData(dir, "station-tariff-ocpp21.json"))
        checkEq(t.validate().status, TariffSetStatus.ACCEPTED, "no limits")
        checkEq(t.validate(StationLimits(maxElements = 1u)).status, TariffSetStatus.TOO_MANY_ELEMENTS, "one price each")
        val cond = t.validate(StationLimits(supportedConditions = listOf(ConditionKind.START_TIME_OF_DAY)))
        checkEq(cond.status, TariffSetStatus.CONDITION_NOT_SUPPORTED, "minIdleTime unsupported")
        checkEq(cond.reasons.map { it.path }, listOf("\$.idleTime.prices[0].conditions.minIdleTime"), "path")
        checkEq(t.validate(StationLimits(existingTariffIds = listOf("T-1"))).status,
            TariffSetStatus.DUPLICATE_TARIFF_ID, "duplicate")
        expectThrows<ChargekitException.InvalidCurrency>("a bad currency in the limits") {
            t.validate(StationLimits(currency = "euro"))
        }
        expectThrows<ChargekitException.MissingTariffField>("no currency") { StationTariff("{\"tariffId\":\"X\"}") }
    }
    checks["2.1 min and max cost; stacked taxes (19 % then 10 % on top: 7.00 → 8.33 → 9.16)"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        val text = readData(dir, "station-tariff-ocpp21.json").trim()
        fun withBound(bound: String) = StationTariff(text.removeSuffix("}") + ",$bound}")
        // Net 8.30 is below a 10.00 minimum and above a 5.00 maximum.
        val min = s.costDetails(withBound("\"minCost\":{\"exclTax\":10.00,\"inclTax\":12.10}"), timezone = "Europe/Amsterdam")
        check(min.contains("\"total\":{\"exclTax\":10,\"inclTax\":12.1}") && min.contains("\"typeOfCost\":\"MinCost\"")) { min }
        val max = s.costDetails(withBound("\"maxCost\":{\"exclTax\":5.00,\"inclTax\":6.05}"), timezone = "Europe/Amsterdam")
        check(max.contains("\"total\":{\"exclTax\":5,\"inclTax\":6.05}") && max.contains("\"typeOfCost\":\"MaxCost\"")) { max }
        val stacked = StationTariff("""{"tariffId":"S","currency":"EUR","energy":{"prices":[{"priceKwh":1.00}],
            "taxRates":[{"type":"VAT","tax":19,"stack":0},{"type":"levy","tax":10,"stack":1}]}}""")
        // 7 kWh × 1.00 = 7.00; +19 % = 8.33; +10 % of 8.33 = 9.163 → 9.16.
        val d = s.costDetails(stacked)
        check(d.contains("\"energy\":{\"exclTax\":7,\"inclTax\":9.16}")) { d }
    }
    checks["2.1 station tariff lint, explanation (en/nl) and OCPI conversion with its losses"] = { dir ->
        val text = readData(dir, "station-tariff-ocpp21.json")
        val t = StationTariff(text)
        checkEq(t.lint(), emptyList(), "a clean tariff")
        // A second, unconditional energy price after an unconditional first can never apply.
        val shadowed = StationTariff(text.replace("\"priceKwh\": 0.30}]", "\"priceKwh\": 0.30}, {\"priceKwh\": 0.25}]"))
        checkEq(shadowed.lint().map { it.rule to it.path }, listOf(StationLintRule.SHADOWED_PRICE to "\$.energy.prices[1]"), "lint")
        check(t.explain().text.startsWith("Energy: €0.30 per kWh. Charging time: €0.01 per minute.")) { t.explain().text }
        check(t.explain(Language.NL).text.startsWith("Energie: €0.30 per kWh. Laadtijd: €0.01 per minuut.")) { "nl" }
        // OCPI has no idle-time condition: the grace-period price is left out, and said so.
        val ocpi = t.toOcpi()
        checkEq(ocpi.losses.map { it.what }, listOf(ConversionLossKind.CONDITION_WITHOUT_RESTRICTION), "losses")
        check(ocpi.tariffJson.contains("\"type\":\"TIME\"")) { ocpi.tariffJson }
        val back = stationTariffFromOcpi(Tariff(ocpi.tariffJson))
        checkEq(back.losses.map { it.what }.toSet(), setOf(ConversionLossKind.METADATA), "back: metadata only")
        checkEq(back.tariff.tariffId(), "T-1", "id kept")
    }
    checks["2.1 cost limit: 5.00 incl. VAT reached at 09:24:19.339; 3.00 at 08:43:59.119"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        val t = StationTariff(readData(dir, "station-tariff-ocpp21.json"))
        checkDec(s.maxCost(), "5.00", "transactionLimit.maxCost")
        // 0.605 + 7 × 0.363 + 60 × 0.0121 = 3.872 at 09:00; free idle to 09:15, then 0.121/min:
        // 1.128 / 0.121 = 9.3223 min.
        checkEq(s.costLimitReached(t, timezone = "Europe/Amsterdam"), Instant.parse("2026-03-10T09:24:19.339Z"), "own limit")
        checkEq(s.costLimitReached(t, BigDecimal("3"), "Europe/Amsterdam"), Instant.parse("2026-03-10T08:43:59.119Z"), "3.00")
        checkEq(s.costLimitReached(t, BigDecimal("100"), "Europe/Amsterdam"), null, "never")
    }
    checks["1.6 stable key across the transaction id; no session yet is null"] = { _ ->
        val a = SessionAssembler("CP-1", null)
        checkEq(a.session(), null, "before any frame")
        a.feed("""[2,"s","StartTransaction",{"connectorId":2,"idTag":"T","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]""")
        val before = a.session()!!
        a.feed("""[3,"s",{"transactionId":77,"idTagInfo":{"status":"Accepted"}}]""")
        val after = a.session()!!
        check(before.transactionId().startsWith("local:")) { before.transactionId() }
        checkEq(after.transactionId(), "77", "id from the answer")
        checkEq(listOf(before.stableKey(), after.stableKey()), listOf("CP-1/2/2026-03-10T08:00:00Z", "CP-1/2/2026-03-10T08:00:00Z"), "stable")
    }
}

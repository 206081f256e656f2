// Kotlin checks of OCPP 2.1 sessions (chargekit::session with 2.1 input): the bundled V2X
// session (examples/data/v2x-session-ocpp21.jsonl) with import, export and a discharging
// period, version detection and the typed error for a declared 2.0.1 log.

import io.chargekit.core.ChargekitException
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
        check(s.reportedCostDetails()?.contains("\"chargingTime\":3600") == true) { "costDetails kept" }
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
}

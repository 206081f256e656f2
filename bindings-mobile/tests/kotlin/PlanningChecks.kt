// Kotlin checks of smart-charging plans and site load sharing (chargekit::planning), on the
// hand-computed cases of core/tests/planning_plan.rs and planning_site.rs: cheapest hours,
// shortfall, minChargingRate pauses, tariff pricing, plan → install → composite schedule,
// equal shares and per-phase limits, earliest deadline first, typed errors; and the exact
// max_switches/Contiguous cases of core/tests/planning_exact.rs (issue 15).

import io.chargekit.core.AllocationRequest
import io.chargekit.core.ChargekitException
import io.chargekit.core.ChargingProfilePurpose
import io.chargekit.core.ChargingRateUnit
import io.chargekit.core.PlanStrategy
import io.chargekit.core.PowerLimits
import io.chargekit.core.SeriesPoint
import io.chargekit.core.SharingStrategy
import io.chargekit.core.Site
import io.chargekit.core.SiteEvse
import io.chargekit.core.SiteGroup
import io.chargekit.core.SiteSession
import io.chargekit.SmartChargingStation
import io.chargekit.Tariff
import io.chargekit.allocate
import io.chargekit.allocateFromJson
import io.chargekit.defaultProfileSettings
import io.chargekit.limitsFromComposite
import io.chargekit.plan
import io.chargekit.planFromJson
import io.chargekit.planRequest
import java.math.BigDecimal
import java.time.Duration
import java.time.Instant

val PT0: Instant = Instant.parse("2026-03-10T22:00:00Z")

fun hours(h: Long): Instant = PT0.plus(Duration.ofHours(h))

/** Hourly (start, price) points from PT0. */
fun hourlyPrices(vararg prices: String): List<SeriesPoint> =
    prices.mapIndexed { h, p -> SeriesPoint(hours(h.toLong()), BigDecimal(p)) }

fun planReq(h: Long, need: String, maxW: String) = planRequest(PT0, hours(h), BigDecimal(need), BigDecimal(maxW))

fun siteEvse(id: String, group: String, maxW: String, phases: UByte = 3u, firstPhase: UByte = 1u) =
    SiteEvse(id, group, "CS-$id", 1u, BigDecimal(maxW), null, phases, firstPhase)

fun siteSession(evse: String, need: String, h: Long) =
    SiteSession(evse, BigDecimal(need), PT0, hours(h), 0u, PowerLimits(), "TX-$evse")

fun allocation(groups: List<SiteGroup>, evses: List<SiteEvse>, sessions: List<SiteSession>, strategy: SharingStrategy,
               prices: List<SeriesPoint> = emptyList()) =
    allocate(AllocationRequest(Site(groups, evses, BigDecimal("230")), sessions, PT0, null, strategy, 900u, prices, defaultProfileSettings()))

const val PLAN_TOU_TARIFF = """{"country_code":"NL","party_id":"ABC","id":"TOU","currency":"EUR",
  "elements":[
    {"price_components":[{"type":"FLAT","price":0.50,"vat":21,"step_size":1}]},
    {"price_components":[{"type":"ENERGY","price":0.40,"vat":21,"step_size":1}],
     "restrictions":{"start_time":"07:00","end_time":"23:00"}},
    {"price_components":[{"type":"ENERGY","price":0.20,"vat":21,"step_size":1}]}]}"""

fun registerPlanningChecks() {
    checks["plan: the two cheapest hours of eight (2.53), Instant/BigDecimal rows, TxProfile JSON"] = { _ ->
        val p = plan(planReq(8, "22000", "11000").copy(
            prices = hourlyPrices("0.30", "0.25", "0.18", "0.12", "0.11", "0.15", "0.22", "0.28")))
        check(p.feasible && p.optimal) { "feasible ${p.feasible}, optimal ${p.optimal}" }
        checkDec(p.expectedCost, "2.53", "expectedCost (11 × 0.12 + 11 × 0.11)")
        checkDec(p.energyWh, "22000", "energyWh")
        checkDec(p.shortfallWh, "0", "shortfallWh")
        checkEq(p.switches, 2u, "switches")
        checkEq(p.strategy, PlanStrategy.CHEAPEST, "strategy")
        checkEq(p.strategy.wireName(), "cheapest", "wire name")
        checkEq(p.intervals.size, 32, "15-minute rows")
        val on = p.intervals.filter { it.powerW.signum() > 0 }
        checkEq(on.map { it.start }, (0L until 8L).map { hours(3).plus(Duration.ofMinutes(15 * it)) }, "01:00-03:00")
        check(on.all { it.powerW.compareTo(BigDecimal("11000")) == 0 }) { "11 kW: ${on.map { it.powerW }}" }
        checkDec(on[0].pricePerKwh, "0.12", "price of 01:00")
        checkDec(on[0].energyWh, "2750", "energy of a 15-minute row")
        val profile = Json.parse(p.profileJson).obj()
        checkEq(profile["chargingProfilePurpose"], "TxProfile", "purpose")
        checkEq(Instant.parse(profile["validTo"] as String), hours(8), "validTo = departure")
        val periods = profile["chargingSchedule"].arr()[0].obj()["chargingSchedulePeriod"].arr()
            .map { num(it.obj()["startPeriod"]).toInt() to num(it.obj()["limit"]).stripTrailingZeros().toPlainString() }
        checkEq(periods, listOf(0 to "0", 10800 to "11000", 18000 to "0"), "periods")
        check(Json.parse(p.toJson()).obj()["feasible"] == true) { "json: ${p.toJson().take(80)}" }
    }
    checks["plan: infeasible need reports the shortfall; minChargingRate pauses instead of trickling"] = { _ ->
        val p = plan(planReq(2, "30000", "11000").copy(prices = hourlyPrices("0.30", "0.20")))
        check(!p.feasible) { "feasible" }
        checkDec(p.energyWh, "22000", "best partial energy")
        checkDec(p.shortfallWh, "8000", "shortfallWh")
        checkDec(p.expectedCost, "5.5", "expectedCost")
        val r = planReq(2, "1000", "11000")
        val m = plan(r.copy(ev = r.ev.copy(minPowerW = BigDecimal("4200")), prices = hourlyPrices("0.30", "0.20")))
        check(m.feasible) { "min-rate plan infeasible" }
        check(m.intervals.all { it.powerW.signum() == 0 || it.powerW >= BigDecimal("4200") }) { "below 4.2 kW: ${m.intervals.map { it.powerW }}" }
        val on = m.intervals.filter { it.powerW.signum() > 0 }
        checkEq(on.size, 1, "one charging row")
        checkEq(on[0].start, hours(1), "at 23:00")
        check(m.energyWh >= BigDecimal("1000") && m.energyWh < BigDecimal("1001")) { "energy ${m.energyWh}" }
        val min = Json.parse(m.profileJson).obj()["chargingSchedule"].arr()[0].obj()["minChargingRate"]
        checkDec(num(min), "4200", "minChargingRate in the profile")
    }
    checks["plan: a tariff-priced plan is billed by the tariff engine (2.50 / 3.03 EUR); JSON entry point"] = { _ ->
        val start = Instant.parse("2026-03-10T21:00:00Z")
        val p = plan(planRequest(start, start.plus(Duration.ofHours(4)), BigDecimal("10000"), BigDecimal("10000"))
            .copy(tariffJson = Tariff(PLAN_TOU_TARIFF).toOcpi()))
        check(p.feasible) { "infeasible" }
        check(p.intervals.filter { it.powerW.signum() > 0 }.all { it.pricePerKwh?.compareTo(BigDecimal("0.2")) == 0 }) { "off-peak only" }
        checkDec(p.expectedCost, "2.50", "expectedCost (10 kWh × 0.20 + 0.50)")
        checkDec(p.expectedCostInclVat, "3.03", "incl. VAT")
        checkEq(p.currency, "EUR", "currency")
        val j = planFromJson("""{"start": "2026-03-10T22:00:00Z", "departure": "2026-03-11T02:00:00Z",
            "energy_wh": "15000", "ev": {"max_power_w": 10000}, "interval_s": 3600, "strategy": "cheapest",
            "prices": [{"start": "2026-03-10T22:00:00Z", "value": "0.30"}, {"start": "2026-03-10T23:00:00Z", "value": "0.10"},
                       {"start": "2026-03-11T00:00:00Z", "value": "0.40"}, {"start": "2026-03-11T01:00:00Z", "value": "0.20"}]}""")
        checkDec(j.expectedCost, "2", "JSON request: 10 kWh × 0.10 + 5 kWh × 0.20")
        val late = plan(planReq(4, "15000", "10000").copy(strategy = PlanStrategy.AS_LATE_AS_POSSIBLE))
        checkEq(late.intervals.first { it.powerW.signum() > 0 }.start, PT0.plus(Duration.ofMinutes(150)), "as late as possible from 00:30")
    }
    // Issue 15, mirrored from core/tests/planning_exact.rs: inside a block an interval only
    // has to charge at the least power (the minimum rate, or 0.1 W without one).
    checks["plan: no switch over six hours meets 11.1 kWh (0.666084, before: infeasible)"] = { _ ->
        val p = plan(planReq(6, "11100", "3700").copy(intervalS = 3600u, maxSwitches = 0u,
            prices = hourlyPrices("0.10", "0.30", "0.10", "0.42", "0.42", "-0.02")))
        check(p.feasible && p.optimal) { "feasible ${p.feasible}, optimal ${p.optimal}" }
        checkEq(p.switches, 0u, "switches")
        checkDec(p.energyWh, "11100", "energyWh")
        checkEq(p.intervals.map { it.powerW.stripTrailingZeros().toPlainString() },
            listOf("3700", "0.1", "3699.7", "0.1", "0.1", "3700"), "powers: the dear hours at 0.1 W")
        checkDec(p.expectedCost, "0.666084", "3.7 × 0.10 + 0.0001 × 0.30 + 3.6997 × 0.10 + 0.0001 × 0.42 × 2 + 3.7 × -0.02")
    }
    checks["plan: one switch keeps a dear quarter hour inside the block (1.067011, before: 3.3407)"] = { _ ->
        val start = Instant.parse("2026-03-11T08:00:00Z")
        val prices = listOf("0.85", "0", "0", "0", "0", "0.42", "0.42", "0.20", "0.20")
            .mapIndexed { k, v -> SeriesPoint(start.plus(Duration.ofMinutes(15L * k)), BigDecimal(v)) }
        val p = plan(planRequest(start, start.plus(Duration.ofMinutes(135)), BigDecimal("16335"), BigDecimal("11000"))
            .copy(prices = prices, maxSwitches = 1u))
        check(p.feasible && p.optimal) { "feasible ${p.feasible}, optimal ${p.optimal}" }
        check(p.switches <= 1u) { "switches ${p.switches}" }
        checkDec(p.expectedCost, "1.067011", "5,334.95 Wh × 0.20 + 2 × 0.025 Wh × 0.42")
        check(p.expectedCost < BigDecimal("2.2407")) { "not below the issue's witness: ${p.expectedCost}" }
        val on = p.intervals.filter { it.powerW.signum() > 0 }
        checkEq(on.size, 8, "08:15-10:15")
        checkEq(on[0].start, start.plus(Duration.ofMinutes(15)), "from 08:15")
        checkDec(on[4].powerW, "0.1", "09:15 at the least power")
    }
    checks["plan: a contiguous block crosses a dear quarter hour (0.37000925, before: 0.71225)"] = { _ ->
        val prices = (List(4) { "0.05" } + "0.42" + List(4) { "0.05" } + List(3) { "0.20" })
            .mapIndexed { k, v -> SeriesPoint(PT0.plus(Duration.ofMinutes(15L * k)), BigDecimal(v)) }
        val r = planReq(3, "7400", "3700").copy(strategy = PlanStrategy.CONTIGUOUS, prices = prices)
        val p = plan(r)
        check(p.feasible && p.optimal) { "feasible ${p.feasible}, optimal ${p.optimal}" }
        checkDec(p.expectedCost, "0.37000925", "7,399.975 Wh × 0.05 + 0.025 Wh × 0.42")
        checkEq(p.intervals.filter { it.powerW.signum() > 0 }.map { it.powerW.stripTrailingZeros().toPlainString() },
            List(4) { "3700" } + "0.1" + List(3) { "3700" } + "3699.9", "22:00-00:15, the dear quarter hour at 0.1 W")
        val m = plan(r.copy(ev = r.ev.copy(minPowerW = BigDecimal("3000"))))
        checkDec(m.expectedCost, "0.6475", "3 kW minimum: 0.75 kWh × 0.42 + 6.65 kWh × 0.05")
        check(m.intervals.all { it.powerW.signum() == 0 || it.powerW >= BigDecimal("3000") }) { "below 3 kW" }
    }
    checks["plan: a forced surplus meets the need at the least power (7 kWh for 5, before: infeasible)"] = { _ ->
        val r = planReq(2, "5000", "4000")
        val p = plan(r.copy(ev = r.ev.copy(minPowerW = BigDecimal("3500")), intervalS = 3600u, maxSwitches = 0u,
            prices = hourlyPrices("0.20")))
        check(p.feasible && p.optimal) { "feasible ${p.feasible}, optimal ${p.optimal}" }
        checkEq(p.switches, 0u, "switches")
        checkDec(p.energyWh, "7000", "3.5 kW for two hours")
        checkDec(p.needWh, "5000", "needWh")
        checkDec(p.shortfallWh, "0", "shortfallWh")
        checkDec(p.expectedCost, "1.4", "7 kWh × 0.20")
    }
    checks["plan → install → composite schedule never exceeds the plan (W and A profiles)"] = { _ ->
        defaultStation(1).use { st ->
            st.install("""{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationMaxProfile",
                "chargingProfileKind": "Absolute", "chargingSchedule": [{"id": 1, "startSchedule": "2026-03-10T22:00:00Z",
                "chargingRateUnit": "W", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7400}, {"startPeriod": 7200, "limit": 22000}]}]}""",
                0u, "2.0.1")
            st.startTransaction(1u, PT0, "TX-1")
            val limits = st.compositeSchedule(1u, PT0, 4L * 3600, ChargingRateUnit.W).use { limitsFromComposite(it, 3u, BigDecimal("230")) }
            checkDec(limits[0].value, "7400", "first limit")
            val settings = defaultProfileSettings().copy(profileId = 42, stackLevel = 1u, transactionId = "TX-1")
            val r = planReq(4, "30000", "11000").copy(limitsW = limits, prices = hourlyPrices("0.10", "0.30", "0.20", "0.25"), profile = settings)
            val p = plan(r)
            check(p.intervals.all { it.powerW <= it.maxPowerW }) { "a row above its maximum" }
            checkEq(st.install(p.profileJson, 1u, "2.0.1").replaced, emptyList<Int>(), "installed")
            st.compositeSchedule(1u, PT0, 4L * 3600, ChargingRateUnit.W).use { c ->
                for (i in p.intervals) {
                    val off = Duration.between(PT0, i.start).seconds
                    val limit = c.periodAt(off.toUInt())?.limit ?: throw CheckFailed("no period at $off")
                    check(limit <= i.powerW) { "$off: composite $limit > plan ${i.powerW}" }
                    checkDec(limit, i.powerW.min(BigDecimal(if (off < 7200) "7400" else "22000")).toPlainString(), "limit at $off")
                }
            }
            val pa = plan(r.copy(profile = settings.copy(profileId = 43, stackLevel = 2u, unit = ChargingRateUnit.A)))
            st.install(pa.profileJson, 1u, "2.0.1")
            st.compositeSchedule(1u, PT0, 4L * 3600, ChargingRateUnit.W).use { c ->
                for (i in pa.intervals) {
                    val limit = c.periodAt(Duration.between(PT0, i.start).seconds.toUInt())?.limit!!
                    check(limit <= i.powerW) { "A profile: composite $limit > plan ${i.powerW}" }
                }
            }
        }
    }
    checks["allocate: equal shares (5 / 12.5 / 12.5 kW) and a per-phase group limit (1840 / 1840 / 3680 W)"] = { _ ->
        val a = allocation(listOf(SiteGroup("grid", null, null, BigDecimal("30000"))),
            listOf(siteEvse("A", "grid", "5000"), siteEvse("B", "grid", "22000"), siteEvse("C", "grid", "22000")),
            listOf(siteSession("A", "40000", 8), siteSession("B", "40000", 8), siteSession("C", "40000", 8)),
            SharingStrategy.EQUAL_SHARE)
        checkEq(a.intervals[0].evses.map { it.powerW.stripTrailingZeros().toPlainString() }, listOf("5000", "12500", "12500"), "first interval")
        checkDec(a.intervals[0].groups[0].powerW, "30000", "connection load")
        checkEq(a.evseSchedules.map { it.evseId }, listOf("A", "B", "C"), "per-EVSE schedules")
        checkEq(a.evseSchedules[1].points[0].start, PT0, "first point")
        checkDec(a.evseSchedules[1].points[0].value, "12500", "B's first power")
        checkEq(a.strategy.wireName(), "equal_share", "wire name")
        val ph = allocation(listOf(SiteGroup("grid", null, BigDecimal("16"), null)),
            listOf(siteEvse("A", "grid", "7400", 1u, 1u), siteEvse("B", "grid", "7400", 1u, 1u), siteEvse("C", "grid", "7400", 1u, 2u)),
            listOf(siteSession("A", "20000", 8), siteSession("B", "20000", 8), siteSession("C", "20000", 8)),
            SharingStrategy.EQUAL_SHARE)
        checkEq(ph.intervals[0].evses.map { it.powerW.stripTrailingZeros().toPlainString() }, listOf("1840", "1840", "3680"), "per-phase shares")
        val g = ph.intervals[0].groups[0]
        checkEq(listOf(g.l1A, g.l2A, g.l3A).map { it.stripTrailingZeros().toPlainString() }, listOf("16", "16", "0"), "phase currents")
        for (i in ph.intervals) for (gr in i.groups) {
            check(listOf(gr.l1A, gr.l2A, gr.l3A).all { it <= BigDecimal("16") }) { "phase above 16 A at ${i.start}" }
        }
    }
    checks["allocate: the price-aware strategy gives the cheap hours to the earlier departure (4.40 + 2.20 vs 8.80 fair)"] = { _ ->
        val prices = listOf(SeriesPoint(PT0, BigDecimal("0.30")), SeriesPoint(hours(2), BigDecimal("0.10")), SeriesPoint(hours(5), BigDecimal("0.30")))
        val args = Triple(listOf(SiteGroup("grid", null, null, BigDecimal("11000"))),
            listOf(siteEvse("A", "grid", "11000"), siteEvse("B", "grid", "11000")),
            listOf(siteSession("A", "22000", 8), siteSession("B", "22000", 7)))
        val a = allocation(args.first, args.second, args.third, SharingStrategy.CHEAPEST, prices)
        checkEq(a.strategy.wireName(), "cheapest", "wire name")
        val on = { id: String -> a.evseSchedules.first { it.evseId == id }.points.filter { it.value.signum() > 0 }.map { it.start } }
        checkEq(on("B"), (8L until 16L).map { PT0.plus(Duration.ofMinutes(15 * it)) }, "B: 00:00-02:00")
        checkEq(on("A"), ((0L until 4L) + (16L until 20L)).map { PT0.plus(Duration.ofMinutes(15 * it)) }, "A: 22:00-23:00 and 02:00-03:00")
        checkEq(a.sessions.map { it.expectedCost.stripTrailingZeros().toPlainString() }, listOf("4.4", "2.2"), "costs")
        val fair = allocation(args.first, args.second, args.third, SharingStrategy.EQUAL_SHARE, prices)
        checkDec(fair.sessions.map { it.expectedCost }.reduce(BigDecimal::add), "8.8", "fair total")
    }
    checks["allocate: earliest deadline first; outcomes and profiles ready to send install"] = { _ ->
        val a = allocation(listOf(SiteGroup("grid", null, null, BigDecimal("11000"))),
            listOf(siteEvse("A", "grid", "11000"), siteEvse("B", "grid", "11000")),
            listOf(siteSession("A", "11000", 8), siteSession("B", "11000", 2)),
            SharingStrategy.EARLIEST_DEADLINE_FIRST)
        checkEq(a.intervals[0].evses.map { it.powerW.stripTrailingZeros().toPlainString() }, listOf("0", "11000"), "B first")
        check(a.sessions.all { it.feasible }) { "all feasible" }
        checkEq(a.evseSchedules[0].points.first { it.value.signum() > 0 }.start, hours(1), "A from 23:00")
        checkEq(a.txProfiles.map { Triple(it.stationId, it.evseId, it.purpose) },
            listOf(Triple("CS-A", 1u, ChargingProfilePurpose.TX_PROFILE), Triple("CS-B", 1u, ChargingProfilePurpose.TX_PROFILE)), "tx profiles")
        check(a.stationProfiles.all { it.evseId == 0u && it.purpose == ChargingProfilePurpose.CHARGING_STATION_MAX_PROFILE }) { "station profiles" }
        defaultStation(1).use { st ->
            st.startTransaction(1u, PT0, "TX-A")
            st.install(a.txProfiles[0].profileJson, a.txProfiles[0].evseId, "2.0.1")
            st.install(a.stationProfiles[0].profileJson, 0u, "2.0.1")
        }
        val j = allocateFromJson("""{"site": {"groups": [{"id": "grid", "max_power_w": "11000"}],
            "evses": [{"id": "A", "group": "grid", "max_power_w": 11000}]},
            "sessions": [{"evse_id": "A", "need_wh": 11000, "arrival": "2026-03-10T22:00:00Z", "departure": "2026-03-11T00:00:00Z"}],
            "from": "2026-03-10T22:00:00Z", "prices": [{"start": "2026-03-10T22:00:00Z", "value": "0.25"}]}""")
        checkDec(j.sessions[0].expectedCost, "2.75", "11 kWh × 0.25")
        check(Json.parse(j.toJson()).obj()["strategy"] == "equal_share") { "json strategy" }
    }
    checks["planning errors are typed and name the field"] = { _ ->
        val r = planReq(2, "1000", "11000")
        val dep = expectThrows<ChargekitException.InvalidPlanningField>("departure = start") {
            plan(r.copy(departure = PT0, prices = hourlyPrices("0.1")))
        }
        checkEq(dep.field, "departure", "field")
        checkEq(expectThrows<ChargekitException.InvalidPlanningField>("no prices") { plan(r) }.field, "prices", "field")
        val missing = expectThrows<ChargekitException.MissingPrice>("prices from 23:00") {
            plan(r.copy(prices = listOf(SeriesPoint(hours(1), BigDecimal("0.1")))))
        }
        checkEq(missing.at, PT0, "at")
        val noMax = expectThrows<ChargekitException.InvalidPlanningField>("no max power") {
            plan(r.copy(ev = PowerLimits(), strategy = PlanStrategy.AS_LATE_AS_POSSIBLE))
        }
        checkEq(noMax.field, "ev.max_power_w", "field")
        val json = expectThrows<ChargekitException.InvalidPlanningJson>("wrong type") {
            planFromJson("""{"start": "2026-03-10T22:00:00Z", "departure": "2026-03-11T02:00:00Z", "ev": {"max_power_w": true}}""")
        }
        checkEq(json.field, "ev.max_power_w", "json field")
        val unknown = expectThrows<ChargekitException.InvalidPlanningField>("unknown EVSE") {
            allocation(listOf(SiteGroup("grid", null, null, BigDecimal("11000"))), listOf(siteEvse("A", "grid", "11000")),
                listOf(siteSession("X", "1000", 2)), SharingStrategy.EQUAL_SHARE)
        }
        checkEq(unknown.field, "sessions[0].evse_id", "field")
        check(unknown.toString().contains("unknown EVSE")) { "toString: $unknown" }
    }
}

// Kotlin checks of tariffs and billing: the ocpi-tariffs conformance corpus of
// core/tests/vectors/ocpi-tariffs priced through the binding (divergences as core lists them),
// the popular tariffs' explanations, session and live pricing, quotes, lint, invoices, errors.

import io.chargekit.core.ChargekitException
import io.chargekit.core.CostCategory
import io.chargekit.core.ExportPricing
import io.chargekit.core.InvoiceKind
import io.chargekit.Invoice
import io.chargekit.core.Language
import io.chargekit.core.LineKind
import io.chargekit.core.LintRule
import io.chargekit.core.OcpiVersion
import io.chargekit.core.ParseWarningKind
import io.chargekit.core.Price
import io.chargekit.PriceResult
import io.chargekit.core.PricingNote
import io.chargekit.core.QuoteRequest
import io.chargekit.core.StepSizeMode
import io.chargekit.Tariff
import io.chargekit.core.TariffDimension
import io.chargekit.core.Vat
import io.chargekit.defaultPricingPolicy
import io.chargekit.priceCdr
import io.chargekit.priceCdrWithTariffs
import io.chargekit.pricingPolicyPreset
import io.chargekit.sessionFromMessages
import io.chargekit.sessionsFromMessages
import java.io.File
import java.math.BigDecimal
import java.time.Instant

fun tariffVectors(): File = File(vectorsDir, "ocpi-tariffs")

/** A vector file without its `//` comment lines. */
fun readVector(f: File): String = f.readLines().filterNot { it.trimStart().startsWith("//") }.joinToString("\n")

// ---------------------------------------------------------------- the conformance corpus

/** One checked field, as core/tests/conformance.rs names it. */
data class FieldCheck(val case: String, val field: String, val expected: String, val computed: String, val tolerance: BigDecimal)

val EXACT = BigDecimal("0.0001")

fun FieldCheck.matches(): Boolean {
    if (expected == computed) return true
    val a = expected.toBigDecimalOrNull() ?: return false
    val b = computed.toBigDecimalOrNull() ?: return false
    return (a - b).abs() <= tolerance
}

fun show(d: BigDecimal?): String = d?.stripTrailingZeros()?.toPlainString() ?: "null"

fun jsonDec(v: Any?): BigDecimal? = when (v) {
    is BigDecimal -> v
    is String -> v.toBigDecimalOrNull()
    else -> null
}

/** `null` in an expectation means "must not be priced": no line was priced. */
fun pricedTotal(r: PriceResult): Price? {
    val b = r.breakdown()
    // The typed total is the CDR field the vectors state (incl == excl where no VAT applies).
    return if (b.lines.isEmpty() && b.clamp == null) null else r.totalCost()
}

fun priceChecks(out: MutableList<FieldCheck>, case: String, field: String, expected: Any?, computed: Price?) {
    when (expected) {
        null -> out.add(FieldCheck(case, field, "null", if (computed == null) "null" else "priced", EXACT))
        is Map<*, *> -> {
            if ("excl_vat" in expected) out.add(FieldCheck(case, "$field.excl_vat", show(jsonDec(expected["excl_vat"])), show(computed?.exclVat), EXACT))
            if ("incl_vat" in expected) out.add(FieldCheck(case, "$field.incl_vat", show(jsonDec(expected["incl_vat"])), show(computed?.inclVat), EXACT))
        }
        else -> out.add(FieldCheck(case, "$field.excl_vat", show(jsonDec(expected)), show(computed?.exclVat), EXACT))
    }
}

val UPSTREAM_WARNINGS = setOf(
    "total_cost_clamped_to_min", "total_cost_clamped_to_max", "periods_state_no_time",
    "periods_outside_start_end_date_time", "reservation_element_skipped",
)

fun cdrChecks(case: String, expect: Map<String, Any?>, r: PriceResult): List<FieldCheck> {
    val out = ArrayList<FieldCheck>()
    val fields = listOf(
        listOf("total_cost") to pricedTotal(r),
        listOf("total_energy_cost") to r.total(CostCategory.ENERGY),
        listOf("total_fixed_cost") to r.total(CostCategory.FIXED),
        listOf("total_time_cost", "total_charging_time_cost") to r.total(CostCategory.TIME),
        listOf("total_parking_cost", "total_idle_time_cost") to r.total(CostCategory.PARKING),
        listOf("total_reservation_cost") to r.total(CostCategory.RESERVATION),
    )
    for ((names, computed) in fields) {
        for (name in names) if (name in expect) priceChecks(out, case, name, expect[name], computed)
    }
    for ((name, computed) in listOf("total_time" to r.totalTime(), "total_energy" to r.totalEnergy(), "total_idle_time" to r.totalParkingTime())) {
        if (name in expect) {
            val e = expect[name]
            out.add(FieldCheck(case, name, if (e == null) "0" else show(jsonDec(e)), show(computed.setScale(4, java.math.RoundingMode.HALF_EVEN)), EXACT))
        }
    }
    if ("warnings" in expect) {
        val want = (expect["warnings"] as Map<*, *>?)?.values?.flatMap { (it as List<*>).map { id -> id as String } }?.toSortedSet() ?: sortedSetOf()
        val got = r.noteIds().filter { it in UPSTREAM_WARNINGS }.toSortedSet()
        out.add(FieldCheck(case, "warnings", want.joinToString(","), got.joinToString(","), BigDecimal.ZERO))
    }
    return out
}

/** Every real-world CDR of a version, priced under the ocpi_tariffs preset as core's runner does. */
fun realWorldChecks(version: String): List<FieldCheck> {
    val base = File(tariffVectors(), "$version/real_world")
    val policy = pricingPolicyPreset("ocpi_tariffs")
    val checks = ArrayList<FieldCheck>()
    for (dir in base.listFiles()!!.filter { it.isDirectory }.sortedBy { it.name }) {
        val stems = dir.listFiles()!!.map { it.name }.filter { it.startsWith("cdr") && it.endsWith(".json") }
            .map { it.removeSuffix(".json") }.sorted()
        for (stem in stems) {
            val case = "$version/real_world/${dir.name}/$stem"
            val cdrText = readVector(File(dir, "$stem.json"))
            val tariffFile = File(dir, "tariff.json")
            val forced = if (version == "v211") OcpiVersion.V211 else OcpiVersion.V221
            val outFile = File(dir, "output_price__$stem.json")
            val cdrPrice = if (outFile.exists()) Json.parse(readVector(outFile)).obj()["cdr_price"] else null
            try {
                val tariffs = if (tariffFile.exists()) listOf(Tariff(tariffFile.readText(), forced)) else emptyList()
                val r = priceCdrWithTariffs(cdrText, tariffs, policy = policy)
                checks.addAll(cdrChecks(case, (cdrPrice ?: Json.parse(cdrText)).obj(), r))
            } catch (e: ChargekitException) {
                checks.add(FieldCheck(case, "priced", "ok", "error: $e", BigDecimal.ZERO))
            }
        }
    }
    return checks
}

/** (case, field) pairs core lists as explained divergences under the ocpi_tariffs preset. */
val knownDivergences: Set<Pair<String, String>> by lazy {
    val d = Json.parse(File(vectorsDir, "../conformance/divergences.json").readText()).obj()
    d["divergences"].arr().map { it.obj() }.map { (it["case"] as String) to (it["field"] as String) }.toSet()
}

// ---------------------------------------------------------------- inline data

const val SIMPLE_TARIFF = """{"country_code":"NL","party_id":"ABC","id":"T1","currency":"EUR",
  "elements":[{"price_components":[{"type":"FLAT","price":0.50,"vat":20,"step_size":1},
                                   {"type":"ENERGY","price":0.25,"vat":10,"step_size":100}]}],
  "last_updated":"2026-01-01T00:00:00Z"}"""

const val SIMPLE_CDR = """{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
  "currency":"EUR","cdr_location":{"country":"NLD"},
  "charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z","dimensions":[{"type":"ENERGY","volume":20.45}]}],
  "total_energy":20.45,"total_time":1,"total_cost":{"excl_vat":0}}"""

/** 0.20 €/kWh before 18:00 local, 0.40 after. */
const val TOU_TARIFF = """{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
  "elements":[{"price_components":[{"type":"ENERGY","price":0.20,"step_size":1}],"restrictions":{"end_time":"18:00"}},
              {"price_components":[{"type":"ENERGY","price":0.40,"step_size":1}]}]}"""

fun sumOf(xs: List<BigDecimal>): BigDecimal = xs.fold(BigDecimal.ZERO, BigDecimal::add)

// ---------------------------------------------------------------- checks

fun registerTariffChecks() {
    checks["ocpi-tariffs conformance: every real-world CDR (v221 + v211) matches, divergences as core lists them"] = { _ ->
        val all = realWorldChecks("v221") + realWorldChecks("v211")
        check(all.size > 100) { "only ${all.size} checked fields" }
        val failing = all.filter { !it.matches() }
        val unexplained = failing.filter { (it.case to it.field) !in knownDivergences }
        check(unexplained.isEmpty()) {
            unexplained.take(15).joinToString("\n  ", "${unexplained.size} unexplained differences:\n  ") {
                "${it.case} ${it.field}: expected ${it.expected}, computed ${it.computed}"
            }
        }
        // Every listed divergence of the real-world cases is still a divergence (nothing silently fixed or changed).
        val listed = knownDivergences.filter { it.first.contains("/real_world/") }.toSet()
        checkEq(failing.map { it.case to it.field }.toSet(), listed, "divergences found = divergences listed")
        note = "${all.size} fields of ${all.map { it.case }.toSet().size} CDRs, ${listed.size} listed divergences"
    }
    checks["priceCdr: six totals exact (excl/incl VAT), breakdown, toOcpi"] = { _ ->
        val r = priceCdr(SIMPLE_CDR, listOf(SIMPLE_TARIFF))
        checkEq(r.currency(), "EUR", "currency")
        checkEq(r.totalCost().exclVat, BigDecimal("5.63"), "total excl (scale kept)")
        checkEq(r.totalCost().inclVat, BigDecimal("6.24"), "total incl")
        checkDec(r.totalCost().vat, "0.61", "total VAT")
        checkEq(r.totalEnergyCost().exclVat, BigDecimal("5.13"), "energy excl")
        checkDec(r.totalFixedCost().exclVat, "0.50", "fixed excl")
        checkDec(r.totalFixedCost().inclVat, "0.60", "fixed incl (20 %)")
        for ((name, p) in listOf("time" to r.totalTimeCost(), "parking" to r.totalParkingCost(), "reservation" to r.totalReservationCost())) {
            checkDec(p.exclVat, "0", "$name excl (not priced: zero)")
        }
        checkEq(r.total(CostCategory.TIME), null, "total(TIME) null when not priced")
        checkDec(r.total(CostCategory.ENERGY)?.exclVat, "5.13", "total(ENERGY)")
        checkDec(r.totalEnergy(), "20.45", "totalEnergy kWh")
        checkDec(r.billedEnergy(), "20.5", "billed energy (100 Wh steps)")
        checkEq(r.tariffIds(), listOf("T1"), "tariffIds")
        val b = r.breakdown()
        checkEq(b.lines.map { it.dimension }.toSet(), setOf(TariffDimension.FLAT, TariffDimension.ENERGY), "line dimensions")
        checkEq(b.lines.first { it.dimension == TariffDimension.ENERGY }.vat, Vat.Rate(BigDecimal("10")), "line VAT")
        checkEq(b.steps.single().stepSize, 100u, "step adjustment")
        checkEq(b.timezone, "Europe/Amsterdam", "zone inferred from NLD")
        check(r.notes().any { it is PricingNote.TimezoneInferred }) { "notes ${r.notes()}" }
        val ocpi = Json.parse(r.toOcpi()).obj()
        checkDec(ocpi["total_cost"].obj()["excl_vat"] as BigDecimal, "5.63", "toOcpi total_cost")
        checkDec(ocpi["total_energy_cost"].obj()["incl_vat"] as BigDecimal, r.totalEnergyCost().inclVat!!.toPlainString(), "toOcpi energy incl")
        check(Json.parse(r.toJson()).obj().containsKey("breakdown")) { "toJson" }
        // Tariffs can come as one JSON array, or from the CDR itself (empty list).
        checkEq(priceCdr(SIMPLE_CDR, listOf("[$SIMPLE_TARIFF]")).totalCost(), r.totalCost(), "array form")
        val embedded = SIMPLE_CDR.replace("\"total_energy\"", "\"tariffs\":[$SIMPLE_TARIFF],\"total_energy\"")
        checkEq(priceCdr(embedded, emptyList()).totalCost(), r.totalCost(), "embedded tariffs")
    }
    checks["OCPI 2.1.1 tariffs: VAT unknown, incl. amounts null"] = { _ ->
        val v211 = """{"id":"1","currency":"EUR","elements":[{"price_components":[{"type":"TIME","price":2,"step_size":60}]}],"last_updated":"2015-06-29T20:39:09Z"}"""
        val t = Tariff(v211, OcpiVersion.V211)
        checkEq(t.version(), OcpiVersion.V211, "version")
        checkEq(t.componentVats(), listOf<Vat>(Vat.Unknown), "VAT unknown")
        val cdr = """{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:30:00Z","currency":"EUR",
            "cdr_location":{"country":"NLD"},"charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z",
            "dimensions":[{"type":"TIME","volume":1.5}]}]}"""
        val r = priceCdrWithTariffs(cdr, listOf(t))
        checkDec(r.totalCost().exclVat, "3.00", "1.5 h x 2")
        checkEq(r.totalCost().inclVat, null, "incl null")
        checkEq(r.totalTimeCost().inclVat, null, "time incl null")
        checkEq(r.totalTimeCost().vat, null, "VAT null")
        // OCPI 2.2.1 without `vat`: no VAT applies, so incl == excl, typed and in the CDR.
        val noVat = Tariff("""{"country_code":"NL","party_id":"CK","id":"N","currency":"EUR","elements":[{"price_components":[{"type":"TIME","price":2,"step_size":60}]}],"last_updated":"2026-01-01T00:00:00Z"}""", OcpiVersion.V221)
        val n = priceCdrWithTariffs(cdr, listOf(noVat))
        checkDec(n.totalCost().exclVat, "3.00", "no VAT: excl")
        checkDec(n.totalCost().inclVat, "3.00", "no VAT: incl = excl")
        checkDec(n.totalCost().vat, "0", "no VAT: VAT 0")
        checkDec(n.totalTimeCost().inclVat, "3.00", "no VAT: time incl = excl")
        checkDec(Json.parse(n.toOcpi()).obj()["total_cost"].obj()["incl_vat"] as BigDecimal, "3.00", "no VAT: CDR incl = excl")
    }
    checks["VAT rule: inclVat = exclVat where no VAT applies (absent, mixed with 0 % and 19 %, free, KWD); null for OCPI 2.1.1"] = { _ ->
        fun tariff(currency: String, components: String) = Tariff(
            """{"country_code":"DE","party_id":"CKT","id":"V","currency":"$currency","elements":[{"price_components":[$components]}],"last_updated":"2026-01-01T00:00:00Z"}""")
        fun cdr(currency: String, kwh: String, hours: String) =
            """{"start_date_time":"2026-03-10T10:00:00Z","end_date_time":"2026-03-10T12:00:00Z","currency":"$currency",
            "cdr_location":{"country":"DEU"},"charging_periods":[{"start_date_time":"2026-03-10T10:00:00Z",
            "dimensions":[{"type":"ENERGY","volume":$kwh},{"type":"TIME","volume":$hours}]}]}"""
        // (exclVat, inclVat, vat) as written, scale kept; "null" when unknown.
        fun amounts(p: Price) = listOf(p.exclVat, p.inclVat, p.vat).map { it?.toPlainString() ?: "null" }
        // The typed totalCost() is the CDR field toOcpi() writes.
        fun typedIsWritten(r: PriceResult, what: String) {
            val t = Json.parse(r.toOcpi()).obj()["total_cost"].obj()
            checkDec(t["excl_vat"] as BigDecimal, r.totalCost().exclVat.toPlainString(), "$what: CDR excl")
            val incl = t["incl_vat"] as BigDecimal?
            check(incl?.compareTo(r.totalCost().inclVat) == 0 || (incl == null && r.totalCost().inclVat == null)) {
                "$what: CDR incl $incl, typed ${r.totalCost().inclVat}"
            }
        }
        val energy = """{"type":"ENERGY","price":0.25,"step_size":1}"""
        // Absent everywhere: 12 kWh x 0.25 = 3.00, 1.5 h x 2.00 = 3.00, flat 1.00: 7.00, gross the same.
        val none = priceCdrWithTariffs(cdr("EUR", "12", "1.5"), listOf(tariff("EUR",
            """$energy,{"type":"TIME","price":2.00,"step_size":1},{"type":"FLAT","price":1.00,"step_size":1}""")))
        checkEq(amounts(none.totalCost()), listOf("7.00", "7.00", "0.00"), "absent: total")
        checkEq(amounts(none.totalEnergyCost()), listOf("3.00", "3.00", "0.00"), "absent: energy")
        checkEq(amounts(none.totalTimeCost()), listOf("3.00", "3.00", "0.00"), "absent: time")
        checkEq(amounts(none.totalFixedCost()), listOf("1.00", "1.00", "0.00"), "absent: fixed")
        checkEq(amounts(none.totalParkingCost()), listOf("0", "0", "0"), "absent: parking not priced, zero gross")
        checkEq(none.breakdown().lines.map { it.vat }.toSet(), setOf<Vat>(Vat.NotApplicable), "absent: line VAT")
        typedIsWritten(none, "absent")
        checkDec(Invoice(none, "N-1").gross(), "7.00", "absent: invoice gross")
        // Mixed: energy 10 x 0.30 = 3.00 without VAT, time 2 x 1.20 = 2.40 at 0 %, flat 2.00 at 19 % = 2.38.
        // Net 3.00 + 2.40 + 2.00 = 7.40; gross 3.00 + 2.40 + 2.38 = 7.78.
        val mixed = priceCdrWithTariffs(cdr("EUR", "10", "2"), listOf(tariff("EUR",
            """{"type":"ENERGY","price":0.30,"step_size":1},{"type":"TIME","price":1.20,"vat":0,"step_size":1},{"type":"FLAT","price":2.00,"vat":19,"step_size":1}""")))
        checkEq(amounts(mixed.totalEnergyCost()), listOf("3.00", "3.00", "0.00"), "mixed: energy (no VAT)")
        checkEq(amounts(mixed.totalTimeCost()), listOf("2.40", "2.40", "0.00"), "mixed: time (0 %)")
        checkEq(amounts(mixed.totalFixedCost()), listOf("2.00", "2.38", "0.38"), "mixed: fixed (19 %)")
        checkEq(amounts(mixed.totalCost()), listOf("7.40", "7.78", "0.38"), "mixed: total")
        checkEq(mixed.breakdown().lines.map { it.dimension to it.vat }.toSet(), setOf(
            TariffDimension.ENERGY to Vat.NotApplicable, TariffDimension.TIME to Vat.Rate(BigDecimal("0")),
            TariffDimension.FLAT to Vat.Rate(BigDecimal("19"))), "mixed: no VAT and 0 % kept apart")
        typedIsWritten(mixed, "mixed")
        val minv = Invoice(mixed, "M-1")
        checkEq(minv.vat().map { it.rate?.toPlainString() }, listOf(null, "0", "19"), "mixed: invoice rates")
        checkDec(minv.gross(), "7.78", "mixed: invoice gross = total incl")
        // Free: 5 kWh x 0 = 0.00 without VAT: a gross amount of 0.00, not null.
        val free = priceCdrWithTariffs(cdr("EUR", "5", "1"), listOf(tariff("EUR",
            """{"type":"ENERGY","price":0,"step_size":1},{"type":"FLAT","price":0,"step_size":1}""")))
        checkEq(amounts(free.totalCost()), listOf("0.00", "0.00", "0.00"), "free: total")
        checkEq(amounts(free.totalFixedCost()), listOf("0.00", "0.00", "0.00"), "free: fixed")
        typedIsWritten(free, "free")
        // KWD, 3 minor units: 7.3 kWh x 0.125 = 0.9125 -> 0.913 (half away from zero), gross the same.
        val kwd = priceCdrWithTariffs(cdr("KWD", "7.3", "1"), listOf(tariff("KWD", """{"type":"ENERGY","price":0.125,"step_size":1}""")))
        checkEq(kwd.currency(), "KWD", "KWD: currency")
        checkEq(amounts(kwd.totalCost()), listOf("0.913", "0.913", "0.000"), "KWD: total")
        checkEq(amounts(kwd.totalEnergyCost()), listOf("0.913", "0.913", "0.000"), "KWD: energy")
        typedIsWritten(kwd, "KWD")
        // OCPI 2.1.1: the VAT is unknown. 20 kWh x 0.25 = 5.00 net, no gross amount anywhere.
        val old = Tariff("""{"id":"OLD","currency":"EUR","elements":[{"price_components":[$energy,{"type":"FLAT","price":0,"step_size":1}]}],"last_updated":"2026-01-01T00:00:00Z"}""", OcpiVersion.V211)
        val r211 = priceCdrWithTariffs(cdr("EUR", "20", "1"), listOf(old))
        checkEq(amounts(r211.totalCost()), listOf("5.00", "null", "null"), "2.1.1: total")
        checkEq(amounts(r211.totalEnergyCost()), listOf("5.00", "null", "null"), "2.1.1: energy")
        checkEq(amounts(r211.totalFixedCost()), listOf("0.00", "null", "null"), "2.1.1: free flat, VAT unknown")
        checkEq(amounts(r211.totalTimeCost()), listOf("0", "null", "null"), "2.1.1: unpriced zero, VAT unknown")
        typedIsWritten(r211, "2.1.1")
    }
    checks["Session.price cuts at 18:00 local; priceLive; Tariff.quote"] = { _ ->
        val log = listOf(
            frame16("1", "StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T16:30:00Z"}"""),
            """[3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]""",
            frame16("2", "StopTransaction", """{"transactionId":5,"meterStop":10000,"timestamp":"2026-03-10T17:30:00Z"}"""),
        ).joinToString("\n")
        val s = sessionFromMessages(log, "1.6", "CP")
        val r = s.price(listOf(TOU_TARIFF), "Europe/Amsterdam")
        // 5 kWh before 18:00 local (17:00Z) at 0.20, 5 kWh after at 0.40.
        checkEq(r.totalCost().exclVat, BigDecimal("3.00"), "total")
        val cuts = r.breakdown().lines.map { it.start }
        check(Instant.parse("2026-03-10T17:00:00Z") in cuts) { "no cut at 18:00 local: $cuts" }
        checkDec(Json.parse(r.toOcpi()).obj()["total_cost"].obj()["excl_vat"] as BigDecimal, "3", "a new CDR with costs")
        // Another zone moves the boundary out of the session: everything at 0.20.
        checkDec(s.price(listOf(TOU_TARIFF), "UTC").totalCost().exclVat, "2.00", "UTC: before 18:00 throughout")
        expectThrows<ChargekitException.UnknownTimezone>("zone") { s.price(listOf(TOU_TARIFF), "Mars/Olympus") }
        // Live: 5 kWh after 30 min at 0.30/kWh with a 5.00 minimum.
        val live = sessionFromMessages(listOf(
            frame16("1", "StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T10:00:00Z"}"""),
            """[3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]""",
            mv16("2", 5, "2026-03-10T10:30:00Z", "5000"),
        ).joinToString("\n"), "1.6", "CP")
        val minTariff = """{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR","min_price":{"excl_vat":5},
            "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}]}"""
        val p = live.priceLive(listOf(minTariff), "Europe/Amsterdam", Instant.parse("2026-03-10T10:30:00Z"))
        checkEq(p.soFar().exclVat, BigDecimal("1.50"), "so far")
        checkEq(p.ifStoppedNow().totalCost().exclVat, BigDecimal("5.00"), "if stopped now (minimum)")
        check("total_cost_clamped_to_min" in p.ifStoppedNow().noteIds()) { "notes ${p.ifStoppedNow().noteIds()}" }
        // Quote: 40 kWh at 24 kW overnight, 0.38 €/kWh.
        val q = Tariff("""{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
            "elements":[{"price_components":[{"type":"ENERGY","price":0.38,"step_size":1}]}]}""")
            .quote(QuoteRequest(Instant.parse("2025-11-10T18:00:00Z"), Instant.parse("2025-11-11T06:00:00Z"), BigDecimal("24"), BigDecimal("40")), "Europe/Amsterdam")
        checkEq(q.totalCost().exclVat, BigDecimal("15.20"), "quote")
        checkDec(q.totalChargingTime().setScale(4, java.math.RoundingMode.HALF_UP), "1.6667", "charging hours")
    }
    checks["invoice: lines sum to the net total, VAT per rate to the VAT total; text, HTML, credit note"] = { _ ->
        val r = priceCdr(SIMPLE_CDR, listOf(SIMPLE_TARIFF))
        val inv = Invoice(r, "2026-0001")
        checkEq(inv.number() to inv.kind(), "2026-0001" to InvoiceKind.INVOICE, "number, kind")
        checkEq(inv.net(), BigDecimal("5.63"), "net")
        checkEq(sumOf(inv.lines().map { it.net }), inv.net(), "lines add up to net")
        checkEq(sumOf(inv.vat().map { it.vat }), inv.vatTotal(), "VAT per rate adds up")
        checkEq(sumOf(inv.vat().map { it.base }), inv.net(), "VAT bases add up to net")
        checkEq(inv.net() + inv.vatTotal(), inv.gross(), "gross = net + VAT")
        checkDec(inv.gross(), r.totalCost().inclVat!!.toPlainString(), "gross = total incl VAT")
        checkEq(inv.vat().map { it.rate?.stripTrailingZeros()?.toPlainString() }.toSet(), setOf("10", "20"), "two VAT rates")
        val energy = inv.lines().first { it.kind == LineKind.Charge(CostCategory.ENERGY) }
        checkDec(energy.quantity, "20.5", "billed kWh")
        checkDec(energy.quantityConsumed, "20.45", "consumed kWh")
        checkEq(inv.currency(), "EUR", "currency")
        val text = inv.toText()
        check(text.contains("Energy") && text.contains("2026-0001") && text.contains("6.24")) { "text:\n$text" }
        check(inv.toHtml().startsWith("<!DOCTYPE html>")) { "html" }
        checkEq(Json.parse(inv.toJson()).obj()["number"], "2026-0001", "json")
        val credit = inv.creditNote("2026-0002")
        checkEq(credit.kind() to credit.credits(), InvoiceKind.CREDIT_NOTE to "2026-0001", "credit note")
        checkEq(credit.gross(), inv.gross().negate(), "credit gross")
        checkEq(sumOf(credit.lines().map { it.net }), credit.net(), "credit lines add up")
        // A clamped total shows the difference as a line of its own, and still adds up.
        val clamped = priceCdr(SIMPLE_CDR, listOf(SIMPLE_TARIFF.replace("\"elements\"", "\"min_price\":{\"excl_vat\":10},\"elements\"")))
        val cinv = Invoice(clamped, "2026-0003")
        checkDec(cinv.net(), "10", "clamped net")
        check(cinv.lines().any { it.kind == LineKind.PriceLimit }) { "no price-limit line" }
        checkEq(sumOf(cinv.lines().map { it.net }), cinv.net(), "clamped lines add up")
    }
    checks["tariff lint, parse warnings, explanations (popular tariffs word for word)"] = { _ ->
        val t = Tariff("""{"country_code":"NL","party_id":"ABC","id":"T1","currency":"EUR",
            "elements":[{"price_components":[{"type":"ENERGY","price":0.25,"vat":21,"step_size":1}]}],"last_updated":"2026-01-01T00:00:00Z"}""")
        checkEq(t.explain().text, "€0.25 per kWh. Prices exclude 21% VAT.", "explain text")
        checkEq(t.explain(Language.NL).language, Language.NL, "Dutch")
        checkEq(t.id() to t.currency(), "T1" to "EUR", "id, currency")
        val never = Tariff("""{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
            "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}],
            "restrictions":{"start_time":"10:00","end_time":"10:00"}}],"last_updated":"2026-01-01T00:00:00Z"}""")
        val f = never.lint().first { it.rule == LintRule.NEVER_VALID }
        checkEq(f.rule.wireName(), "never_valid", "rule wire name")
        checkEq(f.path, "$.elements[0].restrictions", "path")
        // ocpi-kit reads equal times as the whole day: no longer never_valid.
        check(never.lint(pricingPolicyPreset("ocpi_kit")).none { it.rule == LintRule.NEVER_VALID }) { "ocpi_kit policy" }
        val misspelled = Tariff("""{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
            "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}],
            "restrictions":{"dayOfWeek":["SATURDAY"]}}],"last_updated":"2026-01-01T00:00:00Z"}""")
        val w = misspelled.warnings().first()
        checkEq(w.id, "misspelled_field(day_of_week)", "warning id")
        checkEq(w.kind, ParseWarningKind.MisspelledField("dayOfWeek", "day_of_week"), "warning kind")
        // The popular tariffs core renders word for word as upstream (explain_popular.rs).
        val popular = listOf("AC-0001", "AC-0010", "DC-0001", "DC-0020")
        for (id in popular) {
            val dir = File(tariffVectors(), "popular/$id")
            val want = File(dir, "explanation.en-US.md").readText().trim()
            checkEq(Tariff(File(dir, "tariff.json").readText()).explain().markdown, want, "$id explanation")
        }
        // Written back as OCPI 2.3.0.
        val v23 = Json.parse(t.toOcpi(OcpiVersion.V230)).obj()
        checkEq(v23["tax_included"], "NO", "2.3.0 tax_included")
        checkEq(Tariff(t.toOcpi(OcpiVersion.V230)).explain().text, t.explain().text, "2.3.0 round trip")
    }
    checks["billing errors are typed: CDR, tariff, currency, policy, no tariff"] = { _ ->
        val cdr = expectThrows<ChargekitException.InvalidCdr>("not JSON") { priceCdr("{", listOf(SIMPLE_TARIFF)) }
        checkEq(cdr.path, "$", "path")
        expectThrows<ChargekitException.NoTariffElements>("no elements") { Tariff("""{"id":"T","currency":"EUR","elements":[]}""") }
        expectThrows<ChargekitException.InvalidCurrency>("currency") { Tariff(SIMPLE_TARIFF.replace("\"EUR\"", "\"euro\"")) }
        expectThrows<ChargekitException.TariffJson>("tariff JSON") { Tariff("{\"id\":") }
        val mismatch = expectThrows<ChargekitException.CurrencyMismatch>("USD CDR") {
            priceCdr(SIMPLE_CDR.replace("\"EUR\"", "\"USD\""), listOf(SIMPLE_TARIFF))
        }
        checkEq(Triple(mismatch.cdrCurrency, mismatch.tariffId, mismatch.tariffCurrency), Triple("USD", "T1", "EUR"), "mismatch fields")
        val policy = expectThrows<ChargekitException.InvalidPricingPolicy>("preset") { pricingPolicyPreset("nope") }
        check(policy.reason.contains("nope")) { "reason ${policy.reason}" }
        expectThrows<ChargekitException.NoValidTariff>("no tariffs at all") { priceCdr(SIMPLE_CDR, emptyList()) }
        checkEq(pricingPolicyPreset("ocpi_tariffs").stepSize, StepSizeMode.OCPI_TARIFFS_COMPAT, "preset resolved")
        checkEq(defaultPricingPolicy().stepSize, StepSizeMode.OCPI_BUGFIX, "default policy")
        checkEq(pricingPolicyPreset("default"), defaultPricingPolicy(), "the default preset")
        // Policies change results: ev-server truncates money to 2 decimals.
        val ev = priceCdr(SIMPLE_CDR, listOf(SIMPLE_TARIFF), policy = pricingPolicyPreset("ev_server"))
        check(ev.totalCost().exclVat.scale() <= 2) { "ev_server total ${ev.totalCost()}" }
    }
    checks["V2X export credit: policy export + allowNegativeTotal, credit lines, invoice, credit note"] = { dir ->
        val s = sessionsFromMessages(readData(dir, "v2x-session-ocpp21.jsonl"), null, "CP-V2X").single()
        val tariff = """{"country_code":"DE","party_id":"CKT","id":"T-1","currency":"EUR",
            "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"vat":19,"step_size":1}]}]}"""
        checkEq(defaultPricingPolicy().export, ExportPricing.Ignore, "export ignored by default")
        checkEq(defaultPricingPolicy().allowNegativeTotal, false, "no negative totals by default")
        val credit = defaultPricingPolicy().copy(export = ExportPricing.PerKwh(BigDecimal("0.20"), Vat.Rate(BigDecimal("19"))))
        val r = s.price(listOf(tariff), "UTC", credit)
        // 7 × 0.30 = 2.10 net; −(3 × 0.20) = −0.60 net, −0.714 gross; total 1.50 net, 1.785 → 1.79.
        checkDec(r.totalCost().exclVat, "1.50", "total net")
        checkDec(r.totalCost().inclVat, "1.79", "total gross")
        checkDec(r.total(CostCategory.ENERGY_EXPORT)?.exclVat, "-0.60", "credit net")
        checkDec(r.total(CostCategory.ENERGY_EXPORT)?.inclVat, "-0.71", "credit gross")
        val fed = r.breakdown().lines.filter { it.category == CostCategory.ENERGY_EXPORT }
        checkDec(sumOf(fed.map { it.volume }), "3", "kWh fed back")
        val inv = Invoice(r, "V-1")
        val line = inv.lines().first { it.kind == LineKind.Charge(CostCategory.ENERGY_EXPORT) }
        checkEq(line.description, "Energy fed back (V2X)", "invoice line")
        checkDec(line.net, "-0.60", "invoice credit")
        checkDec(inv.gross(), "1.79", "invoice gross")
        checkDec(inv.creditNote("V-2").lines().first { it.kind == LineKind.Charge(CostCategory.ENERGY_EXPORT) }.net, "0.60", "credit note negates")
        // 7 × 0.05 = 0.35 − 0.60 = −0.25: raised to zero unless allowed.
        val cheap = tariff.replace("0.30", "0.05")
        val clamped = s.price(listOf(cheap), "UTC", credit)
        checkDec(clamped.totalCost().exclVat, "0", "clamped to zero")
        check(clamped.notes().any { it is PricingNote.TotalCostClampedToZero }) { "notes ${clamped.notes()}" }
        checkDec(s.price(listOf(cheap), "UTC", credit.copy(allowNegativeTotal = true)).totalCost().exclVat, "-0.25", "negative allowed")
    }
}

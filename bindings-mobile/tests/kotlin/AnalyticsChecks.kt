// Kotlin checks of analytics and feedback: site summaries with hour-of-week heatmaps (bucketed in
// the site's zone, cross-checked with java.time), per-session flags, CSV import, feedback scores.

import io.chargekit.core.ChargekitException
import io.chargekit.core.CsvShape
import io.chargekit.core.DayOfWeek
import io.chargekit.core.EndedBy
import io.chargekit.core.Flag
import io.chargekit.core.Feedback
import io.chargekit.core.Moderation
import io.chargekit.core.Outcome
import io.chargekit.core.Problem
import io.chargekit.core.SessionLink
import io.chargekit.core.SessionRecord
import io.chargekit.core.ChargerSegment
import io.chargekit.DepartureForecaster
import io.chargekit.SummaryPartial
import io.chargekit.FleetPartial
import io.chargekit.summarizeFleet
import io.chargekit.core.DwellClass
import io.chargekit.core.ForecastBasis
import io.chargekit.core.Availability
import io.chargekit.core.OpeningHours
import io.chargekit.core.Period
import io.chargekit.core.ScoreLevel
import io.chargekit.core.AnomalyKind
import io.chargekit.core.ReportExtras
import io.chargekit.core.FeedbackIntake
import io.chargekit.core.FeedbackRefusal
import io.chargekit.core.Blend
import io.chargekit.analyseSessionRecords
import io.chargekit.anomalyCounts
import io.chargekit.behaviourPatterns
import io.chargekit.defaultPatternOptions
import io.chargekit.defaultScoreOptions
import io.chargekit.defaultSummaryOptions
import io.chargekit.feedbackFromJson
import io.chargekit.importSessionsCsv
import io.chargekit.scoreFeedback
import io.chargekit.screenFeedback
import io.chargekit.defaultAbusePolicy
import io.chargekit.sessionsFromMessages
import io.chargekit.summarize
import java.math.BigDecimal
import java.time.Instant
import java.time.ZoneId

fun record(id: String, port: String, plugIn: String, plugOut: String, wh: String, user: String? = null) =
    SessionRecord(id, "CP-1", port, Instant.parse(plugIn), Instant.parse(plugOut), BigDecimal(wh), userId = user)

fun period(start: String, end: String) = Period(Instant.parse(start), Instant.parse(end))

/** One week of local days in Europe/Berlin from Monday 2 March 2026 (no DST change inside). */
fun weekOptions() = defaultSummaryOptions().copy(period = period("2026-03-01T23:00:00Z", "2026-03-08T23:00:00Z"))

fun feedbackJson(id: String, at: String, outcome: String, extra: String = "") =
    """{"id": "$id", "created_at": "$at", "author_id": "A-$id", "location_id": "LOC", "outcome": "$outcome", "distance_m": 10$extra}"""

/** A typed feedback record: only the fields a report has are named; given 10 m from the charger. */
fun feedback(id: String, at: String, outcome: Outcome, problem: Problem? = null, stars: UByte? = null,
             author: String = "A-$id", location: String = "LOC") =
    Feedback(id, Instant.parse(at), author, SessionLink.None, location, outcome = outcome, problem = problem,
             stars = stars, evseId = if (problem != null) "CP-1" else null, distanceM = 10u,
             moderation = Moderation.PENDING)

fun registerAnalyticsChecks() {
    checks["summarize the 1.6 sample day: heatmaps bucketed in local time, totals add up"] = { dir ->
        val sessions = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
        val records = sessions.map { it.toSessionRecord() }
        checkEq(records.map { it.energyWh }, sessions.map { it.energyWh() }, "record energy = session energy")
        checkEq(records.map { it.plugIn }, sessions.map { it.start() }, "plug-in = transaction start")
        val zone = "Europe/Berlin"
        val s = summarize(records, zone)
        checkEq(s.tz, zone, "tz")
        val c = s.counts
        checkEq(c.sessionsSeen, 7UL, "sessions seen")
        val used = c.sessionsUsed.toLong()
        val h = s.heatmaps
        checkEq(h.occupancy.size to h.occupancy.map { it.size }.toSet(), 7 to setOf(24), "7 x 24 grid")
        checkEq(h.arrivals.sumOf { row -> row.sumOf { it.toLong() } }, used, "arrivals add up to sessions used")
        // Each arrival sits in the local weekday and hour of its plug-in (java.time agrees).
        val berlin = ZoneId.of(zone)
        val expected = Array(7) { LongArray(24) }
        if (used == 7L) {
            for (r in records) {
                val local = r.plugIn.atZone(berlin)
                expected[local.dayOfWeek.value - 1][local.hour]++
            }
            for (d in 0 until 7) for (hr in 0 until 24) {
                checkEq(h.arrivals[d][hr].toLong(), expected[d][hr], "arrivals[$d][$hr]")
            }
            checkDec(s.energy.totalKwh, sumOf(sessions.map { it.energyKwh() }).toPlainString(), "total kWh")
        }
        val energyGrid = sumOf(h.energyKwh.flatten())
        check((energyGrid - s.energy.totalKwh).abs() < BigDecimal("0.001")) { "energy heatmap $energyGrid vs ${s.energy.totalKwh}" }
        // The period is the local day: midnight Berlin.
        checkEq(s.period.start.atZone(berlin).hour, 0, "period starts at local midnight")
        check(s.peakHours.isNotEmpty()) { "no peak hours" }
        val top = s.peakHours.first()
        val occ = h.occupancy[top.weekday.ordinal][top.hour.toInt()]
        checkEq(occ.compareTo(top.occupancy), 0, "peak hour occupancy is the heatmap value")
        checkEq(s.ports.sumOf { it.sessions.toLong() }, used, "port sessions")
        checkEq(Json.parse(s.toJson()).obj()["counts"].obj()["sessions_seen"], BigDecimal("7"), "toJson")
        note = "$used sessions used, ${s.ports.size} ports"
    }
    checks["summary partials: shards through bytes, merged, give the one-pass summary"] = { dir ->
        val records = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
            .map { it.toSessionRecord() }
        val zone = "Europe/Berlin"
        val options = defaultSummaryOptions().copy(period = summarize(records, zone).period)
        val whole = summarize(records, zone, options)
        val shards = listOf(records.take(2), records.drop(2).take(3), records.drop(5))
        val partials = shards.map { shard ->
            SummaryPartial(zone, options).also { it.add(shard) }.let { SummaryPartial.fromBytes(it.toBytes()) }
        }
        val merged = partials[2]
        merged.merge(partials[0])
        merged.merge(partials[1])
        checkEq(merged.finish(), whole, "merged partials = summarize")
        checkEq(partials[0].fingerprint(), partials[1].fingerprint(), "same options, same fingerprint")
        val other = SummaryPartial("UTC", options)
        check(other.fingerprint() != merged.fingerprint()) { "another zone, another fingerprint" }
        expectThrows<ChargekitException.IncompatibleAccumulators>("other options") { merged.merge(other) }
        val bytes = merged.toBytes()
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
        expectThrows<ChargekitException.InvalidArgument>("damaged bytes") { SummaryPartial.fromBytes(bytes) }
        expectThrows<ChargekitException.MissingPeriod>("no period") { SummaryPartial(zone, null) }
    }
    checks["fleet partials: whole sites through bytes, merged, give summarizeFleet"] = { dir ->
        val zone = "Europe/Berlin"
        val alpha = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
            .map { it.toSessionRecord().copy(siteId = "north") }
        val bravo = sessionsFromMessages(readData(dir, "site-day-ocpp201.jsonl"), "2.0.1", "CP-BRAVO")
            .map { it.toSessionRecord().copy(siteId = "south") }
        val options = defaultSummaryOptions().copy(period = summarize(alpha + bravo, zone).period)
        val report = summarizeFleet(alpha + bravo, zone, options)
        checkEq(report.sites.map { it.siteId }, listOf("north", "south"), "sites in id order")
        checkEq(report.fleet.sites, 2UL, "two sites")
        checkEq(report.fleet.counts.sessionsSeen, (alpha.size + bravo.size).toULong(), "every session seen")
        checkEq(
            report.fleet.energy.totalKwh.compareTo(report.sites.map { it.energy.totalKwh }.reduce(BigDecimal::add)), 0,
            "fleet energy = sum of the sites'",
        )
        val north = FleetPartial(zone, options)
        checkEq(north.add(alpha), report.sites.take(1), "add returns the site's exact summary")
        val south = FleetPartial(zone, options).also { it.add(bravo) }
        val merged = FleetPartial.mergeMany(listOf(FleetPartial.fromBytes(north.toBytes()), south))
        checkEq(merged.finish(), report.fleet, "merged partials = summarizeFleet")
        check(north.toBytes().size < 6000) { "a fleet partial stays small: ${north.toBytes().size} bytes" }
        val other = FleetPartial("UTC", options)
        check(other.fingerprint() != north.fingerprint()) { "another zone, another fingerprint" }
        expectThrows<ChargekitException.IncompatibleAccumulators>("other options") { north.merge(other) }
        expectThrows<ChargekitException.InvalidArgument>("no parts") { FleetPartial.mergeMany(listOf()) }
        val site = SummaryPartial(zone, options).also { it.add(alpha) }
        expectThrows<ChargekitException.InvalidArgument>("a site partial's bytes") { FleetPartial.fromBytes(site.toBytes()) }
        val halves = listOf(alpha.take(2), alpha.drop(2)).map { SummaryPartial(zone, options).also { p -> p.add(it) } }
        checkEq(SummaryPartial.mergeMany(halves).finish(), site.finish(), "SummaryPartial.mergeMany")
    }
    checks["summarize a hand-made week: occupancy, utilisation and overstay exact"] = { _ ->
        // One port; Monday 09:00-11:00 local (08:00-10:00Z), 11 kWh charged in the first hour.
        val a = record("s1", "1", "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z", "11000", "U1")
            .copy(chargingS = 3600L, chargeEnd = Instant.parse("2026-03-02T09:00:00Z"), endedBy = EndedBy.DRIVER)
        // Tuesday 18:00-19:00 local, 5 kWh.
        val b = record("s2", "1", "2026-03-03T17:00:00Z", "2026-03-03T18:00:00Z", "5000", "U2")
        val s = summarize(listOf(a, b), "Europe/Berlin", weekOptions())
        val t = s.time
        checkEq(t.availableS, 7L * 24 * 3600, "available: one week")
        checkEq(t.occupiedS, 3L * 3600, "occupied: 3 h")
        val h = s.heatmaps
        checkDec(h.occupancy[0][9], "1", "Monday 09-10 occupied")
        checkDec(h.occupancy[0][10], "1", "Monday 10-11 occupied")
        checkDec(h.occupancy[0][11], "0", "Monday 11-12 free")
        checkDec(h.occupancy[1][18], "1", "Tuesday 18-19 occupied")
        checkEq(h.arrivals[0][9] to h.arrivals[1][18], 1UL to 1UL, "arrivals")
        checkEq(h.departures[0][11], 1UL, "Monday departure at 11:00 local")
        checkDec(h.availableH[0][9], "1", "one available Monday 09-10 in the week")
        checkDec(s.energy.totalKwh, "16", "energy")
        checkDec(s.energy.medianKwh, "8", "median of 11 and 5")
        // Occupied 3 h of 168 h.
        // Rates are rounded to 6 decimals: 3 h / 168 h.
        checkDec(s.utilisation.occupied, "0.017857", "occupied rate")
        // Idle after full: 1 h, grace 30 min: 30 min of overstay for s1.
        val o = s.overstay
        checkEq(o.sessions to o.totalS, 1UL to 1800L, "overstay")
        checkEq(s.counts.uniqueUsers, 2UL, "users")
        checkEq(s.peakHours.first().weekday in setOf(DayOfWeek.MONDAY, DayOfWeek.TUESDAY), true, "peak weekday")
    }
    checks["behaviour patterns: per-user habits, AC/DC segments, departure forecast"] = { _ ->
        // U1 charges three Mondays 09:00-18:00 Berlin (08:00-17:00Z) at an 11 kW port; a
        // stranger stops 40 min at a 150 kW charger.
        val u1 = (0..2).map { w ->
            val day = 2 + 7 * w
            record("u1-$w", "1", "2026-03-%02dT08:00:00Z".format(day), "2026-03-%02dT17:00:00Z".format(day), "20000", "U1")
                .copy(ratedPowerW = BigDecimal("11000"))
        }
        val fast = record("x", "2", "2026-03-04T12:00:00Z", "2026-03-04T12:40:00Z", "30000")
            .copy(peakPowerW = BigDecimal("150000"))
        val p = behaviourPatterns(u1 + fast, "Europe/Berlin")
        checkEq(p.users.map { it.userId }, listOf("U1"), "users with an id")
        val u = p.users[0]
        checkEq(Triple(u.sessions, u.arrivalHour, u.departureHour), Triple(3UL, 9U, 18U), "U1 habits (local hours)")
        checkEq(u.dwell.medianS to u.dwell.p75S, 32400L to 32400L, "U1 dwell 9 h")
        checkDec(u.meanEnergyKwh, "20", "U1 energy per visit")
        checkEq(u.homeSite to u.trusted, "CP-1" to true, "home site, trusted history")
        checkEq(p.segments.map { it.segment to it.sessions }, listOf(ChargerSegment.AC to 3UL, ChargerSegment.DC to 1UL), "segments")
        checkEq(p.segments[1].classes.first { it.sessions > 0UL }.`class`, DwellClass.FROM30_TO60_MIN, "DC stop: 30-60 min")
        val f = DepartureForecaster(u1 + fast, "Europe/Berlin")
        val arrival = Instant.parse("2026-03-23T08:00:00Z")
        val g = f.forecast(arrival, "U1")!!
        checkEq(Triple(g.basis, g.dwellS, g.departure), Triple(ForecastBasis.USER, 32400L, Instant.parse("2026-03-23T17:00:00Z")), "U1 forecast")
        // A stranger on Monday 09:00 local: that hour of the week has three arrivals (enough).
        val m = f.forecast(arrival, "U9")!!
        checkEq(Triple(m.basis, m.dwellS, m.sessions), Triple(ForecastBasis.SITE_HOUR_OF_WEEK, 32400L, 3UL), "stranger, Monday 09:00")
        // On a Tuesday: the site's median of 2400, 32400, 32400, 32400.
        val t = f.forecast(Instant.parse("2026-03-24T08:00:00Z"))!!
        checkEq(Triple(t.basis, t.dwellS, t.sessions), Triple(ForecastBasis.SITE, 32400L, 4UL), "stranger, Tuesday")
        checkEq(DepartureForecaster(emptyList(), "UTC").forecast(arrival), null, "nothing learnt")
        // Typed pattern options: with DC from 200 kW, the 150 kW stop is AC.
        val high = behaviourPatterns(u1 + fast, "Europe/Berlin", null, defaultPatternOptions().copy(dcMinPowerW = BigDecimal("200000")))
        checkEq(high.segments.map { it.segment to it.sessions }, listOf(ChargerSegment.AC to 4UL), "DC threshold from the options")
    }
    checks["per-session flags, CSV import, typed analytics errors"] = { _ ->
        val short = record("s", "1", "2026-03-02T08:00:00Z", "2026-03-02T08:00:30Z", "0")
        val a = analyseSessionRecords(listOf(short, short), "UTC")
        check(Flag.SHORT_DURATION in a[0].flags) { "flags ${a[0].flags}" }
        check(Flag.DUPLICATE_ID in a[1].flags) { "flags ${a[1].flags}" }
        checkEq(a[0].metrics.dwellS, 30L, "dwell")
        checkEq(Flag.LOW_ENERGY.wireName(), "low_energy", "flag name")
        val csv = "Station Name,Start Date,Start Time Zone,End Date,End Time Zone,Total Duration (hh:mm:ss),Charging Time (hh:mm:ss),Energy (kWh),Port Number,Plug In Event Id,User ID\n" +
            "PALO ALTO CA / HAMILTON #1,7/29/2011 20:17,PDT,7/29/2011 23:20,PDT,3:03:32,1:54:03,6.249457,2,3,3284\n" +
            "PALO ALTO CA / HAMILTON #1,7/30/2011 0:00,PDT,40754.1,PDT, -   ,0:12:00,1.2,1,4,\n" +
            "PALO ALTO CA / HAMILTON #1,garbage,PDT,7/30/2011 9:00,PDT,1:00:00,1:00:00,5,1,5,\n"
        val imp = importSessionsCsv(csv, "America/Los_Angeles")
        checkEq(imp.shape, CsvShape.CHARGE_POINT, "shape")
        checkEq(imp.records.size, 2, "records")
        checkEq(imp.records[0].plugIn, Instant.parse("2011-07-30T03:17:00Z"), "PDT to UTC")
        checkEq(imp.records[0].chargingS, 6843L, "charging time")
        checkDec(imp.records[0].energyWh, "6249.457", "energy kWh to Wh, exact")
        checkEq(imp.errors[0].line to imp.errors[0].column, 4UL to "Start Date", "row error")
        val summary = summarize(imp.records, "America/Los_Angeles")
        checkEq(summary.counts.sessionsSeen, 2UL, "imported records summarise")
        expectThrows<ChargekitException.UnknownTimezone>("zone") { summarize(listOf(short), "Mars/Olympus") }
        val hours = Availability.OperatingHours(listOf(OpeningHours(DayOfWeek.MONDAY, "7 am", "18:00:00")), listOf())
        val bad = expectThrows<ChargekitException.InvalidAnalyticsOptions>("options") {
            summarize(listOf(short), "UTC", weekOptions().copy(availability = hours))
        }
        checkEq(bad.field, "opening hours", "field")
        expectThrows<ChargekitException.NoSessions>("no sessions") { summarize(emptyList(), "UTC") }
        val reversed = expectThrows<ChargekitException.InvalidAnalyticsOptions>("reversed period") {
            summarize(listOf(short), "UTC", defaultSummaryOptions().copy(period = period("2026-03-08T00:00:00Z", "2026-03-01T00:00:00Z")))
        }
        checkEq(reversed.field, "period", "field")
        check(reversed.reason.contains("empty period")) { "reason ${reversed.reason}" }
        expectThrows<ChargekitException.CsvHeader>("unknown CSV") { importSessionsCsv("a,b\n1,2\n", "UTC") }
    }
    checks["feedback score: enough data shows a score, repeated problems need action"] = { _ ->
        val good = (0 until 8).map { feedback("F$it", "2026-03-0${it + 1}T10:00:00Z", Outcome.SUCCESS) }
        val r = scoreFeedback(good)
        // The JSON form reads into the same records.
        checkEq((0 until 8).map { feedbackFromJson(feedbackJson("F$it", "2026-03-0${it + 1}T10:00:00Z", "success")) },
                good, "feedbackFromJson = typed records")
        val s = r.scores.single()
        checkEq(s.id, "LOC", "id")
        check(s.displayScore != null) { "no display score with 8 reports" }
        check(s.lowerBound < s.successProbability) { "lower bound ${s.lowerBound} vs ${s.successProbability}" }
        checkEq(s.feedback, 8UL, "feedback counted")
        checkEq(r.asOf, Instant.parse("2026-03-08T10:00:00Z"), "as of the latest item")
        checkEq(r.ranking.ranked.map { it.id }, listOf("LOC"), "ranking")
        // Two reports of broken hardware on CP-1: not enough for a score, enough for an action.
        val broken = (0 until 2).map {
            feedback("B$it", "2026-03-0${it + 2}T10:00:00Z", Outcome.FAILURE, Problem.BROKEN_HARDWARE, 1u)
        }
        val b = scoreFeedback(broken)
        checkEq(b.scores.single().displayScore, null, "not enough data")
        val action = b.actions.single()
        checkEq(action.problem to action.reports, Problem.BROKEN_HARDWARE to 2UL, "action")
        checkEq(action.evseId, "CP-1", "evse")
        checkEq(action.problem.wireName(), "broken_hardware", "problem name")
        checkEq(b.scores.single().problemMix.single().share.compareTo(BigDecimal.ONE), 0, "problem mix")
        // Telemetry: successful sessions at the location count too (sessions group by station here).
        val telemetry = (1..5).map { record("t$it", "1", "2026-03-0${it}T08:00:00Z", "2026-03-0${it}T09:00:00Z", "10000") }
        val t = scoreFeedback(broken, telemetry, defaultScoreOptions().copy(level = ScoreLevel.STATION))
        checkEq(t.scores.map { it.id }, listOf("CP-1"), "station level")
        checkEq(t.scores.single().sessions, 5UL, "telemetry sessions")
        check(t.scores.single().successProbability > b.scores.single().successProbability) { "telemetry successes raise p" }
        val stars = expectThrows<ChargekitException.InvalidFeedback>("six stars in JSON") {
            feedbackFromJson(feedbackJson("X", "2026-03-02T10:00:00Z", "success", """, "stars": 6"""))
        }
        checkEq(stars.field, "stars", "field")
        val typed = expectThrows<ChargekitException.InvalidStars>("six stars in a record") {
            scoreFeedback(listOf(feedback("X", "2026-03-02T10:00:00Z", Outcome.SUCCESS, stars = 6u)))
        }
        checkEq(typed.stars, 6u.toUByte(), "stars")
    }
    checks["site report: toHtml with scores and the sample day's meter anomalies"] = { dir ->
        val sessions = sessionsFromMessages(readData(dir, "site-day-ocpp16.jsonl"), "1.6", "CP-ALPHA")
        val s = summarize(sessions.map { it.toSessionRecord() }, "Europe/Berlin")
        val counts = anomalyCounts(sessions)
        // Each anomaly of the sessions is counted once, under its kind; most frequent first.
        checkEq(counts.sumOf { it.count.toLong() }, sessions.sumOf { it.anomalies().size.toLong() }, "all counted")
        checkEq(counts.single { it.kind == AnomalyKind.DUPLICATE }.sessions, 2UL, "duplicates in 48231 and 48240")
        check(counts.zipWithNext().all { (a, b) -> a.count >= b.count }) { "order $counts" }
        val scores = scoreFeedback((0 until 8).map { feedback("F$it", "2026-03-0${it + 1}T10:00:00Z", Outcome.SUCCESS) })
        val html = s.toHtml(ReportExtras("Depot <North>", scores.scores, counts))
        check(html.startsWith("<!DOCTYPE html>")) { "not an HTML page" }
        check(html.contains("<title>Depot &lt;North&gt;</title>")) { "title not escaped" }
        for (id in listOf("occupancy-heatmap", "arrivals-heatmap")) {
            val svg = html.substring(html.indexOf("id=\"$id\"")).substringBefore("</svg>")
            checkEq(Regex("<rect class=\"cell\"").findAll(svg).count(), 168, "$id cells")
        }
        check(html.contains("<td>duplicate</td><td class=\"n\">2</td>")) { "anomaly row" }
        check(html.contains("<td>LOC</td>")) { "reliability row" }
        check(!s.toHtml(null).contains("Reliability")) { "no scores, no reliability section" }
        note = "${html.length} characters, ${counts.size} anomaly kinds"
    }
    checks["feedback screening: cooldown, distance, verified exemption, new authors (hand-computed)"] = { _ ->
        // Recency left out (half-life 0) and feedback alone: Σw counts items.
        val plain = defaultScoreOptions().copy(halfLifeDays = BigDecimal.ZERO, blend = Blend.FEEDBACK_ONLY)
        val good = (0 until 8).map { feedback("G$it", "2026-03-0${it + 1}T10:00:00Z", Outcome.SUCCESS) }
        val spam = (0 until 10).map {
            feedback("S$it", "2026-03-09T10:0${it}:00Z", Outcome.FAILURE, author = "SPAM")
        }
        // Screened: 8 × 0.5 + 0.5 = 4.5; p = (4 + 6.8) / 12.5 = 0.864 → 8.6.
        val r = scoreFeedback(good + spam, emptyList(), plain)
        val s = r.scores.single()
        checkDec(s.effectiveN, "4.5", "effective n screened")
        checkDec(s.successProbability, "0.864", "p screened")
        checkDec(s.displayScore!!, "8.6", "display screened")
        checkEq(r.refused.map { it.feedbackId }, (1 until 10).map { "S$it" }, "refused")
        check(r.refused.all { it.refusal is FeedbackRefusal.Cooldown }) { "rules ${r.refused}" }
        // As given: Σw = 9, p = 10.8 / 17 → 6.4.
        val given = scoreFeedback(good + spam, emptyList(), plain.copy(intake = FeedbackIntake.ALREADY_SCREENED))
        checkDec(given.scores.single().displayScore!!, "6.4", "display as given")
        checkEq(given.refused.size, 0, "nothing refused as given")
        // Distance: 150 m refused, no distance refused; verified from 5 km counts at weight 1.
        val far = feedback("FAR", "2026-03-10T10:00:00Z", Outcome.FAILURE).copy(distanceM = 150u)
        val blind = feedback("BLIND", "2026-03-10T10:00:00Z", Outcome.FAILURE).copy(distanceM = null)
        val ver = feedback("VER", "2026-03-10T11:00:00Z", Outcome.FAILURE, author = "B3")
            .copy(distanceM = 5000u, session = SessionLink.Claimed("S-VER"))
        val sess = record("S-VER", "1", "2026-03-10T10:00:00Z", "2026-03-10T10:50:00Z", "0", user = "B3")
            .copy(siteId = "LOC")
        val d = scoreFeedback(good + listOf(far, blind, ver), listOf(sess), plain)
        checkDec(d.scores.single().effectiveN, "5", "effective n with the verified failure")
        checkDec(d.scores.single().displayScore!!, "8.3", "10.8 / 13")
        checkEq(d.refused.map { it.refusal }, listOf(FeedbackRefusal.TooFar(150u, 100u), FeedbackRefusal.NoPresenceEvidence),
                "too far, no presence evidence")
        // New author: a fourth item within 24 h (at another location each) is refused.
        val burst = (0 until 4).map {
            feedback("N$it", "2026-03-02T1${it}:00:00Z", Outcome.FAILURE, author = "NEW", location = "L$it")
        }
        val sc = screenFeedback(burst)
        checkEq(sc.accepted.map { it.id }, listOf("N0", "N1", "N2"), "accepted")
        checkEq(sc.refused.single().refusal, FeedbackRefusal.NewAuthorRateLimited(3u, 3u), "rate limited")
        val relaxed = screenFeedback(burst, emptyList(), defaultAbusePolicy().copy(newAuthorDailyLimit = 4u))
        checkEq(relaxed.refused.size, 0, "a raised limit")
        note = "8.6 screened vs 6.4 as given"
    }
}

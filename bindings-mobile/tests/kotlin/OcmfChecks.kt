// Kotlin checks of signed meter values (OCMF): the S.A.F.E. vectors of core/tests/vectors/ocmf with
// their verdicts, transaction checks, tampering, typed records and errors, transport forms, and the
// energy a session's signed readings prove (records signed here with the JDK's own ECDSA).

import io.chargekit.core.ChargekitException
import io.chargekit.core.Container
import io.chargekit.core.Curve
import io.chargekit.core.IdentificationLevel
import io.chargekit.core.MeterStatus
import io.chargekit.core.OcmfInput
import io.chargekit.core.OcmfTransactionReport
import io.chargekit.core.PaginationContext
import io.chargekit.core.ParseNote
import io.chargekit.core.ReadingUnit
import io.chargekit.core.SignedFormat
import io.chargekit.core.TimeBilling
import io.chargekit.core.TimeStatus
import io.chargekit.core.TransactionCheck
import io.chargekit.core.TxKind
import io.chargekit.core.Verdict
import io.chargekit.core.VerdictReason
import io.chargekit.checkOcmfRecords
import io.chargekit.checkOcmfTransaction
import io.chargekit.decodeSignedData
import io.chargekit.parseOcmf
import io.chargekit.sessionFromMessages
import io.chargekit.signedDataFromOcpi
import io.chargekit.OcmfOutcome
import io.chargekit.verifyOcmf
import io.chargekit.verifyOcmfMany
import java.io.File
import java.math.BigDecimal
import java.security.KeyPairGenerator
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import java.time.Instant
import java.util.Base64

// ---------------------------------------------------------------- the vector files

fun ocmfDir(): File = File(vectorsDir, "ocmf")

/** One `<value>` of a Transparenzsoftware XML file: the signed text (untrimmed) and the key text. */
data class XmlValue(val element: String, val data: String, val publicKey: String)

fun xmlInner(block: String, tag: String): String? {
    val open = block.indexOf("<$tag")
    if (open < 0) return null
    val afterOpen = block.indexOf('>', open) + 1
    val close = block.indexOf("</$tag>", afterOpen)
    return if (afterOpen <= 0 || close < 0) null else block.substring(afterOpen, close)
}

/** The `<value>` elements of a file, in order (read as core's test support reads them). */
fun ocmfValues(file: String): List<XmlValue> {
    val xml = File(ocmfDir(), file).readBytes().toString(Charsets.UTF_8)
    val out = ArrayList<XmlValue>()
    var rest = xml
    while (true) {
        val pos = rest.indexOf("<value")
        if (pos < 0) break
        if (rest.getOrNull(pos + 6) == 's') { rest = rest.substring(pos + 7); continue }
        val end = rest.indexOf("</value>", pos)
        val block = rest.substring(pos, end)
        val signed = xmlInner(block, "signedData")
        out.add(
            XmlValue(
                if (signed != null) "signedData" else "encodedData",
                signed ?: xmlInner(block, "encodedData")!!,
                xmlInner(block, "publicKey")!!,
            ),
        )
        rest = rest.substring(end + 8)
    }
    return out
}

val ocmfIndex: Map<String, Any?> by lazy { Json.parse(File(ocmfDir(), "index.json").readText()).obj() }

/** Every value of a file checked as one transaction, in file order. */
fun ocmfPair(file: String, timeBilling: TimeBilling = TimeBilling.LAW_ACCURATE_ONLY): OcmfTransactionReport =
    checkOcmfRecords(ocmfValues(file).map { OcmfInput(it.data, it.publicKey) }, timeBilling)

// ---------------------------------------------------------------- records signed here

fun ByteArray.hex(): String = joinToString("") { "%02X".format(it) }

/** A P-256 key pair of the JDK, and records signed with it (SHA256withECDSA, DER, hex). */
object JvmSigner {
    private val keys = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()

    /** The public key as hex SPKI DER. */
    val publicKeyHex: String = keys.public.encoded.hex()

    fun sign(payload: String): String {
        val s = Signature.getInstance("SHA256withECDSA")
        s.initSign(keys.private)
        s.update(payload.toByteArray(Charsets.UTF_8))
        return "OCMF|$payload|{\"SD\":\"${s.sign().hex()}\"}"
    }
}

fun ocmfPayload(pg: Int, tx: String, rv: String, minute: Int) =
    """{"FV":"1.0","GI":"TEST","GS":"G1","PG":"T$pg","MS":"METER-1","IS":true,"IL":"VERIFIED","IT":"ISO14443",""" +
        """"ID":"0A0B0C0D","RD":[{"TM":"2026-03-10T08:%02d:00,000+0000 S","TX":"$tx","RV":$rv,"RI":"1-b:1.8.0",""".format(minute) +
        """"RU":"kWh","EF":"","ST":"G"}]}"""

fun t16(minute: Int) = "2026-03-10T08:%02d:00Z".format(minute)

fun signedMv16(uid: String, minute: Int, record: String, context: String) = frame16(uid, "MeterValues",
    """{"connectorId":1,"transactionId":501,"meterValue":[{"timestamp":"${t16(minute)}","sampledValue":""" +
        """[{"value":${toJson(record)},"format":"SignedData","context":"$context"}]}]}""")

/** An OCPP 1.6 session: meterStart 1000, a periodic 4700 Wh, meterStop `stop`, and the signed begin/end. */
fun signedSession16(stop: Int, begin: String, end: String) = listOf(
    frame16("s", "StartTransaction", """{"connectorId":1,"idTag":"TAG1","meterStart":1000,"timestamp":"${t16(0)}"}"""),
    """[3,"s",{"transactionId":501,"idTagInfo":{"status":"Accepted"}}]""",
    signedMv16("sb", 0, begin, "Transaction.Begin"),
    frame16("m1", "MeterValues", """{"connectorId":1,"transactionId":501,"meterValue":[{"timestamp":"${t16(30)}",""" +
        """"sampledValue":[{"value":"4700","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}"""),
    signedMv16("se", 59, end, "Transaction.End"),
    frame16("x", "StopTransaction", """{"transactionId":501,"meterStop":$stop,"timestamp":"${t16(59)}","reason":"EVDisconnected"}"""),
).joinToString("\n")

// ---------------------------------------------------------------- checks

fun registerOcmfChecks() {
    checks["OCMF vectors: all 50 signed values get their index.json verdict"] = { _ ->
        val entries = ocmfIndex["values"].arr().map { it.obj() }
        checkEq(entries.size, 50, "indexed values")
        val counts = HashMap<String, Int>()
        val mismatches = ArrayList<String>()
        for (e in entries) {
            val file = e["file"] as String
            val i = num(e["value_index"]).toInt()
            val value = ocmfValues(file)[i]
            // The index's verdict is that of a verifier without secp192k1; for that curve its
            // arithmetic check is the verdict of one that has it, as chargekit does.
            val verdictKey = if (e["curve"] == "secp192k1") "signature_math_check" else "expected_verdict"
            val want = (e[verdictKey] as String).replace('-', '_')
            val v = verifyOcmf(value.data, value.publicKey)
            checkEq(v.verdict.name.lowercase(), v.verdict.wireName(), "$file #$i verdict enum and name agree")
            checkEq(v.isValid, v.verdict == Verdict.VALID, "$file #$i isValid")
            if (v.verdict.wireName() != want) {
                mismatches.add("$file #$i: want $want, got ${v.verdict.wireName()} (${v.reason?.wireName()})")
                continue
            }
            counts[want] = (counts[want] ?: 0) + 1
            val record = v.record
            if (record == null) {
                checkEq(v.reason, VerdictReason.UNSUPPORTED_FORMAT, "$file #$i reason without a record")
                continue
            }
            // The parsed record comes with the verdict; its summary matches the index.
            checkEq(record.payload.pagination.text, e["pagination"], "$file #$i PG")
            checkEq(record.payload.meterSerial, e["meter_serial"], "$file #$i MS")
            val readings = e["readings"].arr().map { it.obj() }
            checkEq(record.payload.readings.size, readings.size, "$file #$i readings")
            for ((r, w) in record.payload.readings.zip(readings)) {
                checkEq(r.valueText, w["RV"], "$file #$i RV text")
                w["RI"]?.let { checkEq(r.obis, it, "$file #$i RI") }
            }
            (e["curve"] as String?)?.let { checkEq(v.curve?.wireName(), it, "$file #$i curve") }
        }
        check(mismatches.isEmpty()) { mismatches.joinToString("\n  ", "verdicts differ:\n  ") }
        checkEq(counts, mapOf("valid" to 45, "invalid" to 4, "unsupported_algorithm" to 1), "verdict counts")
        note = "45 valid (2 on secp192k1), 4 invalid, 1 unsupported_algorithm"
    }
    checks["OCMF verifyOcmfMany: each input's verifyOcmf outcome, in order"] = { _ ->
        val inputs = ocmfIndex["values"].arr().map { it.obj() }.map { e ->
            ocmfValues(e["file"] as String)[num(e["value_index"]).toInt()].let { OcmfInput(it.data, it.publicKey) }
        }
        val outcomes = verifyOcmfMany(inputs + OcmfInput("OCMF|{", inputs[0].publicKey))
        checkEq(outcomes.size, 51, "one outcome per input")
        for ((input, outcome) in inputs.zip(outcomes)) {
            val v = (outcome as? OcmfOutcome.Verified)?.verification
            checkEq(v, verifyOcmf(input.data, input.publicKey), "${input.data.take(30)}: as verifyOcmf")
        }
        val last = outcomes.last()
        check(last is OcmfOutcome.Unreadable && last.error is ChargekitException.MissingSeparator) { "unreadable: $last" }
        checkEq(outcomes.count { (it as? OcmfOutcome.Verified)?.verification?.isValid == true }, 45, "valid")
        checkEq(verifyOcmfMany(emptyList()), emptyList<OcmfOutcome>(), "no inputs")
    }
    checks["OCMF vectors: why the failing ones fail"] = { _ ->
        fun reason(file: String, i: Int) = ocmfValues(file)[i].let { verifyOcmf(it.data, it.publicKey) }
        checkEq(reason("test_ocmf_keba_kcp30_fail.xml", 0).reason?.wireName(), "signature_mismatch", "KEBA with TM tampered")
        checkEq(reason("test_ocmf_ebee_02.xml", 0).reason, VerdictReason.SIGNATURE_MISMATCH, "ebee with RV tampered")
        checkEq(reason("second_key_fail_ocmf.xml", 1).reason, VerdictReason.KEY_CURVE_MISMATCH, "key of another curve")
        val k1 = reason("test_ocmf_transaction_two_values.xml", 0)
        checkEq(k1.verdict to k1.reason, Verdict.VALID to null, "secp192k1")
        checkEq(k1.curve, Curve.SECP192K1, "curve")
        val rsa = reason("test_ocmf_rsa_01.xml", 0)
        checkEq(rsa.format, SignedFormat.SAFE_SEAL, "RSA SAFE seal format")
        checkEq(rsa.record, null, "no OCMF record")
        checkEq(rsa.verdict.wireName(), "unsupported_algorithm", "verdictName")
        // The End of second_key_fail verifies with the Begin's secp256k1 key.
        val v = ocmfValues("second_key_fail_ocmf.xml")
        checkEq(verifyOcmf(v[1].data, v[0].publicKey).verdict, Verdict.VALID, "End with the Begin's key")
    }
    checks["OCMF tampering: one changed digit, time or key makes a valid record invalid"] = { _ ->
        val keba = ocmfValues("test_ocmf_keba_kcp30.xml")[0]
        checkEq(verifyOcmf(keba.data, keba.publicKey).verdict, Verdict.VALID, "original")
        for ((what, tampered) in listOf(
            "RV 0.2597 -> 0.2598" to keba.data.replace("0.2597", "0.2598"),
            "TM 10:03:36 -> 10:03:37" to keba.data.replace("10:03:36", "10:03:37"),
            "ID \"\" -> \"X\"" to keba.data.replace("\"ID\":\"\"", "\"ID\":\"X\""),
        )) {
            val v = verifyOcmf(tampered, keba.publicKey)
            checkEq(v.verdict to v.reason?.wireName(), Verdict.INVALID to "signature_mismatch", what)
        }
        val other = ocmfValues("test_ocmf_ebee_01.xml")[0].publicKey
        checkEq(verifyOcmf(keba.data, other).verdict, Verdict.INVALID, "another meter's key")
        // The ebee Begin changed after signing: two checks fail, the energy is not billable.
        val ebee = ocmfValues("test_ocmf_ebee_01.xml")
        val report = checkOcmfTransaction(ebee[0].data.replace("7753", "7763"), ebee[1].data, ebee[0].publicKey)
        checkEq(report.failedNames, listOf("signature_valid", "value_monotonic"), "failed checks")
        checkEq(report.failed.map { it.check }, listOf(TransactionCheck.SIGNATURE_VALID, TransactionCheck.VALUE_MONOTONIC), "checks")
        check(report.failed.all { it.detail.isNotBlank() && it.blocksEnergy }) { "details: ${report.failed}" }
        checkEq(report.energyBillable to report.passed, false to false, "energyBillable, passed")
        checkEq(report.verifications.map { it.verdict.wireName() }, listOf("invalid", "valid"), "verdicts")
    }
    checks["OCMF transactions that pass: energy as written, unit, billable time"] = { _ ->
        for ((file, energy, unit) in listOf(
            Triple("test_ocmf_ebee_01.xml", "0", ReadingUnit.Wh),
            Triple("test_ocmf_keba_kcp30.xml", "0.0001", ReadingUnit.Kwh),
            Triple("brainpoolP256r1.xml", "0", ReadingUnit.Wh),
            Triple("nistP384_0Wh.xml", "0", ReadingUnit.Wh),
            Triple("VW_OCMF_load.xml", "1.101", ReadingUnit.Kwh),
            Triple("Ocmf_Example_OBIS_98.8.0_2.8.0.xml", "1.0", ReadingUnit.Kwh),
            Triple("chargepoint_3.xml", "1.304", ReadingUnit.Kwh),
            Triple("OCMF_Test_Data_00.xml", "0.000", ReadingUnit.Kwh),
            Triple("ocmf_sec.xml", "0.000", ReadingUnit.Kwh),
            Triple("ocmf_tariff_1.xml", "0.0000", ReadingUnit.Kwh),
        )) {
            val r = ocmfPair(file)
            check(r.passed && r.failed.isEmpty()) { "$file: ${r.failedNames}" }
            check(r.energyBillable) { "$file not billable" }
            val e = r.energy!!
            // Exact, with the decimals of the RV texts (BigDecimal.equals compares the scale).
            checkEq(e.value, BigDecimal(energy), "$file energy")
            checkEq(e.unit, unit, "$file unit")
        }
        val vw = ocmfPair("VW_OCMF_load.xml")
        checkEq(vw.durationS, 77L, "VW durationS")
        checkDec(vw.energy?.wh, "1101", "VW energy in Wh")
        check(vw.timeBillable && ocmfPair("brainpoolP256r1.xml").timeBillable) { "S..S and R..R are law-accurate" }
        check(!ocmfPair("test_ocmf_keba_kcp30.xml").timeBillable) { "I..R is not law-accurate" }
        check(ocmfPair("test_ocmf_keba_kcp30.xml", TimeBilling.ANY_CLOCK).timeBillable) { "ANY_CLOCK accepts I..R" }
        // One record holding begin and end: passed as both.
        val keba = ocmfValues("test_ocmf_keba_kcp30.xml")[0]
        val one = checkOcmfTransaction(keba.data, keba.data, keba.publicKey)
        checkEq(one.passed to one.verifications.size, true to 1, "single record")
    }
    checks["OCMF transactions that fail name their checks"] = { _ ->
        checkEq(ocmfPair("test_ocmf_keba_kcp30_fail.xml").failedNames, listOf("signature_valid"), "KEBA fail")
        checkEq(ocmfPair("second_key_fail_ocmf.xml").failedNames, listOf("signature_valid", "same_public_key"), "key change")
        checkEq(ocmfPair("20211007-device-with-evt-ocmf-sss-ses.xml").failedNames, listOf("billing_register"), "Bauer")
        val isa = ocmfPair("OCMF-receipt-with_publickey_and_data.xml")
        checkEq(isa.failedNames, listOf("meter_status_ok", "no_energy_error"), "ISA flags")
        check(!isa.energyBillable) { "ISA energy billable" }
        checkEq(ocmfPair("test_ocmf_transaction_two_values.xml").failedNames,
            listOf("same_identification", "pagination_contiguous", "no_exception"), "secp192k1 pair")
        val ebz = ocmfPair("test_ebz_ld3_secp192r1.xml")
        check(ebz.verifications.all { it.isValid }) { "P-192 signatures" }
        checkEq(ebz.failedNames, listOf("pagination_contiguous", "single_begin", "single_end"), "EBZ")
        checkEq(TransactionCheck.entries.size, 18, "checks")
        checkEq(TransactionCheck.entries.map { it.wireName() }.toSet().size, 18, "one name per check")
    }
    checks["OCMF record fields: exact values, typed enums, vendor keys"] = { _ ->
        val keba = parseOcmf(ocmfValues("test_ocmf_keba_kcp30.xml")[0].data)
        val p = keba.payload
        checkEq(p.pagination.context to p.pagination.counter, PaginationContext.TRANSACTION to 32UL, "PG T32")
        checkEq(p.gatewayId, "KEBA_KCP30", "GI")
        checkEq(p.identification.level, IdentificationLevel.None, "IL NONE")
        checkEq(p.identification.flags.size, 4, "IF")
        val (b, e) = p.readings
        checkEq(b.transaction to e.transaction, TxKind.Begin to TxKind.End, "TX")
        checkEq(e.value, BigDecimal("0.2597"), "RV exact with its scale")
        checkEq(e.valueWh, BigDecimal("259.7000"), "RV in Wh")
        checkEq(b.time?.status to e.time?.status, TimeStatus.Informative to TimeStatus.Relative, "clock status")
        checkEq(b.time?.at, Instant.parse("2019-08-13T10:03:15Z"), "TM instant")
        checkEq(b.time?.offsetS, 0, "TM offset")
        checkEq(e.status, MeterStatus.Ok, "ST G")
        checkEq(e.unit, ReadingUnit.Kwh, "RU")
        checkEq(e.obisCode?.isBillingImport, true, "1-b:1.8.0 is the billing register")
        checkEq(keba.recordText, ocmfValues("test_ocmf_keba_kcp30.xml")[0].data.trim(), "recordText")
        check(keba.signature.algorithm == null && keba.signature.data.startsWith("3045")) { "signature ${keba.signature}" }
        // The Bauer meter: vendor keys kept as JSON text, error flags read.
        val bauer = parseOcmf(ocmfValues("20211007-device-with-evt-ocmf-sss-ses.xml")[0].data)
        val rd = bauer.payload.readings[0]
        checkEq(rd.extra["XV"], "76040", "vendor key XV")
        check(rd.energyError && rd.timeError) { "EF Et" }
        checkEq(rd.time?.offsetS, 7200, "+0200")
        // chargepoint_3: RV as a padded string, FV as a number, both tolerated and noted.
        val cp = parseOcmf(ocmfValues("chargepoint_3.xml")[0].data)
        check(ParseNote.RV_AS_STRING in cp.payload.notes && ParseNote.FV_AS_NUMBER in cp.payload.notes) { "notes ${cp.payload.notes}" }
    }
    checks["OCMF input errors are typed exceptions, a bad signature is not"] = { _ ->
        expectThrows<ChargekitException.MissingSeparator>("two sections") { parseOcmf("OCMF|{}") }
        expectThrows<ChargekitException.EmptySignedData>("empty") { parseOcmf("   ") }
        val header = expectThrows<ChargekitException.BadHeader>("header") { parseOcmf("OCMX|{}|{}") }
        checkEq(header.found, "OCMX", "found")
        val json = expectThrows<ChargekitException.PayloadJson>("payload") { parseOcmf("OCMF|{\"PG\":|{\"SD\":\"00\"}") }
        check(json.reason.isNotBlank()) { "reason" }
        val keba = ocmfValues("test_ocmf_keba_kcp30.xml")[0]
        val key = expectThrows<ChargekitException.PublicKey>("key") { verifyOcmf(keba.data, "not a key!") }
        check(key.toString().startsWith("public key:")) { "toString: $key" }
        val noSig = keba.data.replace(Regex("\"SD\":\"[0-9A-F]+\""), "\"SD\":\"\"")
        expectThrows<ChargekitException.NoSignature>("empty SD") { verifyOcmf(noSig, keba.publicKey) }
        // A well-formed record with a wrong signature is a verdict, not an error.
        val wrong = keba.data.replace("265699\"}", "265698\"}")
        check(wrong != keba.data) { "signature not changed" }
        checkEq(verifyOcmf(wrong, keba.publicKey).reason?.wireName(), "signature_mismatch", "last signature digit changed")
    }
    checks["OCMF transport forms: hex, Base64, OCPP 2.0.1 signedMeterValue, OCPI"] = { _ ->
        val keba = ocmfValues("test_ocmf_keba_kcp30.xml")[0]
        val record = keba.data.trim()
        val hex = record.toByteArray().hex()
        val d = decodeSignedData(hex)
        checkEq(d.container to d.format, Container.HEX to SignedFormat.OCMF, "hex")
        checkEq(d.text, record, "text")
        checkEq(verifyOcmf(hex, keba.publicKey).verdict, Verdict.VALID, "hex form verifies")
        val b64 = Base64.getEncoder().encodeToString(record.toByteArray())
        val ocpp201 = """{"signedMeterData":"$b64","signingMethod":"","encodingMethod":"OCMF","publicKey":"MFkw"}"""
        val w = decodeSignedData(ocpp201)
        checkEq(w.container to w.publicKey, Container.OCPP201 to "MFkw", "OCPP 2.0.1 wrapper")
        checkEq(verifyOcmf(ocpp201, keba.publicKey).verdict, Verdict.VALID, "wrapped form verifies")
        val ocpi = signedDataFromOcpi("""{"encoding_method":"OCMF","public_key":"MFkw","signed_values":[""" +
            """{"nature":"Start","plain_data":"","signed_data":"$b64"}]}""")
        checkEq(ocpi.map { it.nature to it.text }, listOf("Start" to record), "OCPI signed values")
        checkEq(decodeSignedData("AP;0;3;ALCV;BIHE;CQ;").format, SignedFormat.ALFEN, "Alfen recognised")
        expectThrows<ChargekitException.SignedDataContainer>("OCPI without values") { signedDataFromOcpi("""{"public_key":"x"}""") }
    }
    checks["Session.provenEnergy: records signed by the JDK prove 7400 Wh; changes are caught"] = { _ ->
        val begin = JvmSigner.sign(ocmfPayload(10, "B", "1.000", 0))
        val end = JvmSigner.sign(ocmfPayload(11, "E", "8.400", 59))
        // The JDK's signature verifies in core (DER, P-256, SPKI key).
        checkEq(verifyOcmf(begin, JvmSigner.publicKeyHex).verdict, Verdict.VALID, "JDK-signed record")
        val s = sessionFromMessages(signedSession16(8400, begin, end), "1.6", "CP-1")
        checkDec(s.energyWh(), "7400", "unsigned energy")
        val p = s.provenEnergy(JvmSigner.publicKeyHex)
        check(p.report?.passed == true) { "failed: ${p.report?.failedNames}" }
        checkDec(p.energyWh, "7400", "proven energy")
        checkEq(p.report?.energy?.value, BigDecimal("7.400"), "billable energy as written")
        check(p.isConsistent && p.anomalies.isEmpty() && p.unreadable.isEmpty()) { "consistent: $p" }
        // meterStop says 8500: the series bills 7500 Wh, the signatures prove 7400.
        val changed = sessionFromMessages(signedSession16(8500, begin, end), "1.6", "CP-1").provenEnergy(JvmSigner.publicKeyHex)
        checkDec(changed.unsignedEnergyWh, "7500", "unsigned")
        checkDec(changed.energyWh, "7400", "proven")
        checkEq(changed.anomalies.map { it.kind.wireName() }, listOf("start_stop_mismatch"), "anomalies")
        check(!changed.isConsistent) { "consistent despite the mismatch" }
        // The signed end changed after signing: nothing is proven.
        val forged = sessionFromMessages(signedSession16(8400, begin, end.replace("8.400", "9.400")), "1.6", "CP-1")
            .provenEnergy(JvmSigner.publicKeyHex)
        checkEq(forged.energyWh, null, "no proven energy")
        check("signature_valid" in forged.report!!.failedNames) { "failed: ${forged.report?.failedNames}" }
        expectThrows<ChargekitException.PublicKey>("unreadable key") { s.provenEnergy("nope") }
    }
}

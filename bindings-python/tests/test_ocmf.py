"""chargekit.ocmf: the S.A.F.E. OCMF vectors of core/tests/vectors/ocmf with their
verdicts, transaction checks, tampering and malformed input."""

import base64
import binascii
import gc
import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import chargekit
from chargekit import ocmf
from chargekit.ocpp import session_from_messages
from ocpp_builders import call, start16, stop16, ts

VECTORS = Path(__file__).resolve().parents[2] / "core" / "tests" / "vectors" / "ocmf"
INDEX = json.loads((VECTORS / "index.json").read_text())
VERDICT = {"valid": "valid", "invalid": "invalid", "unsupported-algorithm": "unsupported_algorithm"}


def _inner(block, tag):
    m = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", block, re.S)
    return m.group(1) if m else None


def values(file):
    """The ``<value>`` elements of a vector file: (signed text as stored, public key text),
    read as the core's test support reads them (raw element text, no XML unescaping)."""
    xml = (VECTORS / file).read_bytes().decode("utf-8", errors="replace")
    out = []
    for block in re.findall(r"<value(?!s)[^>]*>(.*?)</value>", xml, re.S):
        data = _inner(block, "signedData")
        if data is None:
            data = _inner(block, "encodedData")
        out.append((data, _inner(block, "publicKey")))
    return out


KEBA, KEBA_KEY = values("test_ocmf_keba_kcp30.xml")[0]


def entry_id(e):
    return f"{e['file']}#{e['value_index']}"


def expected(entry):
    """The index's verdict is that of a verifier without secp192k1; for that curve its
    arithmetic check is the verdict of one that has it, as chargekit does."""
    if entry.get("curve") == "secp192k1":
        return VERDICT[entry["signature_math_check"]]
    return VERDICT[entry["expected_verdict"]]


def test_index_has_50_values():
    assert len(INDEX["values"]) == 50
    verdicts = [expected(e) for e in INDEX["values"]]
    assert (verdicts.count("valid"), verdicts.count("invalid"), verdicts.count("unsupported_algorithm")) == (45, 4, 1)


@pytest.mark.parametrize("entry", INDEX["values"], ids=entry_id)
def test_vector_verdict(entry):
    data, key = values(entry["file"])[entry["value_index"]]
    v = ocmf.verify(data, key)
    assert v.verdict == expected(entry)
    assert bool(v) == v.is_valid == (v.verdict == "valid")
    if v.record is None:
        assert (v.format, v.reason) == ("safe_seal", "unsupported_format")
        return
    assert v.format == "ocmf"
    if entry.get("curve"):
        assert v.curve == entry["curve"]
    r = v.record
    assert r.pagination == entry["pagination"]
    assert r.meter_serial == entry["meter_serial"]
    assert len(r.readings) == len(entry["readings"])
    for got, want in zip(r.readings, entry["readings"]):
        assert got.value_text == want["RV"]
        assert type(got.value) is Decimal
        # the index summarises fields as written; ours are inherited where omitted
        for ours, key_ in ((got.unit, "RU"), (got.obis, "RI"), (got.status, "ST"), (got.transaction, "TX")):
            if want.get(key_) is not None:
                assert ours == want[key_], key_


@pytest.mark.parametrize(
    "file, index, reason",
    [
        ("test_ocmf_keba_kcp30_fail.xml", 0, "signature_mismatch"),
        ("test_ocmf_ebee_02.xml", 0, "signature_mismatch"),
        ("second_key_fail_ocmf.xml", 1, "key_curve_mismatch"),
        ("OCMF-receipt-with_import_and_export.xml", 0, "signature_mismatch"),
        ("test_ocmf_rsa_01.xml", 0, "unsupported_format"),
    ],
)
def test_reasons_of_the_failing_vectors(file, index, reason):
    data, key = values(file)[index]
    assert ocmf.verify(data, key).reason == reason


def test_record_fields():
    r = ocmf.parse(KEBA)
    assert isinstance(r, ocmf.OcmfRecord)
    assert (r.gateway_id, r.gateway_serial, r.pagination, r.format_version) == ("KEBA_KCP30", "17619300", "T32", "1.0")
    begin, end = r.readings
    assert (begin.transaction, end.transaction) == ("B", "E")
    assert (begin.value, end.value_text, end.unit) == (Decimal("0.2596"), "0.2597", "kWh")
    assert end.value_wh == Decimal("259.7")
    assert begin.time == datetime(2019, 8, 13, 10, 3, 15, tzinfo=timezone.utc)
    assert begin.time_status == "I" and end.time_status == "R"
    assert begin.status == "G" and begin.obis == "1-b:1.8.0" and begin.is_energy
    assert r.identification == {"status": False, "level": "NONE", "type": "NONE", "data": "",
                                "flags": ["RFID_NONE", "OCPP_NONE", "ISO15118_NONE", "PLMN_NONE"]}
    # the exact signed bytes, and a dict view of them with exact numbers
    assert r.to_record_text() == KEBA.strip()
    assert r.payload["RD"][1]["RV"] == Decimal("0.2597")
    assert r.signature["SD"] == r.signature_data
    assert r.signature_algorithm is None  # the default ECDSA-secp256r1-SHA256 applies
    assert ocmf.verify(KEBA, KEBA_KEY).algorithm == "ECDSA-secp256r1-SHA256"

    isa, _ = values("OCMF-receipt-with_publickey_and_data.xml")[0]
    r = ocmf.parse(isa)
    assert r.tariff_text == "0,42 EUR/kWh" and r.charge_point_id == "CP-DE-4711"
    assert r.readings[0].value_text == "00000000.000" and r.readings[0].value == 0
    assert "rv_as_string" in r.notes
    bauer, _ = values("20211007-device-with-evt-ocmf-sss-ses.xml")[0]
    rd = ocmf.parse(bauer).readings[0]
    assert rd.energy_error and rd.time_error
    assert rd.extra["XV"] == 76040
    vw, _ = values("VW_OCMF_load.xml")[0]
    rd = ocmf.parse(vw).readings
    assert rd[1].inherited == ["TM", "TX", "RT", "EF"] and rd[1].time == rd[0].time


def test_key_forms_hex_spaced_and_base64_der_agree():
    key_bytes = binascii.unhexlify(KEBA_KEY.replace(" ", ""))
    forms = [
        KEBA_KEY,
        KEBA_KEY.lower(),
        " ".join(KEBA_KEY[i:i + 4] for i in range(0, len(KEBA_KEY), 4)),
        base64.b64encode(key_bytes).decode(),
        key_bytes[-65:].hex(),  # the raw uncompressed point
    ]
    assert {ocmf.verify(KEBA, k).verdict for k in forms} == {"valid"}


def test_tampering_is_invalid_not_an_error():
    v = ocmf.verify(KEBA.replace("0.2597", "0.2598"), KEBA_KEY)
    assert (v.verdict, v.reason) == ("invalid", "signature_mismatch")
    assert v.record.readings[1].value_text == "0.2598"  # the record is returned with the verdict
    # a changed signature byte
    sd = ocmf.parse(KEBA).signature_data
    flipped = sd[:-2] + ("00" if sd[-2:] != "00" else "01")
    assert ocmf.verify(KEBA.replace(sd, flipped), KEBA_KEY).verdict == "invalid"
    # a whitespace change inside the payload changes the signed bytes
    assert ocmf.verify(KEBA.replace('"FV":"1.0"', '"FV": "1.0"'), KEBA_KEY).verdict == "invalid"
    # another meter's key
    _, other_key = values("test_ocmf_ebee_01.xml")[0]
    assert ocmf.verify(KEBA, other_key).verdict == "invalid"


def test_transactions_that_pass():
    report = ocmf.check_transaction(KEBA, KEBA, KEBA_KEY)
    assert report.passed and report.failed == [] and report.failed_names == []
    assert report.energy.value == Decimal("0.0001") and report.energy.unit == "kWh"
    assert report.energy.wh == Decimal("0.1")
    assert (report.energy.begin_text, report.energy.end_text) == ("0.2596", "0.2597")
    assert report.energy_billable and not report.time_billable  # I..R clocks
    assert len(report.verifications) == 1

    ((vw, key),) = values("VW_OCMF_load.xml")  # one record with begin and end
    report = ocmf.check_transaction(vw, vw, key)
    assert report.passed and report.time_billable and report.duration_s == 77
    assert str(report.energy.value) == "1.101"


@pytest.mark.parametrize(
    "file, failed",
    [
        ("test_ocmf_ebee_02.xml", ["signature_valid", "value_monotonic"]),
        ("test_ocmf_keba_kcp30_fail.xml", ["signature_valid"]),
        ("second_key_fail_ocmf.xml", ["signature_valid", "same_public_key"]),
        ("20211007-device-with-evt-ocmf-sss-ses.xml", ["billing_register"]),
        ("OCMF-receipt-with_publickey_and_data.xml", ["meter_status_ok", "no_energy_error"]),
        (
            "test_ocmf_transaction_two_values.xml",
            ["same_identification", "pagination_contiguous", "no_exception"],
        ),
    ],
)
def test_transactions_that_fail_name_each_check(file, failed):
    vals = values(file)
    report = ocmf.check_records(vals)
    assert report.failed_names == failed
    assert [f.check for f in report.failed] == failed
    assert all(f.detail for f in report.failed) or file.startswith("20211007")
    assert report.has_failed(failed[0]) and not report.passed
    if len(vals) == 2 and len({k for _, k in vals}) == 1:
        assert ocmf.check_transaction(vals[0][0], vals[1][0], vals[0][1]).failed_names == failed


def test_tampered_begin_names_the_checks():
    b, key = values("test_ocmf_ebee_01.xml")[0]
    e, _ = values("test_ocmf_ebee_01.xml")[1]
    assert ocmf.check_transaction(b, e, key).passed
    rv = ocmf.parse(b).readings[0].value_text
    report = ocmf.check_transaction(b.replace(f'"RV":{rv}', f'"RV":{int(rv) + 10}'), e, key)
    assert "signature_valid" in report.failed_names
    assert report.verifications[0].verdict == "invalid" and report.verifications[1].verdict == "valid"
    assert not report.energy_billable
    sig = next(f for f in report.failed if f.check == "signature_valid")
    assert sig.blocks_energy and sig.blocks_time


def test_check_records_options():
    series = values("measurements.xml")
    r = ocmf.check_records(series[:20], time_billing="any_clock")
    assert not r.has_failed("pagination_contiguous") and r.has_failed("single_begin")
    with pytest.raises(ValueError):
        ocmf.check_records(series[:2], time_billing="sometimes")
    with pytest.raises(ValueError):
        r.has_failed("no_such_check")


@pytest.mark.parametrize(
    "text, cls, attrs",
    [
        ("", chargekit.EmptySignedDataError, {}),
        ("   ", chargekit.EmptySignedDataError, {}),
        ("OCMF|{}", chargekit.MissingSeparatorError, {}),
        ('XYZ|{"PG":"T1"}|{"SD":"00"}', chargekit.BadHeaderError, {"found": "XYZ"}),
        ('OCMF|{"PG":|{"SD":"00"}', chargekit.PayloadJsonError, {}),
        ('OCMF|{"PG":"T1","RD":[]}|{"SD":', chargekit.SignatureJsonError, {}),
        ('OCMF|{"PG":"T1","RD":[{"TM":"yesterday","RV":1,"RU":"Wh"}]}|{"SD":"00"}',
         chargekit.OcmfFieldError, {"field": "RD[0].TM"}),
    ],
)
def test_malformed_records_are_typed_errors(text, cls, attrs):
    with pytest.raises(cls) as info:
        ocmf.parse(text)
    err = info.value
    assert isinstance(err, chargekit.OcmfError) and isinstance(err, chargekit.ChargekitError)
    assert err.kind == cls.kind and err.kind
    for k, v in attrs.items():
        assert getattr(err, k) == v
    assert str(err)


def test_verification_errors():
    r = ocmf.parse(KEBA)
    no_sd = f"OCMF|{r.payload_text}|{{\"SD\":\"\"}}"
    with pytest.raises(chargekit.NoSignatureError):
        ocmf.verify(no_sd, KEBA_KEY)
    with pytest.raises(chargekit.SignatureEncodingError):
        ocmf.verify(f"OCMF|{r.payload_text}|{{\"SD\":\"XYZ\"}}", KEBA_KEY)
    with pytest.raises(chargekit.SignatureFormatError):
        ocmf.verify(f"OCMF|{r.payload_text}|{{\"SD\":\"0011\"}}", KEBA_KEY)
    with pytest.raises(chargekit.PublicKeyError) as info:
        ocmf.verify(KEBA, "not a key")
    assert info.value.kind == "public_key" and info.value.reason
    with pytest.raises(chargekit.SignedDataTooLargeError) as info:
        ocmf.parse("OCMF|" + " " * 2_000_000 + "|{}")
    assert info.value.size > info.value.limit
    with pytest.raises(TypeError):
        ocmf.parse(42)
    # bytes are read as UTF-8 text
    assert ocmf.verify(KEBA.encode(), KEBA_KEY).verdict == "valid"


def test_proven_energy_of_a_session():
    """A 1.6 session whose MeterValues carry the KEBA record as signed begin and end."""

    def signed_mv(uid, at, context):
        return call(uid, "MeterValues", {
            "connectorId": 1, "transactionId": 7,
            "meterValue": [{"timestamp": ts(at), "sampledValue": [
                {"value": KEBA.strip(), "format": "SignedData", "context": context}]}],
        })

    frames = [*start16("s", 7, 259, "08:00:00"), signed_mv("b", "08:00:01", "Transaction.Begin"),
              signed_mv("e", "08:59:59", "Transaction.End"), stop16("x", 7, 260, "09:00:00")]
    session = session_from_messages(frames, "1.6")
    assert any(r.signed_data for r in session.readings)
    p = ocmf.proven_energy(session, KEBA_KEY)
    assert p.report is not None and p.report.verifications[0].verdict == "valid"
    assert p.energy_wh == Decimal("0.1")
    assert p.unsigned_energy_wh == 1
    assert not p.is_consistent and p.anomalies  # the unsigned series says 1 Wh
    assert {a.kind for a in p.anomalies} == {"start_stop_mismatch"}
    with pytest.raises(chargekit.PublicKeyError):
        ocmf.proven_energy(session, "zz")
    plain = session_from_messages([*start16("s", 8, 0, "08:00:00"), stop16("x", 8, 10, "09:00:00")], "1.6")
    p = ocmf.proven_energy(plain, KEBA_KEY)
    assert p.report is None and p.energy_wh is None and p.unreadable == []


def test_verify_many_equals_verify_on_every_vector():
    pairs = [values(e["file"])[e["value_index"]] for e in INDEX["values"]]
    many = ocmf.verify_many(pairs)
    assert len(many) == 50
    for (data, key), got in zip(pairs, many):
        assert got == ocmf.verify(data, key)
    assert [v.verdict for v in many].count("valid") == 45


def test_verify_many_with_one_key_keeps_order_and_returns_errors():
    keba_fail, _ = values("test_ocmf_keba_kcp30_fail.xml")[0]
    records = [KEBA, "OCMF|{", KEBA.encode(), keba_fail, "not signed data at all"]
    got = ocmf.verify_many(iter(records), KEBA_KEY)
    assert [type(g).__name__ for g in got][0] == "Verification"
    assert (got[0].verdict, got[2].verdict, got[3].verdict) == ("valid", "valid", "invalid")
    assert got[3].reason == "signature_mismatch"
    # Unreadable records are their exceptions, in place, not raised.
    for bad in (got[1], got[4]):
        assert isinstance(bad, chargekit.OcmfError)
        with pytest.raises(type(bad)):
            ocmf.verify(records[got.index(bad)], KEBA_KEY)
    assert ocmf.verify_many([], KEBA_KEY) == []
    # A key that does not decode is an error for each record, as with `verify`.
    bad_key = ocmf.verify_many([KEBA, KEBA], "zz")
    assert all(isinstance(b, chargekit.ChargekitError) for b in bad_key)
    with pytest.raises(TypeError):
        ocmf.verify_many([KEBA])  # no key: pairs expected
    with pytest.raises(TypeError):
        ocmf.verify_many(KEBA, KEBA_KEY)  # one record is not an iterable of records


def test_a_batch_pauses_the_gc_only_while_it_builds_its_records(gc_collections):
    # verify_many builds its records with the cyclic GC paused: with a collection due at
    # every new container, 200 records would set off thousands; the GC's state, whichever
    # it was, is the same afterwards.
    records = [KEBA] * 200
    for enabled in (True, False, True):
        during, got = gc_collections(enabled, lambda: ocmf.verify_many(records, KEBA_KEY))
        assert during <= 3, during
        assert gc.isenabled() is enabled
        assert [v.verdict for v in got] == ["valid"] * 200


def test_secp192k1_records_verify():
    (begin, key), (end, _) = values("test_ocmf_transaction_two_values.xml")
    v = ocmf.verify(begin, key)
    assert (v.verdict, v.curve, v.reason) == ("valid", "secp192k1", None)
    assert ocmf.verify(begin.replace("3.51824", "3.51825"), key).verdict == "invalid"
    assert not ocmf.check_transaction(begin, end, key).has_failed("signature_valid")

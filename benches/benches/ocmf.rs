//! OCMF records verified per second, per curve: the whole path from record and
//! key text (`verify`), the signature check alone on a parsed record and a
//! decoded key (`verify_record`), and parsing alone.
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::signed::{
    parse, verify, verify_many, verify_record, Curve, PublicKey, SignedInput, Verdict,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

/// A KEBA-like payload with begin and end readings (the S.A.F.E. test data's shape).
const PAYLOAD: &str = r#"{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","GV":"2.8.5","PG":"T32","IS":false,"IL":"NONE","IF":["RFID_NONE","OCPP_NONE","ISO15118_NONE","PLMN_NONE"],"IT":"NONE","ID":"","RD":[{"TM":"2019-08-13T10:03:15,000+0000 I","TX":"B","EF":"","ST":"G","RV":0.2596,"RI":"1-b:1.8.0","RU":"kWh"},{"TM":"2019-08-13T10:03:36,000+0000 R","TX":"E","EF":"","ST":"G","RV":0.2597,"RI":"1-b:1.8.0","RU":"kWh"}]}"#;

macro_rules! sign_with {
    ($curve:ty, $secret:expr) => {{
        use sha2::Digest as _;
        let sk = ecdsa::SigningKey::<$curve>::from_slice($secret).ok()?;
        let digest = sha2::Sha256::digest(PAYLOAD.as_bytes());
        let (sig, _) = ecdsa::hazmat::sign_prehashed_rfc6979::<$curve, sha2::Sha256>(
            sk.as_nonzero_scalar(),
            &digest,
            &[],
        );
        (
            sk.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            sig.to_bytes().to_vec(),
        )
    }};
}

/// (record, public key as hex of the uncompressed point) for `curve`.
fn record(curve: Curve) -> Option<(String, String)> {
    let secret = vec![0x11u8; curve.field_bytes()];
    let (point, rs) = match curve {
        Curve::Secp256r1 => sign_with!(p256::NistP256, &secret),
        Curve::Secp384r1 => sign_with!(p384::NistP384, &secret),
        Curve::Secp256k1 => sign_with!(k256::Secp256k1, &secret),
        Curve::Secp192r1 => sign_with!(p192::NistP192, &secret),
        Curve::Brainpool256r1 => sign_with!(bp256::BrainpoolP256r1, &secret),
        Curve::Brainpool384r1 => sign_with!(bp384::BrainpoolP384r1, &secret),
        // No signing crate exists for secp192k1: take the published vector (OpenSSL-signed).
        Curve::Secp192k1 => return secp192k1_vector(),
    };
    let section = format!(
        r#"{{"SA":"ECDSA-{}-SHA256","SD":"{}"}}"#,
        curve.as_str(),
        hex::encode_upper(rs)
    );
    Some((
        format!("OCMF|{PAYLOAD}|{section}"),
        hex::encode_upper(point),
    ))
}

/// The secp192k1 record of the `ocmf` crate's vectors (core/tests/vectors/ocmf-crate).
fn secp192k1_vector() -> Option<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/vectors/ocmf-crate/curves.json"
    );
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let v = file["vectors"]
        .as_array()?
        .iter()
        .find(|v| v["curve"] == "secp192k1")?;
    Some((
        v["record"].as_str()?.to_owned(),
        v["key_spki_hex"].as_str()?.to_owned(),
    ))
}

fn ocmf(c: &mut Criterion) {
    let mut g = c.benchmark_group("ocmf_verify");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    for curve in Curve::ALL.iter().copied() {
        let (text, key) = record(curve).expect("every curve has a benchmark record");
        let ok = verify(&text, &key).map(|v| v.verdict == Verdict::Valid);
        assert!(matches!(ok, Ok(true)), "{curve}: {ok:?}");
        g.bench_function(format!("{curve}/text"), |b| {
            b.iter(|| black_box(verify(black_box(&text), black_box(&key)).map(|v| v.verdict)))
        });
        if let (Ok(parsed), Ok(decoded)) = (parse(&text), PublicKey::decode(&key)) {
            g.bench_function(format!("{curve}/parsed"), |b| {
                b.iter(|| black_box(verify_record(black_box(&parsed), &decoded).map(|v| v.verdict)))
            });
        }
    }
    g.finish();

    // A batch of 1,000 P-256 records under one key: `verify_many` against `verify` in a loop.
    let mut g = c.benchmark_group("ocmf_verify_batch");
    g.throughput(Throughput::Elements(1_000));
    g.sample_size(10);
    let (text, key) = record(Curve::Secp256r1).expect("P-256 record");
    let inputs: Vec<SignedInput> = (0..1_000)
        .map(|_| SignedInput {
            data: text.clone(),
            public_key: key.clone(),
        })
        .collect();
    assert!(verify_many(&inputs)
        .iter()
        .all(|v| v.as_ref().is_ok_and(|v| v.is_valid)));
    g.bench_function("secp256r1/verify_many", |b| {
        b.iter(|| black_box(verify_many(black_box(&inputs)).len()))
    });
    g.bench_function("secp256r1/verify_loop", |b| {
        b.iter(|| {
            black_box(
                inputs
                    .iter()
                    .filter(|i| verify(&i.data, &i.public_key).is_ok_and(|v| v.is_valid))
                    .count(),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("ocmf_parse");
    g.throughput(Throughput::Elements(1));
    if let Some((text, _)) = record(Curve::Secp256r1) {
        g.bench_function("keba_record", |b| {
            b.iter(|| black_box(parse(black_box(&text)).is_ok()))
        });
    }
    g.finish();
}

criterion_group!(benches, ocmf);
criterion_main!(benches);

//! OCMF records verified per second, per curve: the whole path from record and
//! key text (`verify`), the signature check alone on a parsed record and a
//! decoded key (`verify_record`), and parsing alone.
#![allow(missing_docs)]

use chargekit::signed::{parse, verify, verify_record, Curve, PublicKey, Verdict};
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
        Curve::Secp192k1 => return None,
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

fn ocmf(c: &mut Criterion) {
    let mut g = c.benchmark_group("ocmf_verify");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    for curve in Curve::ALL.iter().copied().filter(|c| c.is_supported()) {
        let Some((text, key)) = record(curve) else {
            continue;
        };
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

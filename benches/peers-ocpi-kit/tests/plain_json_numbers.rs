//! Issue 16 item 4: chargekit built together with a crate that reads JSON numbers with plain
//! serde_json, ocpi-kit 0.4, in ONE build (this crate's: one Cargo.lock, one serde_json, one
//! rust_decimal), and both work. chargekit enables neither serde_json's
//! `arbitrary_precision` nor rust_decimal's `serde-arbitrary-precision`; if it did, cargo
//! would unify the feature into this build, a JSON number would reach ocpi-kit's `Number`
//! visitor as a map, and ocpi-kit could not read a tariff at all: with the feature turned on
//! by hand in this crate's Cargo.toml, `ocpi_kit_reads_the_same_tariff_json_with_numbers`
//! fails with "invalid type: map, expected a JSON number" (chargekit's test still passes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chargekit::billing::PricingPolicy;
use chargekit::tariff::Tariff;
use chargekit_benches::pricing::{CDR_11_PERIODS, CDR_2_PERIODS, TOU_TARIFF};
use chargekit_benches_peers_ocpi_kit::{chargekit_price_json, kit_price_json, kit_tariff};
use ocpi_kit::v2_3_0::tariffs::TariffDimensionType;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn chargekit_prices_the_cdr_exactly() {
    let r = chargekit_price_json(CDR_2_PERIODS, TOU_TARIFF, &PricingPolicy::default()).unwrap();
    // Decimal totals, digits and scale (the default reading: 40 min of parking).
    assert_eq!(r.total_cost.excl_vat, dec("9.26"));
    assert_eq!(r.total_cost.excl_vat.to_string(), "9.26");
    assert_eq!(r.total_cost.incl_vat, Some(dec("11.21")));
    let r = chargekit_price_json(CDR_11_PERIODS, TOU_TARIFF, &PricingPolicy::default()).unwrap();
    assert_eq!(r.total_cost.excl_vat.to_string(), "35.44");
    // Prices are read from the number's text: the scale is kept, and digits past an f64.
    let t = Tariff::from_json(TOU_TARIFF).unwrap();
    let fallback = &t.elements[11].price_components;
    assert_eq!(fallback[2].price.to_string(), "0.60");
    let more = TOU_TARIFF.replacen("\"price\": 0.25,", "\"price\": 0.30000000000000001,", 1);
    assert_ne!(more, TOU_TARIFF);
    let t = Tariff::from_json(&more).unwrap();
    assert_eq!(
        t.elements[0].price_components[0].price,
        dec("0.30000000000000001")
    );
}

#[test]
fn ocpi_kit_reads_the_same_tariff_json_with_numbers() {
    let t = kit_tariff(TOU_TARIFF).unwrap();
    assert_eq!(t.elements.len(), 12);
    let first = &t.elements[0].price_components[0];
    assert_eq!(first.component_type, TariffDimensionType::Energy);
    assert_eq!(first.price.get(), dec("0.25"));
    assert_eq!(first.vat.map(|v| v.get()), Some(dec("21")));
    let fallback = &t.elements[11].price_components;
    assert_eq!(fallback[2].component_type, TariffDimensionType::Time);
    assert_eq!(fallback[2].step_size, 60);
    // ocpi-kit reads a fractional number through f64 (its documented JSON boundary): the
    // value is exact up to 15 significant digits, the scale is not kept...
    assert_eq!(fallback[2].price.get(), dec("0.6"));
    assert_eq!(fallback[2].price.to_string(), "0.6");
    // ...and digits past an f64 are not (chargekit keeps them, above), yet it does not fail.
    let more = TOU_TARIFF.replacen("\"price\": 0.25,", "\"price\": 0.30000000000000001,", 1);
    let t = kit_tariff(&more).unwrap();
    assert_eq!(t.elements[0].price_components[0].price.get(), dec("0.3"));
    // And it prices the CDR (its own reading of 0.666667 h of parking: 9.43, see README).
    let b = kit_price_json(CDR_2_PERIODS, TOU_TARIFF).unwrap();
    assert_eq!(b.total_excl_vat.get(), dec("9.43"));
}

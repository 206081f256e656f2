//! Fuzzes OCPI tariffs and CDRs into pricing. The input is split at its first newline: the
//! first line is read as tariffs (one or an array), the rest as a CDR. The fuzzed tariffs
//! also price a bundled CDR, and the fuzzed CDR is priced with its own tariffs, under every
//! preset. Nothing may panic on any tariff, and every price must keep the documented totals
//! invariant (see `chargekit::billing`): each dimension total is the sum of its lines, the
//! exact total their sum, the clamp goes from it to `total_cost`, negated for a credit CDR.

use chargekit::billing::{self, CostCategory as C, PriceResult, PricingPolicy, RoundingPolicy};
use rust_decimal::Decimal;

const BUNDLED_CDR: &str =
    include_str!("../../tests/vectors/ocpi-tariffs/v221/every_field_set/cdr.json");

/// Panics unless `r` keeps the totals invariant (exact, unrounded figures).
pub fn check_totals_invariant(r: &PriceResult) {
    let lines = &r.breakdown.lines;
    let sum = |cats: &[C]| -> Decimal {
        lines
            .iter()
            .filter(|l| cats.contains(&l.category))
            .map(|l| l.cost.excl_vat)
            .sum()
    };
    let dims = [
        (r.total_energy_cost, sum(&[C::Energy])),
        (r.total_time_cost, sum(&[C::Time])),
        (r.total_parking_cost, sum(&[C::Parking, C::IdleFee])),
        (r.total_fixed_cost, sum(&[C::Fixed])),
        (r.total_reservation_cost, sum(&[C::Reservation])),
    ];
    for (total, lines_sum) in dims {
        assert_eq!(total.map(|p| p.excl_vat).unwrap_or_default(), lines_sum);
    }
    let all: Decimal = lines.iter().map(|l| l.cost.excl_vat).sum();
    assert_eq!(r.breakdown.exact_total.excl_vat, all);
    let magnitude = match &r.breakdown.clamp {
        Some(c) => {
            assert_eq!(c.before.excl_vat, all);
            c.after.excl_vat
        }
        None => all,
    };
    let sign = if r.credit {
        -Decimal::ONE
    } else {
        Decimal::ONE
    };
    assert_eq!(r.total_cost.excl_vat, sign * magnitude);
}

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (tariff_text, cdr_text) = text.split_once('\n').unwrap_or((text, ""));
    let tariffs = billing::tariffs_from_json(tariff_text).unwrap_or_default();
    for preset in [
        PricingPolicy::default(),
        PricingPolicy::ocpi_tariffs(),
        PricingPolicy::ocpi_kit(),
    ] {
        // Rounded totals are rounded line by line; the invariant is stated on exact figures.
        let exact = PricingPolicy {
            rounding: RoundingPolicy::exact(),
            ..preset.clone()
        };
        for policy in [&preset, &exact] {
            for (cdr, with) in [
                (BUNDLED_CDR, &tariffs[..]),
                (cdr_text, &[][..]),
                (cdr_text, &tariffs[..]),
            ] {
                if with.is_empty() && cdr == BUNDLED_CDR {
                    continue;
                }
                if let Ok(r) = billing::price_cdr(cdr, with, None, policy) {
                    if policy == &exact {
                        check_totals_invariant(&r);
                    }
                }
            }
        }
    }
}

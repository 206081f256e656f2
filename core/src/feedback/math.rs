//! Small numeric helpers for scoring, in decimal arithmetic where it matters.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// Decimal places of weights and probabilities.
pub(crate) const DP: u32 = 12;

/// `0.5^x` for `x ≥ 0` (recency weights), to [`DP`] places; 0 beyond 2⁻¹⁰⁰.
pub(crate) fn half_pow(x: Decimal) -> Decimal {
    if x <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let whole = x.trunc();
    let Some(n) = whole.to_u32() else {
        return Decimal::ZERO;
    };
    if n >= 100 {
        return Decimal::ZERO;
    }
    // 0.5^frac = exp(−frac · ln 2), frac ∈ [0, 1): the Taylor series converges fast.
    let ln2 = Decimal::from_str_exact("0.6931471805599453094172321215").unwrap_or(Decimal::ONE);
    let y = -(x - whole) * ln2;
    let (mut term, mut sum) = (Decimal::ONE, Decimal::ONE);
    for k in 1..30u32 {
        term = term * y / Decimal::from(k);
        sum += term;
        if term.abs() < Decimal::new(1, 26) {
            break;
        }
    }
    let mut v = sum;
    for _ in 0..n {
        v /= Decimal::TWO;
    }
    v.round_dp(DP)
}

/// Square root by Newton's method (`x ≥ 0`).
pub(crate) fn sqrt(x: Decimal) -> Decimal {
    if x <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let mut g = Decimal::from_f64(x.to_f64().unwrap_or(1.0).sqrt()).unwrap_or(Decimal::ONE);
    if g <= Decimal::ZERO {
        g = Decimal::ONE;
    }
    for _ in 0..8 {
        let next = (g + x / g) / Decimal::TWO;
        if next == g {
            break;
        }
        g = next;
    }
    g
}

/// Wilson score lower bound for a proportion `p` observed over `n` (weighted) trials, with
/// normal quantile `z`. Always at most `p`.
pub(crate) fn wilson_lower(p: Decimal, n: Decimal, z: Decimal) -> Decimal {
    if n <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let z2 = z * z;
    let centre = p + z2 / (Decimal::TWO * n);
    let spread = z * sqrt(p * (Decimal::ONE - p) / n + z2 / (Decimal::from(4) * n * n));
    ((centre - spread) / (Decimal::ONE + z2 / n))
        .max(Decimal::ZERO)
        .min(p)
        .round_dp(DP)
}

/// The `q`-quantile of Beta(a, b) (bisection on the regularised incomplete beta function).
/// Binary floating point: this is a ranking bound, not an amount.
pub(crate) fn beta_quantile(a: Decimal, b: Decimal, q: Decimal) -> Decimal {
    let (a, b, q) = (
        a.to_f64().unwrap_or(1.0).max(1e-9),
        b.to_f64().unwrap_or(1.0).max(1e-9),
        q.to_f64().unwrap_or(0.1),
    );
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if inc_beta(a, b, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Decimal::from_f64(0.5 * (lo + hi))
        .unwrap_or(Decimal::ZERO)
        .round_dp(6)
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9).
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut s = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        s += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

/// Regularised incomplete beta `I_x(a, b)`.
fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// Continued fraction for the incomplete beta (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn half_pow_is_exact_enough() {
        assert_eq!(half_pow(dec!(0)), dec!(1));
        assert_eq!(half_pow(dec!(1)), dec!(0.5));
        assert_eq!(half_pow(dec!(2)), dec!(0.25));
        assert_eq!(half_pow(dec!(0.5)), dec!(0.707106781187)); // 1/√2
        assert_eq!(half_pow(dec!(500)), dec!(0));
    }

    #[test]
    fn sqrt_and_bounds() {
        assert_eq!(sqrt(dec!(2)).round_dp(12), dec!(1.414213562373));
        let lb = wilson_lower(dec!(0.9), dec!(100), dec!(1.2815515655));
        assert!(lb > dec!(0.85) && lb < dec!(0.9), "{lb}");
        // Beta(1, 1) is uniform: its 10th percentile is 0.1.
        assert_eq!(beta_quantile(dec!(1), dec!(1), dec!(0.1)), dec!(0.1));
        // Beta(2, 1): CDF x², so the 10th percentile is √0.1.
        assert_eq!(beta_quantile(dec!(2), dec!(1), dec!(0.1)), dec!(0.316228));
    }
}

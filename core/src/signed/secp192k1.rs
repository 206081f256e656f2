//! The curve secp192k1 (SEC 2 v2 §2.2.1), the one OCMF curve without a published RustCrypto
//! crate. The curve is only *described* here: its constants, checked by the tests below;
//! field, scalar and point arithmetic and ECDSA come from the RustCrypto crates `primefield`,
//! `primeorder` and `ecdsa`, the code behind `p192` and `bp256`. Verification handles only
//! public values, so the variable-time multiplication backend is enough.
#![allow(missing_docs, clippy::unwrap_used)] // the items the RustCrypto macros generate

use elliptic_curve::bigint::{Odd, U192};
use elliptic_curve::consts::U24;
use elliptic_curve::hazmat::FieldArithmetic;
use elliptic_curve::{CurveArithmetic, PrimeCurveArithmetic};
use primeorder::{mul_backend, point_arithmetic, PrimeCurveParams};

/// p = 2¹⁹² − 2³² − 4553.
const MODULUS_HEX: &str = "fffffffffffffffffffffffffffffffffffffffeffffee37";
/// The order n of the generator (cofactor 1).
const ORDER_HEX: &str = "fffffffffffffffffffffffe26f2fc170f69466a74defd8d";

/// secp192k1: y² = x³ + 3 over GF(p).
#[derive(Copy, Clone, Debug, Default, Eq, PartialEq, PartialOrd, Ord)]
pub struct Secp192k1;

impl elliptic_curve::Curve for Secp192k1 {
    type FieldBytesSize = U24;
    type Uint = U192;
    const ORDER: Odd<U192> = Odd::<U192>::from_be_hex(ORDER_HEX);
}

impl elliptic_curve::PrimeCurve for Secp192k1 {}

impl elliptic_curve::point::PointCompression for Secp192k1 {
    const COMPRESS_POINTS: bool = false;
}

// The multiplicative generators (3 and 2) are the least primitive roots modulo p and n;
// the factorisations of p − 1 and n − 1 that prove it are in `tests` below.
mod field {
    use super::MODULUS_HEX;
    use elliptic_curve::bigint::U192;
    use elliptic_curve::ff::PrimeField;
    use elliptic_curve::subtle::{Choice, ConstantTimeEq, CtOption};

    primefield::monty_field_params! {
        name: FieldParams,
        modulus: MODULUS_HEX,
        uint: U192,
        byte_order: primefield::ByteOrder::BigEndian,
        multiplicative_generator: 3,
        doc: "Montgomery parameters of the secp192k1 base field."
    }

    primefield::monty_field_element! {
        name: FieldElement,
        params: FieldParams,
        uint: U192,
        doc: "An element of the secp192k1 base field."
    }

    primefield::monty_field_arithmetic! {
        name: FieldElement,
        params: FieldParams,
        uint: U192
    }

    impl elliptic_curve::ops::BatchInvert for FieldElement {}
}

mod scalar {
    use super::{Secp192k1, ORDER_HEX};
    use elliptic_curve::bigint::U192;
    use elliptic_curve::ff::PrimeField;
    use elliptic_curve::scalar::{FromUintUnchecked, IsHigh};
    use elliptic_curve::subtle::{Choice, ConstantTimeEq, ConstantTimeGreater, CtOption};
    use elliptic_curve::Curve as _;
    use primeorder::wnaf;

    primefield::monty_field_params! {
        name: ScalarParams,
        modulus: ORDER_HEX,
        uint: U192,
        byte_order: primefield::ByteOrder::BigEndian,
        multiplicative_generator: 2,
        doc: "Montgomery parameters of the secp192k1 scalar field."
    }

    primefield::monty_field_element! {
        name: Scalar,
        params: ScalarParams,
        uint: U192,
        doc: "An element of the secp192k1 scalar field."
    }

    primefield::monty_field_arithmetic! {
        name: Scalar,
        params: ScalarParams,
        uint: U192
    }

    primefield::monty_field_reduce! {
        name: Scalar,
        params: ScalarParams,
        uint: U192,
    }

    elliptic_curve::scalar_impls!(Secp192k1, Scalar);
    wnaf::impl_wnaf_size_for_scalar!(Scalar);

    impl AsRef<Scalar> for Scalar {
        fn as_ref(&self) -> &Scalar {
            self
        }
    }

    impl FromUintUnchecked for Scalar {
        type Uint = U192;

        fn from_uint_unchecked(uint: U192) -> Self {
            Self::from_uint_unchecked(uint)
        }
    }

    impl IsHigh for Scalar {
        fn is_high(&self) -> Choice {
            const HALF_ORDER: U192 = Secp192k1::ORDER.as_ref().shr_vartime(1);
            self.to_canonical().ct_gt(&HALF_ORDER)
        }
    }
}

use field::FieldElement;
use scalar::Scalar;

impl CurveArithmetic for Secp192k1 {
    type AffinePoint = primeorder::AffinePoint<Secp192k1>;
    type ProjectivePoint = primeorder::ProjectivePoint<Secp192k1>;
    type Scalar = Scalar;
}

impl FieldArithmetic for Secp192k1 {
    type FieldElement = FieldElement;
}

impl PrimeCurveArithmetic for Secp192k1 {
    type CurveGroup = primeorder::ProjectivePoint<Secp192k1>;
}

impl PrimeCurveParams for Secp192k1 {
    type PointArithmetic = point_arithmetic::EquationAIsZero;
    type Backend = mul_backend::VariableOnly;
    const EQUATION_A: FieldElement = FieldElement::ZERO;
    const EQUATION_B: FieldElement = FieldElement::from_u64(3);
    const GENERATOR: (FieldElement, FieldElement) = (
        FieldElement::from_hex_vartime("db4ff10ec057e9ae26b07d0280b7f4341da5d1b1eae06c7d"),
        FieldElement::from_hex_vartime("9b2f2f6d9c5628a7844163d015be86344082aa88d95e2f9d"),
    );
}

impl ecdsa::EcdsaCurve for Secp192k1 {
    // OCMF meters emit both halves of s; the verifier normalises instead.
    const NORMALIZE_S: bool = false;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;
    use elliptic_curve::ff::Field;
    use elliptic_curve::group::Group as _;

    mod field_constants {
        use super::super::FieldElement;
        use elliptic_curve::bigint::U192;
        primefield::test_primefield!(FieldElement, U192);
    }

    mod scalar_constants {
        use super::super::Scalar;
        use elliptic_curve::bigint::U192;
        primefield::test_primefield!(Scalar, U192);
    }

    /// `g` generates the multiplicative group: for each prime factor q of m − 1 (given with
    /// (m − 1)/q, and checked to multiply back to m − 1), g^((m − 1)/q) ≠ 1.
    fn is_primitive_root<F: Field>(g: F, modulus: &str, factors: &[(&str, &str)]) {
        let m_minus_1 = U192::from_be_hex(modulus).wrapping_sub(&U192::ONE);
        for (q, cofactor) in factors {
            let q = U192::from_be_hex(&format!("{q:0>48}"));
            let e = U192::from_be_hex(cofactor);
            assert_eq!(e.wrapping_mul(&q), m_minus_1, "{q} does not divide");
            let bytes = e.to_be_bytes();
            let limbs: Vec<u64> = bytes
                .chunks(8)
                .rev()
                .map(|c| u64::from_be_bytes(c.try_into().unwrap()))
                .collect();
            assert_ne!(g.pow_vartime(&limbs), F::ONE, "order divides (m - 1)/{q}");
        }
    }

    #[test]
    fn the_multiplicative_generators_are_primitive_roots() {
        // p − 1 = 2 · 3 · 7 · 11 · 1295233555201613 · 10489845818524887021689201254173392444641
        is_primitive_root(
            FieldElement::from_u64(3),
            MODULUS_HEX,
            &[
                ("2", "7fffffffffffffffffffffffffffffffffffffff7ffff71b"),
                ("3", "5555555555555555555555555555555555555554fffffa12"),
                ("7", "24924924924924924924924924924924924924922492469a"),
                ("b", "1745d1745d1745d1745d1745d1745d1745d1745cfffffe62"),
                (
                    "49a020ff57e4d",
                    "00000000000037a2057da260a09c4b3b5c051f3ba9de1e0e",
                ),
                (
                    "1ed3aed1407c7806cfebb26f71b8e31ce1",
                    "00000000000000000000000000000000084defb8cd09eef6",
                ),
            ],
        );
        // n − 1 = 2² · 3 · 13² · 17 · 31 · 41 · 143250697377609490729449607267616635304860109419231
        is_primitive_root(
            Scalar::from_u64(2),
            ORDER_HEX,
            &[
                ("2", "7fffffffffffffffffffffff13797e0b87b4a3353a6f7ec6"),
                ("3", "555555555555555555555554b7a65407afcdc2237c4a5484"),
                ("d", "13b13b13b13b13b13b13b13aef4dc49f4ff467e0cde9c4bc"),
                ("11", "0f0f0f0f0f0f0f0f0f0f0f0ef33b783d977ea9ca06dff0cc"),
                ("1f", "0842108421084210842108420141a509007f445603c520f4"),
                ("29", "063e7063e7063e7063e7063e64da381989bde27f797c12ac"),
                (
                    "62041f6e94d523eef565dfbdbc1c7a4b195f66b2df",
                    "0000000000000000000000000000000000000000029c9ff4",
                ),
            ],
        );
    }

    #[test]
    fn the_generator_is_on_the_curve_and_has_order_n() {
        let g = primeorder::ProjectivePoint::<Secp192k1>::generator();
        let (x, y) = Secp192k1::GENERATOR;
        assert_eq!(y.square(), x.square() * x + Secp192k1::EQUATION_B);
        // (n − 1)·G = −G, so n·G = O.
        let n_minus_1 = -Scalar::ONE;
        assert_eq!(g * n_minus_1, -g);
        assert_eq!((g * n_minus_1 + g).is_identity().unwrap_u8(), 1);
        assert_eq!((g + g).to_affine(), (g * Scalar::from_u64(2)).to_affine());
    }
}

//! OBIS ids, parsed loosely (`docs/ocmf.md` §4).

use serde::Serialize;

/// An OBIS id `A-B:C.D.E*F` in its six groups. Notation varies in the field
/// (`1-b:1.8.0`, `01-00:01.08.00.FF`, `1-0:1.8.0*198`, `1.8.0`), so each group is
/// read as hexadecimal, the way the reference verifier reads them; a letter
/// channel such as `b` becomes 0xB. Missing groups are `None`.
///
/// ```
/// use chargekit::signed::Obis;
/// let o = Obis::parse("01-00:01.08.00.FF").unwrap();
/// assert_eq!((o.a, o.c, o.d, o.f), (Some(1), 1, 8, Some(0xFF)));
/// let o = Obis::parse("1-b:1.8.0").unwrap();
/// assert_eq!((o.b, o.e, o.f), (Some(0xB), Some(0), None));
/// assert!(Obis::parse("1-0:98.8.0.FF").unwrap().is_compensated);
/// assert!(Obis::parse("1-b:1.8.e").unwrap().is_billing_import);
/// assert!(!Obis::parse("1-0:2.8.0.FF").unwrap().is_billing_import);
/// assert!(Obis::parse("1-0:2.8.0.FF").unwrap().is_export);
/// assert!(Obis::parse("01-00:C2.08.00*FF").unwrap().is_export);
/// assert!(Obis::parse("nonsense").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ObisCode"))]
pub struct Obis {
    /// Medium (1 = electricity).
    pub a: Option<u32>,
    /// Channel.
    pub b: Option<u32>,
    /// Quantity (1 import, 2 export, 0x98 compensated, 0xB0… rev 1.4 registers).
    pub c: u32,
    /// Processing (8 = register).
    pub d: u32,
    /// Tariff.
    pub e: Option<u32>,
    /// Billing period / storage.
    pub f: Option<u32>,
    /// A compensated register (C ∈ {0x98, 0xB1, 0xB3, 0xC1, 0xC3}), `docs/ocmf.md` §4.
    pub is_compensated: bool,
    /// A law-relevant energy register by the default rule of `docs/ocmf.md` §4:
    /// A = 1, D = 8, C ∈ {1, 0x98, 0x9E, 0xB0..=0xC7}, F absent or ∈ {0, 0x200, 0x255, 0xFF}.
    pub is_billing_import: bool,
    /// A register of energy fed back by the EV (V2X): A = 1 or absent, D = 8, C = 2 (classic
    /// export) or 0xC0..=0xC3 (the rev 1.4 export counterparts of 0xB0..=0xB3).
    pub is_export: bool,
}

fn group(text: &str) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() || t.len() > 4 {
        return None;
    }
    u32::from_str_radix(t, 16).ok()
}

impl Obis {
    /// Parses an OBIS id loosely; `None` when it has no `C.D` part.
    pub fn parse(text: &str) -> Option<Obis> {
        let text = text.trim();
        let (ab, rest) = match text.split_once(':') {
            Some((ab, rest)) => (Some(ab), rest),
            None => (None, text),
        };
        let (a, b) = match ab {
            Some(ab) => match ab.split_once('-') {
                Some((a, b)) => (group(a), group(b)),
                None => (group(ab), None),
            },
            None => (None, None),
        };
        let (cde, star_f) = match rest.split_once('*') {
            Some((cde, f)) => (cde, Some(f)),
            None => (rest, None),
        };
        let mut parts = cde.split('.');
        let c = group(parts.next()?)?;
        let d = group(parts.next()?)?;
        let e = match parts.next() {
            Some(p) => Some(group(p)?),
            None => None,
        };
        let dotted_f = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let f = match (star_f, dotted_f) {
            (Some(_), Some(_)) => return None,
            (Some(f), None) | (None, Some(f)) => Some(group(f)?),
            (None, None) => None,
        };
        Some(Obis {
            a,
            b,
            c,
            d,
            e,
            f,
            is_compensated: matches!(c, 0x98 | 0xB1 | 0xB3 | 0xC1 | 0xC3),
            is_billing_import: a.is_none_or(|a| a == 1)
                && d == 8
                && matches!(c, 1 | 0x98 | 0x9E | 0xB0..=0xC7)
                && f.is_none_or(|f| matches!(f, 0 | 0x200 | 0x255 | 0xFF)),
            is_export: a.is_none_or(|a| a == 1) && d == 8 && matches!(c, 2 | 0xC0..=0xC3),
        })
    }
}

//! Exact JSON numbers without serde_json's `arbitrary_precision`: a decimal is read from
//! the text of its JSON number and written back as that text, never through `f64`.
//!
//! Why not the feature: cargo unifies features across a whole build, so a library that
//! enabled `arbitrary_precision` would change how every other crate of the application
//! reads JSON numbers (they would see a map where they expect a number).
//!
//! How: serde_json answers a request for a [`RawValue`](serde_json::value::RawValue) (a
//! newtype struct of a reserved name) with the value's JSON text. [`NumberText`] makes
//! that request, so from serde_json (also under `serde_path_to_error`) a number comes as
//! written: `12.30` keeps its scale, `0.30000000000000001` and `1E-3` stay exact. Other
//! formats answer the request with their own value, read as usual (exact for strings and
//! integers; a float is already a float there). [`write_number`] writes a decimal the same
//! way back: serde_json writes the text as it is.
//!
//! Values that serde buffers before their type is known (`untagged`, internally tagged,
//! `flatten`) lose that path: a decimal must not sit below one.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The name serde_json gives a raw JSON value (`serde_json::value::RawValue`): a newtype
/// struct of this name is read, and a struct of this name written, as JSON text.
pub(crate) const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The name under which serde_json's `arbitrary_precision` hands out a number (a map of one
/// entry): read too, should another crate of the build enable that feature.
const ARBITRARY_NUMBER: &str = "$serde_json::private::Number";

/// What Decimal's own serde form expects (kept for the same error messages).
const EXPECTING: &str = "a Decimal type representing a fixed-point number";

/// A number's text as a decimal, plain (`12.30`) or scientific (`1E-3`): the one syntax
/// every chargekit reader of decimals accepts.
pub(crate) fn decimal_text(text: &str) -> Result<Decimal, rust_decimal::Error> {
    Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text))
}

/// A JSON number's text as chargekit has always kept it (the text serde_json's
/// `arbitrary_precision` kept): as written, but an exponent is written `e+3` for `E3` and
/// `e-3` for `E-3`.
pub(crate) fn shown_number(text: &str) -> Cow<'_, str> {
    match text.split_once(['e', 'E']) {
        Some((mantissa, exp)) if !exp.starts_with(['+', '-']) => {
            Cow::Owned(format!("{mantissa}e+{exp}"))
        }
        Some((mantissa, exp)) => Cow::Owned(format!("{mantissa}e{exp}")),
        None => Cow::Borrowed(text),
    }
}

/// A JSON scalar as its text: a number as written, or a string's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NumberText<'de> {
    /// A JSON number, as written.
    Number(Cow<'de, str>),
    /// A JSON string (unescaped).
    String(Cow<'de, str>),
}

impl NumberText<'_> {
    /// The value as a decimal, with the errors of `Decimal`'s own serde form.
    pub(crate) fn decimal<E: de::Error>(&self) -> Result<Decimal, E> {
        match self {
            NumberText::Number(t) => decimal_text(t).map_err(E::custom),
            NumberText::String(s) => {
                decimal_text(s).map_err(|_| E::invalid_value(Unexpected::Str(s), &EXPECTING))
            }
        }
    }
}

impl<'de> Deserialize<'de> for NumberText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE, TextVisitor)
    }
}

/// Reads [`NumberText`] from any of the forms a deserializer may answer with.
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = NumberText<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON number")
    }

    /// serde_json: one entry, the reserved name, then the raw JSON text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let key = map.next_key::<Text<'de>>()?.map(|k| k.0);
        let text = match key.as_deref() {
            Some(RAW_VALUE) => map.next_value::<Text<'de>>()?.0,
            Some(ARBITRARY_NUMBER) => {
                return Ok(NumberText::Number(map.next_value::<Text<'de>>()?.0))
            }
            _ => return Err(de::Error::invalid_type(Unexpected::Map, &self)),
        };
        match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => Ok(NumberText::Number(canonical(text))),
            Some(b'"') => serde_json::from_str::<String>(&text)
                .map(|s| NumberText::String(Cow::Owned(s)))
                .map_err(de::Error::custom),
            _ => Err(de::Error::invalid_type(unexpected(&text), &self)),
        }
    }

    /// Any other format: its own value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(NumberText::String(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(NumberText::String(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(NumberText::String(Cow::Owned(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(NumberText::Number(Cow::Owned(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(NumberText::Number(Cow::Owned(v.to_string())))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(NumberText::Number(Cow::Owned(v.to_string())))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(NumberText::Number(Cow::Owned(v.to_string())))
    }

    /// A format that holds floats (a `serde_json::Value` built without the feature): the
    /// float is the value there, written in its shortest exact form.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if !v.is_finite() {
            return Err(E::invalid_value(Unexpected::Float(v), &self));
        }
        Ok(NumberText::Number(Cow::Owned(v.to_string())))
    }
}

/// A number's raw text in the form [`shown_number`] gives.
pub(super) fn canonical(text: Cow<'_, str>) -> Cow<'_, str> {
    match shown_number(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// What raw JSON text other than a number or a string is, for an error message.
fn unexpected(text: &str) -> Unexpected<'_> {
    match text.as_bytes().first() {
        Some(b'n') => Unexpected::Unit,
        Some(b't') => Unexpected::Bool(true),
        Some(b'f') => Unexpected::Bool(false),
        Some(b'[') => Unexpected::Seq,
        _ => Unexpected::Map,
    }
}

/// A string borrowed from the input when it can be.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Writes a decimal as a JSON number with its exact digits (`12.30` stays `12.30`).
///
/// serde_json writes the text as it is; its `Value` parses it (a float there, as for any
/// number); other serializers see a struct of one text field.
pub(crate) fn write_number<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    write_text(&d.to_string(), s)
}

/// Writes the text of a JSON number as it is (see [`write_number`]).
pub(super) fn write_text<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct(RAW_VALUE, 1)?;
    st.serialize_field(RAW_VALUE, text)?;
    st.end()
}

/// A decimal that serialises as an exact JSON number (see [`write_number`]) and reads exactly
/// from a number or a numeric string: for decimals inside a container (a grid), which a field
/// attribute does not reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Exact(pub Decimal);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decimal::deserialize(d).map(Exact)
    }
}

impl serde::Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        write_number(&self.0, s)
    }
}

/// A decimal field read exactly from a JSON number or a numeric string:
/// `#[serde(deserialize_with = "crate::json::number::decimal::deserialize")]`. Only the
/// reading is replaced: the field still serialises as a `Decimal` (its own string form),
/// which the Python binding recognises by its type.
pub(crate) mod decimal {
    use super::*;

    /// Reads a number or a numeric string exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        NumberText::deserialize(d)?.decimal()
    }

    /// The same for an optional decimal (`null` is `None`); give the field `default` too.
    pub mod option {
        use super::*;

        /// Reads `null`, a number or a numeric string exactly.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            Option::<NumberText<'de>>::deserialize(d)?
                .map(|t| t.decimal())
                .transpose()
        }
    }
}

/// A decimal field that is a JSON number, read and written exactly (strings refused):
/// `#[serde(with = "crate::json::number::as_number")]`.
pub(crate) mod as_number {
    use super::*;

    /// Writes the decimal as a JSON number (see [`write_number`]).
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        write_number(d, s)
    }

    /// Reads a JSON number exactly; anything else is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        number_only(NumberText::deserialize(d)?)
    }

    /// A number, else the error serde_json gives for a `Number` field.
    pub(crate) fn number_only<E: de::Error>(t: NumberText<'_>) -> Result<Decimal, E> {
        match t {
            NumberText::Number(_) => t.decimal(),
            NumberText::String(s) => Err(E::invalid_type(Unexpected::Str(&s), &"a JSON number")),
        }
    }

    /// The same for an optional decimal (`null` is `None`); give the field `default` too.
    pub mod option {
        use super::*;

        /// Writes the decimal as a JSON number, or `null`.
        pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => write_number(d, s),
                None => s.serialize_none(),
            }
        }

        /// Reads `null` or a JSON number exactly.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            Option::<NumberText<'de>>::deserialize(d)?
                .map(number_only)
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use serde::Serialize;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Reading {
        #[serde(deserialize_with = "decimal::deserialize")]
        any: Decimal,
        #[serde(with = "as_number")]
        number: Decimal,
        #[serde(default, with = "as_number::option")]
        maybe: Option<Decimal>,
    }

    fn read(text: &str) -> Reading {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn numbers_read_exactly_as_written() {
        for (text, want) in [
            ("12.30", "12.30"),
            ("0.30000000000000001", "0.30000000000000001"),
            ("1E-3", "0.001"),
            ("123456789012345678901234567", "123456789012345678901234567"),
            ("-0.5e1", "-5"),
        ] {
            let r = read(&format!(
                r#"{{"any": {text}, "number": {text}, "maybe": {text}}}"#
            ));
            assert_eq!(r.any.to_string(), want, "{text}");
            assert_eq!(r.number.to_string(), want, "{text}");
            assert_eq!(
                r.maybe.map(|d| d.to_string()).as_deref(),
                Some(want),
                "{text}"
            );
        }
    }

    #[test]
    fn strings_null_and_other_types() {
        let r = read(r#"{"any": "12.30", "number": 1, "maybe": null}"#);
        assert_eq!((r.any.to_string(), r.maybe), ("12.30".to_string(), None));
        assert_eq!(read(r#"{"any": 1, "number": 1}"#).maybe, None);
        let err = |text: &str| {
            serde_json::from_str::<Reading>(text)
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"any": "x", "number": 1}"#).contains("expected a Decimal type"));
        assert!(err(r#"{"any": 1, "number": "1"}"#).contains("expected a JSON number"));
        assert!(err(r#"{"any": true, "number": 1}"#).contains("invalid type: boolean"));
    }

    #[test]
    fn numbers_write_exactly() {
        let r = read(r#"{"any": 12.30, "number": 0.30000000000000001, "maybe": 1E-3}"#);
        let text = serde_json::to_string(&r).unwrap_or_default();
        assert_eq!(
            text,
            r#"{"any":"12.30","number":0.30000000000000001,"maybe":0.001}"#
        );
        assert_eq!(read(&text), r);
    }

    #[test]
    fn values_and_path_tracking_read_too() {
        let value = serde_json::json!({"any": 1.5, "number": 2, "maybe": "3"});
        let r: Result<Reading, _> = serde_json::from_value(value);
        assert!(r.is_err(), "a string is no number");
        let value = serde_json::json!({"any": 1.5, "number": 2});
        let r: Reading = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.any, r.number), (Decimal::new(15, 1), Decimal::TWO));
        let text = r#"{"any": 12.30, "number": 1}"#;
        let r: Reading = crate::json::read_json(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.any.to_string(), "12.30");
    }
}

//! A JSON tree whose numbers are their exact text: what the crate's tree readers (tariffs
//! and CDRs given loosely, OCMF, station tariffs) walk and the bindings convert, where a
//! `serde_json::Value` (without `arbitrary_precision`) holds each number as an `f64`.
//!
//! Its API is the part of `serde_json::Value`'s those readers use, under the same names, so
//! a reader moves to it by its `use` line. Read from text it is exact (each value is first
//! read as its raw JSON text, see [`number`](super::number)); from a `serde_json::Value` it
//! is as exact as that value.

use super::number::{canonical, RAW_VALUE};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// An object: keys in sorted order, as in a `serde_json::Value` (no `preserve_order`).
pub type Map<K = String, V = Value> = BTreeMap<K, V>;

/// A JSON number, kept as its text (an exponent written `e+3`, as chargekit always kept it).
///
/// ```
/// use chargekit::json::Number;
/// assert_eq!(Number::from_text("12.30").unwrap().as_str(), "12.30");
/// assert_eq!(Number::from_text("1E3").unwrap().as_str(), "1e+3");
/// assert!(Number::from_text("NaN").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(Box<str>);

impl Number {
    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number whose JSON text is `text`; `None` when `text` is no JSON number.
    pub fn from_text(text: &str) -> Option<Number> {
        match Value::from_text(text) {
            Ok(Value::Number(n)) => Some(n),
            _ => None,
        }
    }

    /// The number with a decimal's exact digits.
    pub fn from_decimal(d: rust_decimal::Decimal) -> Number {
        Number(d.to_string().into())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(n.to_string().into())
    }
}

/// A JSON value whose numbers are their exact text.
///
/// Read from JSON text it keeps every number as written; written back (`Display`, or
/// through serde_json) it writes them as they are. Objects keep their keys sorted, as
/// `serde_json::Value` does.
///
/// ```
/// use chargekit::json::Value;
/// let v = Value::from_text(r#"{"price": 12.30, "big": 123456789012345678901234567}"#).unwrap();
/// assert_eq!(v.to_string(), r#"{"big":123456789012345678901234567,"price":12.30}"#);
/// assert_eq!(v["price"].as_number().map(|n| n.as_str()), Some("12.30"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

static NULL: Value = Value::Null;

impl Value {
    /// The member `key` of an object (`None` for a missing key or a non-object).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// As `serde_json::Value::is_null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// As `serde_json::Value::is_number`.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// As `serde_json::Value::as_str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// As `serde_json::Value::as_bool`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if the value is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// A JSON number with a decimal's exact digits.
    pub fn number(d: rust_decimal::Decimal) -> Value {
        Value::Number(Number::from_decimal(d))
    }

    /// Reads JSON text, numbers exactly. Text that does not read gets the error of
    /// serde_json's own `Value` where it has one (its nesting limit among them).
    pub fn from_text(text: &str) -> Result<Value, serde_json::Error> {
        read_text(text).map_err(|e| match serde_json::from_str::<serde_json::Value>(text) {
            Err(own) => own,
            Ok(_) => e,
        })
    }

    /// The same value as a `serde_json::Value` (numbers as that type holds them: `f64`
    /// unless they are integers).
    pub fn to_serde(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(Number::from(n))
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(Number(n.to_string().into()))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(Number::from(u64::from(n)))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// Compact JSON text, numbers as written.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(Number(n.to_string().into())),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from).collect())
            }
            serde_json::Value::Object(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect())
            }
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => super::number::write_text(n.as_str(), s),
            Value::String(t) => s.serialize_str(t),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A document read from text. A container is read member by member at once: reading its
/// raw text first, as a member's is, would scan the whole document one more time.
fn read_text(text: &str) -> Result<Value, serde_json::Error> {
    if !text.trim_start().starts_with(['{', '[']) {
        return serde_json::from_str(text);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = de.deserialize_any(ValueVisitor(Seed(0)))?;
    de.end()?;
    Ok(value)
}

/// Each value is first read as its raw JSON text (numbers exact); a container's text is then
/// read again for its members. Other formats answer with their own values.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Seed(0).deserialize(d)
    }
}

/// How deep a tree may nest: serde_json's own limit.
const MAX_DEPTH: usize = 128;

/// Reads a value at a depth, so that nesting stays bounded (each level reads its text
/// again, on the stack).
#[derive(Clone, Copy)]
struct Seed(usize);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0 > MAX_DEPTH {
            return Err(de::Error::custom("recursion limit exceeded"));
        }
        d.deserialize_newtype_struct(RAW_VALUE, RawVisitor(self))
    }
}

/// Reads a value from serde_json's raw text, or from another format's own value.
struct RawVisitor(Seed);

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    /// serde_json: one entry, the reserved name, then the value's JSON text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if map.next_key::<Cow<'de, str>>()?.as_deref() != Some(RAW_VALUE) {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        let text = map.next_value::<Cow<'de, str>>()?;
        if text.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
            return Ok(Value::Number(Number(canonical(text).into())));
        }
        let mut de = serde_json::Deserializer::from_str(&text);
        de.deserialize_any(ValueVisitor(self.0))
            .map_err(de::Error::custom)
    }

    /// Any other format (a `serde_json::Value`, serde's buffered content): its own values.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor(self.0))
    }
}

/// Reads a value as the format presents it; members one level deeper.
struct ValueVisitor(Seed);

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.0.deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(Number(v.to_string().into())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(Number(v.to_string().into())))
    }

    /// A format that holds floats: the float is the value there (its shortest text).
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => Ok(Value::Number(Number(n.to_string().into()))),
            None => Ok(Value::Null),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = Seed(self.0 .0 + 1);
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = Seed(self.0 .0 + 1);
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(inner)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn numbers_keep_their_text_at_every_depth() {
        let text = r#"{"a": 12.30, "b": [0.30000000000000001, {"c": 1E-3}], "d": 123456789012345678901234567, "e": "x", "f": null, "g": true}"#;
        let v = Value::from_text(text).unwrap_or_default();
        assert_eq!(v["a"], Value::Number(Number("12.30".into())));
        assert_eq!(
            v.to_string(),
            r#"{"a":12.30,"b":[0.30000000000000001,{"c":1e-3}],"d":123456789012345678901234567,"e":"x","f":null,"g":true}"#
        );
        assert_eq!(
            Value::from_text("[1E3, 1e999]")
                .map(|v| v.to_string())
                .ok()
                .as_deref(),
            Some("[1e+3,1e+999]")
        );
        assert_eq!(Value::from_text(&v.to_string()).ok(), Some(v));
    }

    #[test]
    fn from_a_serde_value_and_back() {
        let serde = serde_json::json!({"a": [1, 2.5, "x"], "b": {"c": null}});
        let v = Value::from(&serde);
        assert_eq!(v.to_serde(), serde);
        let read: Value = serde_json::from_value(serde.clone()).unwrap_or_default();
        assert_eq!(read, v);
    }

    /// A document read member by member (not through its raw text first) reads and fails
    /// as before: whitespace around it, text after it, and serde_json's own errors.
    #[test]
    fn whole_documents() {
        let read = |t: &str| Value::from_text(t).map(|v| v.to_string());
        assert_eq!(
            read(" \n[1.10, {\"a\": 2E1}] \t").ok().as_deref(),
            Some("[1.10,{\"a\":2e+1}]")
        );
        assert_eq!(read("1.50").ok().as_deref(), Some("1.50"));
        assert_eq!(read("\"x\"").ok().as_deref(), Some("\"x\""));
        for bad in ["{} x", "[1,]", "{\"a\": 1", "[1.10] ]", ""] {
            let ours = Value::from_text(bad).map_err(|e| e.to_string());
            let serde = serde_json::from_str::<serde_json::Value>(bad).map_err(|e| e.to_string());
            assert_eq!(ours.err(), serde.err(), "{bad}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(Value::from_text(&deep).is_err());
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(Value::from_text(&ok).is_ok());
    }
}

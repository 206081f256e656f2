//! Reading and writing the OCPP 2.1 JSON shapes of this module, strictly as the schemas
//! state them: unknown fields, over-long strings and out-of-range counts are typed errors
//! naming the field (a station validates against the schema before looking at content).

use crate::json::{Map, Value};
use crate::tariff::parse_support::{decimal, num, Fields};
use crate::Error;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::str::FromStr;

/// An invalid-field error at `path`.
pub(super) fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidTariffField {
        path: path.into(),
        reason: reason.into(),
    }
}

/// One JSON object being read; every key it holds must be read (or be `customData`).
pub(super) struct Obj<'a> {
    f: Fields<'a>,
}

impl<'a> Obj<'a> {
    pub fn new(value: &'a Value, path: &str) -> Result<Self, Error> {
        Ok(Obj {
            f: Fields::new(value, path)?,
        })
    }

    pub fn path(&self, key: &str) -> String {
        self.f.sub(key)
    }

    pub fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.f.get(key)
    }

    pub fn required(&mut self, key: &'static str) -> Result<&'a Value, Error> {
        self.f.required(key)
    }

    /// A string of at most `max` characters.
    pub fn text(&mut self, key: &'static str, max: usize) -> Result<Option<String>, Error> {
        match self.f.str(key)? {
            None => Ok(None),
            Some(s) if s.chars().count() > max => Err(invalid(
                self.path(key),
                format!("longer than {max} characters"),
            )),
            Some(s) => Ok(Some(s.to_string())),
        }
    }

    pub fn required_text(&mut self, key: &'static str, max: usize) -> Result<String, Error> {
        self.text(key, max)?
            .ok_or_else(|| Error::MissingTariffField {
                path: self.path(key),
            })
    }

    pub fn decimal(&mut self, key: &'static str) -> Result<Option<Decimal>, Error> {
        let path = self.path(key);
        match self.f.get(key) {
            None => Ok(None),
            Some(Value::String(_)) => Err(invalid(path, "expected a number")),
            Some(v) => decimal(v, &path, &mut Vec::new()).map(Some),
        }
    }

    pub fn required_decimal(&mut self, key: &'static str) -> Result<Decimal, Error> {
        self.decimal(key)?.ok_or_else(|| Error::MissingTariffField {
            path: self.path(key),
        })
    }

    /// A whole number of at least 0.
    pub fn count(&mut self, key: &'static str) -> Result<Option<u64>, Error> {
        let path = self.path(key);
        match self.decimal(key)? {
            None => Ok(None),
            Some(d) if !d.fract().is_zero() => Err(invalid(path, format!("{d} is not an integer"))),
            Some(d) if d.is_sign_negative() && !d.is_zero() => {
                Err(invalid(path, format!("{d} is negative")))
            }
            Some(d) => d
                .to_u64()
                .map(Some)
                .ok_or_else(|| invalid(path, "out of range")),
        }
    }

    pub fn boolean(&mut self, key: &'static str) -> Result<Option<bool>, Error> {
        match self.f.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(invalid(self.path(key), "expected true or false")),
        }
    }

    /// An RFC 3339 date-time with offset.
    pub fn timestamp(&mut self, key: &'static str) -> Result<Option<DateTime<Utc>>, Error> {
        match self.f.str(key)? {
            None => Ok(None),
            Some(s) => crate::ocpp::parse_timestamp(s)
                .map(Some)
                .map_err(|e| invalid(self.path(key), e)),
        }
    }

    /// A date `YYYY-MM-DD`.
    pub fn date(&mut self, key: &'static str) -> Result<Option<NaiveDate>, Error> {
        match self.f.str(key)? {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| invalid(self.path(key), format!("{s:?} is not a date YYYY-MM-DD"))),
        }
    }

    /// A closed-vocabulary value, parsed with `parse`.
    pub fn word<T>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Error> {
        match self.f.str(key)? {
            None => Ok(None),
            Some(s) => parse(s).map(Some).map_err(|e| invalid(self.path(key), e)),
        }
    }

    /// An array of `min..=max` items (`max` 0: unbounded).
    pub fn array(
        &mut self,
        key: &'static str,
        min: usize,
        max: usize,
    ) -> Result<Option<&'a [Value]>, Error> {
        match self.f.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) if items.len() < min => Err(invalid(
                self.path(key),
                format!("needs at least {min} item(s)"),
            )),
            Some(Value::Array(items)) if max > 0 && items.len() > max => Err(invalid(
                self.path(key),
                format!("has {} items, at most {max} allowed", items.len()),
            )),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(invalid(self.path(key), "expected an array")),
        }
    }

    /// Ends reading: a key that was not read is not part of the schema.
    pub fn finish(self) -> Result<(), Error> {
        let mut unknown = Vec::new();
        self.f.finish(&["customData"], &mut unknown);
        match unknown.into_iter().next() {
            Some(w) => Err(invalid(w.path, "not a field of this OCPP 2.1 type")),
            None => Ok(()),
        }
    }
}

/// A closed-vocabulary value through its `FromStr`.
pub(super) fn parse_word<T: FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Builds a JSON object, leaving out absent fields.
#[derive(Default)]
pub(super) struct Out(Map<String, Value>);

impl Out {
    pub fn put(&mut self, key: &str, v: Value) -> &mut Self {
        self.0.insert(key.into(), v);
        self
    }
    pub fn opt(&mut self, key: &str, v: Option<Value>) -> &mut Self {
        if let Some(v) = v {
            self.0.insert(key.into(), v);
        }
        self
    }
    pub fn text(&mut self, key: &str, v: &str) -> &mut Self {
        self.put(key, Value::String(v.into()))
    }
    pub fn dec(&mut self, key: &str, v: Option<Decimal>) -> &mut Self {
        self.opt(key, v.map(num))
    }
    pub fn list(&mut self, key: &str, items: Vec<Value>) -> &mut Self {
        if !items.is_empty() {
            self.0.insert(key.into(), Value::Array(items));
        }
        self
    }
    pub fn done(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.0))
    }
}

/// An exact JSON number.
pub(super) fn number(d: Decimal) -> Value {
    num(d)
}

/// A UTC timestamp as OCPP writes it.
pub(super) fn timestamp(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

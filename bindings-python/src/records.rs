//! Core values → Python, through serde: the one conversion table for plain records.
//!
//! | Rust (serde)                          | Python                                        |
//! |---------------------------------------|-----------------------------------------------|
//! | `rust_decimal::Decimal`               | `decimal.Decimal` (exact text, scale kept)    |
//! | `DateTime<Utc>` / `DateTime<FixedOffset>` | aware `datetime`                          |
//! | wire enums (unit variants)            | their wire name (`str`)                       |
//! | a named struct                        | the `chargekit` record class registered under the struct's name (`chargekit._records.RECORDS`), else a `dict` |
//! | tuples                                | `tuple`                                       |
//! | sequences, maps                       | `list`, `dict`                                |
//! | integers, `bool`, `str`, `None`       | `int`, `bool`, `str`, `None`                  |
//!
//! Decimals and instants are recognised by the Rust type of the value being serialised
//! (their serde form is plain text, which a `str` field shares), so the table needs no
//! annotation in core. [`attr`] reads one field of a value (what a `#[pyclass]`'s
//! `__getattr__` returns) without converting the others.

use chrono::{DateTime, FixedOffset, Utc};
use pyo3::exceptions::{PyAttributeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;
use serde::ser::{self, Serialize};
use std::any::type_name;
use std::fmt;

static RECORDS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// The struct name under which serde_json (`arbitrary_precision`) serialises an exact number.
const JSON_NUMBER: &str = "$serde_json::private::Number";

/// A serde error that carries the Python exception that caused it.
#[derive(Debug)]
pub struct Error(PyErr);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> Self {
        e.0
    }
}

/// What a text leaf becomes, by the Rust type that produced it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Leaf {
    Plain,
    Decimal,
    UtcInstant,
    LocalInstant,
}

impl Leaf {
    fn of<T: ?Sized>() -> Leaf {
        // Sequences hand their elements over as references (`collect_seq`): `&Decimal` is a
        // decimal too.
        let name = type_name::<T>().trim_start_matches('&');
        if name == type_name::<Decimal>() {
            Leaf::Decimal
        } else if name == type_name::<DateTime<Utc>>() {
            Leaf::UtcInstant
        } else if name == type_name::<DateTime<FixedOffset>>() {
            Leaf::LocalInstant
        } else {
            Leaf::Plain
        }
    }
}

/// Converts a core value to Python (see the module table).
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(value.serialize(Ser {
        py,
        leaf: Leaf::of::<T>(),
    })?)
}

/// Converts each item of a slice (a list of records).
pub fn list_to_py<'py, T: Serialize>(py: Python<'py>, items: &[T]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in items {
        out.append(to_py(py, item)?)?;
    }
    Ok(out)
}

/// Field `name` of the struct `value`, converted; `AttributeError` when it has none.
pub fn attr<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mut pick = Pick {
        py,
        want: Some(name),
        found: None,
        names: Vec::new(),
    };
    value.serialize(&mut pick)?;
    match pick.found {
        Some(v) => Ok(v),
        None => Err(PyAttributeError::new_err(format!(
            "'{}' object has no attribute '{name}'",
            short_type_name::<T>()
        ))),
    }
}

/// The field names of the struct `value`, in declaration order (for `__dir__`).
pub fn field_names<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Vec<&'static str>> {
    let mut pick = Pick {
        py,
        want: None,
        found: None,
        names: Vec::new(),
    };
    value.serialize(&mut pick)?;
    Ok(pick.names)
}

/// `dir()` of a `#[pyclass]` whose fields come through [`attr`]: its own names and the
/// fields of `value`.
pub fn dir<T: Serialize>(obj: &Bound<'_, PyAny>, value: &T) -> PyResult<Vec<String>> {
    let mut names: Vec<String> = obj
        .py()
        .get_type::<pyo3::types::PyAny>()
        .getattr("__dir__")?
        .call1((obj,))?
        .extract()?;
    names.extend(
        field_names(obj.py(), value)?
            .into_iter()
            .map(str::to_string),
    );
    names.sort_unstable();
    names.dedup();
    Ok(names)
}

fn short_type_name<T: ?Sized>() -> &'static str {
    let full = type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

fn record<'py>(
    py: Python<'py>,
    name: &str,
    data: Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let records = RECORDS.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
        let module = py.import("chargekit._records")?;
        Ok(module.getattr("RECORDS")?.cast_into::<PyDict>()?.unbind())
    })?;
    match records.bind(py).get_item(name)? {
        Some(class) => class.call_method1("_from_data", (data,)),
        None => Ok(data.into_any()),
    }
}

#[derive(Clone, Copy)]
struct Ser<'py> {
    py: Python<'py>,
    leaf: Leaf,
}

impl<'py> Ser<'py> {
    fn child<T: ?Sized>(self) -> Ser<'py> {
        Ser {
            py: self.py,
            leaf: Leaf::of::<T>(),
        }
    }

    fn text(self, v: &str) -> Result<Bound<'py, PyAny>, Error> {
        let py = self.py;
        Ok(match self.leaf {
            Leaf::Plain => PyString::new(py, v).into_any(),
            Leaf::Decimal => Decimal::from_str_exact(v)
                .map_err(|e| <Error as ser::Error>::custom(format!("decimal {v:?}: {e}")))?
                .into_pyobject(py)?
                .into_any(),
            Leaf::UtcInstant => DateTime::parse_from_rfc3339(v)
                .map_err(|e| <Error as ser::Error>::custom(format!("instant {v:?}: {e}")))?
                .with_timezone(&Utc)
                .into_pyobject(py)?
                .into_any(),
            Leaf::LocalInstant => DateTime::parse_from_rfc3339(v)
                .map_err(|e| <Error as ser::Error>::custom(format!("instant {v:?}: {e}")))?
                .into_pyobject(py)?
                .into_any(),
        })
    }
}

macro_rules! int_methods {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<Bound<'py, PyAny>, Error> {
            Ok(v.into_bound_py_any(self.py)?)
        })*
    };
}

impl<'py> ser::Serializer for Ser<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Variant<Seq<'py>>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Struct<'py>;
    type SerializeStructVariant = Variant<Struct<'py>>;

    int_methods!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128, serialize_f32: f32, serialize_f64: f64,
        serialize_bool: bool);

    fn serialize_char(self, v: char) -> Result<Bound<'py, PyAny>, Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Bound<'py, PyAny>, Error> {
        self.text(v)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> Result<Bound<'py, PyAny>, Error> {
        self.text(&v.to_string())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Bound<'py, PyAny>, Error> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Result<Bound<'py, PyAny>, Error> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Bound<'py, PyAny>, Error> {
        v.serialize(self.child::<T>())
    }
    fn serialize_unit(self) -> Result<Bound<'py, PyAny>, Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Bound<'py, PyAny>, Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Bound<'py, PyAny>, Error> {
        Ok(PyString::new(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Bound<'py, PyAny>, Error> {
        v.serialize(self.child::<T>())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let d = PyDict::new(self.py);
        d.set_item(variant, v.serialize(self.child::<T>())?)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq {
            py: self.py,
            items: Vec::new(),
            tuple: false,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'py>, Error> {
        Ok(Seq {
            py: self.py,
            items: Vec::new(),
            tuple: true,
        })
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<'py>>, Error> {
        Ok(Variant {
            variant,
            inner: self.serialize_tuple(len)?,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'py>, Error> {
        Ok(Map {
            py: self.py,
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'py>, Error> {
        Ok(Struct {
            py: self.py,
            name,
            dict: PyDict::new(self.py),
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Struct<'py>>, Error> {
        Ok(Variant {
            variant,
            inner: self.serialize_struct(name, len)?,
        })
    }
}

pub struct Seq<'py> {
    py: Python<'py>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.items.push(to_py(self.py, v)?);
        Ok(())
    }
    fn finish(self) -> Result<Bound<'py, PyAny>, Error> {
        Ok(if self.tuple {
            PyTuple::new(self.py, self.items)?.into_any()
        } else {
            PyList::new(self.py, self.items)?.into_any()
        })
    }
}

impl<'py> ser::SerializeSeq for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.push(v)
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.push(v)
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.push(v)
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        self.finish()
    }
}

pub struct Map<'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.key = Some(to_py(self.py, k)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("map value without a key"))?;
        self.dict.set_item(key, to_py(self.py, v)?)?;
        Ok(())
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        Ok(self.dict.into_any())
    }
}

pub struct Struct<'py> {
    py: Python<'py>,
    name: &'static str,
    dict: Bound<'py, PyDict>,
}

impl<'py> ser::SerializeStruct for Struct<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.dict.set_item(key, to_py(self.py, v)?)?;
        Ok(())
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        if self.name == JSON_NUMBER {
            // A number serde_json keeps as its exact text (`arbitrary_precision`).
            let text: String = self.dict.values().get_item(0)?.extract()?;
            return Ser {
                py: self.py,
                leaf: Leaf::Decimal,
            }
            .text(&text);
        }
        Ok(record(self.py, self.name, self.dict)?)
    }
}

/// An enum variant with data: `{variant: data}` (serde's external tagging).
pub struct Variant<S> {
    variant: &'static str,
    inner: S,
}

fn wrap_variant<'py>(
    variant: &'static str,
    py: Python<'py>,
    v: Bound<'py, PyAny>,
) -> Result<Bound<'py, PyAny>, Error> {
    let d = PyDict::new(py);
    d.set_item(variant, v)?;
    Ok(d.into_any())
}

impl<'py> ser::SerializeTupleVariant for Variant<Seq<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.inner.push(v)
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        let py = self.inner.py;
        wrap_variant(self.variant, py, self.inner.finish()?)
    }
}

impl<'py> ser::SerializeStructVariant for Variant<Struct<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, v)
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        let py = self.inner.py;
        let data = self.inner.dict.into_any();
        wrap_variant(self.variant, py, data)
    }
}

/// Serialises only the top-level struct's field names, converting at most the one wanted.
struct Pick<'a, 'py> {
    py: Python<'py>,
    want: Option<&'a str>,
    found: Option<Bound<'py, PyAny>>,
    names: Vec<&'static str>,
}

fn not_a_struct() -> Error {
    <Error as ser::Error>::custom("only the fields of a struct can be read as attributes")
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, Error> {
            Err(not_a_struct())
        })*
    };
}

impl<'a, 'b, 'py> ser::Serializer for &'b mut Pick<'a, 'py> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    refuse! {
        serialize_bool(bool) -> (); serialize_i8(i8) -> (); serialize_i16(i16) -> ();
        serialize_i32(i32) -> (); serialize_i64(i64) -> (); serialize_u8(u8) -> ();
        serialize_u16(u16) -> (); serialize_u32(u32) -> (); serialize_u64(u64) -> ();
        serialize_f32(f32) -> (); serialize_f64(f64) -> (); serialize_char(char) -> ();
        serialize_str(&str) -> (); serialize_bytes(&[u8]) -> (); serialize_none() -> ();
        serialize_unit() -> (); serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
}

impl<'a, 'b, 'py> ser::SerializeStruct for &'b mut Pick<'a, 'py> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.names.push(key);
        if self.want == Some(key) {
            self.found = Some(to_py(self.py, v)?);
        }
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

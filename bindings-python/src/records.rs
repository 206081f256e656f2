//! Core values → Python, through serde: the one conversion table for plain records.
//!
//! | Rust (serde)                          | Python                                        |
//! |---------------------------------------|-----------------------------------------------|
//! | `rust_decimal::Decimal`               | `decimal.Decimal` (exact text, scale kept)    |
//! | `DateTime<Utc>` / `DateTime<FixedOffset>` | aware `datetime`                          |
//! | wire enums (unit variants)            | their wire name (`str`)                       |
//! | a named struct                        | the record class registered under the struct's name (`chargekit._records.RECORDS`), else a plain `Record`; a `dict` for the structs named in `_records.PLAIN` (OCPP documents) and everything below them |
//! | tuples                                | `tuple`                                       |
//! | sequences, maps                       | `list`, `dict`                                |
//! | integers, `bool`, `str`, `None`       | `int`, `bool`, `str`, `None`                  |
//!
//! Decimals and instants are recognised by the Rust type of the value being serialised
//! (their serde form is plain text, which a `str` field shares), so the table needs no
//! annotation in core. A record keeps its fields in its `__dict__`, so reading one is a plain
//! attribute lookup. [`to_plain`] gives dicts instead of records (error fields, option dicts,
//! session dicts); [`attr`] reads one field of a value (what a `#[pyclass]`'s `__getattr__`
//! returns) without converting the others.

use crate::errors::guarded;
use crate::Any;
use chrono::{DateTime, FixedOffset, Utc};
use pyo3::exceptions::{PyAttributeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use rust_decimal::Decimal;
use serde::ser::{self, Serialize};
use std::any::type_name;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// `(RECORDS, PLAIN, Record, object.__new__)` of `chargekit._records`.
static RECORD_TABLE: PyOnceLock<Table> = PyOnceLock::new();

/// The struct name under which the core serialises an exact number (its JSON text).
const JSON_NUMBER: &str = chargekit::json::NUMBER_STRUCT;

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

/// Converts a core value to Python (see the module table): structs become records.
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Any<'py>> {
    convert(py, value, false)
}

/// Converts a core value to plain Python data: structs become dicts.
pub fn to_plain<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Any<'py>> {
    convert(py, value, true)
}

fn convert<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
    plain: bool,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(value.serialize(Ser {
        py,
        leaf: Leaf::of::<T>(),
        plain,
    })?)
}

/// Runs a core call outside the GIL under [`guarded`] and converts its result by [`to_py`].
pub fn detached_to_py<'py, T: Serialize + Send>(
    py: Python<'py>,
    call: impl FnOnce() -> chargekit::Result<T> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &py.detach(|| guarded(call))?)
}

/// Converts each item of a slice (a list of records), a long one with the GC paused.
pub fn list_to_py<'py, T: Serialize>(py: Python<'py>, items: &[T]) -> PyResult<Bound<'py, PyList>> {
    let list = || Ok(to_py(py, items)?.cast_into::<PyList>()?);
    (items.len() < 64)
        .then(list)
        .unwrap_or_else(|| without_gc(py, list))
}

/// Runs `build`, which makes many records, with the cyclic GC paused: records form no cycles,
/// yet each few hundred set off a collection. The GIL is held, so no other thread sees it.
pub fn without_gc<'py, R>(py: Python<'py>, build: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    let gc = py.import(pyo3::intern!(py, "gc"))?;
    if !gc.call_method0("isenabled")?.is_truthy()? {
        return build();
    }
    gc.call_method0("disable")?;
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(build));
    gc.call_method0("enable")?;
    built.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
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
    let message = |ty| format!("'{ty}' object has no attribute '{name}'");
    let missing = || PyAttributeError::new_err(message(short_type_name::<T>()));
    pick.found.ok_or_else(missing)
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
    let object = obj.py().get_type::<PyAny>();
    let mut names: Vec<String> = object.getattr("__dir__")?.call1((obj,))?.extract()?;
    let fields = field_names(obj.py(), value)?;
    names.extend(fields.into_iter().map(str::to_string));
    names.sort_unstable();
    names.dedup();
    Ok(names)
}

fn short_type_name<T: ?Sized>() -> &'static str {
    let full = type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

type Table = (Py<PyDict>, Py<PyAny>, Py<PyAny>, Py<PyAny>);

fn table(py: Python<'_>) -> PyResult<&Table> {
    RECORD_TABLE.get_or_try_init(py, || -> PyResult<Table> {
        let module = py.import("chargekit._records")?;
        let object = py.get_type::<pyo3::types::PyAny>();
        Ok((
            module.getattr("RECORDS")?.cast_into::<PyDict>()?.unbind(),
            module.getattr("PLAIN")?.unbind(),
            module.getattr("Record")?.unbind(),
            object.getattr("__new__")?.unbind(),
        ))
    })
}

/// What a struct becomes, looked up once per struct name: a dict (`None`: the struct is
/// in `PLAIN`, and so is everything below it) or an instance of this record class.
type Shape = Option<Py<PyAny>>;

/// The shapes and the interned field names met so far, by the address of the `&'static
/// str` serde hands over (a cache: the same name at two addresses is looked up twice).
/// Per thread, so that reading it takes no lock (Python code runs on few threads).
#[derive(Default)]
struct Names {
    shapes: HashMap<(usize, usize), Shape, ByAddress>,
    keys: HashMap<(usize, usize), Py<PyString>, ByAddress>,
}

thread_local! {
    static NAMES: RefCell<Names> = RefCell::new(Names::default());
}

fn with_names<R>(f: impl FnOnce(&mut Names) -> R) -> R {
    NAMES.with(|names| f(&mut names.borrow_mut()))
}

/// Where a static name lives, and its length (two names may start at the same address).
fn address(name: &'static str) -> (usize, usize) {
    (name.as_ptr() as usize, name.len())
}

/// Hashes an address and length as they are: they are distinct already, and hashing them
/// with SipHash costs more than the rest of a lookup.
type ByAddress = BuildHasherDefault<AddressHasher>;

#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        // Spread the low bits (alignment makes them alike) over the table's buckets.
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = self.0.rotate_left(17) ^ n as u64;
    }
}

/// The shape of struct `name` (see [`Shape`]).
fn shape<'py>(py: Python<'py>, name: &'static str) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Some(known) = with_names(|n| {
        n.shapes
            .get(&address(name))
            .map(|s| s.as_ref().map(|c| c.clone_ref(py)))
    }) {
        return Ok(known.map(|c| c.into_bound(py)));
    }
    let (records, plain, base, _) = table(py)?;
    let found = if plain.bind(py).contains(name)? {
        None
    } else {
        Some(match records.bind(py).get_item(name)? {
            Some(class) => class,
            None => base.bind(py).clone(),
        })
    };
    let cached = found.as_ref().map(|c| c.clone().unbind());
    with_names(|n| n.shapes.insert(address(name), cached));
    Ok(found)
}

/// The field name `key` as an interned Python string (made once).
fn key<'py>(py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
    with_names(|n| {
        n.keys
            .entry(address(key))
            .or_insert_with(|| PyString::intern(py, key).unbind())
            .clone_ref(py)
    })
    .into_bound(py)
}

/// A new, empty instance of `class` (a `Record` subclass) and its `__dict__`, which holds
/// the record's fields (records refuse `__setattr__`, so the fields go into the dict).
fn record<'py>(class: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
    let py = class.py();
    let obj = table(py)?.3.bind(py).call1((class,))?;
    let dict = obj
        .getattr(pyo3::intern!(py, "__dict__"))?
        .cast_into::<PyDict>()?;
    Ok((obj, dict))
}

#[derive(Clone, Copy)]
struct Ser<'py> {
    py: Python<'py>,
    leaf: Leaf,
    /// Structs become dicts (else records).
    plain: bool,
}

impl<'py> Ser<'py> {
    fn child<T: ?Sized>(self) -> Ser<'py> {
        Ser {
            leaf: Leaf::of::<T>(),
            ..self
        }
    }

    fn text(self, v: &str) -> Result<Bound<'py, PyAny>, Error> {
        let py = self.py;
        Ok(match self.leaf {
            Leaf::Plain => PyString::new(py, v).into_any(),
            // The text is rust_decimal's own (or serde_json's exact number text): Python's
            // Decimal reads it as it is.
            Leaf::Decimal => crate::convert::decimal_type(py)?.call1((v,))?,
            // An instant outside Python's years 1 to 9999 is DateOutOfRangeError.
            Leaf::UtcInstant | Leaf::LocalInstant => DateTime::parse_from_rfc3339(v)
                .ok()
                .and_then(|t| match self.leaf {
                    Leaf::UtcInstant => t.with_timezone(&Utc).into_pyobject(py).ok(),
                    _ => t.into_pyobject(py).ok(),
                })
                .ok_or_else(|| Error(crate::errors::py_err(chargekit::Error::DateOutOfRange)))?
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
        serialize_u64: u64, serialize_u128: u128, serialize_f32: f32, serialize_bool: bool);

    /// Core types hold no floats: a float is a number of a `serde_json::Value` (data kept as
    /// given, e.g. `energy_mix`), which is a `Decimal` in Python, as every JSON number the
    /// core hands out (from its shortest text, the text that value prints).
    fn serialize_f64(self, v: f64) -> Result<Bound<'py, PyAny>, Error> {
        match serde_json::Number::from_f64(v) {
            Some(n) => Ok(crate::convert::decimal_type(self.py)?.call1((n.to_string(),))?),
            None => Ok(v.into_bound_py_any(self.py)?),
        }
    }

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
        wrap_variant(variant, self.py, v.serialize(self.child::<T>())?)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::new(),
            tuple: false,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'py>, Error> {
        let seq = self.serialize_seq(None)?;
        Ok(Seq { tuple: true, ..seq })
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
            ser: self,
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'py>, Error> {
        let fields = if name == JSON_NUMBER {
            Fields::Number(None)
        } else if self.plain {
            Fields::Dict(PyDict::new(self.py))
        } else {
            match shape(self.py, name)? {
                Some(class) => record(&class).map(|(obj, dict)| Fields::Record(obj, dict))?,
                None => Fields::Dict(PyDict::new(self.py)),
            }
        };
        Ok(Struct {
            py: self.py,
            fields,
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

/// A sequence's elements, each converted by a child of `ser`.
pub struct Seq<'py> {
    ser: Ser<'py>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.items.push(v.serialize(self.ser.child::<T>())?);
        Ok(())
    }
    fn finish(self) -> Result<Bound<'py, PyAny>, Error> {
        Ok(if self.tuple {
            PyTuple::new(self.ser.py, self.items)?.into_any()
        } else {
            PyList::new(self.ser.py, self.items)?.into_any()
        })
    }
}

/// A sequence, a tuple and a tuple struct all collect their elements into a [`Seq`].
macro_rules! seq_impl {
    ($($trait:ident::$method:ident),*) => {$(
        impl<'py> ser::$trait for Seq<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                self.push(v)
            }
            fn end(self) -> Result<Bound<'py, PyAny>, Error> {
                self.finish()
            }
        }
    )*};
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A map's entries, each key and value converted by a child of `ser`.
pub struct Map<'py> {
    ser: Ser<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.key = Some(k.serialize(self.ser.child::<T>())?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let no_key = || <Error as ser::Error>::custom("map value without a key");
        let key = self.key.take().ok_or_else(no_key)?;
        let value = v.serialize(self.ser.child::<T>())?;
        self.dict.set_item(key, value)?;
        Ok(())
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        // A map keyed by names (a flattened struct, counts per class) reads like a record.
        let keys = self.dict.keys();
        let named = keys.iter().all(|k| k.is_instance_of::<PyString>());
        if self.ser.plain || !named {
            return Ok(self.dict.into_any());
        }
        let (obj, dict) = record(table(self.ser.py)?.2.bind(self.ser.py))?;
        dict.update(self.dict.as_mapping())?;
        Ok(obj)
    }
}

pub struct Struct<'py> {
    py: Python<'py>,
    fields: Fields<'py>,
}

/// Where a struct's fields go.
enum Fields<'py> {
    /// A number the core writes as its exact text ([`JSON_NUMBER`]): its Python
    /// `Decimal`, made straight from that text.
    Number(Option<Bound<'py, PyAny>>),
    /// A dict, with everything below it.
    Dict(Bound<'py, PyDict>),
    /// A record and its `__dict__`.
    Record(Bound<'py, PyAny>, Bound<'py, PyDict>),
}

impl<'py> ser::SerializeStruct for Struct<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let py = self.py;
        match &mut self.fields {
            Fields::Number(number) => {
                *number = Some(v.serialize(Ser {
                    py,
                    leaf: Leaf::Decimal,
                    plain: true,
                })?)
            }
            Fields::Dict(dict) => dict.set_item(self::key(py, key), convert(py, v, true)?)?,
            Fields::Record(_, dict) => dict.set_item(self::key(py, key), convert(py, v, false)?)?,
        }
        Ok(())
    }
    fn end(self) -> Result<Bound<'py, PyAny>, Error> {
        Ok(match self.fields {
            Fields::Number(number) => {
                number.ok_or_else(|| <Error as ser::Error>::custom("a number without text"))?
            }
            Fields::Dict(dict) => dict.into_any(),
            Fields::Record(obj, _) => obj,
        })
    }
}

/// An enum variant with data: `{variant: data}` (serde's external tagging).
pub struct Variant<S> {
    variant: &'static str,
    inner: S,
}

fn wrap_variant<'py>(variant: &str, py: Python<'py>, v: Any<'py>) -> Result<Any<'py>, Error> {
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
        wrap_variant(self.variant, self.inner.ser.py, self.inner.finish()?)
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
        let data = ser::SerializeStruct::end(self.inner)?;
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
    ($($method:ident$(<$t:ident>)?($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method$(<$t: Serialize + ?Sized>)?(self, $(_: $arg),*) -> Result<$ret, Error> {
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
        serialize_unit_variant(&'static str, u32, &'static str) -> (); serialize_some<T>(&T) -> ();
        serialize_newtype_variant<T>(&'static str, u32, &'static str, &T) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
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

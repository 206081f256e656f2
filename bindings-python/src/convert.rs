//! Value conversions between Python objects and the core's types:
//! aware datetimes, exact decimals and JSON values.

use crate::errors::{guarded, py_err};
use chargekit::boundary::json_text;
use chargekit::json::{Map, Number, Value};
use chargekit::limits::{self, MAX_JSON_DEPTH};
use chargekit::Error as CoreError;
use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use rust_decimal::Decimal;
use std::str::FromStr;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEZONE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `str` → its text; one holding a lone surrogate has no UTF-8 form and is
/// `InvalidArgumentError` naming `what` (not `UnicodeEncodeError`).
pub fn str_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let s = obj.cast::<PyString>()?;
    s.to_cow()
        .map(|t| t.into_owned())
        .map_err(|e| bad_arg(what, format!("not Unicode text: {}", e.value(obj.py()))))
}

/// `InvalidArgumentError` for an argument whose value (not its type) is wrong.
pub fn bad_arg(argument: &str, reason: impl std::fmt::Display) -> PyErr {
    let (argument, reason) = (argument.into(), reason.to_string());
    py_err(CoreError::InvalidArgument { argument, reason })
}

/// `TypeError` "`expected`, got <the type of `obj`>" (an error reading the type's name is
/// raised instead).
pub fn wrong_type(obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    match obj.get_type().name() {
        Ok(name) => PyTypeError::new_err(format!("{expected}, got {name}")),
        Err(e) => e,
    }
}

/// A `str` argument, read by [`str_text`]: use it for every text parameter, as `&str` and
/// `String` parameters would raise `UnicodeEncodeError`.
pub struct Text(pub String);

impl FromPyObject<'_, '_> for Text {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        str_text(&obj, "a str argument").map(Text)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// An `int` argument of the Rust integer type `T`: out of its range is
/// `InvalidArgumentError` (not `OverflowError`); not an `int` is a `TypeError`.
pub struct Int<T>(pub T);

impl<T: TryFrom<i128>> FromPyObject<'_, '_> for Int<T> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        let ty = std::any::type_name::<T>();
        let range = || {
            let why = format!("{} is out of range for {ty}", obj.as_any());
            bad_arg("int argument", why)
        };
        match obj.extract::<i128>() {
            Ok(n) => T::try_from(n).map(Int).map_err(|_| range()),
            Err(_) if obj.is_instance_of::<PyInt>() => Err(range()),
            Err(e) => Err(e),
        }
    }
}

/// `decimal.Decimal`.
pub fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// [`wrong_type`], but a type whose name cannot be read is "?".
fn got(obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    PyTypeError::new_err(format!("{expected}, got {}", type_name(obj)))
}

/// An aware `datetime` → UTC instant. A naive datetime (no tzinfo, or a tzinfo whose
/// `utcoffset` is None) is a `TypeError`: chargekit never guesses a time zone.
pub fn aware_utc(obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = obj.py();
    if !obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        return Err(got(obj, "expected an aware datetime.datetime"));
    }
    if obj.call_method0("utcoffset")?.is_none() {
        return Err(PyTypeError::new_err(format!(
            "naive datetime {} has no time zone; pass an aware datetime (e.g. tzinfo=timezone.utc)",
            obj.repr()?
        )));
    }
    let utc = TIMEZONE
        .import(py, "datetime", "timezone")?
        .getattr("utc")?;
    // An aware datetime.min east of UTC has no UTC form in Python: OverflowError.
    let in_utc = obj.call_method1("astimezone", (utc,));
    in_utc
        .map_err(|e| bad_arg("datetime", e))?
        .extract::<DateTime<Utc>>()
}

/// What a Python float becomes when converting to JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Floats {
    /// Kept as the shortest JSON number that reads back to the same float (what
    /// `json.dumps` writes): for frames that were parsed by `json.loads`.
    Allow,
    /// `TypeError`: where a quantity is expected, it must be a `Decimal` (or an int).
    Reject,
}

/// A `decimal.Decimal` → its exact text (`str(d)`; `NaN`, `Infinity`, … when not finite,
/// which no decimal field reads: the core refuses it naming the field), or `None` when `obj`
/// is no Decimal.
pub fn decimal_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if !obj.is_instance(decimal_type(obj.py())?)? {
        return Ok(None);
    }
    let text = obj.str()?.extract::<String>()?;
    // `str` writes small and large Decimals in exponent form (`1E-28`), which the core's
    // decimal fields do not read: the same value in plain digits, when it fits a decimal.
    let exponent = text.contains(['E', 'e']);
    match exponent.then(|| Decimal::from_scientific(&text)) {
        Some(Ok(d)) => Ok(Some(d.to_string())),
        _ => Ok(Some(text)),
    }
}

/// A number's text as JSON: a number, or for a non-finite value (`NaN`, `inf`) a string that
/// every numeric field refuses with its path, where a raised error could not name it.
fn number_or_text(text: String) -> Value {
    match Number::from_text(&text) {
        Some(n) => Value::Number(n),
        None => Value::String(text),
    }
}

/// An `int` (not a `bool`) → its decimal text, or `None` when `obj` is no int.
pub fn int_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Ok(None);
    }
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Some(i.to_string()));
    }
    if let Ok(u) = obj.extract::<u64>() {
        return Ok(Some(u.to_string()));
    }
    // Larger ints (or int subclasses): int.__repr__ gives the plain digits.
    let repr = obj.py().get_type::<PyInt>().getattr("__repr__")?;
    Ok(Some(repr.call1((obj,))?.extract::<String>()?))
}

/// A Python object → JSON: None, bool, int, Decimal (an exact JSON number), float (see
/// [`Floats`]), str, aware datetime (RFC 3339 text), list/tuple, dict with str keys. The
/// tree is the core's ([`chargekit::json::Value`]): numbers keep their exact text.
pub fn py_to_json(obj: &Bound<'_, PyAny>, floats: Floats) -> PyResult<Value> {
    to_json(obj, floats, 0)
}

/// [`py_to_json`] at nesting `depth`: deeper than JSON text may nest is `TooLargeError`,
/// before the recursion could exhaust the stack.
fn to_json(obj: &Bound<'_, PyAny>, floats: Floats, depth: usize) -> PyResult<Value> {
    let nesting = || "nesting of lists and dicts".into();
    limits::check(nesting, depth, MAX_JSON_DEPTH, "MAX_JSON_DEPTH").map_err(py_err)?;
    // Objects of the exact built-in types (and `Decimal`) are recognised by a pointer
    // comparison of their type; subclasses and everything else take the checks below, in
    // their order. Both give the same value.
    if obj.is_exact_instance_of::<PyString>() {
        return Ok(Value::String(str_text(obj, "a str value")?));
    }
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        return dict_to_json(d, floats, depth);
    }
    if let Ok(list) = obj.cast_exact::<PyList>() {
        let mut out = Vec::with_capacity(list.len());
        for item in list.iter() {
            out.push(to_json(&item, floats, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
    }
    if obj.get_type().is(decimal_type(obj.py())?) {
        return Ok(number_or_text(decimal_text(obj)?.unwrap_or_default()));
    }
    py_to_json_general(obj, floats, depth)
}

fn dict_to_json(d: &Bound<'_, PyDict>, floats: Floats, depth: usize) -> PyResult<Value> {
    let mut map = Map::new();
    for (k, v) in d.iter() {
        if !k.is_instance_of::<PyString>() {
            return Err(got(&k, "JSON object keys must be str"));
        }
        map.insert(str_text(&k, "a dict key")?, to_json(&v, floats, depth + 1)?);
    }
    Ok(Value::Object(map))
}

fn py_to_json_general(obj: &Bound<'_, PyAny>, floats: Floats, depth: usize) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Some(text) = int_text(obj)? {
        return Ok(number_or_text(text));
    }
    if obj.is_instance_of::<PyFloat>() {
        return match floats {
            Floats::Reject => Err(PyTypeError::new_err(format!(
                "float {} is not accepted where an exact quantity is expected; use decimal.Decimal (or int)",
                obj.repr()?
            ))),
            Floats::Allow => {
                Ok(number_or_text(obj.repr()?.extract::<String>()?))
            }
        };
    }
    if let Some(text) = decimal_text(obj)? {
        return Ok(number_or_text(text));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(str_text(obj, "a str value")?));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            out.push(to_json(&item?, floats, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return dict_to_json(d, floats, depth);
    }
    if obj.is_instance(DATETIME.import(obj.py(), "datetime", "datetime")?)? {
        let t = aware_utc(obj)?;
        return Ok(Value::String(
            t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ));
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {} to JSON",
        type_name(obj)
    )))
}

/// How JSON numbers appear in Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// Every number is a `decimal.Decimal` (quantities).
    Decimal,
    /// Integers are `int`, other numbers `decimal.Decimal`.
    IntOrDecimal,
}

/// Reads `T` from a JSON tree through its exact text; errors are worded as serde_json words
/// them for a value (no position).
pub fn from_json<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_str(&v.to_string()).map_err(|e| without_position(&e))
}

pub use chargekit::json::without_position;

/// JSON text from the core → Python, numbers from their exact text (see [`json_to_py`]).
pub fn json_text_to_py<'py>(
    py: Python<'py>,
    text: &str,
    numbers: Numbers,
) -> PyResult<Bound<'py, PyAny>> {
    let v = Value::from_text(text).map_err(|e| PyValueError::new_err(e.to_string()))?;
    json_to_py(py, &v, numbers)
}

/// JSON → Python, never through a float.
pub fn json_to_py<'py>(
    py: Python<'py>,
    v: &Value,
    numbers: Numbers,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (numbers, n.as_str().parse::<i64>()) {
            (Numbers::IntOrDecimal, Ok(i)) => i.into_pyobject(py)?.into_any(),
            _ => decimal_type(py)?.call1((n.as_str(),))?,
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item, numbers)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item, numbers)?)?;
            }
            dict.into_any()
        }
    })
}

/// The `messages` argument as OCPP-J text for the core: `str`/`bytes` as they are, a list of
/// `str` lines joined, parsed frames (lists) and envelopes (dicts), alone or in a list, as
/// their text (read with exact numbers, where a `serde_json::Value` would hold `f64`s), or an
/// `ocpp` message object's `to_json()`.
pub fn messages(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return str_text(obj, "messages");
    }
    if let Some(text) = bytes_text(obj)? {
        return Ok(text);
    }
    if obj.is_instance_of::<PyDict>() {
        return Ok(py_to_json(obj, Floats::Allow)?.to_string());
    }
    let items: Vec<Bound<'_, PyAny>> = match obj.try_iter() {
        Ok(it) => it.collect::<PyResult<_>>()?,
        // A message object of the `ocpp` library (`Call`, `CallResult`, `CallError`).
        Err(_) => match obj.call_method0("to_json") {
            Ok(text) => return str_text(&text, "messages"),
            Err(_) => return Err(got(obj, "messages must be JSON text, an ocpp message, a list of frames/envelopes or a list of lines")),
        },
    };
    if !items.is_empty() && items.iter().all(|x| x.is_instance_of::<PyString>()) {
        let lines = items.iter().map(|x| str_text(x, "messages"));
        return Ok(lines.collect::<PyResult<Vec<_>>>()?.join("\n"));
    }
    let values = items.iter().map(|x| py_to_json(x, Floats::Allow));
    Ok(Value::Array(values.collect::<PyResult<_>>()?).to_string())
}

/// An exact quantity argument → its decimal text: a `Decimal`, an `int` or decimal text
/// (the core parses it), never a `float`. `name` is the argument, for the message.
pub fn quantity_text(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    if let Some(text) = decimal_text(obj)? {
        return Ok(text);
    }
    if let Some(text) = int_text(obj)? {
        return Ok(text);
    }
    if obj.is_instance_of::<PyString>() {
        return str_text(obj, name);
    }
    Err(PyTypeError::new_err(format!(
        "`{name}` is an exact quantity: pass a decimal.Decimal or an int, not {}",
        type_name(obj)
    )))
}

/// `bytes`/`bytearray` → their UTF-8 text (else `InvalidJsonError` naming line and byte);
/// `None` for other types.
fn bytes_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if !(obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>()) {
        return Ok(None);
    }
    let bytes: Vec<u8> = obj.extract()?;
    Ok(Some(guarded(|| json_text(&bytes).map(str::to_owned))?))
}

/// A JSON document argument → JSON text: `str`/`bytes` as they are, or parsed data (a
/// dict or list; floats are kept as the shortest text that reads back to them, i.e. as
/// `json.loads` read them). `what` names the argument, for the message.
pub fn document_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return str_text(obj, what);
    }
    if let Some(text) = bytes_text(obj)? {
        return Ok(text);
    }
    if obj.is_instance_of::<PyDict>() || obj.is_instance_of::<PyList>() {
        return Ok(py_to_json(obj, Floats::Allow)?.to_string());
    }
    Err(got(obj, &format!("{what} must be JSON text or a dict")))
}

/// A time zone argument named `arg`: an IANA name (`str`) or a `zoneinfo.ZoneInfo` (its
/// `key`); anything else is a `TypeError`.
pub fn zone_name(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<String> {
    let name = match obj.is_instance_of::<PyString>() {
        true => Some(obj.clone()),
        false => obj.getattr("key").ok(),
    };
    match name.filter(|n| n.is_instance_of::<PyString>()) {
        Some(name) => str_text(&name, arg),
        None => Err(got(
            obj,
            &format!("{arg} must be an IANA name (str) or a zoneinfo.ZoneInfo"),
        )),
    }
}

/// An optional time zone argument (see [`zone_name`]); None stays None.
pub fn zone_arg(obj: Option<&Bound<'_, PyAny>>, arg: &str) -> PyResult<Option<String>> {
    obj.filter(|o| !o.is_none())
        .map(|o| zone_name(o, arg))
        .transpose()
}

/// An optional exact quantity argument (see [`quantity_text`]; None stays None) as a
/// `Decimal`: text that is no decimal number is `InvalidArgumentError` naming `name`.
pub fn decimal_arg(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<Decimal>> {
    obj.filter(|o| !o.is_none())
        .map(|o| Decimal::from_str(&quantity_text(o, name)?).map_err(|e| bad_arg(name, e)))
        .transpose()
}

/// An options dict read through the core's serde form by `read` (its JSON reader); None
/// stays None (the defaults); anything but a dict is a `TypeError` (`expected`, got …).
pub fn options<T>(
    options: Option<&Bound<'_, PyAny>>,
    expected: &str,
    read: impl Fn(&str) -> chargekit::Result<T>,
) -> PyResult<Option<T>> {
    match options.filter(|o| !o.is_none()) {
        None => Ok(None),
        Some(o) if o.is_instance_of::<PyDict>() => {
            let text = py_to_json(o, Floats::Reject)?.to_string();
            Ok(Some(guarded(|| read(&text))?))
        }
        Some(o) => Err(wrong_type(o, expected)),
    }
}

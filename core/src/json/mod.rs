//! JSON with exact numbers, and the JSON helpers every module uses.
//!
//! chargekit reads and writes decimals (money, energy) as the text of their JSON numbers,
//! never through `f64`, without serde_json's `arbitrary_precision` (a feature that would
//! change how every other crate of an application reads JSON numbers): [`number`] holds
//! the one reader and writer of that text, [`Value`] is a JSON tree whose numbers are their
//! text (what the bindings hand to and take from other languages). Also: reading JSON into
//! typed values with the path of the field that failed, serde_json messages without their
//! position, `Display` serialisation.
//!
//! Owns: nothing of the domain. Imports: nothing of chargekit (foundation layer).

pub(crate) mod number;
mod tree;

pub use tree::{Map, Number, Value};

/// The struct name under which chargekit serialises an exact number: serde_json's raw-value
/// name, so that serde_json writes the number's text as it is. A serializer of another
/// format recognises it (the Python binding does): one field, the number's JSON text.
///
/// ```
/// use chargekit::json::{Value, NUMBER_STRUCT};
/// assert_eq!(NUMBER_STRUCT, "$serde_json::private::RawValue");
/// assert_eq!(serde_json::to_string(&Value::from_text("12.30").unwrap()).unwrap(), "12.30");
/// ```
pub const NUMBER_STRUCT: &str = number::RAW_VALUE;

/// Reads JSON text into `T`; on failure, the path of the offending field (`.` for the
/// document itself) and serde_json's error, for each module to phrase as it needs.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, (String, serde_json::Error)> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| (e.path().to_string(), e.into_inner()))
}

/// Serialises a value as its `Display` text (e.g. a transaction key as `"42"`).
pub(crate) fn display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// A serde_json message without its " at line L column C" suffix: reading a value's text
/// gives the message reading the value gave.
///
/// ```
/// let e = serde_json::from_str::<u8>("true").unwrap_err();
/// assert_eq!(chargekit::json::without_position(&e), "invalid type: boolean `true`, expected u8");
/// ```
pub fn without_position(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

//! JSON helpers every module uses: reading JSON into typed values with the path of the field
//! that failed, exact decimal numbers ([`number`]), serde_json messages without their
//! position, `Display` serialisation.
//!
//! Owns: nothing of the domain. Imports: nothing of chargekit (foundation layer).

pub(crate) mod number;
pub(crate) mod tree;

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

/// A serde_json message without its " at line L column C" suffix.
pub(crate) fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

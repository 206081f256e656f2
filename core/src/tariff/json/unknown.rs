//! Keys an object has but its model does not read: reported as unexpected or misspelled
//! fields, in the order the `Value` reader reports them (sorted, once each).

use crate::tariff::parse::{normalise, ParseWarning, ParseWarningKind};
use std::borrow::Cow;

/// The keys of an object that its model does not read, as written.
pub(crate) type Unknown<'de> = Vec<Cow<'de, str>>;

/// Reports each unknown key of the object at `path`: misspelled when it normalises to one
/// of `fields` (the fields the reader asked for), else unexpected.
pub(crate) fn report(
    unknown: &[Cow<'_, str>],
    fields: &[&str],
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) {
    if unknown.is_empty() {
        return;
    }
    let mut keys: Vec<&str> = unknown.iter().map(|k| k.as_ref()).collect();
    keys.sort_unstable();
    keys.dedup();
    let object = path();
    for key in keys {
        let norm = normalise(key);
        let kind = match fields.iter().find(|k| normalise(k) == norm) {
            Some(expected) => ParseWarningKind::MisspelledField {
                found: key.to_string(),
                expected: (*expected).to_string(),
            },
            None => ParseWarningKind::UnexpectedField,
        };
        warnings.push(ParseWarning::new(format!("{object}.{key}"), kind));
    }
}

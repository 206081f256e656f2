//! Borrowed models of OCPI tariff JSON: each scalar field is the JSON text of its value,
//! each object remembers the keys it does not know.
//!
//! Only containers are typed: one of another type fails the parse, and the input goes to
//! the `Value` reader, which says what is wrong. Everything else is judged in [`read`](super::read).

use super::scalar::Slot;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// An object key, borrowed from the input unless it has escapes.
pub(crate) struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// How a model reads the value of one of its fields.
pub(crate) trait FieldValue<'de>: Sized {
    /// Reads the value of the current key.
    fn read<A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
}

/// A scalar keeps its JSON text, `null` included: some readers tell a null from an absent key.
impl<'de> FieldValue<'de> for Slot<'de> {
    fn read<A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<Checked<'de>>().map(|c| Some(c.0))
    }
}

/// The JSON text of a value the models keep as text or skip, refused (so that the input
/// goes to the `Value` reader) where a full parse could judge it otherwise: serde_json's
/// skipping checks neither its nesting limit (128) nor the surrogate pairs of `\u` escapes.
pub(crate) struct Checked<'de>(pub &'de RawValue);

/// Nesting a skipped value may have: the models themselves add less than 28.
const MAX_SKIPPED_DEPTH: usize = 100;

impl<'de> Deserialize<'de> for Checked<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        let text = raw.get();
        // So deep a value has as many opening brackets, which are quicker counted than
        // strings told apart; and twice as many bytes, which are quicker still.
        let deep = text.len() >= 2 * MAX_SKIPPED_DEPTH
            && text.starts_with(['[', '{'])
            && text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() >= MAX_SKIPPED_DEPTH
            && nesting_depth(text.as_bytes()) >= MAX_SKIPPED_DEPTH;
        if deep || (text.contains('\\') && text.contains("\\u")) {
            return Err(serde::de::Error::custom("for the Value reader"));
        }
        Ok(Checked(raw))
    }
}

/// The deepest nesting of arrays and objects in JSON text (brackets in strings skipped).
pub(crate) fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A field that is a container (an array of models, a boxed model, an [`IfObject`] or an
/// [`IfArray`]), read by its own `Deserialize`; scalars are [`Slot`]s instead.
pub(crate) trait Container {}

impl<T> Container for Vec<T> {}
impl<T> Container for Box<T> {}
impl<T> Container for IfObject<T> {}
impl<T> Container for IfArray<T> {}

/// A container; `None` when absent or null.
impl<'de, T: Deserialize<'de> + Container> FieldValue<'de> for Option<T> {
    fn read<A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }
}

/// Defines a model and its `Deserialize`: the named fields by their JSON keys, every other
/// key kept in `unknown` (its value skipped), unless the model is marked `(unknown_ignored)`.
/// A field is `name`, `name = "key"` or `name: Type`: its key is its name unless given, its
/// type a [`Slot`] unless given (most fields are scalars named as in OCPI).
macro_rules! json_object {
    (@keep) => { true };
    (@keep unknown_ignored) => { false };
    (@type) => { $crate::tariff::json::scalar::Slot<'de> };
    (@type $ty:ty) => { $ty };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
    (
        $(#[$meta:meta])*
        $name:ident $(($ignored:ident))? {
            $($(#[$fmeta:meta])* $field:ident $(: $ty:ty)? $(= $key:literal)?),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Default)]
        pub(crate) struct $name<'de> {
            $($(#[$fmeta])* pub $field: $crate::tariff::json::raw::json_object!(@type $($ty)?),)*
            /// Keys the model does not read (none kept when marked `unknown_ignored`).
            pub unknown: $crate::tariff::json::unknown::Unknown<'de>,
        }

        impl $name<'_> {
            /// The JSON keys of the fields, as the reader asks for them.
            #[allow(dead_code)]
            pub const FIELDS: &'static [&'static str] =
                &[$($crate::tariff::json::raw::json_object!(@key $field $($key)?)),*];
        }

        impl<'de> ::serde::Deserialize<'de> for $name<'de> {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name<'de>;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                        let mut out = $name::default();
                        while let Some($crate::tariff::json::raw::Key(key)) = map.next_key()? {
                            match key.as_ref() {
                                // A repeated key: the last value wins, as in a `Value`.
                                $($crate::tariff::json::raw::json_object!(@key $field $($key)?) =>
                                    out.$field = $crate::tariff::json::raw::FieldValue::read(&mut map)?,)*
                                _ => {
                                    map.next_value::<$crate::tariff::json::raw::Checked<'de>>()?;
                                    if $crate::tariff::json::raw::json_object!(@keep $($ignored)?) {
                                        out.unknown.push(key);
                                    }
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(ObjectVisitor)
            }
        }
    };
}

pub(crate) use json_object;

json_object! {
    /// An OCPI tariff (any version).
    RawTariff {
        country_code, party_id, id, currency, tariff_type = "type", tariff_alt_text,
        tariff_alt_url, min_price, max_price, start_date_time, end_date_time, energy_mix,
        last_updated, tax_included, preauthorize_amount, idle_fee,
        /// `None`: absent or null.
        elements: Option<Vec<RawElement<'de>>>,
    }
}

json_object! {
    /// A tariff element.
    RawElement {
        /// `None`: absent or null.
        price_components: Option<Vec<RawComponent<'de>>>,
        /// `None`: absent or null. Boxed: most of an element's size, moved less.
        restrictions: Option<Box<RawRestrictions<'de>>>,
    }
}

json_object! {
    /// A price component.
    RawComponent { dimension = "type", price, vat, step_size }
}

json_object! {
    /// The restrictions of an element.
    RawRestrictions {
        start_time, end_time, start_date, end_date, min_kwh, max_kwh, min_current,
        max_current, min_power, max_power, min_duration, max_duration, day_of_week,
        reservation,
    }
}

json_object! {
    /// A price bound as an object: 2.1.1/2.2.1 and 2.3.0 keys alike (the reader picks a pair).
    RawPriceLimit { excl_vat, incl_vat, before_taxes, after_taxes }
}

/// A field read as `T` when it is an object; any other value is `NotAnObject` (for readers
/// that pass over such values, as `Value::get` does).
pub(crate) enum IfObject<T> {
    /// An object.
    Object(T),
    /// Anything else.
    NotAnObject,
}

/// A field read as items `T` when it is an array; any other value is `NotAnArray`.
pub(crate) enum IfArray<T> {
    /// An array.
    Array(Vec<T>),
    /// Anything else.
    NotAnArray,
}

/// What [`IfObject`] and [`IfArray`] make of a value, by its type.
trait ByType<'de>: Sized {
    /// Any value but a map or a sequence.
    const OTHER: Self;
    /// An object.
    fn map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    /// An array.
    fn seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error>;
}

/// The visitor of any JSON value, for a [`ByType`].
struct AnyValue<T>(PhantomData<T>);

// Should another crate of the build enable serde_json's `arbitrary_precision` (cargo unifies
// features), `deserialize_any` visits a number as a map of one private key: an `IfObject` model then reads no field of it, as it reads none of a
// number without that feature, and an `IfArray` passes over it like any map.
impl<'de, T: ByType<'de>> Visitor<'de> for AnyValue<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::seq(seq)
    }
    fn visit_bool<E>(self, _: bool) -> Result<T, E> {
        Ok(T::OTHER)
    }
    fn visit_i64<E>(self, _: i64) -> Result<T, E> {
        Ok(T::OTHER)
    }
    fn visit_u64<E>(self, _: u64) -> Result<T, E> {
        Ok(T::OTHER)
    }
    fn visit_f64<E>(self, _: f64) -> Result<T, E> {
        Ok(T::OTHER)
    }
    fn visit_str<E>(self, _: &str) -> Result<T, E> {
        Ok(T::OTHER)
    }
    fn visit_unit<E>(self) -> Result<T, E> {
        Ok(T::OTHER)
    }
}

impl<'de, T: Deserialize<'de>> ByType<'de> for IfObject<T> {
    const OTHER: Self = IfObject::NotAnObject;
    fn map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(IfObject::Object)
    }
    fn seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<Checked<'de>>()?.is_some() {}
        Ok(Self::OTHER)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for IfObject<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyValue(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> ByType<'de> for IfArray<T> {
    const OTHER: Self = IfArray::NotAnArray;
    fn map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<Key<'de>, Checked<'de>>()?.is_some() {}
        Ok(Self::OTHER)
    }
    fn seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(IfArray::Array(items))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for IfArray<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyValue(PhantomData))
    }
}

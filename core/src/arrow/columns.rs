//! Typed views of the columns of an input batch. Each view accepts the Arrow types that
//! hold its values exactly (any string layout, any timestamp unit with a time zone, decimals
//! and integers) and refuses the others by name: a float column is not exact money.

use super::values::{raw_to_decimal, raw_to_instant, Cell};
use crate::Error;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt32Type,
};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, Int32Array, Int64Array, LargeStringArray, RecordBatch,
    StringArray, StringViewArray, UInt32Array,
};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

fn schema_error(column: &str, reason: impl Into<String>) -> Error {
    Error::ArrowSchema {
        column: column.into(),
        reason: reason.into(),
    }
}

fn wrong_type(column: &str, found: &DataType, expected: &str) -> Error {
    schema_error(column, format!("has type {found}; expected {expected}"))
}

/// The column `name` of `batch`, or None when the batch has no such column.
fn find<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a ArrayRef> {
    batch.column_by_name(name)
}

/// A required column: its absence is an error.
pub(crate) fn required<T>(view: Option<T>, name: &str) -> Result<T, Error> {
    view.ok_or_else(|| schema_error(name, "is required but missing"))
}

/// A column of text in any of Arrow's string layouts, resolved once (rows are read in a
/// hot loop).
pub(crate) struct Texts<'a> {
    name: &'a str,
    array: TextArray<'a>,
}

enum TextArray<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> Texts<'a> {
    pub(crate) fn of(batch: &'a RecordBatch, name: &'a str) -> Result<Option<Self>, Error> {
        find(batch, name)
            .map(|a| Self::from_array(name, a.as_ref()))
            .transpose()
    }

    fn from_array(name: &'a str, array: &'a dyn Array) -> Result<Self, Error> {
        let array = match array.data_type() {
            DataType::Utf8 => TextArray::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => TextArray::Large(array.as_string::<i64>()),
            DataType::Utf8View => TextArray::View(array.as_string_view()),
            other => return Err(wrong_type(name, other, "utf8")),
        };
        Ok(Self { name, array })
    }

    /// The text at `row`, None when null.
    pub(crate) fn get(&self, row: usize) -> Option<&'a str> {
        match self.array {
            TextArray::Utf8(a) => (!a.is_null(row)).then(|| a.value(row)),
            TextArray::Large(a) => (!a.is_null(row)).then(|| a.value(row)),
            TextArray::View(a) => (!a.is_null(row)).then(|| a.value(row)),
        }
    }

    /// The text at `row`; null is an error.
    pub(crate) fn value(&self, row: usize) -> Result<&'a str, Error> {
        self.get(row).ok_or_else(|| null(self.name, row))
    }
}

fn null(column: &str, row: usize) -> Error {
    Cell { column, row }.error("is null but the column is required")
}

/// A column of instants: a timestamp of any unit that names a time zone.
pub(crate) struct Instants<'a> {
    name: &'a str,
    array: &'a dyn Array,
    values: &'a [i64],
    unit: TimeUnit,
}

impl<'a> Instants<'a> {
    pub(crate) fn of(batch: &'a RecordBatch, name: &'a str) -> Result<Option<Self>, Error> {
        let Some(array) = find(batch, name) else {
            return Ok(None);
        };
        let array = array.as_ref();
        let DataType::Timestamp(unit, tz) = array.data_type() else {
            return Err(wrong_type(
                name,
                array.data_type(),
                "timestamp with a time zone",
            ));
        };
        if tz.is_none() {
            // A naive timestamp could be local time or UTC: guessing would shift sessions.
            return Err(schema_error(
                name,
                "is a timestamp without a time zone; give it one (e.g. UTC)",
            ));
        }
        let values: &[i64] = match unit {
            TimeUnit::Second => array.as_primitive::<TimestampSecondType>().values(),
            TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().values(),
            TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().values(),
            TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().values(),
        };
        Ok(Some(Self {
            name,
            array,
            values,
            unit: *unit,
        }))
    }

    /// The instant at `row`, None when null.
    pub(crate) fn get(&self, row: usize) -> Result<Option<DateTime<Utc>>, Error> {
        if self.array.is_null(row) {
            return Ok(None);
        }
        let cell = Cell {
            column: self.name,
            row,
        };
        raw_to_instant(self.values[row], self.unit, cell).map(Some)
    }

    /// The instant at `row`; null is an error.
    pub(crate) fn value(&self, row: usize) -> Result<DateTime<Utc>, Error> {
        self.get(row)?.ok_or_else(|| null(self.name, row))
    }
}

/// A column of exact numbers: `decimal128` of any scale, or 32/64-bit integers.
pub(crate) struct Decimals<'a> {
    name: &'a str,
    array: NumberArray<'a>,
}

enum NumberArray<'a> {
    Decimal(&'a Decimal128Array, i8),
    Int64(&'a Int64Array),
    Int32(&'a Int32Array),
    UInt32(&'a UInt32Array),
}

impl<'a> Decimals<'a> {
    pub(crate) fn of(batch: &'a RecordBatch, name: &'a str) -> Result<Option<Self>, Error> {
        find(batch, name)
            .map(|array| {
                let array = match array.data_type() {
                    DataType::Decimal128(_, scale) => {
                        NumberArray::Decimal(array.as_primitive::<Decimal128Type>(), *scale)
                    }
                    DataType::Int64 => NumberArray::Int64(array.as_primitive::<Int64Type>()),
                    DataType::Int32 => NumberArray::Int32(array.as_primitive::<Int32Type>()),
                    DataType::UInt32 => NumberArray::UInt32(array.as_primitive::<UInt32Type>()),
                    other => return Err(wrong_type(name, other, "decimal128 or an integer type")),
                };
                Ok(Self { name, array })
            })
            .transpose()
    }

    /// The number at `row`, None when null.
    pub(crate) fn get(&self, row: usize) -> Result<Option<Decimal>, Error> {
        let cell = Cell {
            column: self.name,
            row,
        };
        Ok(match self.array {
            NumberArray::Decimal(a, scale) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                Some(raw_to_decimal(a.value(row), scale, cell)?)
            }
            NumberArray::Int64(a) => (!a.is_null(row)).then(|| Decimal::from(a.value(row))),
            NumberArray::Int32(a) => (!a.is_null(row)).then(|| Decimal::from(a.value(row))),
            NumberArray::UInt32(a) => (!a.is_null(row)).then(|| Decimal::from(a.value(row))),
        })
    }

    /// The number at `row`; null is an error.
    pub(crate) fn value(&self, row: usize) -> Result<Decimal, Error> {
        self.get(row)?.ok_or_else(|| null(self.name, row))
    }
}

/// A column of whole seconds or counts: 32/64-bit integers.
pub(crate) struct Integers<'a> {
    array: &'a dyn Array,
}

impl<'a> Integers<'a> {
    pub(crate) fn of(batch: &'a RecordBatch, name: &'a str) -> Result<Option<Self>, Error> {
        find(batch, name)
            .map(|array| match array.data_type() {
                DataType::Int64 | DataType::Int32 | DataType::UInt32 => Ok(Self {
                    array: array.as_ref(),
                }),
                other => Err(wrong_type(name, other, "int64")),
            })
            .transpose()
    }

    /// The integer at `row`, None when null.
    pub(crate) fn get(&self, row: usize) -> Option<i64> {
        let a = self.array;
        (!a.is_null(row)).then(|| match a.data_type() {
            DataType::Int64 => a.as_primitive::<Int64Type>().value(row),
            DataType::Int32 => i64::from(a.as_primitive::<Int32Type>().value(row)),
            _ => i64::from(a.as_primitive::<UInt32Type>().value(row)),
        })
    }
}

/// A column of lists of text (`list<utf8>` or `large_list<utf8>`).
pub(crate) struct TextLists<'a> {
    name: &'a str,
    array: &'a dyn Array,
}

impl<'a> TextLists<'a> {
    pub(crate) fn of(batch: &'a RecordBatch, name: &'a str) -> Result<Option<Self>, Error> {
        find(batch, name)
            .map(|array| match array.data_type() {
                DataType::List(item) | DataType::LargeList(item)
                    if matches!(
                        item.data_type(),
                        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                    ) =>
                {
                    Ok(Self {
                        name,
                        array: array.as_ref(),
                    })
                }
                other => Err(wrong_type(name, other, "list<utf8>")),
            })
            .transpose()
    }

    /// The texts at `row` (empty when null; null items are an error).
    pub(crate) fn get(&self, row: usize) -> Result<Vec<String>, Error> {
        let empty = match self.array.data_type() {
            DataType::LargeList(_) => self.array.as_list::<i64>().value_length(row) == 0,
            _ => self.array.as_list::<i32>().value_length(row) == 0,
        };
        if self.array.is_null(row) || empty {
            return Ok(Vec::new());
        }
        let items = match self.array.data_type() {
            DataType::LargeList(_) => self.array.as_list::<i64>().value(row),
            _ => self.array.as_list::<i32>().value(row),
        };
        let texts = Texts::from_array(self.name, items.as_ref())?;
        (0..items.len())
            .map(|i| {
                texts
                    .get(i)
                    .map(str::to_owned)
                    .ok_or_else(|| null(self.name, row))
            })
            .collect()
    }
}

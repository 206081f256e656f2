//! Output batches built column by column. The schema of every output table is whatever
//! its writer builds here, so the documented schema and the data cannot drift apart.

use super::values::{decimal_to_raw, instant_to_micros, Cell};
use super::DECIMAL_SCALE;
use crate::Error;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, Decimal128Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::sync::Arc;

/// The precision of every decimal column: the most `decimal128` allows.
const DECIMAL_PRECISION: u8 = 38;

/// The type of every timestamp column.
pub(crate) fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal {
        reason: format!("building an Arrow batch: {e}"),
    }
}

/// Columns of one output batch, in order.
#[derive(Default)]
pub(crate) struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, name: &str, nullable: bool, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), nullable));
        self.arrays.push(array);
    }

    pub(crate) fn text<'a>(
        &mut self,
        name: &str,
        nullable: bool,
        values: impl Iterator<Item = Option<&'a str>>,
    ) {
        self.push(name, nullable, Arc::new(values.collect::<StringArray>()));
    }

    pub(crate) fn instants(
        &mut self,
        name: &str,
        nullable: bool,
        values: impl Iterator<Item = Option<DateTime<Utc>>>,
    ) -> Result<(), Error> {
        let micros = values
            .enumerate()
            .map(|(row, v)| {
                v.map(|at| instant_to_micros(at, Cell { column: name, row }))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let array = TimestampMicrosecondArray::from(micros).with_timezone("UTC");
        self.push(name, nullable, Arc::new(array));
        Ok(())
    }

    pub(crate) fn decimals(
        &mut self,
        name: &str,
        nullable: bool,
        values: impl Iterator<Item = Option<Decimal>>,
    ) -> Result<(), Error> {
        let raw = values
            .enumerate()
            .map(|(row, v)| {
                v.map(|d| decimal_to_raw(d, Cell { column: name, row }))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let array = Decimal128Array::from(raw)
            .with_precision_and_scale(DECIMAL_PRECISION, DECIMAL_SCALE)
            .map_err(internal)?;
        self.push(name, nullable, Arc::new(array));
        Ok(())
    }

    pub(crate) fn integers(
        &mut self,
        name: &str,
        nullable: bool,
        values: impl Iterator<Item = Option<i64>>,
    ) {
        self.push(name, nullable, Arc::new(values.collect::<Int64Array>()));
    }

    pub(crate) fn text_lists<'a, I>(&mut self, name: &str, values: impl Iterator<Item = I>)
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut builder = ListBuilder::new(StringBuilder::new());
        for list in values {
            for text in list {
                builder.values().append_value(text);
            }
            builder.append(true);
        }
        self.push(name, false, Arc::new(builder.finish()));
    }

    pub(crate) fn finish(self) -> Result<RecordBatch, Error> {
        RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.arrays).map_err(internal)
    }
}

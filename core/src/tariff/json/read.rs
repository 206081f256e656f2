//! The raw models into [`Tariff`]: every rule, error and warning of the `Value` reader
//! (`tariff::parse`), checked in its order.

use super::raw::{RawComponent, RawElement, RawPriceLimit, RawRestrictions, RawTariff};
use super::scalar::{as_str, datetime, decimal, is_number, present, string, Slot};
use super::unknown::report;
use crate::json::Value;
use crate::tariff::parse::{
    self, add_day, duration_s, elements, enum_value, invalid_idle_fee, step_size, vat,
    ParseWarning, ParseWarningKind,
};
use crate::tariff::*;
use crate::Error;
use serde_json::value::RawValue;
use std::str::FromStr;

/// A price bound as written: a bare number, an object, or something else.
enum LimitShape<'de> {
    Number(&'de RawValue),
    Object(RawPriceLimit<'de>),
    Other,
}

fn limit_shape(slot: Slot<'_>) -> Option<LimitShape<'_>> {
    let v = present(slot)?;
    Some(if is_number(v) {
        LimitShape::Number(v)
    } else if v.get().starts_with('{') {
        // A small, rare object: read again from its text.
        match serde_json::from_str::<RawPriceLimit<'_>>(v.get()) {
            Ok(p) => LimitShape::Object(p),
            Err(_) => LimitShape::Other,
        }
    } else {
        LimitShape::Other
    })
}

/// The OCPI version by the rule of `parse::detect_version`.
pub(crate) fn detect_version(t: &RawTariff<'_>) -> OcpiVersion {
    let v23 = |slot: Slot<'_>| matches!(limit_shape(slot), Some(LimitShape::Object(p)) if p.before_taxes.is_some());
    if present(t.tax_included).is_some() || v23(t.min_price) || v23(t.max_price) {
        OcpiVersion::V230
    } else if present(t.country_code).is_none() && present(t.party_id).is_none() {
        OcpiVersion::V211
    } else {
        OcpiVersion::V221
    }
}

/// Reads a tariff of `version` from its raw model.
pub(crate) fn tariff(
    t: &RawTariff<'_>,
    version: OcpiVersion,
) -> Result<(Tariff, Vec<ParseWarning>), Error> {
    let mut w = Vec::new();
    let at = |key: &'static str| move || format!("$.{key}");
    // Each field read where it is set, in the order errors and warnings are reported.
    let tariff = Tariff {
        version,
        country_code: string(t.country_code, &at("country_code"))?.map(Into::into),
        party_id: string(t.party_id, &at("party_id"))?.map(Into::into),
        id: string(t.id, &at("id"))?
            .ok_or_else(|| Error::MissingTariffField {
                path: "$.id".into(),
            })?
            .into_owned(),
        currency: string(t.currency, &at("currency"))?
            .ok_or_else(|| Error::MissingTariffField {
                path: "$.currency".into(),
            })?
            .parse()?,
        tariff_type: string(t.tariff_type, &at("type"))?
            .and_then(|s| enum_value::<TariffType>(&s, &|| "$.type".into(), &mut w)),
        alt_text: alt_text(t.tariff_alt_text),
        alt_url: string(t.tariff_alt_url, &at("tariff_alt_url"))?.map(Into::into),
        min_price: price_limit(t.min_price, "min_price", version, &mut w)?,
        max_price: price_limit(t.max_price, "max_price", version, &mut w)?,
        start_date_time: datetime(t.start_date_time, &at("start_date_time"), &mut w)?,
        end_date_time: datetime(t.end_date_time, &at("end_date_time"), &mut w)?,
        // Kept verbatim and never priced: a `Value` is what the model holds.
        energy_mix: present(t.energy_mix).and_then(|v| serde_json::from_str(v.get()).ok()),
        last_updated: datetime(t.last_updated, &at("last_updated"), &mut w)?,
        tax_included: string(t.tax_included, &at("tax_included"))?
            .and_then(|s| enum_value::<TaxIncluded>(&s, &|| "$.tax_included".into(), &mut w)),
        preauthorize_amount: decimal(t.preauthorize_amount, &at("preauthorize_amount"), &mut w)?,
        idle_fee: present(t.idle_fee).map(idle_fee).transpose()?,
        elements: {
            let Some(items) = &t.elements else {
                return Err(Error::MissingTariffField {
                    path: "$.elements".into(),
                });
            };
            elements(items, |i, e| element(e, i, version, &mut w))?
        },
    };
    report(&t.unknown, RawTariff::FIELDS, &|| "$".into(), &mut w);
    Ok((tariff, w))
}

/// `tariff_alt_text`, by the `Value` reader's rule (the model keeps it as text: rare, small).
fn alt_text(slot: Slot<'_>) -> Vec<DisplayText> {
    let value = present(slot).and_then(|v| Value::from_text(v.get()).ok());
    parse::alt_text(value.as_ref())
}

/// The chargekit idle fee, read by its serde model as the `Value` reader does.
fn idle_fee(v: &RawValue) -> Result<IdleFee, Error> {
    serde_json::from_str::<IdleFee>(v.get()).map_err(invalid_idle_fee)
}

fn price_limit(
    slot: Slot<'_>,
    key: &'static str,
    version: OcpiVersion,
    w: &mut Vec<ParseWarning>,
) -> Result<Option<PriceLimit>, Error> {
    let path = || format!("$.{key}");
    let p = match limit_shape(slot) {
        None => return Ok(None),
        Some(LimitShape::Number(v)) => {
            w.push(ParseWarning::new(path(), ParseWarningKind::PriceAsNumber));
            return Ok(Some(PriceLimit {
                excl_vat: super::scalar::decimal_of(v, &path, w)?,
                incl_vat: None,
            }));
        }
        Some(LimitShape::Other) => {
            return Err(Error::InvalidTariffField {
                path: path(),
                reason: "expected an object".into(),
            })
        }
        Some(LimitShape::Object(p)) => p,
    };
    let v23 = version == OcpiVersion::V230 || p.before_taxes.is_some();
    let (excl_key, incl_key, excl, incl, others) = if v23 {
        let others = [("excl_vat", p.excl_vat), ("incl_vat", p.incl_vat)];
        (
            "before_taxes",
            "after_taxes",
            p.before_taxes,
            p.after_taxes,
            others,
        )
    } else {
        let others = [
            ("before_taxes", p.before_taxes),
            ("after_taxes", p.after_taxes),
        ];
        ("excl_vat", "incl_vat", p.excl_vat, p.incl_vat, others)
    };
    let excl = decimal(excl, &|| format!("$.{key}.{excl_key}"), w)?.ok_or_else(|| {
        Error::MissingTariffField {
            path: format!("$.{key}.{excl_key}"),
        }
    })?;
    let incl = decimal(incl, &|| format!("$.{key}.{incl_key}"), w)?;
    // The pair not read is as unknown as any other key.
    let mut unknown = p.unknown;
    for (k, v) in others {
        if v.is_some() {
            unknown.push(k.into());
        }
    }
    report(&unknown, &[excl_key, incl_key], &path, w);
    Ok(Some(PriceLimit {
        excl_vat: excl,
        incl_vat: incl,
    }))
}

fn element(
    e: &RawElement<'_>,
    i: usize,
    version: OcpiVersion,
    w: &mut Vec<ParseWarning>,
) -> Result<TariffElement, Error> {
    let Some(items) = &e.price_components else {
        return Err(Error::MissingTariffField {
            path: format!("$.elements[{i}].price_components"),
        });
    };
    let mut price_components = Vec::with_capacity(items.len());
    for (j, c) in items.iter().enumerate() {
        if let Some(c) = component(c, i, j, version, w)? {
            price_components.push(c);
        }
    }
    let restrictions = match &e.restrictions {
        Some(r) => restrictions(r, i, w)?,
        None => Restrictions::default(),
    };
    report(
        &e.unknown,
        RawElement::FIELDS,
        &|| format!("$.elements[{i}]"),
        w,
    );
    Ok(TariffElement {
        price_components,
        restrictions,
    })
}

fn component(
    c: &RawComponent<'_>,
    i: usize,
    j: usize,
    version: OcpiVersion,
    w: &mut Vec<ParseWarning>,
) -> Result<Option<PriceComponent>, Error> {
    let at = |key: &'static str| move || format!("$.elements[{i}].price_components[{j}].{key}");
    let ty = string(c.dimension, &at("type"))?
        .ok_or_else(|| Error::MissingTariffField { path: at("type")() })?;
    let dimension = enum_value::<TariffDimension>(&ty, &at("type"), w);
    let price = decimal(c.price, &at("price"), w)?.ok_or_else(|| Error::MissingTariffField {
        path: at("price")(),
    })?;
    let vat = vat(decimal(c.vat, &at("vat"), w)?, version);
    let step_size = step_size(
        decimal(c.step_size, &at("step_size"), w)?,
        &at("step_size"),
        w,
    )?;
    report(
        &c.unknown,
        RawComponent::FIELDS,
        &|| format!("$.elements[{i}].price_components[{j}]"),
        w,
    );
    Ok(dimension.map(|dimension| PriceComponent {
        dimension,
        price,
        vat,
        step_size,
    }))
}

fn restrictions(
    r: &RawRestrictions<'_>,
    i: usize,
    w: &mut Vec<ParseWarning>,
) -> Result<Restrictions, Error> {
    let at = |key: &'static str| move || format!("$.elements[{i}].restrictions.{key}");
    let time = |slot: Slot<'_>, key| {
        string(slot, &at(key))?
            .map(|s| TimeOfDay::from_str(&s))
            .transpose()
    };
    let date = |slot: Slot<'_>, key| parse::date(string(slot, &at(key))?.as_deref(), &at(key));
    let seconds = |slot: Slot<'_>, key, w: &mut Vec<ParseWarning>| {
        duration_s(decimal(slot, &at(key), w)?, &at(key))
    };
    // Each field read where it is set, in the order errors and warnings are reported.
    let restrictions = Restrictions {
        start_time: time(r.start_time, "start_time")?,
        end_time: time(r.end_time, "end_time")?,
        start_date: date(r.start_date, "start_date")?,
        end_date: date(r.end_date, "end_date")?,
        min_kwh: decimal(r.min_kwh, &at("min_kwh"), w)?,
        max_kwh: decimal(r.max_kwh, &at("max_kwh"), w)?,
        min_current: decimal(r.min_current, &at("min_current"), w)?,
        max_current: decimal(r.max_current, &at("max_current"), w)?,
        min_power: decimal(r.min_power, &at("min_power"), w)?,
        max_power: decimal(r.max_power, &at("max_power"), w)?,
        min_duration: seconds(r.min_duration, "min_duration", w)?,
        max_duration: seconds(r.max_duration, "max_duration", w)?,
        day_of_week: match present(r.day_of_week) {
            None => Vec::new(),
            Some(days) => {
                let Ok(days) = serde_json::from_str::<Vec<&RawValue>>(days.get()) else {
                    return Err(Error::InvalidTariffField {
                        path: at("day_of_week")(),
                        reason: "expected an array".into(),
                    });
                };
                let mut day_of_week = Vec::new();
                for (k, d) in days.iter().enumerate() {
                    let dp = || format!("$.elements[{i}].restrictions.day_of_week[{k}]");
                    add_day(&mut day_of_week, as_str(d).as_deref(), &dp, w);
                }
                day_of_week
            }
        },
        reservation: string(r.reservation, &at("reservation"))?
            .and_then(|s| enum_value::<ReservationRestriction>(&s, &at("reservation"), w)),
    };
    report(
        &r.unknown,
        RawRestrictions::FIELDS,
        &|| format!("$.elements[{i}].restrictions"),
        w,
    );
    Ok(restrictions)
}

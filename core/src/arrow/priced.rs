//! Priced sessions as Arrow: one row per session with its totals, or the reason it could
//! not be priced (so one unpriceable session does not stop a job over millions).

use super::build::Columns;
use crate::billing::{price_session, Price, PriceResult, PricingPolicy};
use crate::session::Session;
use crate::tariff::Tariff;
use crate::Error;
use arrow_array::RecordBatch;
use chrono_tz::Tz;
use rust_decimal::Decimal;

/// What sessions are priced with.
#[derive(Debug, Clone)]
pub(crate) struct Pricing {
    pub tariffs: Vec<Tariff>,
    pub timezone: Tz,
    pub policy: PricingPolicy,
}

/// kWh as Wh (exact).
fn wh(kwh: Decimal) -> Decimal {
    (kwh * Decimal::ONE_THOUSAND).normalize()
}

/// A dimension's cost excluding VAT.
fn excl(p: &Price) -> Decimal {
    p.excl_vat
}

/// One row per session: its ids, then the price or the error.
pub(crate) fn write(sessions: &[Session], pricing: &Pricing) -> Result<RecordBatch, Error> {
    let results: Vec<Result<PriceResult, Error>> = sessions
        .iter()
        .map(|s| price_session(s, &pricing.tariffs, pricing.timezone, &pricing.policy))
        .collect();
    let ok = |f: fn(&PriceResult) -> Option<Decimal>| {
        results.iter().map(move |r| r.as_ref().ok().and_then(f))
    };
    let ids: Vec<String> = sessions
        .iter()
        .map(|s| format!("{}-{}", s.station_id, s.key))
        .collect();
    let keys: Vec<String> = sessions.iter().map(|s| s.key.to_string()).collect();
    let currencies: Vec<Option<String>> = results
        .iter()
        .map(|r| r.as_ref().ok().map(|r| r.currency.to_string()))
        .collect();
    let mut out = Columns::default();
    out.text("session_id", false, ids.iter().map(|s| Some(s.as_str())));
    out.text(
        "station_id",
        false,
        sessions.iter().map(|s| Some(&*s.station_id)),
    );
    out.text(
        "transaction_id",
        false,
        keys.iter().map(|k| Some(k.as_str())),
    );
    out.text("currency", true, currencies.iter().map(Option::as_deref));
    out.text_lists(
        "tariff_ids",
        results.iter().map(|r| {
            r.as_ref()
                .map(|r| r.tariff_ids.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap_or_default()
        }),
    );
    out.decimals("total_excl_vat", true, ok(|r| Some(r.total_cost.excl_vat)))?;
    out.decimals("total_vat", true, ok(|r| r.total_cost.vat))?;
    out.decimals("total_incl_vat", true, ok(|r| r.total_cost.incl_vat))?;
    out.decimals(
        "energy_cost",
        true,
        ok(|r| r.total_energy_cost.as_ref().map(excl)),
    )?;
    out.decimals(
        "time_cost",
        true,
        ok(|r| r.total_time_cost.as_ref().map(excl)),
    )?;
    out.decimals(
        "parking_cost",
        true,
        ok(|r| r.total_parking_cost.as_ref().map(excl)),
    )?;
    out.decimals(
        "fixed_cost",
        true,
        ok(|r| r.total_fixed_cost.as_ref().map(excl)),
    )?;
    // Wh, as in the sessions table: a session energy with six places in Wh has nine in kWh.
    out.decimals("total_energy_wh", true, ok(|r| Some(wh(r.total_energy))))?;
    out.decimals("billed_energy_wh", true, ok(|r| Some(wh(r.billed_energy))))?;
    let errors: Vec<Option<(&'static str, String)>> = results
        .iter()
        .map(|r| r.as_ref().err().map(|e| (e.kind(), e.to_string())))
        .collect();
    out.text(
        "error_kind",
        true,
        errors.iter().map(|e| e.as_ref().map(|e| e.0)),
    );
    out.text(
        "error",
        true,
        errors.iter().map(|e| e.as_ref().map(|e| e.1.as_str())),
    );
    out.finish()
}

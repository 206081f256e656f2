//! Plain-language explanations of OCPP 2.1 station tariffs, in the wording of the OCPI
//! explainer (money, days, times, durations) plus what only OCPP 2.1 has.

use super::convert::{calendar_restrictions, restrictions_of};
use super::model::{AnyConditions, AnyList, ListKind, Price, StationTariff, TaxRate};
use crate::tariff::explain::{money, ExplanationSection, Phrases};
use crate::tariff::{Currency, Explanation, ExplanationLine, Language};
use rust_decimal::Decimal;

impl StationTariff {
    /// Explains the tariff in plain language: one section per dimension (energy, charging
    /// time, idle time, fixed fee, reservation) with its prices in priority order and their
    /// conditions in words, and notes on the minimum and maximum cost, taxes and validity.
    ///
    /// ```
    /// use chargekit::station_tariff::StationTariff;
    /// use chargekit::tariff::Language;
    /// let t = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR",
    ///   "energy":{"prices":[{"priceKwh":0.30}],"taxRates":[{"type":"VAT","tax":21}]}}"#).unwrap();
    /// assert_eq!(t.explain(Language::En).text, "€0.30 per kWh. Energy prices exclude 21% VAT.");
    /// assert_eq!(t.explain(Language::Nl).text, "€0.30 per kWh. Energieprijzen zijn exclusief 21% btw.");
    /// ```
    pub fn explain(&self, language: Language) -> Explanation {
        explain(self, language)
    }
}

fn heading(en: bool, kind: ListKind) -> &'static str {
    match (en, kind) {
        (true, ListKind::Energy) => "Energy",
        (false, ListKind::Energy) => "Energie",
        (true, ListKind::ChargingTime) => "Charging time",
        (false, ListKind::ChargingTime) => "Laadtijd",
        (true, ListKind::IdleTime) => "Idle time (connected, not charging)",
        (false, ListKind::IdleTime) => "Stilstaan (aangesloten, niet laden)",
        (true, ListKind::FixedFee) => "Fixed fee",
        (false, ListKind::FixedFee) => "Vaste kosten",
        (true, _) => "Reservation",
        (false, _) => "Reservering",
    }
}

/// The noun of a list's prices in the tax notes ("Energy prices").
fn prices_noun(en: bool, kind: ListKind) -> &'static str {
    match (en, kind) {
        (true, ListKind::Energy) => "Energy prices",
        (false, ListKind::Energy) => "Energieprijzen",
        (true, ListKind::ChargingTime) => "Charging time prices",
        (false, ListKind::ChargingTime) => "Laadtijdprijzen",
        (true, ListKind::IdleTime) => "Idle time prices",
        (false, ListKind::IdleTime) => "Stilstaanprijzen",
        (true, ListKind::FixedFee) => "Fixed fees",
        (false, ListKind::FixedFee) => "Vaste kosten",
        (true, ListKind::ReservationTime) => "Reservation time prices",
        (false, ListKind::ReservationTime) => "Reserveringstijdprijzen",
        (true, ListKind::ReservationFixed) => "Reservation fees",
        (false, ListKind::ReservationFixed) => "Reserveringskosten",
    }
}

fn price_words(en: bool, kind: ListKind, amount: Decimal, currency: Currency) -> String {
    if amount.is_zero() {
        return if en { "free" } else { "gratis" }.into();
    }
    let m = money(amount, currency);
    let unit = match (en, kind) {
        (_, ListKind::Energy) => "per kWh",
        (true, ListKind::ChargingTime | ListKind::IdleTime | ListKind::ReservationTime) => {
            "per minute"
        }
        (false, ListKind::ChargingTime | ListKind::IdleTime | ListKind::ReservationTime) => {
            "per minuut"
        }
        (true, ListKind::FixedFee) => "per transaction",
        (false, ListKind::FixedFee) => "per transactie",
        (true, ListKind::ReservationFixed) => "per reservation",
        (false, ListKind::ReservationFixed) => "per reservering",
    };
    format!("{m} {unit}")
}

/// A bound on seconds of charging or idle time, in words.
fn time_bound(ph: &Phrases, what: &str, lo: Option<u64>, hi: Option<u64>) -> Option<String> {
    let en = ph.en();
    match (lo.filter(|s| *s > 0), hi) {
        (Some(a), Some(b)) => Some(if en {
            format!(
                "between {} and {} of {what}",
                ph.duration(a),
                ph.duration(b)
            )
        } else {
            format!("tussen {} en {} {what}", ph.duration(a), ph.duration(b))
        }),
        (Some(a), None) => Some(if en {
            format!("after {} of {what}", ph.duration(a))
        } else {
            format!("na {} {what}", ph.duration(a))
        }),
        (None, Some(b)) => Some(if en {
            format!("for the first {} of {what}", ph.duration(b))
        } else {
            format!("de eerste {} {what}", ph.duration(b))
        }),
        (None, None) => None,
    }
}

fn condition_words(ph: &Phrases, c: AnyConditions<'_>) -> Option<String> {
    let en = ph.en();
    let mut parts: Vec<String> = Vec::new();
    let shared = match c {
        AnyConditions::Tariff(t) => restrictions_of(t).0,
        AnyConditions::Fixed(f) => calendar_restrictions(&f.calendar),
    };
    if let Some(k) = c.calendar().evse_kind {
        parts.push(if en {
            format!("at {k} chargers")
        } else {
            format!("bij {k}-laadpunten")
        });
    }
    if let Some(s) = ph.condition(&shared) {
        parts.push(s);
    }
    match c {
        AnyConditions::Tariff(t) => {
            let (charging, idle) = if en {
                ("charging", "idle time")
            } else {
                ("laden", "stilstaan")
            };
            parts.extend(time_bound(
                ph,
                charging,
                t.min_charging_time,
                t.max_charging_time,
            ));
            parts.extend(time_bound(ph, idle, t.min_idle_time, t.max_idle_time));
        }
        AnyConditions::Fixed(f) => {
            if let Some(b) = &f.payment_brand {
                parts.push(if en {
                    format!("when paying with {b}")
                } else {
                    format!("bij betalen met {b}")
                });
            }
            if let Some(r) = &f.payment_recognition {
                parts.push(if en {
                    format!("when paying by {r}")
                } else {
                    format!("bij betalen via {r}")
                });
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The lines of one list: its prices in order up to the first unconditional one, which
/// reads "otherwise" after conditional ones. Also whether prices were left out and
/// whether some usage is not priced.
fn lines(
    ph: &Phrases,
    list: &AnyList<'_>,
    currency: Currency,
) -> (Vec<ExplanationLine>, bool, bool) {
    let en = ph.en();
    let mut out = Vec::new();
    let mut fallback = false;
    for (i, p) in list.prices.iter().enumerate() {
        let condition = if p.unconditional() {
            None
        } else {
            p.conditions.and_then(|c| condition_words(ph, c))
        };
        out.push(ExplanationLine {
            element: Some(i as u64),
            condition,
            price: price_words(en, list.kind, p.amount, currency),
            step: None,
        });
        if p.unconditional() {
            fallback = true;
            break;
        }
    }
    let hidden = out.len() < list.prices.len();
    let n = out.len();
    if fallback && n > 1 {
        if let Some(last) = out.last_mut() {
            last.condition = Some(if en { "otherwise" } else { "anders" }.into());
        }
    }
    (out, hidden, !fallback)
}

/// Taxes in words: one stack reads "21% VAT"; stacks read "19% VAT, then 10% Levy on the
/// price including VAT".
fn taxes_words(en: bool, rates: &[TaxRate]) -> String {
    let name = |r: &TaxRate| {
        if !en && r.kind.eq_ignore_ascii_case("VAT") {
            "btw".to_string()
        } else {
            r.kind.clone()
        }
    };
    let mut stacks: Vec<u32> = rates.iter().map(|r| r.stack).collect();
    stacks.sort_unstable();
    stacks.dedup();
    let and = if en { " and " } else { " en " };
    let mut below: Vec<String> = Vec::new();
    let mut parts = Vec::new();
    for s in stacks {
        let here: Vec<&TaxRate> = rates.iter().filter(|r| r.stack == s).collect();
        let words = here
            .iter()
            .map(|r| format!("{}% {}", r.percent.normalize(), name(r)))
            .collect::<Vec<_>>()
            .join(and);
        if below.is_empty() {
            parts.push(words);
        } else if en {
            parts.push(format!(
                "then {words} on the price including {}",
                below.join(and)
            ));
        } else {
            parts.push(format!(
                "daarna {words} over de prijs inclusief {}",
                below.join(and)
            ));
        }
        below.extend(here.iter().map(|r| name(r)));
    }
    parts.join(", ")
}

fn bound_words(en: bool, p: &Price, currency: Currency) -> Option<String> {
    match (p.excl_tax, p.incl_tax) {
        (Some(e), Some(i)) => Some(if en {
            format!(
                "{} excl. tax ({} incl. tax)",
                money(e, currency),
                money(i, currency)
            )
        } else {
            format!(
                "{} excl. belasting ({} incl.)",
                money(e, currency),
                money(i, currency)
            )
        }),
        (Some(e), None) => Some(if en {
            format!("{} excl. tax", money(e, currency))
        } else {
            format!("{} excl. belasting", money(e, currency))
        }),
        (None, Some(i)) => Some(if en {
            format!("{} incl. tax", money(i, currency))
        } else {
            format!("{} incl. belasting", money(i, currency))
        }),
        (None, None) => None,
    }
}

fn explain(t: &StationTariff, language: Language) -> Explanation {
    let ph = Phrases::new(language);
    let en = ph.en();
    let lists = t.lists();
    let mut sections: Vec<ExplanationSection> = Vec::new();
    for list in &lists {
        let (lines, hidden, unpriced) = lines(&ph, list, t.currency);
        let mut notes = Vec::new();
        if hidden {
            notes.push(if en {
                "Later prices never apply and are not listed"
            } else {
                "Latere prijzen gelden nooit en staan er niet bij"
            });
        }
        if unpriced {
            notes.push(if en {
                "Outside these conditions it is not charged"
            } else {
                "Buiten deze voorwaarden wordt het niet in rekening gebracht"
            });
        }
        let note = (!notes.is_empty()).then(|| notes.join(". "));
        let reservation = matches!(
            list.kind,
            ListKind::ReservationTime | ListKind::ReservationFixed
        );
        // Reservation time and fee share one section.
        if reservation {
            if let Some(s) = sections
                .last_mut()
                .filter(|s| s.heading == heading(en, ListKind::ReservationTime))
            {
                s.lines.extend(lines);
                s.note = match (s.note.take(), note) {
                    (Some(a), Some(b)) => Some(format!("{a}. {b}")),
                    (a, b) => a.or(b),
                };
                continue;
            }
        }
        sections.push(ExplanationSection {
            heading: heading(en, list.kind).into(),
            lines,
            note,
        });
    }
    let mut notes = Vec::new();
    if let Some(w) = t
        .min_cost
        .as_ref()
        .and_then(|p| bound_words(en, p, t.currency))
    {
        notes.push(if en {
            format!("A transaction costs at least {w}.")
        } else {
            format!("Een transactie kost minstens {w}.")
        });
    }
    if let Some(w) = t
        .max_cost
        .as_ref()
        .and_then(|p| bound_words(en, p, t.currency))
    {
        notes.push(if en {
            format!("A transaction costs at most {w}.")
        } else {
            format!("Een transactie kost hoogstens {w}.")
        });
    }
    // Taxes, one note per distinct tax list, naming the lists it applies to.
    let mut groups: Vec<(&[TaxRate], Vec<ListKind>)> = Vec::new();
    for list in &lists {
        if list.tax_rates.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(r, _)| *r == list.tax_rates) {
            Some((_, kinds)) => kinds.push(list.kind),
            None => groups.push((list.tax_rates, vec![list.kind])),
        }
    }
    let taxed: usize = groups.iter().map(|(_, k)| k.len()).sum();
    for (rates, kinds) in &groups {
        let who = if groups.len() == 1 && taxed == lists.len() && lists.len() > 1 {
            if en { "All prices" } else { "Alle prijzen" }.to_string()
        } else {
            let names: Vec<&str> = kinds.iter().map(|k| prices_noun(en, *k)).collect();
            capital_first_only(&listing(en, &names))
        };
        let words = taxes_words(en, rates);
        notes.push(if en {
            format!("{who} exclude {words}.")
        } else {
            format!("{who} zijn exclusief {words}.")
        });
    }
    if let Some(s) = t.valid_from {
        notes.push(ph.active_from(s));
    }
    Explanation::new(language, sections, notes)
}

/// "a, b and c" ("a, b en c").
fn listing(en: bool, items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!(
            "{} {} {last}",
            rest.join(", "),
            if en { "and" } else { "en" }
        ),
    }
}

/// "Energy prices and Fixed fees" → "Energy prices and fixed fees".
fn capital_first_only(s: &str) -> String {
    let mut out = String::new();
    for (i, w) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
            out.push_str(&w.to_lowercase());
        } else {
            out.push_str(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    /// A realistic tariff: cheaper energy at night and on weekends, a higher price on fast
    /// DC chargers, a charging-time price after the first hour, an idle fee after 30 minutes
    /// of idling, a start fee except for contactless payments, cost bounds, stacked taxes.
    fn tariff() -> StationTariff {
        StationTariff::from_value(&json!({
            "tariffId": "NL-2026",
            "currency": "EUR",
            "validFrom": "2026-03-01T00:00:00Z",
            "energy": {"prices": [
                {"priceKwh": 0.59, "conditions": {"evseKind": "DC", "minPower": 50000}},
                {"priceKwh": 0.25, "conditions": {"startTimeOfDay": "23:00", "endTimeOfDay": "07:00"}},
                {"priceKwh": 0.29, "conditions": {"dayOfWeek": ["Saturday", "Sunday"]}},
                {"priceKwh": 0.35}
            ], "taxRates": [{"type": "VAT", "tax": 21}, {"type": "Levy", "tax": 2, "stack": 1}]},
            "chargingTime": {"prices": [{"priceMinute": 0.02, "conditions": {"minTime": 3600}}],
                "taxRates": [{"type": "VAT", "tax": 21}]},
            "idleTime": {"prices": [{"priceMinute": 0.10, "conditions": {"minIdleTime": 1800}}],
                "taxRates": [{"type": "VAT", "tax": 21}]},
            "fixedFee": {"prices": [
                {"priceFixed": 0, "conditions": {"paymentRecognition": "Contactless"}},
                {"priceFixed": 0.50}
            ], "taxRates": [{"type": "VAT", "tax": 21}]},
            "minCost": {"exclTax": 1.00, "inclTax": 1.21},
            "maxCost": {"exclTax": 60}
        }))
        .unwrap()
    }

    #[test]
    fn english() {
        let e = tariff().explain(Language::En);
        assert_eq!(
            e.text,
            "Energy: at DC chargers, while charging at 50 kW or more: €0.59 per kWh; \
             between 23:00 and 07:00: €0.25 per kWh; on weekends: €0.29 per kWh; \
             otherwise: €0.35 per kWh. \
             Charging time: more than 1 hour after plugging in: €0.02 per minute. \
             Idle time (connected, not charging): after 30 minutes of idle time: €0.10 per minute. \
             Fixed fee: when paying by Contactless: free; otherwise: €0.50 per transaction. \
             A transaction costs at least €1.00 excl. tax (€1.21 incl. tax). \
             A transaction costs at most €60.00 excl. tax. \
             Energy prices exclude 21% VAT, then 2% Levy on the price including VAT. \
             Charging time prices, idle time prices and fixed fees exclude 21% VAT. \
             This tariff only becomes active on 2026-03-01 00:00 (UTC)."
        );
        assert_eq!(
            e.sections[1].note.as_deref(),
            Some("Outside these conditions it is not charged")
        );
    }

    #[test]
    fn dutch() {
        let e = tariff().explain(Language::Nl);
        assert_eq!(
            e.text,
            "Energie: bij DC-laadpunten, bij laden met 50 kW of meer: €0.59 per kWh; \
             tussen 23:00 en 07:00: €0.25 per kWh; in het weekend: €0.29 per kWh; \
             anders: €0.35 per kWh. \
             Laadtijd: meer dan 1 uur na het aansluiten: €0.02 per minuut. \
             Stilstaan (aangesloten, niet laden): na 30 minuten stilstaan: €0.10 per minuut. \
             Vaste kosten: bij betalen via Contactless: gratis; anders: €0.50 per transactie. \
             Een transactie kost minstens €1.00 excl. belasting (€1.21 incl.). \
             Een transactie kost hoogstens €60.00 excl. belasting. \
             Energieprijzen zijn exclusief 21% btw, daarna 2% Levy over de prijs inclusief btw. \
             Laadtijdprijzen, stilstaanprijzen en vaste kosten zijn exclusief 21% btw. \
             Dit tarief geldt pas vanaf 2026-03-01 00:00 (UTC)."
        );
    }

    #[test]
    fn reservation_is_one_section_and_shadowed_prices_are_noted() {
        let t = StationTariff::from_value(&json!({
            "tariffId": "R", "currency": "EUR",
            "energy": {"prices": [{"priceKwh": 0.3}, {"priceKwh": 0.2}]},
            "reservationTime": {"prices": [{"priceMinute": 0.05}]},
            "reservationFixed": {"prices": [{"priceFixed": 1}]}
        }))
        .unwrap();
        let e = t.explain(Language::En);
        assert_eq!(e.sections.len(), 2);
        assert_eq!(
            e.sections[0].note.as_deref(),
            Some("Later prices never apply and are not listed")
        );
        assert_eq!(e.sections[1].heading, "Reservation");
        assert_eq!(
            e.text,
            "Energy: €0.30 per kWh. Reservation: €0.05 per minute; €1.00 per reservation."
        );
    }
}

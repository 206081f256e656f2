//! Invoices for priced sessions: lines per dimension and tariff element, VAT per rate,
//! net / gross, rounding and min/max adjustments shown as lines of their own, credit
//! notes, JSON, plain text and a standalone HTML receipt.
//!
//! Every amount on an invoice is in the currency's minor units, and the lines always add
//! up to the net total exactly: what per-line rounding leaves over is a "Rounding" line.

use super::*;
use crate::tariff::explain::money as fmt_money;
use rust_decimal::RoundingStrategy;

/// An invoice or a credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// A bill.
    Invoice,
    /// A correction refunding an earlier invoice (amounts negated).
    CreditNote,
}

/// What kind of line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Priced consumption (a tariff dimension or an idle fee), or a credit for energy fed
    /// back (`Charge(EnergyExport)`, a negative amount).
    Charge(CostCategory),
    /// The difference the tariff's min_price or max_price made, or the raise of a negative
    /// total to zero (policy `allow_negative_total: false`).
    PriceLimit,
    /// What rounding each line to the minor unit left over.
    Rounding,
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvoiceLine {
    /// What it is.
    pub kind: LineKind,
    /// Short description, e.g. "Energy".
    pub description: String,
    /// Why this price applied (the tariff element's restrictions that held).
    pub detail: String,
    /// The tariff and element that priced it.
    pub tariff_id: Option<String>,
    /// Index of the element.
    pub element: Option<u64>,
    /// Quantity billed (after step rounding).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub quantity: Decimal,
    /// Quantity consumed (before step rounding).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub quantity_consumed: Decimal,
    /// Unit of the quantities.
    pub unit: QuantityUnit,
    /// Price per unit.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub unit_price: Decimal,
    /// VAT rate in percent (`None`: no VAT applies, or unknown).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub vat_rate: Option<Decimal>,
    /// Net amount, in minor units.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub net: Decimal,
}

/// VAT of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VatSummary {
    /// The rate in percent (`None`: lines without VAT).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub rate: Option<Decimal>,
    /// Sum of the net amounts of the lines at this rate.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub base: Decimal,
    /// VAT on that base, rounded to the minor unit.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub vat: Decimal,
}

/// An invoice for a priced session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Invoice number.
    pub number: String,
    /// Invoice or credit note.
    pub kind: InvoiceKind,
    /// For a credit note: the number of the invoice it corrects.
    pub credits: Option<String>,
    /// Currency.
    pub currency: Currency,
    /// The tariffs that priced the session.
    pub tariff_ids: Vec<String>,
    /// First period start.
    pub start: Option<DateTime<Utc>>,
    /// Last period end.
    pub end: Option<DateTime<Utc>>,
    /// Energy delivered, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_kwh: Decimal,
    /// The lines; their `net` adds up to `net`.
    pub lines: Vec<InvoiceLine>,
    /// Net total.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub net: Decimal,
    /// VAT per rate; their `vat` adds up to `vat_total`.
    pub vat: Vec<VatSummary>,
    /// Total VAT.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub vat_total: Decimal,
    /// Gross total = net + VAT.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub gross: Decimal,
}

fn describe(c: CostCategory, dim: TariffDimension) -> &'static str {
    match (c, dim) {
        (CostCategory::Energy, _) => "Energy",
        (CostCategory::Time, _) => "Charging time",
        (CostCategory::Parking, TariffDimension::Flat) => "Parking fee",
        (CostCategory::Parking, _) => "Parking time",
        (CostCategory::Fixed, _) => "Session fee",
        (CostCategory::Reservation, TariffDimension::Flat) => "Reservation fee",
        (CostCategory::Reservation, _) => "Reservation time",
        (CostCategory::IdleFee, _) => "Idle fee",
        (CostCategory::EnergyExport, _) => "Energy fed back (V2X)",
    }
}

impl Invoice {
    /// An invoice for a pricing result (a credit note when the result is a credit CDR).
    ///
    /// ```
    /// use chargekit::billing::{price_cdr, Invoice, PricingPolicy};
    /// use chargekit::tariff::Tariff;
    /// let t = Tariff::from_json(r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
    ///   "elements":[{"price_components":[{"type":"FLAT","price":0.50,"vat":20,"step_size":1},
    ///                                    {"type":"ENERGY","price":0.25,"vat":10,"step_size":100}]}]}"#).unwrap();
    /// let cdr = r#"{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
    ///   "currency":"EUR","cdr_location":{"country":"NLD"},"charging_periods":[{"start_date_time":
    ///   "2026-03-10T08:00:00Z","dimensions":[{"type":"ENERGY","volume":20.45}]}]}"#;
    /// let r = price_cdr(cdr, &[t], None, &PricingPolicy::default()).unwrap();
    /// let inv = Invoice::from_result(&r, "2026-0001");
    /// assert_eq!(inv.net.to_string(), "5.63");
    /// assert_eq!(inv.lines.iter().map(|l| l.net).sum::<rust_decimal::Decimal>(), inv.net);
    /// assert!(inv.to_text().contains("Energy"));
    /// assert!(inv.to_html().starts_with("<!DOCTYPE html>"));
    /// let credit = inv.credit_note("2026-0002");
    /// assert_eq!(credit.gross, -inv.gross);
    /// ```
    pub fn from_result(r: &PriceResult, number: &str) -> Invoice {
        let cur = r.currency;
        let dp = cur.minor_units();
        let round = |d: Decimal| {
            let mut x = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
            x.rescale(dp);
            x
        };
        // Group breakdown lines by what priced them.
        let mut lines: Vec<(InvoiceLine, Decimal)> = Vec::new();
        for l in &r.breakdown.lines {
            let key_match = |x: &InvoiceLine| {
                x.kind == LineKind::Charge(l.category)
                    && x.tariff_id.as_deref() == Some(l.tariff_id.as_str())
                    && x.element == l.element
                    && x.unit_price == l.unit_price
                    && x.vat_rate == l.vat.rate()
                    && x.description == describe(l.category, l.dimension)
            };
            match lines.iter_mut().find(|(x, _)| key_match(x)) {
                Some((x, exact)) => {
                    x.quantity += l.billed_volume;
                    x.quantity_consumed += l.volume;
                    *exact += l.cost.excl_vat;
                }
                None => lines.push((
                    InvoiceLine {
                        kind: LineKind::Charge(l.category),
                        description: describe(l.category, l.dimension).into(),
                        detail: l.reason.join("; "),
                        tariff_id: Some(l.tariff_id.clone()),
                        element: l.element,
                        quantity: l.billed_volume,
                        quantity_consumed: l.volume,
                        unit: l.unit,
                        unit_price: l.unit_price,
                        vat_rate: l.vat.rate(),
                        net: Decimal::ZERO,
                    },
                    l.cost.excl_vat,
                )),
            }
        }
        let mut out: Vec<InvoiceLine> = lines
            .into_iter()
            .map(|(mut l, exact)| {
                l.net = round(exact);
                l
            })
            .collect();
        // The rounding line bears the VAT most of the net bears.
        let main_rate = main_vat(&r.breakdown.lines).and_then(Vat::rate);
        let total_net = round(if r.credit {
            -r.total_cost.excl_vat
        } else {
            r.total_cost.excl_vat
        });
        if let Some(c) = &r.breakdown.clamp {
            let adj = round(c.after.excl_vat) - round(c.before.excl_vat);
            let description = if c.bound == "min_price" {
                "Minimum price adjustment"
            } else {
                "Maximum price adjustment"
            };
            // The total's gross follows its net in the session's VAT mix: the adjustment is
            // split over the VAT rates in proportion to the net each bears (the last rate
            // takes what rounding leaves).
            let mut bases: Vec<(Option<Decimal>, Decimal)> = Vec::new();
            for l in &out {
                match bases.iter_mut().find(|b| b.0 == l.vat_rate) {
                    Some(b) => b.1 += l.net,
                    None => bases.push((l.vat_rate, l.net)),
                }
            }
            let base_total: Decimal = bases.iter().map(|b| b.1).sum();
            if base_total.is_zero() {
                bases = vec![(main_rate, Decimal::ONE)];
            }
            let base_total: Decimal = bases.iter().map(|b| b.1).sum();
            let mut left = adj;
            for (i, (rate, base)) in bases.iter().enumerate() {
                let part = if i + 1 == bases.len() {
                    left
                } else {
                    round(adj * *base / base_total)
                };
                left -= part;
                if part.is_zero() {
                    continue;
                }
                out.push(InvoiceLine {
                    kind: LineKind::PriceLimit,
                    description: description.into(),
                    detail: format!("tariff {}", c.bound),
                    tariff_id: r.tariff_ids.first().cloned(),
                    element: None,
                    quantity: Decimal::ONE,
                    quantity_consumed: Decimal::ONE,
                    unit: QuantityUnit::Session,
                    unit_price: part,
                    vat_rate: *rate,
                    net: part,
                });
            }
        }
        if let Some(c) = &r.breakdown.zero_clamp {
            let adj = round(c.after.excl_vat) - round(c.before.excl_vat);
            if !adj.is_zero() {
                // It cuts the export credit: it bears the credit's VAT.
                let credit_rate = r
                    .breakdown
                    .lines
                    .iter()
                    .find(|l| l.category == CostCategory::EnergyExport)
                    .and_then(|l| l.vat.rate());
                out.push(InvoiceLine {
                    kind: LineKind::PriceLimit,
                    description: "Credit limited to the charges".into(),
                    detail: "a total below zero is not paid out (policy allow_negative_total)"
                        .into(),
                    tariff_id: None,
                    element: None,
                    quantity: Decimal::ONE,
                    quantity_consumed: Decimal::ONE,
                    unit: QuantityUnit::Session,
                    unit_price: adj,
                    vat_rate: credit_rate,
                    net: adj,
                });
            }
        }
        let sum: Decimal = out.iter().map(|l| l.net).sum();
        let diff = total_net - sum;
        if !diff.is_zero() {
            out.push(InvoiceLine {
                kind: LineKind::Rounding,
                description: "Rounding".into(),
                detail: "difference between the rounded total and the rounded lines".into(),
                tariff_id: None,
                element: None,
                quantity: Decimal::ONE,
                quantity_consumed: Decimal::ONE,
                unit: QuantityUnit::Session,
                unit_price: diff,
                vat_rate: main_rate,
                net: diff,
            });
        }
        let mut vat: Vec<VatSummary> = Vec::new();
        for l in &out {
            match vat.iter_mut().find(|v| v.rate == l.vat_rate) {
                Some(v) => v.base += l.net,
                None => vat.push(VatSummary {
                    rate: l.vat_rate,
                    base: l.net,
                    vat: Decimal::ZERO,
                }),
            }
        }
        for v in &mut vat {
            v.vat = round(
                v.rate
                    .map_or(Decimal::ZERO, |r| v.base * r / Decimal::ONE_HUNDRED),
            );
        }
        vat.sort_by_key(|v| v.rate);
        let vat_total: Decimal = vat.iter().map(|v| v.vat).sum();
        let inv = Invoice {
            number: number.into(),
            kind: InvoiceKind::Invoice,
            credits: None,
            currency: cur,
            tariff_ids: r.tariff_ids.clone(),
            start: r.breakdown.lines.iter().map(|l| l.start).min(),
            end: r.breakdown.lines.iter().map(|l| l.end).max(),
            energy_kwh: r.total_energy,
            net: total_net,
            gross: total_net + vat_total,
            vat_total,
            vat,
            lines: out,
        };
        if r.credit {
            let mut c = inv.credit_note(number);
            c.credits = None;
            c
        } else {
            inv
        }
    }

    /// A credit note refunding this invoice: every amount negated.
    pub fn credit_note(&self, number: &str) -> Invoice {
        let mut c = self.clone();
        c.number = number.into();
        c.kind = InvoiceKind::CreditNote;
        c.credits = Some(self.number.clone());
        for l in &mut c.lines {
            l.net = -l.net;
        }
        for v in &mut c.vat {
            v.base = -v.base;
            v.vat = -v.vat;
        }
        c.net = -c.net;
        c.vat_total = -c.vat_total;
        c.gross = -c.gross;
        c
    }

    /// The invoice as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn quantity_text(l: &InvoiceLine) -> String {
        match l.unit {
            QuantityUnit::Kwh => format!("{} kWh", l.quantity.round_dp(3).normalize()),
            QuantityUnit::Hour => {
                let secs = (l.quantity * Decimal::from(3600)).round();
                let s: i64 = secs.to_string().parse().unwrap_or(0);
                format!("{}:{:02}:{:02} h", s / 3600, (s % 3600) / 60, s % 60)
            }
            QuantityUnit::Session => "1".into(),
        }
    }

    fn unit_price_text(&self, l: &InvoiceLine) -> String {
        let per = match l.unit {
            QuantityUnit::Kwh => "/kWh",
            QuantityUnit::Hour => "/h",
            QuantityUnit::Session => "",
        };
        format!("{}{per}", fmt_money(l.unit_price, self.currency))
    }

    fn amount(&self, d: Decimal) -> String {
        let mut d = d;
        d.rescale(self.currency.minor_units());
        format!("{d} {}", self.currency)
    }

    fn title(&self) -> String {
        match self.kind {
            InvoiceKind::Invoice => format!("Invoice {}", self.number),
            InvoiceKind::CreditNote => match &self.credits {
                Some(n) => format!("Credit note {} (credits {n})", self.number),
                None => format!("Credit note {}", self.number),
            },
        }
    }

    /// A plain-text receipt.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        o.push_str(&self.title());
        o.push('\n');
        if let (Some(s), Some(e)) = (self.start, self.end) {
            o.push_str(&format!(
                "Session {} - {} UTC, {} kWh\n",
                s.format("%Y-%m-%d %H:%M"),
                e.format("%Y-%m-%d %H:%M"),
                self.energy_kwh.round_dp(3).normalize()
            ));
        }
        o.push_str(&format!("Tariff {}\n\n", self.tariff_ids.join(", ")));
        o.push_str(&format!(
            "{:<28} {:>14} {:>14} {:>6} {:>14}\n",
            "Item", "Quantity", "Unit price", "VAT", "Net"
        ));
        for l in &self.lines {
            let vat = l
                .vat_rate
                .map(|r| format!("{}%", r.normalize()))
                .unwrap_or_else(|| "-".into());
            o.push_str(&format!(
                "{:<28} {:>14} {:>14} {:>6} {:>14}\n",
                l.description,
                Self::quantity_text(l),
                self.unit_price_text(l),
                vat,
                self.amount(l.net)
            ));
            if !l.detail.is_empty() && matches!(l.kind, LineKind::Charge(_)) {
                o.push_str(&format!("    {}\n", l.detail));
            }
        }
        o.push('\n');
        o.push_str(&format!("{:<64} {:>14}\n", "Net", self.amount(self.net)));
        for v in &self.vat {
            let label = match v.rate {
                Some(r) => format!("VAT {}% of {}", r.normalize(), self.amount(v.base)),
                None => format!("No VAT on {}", self.amount(v.base)),
            };
            o.push_str(&format!("{label:<64} {:>14}\n", self.amount(v.vat)));
        }
        o.push_str(&format!(
            "{:<64} {:>14}\n",
            "Total",
            self.amount(self.gross)
        ));
        o
    }

    /// A small standalone HTML receipt (inline style, no scripts, text escaped).
    pub fn to_html(&self) -> String {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut rows = String::new();
        for l in &self.lines {
            let vat = l
                .vat_rate
                .map(|r| format!("{}%", r.normalize()))
                .unwrap_or_else(|| "&ndash;".into());
            let detail = if l.detail.is_empty() {
                String::new()
            } else {
                format!("<div class=\"why\">{}</div>", esc(&l.detail))
            };
            rows.push_str(&format!(
                "<tr><td>{}{detail}</td><td>{}</td><td>{}</td><td>{vat}</td><td>{}</td></tr>\n",
                esc(&l.description),
                esc(&Self::quantity_text(l)),
                esc(&self.unit_price_text(l)),
                esc(&self.amount(l.net))
            ));
        }
        let mut totals = format!(
            "<tr><th colspan=\"4\">Net</th><td>{}</td></tr>\n",
            esc(&self.amount(self.net))
        );
        for v in &self.vat {
            let label = match v.rate {
                Some(r) => format!("VAT {}% of {}", r.normalize(), self.amount(v.base)),
                None => format!("No VAT on {}", self.amount(v.base)),
            };
            totals.push_str(&format!(
                "<tr><th colspan=\"4\">{}</th><td>{}</td></tr>\n",
                esc(&label),
                esc(&self.amount(v.vat))
            ));
        }
        totals.push_str(&format!(
            "<tr class=\"total\"><th colspan=\"4\">Total</th><td>{}</td></tr>\n",
            esc(&self.amount(self.gross))
        ));
        let session = match (self.start, self.end) {
            (Some(s), Some(e)) => format!(
                "<p>Session {} &ndash; {} UTC &middot; {} kWh &middot; tariff {}</p>",
                s.format("%Y-%m-%d %H:%M"),
                e.format("%Y-%m-%d %H:%M"),
                self.energy_kwh.round_dp(3).normalize(),
                esc(&self.tariff_ids.join(", "))
            ),
            _ => String::new(),
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}}\
table{{width:100%;border-collapse:collapse}}td,th{{padding:.35rem .4rem;border-bottom:1px solid #ddd;text-align:right}}\
td:first-child,th:first-child{{text-align:left}}.why{{font-size:.8rem;color:#666}}\
tr.total td,tr.total th{{font-weight:bold;border-top:2px solid #222}}</style></head>\n\
<body><h1>{title}</h1>{session}\n<table>\n<thead><tr><th>Item</th><th>Quantity</th><th>Unit price</th><th>VAT</th><th>Net</th></tr></thead>\n<tbody>\n{rows}</tbody>\n<tfoot>\n{totals}</tfoot>\n</table></body></html>\n",
            title = esc(&self.title()),
        )
    }
}

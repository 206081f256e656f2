//! Lint of an OCPP 2.1 station tariff: what is valid against the schema but probably not
//! what its author meant.

use super::condition::{CalendarConditions, TariffConditions};
use super::cost::try_with_taxes;
use super::model::{AnyConditions, AnyList, Price, StationTariff, TaxRate};
use crate::enums::wire_enum;
use crate::tariff::{Currency, Severity};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// A rule of [`StationTariff::lint`] (stable snake_case ids).
    ///
    /// ```
    /// use chargekit::station_tariff::StationLintRule;
    /// assert_eq!(StationLintRule::ShadowedPrice.as_str(), "shadowed_price");
    /// ```
    pub enum StationLintRule {
        /// An earlier price of the list holds whenever this one does: first match wins,
        /// so this price never applies.
        ShadowedPrice = "shadowed_price",
        /// The last price of a list has conditions: outside them that usage is not priced.
        NoFallbackPrice = "no_fallback_price",
        /// `minCost` above `maxCost`.
        MinCostAboveMaxCost = "min_cost_above_max_cost",
        /// `exclTax` and `inclTax` of `minCost` / `maxCost` disagree with its tax rates.
        CostBoundTaxMismatch = "cost_bound_tax_mismatch",
        /// `startTimeOfDay` equals `endTimeOfDay`: read as the whole day.
        EqualTimesOfDay = "equal_times_of_day",
        /// A `conditions` object that sets no condition.
        EmptyConditions = "empty_conditions",
        /// `validFromDate` not before `validToDate` (exclusive): no day matches.
        EmptyDateRange = "empty_date_range",
        /// A minimum at or beyond its maximum: the price never applies.
        ReversedBounds = "reversed_bounds",
        /// Two tax rates of the same type on the same stack.
        DuplicateTaxType = "duplicate_tax_type",
        /// Every price of a list is zero: the list only adds zero components.
        ZeroPriceList = "zero_price_list",
        /// A negative price (a credit, e.g. for V2X discharging).
        NegativePrice = "negative_price",
    }
}

/// One finding of [`StationTariff::lint`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StationLintFinding {
    /// The rule.
    pub rule: StationLintRule,
    /// How serious.
    pub severity: Severity,
    /// JSON path, e.g. `$.energy.prices[1]`.
    pub path: String,
    /// Plain-English explanation.
    pub message: String,
}

impl StationTariff {
    /// Lints the tariff: shadowed prices, missing fallbacks, reversed bounds, empty
    /// windows, inconsistent cost bounds and taxes, zero and negative prices. Findings come
    /// in tariff order.
    ///
    /// ```
    /// use chargekit::station_tariff::{StationLintRule, StationTariff};
    /// let t = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR",
    ///   "energy":{"prices":[{"priceKwh":0.30},{"priceKwh":0.20,"conditions":{"dayOfWeek":["Sunday"]}}]}}"#)
    ///   .unwrap();
    /// let f = t.lint();
    /// assert_eq!(f[0].rule, StationLintRule::ShadowedPrice);
    /// assert_eq!(f[0].path, "$.energy.prices[1]");
    /// ```
    pub fn lint(&self) -> Vec<StationLintFinding> {
        let mut l = Linter::default();
        l.bounds(self);
        for list in self.lists() {
            l.list(&list);
        }
        l.out
    }
}

#[derive(Default)]
struct Linter {
    out: Vec<StationLintFinding>,
}

impl Linter {
    fn push(&mut self, rule: StationLintRule, severity: Severity, path: String, message: String) {
        self.out.push(StationLintFinding {
            rule,
            severity,
            path,
            message,
        });
    }

    fn bounds(&mut self, t: &StationTariff) {
        for (key, p) in [("minCost", &t.min_cost), ("maxCost", &t.max_cost)] {
            if let Some(p) = p {
                self.bound_taxes(key, p, t.currency);
                self.taxes(&format!("$.{key}"), &p.tax_rates);
            }
        }
        if let (Some(min), Some(max)) = (&t.min_cost, &t.max_cost) {
            let above =
                |a: Option<Decimal>, b: Option<Decimal>| a.zip(b).is_some_and(|(a, b)| a > b);
            if above(min.excl_tax, max.excl_tax) || above(min.incl_tax, max.incl_tax) {
                self.push(
                    StationLintRule::MinCostAboveMaxCost,
                    Severity::Error,
                    "$.minCost".into(),
                    "minCost is above maxCost: no transaction can meet both".into(),
                );
            }
        }
    }

    fn bound_taxes(&mut self, key: &str, p: &Price, currency: Currency) {
        let (Some(excl), Some(incl)) = (p.excl_tax, p.incl_tax) else {
            return;
        };
        let decimals = currency.minor_units();
        let Some(expected) = try_with_taxes(excl, &p.tax_rates) else {
            return;
        };
        let expected = expected.round_dp(decimals);
        if expected != incl.round_dp(decimals) {
            let why = if p.tax_rates.is_empty() {
                "it states no tax rates, so both should be equal".to_string()
            } else {
                format!("its tax rates give {}", expected.normalize())
            };
            self.push(
                StationLintRule::CostBoundTaxMismatch,
                Severity::Warning,
                format!("$.{key}"),
                format!(
                    "{key} has exclTax {} and inclTax {}, but {why}",
                    excl.normalize(),
                    incl.normalize()
                ),
            );
        }
    }

    fn taxes(&mut self, path: &str, rates: &[TaxRate]) {
        for (i, r) in rates.iter().enumerate() {
            let dup = rates[..i]
                .iter()
                .any(|e| e.stack == r.stack && e.kind.eq_ignore_ascii_case(&r.kind));
            if dup {
                self.push(
                    StationLintRule::DuplicateTaxType,
                    Severity::Warning,
                    format!("{path}.taxRates[{i}]"),
                    format!(
                        "tax {} appears twice on stack {}: both are levied",
                        r.kind, r.stack
                    ),
                );
            }
        }
    }

    fn list(&mut self, list: &AnyList<'_>) {
        let key = list.kind.key();
        self.taxes(&format!("$.{key}"), list.tax_rates);
        for (i, p) in list.prices.iter().enumerate() {
            let path = format!("$.{key}.prices[{i}]");
            if let Some(j) = (0..i).find(|&j| {
                list.prices
                    .get(j)
                    .is_some_and(|e| covers(e.conditions, p.conditions))
            }) {
                self.push(
                    StationLintRule::ShadowedPrice,
                    Severity::Warning,
                    path.clone(),
                    format!("prices[{j}] applies whenever this price would (first match wins): it never applies"),
                );
            }
            if p.amount.is_sign_negative() && !p.amount.is_zero() {
                self.push(
                    StationLintRule::NegativePrice,
                    Severity::Info,
                    path.clone(),
                    format!(
                        "negative price {}: a credit to the driver (allowed, e.g. for V2X)",
                        p.amount.normalize()
                    ),
                );
            }
            if let Some(c) = p.conditions {
                self.conditions(&format!("{path}.conditions"), c);
            }
        }
        if let Some(last) = list.prices.last() {
            if !last.unconditional() {
                self.push(
                    StationLintRule::NoFallbackPrice,
                    Severity::Info,
                    format!("$.{key}.prices[{}]", list.prices.len() - 1),
                    format!("the last price of {key} has conditions: when none of its prices applies, that usage is not priced"),
                );
            }
        }
        if !list.prices.is_empty() && list.prices.iter().all(|p| p.amount.is_zero()) {
            self.push(
                StationLintRule::ZeroPriceList,
                Severity::Info,
                format!("$.{key}"),
                format!("every price of {key} is zero: it adds nothing but zero components"),
            );
        }
    }

    fn conditions(&mut self, path: &str, c: AnyConditions<'_>) {
        if c.is_empty() {
            self.push(
                StationLintRule::EmptyConditions,
                Severity::Info,
                path.into(),
                "the conditions set nothing: the price always applies".into(),
            );
            return;
        }
        let cal = c.calendar();
        if let (Some(s), Some(e)) = (cal.start_time_of_day, cal.end_time_of_day) {
            if s == e {
                self.push(
                    StationLintRule::EqualTimesOfDay,
                    Severity::Warning,
                    format!("{path}.startTimeOfDay"),
                    format!("startTimeOfDay equals endTimeOfDay ({s}): read as the whole day, not as an empty window"),
                );
            }
        }
        if let (Some(f), Some(t)) = (cal.valid_from_date, cal.valid_to_date) {
            if f >= t {
                self.push(
                    StationLintRule::EmptyDateRange,
                    Severity::Warning,
                    format!("{path}.validFromDate"),
                    format!("validFromDate {f} is not before validToDate {t} (exclusive): the price never applies"),
                );
            }
        }
        if let AnyConditions::Tariff(t) = c {
            for (name, lo, hi) in pairs(t) {
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    if reversed(lo, hi) {
                        self.push(
                            StationLintRule::ReversedBounds,
                            Severity::Warning,
                            format!("{path}.min{name}"),
                            format!(
                                "min{name} {} and max{name} {} leave no value: the price never applies",
                                lo.normalize(),
                                hi.normalize()
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The bound pairs of a condition, named as in the schema after `min`/`max`.
pub(super) fn pairs(t: &TariffConditions) -> [(&'static str, Option<Decimal>, Option<Decimal>); 6] {
    let s = |v: Option<u64>| v.map(Decimal::from);
    [
        ("Energy", t.min_energy, t.max_energy),
        ("Current", t.min_current, t.max_current),
        ("Power", t.min_power, t.max_power),
        ("Time", s(t.min_time), s(t.max_time)),
        (
            "ChargingTime",
            s(t.min_charging_time),
            s(t.max_charging_time),
        ),
        ("IdleTime", s(t.min_idle_time), s(t.max_idle_time)),
    ]
}

fn negative(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// No value meets `min ≤ v < max` (for negative bounds, counted from zero outward).
fn reversed(lo: Decimal, hi: Decimal) -> bool {
    match (negative(lo), negative(hi)) {
        (false, false) => lo >= hi,
        (true, true) => lo <= hi,
        _ => false,
    }
}

/// An earlier price with conditions `a` holds whenever one with conditions `b` does.
fn covers(a: Option<AnyConditions<'_>>, b: Option<AnyConditions<'_>>) -> bool {
    let Some(a) = a.filter(|a| !a.is_empty()) else {
        return true;
    };
    let Some(b) = b else { return false };
    if !calendar_covers(a.calendar(), b.calendar()) {
        return false;
    }
    match (a, b) {
        (AnyConditions::Tariff(a), AnyConditions::Tariff(b)) => pairs(a)
            .iter()
            .zip(pairs(b).iter())
            .all(|((_, alo, ahi), (_, blo, bhi))| min_covers(*alo, *blo) && max_covers(*ahi, *bhi)),
        (AnyConditions::Fixed(a), AnyConditions::Fixed(b)) => {
            let same = |x: &Option<String>, y: &Option<String>| match (x, y) {
                (None, _) => true,
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                (Some(_), None) => false,
            };
            same(&a.payment_brand, &b.payment_brand)
                && same(&a.payment_recognition, &b.payment_recognition)
        }
        _ => false,
    }
}

fn calendar_covers(a: &CalendarConditions, b: &CalendarConditions) -> bool {
    let window = (a.start_time_of_day.is_none() && a.end_time_of_day.is_none())
        || (a.start_time_of_day == b.start_time_of_day && a.end_time_of_day == b.end_time_of_day);
    let days = a.day_of_week.is_empty()
        || (!b.day_of_week.is_empty() && b.day_of_week.iter().all(|d| a.day_of_week.contains(d)));
    let from = a
        .valid_from_date
        .is_none_or(|af| b.valid_from_date.is_some_and(|bf| bf >= af));
    let to = a
        .valid_to_date
        .is_none_or(|at| b.valid_to_date.is_some_and(|bt| bt <= at));
    let evse = a.evse_kind.is_none() || a.evse_kind == b.evse_kind;
    window && days && from && to && evse
}

/// Every value meeting minimum `b` meets minimum `a`.
fn min_covers(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => match (negative(a), negative(b)) {
            (false, false) => b >= a,
            (true, true) => b <= a,
            _ => false,
        },
    }
}

/// Every value meeting maximum `b` meets maximum `a`.
fn max_covers(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => match (negative(a), negative(b)) {
            (false, false) => b <= a,
            (true, true) => b >= a,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::{json, Value};

    fn rules(v: Value) -> Vec<(StationLintRule, String)> {
        StationTariff::from_value(&v)
            .unwrap()
            .lint()
            .into_iter()
            .map(|f| (f.rule, f.path))
            .collect()
    }

    fn base(extra: Value) -> Value {
        let mut v = json!({"tariffId": "T", "currency": "EUR"});
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        v
    }

    fn energy(prices: Value) -> Value {
        base(json!({"energy": {"prices": prices}}))
    }

    fn has(v: Value, rule: StationLintRule) -> bool {
        rules(v).iter().any(|(r, _)| *r == rule)
    }

    #[test]
    fn a_clean_tariff_has_no_findings() {
        let v = base(json!({
            "energy": {"prices": [
                {"priceKwh": 0.25, "conditions": {"startTimeOfDay": "23:00", "endTimeOfDay": "07:00"}},
                {"priceKwh": 0.35}
            ], "taxRates": [{"type": "VAT", "tax": 21}]},
            "minCost": {"exclTax": 1.00, "inclTax": 1.21, "taxRates": [{"type": "VAT", "tax": 21}]},
            "maxCost": {"exclTax": 50}
        }));
        assert_eq!(rules(v), vec![]);
    }

    #[test]
    fn shadowed_price() {
        use StationLintRule::ShadowedPrice as R;
        // An unconditional price first shadows everything after it.
        let v = energy(
            json!([{"priceKwh": 0.3}, {"priceKwh": 0.2, "conditions": {"minPower": 50000}}]),
        );
        assert_eq!(rules(v)[0], (R, "$.energy.prices[1]".into()));
        // Weekdays shadow Monday; 11 kW and up shadows 22 kW and up.
        let v = energy(json!([
            {"priceKwh": 0.3, "conditions": {"dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "minPower": 11000}},
            {"priceKwh": 0.2, "conditions": {"dayOfWeek": ["Monday"], "minPower": 22000}},
            {"priceKwh": 0.4}
        ]));
        assert!(has(v, R));
        // A narrower earlier price does not shadow a wider later one.
        let v = energy(json!([
            {"priceKwh": 0.2, "conditions": {"dayOfWeek": ["Monday"]}},
            {"priceKwh": 0.3, "conditions": {"dayOfWeek": ["Monday", "Sunday"]}},
            {"priceKwh": 0.4}
        ]));
        assert!(!has(v, R));
        // Discharging bounds count from zero outward: -10 kW and beyond covers -20 kW and beyond.
        let v = energy(json!([
            {"priceKwh": -0.1, "conditions": {"minPower": -10000}},
            {"priceKwh": -0.2, "conditions": {"minPower": -20000}},
            {"priceKwh": 0.3}
        ]));
        assert!(has(v, R));
        // Fixed fees: a payment brand covers only the same brand.
        let fixed = |a: &str, b: &str| {
            base(json!({"fixedFee": {"prices": [
                {"priceFixed": 1, "conditions": {"paymentBrand": a}},
                {"priceFixed": 2, "conditions": {"paymentBrand": b, "evseKind": "DC"}},
                {"priceFixed": 0.5}
            ]}}))
        };
        assert!(has(fixed("VISA", "visa"), R));
        assert!(!has(fixed("VISA", "Mastercard"), R));
    }

    #[test]
    fn no_fallback_price() {
        use StationLintRule::NoFallbackPrice as R;
        let v = base(
            json!({"idleTime": {"prices": [{"priceMinute": 0.1, "conditions": {"minIdleTime": 1800}}]}}),
        );
        assert_eq!(rules(v), vec![(R, "$.idleTime.prices[0]".into())]);
        let v = base(
            json!({"idleTime": {"prices": [{"priceMinute": 0.1, "conditions": {"minIdleTime": 1800}}, {"priceMinute": 0.05}]}}),
        );
        assert!(!has(v, R));
    }

    #[test]
    fn min_cost_above_max_cost() {
        use StationLintRule::MinCostAboveMaxCost as R;
        let with = |min: f64, max: f64| {
            base(json!({"energy": {"prices": [{"priceKwh": 0.3}]},
                "minCost": {"exclTax": min}, "maxCost": {"exclTax": max}}))
        };
        assert_eq!(rules(with(10.0, 5.0)), vec![(R, "$.minCost".into())]);
        assert!(!has(with(5.0, 10.0), R));
    }

    #[test]
    fn cost_bound_tax_mismatch() {
        use StationLintRule::CostBoundTaxMismatch as R;
        let with = |incl: f64| {
            base(json!({"energy": {"prices": [{"priceKwh": 0.3}]},
                "maxCost": {"exclTax": 10, "inclTax": incl, "taxRates": [{"type": "VAT", "tax": 21}]}}))
        };
        assert_eq!(rules(with(12.0)), vec![(R, "$.maxCost".into())]);
        assert!(!has(with(12.1), R));
        // No tax rates: exclTax and inclTax must agree.
        let v = base(json!({"energy": {"prices": [{"priceKwh": 0.3}]},
            "minCost": {"exclTax": 1, "inclTax": 1.21}}));
        assert!(has(v, R));
    }

    #[test]
    fn equal_times_of_day() {
        use StationLintRule::EqualTimesOfDay as R;
        let with = |end: &str| {
            energy(
                json!([{"priceKwh": 0.2, "conditions": {"startTimeOfDay": "09:00", "endTimeOfDay": end}}, {"priceKwh": 0.3}]),
            )
        };
        assert_eq!(
            rules(with("09:00")),
            vec![(R, "$.energy.prices[0].conditions.startTimeOfDay".into())]
        );
        assert!(!has(with("17:00"), R));
    }

    #[test]
    fn empty_conditions() {
        use StationLintRule::EmptyConditions as R;
        assert!(has(energy(json!([{"priceKwh": 0.2, "conditions": {}}])), R));
        assert!(!has(energy(json!([{"priceKwh": 0.2}])), R));
    }

    #[test]
    fn empty_date_range() {
        use StationLintRule::EmptyDateRange as R;
        let with = |to: &str| {
            energy(
                json!([{"priceKwh": 0.2, "conditions": {"validFromDate": "2026-05-01", "validToDate": to}}, {"priceKwh": 0.3}]),
            )
        };
        assert!(has(with("2026-05-01"), R));
        assert!(has(with("2026-04-01"), R));
        assert!(!has(with("2026-05-02"), R));
    }

    #[test]
    fn reversed_bounds() {
        use StationLintRule::ReversedBounds as R;
        let with =
            |c: Value| energy(json!([{"priceKwh": 0.2, "conditions": c}, {"priceKwh": 0.3}]));
        assert_eq!(
            rules(with(json!({"minEnergy": 20000, "maxEnergy": 10000}))),
            vec![(R, "$.energy.prices[0].conditions.minEnergy".into())]
        );
        assert!(has(with(json!({"minTime": 3600, "maxTime": 3600})), R));
        assert!(has(
            with(json!({"minPower": -50000, "maxPower": -10000})),
            R
        ));
        assert!(!has(
            with(json!({"minPower": -10000, "maxPower": -50000})),
            R
        ));
        assert!(!has(
            with(json!({"minIdleTime": 600, "maxIdleTime": 3600})),
            R
        ));
    }

    #[test]
    fn duplicate_tax_type() {
        use StationLintRule::DuplicateTaxType as R;
        let with = |stack: u32| {
            base(json!({"energy": {"prices": [{"priceKwh": 0.3}],
                "taxRates": [{"type": "VAT", "tax": 21}, {"type": "vat", "tax": 9, "stack": stack}]}}))
        };
        assert_eq!(rules(with(0)), vec![(R, "$.energy.taxRates[1]".into())]);
        assert!(!has(with(1), R));
    }

    #[test]
    fn zero_price_list() {
        use StationLintRule::ZeroPriceList as R;
        let v = base(json!({"fixedFee": {"prices": [{"priceFixed": 0}]}}));
        assert_eq!(rules(v), vec![(R, "$.fixedFee".into())]);
        let v = base(
            json!({"fixedFee": {"prices": [{"priceFixed": 0, "conditions": {"evseKind": "AC"}}, {"priceFixed": 1}]}}),
        );
        assert!(!has(v, R));
    }

    #[test]
    fn negative_price() {
        use StationLintRule::NegativePrice as R;
        let v =
            energy(json!([{"priceKwh": -0.12, "conditions": {"maxEnergy": 0}}, {"priceKwh": 0.3}]));
        let f = StationTariff::from_value(&v).unwrap().lint();
        assert_eq!(f[0].rule, R);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(!has(energy(json!([{"priceKwh": 0.3}])), R));
    }
}

//! Plain-language explanations of tariffs. The wording lives in one phrasebook per
//! language ([`Language`]); the structure ([`Explanation`]) is language-independent.

use super::*;

/// A language of explanations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English (the default).
    #[default]
    En,
    /// Dutch.
    Nl,
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" | "english" => Ok(Language::En),
            "nl" | "nl-nl" | "nl-be" | "dutch" => Ok(Language::Nl),
            _ => Err(format!("unsupported language {s:?}; expected en or nl")),
        }
    }
}

/// One priced case of a dimension: a condition (none for the unconditional case) and a price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExplanationLine {
    /// The index of the element it comes from (`None` for "otherwise free").
    pub element: Option<u64>,
    /// When it applies, in words (`None`: always / otherwise).
    pub condition: Option<String>,
    /// The price in words, e.g. "€0.25 per kWh".
    pub price: String,
    /// Billing granularity in words, if any.
    pub step: Option<String>,
}

/// One dimension of the tariff, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExplanationSection {
    /// The dimension heading, e.g. "Energy".
    pub heading: String,
    /// The cases in priority order.
    pub lines: Vec<ExplanationLine>,
    /// A remark on the section (e.g. that shadowed tiers are left out).
    pub note: Option<String>,
}

/// A tariff in plain language: the structure, and its renderings as one paragraph and as
/// Markdown (computed when the explanation is built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "TariffExplanation"))]
pub struct Explanation {
    /// The language.
    pub language: Language,
    /// One section per priced dimension.
    pub sections: Vec<ExplanationSection>,
    /// Session-wide notes: minimum/maximum price, VAT.
    pub notes: Vec<String>,
    /// One paragraph, e.g. "€0.25 per kWh. Prices exclude 21% VAT."
    pub text: String,
    /// Markdown, one section per dimension (the layout of ocpi-tariffs' explanations).
    pub markdown: String,
}

impl Explanation {
    /// An explanation of `sections` and `notes`, with its text and Markdown renderings.
    pub fn new(language: Language, sections: Vec<ExplanationSection>, notes: Vec<String>) -> Self {
        let text = render_text(&sections, &notes);
        let markdown = render_markdown(&sections, &notes);
        Explanation {
            language,
            sections,
            notes,
            text,
            markdown,
        }
    }
}

/// One paragraph.
fn render_text(sections: &[ExplanationSection], notes: &[String]) -> String {
    let mut sentences = Vec::new();
    let single = sections.len() == 1;
    for s in sections {
        let parts: Vec<String> = s
            .lines
            .iter()
            .map(|l| {
                let mut t = match &l.condition {
                    Some(c) => format!("{c}: {}", l.price),
                    None => l.price.clone(),
                };
                if let Some(st) = &l.step {
                    t.push_str(&format!(" ({st})"));
                }
                t
            })
            .collect();
        let body = parts.join("; ");
        if single && s.lines.len() == 1 {
            sentences.push(body);
        } else {
            sentences.push(format!("{}: {body}", s.heading));
        }
    }
    let mut out = sentences.join(". ");
    if !out.is_empty() {
        out.push('.');
    }
    for n in notes {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(n);
    }
    out
}

/// Markdown, one section per dimension.
fn render_markdown(sections: &[ExplanationSection], notes: &[String]) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for s in sections {
        let steps: Vec<&Option<String>> = s
            .lines
            .iter()
            .filter(|l| l.element.is_some())
            .map(|l| &l.step)
            .collect();
        let shared = steps.windows(2).all(|w| w[0] == w[1]);
        let shared_step = if shared {
            steps.first().and_then(|s| s.as_ref())
        } else {
            None
        };
        let mut b = if s.lines.len() == 1 {
            let l = &s.lines[0];
            match &l.condition {
                Some(c) => format!("**{}:** {c}, {}.", s.heading, l.price),
                None => format!("**{}:** {}.", s.heading, l.price),
            }
        } else {
            let mut b = format!("**{}:**\n", s.heading);
            for l in &s.lines {
                let cond = l.condition.as_deref().unwrap_or("otherwise");
                b.push_str(&format!("\n- {}: {}", capitalise(cond), l.price));
                if let (false, Some(st)) = (shared, &l.step) {
                    b.push_str(&format!(" ({st})"));
                }
            }
            b
        };
        if let Some(st) = shared_step {
            b.push_str(&format!("\n\n_{}._", capitalise(st)));
        }
        if let Some(n) = &s.note {
            b.push_str(&format!("\n\n_{n}._"));
        }
        blocks.push(b);
    }
    let notes: Vec<&String> = notes
        .iter()
        .filter(|n| !n.contains("VAT") && !n.contains("btw"))
        .collect();
    if !notes.is_empty() {
        blocks.push(
            notes
                .iter()
                .map(|n| n.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    blocks.join("\n\n")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Formats money: at least 2 decimals, up to the 4 OCPI allows.
pub(crate) fn money(amount: Decimal, currency: Currency) -> String {
    let mut d = amount.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    let sym = currency.symbol();
    if sym.is_empty() {
        format!("{currency}{d}")
    } else if d.is_sign_negative() {
        format!("-{sym}{}", d.abs())
    } else {
        format!("{sym}{d}")
    }
}

/// The wording of one language, shared with the OCPP 2.1 station-tariff explainer.
pub(crate) struct Phrases {
    lang: Language,
}

impl Phrases {
    pub(crate) fn new(lang: Language) -> Self {
        Phrases { lang }
    }
    pub(crate) fn en(&self) -> bool {
        self.lang == Language::En
    }
    fn heading(&self, d: TariffDimension, reservation: bool) -> &'static str {
        match (self.en(), d, reservation) {
            (true, _, true) => "Reservation",
            (false, _, true) => "Reservering",
            (true, TariffDimension::Energy, _) => "Energy",
            (false, TariffDimension::Energy, _) => "Energie",
            (true, TariffDimension::Time, _) => "Charging time",
            (false, TariffDimension::Time, _) => "Laadtijd",
            (true, TariffDimension::ParkingTime, _) => "Idle time (connected but not charging)",
            (false, TariffDimension::ParkingTime, _) => "Stilstaan (aangesloten maar niet laden)",
            (true, TariffDimension::Flat, _) => "Flat fee",
            (false, TariffDimension::Flat, _) => "Vast tarief",
        }
    }
    fn price(&self, c: &PriceComponent, cur: Currency) -> String {
        if c.price.is_zero() {
            return if self.en() { "free" } else { "gratis" }.into();
        }
        let m = money(c.price, cur);
        let unit = match (self.en(), c.dimension) {
            (true, TariffDimension::Energy) => "per kWh",
            (false, TariffDimension::Energy) => "per kWh",
            (true, TariffDimension::Flat) => "per session",
            (false, TariffDimension::Flat) => "per sessie",
            (true, _) => "per hour",
            (false, _) => "per uur",
        };
        format!("{m} {unit}")
    }
    /// The note that a tariff becomes active at `s`.
    pub(crate) fn active_from(&self, s: DateTime<Utc>) -> String {
        if self.en() {
            format!(
                "This tariff only becomes active on {} (UTC).",
                s.format("%Y-%m-%d %H:%M")
            )
        } else {
            format!(
                "Dit tarief geldt pas vanaf {} (UTC).",
                s.format("%Y-%m-%d %H:%M")
            )
        }
    }
    pub(crate) fn duration(&self, secs: u64) -> String {
        let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
        let mut parts = Vec::new();
        let en = self.en();
        let unit =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if h > 0 {
            parts.push(if en {
                unit(h, "hour", "hours")
            } else {
                unit(h, "uur", "uur")
            });
        }
        if m > 0 {
            parts.push(if en {
                unit(m, "minute", "minutes")
            } else {
                unit(m, "minuut", "minuten")
            });
        }
        if s > 0 || parts.is_empty() {
            parts.push(if en {
                unit(s, "second", "seconds")
            } else {
                unit(s, "seconde", "seconden")
            });
        }
        parts.join(" ")
    }
    fn step(&self, c: &PriceComponent) -> Option<String> {
        if c.step_size <= 1 || c.dimension == TariffDimension::Flat {
            return None;
        }
        let amount = match c.dimension {
            TariffDimension::Energy => {
                format!(
                    "{} kWh",
                    (Decimal::from(c.step_size) / Decimal::ONE_THOUSAND).normalize()
                )
            }
            _ => self.duration(u64::from(c.step_size)),
        };
        Some(if self.en() {
            format!("billed in steps of {amount}, rounded up")
        } else {
            format!("afgerekend per {amount}, naar boven afgerond")
        })
    }
    pub(crate) fn days(&self, days: &[DayOfWeek]) -> String {
        use DayOfWeek::*;
        let mut sorted = days.to_vec();
        sorted.sort();
        let weekdays = [Monday, Tuesday, Wednesday, Thursday, Friday];
        if sorted == weekdays {
            return if self.en() {
                "on weekdays"
            } else {
                "op werkdagen"
            }
            .into();
        }
        if sorted == [Saturday, Sunday] {
            return if self.en() {
                "on weekends"
            } else {
                "in het weekend"
            }
            .into();
        }
        let names: Vec<&str> = sorted
            .iter()
            .map(|d| match (self.en(), d) {
                (true, Monday) => "Monday",
                (true, Tuesday) => "Tuesday",
                (true, Wednesday) => "Wednesday",
                (true, Thursday) => "Thursday",
                (true, Friday) => "Friday",
                (true, Saturday) => "Saturday",
                (true, Sunday) => "Sunday",
                (false, Monday) => "maandag",
                (false, Tuesday) => "dinsdag",
                (false, Wednesday) => "woensdag",
                (false, Thursday) => "donderdag",
                (false, Friday) => "vrijdag",
                (false, Saturday) => "zaterdag",
                (false, Sunday) => "zondag",
            })
            .collect();
        format!(
            "{} {}",
            if self.en() { "on" } else { "op" },
            names.join(", ")
        )
    }
    pub(crate) fn condition(&self, r: &Restrictions) -> Option<String> {
        let en = self.en();
        let mut parts: Vec<String> = Vec::new();
        if !r.day_of_week.is_empty() && r.day_of_week.len() < 7 {
            parts.push(self.days(&r.day_of_week));
        }
        match (r.start_time, r.end_time) {
            (Some(s), Some(e)) if s == e => {}
            (Some(s), Some(e)) if e.is_midnight() => parts.push(if en {
                format!("from {s} until midnight")
            } else {
                format!("van {s} tot middernacht")
            }),
            (Some(s), Some(e)) => parts.push(if en {
                format!("between {s} and {e}")
            } else {
                format!("tussen {s} en {e}")
            }),
            (Some(s), None) if !s.is_midnight() => parts.push(if en {
                format!("from {s}")
            } else {
                format!("vanaf {s}")
            }),
            (None, Some(e)) if !e.is_midnight() => parts.push(if en {
                format!("before {e}")
            } else {
                format!("voor {e}")
            }),
            _ => {}
        }
        match (r.start_date, r.end_date) {
            (Some(a), Some(b)) => parts.push(if en {
                format!("from {a} until {b}")
            } else {
                format!("van {a} tot {b}")
            }),
            (Some(a), None) => parts.push(if en {
                format!("from {a} onwards")
            } else {
                format!("vanaf {a}")
            }),
            (None, Some(b)) => parts.push(if en {
                format!("until {b}")
            } else {
                format!("tot {b}")
            }),
            _ => {}
        }
        for (lo, hi, unit) in [
            (r.min_power, r.max_power, "kW"),
            (r.min_current, r.max_current, "A"),
        ] {
            if let Some(lo) = lo {
                parts.push(if en {
                    format!("while charging at {} {unit} or more", lo.normalize())
                } else {
                    format!("bij laden met {} {unit} of meer", lo.normalize())
                });
            }
            if let Some(hi) = hi {
                parts.push(if en {
                    format!("while charging below {} {unit}", hi.normalize())
                } else {
                    format!("bij laden onder {} {unit}", hi.normalize())
                });
            }
        }
        match (r.min_kwh.filter(|k| !k.is_zero()), r.max_kwh) {
            (Some(a), Some(b)) => parts.push(if en {
                format!(
                    "between {} and {} kWh charged",
                    a.normalize(),
                    b.normalize()
                )
            } else {
                format!("tussen {} en {} kWh geladen", a.normalize(), b.normalize())
            }),
            (Some(a), None) => parts.push(if en {
                format!("after the first {} kWh", a.normalize())
            } else {
                format!("na de eerste {} kWh", a.normalize())
            }),
            (None, Some(b)) => parts.push(if en {
                format!("for the first {} kWh", b.normalize())
            } else {
                format!("voor de eerste {} kWh", b.normalize())
            }),
            _ => {}
        }
        match (r.min_duration.filter(|d| *d > 0), r.max_duration) {
            (Some(a), Some(b)) => parts.push(if en {
                format!(
                    "between {} and {} after plugging in",
                    self.duration(a),
                    self.duration(b)
                )
            } else {
                format!(
                    "tussen {} en {} na het aansluiten",
                    self.duration(a),
                    self.duration(b)
                )
            }),
            (Some(a), None) => parts.push(if en {
                format!("more than {} after plugging in", self.duration(a))
            } else {
                format!("meer dan {} na het aansluiten", self.duration(a))
            }),
            (None, Some(b)) => parts.push(if en {
                format!("for the first {} after plugging in", self.duration(b))
            } else {
                format!("de eerste {} na het aansluiten", self.duration(b))
            }),
            _ => {}
        }
        if r.reservation == Some(ReservationRestriction::ReservationExpires) {
            parts.push(
                if en {
                    "when the reservation expires unused"
                } else {
                    "als de reservering ongebruikt verloopt"
                }
                .into(),
            );
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

pub(crate) fn explain(t: &Tariff, language: Language) -> Explanation {
    let ph = Phrases { lang: language };
    let en = language == Language::En;
    let mut sections = Vec::new();
    let order = [
        TariffDimension::Energy,
        TariffDimension::Time,
        TariffDimension::ParkingTime,
        TariffDimension::Flat,
    ];
    for reservation in [false, true] {
        for dim in order {
            let mut lines = Vec::new();
            let mut unconditional = false;
            for (i, e) in t.elements.iter().enumerate() {
                if e.restrictions.reservation.is_some() != reservation {
                    continue;
                }
                let Some(c) = e.component(dim) else { continue };
                let mut cond = ph.condition(&e.restrictions);
                if reservation && dim == TariffDimension::Flat && cond.is_none() {
                    cond = Some(
                        if en {
                            "reservation fee"
                        } else {
                            "reserveringskosten"
                        }
                        .into(),
                    );
                }
                let price = ph.price(c, t.currency);
                if cond.is_none() {
                    unconditional = true;
                }
                lines.push(ExplanationLine {
                    element: Some(i as u64),
                    condition: cond,
                    price,
                    step: ph.step(c),
                });
                if unconditional {
                    break;
                }
            }
            if lines.is_empty() {
                continue;
            }
            // Tiers that differ only by date read best in date order.
            let date_only = |i: Option<u64>| {
                element_at(t, i).is_some_and(|e| {
                    let r = &e.restrictions;
                    (r.start_date.is_some() || r.end_date.is_some())
                        && Restrictions {
                            start_date: None,
                            end_date: None,
                            ..r.clone()
                        }
                        .is_empty()
                })
            };
            let mut hidden_tiers = false;
            if lines.len() > 1 && lines.iter().all(|l| date_only(l.element)) {
                let range = |l: &ExplanationLine| {
                    element_at(t, l.element)
                        .map(|e| (e.restrictions.start_date, e.restrictions.end_date))
                        .unwrap_or((None, None))
                };
                let before = lines.len();
                let mut kept: Vec<ExplanationLine> = Vec::new();
                for l in lines {
                    let (s, e) = range(&l);
                    let covered = kept.iter().any(|k| {
                        let (ks, ke) = range(k);
                        let starts = match (ks, s) {
                            (None, _) => true,
                            (Some(_), None) => false,
                            (Some(a), Some(b)) => a <= b,
                        };
                        let ends = match (ke, e) {
                            (None, _) => true,
                            (Some(_), None) => false,
                            (Some(a), Some(b)) => a >= b,
                        };
                        starts && ends
                    });
                    if !covered {
                        kept.push(l);
                    }
                }
                hidden_tiers = kept.len() < before;
                lines = kept;
                lines.sort_by_key(|l| {
                    element_at(t, l.element)
                        .map(|e| (e.restrictions.start_date, e.restrictions.end_date))
                });
            }
            if dim == TariffDimension::Time && lines.len() > 1 {
                let only_max = |l: &ExplanationLine| {
                    element_at(t, l.element).is_some_and(|e| {
                        e.restrictions.max_duration.is_some()
                            && Restrictions {
                                max_duration: None,
                                min_duration: e.restrictions.min_duration.filter(|d| *d > 0),
                                ..e.restrictions.clone()
                            }
                            .is_empty()
                    })
                };
                let n = lines.len();
                if lines[n - 1].condition.is_none() && lines[..n - 1].iter().all(only_max) {
                    lines[n - 1].condition = Some(
                        if en {
                            "for the remaining charging time"
                        } else {
                            "voor de resterende laadtijd"
                        }
                        .into(),
                    );
                }
            }
            if let Some(last) = lines.last_mut() {
                if last.element.is_some()
                    && last.condition.is_none()
                    && lines_has_conditions(&lines)
                {
                    if let Some(l) = lines.last_mut() {
                        l.condition = Some(if en { "otherwise" } else { "anders" }.into());
                    }
                }
            }
            sections.push(ExplanationSection {
                heading: ph.heading(dim, reservation).into(),
                lines,
                note: hidden_tiers.then(|| {
                    if en {
                        "Tiers that never apply are not listed, because an earlier rate already covers the same dates"
                    } else {
                        "Tarieven die nooit gelden staan er niet bij, omdat een eerder tarief dezelfde data al dekt"
                    }
                    .into()
                }),
            });
        }
    }
    let mut notes = Vec::new();
    if let Some(m) = t.min_price {
        notes.push(if en {
            format!(
                "A session always costs at least {}.",
                money(m.excl_vat, t.currency)
            )
        } else {
            format!(
                "De minimumprijs per sessie is {}.",
                money(m.excl_vat, t.currency)
            )
        });
    }
    if let Some(m) = t.max_price {
        notes.push(if en {
            format!(
                "A session never costs more than {}.",
                money(m.excl_vat, t.currency)
            )
        } else {
            format!(
                "Een sessie kost hoogstens {}.",
                money(m.excl_vat, t.currency)
            )
        });
    }
    if let Some(s) = t.start_date_time {
        notes.push(ph.active_from(s));
    }
    if let Some(e) = t.end_date_time {
        notes.push(if en {
            format!(
                "This tariff no longer applies from {} (UTC).",
                e.format("%Y-%m-%d %H:%M")
            )
        } else {
            format!(
                "Dit tarief geldt niet meer vanaf {} (UTC).",
                e.format("%Y-%m-%d %H:%M")
            )
        });
    }
    let mut rates: Vec<Decimal> = t
        .elements
        .iter()
        .flat_map(|e| &e.price_components)
        .filter_map(|c| c.vat.rate())
        .filter(|r| !r.is_zero())
        .collect();
    rates.sort();
    rates.dedup();
    let included = t.tax_included == Some(TaxIncluded::Yes);
    if !rates.is_empty() {
        let list = rates
            .iter()
            .map(|r| format!("{}%", r.normalize()))
            .collect::<Vec<_>>()
            .join(", ");
        notes.push(match (en, included) {
            (true, false) => format!("Prices exclude {list} VAT."),
            (true, true) => format!("Prices include {list} VAT."),
            (false, false) => format!("Prijzen zijn exclusief {list} btw."),
            (false, true) => format!("Prijzen zijn inclusief {list} btw."),
        });
    }
    Explanation::new(language, sections, notes)
}

/// The element at an explanation line's index.
fn element_at(t: &Tariff, index: Option<u64>) -> Option<&TariffElement> {
    t.elements.get(usize::try_from(index?).ok()?)
}

fn lines_has_conditions(lines: &[ExplanationLine]) -> bool {
    lines.len() > 1
        && lines[..lines.len() - 1]
            .iter()
            .any(|l| l.condition.is_some())
}

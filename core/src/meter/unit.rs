//! Units of measure and exact normalisation of sampled values.

use super::{AnomalyKind, Measurand};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A unit of measure accepted in OCPP sampled values.
///
/// Parsing is case-insensitive (`"WH"` and `"kwh"` occur in the field) and
/// accepts both `Celcius` (the 1.6 schema's spelling) and `Celsius`, and the
/// non-standard `Hertz`.
///
/// ```
/// use chargekit::meter::Unit;
/// assert_eq!(Unit::parse("kwh"), Some(Unit::KWh));
/// assert_eq!(Unit::parse("Celcius"), Some(Unit::Celsius));
/// assert_eq!(Unit::parse("furlongs"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Watt-hour.
    Wh,
    /// Kilowatt-hour.
    KWh,
    /// Reactive volt-ampere-hour.
    Varh,
    /// Reactive kilovolt-ampere-hour.
    KVarh,
    /// Watt.
    W,
    /// Kilowatt.
    KW,
    /// Volt-ampere.
    VA,
    /// Kilovolt-ampere.
    KVA,
    /// Reactive volt-ampere.
    Var,
    /// Reactive kilovolt-ampere.
    KVar,
    /// Ampere.
    A,
    /// Volt.
    V,
    /// Kelvin.
    K,
    /// Degree Celsius.
    Celsius,
    /// Degree Fahrenheit.
    Fahrenheit,
    /// Percent.
    Percent,
    /// Hertz (non-standard but common).
    Hertz,
}

/// The physical dimension a unit measures, used to check it against the measurand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Active, reactive or apparent energy.
    Energy,
    /// Active, reactive or apparent power.
    Power,
    /// Current.
    Current,
    /// Voltage.
    Voltage,
    /// Temperature.
    Temperature,
    /// Percent (SoC, power factor as percent).
    Percent,
    /// Frequency.
    Frequency,
}

impl Unit {
    /// Parses a unit text case-insensitively.
    pub fn parse(text: &str) -> Option<Unit> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "wh" => Unit::Wh,
            "kwh" => Unit::KWh,
            "varh" => Unit::Varh,
            "kvarh" => Unit::KVarh,
            "w" => Unit::W,
            "kw" => Unit::KW,
            "va" => Unit::VA,
            "kva" => Unit::KVA,
            "var" => Unit::Var,
            "kvar" => Unit::KVar,
            "a" => Unit::A,
            "v" => Unit::V,
            "k" => Unit::K,
            "celsius" | "celcius" => Unit::Celsius,
            "fahrenheit" => Unit::Fahrenheit,
            "percent" | "%" => Unit::Percent,
            "hertz" | "hz" => Unit::Hertz,
            _ => return None,
        })
    }

    /// The power of ten that brings a value in this unit to its base unit (kWh → Wh is 3).
    pub fn scale(self) -> u32 {
        match self {
            Unit::KWh | Unit::KVarh | Unit::KW | Unit::KVA | Unit::KVar => 3,
            _ => 0,
        }
    }

    /// The dimension measured.
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Wh | Unit::KWh | Unit::Varh | Unit::KVarh => Dimension::Energy,
            Unit::W | Unit::KW | Unit::VA | Unit::KVA | Unit::Var | Unit::KVar => Dimension::Power,
            Unit::A => Dimension::Current,
            Unit::V => Dimension::Voltage,
            Unit::K | Unit::Celsius | Unit::Fahrenheit => Dimension::Temperature,
            Unit::Percent => Dimension::Percent,
            Unit::Hertz => Dimension::Frequency,
        }
    }
}

impl Measurand {
    /// The dimension this measurand is expected in, if it has a single one.
    pub fn dimension(self) -> Option<Dimension> {
        use Measurand as M;
        Some(match self {
            m if m.is_energy() => Dimension::Energy,
            M::EnergyRequestBulk
            | M::EnergyRequestMaximum
            | M::EnergyRequestMaximumV2x
            | M::EnergyRequestMinimum
            | M::EnergyRequestMinimumV2x
            | M::EnergyRequestTarget
            | M::DisplayBatteryEnergyCapacity => Dimension::Energy,
            M::PowerActiveExport
            | M::PowerActiveImport
            | M::PowerOffered
            | M::PowerReactiveExport
            | M::PowerReactiveImport
            | M::PowerActiveResidual
            | M::PowerActiveSetpoint
            | M::PowerExportMinimum
            | M::PowerExportOffered
            | M::PowerImportMinimum
            | M::PowerImportOffered => Dimension::Power,
            M::CurrentExport
            | M::CurrentImport
            | M::CurrentOffered
            | M::CurrentExportMinimum
            | M::CurrentExportOffered
            | M::CurrentImportMinimum
            | M::CurrentImportOffered => Dimension::Current,
            M::Voltage | M::VoltageMaximum | M::VoltageMinimum => Dimension::Voltage,
            M::SoC
            | M::DisplayPresentSoc
            | M::DisplayMinimumSoc
            | M::DisplayMaximumSoc
            | M::DisplayTargetSoc => Dimension::Percent,
            M::Frequency => Dimension::Frequency,
            M::Temperature => Dimension::Temperature,
            _ => return None,
        })
    }

    /// The unit assumed when a value carries none (OCPP: Wh for energy; W for power by convention).
    pub fn default_unit(self) -> Unit {
        match self.dimension() {
            Some(Dimension::Power) => Unit::W,
            Some(Dimension::Current) => Unit::A,
            Some(Dimension::Voltage) => Unit::V,
            Some(Dimension::Percent) => Unit::Percent,
            Some(Dimension::Frequency) => Unit::Hertz,
            Some(Dimension::Temperature) => Unit::Celsius,
            _ => Unit::Wh,
        }
    }
}

/// The outcome of normalising one sampled value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    /// The value in the base unit (Wh, W, A, V, %, …), or `None` when it could not be read.
    pub value: Option<Decimal>,
    /// The unit the value was read in (after defaults).
    pub unit: Option<Unit>,
    /// What went wrong, if anything: `unparseable`, `unknown_unit` or `unit_suspect`.
    pub problem: Option<(AnomalyKind, String)>,
}

/// Largest magnitude accepted for a normalised value; beyond it a value is `unparseable`.
fn limit() -> Decimal {
    Decimal::from(10u64.pow(15))
}

/// Parses a decimal number exactly; scientific notation is accepted, NaN/∞/empty are not.
///
/// ```
/// use chargekit::meter::parse_exact;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_exact("12.30").unwrap().to_string(), "12.30");
/// assert_eq!(parse_exact("1.5e3").unwrap(), Decimal::from(1500));
/// assert!(parse_exact("NaN").is_none());
/// assert!(parse_exact("").is_none());
/// ```
pub fn parse_exact(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if let Ok(d) = Decimal::from_str(t) {
        return Some(d);
    }
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(t).ok();
    }
    None
}

/// Normalises a sampled value: `value × 10^multiplier`, then to the base unit.
///
/// A missing unit defaults per measurand (Wh for energy, W for power). An unknown
/// unit keeps the raw text and yields no value (`unknown_unit`); a unit of the
/// wrong dimension for the measurand is reported as `unit_suspect` but kept.
///
/// ```
/// use chargekit::meter::{normalise, Measurand};
/// use rust_decimal::Decimal;
/// let n = normalise("1.25", Some("kWh"), 0, Measurand::EnergyActiveImportRegister);
/// assert_eq!(n.value, Some(Decimal::new(125000, 2)));
/// let n = normalise("12", Some("Wh"), 3, Measurand::EnergyActiveImportRegister);
/// assert_eq!(n.value, Some(Decimal::from(12000)));
/// assert!(normalise("x", None, 0, Measurand::Voltage).value.is_none());
/// ```
pub fn normalise(
    raw: &str,
    unit: Option<&str>,
    multiplier: i32,
    measurand: Measurand,
) -> Normalised {
    let parsed_unit = match unit {
        None => Some(measurand.default_unit()),
        Some(u) if u.trim().is_empty() => Some(measurand.default_unit()),
        Some(u) => Unit::parse(u),
    };
    let Some(number) = parse_exact(raw) else {
        return Normalised {
            value: None,
            unit: parsed_unit,
            problem: Some((
                AnomalyKind::Unparseable,
                format!("value {raw:?} is not a finite decimal number"),
            )),
        };
    };
    let Some(u) = parsed_unit else {
        return Normalised {
            value: None,
            unit: None,
            problem: Some((
                AnomalyKind::UnknownUnit,
                format!("unit {:?} is not an OCPP unit", unit.unwrap_or_default()),
            )),
        };
    };
    let exponent = i64::from(multiplier) + i64::from(u.scale());
    let value = scale_pow10(number, exponent).filter(|v| v.abs() <= limit());
    let Some(value) = value else {
        return Normalised {
            value: None,
            unit: Some(u),
            problem: Some((
                AnomalyKind::Unparseable,
                format!("value {raw:?} × 10^{exponent} is out of range"),
            )),
        };
    };
    let problem = match measurand.dimension() {
        Some(d) if d != u.dimension() => Some((
            AnomalyKind::UnitSuspect,
            format!(
                "unit {:?} does not measure what {} measures",
                unit.unwrap_or_default(),
                measurand
            ),
        )),
        _ => None,
    };
    Normalised {
        value: Some(value),
        unit: Some(u),
        problem,
    }
}

/// `value × 10^exp`, or `None` on overflow.
fn scale_pow10(value: Decimal, exp: i64) -> Option<Decimal> {
    if !(-28..=28).contains(&exp) {
        return None;
    }
    let factor = Decimal::from_i128_with_scale(10i128.pow(exp.unsigned_abs() as u32), 0);
    if exp >= 0 {
        value.checked_mul(factor)
    } else {
        value.checked_div(factor)
    }
}

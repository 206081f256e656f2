//! Time zones of charging sites: explicit, from the CDR, or inferred from the country.

use chrono_tz::Tz;

/// The time zone of a country with a single zone (ISO 3166 alpha-2 or alpha-3), for
/// CDRs that state only the country. Countries spanning several zones (US, CA, AU, RU,
/// BR, MX, …) return `None`: the caller must say which zone.
///
/// ```
/// use chargekit::billing::timezone_for_country;
/// assert_eq!(timezone_for_country("NLD"), Some(chrono_tz::Europe::Amsterdam));
/// assert_eq!(timezone_for_country("de"), Some(chrono_tz::Europe::Berlin));
/// assert_eq!(timezone_for_country("USA"), None);
/// ```
pub fn timezone_for_country(country: &str) -> Option<Tz> {
    use chrono_tz::{Africa, America, Asia, Atlantic, Europe, Pacific};
    let c = country.trim().to_ascii_uppercase();
    let tz = match c.as_str() {
        "NL" | "NLD" => Europe::Amsterdam,
        "BE" | "BEL" => Europe::Brussels,
        "DE" | "DEU" => Europe::Berlin,
        "FR" | "FRA" => Europe::Paris,
        "LU" | "LUX" => Europe::Luxembourg,
        "AT" | "AUT" => Europe::Vienna,
        "CH" | "CHE" => Europe::Zurich,
        "IT" | "ITA" => Europe::Rome,
        "ES" | "ESP" => Europe::Madrid,
        "PT" | "PRT" => Europe::Lisbon,
        "GB" | "GBR" => Europe::London,
        "IE" | "IRL" => Europe::Dublin,
        "DK" | "DNK" => Europe::Copenhagen,
        "NO" | "NOR" => Europe::Oslo,
        "SE" | "SWE" => Europe::Stockholm,
        "FI" | "FIN" => Europe::Helsinki,
        "IS" | "ISL" => Atlantic::Reykjavik,
        "PL" | "POL" => Europe::Warsaw,
        "CZ" | "CZE" => Europe::Prague,
        "SK" | "SVK" => Europe::Bratislava,
        "HU" | "HUN" => Europe::Budapest,
        "SI" | "SVN" => Europe::Ljubljana,
        "HR" | "HRV" => Europe::Zagreb,
        "RO" | "ROU" => Europe::Bucharest,
        "BG" | "BGR" => Europe::Sofia,
        "GR" | "GRC" => Europe::Athens,
        "EE" | "EST" => Europe::Tallinn,
        "LV" | "LVA" => Europe::Riga,
        "LT" | "LTU" => Europe::Vilnius,
        "MT" | "MLT" => Europe::Malta,
        "CY" | "CYP" => Asia::Nicosia,
        "RS" | "SRB" => Europe::Belgrade,
        "UA" | "UKR" => Europe::Kyiv,
        "TR" | "TUR" => Europe::Istanbul,
        "LI" | "LIE" => Europe::Vaduz,
        "MC" | "MCO" => Europe::Monaco,
        "JP" | "JPN" => Asia::Tokyo,
        "KR" | "KOR" => Asia::Seoul,
        "CN" | "CHN" => Asia::Shanghai,
        "IN" | "IND" => Asia::Kolkata,
        "SG" | "SGP" => Asia::Singapore,
        "IL" | "ISR" => Asia::Jerusalem,
        "AE" | "ARE" => Asia::Dubai,
        "NZ" | "NZL" => Pacific::Auckland,
        "ZA" | "ZAF" => Africa::Johannesburg,
        "MA" | "MAR" => Africa::Casablanca,
        "CO" | "COL" => America::Bogota,
        "CR" | "CRI" => America::Costa_Rica,
        _ => return None,
    };
    Some(tz)
}

/// Parses an IANA zone name.
pub(crate) fn parse(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// Serde for `Tz` as its IANA name.
pub(crate) mod serde_tz {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let s = String::deserialize(d)?;
        super::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown time zone {s:?}")))
    }
}

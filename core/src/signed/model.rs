//! The typed model of an OCMF record (`docs/ocmf.md` §1–§2).

use super::obis::Obis;
use crate::enums::wire_enum;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Declares an enumeration of specification values that keeps values outside
/// the specification as `Other(text)` instead of rejecting the record.
macro_rules! open_enum {
    (
        $(#[$doc:meta])*
        pub enum $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A value outside the specification, kept as sent.
            Other(String),
        }

        impl $name {
            /// Reads a wire value; a value outside the specification becomes `Other`.
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $( $text => $name::$variant, )+
                    other => $name::Other(other.to_string()),
                }
            }

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(text) => text,
                }
            }
        }

        /// The wire text, for Kotlin and Swift (`wireName()`); Rust has `as_str`.
        #[cfg(feature = "uniffi")]
        #[uniffi::export]
        impl $name {
            /// The wire text of this value (for `Other`, the text as sent).
            pub fn wire_name(&self) -> String {
                self.as_str().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

open_enum! {
    /// Clock status of a reading time (the letter after the `TM` time).
    ///
    /// ```
    /// use chargekit::signed::TimeStatus;
    /// assert_eq!(TimeStatus::from_wire("S"), TimeStatus::Synchronised);
    /// assert_eq!(TimeStatus::from_wire("Q"), TimeStatus::Other("Q".into()));
    /// ```
    pub enum TimeStatus {
        /// `U`: unsynchronised clock.
        Unsynchronised = "U",
        /// `I`: informative clock.
        Informative = "I",
        /// `S`: synchronised clock.
        Synchronised = "S",
        /// `R`: relative time, a law-accurate duration from an informative start.
        Relative = "R",
    }
}

open_enum! {
    /// Transaction meaning of a reading (`TX`).
    ///
    /// ```
    /// use chargekit::signed::TxKind;
    /// assert!(TxKind::from_wire("L").is_end());
    /// assert!(!TxKind::Begin.is_end());
    /// ```
    pub enum TxKind {
        /// `B`: begin of the transaction.
        Begin = "B",
        /// `C`: charging (an intermediate reading).
        Charging = "C",
        /// `X`: exception: time and/or energy are unusable from here on.
        Exception = "X",
        /// `E`: end.
        End = "E",
        /// `L`: end by a local stop.
        LocalStop = "L",
        /// `R`: end by a remote stop.
        RemoteStop = "R",
        /// `A`: end by an abort on error.
        Abort = "A",
        /// `P`: end by a power failure.
        PowerFailure = "P",
        /// `S`: suspended.
        Suspended = "S",
        /// `T`: tariff change.
        TariffChange = "T",
    }
}

impl TxKind {
    /// True for the end readings: `E`, `L`, `R`, `A`, `P`.
    pub fn is_end(&self) -> bool {
        matches!(
            self,
            TxKind::End
                | TxKind::LocalStop
                | TxKind::RemoteStop
                | TxKind::Abort
                | TxKind::PowerFailure
        )
    }
}

open_enum! {
    /// Meter state at a reading (`ST`).
    ///
    /// ```
    /// use chargekit::signed::MeterStatus;
    /// assert!(MeterStatus::from_wire("G").is_ok());
    /// assert!(!MeterStatus::from_wire("M").is_ok());
    /// ```
    pub enum MeterStatus {
        /// `N`: meter not present.
        NotPresent = "N",
        /// `G`: OK.
        Ok = "G",
        /// `T`: timeout.
        Timeout = "T",
        /// `D`: disconnected.
        Disconnected = "D",
        /// `R`: not found (removed).
        NotFound = "R",
        /// `M`: manipulated.
        Manipulated = "M",
        /// `X`: exchanged.
        Exchanged = "X",
        /// `I`: incompatible.
        Incompatible = "I",
        /// `O`: out of range.
        OutOfRange = "O",
        /// `S`: substitute value.
        Substitute = "S",
        /// `E`: other error.
        OtherError = "E",
        /// `F`: read error.
        ReadError = "F",
    }
}

impl MeterStatus {
    /// True only for `G`.
    pub fn is_ok(&self) -> bool {
        *self == MeterStatus::Ok
    }
}

open_enum! {
    /// Unit of a reading (`RU`).
    ///
    /// ```
    /// use chargekit::signed::ReadingUnit;
    /// assert!(ReadingUnit::from_wire("kWh").is_energy());
    /// assert!(!ReadingUnit::from_wire("sec").is_energy());
    /// ```
    pub enum ReadingUnit {
        /// Kilowatt-hours.
        Kwh = "kWh",
        /// Watt-hours.
        Wh = "Wh",
        /// Milliohm (loss-compensation readings).
        MilliOhm = "mOhm",
        /// Microohm (loss-compensation readings).
        MicroOhm = "uOhm",
    }
}

impl ReadingUnit {
    /// True for `kWh` and `Wh`.
    pub fn is_energy(&self) -> bool {
        matches!(self, ReadingUnit::Kwh | ReadingUnit::Wh)
    }

    /// Watt-hours per unit, for energy units.
    pub fn wh_factor(&self) -> Option<Decimal> {
        match self {
            ReadingUnit::Kwh => Some(Decimal::ONE_THOUSAND),
            ReadingUnit::Wh => Some(Decimal::ONE),
            _ => None,
        }
    }
}

open_enum! {
    /// Identification level (`IL`).
    ///
    /// ```
    /// use chargekit::signed::IdentificationLevel;
    /// assert!(IdentificationLevel::from_wire("MISMATCH").is_error());
    /// assert!(!IdentificationLevel::Verified.is_error());
    /// ```
    pub enum IdentificationLevel {
        /// No assignment.
        None = "NONE",
        /// Unsafe assignment (hearsay).
        Hearsay = "HEARSAY",
        /// Trusted assignment.
        Trusted = "TRUSTED",
        /// Verified assignment.
        Verified = "VERIFIED",
        /// Certified assignment.
        Certified = "CERTIFIED",
        /// Secure assignment.
        Secure = "SECURE",
        /// Error: the identifiers do not match.
        Mismatch = "MISMATCH",
        /// Error: invalid identifier.
        Invalid = "INVALID",
        /// Error: the identifier is out of date.
        Outdated = "OUTDATED",
        /// Error: unknown identifier.
        Unknown = "UNKNOWN",
    }
}

impl IdentificationLevel {
    /// True for the error values MISMATCH, INVALID, OUTDATED, UNKNOWN.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            IdentificationLevel::Mismatch
                | IdentificationLevel::Invalid
                | IdentificationLevel::Outdated
                | IdentificationLevel::Unknown
        )
    }
}

open_enum! {
    /// Identification type (`IT`).
    pub enum IdentificationType {
        /// No identification.
        None = "NONE",
        /// Identification denied.
        Denied = "DENIED",
        /// Type not specified.
        Undefined = "UNDEFINED",
        /// ISO 14443 RFID UID (4 or 7 bytes, hex).
        Iso14443 = "ISO14443",
        /// ISO 15693 RFID UID (8 bytes).
        Iso15693 = "ISO15693",
        /// Electro-mobility account id (ISO 15118).
        Emaid = "EMAID",
        /// EV communication controller id.
        Evccid = "EVCCID",
        /// EV contract id (DIN 91286).
        Evcoid = "EVCOID",
        /// ISO 7812 card number.
        Iso7812 = "ISO7812",
        /// Payment card transaction number.
        CardTxnNr = "CARD_TXN_NR",
        /// Centrally generated id.
        Central = "CENTRAL",
        /// Centrally generated id (start by SMS).
        Central1 = "CENTRAL_1",
        /// Centrally generated id (start by operator).
        Central2 = "CENTRAL_2",
        /// Locally generated id.
        Local = "LOCAL",
        /// Locally generated id (charge-point start).
        Local1 = "LOCAL_1",
        /// Locally generated id (other).
        Local2 = "LOCAL_2",
        /// Phone number.
        PhoneNumber = "PHONE_NUMBER",
        /// User key code.
        KeyCode = "KEY_CODE",
    }
}

open_enum! {
    /// Charge point identification type (`CT`).
    pub enum ChargePointIdType {
        /// An EVSE id.
        EvseId = "EVSEID",
        /// OCPP charge box id and connector id, separated by a space.
        Cbidc = "CBIDC",
    }
}

open_enum! {
    /// Current type of a reading (`RT`).
    pub enum CurrentType {
        /// Alternating current.
        Ac = "AC",
        /// Direct current.
        Dc = "DC",
    }
}

open_enum! {
    /// Unit of the loss-compensation resistance (`LC.LU`).
    pub enum ResistanceUnit {
        /// Milliohm.
        MilliOhm = "mOhm",
        /// Microohm.
        MicroOhm = "uOhm",
    }
}

wire_enum! {
    /// Tolerated deviations from the specification found while parsing (`docs/ocmf.md` §7).
    ///
    /// ```
    /// use chargekit::signed::ParseNote;
    /// assert_eq!(ParseNote::RvAsString.as_str(), "rv_as_string");
    /// ```
    pub enum ParseNote {
        /// `RV` (or `CL`) was a JSON string instead of a number.
        RvAsString = "rv_as_string",
        /// `FV` was a JSON number.
        FvAsNumber = "fv_as_number",
        /// `CT` was a JSON number.
        CtAsNumber = "ct_as_number",
        /// A reading has a unit outside the specification (e.g. `sec`); it is kept but not energy.
        NonSpecUnit = "non_spec_unit",
        /// `FV` is newer than 1.4; known fields were read, unknown ones kept.
        UnknownVersion = "unknown_version",
        /// A `TM` zone was written with a colon or as `Z`.
        NonSpecTimeZone = "non_spec_time_zone",
        /// A public key was appended to the record as a fourth `|` section.
        AppendedKey = "appended_key",
    }
}

/// A reading time: `YYYY-MM-DDThh:mm:ss,fff±hhmm S`.
///
/// ```
/// use chargekit::signed::{OcmfTime, TimeStatus};
/// let t = OcmfTime::parse("2021-10-07T15:29:55,000+0200 S").unwrap();
/// assert_eq!(t.status, Some(TimeStatus::Synchronised));
/// assert_eq!((t.at.to_rfc3339(), t.offset_s), ("2021-10-07T13:29:55+00:00".into(), 7200));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OcmfTime {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The meter's offset from UTC, in seconds (`+0200` → 7200).
    pub offset_s: i32,
    /// The clock status letter, if given.
    pub status: Option<TimeStatus>,
    /// The text as sent.
    pub text: String,
}

/// One reading (`RD` element), with omitted fields inherited from the previous
/// reading of the same record.
///
/// ```
/// use chargekit::signed::{parse, TxKind};
/// let r = parse(r#"OCMF|{"PG":"T1","RD":[{"TM":"2024-01-01T10:00:00,000+0000 S","TX":"B","RV":"  57.584","RI":"1-0:1.8.0","RU":"kWh","ST":"G","CL":0.012,"EF":""},{"RV":4.405,"RI":"1-0:2.8.0"}]}|{"SD":"00"}"#).unwrap();
/// let export = &r.payload.readings[1];
/// assert_eq!(export.inherited, ["TM", "TX", "RU", "EF", "ST"]);
/// assert_eq!(export.transaction, Some(TxKind::Begin));
/// assert_eq!(r.payload.readings[0].value_wh.unwrap().to_string(), "57584.000");
/// assert_eq!(r.payload.readings[0].cumulated_loss.unwrap().to_string(), "0.012");
/// assert!(!export.obis_code.unwrap().is_billing_import); // 2.8.0 is export
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OcmfReading {
    /// `TM`: time and clock status.
    pub time: Option<OcmfTime>,
    /// `TX`: transaction meaning (absent for fiscal readings).
    pub transaction: Option<TxKind>,
    /// `RV`: the value, exactly as written (same number of decimals).
    pub value: Decimal,
    /// `RV` as written: the number token, or the content of a JSON string (untrimmed).
    pub value_text: String,
    /// `RI`: OBIS id of the quantity, as written.
    pub obis: Option<String>,
    /// `RU`: unit.
    pub unit: Option<ReadingUnit>,
    /// `RT`: current type.
    pub current_type: Option<CurrentType>,
    /// `CL`: cumulated loss removed by loss compensation, in the unit of `RV`.
    pub cumulated_loss: Option<Decimal>,
    /// `EF`: error flags as sent (`E` energy, `t` time).
    pub error_flags: Option<String>,
    /// `ST`: meter state.
    pub status: Option<MeterStatus>,
    /// `EI`: legacy event counter, as text.
    pub event_counter: Option<String>,
    /// Keys this reading inherited from the previous one (e.g. `TM`, `TX`).
    pub inherited: Vec<String>,
    /// Vendor (`U`–`Z`) and unknown keys: key → the value as JSON text.
    pub extra: BTreeMap<String, String>,
    /// `RV` in Wh, for energy readings.
    pub value_wh: Option<Decimal>,
    /// `RI` parsed loosely into its six groups.
    pub obis_code: Option<Obis>,
    /// `EF` flags the energy as unusable.
    pub energy_error: bool,
    /// `EF` flags the time as unusable.
    pub time_error: bool,
}

impl OcmfReading {
    /// True when the unit is an energy unit (`kWh`, `Wh`).
    pub fn is_energy(&self) -> bool {
        self.unit.as_ref().is_some_and(ReadingUnit::is_energy)
    }
}

/// Pagination (`PG`): `T<n>` (transaction) or `F<n>` (fiscal).
///
/// ```
/// use chargekit::signed::{Pagination, PaginationContext};
/// let p = Pagination::parse("T70172").unwrap();
/// assert_eq!((p.context, p.counter), (PaginationContext::Transaction, 70172));
/// assert!(Pagination::parse("X1").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfPagination"))]
pub struct Pagination {
    /// The context.
    pub context: PaginationContext,
    /// The counter.
    pub counter: u64,
    /// The text as sent.
    pub text: String,
}

/// The context of a pagination counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PaginationContext {
    /// `T`: transaction context.
    Transaction,
    /// `F`: fiscal context.
    Fiscal,
}

impl Pagination {
    /// Reads `T<n>` or `F<n>`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut chars = text.chars();
        let context = match chars.next()? {
            'T' => PaginationContext::Transaction,
            'F' => PaginationContext::Fiscal,
            _ => return None,
        };
        let digits = chars.as_str();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Pagination {
            context,
            counter: digits.parse().ok()?,
            text: text.to_string(),
        })
    }
}

/// User assignment: `IS`, `IL`, `IF`, `IT`, `ID`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfIdentification"))]
pub struct Identification {
    /// `IS`: whether a user assignment exists.
    pub status: Option<bool>,
    /// `IL`: level.
    pub level: Option<IdentificationLevel>,
    /// `IF`: flags, as sent (e.g. `RFID_PLAIN`).
    pub flags: Vec<String>,
    /// `IT`: type.
    pub id_type: Option<IdentificationType>,
    /// `ID`: the identifier.
    pub data: Option<String>,
}

/// Loss compensation (`LC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfLossCompensation"))]
pub struct LossCompensation {
    /// `LN`: name.
    pub name: Option<String>,
    /// `LI`: identifier, as written.
    pub id: Option<String>,
    /// `LR`: cable resistance.
    pub resistance: Decimal,
    /// `LU`: unit of the resistance.
    pub unit: ResistanceUnit,
}

/// The signed payload, typed. Field names follow the meaning; the OCMF key is
/// given on each.
///
/// ```
/// use chargekit::signed::{parse, ResistanceUnit};
/// let r = parse(r#"OCMF|{"FV":"1.3","PG":"F12","MS":"M","CF":"1.2.3","LC":{"LN":"cable","LI":1,"LR":1.72,"LU":"mOhm"},"TT":"0,42 EUR/kWh","XP":"vendor","RD":[{"RV":1,"RU":"kWh"}]}|{"SD":"00"}"#).unwrap();
/// let lc = r.payload.loss_compensation.as_ref().unwrap();
/// assert_eq!((lc.resistance.to_string(), &lc.unit), ("1.72".to_string(), &ResistanceUnit::MilliOhm));
/// assert_eq!(lc.id.as_deref(), Some("1"));
/// assert_eq!(r.payload.tariff_text.as_deref(), Some("0,42 EUR/kWh"));
/// assert!(r.payload.extra.contains_key("XP"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfPayload"))]
pub struct Payload {
    /// `FV`: format version (a JSON number is kept as its text).
    pub format_version: Option<String>,
    /// `GI`: gateway id.
    pub gateway_id: Option<String>,
    /// `GS`: gateway serial.
    pub gateway_serial: Option<String>,
    /// `GV`: gateway version.
    pub gateway_version: Option<String>,
    /// `PG`: pagination.
    pub pagination: Pagination,
    /// `MV`: meter vendor.
    pub meter_vendor: Option<String>,
    /// `MM`: meter model.
    pub meter_model: Option<String>,
    /// `MS`: meter serial (mandatory by the specification, absent in some real data).
    pub meter_serial: Option<String>,
    /// `MF`: meter firmware.
    pub meter_firmware: Option<String>,
    /// `IS`, `IL`, `IF`, `IT`, `ID`.
    pub identification: Identification,
    /// `TT`: tariff text.
    pub tariff_text: Option<String>,
    /// `CF`: charge-controller firmware.
    pub charge_controller_firmware: Option<String>,
    /// `LC`: loss compensation (cable losses).
    pub loss_compensation: Option<LossCompensation>,
    /// `CT`: charge point id type (a JSON number is kept as its text).
    pub charge_point_id_type: Option<ChargePointIdType>,
    /// `CI`: charge point id.
    pub charge_point_id: Option<String>,
    /// `RD`: the readings.
    pub readings: Vec<OcmfReading>,
    /// Vendor (`U`–`Z`), legacy and unknown top-level keys: key → the value as JSON text.
    pub extra: BTreeMap<String, String>,
    /// Tolerated deviations from the specification.
    pub notes: Vec<ParseNote>,
}

/// The unsigned signature section: `SA`, `SE`, `SM`, `SD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfSignature"))]
pub struct SignatureSection {
    /// `SA` as written (default `ECDSA-secp256r1-SHA256` when absent).
    pub algorithm: Option<String>,
    /// `SE` as written (default `hex`).
    pub encoding: Option<String>,
    /// `SM` as written (default `application/x-der`).
    pub mime_type: Option<String>,
    /// `SD`: the signature text.
    pub data: String,
    /// Vendor and reserved keys: key → the value as JSON text.
    pub extra: BTreeMap<String, String>,
}

/// A parsed OCMF record. The payload text is kept byte for byte: the signature
/// covers exactly [`OcmfRecord::payload_bytes`].
///
/// ```
/// use chargekit::signed::parse;
/// let text = r#"OCMF|{"PG" : "T1", "RD" : [{"RV" : 1.50, "RU" : "kWh"}]}|{"SD":"00"}"#;
/// let r = parse(text).unwrap();
/// assert_eq!(r.payload_bytes(), br#"{"PG" : "T1", "RD" : [{"RV" : 1.50, "RU" : "kWh"}]}"#);
/// assert_eq!(r.record_text, text);
/// assert_eq!(r.payload.readings[0].value_text, "1.50");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OcmfRecord {
    /// The payload section exactly as received (the signed bytes).
    pub payload_text: String,
    /// The signature section as received.
    pub signature_text: String,
    /// The typed payload.
    pub payload: Payload,
    /// The typed signature section.
    pub signature: SignatureSection,
    /// A public key carried with the record: a fourth `|` section, or the key of
    /// its transport container.
    pub embedded_public_key: Option<String>,
    /// The record text `OCMF|payload|signature` (without an appended key).
    pub record_text: String,
}

impl OcmfRecord {
    /// The signed bytes.
    pub fn payload_bytes(&self) -> &[u8] {
        self.payload_text.as_bytes()
    }
}

//! The feedback record of `docs/analytics-and-feedback.md` §5.2 and its PlugShare mapping
//! (§5.1).
use crate::enums::wire_enum;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// What happened, as the driver reports it (PlugShare 1 / 0 / −1, generalised).
    ///
    /// ```
    /// use chargekit::feedback::Outcome;
    /// assert_eq!(Outcome::from_plugshare_rating(-1), Some(Outcome::Failure));
    /// assert_eq!(Outcome::PartialSuccess.as_str(), "partial_success");
    /// ```
    pub enum Outcome {
        /// Charged as expected.
        Success = "success",
        /// Charged, but not as expected (slow, interrupted, several tries).
        PartialSuccess = "partial_success",
        /// Could not charge.
        Failure = "failure",
        /// A tip or a remark, no charging outcome.
        Neutral = "neutral",
    }
}

impl Outcome {
    /// PlugShare `rating`: 1 → success, 0 → neutral, −1 → failure.
    pub fn from_plugshare_rating(rating: i8) -> Option<Self> {
        match rating {
            1 => Some(Self::Success),
            0 => Some(Self::Neutral),
            -1 => Some(Self::Failure),
            _ => None,
        }
    }
}

wire_enum! {
    /// A problem category. The first five are PlugShare's problems 1–5.
    ///
    /// ```
    /// use chargekit::feedback::Problem;
    /// assert_eq!(Problem::from_plugshare(3), Some(Problem::BlockedByVehicle));
    /// assert!(Problem::BrokenHardware.needs_action());
    /// assert!(!Problem::InUse.needs_action());
    /// ```
    pub enum Problem {
        /// Broken or damaged hardware (PlugShare 1).
        BrokenHardware = "broken_hardware",
        /// All chargers in use (PlugShare 2).
        InUse = "in_use",
        /// Spot blocked by a vehicle, e.g. a combustion car (PlugShare 3).
        BlockedByVehicle = "blocked_by_vehicle",
        /// The charger could not be activated (PlugShare 4).
        CouldNotActivate = "could_not_activate",
        /// Permanently closed (PlugShare 5).
        PermanentlyClosed = "permanently_closed",
        /// Much slower than rated.
        SlowCharging = "slow_charging",
        /// Payment failed.
        PaymentFailed = "payment_failed",
        /// Cable or connector damaged or stuck.
        CableOrConnector = "cable_or_connector",
        /// The app or the authorisation failed.
        AppOrAuth = "app_or_auth",
        /// Missing or misleading signage.
        Signage = "signage",
        /// The site could not be found or entered (barrier, opening hours, private car park).
        LocationAccess = "location_access",
        /// Anything else.
        Other = "other",
    }
}

impl Problem {
    /// PlugShare `problem` 1–5.
    pub fn from_plugshare(code: u8) -> Option<Self> {
        match code {
            1 => Some(Self::BrokenHardware),
            2 => Some(Self::InUse),
            3 => Some(Self::BlockedByVehicle),
            4 => Some(Self::CouldNotActivate),
            5 => Some(Self::PermanentlyClosed),
            _ => None,
        }
    }

    /// Problems an operator can act on (all but "in use" and "other").
    pub fn needs_action(self) -> bool {
        !matches!(self, Self::InUse | Self::Other)
    }
}

/// A star rating, 1 to 5.
///
/// ```
/// use chargekit::feedback::{Outcome, Stars};
/// assert_eq!(Stars::new(4).unwrap().outcome(), Outcome::Success);
/// assert_eq!(Stars::new(3).unwrap().outcome(), Outcome::Neutral);
/// assert!(Stars::new(6).is_err());
/// assert!(serde_json::from_str::<Stars>("0").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl Stars {
    /// Stars from 1 to 5.
    pub fn new(n: u8) -> Result<Self, Error> {
        if (1..=5).contains(&n) {
            Ok(Self(n))
        } else {
            Err(Error::InvalidStars { stars: n })
        }
    }

    /// The number of stars.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The success signal of §5.2: 4–5 success, 3 neutral, 1–2 failure.
    pub fn outcome(self) -> Outcome {
        match self.0 {
            4.. => Outcome::Success,
            3 => Outcome::Neutral,
            _ => Outcome::Failure,
        }
    }
}

// Stars cross as a number; out of range is `InvalidStars`, as when read from JSON.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Stars, u8, {
    lower: |s| s.0,
    try_lift: |n| Stars::new(n).map_err(uniffi::deps::anyhow::Error::new),
});

impl TryFrom<u8> for Stars {
    type Error = Error;
    fn try_from(n: u8) -> Result<Self, Error> {
        Self::new(n)
    }
}

impl From<Stars> for u8 {
    fn from(s: Stars) -> u8 {
        s.0
    }
}

/// The driver's vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Vehicle {
    /// Make.
    pub make: String,
    /// Model.
    pub model: String,
    /// Model year.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub year: Option<u16>,
}

/// Moderation state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Not reviewed yet (counts in scores).
    #[default]
    Pending,
    /// Reviewed and shown.
    Published,
    /// Hidden by a moderator (never counts).
    Hidden,
}

/// The link between feedback and a charging session.
///
/// ```
/// use chargekit::feedback::SessionLink;
/// let l: SessionLink = serde_json::from_str(r#"{"verified": "S-1"}"#).unwrap();
/// assert!(l.is_verified());
/// assert_eq!(l.session_id(), Some("S-1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SessionLink {
    /// No session.
    #[default]
    None,
    /// The author names a session; not checked yet.
    Claimed(String),
    /// Checked against the session data: verified feedback.
    Verified(String),
}

impl SessionLink {
    /// The linked session id, claimed or verified.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::None => None,
            Self::Claimed(id) | Self::Verified(id) => Some(id),
        }
    }

    /// True once verified.
    pub fn is_verified(&self) -> bool {
        matches!(self, Self::Verified(_))
    }
}

/// A driver's feedback on a location, an EVSE or a connector (§5.2).
///
/// ```
/// use chargekit::feedback::{Feedback, Outcome, Problem};
/// let f = Feedback::from_json(r#"{
///   "id": "F1", "created_at": "2026-03-02T10:00:00Z", "author_id": "A1",
///   "location_id": "LOC-1", "evse_id": "CP-1", "outcome": "failure",
///   "problem": "broken_hardware", "stars": 1, "distance_m": 12
/// }"#).unwrap();
/// assert_eq!(f.problem, Some(Problem::BrokenHardware));
/// assert_eq!(f.signal_outcome(), Outcome::Failure);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Feedback {
    /// Identifier.
    pub id: String,
    /// When it was submitted.
    pub created_at: DateTime<Utc>,
    /// Pseudonymous author.
    pub author_id: String,
    /// The linked session, if any.
    #[serde(default)]
    pub session: SessionLink,
    /// Location (site).
    pub location_id: String,
    /// EVSE: a station id, or a port as `station_id*port_id`.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub evse_id: Option<String>,
    /// Connector.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub connector_id: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// The problem, if any.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub problem: Option<Problem>,
    /// Stars, 1–5.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stars: Option<Stars>,
    /// Free text.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub comment: Option<String>,
    /// Tags.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// References to photos.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub photo_refs: Vec<String>,
    /// The vehicle.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub vehicle: Option<Vehicle>,
    /// Highest power the driver saw, kW.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub observed_max_kw: Option<Decimal>,
    /// Voltage the driver saw.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub volts: Option<Decimal>,
    /// Current the driver saw.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub amps: Option<Decimal>,
    /// The driver had to wait.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub waiting: Option<bool>,
    /// How long, minutes.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub wait_minutes: Option<u32>,
    /// Attempts until success or giving up.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub attempts: Option<u8>,
    /// Planned or actual departure.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub planned_departure: Option<DateTime<Utc>>,
    /// Distance of the author from the charger when submitting, metres (anti-spam).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub distance_m: Option<u32>,
    /// Moderation state.
    #[serde(default)]
    pub moderation: Moderation,
}

impl Feedback {
    /// A minimal feedback: all optional fields empty.
    pub fn new(
        id: impl Into<String>,
        created_at: DateTime<Utc>,
        author_id: impl Into<String>,
        location_id: impl Into<String>,
        outcome: Outcome,
    ) -> Self {
        Self {
            id: id.into(),
            created_at,
            author_id: author_id.into(),
            session: SessionLink::None,
            location_id: location_id.into(),
            evse_id: None,
            connector_id: None,
            outcome,
            problem: None,
            stars: None,
            comment: None,
            tags: Vec::new(),
            photo_refs: Vec::new(),
            vehicle: None,
            observed_max_kw: None,
            volts: None,
            amps: None,
            waiting: None,
            wait_minutes: None,
            attempts: None,
            planned_departure: None,
            distance_m: None,
            moderation: Moderation::Pending,
        }
    }

    /// Reads a feedback record from JSON; an error names the offending field.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        crate::analytics::read_json(text).map_err(|(field, message)| Error::InvalidFeedback {
            field,
            reason: message,
        })
    }

    /// The outcome that feeds the score: the stated outcome, or the stars' signal when the
    /// outcome is neutral.
    pub fn signal_outcome(&self) -> Outcome {
        match (self.outcome, self.stars) {
            (Outcome::Neutral, Some(s)) => s.outcome(),
            (o, _) => o,
        }
    }

    /// True when linked to a verified session.
    pub fn is_verified(&self) -> bool {
        self.session.is_verified()
    }
}

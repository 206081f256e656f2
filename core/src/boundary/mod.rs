//! What both language bindings need beyond converting types, written once.
//!
//! Owns: reading arguments the way both bindings accept them (e.g. tariffs given as text or
//! as parsed tariffs, option records with the time zone given separately) and the defaults
//! they apply. Imports: any module (top layer); nothing imports it but the bindings.

pub mod analytics;
pub mod pricing;
pub mod profile;
pub mod station_tariff;

//! Wire types: the core's exact decimals and UTC instants, used here too.

pub use chargekit::ffi::{ExactDecimal, UtcInstant};

uniffi::use_remote_type!(chargekit::ExactDecimal);
uniffi::use_remote_type!(chargekit::UtcInstant);

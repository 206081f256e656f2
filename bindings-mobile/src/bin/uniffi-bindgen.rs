//! The UniFFI binding generator, built from this workspace so that its version
//! always matches the `uniffi` crate the library uses.
//! `cargo run -p chargekit-mobile --features cli --bin uniffi-bindgen -- generate …`

fn main() {
    uniffi::uniffi_bindgen_main()
}

//! A macro for closed protocol enumerations with stable wire names.
//!
//! Owns: the `wire_enum!` macro, the one declaration of a closed vocabulary's wire names
//! (serde, `as_str`, parsing, the UniFFI derive and `wireName()`). Imports: nothing of chargekit
//! (foundation layer).

/// Declares a closed enum whose variants map one to one onto wire strings.
///
/// Generates serde (de)serialisation with exactly those names (an unknown name
/// is an error that lists the accepted ones), `as_str`, `ALL`, `Display` and
/// `FromStr`.
macro_rules! wire_enum {
    (
        $(#[$doc:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        $vis enum $name {
            $( $(#[$vdoc])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name of this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        /// The wire name, for Kotlin and Swift (`wireName()`); Rust has `as_str`.
        #[cfg(feature = "uniffi")]
        #[uniffi::export]
        impl $name {
            /// The stable wire name of this value, e.g. `"begin_zero_placeholder"`.
            pub fn wire_name(&self) -> String {
                self.as_str().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("unknown ", stringify!($name), " {:?}; expected one of: {}"),
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

pub(crate) use wire_enum;

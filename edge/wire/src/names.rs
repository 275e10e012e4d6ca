//! Enums that travel as one of their names (`"Member"`, `"invalid_code"`).
//!
//! Serde's derive gives each such enum its own visitor for strings, bytes, indexes and variant
//! access; JSON needs only the string. [`named_enum!`] writes the names once, and every enum
//! shares one lookup, which keeps the three wasm bundles (Worker, sign-in, console) smaller.

/// The index of `name` in `names`.
pub fn position(names: &[&str], name: &str) -> Option<usize> {
    names.iter().position(|n| *n == name)
}

/// A fieldless enum whose variants travel as the given names, with `as_str` and serde impls.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every variant, in the order declared.
            pub const VARIANTS: &'static [$name] = &[$($name::$variant),+];
            /// Their names on the wire, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name this variant travels as.
            pub fn as_str(self) -> &'static str {
                Self::NAMES[self as usize]
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = <String as serde::Deserialize>::deserialize(deserializer)?;
                match $crate::names::position(Self::NAMES, &name) {
                    Some(index) => Ok(Self::VARIANTS[index]),
                    None => Err(serde::de::Error::unknown_variant(&name, Self::NAMES)),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{ErrorCode, Role, UserType};

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        assert_eq!(
            serde_json::to_string(&UserType::Guest).unwrap(),
            "\"Guest\""
        );
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"invalid_code\"").unwrap(),
            ErrorCode::InvalidCode
        );
        for role in Role::VARIANTS {
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), *role);
        }
        let refused = serde_json::from_str::<UserType>("\"Admin\"").unwrap_err();
        assert!(
            refused.to_string().contains("unknown variant `Admin`"),
            "{refused}"
        );
        assert!(serde_json::from_str::<UserType>("0").is_err());
    }

    #[test]
    fn every_variant_has_its_own_name() {
        let names = ErrorCode::NAMES;
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "{name} twice");
        }
    }
}

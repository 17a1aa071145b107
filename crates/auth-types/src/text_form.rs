//! The impls of a value written as one canonical text: addresses, public keys, signatures.

/// Implements, for a type whose canonical text the method `$text` (`fn(&self) -> String`)
/// makes: `Display` as that text and `Debug` as `TypeName(text)`; with `serde` last, also
/// `Serialize` as that text and `Deserialize` through the type's `FromStr` (its error's
/// `Display` is the message; the calling crate needs `serde`).
///
/// Not part of the API: the workspace's own types use it (`auth-types`, `auth-signing`),
/// and it may change without notice.
#[doc(hidden)]
#[macro_export]
macro_rules! text_form {
    ($name:ident, $text:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.$text())
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.$text())
            }
        }
    };
    ($name:ident, $text:ident, serde) => {
        $crate::text_form!($name, $text);

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.$text())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

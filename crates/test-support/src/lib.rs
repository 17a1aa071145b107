#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Test support: a helper that cannot unwrap has already failed the test that called it,
// and the panic message is the report.
#![allow(clippy::unwrap_used)]

#[cfg(feature = "keys")]
pub mod keys;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod tokens;
#[cfg(feature = "transport")]
pub mod transport;

/// Generates, for each named `async fn(Make)`, one `#[tokio::test]` per transport backend:
/// `with_reqwest::<name>` and `with_hyper::<name>`, each calling `<name>` with the
/// matching [`transport::Make`].
///
/// The test file needs `tokio` (with `macros` and a runtime) as a dev-dependency, and
/// each named function must take a [`transport::Make`]:
///
/// ```
/// use auth_test_support::transport::Make;
///
/// auth_test_support::both_backends!(sends_something);
///
/// async fn sends_something(make: Make) {
///     let _transport = make();
/// }
/// # fn main() {}
/// ```
#[cfg(feature = "transport")]
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod with_reqwest {
            $( #[tokio::test] async fn $name() { super::$name($crate::transport::reqwest).await } )*
        }
        mod with_hyper {
            $( #[tokio::test] async fn $name() { super::$name($crate::transport::hyper).await } )*
        }
    };
}

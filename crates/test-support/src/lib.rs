#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Test support: a helper that cannot unwrap has already failed the test that called it,
// and the panic message is the report.
#![allow(clippy::unwrap_used)]

#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "keys")]
pub mod keys;
pub mod pear;
#[cfg(feature = "redis")]
pub mod redis;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod tokens;
#[cfg(feature = "transport")]
pub mod transport;

/// Generates, for each named `async fn(Make)`, one `#[tokio::test]` per transport backend:
/// `<name>::with_reqwest` and `<name>::with_hyper`, each calling `<name>` with the
/// matching [`transport::Make`]. (The module `<name>` and the function `<name>` live in
/// different namespaces, so the invocation can stand right above the function.)
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
        $(
            mod $name {
                #[tokio::test]
                async fn with_reqwest() {
                    super::$name($crate::transport::reqwest).await
                }
                #[tokio::test]
                async fn with_hyper() {
                    super::$name($crate::transport::hyper).await
                }
            }
        )*
    };
}

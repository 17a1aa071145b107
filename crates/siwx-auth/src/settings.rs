//! What differs from one backend to the next, as settings: where the nonce comes from,
//! the login request, where the session comes back, refresh and logout, and the presets
//! most backends copy.

use std::time::Duration;

/// Where a login's nonce comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NonceSource {
    /// `GET <path>` answers the nonce as the whole body, as plain text (spruceid's
    /// quickstart: `GET /nonce`). Surrounding whitespace is ignored.
    Text {
        /// The path, appended to the base URL.
        path: String,
    },
    /// `GET <path>` answers JSON; the nonce is the string at `field` (a name, or a dotted
    /// path such as `data.nonce`).
    Json {
        /// The path, appended to the base URL.
        path: String,
        /// The field holding the nonce.
        field: String,
    },
    /// The caller gives the nonce (`login_with_nonce`); `login` refuses.
    Caller,
}

/// Where a successful login's session comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionFrom {
    /// A cookie of this name, set by the login answer. Authorized requests carry it in a
    /// `Cookie` header; its `Max-Age` or `Expires` attribute is its lifetime.
    Cookie {
        /// The cookie's name (spruceid's quickstart: `connect.sid`).
        name: String,
    },
    /// Fields of the JSON answer (names, or dotted paths). Authorized requests carry the
    /// token as `Authorization: Bearer`.
    Json {
        /// The access token's field (`token`, `accessToken`, ...).
        token: String,
        /// The refresh token's field, if the backend hands one out.
        refresh_token: Option<String>,
        /// The field giving the token's lifetime in seconds, if any. A JWT's `exp` counts
        /// too; the earlier wins.
        expires_in: Option<String>,
    },
}

/// A refresh endpoint: `POST <path>` with `{<field>: <refresh token>}`, answered like a
/// login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshEndpoint {
    /// The path, appended to the base URL.
    pub path: String,
    /// The body field carrying the refresh token (also sent at logout, when there is one).
    pub field: String,
}

/// The shapes most backends copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Preset {
    /// spruceid's siwe-quickstart, which most SIWE backends start from: `GET /nonce`
    /// (plain text), `POST /verify {message, signature}`, a `connect.sid` session cookie,
    /// no refresh, no logout route.
    #[default]
    Quickstart,
    /// A token API: `GET /auth/nonce` (`{"nonce"}`), `POST /auth/login {message,
    /// signature}` answering `{accessToken, refreshToken, expiresIn}`, `POST /auth/refresh
    /// {refreshToken}` (rotating), `POST /auth/logout` with the bearer token and
    /// `{refreshToken}`.
    TokenApi,
}

/// The lifetime assumed for a session whose answer says none (no cookie `Max-Age` or
/// `Expires`, no `expiresIn`, no JWT `exp`): the session renews after it, or earlier when
/// the server answers 401.
pub const DEFAULT_SESSION_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The endpoints and field names of one backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoints {
    pub(crate) nonce: NonceSource,
    pub(crate) login_path: String,
    pub(crate) message_field: String,
    pub(crate) signature_field: String,
    pub(crate) session: SessionFrom,
    pub(crate) refresh: Option<RefreshEndpoint>,
    pub(crate) logout_path: Option<String>,
}

impl Endpoints {
    /// The endpoints of `preset`.
    pub(crate) fn of(preset: Preset) -> Endpoints {
        match preset {
            Preset::Quickstart => Endpoints {
                nonce: NonceSource::Text {
                    path: "/nonce".to_owned(),
                },
                login_path: "/verify".to_owned(),
                message_field: "message".to_owned(),
                signature_field: "signature".to_owned(),
                session: SessionFrom::Cookie {
                    name: "connect.sid".to_owned(),
                },
                refresh: None,
                logout_path: None,
            },
            Preset::TokenApi => Endpoints {
                nonce: NonceSource::Json {
                    path: "/auth/nonce".to_owned(),
                    field: "nonce".to_owned(),
                },
                login_path: "/auth/login".to_owned(),
                message_field: "message".to_owned(),
                signature_field: "signature".to_owned(),
                session: SessionFrom::Json {
                    token: "accessToken".to_owned(),
                    refresh_token: Some("refreshToken".to_owned()),
                    expires_in: Some("expiresIn".to_owned()),
                },
                refresh: Some(RefreshEndpoint {
                    path: "/auth/refresh".to_owned(),
                    field: "refreshToken".to_owned(),
                }),
                logout_path: Some("/auth/logout".to_owned()),
            },
        }
    }
}

/// The fields a client writes into every message it signs, besides the address, nonce
/// and times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageTemplate {
    /// The RFC 3986 authority asking for the sign-in (`host[:port]`).
    pub(crate) domain: String,
    /// The URI the sign-in is for.
    pub(crate) uri: String,
    pub(crate) statement: Option<String>,
    /// The chain id as text (SIWE: decimal; SIWS: `mainnet`, `solana:mainnet`, ...).
    pub(crate) chain_id: String,
    pub(crate) resources: Vec<String>,
    pub(crate) lifetime: Option<Duration>,
}

//! Reading a login answer (the token from the `auth_token` cookie or the body, its
//! lifetime, the user) and the user pump.fun describes: [`PumpLogin`], [`PumpUser`].

use std::time::{Duration, UNIX_EPOCH};

use auth_provider::Answer;
use auth_transport::http::header::SET_COOKIE;
use auth_types::AccessToken;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{PumpError, PumpFailure};

/// A pump.fun user, as the API describes it: the login answer's `user` (with `wallet`,
/// per the specification) or `GET /auth/my-profile` (with `address`, as the live service
/// answers). Either name fills [`PumpUser::wallet`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawUser")]
#[non_exhaustive]
pub struct PumpUser {
    /// The user's id (a number is written in decimal).
    pub id: Option<String>,
    /// The wallet (base58 public key): the answer's `address`, or `wallet`.
    pub wallet: String,
    /// The display name.
    pub username: Option<String>,
}

#[derive(Deserialize)]
struct RawUser {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    wallet: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    username: Option<String>,
}

impl TryFrom<RawUser> for PumpUser {
    type Error = String;

    fn try_from(raw: RawUser) -> Result<Self, String> {
        let wallet = raw
            .address
            .or(raw.wallet)
            .ok_or_else(|| "missing field `address` (or `wallet`)".to_owned())?;
        let id = match raw.id {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Ok(PumpUser {
            id,
            wallet,
            username: raw.username,
        })
    }
}

/// A successful login.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PumpLogin {
    /// The JWT for pump.fun's API.
    pub token: AccessToken,
    /// How long it lives from receipt: the earlier of `expiresIn` (rounded down to whole
    /// seconds) and the JWT's `exp`, whichever are present.
    pub expires_in: Option<Duration>,
    /// The user, when the answer includes one that reads.
    pub user: Option<PumpUser>,
}

/// A login answer, read leniently: once the server has created a session, an odd field
/// must not turn it into a failed login.
#[derive(Deserialize)]
pub(super) struct LoginBody {
    #[serde(default)]
    token: Option<AccessToken>,
    #[serde(default)]
    access_token: Option<AccessToken>,
    #[serde(default, rename = "expiresIn")]
    expires_in: Option<Value>,
    #[serde(default)]
    user: Option<Value>,
}

/// Whole seconds of an `expiresIn`, rounded down; `None` for anything that is not a
/// non-negative number.
fn whole_seconds(value: &Value) -> Option<Duration> {
    if let Some(secs) = value.as_u64() {
        return Some(Duration::from_secs(secs));
    }
    let secs = value.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs(secs.min(u64::MAX as f64) as u64))
}

/// The token of a login answer (the `auth_token` cookie, else the body's `token` or
/// `access_token`) and its body, when that reads.
pub(super) fn read_token(answer: &Answer) -> Result<(AccessToken, Option<LoginBody>), PumpError> {
    Ok(match cookie_token(answer) {
        // The cookie alone is enough: the body may be empty or not JSON.
        Some(token) => (token, answer.json::<LoginBody>().ok()),
        None => {
            let parsed: LoginBody = answer.json()?;
            let token = match (parsed.token.clone(), parsed.access_token.clone()) {
                (Some(t), _) | (None, Some(t)) => t,
                (None, None) => {
                    return Err(PumpFailure::NoToken {
                        status: answer.status(),
                    }
                    .into());
                }
            };
            (token, Some(parsed))
        }
    })
}

/// The login of `token` and its answer's body, received at `now` (unix seconds).
pub(super) fn login_from(token: AccessToken, parsed: Option<LoginBody>, now: u64) -> PumpLogin {
    // Whole seconds, as `exp` and `expiresIn` are written.
    let from_jwt = auth_session::jwt_expiry(token.expose_secret())
        .and_then(|exp| exp.duration_since(UNIX_EPOCH).ok())
        .map(|exp| Duration::from_secs(exp.as_secs().saturating_sub(now)));
    let (from_body, user) = match parsed {
        Some(body) => (
            body.expires_in.as_ref().and_then(whole_seconds),
            body.user.and_then(|u| serde_json::from_value(u).ok()),
        ),
        None => (None, None),
    };
    let expires_in = match (from_body, from_jwt) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    PumpLogin {
        token,
        expires_in,
        user,
    }
}

/// The `auth_token` cookie of a response, if set.
fn cookie_token(answer: &Answer) -> Option<AccessToken> {
    answer
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookie| {
            let first = cookie.split(';').next()?.trim();
            first
                .strip_prefix("auth_token=")
                .filter(|t| !t.is_empty())
                .map(AccessToken::new)
        })
}

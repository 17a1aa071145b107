//! Token pairs: issuing them, `POST /auth/refresh` (rotating, single use, optional family
//! revocation on reuse) and `POST /auth/logout`.

use std::sync::Arc;

use auth_types::lock;
use axum::Json;
use axum::extract::State as Extract;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use super::state::{Claims, PearState, TokenType};
use super::{bad_request, parse_body};
use crate::counters::bump;
use crate::reply::unauthorized;
use crate::time::unix_now;

/// Issues an access and refresh token for a (new or continuing) session.
pub(super) fn issue_pair(
    state: &PearState,
    address: &str,
    client_id: &str,
    sid: &str,
) -> (String, String) {
    let now = unix_now();
    let access = Claims {
        sub: address.to_owned(),
        typ: TokenType::Access,
        sid: sid.to_owned(),
        jti: state.shared.new_id("a"),
        cid: client_id.to_owned(),
        iat: now,
        exp: now + state.settings.access_token_ttl.as_secs().max(1),
    };
    let refresh = Claims {
        typ: TokenType::Refresh,
        jti: state.shared.new_id("r"),
        exp: now + state.settings.refresh_token_ttl.as_secs().max(1),
        ..access.clone()
    };
    lock(&state.refresh_tokens).insert(refresh.jti.clone(), true);
    (state.issue(&access), state.issue(&refresh))
}

/// The `refreshToken` of a body, or the 400 to send.
fn refresh_token(body: &Bytes) -> Result<String, Response> {
    let body = parse_body(body)?;
    match body.get("refreshToken").and_then(Value::as_str) {
        Some(token) => Ok(token.to_owned()),
        None => Err(bad_request(vec![
            "refreshToken must be a string".to_owned(),
        ])),
    }
}

pub(super) async fn refresh(Extract(state): Extract<Arc<PearState>>, body: Bytes) -> Response {
    let token = match refresh_token(&body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Some(claims) = state.verify(&token, TokenType::Refresh) else {
        return unauthorized("Invalid or expired refresh token");
    };
    {
        let mut tokens = lock(&state.refresh_tokens);
        match tokens.get_mut(&claims.jti) {
            Some(live) if *live => *live = false,
            Some(_) => {
                drop(tokens);
                bump(&state.counters.refused_reuses);
                if state.settings.revoke_family_on_reuse && state.shared.sessions.end(&claims.sid) {
                    bump(&state.counters.families_revoked);
                }
                return unauthorized("Refresh token has already been used");
            }
            None => return unauthorized("Invalid or expired refresh token"),
        }
    }
    bump(&state.counters.refreshes);
    let (access, refresh) = issue_pair(&state, &claims.sub, &claims.cid, &claims.sid);
    Json(json!({
        "accessToken": access,
        "refreshToken": refresh,
        "tokenType": "Bearer",
        "expiresIn": state.settings.access_token_ttl.as_secs().max(1),
    }))
    .into_response()
}

pub(super) async fn logout(Extract(state): Extract<Arc<PearState>>, body: Bytes) -> Response {
    let token = match refresh_token(&body) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Some(claims) = state.verify(&token, TokenType::Refresh) else {
        return unauthorized("Invalid or expired refresh token");
    };
    state.shared.sessions.end(&claims.sid);
    bump(&state.counters.logouts);
    Json(json!({"message": "Logged out successfully"})).into_response()
}

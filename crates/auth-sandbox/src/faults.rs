//! The middleware that applies the rate limit and injected faults to every API.

use std::sync::Arc;

use auth_types::lock;
use axum::extract::{Request, State as Extract};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::counters::bump;
use crate::reply::{block_page, dropped_connection, nest_error, too_many_requests};
use crate::shared::Shared;

/// The middleware: the rate limit first, then the faults of the moment.
pub(crate) async fn apply(
    Extract(state): Extract<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let counters = &state.counters;
    if let Some(wait) = state.over_rate_limit() {
        bump(&counters.faults_429);
        bump(&counters.rate_limit_429);
        return too_many_requests(wait);
    }
    if let Some(wait) = state.egress.over_limit(&request) {
        if state.egress_block_page {
            bump(&counters.edge_blocks);
            return block_page();
        }
        bump(&counters.faults_429);
        bump(&counters.rate_limit_429);
        return too_many_requests(wait);
    }
    let faults = lock(&state.faults).clone();
    if let Some(delay) = faults.delay {
        tokio::time::sleep(delay).await;
    }
    if let Some(delay) = faults.renewal_delay
        && request.method() == axum::http::Method::POST
        && (request.uri().path().ends_with("/login") || request.uri().path().ends_with("/refresh"))
    {
        tokio::time::sleep(delay).await;
    }
    if state.chance(faults.rate_limited) {
        bump(&counters.faults_429);
        return too_many_requests(1);
    }
    if state.chance(faults.error_500) {
        bump(&counters.faults_500);
        return nest_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            vec!["Internal server error".to_owned()],
        );
    }
    if state.chance(faults.drop_before) {
        bump(&counters.faults_drop_before);
        return dropped_connection();
    }
    let response = next.run(request).await;
    if state.chance(faults.drop_after) {
        bump(&counters.faults_drop_after);
        return dropped_connection();
    }
    response
}

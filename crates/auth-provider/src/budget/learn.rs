//! What an answer says about the server's limit: how long to hold requests back.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// The longest hold an answer may impose (a header asking for more is read as this).
const LONGEST_HOLD: Duration = Duration::from_secs(600);

/// How long to hold requests after this answer: `Retry-After` on 429 or 503, or on an
/// edge's block page (else [`crate::EDGE_BLOCK_HOLD`]); or, when
/// `x-ratelimit-remaining` is 0, until `x-ratelimit-reset` (seconds from now, or a Unix
/// time in seconds when it is larger than a day). `None` when the answer says nothing.
pub(crate) fn hold(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    let hold = if matches!(status.as_u16(), 429 | 503) {
        crate::retry_after(headers)
            .or_else(|| reset(headers))
            .or(Some(Duration::from_secs(1)))
    } else if crate::refusal::is_edge_block(status, headers) {
        crate::retry_after(headers).or(Some(crate::EDGE_BLOCK_HOLD))
    } else if number(headers, "x-ratelimit-remaining") == Some(0) {
        reset(headers)
    } else {
        None
    };
    hold.map(|d| d.min(LONGEST_HOLD))
}

/// `x-ratelimit-reset` as a time from now (a Unix time is read against the answer's
/// `Date`, the server's clock, when it has one).
fn reset(headers: &HeaderMap) -> Option<Duration> {
    let value = number(headers, "x-ratelimit-reset")?;
    const DAY: u64 = 86_400;
    if value > DAY {
        let now = crate::refusal::server_now(headers)
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .as_secs();
        Some(Duration::from_secs(value.saturating_sub(now)))
    } else {
        Some(Duration::from_secs(value))
    }
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn what_answers_say() {
        let s = Duration::from_secs;
        assert_eq!(
            hold(
                StatusCode::TOO_MANY_REQUESTS,
                &headers(&[("retry-after", "3")])
            ),
            Some(s(3))
        );
        assert_eq!(
            hold(StatusCode::SERVICE_UNAVAILABLE, &headers(&[])),
            Some(s(1))
        );
        assert_eq!(
            hold(
                StatusCode::TOO_MANY_REQUESTS,
                &headers(&[("x-ratelimit-reset", "7")])
            ),
            Some(s(7))
        );
        assert_eq!(
            hold(
                StatusCode::OK,
                &headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "12")])
            ),
            Some(s(12))
        );
        assert_eq!(
            hold(
                StatusCode::OK,
                &headers(&[("x-ratelimit-remaining", "5"), ("x-ratelimit-reset", "12")])
            ),
            None
        );
        assert_eq!(
            hold(StatusCode::OK, &headers(&[("retry-after", "3")])),
            None
        );
        assert_eq!(
            hold(
                StatusCode::TOO_MANY_REQUESTS,
                &headers(&[("retry-after", "99999")])
            ),
            Some(LONGEST_HOLD)
        );
        let later = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 30;
        let held = hold(
            StatusCode::OK,
            &headers(&[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &later.to_string()),
            ]),
        )
        .unwrap();
        assert!(held <= s(30) && held >= s(28), "{held:?}");
        // With the answer's Date, a reset as a Unix time or a Retry-After date is read on
        // the server's clock: exact however far the local clock is (this Date is 2015).
        let date = ("date", "Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(
            hold(
                StatusCode::OK,
                &headers(&[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1445412500"),
                    date,
                ]),
            ),
            Some(s(20))
        );
        assert_eq!(
            hold(
                StatusCode::TOO_MANY_REQUESTS,
                &headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:09 GMT"), date]),
            ),
            Some(s(9))
        );
    }
}

//! `authctl doctor`: checks a live API's shape against what the clients expect, one row
//! per check. Read-only without a key: a GET of Pear's login message, and requests the
//! server refuses (an invalid refresh token, an empty login, a profile without a token).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auth_transport::HttpTransport;
use bytes::Bytes;
use http::{Method, Request, Response};
use serde_json::Value;

use super::{Failure, print_json, print_line, runtime};
use crate::cli::{DoctorCommand, DoctorOutput};

mod pear;
mod pump;

/// One check: what the clients expect, what the server showed, and whether they agree.
#[derive(Debug)]
pub(crate) struct Row {
    check: &'static str,
    expected: String,
    seen: String,
    ok: bool,
}

impl Row {
    fn new(
        check: &'static str,
        expected: impl Into<String>,
        seen: impl Into<String>,
        ok: bool,
    ) -> Row {
        Row {
            check,
            expected: expected.into(),
            seen: seen.into(),
            ok,
        }
    }
}

/// Runs `authctl doctor …`.
pub(crate) fn run(command: DoctorCommand) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    let (rows, output) = match command {
        DoctorCommand::Pear(args) => (rt.block_on(pear::check(&args))?, args.output),
        DoctorCommand::Pump(args) => (rt.block_on(pump::check(&args))?, args.output),
    };
    report(&rows, &output)?;
    Ok(if rows.iter().all(|row| row.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn report(rows: &[Row], output: &DoctorOutput) -> Result<(), Failure> {
    if output.json {
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({"check": r.check, "expected": r.expected, "seen": r.seen, "ok": r.ok})
            })
            .collect();
        return print_json(&Value::Array(rows));
    }
    let width = rows.iter().map(|r| r.check.len()).max().unwrap_or(5).max(5);
    print_line(format_args!(
        "{:<width$}  verdict  expected / seen",
        "check"
    ))?;
    for row in rows {
        let verdict = if row.ok { "ok     " } else { "DRIFT  " };
        print_line(format_args!(
            "{:<width$}  {verdict}  {} / {}",
            row.check, row.expected, row.seen
        ))?;
    }
    let drifted = rows.iter().filter(|r| !r.ok).count();
    eprintln!("{} checks, {drifted} drifted", rows.len());
    Ok(())
}

/// The API's base URL: the flag, else the variable `env`, else `default`; no final `/`.
fn base_url(given: Option<&str>, env: &str, default: &str) -> String {
    given
        .map(str::to_owned)
        .or_else(|| std::env::var(env).ok())
        .unwrap_or_else(|| default.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// An answer, as the doctor reads it.
pub(crate) struct Seen {
    pub(crate) status: u16,
    pub(crate) json: Option<Value>,
    pub(crate) html: bool,
    pub(crate) date: Option<SystemTime>,
    /// When the request was sent and the answer read, on this machine's clock.
    pub(crate) sent: SystemTime,
    pub(crate) received: SystemTime,
}

impl Seen {
    /// A short description for the `seen` column.
    pub(crate) fn describe(&self) -> String {
        let kind = if self.html {
            "HTML page"
        } else if self.json.is_some() {
            "JSON"
        } else {
            "a body that is neither JSON nor HTML"
        };
        format!("{} with {kind}", self.status)
    }

    /// Whether the body is NestJS's error shape: `{message, statusCode}` (message a
    /// string or a list of strings).
    pub(crate) fn nest_error(&self) -> bool {
        self.json.as_ref().is_some_and(|body| {
            let message = body.get("message");
            let message_ok = message.is_some_and(|m| {
                m.is_string() || m.as_array().is_some_and(|a| a.iter().all(Value::is_string))
            });
            message_ok
                && body.get("statusCode").and_then(Value::as_u64) == Some(u64::from(self.status))
        })
    }
}

/// The HTTP client of the doctor: the SDK's default transport.
pub(crate) struct Probe {
    http: Arc<dyn HttpTransport>,
}

impl Probe {
    pub(crate) fn new() -> Result<Probe, Failure> {
        let http = auth_transport::default_transport()
            .map_err(|e| Failure::new(format!("no HTTP client: {e}")))?
            .ok_or_else(|| Failure::new("no HTTP backend compiled in".to_owned()))?;
        Ok(Probe { http })
    }

    /// Sends a request; a transport failure (no connection, timeout) is an error: the
    /// doctor cannot say anything about a server it cannot reach.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Seen, Failure> {
        let mut request = Request::builder()
            .method(method)
            .uri(url)
            .header("accept", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Bytes::from(json.to_string())
            }
            None => Bytes::new(),
        };
        let request = request
            .body(body)
            .map_err(|e| Failure::usage(format!("{url}: {e}")))?;
        let sent = SystemTime::now();
        let answer: Response<Bytes> = self
            .http
            .send(request)
            .await
            .map_err(|e| Failure::new(format!("{url}: {e}")))?;
        let received = SystemTime::now();
        let headers = answer.headers();
        let html = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
            || answer.body().starts_with(b"<!DOCTYPE")
            || answer.body().starts_with(b"<html");
        let date = headers
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        Ok(Seen {
            status: answer.status().as_u16(),
            json: serde_json::from_slice(answer.body()).ok(),
            html,
            date,
            sent,
            received,
        })
    }
}

/// The clock row: the offset of the server's clock (its `Date` header, read at the
/// middle of the exchange) from this machine's.
pub(crate) fn clock_row(seen: &Seen, max: u64) -> Row {
    let expected = format!("within {max} s of this machine's");
    let Some(date) = seen.date else {
        return Row::new("clock", expected, "no Date header", false);
    };
    let half = seen.received.duration_since(seen.sent).unwrap_or_default() / 2;
    let local = seen.sent + half;
    let (ahead, offset) = match date.duration_since(local) {
        Ok(ahead) => (true, ahead),
        Err(behind) => (false, behind.duration()),
    };
    // The header has whole seconds: up to a second is no offset.
    let offset = offset.saturating_sub(Duration::from_secs(1));
    let seen_text = if offset.is_zero() {
        "in step (within the header's second)".to_owned()
    } else {
        format!(
            "{} s {}",
            offset.as_secs(),
            if ahead { "ahead" } else { "behind" }
        )
    };
    Row::new("clock", expected, seen_text, offset.as_secs() <= max)
}

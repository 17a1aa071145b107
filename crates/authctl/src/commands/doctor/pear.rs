//! `authctl doctor pear`.

use std::time::UNIX_EPOCH;

use auth_types::EvmAddress;
use http::Method;
use serde_json::{Value, json};

use super::{Probe, Row, Seen, clock_row};
use crate::cli::DoctorPearArgs;
use crate::commands::Failure;
use crate::secrets::eth_key;

/// The address the message is asked for without a key (any address will do).
const PROBE_ADDRESS: &str = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";

/// The fields of the `Authentication` type, in order, with a client id.
const FIELDS: [(&str, &str); 4] = [
    ("address", "address"),
    ("clientId", "string"),
    ("timestamp", "uint256"),
    ("action", "string"),
];

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "missing".to_owned(), Value::to_string)
}

/// Every check of the Pear API.
pub(super) async fn check(args: &DoctorPearArgs) -> Result<Vec<Row>, Failure> {
    let base = super::base_url(
        args.base_url.as_deref(),
        "PEAR_BASE_URL",
        pear_auth::DEFAULT_BASE_URL,
    );
    let probe = Probe::new()?;
    let key = args
        .private_key_env
        .as_deref()
        .map(|var| eth_key(Some(var), None))
        .transpose()?;
    let address = match &key {
        Some(key) => key.address(),
        None => PROBE_ADDRESS
            .parse::<EvmAddress>()
            .map_err(|e| Failure::new(format!("the probe address: {e}")))?,
    };
    let url = format!(
        "{base}/auth/eip712-message?address={address}&clientId={}",
        args.client_id
    );
    let message = probe.send(Method::GET, &url, &[], None).await?;
    let mut rows = message_rows(&message, &address, &args.client_id);
    rows.push(clock_row(&message, args.output.max_clock_offset));

    let refused = probe
        .send(
            Method::POST,
            &format!("{base}/auth/refresh"),
            &[],
            Some(&json!({"refreshToken": "authctl-doctor-invalid"})),
        )
        .await?;
    rows.push(Row::new(
        "pear.errors",
        "401 with NestJS's {message, error, statusCode}",
        refused.describe()
            + if refused.nest_error() {
                ", NestJS shape"
            } else {
                ", another shape"
            },
        refused.status == 401 && refused.nest_error(),
    ));
    let login = probe
        .send(
            Method::POST,
            &format!("{base}/auth/login"),
            &[],
            Some(&json!({})),
        )
        .await?;
    rows.push(Row::new(
        "pear.login_route",
        "POST /auth/login exists (an empty body refused with 400 or 401)",
        login.describe(),
        matches!(login.status, 400 | 401) && !login.html,
    ));
    if let Some(key) = key {
        rows.push(login_round(&base, &key).await);
    }
    Ok(rows)
}

/// The rows of the login message's shape.
fn message_rows(seen: &Seen, address: &EvmAddress, client_id: &str) -> Vec<Row> {
    let reachable = seen.status == 200 && seen.json.is_some() && !seen.html;
    let mut rows = vec![Row::new(
        "pear.message",
        "GET /auth/eip712-message: 200 with JSON",
        seen.describe()
            + if seen.html && seen.status == 403 {
                " (a Cloudflare page?)"
            } else {
                ""
            },
        reachable,
    )];
    let Some(body) = seen.json.as_ref().filter(|_| reachable) else {
        return rows;
    };
    let domain = body.get("domain");
    let expected_domain = json!({
        "name": "Pear Protocol",
        "version": "1",
        "chainId": 42161,
        "verifyingContract": "0x0000000000000000000000000000000000000001",
    });
    rows.push(Row::new(
        "pear.message.domain",
        expected_domain.to_string(),
        show(domain),
        domain == Some(&expected_domain),
    ));
    let primary = body.get("primaryType");
    rows.push(Row::new(
        "pear.message.primary_type",
        "\"Authentication\"",
        show(primary),
        primary.and_then(Value::as_str) == Some("Authentication"),
    ));
    let types = body.get("types");
    let fields: Option<Vec<(&str, &str)>> = types
        .and_then(|t| t.get("Authentication"))
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f.get("name").and_then(Value::as_str).unwrap_or("?"),
                        f.get("type").and_then(Value::as_str).unwrap_or("?"),
                    )
                })
                .collect()
        });
    let only_authentication = types.and_then(Value::as_object).is_some_and(|t| {
        t.keys()
            .all(|k| k == "Authentication" || k == "EIP712Domain")
    });
    rows.push(Row::new(
        "pear.message.types",
        "Authentication {address, clientId, timestamp, action} only",
        show(types),
        only_authentication && fields.as_deref() == Some(&FIELDS[..]),
    ));
    let inner = body.get("message");
    let top = body.get("timestamp").and_then(Value::as_u64);
    let signed = inner
        .and_then(|m| m.get("timestamp"))
        .and_then(Value::as_u64);
    let server_now = seen
        .date
        .unwrap_or(seen.received)
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let seconds = |t: u64| t.abs_diff(server_now) <= 86_400;
    let units = match signed {
        Some(t) if seconds(t) => "seconds".to_owned(),
        Some(t) if t / 1000 > 0 && seconds(t / 1000) => "milliseconds".to_owned(),
        Some(t) => format!("{t} (neither seconds nor milliseconds of today)"),
        None => "missing".to_owned(),
    };
    rows.push(Row::new(
        "pear.message.timestamp",
        "unix seconds, the top-level timestamp equal to the message's",
        format!(
            "{units}, top-level {}",
            top.map_or("missing".to_owned(), |t| t.to_string())
        ),
        units == "seconds" && top == signed,
    ));
    let seen_address = inner.and_then(|m| m.get("address")).and_then(Value::as_str);
    let lowercase = address.to_lowercase_hex();
    rows.push(Row::new(
        "pear.message.address",
        format!("the address asked for, lowercased ({lowercase})"),
        seen_address.unwrap_or("missing"),
        seen_address == Some(lowercase.as_str()),
    ));
    let echoed = inner
        .and_then(|m| m.get("clientId"))
        .and_then(Value::as_str);
    rows.push(Row::new(
        "pear.message.client_id",
        format!("the clientId asked for ({client_id})"),
        echoed.unwrap_or("missing"),
        echoed == Some(client_id),
    ));
    rows
}

/// A login with the key, then a logout.
async fn login_round(base: &str, key: &auth_signing::ethereum::LocalEthSigner) -> Row {
    let expected = "a login signed with the key, then a logout";
    let client = match pear_auth::PearClient::builder().base_url(base).build() {
        Ok(client) => client,
        Err(e) => return Row::new("pear.login", expected, e.to_string(), false),
    };
    let tokens = match client.login_eip712(key).await {
        Ok(tokens) => tokens,
        Err(e) => return Row::new("pear.login", expected, format!("login failed: {e}"), false),
    };
    match client.logout(&tokens.refresh_token).await {
        Ok(()) => Row::new("pear.login", expected, "logged in and out", true),
        Err(e) => Row::new("pear.login", expected, format!("logout failed: {e}"), false),
    }
}

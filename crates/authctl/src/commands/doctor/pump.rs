//! `authctl doctor pump`.

use http::Method;
use pump_auth::{LoginFormat, PumpClient};
use serde_json::json;

use super::{Probe, Row, clock_row};
use crate::cli::DoctorPumpArgs;
use crate::commands::Failure;
use crate::secrets::solana_key;

/// Every check of the pump.fun API.
pub(super) async fn check(args: &DoctorPumpArgs) -> Result<Vec<Row>, Failure> {
    let base = super::base_url(
        args.base_url.as_deref(),
        "PUMP_BASE_URL",
        pump_auth::DEFAULT_BASE_URL,
    );
    let probe = Probe::new()?;
    let origin = [("origin", args.origin.as_str())];
    let mut rows = Vec::new();

    let bare = probe
        .send(
            Method::POST,
            &format!("{base}/auth/login"),
            &[],
            Some(&json!({})),
        )
        .await?;
    rows.push(Row::new(
        "pump.origin",
        "a login without Origin refused (403)",
        bare.describe(),
        bare.status == 403,
    ));
    for (check, path) in [
        ("pump.login_route", "/auth/login"),
        ("pump.login_token_route", "/auth/login/token"),
    ] {
        let seen = probe
            .send(
                Method::POST,
                &format!("{base}{path}"),
                &origin,
                Some(&json!({})),
            )
            .await?;
        rows.push(Row::new(
            check,
            format!("POST {path} exists (an empty body refused with 400 or 401, JSON)"),
            seen.describe(),
            matches!(seen.status, 400 | 401) && seen.json.is_some() && !seen.html,
        ));
    }
    let profile = probe
        .send(
            Method::GET,
            &format!("{base}/auth/my-profile"),
            &origin,
            None,
        )
        .await?;
    rows.push(Row::new(
        "pump.errors",
        "401 with NestJS's {message, error, statusCode} for a profile without a token",
        profile.describe()
            + if profile.nest_error() {
                ", NestJS shape"
            } else {
                ", another shape"
            },
        profile.status == 401 && profile.nest_error(),
    ));
    rows.push(clock_row(&profile, args.output.max_clock_offset));
    if let Some(file) = &args.keypair {
        let keypair = solana_key(None, Some(file))?;
        for format in [
            LoginFormat::Documented,
            LoginFormat::Cookie,
            LoginFormat::Token,
        ] {
            rows.push(login_round(&base, &args.origin, format, &keypair).await);
        }
    }
    Ok(rows)
}

/// A login in `format`, the profile, a logout.
async fn login_round(
    base: &str,
    origin: &str,
    format: LoginFormat,
    keypair: &auth_signing::solana::SolanaKeypair,
) -> Row {
    let check = match format {
        LoginFormat::Cookie => "pump.login.cookie",
        LoginFormat::Token => "pump.login.token",
        _ => "pump.login.documented",
    };
    let expected = "a login with the keypair, its profile, a logout";
    let client = match PumpClient::builder()
        .base_url(base)
        .origin(origin)
        .login_format(format)
        .build()
    {
        Ok(client) => client,
        Err(e) => return Row::new(check, expected, e.to_string(), false),
    };
    let login = match client.login(keypair).await {
        Ok(login) => login,
        Err(e) => return Row::new(check, expected, format!("login failed: {e}"), false),
    };
    if let Err(e) = client.profile(&login.token).await {
        return Row::new(check, expected, format!("profile failed: {e}"), false);
    }
    match client.logout(&login.token).await {
        Ok(()) => Row::new(
            check,
            expected,
            "logged in, read the profile, logged out",
            true,
        ),
        Err(e) => Row::new(check, expected, format!("logout failed: {e}"), false),
    }
}

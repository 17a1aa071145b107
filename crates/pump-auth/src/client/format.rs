//! [`LoginFormat`]: which of pump.fun's login requests the client sends.

use std::fmt;

/// Which login request the client sends. All three sign the same text,
/// `Sign in to pump.fun: <unix ms>`; they differ in what is sent and how the token comes
/// back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoginFormat {
    /// `POST /auth/login {wallet, signature, message}`, answered with
    /// `{token, expiresIn, user}`: the specification's format.
    #[default]
    Documented,
    /// `POST /auth/login {address, signature, timestamp}`, answered with an `auth_token`
    /// cookie (the body may be empty or not JSON): what the live site's own pages send.
    Cookie,
    /// `POST /auth/login/token {address, signature, timestamp, authType: "non_custodial"}`,
    /// answered with `{access_token}`: what several public bots use.
    Token,
}

impl LoginFormat {
    /// Every format, in the order of the CLI's `--format` choices.
    pub const ALL: [LoginFormat; 3] = [
        LoginFormat::Documented,
        LoginFormat::Cookie,
        LoginFormat::Token,
    ];

    /// The name the CLI's `--format` takes: `documented`, `cookie` or `token`.
    pub fn name(self) -> &'static str {
        match self {
            LoginFormat::Documented => "documented",
            LoginFormat::Cookie => "cookie",
            LoginFormat::Token => "token",
        }
    }

    /// The path the login is posted to.
    pub fn path(self) -> &'static str {
        match self {
            LoginFormat::Token => "/auth/login/token",
            LoginFormat::Documented | LoginFormat::Cookie => "/auth/login",
        }
    }
}

impl fmt::Display for LoginFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for LoginFormat {
    type Err = String;

    /// `documented`, `cookie` or `token`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoginFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| "expected one of: documented, cookie, token".to_owned())
    }
}

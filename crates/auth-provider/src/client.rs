//! The one send path: a configured client, requests that record their secrets, and
//! answers decoded or turned into redacted errors.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use auth_transport::HttpTransport;
use auth_types::{AccessToken, Clock, SharedClock};
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;

use crate::body::JsonBody;
use crate::budget::Pacing;
use crate::decode::decode_json;
use crate::error::ApiError;
use crate::refusal::Refusal;
use crate::secrets::Secrets;
use crate::server_clock::ServerClock;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A configured client of one provider's API: base URL, transport, clock and default
/// headers. Cheap to clone; `Send + Sync`. Built by [`ClientConfig::build`](crate::ClientConfig::build).
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    api: &'static str,
    base_url: String,
    transport: Arc<dyn HttpTransport>,
    /// The server's clock, as a `SharedClock` (what [`ApiClient::clock`] hands out)...
    clock: SharedClock,
    /// ...and as itself.
    server_clock: ServerClock,
    headers: HeaderMap,
    pacing: Option<Pacing>,
}

impl ApiClient {
    pub(crate) fn new(
        api: &'static str,
        base_url: String,
        transport: Arc<dyn HttpTransport>,
        server_clock: ServerClock,
        headers: HeaderMap,
        pacing: Option<Pacing>,
    ) -> Self {
        server_clock.name_api(api);
        ApiClient {
            inner: Arc::new(Inner {
                api,
                base_url,
                transport,
                clock: SharedClock::new(server_clock.clone()),
                server_clock,
                headers,
                pacing,
            }),
        }
    }

    /// The API's display name (`"Pear"`, `"pump.fun"`).
    pub fn api(&self) -> &'static str {
        self.inner.api
    }

    /// The checked base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The server's clock: the configured wall clock corrected by the offset learned from
    /// the server's answers ([`ServerClock`]). Everything that reads the time for this
    /// server (message times, freshness checks, token deadlines) reads this one.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// The estimate behind [`ApiClient::clock`]: its offset, its [`stats`](ServerClock::stats),
    /// and the configured local clock ([`ServerClock::local`]).
    pub fn server_clock(&self) -> &ServerClock {
        &self.inner.server_clock
    }

    /// A `GET` of `path` (appended to the base URL).
    pub fn get(&self, path: &str) -> ApiRequest<'_> {
        self.request(Method::GET, path)
    }

    /// A `POST` to `path` (appended to the base URL).
    pub fn post(&self, path: &str) -> ApiRequest<'_> {
        self.request(Method::POST, path)
    }

    /// A request of any method to `path`.
    pub fn request(&self, method: Method, path: &str) -> ApiRequest<'_> {
        ApiRequest {
            client: self,
            method,
            path_and_query: path.to_owned(),
            has_query: false,
            headers: self.inner.headers.clone(),
            body: Bytes::new(),
            secrets: Secrets::default(),
            problem: None,
        }
    }

    /// `Authorization: Bearer <token>`, marked sensitive (so `http`'s `Debug` hides it).
    pub fn bearer_header(&self, token: &AccessToken) -> Result<HeaderValue, ApiError> {
        bearer_header(self.inner.api, token)
    }
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("api", &self.inner.api)
            .field("base_url", &self.inner.base_url)
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

/// `Authorization: Bearer <token>` for `api`, marked sensitive. A token with characters a
/// header cannot carry is [`ApiError::InvalidHeader`], a local failure.
///
/// ```
/// use auth_provider::Failure;
///
/// let value = auth_provider::bearer_header("Pear", &auth_types::AccessToken::new("eyJ.a.b"))?;
/// assert_eq!(value, "Bearer eyJ.a.b");
/// assert!(value.is_sensitive());
/// let err = auth_provider::bearer_header("Pear", &auth_types::AccessToken::new("bad\ntoken")).unwrap_err();
/// assert!(!err.may_have_reached_server());
/// # Ok::<(), auth_provider::ApiError>(())
/// ```
pub fn bearer_header(api: &'static str, token: &AccessToken) -> Result<HeaderValue, ApiError> {
    let mut value =
        HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
            ApiError::InvalidHeader {
                api,
                header: "authorization",
            }
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// One request being built. Every secret it is given ([`bearer`](Self::bearer), the
/// [`JsonBody::secret`] fields of its body) is recorded, and every error of the exchange
/// is redacted of them: a provider never lists secrets by hand.
#[must_use = "a request does nothing until it is sent"]
pub struct ApiRequest<'a> {
    client: &'a ApiClient,
    method: Method,
    path_and_query: String,
    has_query: bool,
    headers: HeaderMap,
    body: Bytes,
    secrets: Secrets,
    problem: Option<ApiError>,
}

impl ApiRequest<'_> {
    /// Appends `name=value` to the query, percent-encoding the value.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.path_and_query
            .push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        self.path_and_query.push_str(name);
        self.path_and_query.push('=');
        percent_encode_into(value, &mut self.path_and_query);
        self
    }

    /// A JSON body (`Content-Type: application/json`); its secret fields are recorded.
    pub fn json(mut self, body: JsonBody) -> Self {
        let (bytes, secrets) = body.into_parts();
        self.body = bytes;
        self.secrets.extend(secrets);
        self.headers.insert(CONTENT_TYPE, APPLICATION_JSON);
        self
    }

    /// `Authorization: Bearer <token>`, marked sensitive; the token is recorded.
    pub fn bearer(mut self, token: &AccessToken) -> Self {
        self.secrets.record(token.expose_secret());
        match self.client.bearer_header(token) {
            Ok(value) => {
                self.headers.insert(AUTHORIZATION, value);
            }
            Err(e) => self.problem = Some(e),
        }
        self
    }

    /// Any other header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sends the request. A 2xx answer comes back as it is; an error status becomes
    /// [`ApiError::Refused`] with the server's message, redacted of the request's secrets.
    /// Traced at `debug` (target `auth_provider`) with the API, method, path, status and
    /// time: never the query, headers or bodies. Paced by the client's
    /// [`RateBudget`](crate::RateBudget) first (which may fail it with
    /// [`ApiError::OverBudget`] rather than wait too long), and the answer's rate-limit
    /// headers taught to it.
    pub async fn send(self) -> Result<Answer, ApiError> {
        let api = self.client.inner.api;
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        let uri: Uri = format!("{}{}", self.client.inner.base_url, self.path_and_query)
            .parse()
            .map_err(|_| ApiError::Request {
                api,
                reason: "the base URL and path do not form a valid URL".to_owned(),
            })?;
        let path = uri.path().to_owned();
        let method = self.method.clone();
        let mut request = Request::new(self.body);
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        request
            .headers_mut()
            .entry(ACCEPT)
            .or_insert(APPLICATION_JSON);
        let sent = match &self.client.inner.pacing {
            Some(pacing) => Some(pacing.acquire(api).await?),
            None => None,
        };
        let started = Instant::now();
        let sent_at = self.client.inner.server_clock.local().now();
        let response = match self.client.inner.transport.send(request).await {
            Ok(response) => response,
            Err(source) => {
                tracing::debug!(target: "auth_provider", api, %method, %path, error = %source, "request failed");
                return Err(ApiError::Transport { api, source });
            }
        };
        tracing::debug!(
            target: "auth_provider",
            api,
            %method,
            %path,
            status = response.status().as_u16(),
            elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "request"
        );
        // Every answer, refusals included, is a reading of the server's clock.
        self.client
            .inner
            .server_clock
            .observe_date(sent_at, response.headers());
        if let Some(sent) = sent {
            sent.learn(response.status(), response.headers());
        }
        answer(api, response, &self.secrets)
    }

    /// Sends the request and decodes a 2xx JSON answer into `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        self.send().await?.json()
    }
}

impl fmt::Debug for ApiRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("api", &self.client.inner.api)
            .field("method", &self.method)
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

fn answer(
    api: &'static str,
    response: Response<Bytes>,
    secrets: &Secrets,
) -> Result<Answer, ApiError> {
    if crate::refusal::is_edge_block(response.status(), response.headers()) {
        return Err(ApiError::Blocked {
            api,
            status: response.status(),
            retry_after: crate::retry_after(response.headers()).unwrap_or(crate::EDGE_BLOCK_HOLD),
        });
    }
    if let Some(refusal) = Refusal::read(&response, secrets) {
        return Err(ApiError::Refused {
            api,
            status: refusal.status,
            message: refusal.message,
            messages: refusal.messages,
            retry_after: refusal.retry_after,
        });
    }
    let (parts, body) = response.into_parts();
    Ok(Answer {
        api,
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// A success (2xx) answer.
pub struct Answer {
    api: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body decoded as JSON into `T`; a body that does not fit is
    /// [`ApiError::Malformed`] (naming the field, never quoting a value).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode_json(&self.body).map_err(|source| self.malformed(source))
    }

    /// An [`ApiError::Malformed`] for this answer.
    pub fn malformed(&self, source: crate::DecodeError) -> ApiError {
        ApiError::Malformed {
            api: self.api,
            status: self.status,
            source,
        }
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body and headers may carry tokens.
        f.debug_struct("Answer")
            .field("api", &self.api)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// What a query value keeps as it is: RFC 3986's unreserved characters (letters, digits,
/// `-`, `.`, `_`, `~`). Every other byte is written `%XX`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query value (everything but unreserved characters).
fn percent_encode_into(value: &str, out: &mut String) {
    out.extend(utf8_percent_encode(value, UNRESERVED));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding() {
        let mut out = String::new();
        percent_encode_into("a b&c=d/é~", &mut out);
        assert_eq!(out, "a%20b%26c%3Dd%2F%C3%A9~");
        // Appended to what is there; unreserved characters stay, every other byte is %XX.
        percent_encode_into("&AZaz09-._~@:/%20+?#!*'();$,[]\t\n\x7f\0日本😀", &mut out);
        assert_eq!(
            out,
            "a%20b%26c%3Dd%2F%C3%A9~%26AZaz09-._~%40%3A%2F%2520%2B%3F%23%21%2A%27%28%29%3B%24\
             %2C%5B%5D%09%0A%7F%00%E6%97%A5%E6%9C%AC%F0%9F%98%80"
        );
    }
}

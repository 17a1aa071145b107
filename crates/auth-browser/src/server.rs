//! The loopback page server: one page, what to ask the wallet, two posts; checked Host
//! and Origin. Addresses and signatures pass through as text; the caller parses and
//! checks them for the chain it asked for.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ring::rand::{SecureRandom, SystemRandom};
use serde::Deserialize;
use tokio::sync::{mpsc, oneshot, watch};

use crate::BrowserError;

/// The page, served as is (no build step, no third-party script).
const PAGE: &str = include_str!("page.html");

/// What the page posted, for the waiting `BrowserSignIn::sign_*` to answer.
#[derive(Debug)]
pub(crate) enum Event {
    /// The wallet's account (as the wallet wrote it): answer with what to sign, or why not.
    Account {
        address: String,
        reply: oneshot::Sender<Result<serde_json::Value, String>>,
    },
    /// A signature (as the page encoded it): answer whether it was accepted.
    Signature {
        address: String,
        signature: String,
        reply: oneshot::Sender<Result<(), String>>,
    },
}

/// Which wallet the page talks to and how it signs; the page asks once it is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// EIP-1193, `eth_signTypedData_v4`.
    TypedData,
    /// EIP-1193, `personal_sign` (EIP-191) of a text.
    EthereumText,
    /// A Phantom-shaped Solana provider, `signMessage` of a text.
    SolanaText,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::TypedData => "eip712",
            Kind::EthereumText => "personal_sign",
            Kind::SolanaText => "solana",
        }
    }
}

/// The running server; stops when dropped.
#[derive(Debug)]
pub(crate) struct Served {
    pub(crate) addr: SocketAddr,
    token: String,
    kind: watch::Sender<Option<Kind>>,
    _stop: oneshot::Sender<()>,
}

impl Served {
    pub(crate) fn url(&self) -> String {
        format!("http://{}/{}/", self.addr, self.token)
    }

    /// Tells the page (now, or when it asks) which wallet to talk to.
    pub(crate) fn set_kind(&self, kind: Kind) {
        self.kind.send_replace(Some(kind));
    }
}

struct Shared {
    token: String,
    host: String,
    origin: String,
    title: String,
    /// Set by the first signature post: the URL accepts one signature, once.
    used: AtomicBool,
    kind: watch::Receiver<Option<Kind>>,
    events: mpsc::Sender<Event>,
}

pub(crate) async fn serve(title: String) -> Result<(Served, mpsc::Receiver<Event>), BrowserError> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(BrowserError::Listen)?;
    let addr = listener.local_addr().map_err(BrowserError::Listen)?;
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| BrowserError::Listen(std::io::Error::other("no system randomness")))?;
    let token = hex::encode(bytes);
    let (events, receiver) = mpsc::channel(4);
    let (kind, kind_receiver) = watch::channel(None);
    let shared = Arc::new(Shared {
        token: token.clone(),
        host: format!("127.0.0.1:{}", addr.port()),
        origin: format!("http://127.0.0.1:{}", addr.port()),
        title,
        used: AtomicBool::new(false),
        kind: kind_receiver,
        events,
    });
    let app = Router::new()
        .route("/{token}/", get(page))
        .route("/{token}/kind", get(kind_of))
        .route("/{token}/account", post(account))
        .route("/{token}/signature", post(signature))
        .with_state(shared);
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    Ok((
        Served {
            addr,
            token,
            kind,
            _stop: stop,
        },
        receiver,
    ))
}

/// A plain-text refusal.
fn refuse(status: StatusCode, why: &str) -> Response {
    (status, why.to_owned()).into_response()
}

/// Why a request is refused: its status and words.
type Refusal = (StatusCode, &'static str);

/// The checks every request passes: the one-time path and `Host: 127.0.0.1:PORT`.
fn check_request(shared: &Shared, token: &str, headers: &HeaderMap) -> Result<(), Refusal> {
    // Compared in full; the token is not a secret from the page that holds it.
    if token != shared.token {
        return Err((StatusCode::NOT_FOUND, "no such sign-in"));
    }
    if headers.get(header::HOST).map(HeaderValue::as_bytes) != Some(shared.host.as_bytes()) {
        return Err((
            StatusCode::MISDIRECTED_REQUEST,
            "wrong Host: open the URL exactly as printed (127.0.0.1)",
        ));
    }
    Ok(())
}

/// The checks of a post: also `Origin` of this page and a JSON body.
fn check_post(shared: &Shared, token: &str, headers: &HeaderMap) -> Result<(), Refusal> {
    check_request(shared, token, headers)?;
    if headers.get(header::ORIGIN).map(HeaderValue::as_bytes) != Some(shared.origin.as_bytes()) {
        return Err((StatusCode::FORBIDDEN, "foreign Origin: refused"));
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err((StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected JSON"));
    }
    Ok(())
}

async fn page(
    State(shared): State<Arc<Shared>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err((status, why)) = check_request(&shared, &token, &headers) {
        return refuse(status, why);
    }
    let title = serde_json::to_string(&shared.title).unwrap_or_else(|_| "\"\"".to_owned());
    // The title goes in as a JSON string read by the script (text, never HTML).
    let body = PAGE.replace("\"__TITLE__\"", &title.replace('<', "\\u003c"));
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
            ),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body,
    )
        .into_response()
}

/// What the page must ask the wallet for: waits until the caller has said.
async fn kind_of(
    State(shared): State<Arc<Shared>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err((status, why)) = check_request(&shared, &token, &headers) {
        return refuse(status, why);
    }
    let mut kind = shared.kind.clone();
    match kind.wait_for(Option::is_some).await.map(|k| *k) {
        Ok(Some(kind)) => axum::Json(serde_json::json!({ "kind": kind.name() })).into_response(),
        _ => refuse(StatusCode::GONE, "this sign-in is over; start a new one"),
    }
}

#[derive(Deserialize)]
struct AccountPost {
    address: String,
}

#[derive(Deserialize)]
struct SignaturePost {
    address: String,
    signature: String,
}

async fn account(
    State(shared): State<Arc<Shared>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err((status, why)) = check_post(&shared, &token, &headers) {
        return refuse(status, why);
    }
    if shared.used.load(Ordering::SeqCst) {
        return refuse(StatusCode::GONE, "this sign-in is over; start a new one");
    }
    let Ok(post) = serde_json::from_slice::<AccountPost>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "expected {\"address\": \"…\"}");
    };
    let address = post.address;
    let (reply, answer) = oneshot::channel();
    if shared
        .events
        .send(Event::Account { address, reply })
        .await
        .is_err()
    {
        return refuse(StatusCode::GONE, "this sign-in is over; start a new one");
    }
    match answer.await {
        Ok(Ok(document)) => axum::Json(document).into_response(),
        Ok(Err(why)) => refuse(StatusCode::BAD_GATEWAY, &why),
        Err(_) => refuse(StatusCode::GONE, "this sign-in is over; start a new one"),
    }
}

async fn signature(
    State(shared): State<Arc<Shared>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err((status, why)) = check_post(&shared, &token, &headers) {
        return refuse(status, why);
    }
    if shared.used.swap(true, Ordering::SeqCst) {
        return refuse(
            StatusCode::GONE,
            "a signature was already posted to this URL; start a new sign-in",
        );
    }
    let Ok(post) = serde_json::from_slice::<SignaturePost>(&body) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "expected an address and a signature",
        );
    };
    let (address, signature) = (post.address, post.signature);
    let (reply, answer) = oneshot::channel();
    let event = Event::Signature {
        address,
        signature,
        reply,
    };
    if shared.events.send(event).await.is_err() {
        return refuse(StatusCode::GONE, "this sign-in is over; start a new one");
    }
    match answer.await {
        Ok(Ok(())) => (StatusCode::OK, "signature accepted").into_response(),
        Ok(Err(why)) => refuse(StatusCode::FORBIDDEN, &why),
        Err(_) => refuse(StatusCode::GONE, "this sign-in is over; start a new one"),
    }
}

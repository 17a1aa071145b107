//! Headless Chromium through chromedriver, with a test wallet the test itself answers:
//! an EIP-1193 provider (`window.ethereum`) and a Phantom-shaped Solana provider
//! (`window.phantom.solana`, `window.solana`). Needs Debian's `chromium` and
//! `chromium-driver`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use auth_signing::eip712::TypedData;
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long one drive of the page may take before the test fails.
const DRIVE_LIMIT: Duration = Duration::from_secs(30);

/// The test wallet: an EIP-1193 provider and a Phantom-shaped Solana provider whose
/// account, chain and answers the test sets (mode `ok`, `reject` or `locked`). Signing
/// requests wait in `window.__wallet.pending` (`kind`: `typed`, `personal` or `solana`;
/// `data`: what to sign) for the test to sign them in Rust.
const WALLET: &str = r#"
var w = { chain: arguments[0], account: arguments[1], mode: arguments[2], pending: null, switched: null };
window.__wallet = w;
function wait(kind, data, wrap) {
  return new Promise(function (resolve, reject) {
    w.pending = { kind: kind, data: data, resolve: function (s) { resolve(wrap ? wrap(s) : s); }, reject: reject };
  });
}
var rejected = { code: 4001, message: "User rejected the request." };
window.ethereum = { request: function (req) {
  switch (req.method) {
    case "eth_requestAccounts":
      if (w.mode === "locked") return Promise.reject({ code: -32002, message: "Already processing eth_requestAccounts. Please wait." });
      return Promise.resolve([w.account]);
    case "eth_chainId": return Promise.resolve("0x" + w.chain.toString(16));
    case "wallet_switchEthereumChain":
      w.switched = req.params[0].chainId; w.chain = parseInt(req.params[0].chainId, 16);
      return Promise.resolve(null);
    case "eth_signTypedData_v4":
      if (w.mode === "reject") return Promise.reject(rejected);
      return wait("typed", req.params[1]);
    case "personal_sign":
      if (w.mode === "reject") return Promise.reject(rejected);
      if (req.params[1] !== w.account) return Promise.reject({ code: 4100, message: "not this wallet's account" });
      return wait("personal", req.params[0]);
    default: return Promise.reject({ code: 4200, message: "unsupported method " + req.method });
  }
} };
var key = { toString: function () { return w.account; } };
var sol = {
  isPhantom: true, publicKey: null,
  connect: function () {
    if (w.mode === "locked") return Promise.reject({ code: 4100, message: "The requested method and/or account has not been authorized by the user." });
    sol.publicKey = key;
    return Promise.resolve({ publicKey: key });
  },
  signMessage: function (bytes, display) {
    if (w.mode === "reject") return Promise.reject(rejected);
    if (!(bytes instanceof Uint8Array) || display !== "utf8") return Promise.reject({ code: -32603, message: "expected Uint8Array and utf8" });
    var hex = "";
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return wait("solana", hex, function (sig) {
      var out = new Uint8Array(sig.length / 2);
      for (var j = 0; j < out.length; j++) out[j] = parseInt(sig.substr(2 * j, 2), 16);
      return { signature: out, publicKey: key };
    });
  }
};
window.phantom = { solana: sol };
window.solana = sol;
"#;

/// A key the test wallet signs with (it may differ from the account the wallet claims).
#[derive(Clone, Copy)]
pub enum TestKey<'a> {
    /// An Ethereum key: EIP-712 and `personal_sign`.
    Eth(&'a LocalEthSigner),
    /// A Solana key: `signMessage`.
    Solana(&'a SolanaKeypair),
}

impl TestKey<'_> {
    /// Signs what the page asked for: the signature as the wallet would hand it over.
    fn sign(self, kind: &str, data: &str) -> Result<String, String> {
        match (self, kind) {
            (TestKey::Eth(signer), "typed") => {
                let typed = TypedData::from_json_str(data).map_err(|e| e.to_string())?;
                Ok(signer
                    .sign_typed_data(&typed)
                    .map_err(|e| e.to_string())?
                    .to_string())
            }
            (TestKey::Eth(signer), "personal") => {
                let bytes =
                    hex::decode(data.trim_start_matches("0x")).map_err(|e| e.to_string())?;
                Ok(signer
                    .sign_personal_message(&bytes)
                    .map_err(|e| e.to_string())?
                    .to_string())
            }
            (TestKey::Solana(keypair), "solana") => {
                let bytes = hex::decode(data).map_err(|e| e.to_string())?;
                Ok(hex::encode(keypair.sign(&bytes).as_bytes()))
            }
            _ => Err(format!(
                "the page asked for a {kind} signature of another chain's key"
            )),
        }
    }
}

/// A chromedriver process and a headless Chromium session; both end when dropped.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
    name: String,
}

/// Fails with how to install `path` when it is missing.
fn require(path: &str) {
    assert!(
        std::path::Path::new(path).exists(),
        "{path} is missing: the browser tests need Debian's chromium and chromium-driver. \
         Install them with `apt-get install -y chromium chromium-driver` \
         (`cargo xtask test` and `.ci/run` do it)"
    );
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; `name` names its screenshots.
    pub async fn start(name: &str) -> Browser {
        require(CHROMIUM);
        require(CHROMEDRIVER);
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver did not start");
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=900,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("could not start headless Chromium through chromedriver: {e}"),
            }
        };
        Browser {
            client,
            _driver: driver,
            _profile: profile,
            name: name.to_owned(),
        }
    }

    /// Opens `url` and installs the test wallet with `account` on `chain` in `mode`
    /// (`ok`, `reject` or `locked`).
    pub async fn open(&self, url: &str, chain: u64, account: &str, mode: &str) {
        self.client.goto(url).await.unwrap();
        self.wallet(chain, account, mode).await;
    }

    /// (Re)installs the test wallet.
    pub async fn wallet(&self, chain: u64, account: &str, mode: &str) {
        self.client
            .execute(WALLET, vec![json!(chain), json!(account), json!(mode)])
            .await
            .unwrap();
    }

    /// Runs a script in the page.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Presses the page's button ("Connect wallet and sign"); a disabled one ignores it.
    pub async fn press(&self) {
        self.client
            .find(Locator::Id("go"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Presses the button, signs what the page asks with `signer`, and returns the
    /// page's final state and text (`done` or `error`).
    pub async fn sign_in(&self, signer: &LocalEthSigner) -> (String, String) {
        self.sign_in_with(TestKey::Eth(signer)).await
    }

    /// [`Browser::sign_in`] with a Solana key (the Phantom-shaped provider signs).
    pub async fn sign_in_solana(&self, keypair: &SolanaKeypair) -> (String, String) {
        self.sign_in_with(TestKey::Solana(keypair)).await
    }

    /// Presses the button, signs what the page asks with `key`, and returns the page's
    /// final state and text (`done` or `error`).
    pub async fn sign_in_with(&self, key: TestKey<'_>) -> (String, String) {
        self.press().await;
        let started = Instant::now();
        loop {
            let seen = self
                .eval(
                    "var s = document.getElementById('status'); var p = window.__wallet.pending; \
                     return [s.getAttribute('data-state'), s.textContent, p ? p.kind : null, p ? p.data : null];",
                )
                .await;
            let state = seen[0].as_str().unwrap_or_default().to_owned();
            let text = seen[1].as_str().unwrap_or_default().to_owned();
            if let (Some(kind), Some(data)) = (seen[2].as_str(), seen[3].as_str()) {
                let signature = match key.sign(kind, data) {
                    Ok(signature) => signature,
                    Err(why) => self.fail(&why).await,
                };
                self.client
                    .execute(
                        "var p = window.__wallet.pending; window.__wallet.pending = null; p.resolve(arguments[0]);",
                        vec![json!(signature)],
                    )
                    .await
                    .unwrap();
            } else if state == "done" || state == "error" {
                return (state, text);
            }
            if started.elapsed() > DRIVE_LIMIT {
                self.fail(&format!("the page did not finish: {state}: {text}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot as `target/browser-screenshots/NAME-SUFFIX.png`; returns its path.
    pub async fn screenshot(&self, suffix: &str) -> PathBuf {
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{}-{suffix}.png", self.name));
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Saves a screenshot and fails the test with `why` and its path.
    pub async fn fail(&self, why: &str) -> ! {
        let path = self.screenshot("failure").await;
        panic!("{why} (screenshot: {})", path.display());
    }

    /// Checks `ok`, or saves a screenshot and fails the test with `why`.
    pub async fn check(&self, ok: bool, why: &str) {
        if !ok {
            self.fail(why).await;
        }
    }
}

/// Posts `body` to `path` on `addr` over a raw connection with the given `Host` and
/// `Origin`, and returns the status code.
pub async fn raw_post(
    addr: std::net::SocketAddr,
    path: &str,
    host: &str,
    origin: &str,
    body: &str,
) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

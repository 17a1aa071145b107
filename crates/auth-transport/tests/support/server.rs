//! A small HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) whose paths script the
//! behaviours the conformance suite needs: echo, any status, cookies, chunked bodies,
//! big bodies, a server that never answers, a connection closed mid-body, and a barrier
//! that proves requests are in flight at once. Written on raw TCP so that faults can be
//! exact. It stops with the test's runtime.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running test server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub in_flight: Arc<AtomicUsize>,
    pub max_in_flight: Arc<AtomicUsize>,
    accept_loop: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let (a, b) = (in_flight.clone(), max_in_flight.clone());
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (a, b) = (a.clone(), b.clone());
                tokio::spawn(async move {
                    let _ = handle(stream, a, b).await;
                });
            }
        });
        TestServer {
            addr,
            in_flight,
            max_in_flight,
            accept_loop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

struct Parsed {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Parsed>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        if buf.len() > 64 * 1024 {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Parsed {
        method,
        target,
        headers,
        body,
    }))
}

fn head(status: u16, extra: &[(&str, String)]) -> String {
    let mut out = format!("HTTP/1.1 {status} Scripted\r\nConnection: close\r\n");
    for (k, v) in extra {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    extra: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut headers = extra.to_vec();
    headers.push(("Content-Length", body.len().to_string()));
    stream.write_all(head(status, &headers).as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await
}

async fn handle(
    mut stream: TcpStream,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
) -> std::io::Result<()> {
    let Some(req) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let (path, query) = req
        .target
        .split_once('?')
        .map_or((req.target.as_str(), ""), |(p, q)| (p, q));
    let json = ("Content-Type", "application/json".to_owned());
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["echo"] => {
            let headers: serde_json::Map<String, serde_json::Value> = req
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            let body = serde_json::json!({
                "method": req.method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": String::from_utf8_lossy(&req.body),
            });
            respond(&mut stream, 200, &[json], body.to_string().as_bytes()).await
        }
        ["status", code] => {
            let code: u16 = code.parse().unwrap_or(500);
            let body = format!(r#"{{"message":"status {code}","statusCode":{code}}}"#);
            let extra = [json, ("X-Test", "kept".to_owned())];
            respond(&mut stream, code, &extra, body.as_bytes()).await
        }
        ["redirect"] => respond(&mut stream, 302, &[("Location", "/echo".to_owned())], b"").await,
        ["cookie"] => {
            let extra = [
                (
                    "Set-Cookie",
                    "auth_token=abc.def; Path=/; HttpOnly".to_owned(),
                ),
                ("Set-Cookie", "other=1".to_owned()),
            ];
            respond(&mut stream, 200, &extra, b"{}").await
        }
        ["chunked"] => {
            let h = head(200, &[("Transfer-Encoding", "chunked".to_owned())]);
            stream.write_all(h.as_bytes()).await?;
            for part in ["hello ", "chunked ", "world"] {
                stream
                    .write_all(format!("{:x}\r\n{part}\r\n", part.len()).as_bytes())
                    .await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.flush().await
        }
        ["big", n] => {
            let n: usize = n.parse().unwrap_or(0);
            respond(&mut stream, 200, &[], &vec![b'a'; n]).await
        }
        ["big-chunked", n] => {
            let mut left: usize = n.parse().unwrap_or(0);
            let h = head(200, &[("Transfer-Encoding", "chunked".to_owned())]);
            stream.write_all(h.as_bytes()).await?;
            let piece = vec![b'b'; 64 * 1024];
            while left > 0 {
                let len = left.min(piece.len());
                stream.write_all(format!("{len:x}\r\n").as_bytes()).await?;
                stream.write_all(&piece[..len]).await?;
                stream.write_all(b"\r\n").await?;
                left -= len;
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.flush().await
        }
        ["hang"] => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
        ["close-mid-body"] => {
            let h = head(200, &[("Content-Length", "100".to_owned())]);
            stream.write_all(h.as_bytes()).await?;
            stream.write_all(b"0123456789").await?;
            stream.flush().await?;
            stream.shutdown().await
        }
        ["wait-for", n] => {
            // Holds each request until `n` are inside at once (or 10 s pass), so a
            // transport that serialized requests would fail.
            let n: usize = n.parse().unwrap_or(1);
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            max_in_flight.fetch_max(now, Ordering::SeqCst);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            while max_in_flight.load(Ordering::SeqCst) < n && tokio::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            in_flight.fetch_sub(1, Ordering::SeqCst);
            respond(&mut stream, 200, &[], b"done").await
        }
        _ => {
            respond(
                &mut stream,
                404,
                &[json],
                br#"{"message":"no such path","statusCode":404}"#,
            )
            .await
        }
    }
}

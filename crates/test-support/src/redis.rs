//! A real `redis-server` for tests (feature `redis`): started on a free port of
//! 127.0.0.1 in a temporary directory, without persistence, and killed when dropped.
//!
//! `redis-server` must be on `PATH` (Debian: `apt-get install redis-server`; the README's
//! test command, `cargo xtask test`, installs it). Without it, [`RedisServer::start`]
//! panics with one line that says so: no test skips itself.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer its first `PING`.
const START_TIMEOUT: Duration = Duration::from_secs(15);
/// How many ports are tried when a server cannot start (another process took the port
/// between its pick and the server's start).
const START_ATTEMPTS: usize = 5;

/// A running `redis-server` of a test. Stopped (killed and reaped) on drop.
#[derive(Debug)]
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    password: Option<String>,
    /// The server's working directory (and log file); removed on drop.
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// A server without a password.
    pub fn start() -> Self {
        RedisServer::launch(None)
    }

    /// A server that wants `password` (`--requirepass`).
    pub fn start_with_password(password: &str) -> Self {
        RedisServer::launch(Some(password.to_owned()))
    }

    fn launch(password: Option<String>) -> Self {
        let mut last_log = String::new();
        for _ in 0..START_ATTEMPTS {
            let dir = tempfile::tempdir().unwrap();
            let port = free_port();
            let mut command = Command::new("redis-server");
            command
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
                .arg("--dir")
                .arg(dir.path())
                .arg("--logfile")
                .arg(dir.path().join("redis.log"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            if let Some(password) = &password {
                command.args(["--requirepass", password]);
            }
            let child = match command.spawn() {
                Ok(child) => child,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                    "redis-server is not on PATH: install it (`apt-get install redis-server`) or run the README's test command, `cargo xtask test`, which does"
                ),
                Err(e) => panic!("could not start redis-server: {e}"),
            };
            let mut server = RedisServer {
                child: Some(child),
                port,
                password: password.clone(),
                dir,
            };
            if server.wait_until_ready() {
                return server;
            }
            last_log = server.log();
            server.stop();
        }
        panic!(
            "redis-server did not start after {START_ATTEMPTS} tries; its last log:\n{last_log}"
        );
    }

    /// Waits until the server answers `PING` (`+PONG`, or `-NOAUTH` with a password).
    /// `false` if it exits or stays silent.
    fn wait_until_ready(&mut self) -> bool {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Some(child) = &mut self.child
                && child.try_wait().ok().flatten().is_some()
            {
                return false;
            }
            if ping(self.address()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The port it listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its address.
    pub fn address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// `redis://[:password@]127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        match &self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}/0", self.port),
            None => format!("redis://127.0.0.1:{}/0", self.port),
        }
    }

    /// Its working directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Its log so far (for a failure's report).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("redis.log")).unwrap_or_default()
    }

    /// Sends one command (its arguments, as RESP) and returns the raw answer (for example
    /// `b"+OK\r\n"`), authenticating first if the server has a password. For writing
    /// values a store would never write. Bounded: 5 s.
    pub fn command(&self, args: &[&[u8]]) -> Vec<u8> {
        let mut stream =
            TcpStream::connect_timeout(&self.address(), Duration::from_secs(5)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        if let Some(password) = &self.password {
            let answer = exchange(&mut stream, &[b"AUTH", password.as_bytes()]);
            assert!(answer.starts_with(b"+OK"), "AUTH refused");
        }
        exchange(&mut stream, args)
    }

    /// Stops the server now (kill and reap), as a crash would. Stopping twice is fine.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port of 127.0.0.1 free right now (the system's pick).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether a Redis server at `address` answers `PING` (with `+PONG`, or `-NOAUTH` when it
/// wants a password). Bounded: half a second to connect and to answer.
fn ping(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut answer = [0u8; 64];
    match stream.read(&mut answer) {
        Ok(n) => answer[..n].starts_with(b"+PONG") || answer[..n].starts_with(b"-NOAUTH"),
        Err(_) => false,
    }
}

/// Sends `args` as one RESP command and reads one answer's bytes (what one read returns:
/// enough for the short answers of tests).
fn exchange(stream: &mut TcpStream, args: &[&[u8]]) -> Vec<u8> {
    let mut request = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        request.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        request.extend_from_slice(arg);
        request.extend_from_slice(b"\r\n");
    }
    stream.write_all(&request).unwrap();
    let mut answer = vec![0u8; 64 * 1024];
    let n = stream.read(&mut answer).unwrap();
    answer.truncate(n);
    answer
}

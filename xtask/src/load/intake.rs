//! The intake clients of the load test: one HTTP/1.1 connection per client through hyper's
//! connection API, all on one thread with a runtime of its own.
//!
//! The generator shares the machine with the server it measures, so what it costs per request
//! is taken from the server. Through reqwest (a pool per client, timeouts, redirect policy, a
//! multi-threaded runtime) it cost ~220 µs of CPU per tip, more than the server spent on the
//! tip: at 64 clients the generator used a whole core of the two. A bare connection per client
//! does the same work at a fraction of that, and its latency clock is the same.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// What the clients of one level saw.
#[derive(Default)]
pub struct Outcome {
    /// Latency of every tip answered 201, in milliseconds.
    pub ms: Vec<f64>,
    /// Requests answered otherwise, or not at all.
    pub errors: u64,
    /// The first error, to show.
    pub sample: Option<String>,
}

/// A request without an answer after this long counts as an error.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Clients connected and ready to file tips.
pub struct Ready {
    thread: std::thread::JoinHandle<anyhow::Result<Outcome>>,
    go: std::sync::mpsc::Sender<Instant>,
}

impl Ready {
    /// Files tips back to back on every connection until `until`.
    pub fn go(self, until: Instant) -> Running {
        // If the thread has ended already, its error comes out of the join.
        let _ = self.go.send(until);
        Running { thread: self.thread }
    }
}

/// Clients filing tips.
pub struct Running {
    thread: std::thread::JoinHandle<anyhow::Result<Outcome>>,
}

impl Running {
    /// Waits, off the runtime's threads, for every client to finish.
    pub async fn finish(self) -> anyhow::Result<Outcome> {
        let thread = self.thread;
        tokio::task::spawn_blocking(move || thread.join())
            .await?
            .map_err(|_| anyhow::anyhow!("the intake clients' thread panicked"))?
    }
}

/// [`connect_all`] off the runtime's threads, each client filing under idempotency keys of
/// this run's own.
pub async fn connect_clients(addr: SocketAddr, clients: usize, body: fn(u64) -> String) -> anyhow::Result<Ready> {
    let run = rand::random();
    tokio::task::spawn_blocking(move || connect_all(addr, clients, run, body)).await?
}

/// Opens `clients` connections to `addr` on a thread of their own and returns once all are
/// open, so that the level does not time connection set-up: 512 connections opened at once
/// overflowed the server's accept queue, and a dropped connection attempt is retried after a
/// second. Each client files under its own idempotency keys (prefixed by `run`).
fn connect_all(addr: SocketAddr, clients: usize, run: u64, body: fn(u64) -> String) -> anyhow::Result<Ready> {
    let (connected, ready) = std::sync::mpsc::channel::<anyhow::Result<()>>();
    let (go, until) = std::sync::mpsc::channel::<Instant>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async move {
            let mut senders = Vec::with_capacity(clients);
            for _ in 0..clients {
                match connect(addr).await {
                    Ok(s) => senders.push(s),
                    Err(e) => {
                        let _ = connected.send(Err(anyhow::anyhow!("connecting client {}: {e:#}", senders.len())));
                        return Ok(Outcome::default());
                    }
                }
            }
            let _ = connected.send(Ok(()));
            let until = until.recv()?;
            let tasks: Vec<_> = senders
                .into_iter()
                .enumerate()
                .map(|(i, s)| tokio::spawn(client(addr, s, format!("load-{run:x}-{clients}-{i}"), until, body)))
                .collect();
            let mut all = Outcome::default();
            for t in tasks {
                let o = t.await?;
                all.ms.extend(o.ms);
                all.errors += o.errors;
                if all.sample.is_none() {
                    all.sample = o.sample;
                }
            }
            Ok(all)
        })
    });
    ready.recv().map_err(|_| anyhow::anyhow!("the intake clients' thread ended before connecting"))??;
    Ok(Ready { thread, go })
}

/// One client: a connection, reopened after an error, and one tip at a time on it.
async fn client(
    addr: SocketAddr,
    connected: http1::SendRequest<Full<Bytes>>,
    keys: String,
    until: Instant,
    body: fn(u64) -> String,
) -> Outcome {
    let mut out = Outcome { ms: Vec::with_capacity(1 << 14), ..Outcome::default() };
    let host = addr.to_string();
    let mut sender = Some(connected);
    let mut n = 0u64;
    while Instant::now() < until && n < 10_000_000 {
        n += 1;
        let t0 = Instant::now();
        let result = tokio::time::timeout(TIMEOUT, async {
            if sender.is_none() {
                sender = Some(connect(addr).await?);
            }
            let s = sender.as_mut().expect("connected above");
            let request = Request::post("/api/v1/tips")
                .header(hyper::header::HOST, &host)
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", format!("{keys}-{n}"))
                .body(Full::new(Bytes::from(body(n))))?;
            s.ready().await?;
            let response = s.send_request(request).await?;
            let status = response.status();
            let text = response.into_body().collect().await?.to_bytes();
            anyhow::ensure!(status.as_u16() == 201, "{status} {}", String::from_utf8_lossy(&text));
            anyhow::Ok(())
        })
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("no answer within {TIMEOUT:?}")));
        match result {
            Ok(()) => out.ms.push(t0.elapsed().as_secs_f64() * 1e3),
            Err(e) => {
                out.errors += 1;
                out.sample.get_or_insert_with(|| format!("{e:#}"));
                // the connection may be half-way through an exchange: start a fresh one
                sender = None;
            }
        }
    }
    out
}

/// Opens a connection; its driver runs as a task until the connection closes.
async fn connect(addr: SocketAddr) -> anyhow::Result<http1::SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

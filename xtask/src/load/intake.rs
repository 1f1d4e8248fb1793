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

/// `clients` connections to `addr` file tips back to back until `until`, each under its own
/// idempotency key (prefixed by `run`); runs on a thread of its own, joined by the caller.
pub fn start(
    addr: SocketAddr,
    clients: usize,
    until: Instant,
    run: u64,
    body: fn(u64) -> String,
) -> std::thread::JoinHandle<anyhow::Result<Outcome>> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async move {
            let tasks: Vec<_> =
                (0..clients).map(|i| tokio::spawn(client(addr, format!("load-{run:x}-{clients}-{i}"), until, body))).collect();
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
    })
}

/// One client: a connection, reopened after an error, and one tip at a time on it.
async fn client(addr: SocketAddr, keys: String, until: Instant, body: fn(u64) -> String) -> Outcome {
    let mut out = Outcome { ms: Vec::with_capacity(1 << 14), ..Outcome::default() };
    let host = addr.to_string();
    let mut sender = None;
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

//! Serving connections under limits a slow or greedy client cannot get around: the request
//! head must arrive within a time limit, a connection with no byte either way for too long is
//! closed (a stalled body, an idle keep-alive), a body whose bytes stop is refused, and one
//! address holds at most so many connections at once. (`axum::serve` sets none of these.)

use crate::tls::ClientAddr;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The limits on every connection.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// The whole request head (request line and headers).
    pub header_read: Duration,
    /// A connection with no byte read or written for this long is closed. Above the event
    /// stream's keep-alive (15 s), so live consoles stay connected.
    pub idle: Duration,
    /// A request body whose next bytes take longer than this is refused.
    pub body_read: Duration,
    /// Connections at once from one address; loopback peers (this machine, or a proxy on it,
    /// which must do its own counting) are not counted unless `count_loopback`.
    pub per_client: usize,
    pub count_loopback: bool,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
            body_read: Duration::from_secs(30),
            per_client: 128,
            count_loopback: false,
        }
    }
}

/// Connections open per address.
#[derive(Default)]
struct Open(Mutex<HashMap<IpAddr, usize>>);

/// One counted connection; uncounted when dropped.
struct Slot(Arc<Open>, IpAddr);

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.0.0.lock()
            && let Some(n) = open.get_mut(&self.1)
        {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.1);
            }
        }
    }
}

impl Open {
    fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut open = self.0.lock().ok()?;
        let n = open.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot(self.clone(), ip))
    }
}

/// Serves `router` on connections from `listener` until `stop` turns true, then lets open
/// requests finish (at most 10 s).
pub async fn serve<L>(
    mut listener: L,
    router: axum::Router,
    limits: ConnectionLimits,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(limits.body_read));
    let open = Arc::new(Open::default());
    let (done_tx, mut done_rx) = tokio::sync::mpsc::channel::<()>(1);
    loop {
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped(&mut stop) => break,
        };
        let counted = limits.count_loopback || !peer.ip().is_loopback();
        let slot = if counted {
            match open.enter(peer.ip(), limits.per_client) {
                Some(slot) => Some(slot),
                // Over the limit: the connection is closed before anything is read.
                None => continue,
            }
        } else {
            None
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(ClientAddr(peer)));
            tower::ServiceExt::oneshot(router.clone(), req.map(axum::body::Body::new))
        });
        let io = TokioIo::new(Idle::new(io, limits.idle));
        let header_read = limits.header_read;
        let (mut stop, done) = (stop.clone(), done_tx.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let _done = done;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read)
                .serve_connection(io, service)
                .with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopped(&mut stop) => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(10), conn).await;
                }
            }
        });
    }
    drop(done_tx);
    // Every connection task holds a sender: when all are gone, so are the connections.
    let _ = tokio::time::timeout(Duration::from_secs(12), done_rx.recv()).await;
}

/// Resolves once `stop` is true (never, if its sender is gone without saying so).
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// A connection that fails once nothing has moved either way for `limit`.
struct Idle<T> {
    inner: T,
    limit: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<T> Idle<T> {
    fn new(inner: T, limit: Duration) -> Idle<T> {
        Idle { inner, limit, deadline: Box::pin(tokio::time::sleep(limit)) }
    }

    fn moved(&mut self) {
        let next = tokio::time::Instant::now() + self.limit;
        self.deadline.as_mut().reset(next);
    }

    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.deadline.as_mut().poll(cx).is_ready()
    }
}

fn timed_out() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, "the connection was idle too long")
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                self.moved();
                Poll::Ready(Ok(()))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.moved();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

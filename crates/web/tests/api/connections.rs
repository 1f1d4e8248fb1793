//! Connection limits a slow or greedy client cannot get around: a request head that never
//! ends, a body that stops, an idle keep-alive, too many connections from one address, and a
//! body that declares itself too large are all ended by the server.

use crate::helpers::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use web::serve::ConnectionLimits;

/// Tight limits, so the tests wait seconds, not minutes.
async fn strict() -> TestApp {
    let connection_limits = ConnectionLimits {
        header_read: Duration::from_secs(1),
        idle: Duration::from_secs(2),
        body_read: Duration::from_secs(1),
        per_client: 3,
        count_loopback: true,
    };
    spawn_app_with(web::state::Options { run_jobs: false, connection_limits, ..Default::default() }).await
}

/// What the server sends until it closes the connection, or `None` if it is still open after
/// `bound` (the server failed to end it).
async fn until_closed(stream: &mut TcpStream, bound: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(bound, read).await.ok()?;
    Some(String::from_utf8_lossy(&got).into_owned())
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.addr).await.unwrap()
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_cut_off() {
    let app = strict().await;
    let mut s = connect(&app).await;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: sightline\r\nX-Slow: ").await.unwrap();
    let answer = until_closed(&mut s, Duration::from_secs(10)).await;
    assert!(answer.is_some(), "the server still holds a connection whose headers never ended");
}

#[tokio::test]
async fn a_body_that_stops_is_cut_off() {
    let app = strict().await;
    let mut s = connect(&app).await;
    let head = "POST /api/v1/tips HTTP/1.1\r\nHost: sightline\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(br#"{"category":"#).await.unwrap();
    let answer = until_closed(&mut s, Duration::from_secs(10)).await.expect("the server waits for the body for ever");
    assert!(!answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert_eq!(app.tip_count().await, 0);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = strict().await;
    let mut s = connect(&app).await;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: sightline\r\n\r\n").await.unwrap();
    let answer = until_closed(&mut s, Duration::from_secs(10)).await.expect("an idle connection stays open");
    assert!(answer.starts_with("HTTP/1.1 200"), "the request itself was answered: {answer}");
}

#[tokio::test]
async fn one_address_holds_a_bounded_number_of_connections() {
    let app = strict().await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut s = connect(&app).await;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: sightline\r\n\r\n").await.unwrap();
        let mut first = [0u8; 12];
        s.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        held.push(s);
    }
    let mut extra = connect(&app).await;
    let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: sightline\r\n\r\n").await;
    let answer = until_closed(&mut extra, Duration::from_secs(1)).await.expect("a fourth connection is kept open");
    assert!(answer.is_empty(), "the fourth connection is closed unanswered: {answer}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200, "once they close, the address may connect again");
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    for (path, content_type, json) in
        [("/tips", "multipart/form-data; boundary=x", false), ("/api/v1/tips", "application/json", true)]
    {
        let mut s = connect(&app).await;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: sightline\r\nContent-Type: {content_type}\r\nContent-Length: 62914560\r\nConnection: close\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        // Not a byte of the 60 MB is sent: the answer comes anyway.
        let answer = until_closed(&mut s, Duration::from_secs(10)).await.expect("the server waits for the 60 MB");
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert_eq!(answer.contains(r#""field":"body""#), json, "{path}: {answer}");
    }
}

#[tokio::test]
async fn a_body_without_a_length_is_cut_off_at_the_limit_with_413() {
    let app = spawn_app().await;
    let mut s = connect(&app).await;
    let head = "POST /tips HTTP/1.1\r\nHost: sightline\r\nContent-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n";
    s.write_all(head.as_bytes()).await.unwrap();
    let mut part =
        b"--x\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"big.jpg\"\r\n\r\n".to_vec();
    part.resize(1024 * 1024, b'a');
    for _ in 0..60 {
        let chunk = [format!("{:x}\r\n", part.len()).into_bytes(), part.clone(), b"\r\n".to_vec()].concat();
        if s.write_all(&chunk).await.is_err() {
            break; // the server stopped reading: its answer is waiting
        }
        part = vec![b'a'; 1024 * 1024];
    }
    let answer = until_closed(&mut s, Duration::from_secs(20)).await.expect("the server kept the connection");
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(200)]);
}

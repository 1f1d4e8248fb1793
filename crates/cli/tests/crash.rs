//! Crash safety, short: four clients file tips with idempotency keys while the server is
//! SIGKILLed five times at random moments and restarted; unanswered requests are retried with
//! the same key and body. Afterwards every receipt opens its tip, every key still gives the same
//! receipt, the tip count equals the keys acknowledged, and the audit chain verifies.
//! (`cargo xtask crash` is the long version, on SQLite and PostgreSQL.)

use serde_json::{Value, json};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
const KILLS: usize = 5;
/// Every retry loop gives up after this; the test normally takes a few seconds.
const LIMIT: Duration = Duration::from_secs(40);

/// A running server, SIGKILLed when dropped (also when an assertion fails).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill(); // SIGKILL: no graceful shutdown
        let _ = self.0.wait();
    }
}

/// Starts `sightline serve` on a free port; returns it and its base URL.
fn serve(data: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("SIGHTLINE_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Sightline listening on ") {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Server(child), url)
}

/// A small xorshift, seeded from the clock: random enough for kill moments.
fn random_below(state: &mut u64, n: u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % n
}

struct Shared {
    http: reqwest::Client,
    url: RwLock<String>,
    stop: AtomicBool,
    /// (key, body, reference, passphrase) of every 201.
    acks: Mutex<Vec<(String, String, String, String)>>,
}

/// POSTs until a 201; no answer or a 5xx means the same key and body again.
async fn submit(s: &Shared, key: &str, body: &str) -> (String, String) {
    // Per call, as the doc of LIMIT says: the checks replay every key after the kills, and on a
    // slow machine (a debug build, a busy host) the whole run has outlasted one shared deadline.
    let deadline = Instant::now() + LIMIT;
    loop {
        assert!(Instant::now() < deadline, "key {key}: no 201 within {LIMIT:?}");
        let url = s.url.read().unwrap().clone();
        let sent = s
            .http
            .post(format!("{url}/api/v1/tips"))
            .header("idempotency-key", key)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await;
        if let Ok(r) = sent {
            let status = r.status().as_u16();
            if let Ok(text) = r.text().await {
                match status {
                    201 => {
                        let v: Value = serde_json::from_str(&text).expect("receipt JSON");
                        return (v["reference"].as_str().unwrap().into(), v["passphrase"].as_str().unwrap().into());
                    }
                    500..=599 => {}
                    _ => panic!("key {key}: unexpected {status}: {text}"),
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn client(s: Arc<Shared>, id: usize) {
    for seq in 0..100_000 {
        if s.stop.load(Ordering::SeqCst) {
            break;
        }
        let key = format!("crash-test-{id}-{seq}");
        let body = json!({"category": "other", "narrative": format!("Crash test tip {seq} from client {id} about the bus stop.")})
            .to_string();
        let (reference, passphrase) = submit(&s, &key, &body).await;
        s.acks.lock().unwrap().push((key, body, reference, passphrase));
    }
}

async fn run(data: &Path) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (mut server, url) = serve(data);
    let http = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let s =
        Arc::new(Shared { http, url: RwLock::new(url), stop: AtomicBool::new(false), acks: Mutex::new(Vec::new()) });
    let clients: Vec<_> = (0..CLIENTS).map(|id| tokio::spawn(client(s.clone(), id))).collect();
    use std::hash::{BuildHasher, Hasher};
    let mut rng = std::collections::hash_map::RandomState::new().build_hasher().finish() | 1;
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(100 + random_below(&mut rng, 900))).await;
        let data = data.to_owned();
        let (next, url) = tokio::task::spawn_blocking(move || {
            drop(server);
            serve(&data)
        })
        .await
        .unwrap();
        server = next;
        *s.url.write().unwrap() = url;
    }
    // Every client finishes the key it is working on, so no key is left without its receipt.
    s.stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.expect("client");
    }

    let acks = s.acks.lock().unwrap().clone();
    assert!(!acks.is_empty(), "no tip was acknowledged");
    let refs: HashSet<&str> = acks.iter().map(|a| a.2.as_str()).collect();
    assert_eq!(refs.len(), acks.len(), "two keys share a reference");
    let base = s.url.read().unwrap().clone();
    for (key, body, reference, passphrase) in &acks {
        assert_eq!(&submit(&s, key, body).await, &(reference.clone(), passphrase.clone()), "replay of {key}");
        let r = s
            .http
            .post(format!("{base}/api/v1/tipster/session"))
            .json(&json!({"reference": reference, "passphrase": passphrase}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "tipster session for {reference} (key {key})");
        let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
        let r = s.http.get(format!("{base}/api/v1/tipster/tip")).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["reference"], json!(reference));
    }
    let metrics = s.http.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    let total = metrics.lines().find_map(|l| l.strip_prefix("sightline_tips_received_total ")).expect("tip count");
    assert_eq!(total.trim().parse::<usize>().unwrap(), acks.len(), "tips stored != keys acknowledged");
    drop(server);
}

#[test]
fn no_receipted_tip_is_lost_or_duplicated_across_sigkills() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(dir.path()));
    let out = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["audit", "verify", "--data"])
        .arg(dir.path())
        .env("SIGHTLINE_LOG", "error")
        .output()
        .unwrap();
    assert!(out.status.success(), "audit verify: {}", String::from_utf8_lossy(&out.stderr));
}

//! The life-safety alarm probe: while the intake is under load, files a life-safety tip every
//! half second and times how long its first notification takes to reach the on-call webhook.
//!
//! The webhook receiver is a small axum server on 127.0.0.1 inside the load generator; the
//! agency's on-call contact points at it. A notification is matched to its tip by the
//! `reference` in its payload. The time runs from just before the tip is sent (so it includes
//! the intake's own latency: an upper bound on "from receipt") to the moment the webhook
//! request arrives.

use super::Stats;
use anyhow::Context;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the probe files a life-safety tip.
const EVERY: Duration = Duration::from_millis(500);
/// A notification later than this counts as missing.
const GIVE_UP: Duration = Duration::from_secs(30);

/// When each tip's first notification arrived, and the tier it gave, by reference.
type Arrivals = Arc<Mutex<HashMap<String, (Instant, String)>>>;

#[derive(Clone, Default)]
pub struct Receiver {
    pub url: String,
    arrivals: Arrivals,
}

impl Receiver {
    /// Binds 127.0.0.1:0 and serves `POST /hook` on the current runtime.
    pub async fn start() -> anyhow::Result<Receiver> {
        let arrivals: Arrivals = Arc::default();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post({
                let arrivals = arrivals.clone();
                move |body: String| {
                    let at = Instant::now();
                    let arrivals = arrivals.clone();
                    async move {
                        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                        if let Some(r) = v["data"]["reference"].as_str() {
                            let tier = v["data"]["tier"].as_str().unwrap_or_default().to_owned();
                            arrivals.lock().expect("arrivals").entry(r.to_owned()).or_insert((at, tier));
                        }
                        "ok"
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding the webhook receiver")?;
        let url = format!("http://{}/hook", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Receiver { url, arrivals })
    }

    fn arrival(&self, reference: &str) -> Option<(Instant, String)> {
        self.arrivals.lock().expect("arrivals").get(reference).cloned()
    }
}

/// What one probe run saw.
#[derive(Default)]
pub struct Alarms {
    /// Milliseconds from sending the tip to its first notification arriving.
    pub latency: Stats,
    /// Life-safety tips filed (201) during the run.
    pub filed: usize,
    /// Filed tips whose notification did not come within [`GIVE_UP`].
    pub missing: usize,
    /// Notifications that gave another tier than life-safety (the probe's text should always
    /// be rated life-safety).
    pub not_life_safety: usize,
    /// Requests that got no 201.
    pub errors: usize,
}

fn alarm_body(n: u64) -> String {
    serde_json::json!({
        "category": "planned_attack",
        "narrative": format!(
            "Alarm probe {n}: he told us at lunch he is going to shoot up the school tomorrow and showed me the gun in his backpack."
        ),
    })
    .to_string()
}

/// Files a life-safety tip every [`EVERY`] until `stop`, then waits for the outstanding
/// notifications (up to [`GIVE_UP`] each).
pub async fn probe(client: reqwest::Client, url: String, receiver: Receiver, stop: Arc<AtomicBool>) -> Alarms {
    let run: u64 = rand::random();
    let mut sent: Vec<(String, Instant)> = Vec::new();
    let mut out = Alarms::default();
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let t0 = Instant::now();
        let r = crate::serve::file_tip(&client, &url, &format!("alarm-{run:x}-{n}"), alarm_body(n)).send().await;
        let receipt = match r {
            Ok(r) if r.status().as_u16() == 201 => r.json::<serde_json::Value>().await.ok(),
            _ => None,
        };
        match receipt.as_ref().and_then(|v| v["reference"].as_str()) {
            Some(reference) => sent.push((reference.to_owned(), t0)),
            None => out.errors += 1,
        }
        tokio::time::sleep(EVERY.saturating_sub(t0.elapsed())).await;
    }
    out.filed = sent.len();
    let mut ms = Vec::new();
    for (reference, t0) in sent {
        loop {
            if let Some((at, tier)) = receiver.arrival(&reference) {
                ms.push(at.saturating_duration_since(t0).as_secs_f64() * 1e3);
                out.not_life_safety += usize::from(tier != "life_safety");
                break;
            }
            if t0.elapsed() > GIVE_UP {
                out.missing += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    out.latency = Stats::of(ms);
    out
}

//! The queue with a large backlog: files tips until the agency's queue holds the wanted number
//! of open tips, then, with nothing else running, times the staff queue page and the queue API.

use super::console::Session;
use super::{Stats, queue_api, queue_page, timed, tip_body};
use crate::serve;
use anyhow::Context;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Clients filing the top-up tips.
pub(super) const FILERS: usize = 64;
/// Timed requests of each kind.
pub(super) const SAMPLES: usize = 40;

pub struct Backlog {
    pub open_tips: u64,
    pub filled_in_seconds: f64,
    pub page: Stats,
    pub page_bytes: usize,
    pub api: Stats,
    pub api_bytes: usize,
    /// CPU the host took while the queue was timed, in cores (see [`serve::stolen_seconds`]).
    pub stolen: f64,
}

/// The number of tips the server has received (all stay open: nobody works the queue here).
async fn received(client: &reqwest::Client, url: &str) -> anyhow::Result<u64> {
    let text = client.get(format!("{url}/metrics")).send().await?.text().await?;
    let n = serve::metric(&text, "sightline_tips_received_total").unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Files tips until `target` are open, then times `GET /staff` and `GET /api/v1/tips`. With
/// `analyze` (a PostgreSQL URL) the tables' statistics are refreshed first, as autovacuum does
/// by itself within about a minute in a running system: right after a bulk load the planner
/// still believes the tables nearly empty and sorts the whole queue.
pub async fn measure(
    url: &str,
    token: &str,
    console: &Session,
    target: u64,
    analyze: Option<&str>,
) -> anyhow::Result<Backlog> {
    let client = serve::client(FILERS + 2, Duration::from_secs(60))?;
    let have = received(&client, url).await?;
    let missing = Arc::new(AtomicU64::new(target.saturating_sub(have)));
    let started = Instant::now();
    let run: u64 = rand::random();
    let filers: Vec<_> = (0..FILERS)
        .map(|i| {
            let (client, url, missing) = (client.clone(), url.to_owned(), missing.clone());
            tokio::spawn(async move {
                let mut n = 0u64;
                while missing.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |m| m.checked_sub(1)).is_ok() {
                    n += 1;
                    let key = format!("backlog-{run:x}-{i}-{n}");
                    // Retried with the same key until stored: the backlog must be exact.
                    for attempt in 0.. {
                        let r = serve::file_tip(&client, &url, &key, tip_body(n)).send().await;
                        match r {
                            Ok(r) if r.status().as_u16() == 201 => break,
                            Ok(r) if attempt >= 10 => anyhow::bail!("backlog tip: {}", r.status()),
                            Err(e) if attempt >= 10 => anyhow::bail!("backlog tip: {e}"),
                            _ => tokio::time::sleep(Duration::from_millis(100)).await,
                        }
                    }
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for f in filers {
        f.await??;
    }
    let filled_in_seconds = started.elapsed().as_secs_f64();
    let open_tips = received(&client, url).await?;
    // Let the background jobs settle (matching, notifications) before timing.
    tokio::time::sleep(Duration::from_secs(2)).await;
    if let Some(db) = analyze {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(db).await?;
        conn.execute("ANALYZE").await?;
        conn.close().await?;
    }
    let (mut page, mut api, mut page_bytes, mut api_bytes) = (Vec::new(), Vec::new(), 0, 0);
    let (stolen0, timing) = (serve::stolen_seconds(), Instant::now());
    for _ in 0..SAMPLES {
        let (ms, bytes) = timed(queue_page(&client, url, console)).await.context("the queue page")?;
        page.push(ms);
        page_bytes = bytes;
        let (ms, bytes) = timed(queue_api(&client, url, token)).await.context("the queue API")?;
        api.push(ms);
        api_bytes = bytes;
    }
    let stolen = serve::cores(stolen0, serve::stolen_seconds(), timing.elapsed().as_secs_f64());
    Ok(Backlog {
        open_tips,
        filled_in_seconds,
        page: Stats::of(page),
        page_bytes,
        api: Stats::of(api),
        api_bytes,
        stolen,
    })
}

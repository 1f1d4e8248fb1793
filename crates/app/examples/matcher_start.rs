//! How long the matcher takes to rebuild its index at start, every mention opened from the
//! store: `cargo run --release -p app --example matcher_start -- --mentions 1000000 --dir D`.
//!
//! Files tips through intake (sealed as the server seals them, four mentions each: two named
//! subjects with a date of birth and a phone or handle, and a phone and a handle in the
//! narrative) into a SQLite data folder, then opens that folder afresh, as a restarted server
//! would, and times `jobs::resolve::rebuild`. Prints one line of `key=value` figures.

use app::ctx::{Ctx, Options};
use app::outbound::{Webhook, WebhookSender};
use domain::tip::{Category, Narrative, NewTip, SubjectMention};
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::Instant;

struct NoWebhooks;

#[async_trait::async_trait]
impl WebhookSender for NoWebhooks {
    async fn post(&self, _hook: Webhook<'_>) -> Result<u16, String> {
        Err("no receivers in this benchmark".into())
    }
}

const FIRST: [&str; 24] = [
    "Liam", "Olivia", "Noah", "Emma", "Mateo", "Ava", "Elijah", "Sofia", "Lucas", "Mia", "Levi", "Isabella", "Ezra",
    "Amelia", "Asher", "Luna", "Leo", "Camila", "Kai", "Aria", "Jayden", "Zoe", "Mason", "Nora",
];
const LAST: [&str; 24] = [
    "Garcia", "Smith", "Johnson", "Nguyen", "Patel", "Kowalski", "Okafor", "Brown", "Lopez", "Kim", "Müller", "Rossi",
    "Haddad", "Silva", "Cohen", "Ivanova", "Tanaka", "Walsh", "Reyes", "Dubois", "Novak", "Osei", "Park", "Fischer",
];

fn person(rng: &mut impl Rng) -> (String, String) {
    let name = format!(
        "{} {}{}",
        FIRST[rng.random_range(0..FIRST.len())],
        LAST[rng.random_range(0..LAST.len())],
        // Surnames with a suffix, so names repeat about as often as in a county's tips.
        ["", "-Hart", "son", "ez", "ová", "i"][rng.random_range(0..6)]
    );
    let dob = format!("{}-{:02}-{:02}", rng.random_range(1995..2014), rng.random_range(1..13), rng.random_range(1..29));
    (name, dob)
}

fn phone(rng: &mut impl Rng) -> String {
    format!("{}-555-{:04}", rng.random_range(200..990), rng.random_range(0..10_000))
}

fn tip(rng: &mut impl Rng) -> anyhow::Result<NewTip> {
    let (a, a_dob) = person(rng);
    let (b, b_dob) = person(rng);
    let handle = format!("@{}{}", a.split(' ').next().unwrap_or("x").to_lowercase(), rng.random_range(0..100_000));
    let narrative = format!(
        "{a} keeps texting {b} threats from {} and posts as {} about bringing something on Friday.",
        phone(rng),
        format_args!("@{}_{}", b.split(' ').next().unwrap_or("x").to_lowercase(), rng.random_range(0..100_000)),
    );
    Ok(NewTip {
        category: Category::Threat,
        narrative: Narrative::parse(&narrative).map_err(|e| anyhow::anyhow!("{e}"))?,
        language: None,
        location: None,
        site_id: None,
        subjects: vec![
            SubjectMention { name: Some(a), dob: Some(a_dob), phone: Some(phone(rng)), ..Default::default() },
            SubjectMention { name: Some(b), dob: Some(b_dob), handles: vec![handle], ..Default::default() },
        ],
        contact: None,
    })
}

async fn open(dir: &std::path::Path) -> anyhow::Result<Ctx> {
    let secrets = vault::secrets::Secrets::load_or_create(dir)?;
    let store: Arc<dyn store::Store> = Arc::new(store::SqlStore::open_sqlite(dir).await?);
    app::chain::load_key(store.as_ref(), &secrets).await?;
    Ctx::new(store, Arc::new(app::clock::SystemClock), secrets, Options::default(), Arc::new(NoWebhooks))
}

fn rss_mib() -> f64 {
    // Off Linux there is no figure: the report shows 0 rather than failing the benchmark.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_else(|_| String::new());
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut mentions = 1_000_000usize;
    let mut dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mentions" => {
                mentions = args.next().and_then(|v| v.parse().ok()).ok_or(anyhow::anyhow!("--mentions N"))?
            }
            "--dir" => dir = args.next().map(std::path::PathBuf::from),
            other => anyhow::bail!("unknown option {other:?}; usage: matcher_start [--mentions N] --dir D"),
        }
    }
    let dir = dir.ok_or(anyhow::anyhow!("--dir D: an empty folder for the data"))?;
    let tips = mentions.div_ceil(4);
    let filing = Instant::now();
    {
        let ctx = open(&dir).await?;
        let mut workers = Vec::new();
        for w in 0..64u64 {
            let ctx = ctx.clone();
            workers.push(tokio::spawn(async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(w);
                for _ in (w as usize..tips).step_by(64) {
                    app::intake::file_tip(&ctx, tip(&mut rng)?, &[], None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                }
                anyhow::Ok(())
            }));
        }
        for (done, w) in workers.into_iter().enumerate() {
            w.await??;
            eprintln!("filing: {} of 64 workers done, {:.0} s", done + 1, filing.elapsed().as_secs_f64());
        }
    }
    let filed_s = filing.elapsed().as_secs_f64();
    let ctx = open(&dir).await?;
    let before = rss_mib();
    let started = Instant::now();
    let held = app::jobs::resolve::rebuild(&ctx).await?;
    let rebuild_s = started.elapsed().as_secs_f64();
    println!(
        "tips={tips} mentions={held} filed_s={filed_s:.1} rebuild_s={rebuild_s:.2} per_mention_us={:.2} index_mib={:.0}",
        rebuild_s * 1e6 / held.max(1) as f64,
        rss_mib() - before
    );
    Ok(())
}

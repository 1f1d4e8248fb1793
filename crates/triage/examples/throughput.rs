//! Triage throughput on one thread: the corpus's own narratives as written, and ~1 KB ones
//! built by joining them. Prints one line per set:
//! `set <name> size <narratives in the set> narratives <assessed> bytes <mean> seconds <s>
//! life_safety <of the set>`.
//!
//! `cargo run --release -p triage --example throughput [-- --seconds 3]`

use std::time::{Duration, Instant};

use triage::{TriageInput, assess};

const CORPUS: &str = include_str!("../tests/corpus/dev/seed.txt");

/// The corpus's narratives, one per entry (lines up to the next header joined).
fn corpus_narratives() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in CORPUS.lines() {
        if line.starts_with("===") {
            out.push(String::new());
        } else if !line.starts_with('#')
            && !line.trim().is_empty()
            && let Some(last) = out.last_mut()
        {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(line.trim());
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

/// Narratives of at least `size` bytes, each starting at a different corpus entry.
fn joined(narratives: &[String], size: usize) -> Vec<String> {
    (0..narratives.len())
        .map(|start| {
            let mut text = String::new();
            let mut i = start;
            while text.len() < size {
                text.push_str(&narratives[i % narratives.len()]);
                text.push(' ');
                i += 1;
            }
            text
        })
        .collect()
}

fn assess_one(text: &str) -> domain::urgency::Tier {
    assess(&TriageInput::narrative(text)).tier
}

/// Assesses the set round after round for at least `budget`; (assessments, seconds).
fn run(set: &[String], budget: Duration) -> (usize, f64) {
    let started = Instant::now();
    let mut n = 0usize;
    while started.elapsed() < budget {
        for text in set {
            std::hint::black_box(assess_one(text));
            n += 1;
        }
    }
    (n, started.elapsed().as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: f64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let corpus = corpus_narratives();
    for (name, set) in [("corpus", corpus.clone()), ("1kb", joined(&corpus, 1024))] {
        let bytes = set.iter().map(String::len).sum::<usize>() / set.len();
        // One untimed pass counts the set's life-safety tips; the first also builds the lexicon
        // automata, which stays out of the timed rounds.
        let life_safety = set.iter().filter(|t| assess_one(t) == domain::urgency::Tier::LifeSafety).count();
        let (n, secs) = run(&set, Duration::from_secs_f64(seconds));
        println!(
            "set {name} size {} narratives {n} bytes {bytes} seconds {secs:.4} life_safety {life_safety}",
            set.len()
        );
    }
}

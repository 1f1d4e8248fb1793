//! Triage throughput on one thread: the corpus's own narratives as written, and ~1 KB ones
//! built by joining them. Prints one line per set:
//! `set <name> narratives <n> bytes <mean> seconds <s> life_safety <k>`.
//!
//! `cargo run --release -p triage --example throughput [-- --seconds 3]`

use std::time::{Duration, Instant};

use domain::tip::Category;
use triage::{TriageInput, assess};

const CORPUS: &str = include_str!("../tests/corpus/tips.txt");

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

/// Assesses the set round after round for at least `budget`; (assessments, seconds, life-safety).
fn run(set: &[String], budget: Duration) -> (usize, f64, usize) {
    let started = Instant::now();
    let (mut n, mut life_safety) = (0usize, 0usize);
    while started.elapsed() < budget {
        for text in set {
            let input = TriageInput {
                category: Category::Other,
                narrative: text,
                language: None,
                named_subject: false,
                registered_site: false,
            };
            life_safety += usize::from(assess(&input).tier == domain::urgency::Tier::LifeSafety);
            n += 1;
        }
    }
    (n, started.elapsed().as_secs_f64(), life_safety)
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
    // The first assessment builds the lexicon automata; keep that out of the figures.
    run(&corpus[..1], Duration::ZERO);
    for (name, set) in [("corpus", corpus.clone()), ("1kb", joined(&corpus, 1024))] {
        let bytes = set.iter().map(String::len).sum::<usize>() / set.len();
        let (n, secs, life_safety) = run(&set, Duration::from_secs_f64(seconds));
        println!("set {name} narratives {n} bytes {bytes} seconds {secs:.4} life_safety {life_safety}");
    }
}

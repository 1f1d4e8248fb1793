//! Measures assessments per second on ~1 KB narratives built from the test corpus.
//!
//! `cargo run --release --example throughput`

use std::time::Instant;

use domain::tip::Category;
use triage::{TriageInput, assess};

const CORPUS: &str = include_str!("../tests/corpus/tips.txt");

fn main() {
    let sentences: Vec<&str> =
        CORPUS.lines().filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("===")).collect();
    let mut narratives = Vec::new();
    for start in 0..sentences.len() {
        let mut text = String::new();
        let mut i = start;
        while text.len() < 1024 {
            text.push_str(sentences[i % sentences.len()]);
            text.push(' ');
            i += 1;
        }
        narratives.push(text);
    }
    let rounds = 200;
    let started = Instant::now();
    let mut life_safety = 0usize;
    for _ in 0..rounds {
        for text in &narratives {
            let input = TriageInput {
                category: Category::Other,
                narrative: text,
                language: None,
                named_subject: false,
                registered_site: false,
            };
            life_safety += usize::from(assess(&input).tier == domain::urgency::Tier::LifeSafety);
        }
    }
    let n = rounds * narratives.len();
    let secs = started.elapsed().as_secs_f64();
    let bytes: usize = narratives.iter().map(String::len).sum::<usize>() / narratives.len();
    println!(
        "{n} assessments of ~{bytes} B in {secs:.2}s: {:.0}/s on one core ({life_safety} life-safety)",
        n as f64 / secs
    );
}

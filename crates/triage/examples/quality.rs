//! Triage quality on the labelled corpus, per part (development, held-out) and language: one
//! line each, read by `cargo xtask bench triage`:
//! `quality part <dev|heldout> language <en|es> n <entries> exact <matches> life_safety <n>
//! life_safety_lower <scored below life safety> benign_high <informational scored urgent or
//! above> confusion <16 counts, expected row by got column, tiers most urgent first>`.
//!
//! `cargo run --release -p triage --example quality -- crates/triage/tests/corpus`

use domain::tip::Language;
use domain::urgency::Tier;
use triage::corpus::{Entry, parse};
use triage::{TriageInput, assess};

fn read_part(root: &str, part: &str) -> Vec<Entry> {
    let dir = format!("{root}/{part}");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            parse(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| "crates/triage/tests/corpus".into());
    for part in ["dev", "heldout"] {
        let entries = read_part(&root, part);
        for language in [Language::En, Language::Es] {
            let mut confusion = [[0u32; 4]; 4];
            for e in entries.iter().filter(|e| e.language == language) {
                let input = TriageInput {
                    category: e.category,
                    narrative: &e.narrative,
                    language: None,
                    named_subject: e.subject,
                    registered_site: e.site,
                };
                let got = assess(&input).tier;
                confusion[e.expected as usize][got as usize] += 1;
            }
            let n: u32 = confusion.iter().flatten().sum();
            let exact: u32 = (0..4).map(|i| confusion[i][i]).sum();
            let ls = Tier::LifeSafety as usize;
            let life_safety: u32 = confusion[ls].iter().sum();
            let lower = life_safety - confusion[ls][ls];
            let info = Tier::Informational as usize;
            let benign_high = confusion[info][Tier::LifeSafety as usize] + confusion[info][Tier::Urgent as usize];
            let cells: Vec<String> = confusion.iter().flatten().map(u32::to_string).collect();
            println!(
                "quality part {part} language {} n {n} exact {exact} life_safety {life_safety} life_safety_lower {lower} benign_high {benign_high} confusion {}",
                language.code(),
                cells.join(",")
            );
        }
    }
}

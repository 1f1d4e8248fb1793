//! Corpus test: every tip in `tests/corpus/tips.txt` scored and compared with an analyst's tier.

use std::fmt::Write as _;

use domain::tip::{Category, Language};
use domain::urgency::Tier;
use triage::{TriageInput, assess, detect_language};

const CORPUS: &str = include_str!("corpus/tips.txt");
/// Least share of entries whose tier must match the analyst's exactly.
const MIN_AGREEMENT: f64 = 0.90;

struct Entry {
    id: String,
    category: Category,
    language: Language,
    expected: Tier,
    site: bool,
    subject: bool,
    narrative: String,
}

fn parse(text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix("=== ") {
            let fields: Vec<&str> = header.split('|').map(str::trim).collect();
            assert!(fields.len() == 4 || fields.len() == 5, "bad header: {line}");
            let flags = fields.get(4).copied().unwrap_or("");
            entries.push(Entry {
                id: fields[0].to_owned(),
                category: Category::parse(fields[1]).unwrap_or_else(|| panic!("bad category: {line}")),
                language: Language::parse(fields[2]).unwrap_or_else(|| panic!("bad language: {line}")),
                expected: Tier::parse(fields[3]).unwrap_or_else(|| panic!("bad tier: {line}")),
                site: flags.split(',').any(|f| f.trim() == "site"),
                subject: flags.split(',').any(|f| f.trim() == "subject"),
                narrative: String::new(),
            });
        } else if let Some(entry) = entries.last_mut() {
            if !line.trim().is_empty() {
                if !entry.narrative.is_empty() {
                    entry.narrative.push('\n');
                }
                entry.narrative.push_str(line.trim());
            }
        } else {
            assert!(line.trim().is_empty(), "text before the first entry: {line}");
        }
    }
    entries
}

struct Outcome {
    summary: String,
    mismatches: Vec<String>,
    agreement: f64,
    life_safety_missed: Vec<String>,
}

/// Scores every entry; one summary line each.
fn check(entries: &[Entry]) -> Outcome {
    let mut summary = String::new();
    let mut mismatches = Vec::new();
    let mut life_safety_missed = Vec::new();
    for e in entries {
        let input = TriageInput {
            category: e.category,
            narrative: &e.narrative,
            language: None,
            named_subject: e.subject,
            registered_site: e.site,
        };
        let a = assess(&input);
        let codes: Vec<&str> = a.factors.iter().map(|f| f.kind.code()).collect();
        let mark = if a.tier == e.expected { "  " } else { "!!" };
        let line = format!(
            "{mark} {} expected={} got={} rule={} factors=[{}]",
            e.id,
            e.expected.code(),
            a.tier.code(),
            a.rule,
            codes.join(",")
        );
        writeln!(summary, "{line}").unwrap_or(());
        if a.tier != e.expected {
            mismatches.push(line.clone());
        }
        if e.expected == Tier::LifeSafety && a.tier > Tier::Urgent {
            life_safety_missed.push(line);
        }
    }
    let agreement = (entries.len() - mismatches.len()) as f64 / entries.len().max(1) as f64;
    writeln!(summary, "agreement: {}/{} = {:.1}%", entries.len() - mismatches.len(), entries.len(), agreement * 100.0)
        .unwrap_or(());
    Outcome { summary, mismatches, agreement, life_safety_missed }
}

#[test]
fn corpus_is_large_and_bilingual() {
    let entries = parse(CORPUS);
    let spanish = entries.iter().filter(|e| e.language == Language::Es).count();
    assert!(entries.len() >= 90, "{} entries", entries.len());
    assert!(spanish >= 30, "{spanish} Spanish entries");
    let mut ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), entries.len(), "duplicate ids");
}

#[test]
fn corpus_tiers_match_analysts() {
    let outcome = check(&parse(CORPUS));
    expect_test::expect_file!["corpus.snap"].assert_eq(&outcome.summary);
    println!("agreement {:.1}%; mismatches:", outcome.agreement * 100.0);
    for m in &outcome.mismatches {
        println!("{m}");
    }
    assert!(
        outcome.life_safety_missed.is_empty(),
        "life-safety tips scored below urgent: {:#?}",
        outcome.life_safety_missed
    );
    assert!(outcome.agreement >= MIN_AGREEMENT, "agreement {:.1}% is below 90%", outcome.agreement * 100.0);
}

#[test]
fn corpus_languages_are_detected() {
    let wrong: Vec<String> =
        parse(CORPUS).iter().filter(|e| detect_language(&e.narrative) != e.language).map(|e| e.id.clone()).collect();
    assert!(wrong.is_empty(), "language misdetected: {wrong:?}");
}

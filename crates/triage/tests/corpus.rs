//! Corpus test: every labelled narrative in `tests/corpus/` scored and compared with the
//! analyst's tier (`tests/corpus/GUIDE.md`). The development part must agree; the held-out part
//! is only recorded (its figures are `cargo xtask bench triage`'s), so nobody tunes against it.

use std::fmt::Write as _;

use domain::tip::Language;
use domain::urgency::Tier;
use triage::corpus::{Entry, parse};
use triage::{TriageInput, assess, detect_language};

const DEV: [&str; 5] = [
    include_str!("corpus/dev/seed.txt"),
    include_str!("corpus/dev/en-extra.txt"),
    include_str!("corpus/dev/es-extra.txt"),
    include_str!("corpus/dev/en-more.txt"),
    include_str!("corpus/dev/es-more.txt"),
];
const HELDOUT: [&str; 2] = [include_str!("corpus/heldout/en.txt"), include_str!("corpus/heldout/es.txt")];
/// Least share of development entries whose tier must match the analyst's exactly.
const MIN_AGREEMENT: f64 = 0.90;

fn entries(files: &[&str]) -> Vec<Entry> {
    files.iter().flat_map(|f| parse(f).unwrap_or_else(|e| panic!("corpus: {e}"))).collect()
}

struct Outcome {
    summary: String,
    mismatches: Vec<String>,
    agreement: f64,
    life_safety_lower: Vec<String>,
}

/// Scores every entry; one summary line each: tier, rule and factors with their evidence count.
fn check(entries: &[Entry]) -> Outcome {
    let mut summary = String::new();
    let mut mismatches = Vec::new();
    let mut life_safety_lower = Vec::new();
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
        if e.expected == Tier::LifeSafety && a.tier != Tier::LifeSafety {
            life_safety_lower.push(line);
        }
    }
    let agreement = (entries.len() - mismatches.len()) as f64 / entries.len().max(1) as f64;
    writeln!(summary, "agreement: {}/{} = {:.1}%", entries.len() - mismatches.len(), entries.len(), agreement * 100.0)
        .unwrap_or(());
    Outcome { summary, mismatches, agreement, life_safety_lower }
}

#[test]
fn corpus_is_large_bilingual_and_split() {
    let dev = entries(&DEV);
    let held = entries(&HELDOUT);
    let all: Vec<&Entry> = dev.iter().chain(&held).collect();
    let spanish = all.iter().filter(|e| e.language == Language::Es).count();
    assert!(all.len() >= 400, "{} entries", all.len());
    assert!(spanish >= 150, "{spanish} Spanish entries");
    for language in [Language::En, Language::Es] {
        let held_here = held.iter().filter(|e| e.language == language).count();
        assert!(held_here >= 50, "{held_here} held-out entries in {language:?}");
    }
    let mut ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "duplicate ids");
}

#[test]
fn development_tiers_match_analysts() {
    let outcome = check(&entries(&DEV));
    expect_test::expect_file!["corpus-dev.snap"].assert_eq(&outcome.summary);
    println!("agreement {:.1}%; mismatches:", outcome.agreement * 100.0);
    for m in &outcome.mismatches {
        println!("{m}");
    }
    assert!(outcome.life_safety_lower.is_empty(), "life-safety tips scored lower: {:#?}", outcome.life_safety_lower);
    assert!(outcome.agreement >= MIN_AGREEMENT, "agreement {:.1}% is below 90%", outcome.agreement * 100.0);
}

#[test]
fn held_out_tiers_are_recorded() {
    let outcome = check(&entries(&HELDOUT));
    expect_test::expect_file!["corpus-heldout.snap"].assert_eq(&outcome.summary);
}

#[test]
fn corpus_languages_are_detected() {
    let wrong: Vec<String> = entries(&DEV)
        .iter()
        .chain(&entries(&HELDOUT))
        .filter(|e| detect_language(&e.narrative) != e.language)
        .map(|e| e.id.clone())
        .collect();
    assert!(wrong.is_empty(), "language misdetected: {wrong:?}");
}

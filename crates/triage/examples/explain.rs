//! Prints the assessment of each argument (or of stdin) with its evidence spans; with
//! `--corpus FILE`, of every entry of a corpus file whose tier differs from the analyst's.
//!
//! `cargo run -p triage --example explain -- "he said he is going to shoot up the school tomorrow"`
//! `cargo run -p triage --example explain -- --corpus crates/triage/tests/corpus/dev/seed.txt`

use std::io::Read as _;

use domain::urgency::Assessment;
use triage::{TriageInput, assess, detect_language};

fn show(text: &str, a: &Assessment) {
    println!("{} [{}] {} ({})", a.tier.code(), detect_language(text).code(), a.rule, a.rule_text);
    for f in &a.factors {
        let spans: Vec<String> = f.evidence.iter().map(|s| format!("{:?}", s.text)).collect();
        println!("  {}: {}", f.kind.code(), spans.join(", "));
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--corpus") {
        for path in &args[1..] {
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            for e in triage::corpus::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}")) {
                let input = TriageInput {
                    category: e.category,
                    narrative: &e.narrative,
                    language: None,
                    named_subject: e.subject,
                    registered_site: e.site,
                };
                let a = assess(&input);
                if a.tier != e.expected {
                    println!("\n{} {} expected {}: {}", e.id, e.category.code(), e.expected.code(), e.narrative);
                    show(&e.narrative, &a);
                }
            }
        }
        return;
    }
    if args.is_empty() {
        let mut stdin = String::new();
        if std::io::stdin().read_to_string(&mut stdin).is_ok() {
            args.push(stdin);
        }
    }
    for text in &args {
        show(text, &assess(&TriageInput::narrative(text)));
    }
}

//! Prints the assessment of each argument (or of stdin) with its evidence spans.
//!
//! `cargo run --example explain -- "he said he is going to shoot up the school tomorrow"`

use std::io::Read as _;

use triage::{TriageInput, assess, detect_language};

fn main() {
    let mut texts: Vec<String> = std::env::args().skip(1).collect();
    if texts.is_empty() {
        let mut stdin = String::new();
        if std::io::stdin().read_to_string(&mut stdin).is_ok() {
            texts.push(stdin);
        }
    }
    for text in &texts {
        let a = assess(&TriageInput::narrative(text));
        println!("{} [{}] {} ({})", a.tier.code(), detect_language(text).code(), a.rule, a.rule_text);
        for f in &a.factors {
            let spans: Vec<String> =
                f.evidence.iter().map(|s| format!("{}..{} {:?}", s.start, s.end, s.text)).collect();
            println!("  {}: {}", f.kind.code(), spans.join(", "));
        }
    }
}

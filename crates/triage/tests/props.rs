//! Property tests: any Unicode input is assessed without panicking, with valid evidence spans.

use domain::tip::{Category, Language};
use proptest::prelude::*;
use triage::{TriageInput, assess, detect_language};

fn check(text: &str, language: Option<Language>) -> Result<(), TestCaseError> {
    let a = assess(&TriageInput { category: Category::Threat, language, ..TriageInput::narrative(text) });
    for f in &a.factors {
        for s in &f.evidence {
            prop_assert!(s.start < s.end, "empty span {s:?}");
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            prop_assert_eq!(text.get(s.start..s.end), Some(s.text.as_str()));
        }
    }
    let _ = detect_language(text);
    Ok(())
}

/// Fragments that exercise the lexicon, mixed with arbitrary text.
const WORDS: &[&str] = &[
    "gonna",
    "shoot up",
    "the school",
    "glock",
    "tomorrow",
    "no",
    "never",
    "don't",
    "kms",
    "kill myself",
    "va a matar",
    "mañana",
    "MAÑANA",
    "cuete",
    "3/14",
    "march 3",
    "3 de marzo",
    "joke",
    "not a joke",
    "Mr.",
    "Dalton",
    "hit list",
    "İ",
    "ß",
    "ﬁ",
    "\u{301}",
    "e\u{301}",
    "’",
    "-",
    ".",
    " ",
    "😡",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_unicode_never_panics(text in any::<String>()) {
        check(&text, None)?;
    }

    #[test]
    fn lexicon_soup_gives_valid_spans(
        parts in prop::collection::vec((prop::sample::select(WORDS), any::<String>(), 0u8..3), 0..40),
    ) {
        let mut text = String::new();
        for (word, noise, mode) in parts {
            match mode {
                0 => text.push_str(word),
                1 => { text.push_str(word); text.push(' '); }
                _ => text.push_str(&noise.chars().take(3).collect::<String>()),
            }
        }
        check(&text, Some(Language::Es))?;
        check(&text, Some(Language::En))?;
    }
}

#[test]
/// Repetitive worst cases finish and stay valid. Their speed is measured by the benchmark,
/// not asserted here: timing asserts fail on loaded machines for reasons unrelated to the code.
fn adversarial_inputs_are_handled() {
    let cases = [
        "he is going to kill Bob with a gun tomorrow. ".repeat(450),
        "va a matar ".repeat(1800),
        format!("matar{}", "a".repeat(20_000)),
        "no ".repeat(6000),
        "3/".repeat(9000),
        "é\u{301}\u{301}".repeat(5000),
    ];
    for text in &cases {
        check(text, None).unwrap_or_else(|e| panic!("{e}"));
    }
}

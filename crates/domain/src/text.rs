//! Text people type, made safe to keep: control characters (NUL, escapes, carriage returns)
//! are removed except newlines and tabs, and text a person could not see — only spaces,
//! zero-width or other invisible characters — counts as empty.

use crate::FieldError;

/// `raw` without control characters other than newline and tab.
pub fn clean(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
}

/// Whether a person could see `c`: not whitespace, not a control, not an invisible format
/// character (zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen,
/// direction marks and isolates, variation selectors, tag characters).
pub fn is_visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{E0000}'..='\u{E0FFF}'))
}

/// Cleaned and trimmed; `None` when nothing in it is visible.
pub fn visible(raw: &str) -> Option<String> {
    let cleaned = clean(raw);
    let trimmed = cleaned.trim_matches(|c: char| !is_visible(c));
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A required text field: cleaned and trimmed, with something visible, at most `max` characters.
pub fn required(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = visible(raw).ok_or_else(|| {
        let why = if raw.trim().is_empty() { "must not be empty" } else { "has no visible character" };
        FieldError::new(field, why)
    })?;
    let chars = text.chars().count();
    if chars > max {
        return Err(FieldError::new(field, format!("is {chars} characters; the limit is {max}")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters() {
        let shown = |raw: &str| match required("f", raw, 20) {
            Ok(t) => format!("{raw:?} -> {t:?}"),
            Err(e) => format!("{raw:?} -> refused: {}", e.reason),
        };
        let out: Vec<String> = [
            "He said\u{0} he has a gun",
            "  line one\r\nline two\t!  ",
            "\u{200B}\u{200C}\u{200D}\u{FEFF}",
            "\u{0}\u{0}\u{0}",
            "   ",
            "\u{2060}Jo\u{200D}rdan\u{200B}",
            "\u{1b}[31mred",
            "a very long text, far over twenty",
        ]
        .iter()
        .map(|r| shown(r))
        .collect();
        expect_test::expect![[r#"
            "He said\0 he has a gun" -> "He said he has a gun"
            "  line one\r\nline two\t!  " -> "line one\nline two\t!"
            "\u{200b}\u{200c}\u{200d}\u{feff}" -> refused: has no visible character
            "\0\0\0" -> refused: has no visible character
            "   " -> refused: must not be empty
            "\u{2060}Jo\u{200d}rdan\u{200b}" -> "Jo\u{200d}rdan"
            "\u{1b}[31mred" -> "[31mred"
            "a very long text, far over twenty" -> refused: is 33 characters; the limit is 20"#]]
        .assert_eq(&out.join("\n"));
    }
}

//! CSV cells for the exports (the queue, the audit trail): quoted, and defused so a
//! spreadsheet opening the file runs no formula a tipster or anyone else wrote into a cell.

/// `s` as one quoted CSV cell; text a spreadsheet would read as a formula (starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe.
pub fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused_and_quotes_doubled() {
        let cells: Vec<String> =
            ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "plain \"quoted\""].map(super::cell).to_vec();
        expect_test::expect![[r#"
            "'=HYPERLINK(""http://x"")"
            "'+1"
            "'-2"
            "'@SUM(A1)"
            "'	x"
            "plain ""quoted""""#]]
        .assert_eq(&cells.join("\n"));
    }
}

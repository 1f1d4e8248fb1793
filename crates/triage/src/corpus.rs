//! The labelled-corpus format (`tests/corpus/GUIDE.md`): narratives with the tier an analyst
//! gave them, read by the corpus test and the quality benchmark, written by the feedback export.

use std::fmt::Write as _;

use domain::tip::{Category, Language};
use domain::urgency::Tier;

/// One labelled narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub category: Category,
    pub language: Language,
    pub expected: Tier,
    /// Attached to a registered school or site.
    pub site: bool,
    /// A subject person named in the tip's own fields.
    pub subject: bool,
    pub narrative: String,
}

/// Reads a corpus file. Errors name the line.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries: Vec<Entry> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = |what: &str| format!("line {}: {what}: {line}", n + 1);
        if line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix("=== ") {
            let fields: Vec<&str> = header.split('|').map(str::trim).collect();
            if !(fields.len() == 4 || fields.len() == 5) {
                return Err(at("a header has 4 or 5 fields"));
            }
            let flags: Vec<&str> = fields.get(4).map_or(Vec::new(), |f| f.split(',').map(str::trim).collect());
            if let Some(bad) = flags.iter().find(|f| !matches!(**f, "site" | "subject" | "")) {
                return Err(at(&format!("unknown flag {bad:?}")));
            }
            entries.push(Entry {
                id: fields[0].to_owned(),
                category: Category::parse(fields[1]).ok_or_else(|| at("unknown category"))?,
                language: Language::parse(fields[2]).ok_or_else(|| at("unknown language"))?,
                expected: Tier::parse(fields[3]).ok_or_else(|| at("unknown tier"))?,
                site: flags.contains(&"site"),
                subject: flags.contains(&"subject"),
                narrative: String::new(),
            });
        } else if let Some(entry) = entries.last_mut() {
            if !line.trim().is_empty() {
                if !entry.narrative.is_empty() {
                    entry.narrative.push('\n');
                }
                entry.narrative.push_str(line.trim());
            }
        } else if !line.trim().is_empty() {
            return Err(at("text before the first entry"));
        }
    }
    if let Some(empty) = entries.iter().find(|e| e.narrative.is_empty()) {
        return Err(format!("entry {} has no narrative", empty.id));
    }
    Ok(entries)
}

/// Writes one entry in the corpus format. Lines of the narrative that would read as a header
/// or a comment are indented so they stay narrative.
pub fn write(entry: &Entry) -> String {
    let mut flags = Vec::new();
    if entry.site {
        flags.push("site");
    }
    if entry.subject {
        flags.push("subject");
    }
    let mut out =
        format!("=== {} | {} | {} | {}", entry.id, entry.category.code(), entry.language.code(), entry.expected.code());
    if !flags.is_empty() {
        let _ = write!(out, " | {}", flags.join(","));
    }
    out.push('\n');
    for line in entry.narrative.lines().filter(|l| !l.trim().is_empty()) {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with("===") {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_entries_parse_back() {
        let entry = Entry {
            id: "fb-1".into(),
            category: Category::Threat,
            language: Language::Es,
            expected: Tier::Urgent,
            site: true,
            subject: false,
            narrative: "dijo que\n=== no es un encabezado\n# ni un comentario".into(),
        };
        let back = parse(&write(&entry)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].narrative, "dijo que\n=== no es un encabezado\n# ni un comentario");
        assert_eq!(Entry { narrative: back[0].narrative.clone(), ..entry }, back[0]);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("=== a | nope | en | urgent\ntext").err().unwrap_or_else(|| panic!("accepted a bad category"));
        assert!(err.starts_with("line 1: unknown category"), "{err}");
    }
}

//! Writing a measured section into `BENCHMARKS.md` for `crash` and `load`: the machine it ran
//! on, the date, and replacing only the text between a section's own begin/end markers so the
//! sections other commands write are kept as they are.

use crate::project_root;
use std::process::Command;

/// Facts about the machine a measurement ran on.
pub struct Host {
    pub cpu: String,
    pub cores: usize,
    pub mem_gib: f64,
    pub os: String,
    pub kernel: String,
    pub rustc: String,
    /// The nice value of this process (the programs it starts inherit it).
    pub nice: String,
}

/// Reads the machine's facts from /proc, /etc/os-release and `rustc --version`.
pub fn host() -> Host {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(|| "unknown".to_owned(), |(_, v)| v.trim().to_owned());
    let mem_kib: f64 = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map_or_else(|| std::env::consts::OS.to_owned(), |s| s.trim_matches('"').to_owned());
    // field 19 of /proc/self/stat is the nice value
    let stat = read("/proc/self/stat");
    let nice =
        stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(16)).unwrap_or("unknown").to_owned();
    Host {
        cpu,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        mem_gib: mem_kib / 1024.0 / 1024.0,
        os,
        kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
        rustc: command_line(Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())).arg("--version"))
            .unwrap_or_else(|| "unknown".into()),
        nice,
    }
}

/// The first output of a command, trimmed; `None` when it fails or prints nothing.
pub fn command_line(cmd: &mut Command) -> Option<String> {
    cmd.output().ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).filter(|s| !s.is_empty())
}

/// The machine, as one Markdown bullet list.
pub fn machine() -> String {
    let h = host();
    let disk = disk_of(&project_root().join("target"));
    format!(
        "- CPU: {}, {} logical cores\n- Memory: {:.1} GiB\n- OS: {}, Linux {}\n- Disk (the data folder's file system): {disk}\n- Software: {}\n- Source: {}\n- Nice value of the run (the server inherits it): {}\n",
        h.cpu,
        h.cores,
        h.mem_gib,
        h.os,
        h.kernel,
        h.rustc,
        source(),
        h.nice,
    )
}

/// The commit the code was built from, and whether the working tree differed from it.
fn source() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(project_root())
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(commit) => match git(&["status", "--porcelain"]) {
            Some(changes) if !changes.is_empty() => {
                format!("commit {commit} plus uncommitted changes in the working tree")
            }
            _ => format!("commit {commit}"),
        },
        None => "unknown (no git)".into(),
    }
}

/// File system type and device of the folder, from `df`.
fn disk_of(dir: &std::path::Path) -> String {
    Command::new("df")
        .args(["--output=source,fstype"])
        .arg(dir)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .nth(1)
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(", "))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Now (UTC) as `YYYY-MM-DD HH:MM UTC`.
pub fn now_utc() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!("{} {:02}:{:02} UTC", today(), t.hour(), t.minute())
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// Replaces the text from `begin` to `end` (markers included) in `doc` with `section`, which
/// carries its own markers; appends it when the markers are missing.
pub fn splice(doc: &str, begin: &str, end: &str, section: &str) -> String {
    if let (Some(b), Some(e)) = (doc.find(begin), doc.find(end))
        && b < e
    {
        return format!("{}{}{}", &doc[..b], section.trim_end(), &doc[e + end.len()..]);
    }
    let mut out = if doc.trim().is_empty() { "# Benchmarks\n".to_owned() } else { doc.trim_end().to_owned() + "\n" };
    out.push('\n');
    out.push_str(section.trim_end());
    out.push('\n');
    out
}

/// Writes `body` between `<!-- {name}:begin -->` and `<!-- {name}:end -->` in `BENCHMARKS.md`.
pub fn write_section(name: &str, body: &str) -> anyhow::Result<()> {
    let (begin, end) = (format!("<!-- {name}:begin -->"), format!("<!-- {name}:end -->"));
    let path = project_root().join("BENCHMARKS.md");
    // read as late as possible: other commands write their own sections of the same file
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let section = format!("{begin}\n{}\n{end}\n", body.trim());
    let doc = splice(&doc, &begin, &end, &section);
    std::fs::write(&path, with_summary(&doc))?;
    eprintln!("wrote the {name} section of {}", path.display());
    Ok(())
}

const SUMMARY_BEGIN: &str = "<!-- summary:begin -->";
const SUMMARY_END: &str = "<!-- summary:end -->";

/// A target's verdict as the target tables write it; [`with_summary`] reads it back.
pub fn verdict(met: bool) -> &'static str {
    if met { MET } else { MISSED }
}

const MET: &str = "**met**";
const MISSED: &str = "**missed**";
/// The verdict of a target whose measurement was too disturbed to judge (the row says why).
pub const NOT_JUDGED: &str = "**not judged**";

/// `doc` with its summary rebuilt from the target rows of every other section (the table rows
/// whose last cell is a [`verdict`]), placed right under the title.
pub fn with_summary(doc: &str) -> String {
    let without = match (doc.find(SUMMARY_BEGIN), doc.find(SUMMARY_END)) {
        (Some(b), Some(e)) if b < e => format!("{}{}", &doc[..b], doc[e + SUMMARY_END.len()..].trim_start()),
        _ => doc.to_owned(),
    };
    let mut rows = String::new();
    let mut section = "";
    let mut written = "";
    for line in without.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            (section, written) = (h.trim(), "");
        } else if line.starts_with("Written by ") {
            written = line.split(" on ").nth(1).and_then(|d| d.get(..10)).unwrap_or_default();
        } else if line.starts_with('|') {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            if let Some((&last, target)) = cells.split_last()
                && let Some(verdict) = [MET, MISSED, NOT_JUDGED].into_iter().find(|v| last.eq_ignore_ascii_case(v))
            {
                rows.push_str(&format!("| {section} | {} | {verdict} | {written} |\n", target.join(" — ")));
            }
        }
    }
    let summary = format!(
        "{SUMMARY_BEGIN}\n## Summary: every target\n\nGathered from the sections below each time one of them is written (`cargo xtask bench` runs them all); each section has the machine, the method and every figure.\n\n| area | target — measured | | measured on |\n| --- | --- | --- | --- |\n{rows}{SUMMARY_END}\n"
    );
    match without.find("\n\n") {
        Some(at) if without.starts_with("# ") => {
            format!("{}\n\n{summary}\n{}", &without[..at], without[at..].trim_start())
        }
        _ => format!("# Benchmarks\n\n{summary}\n{}", without.trim_start()),
    }
}

/// 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_its_own_section() {
        let (b, e) = ("<!-- x:begin -->", "<!-- x:end -->");
        let doc = "# Benchmarks\n\n<!-- er:begin -->\nER\n<!-- er:end -->\n\n<!-- x:begin -->\nold\n<!-- x:end -->\n\nafter\n";
        let new = splice(doc, b, e, "<!-- x:begin -->\nnew\n<!-- x:end -->\n");
        assert_eq!(
            new,
            "# Benchmarks\n\n<!-- er:begin -->\nER\n<!-- er:end -->\n\n<!-- x:begin -->\nnew\n<!-- x:end -->\n\nafter\n"
        );
        let appended = splice("# Benchmarks\n\nkept\n", b, e, "<!-- x:begin -->\ny\n<!-- x:end -->\n");
        assert_eq!(appended, "# Benchmarks\n\nkept\n\n<!-- x:begin -->\ny\n<!-- x:end -->\n");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert!(now_utc().ends_with(" UTC"));
    }

    #[test]
    fn the_summary_gathers_every_verdict_once() {
        let doc = "# Benchmarks\n\n<!-- a:begin -->\n## Load\n\nWritten by `x` on 2026-11-22 10:00 UTC; more\n\n| target | measured | |\n| --- | --- | --- |\n| fast | 3 tips/s | **missed** |\n| small | 1 MiB | **met** |\n| other | table | row |\n| steady | 5 % | **not judged** |\n<!-- a:end -->\n";
        let once = with_summary(doc);
        assert!(once.contains("| Load | fast — 3 tips/s | **missed** | 2026-11-22 |\n| Load | small — 1 MiB | **met** | 2026-11-22 |\n| Load | steady — 5 % | **not judged** | 2026-11-22 |\n<!-- summary:end -->"), "{once}");
        assert!(once.starts_with("# Benchmarks\n\n<!-- summary:begin -->"), "{once}");
        assert!(!once.contains("other — table"));
        assert_eq!(with_summary(&once), once, "rebuilding is stable");
        assert!(once.ends_with("<!-- a:end -->\n"), "{once}");
    }
}

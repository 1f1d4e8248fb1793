//! The rules that keep the layout in shape, checked on every `cargo xtask ci`: which crate may
//! depend on which (read from `cargo tree`), and the tidiness every source file owes a reader.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// The packages `crate_name` depends on (normal dependencies; `depth` 1 for direct ones only).
fn tree(crate_name: &str, depth: Option<u32>) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["tree", "-p", crate_name, "-e", "normal", "--prefix", "none", "--format", "{p}"]).current_dir(root());
    if let Some(d) = depth {
        cmd.args(["--depth", &d.to_string()]);
    }
    let out = cmd.output().expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree -p {crate_name}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut names: Vec<String> = text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect();
    names.sort();
    names.dedup();
    assert!(names.iter().any(|n| n == crate_name), "cargo tree printed no {crate_name}: {text}");
    names.retain(|n| n != crate_name);
    names
}

/// The workspace's own crates.
const OURS: [&str; 10] = ["allocator", "domain", "triage", "resolve", "vault", "store", "app", "web", "cli", "xtask"];

#[test]
fn use_cases_and_rules_know_no_http() {
    const HTTP: [&str; 6] = ["axum", "axum-core", "hyper", "tower", "tower-http", "reqwest"];
    for krate in ["domain", "app"] {
        let deps = tree(krate, None);
        let found: Vec<&String> = deps.iter().filter(|d| HTTP.contains(&d.as_str())).collect();
        assert!(found.is_empty(), "{krate} depends on HTTP crates {found:?}: HTTP belongs to web");
    }
}

#[test]
fn only_store_talks_to_databases() {
    // Exempt: xtask measures SQLite and PostgreSQL themselves (the raw limit, the load test's
    // server), tooling rather than product; allocator hands SQLite its memory functions through
    // rusqlite's FFI and runs no SQL.
    for krate in OURS.iter().filter(|k| !matches!(**k, "store" | "xtask" | "allocator")) {
        let direct = tree(krate, Some(1));
        let found: Vec<&String> =
            direct.iter().filter(|d| matches!(d.as_str(), "sqlx" | "rusqlite" | "libsqlite3-sys")).collect();
        assert!(found.is_empty(), "{krate} depends on {found:?} directly: SQL belongs to store");
    }
}

#[test]
fn vault_stands_alone() {
    let ours: Vec<String> = tree("vault", None).into_iter().filter(|d| OURS.contains(&d.as_str())).collect();
    assert!(ours.iter().all(|d| d == "domain"), "vault depends on {ours:?}: it may use domain only");
}

/// Every Rust file under `crates/` and `xtask/`.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target" && n != "node_modules") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("crates"), &mut out);
    walk(&root().join("xtask"), &mut out);
    out
}

/// Longer than this, a file says at its top why it is long.
const LONG_FILE_LINES: usize = 800;

#[test]
fn every_file_is_tidy() {
    let mut problems = Vec::new();
    let files = sources();
    assert!(files.len() > 50, "found only {} source files", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable source");
        let shown = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
        if !text.trim_start().starts_with("//!") {
            problems.push(format!("{shown}: no `//!` line at the top saying what the module is for"));
        }
        // The macros are spelled in pieces so this file does not trip its own check.
        for banned in [concat!("todo", "!("), concat!("dbg", "!("), concat!("unimplemented", "!(")] {
            if text.contains(banned) {
                problems.push(format!("{shown}: contains {banned}"));
            }
        }
        let lines = text.lines().count();
        let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
        if lines > LONG_FILE_LINES && !head.contains("is long because") {
            problems.push(format!(
                "{shown}: {lines} lines; split it, or say at its top why it is long (\"… is long because …\")"
            ));
        }
    }
    assert!(problems.is_empty(), "untidy files:\n{}", problems.join("\n"));
}

#[test]
fn the_doors_go_through_the_use_cases() {
    // web and cli reach the store only through app: a store call in either is a use case
    // written in the wrong layer (cli may open the store, which is where it lives).
    let store_call = calls_the_store();
    let mut found = Vec::new();
    for path in sources() {
        let shown = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
        let door = shown.starts_with("crates/web/src") || shown.starts_with("crates/cli/src");
        if !door {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            if store_call(line) {
                found.push(format!("{shown}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "store calls outside app:\n{}", found.join("\n"));
}

/// Whether a line calls a method on a store (`store.x(`, `.store.x(`); handing the store on
/// (`as_ref`, `clone`) is not a call.
fn calls_the_store() -> impl Fn(&str) -> bool {
    |line: &str| {
        let code = line.split("//").next().unwrap_or("");
        code.match_indices("store.").any(|(i, _)| {
            let before = code[..i].chars().last();
            let rest = &code[i + "store.".len()..];
            let method: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            before.is_none_or(|c| !c.is_alphanumeric() && c != '_')
                && !matches!(method.as_str(), "" | "as_ref" | "clone")
                && rest[method.len()..].starts_with('(')
        })
    }
}

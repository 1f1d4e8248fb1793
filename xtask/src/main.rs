//! Automation, in Rust rather than shell: `cargo xtask ci` runs exactly what CI runs.
//!
//! - `ci`: installs what the tests need when it is missing (PostgreSQL), starts a throwaway
//!   PostgreSQL on 127.0.0.1, then runs formatting, clippy and every test against SQLite and
//!   that PostgreSQL.
//! - `e2e`: the browser tests of the HTML pages in Chromium (`e2e/`), against a demo server.
//! - `pg`: starts the throwaway PostgreSQL and prints its URL, for running tests by hand.
//! - `crash`, `load`, `api-fuzz`: the crash test, intake under load, schemathesis at length.
//! - `bench [triage|load|crash|er|matcher]`: every benchmark, or one; each writes its section of
//!   `BENCHMARKS.md`.

// Tooling, not the product: it measures wall time, waits for child processes and reads
// reports it wrote itself, so the product's disallowed methods (clippy.toml) do not apply.
#![allow(clippy::disallowed_methods)]

mod api_fuzz;
mod bench;
mod bench_er;
mod bench_matcher;
mod bench_triage;
mod crash;
mod e2e;
mod load;
mod pg;
mod report;
mod serve;

use anyhow::{Context, bail};
use std::process::Command;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("pg") => {
            let server = pg::Server::start()?;
            println!("{}", server.url());
            println!("(press Enter to stop)");
            let _ = std::io::stdin().read_line(&mut String::new());
            Ok(())
        }
        Some("bench") => bench::main(&args[1..]),
        Some("crash") => crash::main(&args[1..]),
        Some("load") => load::main(&args[1..]),
        Some("e2e") => e2e::main(&args[1..]),
        Some("api-fuzz") => api_fuzz::main(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <ci|pg|e2e|api-fuzz|crash|load|bench [triage|load|crash|er|matcher]>");
            std::process::exit(2);
        }
    }
}

pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn ci() -> anyhow::Result<()> {
    let root = project_root();
    std::env::set_current_dir(&root)?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    let server = pg::Server::start()?;
    run(cargo().args(["test", "--workspace"]).env("SIGHTLINE_TEST_PG_URL", server.url()).env("CI", "true"))?;
    drop(server);
    api_fuzz::main(&["--examples".into(), "10".into()])?;
    e2e::main(&[])?;
    eprintln!("ci: all checks passed");
    Ok(())
}

pub fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR`, or `target/` in the workspace.
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| project_root().join("target"), std::path::PathBuf::from)
}

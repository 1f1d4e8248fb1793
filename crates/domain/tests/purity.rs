//! Architecture invariant: `domain` does no IO and knows nothing of databases, HTTP or async.
//! Fails when any IO crate enters its dependency tree.

use std::process::Command;

#[test]
fn domain_depends_on_no_io_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "-p", "domain", "-e", "normal", "--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    let forbidden = [
        "tokio",
        "sqlx",
        "axum",
        "hyper",
        "reqwest",
        "rusqlite",
        "postgres",
        "mio",
        "async-trait",
        "futures",
        "tower",
        "libsqlite3-sys",
        "socket2",
    ];
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(!forbidden.contains(&name), "domain depends on the IO crate `{name}`:\n{tree}");
    }
    assert!(tree.lines().any(|l| l.starts_with("domain ")), "cargo tree printed no domain: {tree}");
}

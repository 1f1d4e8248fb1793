//! `cargo xtask api-fuzz [--examples N]`: schemathesis (from PyPI) against the served OpenAPI
//! document, every public and staff operation, with a staff token. Fails on any 5xx, any
//! status the document does not list, and any response that breaks its schema. `ci` runs it
//! with a few examples per operation; run it by hand with more.

use crate::run;
use crate::serve::{Install, build, scratch};
use anyhow::Context;
use std::path::PathBuf;
use std::process::Command;

fn venv() -> anyhow::Result<PathBuf> {
    let dir = crate::project_root().join("target").join("schemathesis-venv");
    let st = dir.join("bin").join("st");
    if !st.exists() {
        eprintln!("installing schemathesis into {}", dir.display());
        run(Command::new("python3").args(["-m", "venv"]).arg(&dir))?;
        run(Command::new(dir.join("bin").join("pip")).args(["install", "-q", "schemathesis"]))?;
    }
    Ok(st)
}

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let mut examples = 100;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--examples" => {
                examples =
                    args.get(i + 1).context("--examples needs a number")?.parse().context("--examples: a number")?;
                i += 2;
            }
            other => anyhow::bail!("unknown option {other}; usage: cargo xtask api-fuzz [--examples N]"),
        }
    }
    let st = venv()?;
    let install = Install { bin: build(false)?, data: scratch("api-fuzz")?, database_url: None };
    let agency = install.admin(&["agency", "add", "--name", "Fuzz Fusion", "--kind", "fusion_centre"])?;
    install.admin(&["settings", "fallback", "--agency", &agency])?;
    install.admin(&["site", "add", "--name", "Fuzz High", "--agency", &agency, "--lat", "41.8", "--lon", "-87.6"])?;
    install.admin(&[
        "user",
        "add",
        "--agency",
        &agency,
        "--role",
        "supervisor,analyst,auditor",
        "--email",
        "fuzz@sightline.test",
    ])?;
    let token = install.admin(&["token", "create", "--user", "fuzz@sightline.test"])?;
    let server = install.serve()?;
    let schema = format!("{}/api/v1/openapi.json", server.url);
    eprintln!("$ st run {schema} -n {examples} (staff token in a header)");
    // Not `run`: it would echo the command with the token into the log.
    // Run from the scratch folder: schemathesis writes a cache where it runs.
    let status = Command::new(&st)
        .current_dir(&install.data)
        .args(["run", &schema, "--checks", "not_a_server_error,status_code_conformance,response_schema_conformance"])
        .args(["--max-examples", &examples.to_string(), "--request-timeout", "10"])
        .arg("--header")
        .arg(format!("Authorization: Bearer {token}"))
        .status()
        .context("running schemathesis")?;
    drop(server);
    anyhow::ensure!(status.success(), "schemathesis found failures (see above)");
    crate::serve::clean(&install.data);
    Ok(())
}

//! `cargo xtask e2e [TEST FILE…]`: the browser tests of the HTML pages, in a real Chromium.
//!
//! Installs what the suite needs when it is missing (Chromium and Node.js from Debian's packages,
//! the suite's npm packages with `npm ci`), builds the `sightline` binary, starts it with the
//! demo data in a temporary folder on a free port of 127.0.0.1, runs `node --test` over
//! `e2e/tests/` (or the files named) with the server's address and the demo logins in the
//! environment, and stops the server. Screenshots land in `artifacts/screenshots/`, the server's
//! log in `artifacts/e2e-server.log`.

use crate::{cargo, project_root, run};
use anyhow::{Context, bail};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    let root = project_root();
    let e2e = root.join("e2e");
    let chromium = std::env::var("SIGHTLINE_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into());
    ensure_chromium(&chromium)?;
    ensure_node()?;
    ensure_npm_packages(&e2e)?;
    run(cargo().current_dir(&root).args(["build", "-p", "cli"]))?;

    let artifacts = root.join("artifacts");
    let screenshots = artifacts.join("screenshots");
    std::fs::create_dir_all(&screenshots)?;
    let data = std::env::temp_dir().join(format!("sightline-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let server = Server::start(&root.join("target/debug/sightline"), &data, &artifacts.join("e2e-server.log"))?;
    eprintln!(
        "e2e: server at {} with {} demo logins ({:.1?})",
        server.base_url,
        server.logins.len(),
        started.elapsed()
    );

    let tests: Vec<PathBuf> = if args.is_empty() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(e2e.join("tests"))
            .context("reading e2e/tests")?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
            .collect();
        found.sort();
        found
    } else {
        args.iter().map(|a| std::path::absolute(a).unwrap_or_else(|_| PathBuf::from(a))).collect()
    };
    // Not `run`: it would echo the environment, with the demo passwords and tokens, into the log.
    eprintln!(
        "$ node --test --test-concurrency=1 {} (in e2e/)",
        tests.iter().map(|t| t.display().to_string()).collect::<Vec<_>>().join(" ")
    );
    let status = Command::new("node")
        .current_dir(&e2e)
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&tests)
        .env("SIGHTLINE_BASE_URL", &server.base_url)
        .env("SIGHTLINE_LOGINS", logins_json(&server.logins))
        .env("SIGHTLINE_CHROMIUM", &chromium)
        .env("SIGHTLINE_SCREENSHOTS", &screenshots)
        .status()
        .context("starting node")?;
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    eprintln!("e2e: finished in {:.1?}", started.elapsed());
    if !status.success() {
        bail!(
            "the browser tests failed ({status}); server log: artifacts/e2e-server.log, screenshots: artifacts/screenshots/"
        );
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    if !is_root() {
        bail!("{} missing: install it with `apt-get install {}` (needs root)", packages[0], packages.join(" "));
    }
    run(Command::new("apt-get").args(["update", "-q"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_chromium(chromium: &str) -> anyhow::Result<()> {
    if Path::new(chromium).exists() {
        return Ok(());
    }
    if chromium != CHROMIUM {
        bail!("SIGHTLINE_CHROMIUM={chromium} does not exist");
    }
    eprintln!("Chromium not found: installing it from Debian's packages");
    // Fonts so that pages render (and are measured for contrast) with real glyphs.
    apt_install(&["chromium", "fonts-liberation"])?;
    if !Path::new(CHROMIUM).exists() {
        bail!("chromium installed but {CHROMIUM} is missing");
    }
    Ok(())
}

fn ensure_node() -> anyhow::Result<()> {
    let ok = |exe: &str| Command::new(exe).arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if ok("node") && ok("npm") {
        return Ok(());
    }
    eprintln!("Node.js or npm not found: installing them from Debian's packages");
    apt_install(&["nodejs", "npm"])
}

/// `npm ci` when `node_modules` is missing or older than the lock file.
fn ensure_npm_packages(e2e: &Path) -> anyhow::Result<()> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&e2e.join("package-lock.json")).context("e2e/package-lock.json is missing")?;
    let installed = modified(&e2e.join("node_modules/.package-lock.json"));
    if installed.is_some_and(|i| i >= lock) {
        return Ok(());
    }
    run(Command::new("npm").current_dir(e2e).args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]))
}

#[derive(Debug, Clone, PartialEq)]
struct Login {
    email: String,
    roles: String,
    password: String,
    token: String,
    totp: String,
}

/// A demo login line: `  EMAIL  AGENCY NAME  ROLES  password PASSWORD  token TOKEN`.
fn parse_login(line: &str) -> Option<Login> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = |key: &str| words.iter().position(|w| *w == key);
    let (p, t) = (at("password")?, at("token")?);
    let email = words.first()?;
    if !email.contains('@') || p == 0 {
        return None;
    }
    Some(Login {
        email: (*email).into(),
        roles: words[p - 1].into(),
        password: (*words.get(p + 1)?).into(),
        token: (*words.get(t + 1)?).into(),
        totp: at("totp").and_then(|i| words.get(i + 1)).map(|s| (*s).to_owned()).unwrap_or_default(),
    })
}

fn logins_json(logins: &[Login]) -> String {
    let list: Vec<serde_json::Value> = logins
        .iter()
        .map(|l| {
            serde_json::json!({
                "email": l.email,
                "roles": l.roles.split(',').collect::<Vec<_>>(),
                "password": l.password,
                "token": l.token,
                "totp": l.totp,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// `sightline serve --demo` on a free port; stopped (SIGTERM, then kill) on drop.
struct Server {
    child: Child,
    base_url: String,
    logins: Vec<Login>,
}

impl Server {
    fn start(bin: &Path, data: &Path, log: &Path) -> anyhow::Result<Server> {
        let log_file = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let mut child = Command::new(bin)
            .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let (tx, rx) = mpsc::channel::<String>();
        // Keeps reading after start-up so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server { child, base_url: String::new(), logins: Vec::new() };
        let deadline = Instant::now() + Duration::from_secs(180);
        while server.base_url.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("Sightline listening on ") {
                        server.base_url = url.trim().trim_end_matches('/').to_string();
                    } else if let Some(login) = parse_login(&line) {
                        server.logins.push(login);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => bail!("the server did not say where it listens within 180 s"),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = server.child.wait()?;
                    bail!("the server exited ({status}) before listening; see {}", log.display());
                }
            }
        }
        if server.logins.is_empty() {
            bail!("the server printed no demo logins (was the data folder empty?)");
        }
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_demo_login_lines() {
        let line = "  analyst@sheriff.demo             Harlan County Sheriff's Office       analyst     \
                    password AbC123xyz  token slt_0123abcd";
        assert_eq!(
            parse_login(line),
            Some(Login {
                email: "analyst@sheriff.demo".into(),
                roles: "analyst".into(),
                password: "AbC123xyz".into(),
                token: "slt_0123abcd".into(),
                totp: String::new(),
            })
        );
        assert_eq!(parse_login("demo: loaded agencies, schools, staff and 30 tips. Staff logins (shown once):"), None);
        assert_eq!(parse_login("Sightline listening on http://127.0.0.1:1234"), None);
    }

    #[test]
    fn logins_become_json() {
        let l = Login {
            email: "a@b".into(),
            roles: "analyst,supervisor".into(),
            password: "p\"".into(),
            token: "t".into(),
            totp: String::new(),
        };
        let v: serde_json::Value = serde_json::from_str(&logins_json(&[l])).unwrap();
        assert_eq!(v[0]["roles"][1], "supervisor");
        assert_eq!(v[0]["password"], "p\"");
    }
}

//! The `sightline` binary as a child process, for `crash` and `load`: build it, run its
//! administration commands, start `sightline serve` on a free loopback port, read its address,
//! SIGKILL it; an HTTP client that talks to loopback only; and the one-line `/metrics` reader.

use crate::{cargo, project_root, run};
use anyhow::{Context, bail};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Which database the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    /// `sqlite`, `postgres` or `both`.
    pub fn parse_list(s: &str) -> anyhow::Result<Vec<Db>> {
        Ok(match s {
            "sqlite" => vec![Db::Sqlite],
            "postgres" => vec![Db::Postgres],
            "both" => vec![Db::Sqlite, Db::Postgres],
            other => bail!("--db: expected sqlite, postgres or both, not {other:?}"),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Db::Sqlite => "SQLite",
            Db::Postgres => "PostgreSQL",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Db::Sqlite => "sqlite",
            Db::Postgres => "postgres",
        }
    }
}

/// Builds `sightline` (debug, or release when asked) and returns the binary's path. With
/// `SIGHTLINE_BIN` set, uses that binary as it is and builds nothing.
pub fn build(release: bool) -> anyhow::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("SIGHTLINE_BIN") {
        let bin = PathBuf::from(bin);
        anyhow::ensure!(bin.exists(), "SIGHTLINE_BIN: {} does not exist", bin.display());
        eprintln!("using SIGHTLINE_BIN={} (not built)", bin.display());
        return Ok(bin);
    }
    let root = project_root();
    let mut cmd = cargo();
    cmd.current_dir(&root).args(["build", "-p", "cli"]);
    if release {
        cmd.arg("--release");
    }
    run(&mut cmd)?;
    let bin = crate::target_dir().join(if release { "release" } else { "debug" }).join("sightline");
    anyhow::ensure!(bin.exists(), "built, but {} is missing", bin.display());
    Ok(bin)
}

/// A fresh, empty folder under `target/stress/`, private to this user as the server requires of
/// a data folder that holds anything (the harness writes the server's log beside its data).
pub fn scratch(name: &str) -> anyhow::Result<PathBuf> {
    let dir = project_root().join("target").join("stress").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// One Sightline installation: the binary, its data folder and, for PostgreSQL, the URL.
#[derive(Clone, Debug)]
pub struct Install {
    pub bin: PathBuf,
    pub data: PathBuf,
    pub database_url: Option<String>,
}

impl Install {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        // Quiet unless the caller asks for more (`SIGHTLINE_LOG=info,store=debug cargo xtask …`).
        let log = std::env::var("SIGHTLINE_LOG").unwrap_or_else(|_| "warn".into());
        cmd.args(args).arg("--data").arg(&self.data).env("SIGHTLINE_LOG", log);
        if let Some(url) = &self.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd
    }

    /// Runs an administration command; returns its trimmed stdout, or fails with its stderr.
    pub fn admin(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = self.command(args).output().with_context(|| format!("running sightline {args:?}"))?;
        if !out.status.success() {
            bail!("sightline {args:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// `sightline audit verify`: Ok(its output) on an intact chain, Err(its output) otherwise.
    pub fn audit_verify(&self) -> anyhow::Result<Result<String, String>> {
        let out = self.command(&["audit", "verify"]).output().context("running sightline audit verify")?;
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
            .trim()
            .to_owned();
        Ok(if out.status.success() { Ok(text) } else { Err(text) })
    }

    /// Starts `sightline serve` on a free loopback port and waits (up to a minute) until it
    /// prints its address. Its stderr is appended to `server.log` in the data folder.
    pub fn serve(&self) -> anyhow::Result<Server> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.data.join("server.log"))?;
        let mut child = self
            .command(&["serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .context("starting sightline serve")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("Sightline listening on ") {
                    let _ = tx.send(rest.trim().to_owned());
                    break;
                }
            }
            for _ in lines {} // keep the pipe drained
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => Ok(Server { pid: child.id(), child, url }),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait()?;
                bail!(
                    "sightline serve did not print its address ({status}); see {}",
                    self.data.join("server.log").display()
                )
            }
        }
    }
}

/// A running `sightline serve`; killed with SIGKILL when dropped.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub url: String,
}

impl Server {
    /// SIGKILL, then reap the process.
    pub fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill().context("SIGKILL")?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP client for loopback: no proxy from the environment, short connect timeout.
pub fn client(max_idle: usize, timeout: Duration) -> anyhow::Result<reqwest::Client> {
    Ok(client_builder(max_idle, timeout).build()?)
}

/// [`client`]'s settings, for a client that needs one more (not following redirects, say).
pub fn client_builder(max_idle: usize, timeout: Duration) -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .timeout(timeout)
        .pool_max_idle_per_host(max_idle)
        .tcp_nodelay(true)
}

/// `POST /api/v1/tips` with `body` (JSON) under the idempotency key `key`, ready to send.
pub fn file_tip(client: &reqwest::Client, url: &str, key: &str, body: String) -> reqwest::RequestBuilder {
    client
        .post(format!("{url}/api/v1/tips"))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(body)
}

/// The value of an unlabelled metric in Prometheus text.
pub fn metric(text: &str, name: &str) -> Option<i64> {
    text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

/// `VmRSS` and `VmHWM` of a process, in KiB.
pub fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status.lines().find_map(|l| l.strip_prefix(name))?.split_whitespace().next()?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Clock ticks per second of the CPU times in `/proc` (`USER_HZ`, 100 on Linux).
const USER_HZ: f64 = 100.0;

/// CPU time (user + system) a process has used so far, in seconds.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // after the command: state is field 3, utime 14 and stime 15 (1-based, so 11 and 12 here)
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / USER_HZ)
}

/// The cores a CPU-time counter ([`cpu_seconds`], [`stolen_seconds`]) went up by, read
/// `seconds` apart; NaN when either reading is missing.
pub fn cores(before: Option<f64>, after: Option<f64>, seconds: f64) -> f64 {
    before.zip(after).map_or(f64::NAN, |(b, a)| (a - b) / seconds)
}

/// CPU time the hypervisor gave this machine's virtual CPUs to others so far (`steal` in
/// `/proc/stat`, all CPUs together), in seconds; 0 on bare metal.
pub fn stolen_seconds() -> Option<f64> {
    steal_ticks(&std::fs::read_to_string("/proc/stat").ok()?).map(|ticks| ticks / USER_HZ)
}

/// The `steal` field of the all-CPU line of `/proc/stat`:
/// `cpu  user nice system idle iowait irq softirq steal …`.
fn steal_ticks(stat: &str) -> Option<f64> {
    let all = stat.lines().find(|l| l.split_whitespace().next() == Some("cpu"))?;
    all.split_whitespace().nth(8)?.parse().ok()
}

/// Removes a scratch folder after a successful run (kept on failure, for inspection).
pub fn clean(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_read_twice_gives_cores() {
        assert_eq!(cores(Some(1.0), Some(3.0), 4.0), 0.5);
        assert!(cores(None, Some(3.0), 4.0).is_nan());
        assert!(cores(Some(1.0), None, 4.0).is_nan());
    }

    #[test]
    fn reads_the_stolen_time() {
        let stat = "cpu  4705 150 1120 16250 520 0 30 777 0 0\ncpu0 2300 70 560 8100 260 0 15 390 0 0\n";
        assert_eq!(steal_ticks(stat), Some(777.0));
        assert_eq!(steal_ticks("cpu0 1 2 3\n"), None);
    }

    #[test]
    fn reads_an_unlabelled_metric() {
        let text =
            "# HELP sightline_tips_received_total Tips.\nsightline_tips_received_total 42\nsightline_tips_open 3\n";
        assert_eq!(metric(text, "sightline_tips_received_total"), Some(42));
        assert_eq!(metric(text, "sightline_tips"), None);
        assert!(Db::parse_list("mysql").is_err());
        assert_eq!(Db::parse_list("both").unwrap(), vec![Db::Sqlite, Db::Postgres]);
    }
}

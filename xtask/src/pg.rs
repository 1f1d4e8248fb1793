//! A throwaway PostgreSQL server for tests: installed from Debian's packages when missing,
//! a fresh cluster in a temporary folder, listening on 127.0.0.1 only, stopped on drop.

use crate::run;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Server {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn find_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn install() -> anyhow::Result<PathBuf> {
    if let Some(bin) = find_bin() {
        return Ok(bin);
    }
    eprintln!("PostgreSQL server not found: installing it from Debian's packages");
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    find_bin().context("postgresql installed but initdb was not found under /usr/lib/postgresql")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Server {
    pub fn start() -> anyhow::Result<Server> {
        let bin = install()?;
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!("sightline-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        if as_postgres {
            // initdb refuses to run as root; the cluster belongs to the postgres user.
            run(Command::new("chown").arg("postgres").arg(&dir))?;
        }
        let port = free_port()?;
        let server = Server { bin, dir, port, as_postgres };
        let data = server.dir.join("data");
        server.pg(&["initdb", "-D", path(&data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])?;
        let opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400", path(&server.dir));
        let log = server.dir.join("log");
        server.pg(&["pg_ctl", "-D", path(&data), "-o", &opts, "-l", path(&log), "-w", "start"])?;
        Ok(server)
    }

    fn pg(&self, args: &[&str]) -> anyhow::Result<()> {
        let exe = self.bin.join(args[0]);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        cmd.args(&args[1..]).stdout(std::process::Stdio::null());
        run(&mut cmd)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_else(|| panic!("non-UTF-8 path {}", p.display()))
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if let Err(e) = self.pg(&["pg_ctl", "-D", path(&data), "-m", "fast", "-w", "stop"]) {
            eprintln!("stopping the test PostgreSQL: {e}");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

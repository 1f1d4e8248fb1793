//! The `sightline` binary as an operator uses it: administration commands, a server that
//! survives SIGKILL with every receipted tip intact, and `audit verify` catching tampering.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn sightline(data: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("SIGHTLINE_LOG", "warn")
        .output()
        .expect("run sightline");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(data: &Path, args: &[&str]) -> String {
    let (success, out, err) = sightline(data, args);
    assert!(success, "sightline {args:?} failed: {err}");
    out.trim().to_owned()
}

/// Starts `sightline serve` on a free port; returns the child and the base URL.
fn serve(data: &Path, demo: bool) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sightline"));
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("SIGHTLINE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if demo {
        cmd.arg("--demo");
    }
    let mut child = cmd.spawn().expect("start server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Sightline listening on ") {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// Synchronous HTTP for these tests: one request, one small runtime.
struct Http;

impl Http {
    fn send(req: impl FnOnce(reqwest::Client) -> reqwest::RequestBuilder, token: Option<&str>) -> (u16, Value) {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut req = req(reqwest::Client::new());
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.expect("request");
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or(Value::Null))
        })
    }

    fn post(url: &str, body: &Value, token: Option<&str>) -> (u16, Value) {
        Http::send(|c| c.post(url).json(body), token)
    }

    fn get(url: &str, token: Option<&str>) -> (u16, Value) {
        Http::send(|c| c.get(url), token)
    }
}

#[test]
fn users_and_tokens_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let agency = ok(d, &["agency", "add", "--name", "County Sheriff", "--kind", "law_enforcement"]);
    let (bad, _, err) = sightline(d, &["user", "add", "--agency", &agency, "--role", "janitor", "--email", "x@y.test"]);
    assert!(!bad && err.contains("role"), "{err}");
    let created =
        ok(d, &["user", "add", "--agency", &agency, "--role", "analyst,supervisor", "--email", "lee@sheriff.test"]);
    assert!(created.contains("password (shown once)"), "{created}");
    let token = ok(d, &["token", "create", "--user", "lee@sheriff.test"]);
    assert!(token.starts_with("slt_"));
    let (missing, _, err) = sightline(d, &["token", "create", "--user", "nobody@x.test"]);
    assert!(!missing && err.contains("no such user"));

    let (mut server, url) = serve(d, false);
    let (status, queue) = Http::get(&format!("{url}/api/v1/tips"), Some(&token));
    assert_eq!((status, queue), (200, json!([])));
    let (status, _) = Http::get(&format!("{url}/api/v1/tips"), Some("slt_wrong"));
    assert_eq!(status, 401);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn receipted_tips_survive_sigkill_and_restart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut server, url) = serve(d, true);
    let mut receipts = Vec::new();
    for i in 0..5 {
        let (status, r) = Http::post(
            &format!("{url}/api/v1/tips"),
            &json!({"category": "other", "narrative": format!("Tip number {i} about the bus stop.")}),
            None,
        );
        assert_eq!(status, 201);
        receipts.push(r);
    }
    server.kill().unwrap(); // SIGKILL: no graceful shutdown
    server.wait().unwrap();

    let (mut server, url) = serve(d, true);
    for r in &receipts {
        let (status, session) = Http::post(
            &format!("{url}/api/v1/tipster/session"),
            &json!({"reference": r["reference"], "passphrase": r["passphrase"]}),
            None,
        );
        assert_eq!(status, 200, "{r}");
        let token = session["token"].as_str().unwrap();
        let (status, tip) = Http::get(&format!("{url}/api/v1/tipster/tip"), Some(token));
        assert_eq!((status, &tip["reference"]), (200, &r["reference"]));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let verified = ok(d, &["audit", "verify"]);
    assert!(verified.starts_with("audit chain intact"), "{verified}");
}

fn tamper(db: &Path, sql: &'static str) {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    });
}

#[test]
fn audit_verify_names_the_first_bad_event() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let agency = ok(d, &["agency", "add", "--name", "Fusion", "--kind", "fusion_centre"]);
    for i in 0..4 {
        ok(
            d,
            &["site", "add", "--name", &format!("School {i}"), "--agency", &agency, "--lat", "41.8", "--lon", "-87.6"],
        );
    }
    assert_eq!(ok(d, &["audit", "verify"]), "audit chain intact: 5 events, 0 signed checkpoints hold");
    let db = d.join("sightline.db");

    let copy = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        // The copy holds a database, so it must be private as the original is.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(copy.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    // A copy of a WAL database is the file and its write-ahead log together; the keys come
    // with it, or the keyed chain cannot be checked.
    for name in
        ["sightline.db", "sightline.db-wal", "sightline.db-shm", "instance.key", "wrapping.key", "audit-signing.key"]
    {
        let from = d.join(name);
        if from.exists() {
            std::fs::copy(&from, copy.path().join(name)).unwrap();
        }
    }
    tamper(&copy.path().join("sightline.db"), "UPDATE audit_events SET reason = 'nothing happened' WHERE seq = 3");
    let (good, _, err) = sightline(copy.path(), &["audit", "verify"]);
    assert!(!good, "an altered row must fail");
    assert!(err.contains("audit event 3"), "{err}");

    tamper(&db, "DELETE FROM audit_events WHERE seq = 5");
    let (good, _, err) = sightline(d, &["audit", "verify"]);
    assert!(!good, "a removed row must fail");
    assert!(err.contains("audit event 5"), "{err}");

    tamper(&db, "DELETE FROM audit_events WHERE seq = 2");
    let (good, _, err) = sightline(d, &["audit", "verify"]);
    assert!(!good && err.contains("audit event 3"), "{err}");
}

/// Someone who can write the database rewrites a row and recomputes every later hash and the
/// head (as the plain chain allowed), or cuts the newest events and moves the head back: the
/// keyed chain and the signed checkpoints an auditor kept find both.
#[test]
fn a_rewritten_or_cut_chain_is_found() {
    use domain::audit::{AuditRecord, GENESIS_HASH, chain_hash};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let agency = ok(d, &["agency", "add", "--name", "Fusion", "--kind", "fusion_centre"]);
    ok(d, &["site", "add", "--name", "School", "--agency", &agency, "--lat", "41.8", "--lon", "-87.6"]);
    let checkpoint = ok(d, &["audit", "checkpoint"]);
    let kept = d.parent().unwrap().join(format!("kept-{}.jsonl", std::process::id()));
    std::fs::write(&kept, format!("{checkpoint}\n")).unwrap();
    let signed: Value = serde_json::from_str(&checkpoint).unwrap();
    assert_eq!(signed["seq"], 2, "{checkpoint}");
    ok(d, &["site", "add", "--name", "Second School", "--agency", &agency, "--lat", "41.8", "--lon", "-87.6"]);
    let kept_arg = kept.to_str().unwrap();
    assert_eq!(
        ok(d, &["audit", "verify", "--checkpoints", kept_arg]),
        "audit chain intact: 3 events, 2 signed checkpoints hold",
        "the instance's own log and the kept copy"
    );

    // Rewrite: change the first event, recompute every hash after it and the head.
    let db = d.join("sightline.db");
    let rows = query(&db, "SELECT seq, at_ms, actor, action, object, reason, detail FROM audit_events ORDER BY seq");
    let mut prev = GENESIS_HASH.to_owned();
    let mut script = String::new();
    for r in &rows {
        let reason = if r[0] == "1" { "nothing happened" } else { r[5].as_str() };
        let rec = AuditRecord {
            seq: r[0].parse().unwrap(),
            at_ms: r[1].parse().unwrap(),
            actor: &r[2],
            action: &r[3],
            object: &r[4],
            reason,
            detail: &r[6],
        };
        let hash = chain_hash(&prev, &rec);
        script.push_str(&format!(
            "UPDATE audit_events SET reason = '{reason}', prev_hash = '{prev}', hash = '{hash}' WHERE seq = {};",
            r[0]
        ));
        prev = hash;
    }
    script.push_str(&format!("UPDATE audit_head SET hash = '{prev}';"));
    let copy = private_copy(d);
    tamper_script(&copy.path().join("sightline.db"), &script);
    let (good, _, err) = sightline(copy.path(), &["audit", "verify"]);
    assert!(!good && err.contains("audit event"), "a recomputed plain chain fails the key: {err}");

    // Cut: the newest event gone and the head moved back to the one before. The head is
    // consistent again; only a checkpoint past it tells.
    let newest = query(&db, "SELECT seq, hash FROM audit_events WHERE seq = 2");
    let copy = private_copy(d);
    tamper_script(
        &copy.path().join("sightline.db"),
        &format!("DELETE FROM audit_events WHERE seq = 3; UPDATE audit_head SET seq = 2, hash = '{}';", newest[0][1]),
    );
    let (good, out, _) = sightline(copy.path(), &["audit", "verify"]);
    assert!(good, "without a checkpoint past it, a cut at the head looks like a shorter chain: {out}");
    ok(d, &["audit", "checkpoint"]);
    let later = std::fs::read_to_string(d.join("audit-checkpoints.jsonl")).unwrap();
    std::fs::write(&kept, later).unwrap();
    let (good, _, err) = sightline(copy.path(), &["audit", "verify", "--checkpoints", kept_arg]);
    assert!(!good && err.contains("signed checkpoint vouches for event 3"), "{err}");
    std::fs::remove_file(&kept).unwrap();
}

/// A copy of the data folder (database and keys), private as the original.
fn private_copy(from: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(copy.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    for f in std::fs::read_dir(from).unwrap() {
        let f = f.unwrap();
        // Not the checkpoint log: the attacker's copy knows only what the database says.
        if f.file_name() != "audit-checkpoints.jsonl" {
            std::fs::copy(f.path(), copy.path().join(f.file_name())).unwrap();
        }
    }
    copy
}

fn tamper_script(db: &Path, script: &str) {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        c.execute(sqlx::AssertSqlSafe(script.to_owned())).await.unwrap();
        c.close().await.unwrap();
    });
}

/// Every row of `sql` as text.
fn query(db: &Path, sql: &str) -> Vec<Vec<String>> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(&mut c).await.unwrap();
        // Closed before returning: SQLite tidies its log files as the last connection goes.
        c.close().await.unwrap();
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<String, _>(i).or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string())).unwrap()
                    })
                    .collect()
            })
            .collect()
    })
}

#[test]
fn resolve_deduplicates_a_csv_and_reports_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.csv");
    let output = dir.path().join("clusters.csv");
    std::fs::write(
        &input,
        "record_id,source,first_name,last_name,dob,phone,email,handle,street,city,state,postcode,national_id\n\
         a1,hotline,William,Turner,2007-03-14,(555) 201-3344,will.turner@gmail.com,@wturner07,,,,,\n\
         a2,webform,Bill,Turner,03/14/2007,555-201-3344,willturner+tips@gmail.com,,,,,,\n\
         a3,police,Maria,Lopez,2008-11-02,,maria.lopez@example.org,,12 Oak St,Millbrook,IL,60601,\n\
         a4,only,three,columns\n\
         ,webform,No,Id,,,,,,,,,\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["resolve", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("skipped line 5") && stderr.contains("skipped line 6"), "{stderr}");
    let clusters = std::fs::read_to_string(&output).unwrap();
    let cluster_of = |id: &str| {
        clusters.lines().find(|l| l.starts_with(&format!("{id},"))).map(|l| l.split(',').nth(1).unwrap().to_owned())
    };
    assert_eq!(cluster_of("a1"), cluster_of("a2"), "William and Bill Turner are one person:\n{clusters}");
    assert_ne!(cluster_of("a1"), cluster_of("a3"));
    let missing = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["resolve", "--input", "no-such-file.csv", "--output"])
        .arg(dir.path().join("x.csv"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success() && err.contains("no-such-file.csv"), "{err}");
}

#[test]
fn keys_rotate_rewraps_every_data_key_and_keeps_content_readable() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut server, url) = serve(d, true);
    let (status, r) = Http::post(
        &format!("{url}/api/v1/tips"),
        &json!({"category": "other", "narrative": "A note for the team.", "contact": {"email": "me@example.test"}}),
        None,
    );
    assert_eq!(status, 201);
    server.kill().unwrap();
    server.wait().unwrap();
    let before = std::fs::read_to_string(d.join("wrapping.key")).unwrap();
    let out = ok(d, &["keys", "rotate"]);
    assert!(out.contains("31 data keys re-wrapped") && out.contains("0 still under an older key"), "{out}");
    assert_ne!(std::fs::read_to_string(d.join("wrapping.key")).unwrap(), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(d.join("wrapping.key")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Restarted on the new key, the tipster still reads their tip.
    let (mut server, url) = serve(d, false);
    let (status, session) = Http::post(
        &format!("{url}/api/v1/tipster/session"),
        &json!({"reference": r["reference"], "passphrase": r["passphrase"]}),
        None,
    );
    assert_eq!(status, 200);
    let (status, _) = Http::post(
        &format!("{url}/api/v1/tipster/messages"),
        &json!({"body": "One more detail."}),
        session["token"].as_str(),
    );
    assert_eq!(status, 201);
    let (status, view) = Http::get(&format!("{url}/api/v1/tipster/tip"), session["token"].as_str());
    assert_eq!((status, view["messages"][0]["body"].as_str()), (200, Some("One more detail.")));
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(ok(d, &["audit", "verify"]).starts_with("audit chain intact"));
}

/// The data folder is the owner's alone: created 0700 with its files 0600, and a folder others
/// can read is refused unless the operator says so.
#[cfg(unix)]
#[test]
fn the_data_folder_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let base = tempfile::tempdir().unwrap();
    let data = base.path().join("data");
    let (mut server, url) = serve(&data, false);
    let (status, _) = Http::post(
        &format!("{url}/api/v1/tips"),
        &json!({"category": "other", "narrative": "A note for the team."}),
        None,
    );
    assert_eq!(status, 201);
    let mut seen = vec![(data.display().to_string(), mode(&data))];
    for f in std::fs::read_dir(&data).unwrap() {
        let path = f.unwrap().path();
        seen.push((path.file_name().unwrap().to_string_lossy().into_owned(), mode(&path)));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(seen[0].1, 0o700, "the folder");
    for (name, m) in &seen[1..] {
        assert_eq!(*m, 0o600, "{name}");
    }
    assert!(seen.iter().any(|(n, _)| n == "sightline.db-wal"), "the WAL was there to check: {seen:?}");

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (started, _, err) = sightline(&data, &["migrate"]);
    assert!(!started && err.contains("--allow-shared-data-folder"), "{err}");
    let (started, _, err) = sightline(&data, &["migrate", "--allow-shared-data-folder"]);
    assert!(started, "{err}");
}

/// `--metrics-bind` serves `/metrics` on an address of its own, for the monitoring network.
#[test]
fn metrics_on_their_own_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["serve", "--bind", "127.0.0.1:0", "--metrics-bind", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env("SIGHTLINE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let metrics = loop {
        let line = lines.next().expect("the server printed its metrics address").unwrap();
        if let Some(rest) = line.strip_prefix("Metrics on ") {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let text = rt.block_on(async { reqwest::get(&metrics).await.unwrap().text().await.unwrap() });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(text.contains("sightline_tips_received_total 0"), "{text}");
}

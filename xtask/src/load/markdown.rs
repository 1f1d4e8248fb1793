//! The `load` section of `BENCHMARKS.md`: method, tables and the targets.

use super::paired::{MOST_PAIRS, PAIRS, PAIRS_TO_JUDGE, Pairs, SLICE_SECONDS};
use super::raw::{Limits, RAW_BATCH, RAW_SECONDS};
use super::{DbRun, Opts, STOLEN_TO_JUDGE};
use crate::report::{self, thousands};
use crate::serve::Db;

/// The verdict on a target measured while the host took `stolen` cores: a miss is only a miss
/// when the host took little (a target met in spite of it is met).
fn judged(met: bool, stolen: f64) -> &'static str {
    if !met && stolen > STOLEN_TO_JUDGE { report::NOT_JUDGED } else { report::verdict(met) }
}

/// Why a verdict is what it is, to add to its row: empty unless not judged.
fn unjudged_why(verdict: &str, stolen: f64) -> String {
    if verdict == report::NOT_JUDGED {
        format!("; not judged: the host took {stolen:.2} cores meanwhile (more than {STOLEN_TO_JUDGE}), run it again")
    } else {
        String::new()
    }
}

/// The verdict on the share of the raw limit: the median of the pairs that count against 60 %,
/// not judged without enough of them.
fn share_verdict(pairs: &Pairs) -> &'static str {
    match pairs.median_share() {
        Some(median) => report::verdict(median >= 60.0),
        None => report::NOT_JUDGED,
    }
}

/// The table of the pairs, with how they were taken.
fn pairs_section(pairs: &Pairs) -> String {
    let mut s = String::from("### The intake against the raw limit, in pairs\n\n");
    s.push_str(&format!(
        "After the levels, on a second server started on a fresh data folder and set up the same way (the agency, the warm-up): pairs until {PAIRS} count ({MOST_PAIRS} at most), each {SLICE_SECONDS:.0} s of intake over HTTP at {} clients (the best level above, filing the same tips the same way; the queue samplers and the alarm probe are off) and, after a second's pause, the raw limit with the server's checkpointing ({RAW_BATCH} tips per transaction; the target row says whether another raw route above was faster in this run) writing exactly as many tips as the intake just filed into one file that is kept from pair to pair, so both databases start every pair with the same number of tips; another second's pause before the next pair. Pairs with a failed request do not count. Each pair's share is the intake's rate over the raw rate measured seconds after it, so both sides meet nearly the same machine; a pair counts when the host took at most {STOLEN_TO_JUDGE} cores on each side, and the verdict below is the median share of the pairs that count ({PAIRS_TO_JUDGE} at least).\n\n",
        pairs.clients
    ));
    s.push_str("| pair | intake tips/s | errors | stolen | raw tips/s | stolen | share | counts |\n");
    s.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (i, p) in pairs.pairs.iter().enumerate() {
        s.push_str(&format!(
            "| {} | {:.0} | {} | {:.2} | {:.0} | {:.2} | {:.1} % | {} |\n",
            i + 1,
            p.intake,
            p.errors,
            p.intake_stolen,
            p.raw,
            p.raw_stolen,
            p.share(),
            match (p.undisturbed(), p.counts()) {
                (_, true) => "yes",
                (false, _) => "no: the host took more",
                (true, false) => "no: requests failed or nothing was written",
            },
        ));
    }
    s.push('\n');
    s
}

pub(super) fn markdown(runs: &[DbRun], raw: Option<&Limits>, opts: &Opts, load_before: &str, minutes: f64) -> String {
    let build = match std::env::var_os("SIGHTLINE_BIN") {
        Some(bin) => format!(
            "the binary in `SIGHTLINE_BIN` ({}), taken as {}",
            bin.to_string_lossy(),
            if opts.release { "release" } else { "debug" }
        ),
        None => (if opts.release { "release" } else { "debug" }).to_owned(),
    };
    let mut s = String::from("## Intake load\n\n");
    s.push_str(&format!(
        "Written by `cargo xtask load --db {} --seconds {}{}` on {}; run it again to refresh this section (the text between the `load:begin` and `load:end` markers is replaced, the rest of the file is kept). The run took {minutes:.1} minutes. **Build: {build}**{}.\n\n",
        match opts.dbs.as_slice() {
            [only] => only.code(),
            _ => "both",
        },
        opts.seconds,
        if opts.release { " --release" } else { "" },
        report::now_utc(),
        if opts.release {
            ""
        } else {
            " (`cargo build -p cli`; a release build of the whole CLI takes about 15 minutes on this machine, so the figures below are for unoptimised code: pass `--release` for the production figures)"
        },
    ));
    s.push_str("### Machine\n\n");
    s.push_str(&report::machine());
    s.push_str(&format!(
        "- Other work on the machine: load average {load_before} at the start, {} at the end. The load generator runs on the same 2 cores as the server (its CPU use is in the tables), so the figures are lower bounds for the server alone. This machine is a virtual one: \"stolen\" below is the CPU time its host gave to others meanwhile (`steal` in `/proc/stat`), in cores of the 2; it takes more from the intake, which keeps both cores busy, than from the raw limit, which keeps one.\n\n",
        report::load_average()
    ));
    s.push_str("### Method\n\n");
    s.push_str(&format!(
        "- `sightline serve --bind 127.0.0.1:0` on a fresh data folder (SQLite: WAL, `synchronous=FULL`, one writer connection; PostgreSQL: a throwaway cluster from `xtask/src/pg.rs` on 127.0.0.1, pool of 16, default `fsync=on`, `synchronous_commit=on`). One fusion-centre agency is the fallback, so every tip is routed to it and lands in its queue; an analyst of that agency holds the API token for the queue sampler. 20 tips are filed first as a warm-up.\n\
         - For each concurrency level in turn ({}) on the same server: that many clients, each on its own HTTP/1.1 connection (hyper, opened before the level is timed; all on one thread of the load generator), file tips back to back for {} s: `POST /api/v1/tips` with `{{\"category\":\"other\",\"narrative\":\"Load test tip N: a bag was left unattended near the north entrance of the library.\"}}` and a unique `Idempotency-Key`. A 201 is only sent after the commit, so every tip counted is durable. The latency of every 201 is recorded, from sending to the whole answer read (client-side, so it includes the load generator's own scheduling). Tips/s = 201s ÷ the wall time until the last request of the level finished. The database grows from level to level.\n\
         - During each level, two more clients each fetch the staff queue every 200 ms: the API (`GET /api/v1/tips` with the analyst's bearer token: the 500 most urgent open tips, JSON) and the console page (`GET /staff`, the same rows as HTML, with a console session the load generator signs in to like a person: password, then the second factor set up from the key the page shows, codes computed with `totp-rs`). The alarm probe files a life-safety tip (`planned_attack`, a stated plan to shoot with a gun at hand) every 500 ms; the agency's on-call contact is a webhook receiver inside the load generator, and the probe times each tip from just before sending it to the arrival of its first notification (the signed `new_tip` webhook from the outbox): an upper bound on \"from receipt\", since it includes the intake's own latency. A notification later than 30 s counts as missing. The server's `VmRSS` is read from `/proc/<pid>/status` every 100 ms (peak reported) with `VmHWM` (the process's high-water mark since start). CPU use is the process's user + system time over the level's wall time, in cores.\n\
         - After the levels, when `--backlog` is not 0 (default 100,000): {filers} clients file more of the same tips until the server has received that many (read from `/metrics`; nobody works the queue, so all stay open), then with nothing else running the queue page and the queue API are each fetched {samples} times, one after the other. On PostgreSQL `ANALYZE` runs first, as autovacuum does by itself within about a minute of such a change in a running system (right after the bulk load the planner still takes the tables for nearly empty, sorts the whole queue, and the page took about 350 ms).\n\
         - Raw limit (SQLite only), in the same run: a fresh SQLite file with the server's own migrations (`crates/store/src/migrations/sqlite`) and settings (WAL, `synchronous=FULL`, foreign keys), written through rusqlite (the library and bundled SQLite the server's intake writer uses, prepared statements, one thread) with no HTTP, JSON, triage or routing: per tip the rows a plain tip writes (the tip, its idempotency key, its wrapped data key, one route, three hash-chained audit events with the chain head read and updated), {RAW_BATCH} tips per transaction for {RAW_SECONDS:.0} s, once with SQLite's own checkpoints and once with the server's checkpoint thread; and, for comparison, one tip per transaction (one fsync per tip) for {RAW_SECONDS:.0} s. Then the same rows through Python's `sqlite3` module, {RAW_BATCH} tips per transaction, by another route: the best of the batched rates is the limit the levels are compared with. The verdict on the share comes from paired slices (below).\n\n",
        opts.levels.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        opts.seconds,
        filers = super::backlog::FILERS,
        samples = super::backlog::SAMPLES,
    ));
    for r in runs {
        s.push_str(&format!("### {} over HTTP\n\n", r.db.name()));
        s.push_str("Intake:\n\n| clients | tips | tips/s | p50 | p99 | p99.9 | max | errors | RSS peak | VmHWM | server CPU | generator CPU | stolen |\n");
        s.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for l in &r.levels {
            s.push_str(&format!(
                "| {} | {} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {} | {} MiB | {} MiB | {:.2} | {:.2} | {:.2} |\n",
                l.clients,
                thousands(l.tips),
                l.per_second(),
                l.latency.p50,
                l.latency.p99,
                l.latency.p999,
                l.latency.max,
                l.errors,
                l.rss_peak_kib / 1024,
                l.hwm_kib / 1024,
                l.server_cpu,
                l.generator_cpu,
                l.stolen,
            ));
        }
        s.push_str("\nBeside the intake, at the same time: the staff queue (API and page, each every 200 ms) and the life-safety alarm probe (from sending the tip to its first notification reaching the on-call webhook):\n\n");
        s.push_str("| clients | queue API p50 | p99 | samples | queue page p50 | p99 | samples | alarm p50 | p99 | max | alarms filed | no notification |\n");
        s.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for l in &r.levels {
            s.push_str(&format!(
                "| {} | {:.1} ms | {:.1} ms | {} | {:.1} ms | {:.1} ms | {} | {:.1} ms | {:.1} ms | {:.1} ms | {} | {} |\n",
                l.clients,
                l.queue.p50,
                l.queue.p99,
                l.queue.n,
                l.page.p50,
                l.page.p99,
                l.page.n,
                l.alarms.latency.p50,
                l.alarms.latency.p99,
                l.alarms.latency.max,
                l.alarms.filed,
                l.alarms.missing,
            ));
        }
        for l in r.levels.iter().filter(|l| {
            l.errors > 0
                || l.queue_errors > 0
                || l.page_errors > 0
                || l.alarms.errors > 0
                || l.alarms.not_life_safety > 0
        }) {
            s.push_str(&format!(
                "\nAt {} clients: {} failed tip requests (first: {}), {} failed queue API samples, {} failed queue page samples, {} alarm tips not stored, {} alarms notified with another tier than life-safety.\n",
                l.clients,
                l.errors,
                l.error_sample.as_deref().unwrap_or("-").replace('\n', " "),
                l.queue_errors,
                l.page_errors,
                l.alarms.errors,
                l.alarms.not_life_safety,
            ));
        }
        if let Some(b) = &r.backlog {
            s.push_str(&format!(
                "\nThe queue at rest with **{} open tips** (filled by {} clients in {:.0} s after the levels; nothing else running while timed, {} requests of each, one after the other): the queue page `GET /staff` p50 **{:.1} ms**, p99 **{:.1} ms**, max {:.1} ms ({} KiB of HTML); `GET /api/v1/tips` p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} KiB of JSON); the host took {:.2} cores meanwhile. Both show the 500 most urgent open tips of the agency; the rest are a filter or a page away.\n",
                thousands(b.open_tips),
                super::backlog::FILERS,
                b.filled_in_seconds,
                b.page.n,
                b.page.p50,
                b.page.p99,
                b.page.max,
                b.page_bytes / 1024,
                b.api.p50,
                b.api.p99,
                b.api.max,
                b.api_bytes / 1024,
                b.stolen,
            ));
        }
        if r.db == Db::Sqlite {
            s.push_str(&format!(
                "\nData folder after the run (database, WAL and key): {:.1} MiB.\n",
                r.db_bytes as f64 / 1048576.0
            ));
        }
        s.push('\n');
    }
    let sqlite = runs.iter().find(|r| r.db == Db::Sqlite);
    if let Some(Limits { batched, batched_beside, single, python }) = raw {
        s.push_str("### Raw SQLite limit\n\n");
        s.push_str(&format!(
            "Measured by a {} build of xtask (the same optimisation as the server above).\n\n",
            if opts.release { "release" } else { "debug" }
        ));
        s.push_str(&format!(
            "- {} tips per transaction: {} tips in {:.1} s = **{:.0} tips/s** ({} row writes/s: 7 rows inserted and the chain head updated per tip); {:.2} cores busy, {:.2} stolen\n",
            batched.per_tx,
            thousands(batched.tips),
            batched.seconds,
            batched.per_second(),
            thousands((batched.per_second() * 8.0) as u64),
            batched.cpu,
            batched.stolen,
        ));
        s.push_str(&format!(
            "- {} tips per transaction, the log checkpointed as the server does it (a thread beside the writer, passive checkpoints every 50 ms, finished while the writer waits once the log passes 8,000 pages; SQLite's default, used above, checkpoints inside the commit that takes the log past 1,000 pages): {} tips in {:.1} s = **{:.0} tips/s**; {:.2} cores busy, {:.2} stolen\n",
            batched_beside.per_tx,
            thousands(batched_beside.tips),
            batched_beside.seconds,
            batched_beside.per_second(),
            batched_beside.cpu,
            batched_beside.stolen,
        ));
        s.push_str(&format!(
            "- 1 tip per transaction (one fsync per tip): {} tips in {:.1} s = {:.0} tips/s; {:.2} cores busy, {:.2} stolen\n",
            thousands(single.tips),
            single.seconds,
            single.per_second(),
            single.cpu,
            single.stolen,
        ));
        match python {
            Some((p, version)) => s.push_str(&format!(
                "- By another route: the same schema, settings and rows through Python's `sqlite3` module (SQLite {version} of the system, C code with prepared statements and `executemany` per table, `xtask/src/load/raw_limit.py`), {} tips per transaction: {} tips in {:.1} s = **{:.0} tips/s**; {:.2} cores busy, {:.2} stolen (over the child process). The fastest of the batched rates is the limit the levels are compared with; the verdict on the share comes from the pairs below.\n\n",
                p.per_tx,
                thousands(p.tips),
                p.seconds,
                p.per_second(),
                p.cpu,
                p.stolen,
            )),
            None => s.push_str("- The rate through Python's `sqlite3` module could not be measured (no `python3`?); the limit below is the rusqlite one.\n\n"),
        }
    }
    if let Some(pairs) = sqlite.and_then(|r| r.pairs.as_ref()) {
        s.push_str(&pairs_section(pairs));
    }
    if let Some(r) = sqlite {
        let best = super::best_level(&r.levels);
        let at64 = r.levels.iter().find(|l| l.clients == 64);
        s.push_str("### Against the targets (SQLite)\n\n| target | measured | |\n| --- | ---: | --- |\n");
        if let Some(b) = best {
            let verdict = judged(b.per_second() >= 2000.0, b.stolen);
            s.push_str(&format!(
                "| ≥ 2,000 durable tips/s over HTTP | {:.0} tips/s (best level: {} clients{}) | {verdict} |\n",
                b.per_second(),
                b.clients,
                unjudged_why(verdict, b.stolen),
            ));
        }
        match at64 {
            Some(l) => {
                let verdict = judged(l.latency.p99 < 50.0, l.stolen);
                s.push_str(&format!(
                    "| p99 < 50 ms at 64 clients | {:.1} ms{} | {verdict} |\n",
                    l.latency.p99,
                    unjudged_why(verdict, l.stolen),
                ));
            }
            None => s.push_str("| p99 < 50 ms at 64 clients | not measured (64 not among the levels) | |\n"),
        }
        if let (Some(b), Some(limits), Some(pairs)) = (best, raw, &r.pairs) {
            let limit = limits.best();
            let counted = pairs.counting().count();
            let taken = pairs.pairs.len();
            let verdict = share_verdict(pairs);
            let median = match pairs.median_share() {
                Some(m) => format!("**{m:.1} %**, the median of the {counted} pairs of {taken} that count"),
                None => format!(
                    "not judged: {counted} of the {taken} pairs count (the host took more than {STOLEN_TO_JUDGE} cores during the others), run it again"
                ),
            };
            // The pairs' raw side is the rusqlite rate with the server's checkpointing; say so
            // when another route was faster in this run.
            let route = if std::ptr::eq(limits.best_run(), &limits.batched_beside) {
                "the pairs' raw route (the server's checkpointing) was the fastest of the raw rates above".to_owned()
            } else {
                format!(
                    "another raw route above was faster than the pairs' one (the server's checkpointing) in this run: {:.0} against {:.0} tips/s",
                    limits.best(),
                    limits.batched_beside.per_second()
                )
            };
            s.push_str(&format!(
                "| ≥ 60 % of the raw SQLite limit | {median}; {route}. Minutes apart, the best level and the raw rates above: {:.1} % ({:.0} of {:.0} tips/s, the best raw rate; {:.0} % of the best rusqlite batched rate, {:.0} % of one tip per transaction; stolen by the host: {:.2} cores during that level, {:.2} during the raw rate) | {verdict} |\n",
                b.per_second() / limit * 100.0,
                b.per_second(),
                limit,
                b.per_second() / limits.best_rusqlite() * 100.0,
                b.per_second() / limits.single.per_second() * 100.0,
                b.stolen,
                limits.best_run().stolen,
            ));
        }
        let worst_alarm = r.levels.iter().max_by(|a, b| a.alarms.latency.max.total_cmp(&b.alarms.latency.max));
        if let Some(l) = worst_alarm {
            let missing: usize = r.levels.iter().map(|l| l.alarms.missing).sum();
            let filed: usize = r.levels.iter().map(|l| l.alarms.filed).sum();
            // A missing notification is a miss whatever the host did; a slow one may be the host's.
            let verdict = if missing == 0 && filed > 0 {
                judged(l.alarms.latency.max <= 1000.0, l.stolen)
            } else {
                report::verdict(false)
            };
            s.push_str(&format!(
                "| a life-safety tip's first notification within 1 s, under load | slowest of {filed} alarms {:.0} ms (at {} clients; p99 there {:.0} ms); {missing} without a notification{} | {verdict} |\n",
                l.alarms.latency.max,
                l.clients,
                l.alarms.latency.p99,
                unjudged_why(verdict, l.stolen),
            ));
        }
        match &r.backlog {
            Some(b) => {
                let verdict = judged(b.open_tips >= 100_000 && b.page.p99 < 100.0, b.stolen);
                s.push_str(&format!(
                    "| the queue page for 100,000 open tips in < 100 ms | {} open tips: p99 {:.1} ms (p50 {:.1} ms){} | {verdict} |\n",
                    thousands(b.open_tips),
                    b.page.p99,
                    b.page.p50,
                    unjudged_why(verdict, b.stolen),
                ));
            }
            None => {
                s.push_str("| the queue page for 100,000 open tips in < 100 ms | not measured (`--backlog 0`) | |\n")
            }
        }
        s.push('\n');
        if !opts.release {
            s.push_str("These are debug-build figures: the server's CPU-bound work (JSON, triage, routing, hashing, SQLite) runs unoptimised, so they understate a release build. ");
        }
        s.push_str("The raw figures are what SQLite on this disk allows for the same rows with commits batched 100 tips at a time (through rusqlite and through Python's), and with one commit per tip. ");
        // Measured on this machine, 2026-11-22, after the SQLite build options and the
        // escalation index: 25 runs of the 64-client level and the raw limit, back to back,
        // 43-71 % (median 60 %); before them, twelve runs gave 46-64 % (median 56 %).
        s.push_str("Both sides move with the disk's sync latency and with the CPU time the host takes (the stolen figures), and not together: on the machine above, 25 back-to-back runs of the same code put the 64-client level anywhere from 43 % to 71 % of the raw limit measured minutes later (median 60 %). That is why the verdict on the share comes from the pairs, each measured within seconds, and their median.\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::paired::Pair;
    use super::*;

    #[test]
    fn the_share_is_judged_on_the_median_of_the_undisturbed_pairs() {
        let pair = |intake, raw_stolen| Pair { intake, intake_stolen: 0.0, errors: 0, raw: 100.0, raw_stolen };
        let check = |pairs: Vec<Pair>, expected| {
            let pairs = Pairs { clients: 64, pairs };
            assert_eq!(share_verdict(&pairs), expected, "{:?}", pairs.median_share());
            let table = pairs_section(&pairs);
            assert_eq!(table.matches("| yes |").count(), pairs.counting().count());
        };
        check(vec![pair(64.0, 0.02), pair(58.0, 0.0), pair(61.0, 0.0), pair(30.0, 0.4)], report::verdict(true));
        check(vec![pair(55.0, 0.0), pair(58.0, 0.0), pair(61.0, 0.0), pair(90.0, 0.4)], report::verdict(false));
        check(vec![pair(64.0, 0.4), pair(110.0, 0.9), pair(61.0, 0.0)], report::NOT_JUDGED);
    }

    #[test]
    fn a_target_met_under_a_busy_host_is_met_and_a_miss_there_is_not_judged() {
        assert_eq!(judged(true, 0.8), report::verdict(true));
        assert_eq!(judged(false, 0.05), report::verdict(false));
        assert_eq!(judged(false, 0.8), report::NOT_JUDGED);
        assert_eq!(judged(false, f64::NAN), report::verdict(false));
        assert!(unjudged_why(report::NOT_JUDGED, 0.8).contains("0.80 cores"));
        assert_eq!(unjudged_why(report::verdict(false), 0.8), "");
    }
}

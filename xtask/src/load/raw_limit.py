"""The raw SQLite limit by another route: Python's sqlite3 module (C, prepared statements,
executemany), the same schema, settings and rows as `raw_limit` in mod.rs, N tips per
transaction. Usage: raw_limit.py MIGRATIONS_DIR DB_FILE TIPS_PER_TX SECONDS. Prints
`raw <per_tx> <tips> <seconds> <cpu cores> <sqlite version>`."""
import sqlite3, sys, os, time, hashlib, json, glob
migr, path, per_tx, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
for f in glob.glob(path + "*"): os.remove(f)
c = sqlite3.connect(path, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL"); c.execute("PRAGMA foreign_keys=ON")
for f in sorted(glob.glob(migr + "/*.sql")): c.executescript(open(f).read())
c.execute("INSERT INTO agencies (id, name, kind, created_at) VALUES (1, 'Raw', 'fusion_centre', 0)")
narr = "Load test tip: a bag was left unattended near the north entrance of the library."
n = 0; seq, prev = c.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
t0 = time.time(); cpu0 = time.process_time()
while time.time() - t0 < seconds:
    c.execute("BEGIN")
    tips, keys, datakeys, routes, audit = [], [], [], [], []
    for _ in range(per_tx):
        n += 1; now = 1_700_000_000_000 + n
        # random-looking and never repeated (as in mod.rs): an odd multiplier permutes 32-bit numbers
        d = "%08X" % ((n * 0x9E3779B1) & 0xFFFFFFFF)
        ref = d[:4] + "-" + d[4:8]
        tid = c.execute("INSERT INTO tips (reference, passphrase_hash, category, narrative, language, tier, tier_rank, tier_rule, tier_rule_text, original_tier, status, ack_due_at, escalation_level, next_escalation_at, received_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,'routed',?,0,?,?,?,1) RETURNING id",
            (ref, hashlib.sha256(ref.encode()).hexdigest(), "other", narr, "en", "standard", 2, "category_floor", "The category sets the floor.", "standard", now+86400000, now+86400000, now, now)).fetchone()[0]
        keys.append((hashlib.sha256(f"key-{n}".encode()).hexdigest(), tid, hashlib.sha256(narr.encode()).hexdigest(), now))
        # the tip's data key, wrapped: 96 characters of text, as the server stores it
        datakeys.append((tid, "8bdeb142639ab46d", (hashlib.sha256(ref.encode()).hexdigest() * 2)[:96]))
        routes.append((tid, now))
        for actor, action in (("tipster","tip.received"),("system","tip.triaged"),("system","tip.routed")):
            seq += 1; obj = f"tip:{tid}"; det = json.dumps({"reference": ref, "category": "other", "channel": "web"})
            h = hashlib.sha256()
            for part in (prev, str(seq), str(now), actor, action, obj, "", det):
                b = part.encode(); h.update(len(b).to_bytes(8,'big')); h.update(b)
            hh = h.hexdigest(); audit.append((seq, now, actor, action, obj, det, prev, hh)); prev = hh
    c.executemany("INSERT INTO idempotency_keys (key_hash, tip_id, request_hash, created_at) VALUES (?,?,?,?)", keys)
    c.executemany("INSERT INTO tip_keys (tip_id, key_id, wrapped) VALUES (?,?,?)", datakeys)
    c.executemany("INSERT INTO tip_routes (tip_id, agency_id, reason, state, created_at) VALUES (?,1,'fallback agency','pending',?)", routes)
    c.executemany("INSERT INTO audit_events (seq, at_ms, actor, action, object, reason, detail, prev_hash, hash) VALUES (?,?,?,?,?,'',?,?,?)", audit)
    c.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
    c.execute("COMMIT")
el = time.time() - t0
print(f"raw {per_tx} {n} {el:.4f} {(time.process_time()-cpu0)/el:.4f} {sqlite3.sqlite_version}")

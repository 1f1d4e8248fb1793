-- Sightline schema, SQLite. Never edit a migration that has shipped: add a new one.
CREATE TABLE agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('law_enforcement','school_district','school','fusion_centre','federal','crisis_centre','college','house_of_worship')),
    jurisdiction TEXT,
    partner_agency_id INTEGER REFERENCES agencies(id),
    ack_policy TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_agency_id INTEGER NOT NULL REFERENCES agencies(id),
    lat REAL,
    lon REAL,
    address TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL CHECK (role IN ('on_call','supervisor')),
    name TEXT NOT NULL,
    webhook_url TEXT NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tips (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    passphrase_hash TEXT NOT NULL,
    category TEXT NOT NULL,
    narrative TEXT NOT NULL,
    language TEXT NOT NULL,
    location_text TEXT,
    lat REAL,
    lon REAL,
    site_id INTEGER REFERENCES sites(id),
    tier TEXT NOT NULL CHECK (tier IN ('life_safety','urgent','standard','informational')),
    tier_rank INTEGER NOT NULL,
    tier_rule TEXT NOT NULL,
    tier_rule_text TEXT NOT NULL,
    original_tier TEXT NOT NULL,
    tier_override_reason TEXT,
    tier_overridden_by INTEGER,
    status TEXT NOT NULL CHECK (status IN ('received','triaged','routed','acknowledged','in_progress','awaiting_review','closed')),
    assignee_id INTEGER REFERENCES users(id),
    ack_due_at INTEGER,
    acknowledged_at INTEGER,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    next_escalation_at INTEGER,
    disposition TEXT,
    disposition_reason TEXT,
    closed_by INTEGER,
    close_requested_by INTEGER,
    closed_at INTEGER,
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tips_open_queue ON tips (status, tier_rank, ack_due_at);
CREATE INDEX tips_next_escalation ON tips (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
CREATE TABLE tip_factors (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    kind TEXT NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX tip_factors_tip ON tip_factors (tip_id);
CREATE TABLE tip_subjects (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    name TEXT, age INTEGER, dob TEXT, school TEXT, phone TEXT, email TEXT,
    handles TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX tip_subjects_tip ON tip_subjects (tip_id);
CREATE TABLE tip_contacts (
    tip_id INTEGER PRIMARY KEY REFERENCES tips(id),
    name TEXT, phone TEXT, email TEXT
);
CREATE TABLE tip_routes (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending','accepted','declined','transferred')),
    decided_by INTEGER,
    decision_reason TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX tip_routes_tip ON tip_routes (tip_id);
CREATE INDEX tip_routes_agency ON tip_routes (agency_id, state);
CREATE TABLE tip_messages (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    author TEXT NOT NULL CHECK (author IN ('tipster','staff')),
    user_id INTEGER,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX tip_messages_tip ON tip_messages (tip_id);
CREATE TABLE idempotency_keys (
    key_hash TEXT PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    request_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE tipster_sessions (
    token_hash TEXT PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    expires_at INTEGER NOT NULL
);
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER REFERENCES tips(id),
    agency_id INTEGER REFERENCES agencies(id),
    contact_id INTEGER REFERENCES contacts(id),
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until INTEGER,
    delivered_at INTEGER,
    failed_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_object ON audit_events (object);
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

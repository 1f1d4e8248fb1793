-- Entity resolution: mentions of people in tips, suggested links with their reasons, human
-- decisions, and access to other agencies' records granted on request.
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    source TEXT NOT NULL CHECK (source IN ('subject','narrative')),
    name TEXT, dob TEXT, phone TEXT, email TEXT, handle TEXT, school TEXT,
    evidence TEXT,
    created_at INTEGER NOT NULL,
    matched_at INTEGER
);
CREATE INDEX mentions_tip ON mentions (tip_id);
CREATE INDEX mentions_unmatched ON mentions (id) WHERE matched_at IS NULL;
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    mention_id INTEGER NOT NULL REFERENCES mentions(id),
    other_mention_id INTEGER NOT NULL REFERENCES mentions(id),
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    other_tip_id INTEGER NOT NULL REFERENCES tips(id),
    weight REAL NOT NULL,
    probability REAL NOT NULL,
    explanation TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('suggested','confirmed','rejected')),
    decided_by INTEGER,
    decided_at INTEGER,
    reason TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (mention_id, other_mention_id)
);
CREATE INDEX links_tip ON links (tip_id);
CREATE INDEX links_other_tip ON links (other_tip_id);
CREATE TABLE access_requests (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    link_id INTEGER REFERENCES links(id),
    requesting_agency_id INTEGER NOT NULL REFERENCES agencies(id),
    requested_by INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending','granted','refused')),
    decided_by INTEGER,
    decided_at INTEGER,
    decision_reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX access_requests_tip ON access_requests (tip_id);
CREATE TABLE tip_shares (
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    request_id INTEGER REFERENCES access_requests(id),
    granted_by INTEGER NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (tip_id, agency_id)
);

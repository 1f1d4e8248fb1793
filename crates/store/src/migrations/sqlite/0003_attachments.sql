-- Files a tipster or staff attached: stored in the database, so every server sees them and
-- they are committed with the tip or message they came with.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    uploader TEXT NOT NULL CHECK (uploader IN ('tipster','staff')),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    note TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_tip ON attachments (tip_id);

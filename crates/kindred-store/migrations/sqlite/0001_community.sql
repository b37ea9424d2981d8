-- Kindred's community and tracker schema, SQLite dialect. The PostgreSQL migration of the same
-- number creates the same tables, columns and constraints; a test compares the two.
-- Times are Unix seconds (BIGINT); dates are ISO-8601 text; flags are 0/1 integers; structured
-- member data (profile, tracker records) is JSON text validated by the domain crates.

CREATE TABLE members (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    handle        TEXT    NOT NULL,
    handle_key    TEXT    NOT NULL UNIQUE,
    password_hash TEXT,
    role          TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
    synthetic     INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);

CREATE TABLE profiles (
    member_id        INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    data             TEXT    NOT NULL,
    open_to_matching INTEGER NOT NULL DEFAULT 0 CHECK (open_to_matching IN (0, 1)),
    updated_at       BIGINT  NOT NULL
);

CREATE TABLE group_members (
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    group_slug  TEXT    NOT NULL,
    joined_at   BIGINT  NOT NULL,
    PRIMARY KEY (member_id, group_slug)
);
CREATE INDEX group_members_group ON group_members (group_slug);

CREATE TABLE posts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    group_slug  TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES members (id) ON DELETE SET NULL,
    title       TEXT    NOT NULL DEFAULT '',
    body        TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1))
);
CREATE INDEX posts_group ON posts (group_slug, parent_id, id);
CREATE INDEX posts_parent ON posts (parent_id, id);
CREATE INDEX posts_author ON posts (author_id);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reporter_id INTEGER REFERENCES members (id) ON DELETE SET NULL,
    reason      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    resolved    INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX reports_open ON reports (resolved, id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id   INTEGER REFERENCES members (id) ON DELETE SET NULL,
    action     TEXT    NOT NULL,
    post_id    INTEGER,
    target_id  INTEGER,
    reason     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE tracker_records (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('entry', 'injection', 'medicine')),
    day        TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX tracker_records_member ON tracker_records (member_id, kind, day);

CREATE TABLE tracker_settings (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    data       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL
);

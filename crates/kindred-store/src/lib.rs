//! Kindred's store: the SQL schema, its migrations for SQLite and PostgreSQL, and the repositories
//! over them. This is the only crate that writes SQL.
//!
//! The scheme of the database URL picks the backend: `sqlite://…` (the default, a file in the data
//! directory, WAL journal, `synchronous=FULL` so an acknowledged write survives a crash) or
//! `postgres://…`. Both run the same statements through sqlx's `Any` driver; the two migration
//! directories create the same tables, columns and constraints in each dialect (a test compares
//! them). Statements are written once, with `$1`-style parameters that both backends accept.
//!
//! The store knows rows, not rules: who may read what is decided by `kindred-auth` and the façade
//! above. Structured member data (a profile, a tracker record) is stored as JSON text that the
//! domain crates define and validate; the store never interprets it, so it never leaks it either.
//! Password hashes are read by exactly one method, [`Store::credentials`], and appear in no record
//! type.

mod error;
mod ids;
mod records;
#[cfg(feature = "testing")]
pub mod testing;
mod throttles;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

pub use error::Error;
pub use ids::{MemberId, PostId, RecordId, ReportId};
pub use kindred_auth::Role;
pub use records::{
    AuditRecord, MemberRecord, NewPost, PostRecord, ProfileRow, ReportRecord, SessionRecord, SyntheticRow,
    TrackerKind, TrackerRecord,
};
pub use throttles::THROTTLE_RETENTION_SECS;

/// Result of store operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One file in the data directory; the default.
    Sqlite,
    /// A PostgreSQL server, for deployments that outgrow one machine.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, from its scheme.
    pub fn of_url(url: &str) -> Result<Backend> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(Error::UnsupportedUrl {
                scheme: scheme.chars().take(20).collect(),
            }),
        }
    }

    /// A short name for logs and reports.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// An open, migrated database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The URL of the default database inside a data directory.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("kindred.db").display())
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Store> {
        let backend = Backend::of_url(url)?;
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url).map_err(|source| Error::Connect {
            backend: backend.name(),
            source,
        })?;
        let pool_options = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time either way; a few readers beside it.
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .acquire_timeout(Duration::from_secs(10));
        let pool_options = match backend {
            Backend::Sqlite => pool_options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside the writer; FULL syncs each commit so an
                    // acknowledged write survives a crash; foreign keys enforce the cascades that
                    // account deletion relies on.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                    Ok(())
                })
            }),
            Backend::Postgres => pool_options,
        };
        let pool = pool_options
            .connect_with(options)
            .await
            .map_err(|source| Error::Connect {
                backend: backend.name(),
                source,
            })?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(Error::Migrate)?;
        Ok(Store { pool, backend })
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (after the work in flight).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The tables and their columns, sorted: what the migrations built (for the schema parity test).
    pub async fn schema(&self) -> Result<Vec<(String, Vec<String>)>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                 AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY 1, 2"
            }
            Backend::Postgres => {
                "SELECT table_name::text AS table_name, column_name::text AS column_name \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name NOT LIKE '_sqlx%' ORDER BY 1, 2"
            }
        };
        let rows = self.fetch_all("schema", sqlx::query(sql)).await?;
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for row in rows {
            let table: String = get(&row, "table_name")?;
            let column: String = get(&row, "column_name")?;
            match tables.last_mut() {
                Some((name, columns)) if *name == table => columns.push(column),
                _ => tables.push((table, vec![column])),
            }
        }
        Ok(tables)
    }

    // ---- members -------------------------------------------------------------------------------

    /// Creates a member. `handle_key` is the handle's case-folded form, unique across members.
    pub async fn create_member(
        &self,
        handle: &str,
        handle_key: &str,
        password_hash: Option<&str>,
        role: Role,
        synthetic: bool,
        now: i64,
    ) -> Result<MemberId> {
        let row = sqlx::query(
            "INSERT INTO members (handle, handle_key, password_hash, role, synthetic, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(handle)
        .bind(handle_key)
        .bind(password_hash)
        .bind(role.key())
        .bind(i64::from(synthetic))
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|source| unique_or(source, "create member", Error::HandleTaken))?;
        Ok(MemberId(get(&row, "id")?))
    }

    /// Inserts generated demo members (no password: they cannot sign in) with their profiles and
    /// group memberships, in one transaction. Returns their ids in order.
    pub async fn insert_synthetic_members<P: Serialize>(
        &self,
        members: &[SyntheticRow<'_, P>],
        now: i64,
    ) -> Result<Vec<MemberId>> {
        let mut tx = self.begin("insert synthetic members").await?;
        let mut ids = Vec::with_capacity(members.len());
        for member in members {
            let row = sqlx::query(
                "INSERT INTO members (handle, handle_key, password_hash, role, synthetic, created_at) \
                 VALUES ($1, $2, NULL, 'member', 1, $3) RETURNING id",
            )
            .bind(member.handle)
            .bind(member.handle.to_ascii_lowercase())
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|source| unique_or(source, "insert synthetic members", Error::HandleTaken))?;
            let id: i64 = get(&row, "id")?;
            sqlx::query(
                "INSERT INTO profiles (member_id, data, open_to_matching, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(encode_json(member.profile, "profile")?)
            .bind(i64::from(member.open_to_matching))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(query("insert synthetic members"))?;
            for group in &member.groups {
                sqlx::query(
                    "INSERT INTO group_members (member_id, group_slug, joined_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (member_id, group_slug) DO NOTHING",
                )
                .bind(id)
                .bind(*group)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(query("insert synthetic members"))?;
            }
            ids.push(MemberId(id));
        }
        tx.commit().await.map_err(query("insert synthetic members"))?;
        Ok(ids)
    }

    /// The highest number used in a synthetic member's handle so far (to continue numbering).
    pub async fn count_synthetic_members(&self) -> Result<u64> {
        self.count(
            "count synthetic members",
            sqlx::query("SELECT COUNT(*) AS n FROM members WHERE synthetic = 1"),
        )
        .await
    }

    /// A member by handle key (case-folded handle).
    pub async fn member_by_handle(&self, handle_key: &str) -> Result<Option<MemberRecord>> {
        let row = self
            .fetch_optional(
                "member by handle",
                sqlx::query(
                    "SELECT id, handle, role, synthetic, created_at FROM members \
                     WHERE handle_key = $1",
                )
                .bind(handle_key),
            )
            .await?;
        row.as_ref().map(member_record).transpose()
    }

    /// A member by id.
    pub async fn member(&self, id: MemberId) -> Result<Option<MemberRecord>> {
        let row = self
            .fetch_optional(
                "member",
                sqlx::query("SELECT id, handle, role, synthetic, created_at FROM members WHERE id = $1")
                    .bind(id.0),
            )
            .await?;
        row.as_ref().map(member_record).transpose()
    }

    /// The id and password hash of the member with this handle key: for checking a password,
    /// nothing else. Synthetic members have no password and cannot log in.
    pub async fn credentials(&self, handle_key: &str) -> Result<Option<(MemberId, String)>> {
        let row = self
            .fetch_optional(
                "credentials",
                sqlx::query(
                    "SELECT id, password_hash FROM members \
                     WHERE handle_key = $1 AND password_hash IS NOT NULL",
                )
                .bind(handle_key),
            )
            .await?;
        match row {
            Some(row) => Ok(Some((MemberId(get(&row, "id")?), get(&row, "password_hash")?))),
            None => Ok(None),
        }
    }

    /// Replaces a member's password hash and ends every other session of theirs, in one
    /// transaction.
    pub async fn set_password_hash(
        &self,
        id: MemberId,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin("set password").await?;
        sqlx::query("UPDATE members SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(query("set password"))?;
        sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await
            .map_err(query("set password"))?;
        tx.commit().await.map_err(query("set password"))
    }

    /// Sets a member's role.
    pub async fn set_role(&self, id: MemberId, role: Role) -> Result<bool> {
        let done = sqlx::query("UPDATE members SET role = $1 WHERE id = $2")
            .bind(role.key())
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(query("set role"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Members with a role, by handle (for the admin page).
    pub async fn members_with_role(&self, role: Role) -> Result<Vec<MemberRecord>> {
        let rows = self
            .fetch_all(
                "members with role",
                sqlx::query(
                    "SELECT id, handle, role, synthetic, created_at FROM members \
                     WHERE role = $1 ORDER BY handle_key",
                )
                .bind(role.key()),
            )
            .await?;
        rows.iter().map(member_record).collect()
    }

    /// Erases a member: sessions, profile, group memberships and tracker records go with the row
    /// (foreign-key cascades); their posts stay, attributed to nobody ("deleted member"); reports
    /// and audit entries they made lose their name. One transaction.
    pub async fn delete_member(&self, id: MemberId) -> Result<bool> {
        let mut tx = self.begin("delete member").await?;
        // Explicit deletes as well as the cascades: the erasure does not depend on a pragma.
        for sql in [
            "DELETE FROM sessions WHERE member_id = $1",
            "DELETE FROM profiles WHERE member_id = $1",
            "DELETE FROM group_members WHERE member_id = $1",
            "DELETE FROM tracker_records WHERE member_id = $1",
            "DELETE FROM tracker_settings WHERE member_id = $1",
            "UPDATE posts SET author_id = NULL WHERE author_id = $1",
            "UPDATE reports SET reporter_id = NULL WHERE reporter_id = $1",
            "UPDATE audit_log SET actor_id = NULL WHERE actor_id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(query("delete member"))?;
        }
        let done = sqlx::query("DELETE FROM members WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(query("delete member"))?;
        tx.commit().await.map_err(query("delete member"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Number of members (real and synthetic).
    pub async fn count_members(&self) -> Result<u64> {
        self.count("count members", sqlx::query("SELECT COUNT(*) AS n FROM members"))
            .await
    }

    // ---- sessions ------------------------------------------------------------------------------

    /// Stores a new session under the hash of its token.
    pub async fn create_session(&self, session: &SessionRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, member_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.token_hash)
        .bind(session.member.0)
        .bind(&session.csrf_token)
        .bind(session.created_at)
        .bind(session.expires_at)
        .execute(&self.pool)
        .await
        .map_err(query("create session"))?;
        Ok(())
    }

    /// The unexpired session with this token hash.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionRecord>> {
        let row = self
            .fetch_optional(
                "session",
                sqlx::query(
                    "SELECT token_hash, member_id, csrf_token, created_at, expires_at \
                     FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                )
                .bind(token_hash)
                .bind(now),
            )
            .await?;
        match row {
            Some(row) => Ok(Some(SessionRecord {
                token_hash: get(&row, "token_hash")?,
                member: MemberId(get(&row, "member_id")?),
                csrf_token: get(&row, "csrf_token")?,
                created_at: get(&row, "created_at")?,
                expires_at: get(&row, "expires_at")?,
            })),
            None => Ok(None),
        }
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(query("delete session"))?;
        Ok(())
    }

    /// Removes sessions that have expired; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(query("delete expired sessions"))?;
        Ok(done.rows_affected())
    }

    // ---- profiles ------------------------------------------------------------------------------

    /// A member's profile, if they saved one.
    pub async fn profile<P: DeserializeOwned>(&self, member: MemberId) -> Result<Option<P>> {
        let row = self
            .fetch_optional(
                "profile",
                sqlx::query("SELECT data FROM profiles WHERE member_id = $1").bind(member.0),
            )
            .await?;
        row.map(|row| decode_json(&row, "profile")).transpose()
    }

    /// Saves a member's profile (replacing the previous one).
    pub async fn save_profile<P: Serialize>(
        &self,
        member: MemberId,
        profile: &P,
        open_to_matching: bool,
        now: i64,
    ) -> Result<()> {
        let data = encode_json(profile, "profile")?;
        sqlx::query(
            "INSERT INTO profiles (member_id, data, open_to_matching, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (member_id) DO UPDATE SET \
             data = excluded.data, open_to_matching = excluded.open_to_matching, \
             updated_at = excluded.updated_at",
        )
        .bind(member.0)
        .bind(data)
        .bind(i64::from(open_to_matching))
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(query("save profile"))?;
        Ok(())
    }

    /// Every saved profile with its member, in id order, `batch` at a time from `after` (for
    /// building the in-memory Alikes index and outcome tallies at start-up).
    pub async fn profiles_after<P: DeserializeOwned>(
        &self,
        after: MemberId,
        batch: u32,
    ) -> Result<Vec<ProfileRow<P>>> {
        let rows = self
            .fetch_all(
                "profiles",
                sqlx::query(
                    "SELECT p.member_id, p.data, m.synthetic, m.counts_from FROM profiles p \
                     JOIN members m ON m.id = p.member_id \
                     WHERE p.member_id > $1 ORDER BY p.member_id LIMIT $2",
                )
                .bind(after.0)
                .bind(i64::from(batch)),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ProfileRow {
                    member: MemberId(get(row, "member_id")?),
                    synthetic: get::<i64>(row, "synthetic")? != 0,
                    counts_from: get(row, "counts_from")?,
                    profile: decode_json(row, "profile")?,
                })
            })
            .collect()
    }

    // ---- groups --------------------------------------------------------------------------------

    /// Adds a member to a condition's group (no-op when already in it).
    pub async fn join_group(&self, member: MemberId, group: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO group_members (member_id, group_slug, joined_at) VALUES ($1, $2, $3) \
             ON CONFLICT (member_id, group_slug) DO NOTHING",
        )
        .bind(member.0)
        .bind(group)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(query("join group"))?;
        Ok(())
    }

    /// Removes a member from a group.
    pub async fn leave_group(&self, member: MemberId, group: &str) -> Result<()> {
        sqlx::query("DELETE FROM group_members WHERE member_id = $1 AND group_slug = $2")
            .bind(member.0)
            .bind(group)
            .execute(&self.pool)
            .await
            .map_err(query("leave group"))?;
        Ok(())
    }

    /// Whether a member is in a group.
    pub async fn in_group(&self, member: MemberId, group: &str) -> Result<bool> {
        let n = self
            .count(
                "in group",
                sqlx::query(
                    "SELECT COUNT(*) AS n FROM group_members WHERE member_id = $1 AND group_slug = $2",
                )
                .bind(member.0)
                .bind(group),
            )
            .await?;
        Ok(n > 0)
    }

    /// The groups a member is in, by slug.
    pub async fn groups_of(&self, member: MemberId) -> Result<Vec<String>> {
        let rows = self
            .fetch_all(
                "groups of member",
                sqlx::query("SELECT group_slug FROM group_members WHERE member_id = $1 ORDER BY group_slug")
                    .bind(member.0),
            )
            .await?;
        rows.iter().map(|row| get(row, "group_slug")).collect()
    }

    /// Member counts of every group with at least one member.
    pub async fn group_counts(&self) -> Result<Vec<(String, u64)>> {
        let rows = self
            .fetch_all(
                "group counts",
                sqlx::query(
                    "SELECT group_slug, COUNT(*) AS n FROM group_members GROUP BY group_slug \
                     ORDER BY group_slug",
                ),
            )
            .await?;
        rows.iter()
            .map(|row| Ok((get(row, "group_slug")?, count_of(row)?)))
            .collect()
    }

    /// Member count of one group.
    pub async fn group_count(&self, group: &str) -> Result<u64> {
        self.count(
            "group count",
            sqlx::query("SELECT COUNT(*) AS n FROM group_members WHERE group_slug = $1").bind(group),
        )
        .await
    }

    // ---- posts ---------------------------------------------------------------------------------

    /// Stores a post or reply.
    pub async fn create_post(&self, post: &NewPost<'_>) -> Result<PostId> {
        let row = sqlx::query(
            "INSERT INTO posts (group_slug, parent_id, author_id, title, body, body_html, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(post.group)
        .bind(post.parent.map(|p| p.0))
        .bind(post.author.0)
        .bind(post.title)
        .bind(post.body)
        .bind(post.body_html)
        .bind(post.now)
        .fetch_one(&self.pool)
        .await
        .map_err(query("create post"))?;
        Ok(PostId(get(&row, "id")?))
    }

    /// One post, hidden or not (callers decide who may see a hidden post).
    pub async fn post(&self, id: PostId) -> Result<Option<PostRecord>> {
        let row = self
            .fetch_optional(
                "post",
                sqlx::query(&format!("{POST_SELECT} WHERE p.id = $1")).bind(id.0),
            )
            .await?;
        row.as_ref().map(post_record).transpose()
    }

    /// Top-level posts of a group, newest first, `limit` of them, older than `before` if given.
    pub async fn posts_in_group(
        &self,
        group: &str,
        include_hidden: bool,
        before: Option<PostId>,
        limit: u32,
    ) -> Result<Vec<PostRecord>> {
        let rows = self
            .fetch_all(
                "posts in group",
                sqlx::query(&format!(
                    "{POST_SELECT} WHERE p.group_slug = $1 AND p.parent_id IS NULL \
                     AND (p.hidden = 0 OR $2 = 1) AND p.id < $3 ORDER BY p.id DESC LIMIT $4"
                ))
                .bind(group)
                .bind(i64::from(include_hidden))
                .bind(before.map_or(i64::MAX, |b| b.0))
                .bind(i64::from(limit)),
            )
            .await?;
        rows.iter().map(post_record).collect()
    }

    /// Replies to a post, oldest first.
    pub async fn replies(&self, parent: PostId, include_hidden: bool) -> Result<Vec<PostRecord>> {
        let rows = self
            .fetch_all(
                "replies",
                sqlx::query(&format!(
                    "{POST_SELECT} WHERE p.parent_id = $1 AND (p.hidden = 0 OR $2 = 1) ORDER BY p.id"
                ))
                .bind(parent.0)
                .bind(i64::from(include_hidden)),
            )
            .await?;
        rows.iter().map(post_record).collect()
    }

    /// Every post a member wrote (for their data export).
    pub async fn posts_by(&self, author: MemberId) -> Result<Vec<PostRecord>> {
        let rows = self
            .fetch_all(
                "posts by member",
                sqlx::query(&format!("{POST_SELECT} WHERE p.author_id = $1 ORDER BY p.id")).bind(author.0),
            )
            .await?;
        rows.iter().map(post_record).collect()
    }

    /// Number of posts (for benchmarks and the durability test).
    pub async fn count_posts(&self) -> Result<u64> {
        self.count("count posts", sqlx::query("SELECT COUNT(*) AS n FROM posts"))
            .await
    }

    /// Reports a post for moderators.
    pub async fn report_post(
        &self,
        post: PostId,
        reporter: MemberId,
        reason: &str,
        now: i64,
    ) -> Result<ReportId> {
        let row = sqlx::query(
            "INSERT INTO reports (post_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(post.0)
        .bind(reporter.0)
        .bind(reason)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(query("report post"))?;
        Ok(ReportId(get(&row, "id")?))
    }

    /// Open reports, oldest first.
    pub async fn open_reports(&self) -> Result<Vec<ReportRecord>> {
        let rows = self
            .fetch_all(
                "open reports",
                sqlx::query(
                    "SELECT r.id, r.post_id, r.reason, r.created_at, m.handle AS reporter \
                     FROM reports r LEFT JOIN members m ON m.id = r.reporter_id \
                     WHERE r.resolved = 0 ORDER BY r.id",
                ),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ReportRecord {
                    id: ReportId(get(row, "id")?),
                    post: PostId(get(row, "post_id")?),
                    reporter: get(row, "reporter")?,
                    reason: get(row, "reason")?,
                    created_at: get(row, "created_at")?,
                })
            })
            .collect()
    }

    /// Hides or shows a post, resolves its open reports, and writes the audit entry — one
    /// transaction, so the log never misses an action.
    pub async fn moderate_post(
        &self,
        post: PostId,
        hidden: bool,
        actor: MemberId,
        reason: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin("moderate post").await?;
        let done = sqlx::query("UPDATE posts SET hidden = $1 WHERE id = $2")
            .bind(i64::from(hidden))
            .bind(post.0)
            .execute(&mut *tx)
            .await
            .map_err(query("moderate post"))?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE reports SET resolved = 1 WHERE post_id = $1")
            .bind(post.0)
            .execute(&mut *tx)
            .await
            .map_err(query("moderate post"))?;
        sqlx::query(
            "INSERT INTO audit_log (actor_id, action, post_id, target_id, reason, created_at) \
             VALUES ($1, $2, $3, NULL, $4, $5)",
        )
        .bind(actor.0)
        .bind(if hidden { "hide-post" } else { "show-post" })
        .bind(post.0)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(query("moderate post"))?;
        tx.commit().await.map_err(query("moderate post"))?;
        Ok(true)
    }

    /// Writes an audit entry for an action that is not about a post (a role change).
    pub async fn audit(
        &self,
        actor: MemberId,
        action: &str,
        target: Option<MemberId>,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (actor_id, action, post_id, target_id, reason, created_at) \
             VALUES ($1, $2, NULL, $3, $4, $5)",
        )
        .bind(actor.0)
        .bind(action)
        .bind(target.map(|t| t.0))
        .bind(reason)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(query("audit"))?;
        Ok(())
    }

    /// The audit log, newest first.
    pub async fn audit_log(&self, limit: u32) -> Result<Vec<AuditRecord>> {
        let rows = self
            .fetch_all(
                "audit log",
                sqlx::query(
                    "SELECT a.id, a.action, a.post_id, a.reason, a.created_at, m.handle AS actor, \
                     t.handle AS target FROM audit_log a \
                     LEFT JOIN members m ON m.id = a.actor_id \
                     LEFT JOIN members t ON t.id = a.target_id \
                     ORDER BY a.id DESC LIMIT $1",
                )
                .bind(i64::from(limit)),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditRecord {
                    id: get(row, "id")?,
                    actor: get(row, "actor")?,
                    action: get(row, "action")?,
                    post: get::<Option<i64>>(row, "post_id")?.map(PostId),
                    target: get(row, "target")?,
                    reason: get(row, "reason")?,
                    created_at: get(row, "created_at")?,
                })
            })
            .collect()
    }

    // ---- tracker -------------------------------------------------------------------------------

    /// Adds a tracker record (diary entry, injection or medicine) for its owner.
    pub async fn add_tracker_record<T: Serialize>(
        &self,
        member: MemberId,
        kind: TrackerKind,
        day: &str,
        data: &T,
        now: i64,
    ) -> Result<RecordId> {
        let data = encode_json(data, kind.key())?;
        let row = sqlx::query(
            "INSERT INTO tracker_records (member_id, kind, day, data, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(member.0)
        .bind(kind.key())
        .bind(day)
        .bind(data)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(query("add tracker record"))?;
        Ok(RecordId(get(&row, "id")?))
    }

    /// Replaces all of a member's tracker data in one transaction (import of an export): the old
    /// records stay if anything fails.
    pub async fn replace_tracker<T: Serialize, S: Serialize>(
        &self,
        member: MemberId,
        records: &[(TrackerKind, String, T)],
        settings: &S,
        now: i64,
    ) -> Result<()> {
        let settings = encode_json(settings, "tracker settings")?;
        let mut tx = self.begin("replace tracker").await?;
        sqlx::query("DELETE FROM tracker_records WHERE member_id = $1")
            .bind(member.0)
            .execute(&mut *tx)
            .await
            .map_err(query("replace tracker"))?;
        for (kind, day, data) in records {
            let data = encode_json(data, kind.key())?;
            sqlx::query(
                "INSERT INTO tracker_records (member_id, kind, day, data, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(member.0)
            .bind(kind.key())
            .bind(day.as_str())
            .bind(data)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(query("replace tracker"))?;
        }
        upsert_settings(&mut tx, member, &settings, now).await?;
        tx.commit().await.map_err(query("replace tracker"))
    }

    /// A member's tracker records of one kind, by day then id.
    pub async fn tracker_records<T: DeserializeOwned>(
        &self,
        member: MemberId,
        kind: TrackerKind,
    ) -> Result<Vec<TrackerRecord<T>>> {
        let rows = self
            .fetch_all(
                "tracker records",
                sqlx::query(
                    "SELECT id, day, data FROM tracker_records WHERE member_id = $1 AND kind = $2 \
                     ORDER BY day, id",
                )
                .bind(member.0)
                .bind(kind.key()),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(TrackerRecord {
                    id: RecordId(get(row, "id")?),
                    day: get(row, "day")?,
                    data: decode_json(row, kind.key())?,
                })
            })
            .collect()
    }

    /// Deletes one of the member's own tracker records; false when it is not theirs or gone.
    pub async fn delete_tracker_record(&self, member: MemberId, id: RecordId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM tracker_records WHERE id = $1 AND member_id = $2")
            .bind(id.0)
            .bind(member.0)
            .execute(&self.pool)
            .await
            .map_err(query("delete tracker record"))?;
        Ok(done.rows_affected() == 1)
    }

    /// A member's tracker settings (due window, family history, questions), if saved.
    pub async fn tracker_settings<S: DeserializeOwned>(&self, member: MemberId) -> Result<Option<S>> {
        let row = self
            .fetch_optional(
                "tracker settings",
                sqlx::query("SELECT data FROM tracker_settings WHERE member_id = $1").bind(member.0),
            )
            .await?;
        row.map(|row| decode_json(&row, "tracker settings")).transpose()
    }

    /// Saves a member's tracker settings.
    pub async fn save_tracker_settings<S: Serialize>(
        &self,
        member: MemberId,
        settings: &S,
        now: i64,
    ) -> Result<()> {
        let settings = encode_json(settings, "tracker settings")?;
        let mut tx = self.begin("save tracker settings").await?;
        upsert_settings(&mut tx, member, &settings, now).await?;
        tx.commit().await.map_err(query("save tracker settings"))
    }

    // ---- helpers -------------------------------------------------------------------------------

    async fn begin(&self, op: &'static str) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        self.pool.begin().await.map_err(query(op))
    }

    async fn fetch_all<'q>(
        &self,
        op: &'static str,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<Vec<AnyRow>> {
        q.fetch_all(&self.pool).await.map_err(query(op))
    }

    async fn fetch_optional<'q>(
        &self,
        op: &'static str,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<Option<AnyRow>> {
        q.fetch_optional(&self.pool).await.map_err(query(op))
    }

    async fn count<'q>(
        &self,
        op: &'static str,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<u64> {
        let row = q.fetch_one(&self.pool).await.map_err(query(op))?;
        count_of(&row)
    }
}

const POST_SELECT: &str = "SELECT p.id, p.group_slug, p.parent_id, p.title, p.body, p.body_html, \
     p.created_at, p.hidden, m.handle AS author FROM posts p LEFT JOIN members m ON m.id = p.author_id";

async fn upsert_settings(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    member: MemberId,
    settings: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO tracker_settings (member_id, data, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (member_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
    )
    .bind(member.0)
    .bind(settings)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(query("save tracker settings"))?;
    Ok(())
}

fn query(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::Query { op, source }
}

/// Maps a unique-constraint violation to `taken`, anything else to a query error.
fn unique_or(source: sqlx::Error, op: &'static str, taken: Error) -> Error {
    match &source {
        sqlx::Error::Database(e) if e.is_unique_violation() => taken,
        _ => Error::Query { op, source },
    }
}

fn get<'r, T>(row: &'r AnyRow, column: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column)
        .map_err(|source| Error::Column { column, source })
}

fn count_of(row: &AnyRow) -> Result<u64> {
    let n: i64 = get(row, "n")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn encode_json<T: Serialize>(value: &T, what: &'static str) -> Result<String> {
    serde_json::to_string(value).map_err(|source| Error::Json { what, source })
}

fn decode_json<T: DeserializeOwned>(row: &AnyRow, what: &'static str) -> Result<T> {
    let data: String = get(row, "data")?;
    serde_json::from_str(&data).map_err(|source| Error::Json { what, source })
}

fn member_record(row: &AnyRow) -> Result<MemberRecord> {
    let role: String = get(row, "role")?;
    Ok(MemberRecord {
        id: MemberId(get(row, "id")?),
        handle: get(row, "handle")?,
        role: Role::from_key(&role).ok_or(Error::BadValue {
            column: "role",
            value: role,
        })?,
        synthetic: get::<i64>(row, "synthetic")? != 0,
        created_at: get(row, "created_at")?,
    })
}

fn post_record(row: &AnyRow) -> Result<PostRecord> {
    Ok(PostRecord {
        id: PostId(get(row, "id")?),
        group: get(row, "group_slug")?,
        parent: get::<Option<i64>>(row, "parent_id")?.map(PostId),
        author: get(row, "author")?,
        title: get(row, "title")?,
        body: get(row, "body")?,
        body_html: get(row, "body_html")?,
        created_at: get(row, "created_at")?,
        hidden: get::<i64>(row, "hidden")? != 0,
    })
}

//! Throttle rows (sign-in and registration limits shared by every server over the database) and
//! members' activity (what aggregates need to decide from when a member's reports count).
//!
//! A reservation is a compare and swap: read the key's row, let the policy decide, and write the
//! new state only if the row is still what was read. Both SQLite (one writer) and PostgreSQL (the
//! `WHERE` is re-checked on the newest row version after a row lock) make that atomic, so
//! concurrent attempts are counted one by one, on one server or many.

use kindred_auth::{Policy, RetryAfter, ThrottleState};
use sqlx::any::AnyRow;

use crate::{Error, MemberId, Result, Store, get, query};

/// Compare-and-swap rounds before a reservation gives up under contention (and is refused: a key
/// this contended is under attack).
const CAS_ROUNDS: usize = 16;

/// Throttle rows quiet for this long are swept.
pub const THROTTLE_RETENTION_SECS: i64 = kindred_auth::FORGET_AFTER_SECS;

impl Store {
    /// Reserves one attempt for `key` under `policy` at `now`: `Ok(Ok(()))` when it may go ahead
    /// (and is counted), `Ok(Err(wait))` when refused.
    pub async fn reserve_attempt(
        &self,
        key: &str,
        policy: &Policy,
        now: i64,
    ) -> Result<Result<(), RetryAfter>> {
        for _ in 0..CAS_ROUNDS {
            let current = self.throttle(key).await?;
            let next = match policy.reserve(current, now) {
                Ok(next) => next,
                Err(wait) => return Ok(Err(wait)),
            };
            let swapped = match current {
                None => sqlx::query(
                    "INSERT INTO throttles (key, window_start, attempts, lockouts, blocked_until) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
                )
                .bind(key)
                .bind(next.window_start)
                .bind(next.attempts)
                .bind(next.lockouts)
                .bind(next.blocked_until)
                .execute(&self.pool)
                .await
                .map_err(query("reserve attempt"))?,
                Some(old) => sqlx::query(
                    "UPDATE throttles SET window_start = $2, attempts = $3, lockouts = $4, \
                     blocked_until = $5 WHERE key = $1 AND window_start = $6 AND attempts = $7 \
                     AND lockouts = $8 AND blocked_until = $9",
                )
                .bind(key)
                .bind(next.window_start)
                .bind(next.attempts)
                .bind(next.lockouts)
                .bind(next.blocked_until)
                .bind(old.window_start)
                .bind(old.attempts)
                .bind(old.lockouts)
                .bind(old.blocked_until)
                .execute(&self.pool)
                .await
                .map_err(query("reserve attempt"))?,
            };
            if swapped.rows_affected() == 1 {
                return Ok(Ok(()));
            }
        }
        Ok(Err(RetryAfter(1)))
    }

    /// Gives back one reserved attempt (a registration that failed its checks, a sign-in that
    /// succeeded from a shared address).
    pub async fn release_attempt(&self, key: &str) -> Result<()> {
        sqlx::query("UPDATE throttles SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(query("release attempt"))?;
        Ok(())
    }

    /// Forgets a key (a handle whose owner just signed in).
    pub async fn clear_throttle(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM throttles WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(query("clear throttle"))?;
        Ok(())
    }

    /// A key's state, if it has one.
    pub async fn throttle(&self, key: &str) -> Result<Option<ThrottleState>> {
        let row = self
            .fetch_optional(
                "throttle",
                sqlx::query(
                    "SELECT window_start, attempts, lockouts, blocked_until FROM throttles WHERE key = $1",
                )
                .bind(key),
            )
            .await?;
        row.as_ref().map(throttle_state).transpose()
    }

    /// Removes throttle rows quiet since before `before` (no lockout running): they would start
    /// from nothing anyway. Returns how many went.
    pub async fn sweep_throttles(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM throttles WHERE window_start < $1 AND blocked_until < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(query("sweep throttles"))?;
        Ok(done.rows_affected())
    }

    // ---- activity ------------------------------------------------------------------------------

    /// Records that a member was active on `day` (days since the Unix epoch). Returns the number of
    /// distinct days they have now been active, or `None` when `day` was already recorded.
    pub async fn record_active_day(&self, member: MemberId, day: i64) -> Result<Option<i64>> {
        let row = self
            .fetch_optional(
                "record active day",
                sqlx::query(
                    "UPDATE members SET active_days = active_days + 1, last_active_day = $2 \
                     WHERE id = $1 AND last_active_day < $2 RETURNING active_days",
                )
                .bind(member.0)
                .bind(day),
            )
            .await?;
        row.map(|row| get(&row, "active_days")).transpose()
    }

    /// Sets from when a member's reports count in aggregates, unless already set; returns the
    /// time stored (the earlier one, if it was set already), `None` for no such member.
    pub async fn set_counts_from(&self, member: MemberId, counts_from: i64) -> Result<Option<i64>> {
        let row = self
            .fetch_optional(
                "set counts from",
                sqlx::query(
                    "UPDATE members SET counts_from = COALESCE(counts_from, $2) WHERE id = $1 \
                     RETURNING counts_from",
                )
                .bind(member.0)
                .bind(counts_from),
            )
            .await?;
        Ok(row
            .map(|row| get::<Option<i64>>(&row, "counts_from"))
            .transpose()?
            .flatten())
    }

    /// From when a member's reports count in aggregates (`None`: not yet).
    pub async fn counts_from(&self, member: MemberId) -> Result<Option<i64>> {
        let row = self
            .fetch_optional(
                "counts from",
                sqlx::query("SELECT counts_from FROM members WHERE id = $1").bind(member.0),
            )
            .await?;
        Ok(row
            .map(|row| get::<Option<i64>>(&row, "counts_from"))
            .transpose()?
            .flatten())
    }

    /// For tests: sets a member's account creation time and activity as if they had
    /// joined at `created_at` and been active on `active_days` days, reports counting from
    /// `counts_from`.
    #[cfg(feature = "testing")]
    pub async fn backdate_member(
        &self,
        member: MemberId,
        created_at: i64,
        active_days: i64,
        counts_from: Option<i64>,
    ) -> Result<()> {
        sqlx::query("UPDATE members SET created_at = $2, active_days = $3, counts_from = $4 WHERE id = $1")
            .bind(member.0)
            .bind(created_at)
            .bind(active_days)
            .bind(counts_from)
            .execute(&self.pool)
            .await
            .map_err(query("backdate member"))?;
        Ok(())
    }
}

fn throttle_state(row: &AnyRow) -> Result<ThrottleState> {
    Ok(ThrottleState {
        window_start: get(row, "window_start")?,
        attempts: get(row, "attempts")?,
        lockouts: get(row, "lockouts")?,
        blocked_until: get(row, "blocked_until")?,
    })
}

impl Error {
    /// Whether the database was too busy to answer in time (the connection pool timed out): the
    /// request may be retried, and is answered 503, not 500.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::Query {
                source: sqlx::Error::PoolTimedOut,
                ..
            }
        )
    }
}

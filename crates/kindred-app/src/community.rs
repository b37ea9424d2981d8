//! The Alikes community, composed: accounts and sessions (`kindred-auth` rules over
//! `kindred-store` rows), profiles checked against the library catalog, the in-memory Alikes index
//! and outcome tallies (`kindred-community`), groups, posts and moderation.
//!
//! Every method takes the acting member (or none) and decides what they may do and see here, once,
//! so the web pages and the JSON API cannot disagree. Private profile fields reach only their
//! owner: other members, moderators and administrators get the same [`Viewer::Member`] view, and
//! neither the Alikes index nor the tallies ever hold a private field.

mod gate;

use std::collections::HashMap;
use std::sync::RwLock;

pub use gate::{Admission, Busy, PasswordGate};
use kindred_auth::{Policy, Role};
use kindred_community::aggregate::{OutcomeShare, OutcomeTally, member_count_label};
use kindred_community::alikes::{AlikeFeatures, AlikeIndex, ReasonKind};
use kindred_community::profile::{Profile, ProfileView, Viewer, normalize_text};
use kindred_community::vocab::{Outcome, TREATMENTS, Visibility, treatment};
use kindred_store::{
    AuditRecord, MemberId, MemberRecord, NewPost, PostId, PostRecord, ReportRecord, SessionRecord, Store,
};
use kindred_text::Lines;
use serde::Serialize;

use crate::Kindred;

/// How long a session lasts. Long on purpose: nobody should be logged out mid-task (no timeouts).
pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;
/// Sign-in attempts allowed per handle before its first lockout (see [`kindred_auth::SIGN_IN_PER_HANDLE`]).
pub const LOGIN_MAX_FAILURES: u32 = 5;
/// The longest a handle or address is locked out, in seconds.
pub const LOGIN_MAX_LOCK_SECONDS: u64 = 15 * 60;

/// Limits an operator may tune; each is a `kindred serve` flag and a `KINDRED_` variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommunityLimits {
    /// Accounts one client address may register per hour.
    pub registrations_per_hour: u32,
    /// Accounts one client address may register per day.
    pub registrations_per_day: u32,
    /// A member's reports count in aggregates only once their account is this many days old…
    pub aggregate_min_account_days: u32,
    /// …and they have been active (signed in or used the site) on this many different days.
    pub aggregate_min_active_days: u32,
    /// Password checks and hashes run at once (`None`: one fewer than the cores, at least one).
    pub password_workers: Option<u32>,
    /// Sign-ins and registrations waiting for a password worker before more are told to come
    /// back (`None`: eight per worker).
    pub password_queue: Option<u32>,
}

impl Default for CommunityLimits {
    fn default() -> Self {
        CommunityLimits {
            registrations_per_hour: 5,
            registrations_per_day: 20,
            aggregate_min_account_days: 7,
            aggregate_min_active_days: 2,
            password_workers: None,
            password_queue: None,
        }
    }
}

impl CommunityLimits {
    fn register_per_hour(&self) -> Policy {
        let hour = 3600;
        Policy {
            free_attempts: i64::from(self.registrations_per_hour.max(1)),
            window_secs: hour,
            first_lock_secs: hour,
            max_lock_secs: hour,
        }
    }

    fn register_per_day(&self) -> Policy {
        let day = 24 * 3600;
        Policy {
            free_attempts: i64::from(self.registrations_per_day.max(1)),
            window_secs: day,
            first_lock_secs: day,
            max_lock_secs: day,
        }
    }
}
/// Alikes shown to a member.
pub const ALIKES_SHOWN: usize = 20;
/// Longest post title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest report reason.
pub const MAX_REASON_CHARS: usize = 500;
/// Profiles read per batch when the in-memory index is built at start-up.
const LOAD_BATCH: u32 = 10_000;

/// What went wrong, in words for the person acting; internal causes are kept for the log.
#[derive(Debug, thiserror::Error)]
pub enum CommunityError {
    /// Not signed in.
    #[error("sign in to do this")]
    Unauthenticated,
    /// Signed in, but not allowed.
    #[error("you do not have permission to do this")]
    Forbidden,
    /// No such thing (or not one the actor may know exists).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
    },
    /// A field was refused.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// Too many attempts from this handle or address (sign-ins, registrations).
    #[error("too many attempts; try again in {retry_after} seconds")]
    RateLimited {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// Too many sign-ins and registrations are waiting for a password check right now.
    #[error("too many sign-ins at once; try again in {retry_after} seconds")]
    Busy {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The database could not answer in time (its connections were all in use).
    #[error("the server is busy; try again in {retry_after} seconds")]
    Unavailable {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// Wrong handle or password (never says which).
    #[error("that handle and password do not match")]
    BadCredentials,
    /// The handle is in use.
    #[error("handle: that handle is taken; choose another")]
    HandleTaken,
    /// The store failed.
    #[error("storage failed")]
    Store(#[source] kindred_store::Error),
    /// Hashing failed.
    #[error("password hashing failed")]
    Hash,
}

impl From<kindred_store::Error> for CommunityError {
    fn from(error: kindred_store::Error) -> Self {
        match error {
            kindred_store::Error::HandleTaken => CommunityError::HandleTaken,
            busy if busy.is_busy() => CommunityError::Unavailable { retry_after: 1 },
            other => CommunityError::Store(other),
        }
    }
}

impl From<Busy> for CommunityError {
    fn from(_: Busy) -> Self {
        CommunityError::Busy { retry_after: 1 }
    }
}

impl From<kindred_auth::Error> for CommunityError {
    fn from(error: kindred_auth::Error) -> Self {
        match error {
            kindred_auth::Error::Handle { reason } => CommunityError::Invalid {
                field: "handle".into(),
                message: reason.into(),
            },
            kindred_auth::Error::Password { reason } => CommunityError::Invalid {
                field: "password".into(),
                message: reason.into(),
            },
            kindred_auth::Error::Hash => CommunityError::Hash,
        }
    }
}

impl From<kindred_community::Error> for CommunityError {
    fn from(error: kindred_community::Error) -> Self {
        use kindred_community::Error as E;
        let field = match &error {
            E::TooMany { field, .. }
            | E::TooLong { field, .. }
            | E::Empty { field }
            | E::ControlCharacter { field, .. }
            | E::Invisible { field }
            | E::InvalidKey { field, .. }
            | E::UnknownTreatment { field, .. }
            | E::Duplicate { field, .. } => field.clone(),
        };
        CommunityError::Invalid {
            field,
            message: error.to_string(),
        }
    }
}

type Result<T, E = CommunityError> = std::result::Result<T, E>;

/// A new session: the token goes in the cookie, the CSRF token in every form.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The session token (only its hash is stored).
    pub token: String,
    /// The anti-forgery token for this session's forms.
    pub csrf_token: String,
    /// Who signed in.
    pub member: MemberRecord,
}

/// The member a request acts for, with the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The member.
    pub member: MemberRecord,
    /// The token the session's forms carry.
    pub csrf_token: String,
    /// The stored hash of the session token.
    pub token_hash: String,
}

/// A member as another person is shown them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    /// Handle.
    pub handle: String,
    /// A generated demo member, not a person.
    pub synthetic: bool,
    /// What the viewer may see of the profile.
    #[schema(value_type = Object)]
    pub profile: ProfileView,
}

/// One reason two members are alike, for people.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReasonView {
    /// `condition`, `subtype`, `region`, `treatment`, `onset-band`, `age-band`.
    pub kind: String,
    /// What is shared, in words ("Cervical dystonia", "Neck").
    pub label: String,
    /// How much it counted.
    pub weight: f32,
}

/// One Alike.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlikeView {
    /// The other member, as members are shown them.
    pub member: MemberView,
    /// Similarity score (relative; higher is more alike).
    pub score: f32,
    /// Why they are alike, strongest first.
    pub reasons: Vec<ReasonView>,
}

/// A group (one per catalog condition).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    /// Condition slug.
    pub slug: String,
    /// Condition name.
    pub name: String,
    /// "fewer than 10 members" or "N members".
    pub members_label: String,
    /// Whether the viewer is in it.
    pub joined: bool,
}

/// A post or reply as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PostView {
    /// Id.
    pub id: i64,
    /// Group slug.
    pub group: String,
    /// The post replied to.
    pub parent: Option<i64>,
    /// Author handle, or "deleted member".
    pub author: String,
    /// Title (empty for replies).
    pub title: String,
    /// Sanitised HTML of the Markdown body.
    pub body_html: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Hidden by a moderator (only moderators see hidden posts).
    pub hidden: bool,
}

/// A thread: a post and its replies.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ThreadView {
    /// The post.
    pub post: PostView,
    /// Replies, oldest first.
    pub replies: Vec<PostView>,
}

/// Member-reported outcomes of one treatment for one condition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WisdomView {
    /// Condition slug.
    pub condition: String,
    /// Condition name.
    pub condition_name: String,
    /// Treatment key.
    pub treatment: String,
    /// Treatment name.
    pub treatment_name: String,
    /// The shares, or why they are not shown.
    #[schema(value_type = Object)]
    pub share: OutcomeShare,
    /// The label every display of these figures carries.
    pub label: &'static str,
}

/// Label for member-reported outcomes wherever they are shown.
pub const MEMBER_REPORTS_LABEL: &str = "Member reports, not medical evidence: what members who chose \
to share their treatments said about how it went for them. Not part of the cited library answer.";

/// Everything a member's data export holds.
#[derive(Debug, Clone, Serialize)]
pub struct CommunityExport {
    /// Handle.
    pub handle: String,
    /// Role.
    pub role: Role,
    /// Unix seconds.
    pub created_at: i64,
    /// The whole profile with its visibilities.
    pub profile: Profile,
    /// Groups joined.
    pub groups: Vec<String>,
    /// Posts and replies written (Markdown as written).
    pub posts: Vec<ExportedPost>,
}

/// A post in a data export.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedPost {
    /// Id.
    pub id: i64,
    /// Group slug.
    pub group: String,
    /// Parent post of a reply.
    pub parent: Option<i64>,
    /// Title.
    pub title: String,
    /// Markdown as written.
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Hidden by a moderator.
    pub hidden: bool,
}

#[derive(Default)]
struct Memory {
    alikes: AlikeIndex,
    /// (condition slug, treatment key) → each real member's reported outcome, from shared fields.
    reports: HashMap<(String, String), HashMap<MemberId, Outcome>>,
    /// From when each member's reports count in aggregates; a member absent here does not count
    /// yet (too new, or not yet active on enough days). Checked when a tally is read, so a member
    /// starts counting when their time comes, without another write.
    counts_from: HashMap<MemberId, i64>,
}

/// The community service.
pub struct Community {
    store: Store,
    memory: RwLock<Memory>,
    /// Every argon2 hash and verification passes here.
    gate: PasswordGate,
    limits: CommunityLimits,
    /// The day (since the epoch) each member's activity was last recorded by this process, so a
    /// member costs one write a day, not one a request.
    active_days_seen: std::sync::Mutex<HashMap<MemberId, i64>>,
    /// Serialises profile saves so the tallies' read-modify-write sees each change once.
    profile_writes: tokio::sync::Mutex<()>,
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn handle_key(handle: &str) -> String {
    handle.trim().to_ascii_lowercase()
}

impl Community {
    /// Opens the community over a store with the default limits.
    pub async fn open(store: Store) -> Result<Community> {
        Community::open_with(store, CommunityLimits::default()).await
    }

    /// Opens the community over a store, loading every opted-in profile into the Alikes index and
    /// every shared outcome into the tallies.
    pub async fn open_with(store: Store, limits: CommunityLimits) -> Result<Community> {
        let community = Community {
            store,
            memory: RwLock::new(Memory::default()),
            gate: PasswordGate::sized(limits.password_workers, limits.password_queue),
            limits,
            active_days_seen: std::sync::Mutex::new(HashMap::new()),
            profile_writes: tokio::sync::Mutex::new(()),
        };
        let expired = community.store.delete_expired_sessions(now()).await?;
        if expired > 0 {
            tracing::info!(expired, "removed expired sessions");
        }
        let swept = community
            .store
            .sweep_throttles(now() - kindred_store::THROTTLE_RETENTION_SECS)
            .await?;
        if swept > 0 {
            tracing::info!(swept, "removed quiet sign-in and registration throttles");
        }
        let mut after = MemberId(0);
        loop {
            let batch = community
                .store
                .profiles_after::<Profile>(after, LOAD_BATCH)
                .await?;
            let Some(last) = batch.last().map(|row| row.member) else {
                break;
            };
            let mut memory = community.write_memory();
            for row in &batch {
                if let Some(counts_from) = row.counts_from {
                    memory.counts_from.insert(row.member, counts_from);
                }
                memory.apply(row.member, row.synthetic, None, Some(&row.profile));
            }
            drop(memory);
            after = last;
        }
        community.write_memory().alikes.shrink_to_fit();
        Ok(community)
    }

    /// The store (for the tracker and tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn write_memory(&self) -> std::sync::RwLockWriteGuard<'_, Memory> {
        self.memory.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read_memory(&self) -> std::sync::RwLockReadGuard<'_, Memory> {
        self.memory.read().unwrap_or_else(|e| e.into_inner())
    }

    // ---- demo data -----------------------------------------------------------------------------

    /// Adds `n` clearly-labelled synthetic members (handles `synthetic-…`, flagged in the store,
    /// no password) with profiles over the real catalog, numbered after any already there.
    /// Synthetic members can be Alikes (labelled as such) but never count in member-reported
    /// outcomes. Calls `progress` with the number added so far.
    pub async fn add_synthetic_members(
        &self,
        kindred: &Kindred,
        n: usize,
        seed: u64,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        const BATCH: usize = 2_000;
        let catalog = synthetic_catalog(kindred);
        let start = usize::try_from(self.store.count_synthetic_members().await?).unwrap_or(0);
        let mut added = 0;
        while added < n {
            let batch: Vec<_> = (start + added..start + (added + BATCH).min(n))
                .map(|index| kindred_community::synthetic::member(index, seed, &catalog))
                .collect();
            let rows: Vec<kindred_store::SyntheticRow<'_, Profile>> = batch
                .iter()
                .map(|m| kindred_store::SyntheticRow {
                    handle: &m.handle,
                    profile: &m.profile,
                    open_to_matching: m.profile.open_to_matching,
                    groups: m
                        .profile
                        .conditions
                        .value
                        .iter()
                        .map(|c| c.condition.as_str())
                        .collect(),
                })
                .collect();
            let ids = self.store.insert_synthetic_members(&rows, now()).await?;
            let mut memory = self.write_memory();
            for (id, member) in ids.iter().zip(&batch) {
                memory.apply(*id, true, None, Some(&member.profile));
            }
            drop(memory);
            added += batch.len();
            progress(added);
        }
        Ok(added)
    }

    // ---- accounts ------------------------------------------------------------------------------

    /// Registers a member and signs them in. `address` is the client's (the web passes it): each
    /// address may register [`CommunityLimits::registrations_per_hour`] accounts an hour and
    /// [`CommunityLimits::registrations_per_day`] a day. `None` (the command line, tests) is not
    /// limited.
    pub async fn register(&self, handle: &str, password: &str, address: Option<&str>) -> Result<NewSession> {
        let handle = handle.trim();
        let key = kindred_auth::validate_handle(handle)?;
        kindred_auth::check_password_policy(password, handle)?;
        // A taken handle costs no hashing and no registration allowance.
        if self.store.member_by_handle(&key.0).await?.is_some() {
            return Err(CommunityError::HandleTaken);
        }
        let admission = self.gate.admit()?;
        let limits: Vec<(String, Policy)> = match address {
            Some(address) => vec![
                (
                    format!("register-hour:{address}"),
                    self.limits.register_per_hour(),
                ),
                (format!("register-day:{address}"), self.limits.register_per_day()),
            ],
            None => Vec::new(),
        };
        self.reserve_all(&limits).await?;
        let created = async {
            let hash = hash_password(&admission, password).await?;
            Ok(self
                .store
                .create_member(handle, &key.0, Some(&hash), Role::Member, false, now())
                .await?)
        }
        .await;
        match created {
            Ok(id) => self.new_session(id).await,
            Err(error) => {
                self.release_all(&limits).await;
                Err(error)
            }
        }
    }

    /// Creates an administrator (for `kindred admin create`).
    pub async fn create_admin(&self, handle: &str, password: &str) -> Result<MemberRecord> {
        let handle = handle.trim();
        let key = kindred_auth::validate_handle(handle)?;
        kindred_auth::check_password_policy(password, handle)?;
        let admission = self.gate.admit()?;
        let hash = hash_password(&admission, password).await?;
        let id = self
            .store
            .create_member(handle, &key.0, Some(&hash), Role::Admin, false, now())
            .await?;
        self.store
            .member(id)
            .await?
            .ok_or(CommunityError::NotFound { what: "member" })
    }

    /// Signs a member in: a fresh session (never one the client supplied). The attempt is counted
    /// against the handle and the client's address *before* the password is checked, so
    /// simultaneous guesses cannot all slip past the limit; `address` is `None` only where there is
    /// no client (tests).
    pub async fn login(&self, handle: &str, password: &str, address: Option<&str>) -> Result<NewSession> {
        match self.verify(&handle_key(handle), password, address).await? {
            Some(id) => self.new_session(id).await,
            None => Err(CommunityError::BadCredentials),
        }
    }

    /// Checks a password for a handle key through the throttles and the password gate: the
    /// member's id when it is right. A right password clears the handle's count and gives the
    /// address its attempt back.
    async fn verify(&self, key: &str, password: &str, address: Option<&str>) -> Result<Option<MemberId>> {
        let admission = self.gate.admit()?;
        // Keys are bounded: a handle is at most 30 characters, anything longer matches nobody.
        let key: String = key.chars().take(64).collect();
        let mut limits: Vec<(String, Policy)> = Vec::with_capacity(2);
        if let Some(address) = address {
            limits.push((
                format!("sign-in-address:{address}"),
                kindred_auth::SIGN_IN_PER_ADDRESS,
            ));
        }
        let handle_limit = format!("sign-in-handle:{key}");
        limits.push((handle_limit.clone(), kindred_auth::SIGN_IN_PER_HANDLE));
        self.reserve_all(&limits).await?;
        let credentials = if password.chars().count() > kindred_auth::PASSWORD_MAX_CHARS {
            None
        } else {
            self.store.credentials(&key).await?
        };
        let hash = credentials.as_ref().map(|(_, hash)| hash.clone());
        let password = password.to_owned();
        let ok = admission
            .run(move |scratch| scratch.verify(&password, hash.as_deref()))
            .await
            .unwrap_or(false);
        match credentials {
            Some((id, _)) if ok => {
                self.store.clear_throttle(&handle_limit).await?;
                self.release_all(&limits[..limits.len() - 1]).await;
                Ok(Some(id))
            }
            _ => Ok(None),
        }
    }

    /// Reserves an attempt under every limit, or none: a refusal gives back what was reserved.
    async fn reserve_all(&self, limits: &[(String, Policy)]) -> Result<()> {
        let t = now();
        for (done, (key, policy)) in limits.iter().enumerate() {
            if let Err(wait) = self.store.reserve_attempt(key, policy, t).await? {
                self.release_all(&limits[..done]).await;
                return Err(CommunityError::RateLimited { retry_after: wait.0 });
            }
        }
        Ok(())
    }

    /// Gives back one attempt under each limit (best effort: a failure only costs an allowance).
    async fn release_all(&self, limits: &[(String, Policy)]) {
        for (key, _) in limits {
            if let Err(error) = self.store.release_attempt(key).await {
                tracing::warn!(error = %error, "could not give back a throttle reservation");
            }
        }
    }

    async fn new_session(&self, id: MemberId) -> Result<NewSession> {
        let member = self
            .store
            .member(id)
            .await?
            .ok_or(CommunityError::NotFound { what: "member" })?;
        self.note_activity(&member).await;
        let token = kindred_auth::new_token();
        let csrf_token = kindred_auth::new_token();
        let t = now();
        self.store
            .create_session(&SessionRecord {
                token_hash: kindred_auth::token_hash(&token),
                member: id,
                csrf_token: csrf_token.clone(),
                created_at: t,
                expires_at: t + SESSION_SECONDS,
            })
            .await?;
        Ok(NewSession {
            token,
            csrf_token,
            member,
        })
    }

    /// The member a session token belongs to, if it is live.
    pub async fn session(&self, token: &str) -> Result<Option<Actor>> {
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let token_hash = kindred_auth::token_hash(token);
        let Some(session) = self.store.session(&token_hash, now()).await? else {
            return Ok(None);
        };
        let Some(member) = self.store.member(session.member).await? else {
            return Ok(None);
        };
        self.note_activity(&member).await;
        Ok(Some(Actor {
            member,
            csrf_token: session.csrf_token,
            token_hash,
        }))
    }

    /// Records that a member is active today (once a day per member and process), and once they
    /// have been active on [`CommunityLimits::aggregate_min_active_days`] days, from when their
    /// reports count in aggregates: then, or once the account is
    /// [`CommunityLimits::aggregate_min_account_days`] old if that is later.
    /// A failure is logged, not passed on: it must not stop the member's request.
    async fn note_activity(&self, member: &MemberRecord) {
        if member.synthetic {
            return;
        }
        let t = now();
        let day = t.div_euclid(24 * 3600);
        {
            let mut seen = self.active_days_seen.lock().unwrap_or_else(|e| e.into_inner());
            if seen.get(&member.id) == Some(&day) {
                return;
            }
            if seen.len() >= 100_000 {
                seen.clear();
            }
            seen.insert(member.id, day);
        }
        let recorded = async {
            if let Some(days) = self.store.record_active_day(member.id, day).await?
                && days >= i64::from(self.limits.aggregate_min_active_days)
            {
                let counts_from = member
                    .created_at
                    .saturating_add(i64::from(self.limits.aggregate_min_account_days) * 24 * 3600)
                    .max(t);
                if let Some(counts_from) = self.store.set_counts_from(member.id, counts_from).await? {
                    self.write_memory().counts_from.insert(member.id, counts_from);
                }
            }
            Ok::<(), kindred_store::Error>(())
        }
        .await;
        if let Err(error) = recorded {
            tracing::warn!(error = %error, "could not record a member's activity");
        }
    }

    /// Ends a session.
    pub async fn logout(&self, actor: &Actor) -> Result<()> {
        self.store.delete_session(&actor.token_hash).await?;
        Ok(())
    }

    /// Changes the actor's password after checking the current one; other sessions end.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        self.check_password(actor, current).await?;
        kindred_auth::check_password_policy(new, &actor.member.handle)?;
        let admission = self.gate.admit()?;
        let hash = hash_password(&admission, new).await?;
        self.store
            .set_password_hash(actor.member.id, &hash, Some(&actor.token_hash))
            .await?;
        Ok(())
    }

    /// Checks the actor's own password (to change it or delete the account), through the same
    /// throttle and gate as signing in: a stolen session cannot guess it faster than a sign-in.
    async fn check_password(&self, actor: &Actor, password: &str) -> Result<()> {
        match self
            .verify(&handle_key(&actor.member.handle), password, None)
            .await
        {
            Ok(Some(id)) if id == actor.member.id => Ok(()),
            Ok(_) => Err(CommunityError::Invalid {
                field: "current_password".into(),
                message: "the current password is not right".into(),
            }),
            Err(error) => Err(error),
        }
    }

    /// Erases the actor's account after checking their password: profile, groups, sessions and
    /// tracker data go; posts stay as "deleted member". The Alikes index and tallies forget them.
    pub async fn delete_account(&self, actor: &Actor, password: &str) -> Result<()> {
        self.check_password(actor, password).await?;
        let _guard = self.profile_writes.lock().await;
        let old = self.store.profile::<Profile>(actor.member.id).await?;
        self.store.delete_member(actor.member.id).await?;
        self.write_memory()
            .apply(actor.member.id, actor.member.synthetic, old.as_ref(), None);
        Ok(())
    }

    /// Everything Kindred holds about the actor from the community side.
    pub async fn export(&self, actor: &Actor) -> Result<CommunityExport> {
        let id = actor.member.id;
        let profile = self.store.profile::<Profile>(id).await?.unwrap_or_default();
        let posts = self
            .store
            .posts_by(id)
            .await?
            .into_iter()
            .map(|p| ExportedPost {
                id: p.id.0,
                group: p.group,
                parent: p.parent.map(|p| p.0),
                title: p.title,
                body: p.body,
                created_at: p.created_at,
                hidden: p.hidden,
            })
            .collect();
        Ok(CommunityExport {
            handle: actor.member.handle.clone(),
            role: actor.member.role,
            created_at: actor.member.created_at,
            profile,
            groups: self.store.groups_of(id).await?,
            posts,
        })
    }

    /// Sets a member's role (administrators only), with an audit entry.
    pub async fn set_role(&self, actor: &Actor, handle: &str, role: Role) -> Result<()> {
        if !actor.member.role.can_appoint() {
            return Err(CommunityError::Forbidden);
        }
        let target = self
            .store
            .member_by_handle(&handle_key(handle))
            .await?
            .ok_or(CommunityError::NotFound { what: "member" })?;
        if target.id == actor.member.id {
            return Err(CommunityError::Invalid {
                field: "handle".into(),
                message: "you cannot change your own role".into(),
            });
        }
        self.store.set_role(target.id, role).await?;
        self.store
            .audit(actor.member.id, "set-role", Some(target.id), role.key(), now())
            .await?;
        Ok(())
    }

    // ---- profiles ------------------------------------------------------------------------------

    /// The actor's own profile, whole.
    pub async fn own_profile(&self, actor: &Actor) -> Result<Profile> {
        Ok(self
            .store
            .profile::<Profile>(actor.member.id)
            .await?
            .unwrap_or_default())
    }

    /// Saves the actor's profile after checking every field, including that conditions are
    /// catalog slugs, subtypes narrower conditions of theirs, and regions known body regions.
    pub async fn save_profile(&self, actor: &Actor, kindred: &Kindred, mut profile: Profile) -> Result<()> {
        profile.about.value = normalize_text(profile.about.value.trim());
        for medicine in &mut profile.medicines.value {
            *medicine = medicine.trim().to_owned();
        }
        profile.medicines.value.retain(|m| !m.is_empty());
        for report in &mut profile.treatments.value {
            for effect in &mut report.side_effects {
                *effect = effect.trim().to_owned();
            }
            report.side_effects.retain(|e| !e.is_empty());
        }
        profile.validate()?;
        check_catalog(kindred, &profile)?;
        for (i, region) in profile.regions.value.iter().enumerate() {
            if kindred_tracker::region::Region::from_key(region).is_err() {
                return Err(CommunityError::Invalid {
                    field: format!("regions[{i}]"),
                    message: format!("{region:?} is not a body region Kindred knows"),
                });
            }
        }
        let id = actor.member.id;
        let _guard = self.profile_writes.lock().await;
        let old = self.store.profile::<Profile>(id).await?;
        self.store
            .save_profile(id, &profile, profile.open_to_matching, now())
            .await?;
        self.write_memory()
            .apply(id, actor.member.synthetic, old.as_ref(), Some(&profile));
        Ok(())
    }

    /// A member's page as the viewer may see it. Handles of members are public; profile fields
    /// follow their visibility.
    pub async fn member(&self, viewer: Option<&Actor>, handle: &str) -> Result<MemberView> {
        let member = self
            .store
            .member_by_handle(&handle_key(handle))
            .await?
            .ok_or(CommunityError::NotFound { what: "member" })?;
        let relation = match viewer {
            Some(actor) if actor.member.id == member.id => Viewer::Owner,
            Some(_) => Viewer::Member,
            None => Viewer::Anonymous,
        };
        let profile = self
            .store
            .profile::<Profile>(member.id)
            .await?
            .unwrap_or_default();
        Ok(MemberView {
            handle: member.handle,
            synthetic: member.synthetic,
            profile: profile.visible_to(relation),
        })
    }

    // ---- Alikes --------------------------------------------------------------------------------

    /// The actor's Alikes: the most similar members who opted in, with why, showing only what
    /// those members share with members.
    pub async fn alikes(&self, actor: &Actor, kindred: &Kindred) -> Result<Vec<AlikeView>> {
        let profile = self.own_profile(actor).await?;
        let query = AlikeFeatures::own(&profile);
        let matches = self
            .read_memory()
            .alikes
            .top(&query, actor.member.id.0, ALIKES_SHOWN);
        let mut views = Vec::with_capacity(matches.len());
        for found in matches {
            let Some(member) = self.store.member(MemberId(found.member)).await? else {
                continue;
            };
            let profile = self
                .store
                .profile::<Profile>(member.id)
                .await?
                .unwrap_or_default();
            views.push(AlikeView {
                member: MemberView {
                    handle: member.handle,
                    synthetic: member.synthetic,
                    profile: profile.visible_to(Viewer::Member),
                },
                score: found.score,
                reasons: found
                    .reasons
                    .iter()
                    .map(|reason| ReasonView {
                        kind: reason_kind_key(reason.kind).to_owned(),
                        label: reason_label(kindred, reason.kind, &reason.key),
                        weight: reason.weight,
                    })
                    .collect(),
            });
        }
        Ok(views)
    }

    /// Members in the Alikes index (opted in, with something shared).
    pub fn n_matchable(&self) -> usize {
        self.read_memory().alikes.len()
    }

    // ---- groups and posts ----------------------------------------------------------------------

    /// A group by condition slug.
    pub async fn group(&self, viewer: Option<&Actor>, kindred: &Kindred, slug: &str) -> Result<GroupView> {
        let condition = kindred
            .library()
            .catalog
            .by_slug(slug)
            .ok_or(CommunityError::NotFound { what: "group" })?;
        let joined = match viewer {
            Some(actor) => self.store.in_group(actor.member.id, slug).await?,
            None => false,
        };
        Ok(GroupView {
            slug: condition.slug.clone(),
            name: condition.name.clone(),
            members_label: member_count_label(self.store.group_count(slug).await?),
            joined,
        })
    }

    /// Groups worth listing: the flagship and its subtypes, the viewer's own, and any with members.
    pub async fn groups(&self, viewer: Option<&Actor>, kindred: &Kindred) -> Result<Vec<GroupView>> {
        let catalog = &kindred.library().catalog;
        let counts: HashMap<String, u64> = self.store.group_counts().await?.into_iter().collect();
        let mine: Vec<String> = match viewer {
            Some(actor) => self.store.groups_of(actor.member.id).await?,
            None => Vec::new(),
        };
        let mut slugs: Vec<String> = Vec::new();
        if let Some(flagship) = catalog.by_slug(crate::FLAGSHIP) {
            slugs.push(flagship.slug.clone());
            slugs.extend(
                flagship
                    .narrower
                    .iter()
                    .filter_map(|id| catalog.get(*id))
                    .map(|c| c.slug.clone()),
            );
        }
        slugs.extend(mine.iter().cloned());
        slugs.extend(counts.keys().cloned());
        let mut seen = std::collections::HashSet::new();
        slugs.retain(|slug| seen.insert(slug.clone()));
        let mut groups: Vec<GroupView> = slugs
            .iter()
            .filter_map(|slug| catalog.by_slug(slug))
            .map(|condition| GroupView {
                slug: condition.slug.clone(),
                name: condition.name.clone(),
                members_label: member_count_label(counts.get(&condition.slug).copied().unwrap_or(0)),
                joined: mine.contains(&condition.slug),
            })
            .collect();
        // The flagship first, then by name.
        let first = usize::from(!groups.is_empty());
        groups[first..].sort_by_key(|g| g.name.to_lowercase());
        Ok(groups)
    }

    /// Joins or leaves a group.
    pub async fn set_membership(
        &self,
        actor: &Actor,
        kindred: &Kindred,
        slug: &str,
        join: bool,
    ) -> Result<()> {
        if kindred.library().catalog.by_slug(slug).is_none() {
            return Err(CommunityError::NotFound { what: "group" });
        }
        if join {
            self.store.join_group(actor.member.id, slug, now()).await?;
        } else {
            self.store.leave_group(actor.member.id, slug).await?;
        }
        Ok(())
    }

    /// A group's posts, newest first; moderators also see hidden ones.
    pub async fn posts(
        &self,
        viewer: Option<&Actor>,
        slug: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<PostView>> {
        let moderator = viewer.is_some_and(|a| a.member.role.can_moderate());
        let posts = self
            .store
            .posts_in_group(slug, moderator, before.map(PostId), limit.min(100))
            .await?;
        Ok(posts.into_iter().map(post_view).collect())
    }

    /// Writes a post (title and Markdown body) in a group; the author joins the group.
    pub async fn create_post(
        &self,
        actor: &Actor,
        kindred: &Kindred,
        slug: &str,
        title: &str,
        body: &str,
    ) -> Result<PostId> {
        if kindred.library().catalog.by_slug(slug).is_none() {
            return Err(CommunityError::NotFound { what: "group" });
        }
        let title = title.trim();
        check_text("title", title, Lines::One, 1, MAX_TITLE_CHARS)?;
        let body = normalize_text(body.trim());
        check_text(
            "body",
            &body,
            Lines::Many,
            1,
            kindred_community::markdown::MAX_MARKDOWN_CHARS,
        )?;
        let html = kindred_community::markdown::render(&body)?;
        let t = now();
        let id = self
            .store
            .create_post(&NewPost {
                group: slug,
                parent: None,
                author: actor.member.id,
                title,
                body: &body,
                body_html: &html,
                now: t,
            })
            .await?;
        self.store.join_group(actor.member.id, slug, t).await?;
        Ok(id)
    }

    /// Replies to a visible post.
    pub async fn reply(&self, actor: &Actor, post: i64, body: &str) -> Result<PostId> {
        let parent = self.visible_post(Some(actor), post).await?;
        if parent.parent.is_some() {
            return Err(CommunityError::Invalid {
                field: "post".into(),
                message: "reply to the thread's first post".into(),
            });
        }
        let body = normalize_text(body.trim());
        check_text(
            "body",
            &body,
            Lines::Many,
            1,
            kindred_community::markdown::MAX_MARKDOWN_CHARS,
        )?;
        let html = kindred_community::markdown::render(&body)?;
        Ok(self
            .store
            .create_post(&NewPost {
                group: &parent.group,
                parent: Some(parent.id),
                author: actor.member.id,
                title: "",
                body: &body,
                body_html: &html,
                now: now(),
            })
            .await?)
    }

    async fn visible_post(&self, viewer: Option<&Actor>, post: i64) -> Result<PostRecord> {
        let moderator = viewer.is_some_and(|a| a.member.role.can_moderate());
        match self.store.post(PostId(post)).await? {
            Some(record) if !record.hidden || moderator => Ok(record),
            _ => Err(CommunityError::NotFound { what: "post" }),
        }
    }

    /// A thread: the post and its replies (hidden ones only for moderators).
    pub async fn thread(&self, viewer: Option<&Actor>, post: i64) -> Result<ThreadView> {
        let record = self.visible_post(viewer, post).await?;
        let moderator = viewer.is_some_and(|a| a.member.role.can_moderate());
        let root = match record.parent {
            Some(parent) => self.visible_post(viewer, parent.0).await?,
            None => record,
        };
        let replies = self.store.replies(root.id, moderator).await?;
        Ok(ThreadView {
            post: post_view(root),
            replies: replies.into_iter().map(post_view).collect(),
        })
    }

    /// Reports a post to the moderators.
    pub async fn report(&self, actor: &Actor, post: i64, reason: &str) -> Result<()> {
        let record = self.visible_post(Some(actor), post).await?;
        let reason = reason.trim();
        check_text("reason", reason, Lines::Many, 1, MAX_REASON_CHARS)?;
        self.store
            .report_post(record.id, actor.member.id, reason, now())
            .await?;
        Ok(())
    }

    /// Hides or restores a post (moderators), logged in the audit log.
    pub async fn moderate(&self, actor: &Actor, post: i64, hide: bool, reason: &str) -> Result<()> {
        if !actor.member.role.can_moderate() {
            return Err(CommunityError::Forbidden);
        }
        let reason = reason.trim();
        check_text("reason", reason, Lines::Many, 1, MAX_REASON_CHARS)?;
        if !self
            .store
            .moderate_post(PostId(post), hide, actor.member.id, reason, now())
            .await?
        {
            return Err(CommunityError::NotFound { what: "post" });
        }
        Ok(())
    }

    /// Open reports (moderators).
    pub async fn reports(&self, actor: &Actor) -> Result<Vec<ReportRecord>> {
        if !actor.member.role.can_moderate() {
            return Err(CommunityError::Forbidden);
        }
        Ok(self.store.open_reports().await?)
    }

    /// The moderation audit log (moderators).
    pub async fn audit_log(&self, actor: &Actor) -> Result<Vec<AuditRecord>> {
        if !actor.member.role.can_moderate() {
            return Err(CommunityError::Forbidden);
        }
        Ok(self.store.audit_log(200).await?)
    }

    // ---- collective wisdom ---------------------------------------------------------------------

    /// Member-reported outcomes of a treatment for a condition, suppressed below ten members.
    pub fn wisdom(&self, kindred: &Kindred, condition: &str, treatment_key: &str) -> Option<WisdomView> {
        let condition_record = kindred.library().catalog.by_slug(condition)?;
        let treatment = treatment(treatment_key)?;
        let tally = self
            .read_memory()
            .tally(&(condition.to_owned(), treatment_key.to_owned()), now());
        Some(WisdomView {
            condition: condition_record.slug.clone(),
            condition_name: condition_record.name.clone(),
            treatment: treatment.key.to_owned(),
            treatment_name: treatment.label.to_owned(),
            share: tally.share(),
            label: MEMBER_REPORTS_LABEL,
        })
    }

    /// The wisdom panel for a question: when it names a treatment, the outcomes for the question's
    /// condition (or the flagship it was read in the context of).
    pub fn wisdom_for_question(
        &self,
        kindred: &Kindred,
        question: &str,
        condition: Option<&str>,
    ) -> Option<WisdomView> {
        let treatment = treatment_in(question)?;
        self.wisdom(kindred, condition.unwrap_or(crate::FLAGSHIP), treatment)
    }
}

impl Memory {
    /// The outcomes reported for `key` by members whose reports count at `now`.
    fn tally(&self, key: &(String, String), now: i64) -> OutcomeTally {
        let mut tally = OutcomeTally::default();
        for (member, outcome) in self.reports.get(key).into_iter().flatten() {
            if self.counts_from.get(member).is_some_and(|&from| from <= now) {
                tally.add(*outcome);
            }
        }
        tally
    }

    /// Moves one member's contribution from `old` to `new` (either may be absent).
    fn apply(&mut self, member: MemberId, synthetic: bool, old: Option<&Profile>, new: Option<&Profile>) {
        if !synthetic {
            for (key, _) in old.map(contributions).unwrap_or_default() {
                if let Some(reports) = self.reports.get_mut(&key) {
                    reports.remove(&member);
                    if reports.is_empty() {
                        self.reports.remove(&key);
                    }
                }
            }
            for (key, outcome) in new.map(contributions).unwrap_or_default() {
                self.reports.entry(key).or_default().insert(member, outcome);
            }
            if new.is_none() {
                self.counts_from.remove(&member);
            }
        }
        match new {
            Some(profile) if profile.open_to_matching => {
                let features = AlikeFeatures::shared(profile);
                if features.is_empty() {
                    self.alikes.remove(member.0);
                } else {
                    self.alikes.upsert(member.0, &features);
                }
            }
            _ => self.alikes.remove(member.0),
        }
    }
}

/// What a profile adds to the tallies: each (condition or subtype, treatment) outcome, only when
/// the member shares both their conditions and their treatments with members.
fn contributions(profile: &Profile) -> Vec<((String, String), Outcome)> {
    if !profile.conditions.visibility.is_shared() || !profile.treatments.visibility.is_shared() {
        return Vec::new();
    }
    let mut slugs: Vec<&str> = Vec::new();
    for choice in &profile.conditions.value {
        slugs.push(&choice.condition);
        if let Some(subtype) = &choice.subtype {
            slugs.push(subtype);
        }
    }
    slugs.sort_unstable();
    slugs.dedup();
    let mut out = Vec::new();
    for report in &profile.treatments.value {
        let Some(outcome) = report.outcome else {
            continue;
        };
        for slug in &slugs {
            out.push((((*slug).to_owned(), report.treatment.clone()), outcome));
        }
    }
    out
}

/// Names people use for the treatments in the vocabulary, matched as whole words in a question.
const TREATMENT_WORDS: &[(&str, &[&str])] = &[
    (
        "botulinum-toxin",
        &[
            "botox",
            "botulinum",
            "toxin injection",
            "toxin injections",
            "dysport",
            "xeomin",
            "myobloc",
        ],
    ),
    ("trihexyphenidyl", &["trihexyphenidyl", "artane"]),
    ("benztropine", &["benztropine", "cogentin"]),
    ("carbidopa-levodopa", &["levodopa", "carbidopa", "sinemet"]),
    ("baclofen", &["baclofen"]),
    ("clonazepam", &["clonazepam", "klonopin"]),
    ("diazepam", &["diazepam", "valium"]),
    ("tetrabenazine", &["tetrabenazine"]),
    ("deep-brain-stimulation", &["deep brain stimulation", "dbs"]),
    ("selective-denervation-surgery", &["denervation"]),
    (
        "physical-therapy",
        &["physical therapy", "physiotherapy", "physio"],
    ),
    ("occupational-therapy", &["occupational therapy"]),
    ("speech-therapy", &["speech therapy", "voice therapy"]),
    ("stretching-or-massage", &["stretching", "massage"]),
];

/// The first vocabulary treatment a question names, if any.
pub fn treatment_in(question: &str) -> Option<&'static str> {
    let text = format!(
        " {} ",
        question
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    TREATMENT_WORDS.iter().find_map(|(key, words)| {
        words
            .iter()
            .any(|word| text.contains(&format!(" {word} ")))
            .then_some(*key)
    })
}

fn check_catalog(kindred: &Kindred, profile: &Profile) -> Result<()> {
    let catalog = &kindred.library().catalog;
    for (i, choice) in profile.conditions.value.iter().enumerate() {
        let condition = catalog
            .by_slug(&choice.condition)
            .ok_or_else(|| CommunityError::Invalid {
                field: format!("conditions[{i}].condition"),
                message: format!("{:?} is not a condition in the library", choice.condition),
            })?;
        if let Some(subtype) = &choice.subtype {
            let known = catalog
                .by_slug(subtype)
                .is_some_and(|s| condition.narrower.contains(&s.id));
            if !known {
                return Err(CommunityError::Invalid {
                    field: format!("conditions[{i}].subtype"),
                    message: format!(
                        "{subtype:?} is not a subtype of {} in the library",
                        condition.name
                    ),
                });
            }
        }
    }
    for (i, report) in profile.treatments.value.iter().enumerate() {
        if treatment(&report.treatment).is_none() {
            return Err(CommunityError::Invalid {
                field: format!("treatments[{i}].treatment"),
                message: format!("{:?} is not a treatment Kindred lists", report.treatment),
            });
        }
    }
    Ok(())
}

/// A title, post body or reason: `min`..=`max` characters by Kindred's one rule for typed text (no
/// control characters, not only invisible ones).
fn check_text(field: &str, text: &str, lines: Lines, min: usize, max: usize) -> Result<()> {
    let n = text.chars().count();
    if let Err(problem) = kindred_text::check_typed_text(text, lines) {
        return Err(CommunityError::Invalid {
            field: field.into(),
            message: problem.to_string(),
        });
    }
    if n < min {
        return Err(CommunityError::Invalid {
            field: field.into(),
            message: "must not be empty".into(),
        });
    }
    if n > max {
        return Err(CommunityError::Invalid {
            field: field.into(),
            message: format!("must be at most {max} characters"),
        });
    }
    Ok(())
}

/// An argon2id hash of the password, computed through the gate.
async fn hash_password(admission: &Admission, password: &str) -> Result<String> {
    let password = password.to_owned();
    admission
        .run(move |scratch| scratch.hash(&password))
        .await
        .ok_or(CommunityError::Hash)?
        .map_err(CommunityError::from)
}

/// Label of the author of a post whose account was deleted.
pub const DELETED_MEMBER: &str = "deleted member";

fn post_view(record: PostRecord) -> PostView {
    PostView {
        id: record.id.0,
        group: record.group,
        parent: record.parent.map(|p| p.0),
        author: record.author.unwrap_or_else(|| DELETED_MEMBER.to_owned()),
        title: record.title,
        body_html: record.body_html,
        created_at: record.created_at,
        hidden: record.hidden,
    }
}

fn reason_kind_key(kind: ReasonKind) -> &'static str {
    match kind {
        ReasonKind::Condition => "condition",
        ReasonKind::Subtype => "subtype",
        ReasonKind::Region => "region",
        ReasonKind::Treatment => "treatment",
        ReasonKind::OnsetBand => "onset-band",
        ReasonKind::AgeBand => "age-band",
    }
}

fn reason_label(kindred: &Kindred, kind: ReasonKind, key: &str) -> String {
    use kindred_community::vocab::{AgeBand, OnsetBand};
    let label = match kind {
        ReasonKind::Condition | ReasonKind::Subtype => {
            kindred.library().catalog.by_slug(key).map(|c| c.name.clone())
        }
        ReasonKind::Region => kindred_tracker::region::Region::from_key(key)
            .ok()
            .map(|r| r.label().to_owned()),
        ReasonKind::Treatment => treatment(key).map(|t| t.label.to_owned()),
        ReasonKind::OnsetBand => OnsetBand::from_key(key).map(|b| format!("Symptoms began: {}", b.label())),
        ReasonKind::AgeBand => AgeBand::from_key(key).map(|b| format!("Age {}", b.label())),
    };
    label.unwrap_or_else(|| key.to_owned())
}

/// The catalog synthetic members are drawn from: the flagship first (the most common) with its
/// subtypes, then up to 299 other conditions of the library with theirs.
pub fn synthetic_catalog(kindred: &Kindred) -> kindred_community::synthetic::SyntheticCatalog {
    let catalog = &kindred.library().catalog;
    let with_subtypes = |c: &kindred_library::Condition| {
        (
            c.slug.clone(),
            c.narrower
                .iter()
                .filter_map(|id| catalog.get(*id))
                .map(|n| n.slug.clone())
                .collect::<Vec<_>>(),
        )
    };
    let mut conditions = Vec::new();
    if let Some(flagship) = catalog.by_slug(crate::FLAGSHIP) {
        conditions.push(with_subtypes(flagship));
    }
    let mut others: Vec<&kindred_library::Condition> = catalog
        .conditions
        .iter()
        .filter(|c| c.slug != crate::FLAGSHIP && c.broader.is_empty() && !c.documents.is_empty())
        .collect();
    others.sort_by(|a, b| {
        b.documents
            .len()
            .cmp(&a.documents.len())
            .then(a.slug.cmp(&b.slug))
    });
    conditions.extend(others.into_iter().take(299).map(with_subtypes));
    kindred_community::synthetic::SyntheticCatalog { conditions }
}

/// Every treatment in the vocabulary (for forms).
pub fn treatments() -> &'static [kindred_community::vocab::Treatment] {
    TREATMENTS
}

/// Every visibility (for forms).
pub fn visibilities() -> [Visibility; 3] {
    Visibility::ALL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn treatments_are_found_in_questions() {
        assert_eq!(
            treatment_in("Does Botox help cervical dystonia?"),
            Some("botulinum-toxin")
        );
        assert_eq!(treatment_in("is DBS worth it"), Some("deep-brain-stimulation"));
        assert_eq!(treatment_in("what about physio?"), Some("physical-therapy"));
        assert_eq!(treatment_in("what is dystonia"), None);
        // Whole words only: "dbs" inside another word is not a treatment.
        assert_eq!(treatment_in("dbsx"), None);
        for (key, _) in TREATMENT_WORDS {
            assert!(treatment(key).is_some(), "{key} is in the vocabulary");
        }
    }
}

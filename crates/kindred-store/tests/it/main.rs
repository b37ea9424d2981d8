//! Storage tests: every test runs on SQLite and on a real PostgreSQL server (see
//! `kindred_store::testing`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kindred_store::testing::TestDb;
use kindred_store::{Backend, MemberId, NewPost, PostId, RecordId, Role, SessionRecord, Store, TrackerKind};
use serde_json::{Value, json};

kindred_store::storage_tests!(
    members_and_handles,
    sessions_expire_and_end,
    profiles_round_trip,
    groups_count_members,
    posts_replies_and_moderation,
    deleting_a_member_erases_their_data,
    tracker_records_belong_to_their_owner,
    injection_payloads_are_data,
    password_change_ends_other_sessions,
    concurrent_reservations_count_one_by_one,
    activity_is_recorded_once_a_day,
);

async fn member(store: &Store, handle: &str) -> MemberId {
    store
        .create_member(
            handle,
            &handle.to_lowercase(),
            Some("$argon2id$fake"),
            Role::Member,
            false,
            1,
        )
        .await
        .unwrap()
}

async fn members_and_handles(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "Owl").await;
    let err = store
        .create_member("OWL", "owl", Some("h"), Role::Member, false, 2)
        .await
        .unwrap_err();
    assert!(matches!(err, kindred_store::Error::HandleTaken), "{err:?}");
    let record = store.member_by_handle("owl").await.unwrap().unwrap();
    assert_eq!(
        (record.id, record.handle.as_str(), record.role),
        (owl, "Owl", Role::Member)
    );
    assert_eq!(
        store.credentials("owl").await.unwrap(),
        Some((owl, "$argon2id$fake".to_owned()))
    );
    // Synthetic members have no password: they cannot log in.
    store
        .create_member("synthetic-1", "synthetic-1", None, Role::Member, true, 3)
        .await
        .unwrap();
    assert_eq!(store.credentials("synthetic-1").await.unwrap(), None);
    assert!(store.set_role(owl, Role::Moderator).await.unwrap());
    assert_eq!(store.member(owl).await.unwrap().unwrap().role, Role::Moderator);
    assert_eq!(store.members_with_role(Role::Moderator).await.unwrap().len(), 1);
    assert_eq!(store.count_members().await.unwrap(), 2);
}

async fn sessions_expire_and_end(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    let session = SessionRecord {
        token_hash: "abc".into(),
        member: owl,
        csrf_token: "csrf".into(),
        created_at: 100,
        expires_at: 200,
    };
    store.create_session(&session).await.unwrap();
    assert_eq!(store.session("abc", 150).await.unwrap(), Some(session.clone()));
    assert_eq!(store.session("abc", 200).await.unwrap(), None, "expired");
    assert_eq!(store.session("abd", 150).await.unwrap(), None);
    assert_eq!(store.delete_expired_sessions(300).await.unwrap(), 1);
    store.create_session(&session).await.unwrap();
    store.delete_session("abc").await.unwrap();
    assert_eq!(store.session("abc", 150).await.unwrap(), None);
}

async fn password_change_ends_other_sessions(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    for token in ["one", "two"] {
        store
            .create_session(&SessionRecord {
                token_hash: token.into(),
                member: owl,
                csrf_token: "c".into(),
                created_at: 1,
                expires_at: 100,
            })
            .await
            .unwrap();
    }
    store.set_password_hash(owl, "$new", Some("one")).await.unwrap();
    assert!(store.session("one", 2).await.unwrap().is_some());
    assert!(store.session("two", 2).await.unwrap().is_none());
    assert_eq!(store.credentials("owl").await.unwrap().unwrap().1, "$new");
}

async fn profiles_round_trip(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    assert_eq!(store.profile::<Value>(owl).await.unwrap(), None);
    let profile = json!({"regions": ["neck"], "about": "ünïcode ✓ 'quotes' \"double\""});
    store.save_profile(owl, &profile, true, 5).await.unwrap();
    assert_eq!(store.profile::<Value>(owl).await.unwrap(), Some(profile.clone()));
    let changed = json!({"regions": []});
    store.save_profile(owl, &changed, false, 6).await.unwrap();
    assert_eq!(store.profile::<Value>(owl).await.unwrap(), Some(changed.clone()));
    let all = store.profiles_after::<Value>(MemberId(0), 10).await.unwrap();
    assert_eq!(
        all,
        vec![kindred_store::ProfileRow {
            member: owl,
            synthetic: false,
            counts_from: None,
            profile: changed
        }]
    );
    assert!(store.profiles_after::<Value>(owl, 10).await.unwrap().is_empty());
}

/// Issue 9: concurrent reservations for one key count one by one, so a burst of simultaneous
/// sign-in guesses gets no more tries than a sequence (the in-memory limiter let all 60 through).
async fn concurrent_reservations_count_one_by_one(db: &TestDb) {
    let policy = kindred_auth::SIGN_IN_PER_HANDLE;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(60));
    let tasks: Vec<_> = (0..60)
        .map(|_| {
            let store = db.store.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store.reserve_attempt("handle:owl", &policy, 1_000).await.unwrap()
            })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        if task.await.unwrap().is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5, "exactly the free attempts go ahead");
    let state = db.store.throttle("handle:owl").await.unwrap().unwrap();
    assert_eq!(state.blocked_until, 1_000 + 60);
    // Another key is untouched; clearing forgets; a quiet key is swept.
    assert!(
        db.store
            .reserve_attempt("handle:fox", &policy, 1_000)
            .await
            .unwrap()
            .is_ok()
    );
    db.store.clear_throttle("handle:owl").await.unwrap();
    assert_eq!(db.store.throttle("handle:owl").await.unwrap(), None);
    db.store.release_attempt("handle:fox").await.unwrap();
    assert_eq!(
        db.store.throttle("handle:fox").await.unwrap().unwrap().attempts,
        0
    );
    assert_eq!(db.store.sweep_throttles(2_000).await.unwrap(), 1);
}

async fn activity_is_recorded_once_a_day(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    assert_eq!(store.record_active_day(owl, 100).await.unwrap(), Some(1));
    assert_eq!(store.record_active_day(owl, 100).await.unwrap(), None);
    assert_eq!(store.record_active_day(owl, 101).await.unwrap(), Some(2));
    assert_eq!(store.counts_from(owl).await.unwrap(), None);
    assert_eq!(store.set_counts_from(owl, 5_000).await.unwrap(), Some(5_000));
    assert_eq!(store.set_counts_from(owl, 9_000).await.unwrap(), Some(5_000));
    assert_eq!(store.counts_from(owl).await.unwrap(), Some(5_000));
}

async fn groups_count_members(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    let fox = member(store, "fox").await;
    store.join_group(owl, "dystonia", 1).await.unwrap();
    store.join_group(owl, "dystonia", 2).await.unwrap();
    store.join_group(fox, "dystonia", 1).await.unwrap();
    store.join_group(fox, "blepharospasm", 1).await.unwrap();
    assert_eq!(store.group_count("dystonia").await.unwrap(), 2);
    assert!(store.in_group(fox, "blepharospasm").await.unwrap());
    assert_eq!(
        store.group_counts().await.unwrap(),
        vec![("blepharospasm".to_owned(), 1), ("dystonia".to_owned(), 2)]
    );
    store.leave_group(fox, "dystonia").await.unwrap();
    assert_eq!(
        store.groups_of(fox).await.unwrap(),
        vec!["blepharospasm".to_owned()]
    );
    assert!(!store.in_group(fox, "dystonia").await.unwrap());
}

async fn post(store: &Store, author: MemberId, parent: Option<PostId>, body: &str) -> PostId {
    store
        .create_post(&NewPost {
            group: "dystonia",
            parent,
            author,
            title: if parent.is_none() { "A title" } else { "" },
            body,
            body_html: body,
            now: 10,
        })
        .await
        .unwrap()
}

async fn posts_replies_and_moderation(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    let moderator = member(store, "kestrel").await;
    let first = post(store, owl, None, "first").await;
    let second = post(store, owl, None, "second").await;
    let reply = post(store, moderator, Some(first), "a reply").await;
    let listed: Vec<PostId> = store
        .posts_in_group("dystonia", false, None, 10)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(listed, vec![second, first], "newest first, replies not listed");
    let older: Vec<PostId> = store
        .posts_in_group("dystonia", false, Some(second), 10)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(older, vec![first]);
    let replies = store.replies(first, false).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(
        (replies[0].id, replies[0].author.as_deref()),
        (reply, Some("kestrel"))
    );

    let report = store.report_post(second, moderator, "spam", 11).await.unwrap();
    let open = store.open_reports().await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].id, open[0].post, open[0].reporter.as_deref()),
        (report, second, Some("kestrel"))
    );

    assert!(
        store
            .moderate_post(second, true, moderator, "spam", 12)
            .await
            .unwrap()
    );
    assert!(
        !store
            .moderate_post(PostId(9999), true, moderator, "x", 12)
            .await
            .unwrap()
    );
    assert!(
        store.open_reports().await.unwrap().is_empty(),
        "hiding resolves reports"
    );
    assert!(store.post(second).await.unwrap().unwrap().hidden);
    assert_eq!(
        store
            .posts_in_group("dystonia", false, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .posts_in_group("dystonia", true, None, 10)
            .await
            .unwrap()
            .len(),
        2
    );
    store
        .audit(moderator, "set-role", Some(owl), "trusted", 13)
        .await
        .unwrap();
    let log = store.audit_log(10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].action.as_str(), log[0].target.as_deref()),
        ("set-role", Some("owl"))
    );
    assert_eq!(
        (
            log[1].action.as_str(),
            log[1].post,
            log[1].actor.as_deref(),
            log[1].reason.as_str()
        ),
        ("hide-post", Some(second), Some("kestrel"), "spam")
    );
    assert_eq!(store.count_posts().await.unwrap(), 3);
}

async fn deleting_a_member_erases_their_data(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    let fox = member(store, "fox").await;
    store
        .save_profile(owl, &json!({"about": "me"}), true, 1)
        .await
        .unwrap();
    store.join_group(owl, "dystonia", 1).await.unwrap();
    let mine = post(store, owl, None, "my story").await;
    let reply = post(store, fox, Some(mine), "thanks").await;
    store.report_post(reply, owl, "rude", 2).await.unwrap();
    store
        .create_session(&SessionRecord {
            token_hash: "t".into(),
            member: owl,
            csrf_token: "c".into(),
            created_at: 1,
            expires_at: 99,
        })
        .await
        .unwrap();
    store
        .add_tracker_record(owl, TrackerKind::Entry, "2026-01-02", &json!({"n": 1}), 1)
        .await
        .unwrap();
    store
        .save_tracker_settings(owl, &json!({"due": 12}), 1)
        .await
        .unwrap();

    assert!(store.delete_member(owl).await.unwrap());
    assert!(!store.delete_member(owl).await.unwrap());
    assert_eq!(store.member(owl).await.unwrap(), None);
    assert_eq!(store.credentials("owl").await.unwrap(), None);
    assert_eq!(store.session("t", 2).await.unwrap(), None);
    assert_eq!(store.profile::<Value>(owl).await.unwrap(), None);
    assert_eq!(store.group_count("dystonia").await.unwrap(), 0);
    assert!(
        store
            .tracker_records::<Value>(owl, TrackerKind::Entry)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.tracker_settings::<Value>(owl).await.unwrap(), None);
    // Their post stays for the thread, attributed to nobody; the report stays, unnamed.
    let kept = store.post(mine).await.unwrap().unwrap();
    assert_eq!(kept.author, None);
    assert_eq!(store.open_reports().await.unwrap()[0].reporter, None);
    assert!(store.posts_by(owl).await.unwrap().is_empty());
    assert_eq!(store.member(fox).await.unwrap().unwrap().handle, "fox");
}

async fn tracker_records_belong_to_their_owner(db: &TestDb) {
    let store = &db.store;
    let owl = member(store, "owl").await;
    let fox = member(store, "fox").await;
    let later = store
        .add_tracker_record(owl, TrackerKind::Entry, "2026-03-01", &json!({"s": 3}), 1)
        .await
        .unwrap();
    let earlier = store
        .add_tracker_record(owl, TrackerKind::Entry, "2026-02-01", &json!({"s": 5}), 1)
        .await
        .unwrap();
    store
        .add_tracker_record(owl, TrackerKind::Injection, "2026-01-15", &json!({"p": "x"}), 1)
        .await
        .unwrap();
    let entries = store
        .tracker_records::<Value>(owl, TrackerKind::Entry)
        .await
        .unwrap();
    assert_eq!(
        entries.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![earlier, later]
    );
    assert!(
        store
            .tracker_records::<Value>(fox, TrackerKind::Entry)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store.delete_tracker_record(fox, earlier).await.unwrap(),
        "not fox's"
    );
    assert!(store.delete_tracker_record(owl, earlier).await.unwrap());
    assert!(!store.delete_tracker_record(owl, RecordId(123_456)).await.unwrap());

    store
        .replace_tracker(
            owl,
            &[(TrackerKind::Medicine, "2026-04-01".to_owned(), json!({"m": 1}))],
            &json!({"due": 14}),
            2,
        )
        .await
        .unwrap();
    assert!(
        store
            .tracker_records::<Value>(owl, TrackerKind::Entry)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .tracker_records::<Value>(owl, TrackerKind::Medicine)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.tracker_settings::<Value>(owl).await.unwrap(),
        Some(json!({"due": 14}))
    );
}

async fn injection_payloads_are_data(db: &TestDb) {
    let store = &db.store;
    for payload in [
        "'; DROP TABLE members; --",
        "\" OR 1=1 --",
        "x'); DELETE FROM posts; --",
        "$1; SELECT pg_sleep(1)",
    ] {
        let key = format!("k{}", payload.len());
        let id = store
            .create_member(payload, &key, Some("h"), Role::Member, false, 1)
            .await
            .unwrap();
        assert_eq!(store.member(id).await.unwrap().unwrap().handle, payload);
        let p = post(store, id, None, payload).await;
        assert_eq!(store.post(p).await.unwrap().unwrap().body, payload);
        assert_eq!(store.member_by_handle(payload).await.unwrap(), None);
    }
    assert_eq!(store.count_members().await.unwrap(), 4);
}

#[tokio::test]
async fn both_backends_build_the_same_schema() {
    let sqlite = TestDb::new(Backend::Sqlite).await;
    let postgres = TestDb::new(Backend::Postgres).await;
    let a = sqlite.store.schema().await.unwrap();
    let b = postgres.store.schema().await.unwrap();
    assert!(a.len() >= 8, "{a:?}");
    assert_eq!(a, b);
    sqlite.finish().await;
    postgres.finish().await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let db = TestDb::sqlite().await;
    // Deleting a member row directly (without delete_member) still cascades: foreign keys are on.
    let owl = member(&db.store, "owl").await;
    db.store.save_profile(owl, &json!({}), false, 1).await.unwrap();
    assert!(db.store.delete_member(owl).await.unwrap());
    assert!(db.url.starts_with("sqlite://"));
    let dir = db
        .url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc");
    assert!(
        std::path::Path::new(&format!("{dir}-wal")).exists(),
        "WAL file beside {dir}"
    );
    db.finish().await;
}

#[test]
fn unknown_schemes_are_refused_by_name() {
    let err = Backend::of_url("mysql://x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported database url scheme \"mysql\": use sqlite:// or postgres://"
    );
}

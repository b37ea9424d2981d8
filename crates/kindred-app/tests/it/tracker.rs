//! The tracker service over a real store (SQLite and PostgreSQL): a member's records are theirs
//! alone, deletion hands back the record for undo, settings are checked, and a FHIR export imports
//! back unchanged, all or nothing.

use kindred_app::community::{Actor, Community};
use kindred_app::tracker::{DeletedRecord, Tracker, TrackerError, TrackerSettings};
use kindred_store::testing::TestDb;
use kindred_store::{TrackerKind, storage_tests};
use kindred_tracker::{
    DueSettings, Entry, Injection, Medicine, MuscleDose, Product, Region, Severity, Trigger,
};
use time::macros::date;

async fn member(community: &Community, handle: &str) -> Actor {
    let session = community
        .register(handle, "a long passphrase 1", None)
        .await
        .unwrap();
    community.session(&session.token).await.unwrap().unwrap()
}

fn entry(day: time::Date, neck: u8, note: &str) -> Entry {
    Entry {
        date: day,
        severities: vec![(Region::Neck, Severity::new(neck).unwrap())],
        triggers: vec![Trigger::Stress],
        note: note.into(),
    }
}

fn injection() -> Injection {
    Injection {
        date: date!(2024 - 01 - 10),
        product: Product::OnabotulinumtoxinA,
        muscles: vec![MuscleDose {
            muscle: "Left splenius capitis".into(),
            units: Some(37.5),
        }],
        side_effects: vec!["Neck weakness".into()],
        note: String::new(),
    }
}

fn medicine() -> Medicine {
    Medicine {
        name: "Trihexyphenidyl".into(),
        dose_as_prescribed: "as on the label".into(),
        started: Some(date!(2023 - 01 - 10)),
        stopped: None,
        side_effects: vec![],
    }
}

storage_tests!(
    records_are_their_owners_alone,
    delete_returns_the_record_and_restore_puts_it_back,
    settings_are_checked_and_kept,
    import_restores_an_export_all_or_nothing,
);

async fn records_are_their_owners_alone(db: &TestDb) {
    let community = Community::open(db.store.clone()).await.unwrap();
    let owner = member(&community, "owner-1").await;
    let other = member(&community, "other-1").await;
    let mine = Tracker::of(&community, &owner);
    let id = mine
        .add_entry(&entry(date!(2024 - 03 - 01), 5, "private"))
        .await
        .unwrap();
    let injection_id = mine.add_injection(&injection()).await.unwrap();

    let theirs = Tracker::of(&community, &other);
    assert!(theirs.entries().await.unwrap().is_empty());
    for (kind, record) in [
        (TrackerKind::Entry, id.0),
        (TrackerKind::Injection, injection_id.0),
    ] {
        assert!(matches!(
            theirs.delete(kind, record).await,
            Err(TrackerError::NotFound { .. })
        ));
    }
    // An id of another kind is not found either, even for the owner.
    assert!(matches!(
        mine.delete(TrackerKind::Medicine, id.0).await,
        Err(TrackerError::NotFound { .. })
    ));
    assert_eq!(mine.entries().await.unwrap().len(), 1);
    assert_eq!(mine.injections().await.unwrap().len(), 1);
}

async fn delete_returns_the_record_and_restore_puts_it_back(db: &TestDb) {
    let community = Community::open(db.store.clone()).await.unwrap();
    let owner = member(&community, "owner-2").await;
    let tracker = Tracker::of(&community, &owner);
    let first = entry(date!(2024 - 03 - 01), 5, "first");
    tracker.add_entry(&first).await.unwrap();
    let medicine_id = tracker.add_medicine(&medicine()).await.unwrap();

    let deleted = tracker
        .delete(TrackerKind::Medicine, medicine_id.0)
        .await
        .unwrap();
    assert_eq!(deleted, DeletedRecord::Medicine(medicine()));
    assert!(tracker.medicines().await.unwrap().is_empty());
    tracker.restore(&deleted).await.unwrap();
    assert_eq!(tracker.medicines().await.unwrap()[0].medicine, medicine());

    // A bad record is refused on restore like on add, naming the field.
    let bad = DeletedRecord::Entry(Entry {
        severities: vec![],
        ..first
    });
    let error = tracker.restore(&bad).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "entry of 2024-03-01: severities: mark at least one body region"
    );
}

async fn settings_are_checked_and_kept(db: &TestDb) {
    let community = Community::open(db.store.clone()).await.unwrap();
    let owner = member(&community, "owner-3").await;
    let tracker = Tracker::of(&community, &owner);
    assert_eq!(tracker.settings().await.unwrap(), TrackerSettings::default());
    assert_eq!(tracker.settings().await.unwrap().due, DueSettings::default());
    let bad = TrackerSettings {
        due: DueSettings {
            min_weeks: 16,
            max_weeks: 12,
        },
        ..TrackerSettings::default()
    };
    assert_eq!(
        tracker.save_settings(&bad).await.unwrap_err().to_string(),
        "due: min_weeks: 16 is more than max_weeks 12"
    );
    let blank = TrackerSettings {
        questions: vec!["Fine?".into(), " ".into()],
        ..TrackerSettings::default()
    };
    assert_eq!(
        tracker.save_settings(&blank).await.unwrap_err().to_string(),
        "questions[1]: must not be empty"
    );
    let good = TrackerSettings {
        due: DueSettings {
            min_weeks: 10,
            max_weeks: 14,
        },
        family_history: "My aunt.".into(),
        questions: vec!["Can I drive?".into()],
    };
    tracker.save_settings(&good).await.unwrap();
    assert_eq!(tracker.settings().await.unwrap(), good);
    tracker.add_injection(&injection()).await.unwrap();
    let next = tracker.next_injection().await.unwrap().unwrap();
    assert_eq!(next.window.opens, date!(2024 - 03 - 20));
    assert_eq!(next.window.closes, date!(2024 - 04 - 17));
}

async fn import_restores_an_export_all_or_nothing(db: &TestDb) {
    let community = Community::open(db.store.clone()).await.unwrap();
    let owner = member(&community, "owner-4").await;
    let tracker = Tracker::of(&community, &owner);
    tracker
        .add_entry(&entry(date!(2024 - 03 - 01), 5, "one"))
        .await
        .unwrap();
    tracker
        .add_entry(&entry(date!(2024 - 03 - 02), 0, ""))
        .await
        .unwrap();
    tracker.add_injection(&injection()).await.unwrap();
    tracker.add_medicine(&medicine()).await.unwrap();
    tracker
        .save_settings(&TrackerSettings {
            due: DueSettings {
                min_weeks: 11,
                max_weeks: 13,
            },
            family_history: "Father: writer's cramp.".into(),
            questions: vec!["What next?".into()],
        })
        .await
        .unwrap();
    let data = tracker.data(Vec::new()).await.unwrap();
    let bundle = kindred_tracker::to_fhir_bundle(&data, time::OffsetDateTime::UNIX_EPOCH);

    let fresh = member(&community, "fresh-4").await;
    let fresh_tracker = Tracker::of(&community, &fresh);
    fresh_tracker
        .add_entry(&entry(date!(2020 - 01 - 01), 9, "replaced by the import"))
        .await
        .unwrap();
    let summary = fresh_tracker.import(&bundle).await.unwrap();
    assert_eq!(
        (summary.n_entries, summary.n_injections, summary.n_medicines),
        (2, 1, 1)
    );
    let imported = fresh_tracker.data(Vec::new()).await.unwrap();
    assert_eq!(imported.member_handle, "fresh-4");
    assert_eq!(
        kindred_tracker::TrackerData {
            member_handle: data.member_handle.clone(),
            ..imported
        },
        data
    );

    // A broken bundle changes nothing and names the entry and field.
    let mut broken = bundle.clone();
    broken["entry"][1]["resource"]["resourceType"] = "Basic".into();
    let before = fresh_tracker.data(Vec::new()).await.unwrap();
    let error = fresh_tracker.import(&broken).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "bundle entry 1: resource.resourceType: Basic is not a resource Kindred exports"
    );
    assert_eq!(fresh_tracker.data(Vec::new()).await.unwrap(), before);
}

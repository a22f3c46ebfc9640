//! The `Store` contract, run against SQLite and PostgreSQL alike.

#[macro_use]
mod support {
    #[macro_use]
    pub mod db;
}

use crossroads::domain::{CategoryId, Example, Knowledge, SnippetStatus};
use crossroads::store::{self, AuditEntry, NewAnswer, NewQuestion, Store, Vote};
use std::sync::Arc;
use support::db::{fresh, Backend};

async fn open(backend: Backend) -> (support::db::TestDb, Arc<dyn Store>) {
    let db = fresh(backend).await;
    let store = store::connect(&db.url).await.expect("open store");
    (db, store)
}

fn question(message_id: &str) -> NewQuestion {
    NewQuestion {
        platform: "discord".into(),
        workspace: "g1".into(),
        channel: "c1".into(),
        message_id: message_id.into(),
        thread_id: None,
        author_id: Some("u1".into()),
        text: "Should I quit?".into(),
    }
}

/// Stores a new question with this message id and returns its id.
async fn stored(store: &dyn Store, message_id: &str) -> i64 {
    let id = store.record_question(&question(message_id)).await.unwrap();
    id.expect("a new message id is stored")
}

fn answer(question_id: i64, snippets: &[&str]) -> NewAnswer {
    NewAnswer {
        question_id,
        channel: "c1".into(),
        thread_id: Some("t1".into()),
        message_ids: vec!["m1".into()],
        reply_kind: "advice".into(),
        primary_category: "quitting".into(),
        confidence: 0.9,
        snippet_ids: snippets.iter().map(|s| s.to_string()).collect(),
    }
}

both_backends!(
    seeding_is_once_and_round_trips,
    snippet_changes_keep_every_version,
    examples_are_added_once,
    a_question_is_stored_once,
    claims_are_exclusive_until_they_expire,
    one_answer_per_question,
    votes_are_one_per_user_and_count_per_snippet,
    audit_log_is_filtered_by_time,
    concurrent_seeding_is_safe,
);

async fn seeding_is_once_and_round_trips(b: Backend) {
    let (_db, store) = open(b).await;
    let k = crossroads::knowledge::builtin();
    assert!(store.seed_if_empty(&k).await.unwrap());
    assert!(!store.seed_if_empty(&k).await.unwrap());
    let back = Knowledge {
        categories: store.categories().await.unwrap(),
        snippets: store.snippets().await.unwrap(),
        examples: store.examples().await.unwrap(),
    };
    let mut want = k.clone();
    want.snippets.sort_by(|a, b| a.id.cmp(&b.id));
    want.examples.sort_by(|a, b| a.id.cmp(&b.id));
    want.categories.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(back, want);
}

async fn snippet_changes_keep_every_version(b: Backend) {
    let (_db, store) = open(b).await;
    let mut s = crossroads::knowledge::builtin().snippets.remove(0);
    store
        .seed_if_empty(&crossroads::knowledge::builtin())
        .await
        .unwrap();
    assert_eq!(
        store.save_snippet(&s, "alice").await.unwrap(),
        1,
        "unchanged: no new version"
    );
    s.status = SnippetStatus::Retired;
    assert_eq!(store.save_snippet(&s, "bob").await.unwrap(), 2);
    s.body.push_str(" More.");
    assert_eq!(store.save_snippet(&s, "carol").await.unwrap(), 3);
    let history = store.snippet_history(&s.id).await.unwrap();
    let who: Vec<_> = history
        .iter()
        .map(|v| (v.version, v.changed_by.as_str(), v.status.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            (1, "seed", "approved"),
            (2, "bob", "retired"),
            (3, "carol", "retired")
        ]
    );
    assert_eq!(store.snippet(&s.id).await.unwrap().unwrap(), s);
}

async fn examples_are_added_once(b: Backend) {
    let (_db, store) = open(b).await;
    let e = Example {
        id: "x1".into(),
        text: "Should I leave?".into(),
        labels: vec![CategoryId::parse("quitting").unwrap()],
        primary: CategoryId::parse("quitting").unwrap(),
    };
    let twice = [e.clone()];
    assert_eq!(store.add_examples(&twice, "train", "cli").await.unwrap(), 1);
    assert_eq!(store.add_examples(&twice, "train", "cli").await.unwrap(), 0);
    assert_eq!(store.examples().await.unwrap(), [e]);
}

async fn a_question_is_stored_once(b: Backend) {
    let (_db, store) = open(b).await;
    let id = store
        .record_question(&question("m1"))
        .await
        .unwrap()
        .expect("new");
    assert_eq!(store.record_question(&question("m1")).await.unwrap(), None);
    let mut anon = question("m2");
    anon.author_id = None;
    let anon_id = store.record_question(&anon).await.unwrap().unwrap();
    let stored = store.question(anon_id).await.unwrap().unwrap();
    assert!(stored.anonymous && stored.author_id.is_none());
    let pending: Vec<i64> = store
        .unanswered_questions("discord")
        .await
        .unwrap()
        .iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(pending, [id, anon_id]);
    assert!(store
        .unanswered_questions("slack")
        .await
        .unwrap()
        .is_empty());
}

async fn claims_are_exclusive_until_they_expire(b: Backend) {
    let (_db, store) = open(b).await;
    let id = stored(&*store, "m1").await;
    let now = crossroads::domain::now_ms();
    assert!(store.claim_question(id, "a", now + 60_000).await.unwrap());
    assert!(!store.claim_question(id, "b", now + 60_000).await.unwrap());
    assert!(
        !store.claim_question(id, "a", now + 60_000).await.unwrap(),
        "not re-entrant"
    );
    // An expired claim can be taken over.
    let expired = stored(&*store, "m2").await;
    assert!(store.claim_question(expired, "a", now - 1).await.unwrap());
    assert!(store
        .claim_question(expired, "b", now + 60_000)
        .await
        .unwrap());
}

async fn one_answer_per_question(b: Backend) {
    let (_db, store) = open(b).await;
    let id = stored(&*store, "m1").await;
    let first = store.record_answer(&answer(id, &["a"])).await.unwrap();
    assert!(first.is_some());
    assert_eq!(
        store.record_answer(&answer(id, &["b"])).await.unwrap(),
        None
    );
    assert_eq!(store.answer_for_question(id).await.unwrap(), first);
    assert!(store
        .unanswered_questions("discord")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.question(id).await.unwrap().unwrap().state, "answered");
    assert!(!store.claim_question(id, "late", i64::MAX).await.unwrap());
    assert_eq!(store.thread_answer_count("discord", "t1").await.unwrap(), 1);
    assert_eq!(store.thread_answer_count("slack", "t1").await.unwrap(), 0);
}

async fn votes_are_one_per_user_and_count_per_snippet(b: Backend) {
    let (_db, store) = open(b).await;
    let q1 = stored(&*store, "m1").await;
    let q2 = stored(&*store, "m2").await;
    let a1 = store
        .record_answer(&answer(q1, &["s1", "s2"]))
        .await
        .unwrap()
        .unwrap();
    let a2 = store
        .record_answer(&answer(q2, &["s1"]))
        .await
        .unwrap()
        .unwrap();
    store.record_vote(a1, "u1", Vote::Helpful).await.unwrap();
    store.record_vote(a1, "u1", Vote::NotHelpful).await.unwrap(); // changed mind
    store.record_vote(a1, "u2", Vote::Flag).await.unwrap();
    store.record_vote(a2, "u1", Vote::Helpful).await.unwrap();
    store.record_vote(a2, "u3", Vote::Helpful).await.unwrap();
    let net = store.net_votes().await.unwrap();
    assert_eq!(net.get("s1"), Some(&1)); // -1 + 0 + 1 + 1
    assert_eq!(net.get("s2"), Some(&-1));
}

async fn audit_log_is_filtered_by_time(b: Backend) {
    let (_db, store) = open(b).await;
    for (at, action) in [(1_000, "old"), (5_000, "new")] {
        let e = AuditEntry {
            at,
            actor: "mod".into(),
            action: action.into(),
            target: "x".into(),
            detail: String::new(),
            allowed: false,
        };
        store.audit(&e).await.unwrap();
    }
    let since = store.audit_since(2_000).await.unwrap();
    assert_eq!(since.len(), 1);
    assert_eq!(since[0].action, "new");
    assert!(!since[0].allowed);
}

async fn concurrent_seeding_is_safe(b: Backend) {
    let db = fresh(b).await;
    let k = crossroads::knowledge::builtin();
    // Two instances (two pools) on one database, seeding at the same moment.
    let s1 = store::connect(&db.url).await.unwrap();
    let s2 = store::connect(&db.url).await.unwrap();
    let (r1, r2) = tokio::join!(s1.seed_if_empty(&k), s2.seed_if_empty(&k));
    let seeded = [r1.unwrap(), r2.unwrap()];
    assert_eq!(seeded.iter().filter(|s| **s).count(), 1, "{seeded:?}");
    assert_eq!(s1.snippets().await.unwrap().len(), k.snippets.len());
}

#[tokio::test]
async fn an_unopenable_database_is_a_user_error() {
    for url in [
        "postgres://nobody@127.0.0.1:1/x",
        "mysql://x",
        "sqlite:///nonexistent-dir/x/y.db",
    ] {
        let err = store::connect(url).await.err().expect("must fail");
        assert!(!err.0.is_empty());
    }
}

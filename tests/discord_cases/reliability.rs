//! Exactly one reply, whatever happens: gateway replays, two instances, crashes, 429s, 5xx.

use super::{World, QUESTION};
use crate::support::db::{fresh, Backend};
use crate::support::discord::harness::{engine, settings, TestBot};
use crate::support::discord::state::{Endpoint, Fault};
use crate::support::discord::FakeDiscord;
use crossroads::adapters::discord::Handled;
use crossroads::core::Outcome;
use crossroads::store::NewQuestion;

fn outcome(h: &Handled) -> Option<&Outcome> {
    match h {
        Handled::Question { outcome, .. } => Some(outcome),
        _ => None,
    }
}

fn requests_to(fake: &FakeDiscord, method: &str, suffix: &str) -> Vec<(u16, std::time::Instant)> {
    fake.with(|s| {
        s.requests
            .iter()
            .filter(|r| r.method == method && r.path.ends_with(suffix))
            .map(|r| (r.status, r.at))
            .collect()
    })
}

async fn a_replayed_dispatch_gets_a_single_reply(backend: Backend) {
    let mut w = World::new(backend).await;
    let alice = w.fake.person("Alice");
    let before = w.fake.last_seq();
    let m = w.fake.post(&alice, w.channel, QUESTION);
    assert!(matches!(
        outcome(&w.bot.handled(m).await),
        Some(Outcome::Answered(_))
    ));

    // The gateway asks for a reconnect and, on RESUME, delivers MESSAGE_CREATE again.
    w.fake.reconnect_with_replay(before);
    assert_eq!(outcome(&w.bot.handled(m).await), Some(&Outcome::Duplicate));
    assert_eq!(
        w.fake.with(|s| s.sessions[0].resumes),
        1,
        "serenity resumed the session"
    );
    assert_eq!(w.fake.bot_messages_in(m).len(), 1, "one answer");
    assert_eq!(
        requests_to(&w.fake, "POST", "/threads").len(),
        1,
        "one thread"
    );
    w.bot.stop().await;
}
both_backends!(replayed_dispatch, a_replayed_dispatch_gets_a_single_reply);

#[tokio::test]
async fn two_instances_on_one_postgres_answer_once() {
    let fake = FakeDiscord::start().await;
    let channel = fake.text_channel("career-questions");
    let db = fresh(Backend::Postgres).await;
    let s = settings(&fake, &[channel], None);
    let mut one = TestBot::start(engine(&db.url).await, &s).await;
    let mut two = TestBot::start(engine(&db.url).await, &s).await;
    fake.wait_connected(2).await;
    // Both have done their startup replay: each question now arrives at both, live.
    one.wait_ready().await;
    two.wait_ready().await;
    let alice = fake.person("Alice");
    for text in [
        QUESTION,
        "My employer wants me to sign a non-compete after I already started, can they?",
    ] {
        let m = fake.post(&alice, channel, text);
        let mut outcomes = vec![
            outcome(&one.handled(m).await).cloned(),
            outcome(&two.handled(m).await).cloned(),
        ];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert!(
            matches!(
                outcomes[..],
                [Some(Outcome::Answered(_)), Some(Outcome::Duplicate)]
            ),
            "{outcomes:?}"
        );
        fake.wait_answer_in(m).await;
        assert_eq!(fake.bot_messages_in(m).len(), 1);
    }
    assert_eq!(requests_to(&fake, "POST", "/threads").len(), 2);
}

async fn a_crash_after_storing_is_answered_once_after_restart(backend: Backend) {
    let fake = FakeDiscord::start().await;
    let channel = fake.text_channel("career-questions");
    let db = fresh(backend).await;
    let s = settings(&fake, &[channel], None);
    let alice = fake.person("Alice");
    // The question arrived and was stored, then the process died: no bot is connected now.
    let m = fake.post(&alice, channel, QUESTION);
    let engine_before = engine(&db.url).await;
    let stored = NewQuestion {
        platform: "discord".into(),
        workspace: fake.guild().to_string(),
        channel: channel.to_string(),
        message_id: m.to_string(),
        thread_id: None,
        author_id: Some(alice.id.to_string()),
        text: QUESTION.into(),
    };
    engine_before
        .store()
        .record_question(&stored)
        .await
        .unwrap()
        .expect("stored");

    let mut bot = TestBot::start(engine(&db.url).await, &s).await;
    assert_eq!(
        bot.wait("the startup replay", |h| matches!(
            h,
            Handled::Replayed { .. }
        ))
        .await,
        Handled::Replayed { answered: 1 }
    );
    fake.wait_answer_in(m).await;
    bot.stop().await;

    // Another restart finds nothing left to do.
    let mut bot = TestBot::start(engine(&db.url).await, &s).await;
    assert_eq!(
        bot.wait("the startup replay", |h| matches!(
            h,
            Handled::Replayed { .. }
        ))
        .await,
        Handled::Replayed { answered: 0 }
    );
    assert_eq!(fake.bot_messages_in(m).len(), 1, "exactly one reply");
    bot.stop().await;
}
both_backends!(
    crash_after_store,
    a_crash_after_storing_is_answered_once_after_restart
);

async fn a_failed_post_is_answered_once_by_the_next_instance(backend: Backend) {
    let fake = FakeDiscord::start().await;
    let channel = fake.text_channel("career-questions");
    let db = fresh(backend).await;
    let mut s = settings(&fake, &[channel], None);
    s.claim_lease_ms = 300;
    // Discord is down for every attempt of the first instance, which then dies.
    fake.fail(Endpoint::CreateThread, Fault::Status(503), 4);
    let mut first = TestBot::start(engine(&db.url).await, &s).await;
    first.wait_ready().await;
    let m = fake.post(&fake.person("Alice"), channel, QUESTION);
    assert!(matches!(first.handled(m).await, Handled::Failed { .. }));
    first.stop().await;

    // The next instance retries pending questions often; the first one's claim expires.
    s.replay_interval_ms = 100;
    let mut second = TestBot::start(engine(&db.url).await, &s).await;
    second
        .wait("a replay answering it", |h| {
            matches!(h, Handled::Replayed { answered: 1 })
        })
        .await;
    fake.wait_answer_in(m).await;
    assert_eq!(fake.bot_messages_in(m).len(), 1, "exactly one reply");
    second.stop().await;
}
both_backends!(
    failed_post_restart,
    a_failed_post_is_answered_once_by_the_next_instance
);

#[tokio::test]
async fn a_lost_response_is_retried_without_double_posting() {
    let mut w = World::new(Backend::Sqlite).await;
    // Discord creates the message, but the answer is lost: the bot retries with the same nonce.
    w.fake
        .fail(Endpoint::CreateMessage, Fault::AfterEffect(502), 1);
    let m = w.fake.post(&w.fake.person("Alice"), w.channel, QUESTION);
    assert!(matches!(
        outcome(&w.bot.handled(m).await),
        Some(Outcome::Answered(_))
    ));
    let posts = requests_to(&w.fake, "POST", &format!("/channels/{m}/messages"));
    assert_eq!(posts.iter().map(|p| p.0).collect::<Vec<_>>(), [502, 200]);
    assert_eq!(
        w.fake.bot_messages_in(m).len(),
        1,
        "Discord deduplicated the nonce"
    );
}

#[tokio::test]
async fn a_429_is_honoured() {
    let mut w = World::new(Backend::Sqlite).await;
    w.fake.fail(
        Endpoint::CreateMessage,
        Fault::RateLimited { retry_after: 0.3 },
        1,
    );
    let m = w.fake.post(&w.fake.person("Alice"), w.channel, QUESTION);
    assert!(matches!(
        outcome(&w.bot.handled(m).await),
        Some(Outcome::Answered(_))
    ));
    let posts = requests_to(&w.fake, "POST", &format!("/channels/{m}/messages"));
    assert_eq!(posts.iter().map(|p| p.0).collect::<Vec<_>>(), [429, 200]);
    let waited = posts[1].1 - posts[0].1;
    assert!(waited.as_millis() >= 300, "waited retry_after: {waited:?}");
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    let mut w = World::new(Backend::Sqlite).await;
    w.fake.fail(Endpoint::CreateThread, Fault::Status(502), 2);
    let m = w.fake.post(&w.fake.person("Alice"), w.channel, QUESTION);
    assert!(matches!(
        outcome(&w.bot.handled(m).await),
        Some(Outcome::Answered(_))
    ));
    let attempts = requests_to(&w.fake, "POST", "/threads");
    assert_eq!(
        attempts.iter().map(|p| p.0).collect::<Vec<_>>(),
        [502, 502, 201]
    );
    assert!(
        attempts[2].1 - attempts[1].1 > attempts[1].1 - attempts[0].1,
        "the wait grows"
    );
    assert_eq!(w.fake.bot_messages_in(m).len(), 1);
}

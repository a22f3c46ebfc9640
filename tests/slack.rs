//! The Slack adapter end to end: the real slack-morphism client against a fake Slack (Web API
//! and Socket Mode on loopback), and the Events API path with signed requests.

mod support {
    pub mod db;
    pub mod slack;
}

use crossroads::adapters::slack::SlackSettings;
use crossroads::store::{NewQuestion, StoredQuestion};
use serde_json::{json, Value};
use std::future::Future;
use std::time::Duration;
use support::db::Backend::{self, Postgres, Sqlite};
use support::slack::app::{spawn, spawn_on, Mode, TestApp, SIGNING_SECRET};
use support::slack::client::{self, FORM, JSON};
use support::slack::{checks, payloads as p, FakeSlack, Message, ANON, CAREERS, RANDOM};

const QUESTION: &str = "My boss made a counteroffer after I resigned. Should I accept it or leave?";
const ASKER: &str = "UASKER7";

/// Polls `check` until it yields something (10 s at most).
async fn until<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The question id a reply's buttons carry.
fn question_id(reply: &Message) -> i64 {
    let actions = reply
        .blocks
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .unwrap();
    actions["elements"][0]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn stored(app: &TestApp, id: i64) -> StoredQuestion {
    app.store
        .question(id)
        .await
        .unwrap()
        .expect("question stored")
}

/// Waits until the answer to question `id` is recorded.
async fn answered(app: &TestApp, id: i64) -> i64 {
    until("the answer to be recorded", || async {
        app.store.answer_for_question(id).await.unwrap()
    })
    .await
}

/// A barrier: asks another question and waits for its answer, so everything delivered before
/// it has been handled too (each event's work is a few milliseconds; an answer is far more).
async fn settle(app: &TestApp) {
    let ts = app.fake.user_message(CAREERS, "Barrier", None);
    let text = "How do I tell my manager I am resigning?";
    app.deliver(&p::callback(
        &format!("EvBarrier{ts}"),
        p::message(CAREERS, "UB", text, &ts, None),
    ))
    .await;
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(app, question_id(&reply)).await;
}

/// Waits for the bot's repost of an anonymous question in the anonymous channel.
async fn anonymous_repost(fake: &FakeSlack) -> Message {
    fake.wait_for("the anonymous repost", |s| {
        s.messages
            .iter()
            .find(|m| m.channel == ANON && m.by_bot)
            .cloned()
    })
    .await
}

fn replies_in(fake: &FakeSlack, channel: &str, ts: &str) -> usize {
    fake.bot_posts()
        .iter()
        .filter(|m| {
            m.channel == channel
                && m.thread_ts.as_deref() == Some(ts)
                && checks::has_vote_buttons(&m.blocks)
        })
        .count()
}

fn assert_no_pings(fake: &FakeSlack) {
    for sent in fake.everything_sent() {
        assert!(
            checks::pings(&sent).is_empty(),
            "a ping reached Slack: {sent}"
        );
    }
}

#[path = "slack_cases/anonymous.rs"]
mod anonymous;
#[path = "slack_cases/answers.rs"]
mod answers;
#[path = "slack_cases/curation.rs"]
mod curation;
#[path = "slack_cases/events.rs"]
mod events;
#[path = "slack_cases/fake.rs"]
mod fake;
#[path = "slack_cases/moderation.rs"]
mod moderation;
#[path = "slack_cases/review_queue.rs"]
mod review_queue;

use anonymous::*;
use answers::*;
use curation::*;
use events::*;
use moderation::non_moderators_are_refused_and_change_nothing;
use review_queue::*;

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Postgres).await })*
        }
    };
}

on_both_backends!(
    valid_event_is_answered_in_its_thread,
    unsigned_requests_get_401_and_store_nothing,
    a_retried_event_gets_one_reply,
    a_second_instance_on_the_same_database_does_not_reply_again,
    socket_mode_envelopes_are_acknowledged_and_answered,
    anonymous_modal_submission_leaves_no_trace_of_the_author,
    a_dm_is_reposted_anonymously_once,
    votes_are_recorded_against_the_answer,
    questions_left_unanswered_are_answered_after_restart,
    follow_ups_are_answered_as_on_discord,
    non_moderators_are_refused_and_change_nothing,
    a_moderators_add_then_approve_shows_up_in_the_next_answer,
    a_retired_snippet_is_never_served_again,
    a_recategorization_changes_how_a_similar_question_is_classified,
    answer_by_link_posts_in_the_thread_and_promote_credits_the_author,
    abstentions_and_not_helpful_votes_each_post_one_item,
    two_moderators_resolving_one_item_at_once_one_wins,
);

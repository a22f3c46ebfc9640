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

async fn valid_event_is_answered_in_its_thread(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    // Posting is held until after the ack: the work must not happen inside the request.
    app.fake.hold_posts();
    let res = app
        .deliver(&p::callback(
            "Ev1",
            p::message(CAREERS, "U1", QUESTION, &ts, None),
        ))
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    app.fake.release_posts();

    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    let blocks = reply.blocks.as_array().unwrap();
    let kinds: Vec<_> = blocks.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert!(
        kinds.len() >= 4 && kinds.ends_with(&["context", "actions"]),
        "{kinds:?}"
    );
    assert!(
        kinds[1..kinds.len() - 2].iter().all(|k| *k == "section"),
        "one section per snippet"
    );
    assert!(
        blocks[1]["text"]["text"]
            .as_str()
            .unwrap()
            .contains("Source: "),
        "snippets cite their source"
    );
    let labels: Vec<_> = blocks.last().unwrap()["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Helpful", "Not helpful", "Flag"]);

    let id = question_id(&reply);
    answered(&app, id).await;
    let q = stored(&app, id).await;
    assert_eq!(
        (q.message_id.as_str(), q.author_id.as_deref()),
        (format!("{CAREERS}:{ts}").as_str(), Some("U1"))
    );
    assert_eq!(q.state, "answered");
    assert_no_pings(&app.fake);
}

async fn unsigned_requests_get_401_and_store_nothing(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    let event = p::callback("EvBad", p::message(CAREERS, "U1", QUESTION, &ts, None)).to_string();
    let command = p::command_form(CAREERS, "U1", "", &app.fake.trigger());
    let good = client::signature(SIGNING_SECRET, client::now(), &event);
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "bad signature",
            client::signature("not-the-secret", client::now(), &event),
        ),
        (
            "stale timestamp",
            client::signature(SIGNING_SECRET, client::now() - 301, &event),
        ),
        (
            "future timestamp",
            client::signature(SIGNING_SECRET, client::now() + 301, &event),
        ),
        ("missing timestamp", vec![good[1].clone()]),
        ("missing signature", vec![good[0].clone()]),
        ("no headers", vec![]),
    ];
    for (case, headers) in &cases {
        let res = client::post(app.http, "/slack/events", JSON, headers, &event).await;
        assert_eq!(res.status, 401, "{case}: {res:?}");
    }
    // A valid signature over a different body doesn't transfer either.
    let res = client::post(
        app.http,
        "/slack/events",
        JSON,
        &good,
        &event.replace("U1", "U2"),
    )
    .await;
    assert_eq!(res.status, 401);
    for path in ["/slack/commands", "/slack/interactive"] {
        let headers = client::signature("not-the-secret", client::now(), &command);
        assert_eq!(
            client::post(app.http, path, FORM, &headers, &command)
                .await
                .status,
            401,
            "{path}"
        );
    }
    // Slack's URL check is answered once signed.
    let check = json!({"token": "x", "challenge": "c-123", "type": "url_verification"}).to_string();
    let res = app.post_signed("/slack/events", JSON, &check).await;
    assert_eq!(
        (
            res.status,
            serde_json::from_str::<Value>(&res.body).unwrap()["challenge"].clone()
        ),
        (200, json!("c-123"))
    );

    settle(&app).await;
    assert!(
        app.fake.with(|s| s.views.is_empty()),
        "no modal for the unsigned /ask"
    );
    assert_eq!(
        replies_in(&app.fake, CAREERS, &ts),
        0,
        "the unsigned question was not answered"
    );
    assert!(app
        .store
        .unanswered_questions("slack")
        .await
        .unwrap()
        .is_empty());
    let barrier = question_id(&app.fake.bot_posts()[0]);
    assert_eq!(barrier, 1, "the barrier is the first question ever stored");
}

async fn a_retried_event_gets_one_reply(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app
        .fake
        .user_message(CAREERS, &format!("<@UBOT> {QUESTION}"), None);
    let event = p::callback("EvRetry", p::message(CAREERS, "U1", QUESTION, &ts, None)).to_string();
    assert_eq!(
        app.deliver(&serde_json::from_str(&event).unwrap())
            .await
            .status,
        200
    );
    for n in 1..=3 {
        let mut headers = client::signature(SIGNING_SECRET, client::now(), &event);
        headers.push(("X-Slack-Retry-Num", n.to_string()));
        headers.push(("X-Slack-Retry-Reason", "http_timeout".into()));
        assert_eq!(
            client::post(app.http, "/slack/events", JSON, &headers, &event)
                .await
                .status,
            200
        );
    }
    // The same message also arrives as an app_mention, under another event id.
    let mention = p::app_mention(CAREERS, "U1", &format!("<@UBOT> {QUESTION}"), &ts, None);
    assert_eq!(
        app.deliver(&p::callback("EvMention", mention)).await.status,
        200
    );
    app.fake.reply_in_thread(CAREERS, &ts).await;
    settle(&app).await;
    assert_eq!(replies_in(&app.fake, CAREERS, &ts), 1);
}

async fn a_second_instance_on_the_same_database_does_not_reply_again(backend: Backend) {
    let (first, _db) = spawn(backend, Mode::Events).await;
    let second = spawn_on(&first.db_url, first.fake.clone(), Mode::Events).await;
    let ts = first.fake.user_message(CAREERS, QUESTION, None);
    let event = p::callback("EvTwice", p::message(CAREERS, "U1", QUESTION, &ts, None));
    let dm = first.fake.open_dm("U9");
    let dm_ts = first.fake.user_message(
        &dm,
        "Should I sign a non-compete my employer just sent?",
        None,
    );
    let dm_event = p::callback(
        "EvDmTwice",
        p::message(
            &dm,
            "U9",
            "Should I sign a non-compete my employer just sent?",
            &dm_ts,
            None,
        ),
    );
    // Slack retries can land on either replica; here every delivery reaches both at once.
    let (a, b, c, d) = tokio::join!(
        first.deliver(&event),
        second.deliver(&event),
        first.deliver(&dm_event),
        second.deliver(&dm_event)
    );
    assert!([a, b, c, d].iter().all(|r| r.status == 200));
    first.fake.reply_in_thread(CAREERS, &ts).await;
    let repost = first
        .fake
        .wait_for("the anonymous repost", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == ANON && m.by_bot)
                .cloned()
        })
        .await;
    first.fake.reply_in_thread(ANON, &repost.ts).await;
    settle(&first).await;
    settle(&second).await;
    assert_eq!(replies_in(&first.fake, CAREERS, &ts), 1);
    let reposts = first
        .fake
        .bot_posts()
        .into_iter()
        .filter(|m| m.channel == ANON && m.thread_ts.is_none())
        .count();
    assert_eq!(reposts, 1, "the DM was reposted once");
    second.stop().await;
}

async fn socket_mode_envelopes_are_acknowledged_and_answered(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Socket).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.fake.hold_posts();
    let envelope = app.fake.send_envelope(
        "events_api",
        p::callback("EvSock", p::message(CAREERS, "U1", QUESTION, &ts, None)),
    );
    let ack = app.fake.ack(&envelope).await;
    assert_eq!(
        ack["envelope_id"],
        json!(envelope),
        "acknowledged while the reply is still held"
    );
    app.fake.release_posts();
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(&app, question_id(&reply)).await;

    // Slash commands come the same way and open the modal.
    let trigger = app.fake.trigger();
    let envelope = app
        .fake
        .send_envelope("slash_commands", p::command(CAREERS, ASKER, "", &trigger));
    app.fake.ack(&envelope).await;
    app.fake
        .wait_for("the /ask modal", |s| s.views.first().cloned())
        .await;
    let res = client::post(app.http, "/slack/events", JSON, &[], "{}").await;
    assert_eq!(
        res.status, 404,
        "no Events API routes in Socket Mode without a signing secret"
    );
    app.stop().await;
}

async fn anonymous_modal_submission_leaves_no_trace_of_the_author(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let trigger = app.fake.trigger();
    let res = app
        .post_signed(
            "/slack/commands",
            FORM,
            &p::command_form(CAREERS, ASKER, "", &trigger),
        )
        .await;
    assert_eq!((res.status, res.body.as_str()), (200, ""));
    let view = app
        .fake
        .wait_for("the /ask modal", |s| s.views.first().cloned())
        .await;
    assert_eq!(
        (
            view["callback_id"].as_str(),
            view["private_metadata"].as_str()
        ),
        (Some("crossroads_ask"), Some(CAREERS))
    );

    // A blank question keeps the modal open with an error.
    let blank = p::interactive_form(&p::view_submission(&view, ASKER, "   ", true));
    let res = app.post_signed("/slack/interactive", FORM, &blank).await;
    assert_eq!(
        serde_json::from_str::<Value>(&res.body).unwrap()["response_action"],
        "errors"
    );

    let text = format!("{QUESTION} <!channel> <!here> <!everyone> <!subteam^S0MODS|@mods>");
    let submit = p::interactive_form(&p::view_submission(&view, ASKER, &text, true));
    let res = app.post_signed("/slack/interactive", FORM, &submit).await;
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, ""),
        "closes the modal"
    );

    let repost = app
        .fake
        .wait_for("the anonymous repost", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == ANON && m.by_bot)
                .cloned()
        })
        .await;
    assert!(
        repost.text.starts_with("*Anonymous question*"),
        "{}",
        repost.text
    );
    let shown = format!("{} {}", repost.text, repost.blocks);
    assert!(
        !shown.contains(ASKER) && !shown.contains("asker"),
        "author leaked: {shown}"
    );
    let reply = app.fake.reply_in_thread(ANON, &repost.ts).await;
    let id = question_id(&reply);
    answered(&app, id).await;
    let q = stored(&app, id).await;
    assert_eq!(
        (q.author_id.as_deref(), q.anonymous, q.channel.as_str()),
        (None, true, ANON)
    );
    assert!(!format!("{q:?}").contains(ASKER));
    // The asker alone hears where it went, by DM.
    let link = app
        .fake
        .wait_for("the link DM", |s| {
            s.messages.iter().find(|m| m.channel == ASKER).cloned()
        })
        .await;
    assert!(
        link.text
            .contains("https://fake.slack.com/archives/CANON/p"),
        "{}",
        link.text
    );
    assert_no_pings(&app.fake);

    // Without the box ticked, the question is posted under the asker's name.
    let named = p::interactive_form(&p::view_submission(
        &view,
        ASKER,
        "Should I leave before my bonus vests?",
        false,
    ));
    app.post_signed("/slack/interactive", FORM, &named).await;
    let post = app
        .fake
        .wait_for("the named question", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == CAREERS && m.by_bot && m.thread_ts.is_none())
                .cloned()
        })
        .await;
    assert!(post
        .text
        .starts_with(&format!("*Question from <@{ASKER}>*")));
    let reply = app.fake.reply_in_thread(CAREERS, &post.ts).await;
    assert_eq!(
        stored(&app, question_id(&reply)).await.author_id.as_deref(),
        Some(ASKER)
    );
}

async fn a_dm_is_reposted_anonymously_once(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let dm = app.fake.open_dm(ASKER);
    let text = "<!here> My contract says I must repay my relocation bonus if I quit. Do I have to?";
    let ts = app.fake.user_message(&dm, text, None);
    let event = p::callback("EvDm", p::message(&dm, ASKER, text, &ts, None));
    assert_eq!(app.deliver(&event).await.status, 200);
    let repost = app
        .fake
        .wait_for("the anonymous repost", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == ANON && m.by_bot)
                .cloned()
        })
        .await;
    assert!(!repost.text.contains(ASKER) && !repost.text.contains(&dm));
    let reply = app.fake.reply_in_thread(ANON, &repost.ts).await;
    let id = question_id(&reply);
    answered(&app, id).await;
    let q = stored(&app, id).await;
    assert_eq!((q.author_id.as_deref(), q.channel.as_str()), (None, ANON));
    assert!(
        !format!("{q:?}").contains(&dm),
        "the DM channel is not stored"
    );
    app.fake
        .wait_for("the link DM", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == dm && m.by_bot)
                .cloned()
        })
        .await;

    // Slack retries the DM event: no second repost.
    let mut retry = client::signature(SIGNING_SECRET, client::now(), &event.to_string());
    retry.push(("X-Slack-Retry-Num", "1".into()));
    client::post(app.http, "/slack/events", JSON, &retry, &event.to_string()).await;
    settle(&app).await;
    let reposts = app
        .fake
        .bot_posts()
        .into_iter()
        .filter(|m| m.channel == ANON && m.thread_ts.is_none())
        .count();
    assert_eq!(reposts, 1);
    assert_no_pings(&app.fake);
}

async fn votes_are_recorded_against_the_answer(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.deliver(&p::callback(
        "EvVote",
        p::message(CAREERS, "U1", QUESTION, &ts, None),
    ))
    .await;
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(&app, question_id(&reply)).await;
    let click =
        |user: &str, action: &str| p::interactive_form(&p::block_actions(&reply, user, action));
    assert_eq!(
        app.post_signed("/slack/interactive", FORM, &click("U2", "vote_helpful"))
            .await
            .status,
        200
    );
    let helpful = until("a helpful vote", || async {
        let votes = app.store.net_votes().await.unwrap();
        votes.values().any(|v| *v == 1).then_some(votes)
    })
    .await;
    assert!(!helpful.is_empty());
    // Voting again replaces the vote.
    app.post_signed("/slack/interactive", FORM, &click("U2", "vote_not_helpful"))
        .await;
    until("the vote to flip", || async {
        let votes = app.store.net_votes().await.unwrap();
        votes.values().all(|v| *v <= 0).then_some(())
    })
    .await;
    app.post_signed("/slack/interactive", FORM, &click("U3", "vote_flag"))
        .await;
    let thanks = app
        .fake
        .wait_for("three confirmations", |s| {
            (s.ephemerals.len() == 3).then(|| s.ephemerals.clone())
        })
        .await;
    assert!(
        thanks.iter().all(|e| e["thread_ts"] == json!(ts)),
        "confirmed in the thread: {thanks:?}"
    );
    assert!(thanks[2]["text"].as_str().unwrap().contains("moderator"));
}

async fn questions_left_unanswered_are_answered_after_restart(backend: Backend) {
    let db = support::db::fresh(backend).await;
    let fake = FakeSlack::start().await;
    // A previous run stored this question, then died before answering it.
    let ts = fake.user_message(CAREERS, QUESTION, None);
    let store = crossroads::store::connect(&db.url).await.unwrap();
    store
        .record_question(&NewQuestion {
            platform: "slack".into(),
            workspace: "T0FAKE".into(),
            channel: CAREERS.into(),
            message_id: format!("{CAREERS}:{ts}"),
            thread_id: None,
            author_id: Some("U1".into()),
            text: QUESTION.into(),
        })
        .await
        .unwrap();
    let app = spawn_on(&db.url, fake, Mode::Events).await;
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(&app, question_id(&reply)).await;
    assert!(app
        .store
        .unanswered_questions("slack")
        .await
        .unwrap()
        .is_empty());
}

async fn follow_ups_are_answered_as_on_discord(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let max = SlackSettings::default().max_thread_replies;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.deliver(&p::callback(
        "EvTop",
        p::message(CAREERS, "U1", QUESTION, &ts, None),
    ))
    .await;
    let thread = format!("{CAREERS}:{ts}");
    let recorded = |want: i64| {
        let (store, thread) = (app.store.clone(), thread.clone());
        async move {
            let n = store.thread_answer_count("slack", &thread).await.unwrap();
            (n >= want).then_some(())
        }
    };
    until("the first answer", || recorded(1)).await;
    let follow_up = "What if they offer me a promotion instead of a raise when I resign?";
    let reply = |id: &str, user: &str, text: &str| {
        let reply_ts = app.fake.user_message(CAREERS, text, Some(&ts));
        p::callback(id, p::message(CAREERS, user, text, &reply_ts, Some(&ts)))
    };
    // Someone else's reply, and the asker's "thanks!", are left to people.
    app.deliver(&reply("EvOther", "U2", follow_up)).await;
    app.deliver(&reply("EvThanks", "U1", "thanks!")).await;
    // The asker's follow-ups are answered, with the thread's question as context, up to the cap.
    for n in 1..max {
        app.deliver(&reply(&format!("EvFollow{n}"), "U1", follow_up))
            .await;
        until("the follow-up answer", || recorded(n + 1)).await;
    }
    app.deliver(&reply("EvOverCap", "U1", follow_up)).await;
    // Chatter in a thread the bot never answered, or in a channel it doesn't watch: left alone.
    let other = app.fake.user_message(CAREERS, "Lunch?", None);
    let chatter = app.fake.user_message(CAREERS, follow_up, Some(&other));
    let event = p::message(CAREERS, "U2", follow_up, &chatter, Some(&other));
    app.deliver(&p::callback("EvChatter", event)).await;
    let random = app.fake.user_message(RANDOM, QUESTION, None);
    app.deliver(&p::callback(
        "EvRandom",
        p::message(RANDOM, "U2", QUESTION, &random, None),
    ))
    .await;
    settle(&app).await;
    assert_eq!(replies_in(&app.fake, CAREERS, &ts) as i64, max, "capped");
    assert_eq!(replies_in(&app.fake, CAREERS, &other), 0);
    assert_eq!(replies_in(&app.fake, RANDOM, &random), 0);
    let last = app
        .fake
        .bot_posts()
        .into_iter()
        .rfind(|m| m.thread_ts.as_deref() == Some(ts.as_str()))
        .unwrap();
    let asked = stored(&app, question_id(&last)).await;
    assert_eq!(asked.text, format!("{QUESTION}\n\n{follow_up}"));
    assert_eq!(asked.thread_id.as_deref(), Some(thread.as_str()));

    // Calling the bot by name in any thread makes it a question there.
    let mention = format!("<@UBOT> {QUESTION}");
    let mention_ts = app.fake.user_message(RANDOM, &mention, Some(&random));
    let event = p::app_mention(RANDOM, "U2", &mention, &mention_ts, Some(&random));
    app.deliver(&p::callback("EvMentionRandom", event)).await;
    app.fake.reply_in_thread(RANDOM, &random).await;

    // Too short to answer: a hint only the asker sees.
    let hi = app.fake.user_message(CAREERS, "hi all", None);
    app.deliver(&p::callback(
        "EvHi",
        p::message(CAREERS, "U5", "hi all", &hi, None),
    ))
    .await;
    let hint = app
        .fake
        .wait_for("the hint", |s| {
            s.ephemerals.iter().find(|e| e["user"] == "U5").cloned()
        })
        .await;
    assert!(
        hint["text"]
            .as_str()
            .unwrap()
            .contains("characters or more"),
        "{hint}"
    );
    assert_eq!(replies_in(&app.fake, CAREERS, &hi), 0);
}

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
);

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let (app, _db) = spawn(Sqlite, Mode::Events).await;
    app.fake.rate_limit_next("chat.postMessage", 1);
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.deliver(&p::callback(
        "Ev429",
        p::message(CAREERS, "U1", QUESTION, &ts, None),
    ))
    .await;
    app.fake.reply_in_thread(CAREERS, &ts).await;
    let calls = app.fake.calls("chat.postMessage");
    assert_eq!(calls[0].error.as_deref(), Some("ratelimited"));
    assert!(calls[1].error.is_none());
    assert!(
        calls[1].at - calls[0].at >= Duration::from_secs(1),
        "waited out Retry-After"
    );
}

/// The fake must refuse what Slack refuses, or the tests above would prove little.
#[tokio::test]
async fn the_fake_refuses_what_slack_refuses() {
    use support::slack::{APP_TOKEN, BOT_TOKEN};
    let fake = FakeSlack::start().await;
    let call = |token: &'static str, method: &'static str, args: Value| {
        let fake = fake.clone();
        async move {
            let auth = vec![("Authorization", format!("Bearer {token}"))];
            let res = client::post(
                fake.api_addr,
                &format!("/api/{method}"),
                JSON,
                &auth,
                &args.to_string(),
            )
            .await;
            let body: Value = serde_json::from_str(&res.body).unwrap();
            body["error"].as_str().unwrap_or("ok").to_owned()
        }
    };
    let section =
        |n: usize| json!({"type": "section", "text": {"type": "mrkdwn", "text": "x".repeat(n)}});
    assert_eq!(
        call(BOT_TOKEN, "chat.postMessage", json!({"text": "hi"})).await,
        "channel_not_found"
    );
    assert_eq!(
        call(
            BOT_TOKEN,
            "chat.postMessage",
            json!({"channel": "CNOTMINE", "text": "hi"})
        )
        .await,
        "not_in_channel"
    );
    assert_eq!(
        call(BOT_TOKEN, "chat.postMessage", json!({"channel": CAREERS})).await,
        "no_text"
    );
    assert_eq!(
        call(
            "xoxb-wrong",
            "chat.postMessage",
            json!({"channel": CAREERS, "text": "hi"})
        )
        .await,
        "invalid_auth"
    );
    assert_eq!(
        call(
            APP_TOKEN,
            "chat.postMessage",
            json!({"channel": CAREERS, "text": "hi"})
        )
        .await,
        "not_allowed_token_type"
    );
    assert_eq!(
        call(
            BOT_TOKEN,
            "chat.postMessage",
            json!({"channel": CAREERS, "text": "x".repeat(40_001)})
        )
        .await,
        "msg_too_long"
    );
    let too_many: Vec<_> = (0..51).map(|_| section(1)).collect();
    assert_eq!(
        call(
            BOT_TOKEN,
            "chat.postMessage",
            json!({"channel": CAREERS, "blocks": too_many})
        )
        .await,
        "invalid_blocks"
    );
    assert_eq!(
        call(
            BOT_TOKEN,
            "chat.postMessage",
            json!({"channel": CAREERS, "blocks": [section(3001)]})
        )
        .await,
        "invalid_blocks"
    );
    assert_eq!(
        call(
            BOT_TOKEN,
            "chat.postMessage",
            json!({"channel": CAREERS, "blocks": [section(3000)]})
        )
        .await,
        "ok"
    );
    assert_eq!(
        call(
            BOT_TOKEN,
            "views.open",
            json!({"trigger_id": "made-up", "view": {}})
        )
        .await,
        "invalid_trigger_id"
    );
    assert_eq!(
        call(BOT_TOKEN, "apps.connections.open", json!({})).await,
        "not_allowed_token_type"
    );
    assert_eq!(
        call(
            BOT_TOKEN,
            "chat.getPermalink",
            json!({"channel": CAREERS, "message_ts": "1.2"})
        )
        .await,
        "message_not_found"
    );
}

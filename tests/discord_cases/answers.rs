//! A question gets a thread and a reply within Discord's limits, pinging no one.

use super::{World, QUESTION};
use crate::support::db::Backend;
use crate::support::discord::state::Msg;
use crate::support::discord::validate;
use crossroads::adapters::discord::Handled;
use crossroads::core::Outcome;
use serde_json::json;

/// Every message body the bot sent, with where it went.
fn sent_messages(w: &World) -> Vec<(String, serde_json::Value)> {
    w.fake.with(|s| {
        s.requests
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
            .map(|r| (r.path.clone(), r.body.clone()))
            .collect()
    })
}

fn assert_valid_answer(m: &Msg, question_id_hint: &str) {
    assert!(m.content.chars().count() <= 2000);
    assert!(!m.embeds().is_empty(), "advice comes as embeds: {m:?}");
    let buttons = m.buttons();
    assert_eq!(buttons.len(), 3);
    assert!(
        buttons.iter().all(|b| b.starts_with(question_id_hint)),
        "{buttons:?}"
    );
}

async fn question_gets_a_thread_and_a_reply(backend: Backend) {
    let mut w = World::new(backend).await;
    let alice = w.fake.person("Alice");
    let m = w.fake.post(&alice, w.channel, QUESTION);
    let handled = w.bot.handled(m).await;
    assert!(
        matches!(
            handled,
            Handled::Question {
                outcome: Outcome::Answered(_),
                ..
            }
        ),
        "{handled:?}"
    );

    // The thread is opened on the question, named from it; the answer is posted inside.
    let thread = w.fake.with(|s| s.channels[&m].clone());
    assert_eq!(thread.parent_id, Some(w.channel));
    assert!(thread.name.starts_with("I want to quit my job") && thread.name.chars().count() <= 100);
    let answer = w.fake.wait_answer_in(m).await;
    let qid: i64 = w
        .scalar(&format!(
            "SELECT id FROM questions WHERE message_id = '{m}'"
        ))
        .await;
    assert_valid_answer(&answer, &format!("fb:{qid}:"));
    assert_eq!(
        answer.body["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": [], "replied_user": false})
    );
    for embed in answer.embeds() {
        let description = embed["description"].as_str().unwrap();
        assert!(
            description.contains("\n\nSource: "),
            "every snippet names its source"
        );
        if let Some(url) = embed["url"].as_str() {
            assert!(
                description.contains(&format!("]({url})")),
                "sources are links: {description}"
            );
        }
    }

    // Stored: the asker, the thread, the posted message.
    let author: Option<String> = w
        .scalar(&format!("SELECT author_id FROM questions WHERE id = {qid}"))
        .await;
    assert_eq!(author, Some(alice.id.to_string()));
    let thread_id: Option<String> = w
        .scalar(&format!(
            "SELECT thread_id FROM answers WHERE question_id = {qid}"
        ))
        .await;
    assert_eq!(thread_id, Some(m.to_string()));
    let ids: String = w
        .scalar(&format!(
            "SELECT message_ids FROM answers WHERE question_id = {qid}"
        ))
        .await;
    assert_eq!(ids, format!("[\"{}\"]", answer.id));
    assert!(
        w.fake.bot_messages_in(w.channel).is_empty(),
        "nothing posted in the channel itself"
    );
    w.bot.stop().await;
}
both_backends!(question_thread_reply, question_gets_a_thread_and_a_reply);

#[tokio::test]
async fn mentions_in_questions_ping_no_one() {
    let mut w = World::new(Backend::Sqlite).await;
    let (alice, bob) = (w.fake.person("Alice"), w.fake.person("Bob"));
    let text = format!(
        "@everyone @here <@&{}> <@{}> {QUESTION}",
        w.fake.guild(),
        bob.id
    );
    let m = w.fake.post(&alice, w.channel, &text);
    w.bot.handled(m).await;
    let d = w.fake.dm(&alice, &text);
    w.bot.handled(d).await;
    let sent = sent_messages(&w);
    assert!(
        sent.len() >= 4,
        "question answer, anonymous repost, its answer, the DM link: {sent:?}"
    );
    for (path, body) in &sent {
        assert_eq!(
            validate::pings(body),
            Vec::<String>::new(),
            "{path} would ping: {body}"
        );
        assert_eq!(body["allowed_mentions"]["parse"], json!([]), "{path}");
    }
    let repost = &w.fake.bot_messages_in(w.anonymous)[0];
    assert!(
        repost.content.contains("@everyone"),
        "the question is reposted as written, harmlessly"
    );
}

#[tokio::test]
async fn a_5000_character_question_gets_a_valid_reply() {
    let mut w = World::new(Backend::Sqlite).await;
    let alice = w.fake.person("Alice");
    let long = format!(
        "{QUESTION} {}",
        "My manager says I owe them another month of notice. ".repeat(95)
    );
    let long: String = long.chars().take(5000).collect();
    assert_eq!(long.chars().count(), 5000);

    let m = w.fake.post(&alice, w.channel, &long);
    assert!(matches!(
        w.bot.handled(m).await,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    ));
    let thread = w.fake.with(|s| s.channels[&m].clone());
    assert!(thread.name.chars().count() <= 100);
    w.fake.wait_answer_in(m).await;

    // Anonymously too: the repost is split into messages Discord accepts.
    let d = w.fake.dm(&alice, &long);
    assert!(matches!(
        w.bot.handled(d).await,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    ));
    let reposted = w.fake.bot_messages_in(w.anonymous);
    assert_eq!(reposted.len(), 1, "one anchor message in the channel");
    let rest = w.fake.bot_messages_in(reposted[0].id);
    assert!(rest.len() >= 3, "the rest of the question, then the answer");
    let all: String = std::iter::once(&reposted[0])
        .chain(rest.iter())
        .map(|m| m.content.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("another month of notice"));
    let rejected = w
        .fake
        .with(|s| s.requests.iter().filter(|r| r.status >= 400).count());
    assert_eq!(rejected, 0, "the fake rejected nothing");
}

#[tokio::test]
async fn forum_posts_are_answered_inside_the_post() {
    let fake = crate::support::discord::FakeDiscord::start().await;
    let forum = fake.forum("ask-the-community");
    let db = crate::support::db::fresh(Backend::Sqlite).await;
    let s = crate::support::discord::harness::settings(&fake, &[forum], None);
    let mut bot = crate::support::discord::harness::TestBot::start(
        crate::support::discord::harness::engine(&db.url).await,
        &s,
    )
    .await;
    bot.wait_ready().await;
    let alice = fake.person("Alice");
    let post = fake.forum_post(&alice, forum, "Counteroffer?", QUESTION);
    assert!(matches!(
        bot.handled(post).await,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    ));
    let answer = fake.wait_answer_in(post).await;
    assert_eq!(
        answer.body["message_reference"]["message_id"],
        json!(post.to_string())
    );
    let threads_opened = fake.with(|s| {
        s.requests
            .iter()
            .filter(|r| r.path.ends_with("/threads"))
            .count()
    });
    assert_eq!(threads_opened, 0, "a forum post is already a thread");
}

#[tokio::test]
async fn without_thread_permission_it_replies_in_the_channel_and_warns_once() {
    let logs = crate::support::discord::harness::capture_logs();
    let mut w = World::new(Backend::Sqlite).await;
    w.fake.deny_threads(w.channel);
    let alice = w.fake.person("Alice");
    for _ in 0..2 {
        let m = w.fake.post(&alice, w.channel, QUESTION);
        assert!(matches!(
            w.bot.handled(m).await,
            Handled::Question {
                outcome: Outcome::Answered(_),
                ..
            }
        ));
        let reply = w
            .fake
            .bot_messages_in(w.channel)
            .into_iter()
            .find(|r| r.body["message_reference"]["message_id"] == json!(m.to_string()));
        let reply = reply.expect("a plain reply referencing the question");
        assert_eq!(reply.buttons().len(), 3);
        assert_eq!(reply.body["allowed_mentions"]["replied_user"], json!(false));
    }
    let warnings = logs
        .text()
        .matches("cannot create threads in this channel")
        .count();
    assert_eq!(warnings, 1, "one clear warning: {}", logs.text());
}

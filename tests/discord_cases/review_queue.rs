//! The review queue in the moderators' channel, answering a question by link, promoting a
//! human answer, and recategorizing a question.

use super::moderation::{advice, ask, link, moderator, served, POTTERY};
use super::{World, QUESTION};
use crate::support::db::Backend;
use crate::support::discord::harness::event_id;
use crate::support::discord::moderation::MANAGE_MESSAGES;
use crate::support::discord::state::Msg;
use crossroads::adapters::discord::Handled;

/// The bot's messages in the moderators' channel whose text contains `what`.
fn items(w: &World, what: &str) -> Vec<Msg> {
    w.fake
        .bot_messages_in(w.mods)
        .into_iter()
        .filter(|m| m.content.contains(what))
        .collect()
}

async fn an_abstention_and_a_not_helpful_vote_each_post_one_item(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let (alice, bob, carol) = (
        w.fake.person("Alice"),
        w.fake.person("Bob"),
        w.fake.person("Carol"),
    );
    let (_, pottery) = ask(&mut w, &alice, POTTERY).await;
    let item = w
        .fake
        .wait_for("the abstention item", |s| {
            s.in_channel(w.mods).first().map(|m| (*m).clone())
        })
        .await;
    assert!(
        item.content.contains("abstained") && item.content.contains("pottery"),
        "{}",
        item.content
    );
    assert!(item.content.contains(&format!("Question #{pottery}")));
    assert!(item.content.contains(&format!("asked by <@{}>", alice.id)));
    assert_eq!(
        item.body["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "no pings"
    );
    let id: i64 = w.scalar("SELECT id FROM review_items").await;
    assert_eq!(
        item.buttons(),
        [
            format!("rv:{id}:answer"),
            format!("rv:{id}:recat"),
            format!("rv:{id}:dismiss")
        ]
    );

    let (m, _) = ask(&mut w, &alice, QUESTION).await;
    let answer = w.fake.wait_answer_in(m).await;
    for who in [&bob, &carol, &bob] {
        let click = w.fake.click(who, answer.id, &answer.buttons()[1]);
        w.bot.handled(click).await;
    }
    w.fake
        .wait_for("the Not helpful item", |s| {
            s.in_channel(w.mods)
                .iter()
                .any(|m| m.content.contains("Not helpful"))
                .then_some(())
        })
        .await;
    assert_eq!(items(&w, "abstained").len(), 1);
    assert_eq!(items(&w, "Not helpful").len(), 1);
    assert_eq!(items(&w, "Not helpful")[0].buttons().len(), 3);
    assert_eq!(w.fake.bot_messages_in(w.mods).len(), 2);
    let rows: i64 = w.scalar("SELECT COUNT(*) FROM review_items").await;
    assert_eq!(rows, 2);
    w.bot.stop().await;
}
both_backends!(
    items_posted_once,
    an_abstention_and_a_not_helpful_vote_each_post_one_item
);

async fn two_moderators_resolving_one_item_at_once_one_wins(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let alice = w.fake.person("Alice");
    let (mo, mia) = (moderator(&w, "Mo"), w.fake.person("Mia"));
    w.fake.set_access(&mia, &[], MANAGE_MESSAGES);
    ask(&mut w, &alice, POTTERY).await;
    let item = w
        .fake
        .wait_for("the item", |s| {
            s.in_channel(w.mods).first().map(|m| (*m).clone())
        })
        .await;
    let dismiss = item.buttons()[2].clone();
    // Both click before the bot handles either.
    let (a, b) = (
        w.fake.click(&mo, item.id, &dismiss),
        w.fake.click(&mia, item.id, &dismiss),
    );
    // Either may be handled first: wait for both without dropping the other's event.
    let mut done = std::collections::HashSet::new();
    while done.len() < 2 {
        let h = w
            .bot
            .wait(
                "both clicks",
                |h| matches!(event_id(h), Some(i) if i == a || i == b),
            )
            .await;
        assert_eq!(
            h,
            Handled::Moderated {
                id: event_id(&h).unwrap()
            }
        );
        done.insert(event_id(&h));
    }
    let (ta, _) = w.fake.wait_shown(a).await;
    let (tb, _) = w.fake.wait_shown(b).await;
    let texts = [ta, tb];
    let won: Vec<_> = texts.iter().filter(|t| t.starts_with("Item ")).collect();
    let lost: Vec<_> = texts
        .iter()
        .filter(|t| t.starts_with("Already resolved by discord:"))
        .collect();
    assert_eq!((won.len(), lost.len()), (1, 1), "{texts:?}");
    let resolutions: i64 = w
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'review.resolve' AND allowed")
        .await;
    assert_eq!(resolutions, 1);
    let by: String = w.scalar("SELECT resolved_by FROM review_items").await;
    assert!(lost[0].contains(&by), "{} names {by}", lost[0]);
    // The item message now says who resolved it, and has no buttons.
    let edited = w
        .fake
        .wait_for("the item edited", |s| {
            s.message(item.id)
                .filter(|m| m.buttons().is_empty())
                .cloned()
        })
        .await;
    assert!(
        edited.content.contains("**Resolved** by M") && edited.content.contains("dismissed"),
        "{}",
        edited.content
    );
    // A late click says who resolved it.
    let late = w.fake.click(&mo, item.id, &item.buttons()[0]);
    w.bot.handled(late).await;
    assert!(w
        .fake
        .wait_shown(late)
        .await
        .0
        .starts_with("Already resolved by"));
    w.bot.stop().await;
}
both_backends!(
    one_resolution_wins,
    two_moderators_resolving_one_item_at_once_one_wins
);

async fn answering_by_link_posts_in_the_thread_and_promote_credits_the_author(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let (alice, carol, mo) = (
        w.fake.person("Alice"),
        w.fake.person("Carol"),
        moderator(&w, "Mo"),
    );
    let (m, qid) = ask(&mut w, &alice, POTTERY).await;
    w.bot
        .wait("the abstention item posted", |h| {
            matches!(h, Handled::ReviewPosted { .. })
        })
        .await;
    let item = w
        .fake
        .wait_for("the item", |s| {
            s.in_channel(w.mods).first().map(|m| (*m).clone())
        })
        .await;
    let before = w.fake.bot_messages_in(m).len();
    let question = link(&w, w.channel, m);
    let opts = [
        ("question", question.as_str()),
        ("snippet", "quit-no-job-runway"),
    ];
    let text = advice(&mut w, &mo, "answer", &opts).await;
    assert!(text.contains("Posted `quit-no-job-runway`"), "{text}");
    let posted = w.fake.bot_messages_in(m);
    assert_eq!(
        posted.len(),
        before + 1,
        "one more message, in the question's thread"
    );
    let answer = posted.last().unwrap();
    assert!(
        answer.visible_text().contains("runway"),
        "{}",
        answer.visible_text()
    );
    let nonce = answer.body["nonce"].as_str().unwrap();
    assert!(
        nonce.starts_with(&format!("cr{qid}m")),
        "a nonce of its own: {nonce}"
    );
    let state: String = w
        .scalar(&format!("SELECT state FROM questions WHERE id = {qid}"))
        .await;
    assert_eq!(state, "answered");
    let by: String = w
        .scalar(&format!(
            "SELECT snippet_id FROM mod_answers WHERE question_id = {qid}"
        ))
        .await;
    assert_eq!(by, "quit-no-job-runway");
    let open: i64 = w
        .scalar("SELECT COUNT(*) FROM review_items WHERE resolved_at IS NULL")
        .await;
    assert_eq!(open, 0, "answering resolves the question's item");
    // Resolved by the command, not its buttons: its message says so all the same.
    let edited = w
        .fake
        .wait_for("the item marked resolved", |s| {
            s.message(item.id)
                .filter(|m| m.buttons().is_empty())
                .cloned()
        })
        .await;
    assert!(
        edited.content.contains("answered with quit-no-job-runway"),
        "{}",
        edited.content
    );
    let text = advice(&mut w, &mo, "answer", &opts).await;
    assert!(text.contains("already answered"), "{text}");
    assert_eq!(w.fake.bot_messages_in(m).len(), before + 1);

    // Carol answers in the thread; a moderator promotes her reply by its bare id, from there.
    let reply = w.fake.post(
        &carol,
        m,
        "Take the sabbatical only once you have a year of savings.\nTalk to studio owners first.",
    );
    w.bot.handled(reply).await;
    let i = w
        .fake
        .advice(&mo, m, "promote", &[("message", &reply.to_string())]);
    w.bot.handled(i).await;
    let (text, _) = w.fake.wait_shown(i).await;
    assert!(text.contains("created from Carol's answer"), "{text}");
    let row: String = w.scalar("SELECT status || '|' || author || '|' || source_title || '|' || source_url FROM snippets WHERE author = 'Carol'").await;
    let url = link(&w, m, reply);
    assert_eq!(row, format!("draft|Carol|Community answer by Carol|{url}"));
    let missing = advice(&mut w, &mo, "promote", &[("message", "123456")]).await;
    assert!(missing.contains("no such message"), "{missing}");
    w.bot.stop().await;
}
both_backends!(
    answer_and_promote,
    answering_by_link_posts_in_the_thread_and_promote_credits_the_author
);

async fn a_recategorization_changes_how_a_similar_question_is_classified(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let (alice, mo) = (w.fake.person("Alice"), moderator(&w, "Mo"));
    let (m, qid) = ask(&mut w, &alice, POTTERY).await;
    let first: String = w
        .scalar(&format!(
            "SELECT primary_category FROM answers WHERE question_id = {qid}"
        ))
        .await;
    assert_eq!(first, "other");
    let question = link(&w, w.channel, m);
    let text = advice(
        &mut w,
        &mo,
        "recategorize",
        &[("question", &question), ("category", "role_switch")],
    )
    .await;
    assert!(text.contains("now filed under role_switch"), "{text}");
    let similar = "Would a sabbatical to learn pottery and open a small ceramics studio be wise?";
    let (m2, q2) = ask(&mut w, &alice, similar).await;
    w.fake.wait_answer_in(m2).await;
    let now: String = w
        .scalar(&format!(
            "SELECT primary_category FROM answers WHERE question_id = {q2}"
        ))
        .await;
    assert_eq!(now, "role_switch");
    assert!(
        !served(&w, q2).await.ends_with("|0"),
        "it is answered with advice now"
    );
    let bad = advice(
        &mut w,
        &mo,
        "recategorize",
        &[("question", "#999999"), ("category", "quitting")],
    )
    .await;
    assert!(bad.contains("no question found"), "{bad}");
    let handled = w.fake.advice(
        &mo,
        w.channel,
        "recategorize",
        &[("question", "hello"), ("category", "quitting")],
    );
    assert_eq!(
        w.bot.handled(handled).await,
        Handled::Moderated { id: handled }
    );
    assert!(w
        .fake
        .wait_shown(handled)
        .await
        .0
        .contains("not a message link"));
    w.bot.stop().await;
}
both_backends!(
    recategorize_flips_similar,
    a_recategorization_changes_how_a_similar_question_is_classified
);

//! Moderators on Discord: `/advice` and its modals, rights decided per interaction from roles
//! and permissions, and what each command changes (or, refused, does not change).

use super::{World, QUESTION};
use crate::support::db::Backend;
use crate::support::discord::moderation::MANAGE_MESSAGES;
use crate::support::discord::state::User;
use crossroads::adapters::discord::Handled;
use crossroads::domain::{CategoryId, Snippet, SnippetStatus, Source};

/// A question the built-in classifier abstains on.
pub const POTTERY: &str =
    "Should I take a sabbatical to learn pottery and open a small ceramics studio?";

/// A member holding the configured moderator role.
pub fn moderator(w: &World, name: &str) -> User {
    let u = w.fake.person(name);
    w.fake.set_access(&u, &[w.mod_role], 0);
    u
}

pub fn link(w: &World, channel: u64, message: u64) -> String {
    format!(
        "https://discord.com/channels/{}/{channel}/{message}",
        w.fake.guild()
    )
}

/// Posts a question in the question channel and waits until it is answered; returns its
/// message id and stored id.
pub async fn ask(w: &mut World, who: &User, text: &str) -> (u64, i64) {
    let m = w.fake.post(who, w.channel, text);
    let handled = w.bot.handled(m).await;
    assert!(matches!(handled, Handled::Question { .. }), "{handled:?}");
    let qid = w
        .scalar(&format!(
            "SELECT id FROM questions WHERE message_id = '{m}'"
        ))
        .await;
    (m, qid)
}

/// Runs `/advice` and returns what the user was shown (asserting only they saw it).
pub async fn advice(w: &mut World, who: &User, sub: &str, options: &[(&str, &str)]) -> String {
    let i = w.fake.advice(who, w.channel, sub, options);
    assert_eq!(w.bot.handled(i).await, Handled::Moderated { id: i });
    let (text, ephemeral) = w.fake.wait_shown(i).await;
    assert!(ephemeral, "moderator responses are ephemeral: {text}");
    text
}

async fn count(w: &World, sql: &str) -> i64 {
    w.scalar(sql).await
}

/// Snippet ids the answer to stored question `qid` showed.
pub async fn served(w: &World, qid: i64) -> String {
    w.scalar(&format!(
        "SELECT COALESCE(MAX(s.snippet_id), '') || '|' || COUNT(*) FROM answer_snippets s
         JOIN answers a ON a.id = s.answer_id WHERE a.question_id = {qid}"
    ))
    .await
}

/// What a refused action must not change.
async fn snapshot(w: &World) -> (i64, String, i64, i64, i64, i64) {
    (
        count(w, "SELECT COUNT(*) FROM snippet_versions").await,
        w.scalar("SELECT status FROM snippets WHERE id = 'eve-draft'")
            .await,
        count(
            w,
            "SELECT COUNT(*) FROM snippets WHERE status <> 'approved'",
        )
        .await,
        count(w, "SELECT COUNT(*) FROM examples").await,
        count(
            w,
            "SELECT COUNT(*) FROM review_items WHERE resolved_at IS NOT NULL",
        )
        .await,
        count(w, "SELECT COUNT(*) FROM mod_answers").await,
    )
}

async fn a_non_moderators_attempts_are_refused_and_change_nothing(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let (alice, eve) = (w.fake.person("Alice"), w.fake.person("Eve"));
    // Permissions a plain member has (no Manage Messages), and an unrelated role.
    let other_role = w.fake.role();
    w.fake.set_access(&eve, &[other_role], 1 << 10 | 1 << 11);
    let draft = Snippet {
        id: "eve-draft".into(),
        title: "A draft".into(),
        body: "Some draft advice.".into(),
        categories: vec![CategoryId::parse("quitting").unwrap()],
        tags: vec![],
        source: Source {
            title: "Us".into(),
            url: String::new(),
        },
        status: SnippetStatus::Draft,
        author: "test".into(),
        reviewed: "2026-01-01".into(),
        pinned: false,
    };
    w.bot
        .engine
        .store()
        .save_snippet(&draft, "test")
        .await
        .unwrap();
    let (m, qid) = ask(&mut w, &alice, POTTERY).await;
    let item = w
        .fake
        .wait_for("the review item", |s| {
            s.in_channel(w.mods).first().map(|m| (m.id, m.buttons()))
        })
        .await;

    let before = snapshot(&w).await;
    let question = link(&w, w.channel, m);
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("approve", vec![("id", "eve-draft")]),
        ("retire", vec![("id", "quit-counteroffers")]),
        (
            "recategorize",
            vec![("question", &question), ("category", "role_switch")],
        ),
        (
            "answer",
            vec![("question", &question), ("snippet", "quit-counteroffers")],
        ),
        ("queue", vec![]),
        ("add", vec![]),
    ];
    for (sub, options) in &attempts {
        let text = advice(&mut w, &eve, sub, options).await;
        assert!(text.starts_with("Not allowed"), "{sub}: {text}");
    }
    // Resolving the queue item: Dismiss, and the Answer button's form.
    for button in [&item.1[2], &item.1[0]] {
        let click = w.fake.click(&eve, item.0, button);
        assert_eq!(w.bot.handled(click).await, Handled::Moderated { id: click });
        let (text, ephemeral) = w.fake.wait_shown(click).await;
        assert!(ephemeral && text.starts_with("Not allowed"), "{text}");
    }
    // Eve had the role when she opened the add form, and lost it before submitting.
    w.fake.set_access(&eve, &[w.mod_role], 0);
    let open = w.fake.advice(&eve, w.channel, "add", &[]);
    w.bot.handled(open).await;
    w.fake.set_access(&eve, &[], 0);
    let fields = [
        ("title", "Eve's tip"),
        ("body", "Always quit on a Friday."),
        ("categories", "quitting"),
    ];
    let submit = w.fake.submit_modal(&eve, open, &fields);
    assert_eq!(
        w.bot.handled(submit).await,
        Handled::Moderated { id: submit }
    );
    let (text, ephemeral) = w.fake.wait_shown(submit).await;
    assert!(ephemeral && text.starts_with("Not allowed"), "{text}");

    assert_eq!(snapshot(&w).await, before, "nothing changed");
    let refused = count(&w, "SELECT COUNT(*) FROM audit_log WHERE NOT allowed").await;
    assert_eq!(refused, 9, "every refusal is audited");
    let actors = count(
        &w,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE NOT allowed AND actor LIKE 'discord:{}%'",
            eve.id
        ),
    )
    .await;
    assert_eq!(actors, 9);
    let allowed = "SELECT COUNT(*) FROM audit_log WHERE allowed AND actor LIKE 'discord:%'";
    assert_eq!(count(&w, allowed).await, 0);
    assert_eq!(
        w.fake.bot_messages_in(w.mods)[0].buttons().len(),
        3,
        "the item is untouched"
    );
    assert!(
        served(&w, qid).await.ends_with("|0"),
        "the abstention stays unanswered"
    );
    w.bot.stop().await;
}
both_backends!(
    non_moderator_refused,
    a_non_moderators_attempts_are_refused_and_change_nothing
);

async fn a_moderators_add_then_approve_shows_up_in_the_next_answer(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let alice = w.fake.person("Alice");
    // Manage Messages alone makes a moderator, without the role.
    let mia = w.fake.person("Mia");
    w.fake.set_access(&mia, &[], MANAGE_MESSAGES);
    let open = w.fake.advice(&mia, w.channel, "add", &[]);
    assert_eq!(w.bot.handled(open).await, Handled::Moderated { id: open });
    let modal = w.fake.modal(open);
    assert_eq!(modal["components"].as_array().unwrap().len(), 5);
    let fields = [
        ("title", "A zeppelin bonus counteroffer: stay or go"),
        ("body", "When a zeppelin bonus arrives as a counteroffer, write down why you wanted to quit before you read the zeppelin numbers."),
        ("categories", "quitting"),
        ("tags", "counteroffer, zeppelin"),
        ("source", "Crossroads moderators https://example.org/zeppelin"),
    ];
    let submit = w.fake.submit_modal(&mia, open, &fields);
    w.bot.handled(submit).await;
    let (text, _) = w.fake.wait_shown(submit).await;
    assert!(text.contains("added as a draft"), "{text}");
    let id: String = w
        .scalar("SELECT id FROM snippets WHERE title LIKE 'A zeppelin%'")
        .await;
    let q = "I want to quit my job but my manager keeps offering a counteroffer with a zeppelin bonus. Should I stay or go?";

    let (_, draft_q) = ask(&mut w, &alice, q).await;
    assert!(
        !served(&w, draft_q).await.contains(&id),
        "a draft is not served"
    );
    let text = advice(&mut w, &mia, "approve", &[("id", &id)]).await;
    assert!(text.contains("now approved"), "{text}");
    let (m, qid) = ask(&mut w, &alice, q).await;
    let answer = w.fake.wait_answer_in(m).await;
    assert!(
        answer
            .visible_text()
            .contains("A zeppelin bonus counteroffer"),
        "{}",
        answer.visible_text()
    );
    let shown = count(
        &w,
        &format!(
            "SELECT COUNT(*) FROM answer_snippets s JOIN answers a ON a.id = s.answer_id
         WHERE a.question_id = {qid} AND s.snippet_id = '{id}'"
        ),
    )
    .await;
    assert_eq!(shown, 1);
    // Edit opens the same form, prefilled.
    let edit = w.fake.advice(&mia, w.channel, "edit", &[("id", &id)]);
    w.bot.handled(edit).await;
    let modal = w.fake.modal(edit);
    assert_eq!(
        modal["components"][0]["components"][0]["value"],
        fields[0].1
    );
    let versions = count(
        &w,
        &format!("SELECT COUNT(*) FROM snippet_versions WHERE snippet_id = '{id}'"),
    )
    .await;
    assert_eq!(versions, 2, "draft, then approved");
    w.bot.stop().await;
}
both_backends!(
    add_then_approve,
    a_moderators_add_then_approve_shows_up_in_the_next_answer
);

async fn a_retired_snippet_is_never_served_again(backend: Backend) {
    let mut w = World::moderated(backend).await;
    let (alice, mo) = (w.fake.person("Alice"), moderator(&w, "Mo"));
    let (_, first) = ask(&mut w, &alice, QUESTION).await;
    let top: String = w
        .scalar(&format!(
            "SELECT s.snippet_id FROM answer_snippets s JOIN answers a ON a.id = s.answer_id
         WHERE a.question_id = {first} AND s.position = 0"
        ))
        .await;
    let text = advice(&mut w, &mo, "retire", &[("id", &top)]).await;
    assert!(text.contains("now retired"), "{text}");
    for _ in 0..2 {
        let (m, qid) = ask(&mut w, &alice, QUESTION).await;
        w.fake.wait_answer_in(m).await;
        let again = count(
            &w,
            &format!(
                "SELECT COUNT(*) FROM answer_snippets s JOIN answers a ON a.id = s.answer_id
             WHERE a.question_id = {qid} AND s.snippet_id = '{top}'"
            ),
        )
        .await;
        assert_eq!(again, 0, "{top} was served after being retired");
    }
    // Nor can a moderator post it by hand.
    let (m, _) = ask(&mut w, &alice, POTTERY).await;
    let question = link(&w, w.channel, m);
    let text = advice(
        &mut w,
        &mo,
        "answer",
        &[("question", &question), ("snippet", &top)],
    )
    .await;
    assert!(text.contains("no approved snippet"), "{text}");
    w.bot.stop().await;
}
both_backends!(
    retired_never_served,
    a_retired_snippet_is_never_served_again
);

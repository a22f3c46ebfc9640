//! Moderators curating from Slack: add (modal) then approve, retire, recategorize, answer by
//! link, promote a human reply.

use super::moderation::*;
use super::*;
use crossroads::domain::{QuestionText, SnippetStatus};
use support::slack::app::MOD1;

const GARDEN: &str = "My employer wants to put me on garden leave for three months after I resign. What does garden leave mean for me?";

/// The titles of the snippets in a reply.
fn shown(reply: &Message) -> String {
    reply.blocks.to_string()
}

pub(super) async fn a_moderators_add_then_approve_shows_up_in_the_next_answer(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    let form = open_form(&app, MOD1, "add").await;
    assert_eq!(form["callback_id"], "crossroads_snippet");
    let title = "Garden leave is still employment";
    let mut fields = vec![
        ("title", title),
        ("body", "On garden leave you are still employed and paid: keep to the contract, and don't start the new job early. <!here>"),
        ("categories", "quitting, nonsense"),
        ("tags", "garden-leave, notice"),
        ("source", "Our moderators"),
    ];
    // A mistake keeps the modal open with the error under its field.
    let errors: Value = serde_json::from_str(&submit(&app, &form, MOD1, &fields).await).unwrap();
    assert_eq!(errors["response_action"], "errors");
    assert!(errors["errors"]["categories"]
        .as_str()
        .unwrap()
        .contains("unknown category"));
    fields[2].1 = "quitting";
    assert_eq!(submit(&app, &form, MOD1, &fields).await, "");
    let said = app
        .fake
        .wait_for("the draft confirmation", |s| {
            s.ephemerals
                .iter()
                .rev()
                .find(|e| e["user"] == MOD1)
                .cloned()
        })
        .await;
    let said = said["text"].as_str().unwrap().to_owned();
    assert!(said.contains("added as a draft"), "{said}");
    let id = said.split('`').nth(1).unwrap().to_owned();
    let s = app.store.snippet(&id).await.unwrap().unwrap();
    assert_eq!(
        (s.status, s.author.as_str()),
        (SnippetStatus::Draft, "Mia Mod")
    );

    let (_, reply, _) = ask(&app, "UASKER", GARDEN).await;
    assert!(!shown(&reply).contains(title), "a draft is not served");
    let said = advice(&app, MOD1, &format!("approve {id}")).await;
    assert!(said.contains("now approved"), "{said}");
    let (_, reply, _) = ask(&app, "UASKER", GARDEN).await;
    assert!(shown(&reply).contains(title), "{}", shown(&reply));

    // Edit opens the same form, prefilled, and saves a new version.
    let edit = open_form(&app, MOD1, &format!("edit {id}")).await;
    assert_eq!(edit["blocks"][0]["element"]["initial_value"], title);
    assert_eq!(
        submit(&app, &edit, MOD1, &[("tags", "garden-leave")]).await,
        ""
    );
    let said = app
        .fake
        .wait_for("the edit confirmation", |s| {
            s.ephemerals
                .iter()
                .filter(|e| e["user"] == MOD1)
                .nth(2)
                .cloned()
        })
        .await;
    assert!(said["text"].as_str().unwrap().contains("edited"), "{said}");
    until("version 3", || async {
        (app.store.snippet_history(&id).await.unwrap().len() == 3).then_some(())
    })
    .await;
    assert_no_pings_in_messages(&app.fake);
}

pub(super) async fn a_retired_snippet_is_never_served_again(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    let (_, reply, q) = ask(&app, "UASKER", QUESTION).await;
    let snippets = app.store.snippets().await.unwrap();
    let served = snippets
        .iter()
        .find(|s| shown(&reply).contains(&s.title))
        .expect("the answer serves a snippet");
    let said = advice(&app, MOD1, &format!("retire {}", served.id)).await;
    assert!(said.contains("now retired"), "{said}");
    for n in 0..3 {
        let (_, again, _) = ask(&app, &format!("UASKER{n}"), QUESTION).await;
        assert!(
            !shown(&again).contains(&served.title),
            "served after retiring"
        );
    }
    // Nor can a moderator post it by hand.
    let said = advice(&app, MOD1, &format!("answer #{q} {}", served.id)).await;
    assert!(said.contains("no approved snippet"), "{said}");
    let text = QuestionText::parse(QUESTION).unwrap();
    let suggested = app.curation.engine().suggest(&text, 10);
    assert!(suggested.iter().all(|s| s.id != served.id));
}

pub(super) async fn a_recategorization_changes_how_a_similar_question_is_classified(
    backend: Backend,
) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    let first = "Should I take a sabbatical to retrain as a pottery teacher next year?";
    let similar = "Would a sabbatical to retrain as a pottery teacher be wise next year?";
    let (_, _, q) = ask(&app, "UASKER", first).await;
    let classify = || {
        let text = QuestionText::parse(similar).unwrap();
        app.curation
            .engine()
            .classify(&text)
            .primary
            .as_str()
            .to_owned()
    };
    let target = if classify() == "role_switch" {
        "contract_pressure"
    } else {
        "role_switch"
    };
    let said = advice(&app, MOD1, &format!("recategorize #{q} {target}")).await;
    assert!(said.contains(&format!("filed under {target}")), "{said}");
    assert_eq!(classify(), target);
    let examples = app.store.examples().await.unwrap();
    assert!(examples
        .iter()
        .any(|e| e.text == first && e.primary.as_str() == target));
    let said = advice(&app, MOD1, &format!("recategorize #{q} astrology")).await;
    assert!(said.contains("unknown category"), "{said}");
}

pub(super) async fn answer_by_link_posts_in_the_thread_and_promote_credits_the_author(
    backend: Backend,
) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    app.fake.add_user("UHANA", "Helpful Hana");
    let (ts, _, q) = ask(&app, "UASKER", QUESTION).await;
    let snippet = app
        .store
        .snippets()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.status == SnippetStatus::Approved)
        .unwrap();
    let link = format!(
        "https://fake.slack.com/archives/{CAREERS}/p{}",
        ts.replace('.', "")
    );
    let said = advice(&app, MOD1, &format!("answer {link} {}", snippet.id)).await;
    assert!(said.contains("Posted"), "{said}");
    let posted = app
        .fake
        .wait_for("the moderator's answer", |s| {
            s.messages
                .iter()
                .find(|m| {
                    m.by_bot
                        && m.thread_ts.as_deref() == Some(ts.as_str())
                        && m.blocks.to_string().contains(&snippet.title)
                })
                .cloned()
        })
        .await;
    assert_eq!(posted.channel, CAREERS);
    assert_eq!(stored(&app, q).await.state, "answered");
    let again = advice(&app, MOD1, &format!("answer #{q} {}", snippet.id)).await;
    assert!(again.contains("already answered by"), "{again}");

    // A human reply in the thread, promoted by its bare ts from the same channel.
    let text =
        "Tell your manager in person first, then send a short written notice & keep it friendly.";
    let reply_ts = app
        .fake
        .user_message_from("UHANA", CAREERS, text, Some(&ts));
    let said = advice_in(&app, CAREERS, MOD1, &format!("promote {reply_ts}")).await;
    assert!(said.contains("Helpful Hana"), "{said}");
    let id = said.split('`').nth(1).unwrap();
    let s = app.store.snippet(id).await.unwrap().unwrap();
    assert_eq!(s.status, SnippetStatus::Draft);
    assert_eq!(s.author, "Helpful Hana");
    assert_eq!(s.body, text, "stored as plain text, unescaped");
    assert!(s.source.title.contains("Helpful Hana"));
    assert!(
        s.source
            .url
            .starts_with("https://fake.slack.com/archives/CCAREERS/p"),
        "{}",
        s.source.url
    );
    let missing = advice(&app, MOD1, "promote 1600000000.000001").await;
    assert!(missing.contains("no such message"), "{missing}");
}

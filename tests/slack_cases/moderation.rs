//! Moderators on Slack: who may act (configured ids and a user group, checked on the server),
//! and that a refused action is audited and changes nothing.

use super::*;
use crossroads::domain::{CategoryId, Snippet, SnippetStatus, Source};
use support::slack::app::{MOD1, MOD2};
use support::slack::{MODS, MOD_GROUP};

pub const NOBODY: &str = "UNOBODY";
pub const GROUPIE: &str = "UGROUPIE";

/// Names the moderators, the non-moderator and the group member, and fills the group.
pub fn cast(app: &TestApp) {
    for (id, name) in [
        (MOD1, "Mia Mod"),
        (MOD2, "Max Mod"),
        (NOBODY, "Nobody"),
        (GROUPIE, "Gus Group"),
        ("UASKER", "Ada Asker"),
    ] {
        app.fake.add_user(id, name);
    }
    app.fake.set_group(MOD_GROUP, &[GROUPIE]);
}

/// Runs `/advice TEXT` as `user` in `channel` and returns the ephemeral answer.
pub async fn advice_in(app: &TestApp, channel: &str, user: &str, text: &str) -> String {
    let before = app.fake.ephemerals_for(user).len();
    let trigger = app.fake.trigger();
    let res = app
        .post_signed(
            "/slack/commands",
            FORM,
            &p::advice_form(channel, user, text, &trigger),
        )
        .await;
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, ""),
        "acknowledged at once"
    );
    app.fake
        .wait_for(&format!("the answer to /advice {text}"), |s| {
            let mine: Vec<_> = s.ephemerals.iter().filter(|e| e["user"] == user).collect();
            (mine.len() > before).then(|| mine[before]["text"].as_str().unwrap_or("").to_owned())
        })
        .await
}

pub async fn advice(app: &TestApp, user: &str, text: &str) -> String {
    advice_in(app, MODS, user, text).await
}

/// Runs `/advice TEXT` expecting a modal; returns the view the bot opened.
pub async fn open_form(app: &TestApp, user: &str, text: &str) -> Value {
    let before = app.fake.with(|s| s.views.len());
    let trigger = app.fake.trigger();
    app.post_signed(
        "/slack/commands",
        FORM,
        &p::advice_form(MODS, user, text, &trigger),
    )
    .await;
    app.fake
        .wait_for("the modal", |s| s.views.get(before).cloned())
        .await
}

/// Submits a modal; returns the bot's answer body ("" closes the modal).
pub async fn submit(app: &TestApp, view: &Value, user: &str, values: &[(&str, &str)]) -> String {
    let form = p::interactive_form(&p::submit_inputs(view, user, values));
    let res = app.post_signed("/slack/interactive", FORM, &form).await;
    assert_eq!(res.status, 200);
    // Slack refuses errors keyed by anything but one of the view's input blocks.
    if let Ok(ack) = serde_json::from_str::<Value>(&res.body) {
        let inputs: Vec<&Value> = view["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["type"] == "input")
            .map(|b| &b["block_id"])
            .collect();
        for key in ack["errors"]
            .as_object()
            .map(|e| e.keys().collect())
            .unwrap_or(Vec::new())
        {
            assert!(
                inputs.iter().any(|b| *b == key),
                "error under a non-input block {key}"
            );
        }
    }
    res.body
}

/// Clicks a button on a message as `user`.
pub async fn click(app: &TestApp, message: &Message, user: &str, action: &str) {
    let payload = p::click(message, user, action, &app.fake.trigger());
    let res = app
        .post_signed("/slack/interactive", FORM, &p::interactive_form(&payload))
        .await;
    assert_eq!(res.status, 200);
}

/// Asks `text` in the careers channel; returns the question's ts, the bot's reply, its id.
pub async fn ask(app: &TestApp, user: &str, text: &str) -> (String, Message, i64) {
    let ts = app.fake.user_message_from(user, CAREERS, text, None);
    app.deliver(&p::callback(
        &format!("Ev{ts}"),
        p::message(CAREERS, user, text, &ts, None),
    ))
    .await;
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    let id = question_id(&reply);
    answered(app, id).await;
    (ts, reply, id)
}

/// The review item posted to the moderators' channel about question `id` whose text has `what`.
pub async fn item_posted(app: &TestApp, id: i64, what: &str) -> Message {
    let needle = format!("Question #{id}");
    app.fake
        .wait_for(&format!("a review item about #{id}"), |s| {
            s.messages
                .iter()
                .find(|m| {
                    m.channel == MODS
                        && m.blocks.to_string().contains(&needle)
                        && m.blocks.to_string().contains(what)
                })
                .cloned()
        })
        .await
}

pub fn draft(id: &str) -> Snippet {
    Snippet {
        id: id.into(),
        title: "Ask for the notice period in writing".into(),
        body: "Get the notice period confirmed by email so nobody can stretch it later.".into(),
        categories: vec![CategoryId::parse("quitting").unwrap()],
        tags: vec!["notice".into()],
        source: Source {
            title: "Our moderators".into(),
            url: String::new(),
        },
        status: SnippetStatus::Draft,
        author: "setup".into(),
        reviewed: "2026-01-01".into(),
        pinned: false,
    }
}

/// Everything a moderator action could change, to compare before and after.
async fn snapshot(app: &TestApp) -> String {
    let store = &app.store;
    let mut out = String::new();
    for s in store.snippets().await.unwrap() {
        let versions = store.snippet_history(&s.id).await.unwrap().len();
        out.push_str(&format!("{} {} v{versions}\n", s.id, s.status.as_str()));
    }
    out.push_str(&format!(
        "examples {}\n",
        store.examples().await.unwrap().len()
    ));
    for i in store.open_review_items("slack", 100).await.unwrap() {
        out.push_str(&format!("item {} {:?}\n", i.id, i.resolved_by));
    }
    out
}

pub(super) async fn non_moderators_are_refused_and_change_nothing(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    app.store
        .save_snippet(&draft("notice-in-writing"), "setup")
        .await
        .unwrap();
    let served = app.store.snippets().await.unwrap();
    let approved = served
        .iter()
        .find(|s| s.status == SnippetStatus::Approved)
        .unwrap()
        .id
        .clone();
    let (ts, reply, q) = ask(&app, "UASKER", QUESTION).await;
    click(&app, &reply, "UVOTER", "vote_not_helpful").await;
    let item = item_posted(&app, q, "Voted Not helpful").await;
    // A form a moderator opened, submitted by someone else (a replayed or forged submission).
    let form = open_form(&app, MOD1, "add").await;
    let before = snapshot(&app).await;

    for cmd in [
        "approve notice-in-writing".to_owned(),
        format!("retire {approved}"),
        format!("recategorize #{q} role_switch"),
        format!("answer #{q} {approved}"),
        "add".into(),
        "edit notice-in-writing".into(),
    ] {
        let said = advice(&app, NOBODY, &cmd).await;
        assert!(said.starts_with("Not allowed"), "{cmd}: {said}");
    }
    let fields = [
        ("title", "Mine now"),
        ("body", "x"),
        ("categories", "quitting"),
        ("source", "Me"),
    ];
    assert_eq!(
        submit(&app, &form, NOBODY, &fields).await,
        "",
        "closes; refused ephemerally"
    );
    click(&app, &item, NOBODY, "review_dismiss").await;
    click(&app, &item, NOBODY, "review_answer").await;
    let said = app
        .fake
        .wait_for("all refusals", |s| {
            let n = s.ephemerals.iter().filter(|e| e["user"] == NOBODY).count();
            (n == 9).then_some(n)
        })
        .await;
    assert_eq!(said, 9);
    assert!(app
        .fake
        .ephemerals_for(NOBODY)
        .iter()
        .all(|t| t.starts_with("Not allowed")));
    assert_eq!(
        app.fake.with(|s| s.views.len()),
        1,
        "no modal opened for the non-moderator"
    );

    let refused: Vec<_> = app
        .store
        .audit_since(0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.actor.contains(NOBODY))
        .collect();
    assert_eq!(refused.len(), 9, "{refused:#?}");
    assert!(refused.iter().all(|e| !e.allowed));
    assert_eq!(snapshot(&app).await, before, "nothing changed");
    assert_eq!(
        replies_in(&app.fake, CAREERS, &ts),
        1,
        "no moderator answer was posted"
    );
    assert_eq!(stored(&app, q).await.state, "answered");

    // A member of the moderators' user group may act; the group was asked, not the text.
    let said = advice(&app, GROUPIE, "approve notice-in-writing").await;
    assert!(said.contains("now approved"), "{said}");
    assert!(!app.fake.calls("usergroups.users.list").is_empty());
    let s = app
        .store
        .snippet("notice-in-writing")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.status, SnippetStatus::Approved);
    // A configured moderator does not depend on the group.
    let said = advice(&app, MOD2, "show notice-in-writing").await;
    assert!(said.contains("approved"), "{said}");
    assert_no_pings(&app.fake);
}

/// No crowd ping in anything the bot posted or showed (messages, ephemerals, updates). A form's
/// prefilled plain-text input is left out: Slack never parses mentions in plain text, and
/// escaping there would corrupt the snippet the moderator is editing.
pub fn assert_no_pings_in_messages(fake: &support::slack::FakeSlack) {
    for c in fake.with(|s| s.calls.clone()) {
        if c.method != "views.open" {
            let sent = c.args.to_string();
            assert!(
                checks::pings(&sent).is_empty(),
                "a ping reached Slack: {sent}"
            );
        }
    }
}

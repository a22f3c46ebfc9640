//! The review queue on Slack: items posted to the moderators' channel with their buttons, and
//! resolved exactly once.

use super::moderation::*;
use super::*;
use support::slack::app::{MOD1, MOD2};
use support::slack::MODS;

const OFF_TOPIC: &str =
    "What is the best recipe for sourdough bread with a long cold fermentation?";

fn buttons(m: &Message) -> Vec<String> {
    m.blocks
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .map(|e| e["action_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits for `item`'s message to be rewritten as resolved, and checks it lost its buttons.
async fn resolved_message(app: &TestApp, item: &Message) -> Message {
    let updated = app
        .fake
        .wait_for("the item updated", |s| {
            s.messages
                .iter()
                .find(|m| m.ts == item.ts && m.blocks.to_string().contains("Resolved by"))
                .cloned()
        })
        .await;
    assert!(buttons(&updated).is_empty(), "no buttons once resolved");
    updated
}

fn posts_about(app: &TestApp, q: i64, what: &str) -> usize {
    let needle = format!("Question #{q}");
    app.fake
        .posts_in(MODS)
        .iter()
        .filter(|m| m.blocks.to_string().contains(&needle) && m.blocks.to_string().contains(what))
        .count()
}

pub(super) async fn abstentions_and_not_helpful_votes_each_post_one_item(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    let (_, _, abstained) = ask(&app, "UASKER", OFF_TOPIC).await;
    let item = item_posted(&app, abstained, "Abstained").await;
    assert_eq!(
        buttons(&item),
        ["review_answer", "review_recategorize", "review_dismiss"]
    );
    assert!(
        item.blocks.to_string().contains("asked by"),
        "a named asker is shown"
    );
    // Resolved by a command rather than its buttons: the message is updated all the same.
    let mut row = None;
    for _ in 0..1_000_000 {
        let open = app.store.open_review_items("slack", 10).await.unwrap();
        row = open
            .into_iter()
            .find(|i| i.question_id == Some(abstained) && i.posted_message_id.is_some());
        if row.is_some() {
            break;
        }
        tokio::task::yield_now().await;
    }
    let row = row.expect("the item's message id is recorded");
    let said = advice(
        &app,
        MOD1,
        &format!("answer #{abstained} quit-no-job-runway"),
    )
    .await;
    assert!(said.contains("Posted"), "{said}");
    let updated = resolved_message(&app, &item).await;
    assert!(updated
        .blocks
        .to_string()
        .contains("answered with quit-no-job-runway"));
    let row = app.store.review_item(row.id).await.unwrap().unwrap();
    assert_eq!(
        row.resolution.as_deref(),
        Some("answered with quit-no-job-runway")
    );

    let (_, reply, voted) = ask(&app, "UASKER", QUESTION).await;
    for voter in ["UV1", "UV2"] {
        click(&app, &reply, voter, "vote_not_helpful").await;
    }
    let item = item_posted(&app, voted, "Voted Not helpful").await;
    assert_eq!(
        buttons(&item),
        ["review_answer", "review_recategorize", "review_dismiss"]
    );
    // A sweep and more time change nothing: one item each.
    app.slack.post_reviews(true).await.unwrap();
    settle(&app).await;
    assert_eq!(posts_about(&app, abstained, "Abstained"), 1);
    assert_eq!(posts_about(&app, voted, "Voted Not helpful"), 1);
    assert_no_pings(&app.fake);
}

pub(super) async fn two_moderators_resolving_one_item_at_once_one_wins(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    cast(&app);
    let (_, _, q) = ask(&app, "UASKER", OFF_TOPIC).await;
    let item = item_posted(&app, q, "Abstained").await;
    let (a, b) = (
        p::click(&item, MOD1, "review_dismiss", &app.fake.trigger()),
        p::click(&item, MOD2, "review_dismiss", &app.fake.trigger()),
    );
    let (fa, fb) = (p::interactive_form(&a), p::interactive_form(&b));
    let (ra, rb) = tokio::join!(
        app.post_signed("/slack/interactive", FORM, &fa),
        app.post_signed("/slack/interactive", FORM, &fb),
    );
    assert_eq!((ra.status, rb.status), (200, 200));
    let told = app
        .fake
        .wait_for("both answers", |s| {
            let t: Vec<String> = s
                .ephemerals
                .iter()
                .filter(|e| e["user"] == MOD1 || e["user"] == MOD2)
                .map(|e| e["text"].as_str().unwrap().to_owned())
                .collect();
            (t.len() == 2).then_some(t)
        })
        .await;
    assert_eq!(
        told.iter().filter(|t| t.starts_with("Item")).count(),
        1,
        "{told:?}"
    );
    assert_eq!(
        told.iter()
            .filter(|t| t.starts_with("Already resolved by slack:UMOD"))
            .count(),
        1,
        "{told:?}"
    );
    let resolutions: Vec<_> = app
        .store
        .audit_since(0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "review.resolve" && e.allowed)
        .collect();
    assert_eq!(resolutions.len(), 1, "{resolutions:#?}");
    resolved_message(&app, &item).await;

    // Answer with snippet: a modal prefilled with the top suggestion; its submission answers.
    let (ts, reply, q) = ask(&app, "UASKER2", QUESTION).await;
    click(&app, &reply, "UV", "vote_not_helpful").await;
    let item = item_posted(&app, q, "Voted Not helpful").await;
    let views = app.fake.with(|s| s.views.len());
    click(&app, &item, MOD1, "review_answer").await;
    let modal = app
        .fake
        .wait_for("the answer modal", |s| s.views.get(views).cloned())
        .await;
    assert_eq!(modal["callback_id"], "crossroads_review");
    let input = modal["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "input")
        .cloned();
    let top = input.unwrap()["element"]["initial_value"]
        .as_str()
        .unwrap()
        .to_owned();
    let bad: Value =
        serde_json::from_str(&submit(&app, &modal, MOD1, &[("choice", "no-such-snippet")]).await)
            .unwrap();
    assert!(
        bad["errors"]["choice"]
            .as_str()
            .unwrap()
            .contains("no approved snippet"),
        "{bad}"
    );
    assert_eq!(
        submit(&app, &modal, MOD1, &[]).await,
        "",
        "the prefilled suggestion is used"
    );
    until("the moderator's answer in the thread", || async {
        (replies_in(&app.fake, CAREERS, &ts) == 2).then_some(())
    })
    .await;
    item_posted(&app, q, "answered with").await; // the item's message, updated
    let done = app.store.open_review_items("slack", 100).await.unwrap();
    assert!(
        done.iter().all(|i| i.question_id != Some(q)),
        "every item about it is resolved"
    );
    let before = app.fake.ephemerals_for(MOD2).len();
    click(&app, &item, MOD2, "review_dismiss").await;
    let late = app
        .fake
        .wait_for("the late moderator's answer", |s| {
            let mine: Vec<_> = s.ephemerals.iter().filter(|e| e["user"] == MOD2).collect();
            mine.get(before)
                .map(|e| e["text"].as_str().unwrap().to_owned())
        })
        .await;
    assert!(
        late.starts_with("Already resolved by slack:UMOD1"),
        "{late}"
    );
    assert!(late.contains(&format!("answered with {top}")), "{late}");
}

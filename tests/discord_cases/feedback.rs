//! Feedback buttons: one vote per user per answer, changeable, acknowledged ephemerally.

use super::{World, QUESTION};
use crate::support::db::Backend;
use crossroads::adapters::discord::Handled;
use serde_json::json;

async fn a_button_click_writes_a_feedback_row(backend: Backend) {
    let mut w = World::new(backend).await;
    let (alice, bob) = (w.fake.person("Alice"), w.fake.person("Bob"));
    let m = w.fake.post(&alice, w.channel, QUESTION);
    w.bot.handled(m).await;
    let answer = w.fake.wait_answer_in(m).await;
    let buttons = answer.buttons();
    let (helpful, not_helpful, flag) = (&buttons[0], &buttons[1], &buttons[2]);

    let click = w.fake.click(&bob, answer.id, helpful);
    assert_eq!(w.bot.handled(click).await, Handled::Feedback { id: click });
    let response = w.fake.interaction(click).unwrap().response.unwrap();
    assert_eq!(response["type"], json!(4));
    assert_eq!(
        response["data"]["flags"],
        json!(64),
        "only the clicker sees the thanks"
    );
    let row: String = w
        .scalar("SELECT user_id || ':' || vote FROM feedback")
        .await;
    assert_eq!(row, format!("{}:helpful", bob.id));

    // Bob changes his mind: still one row for him. Alice flags: a second row.
    let click = w.fake.click(&bob, answer.id, not_helpful);
    w.bot.handled(click).await;
    let click = w.fake.click(&alice, answer.id, flag);
    w.bot.handled(click).await;
    let rows: i64 = w.scalar("SELECT COUNT(*) FROM feedback").await;
    assert_eq!(rows, 2);
    let bobs: String = w
        .scalar(&format!(
            "SELECT vote FROM feedback WHERE user_id = '{}'",
            bob.id
        ))
        .await;
    assert_eq!(bobs, "not_helpful");
    let answer_id: i64 = w.scalar("SELECT id FROM answers").await;
    let voted_on: i64 = w.scalar("SELECT MIN(answer_id) FROM feedback").await;
    assert_eq!(voted_on, answer_id);
    w.bot.stop().await;
}
both_backends!(feedback_row, a_button_click_writes_a_feedback_row);

#[tokio::test]
async fn a_forged_button_is_refused_politely() {
    let mut w = World::new(Backend::Sqlite).await;
    let alice = w.fake.person("Alice");
    let m = w.fake.post(&alice, w.channel, QUESTION);
    w.bot.handled(m).await;
    let answer = w.fake.wait_answer_in(m).await;
    for custom_id in ["fb:999999:helpful", "something-else"] {
        let click = w.fake.click(&alice, answer.id, custom_id);
        assert_eq!(w.bot.handled(click).await, Handled::Feedback { id: click });
        let response = w.fake.interaction(click).unwrap().response.unwrap();
        assert_eq!(response["data"]["flags"], json!(64));
    }
    let rows: i64 = w.scalar("SELECT COUNT(*) FROM feedback").await;
    assert_eq!(rows, 0);
}

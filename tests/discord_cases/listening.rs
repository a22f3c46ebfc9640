//! What the bot listens to: configured channels, mentions, follow-ups by the asker in its
//! threads (up to the cap); and what it leaves alone: bots, system messages, other channels.

use super::{World, QUESTION};
use crate::support::db::Backend;
use crossroads::adapters::discord::Handled;
use crossroads::core::Outcome;
use serde_json::json;

fn answered(h: &Handled) -> bool {
    matches!(
        h,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    )
}

#[tokio::test]
async fn follow_ups_in_the_thread_are_answered_up_to_the_cap() {
    let mut w = World::with(Backend::Sqlite, |s| s.max_thread_replies = 2).await;
    let (alice, bob) = (w.fake.person("Alice"), w.fake.person("Bob"));
    let m = w.fake.post(&alice, w.channel, QUESTION);
    assert!(answered(&w.bot.handled(m).await));

    let bob_says = w.fake.post(
        &bob,
        m,
        "I stayed after a counteroffer once and regretted it.",
    );
    assert_eq!(
        w.bot.handled(bob_says).await,
        Handled::Ignored {
            id: bob_says,
            reason: "not the asker"
        }
    );
    let thanks = w.fake.post(&alice, m, "thanks!");
    assert_eq!(
        w.bot.handled(thanks).await,
        Handled::Ignored {
            id: thanks,
            reason: "short follow-up"
        }
    );

    let follow_up = w.fake.post(
        &alice,
        m,
        "And how do I tell my manager without burning the bridge?",
    );
    assert!(answered(&w.bot.handled(follow_up).await));
    let replies = w.fake.bot_messages_in(m);
    assert_eq!(replies.len(), 2, "both answers in the thread");
    assert_eq!(
        replies[1].body["message_reference"]["message_id"],
        json!(follow_up.to_string())
    );
    let text: String = w
        .scalar(&format!(
            "SELECT text FROM questions WHERE message_id = '{follow_up}'"
        ))
        .await;
    assert!(
        text.starts_with(QUESTION) && text.ends_with("without burning the bridge?"),
        "the thread is the context: {text}"
    );

    let more = w.fake.post(
        &alice,
        m,
        "One more thing: should I ask for a reference letter first?",
    );
    assert_eq!(
        w.bot.handled(more).await,
        Handled::Ignored {
            id: more,
            reason: "thread reply limit reached"
        }
    );
    assert_eq!(w.fake.bot_messages_in(m).len(), 2);
}

#[tokio::test]
async fn short_messages_get_a_hint_and_bots_and_system_messages_are_ignored() {
    let mut w = World::new(Backend::Sqlite).await;
    let alice = w.fake.person("Alice");
    let hi = w.fake.post(&alice, w.channel, "hi all");
    assert_eq!(w.bot.handled(hi).await, Handled::Hint { id: hi });
    let hint = &w.fake.bot_messages_in(w.channel)[0];
    assert_eq!(
        hint.body["message_reference"]["message_id"],
        json!(hi.to_string())
    );
    assert!(hint.content.contains("career questions"));

    let other_bot = crate::support::discord::state::User {
        id: 77,
        name: "otherbot".into(),
        display: "Other".into(),
        bot: true,
    };
    let by_bot = w.fake.post(&other_bot, w.channel, QUESTION);
    assert_eq!(
        w.bot.handled(by_bot).await,
        Handled::Ignored {
            id: by_bot,
            reason: "sent by a bot"
        }
    );
    let join = w.fake.post_as(&alice, w.channel, "", 7, None);
    assert_eq!(
        w.bot.handled(join).await,
        Handled::Ignored {
            id: join,
            reason: "system message"
        }
    );
    let elsewhere = w.fake.text_channel("general");
    let chat = w.fake.post(&alice, elsewhere, QUESTION);
    assert_eq!(
        w.bot.handled(chat).await,
        Handled::Ignored {
            id: chat,
            reason: "not addressed to the bot"
        }
    );

    let stored: i64 = w.scalar("SELECT COUNT(*) FROM questions").await;
    assert_eq!(stored, 0, "nothing stored for hints and ignored messages");
    assert_eq!(w.fake.bot_messages_in(w.channel).len(), 1, "only the hint");
}

#[tokio::test]
async fn a_mention_anywhere_is_a_question() {
    let mut w = World::new(Backend::Sqlite).await;
    let alice = w.fake.person("Alice");
    let general = w.fake.text_channel("general");
    let m = w.fake.post(
        &alice,
        general,
        &format!("<@{}> {QUESTION}", w.fake.bot_id()),
    );
    assert!(answered(&w.bot.handled(m).await));
    let thread = w.fake.with(|s| s.channels[&m].clone());
    assert!(
        thread.name.starts_with("I want to quit"),
        "the mention is not in the name: {}",
        thread.name
    );
    w.fake.wait_answer_in(m).await;
    let text: String = w.scalar("SELECT text FROM questions").await;
    assert_eq!(text, QUESTION, "stored without the mention");
}

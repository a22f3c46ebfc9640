//! Anonymous questions (DMs, `/ask anonymous:true`) leave no trace of the asker, in Discord or
//! in the database.

use super::{World, QUESTION};
use crate::support::db::Backend;
use crossroads::adapters::discord::Handled;
use crossroads::core::Outcome;
use serde_json::json;

async fn a_dm_is_reposted_anonymously(backend: Backend) {
    let mut w = World::new(backend).await;
    let alice = w.fake.person("Alice Liddell");
    let dm_channel_before = w.fake.with(|s| s.channels.len());
    let d = w.fake.dm(&alice, QUESTION);
    let dm_channel = w.fake.with(|s| {
        s.channels
            .values()
            .find(|c| c.recipient == Some(alice.id))
            .unwrap()
            .id
    });
    assert_eq!(w.fake.with(|s| s.channels.len()), dm_channel_before + 1);
    assert!(matches!(
        w.bot.handled(d).await,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    ));

    // Reposted in the anonymous channel, answered in a thread on the repost.
    let reposts = w.fake.bot_messages_in(w.anonymous);
    assert_eq!(reposts.len(), 1);
    let repost = &reposts[0];
    assert!(
        repost.content.starts_with("**Anonymous question**") && repost.content.contains(QUESTION)
    );
    let answer = w.fake.wait_answer_in(repost.id).await;

    // No trace of Alice in anything the bot posted outside her DM, nor in thread names.
    let traces = [alice.id.to_string(), "alice".into(), "Alice".into()];
    let public: Vec<String> = w.fake.with(|s| {
        let mut out: Vec<String> = s
            .requests
            .iter()
            .filter(|r| !r.path.contains(&dm_channel.to_string()))
            .map(|r| r.body.to_string())
            .collect();
        out.extend(s.channels.values().map(|c| c.name.clone()));
        out
    });
    for text in &public {
        for t in &traces {
            assert!(!text.contains(t.as_str()), "{t:?} leaked in {text}");
        }
    }

    // The asker gets a link to the thread, in her DM, after the answer.
    let link = w
        .fake
        .wait_for("the link DM", |s| {
            s.in_channel(dm_channel)
                .into_iter()
                .find(|m| m.author_id != alice.id)
                .cloned()
        })
        .await;
    assert!(
        link.content
            .contains(&format!("/channels/{}/{}", w.fake.guild(), repost.id)),
        "{}",
        link.content
    );
    assert!(link.at > answer.at);

    // Stored without author and without the DM channel.
    let row: String = w.scalar("SELECT COALESCE(author_id, '') || '|' || channel || '|' || message_id || '|' || COALESCE(thread_id, '') || '|' || workspace FROM questions").await;
    assert_eq!(row, format!("|{}|dm:{d}||{}", w.anonymous, w.fake.guild()));
    assert!(!row.contains(&dm_channel.to_string()) && !row.contains(&alice.id.to_string()));
    let anonymous: bool = w.scalar("SELECT anonymous FROM questions").await;
    assert!(anonymous);
    w.bot.stop().await;
}
both_backends!(dm_reposted_anonymously, a_dm_is_reposted_anonymously);

#[tokio::test]
async fn slash_ask_is_registered_and_answers_anonymously_or_by_name() {
    let mut w = World::new(Backend::Sqlite).await;
    let commands = w.fake.with(|s| s.commands.clone());
    assert_eq!(commands.len(), 2, "/ask and /advice");
    assert_eq!(commands[1].1["name"], "advice");
    let (guild, command) = &commands[0];
    assert_eq!(*guild, None, "registered globally without command_guilds");
    assert_eq!(command["name"], "ask");
    assert_eq!(command["options"][1]["name"], "anonymous");

    let alice = w.fake.person("Alice");
    let i = w.fake.slash_ask(&alice, w.channel, QUESTION, Some(true));
    assert!(matches!(
        w.bot.handled(i).await,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    ));
    let interaction = w.fake.interaction(i).unwrap();
    let response = interaction.response.unwrap();
    assert_eq!(
        (&response["type"], &response["data"]["flags"]),
        (&json!(5), &json!(64)),
        "deferred, ephemerally"
    );
    let repost = &w.fake.bot_messages_in(w.anonymous)[0];
    assert!(repost.content.starts_with("**Anonymous question**"));
    assert!(!repost.content.contains(&alice.id.to_string()));
    w.fake.wait_answer_in(repost.id).await;
    let edit = interaction.edit.unwrap();
    assert!(edit["content"].as_str().unwrap().contains(&format!(
        "/channels/{}/{}",
        w.fake.guild(),
        repost.id
    )));

    let i = w.fake.slash_ask(&alice, w.channel, QUESTION, None);
    assert!(matches!(
        w.bot.handled(i).await,
        Handled::Question {
            outcome: Outcome::Answered(_),
            ..
        }
    ));
    let named = w.fake.bot_messages_in(w.channel);
    assert_eq!(named.len(), 1);
    assert!(named[0]
        .content
        .starts_with(&format!("**Question from <@{}>**", alice.id)));
    assert_eq!(
        named[0].body["allowed_mentions"]["parse"],
        json!([]),
        "naming is not pinging"
    );
    let author: Option<String> = w
        .scalar(&format!(
            "SELECT author_id FROM questions WHERE message_id = 'ask:{i}'"
        ))
        .await;
    assert_eq!(author, Some(alice.id.to_string()));
}

#[tokio::test]
async fn slash_ask_is_registered_per_guild_when_configured() {
    let fake = crate::support::discord::FakeDiscord::start().await;
    let db = crate::support::db::fresh(Backend::Sqlite).await;
    let mut s = crate::support::discord::harness::settings(&fake, &[], None);
    s.command_guilds = vec![fake.guild()];
    let _bot = crate::support::discord::harness::TestBot::start(
        crate::support::discord::harness::engine(&db.url).await,
        &s,
    )
    .await;
    fake.wait_connected(1).await;
    let guilds: Vec<Option<u64>> = fake.with(|s| s.commands.iter().map(|(g, _)| *g).collect());
    assert_eq!(guilds, vec![Some(fake.guild()); 2], "/ask and /advice");
}

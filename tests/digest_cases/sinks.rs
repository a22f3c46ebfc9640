//! The Discord and Slack sinks through the real clients to the strict fakes: the chart is
//! attached, nobody is pinged, hidden askers stay hidden, and the content matches the committed
//! snapshots (`UPDATE_SNAPSHOTS=1` rewrites them).

use super::data::{Asked, Bench};
use super::support::discord::FakeDiscord;
use super::support::slack::{FakeSlack, CAREERS};
use super::Backend;
use crossroads::adapters::discord::{digest_sink as discord_sink, DiscordSettings, Secret};
use crossroads::adapters::slack::{digest_sink as slack_sink, SlackSettings};
use crossroads::jobs::{DigestRunner, RunOutcome};
use serde_json::Value;
use std::path::PathBuf;

const HIDDEN: [&str; 5] = [
    "SECRET-ANON",
    "PRIVATE-TEXT",
    "777001",
    "<!channel>",
    "<!here>",
];

/// A week (2026-W47) with a named, an anonymous and an opted-out asker, some history and a
/// changed snippet; the clock on the Monday after, 10:00 UTC.
async fn week(platform: &'static str) -> Bench {
    let bench = Bench::new(Backend::Sqlite, "2026-11-23T10:00:00Z").await;
    let asked = [
        (
            "1",
            Some("4242"),
            "Moving from QA to developer: <!channel> @everyone how?",
            "role_switch",
            3,
        ),
        (
            "2",
            None,
            "SECRET-ANON my old boss wants unpaid contract work",
            "contract_pressure",
            5,
        ),
        (
            "3",
            Some("777001"),
            "PRIVATE-TEXT resign before the bonus?",
            "quitting",
            4,
        ),
        (
            "4",
            Some("4242"),
            "Second question, no votes",
            "quitting",
            0,
        ),
    ];
    for (id, author, text, category, helpful) in asked {
        let q = Asked {
            platform,
            message_id: id,
            author,
            text,
            category,
            helpful,
            ..Asked::default()
        };
        bench.answered(q).await;
    }
    for (id, when) in [("5", "2026-11-10T08:00:00Z"), ("6", "2026-10-01T08:00:00Z")] {
        let q = Asked {
            platform,
            message_id: id,
            when,
            category: "role_switch",
            ..Asked::default()
        };
        bench.answered(q).await;
    }
    bench
        .exec(&format!(
            "INSERT INTO opt_outs (platform, user_id, at) VALUES ('{platform}', '777001', 0)"
        ))
        .await;
    bench
        .exec(&format!(
            "INSERT INTO review_items (platform, kind, dedupe_key, detail, created_at)
             VALUES ('{platform}', 'flagged', 'k1', 'flagged', 0)"
        ))
        .await;
    let mut snippet = bench.store.snippets().await.unwrap().remove(0);
    snippet.title = "Saying no to <!here> unpaid work".into();
    bench
        .store
        .save_snippet(&snippet, "moderator")
        .await
        .unwrap();
    let changed = super::data::ms("2026-11-19T12:00:00Z");
    bench
        .exec(&format!(
            "UPDATE snippet_versions SET changed_at = {changed} WHERE changed_by = 'moderator'"
        ))
        .await;
    bench
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/digest_cases/snapshots")
        .join(format!("{name}.snap"));
    match std::fs::read_to_string(&path) {
        Ok(expected) if std::env::var_os("UPDATE_SNAPSHOTS").is_none() => {
            assert_eq!(
                actual, expected,
                "snapshot {name} differs (UPDATE_SNAPSHOTS=1 to accept)"
            )
        }
        _ => {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, actual).unwrap();
        }
    }
}

fn assert_hidden(text: &str) {
    for h in HIDDEN {
        assert!(!text.contains(h), "{h} appears in:\n{text}");
    }
}

/// A runner posting `platform`'s digest to `channel` through the real `sink`.
async fn runner(
    bench: &Bench,
    platform: &str,
    channel: &str,
    sink: std::sync::Arc<dyn crossroads::jobs::DigestSink>,
) -> DigestRunner {
    let toml = format!("[[channels]]\nplatform = \"{platform}\"\nchannel = \"{channel}\"\n");
    let store = crossroads::store::connect(&bench.db.url).await.unwrap();
    DigestRunner::new(
        store,
        &super::data::settings(&toml),
        bench.clock.clone(),
        "a",
    )
    .unwrap()
    .with_sink(platform, sink)
}

#[tokio::test]
async fn discord_posts_an_embed_with_the_chart_attached() {
    let fake = FakeDiscord::start().await;
    let channel = fake.text_channel("weekly-digest");
    let bench = week("discord").await;
    let settings = DiscordSettings {
        api_base: Some(fake.api_base()),
        ..DiscordSettings::default()
    };
    let sink = discord_sink(&settings, &Secret::new(super::support::discord::TOKEN));
    let runner = runner(&bench, "discord", &channel.to_string(), sink).await;
    let outcome = runner.tick().await;
    assert!(
        matches!(outcome[0].1, RunOutcome::Posted { .. }),
        "{outcome:?}"
    );
    let messages = fake.bot_messages_in(channel);
    assert_eq!(messages.len(), 1);
    let body = &messages[0].body;
    let file = &body["_files"][0];
    assert_eq!(
        (file["filename"].as_str(), file["png"].as_bool()),
        (Some("digest.png"), Some(true))
    );
    assert_eq!(body["embeds"][0]["image"]["url"], "attachment://digest.png");
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(body["enforce_nonce"], true);
    let text = messages[0].visible_text();
    assert_hidden(&text);
    assert!(!text.contains("@everyone"), "{text}");
    assert!(text.contains("<@4242>") && text.contains("https://discord.com/channels/500/71"));
    snapshot("discord", &text);
    // The same week again (a retry after a lost response) is deduplicated by its nonce.
    assert_eq!(runner.tick().await[0].1, RunOutcome::AlreadyDone);
}

#[tokio::test]
async fn slack_posts_blocks_and_uploads_the_chart_in_the_thread() {
    let fake = FakeSlack::start().await;
    let bench = week("slack").await;
    let settings = SlackSettings {
        api_base: Some(fake.api_base()),
        bot_token: Some(Secret::new(super::support::slack::BOT_TOKEN)),
        signing_secret: Some(Secret::new(super::support::slack::app::SIGNING_SECRET)),
        ..SlackSettings::default()
    };
    let sink = slack_sink(&settings.resolve().unwrap().unwrap()).unwrap();
    let runner = runner(&bench, "slack", CAREERS, sink).await;
    let outcome = runner.tick().await;
    let RunOutcome::Posted { message_id } = &outcome[0].1 else {
        panic!("{outcome:?}")
    };
    let (message, file) = fake.with(|s| (s.messages.last().cloned().unwrap(), s.files.clone()));
    assert_eq!(message_id, &format!("{CAREERS}:{}", message.ts));
    assert_eq!(file.len(), 1);
    assert_eq!(
        file[0].shared,
        Some((CAREERS.to_owned(), Some(message.ts.clone())))
    );
    assert!(file[0]
        .bytes
        .as_ref()
        .is_some_and(|b| b.starts_with(b"\x89PNG")));
    let blocks = serde_json::to_string_pretty(&message.blocks).unwrap();
    assert_hidden(&blocks);
    assert_hidden(&message.text);
    assert!(
        blocks.contains("&lt;!channel&gt;") && blocks.contains("<@4242>"),
        "{blocks}"
    );
    let texts: Vec<&str> = message
        .blocks
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["text"]["text"].as_str())
        .collect();
    snapshot("slack", &texts.join("\n---\n"));
    let _: Value = message.blocks;
}

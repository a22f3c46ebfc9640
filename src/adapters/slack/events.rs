//! Decides what an Events API push asks of the bot. Pure: no I/O, so every rule is tested here.
//!
//! - A top-level message in a configured channel is a question.
//! - `app_mention` anywhere is a question; in a thread it is a mentioned reply (`InThread`).
//! - A reply in a configured channel's thread is `InThread`: answered as a follow-up only where
//!   the bot has answered, as on Discord (the rules needing the store are in `route.rs`).
//! - A DM is reposted anonymously (`Direct`).
//! - A message that mentions the bot is left to its `app_mention` event (Slack sends both);
//!   edits, joins, bot messages (ours included) and everything else are ignored.

use super::poster::key;
use crate::core::Inbound;
use slack_morphism::prelude::*;

pub const PLATFORM: &str = "slack";

/// What one event asks of the bot. `Debug` would show message text: don't log it.
#[derive(Debug, PartialEq)]
pub enum Intake {
    Question(Inbound),
    /// A reply in a thread (`thread_id` is set); `mentioned` when it calls the bot by name.
    InThread {
        inbound: Inbound,
        mentioned: bool,
    },
    /// A direct message. Only the text and where to send the link go on; not who wrote it.
    Direct {
        dm_channel: String,
        text: String,
    },
    Ignore(&'static str),
}

pub struct Context<'a> {
    /// The bot's own user id (`auth.test`): its mentions are stripped, its messages ignored.
    pub bot_user: &'a str,
    /// Channels where every top-level message is a question.
    pub channels: &'a [String],
}

pub fn intake(cb: &SlackPushEventCallback, ctx: &Context) -> Intake {
    let team = cb.team_id.0.as_str();
    match &cb.event {
        SlackEventCallbackBody::Message(m) => message(m, team, ctx),
        SlackEventCallbackBody::AppMention(m) => mention(m, team, ctx),
        _ => Intake::Ignore("event type not handled"),
    }
}

fn message(m: &SlackMessageEvent, team: &str, ctx: &Context) -> Intake {
    match &m.subtype {
        None | Some(SlackMessageEventType::FileShare) => {}
        Some(_) => return Intake::Ignore("message subtype (edit, join, bot...)"),
    }
    let Some(user) = m.sender.user.as_ref().map(|u| u.0.as_str()) else {
        return Intake::Ignore("no user");
    };
    if m.sender.bot_id.is_some() || user == ctx.bot_user {
        return Intake::Ignore("bot message");
    }
    let Some(channel) = m.origin.channel.as_ref().map(|c| c.0.as_str()) else {
        return Intake::Ignore("no channel");
    };
    let raw = text_of(m.content.as_ref());
    let text = strip_mention(raw, ctx.bot_user);
    if text.is_empty() {
        return Intake::Ignore("no text");
    }
    let is_dm = m.origin.channel_type.as_ref().is_some_and(|t| t.0 == "im");
    if is_dm {
        let dm_channel = channel.to_owned();
        return Intake::Direct { dm_channel, text };
    }
    if !ctx.channels.iter().any(|c| c == channel) {
        return Intake::Ignore("not a configured channel");
    }
    if raw.contains(&format!("<@{}>", ctx.bot_user)) {
        return Intake::Ignore("mentions the bot: handled as its app_mention");
    }
    let ts = m.origin.ts.0.as_str();
    let thread_id = thread(channel, ts, &m.origin.thread_ts);
    classify(inbound(team, channel, ts, thread_id, user, text), false)
}

fn mention(m: &SlackAppMentionEvent, team: &str, ctx: &Context) -> Intake {
    let user = m.user.0.as_str();
    if user == ctx.bot_user {
        return Intake::Ignore("bot message");
    }
    let text = strip_mention(text_of(Some(&m.content)), ctx.bot_user);
    if text.is_empty() {
        return Intake::Ignore("no text");
    }
    let (channel, ts) = (m.channel.0.as_str(), m.origin.ts.0.as_str());
    let thread_id = thread(channel, ts, &m.origin.thread_ts);
    classify(inbound(team, channel, ts, thread_id, user, text), true)
}

fn classify(inbound: Inbound, mentioned: bool) -> Intake {
    if inbound.thread_id.is_some() {
        Intake::InThread { inbound, mentioned }
    } else {
        Intake::Question(inbound)
    }
}

fn inbound(
    team: &str,
    channel: &str,
    ts: &str,
    thread_id: Option<String>,
    user: &str,
    text: String,
) -> Inbound {
    Inbound {
        platform: PLATFORM.into(),
        workspace: team.into(),
        channel: channel.into(),
        message_id: key(channel, ts),
        thread_id,
        author_id: Some(user.into()),
        text,
    }
}

/// The thread a message was posted in, when it is a reply (not the thread's parent).
fn thread(channel: &str, ts: &str, thread_ts: &Option<SlackTs>) -> Option<String> {
    thread_ts
        .as_ref()
        .filter(|t| t.0 != ts)
        .map(|t| key(channel, &t.0))
}

fn text_of(content: Option<&SlackMessageContent>) -> &str {
    content.and_then(|c| c.text.as_deref()).unwrap_or("")
}

fn strip_mention(text: &str, bot_user: &str) -> String {
    text.replace(&format!("<@{bot_user}>"), "")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BOT: &str = "UBOT";

    fn run(event: serde_json::Value) -> Intake {
        let cb: SlackPushEventCallback = serde_json::from_value(json!({
            "team_id": "T1", "api_app_id": "A1", "event_id": "Ev1", "event_time": 1700000000,
            "event": event,
        }))
        .unwrap();
        let channels = vec!["CCAREERS".to_string()];
        intake(
            &cb,
            &Context {
                bot_user: BOT,
                channels: &channels,
            },
        )
    }

    fn msg(extra: serde_json::Value) -> serde_json::Value {
        let mut m = json!({"type": "message", "channel": "CCAREERS", "channel_type": "channel",
            "user": "U1", "text": "Should I quit?", "ts": "1.000100"});
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        m
    }

    #[test]
    fn top_level_message_in_a_configured_channel_is_a_question() {
        let Intake::Question(i) = run(msg(json!({}))) else {
            panic!()
        };
        assert_eq!(i.message_id, "CCAREERS:1.000100");
        assert_eq!(
            (i.workspace.as_str(), i.thread_id, i.author_id.as_deref()),
            ("T1", None, Some("U1"))
        );
        // A thread parent whose thread_ts is its own ts is still top-level.
        assert!(matches!(
            run(msg(json!({"thread_ts": "1.000100"}))),
            Intake::Question(_)
        ));
    }

    #[test]
    fn thread_replies_go_to_the_thread_rules() {
        let reply = run(msg(json!({"thread_ts": "0.5", "text": "and then?"})));
        let Intake::InThread { inbound, mentioned } = reply else {
            panic!()
        };
        assert_eq!(inbound.thread_id.as_deref(), Some("CCAREERS:0.5"));
        assert_eq!((inbound.text.as_str(), mentioned), ("and then?", false));
    }

    #[test]
    fn mentions_are_questions_anywhere() {
        let e = json!({"type": "app_mention", "user": "U1", "channel": "COTHER",
            "text": "<@UBOT> should I take the counteroffer?", "ts": "2.0"});
        let Intake::Question(i) = run(e.clone()) else {
            panic!()
        };
        assert_eq!(i.text, "should I take the counteroffer?");
        let mut in_thread = e;
        in_thread["thread_ts"] = json!("1.0");
        let Intake::InThread { inbound, mentioned } = run(in_thread) else {
            panic!()
        };
        assert_eq!(
            (inbound.thread_id.as_deref(), mentioned),
            (Some("COTHER:1.0"), true)
        );
        // The plain `message` event for a mention is left to the app_mention.
        assert!(matches!(
            run(msg(json!({"text": "<@UBOT> hello there"}))),
            Intake::Ignore(_)
        ));
    }

    #[test]
    fn dms_go_on_without_their_author() {
        let e = msg(json!({"channel": "D9", "channel_type": "im"}));
        assert_eq!(
            run(e),
            Intake::Direct {
                dm_channel: "D9".into(),
                text: "Should I quit?".into()
            }
        );
    }

    #[test]
    fn noise_is_ignored() {
        for e in [
            msg(json!({"channel": "CRANDOM"})),
            msg(json!({"subtype": "message_changed"})),
            msg(json!({"bot_id": "B1"})),
            msg(json!({"user": BOT})),
            msg(json!({"text": "<@UBOT>"})),
            json!({"type": "reaction_added", "user": "U1", "reaction": "+1",
                   "item": {"type": "message", "channel": "C", "ts": "1.0"}, "event_ts": "1.0"}),
        ] {
            assert!(matches!(run(e.clone()), Intake::Ignore(_)), "{e}");
        }
    }
}

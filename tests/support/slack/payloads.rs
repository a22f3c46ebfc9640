//! What Slack sends the bot, shaped as in Slack's docs: Events API callbacks, slash-command
//! forms and interaction payloads.

use super::{Message, TEAM};
use serde_json::{json, Value};

/// An `event_callback` envelope around `event`.
pub fn callback(event_id: &str, event: Value) -> Value {
    json!({"token": "unused-verification-token", "team_id": TEAM, "api_app_id": "AFAKE",
        "type": "event_callback", "event_id": event_id, "event_time": 1700000000,
        "event_context": "4-fake", "event": event,
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": true}]})
}

pub fn message(channel: &str, user: &str, text: &str, ts: &str, thread_ts: Option<&str>) -> Value {
    let channel_type = if channel.starts_with('D') {
        "im"
    } else {
        "channel"
    };
    let mut m = json!({"type": "message", "channel": channel, "channel_type": channel_type,
        "user": user, "text": text, "ts": ts, "event_ts": ts, "team": TEAM,
        "client_msg_id": format!("client-{ts}")});
    if let Some(t) = thread_ts {
        m["thread_ts"] = json!(t);
    }
    m
}

pub fn app_mention(
    channel: &str,
    user: &str,
    text: &str,
    ts: &str,
    thread_ts: Option<&str>,
) -> Value {
    let mut m = message(channel, user, text, ts, thread_ts);
    m["type"] = json!("app_mention");
    m.as_object_mut().unwrap().remove("channel_type");
    m
}

fn command_fields(
    command: &str,
    channel: &str,
    user: &str,
    text: &str,
    trigger: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("token", "unused".into()),
        ("team_id", TEAM.into()),
        ("team_domain", "fake".into()),
        ("channel_id", channel.into()),
        ("channel_name", "careers".into()),
        ("user_id", user.into()),
        ("user_name", "someone".into()),
        ("command", command.into()),
        ("text", text.into()),
        ("api_app_id", "AFAKE".into()),
        (
            "response_url",
            "https://hooks.slack.com/commands/T0FAKE/1/fake".into(),
        ),
        ("trigger_id", trigger.into()),
    ]
}

/// `/ask` as the form body Slack posts to `/slack/commands`.
pub fn command_form(channel: &str, user: &str, text: &str, trigger: &str) -> String {
    serde_urlencoded::to_string(command_fields("/ask", channel, user, text, trigger)).unwrap()
}

/// `/ask` as the payload of a Socket Mode `slash_commands` envelope.
pub fn command(channel: &str, user: &str, text: &str, trigger: &str) -> Value {
    let fields = command_fields("/ask", channel, user, text, trigger);
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect(),
    )
}

/// The modal the bot opened, submitted by `user` with `question` and the anonymous box.
pub fn view_submission(opened: &Value, user: &str, question: &str, anonymous: bool) -> Value {
    let selected = if anonymous {
        json!([{"text": {"type": "mrkdwn", "text": "*Ask anonymously*"}, "value": "anonymous"}])
    } else {
        json!([])
    };
    let mut view = opened.clone();
    let extra = json!({"id": "VFAKE", "team_id": TEAM, "hash": "fakehash", "state": {"values": {
        "question": {"text": {"type": "plain_text_input", "value": question}},
        "anonymous": {"choice": {"type": "checkboxes", "selected_options": selected}},
    }}});
    view.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"type": "view_submission", "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "asker", "name": "asker", "team_id": TEAM},
        "api_app_id": "AFAKE", "token": "unused", "trigger_id": "1.2.3", "view": view})
}

/// `user` clicking the button `action_id` on the bot's reply `reply`.
pub fn block_actions(reply: &Message, user: &str, action_id: &str) -> Value {
    let button = reply
        .blocks
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .find(|e| e["action_id"] == action_id)
        .expect("no such button");
    json!({"type": "block_actions", "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "voter", "name": "voter", "team_id": TEAM},
        "api_app_id": "AFAKE", "token": "unused", "trigger_id": "1.2.4",
        "container": {"type": "message", "message_ts": reply.ts, "channel_id": reply.channel,
            "is_ephemeral": false},
        "channel": {"id": reply.channel, "name": "careers"},
        "message": {"type": "message", "ts": reply.ts, "thread_ts": reply.thread_ts,
            "text": reply.text, "user": "UBOT", "bot_id": "BBOT"},
        "response_url": "https://hooks.slack.com/actions/T0FAKE/1/fake",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "votes",
            "text": button["text"], "value": button["value"], "action_ts": "1700000001.000000"}]})
}

/// An interaction as the form body Slack posts to `/slack/interactive`.
pub fn interactive_form(payload: &Value) -> String {
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

/// `/advice TEXT` as the form body Slack posts to `/slack/commands`.
pub fn advice_form(channel: &str, user: &str, text: &str, trigger: &str) -> String {
    serde_urlencoded::to_string(command_fields("/advice", channel, user, text, trigger)).unwrap()
}

/// The modal `opened` (as the bot sent it to views.open), submitted by `user` with `values`
/// typed into its plain-text inputs (block id -> text). Inputs not named are submitted as
/// Slack submits an untouched field: their initial value, or null.
pub fn submit_inputs(opened: &Value, user: &str, values: &[(&str, &str)]) -> Value {
    let mut state = serde_json::Map::new();
    for b in opened["blocks"].as_array().unwrap() {
        if b["type"] != "input" {
            continue;
        }
        let block = b["block_id"].as_str().unwrap();
        let action = b["element"]["action_id"].as_str().unwrap();
        let typed = values
            .iter()
            .find(|(k, _)| *k == block)
            .map(|(_, v)| json!(v));
        let value = typed.unwrap_or_else(|| b["element"]["initial_value"].clone());
        state.insert(
            block.into(),
            json!({action: {"type": "plain_text_input", "value": value}}),
        );
    }
    let mut view = opened.clone();
    let extra = json!({"id": "VFAKE", "team_id": TEAM, "hash": "fakehash",
        "state": {"values": state}});
    view.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"type": "view_submission", "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "mod", "name": "mod", "team_id": TEAM},
        "api_app_id": "AFAKE", "token": "unused", "trigger_id": "1.2.3", "view": view})
}

/// `user` clicking the button `action_id` on `message`, with a fresh `trigger` (the bot may
/// open a modal with it).
pub fn click(message: &Message, user: &str, action_id: &str, trigger: &str) -> Value {
    let mut v = block_actions(message, user, action_id);
    v["trigger_id"] = json!(trigger);
    let block = message
        .blocks
        .as_array()
        .unwrap()
        .iter()
        .find(|b| {
            b["elements"]
                .as_array()
                .is_some_and(|es| es.iter().any(|e| e["action_id"] == action_id))
        })
        .and_then(|b| b["block_id"].as_str())
        .unwrap_or("actions")
        .to_owned();
    v["actions"][0]["block_id"] = json!(block);
    v["channel"]["name"] = json!("mods");
    v
}

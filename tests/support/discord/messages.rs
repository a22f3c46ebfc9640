//! Creating messages and threads in the fake: existence checks, limits, nonce deduplication,
//! one thread per message (with the message's id).

use super::payloads;
use super::rest::Answer;
use super::state::{Channel, Msg, State, GUILD_FORUM, PUBLIC_THREAD};
use super::validate::{self, reject};
use serde_json::{json, Value};
use std::time::Instant;

pub fn create_message(
    fake: &super::Inner,
    state: &mut State,
    channel_id: u64,
    body: &Value,
) -> Answer {
    let channel = state
        .channels
        .get(&channel_id)
        .ok_or_else(|| reject(404, 10003, "Unknown Channel"))?;
    if channel.kind == GUILD_FORUM {
        return Err(reject(
            400,
            50008,
            "Cannot send messages in a non-text channel",
        ));
    }
    validate::create_message(body)?;
    if let Some(reference) = body["message_reference"].as_object() {
        let target = reference
            .get("message_id")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok());
        let exists = target
            .and_then(|t| state.message(t))
            .is_some_and(|m| m.channel_id == channel_id);
        if !exists && reference.get("fail_if_not_exists") != Some(&json!(false)) {
            return Err(reject(
                400,
                50035,
                "Invalid Form Body: message_reference: Unknown message",
            ));
        }
    }
    let nonce = body["nonce"].as_str().map(str::to_owned);
    if let (Some(n), true) = (&nonce, body["enforce_nonce"] == true) {
        if let Some(existing) = state.nonces.get(n).and_then(|id| state.message(*id)) {
            return Ok((200, bot_message(fake, existing)));
        }
    }
    let msg = Msg {
        id: state.id(),
        channel_id,
        author_id: fake.bot.id,
        content: body["content"].as_str().unwrap_or("").to_owned(),
        body: body.clone(),
        at: Instant::now(),
    };
    if let Some(n) = nonce {
        state.nonces.insert(n, msg.id);
    }
    let answer = bot_message(fake, &msg);
    state.messages.push(msg);
    Ok((200, answer))
}

/// A message as the REST API returns it (no guild id, as Discord does).
pub fn bot_message(fake: &super::Inner, m: &Msg) -> Value {
    let f = payloads::MessageFields {
        id: m.id,
        channel_id: m.channel_id,
        guild_id: None,
        author: &fake.bot,
        content: &m.content,
        kind: 0,
        mentions: vec![],
        mention_roles: vec![],
    };
    let mut v = payloads::message(&f);
    for key in ["embeds", "components", "nonce", "message_reference"] {
        if !m.body[key].is_null() {
            v[key] = m.body[key].clone();
        }
    }
    if m.body["message_reference"].is_object() {
        v["type"] = json!(19);
    }
    v
}

pub fn create_thread(state: &mut State, channel_id: u64, message_id: u64, body: &Value) -> Answer {
    let channel = state
        .channels
        .get(&channel_id)
        .ok_or_else(|| reject(404, 10003, "Unknown Channel"))?
        .clone();
    if channel.kind == PUBLIC_THREAD {
        return Err(reject(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    }
    if channel.threads_denied {
        return Err(reject(403, 50013, "Missing Permissions"));
    }
    if !state
        .message(message_id)
        .is_some_and(|m| m.channel_id == channel_id)
    {
        return Err(reject(404, 10008, "Unknown Message"));
    }
    if state.threaded.contains(&message_id) {
        return Err(reject(
            400,
            160004,
            "A thread has already been created for this message",
        ));
    }
    validate::create_thread(body)?;
    let thread = Channel {
        id: message_id,
        kind: PUBLIC_THREAD,
        guild_id: channel.guild_id,
        parent_id: Some(channel_id),
        name: body["name"].as_str().unwrap_or("").to_owned(),
        threads_denied: false,
        recipient: None,
    };
    state.threaded.insert(message_id);
    let answer = payloads::channel(&thread);
    state.channels.insert(thread.id, thread);
    Ok((201, answer))
}

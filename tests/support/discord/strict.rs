//! What Discord refuses in the moderators' endpoints: modals (callback type 9), subcommand
//! definitions, reading and editing messages.

use super::messages::bot_message;
use super::payloads;
use super::rest::Answer;
use super::state::State;
use super::validate::{interaction_message, reject, Reject};
use serde_json::Value;
use std::collections::HashSet;

fn form(field: &str, problem: &str) -> Reject {
    reject(400, 50035, format!("Invalid Form Body: {field}: {problem}"))
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn length(v: &Value, field: &str, range: std::ops::RangeInclusive<usize>) -> Result<(), Reject> {
    match &v[field] {
        Value::String(s) if range.contains(&s.chars().count()) => Ok(()),
        _ => Err(form(
            field,
            &format!(
                "must be between {} and {} in length",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// Callback type 9. A modal cannot answer a modal submit (interaction type 5).
pub fn modal_response(interaction_kind: u8, data: &Value) -> Result<(), Reject> {
    if interaction_kind == 5 {
        return Err(form(
            "type",
            "a modal cannot be the response to a modal submit",
        ));
    }
    length(data, "custom_id", 1..=100)?;
    length(data, "title", 1..=45)?;
    let rows = data["components"].as_array().cloned().unwrap_or_default();
    if !(1..=5).contains(&rows.len()) {
        return Err(form("components", "must be between 1 and 5 in length"));
    }
    let mut ids = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let inner = row["components"].as_array().cloned().unwrap_or_default();
        if row["type"] != 1 || inner.len() != 1 || inner[0]["type"] != 4 {
            return Err(form(
                &format!("components.{i}"),
                "a modal row holds exactly one text input",
            ));
        }
        let t = &inner[0];
        let at = |f: &str| format!("components.{i}.components.0.{f}");
        length(t, "custom_id", 1..=100).map_err(|_| form(&at("custom_id"), "must be 1-100"))?;
        length(t, "label", 1..=45).map_err(|_| form(&at("label"), "must be 1-45"))?;
        if !ids.insert(t["custom_id"].clone()) {
            return Err(form(
                &at("custom_id"),
                "Component custom id cannot be duplicated",
            ));
        }
        if !matches!(t["style"].as_u64(), Some(1 | 2)) {
            return Err(form(&at("style"), "must be 1 (short) or 2 (paragraph)"));
        }
        let min = t["min_length"].as_u64();
        let max = t["max_length"].as_u64();
        if min.is_some_and(|m| m > 4000) || max.is_some_and(|m| !(1..=4000).contains(&m)) {
            return Err(form(&at("max_length"), "must be 1-4000"));
        }
        let value = chars(&t["value"]) as u64;
        if value > 4000 || max.is_some_and(|m| value > m) {
            return Err(form(&at("value"), "longer than allowed"));
        }
        if chars(&t["placeholder"]) > 100 {
            return Err(form(&at("placeholder"), "must be 100 or fewer in length"));
        }
    }
    Ok(())
}

/// Options of a command with subcommands: each subcommand's own options, checked like a
/// command's; a subcommand is never `required`; at most 25 options anywhere.
pub fn subcommands(options: &[Value], at: &str) -> Result<(), Reject> {
    if options.len() > 25 {
        return Err(form(
            &format!("{at}.options"),
            "must be 25 or fewer in length",
        ));
    }
    let subs = options.iter().filter(|o| o["type"] == 1).count();
    if subs > 0 && subs != options.len() {
        return Err(form(
            &format!("{at}.options"),
            "subcommands cannot be mixed with other options",
        ));
    }
    for (j, o) in options.iter().enumerate().filter(|(_, o)| o["type"] == 1) {
        let here = format!("{at}.options.{j}");
        if o["required"] == true {
            return Err(form(&here, "a subcommand cannot be required"));
        }
        let inner = o["options"].as_array().cloned().unwrap_or_default();
        if inner.len() > 25 {
            return Err(form(&here, "must be 25 or fewer in length"));
        }
        let mut optional_seen = false;
        for (k, x) in inner.iter().enumerate() {
            let name = x["name"].as_str().unwrap_or("");
            let ok = (1..=32).contains(&name.chars().count())
                && name
                    .chars()
                    .all(|c| c == '-' || c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit())
                && (1..=100).contains(&chars(&x["description"]))
                && matches!(x["type"].as_u64(), Some(3..=11));
            if !ok {
                return Err(form(&format!("{here}.options.{k}"), "invalid option"));
            }
            let required = x["required"] == true;
            if required && optional_seen {
                return Err(form(
                    &format!("{here}.options.{k}"),
                    "Required options must be placed before non-required options",
                ));
            }
            optional_seen |= !required;
        }
    }
    Ok(())
}

/// `GET /channels/{c}/messages/{m}`: a person's message with its author, or the bot's own.
pub fn get_message(fake: &super::Inner, state: &State, channel: u64, message: u64) -> Answer {
    if !state.channels.contains_key(&channel) {
        return Err(reject(404, 10003, "Unknown Channel"));
    }
    let m = state
        .message(message)
        .filter(|m| m.channel_id == channel)
        .ok_or_else(|| reject(404, 10008, "Unknown Message"))?;
    if m.author_id == fake.bot.id {
        return Ok((200, bot_message(fake, m)));
    }
    let author = state
        .users
        .get(&m.author_id)
        .ok_or_else(|| reject(404, 10008, "Unknown Message"))?;
    let f = payloads::MessageFields {
        id: m.id,
        channel_id: channel,
        guild_id: None,
        author,
        content: &m.content,
        kind: 0,
        mentions: vec![],
        mention_roles: vec![],
    };
    Ok((200, payloads::message(&f)))
}

/// `PATCH /channels/{c}/messages/{m}`: only the bot's own messages, within message limits.
pub fn edit_message(
    fake: &super::Inner,
    state: &mut State,
    channel: u64,
    message: u64,
    body: &Value,
) -> Answer {
    let m = state
        .messages
        .iter_mut()
        .find(|m| m.id == message && m.channel_id == channel)
        .ok_or_else(|| reject(404, 10008, "Unknown Message"))?;
    if m.author_id != fake.bot.id {
        return Err(reject(
            403,
            50005,
            "Cannot edit a message authored by another user",
        ));
    }
    interaction_message(body)?;
    for key in ["content", "embeds", "components", "allowed_mentions"] {
        if !body[key].is_null() {
            m.body[key] = body[key].clone();
        }
    }
    m.content = m.body["content"].as_str().unwrap_or("").to_owned();
    let m = m.clone();
    Ok((200, bot_message(fake, &m)))
}

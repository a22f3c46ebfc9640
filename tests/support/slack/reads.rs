//! The Web API methods moderators' features use: `chat.update`, `users.info`,
//! `usergroups.users.list`, `conversations.replies` and `conversations.history`, refusing
//! what Slack refuses (unknown users, groups, channels and messages; editing others' messages).

use super::web::{content, str_arg};
use super::{Message, State, BOT_USER, TEAM};
use serde_json::{json, Value};

type Outcome = Result<Value, String>;

pub fn chat_update(s: &mut State, args: &Value) -> Outcome {
    let channel = str_arg(args, "channel").ok_or("channel_not_found")?;
    let ts = str_arg(args, "ts").ok_or("message_not_found")?;
    if !s.channels.contains(channel) {
        return Err("channel_not_found".into());
    }
    let (text, blocks) = content(args)?;
    let m = s
        .messages
        .iter_mut()
        .find(|m| m.channel == channel && m.ts == ts)
        .ok_or("message_not_found")?;
    if !m.by_bot {
        return Err("cant_update_message".into());
    }
    m.text = text.clone();
    m.blocks = blocks;
    Ok(json!({"channel": channel, "ts": ts, "text": text}))
}

pub fn users_info(s: &mut State, args: &Value) -> Outcome {
    let id = str_arg(args, "user").ok_or("user_not_found")?;
    let name = s.users.get(id).ok_or("user_not_found")?;
    Ok(
        json!({"user": {"id": id, "team_id": TEAM, "name": name.to_lowercase(),
        "real_name": name, "profile": {"display_name": name, "real_name": name}}}),
    )
}

pub fn usergroup_users(s: &mut State, args: &Value) -> Outcome {
    let group = str_arg(args, "usergroup").ok_or("no_such_subteam")?;
    let users = s.usergroups.get(group).ok_or("no_such_subteam")?;
    Ok(json!({"users": users}))
}

fn readable<'a>(s: &State, args: &'a Value) -> Result<&'a str, String> {
    let channel = str_arg(args, "channel").ok_or("channel_not_found")?;
    if s.channels.contains(channel) {
        Ok(channel)
    } else if channel.starts_with(['C', 'G', 'D']) {
        Err("not_in_channel".into())
    } else {
        Err("channel_not_found".into())
    }
}

fn as_json(m: &Message) -> Value {
    let mut v =
        json!({"type": "message", "ts": m.ts, "text": m.text, "user": m.user, "team": TEAM});
    if let Some(t) = &m.thread_ts {
        v["thread_ts"] = json!(t);
    }
    if m.user == BOT_USER {
        v["bot_id"] = json!("BBOT");
    }
    v
}

fn ts_num(ts: &str) -> f64 {
    ts.parse().unwrap_or(f64::MAX)
}

/// `latest`/`inclusive` as Slack applies them (exclusive unless `inclusive=true`).
fn before_latest(m: &Message, args: &Value) -> bool {
    match str_arg(args, "latest") {
        None => true,
        Some(latest) if str_arg(args, "inclusive") == Some("true") => {
            ts_num(&m.ts) <= ts_num(latest)
        }
        Some(latest) => ts_num(&m.ts) < ts_num(latest),
    }
}

/// The thread of `ts` (a parent or any reply in it): the parent first, then replies.
pub fn replies(s: &mut State, args: &Value) -> Outcome {
    let channel = readable(s, args)?;
    let ts = str_arg(args, "ts").ok_or("thread_not_found")?;
    let m = s
        .messages
        .iter()
        .find(|m| m.channel == channel && m.ts == ts)
        .ok_or("thread_not_found")?;
    let parent = m.thread_ts.clone().unwrap_or_else(|| m.ts.clone());
    let mut thread: Vec<&Message> = s
        .messages
        .iter()
        .filter(|m| {
            m.channel == channel
                && (m.ts == parent || m.thread_ts.as_deref() == Some(parent.as_str()))
        })
        .collect();
    thread.sort_by(|a, b| ts_num(&a.ts).total_cmp(&ts_num(&b.ts)));
    // The parent always comes first; `latest` bounds the replies.
    let messages: Vec<Value> = thread
        .iter()
        .filter(|m| m.ts == parent || before_latest(m, args))
        .map(|m| as_json(m))
        .collect();
    Ok(json!({"messages": messages, "has_more": false}))
}

/// Top-level messages of a channel, newest first, up to `limit`.
pub fn history(s: &mut State, args: &Value) -> Outcome {
    let channel = readable(s, args)?;
    let limit = str_arg(args, "limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100usize);
    let mut top: Vec<&Message> = s
        .messages
        .iter()
        .filter(|m| m.channel == channel && m.thread_ts.as_ref().map_or(true, |t| *t == m.ts))
        .filter(|m| before_latest(m, args))
        .collect();
    top.sort_by(|a, b| ts_num(&b.ts).total_cmp(&ts_num(&a.ts)));
    let messages: Vec<Value> = top.iter().take(limit).map(|m| as_json(m)).collect();
    Ok(json!({"messages": messages, "has_more": false}))
}

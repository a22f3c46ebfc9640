//! The Web API methods the bot uses, answering like Slack: HTTP 200 with `{"ok": false, "error"}`
//! for refusals, HTTP 429 with Retry-After when rate limited.

use super::{checks, reads, FakeSlack, Message, State, APP_TOKEN, BOT_TOKEN, BOT_USER, TEAM};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as Shared};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub fn router(fake: FakeSlack) -> Router {
    Router::new()
        .route("/api/{method}", any(call))
        .route("/upload/{id}", axum::routing::post(super::files::upload))
        .with_state(fake)
}

type Outcome = Result<Value, String>;

async fn call(
    Shared(fake): Shared<FakeSlack>,
    Path(method): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let args = args(&headers, query.as_deref(), &body);
    if let Some(secs) = fake.with(|s| s.rate_limits.get_mut(&method).and_then(|q| q.pop_front())) {
        record(&fake, &method, &args, Some("ratelimited".into()));
        let body = Json(json!({"ok": false, "error": "ratelimited"}));
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            body,
        )
            .into_response();
    }
    if method == "chat.postMessage" {
        fake.posts_gate().await;
    }
    let outcome = auth(&headers, &method).and_then(|()| {
        fake.with(|s| match method.as_str() {
            "auth.test" => Ok(
                json!({"url": "https://fake.slack.com/", "team": "Fake", "user": "crossroads",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": "BBOT"}),
            ),
            "apps.connections.open" => Ok(connections_open(s, fake.ws_addr)),
            "chat.postMessage" => post_message(s, &args),
            "chat.postEphemeral" => post_ephemeral(s, &args),
            "chat.getPermalink" => permalink(s, &args),
            "views.open" => views_open(s, &args),
            "chat.update" => reads::chat_update(s, &args),
            "users.info" => reads::users_info(s, &args),
            "usergroups.users.list" => reads::usergroup_users(s, &args),
            "conversations.replies" => reads::replies(s, &args),
            "conversations.history" => reads::history(s, &args),
            "files.getUploadURLExternal" => {
                super::files::get_upload_url(s, &args, &fake.api_base())
            }
            "files.completeUploadExternal" => super::files::complete(s, &args),
            _ => Err("unknown_method".into()),
        })
    });
    record(&fake, &method, &args, outcome.as_ref().err().cloned());
    let mut body = match outcome {
        Ok(Value::Object(m)) => m,
        Ok(_) => Map::new(),
        Err(error) => Map::from_iter([("error".to_owned(), json!(error))]),
    };
    body.insert("ok".into(), json!(!body.contains_key("error")));
    Json(Value::Object(body)).into_response()
}

fn record(fake: &FakeSlack, method: &str, args: &Value, error: Option<String>) {
    fake.with(|s| {
        s.calls.push(super::Call {
            method: method.into(),
            args: args.clone(),
            at: Instant::now(),
            error,
        })
    });
}

/// Arguments from a JSON body, a form body or the query string, as Slack accepts them.
fn args(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Value {
    let json_body = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if json_body {
        return serde_json::from_slice(body).unwrap_or(Value::Null);
    }
    let form = if body.is_empty() {
        query.unwrap_or("").as_bytes()
    } else {
        body
    };
    let map: HashMap<String, String> = serde_urlencoded::from_bytes(form).unwrap_or_default();
    serde_json::to_value(map).unwrap()
}

fn auth(headers: &HeaderMap, method: &str) -> Result<(), String> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or("not_authed")?;
    let wanted = if method == "apps.connections.open" {
        APP_TOKEN
    } else {
        BOT_TOKEN
    };
    match token {
        t if t == wanted => Ok(()),
        t if t == APP_TOKEN || t == BOT_TOKEN => Err("not_allowed_token_type".into()),
        _ => Err("invalid_auth".into()),
    }
}

fn connections_open(s: &mut State, ws: std::net::SocketAddr) -> Value {
    let ticket = format!("ticket-{}", s.next_id());
    s.tickets.insert(ticket.clone());
    json!({"url": format!("ws://{ws}/link/?ticket={ticket}")})
}

pub fn str_arg<'a>(args: &'a Value, key: &str) -> Option<&'a str> {
    args.get(key)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
}

/// Blocks arrive as an array in JSON bodies and as a JSON string in form bodies.
fn blocks_arg(args: &Value) -> Result<Value, String> {
    match args.get("blocks") {
        None | Some(Value::Null) => Ok(json!([])),
        Some(Value::String(s)) => {
            serde_json::from_str(s).map_err(|_| "invalid_blocks_format".to_owned())
        }
        Some(v) => Ok(v.clone()),
    }
}

/// A channel the bot may post to: one it is in, or a user id (its DM with that user).
fn postable(s: &State, channel: Option<&str>) -> Result<String, String> {
    let channel = channel.ok_or("channel_not_found")?;
    if s.channels.contains(channel) || channel.starts_with('U') {
        Ok(channel.to_owned())
    } else if channel.starts_with(['C', 'G']) {
        Err("not_in_channel".into())
    } else {
        Err("channel_not_found".into())
    }
}

pub fn content(args: &Value) -> Result<(String, Value), String> {
    let text = str_arg(args, "text").unwrap_or("").to_owned();
    let blocks = blocks_arg(args)?;
    let empty_blocks = !blocks.as_array().is_some_and(|b| !b.is_empty());
    if text.trim().is_empty() && empty_blocks {
        return Err("no_text".into());
    }
    if text.chars().count() > checks::MAX_TEXT {
        return Err("msg_too_long".into());
    }
    checks::message_blocks(&blocks).map_err(|_| "invalid_blocks".to_owned())?;
    Ok((text, blocks))
}

fn post_message(s: &mut State, args: &Value) -> Outcome {
    let channel = postable(s, str_arg(args, "channel"))?;
    let (text, blocks) = content(args)?;
    let thread_ts = str_arg(args, "thread_ts").map(String::from);
    let ts = s.next_ts();
    s.messages.push(Message {
        channel: channel.clone(),
        ts: ts.clone(),
        thread_ts,
        text: text.clone(),
        blocks,
        by_bot: true,
        user: BOT_USER.into(),
    });
    Ok(json!({"channel": channel, "ts": ts, "message": {"ts": ts, "text": text, "user": BOT_USER}}))
}

fn post_ephemeral(s: &mut State, args: &Value) -> Outcome {
    postable(s, str_arg(args, "channel"))?;
    str_arg(args, "user").ok_or("user_not_in_channel")?;
    content(args)?;
    s.ephemerals.push(args.clone());
    Ok(json!({"message_ts": s.next_ts()}))
}

fn permalink(s: &mut State, args: &Value) -> Outcome {
    let channel = str_arg(args, "channel").ok_or("channel_not_found")?;
    let ts = str_arg(args, "message_ts").ok_or("message_not_found")?;
    if !s
        .messages
        .iter()
        .any(|m| m.channel == channel && m.ts == ts)
    {
        return Err("message_not_found".into());
    }
    let p = ts.replace('.', "");
    Ok(
        json!({"channel": channel, "permalink": format!("https://fake.slack.com/archives/{channel}/p{p}")}),
    )
}

fn views_open(s: &mut State, args: &Value) -> Outcome {
    let trigger = str_arg(args, "trigger_id").ok_or("invalid_trigger_id")?;
    let issued = *s.triggers.get(trigger).ok_or("invalid_trigger_id")?;
    if issued.elapsed() > Duration::from_secs(3) {
        return Err("expired_trigger_id".into());
    }
    let view = match args.get("view") {
        Some(Value::String(v)) => serde_json::from_str(v).map_err(|_| "invalid_arguments")?,
        Some(v) => v.clone(),
        None => return Err("invalid_arguments".into()),
    };
    checks::modal(&view).map_err(|_| "invalid_arguments".to_owned())?;
    s.views.push(view.clone());
    let mut opened = view;
    let id = format!("V{}", s.next_id());
    let extra = json!({"id": id, "team_id": TEAM, "hash": "fakehash", "state": {"values": {}}});
    opened
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    Ok(json!({"view": opened}))
}

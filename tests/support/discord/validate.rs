//! What Discord refuses, checked the way Discord documents it. Each check returns the status,
//! JSON error code and message Discord would send.

use serde_json::Value;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub status: u16,
    pub code: i64,
    pub message: String,
}

pub fn reject(status: u16, code: i64, message: impl Into<String>) -> Reject {
    Reject {
        status,
        code,
        message: message.into(),
    }
}

/// 400 Invalid Form Body, naming the offending field.
fn form(field: &str, problem: &str) -> Reject {
    reject(400, 50035, format!("Invalid Form Body: {field}: {problem}"))
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn max_chars(body: &Value, field: &str, max: usize, path: &str) -> Result<(), Reject> {
    match &body[field] {
        Value::Null => Ok(()),
        Value::String(s) if s.chars().count() <= max => Ok(()),
        Value::String(_) => Err(form(path, &format!("must be {max} or fewer in length"))),
        _ => Err(form(path, "must be a string")),
    }
}

/// `POST /channels/{id}/messages`.
pub fn create_message(body: &Value) -> Result<(), Reject> {
    if !body.is_object() {
        return Err(form("body", "must be an object"));
    }
    max_chars(body, "content", 2000, "content")?;
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    let components = body["components"].as_array().cloned().unwrap_or_default();
    if chars(&body["content"]) == 0 && embeds.is_empty() && components.is_empty() {
        return Err(reject(400, 50006, "Cannot send an empty message"));
    }
    check_embeds(&embeds)?;
    check_components(&components)?;
    check_allowed_mentions(&body["allowed_mentions"])?;
    match &body["nonce"] {
        Value::Null | Value::Number(_) => {}
        Value::String(s) if s.chars().count() <= 25 => {}
        _ => {
            return Err(form(
                "nonce",
                "must be an integer or a string of at most 25 characters",
            ))
        }
    }
    Ok(())
}

pub fn check_embeds(embeds: &[Value]) -> Result<(), Reject> {
    if embeds.len() > 10 {
        return Err(form("embeds", "must be 10 or fewer in length"));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let at = |f: &str| format!("embeds.{i}.{f}");
        max_chars(e, "title", 256, &at("title"))?;
        max_chars(e, "description", 4096, &at("description"))?;
        max_chars(&e["footer"], "text", 2048, &at("footer.text"))?;
        max_chars(&e["author"], "name", 256, &at("author.name"))?;
        if let Some(url) = e["url"].as_str() {
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(' ') {
                return Err(form(&at("url"), "Not a well formed URL."));
            }
        }
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > 25 {
            return Err(form(&at("fields"), "must be 25 or fewer in length"));
        }
        total += chars(&e["title"]) + chars(&e["description"]) + chars(&e["footer"]["text"]);
        total += chars(&e["author"]["name"]);
        total += fields
            .iter()
            .map(|f| chars(&f["name"]) + chars(&f["value"]))
            .sum::<usize>();
    }
    if total > 6000 {
        return Err(form("embeds", "Embed size exceeds maximum size of 6000"));
    }
    Ok(())
}

pub fn check_components(rows: &[Value]) -> Result<(), Reject> {
    if rows.len() > 5 {
        return Err(form("components", "must be 5 or fewer in length"));
    }
    let mut ids = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let buttons = row["components"].as_array().cloned().unwrap_or_default();
        if row["type"] != 1 || buttons.is_empty() || buttons.len() > 5 {
            return Err(form(
                &format!("components.{i}"),
                "an action row holds 1-5 components",
            ));
        }
        for (j, b) in buttons.iter().enumerate() {
            let at = format!("components.{i}.components.{j}");
            let style = b["style"].as_u64().unwrap_or(0);
            if b["type"] != 2 || !(1..=5).contains(&style) {
                return Err(form(&at, "not a valid button"));
            }
            max_chars(b, "label", 80, &format!("{at}.label"))?;
            if style == 5 {
                continue;
            }
            let id = b["custom_id"].as_str().unwrap_or("");
            if id.is_empty() || id.chars().count() > 100 {
                return Err(form(&format!("{at}.custom_id"), "must be 1-100 characters"));
            }
            if !ids.insert(id.to_owned()) {
                return Err(form(
                    &format!("{at}.custom_id"),
                    "Component custom id cannot be duplicated",
                ));
            }
        }
    }
    Ok(())
}

fn check_allowed_mentions(am: &Value) -> Result<(), Reject> {
    if am.is_null() {
        return Ok(());
    }
    let parse: Vec<&str> = am["parse"]
        .as_array()
        .map_or(vec![], |p| p.iter().filter_map(Value::as_str).collect());
    if parse
        .iter()
        .any(|p| !["users", "roles", "everyone"].contains(p))
    {
        return Err(form("allowed_mentions.parse", "invalid value"));
    }
    for (kind, list) in [("users", &am["users"]), ("roles", &am["roles"])] {
        let n = list.as_array().map_or(0, Vec::len);
        if n > 0 && parse.contains(&kind) {
            return Err(form(
                "allowed_mentions",
                &format!("parse:[\"{kind}\"] and {kind}: [ids] are mutually exclusive"),
            ));
        }
        if n > 100 {
            return Err(form(
                &format!("allowed_mentions.{kind}"),
                "must be 100 or fewer in length",
            ));
        }
    }
    Ok(())
}

/// Who a message would ping, the way Discord decides: without `allowed_mentions`, everything
/// in the content; with it, only what it allows.
pub fn pings(body: &Value) -> Vec<String> {
    let content = body["content"].as_str().unwrap_or("");
    let am = &body["allowed_mentions"];
    let allows = |kind: &str| {
        am.is_null()
            || am["parse"]
                .as_array()
                .is_some_and(|p| p.iter().any(|x| x == kind))
    };
    let listed = |kind: &str, id: &str| {
        am[kind]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x == id))
    };
    let mut out = Vec::new();
    if (content.contains("@everyone") || content.contains("@here")) && allows("everyone") {
        out.push("@everyone".to_owned());
    }
    for (prefix, kind) in [("<@&", "roles"), ("<@!", "users"), ("<@", "users")] {
        for piece in content.split(prefix).skip(1) {
            let id: String = piece.chars().take_while(char::is_ascii_digit).collect();
            if !id.is_empty()
                && piece[id.len()..].starts_with('>')
                && (allows(kind) || listed(kind, &id))
            {
                out.push(format!("{kind}:{id}"));
            }
        }
    }
    if body["message_reference"].is_object() && (am.is_null() || am["replied_user"] != false) {
        out.push("replied user".to_owned());
    }
    out
}

/// `POST /channels/{c}/messages/{m}/threads`.
pub fn create_thread(body: &Value) -> Result<(), Reject> {
    let name = body["name"].as_str().unwrap_or("");
    let n = name.chars().count();
    if !(1..=100).contains(&n) {
        return Err(form("name", "must be between 1 and 100 in length"));
    }
    match body["auto_archive_duration"].as_u64() {
        None if body["auto_archive_duration"].is_null() => {}
        Some(60 | 1440 | 4320 | 10080) => {}
        _ => {
            return Err(form(
                "auto_archive_duration",
                "Value must be one of {60, 1440, 4320, 10080}.",
            ))
        }
    }
    Ok(())
}

/// Interaction callbacks and edits: message data within message limits.
pub fn interaction_message(data: &Value) -> Result<(), Reject> {
    max_chars(data, "content", 2000, "data.content")?;
    check_embeds(&data["embeds"].as_array().cloned().unwrap_or_default())?;
    check_components(&data["components"].as_array().cloned().unwrap_or_default())?;
    check_allowed_mentions(&data["allowed_mentions"])
}

/// `PUT /applications/{id}/commands`: names, descriptions, options as Discord validates them.
pub fn commands(body: &Value) -> Result<(), Reject> {
    let list = body
        .as_array()
        .ok_or_else(|| form("body", "must be an array"))?;
    for (i, c) in list.iter().enumerate() {
        let name = c["name"].as_str().unwrap_or("");
        let valid_name = |n: &str| {
            (1..=32).contains(&n.chars().count())
                && n.chars().all(|ch| {
                    ch == '-' || ch == '_' || (ch.is_alphanumeric() && !ch.is_uppercase())
                })
        };
        if !valid_name(name) {
            return Err(form(&format!("{i}.name"), "Command name is invalid"));
        }
        if !(1..=100).contains(&chars(&c["description"])) {
            return Err(form(
                &format!("{i}.description"),
                "must be between 1 and 100 in length",
            ));
        }
        let options = c["options"].as_array().cloned().unwrap_or_default();
        let mut optional_seen = false;
        for (j, o) in options.iter().enumerate() {
            let at = format!("{i}.options.{j}");
            if !valid_name(o["name"].as_str().unwrap_or(""))
                || !(1..=100).contains(&chars(&o["description"]))
            {
                return Err(form(&at, "invalid option name or description"));
            }
            let required = o["required"].as_bool().unwrap_or(false);
            if required && optional_seen {
                return Err(form(
                    &at,
                    "Required options must be placed before non-required options",
                ));
            }
            optional_seen |= !required;
            if let Some(max) = o["max_length"].as_u64() {
                if !(1..=6000).contains(&max) {
                    return Err(form(&format!("{at}.max_length"), "must be 1-6000"));
                }
            }
        }
        super::strict::subcommands(&options, &i.to_string())?;
    }
    Ok(())
}

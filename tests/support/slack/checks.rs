//! What Slack refuses, checked as Slack does: the Block Kit and message limits from
//! api.slack.com/reference/block-kit and the chat.postMessage / views.open docs.

use serde_json::Value;
use std::collections::HashSet;

pub const MAX_TEXT: usize = 40_000;
pub const MAX_BLOCKS: usize = 50;
pub const MAX_MODAL_BLOCKS: usize = 100;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_CONTEXT_ELEMENTS: usize = 10;
pub const MAX_ACTIONS_ELEMENTS: usize = 25;
pub const MAX_BUTTON_TEXT: usize = 75;
pub const MAX_BUTTON_VALUE: usize = 2000;
pub const MAX_ID: usize = 255;
pub const MAX_MODAL_TITLE: usize = 24;
pub const MAX_PRIVATE_METADATA: usize = 3000;
pub const MAX_INPUT_LENGTH: u64 = 3000;

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// A text object: `{"type": "plain_text" | "mrkdwn", "text": ...}` within `max` characters.
fn text_object(v: &Value, max: usize, plain_only: bool) -> Result<(), String> {
    let kind = v["type"].as_str().unwrap_or("");
    let ok_kind = kind == "plain_text" || (!plain_only && kind == "mrkdwn");
    if !ok_kind {
        return Err(format!("bad text object type {kind:?}"));
    }
    let n = chars(&v["text"]);
    if n == 0 || n > max {
        return Err(format!("text must be 1-{max} characters, got {n}"));
    }
    Ok(())
}

/// Checks message blocks; `Err` carries what Slack's `invalid_blocks` would say.
pub fn message_blocks(blocks: &Value) -> Result<(), String> {
    blocks_with_limit(blocks, MAX_BLOCKS)
}

fn blocks_with_limit(blocks: &Value, max: usize) -> Result<(), String> {
    let list = blocks.as_array().ok_or("blocks must be an array")?;
    if list.len() > max {
        return Err(format!("no more than {max} blocks allowed"));
    }
    let mut block_ids = HashSet::new();
    for (i, b) in list.iter().enumerate() {
        if let Some(id) = b.get("block_id") {
            if chars(id) == 0 || chars(id) > MAX_ID || !block_ids.insert(id.to_string()) {
                return Err(format!("block {i}: block_id missing, too long or repeated"));
            }
        }
        block(b).map_err(|e| format!("block {i}: {e}"))?;
    }
    Ok(())
}

fn block(b: &Value) -> Result<(), String> {
    match b["type"].as_str().unwrap_or("") {
        "section" => {
            if b.get("text").is_none() && b.get("fields").is_none() {
                return Err("section needs text or fields".into());
            }
            match b.get("text") {
                Some(t) => text_object(t, MAX_SECTION_TEXT, false),
                None => Ok(()),
            }
        }
        "context" => {
            let els = b["elements"].as_array().ok_or("context needs elements")?;
            if els.is_empty() || els.len() > MAX_CONTEXT_ELEMENTS {
                return Err("context takes 1-10 elements".into());
            }
            els.iter()
                .try_for_each(|e| text_object(e, MAX_SECTION_TEXT, false))
        }
        "actions" => {
            let els = b["elements"].as_array().ok_or("actions needs elements")?;
            if els.is_empty() || els.len() > MAX_ACTIONS_ELEMENTS {
                return Err("actions takes 1-25 elements".into());
            }
            let mut ids = HashSet::new();
            for e in els {
                let id = e["action_id"].to_string();
                if chars(&e["action_id"]) > MAX_ID || !ids.insert(id) {
                    return Err("action_id too long or repeated in the block".into());
                }
                button(e)?;
            }
            Ok(())
        }
        "divider" => Ok(()),
        "header" => text_object(&b["text"], 150, true),
        "input" => input(b),
        other => Err(format!("unsupported block type {other:?}")),
    }
}

fn button(e: &Value) -> Result<(), String> {
    if e["type"] != "button" {
        return Err(format!("unsupported element {}", e["type"]));
    }
    text_object(&e["text"], MAX_BUTTON_TEXT, true)?;
    if chars(&e["value"]) > MAX_BUTTON_VALUE {
        return Err("button value too long".into());
    }
    match e.get("style").and_then(Value::as_str) {
        None | Some("primary") | Some("danger") => Ok(()),
        Some(s) => Err(format!("bad button style {s:?}")),
    }
}

fn input(b: &Value) -> Result<(), String> {
    text_object(&b["label"], 2000, true)?;
    let e = &b["element"];
    match e["type"].as_str().unwrap_or("") {
        "plain_text_input" => {
            let max = e["max_length"].as_u64().unwrap_or(MAX_INPUT_LENGTH);
            if max > MAX_INPUT_LENGTH || chars(&e["initial_value"]) as u64 > max {
                return Err("plain_text_input max_length or initial_value too long".into());
            }
            Ok(())
        }
        "checkboxes" => {
            let opts = e["options"].as_array().ok_or("checkboxes need options")?;
            if opts.is_empty() || opts.len() > 10 {
                return Err("checkboxes take 1-10 options".into());
            }
            opts.iter()
                .try_for_each(|o| text_object(&o["text"], 75, false))
        }
        other => Err(format!("unsupported input element {other:?}")),
    }
}

/// Checks a `views.open` view.
pub fn modal(view: &Value) -> Result<(), String> {
    if view["type"] != "modal" {
        return Err("view type must be modal".into());
    }
    text_object(&view["title"], MAX_MODAL_TITLE, true)?;
    for key in ["submit", "close"] {
        if let Some(t) = view.get(key) {
            text_object(t, MAX_MODAL_TITLE, true)?;
        }
    }
    let has_input = view["blocks"]
        .as_array()
        .is_some_and(|bs| bs.iter().any(|b| b["type"] == "input"));
    if has_input && view.get("submit").is_none() {
        return Err("a modal with inputs needs a submit button".into());
    }
    if chars(&view["private_metadata"]) > MAX_PRIVATE_METADATA
        || chars(&view["callback_id"]) > MAX_ID
    {
        return Err("private_metadata or callback_id too long".into());
    }
    blocks_with_limit(&view["blocks"], MAX_MODAL_BLOCKS)
}

/// True for the bot's answer: a message carrying the vote buttons.
pub fn has_vote_buttons(blocks: &Value) -> bool {
    blocks.as_array().is_some_and(|bs| {
        bs.iter().any(|b| {
            b["type"] == "actions"
                && b["elements"]
                    .as_array()
                    .is_some_and(|es| es.iter().any(|e| e["action_id"] == "vote_helpful"))
        })
    })
}

/// Slack's special mentions that ping a crowd, found anywhere in `sent`.
pub fn pings(sent: &str) -> Vec<&'static str> {
    ["<!channel", "<!here", "<!everyone", "<!subteam^"]
        .into_iter()
        .filter(|p| sent.contains(p))
        .collect()
}

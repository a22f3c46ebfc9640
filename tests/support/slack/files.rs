//! Slack's external file upload, strict: `files.getUploadURLExternal` (filename and a length
//! in bytes), a POST of exactly that many bytes to the returned URL, then
//! `files.completeUploadExternal` naming uploaded files and a channel the bot is in. A file
//! completed with a channel is shared there (in `thread_ts` when given).

use super::{FakeSlack, State};
use axum::body::Bytes;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// Slack's limit for one file.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct File {
    pub id: String,
    pub filename: String,
    pub length: u64,
    pub bytes: Option<Vec<u8>>,
    pub title: Option<String>,
    /// Where it was shared: (channel, thread_ts).
    pub shared: Option<(String, Option<String>)>,
}

fn arg<'a>(args: &'a Value, key: &str) -> Option<&'a str> {
    args.get(key)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
}

pub fn get_upload_url(s: &mut State, args: &Value, api_base: &str) -> Result<Value, String> {
    let filename = arg(args, "filename").ok_or("invalid_arguments")?;
    let length: u64 = arg(args, "length")
        .and_then(|l| l.parse().ok())
        .ok_or("invalid_arguments")?;
    if length == 0 || length > MAX_FILE_BYTES {
        return Err("invalid_arguments".into());
    }
    let id = format!("F{}", s.next_id());
    s.files.push(File {
        id: id.clone(),
        filename: filename.into(),
        length,
        ..File::default()
    });
    let base = api_base.trim_end_matches("/api");
    Ok(json!({"upload_url": format!("{base}/upload/{id}"), "file_id": id}))
}

/// The upload itself: raw bytes, as many as announced, once.
pub async fn upload(
    Shared(fake): Shared<FakeSlack>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let accepted = fake.with(|s| {
        let file = s.files.iter_mut().find(|f| f.id == id)?;
        if file.bytes.is_some() || body.len() as u64 != file.length {
            return None;
        }
        file.bytes = Some(body.to_vec());
        Some(())
    });
    match accepted {
        Some(()) => (StatusCode::OK, format!("OK - {}", body.len())).into_response(),
        None => (StatusCode::BAD_REQUEST, "bad upload").into_response(),
    }
}

pub fn complete(s: &mut State, args: &Value) -> Result<Value, String> {
    let files: Value = match args.get("files") {
        Some(Value::String(text)) => serde_json::from_str(text).map_err(|_| "invalid_arguments")?,
        Some(v) => v.clone(),
        None => return Err("invalid_arguments".into()),
    };
    let wanted = files
        .as_array()
        .filter(|f| !f.is_empty())
        .ok_or("invalid_arguments")?;
    let channel = arg(args, "channel_id").map(str::to_owned);
    if let Some(c) = &channel {
        if !s.channels.contains(c) {
            return Err("not_in_channel".into());
        }
    }
    let thread = arg(args, "thread_ts").map(str::to_owned);
    if let Some(ts) = &thread {
        if !s
            .messages
            .iter()
            .any(|m| Some(&m.channel) == channel.as_ref() && &m.ts == ts)
        {
            return Err("invalid_thread_ts".into());
        }
    }
    let mut out = Vec::new();
    for w in wanted {
        let id = w["id"].as_str().ok_or("invalid_arguments")?;
        let file = s
            .files
            .iter_mut()
            .find(|f| f.id == id)
            .ok_or("file_not_found")?;
        if file.bytes.is_none() {
            return Err("file_upload_not_complete".into());
        }
        file.title = w["title"].as_str().map(str::to_owned);
        file.shared = channel.clone().map(|c| (c, thread.clone()));
        out.push(json!({"id": file.id, "name": file.filename, "title": file.title}));
    }
    Ok(json!({"files": out}))
}

//! `multipart/form-data` message bodies, as Discord takes messages with files: a
//! `payload_json` part (the message) and one `files[n]` part per file, each listed in the
//! payload's `attachments` with `id` n. Strict like Discord: unknown parts, files missing from
//! `attachments` (or the reverse), files without a name and files above 10 MiB are refused.
//! Accepted files are recorded in the payload under `_files` for tests to inspect.

use super::validate::{reject, Reject};
use axum::http::HeaderMap;
use serde_json::{json, Value};

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

struct Part<'a> {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: &'a [u8],
}

fn form(problem: &str) -> Reject {
    reject(400, 50035, format!("Invalid Form Body: {problem}"))
}

/// `None` when the body is not multipart; else the payload (with `_files`) or the refusal.
pub fn payload(headers: &HeaderMap, body: &[u8]) -> Option<Result<Value, Reject>> {
    let ct = headers.get("content-type")?.to_str().ok()?;
    let boundary = ct.strip_prefix("multipart/form-data")?;
    let boundary = boundary
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="));
    Some(match boundary {
        Some(b) => parse(body, b.trim_matches('"')).and_then(build),
        None => Err(form("multipart body without a boundary")),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Reject> {
    let delimiter = format!("--{boundary}");
    let mut rest = body
        .strip_prefix(delimiter.as_bytes())
        .ok_or_else(|| form("malformed multipart body"))?;
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| form("malformed multipart body"))?;
        let head_end = find(rest, b"\r\n\r\n").ok_or_else(|| form("malformed part headers"))?;
        let head = String::from_utf8_lossy(&rest[..head_end]).to_string();
        let after = &rest[head_end + 4..];
        let end = find(after, format!("\r\n{delimiter}").as_bytes())
            .ok_or_else(|| form("unterminated multipart part"))?;
        parts.push(part(&head, &after[..end])?);
        rest = &after[end + 2 + delimiter.len()..];
    }
}

fn part<'a>(head: &str, data: &'a [u8]) -> Result<Part<'a>, Reject> {
    let mut p = Part {
        name: String::new(),
        filename: None,
        content_type: None,
        data,
    };
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':').unwrap_or((line, ""));
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for field in value.split(';').map(str::trim) {
                    if let Some(v) = field.strip_prefix("name=") {
                        p.name = v.trim_matches('"').to_owned();
                    } else if let Some(v) = field.strip_prefix("filename=") {
                        p.filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            }
            "content-type" => p.content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    if p.name.is_empty() {
        return Err(form("a multipart part has no name"));
    }
    Ok(p)
}

fn build(parts: Vec<Part<'_>>) -> Result<Value, Reject> {
    let payload = parts
        .iter()
        .find(|p| p.name == "payload_json")
        .ok_or_else(|| form("payload_json is required with files"))?;
    let mut payload: Value =
        serde_json::from_slice(payload.data).map_err(|_| form("payload_json: invalid JSON"))?;
    let listed = payload["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut files = Vec::new();
    for p in parts.iter().filter(|p| p.name != "payload_json") {
        let id: u64 = p
            .name
            .strip_prefix("files[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| form(&format!("unknown form field {:?}", p.name)))?;
        let filename = p.filename.clone().filter(|f| !f.is_empty());
        let filename =
            filename.ok_or_else(|| form(&format!("files[{id}]: a filename is required")))?;
        if p.data.len() > MAX_FILE_BYTES {
            return Err(reject(413, 40005, "Request entity too large"));
        }
        let entry = listed
            .iter()
            .find(|a| a["id"].as_u64() == Some(id) || a["id"] == json!(id.to_string()));
        if !entry.is_some_and(|a| a["filename"].as_str().is_some_and(|f| !f.is_empty())) {
            return Err(form(&format!(
                "attachments: files[{id}] is not listed with a filename"
            )));
        }
        files.push(json!({
            "id": id, "filename": filename, "content_type": p.content_type, "size": p.data.len(),
            "png": p.data.starts_with(b"\x89PNG\r\n\x1a\n"),
        }));
    }
    if listed.len() != files.len() {
        return Err(form(
            "attachments: an attachment has no matching files[n] part",
        ));
    }
    payload["_files"] = Value::Array(files);
    Ok(payload)
}

//! A minimal HTTP/1.1 client for posting to the bot, so tests control every header (or leave
//! one out) exactly as they mean to.

use crossroads::adapters::slack::verify::sign;
use crossroads::adapters::slack::Secret;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

pub const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";

/// The two signature headers Slack would send for `body` at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> Vec<(&'static str, String)> {
    let ts = timestamp.to_string();
    let sig = sign(&Secret::new(secret), &ts, body.as_bytes());
    vec![
        ("X-Slack-Request-Timestamp", ts),
        ("X-Slack-Signature", sig),
    ]
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub async fn post(
    addr: SocketAddr,
    path: &str,
    content_type: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Response {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the bot");
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        body: body.to_owned(),
    }
}

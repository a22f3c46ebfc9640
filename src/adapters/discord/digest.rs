//! Posts the weekly digest in a Discord channel: one message with an embed (title and the
//! digest text) and, when there is one, the chart as the attachment `digest.png` (multipart
//! `files[0]`, shown as the embed's image). Empty allowed mentions, so naming an asker with
//! `<@id>` shows their name without pinging them, and `@everyone` in a quote pings no one. The
//! nonce is derived from the run key with `enforce_nonce`, so a retried post returns the first
//! message instead of a second one (for as long as Discord remembers nonces).

use super::build;
use super::rest::{Rest, RetryPolicy};
use super::settings::{DiscordSettings, Secret};
use super::text::{strip_markup, truncate};
use crate::core::digest::{render, text, Digest, Style, TopAnswer};
use crate::jobs::DigestSink;
use async_trait::async_trait;
use serenity::all::{ChannelId, CreateAttachment, CreateEmbed, CreateMessage, Message};
use serenity::http::Route;
use sha2::{Digest as _, Sha256};
use std::sync::Arc;

pub const CHART_FILE: &str = "digest.png";
/// Discord refuses attachments above this size for a bot without boosts.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The digest sink for Discord, over REST only (no gateway).
pub fn digest_sink(settings: &DiscordSettings, token: &Secret) -> Arc<dyn DigestSink> {
    let rest = Rest::new(token, settings.api_base.clone(), RetryPolicy::default());
    Arc::new(DiscordDigest {
        rest: Arc::new(rest),
    })
}

struct DiscordDigest {
    rest: Arc<Rest>,
}

/// Discord markup: user text has mention markup removed and Markdown escaped.
pub struct DiscordStyle;

impl Style for DiscordStyle {
    fn bold(&self, text: &str) -> String {
        format!("**{text}**")
    }
    fn escape(&self, text: &str) -> String {
        let mut out = String::new();
        for c in strip_markup(text).chars() {
            if matches!(
                c,
                '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '(' | ')' | '<' | '>' | '#'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        out.replace('@', "@\u{200b}")
    }
    fn user(&self, user_id: &str) -> String {
        match user_id.parse::<u64>() {
            Ok(id) if id > 0 => format!("<@{id}>"),
            _ => "a community member".into(),
        }
    }
    fn link(&self, a: &TopAnswer, label: &str) -> Option<String> {
        let guild: u64 = a.workspace.parse().ok()?;
        let path = match (&a.thread_id, &a.message_id) {
            (Some(thread), _) => thread.parse::<u64>().ok()?.to_string(),
            (None, Some(m)) => format!(
                "{}/{}",
                a.channel.parse::<u64>().ok()?,
                m.parse::<u64>().ok()?
            ),
            (None, None) => return None,
        };
        Some(format!(
            "[{label}](https://discord.com/channels/{guild}/{path})"
        ))
    }
}

/// Unique per run key, 25 characters (Discord's limit for a nonce).
pub fn nonce(key: &str) -> String {
    let hash = hex::encode(Sha256::digest(key.as_bytes()));
    format!("dg{}", &hash[..23])
}

/// The message, without its attachment.
pub fn message(digest: &Digest, key: &str, with_chart: bool) -> CreateMessage {
    let body = render(digest, &DiscordStyle);
    let mut embed = CreateEmbed::new()
        .title(truncate(
            &text::title(digest),
            super::render::EMBED_TITLE_CHARS,
        ))
        .description(truncate(&body, super::render::EMBED_DESCRIPTION_CHARS));
    if with_chart {
        embed = embed.image(format!("attachment://{CHART_FILE}"));
    }
    build::message("", &nonce(key)).embed(embed)
}

#[async_trait]
impl DigestSink for DiscordDigest {
    #[tracing::instrument(skip_all, fields(channel = channel))]
    async fn post_digest(
        &self,
        channel: &str,
        digest: &Digest,
        png: Option<&[u8]>,
        key: &str,
    ) -> anyhow::Result<String> {
        let channel_id: ChannelId = super::poster::snowflake(channel)?;
        let png = png.filter(|p| p.len() <= MAX_FILE_BYTES);
        let m = message(digest, key, png.is_some());
        let posted: Message = match png {
            None => self.rest.create_message(channel_id, &m).await?,
            Some(png) => {
                let mut payload = serde_json::to_value(&m)?;
                payload["attachments"] = serde_json::json!([{"id": 0, "filename": CHART_FILE, "description": "Questions per category, last 8 weeks"}]);
                let file = CreateAttachment::bytes(png.to_vec(), CHART_FILE);
                let route = Route::ChannelMessages { channel_id };
                self.rest
                    .call_multipart(
                        "create digest message",
                        route,
                        payload.to_string(),
                        vec![file],
                    )
                    .await?
            }
        };
        Ok(posted.id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_and_differ() {
        let a = nonce("crossroads-digest:discord:1:2026-W47");
        assert_eq!(a.len(), 25);
        assert_ne!(a, nonce("crossroads-digest:discord:1:2026-W48"));
    }

    #[test]
    fn user_text_cannot_ping_or_format() {
        let out = DiscordStyle.escape("@everyone <@&12> **bold** [x](http://e)");
        assert!(!out.contains("@everyone") && !out.contains("<@&"), "{out}");
        assert!(out.contains("\\*\\*bold"));
    }
}

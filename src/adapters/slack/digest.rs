//! Posts the weekly digest in a Slack channel: a Block Kit message (header, then one section
//! per part of the digest), then the chart as a PNG shared in the digest's thread through the
//! external upload flow. Asker names are `<@U…>` mentions (Slack shows the name, and notifies
//! that user once: that is what "being named" means on Slack, and opting out prevents it);
//! everything users wrote is escaped, so `<!channel>` or `<!here>` in a quote never pings.
//! Thread links are Slack permalinks (`chat.getPermalink`).
//!
//! Slack has no idempotency key for `chat.postMessage`: exactly-once rests on the runner's
//! claim. A failed chart upload after the message is posted is logged, not retried, so it can't
//! cause a second digest.

use super::api::{self, WebApi};
use super::escape::{escape, escape_within, link};
use super::poster::{key, split_key};
use super::render::MAX_SECTION_CHARS;
use super::settings::SlackConfig;
use crate::core::digest::{render, text, Digest, Style, TopAnswer};
use crate::jobs::DigestSink;
use async_trait::async_trait;
use slack_morphism::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

pub const CHART_FILE: &str = "digest.png";
/// Slack's limit for a header block's text.
const MAX_HEADER_CHARS: usize = 150;

/// The digest sink for Slack, over the Web API only.
pub fn digest_sink(config: &SlackConfig) -> anyhow::Result<Arc<dyn DigestSink>> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let api = WebApi::new(api::client(&config.api_base)?, &config.bot_token);
    Ok(Arc::new(SlackDigest { api: Arc::new(api) }))
}

struct SlackDigest {
    api: Arc<WebApi>,
}

/// Slack mrkdwn, with thread links from permalinks looked up beforehand.
pub struct SlackStyle {
    /// Permalink per thread or message key (`<channel>:<ts>`).
    pub links: HashMap<String, String>,
}

impl Style for SlackStyle {
    fn bold(&self, text: &str) -> String {
        format!("*{text}*")
    }
    fn escape(&self, text: &str) -> String {
        escape(text)
    }
    fn user(&self, user_id: &str) -> String {
        let safe = !user_id.is_empty() && user_id.chars().all(|c| c.is_ascii_alphanumeric());
        if safe {
            format!("<@{user_id}>")
        } else {
            "a community member".into()
        }
    }
    fn link(&self, a: &TopAnswer, label: &str) -> Option<String> {
        let at = a.thread_id.as_ref().or(a.message_id.as_ref())?;
        self.links.get(at).map(|url| link(url, label))
    }
}

/// The digest's blocks and its fallback text.
pub fn blocks(digest: &Digest, style: &SlackStyle) -> (Vec<SlackBlock>, String) {
    let title = text::title(digest);
    let mut blocks: Vec<SlackBlock> =
        vec![SlackHeaderBlock::new(pt!(escape_within(&title, MAX_HEADER_CHARS))).into()];
    for (i, part) in render(digest, style).split("\n\n").enumerate() {
        let text: String = if part.chars().count() > MAX_SECTION_CHARS {
            part.chars().take(MAX_SECTION_CHARS - 1).collect::<String>() + "…"
        } else {
            part.to_owned()
        };
        blocks.push(
            SlackSectionBlock::new()
                .with_block_id(format!("digest-{i}").into())
                .with_text(md!(text))
                .into(),
        );
    }
    (blocks, title)
}

impl SlackDigest {
    async fn links(&self, digest: &Digest) -> HashMap<String, String> {
        let mut links = HashMap::new();
        for a in &digest.top {
            let Some(at) = a.thread_id.as_ref().or(a.message_id.as_ref()) else {
                continue;
            };
            let Some((channel, ts)) = split_key(at) else {
                continue;
            };
            match self.api.permalink(channel, ts).await {
                Ok(url) => {
                    links.insert(at.clone(), url);
                }
                Err(e) => tracing::debug!(error = %e, "no permalink for a digest thread"),
            }
        }
        links
    }
}

#[async_trait]
impl DigestSink for SlackDigest {
    #[tracing::instrument(skip_all, fields(channel = channel))]
    async fn post_digest(
        &self,
        channel: &str,
        digest: &Digest,
        png: Option<&[u8]>,
        _key: &str,
    ) -> anyhow::Result<String> {
        let style = SlackStyle {
            links: self.links(digest).await,
        };
        let (blocks, fallback) = blocks(digest, &style);
        let ts = self.api.post(channel, None, fallback, Some(blocks)).await?;
        if let Some(png) = png {
            let title = format!("Questions per category, weeks up to {}", digest.week);
            let uploaded = self
                .api
                .upload_file(channel, Some(&ts), CHART_FILE, &title, "image/png", png)
                .await;
            if let Err(e) = uploaded {
                tracing::warn!(error = %format!("{e:#}"), "digest posted without its chart");
            }
        }
        Ok(key(channel, &ts))
    }
}

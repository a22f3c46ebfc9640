//! Posts an answer as Block Kit in the question's thread. Message ids are `<channel>:<ts>`,
//! unique per workspace; a thread is named by its parent's id.

use super::api::WebApi;
use super::render::{reply_blocks, reply_fallback};
use crate::core::{Answer, Posted, Poster};
use crate::store::StoredQuestion;
use async_trait::async_trait;
use std::sync::Arc;

/// `<channel>:<ts>`, how Slack messages and threads are keyed in the store.
pub fn key(channel: &str, ts: &str) -> String {
    format!("{channel}:{ts}")
}

/// `(channel, ts)` from a key.
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    key.split_once(':')
        .filter(|(c, t)| !c.is_empty() && !t.is_empty())
}

/// Where the answer to `q` goes: the thread it was asked in, else a thread on the question.
pub fn thread_of(q: &StoredQuestion) -> anyhow::Result<(&str, &str)> {
    let id = q.thread_id.as_deref().unwrap_or(&q.message_id);
    split_key(id).ok_or_else(|| anyhow::anyhow!("question {} has a malformed Slack id", q.id))
}

pub struct ThreadPoster {
    api: Arc<WebApi>,
}

impl ThreadPoster {
    pub fn new(api: Arc<WebApi>) -> Self {
        Self { api }
    }
}

#[async_trait]
impl Poster for ThreadPoster {
    async fn post(&self, q: &StoredQuestion, answer: &Answer) -> anyhow::Result<Posted> {
        let (channel, thread_ts) = thread_of(q)?;
        let blocks = reply_blocks(&answer.reply, q.id);
        let text = reply_fallback(&answer.reply);
        let ts = self
            .api
            .post(channel, Some(thread_ts), text, Some(blocks))
            .await?;
        Ok(Posted {
            channel: channel.to_owned(),
            thread_id: Some(key(channel, thread_ts)),
            message_ids: vec![key(channel, &ts)],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        assert_eq!(
            split_key(&key("C1", "1700000000.000100")),
            Some(("C1", "1700000000.000100"))
        );
        assert_eq!(split_key("C1"), None);
        assert_eq!(split_key(":1.2"), None);
    }
}

//! Remembers, in memory only, where an answer was posted, so the asker can be sent a link
//! (DMs, `/ask`) without storing anything that points back at them.

use crate::core::{Answer, Posted, Poster};
use crate::store::StoredQuestion;
use async_trait::async_trait;
use std::sync::Mutex;

pub struct Capture<'a> {
    inner: &'a dyn Poster,
    posted: Mutex<Option<Posted>>,
}

impl<'a> Capture<'a> {
    pub fn new(inner: &'a dyn Poster) -> Self {
        Self {
            inner,
            posted: Mutex::new(None),
        }
    }

    pub fn posted(&self) -> Option<Posted> {
        self.posted.lock().expect("poisoned").clone()
    }
}

#[async_trait]
impl Poster for Capture<'_> {
    async fn post(&self, question: &StoredQuestion, answer: &Answer) -> anyhow::Result<Posted> {
        let posted = self.inner.post(question, answer).await?;
        *self.posted.lock().expect("poisoned") = Some(posted.clone());
        Ok(posted)
    }
}

/// A link to the answer: its thread, or the reply message when there is no thread.
pub fn link(guild: &str, posted: &Posted) -> String {
    match (&posted.thread_id, posted.message_ids.first()) {
        (Some(thread), _) => format!("https://discord.com/channels/{guild}/{thread}"),
        (None, Some(message)) => {
            format!(
                "https://discord.com/channels/{guild}/{}/{message}",
                posted.channel
            )
        }
        (None, None) => format!("https://discord.com/channels/{guild}/{}", posted.channel),
    }
}

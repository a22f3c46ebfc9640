//! The moderators' `digest-now` chat command, answered by the digest runner: it posts the past
//! week's digest to the channel now, or says why not (already posted, not configured...).

use super::{DigestRunner, RunOutcome};
use crate::core::curation::DigestTrigger;
use async_trait::async_trait;

#[async_trait]
impl DigestTrigger for DigestRunner {
    async fn post_now(&self, platform: &str, channel: &str) -> anyhow::Result<String> {
        // Never forced from chat: a week already posted stays posted once.
        let (key, outcome) = DigestRunner::post_now(self, Some(platform), channel, false).await?;
        Ok(match outcome {
            RunOutcome::Posted { .. } => format!("Posted the digest for {}.", key.week),
            RunOutcome::Skipped => format!(
                "{} was a quiet week and this channel skips quiet weeks: nothing posted.",
                key.week
            ),
            other => format!("Nothing posted for {} ({other:?}).", key.week),
        })
    }
}

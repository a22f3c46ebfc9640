//! Answers questions that were stored but never answered: after a crash, while Slack was down,
//! or when another instance died mid-answer. Runs at startup and every 30 seconds.
//!
//! Questions this process is answering right now are skipped. Otherwise the replay could claim
//! a question in the moment between a live task storing and claiming it; the replay would answer
//! it (once), but the live task would not know, and an anonymous asker would never get the link.

use super::app::Slack;
use super::events::PLATFORM;
use crate::core::Outcome;
use crate::domain::now_ms;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often stored-but-unanswered questions are looked for.
const REPLAY_EVERY: Duration = Duration::from_secs(30);
/// How long handled DM event ids are remembered (Slack retries within about an hour).
const EVENT_MEMORY_MS: i64 = 24 * 60 * 60 * 1000;

/// Message ids of the questions live tasks are working on.
#[derive(Default)]
pub struct InFlight(Mutex<HashSet<String>>);

/// Marks a message id in flight until dropped.
pub struct Entered<'a> {
    set: &'a InFlight,
    id: String,
}

impl InFlight {
    pub fn enter(&self, id: &str) -> Entered<'_> {
        self.0.lock().expect("in-flight lock").insert(id.to_owned());
        Entered {
            set: self,
            id: id.to_owned(),
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.0.lock().expect("in-flight lock").contains(id)
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.set.0.lock().expect("in-flight lock").remove(&self.id);
    }
}

impl Slack {
    /// Answers stored questions that were never answered. Returns how many were answered now.
    pub async fn replay_pending(&self) -> anyhow::Result<usize> {
        let mut answered = 0;
        for q in self.store().unanswered_questions(PLATFORM).await? {
            if self.inflight.contains(&q.message_id) {
                continue;
            }
            match self.replay.process(&q, &self.poster).await {
                Ok(Outcome::Answered(_)) => answered += 1,
                Ok(_) => {}
                Err(e) => tracing::warn!(question = q.id, error = %e, "replay failed; will retry"),
            }
        }
        Ok(answered)
    }

    pub(super) fn spawn_replay_loop(self: &Arc<Self>) -> JoinHandle<()> {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(REPLAY_EVERY);
            loop {
                tick.tick().await;
                let Some(this) = weak.upgrade() else { break };
                match this.replay_pending().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(n, "answered questions left unanswered earlier"),
                    Err(e) => tracing::warn!(error = %e, "replaying unanswered questions failed"),
                }
                let forget = this
                    .store()
                    .forget_events_before(now_ms() - EVENT_MEMORY_MS);
                if let Err(e) = forget.await {
                    tracing::warn!(error = %e, "forgetting old event ids failed");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_lasts_as_long_as_the_guard() {
        let set = InFlight::default();
        {
            let _a = set.enter("C1:1.0");
            assert!(set.contains("C1:1.0"));
        }
        assert!(!set.contains("C1:1.0"));
    }
}

//! Acts on what `events.rs` decided, with the rules that need the store. As on Discord: a
//! question too short to answer gets a hint (only the asker sees it); in a thread the bot
//! answered, only the asker's follow-ups (or replies that mention the bot) are answered, up to
//! `max_thread_replies` bot replies, with the thread's first question given as context.

use super::app::Slack;
use super::events::{intake, Context, Intake, PLATFORM};
use super::poster::split_key;
use crate::core::Inbound;
use crate::domain::MAX_QUESTION_CHARS;
use slack_morphism::prelude::*;
use std::sync::Arc;

impl Slack {
    /// Takes an event and returns at once; the work happens after the acknowledgement.
    pub(super) fn accept_push(self: &Arc<Self>, cb: SlackPushEventCallback) {
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(e) = this.on_push(cb).await {
                tracing::warn!(error = %e, "handling a Slack event failed");
            }
        });
    }

    async fn on_push(&self, cb: SlackPushEventCallback) -> anyhow::Result<()> {
        let ctx = Context {
            bot_user: &self.me.user_id,
            channels: &self.config.channels,
        };
        match intake(&cb, &ctx) {
            Intake::Question(inbound) => self.question(inbound).await,
            Intake::InThread { inbound, mentioned } => self.in_thread(inbound, mentioned).await,
            Intake::Direct { dm_channel, text } => {
                if !self
                    .store()
                    .remember_event(PLATFORM, &cb.event_id.0)
                    .await?
                {
                    tracing::debug!("DM event already handled");
                    return Ok(());
                }
                self.ask_anonymously(&cb.team_id.0, &text, &dm_channel, None)
                    .await
            }
            Intake::Ignore(why) => {
                tracing::trace!(why, "ignored a Slack event");
                Ok(())
            }
        }
    }

    async fn question(&self, inbound: Inbound) -> anyhow::Result<()> {
        if self.too_short(&inbound.text) {
            return self.hint_to(&inbound).await;
        }
        self.ask(inbound).await.map(drop)
    }

    async fn in_thread(&self, mut inbound: Inbound, mentioned: bool) -> anyhow::Result<()> {
        let thread = inbound.thread_id.clone().unwrap_or_default();
        let store = self.store();
        let Some(first) = store.thread_question(PLATFORM, &thread).await? else {
            // Not a thread the bot answered: only calling it by name makes this a question.
            return if mentioned {
                self.question(inbound).await
            } else {
                Ok(())
            };
        };
        if first.author_id != inbound.author_id && !mentioned {
            return Ok(()); // someone else's conversation
        }
        if store.thread_answer_count(PLATFORM, &thread).await? >= self.config.max_thread_replies {
            return Ok(()); // left to people from here
        }
        if self.too_short(&inbound.text) {
            return Ok(()); // "thanks!"
        }
        inbound.text = with_context(&first.text, &inbound.text);
        self.ask(inbound).await.map(drop)
    }

    pub(super) fn too_short(&self, text: &str) -> bool {
        text.trim().chars().count() < self.config.min_question_chars
    }

    pub(super) fn hint(&self) -> String {
        format!(
            "Hi! I answer career questions: changing roles, quitting, contract pressure and the \
             like. Could you ask it in a sentence or two ({} characters or more)? For example: \
             \"My employer wants me to extend my notice period, do I have to?\"",
            self.config.min_question_chars
        )
    }

    /// The hint, shown only to the asker, where they asked.
    async fn hint_to(&self, inbound: &Inbound) -> anyhow::Result<()> {
        let Some(user) = inbound.author_id.as_deref() else {
            return Ok(());
        };
        let thread_ts = inbound
            .thread_id
            .as_deref()
            .and_then(split_key)
            .map(|(_, ts)| ts);
        self.api
            .post_ephemeral(&inbound.channel, user, thread_ts, self.hint())
            .await
    }
}

/// A follow-up with the question that opened the thread before it, within the length limit.
fn with_context(first: &str, follow_up: &str) -> String {
    let room = MAX_QUESTION_CHARS.saturating_sub(follow_up.chars().count() + 2);
    let first: String = first.chars().take(room).collect();
    format!("{first}\n\n{follow_up}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keeps_the_follow_up_whole_and_fits() {
        assert_eq!(
            with_context("Should I quit?", "And my bonus?"),
            "Should I quit?\n\nAnd my bonus?"
        );
        let text = with_context(&"x".repeat(MAX_QUESTION_CHARS), "And my bonus?");
        assert!(text.chars().count() <= MAX_QUESTION_CHARS);
        assert!(text.ends_with("\n\nAnd my bonus?"));
    }
}

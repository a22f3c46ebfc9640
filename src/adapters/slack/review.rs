//! The review queue on Slack.
//!
//! **Posting (an outbox).** New items are posted to `mod_channel`: each is claimed with a lease
//! (`claim_review_post`), posted, and its message recorded (`record_review_posted`), so two
//! instances never both post one, and an item whose post failed is tried again. This runs after
//! every answer and vote that may have queued something, and in a loop (at startup, then every
//! 30 s) that first sweeps for unanswered questions and snippets due for review.
//!
//! **Buttons.** Dismiss resolves at once; Answer with snippet and Recategorize open a small
//! modal (prefilled with the top suggestion, or the question's category) whose submission
//! resolves. `Curation::resolve_item` checks rights and lets exactly one moderator win; the
//! others are told who did. The item's message is then updated to say so, without buttons
//! (best effort: the resolution is recorded either way).

use super::advice::SlackMods;
use super::app::Slack;
use super::events::PLATFORM;
use super::forms::{read_review, review_error, review_modal, ReviewMeta};
use super::poster::{key, split_key};
use super::review_render::{
    item_blocks, review_action, QuestionContext, Resolved, ANSWER, DISMISS,
};
use crate::core::curation::{self, queue, ItemAction, Response, NOT_ALLOWED};
use crate::domain::{now_ms, UserError};
use slack_morphism::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

const SWEEP_EVERY: Duration = Duration::from_secs(30);
/// How long an instance may take to post one item before another may.
const POST_LEASE_MS: i64 = 2 * 60 * 1000;

impl Slack {
    /// Wakes the review loop to post whatever is new.
    pub(super) fn post_reviews_soon(&self) {
        self.review_wake.notify_one();
    }

    /// Sweeps the queue, then posts every unposted item to `mod_channel`. Returns how many
    /// were posted now. Nothing happens without a `mod_channel`.
    pub async fn post_reviews(&self, sweep: bool) -> anyhow::Result<usize> {
        let Some(channel) = self.config.mod_channel.as_deref() else {
            return Ok(0);
        };
        let store = self.store();
        if sweep {
            queue::sweep(&**store, self.curation.settings(), PLATFORM, now_ms()).await?;
        }
        let mut posted = 0;
        for item in store.unposted_review_items(PLATFORM).await? {
            let id = item.id;
            if !store
                .claim_review_post(id, &self.instance, now_ms() + POST_LEASE_MS)
                .await?
            {
                continue;
            }
            let view = self.curation.item_view(item).await?;
            let ctx = self.question_context(&view).await;
            let (text, blocks) = item_blocks(&view, &ctx, None);
            match self.api.post(channel, None, text, Some(blocks)).await {
                Ok(ts) => {
                    store
                        .record_review_posted(id, channel, &key(channel, &ts))
                        .await?;
                    posted += 1;
                }
                Err(e) => tracing::warn!(item = id, error = %e, "posting a review item failed"),
            }
        }
        Ok(posted)
    }

    /// The question's permalink and, unless anonymous, its author's name (best effort).
    async fn question_context(&self, view: &curation::ItemView) -> QuestionContext {
        let Some(q) = &view.question else {
            return QuestionContext::default();
        };
        let permalink = match split_key(&q.message_id) {
            Some((c, ts)) => self.api.permalink(c, ts).await.ok(),
            None => None,
        };
        let author = match (&q.author_id, q.anonymous) {
            (Some(a), false) => self.api.user_name(a).await.ok(),
            _ => None,
        };
        QuestionContext { permalink, author }
    }

    pub(super) fn spawn_review_loop(self: &Arc<Self>) -> JoinHandle<()> {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SWEEP_EVERY);
            let Some(mut resolved) = weak.upgrade().map(|s| s.curation.resolved_items()) else {
                return;
            };
            // The wake handle is taken afresh each round, so the loop holds no strong reference
            // while it waits and ends once the adapter is gone.
            while let Some(wake) = weak.upgrade().map(|s| s.review_wake.clone()) {
                let sweep = tokio::select! {
                    _ = tick.tick() => true,
                    _ = wake.notified() => false,
                    item = resolved.recv() => {
                        // Resolved by `/advice answer` or `recategorize`: update its message.
                        let (Ok(item), Some(this)) = (item, weak.upgrade()) else { continue };
                        if let Err(e) = this.show_resolved(item).await {
                            tracing::warn!(item, error = %e, "could not update a resolved review item");
                        }
                        continue;
                    }
                };
                let Some(this) = weak.upgrade() else { break };
                match this.post_reviews(sweep).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(n, "posted review items"),
                    Err(e) => tracing::warn!(error = %e, "posting the review queue failed"),
                }
            }
        })
    }

    /// A review button: Dismiss resolves now; the other two open their modal.
    pub(super) async fn review_button(
        &self,
        user: &str,
        channel: &str,
        trigger: &str,
        action: &str,
        item: i64,
    ) -> anyhow::Result<()> {
        let actor = self.actor(user).await;
        if action == DISMISS {
            return self
                .resolve(user, channel, item, ItemAction::Dismiss)
                .await
                .map(drop);
        }
        if !self
            .curation
            .allowed(&actor, "review.resolve", &item.to_string())
            .await?
        {
            return self.tell(channel, user, NOT_ALLOWED).await;
        }
        let store = self.store();
        let Some(it) = store
            .review_item(item)
            .await?
            .filter(|i| i.platform == PLATFORM)
        else {
            return self
                .tell(channel, user, &format!("No review item {item}."))
                .await;
        };
        if let (Some(by), Some(how)) = (&it.resolved_by, &it.resolution) {
            return self
                .tell(channel, user, &format!("Already resolved by {by}: {how}."))
                .await;
        }
        let view = self.curation.item_view(it).await?;
        let (hint, initial) = if action == ANSWER {
            let list: Vec<String> = view
                .suggestions
                .iter()
                .map(|(id, t)| format!("`{id}` {t}"))
                .collect();
            let first = view
                .suggestions
                .first()
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            (format!("Suggested: {}", list.join(" · ")), first)
        } else {
            let cats: Vec<String> = self
                .curation
                .engine()
                .category_ids()
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect();
            (
                format!("Categories: {}, other", cats.join(", ")),
                String::new(),
            )
        };
        let meta = ReviewMeta {
            item,
            action: if action == ANSWER {
                "answer"
            } else {
                "recategorize"
            }
            .into(),
            channel: channel.to_owned(),
        };
        let hint = super::escape::escape(&hint);
        self.api
            .open_view(trigger, review_modal(&meta, &hint, &initial))
            .await
    }

    /// A submitted Answer / Recategorize form. `Err` keeps the modal open with the error.
    pub(super) async fn review_submitted(
        &self,
        user: &str,
        view: &SlackStatefulView,
    ) -> Result<(), HashMap<String, String>> {
        let Some((meta, value)) = read_review(view) else {
            return Ok(());
        };
        let action = match meta.action.as_str() {
            "answer" => ItemAction::Answer(value),
            _ => ItemAction::Recategorize(value),
        };
        match self.resolve(user, &meta.channel, meta.item, action).await {
            Ok(()) => Ok(()),
            Err(e) if e.is::<UserError>() => Err(review_error(&curation::user_message(&e))),
            Err(e) => {
                tracing::warn!(error = %e, "resolving a review item failed");
                Err(review_error(&curation::user_message(&e)))
            }
        }
    }

    /// Resolves `item` for `user` and tells them the outcome; user mistakes come back as
    /// `UserError` (for the modal), after which nothing was resolved.
    async fn resolve(
        &self,
        user: &str,
        channel: &str,
        item: i64,
        action: ItemAction,
    ) -> anyhow::Result<()> {
        let actor = self.actor(user).await;
        let mods = SlackMods {
            slack: self,
            channel,
        };
        let is_dismiss = action == ItemAction::Dismiss;
        let text = match self
            .curation
            .resolve_item(&actor, item, action, &mods)
            .await
        {
            Ok(Response::Text(t)) => t,
            Ok(Response::Form(_)) => String::new(),
            Err(e) if !is_dismiss && e.is::<UserError>() => return Err(e),
            Err(e) => curation::user_message(&e),
        };
        self.tell(channel, user, &text).await?;
        if let Err(e) = self.show_resolved(item).await {
            tracing::warn!(item, error = %e, "updating a resolved review item failed");
        }
        Ok(())
    }

    /// Rewrites a resolved item's message: who resolved it and how, no buttons.
    async fn show_resolved(&self, item: i64) -> anyhow::Result<()> {
        let Some(it) = self.store().review_item(item).await? else {
            return Ok(());
        };
        if it.platform != super::PLATFORM {
            return Ok(());
        }
        let (Some(by), Some(how), Some(posted)) = (
            it.resolved_by.clone(),
            it.resolution.clone(),
            it.posted_message_id.clone(),
        ) else {
            return Ok(());
        };
        let Some((channel, ts)) = split_key(&posted) else {
            return Ok(());
        };
        let view = self.curation.item_view(it).await?;
        let ctx = self.question_context(&view).await;
        let done = Resolved {
            by: &by,
            resolution: &how,
        };
        let (text, blocks) = item_blocks(&view, &ctx, Some(done));
        self.api.update(channel, ts, text, blocks).await
    }
}

/// The review button among a block_actions payload's actions, if any.
pub fn find_review_action(ev: &SlackInteractionBlockActionsEvent) -> Option<(&'static str, i64)> {
    ev.actions
        .iter()
        .flatten()
        .find_map(|a| review_action(&a.action_id.0, a.value.as_deref()))
}

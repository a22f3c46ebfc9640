//! The review queue: what moderators should look at, and resolving it once.
//!
//! Items come from four places, each enqueued idempotently by a key (so replays, repeated
//! votes and a second instance add nothing):
//! - `after_answer`: the bot abstained, or its confidence was below `low_confidence`;
//! - `record_vote`: a Not helpful vote or a flag on an answer;
//! - `sweep`: questions still unanswered `unanswered_after_secs` after they arrived, and
//!   approved snippets whose last review is older than `review_every_days`.
//!
//! Adapters post new items to the moderators' channel (an outbox: `unposted_review_items`,
//! claimed with a lease, then the message id recorded), with Answer / Recategorize / Dismiss
//! buttons that call `resolve_item`. The first moderator's resolution wins, in one
//! conditional UPDATE; everyone after is told who resolved it and how.

use super::{Curation, ModPlatform, Response};
use crate::core::engine::Answer;
use crate::domain::{Actor, QuestionText, ReplyKind, SnippetStatus, UserError};
use crate::store::{NewReviewItem, Resolve, ReviewItem, ReviewKind, Store, StoredQuestion, Vote};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewSettings {
    /// Answers below this confidence go to the queue (abstentions always do).
    pub low_confidence: f32,
    /// A question still unanswered this long after it arrived goes to the queue.
    pub unanswered_after_secs: i64,
    /// An approved snippet is due for review this many days after its last review.
    pub review_every_days: i64,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        Self {
            low_confidence: 0.5,
            unanswered_after_secs: 600,
            review_every_days: 180,
        }
    }
}

/// Enqueues a question the bot abstained on or was unsure about. Returns the new item's id.
pub async fn after_answer(
    store: &dyn Store,
    settings: &ReviewSettings,
    question: &StoredQuestion,
    answer: &Answer,
) -> anyhow::Result<Option<i64>> {
    let c = &answer.classification;
    let detail = if answer.reply.kind == ReplyKind::Abstain {
        format!(
            "The bot abstained (best guess {}, confidence {:.2}).",
            c.primary.as_str(),
            c.confidence
        )
    } else if c.confidence < settings.low_confidence {
        format!(
            "Low confidence: {} at {:.2}.",
            c.primary.as_str(),
            c.confidence
        )
    } else {
        return Ok(None);
    };
    let item = NewReviewItem {
        platform: question.platform.clone(),
        kind: ReviewKind::LowConfidence,
        dedupe_key: format!("q:{}", question.id),
        question_id: Some(question.id),
        snippet_id: None,
        detail,
    };
    Ok(store.enqueue_review(&item).await?)
}

/// Records `user`'s vote on an answer, then queues the answer for review if the vote was Not
/// helpful or a flag. Queueing is best effort: the vote counts whatever the queue does.
/// Returns true when a new item was queued (the adapter then posts it).
pub async fn record_vote(
    store: &dyn Store,
    platform: &str,
    answer_id: i64,
    user: &str,
    vote: Vote,
) -> anyhow::Result<bool> {
    store.record_vote(answer_id, user, vote).await?;
    match after_vote(store, platform, answer_id, vote).await {
        Ok(queued) => Ok(queued.is_some()),
        Err(e) => {
            tracing::warn!(error = %e, "could not queue the vote for review");
            Ok(false)
        }
    }
}

/// Enqueues an answer that got a Not helpful vote or a flag.
async fn after_vote(
    store: &dyn Store,
    platform: &str,
    answer_id: i64,
    vote: Vote,
) -> anyhow::Result<Option<i64>> {
    let (kind, what) = match vote {
        Vote::Helpful => return Ok(None),
        Vote::NotHelpful => (ReviewKind::NotHelpful, "was voted Not helpful"),
        Vote::Flag => (ReviewKind::Flagged, "was flagged"),
    };
    let question_id = store.question_for_answer(answer_id).await?;
    let item = NewReviewItem {
        platform: platform.to_owned(),
        kind,
        dedupe_key: format!("a:{answer_id}:{}", kind.as_str()),
        question_id,
        snippet_id: None,
        detail: format!("The bot's answer {what}."),
    };
    Ok(store.enqueue_review(&item).await?)
}

/// Enqueues unanswered questions and snippets due for review. Returns how many were new.
pub async fn sweep(
    store: &dyn Store,
    settings: &ReviewSettings,
    platform: &str,
    now_ms: i64,
) -> anyhow::Result<usize> {
    let mut added = 0;
    let before = now_ms - settings.unanswered_after_secs * 1000;
    for q in store.stale_questions(platform, before).await? {
        let item = NewReviewItem {
            platform: platform.to_owned(),
            kind: ReviewKind::Unanswered,
            dedupe_key: format!("u:{}", q.id),
            question_id: Some(q.id),
            snippet_id: None,
            detail: "This question got no reply.".into(),
        };
        added += usize::from(store.enqueue_review(&item).await?.is_some());
    }
    let today = chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    for s in store.snippets().await? {
        let Ok(reviewed) = chrono::NaiveDate::parse_from_str(&s.reviewed, "%Y-%m-%d") else {
            continue;
        };
        if s.status != SnippetStatus::Approved
            || (today - reviewed).num_days() <= settings.review_every_days
        {
            continue;
        }
        let item = NewReviewItem {
            platform: platform.to_owned(),
            kind: ReviewKind::ReviewDue,
            dedupe_key: format!("s:{}:{}", s.id, s.reviewed),
            question_id: None,
            snippet_id: Some(s.id.clone()),
            detail: format!("Snippet `{}` was last reviewed on {}.", s.id, s.reviewed),
        };
        added += usize::from(store.enqueue_review(&item).await?.is_some());
    }
    Ok(added)
}

/// What a review item shows in the moderators' channel. Anonymous questions show their text
/// only: no author is stored for them.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    pub item: ReviewItem,
    pub question: Option<StoredQuestion>,
    /// Approved snippets that fit the question, best first (id, title).
    pub suggestions: Vec<(String, String)>,
}

/// How a moderator resolves an item from its buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemAction {
    Answer(String),
    Recategorize(String),
    Dismiss,
}

impl Curation {
    /// The view of an item, for posting it.
    pub async fn item_view(&self, item: ReviewItem) -> anyhow::Result<ItemView> {
        let store = self.engine.store();
        let question = match item.question_id {
            Some(id) => store.question(id).await?,
            None => None,
        };
        let suggestions = match question.as_ref().map(|q| QuestionText::parse(&q.text)) {
            Some(Ok(text)) => self
                .engine
                .suggest(&text, 3)
                .iter()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect(),
            _ => Vec::new(),
        };
        Ok(ItemView {
            item,
            question,
            suggestions,
        })
    }

    /// Resolves item `id` with `action`, once. The action's input is checked first, then the
    /// item is claimed for this moderator, then the action runs; if it fails, the item is
    /// reopened.
    pub async fn resolve_item(
        &self,
        actor: &Actor,
        id: i64,
        action: ItemAction,
        platform: &dyn ModPlatform,
    ) -> anyhow::Result<Response> {
        if !self
            .allowed(actor, "review.resolve", &id.to_string())
            .await?
        {
            return Ok(Response::Text(super::NOT_ALLOWED.into()));
        }
        let store = self.engine.store();
        let item = store
            .review_item(id)
            .await?
            .filter(|i| i.platform == actor.platform)
            .ok_or_else(|| UserError::new(format!("no review item {id}")))?;
        let question = match item.question_id {
            Some(q) => store.question(q).await?,
            None => None,
        };
        let resolution = match &action {
            ItemAction::Dismiss => "dismissed".to_owned(),
            ItemAction::Answer(s) => {
                if question.is_none() {
                    return Err(UserError::new("this item has no question to answer").into());
                }
                format!("answered with {s}")
            }
            ItemAction::Recategorize(c) => {
                if question.is_none() {
                    return Err(UserError::new("this item has no question to recategorize").into());
                }
                format!("recategorized as {}", self.known_category(c)?.as_str())
            }
        };
        match store
            .resolve_review(id, &actor.audit_name(), &resolution)
            .await?
        {
            Resolve::Done => {}
            Resolve::Already { by, resolution } => {
                return Ok(Response::Text(format!(
                    "Already resolved by {by}: {resolution}."
                )))
            }
            Resolve::NotFound => return Err(UserError::new(format!("no review item {id}")).into()),
        }
        let done = match (&action, &question) {
            (ItemAction::Answer(s), Some(q)) => self.answer(actor, q, s, platform).await,
            (ItemAction::Recategorize(c), Some(q)) => self.recategorize(actor, q, c).await,
            _ => Ok(format!("Item {id} dismissed.")),
        };
        match done {
            Ok(text) => {
                self.audit(actor, "review.resolve", &id.to_string(), &resolution)
                    .await?;
                Ok(Response::Text(text))
            }
            Err(e) => {
                store.reopen_review(id).await?;
                Err(e)
            }
        }
    }

    /// The next open items, one line each.
    pub(super) async fn queue_text(&self, platform: &str) -> anyhow::Result<String> {
        let items = self.engine.store().open_review_items(platform, 10).await?;
        if items.is_empty() {
            return Ok("The review queue is empty.".into());
        }
        let lines: Vec<String> = items
            .iter()
            .map(|i| {
                let target = match (i.question_id, &i.snippet_id) {
                    (Some(q), _) => format!("question #{q}"),
                    (None, Some(s)) => format!("snippet `{s}`"),
                    _ => String::new(),
                };
                format!("item {} · {} · {target} · {}", i.id, i.kind, i.detail)
            })
            .collect();
        Ok(lines.join("\n"))
    }
}

//! The moderators' side of the store: the review queue, moderator answers, corrections and
//! digest opt-outs. A sub-trait of `Store`, implemented for both backends by `review_sql!`, with
//! the same shared SQL as `sql.rs` (in `review_sql.rs`).

use super::{Result, StoredQuestion};
use async_trait::async_trait;

/// Why an item is in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    /// The bot abstained or was unsure.
    LowConfidence,
    NotHelpful,
    Flagged,
    /// Stored but never answered.
    Unanswered,
    /// An approved snippet past its review-by date.
    ReviewDue,
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LowConfidence => "low_confidence",
            Self::NotHelpful => "not_helpful",
            Self::Flagged => "flagged",
            Self::Unanswered => "unanswered",
            Self::ReviewDue => "review_due",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::LowConfidence,
            Self::NotHelpful,
            Self::Flagged,
            Self::Unanswered,
            Self::ReviewDue,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewReviewItem {
    pub platform: String,
    pub kind: ReviewKind,
    /// Enqueueing the same key twice on one platform adds nothing.
    pub dedupe_key: String,
    pub question_id: Option<i64>,
    pub snippet_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReviewItem {
    pub id: i64,
    pub platform: String,
    pub kind: String,
    pub question_id: Option<i64>,
    pub snippet_id: Option<String>,
    pub detail: String,
    pub created_at: i64,
    pub posted_channel: Option<String>,
    pub posted_message_id: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub resolution: Option<String>,
}

/// The outcome of trying to resolve a review item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolve {
    /// This caller resolved it.
    Done,
    /// Someone resolved it first.
    Already {
        by: String,
        resolution: String,
    },
    NotFound,
}

#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// Adds an item unless its (platform, dedupe key) is known; returns the new id.
    async fn enqueue_review(&self, item: &NewReviewItem) -> Result<Option<i64>>;
    async fn review_item(&self, id: i64) -> Result<Option<ReviewItem>>;
    /// Unresolved items on `platform`, oldest first.
    async fn open_review_items(&self, platform: &str, limit: i64) -> Result<Vec<ReviewItem>>;
    /// Unresolved items on `platform` not yet posted to the moderators' channel, oldest first.
    async fn unposted_review_items(&self, platform: &str) -> Result<Vec<ReviewItem>>;
    /// Claims posting an item until `until_ms`: true when this caller may post it now.
    async fn claim_review_post(&self, id: i64, owner: &str, until_ms: i64) -> Result<bool>;
    async fn record_review_posted(&self, id: i64, channel: &str, message_id: &str) -> Result<()>;
    /// Resolves an item once: the first caller wins, later ones learn who did.
    async fn resolve_review(&self, id: i64, by: &str, resolution: &str) -> Result<Resolve>;
    /// Reopens an item whose resolving action failed.
    async fn reopen_review(&self, id: i64) -> Result<()>;
    /// Resolves every open item about `question_id` (it was answered or recategorized); returns
    /// the ids it resolved.
    async fn resolve_reviews_for_question(
        &self,
        question_id: i64,
        by: &str,
        resolution: &str,
    ) -> Result<Vec<i64>>;

    async fn question_by_message(
        &self,
        platform: &str,
        message_id: &str,
    ) -> Result<Option<StoredQuestion>>;
    /// The question an answer row belongs to.
    async fn question_for_answer(&self, answer_id: i64) -> Result<Option<i64>>;
    /// Questions on `platform` still pending that were received before `before_ms`.
    async fn stale_questions(&self, platform: &str, before_ms: i64) -> Result<Vec<StoredQuestion>>;
    /// Files a question under `category` (a moderator's correction).
    async fn set_question_category(&self, question_id: i64, category: &str) -> Result<()>;

    /// Reserves the moderator answer for a question: `Err(moderator)` names who already
    /// answered it. Marks the question answered.
    async fn begin_mod_answer(
        &self,
        question_id: i64,
        snippet_id: &str,
        moderator: &str,
    ) -> Result<std::result::Result<(), String>>;
    async fn finish_mod_answer(&self, question_id: i64, message_ids: &[String]) -> Result<()>;
    /// Withdraws a reservation whose post failed, so it can be tried again.
    async fn cancel_mod_answer(&self, question_id: i64) -> Result<()>;

    /// Deletes a training example (a correction being replaced).
    async fn remove_example(&self, id: &str) -> Result<()>;

    /// Opts a user out of (or back into) being named or quoted in the digest.
    async fn set_opt_out(&self, platform: &str, user_id: &str, out: bool) -> Result<()>;
    async fn is_opted_out(&self, platform: &str, user_id: &str) -> Result<bool>;
}

//! The one flow every platform shares: store the question first, claim it, answer, post,
//! record what was posted.
//!
//! - Storing is keyed by (platform, message id): a retry, a gateway replay or a second instance
//!   inserting the same key gets `Duplicate` and does nothing.
//! - Before any work an instance claims the question with a lease. Two instances never work on
//!   the same question at once; a crashed instance's lease expires and `replay_pending` (run at
//!   startup and periodically) picks the question up, so nothing is dropped.
//! - The answer row is unique per question, so even a slow instance that lost its lease cannot
//!   record a second answer. The one window left (posted, then crashed before recording) is
//!   closed by the adapters: they post with a platform idempotency key where one exists.

use super::curation::{queue, ReviewSettings};
use super::engine::{Answer, Engine};
use crate::domain::{now_ms, QuestionText, UserError};
use crate::store::{NewAnswer, StoredQuestion};
use async_trait::async_trait;
use std::sync::Arc;

/// A question as an adapter received it, platform-neutral: exactly what is stored.
pub use crate::store::NewQuestion as Inbound;

/// Where a reply went.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Posted {
    pub channel: String,
    pub thread_id: Option<String>,
    pub message_ids: Vec<String>,
}

/// The platform side of the flow: renders and posts a reply.
#[async_trait]
pub trait Poster: Send + Sync {
    async fn post(&self, question: &StoredQuestion, answer: &Answer) -> anyhow::Result<Posted>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Already stored: a retry or replay. Nothing was done.
    Duplicate,
    /// Another instance holds the claim.
    ClaimedElsewhere,
    /// Answered; the id of the answer row.
    Answered(i64),
}

pub struct Pipeline {
    engine: Arc<Engine>,
    review: ReviewSettings,
    /// Identifies this process in claims.
    instance: String,
    lease_ms: i64,
}

impl Pipeline {
    pub fn new(engine: Arc<Engine>, instance: impl Into<String>, lease_ms: i64) -> Self {
        Self {
            engine,
            review: ReviewSettings::default(),
            instance: instance.into(),
            lease_ms,
        }
    }

    /// When answers go to the moderators' review queue.
    pub fn with_review(mut self, review: ReviewSettings) -> Self {
        self.review = review;
        self
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Stores the question, then answers it. Invalid text is refused before anything is stored.
    pub async fn receive(&self, inbound: Inbound, poster: &dyn Poster) -> anyhow::Result<Outcome> {
        let text = QuestionText::parse(&inbound.text)?;
        let q = Inbound {
            text: text.as_str().to_owned(),
            ..inbound
        };
        let store = self.engine.store();
        let Some(id) = store.record_question(&q).await? else {
            tracing::debug!(platform = %q.platform, "question already stored; ignoring");
            return Ok(Outcome::Duplicate);
        };
        let stored = store
            .question(id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("question {id} vanished after insert"))?;
        self.process(&stored, poster).await
    }

    /// Claims, answers, posts and records one stored question.
    #[tracing::instrument(skip_all, fields(question = question.id))]
    pub async fn process(
        &self,
        question: &StoredQuestion,
        poster: &dyn Poster,
    ) -> anyhow::Result<Outcome> {
        let store = self.engine.store();
        let until = now_ms() + self.lease_ms;
        if !store
            .claim_question(question.id, &self.instance, until)
            .await?
        {
            return Ok(Outcome::ClaimedElsewhere);
        }
        let text =
            QuestionText::parse(&question.text).map_err(|e: UserError| anyhow::anyhow!(e))?;
        let answer = self.engine.answer(&text);
        let posted = poster.post(question, &answer).await?;
        let row = answer_row(question.id, &answer, posted);
        match store.record_answer(&row).await? {
            Some(id) => {
                // Best effort: a failed enqueue must not turn a posted answer into a retry.
                if let Err(e) = queue::after_answer(&**store, &self.review, question, &answer).await
                {
                    tracing::warn!(error = %e, "could not add the question to the review queue");
                }
                Ok(Outcome::Answered(id))
            }
            None => {
                tracing::warn!("question was answered by another instance meanwhile");
                Ok(Outcome::ClaimedElsewhere)
            }
        }
    }

    /// Answers questions stored on `platform` but never answered (after a crash or restart).
    /// Returns how many were answered now.
    pub async fn replay_pending(
        &self,
        platform: &str,
        poster: &dyn Poster,
    ) -> anyhow::Result<usize> {
        let mut answered = 0;
        for q in self.engine.store().unanswered_questions(platform).await? {
            match self.process(&q, poster).await {
                Ok(Outcome::Answered(_)) => answered += 1,
                Ok(_) => {}
                Err(e) => tracing::warn!(question = q.id, error = %e, "replay failed; will retry"),
            }
        }
        Ok(answered)
    }
}

/// The answer row for what was posted for a question.
pub(crate) fn answer_row(question_id: i64, answer: &Answer, posted: Posted) -> NewAnswer {
    let c = &answer.classification;
    NewAnswer {
        question_id,
        channel: posted.channel,
        thread_id: posted.thread_id,
        message_ids: posted.message_ids,
        reply_kind: format!("{:?}", answer.reply.kind).to_lowercase(),
        primary_category: c.primary.as_str().to_owned(),
        confidence: f64::from(c.confidence),
        snippet_ids: answer.reply.snippets.iter().map(|s| s.id.clone()).collect(),
    }
}

//! Persistence behind one `Store` trait, with a SQLite and a PostgreSQL implementation that
//! share their SQL (see `sql.rs`). Rows in, rows out: no formatting, no decisions.

mod digest;
mod postgres;
pub mod review;
mod review_sql;
mod sql;
mod sqlite;

use crate::domain::{Category, Example, Knowledge, Snippet, UserError};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

pub use digest::{
    CategoryWeekCount, DigestRun, DigestStore, RunKey, SnippetChangeRow, TopAnswerRow,
};
pub use postgres::PgStore;
pub use review::{NewReviewItem, Resolve, ReviewItem, ReviewKind, ReviewStore};
pub use sqlite::SqliteStore;

pub type Result<T> = std::result::Result<T, sqlx::Error>;

/// Opens (creating and migrating if needed) the database at `url`: `sqlite://PATH`,
/// `sqlite::memory:`, or `postgres://...`. A URL that can't be opened is the user's error.
pub async fn connect(url: &str) -> std::result::Result<Arc<dyn Store>, UserError> {
    let opened: Result<Arc<dyn Store>> = if url.starts_with("sqlite:") {
        SqliteStore::open(url).await.map(|s| Arc::new(s) as _)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        PgStore::open(url).await.map(|s| Arc::new(s) as _)
    } else {
        return Err(UserError::new(format!(
            "unsupported database URL {:?}: use sqlite://PATH or postgres://...",
            redact(url)
        )));
    };
    opened.map_err(|e| UserError::new(format!("cannot open database {}: {e}", redact(url))))
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// A question as received from a platform, before any work is done on it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuestion {
    pub platform: String,
    pub workspace: String,
    pub channel: String,
    /// Unique per platform: a second insert with the same id is a no-op.
    pub message_id: String,
    /// The thread it was asked in, for follow-ups.
    pub thread_id: Option<String>,
    /// `None` for anonymous questions: the author is never stored.
    pub author_id: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredQuestion {
    pub id: i64,
    pub platform: String,
    pub workspace: String,
    pub channel: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub author_id: Option<String>,
    pub anonymous: bool,
    pub text: String,
    pub received_at: i64,
    pub state: String,
}

/// What was posted for a question, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAnswer {
    pub question_id: i64,
    pub channel: String,
    pub thread_id: Option<String>,
    pub message_ids: Vec<String>,
    pub reply_kind: String,
    pub primary_category: String,
    pub confidence: f64,
    pub snippet_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    Helpful,
    NotHelpful,
    Flag,
}

impl Vote {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Helpful => "helpful",
            Self::NotHelpful => "not_helpful",
            Self::Flag => "flag",
        }
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SnippetVersion {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub status: String,
    pub changed_by: String,
    pub changed_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub allowed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub categories: usize,
    /// Snippets that were new or changed (each change is a new version).
    pub snippets_changed: usize,
    pub examples_added: usize,
}

#[async_trait]
pub trait Store: DigestStore + ReviewStore + Send + Sync {
    async fn categories(&self) -> Result<Vec<Category>>;
    /// Every snippet, whatever its status, ordered by id.
    async fn snippets(&self) -> Result<Vec<Snippet>>;
    async fn snippet(&self, id: &str) -> Result<Option<Snippet>>;
    /// Saves a snippet; a change to any field adds a version. Returns the current version.
    async fn save_snippet(&self, snippet: &Snippet, changed_by: &str) -> Result<i64>;
    async fn snippet_history(&self, id: &str) -> Result<Vec<SnippetVersion>>;
    /// Every example, ordered by id.
    async fn examples(&self) -> Result<Vec<Example>>;
    /// Adds examples whose id is new; returns how many were added.
    async fn add_examples(&self, examples: &[Example], origin: &str, actor: &str) -> Result<usize>;
    /// Imports categories, snippets and examples in one transaction: all or nothing.
    async fn import(&self, knowledge: &Knowledge, actor: &str) -> Result<ImportReport>;
    /// Seeds an empty database (no categories) with `knowledge`. Safe to race.
    async fn seed_if_empty(&self, knowledge: &Knowledge) -> Result<bool>;

    /// Stores a question before any work; `None` when (platform, message_id) is already known.
    async fn record_question(&self, q: &NewQuestion) -> Result<Option<i64>>;
    async fn question(&self, id: i64) -> Result<Option<StoredQuestion>>;
    /// Questions on `platform` stored but never answered, oldest first.
    async fn unanswered_questions(&self, platform: &str) -> Result<Vec<StoredQuestion>>;
    /// Claims a pending question for `owner` until `until_ms`. True when this caller got it: it
    /// was unclaimed or its claim had expired. Not re-entrant, so a replay and a live task in the
    /// same process can never both work on one question.
    async fn claim_question(&self, id: i64, owner: &str, until_ms: i64) -> Result<bool>;
    /// How many answers the bot has posted in `thread_id` on `platform`.
    async fn thread_answer_count(&self, platform: &str, thread_id: &str) -> Result<i64>;
    /// The first question the bot answered in `thread_id` on `platform` (the one that opened
    /// the thread), if the bot answered there at all.
    async fn thread_question(
        &self,
        platform: &str,
        thread_id: &str,
    ) -> Result<Option<StoredQuestion>>;
    /// Records what was posted and marks the question answered. A second answer for the same
    /// question is refused (`None`).
    async fn record_answer(&self, answer: &NewAnswer) -> Result<Option<i64>>;
    /// The answer posted for a question, if any.
    async fn answer_for_question(&self, question_id: i64) -> Result<Option<i64>>;
    /// One vote per user per answer; voting again replaces it.
    async fn record_vote(&self, answer_id: i64, user_id: &str, vote: Vote) -> Result<()>;
    /// Helpful minus Not helpful votes, per snippet id.
    async fn net_votes(&self) -> Result<HashMap<String, i64>>;

    /// Remembers a platform event id; true the first time it is seen, false for a retry (from
    /// this or another instance). For events with no durable key of their own.
    async fn remember_event(&self, platform: &str, event_id: &str) -> Result<bool>;
    /// Forgets event ids seen before `before_ms`; returns how many were forgotten.
    async fn forget_events_before(&self, before_ms: i64) -> Result<u64>;

    async fn audit(&self, entry: &AuditEntry) -> Result<()>;
    async fn audit_since(&self, since_ms: i64) -> Result<Vec<AuditEntry>>;
}

#[cfg(test)]
mod tests {
    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(
            super::redact("postgres://bob:secret@db:5432/x"),
            "postgres://bob:***@db:5432/x"
        );
        assert_eq!(super::redact("sqlite://a.db"), "sqlite://a.db");
    }
}

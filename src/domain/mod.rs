//! Platform-neutral types shared by every layer. Constructors that take user input validate it
//! (`parse`), so the rest of the program can trust what it holds.

mod actor;
mod category;
mod question;
mod reply;
mod snippet;

pub use actor::Actor;
pub use category::{Category, CategoryId, OTHER};
pub use question::{Example, QuestionText, MAX_QUESTION_CHARS};
pub use reply::{Reply, ReplyKind, ReplySnippet};
pub use snippet::{Snippet, SnippetStatus, Source};

/// An error in what a user gave us. Shown to them as is; the CLI maps it to exit code 2.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct UserError(pub String);

impl UserError {
    pub fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

/// Milliseconds since the Unix epoch: how every timestamp is stored.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A whole knowledge base: what `knowledge import` reads and `knowledge export` writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Knowledge {
    pub categories: Vec<Category>,
    pub snippets: Vec<Snippet>,
    pub examples: Vec<Example>,
}

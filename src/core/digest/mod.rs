//! The weekly digest: what the community asked and found helpful in the past week.
//!
//! - **Which week.** ISO weeks, Monday 00:00 to Monday 00:00 in the channel's timezone
//!   (`week.rs`). A scheduled digest covers the past complete week before its fire time
//!   (`schedule.rs`).
//! - **Content** (`build.rs`): questions per primary category on the channel's platform, with
//!   the change from the week before (unclassified questions count as `other`); up to
//!   `TOP_ANSWERS` answers posted that week with the most Helpful votes, linked to their
//!   threads; snippets added or updated that week (not the initial seed); open review items; and
//!   eight weeks of counts per category for the chart (`chart.rs`). A week with no questions is
//!   *quiet*: the channel's config says whether it gets a short digest or none.
//! - **Anonymity.** An anonymous question is never attributed and never quoted. A user who
//!   opted out (`opt_outs`) is never named and never quoted either. Both are decided here, once:
//!   the `Asker` and `quote` of a `TopAnswer` are all a renderer ever sees of the asker.
//! - **Rendering** (`text.rs`): one text layout for every platform, through a `Style` that
//!   knows the platform's markup, escaping, mentions and links.
//!
//! Posting exactly once per channel and week is the runner's job (`jobs::digest`).

mod build;
pub mod chart;
pub mod schedule;
pub mod text;
pub mod week;

pub use build::{assemble, load, Rows, TOP_ANSWERS};
pub use schedule::Schedule;
pub use text::{render, Plain, Style};
pub use week::IsoWeek;

/// Weeks of history in the chart, the digest's own week included.
pub const HISTORY_WEEKS: usize = 8;

#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub platform: String,
    pub week: IsoWeek,
    /// Every known category (and `other`), this week's count and the change from last week.
    pub categories: Vec<CategoryLine>,
    pub total: i64,
    pub total_change: i64,
    pub top: Vec<TopAnswer>,
    pub snippets: Vec<SnippetChange>,
    pub open_reviews: i64,
    /// No questions this week.
    pub quiet: bool,
    pub history: History,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLine {
    pub id: String,
    pub name: String,
    pub count: i64,
    pub change: i64,
}

/// Who asked a featured question, as far as the digest may say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asker {
    /// Asked anonymously: never named, never quoted.
    Anonymous,
    /// Opted out of being named or quoted.
    Private,
    /// May be named (a platform user id) and quoted.
    User(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopAnswer {
    pub helpful: i64,
    pub category: String,
    pub asker: Asker,
    /// An excerpt of the question, only when the asker may be quoted.
    pub quote: Option<String>,
    pub workspace: String,
    pub channel: String,
    pub thread_id: Option<String>,
    /// The answer's first message.
    pub message_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetChange {
    pub id: String,
    pub title: String,
    pub added: bool,
}

/// Questions per category per week, oldest week first; `series` follows `Digest::categories`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub weeks: Vec<IsoWeek>,
    pub series: Vec<(String, Vec<i64>)>,
}

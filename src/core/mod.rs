//! Platform-neutral logic: classify, retrieve, compose. Nothing here knows about Discord or
//! Slack; the only I/O is through the `Store` (in `engine.rs`).

pub mod classify;
pub mod compose;
pub mod corrections;
pub mod curation;
pub mod digest;
pub mod engine;
pub mod pipeline;
pub mod retrieve;
pub mod templates;
pub mod text;

pub use classify::{Classification, Classifier, ClassifierConfig};
pub use engine::{Answer, Engine};
pub use pipeline::{Inbound, Outcome, Pipeline, Posted, Poster};
pub use templates::Templates;

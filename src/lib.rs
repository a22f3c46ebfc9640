//! Crossroads: a Discord and Slack bot that answers career questions with curated advice.
//!
//! ```text
//! platform event -> adapter -> core::Engine::answer -> Reply -> adapter renders and posts
//!                                   |
//!                                 store (questions saved first; knowledge; feedback; audit)
//! ```

pub mod adapters;
pub mod cli;
pub mod config;
pub mod core;
pub mod domain;
pub mod http;
pub mod jobs;
pub mod knowledge;
pub mod store;

//! Discord, through serenity: the gateway brings events, `Rest` posts (with retries), and the
//! shared `core::Pipeline` does the rest.
//!
//! ```text
//! MESSAGE_CREATE ─ message.rs ─┐                     ┌─ poster.rs: thread + reply (nonces)
//! DM ───────────── dm.rs ──────┼─ Pipeline::receive ─┤
//! /ask ─────────── ask.rs ─────┘  (stored first)     └─ store: answer recorded
//! button click ─── feedback.rs ── store: one vote per user per answer ─┐
//! /advice ──────── advice.rs ──┐                                      │ review items
//! modal submit ─── modal.rs ───┼─ core::curation::Curation ───────────┤
//! review button ── review.rs ──┘  (rights checked, audited)           └─ review.rs posts them
//! ```
//!
//! - **Exactly one reply.** A question is stored before anything is posted, unique on
//!   (platform, message id), so a gateway RESUME replaying MESSAGE_CREATE, or a second `serve`
//!   process on the same PostgreSQL, finds it already stored and does nothing. Questions stored
//!   but left unanswered by a crash are answered at the next connect and every
//!   `replay_interval_ms`. Posting is idempotent (nonces, thread reuse), so the window between
//!   posting and recording cannot double-post either.
//! - **Anonymity.** DMs and `/ask anonymous:true` store no author; see `dm.rs`.
//! - **Mentions.** Every message carries empty allowed mentions (`build.rs`): the bot pings no one.
//! - **Moderators.** Decided per interaction from the member's roles and permissions
//!   (`moderator.rs`); the shared `Curation` checks and audits every action. Review items go to
//!   `discord.mod_channel_id` through an outbox (`review.rs`).

mod advice;
mod api;
mod ask;
mod build;
mod capture;
mod channels;
mod client;
mod digest;
mod dm;
mod feedback;
mod message;
mod modal;
mod moderator;
mod platform;
mod poster;
mod render;
mod rest;
mod review;
mod settings;
mod text;

pub use client::{start, Running};
pub use digest::digest_sink;
pub use feedback::{custom_id, parse_custom_id};
pub use rest::RetryPolicy;
pub use review::{custom_id as review_custom_id, parse_custom_id as parse_review_custom_id};
pub use settings::{DiscordSettings, Secret};

use crate::core::curation::Curation;
use crate::core::{Outcome, Pipeline};
use channels::ChannelCache;
use poster::DiscordPoster;
use rest::Rest;
use serenity::all::UserId;
use std::sync::Arc;

/// `Inbound.platform` and the store's platform key.
pub const PLATFORM: &str = "discord";

/// What the bot did with one event, by the event's id (message or interaction). Sent to
/// `Running::events` subscribers: tests and the benchmark wait on these instead of sleeping.
#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    /// Not for the bot (bots, system messages, other channels...).
    Ignored {
        id: u64,
        reason: &'static str,
    },
    /// Too short or otherwise unusable: the asker got a hint.
    Hint {
        id: u64,
    },
    /// Went through the pipeline.
    Question {
        id: u64,
        outcome: Outcome,
    },
    /// A feedback button click was recorded and acknowledged.
    Feedback {
        id: u64,
    },
    /// Stored questions answered after a (re)connect or on the periodic replay.
    Replayed {
        answered: usize,
    },
    /// A moderator command, modal submit or review button was handled (allowed or refused).
    Moderated {
        id: u64,
    },
    /// Review items posted to the moderators' channel.
    ReviewPosted {
        posted: usize,
    },
    Failed {
        id: u64,
        error: String,
    },
}

impl Handled {
    fn failed(id: u64, e: &anyhow::Error) -> Self {
        tracing::warn!(id, error = %format!("{e:#}"), "Discord event failed");
        Self::Failed {
            id,
            error: format!("{e:#}"),
        }
    }
}

/// Everything the event handlers share.
struct Bot {
    pipeline: Pipeline,
    /// Moderators' commands and the review queue, shared with the other platforms.
    curation: Arc<Curation>,
    /// Names this process in claims (questions, review posts).
    instance: String,
    /// Wakes the review outbox: an event may have added an item.
    review_wake: tokio::sync::Notify,
    rest: Arc<Rest>,
    poster: DiscordPoster,
    channels: ChannelCache,
    settings: DiscordSettings,
    /// The bot's own user, to recognise mentions.
    me: UserId,
}

impl Bot {
    /// Asks the review outbox to post new items soon.
    fn wake_review(&self) {
        self.review_wake.notify_one();
    }
}

//! Slack, through slack-morphism.
//!
//! **Two ways in.** With an app token (`SLACK_APP_TOKEN`) events arrive over Socket Mode, which
//! needs no public URL. Otherwise Slack calls the Events API on the bot's HTTP server:
//! `POST /slack/events`, `/slack/commands`, `/slack/interactive`, each verified against the
//! signing secret (v0 HMAC over the raw body, ±5 minutes, constant-time; 401 otherwise).
//!
//! **Where it listens.** Top-level messages in the configured channels, `app_mention`
//! anywhere, the asker's follow-ups in threads it has answered (up to `max_thread_replies`),
//! `/ask` (a modal with an "ask anonymously" box), and DMs, which are reposted anonymously.
//! Questions shorter than `min_question_chars` get a hint instead (the rules match Discord's).
//!
//! **Reliability.** Every event is acknowledged first and worked on after (a spawned task).
//! Questions are keyed `<channel>:<ts>` and stored before any work, so a retried event, the same
//! message arriving as `message` and `app_mention`, or a second instance on the same PostgreSQL
//! never gets a second reply. A DM is reposted under a new ts, so DM events are also recorded by
//! `event_id` before the repost. A 429 waits out Retry-After (`api.rs`); questions stored but
//! never answered are answered by a replay loop, at startup and every 30 s.
//!
//! **Anonymity.** An anonymous question is stored with no author, and the repost shows none.
//! For DMs and anonymous `/ask`, the "here is your answer" link sent to the asker is kept in
//! memory only, after the answer is posted: a crash can lose that DM, never the answer. The
//! asker's DM channel is never stored. If the process dies between reposting a DM and storing
//! it, the repost stays unanswered (the event id is already recorded, so it is not reposted
//! twice either).
//!
//! **Moderators.** `/advice` runs the shared `core::curation` commands (`advice.rs`); who is a
//! moderator is decided per action from the verified user id (`moderators.rs`); the snippet
//! and review modals are in `forms.rs`; review items are posted to `mod_channel` as an outbox
//! and resolved from their buttons (`review.rs`, `review_render.rs`).
//!
//! **Escaping.** Question text and snippet text are escaped (`&`, `<`, `>`) wherever they are
//! echoed, so `<!channel>`, `<!here>`, `<!everyone>` and user-group mentions never ping.

mod advice;
mod api;
mod app;
mod digest;
mod escape;
mod events;
mod forms;
mod http;
mod interact;
mod lookup;
mod modal;
mod moderators;
mod poster;
mod render;
mod replay;
mod review;
mod review_render;
mod route;
mod settings;
mod socket;
pub mod verify;

pub use app::Slack;
pub use digest::digest_sink;
pub use events::PLATFORM;
pub use settings::{Secret, SlackConfig, SlackSettings, DEFAULT_API_BASE};

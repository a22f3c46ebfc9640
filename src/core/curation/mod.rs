//! Moderators' work, platform-neutral: curating snippets, fixing categories, answering what the
//! bot could not, and the review queue. Adapters turn a slash command, modal or button into a
//! call here and render the `Response`; they supply the platform's part (posting in a thread,
//! reading a message) through `ModPlatform`.
//!
//! Rights are checked here, on every call, from `Actor::is_moderator`, which the adapter
//! computes from what the platform reports for that very action. A refused action is written
//! to the audit log and changes nothing. Every allowed action is audited too.

mod command;
mod promote;
mod questions;
pub mod queue;
mod snippets;

pub use command::{Command, MessageRef, HELP};
pub use queue::{ItemAction, ItemView, ReviewSettings};
pub use snippets::SnippetForm;

use super::engine::{Answer, Engine};
use super::pipeline::Posted;
use crate::domain::{now_ms, Actor, UserError};
use crate::store::{AuditEntry, StoredQuestion};
use async_trait::async_trait;
use std::sync::{Arc, OnceLock};

/// What a command produced, for the adapter to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A short message, shown only to the moderator (ephemeral).
    Text(String),
    /// Open the snippet form (a modal), prefilled.
    Form(SnippetForm),
}

/// A message read from the platform (for `promote`).
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedMessage {
    pub author_id: String,
    pub author_name: String,
    pub text: String,
    /// The thread it was posted in, if any.
    pub thread_id: Option<String>,
    /// A link to it, when the platform has one.
    pub link: Option<String>,
}

/// The platform's part of moderator commands.
#[async_trait]
pub trait ModPlatform: Send + Sync {
    /// Posts `answer` in the question's thread (the same rendering as the bot's replies).
    async fn post_answer(
        &self,
        question: &StoredQuestion,
        answer: &Answer,
    ) -> anyhow::Result<Posted>;
    /// Reads a message. `channel` is `None` when the moderator gave a bare id: the adapter
    /// looks in the channel the command came from. `Ok(None)` when there is no such message.
    async fn fetch_message(
        &self,
        channel: Option<&str>,
        id: &str,
    ) -> anyhow::Result<Option<FetchedMessage>>;
    /// How the store keys the message `id` (see `Inbound::message_id`); `channel` as in
    /// `fetch_message`. By default the id itself; Slack keys messages `<channel>:<ts>`.
    fn message_key(&self, channel: Option<&str>, id: &str) -> String {
        let _ = channel;
        id.to_owned()
    }
}

/// Posts the weekly digest now (implemented by the digest job).
#[async_trait]
pub trait DigestTrigger: Send + Sync {
    /// Returns a line for the moderator, e.g. where it was posted or why not.
    async fn post_now(&self, platform: &str, channel: &str) -> anyhow::Result<String>;
}

pub struct Curation {
    engine: Arc<Engine>,
    settings: ReviewSettings,
    digest: OnceLock<Arc<dyn DigestTrigger>>,
    /// Items resolved by a command rather than their own buttons, for adapters to update the
    /// items' messages.
    resolved: tokio::sync::broadcast::Sender<i64>,
}

/// What a moderator is told when they are not one.
pub const NOT_ALLOWED: &str = "Not allowed: only moderators can do that.";

impl Curation {
    pub fn new(engine: Arc<Engine>, settings: ReviewSettings) -> Self {
        Self {
            engine,
            settings,
            digest: OnceLock::new(),
            resolved: tokio::sync::broadcast::channel(64).0,
        }
    }

    /// Connects `digest-now` to the digest job (once, at startup).
    pub fn set_digest(&self, digest: Arc<dyn DigestTrigger>) {
        let _ = self.digest.set(digest);
    }

    /// Ids of review items resolved as a side effect of `answer` or `recategorize` (their own
    /// buttons were not used), so the adapter can mark their messages resolved.
    pub fn resolved_items(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.resolved.subscribe()
    }

    fn announce_resolved(&self, ids: Vec<i64>) {
        for id in ids {
            // No subscriber (no adapter running) is fine: the store has the resolution.
            let _ = self.resolved.send(id);
        }
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub fn settings(&self) -> &ReviewSettings {
        &self.settings
    }

    /// Runs one command for `actor`. `channel` is where it was issued (the default for
    /// `digest-now`). User mistakes come back as `UserError` inside the error.
    #[tracing::instrument(skip_all, fields(command = command.name()))]
    pub async fn run(
        &self,
        actor: &Actor,
        channel: &str,
        command: Command,
        platform: &dyn ModPlatform,
    ) -> anyhow::Result<Response> {
        let action = format!("mod.{}", command.name());
        if command.needs_moderator() && !self.allowed(actor, &action, "").await? {
            return Ok(Response::Text(NOT_ALLOWED.into()));
        }
        let text = match command {
            Command::Help => command::HELP.to_owned(),
            Command::Add => return Ok(Response::Form(SnippetForm::default())),
            Command::Edit(id) => return Ok(Response::Form(self.edit_form(&id).await?)),
            Command::Approve(id) => self.set_status(actor, &id, true).await?,
            Command::Retire(id) => self.set_status(actor, &id, false).await?,
            Command::Show(id) => self.show(&id).await?,
            Command::Search(q) => self.search(&q).await?,
            Command::Queue => self.queue_text(&actor.platform).await?,
            Command::Recategorize { question, category } => {
                let q = self
                    .find_question(&actor.platform, &question, platform)
                    .await?;
                self.recategorize(actor, &q, &category).await?
            }
            Command::Answer { question, snippet } => {
                let q = self
                    .find_question(&actor.platform, &question, platform)
                    .await?;
                self.answer(actor, &q, &snippet, platform).await?
            }
            Command::Promote(message) => self.promote(actor, &message, platform).await?,
            Command::DigestNow(target) => {
                let target = target.as_deref().unwrap_or(channel);
                let digest = self
                    .digest
                    .get()
                    .ok_or_else(|| UserError::new("the weekly digest is not configured"))?;
                let line = digest.post_now(&actor.platform, target).await?;
                self.audit(actor, &action, target, &line).await?;
                line
            }
            Command::OptOut | Command::OptIn => {
                let out = command == Command::OptOut;
                let store = self.engine.store();
                store
                    .set_opt_out(&actor.platform, &actor.user_id, out)
                    .await?;
                if out {
                    "Done: the weekly digest will not name or quote you.".into()
                } else {
                    "Done: the weekly digest may name or quote you again.".into()
                }
            }
        };
        Ok(Response::Text(text))
    }

    /// Checks moderator rights; a refusal is audited and returns false. Adapters call it before
    /// opening a form that only leads to a moderator action (a review item's modal).
    pub async fn allowed(&self, actor: &Actor, action: &str, target: &str) -> anyhow::Result<bool> {
        if actor.is_moderator {
            return Ok(true);
        }
        tracing::info!(action, "moderator action refused");
        self.record(actor, action, target, "not a moderator", false)
            .await?;
        Ok(false)
    }

    /// Audits an allowed action.
    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
    ) -> anyhow::Result<()> {
        self.record(actor, action, target, detail, true).await
    }

    async fn record(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
        allowed: bool,
    ) -> anyhow::Result<()> {
        let entry = AuditEntry {
            at: now_ms(),
            actor: actor.audit_name(),
            action: action.to_owned(),
            target: target.to_owned(),
            detail: detail.to_owned(),
            allowed,
        };
        Ok(self.engine.store().audit(&entry).await?)
    }
}

/// The message to show a user for a failed command: a `UserError` as is, anything else as a
/// generic apology (the details go to the log, not to chat).
pub fn user_message(err: &anyhow::Error) -> String {
    match err.downcast_ref::<UserError>() {
        Some(u) => u.0.clone(),
        None => {
            tracing::error!(error = %err, "moderator command failed");
            "Something went wrong on our side. Please try again shortly.".into()
        }
    }
}

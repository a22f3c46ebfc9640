//! `/advice`: moderators' commands from Slack. The text is parsed by the shared
//! `curation::Command`; the user comes from the verified request, never from the text, and
//! `Curation` checks their rights (refusals are audited and change nothing).
//!
//! Every answer is ephemeral (`chat.postEphemeral` in the channel the command came from; if
//! the bot can't post there, e.g. it isn't a member, the answer goes to the moderator's DM with
//! the bot instead). `add` and `edit` open the snippet modal with the command's trigger id; its
//! submission is saved before the modal closes, so a mistake shows under the field it concerns.

use super::app::Slack;
use super::escape::escape;
use super::forms::{snippet_error, snippet_modal};
use super::poster::key;
use crate::core::curation::{self, Command, FetchedMessage, ModPlatform, Response, SnippetForm};
use crate::core::{Answer, Posted, Poster};
use crate::domain::UserError;
use crate::store::StoredQuestion;
use async_trait::async_trait;
use slack_morphism::prelude::*;
use std::collections::HashMap;

/// Slack's side of moderator commands, for a command issued in `channel`.
pub struct SlackMods<'a> {
    pub slack: &'a Slack,
    pub channel: &'a str,
}

#[async_trait]
impl ModPlatform for SlackMods<'_> {
    async fn post_answer(&self, q: &StoredQuestion, answer: &Answer) -> anyhow::Result<Posted> {
        self.slack.poster.post(q, answer).await
    }

    async fn fetch_message(
        &self,
        channel: Option<&str>,
        id: &str,
    ) -> anyhow::Result<Option<FetchedMessage>> {
        self.slack
            .api
            .fetch(channel.unwrap_or(self.channel), id)
            .await
    }

    fn message_key(&self, channel: Option<&str>, id: &str) -> String {
        key(channel.unwrap_or(self.channel), id)
    }
}

impl Slack {
    /// Runs `/advice …` (acknowledged already; this is the work after).
    pub(super) async fn advice(&self, cmd: SlackCommandEvent) -> anyhow::Result<()> {
        let (channel, user) = (cmd.channel_id.0.as_str(), cmd.user_id.0.as_str());
        let command = match Command::parse(cmd.text.as_deref().unwrap_or("")) {
            Ok(c) => c,
            Err(e) => return self.tell(channel, user, &e.0).await,
        };
        let actor = self.actor(user).await;
        let mods = SlackMods {
            slack: self,
            channel,
        };
        match self.curation.run(&actor, channel, command, &mods).await {
            Ok(Response::Text(text)) => self.tell(channel, user, &text).await,
            Ok(Response::Form(form)) => {
                let view = snippet_modal(&form, channel);
                if let Err(e) = self.api.open_view(&cmd.trigger_id.0, view).await {
                    tracing::warn!(error = %e, "opening the snippet form failed");
                    let sorry =
                        "I couldn't open the form (Slack allows 3 seconds). Please try again.";
                    self.tell(channel, user, sorry).await?;
                }
                Ok(())
            }
            Err(e) => self.tell(channel, user, &curation::user_message(&e)).await,
        }
    }

    /// Saves a submitted snippet form. `Err` holds the errors to show in the modal; `Ok` closes
    /// it, and the moderator is told the outcome ephemerally.
    pub(super) async fn save_snippet(
        &self,
        user: &str,
        form: SnippetForm,
        channel: String,
    ) -> Result<(), HashMap<String, String>> {
        let actor = self.actor(user).await;
        match self.curation.save_form(&actor, &form).await {
            Ok(text) => {
                if let Err(e) = self.tell(&channel, user, &text).await {
                    tracing::warn!(error = %e, "telling the moderator failed");
                }
                Ok(())
            }
            Err(e) if e.is::<UserError>() => Err(snippet_error(&curation::user_message(&e))),
            Err(e) => {
                let msg = curation::user_message(&e);
                if let Err(e) = self.tell(&channel, user, &msg).await {
                    tracing::warn!(error = %e, "telling the moderator failed");
                }
                Ok(())
            }
        }
    }

    /// A message only `user` sees, where they are; their DM with the bot if that fails.
    pub(super) async fn tell(&self, channel: &str, user: &str, text: &str) -> anyhow::Result<()> {
        let text = escape(text);
        match self
            .api
            .post_ephemeral(channel, user, None, text.clone())
            .await
        {
            Ok(()) => Ok(()),
            Err(e) => {
                tracing::debug!(error = %e, "ephemeral failed; answering by DM");
                self.api.post(user, None, text, None).await.map(drop)
            }
        }
    }
}

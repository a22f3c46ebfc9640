//! Slash commands and interactivity: `/ask` opens the modal, a submitted modal is posted (under
//! the asker's name, or anonymously), and the vote buttons record feedback (a Not helpful vote
//! or a flag also goes to the review queue). `/advice`, the moderators' modals and the review
//! buttons go to `advice.rs` and `review.rs`.

use super::app::Slack;
use super::escape::escape;
use super::events::PLATFORM;
use super::forms::{callback_of, read_snippet, REVIEW_CALLBACK, SNIPPET_CALLBACK};
use super::modal::{ask_modal, question_error, read_submission, Submission};
use super::poster::key;
use super::render::{attributed_question, vote_for_action};
use super::review::find_review_action;
use crate::core::curation::queue;
use crate::core::Inbound;
use crate::domain::QuestionText;
use crate::store::Vote;
use slack_morphism::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// What to answer an interaction with, inside the 3 seconds Slack waits.
#[derive(Debug, PartialEq)]
pub enum InteractionAck {
    Empty,
    /// Keeps the modal open with these errors under its fields.
    Errors(HashMap<String, String>),
}

impl Slack {
    /// `/advice` runs a moderator command; any other command (the manifest defines `/ask`)
    /// opens the ask modal.
    pub(super) fn accept_command(self: &Arc<Self>, cmd: SlackCommandEvent) {
        let this = self.clone();
        if cmd.command.0 == "/advice" {
            tokio::spawn(async move {
                if let Err(e) = this.advice(cmd).await {
                    tracing::warn!(error = %e, "an /advice command failed");
                }
            });
            return;
        }
        let view = ask_modal(&cmd.channel_id.0, cmd.text.as_deref().unwrap_or(""));
        tokio::spawn(async move {
            if let Err(e) = this.api.open_view(&cmd.trigger_id.0, view).await {
                tracing::warn!(error = %e, "opening the /ask modal failed");
            }
        });
    }

    /// Moderators' modals are saved before answering (so errors show in the modal); everything
    /// else is acknowledged at once and worked on after.
    pub(super) async fn accept_interaction(
        self: &Arc<Self>,
        ev: SlackInteractionEvent,
    ) -> InteractionAck {
        let this = self.clone();
        match ev {
            SlackInteractionEvent::ViewSubmission(s) => {
                let user = s.user.id.0.as_str();
                let done = match callback_of(&s.view).map(|(c, _)| c) {
                    Some(SNIPPET_CALLBACK) => match read_snippet(&s.view) {
                        Some((form, channel)) => Some(self.save_snippet(user, form, channel).await),
                        None => Some(Ok(())),
                    },
                    Some(REVIEW_CALLBACK) => Some(self.review_submitted(user, &s.view).await),
                    _ => None,
                };
                if let Some(done) = done {
                    return done.map_or_else(InteractionAck::Errors, |()| InteractionAck::Empty);
                }
                let Some(sub) = read_submission(&s.view) else {
                    return InteractionAck::Empty;
                };
                if let Err(e) = QuestionText::parse(&sub.text) {
                    return InteractionAck::Errors(question_error(&e.0));
                }
                if self.too_short(&sub.text) {
                    return InteractionAck::Errors(question_error(&self.hint()));
                }
                tokio::spawn(async move {
                    if let Err(e) = this.submit(&s.team.id.0, &s.user.id.0, sub).await {
                        tracing::warn!(error = %e, "posting an /ask question failed");
                    }
                });
            }
            SlackInteractionEvent::BlockActions(a) => {
                if let Some((action, item)) = find_review_action(&a) {
                    tokio::spawn(async move {
                        let user = a.user.as_ref().map(|u| u.id.0.clone()).unwrap_or_default();
                        let channel = a
                            .channel
                            .as_ref()
                            .map(|c| c.id.0.clone())
                            .unwrap_or_default();
                        let clicked =
                            this.review_button(&user, &channel, &a.trigger_id.0, action, item);
                        if let Err(e) = clicked.await {
                            tracing::warn!(error = %e, "a review button failed");
                        }
                    });
                    return InteractionAck::Empty;
                }
                tokio::spawn(async move {
                    if let Err(e) = this.vote(a).await {
                        tracing::warn!(error = %e, "recording a vote failed");
                    }
                });
            }
            _ => {}
        }
        InteractionAck::Empty
    }

    async fn submit(&self, team: &str, user: &str, sub: Submission) -> anyhow::Result<()> {
        if sub.anonymous {
            // A DM with the bot is no place for the community to see it.
            let fallback = (!sub.channel.starts_with('D')).then_some(sub.channel.as_str());
            return self.ask_anonymously(team, &sub.text, user, fallback).await;
        }
        let posted = self
            .api
            .post(
                &sub.channel,
                None,
                attributed_question(user, &sub.text),
                None,
            )
            .await;
        let ts = match posted {
            Ok(ts) => ts,
            Err(e) => {
                let msg = "I couldn't post your question in that channel. Invite me there first (`/invite @Crossroads`), or ask anonymously.";
                self.api.post(user, None, msg.into(), None).await?;
                return Err(e);
            }
        };
        let inbound = Inbound {
            platform: PLATFORM.into(),
            workspace: team.into(),
            channel: sub.channel.clone(),
            message_id: key(&sub.channel, &ts),
            thread_id: None,
            author_id: Some(user.into()),
            text: sub.text,
        };
        self.ask(inbound).await.map(drop)
    }

    async fn vote(&self, ev: SlackInteractionBlockActionsEvent) -> anyhow::Result<()> {
        let Some(user) = ev.user.as_ref().map(|u| u.id.0.as_str()) else {
            return Ok(());
        };
        let channel = ev.channel.as_ref().map(|c| c.id.0.as_str());
        let thread = ev
            .message
            .as_ref()
            .and_then(|m| m.origin.thread_ts.as_ref())
            .map(|t| t.0.as_str());
        for action in ev.actions.iter().flatten() {
            let Some(vote) = vote_for_action(&action.action_id.0) else {
                continue;
            };
            let Some(question) = action.value.as_deref().and_then(|v| v.parse::<i64>().ok()) else {
                continue;
            };
            let reply = match self.store().answer_for_question(question).await? {
                Some(answer) => {
                    if queue::record_vote(&**self.store(), PLATFORM, answer, user, vote).await? {
                        self.post_reviews_soon();
                    }
                    thanks(vote)
                }
                None => "I can't find that answer any more, so the vote wasn't counted.",
            };
            if let Some(channel) = channel {
                self.api
                    .post_ephemeral(channel, user, thread, escape(reply))
                    .await?;
            }
        }
        Ok(())
    }
}

fn thanks(vote: Vote) -> &'static str {
    match vote {
        Vote::Helpful | Vote::NotHelpful => {
            "Thanks for the feedback: it shapes which advice we show."
        }
        Vote::Flag => "Thanks for flagging this: a moderator will take a look.",
    }
}

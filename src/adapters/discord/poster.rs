//! Posts an answer for a stored question: opens a thread on the question (reposting it first
//! for DMs and `/ask`), then posts the reply there. Everything it needs is in the stored
//! question, so a question stored before a crash is answered the same way after restart.
//!
//! Every step is idempotent, so a retry or a replay never double-posts: messages carry a nonce
//! derived from the question id (Discord returns the existing message for a nonce it has seen),
//! and a thread that already exists for the message is reused (a thread started on a message
//! takes the message's id). Without permission to create threads, the bot replies in the
//! channel, referencing the question, and warns once per channel.

use super::api::codes;
use super::rest::Rest;
use super::{build, render};
use crate::core::{Answer, Posted, Poster};
use crate::store::StoredQuestion;
use anyhow::Context as _;
use async_trait::async_trait;
use serenity::all::{AutoArchiveDuration, ChannelId, CreateMessage, CreateThread, MessageId};
use std::collections::HashSet;
use std::num::NonZeroU64;
use std::sync::{Arc, Mutex};

/// Stored message id of a DM question: the DM itself is never answered in place.
pub fn dm_key(message_id: MessageId) -> String {
    format!("dm:{message_id}")
}

/// Stored message id of an `/ask` question (the interaction's id).
pub fn ask_key(interaction_id: u64) -> String {
    format!("ask:{interaction_id}")
}

/// Parses a snowflake stored as text.
pub fn snowflake<T: From<NonZeroU64>>(s: &str) -> anyhow::Result<T> {
    let n: u64 = s.parse().with_context(|| format!("bad Discord id {s:?}"))?;
    NonZeroU64::new(n)
        .map(T::from)
        .with_context(|| format!("bad Discord id {s:?}"))
}

/// What the question hangs off.
enum Anchor {
    /// A message in a channel: open a thread on it.
    Message(MessageId),
    /// Nothing to hang off yet (DM, `/ask`): repost the question, open a thread on the repost.
    Repost,
    /// Asked inside a thread (follow-up, forum post, mention): answer in that thread.
    InThread(ChannelId, Option<MessageId>),
}

fn anchor(q: &StoredQuestion) -> anyhow::Result<Anchor> {
    if let Some(thread) = &q.thread_id {
        return Ok(Anchor::InThread(
            snowflake(thread)?,
            snowflake(&q.message_id).ok(),
        ));
    }
    if q.message_id.starts_with("dm:") || q.message_id.starts_with("ask:") {
        return Ok(Anchor::Repost);
    }
    Ok(Anchor::Message(snowflake(&q.message_id)?))
}

/// Where replies go, and what the first one answers.
struct Place {
    channel: ChannelId,
    in_thread: bool,
    reply_to: Option<MessageId>,
}

pub struct DiscordPoster {
    rest: Arc<Rest>,
    warned: Mutex<HashSet<ChannelId>>,
}

impl DiscordPoster {
    pub fn new(rest: Arc<Rest>) -> Self {
        Self {
            rest,
            warned: Mutex::new(HashSet::new()),
        }
    }

    async fn open_thread(
        &self,
        channel: ChannelId,
        message: MessageId,
        question: &str,
    ) -> anyhow::Result<Place> {
        let thread = CreateThread::new(render::thread_name(question))
            .auto_archive_duration(AutoArchiveDuration::OneDay);
        let in_thread = |id: ChannelId| Place {
            channel: id,
            in_thread: true,
            reply_to: None,
        };
        match self.rest.create_thread(channel, message, &thread).await {
            Ok(t) => Ok(in_thread(t.id)),
            // Opened before a crash or a lost response: a message's thread has its id.
            Err(e) if e.code() == Some(codes::THREAD_EXISTS) => {
                Ok(in_thread(ChannelId::new(message.get())))
            }
            // The channel is itself a thread: answer in it.
            Err(e) if e.code() == Some(codes::WRONG_CHANNEL_TYPE) => Ok(Place {
                channel,
                in_thread: true,
                reply_to: Some(message),
            }),
            Err(e) if e.code() == Some(codes::MISSING_PERMISSIONS) => {
                if self.warned.lock().expect("poisoned").insert(channel) {
                    tracing::warn!(
                        channel = %channel,
                        "cannot create threads in this channel (missing Create Public Threads \
                         permission): replying in the channel instead. Grant the permission to \
                         get answers in threads."
                    );
                }
                Ok(Place {
                    channel,
                    in_thread: false,
                    reply_to: Some(message),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn send(&self, place: &mut Place, m: CreateMessage) -> anyhow::Result<MessageId> {
        let m = match place.reply_to.take() {
            Some(to) => build::replying_to(m, place.channel, to),
            None => m,
        };
        Ok(self.rest.create_message(place.channel, &m).await?.id)
    }
}

/// Unique per question and message, at most 25 characters (Discord's limit).
fn nonce(question_id: i64, kind: char, index: usize) -> String {
    format!("cr{question_id}{kind}{index}")
}

/// The nonce kind of the bot's own reply messages.
const REPLY: char = 'r';
/// The nonce kind of a moderator's chosen answer: distinct from the bot's reply, so Discord
/// does not hand back the bot's earlier reply instead of posting it; still one per question.
const MODERATOR: char = 'm';

#[async_trait]
impl Poster for DiscordPoster {
    async fn post(&self, question: &StoredQuestion, answer: &Answer) -> anyhow::Result<Posted> {
        self.post_kind(question, answer, REPLY).await
    }
}

impl DiscordPoster {
    /// Posts a moderator's answer (`/advice answer`, a review item) in the question's thread.
    pub async fn post_moderator_answer(
        &self,
        question: &StoredQuestion,
        answer: &Answer,
    ) -> anyhow::Result<Posted> {
        self.post_kind(question, answer, MODERATOR).await
    }

    #[tracing::instrument(skip_all, fields(question = question.id, kind = %kind))]
    async fn post_kind(
        &self,
        question: &StoredQuestion,
        answer: &Answer,
        kind: char,
    ) -> anyhow::Result<Posted> {
        let channel: ChannelId = snowflake(&question.channel)?;
        let mut place = match anchor(question)? {
            Anchor::InThread(thread, message) => Place {
                channel: thread,
                in_thread: true,
                reply_to: message,
            },
            Anchor::Message(message) => self.open_thread(channel, message, &question.text).await?,
            Anchor::Repost => {
                let chunks = render::repost_chunks(&question.text, question.author_id.as_deref());
                let first = build::message(&chunks[0], &nonce(question.id, 'q', 0));
                let first = self.rest.create_message(channel, &first).await?;
                let mut place = self.open_thread(channel, first.id, &question.text).await?;
                for (i, chunk) in chunks.iter().enumerate().skip(1) {
                    let m = build::message(chunk, &nonce(question.id, 'q', i));
                    self.send(&mut place, m).await?;
                }
                place
            }
        };
        let mut message_ids = Vec::new();
        for (i, part) in render::reply_parts(&answer.reply, question.id)
            .iter()
            .enumerate()
        {
            let m = build::part(part, &nonce(question.id, kind, i));
            message_ids.push(self.send(&mut place, m).await?.to_string());
        }
        Ok(Posted {
            channel: question.channel.clone(),
            thread_id: place.in_thread.then(|| place.channel.to_string()),
            message_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_discord_limit() {
        assert!(nonce(i64::MAX, 'r', 9).len() <= 25);
        assert_ne!(nonce(1, REPLY, 0), nonce(1, 'q', 0));
        assert_ne!(nonce(1, REPLY, 0), nonce(1, MODERATOR, 0));
    }

    #[test]
    fn snowflakes_reject_zero_and_junk() {
        assert!(snowflake::<ChannelId>("0").is_err());
        assert!(snowflake::<ChannelId>("dm:1").is_err());
        assert_eq!(snowflake::<ChannelId>("42").unwrap(), ChannelId::new(42));
    }
}

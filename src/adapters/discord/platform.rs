//! Discord's part of moderator commands (`ModPlatform`): posting a chosen snippet in a
//! question's thread and reading a message to promote.
//!
//! The answer goes through the same poster as the bot's replies (same thread, same rendering),
//! with nonces of their own: reusing the bot's reply nonces would make Discord hand back the
//! bot's earlier reply instead of posting. They are still fixed per question, so a retried
//! `answer` never posts twice.

use super::api::codes;
use super::poster::snowflake;
use super::Bot;
use crate::core::curation::{FetchedMessage, ModPlatform};
use crate::core::{Answer, Posted};
use crate::store::StoredQuestion;
use async_trait::async_trait;
use serenity::all::{ChannelId, GuildId, MessageId};

/// One interaction's view of Discord: where the command came from.
pub struct DiscordMod<'a> {
    pub bot: &'a Bot,
    /// The channel the command was used in (where a bare message id is looked up).
    pub channel: ChannelId,
    pub guild: Option<GuildId>,
}

#[async_trait]
impl ModPlatform for DiscordMod<'_> {
    async fn post_answer(
        &self,
        question: &StoredQuestion,
        answer: &Answer,
    ) -> anyhow::Result<Posted> {
        self.bot
            .poster
            .post_moderator_answer(question, answer)
            .await
    }

    async fn fetch_message(
        &self,
        channel: Option<&str>,
        id: &str,
    ) -> anyhow::Result<Option<FetchedMessage>> {
        let channel: ChannelId = match channel {
            Some(c) => snowflake(c)?,
            None => self.channel,
        };
        let Ok(id) = snowflake::<MessageId>(id) else {
            return Ok(None);
        };
        let m = match self.bot.rest.message(channel, id).await {
            Ok(m) => m,
            Err(e)
                if matches!(
                    e.code(),
                    Some(codes::UNKNOWN_MESSAGE | codes::UNKNOWN_CHANNEL | codes::MISSING_ACCESS)
                ) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(e.into()),
        };
        let guild = m.guild_id.or(self.guild);
        let link = guild.map(|g| format!("https://discord.com/channels/{g}/{channel}/{id}"));
        Ok(Some(FetchedMessage {
            author_id: m.author.id.to_string(),
            author_name: m
                .author
                .global_name
                .clone()
                .unwrap_or(m.author.name.clone()),
            text: m.content,
            // A message in a thread has the thread as its channel; for any other channel the
            // store simply finds no question answered there.
            thread_id: Some(channel.to_string()),
            link,
        }))
    }
}

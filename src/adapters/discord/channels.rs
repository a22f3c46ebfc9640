//! What the bot needs to know about a channel (kind, guild, parent), asked from the API once per
//! channel and remembered: a channel's kind and parent never change.

use super::rest::{Rest, RestError};
use serenity::all::{Channel, ChannelId, ChannelType, GuildId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelInfo {
    pub kind: ChannelType,
    pub guild_id: Option<GuildId>,
    /// For a thread or forum post: the channel it lives in.
    pub parent_id: Option<ChannelId>,
}

impl ChannelInfo {
    pub fn is_thread(&self) -> bool {
        matches!(
            self.kind,
            ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
        )
    }
}

pub struct ChannelCache {
    rest: Arc<Rest>,
    known: Mutex<HashMap<ChannelId, ChannelInfo>>,
}

impl ChannelCache {
    pub fn new(rest: Arc<Rest>) -> Self {
        Self {
            rest,
            known: Mutex::new(HashMap::new()),
        }
    }

    pub async fn info(&self, id: ChannelId) -> Result<ChannelInfo, RestError> {
        if let Some(info) = self.known.lock().expect("channel cache poisoned").get(&id) {
            return Ok(*info);
        }
        let info = match self.rest.channel(id).await? {
            Channel::Guild(c) => ChannelInfo {
                kind: c.kind,
                guild_id: Some(c.guild_id),
                parent_id: c.parent_id,
            },
            Channel::Private(c) => ChannelInfo {
                kind: c.kind,
                guild_id: None,
                parent_id: None,
            },
            _ => ChannelInfo {
                kind: ChannelType::Unknown(255),
                guild_id: None,
                parent_id: None,
            },
        };
        self.known
            .lock()
            .expect("channel cache poisoned")
            .insert(id, info);
        Ok(info)
    }
}

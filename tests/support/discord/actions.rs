//! Driving the fake like Discord's users would: messages, forum posts, DMs, button clicks,
//! `/ask`, and gateway reconnects with replays.

use super::state::{Channel, Interaction, Msg, State, User, DM, PUBLIC_THREAD};
use super::{gateway, messages, moderation, payloads, FakeDiscord};
use serde_json::{json, Value};
use std::time::Instant;

impl FakeDiscord {
    /// A person posts in a guild channel; returns the message id.
    pub fn post(&self, author: &User, channel: u64, content: &str) -> u64 {
        self.post_as(author, channel, content, 0, None)
    }

    /// Any message type (0 default, 7 member join...), optionally with a given id.
    pub fn post_as(
        &self,
        author: &User,
        channel: u64,
        content: &str,
        kind: u8,
        id: Option<u64>,
    ) -> u64 {
        self.change(|s| {
            let id = id.unwrap_or_else(|| s.id());
            let guild = s.channels[&channel].guild_id;
            let mentions: Vec<User> = mentioned(content, "<@")
                .into_iter()
                .chain(mentioned(content, "<@!"))
                .filter_map(|u| s.users.get(&u).cloned())
                .collect();
            let f = payloads::MessageFields {
                id,
                channel_id: channel,
                guild_id: guild,
                author,
                content,
                kind,
                mentions: mentions.iter().collect(),
                mention_roles: mentioned(content, "<@&"),
            };
            let payload = payloads::message(&f);
            s.messages.push(Msg {
                id,
                channel_id: channel,
                author_id: author.id,
                content: content.into(),
                body: Value::Null,
                at: Instant::now(),
            });
            s.dispatched_at.insert(id, Instant::now());
            gateway::broadcast(s, self.inner.bot.id, "MESSAGE_CREATE", &payload);
            id
        })
    }

    /// A new forum post: the thread, then its first message, which has the thread's id.
    pub fn forum_post(&self, author: &User, forum: u64, title: &str, content: &str) -> u64 {
        let thread = self.channel(title, PUBLIC_THREAD, Some(forum));
        self.post_as(author, thread, content, 0, Some(thread))
    }

    /// A person DMs the bot; returns the message id.
    pub fn dm(&self, author: &User, content: &str) -> u64 {
        let channel = self.change(|s| {
            let existing = s
                .channels
                .values()
                .find(|c| c.kind == DM && c.recipient == Some(author.id))
                .map(|c| c.id);
            existing.unwrap_or_else(|| {
                let id = s.id();
                s.channels.insert(
                    id,
                    Channel {
                        id,
                        kind: DM,
                        guild_id: None,
                        parent_id: None,
                        name: String::new(),
                        threads_denied: false,
                        recipient: Some(author.id),
                    },
                );
                id
            })
        });
        self.post(author, channel, content)
    }

    /// A person clicks a button on one of the bot's messages; returns the interaction id.
    pub fn click(&self, who: &User, message_id: u64, custom_id: &str) -> u64 {
        self.change(|s| {
            let m = s
                .message(message_id)
                .expect("clicked message exists")
                .clone();
            let (id, token) = new_interaction(s, 3, m.channel_id);
            let channel = s.channels[&m.channel_id].clone();
            let message = messages::bot_message(&self.inner, &m);
            let c = payloads::Click {
                id,
                app_id: self.inner.app_id,
                token: &token,
                guild: self.inner.guild,
                channel: &channel,
                who,
                message,
                custom_id,
            };
            let mut payload = payloads::button_click(&c);
            moderation::apply_access(s, &mut payload, who.id);
            gateway::broadcast(s, self.inner.bot.id, "INTERACTION_CREATE", &payload);
            id
        })
    }

    /// A person runs `/ask`; returns the interaction id.
    pub fn slash_ask(
        &self,
        who: &User,
        channel: u64,
        question: &str,
        anonymous: Option<bool>,
    ) -> u64 {
        self.change(|s| {
            let (id, token) = new_interaction(s, 2, channel);
            let command_id = s
                .commands
                .first()
                .map_or(0, |(_, c)| c["id"].as_str().unwrap().parse().unwrap());
            let mut options = vec![json!({"name": "question", "type": 3, "value": question})];
            if let Some(a) = anonymous {
                options.push(json!({"name": "anonymous", "type": 5, "value": a}));
            }
            let channel = s.channels[&channel].clone();
            let slash = payloads::Slash {
                id,
                app_id: self.inner.app_id,
                token: &token,
                guild: self.inner.guild,
                channel: &channel,
                who,
                command_id,
                options: json!(options),
            };
            gateway::broadcast(
                s,
                self.inner.bot.id,
                "INTERACTION_CREATE",
                &payloads::slash_command(&slash),
            );
            id
        })
    }

    /// Tells every session to reconnect; on RESUME each gets every dispatch after `from_seq`,
    /// even those it already had.
    pub fn reconnect_with_replay(&self, from_seq: u64) {
        self.change(|s| gateway::reconnect(s, from_seq));
    }
}

pub fn new_interaction(s: &mut State, kind: u8, channel: u64) -> (u64, String) {
    let id = s.id();
    let token = format!("interaction-token-{id}");
    s.interactions.insert(
        id,
        Interaction {
            id,
            kind,
            channel,
            token: token.clone(),
            response: None,
            edit: None,
        },
    );
    (id, token)
}

/// Ids in `<prefix>123>` markup.
fn mentioned(content: &str, prefix: &str) -> Vec<u64> {
    content
        .split(prefix)
        .skip(1)
        .filter_map(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            p[digits.len()..]
                .starts_with('>')
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

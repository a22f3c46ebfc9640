//! Complete Discord payloads, shaped as Discord documents them. serenity silently drops a
//! dispatch missing a field it requires, so `tests/discord/fake.rs` checks every shape against
//! serenity's own models.

use super::state::{Channel, User, DM, PUBLIC_THREAD};
use serde_json::{json, Value};

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

pub fn user(u: &User) -> Value {
    json!({
        "id": u.id.to_string(), "username": u.name, "discriminator": "0",
        "global_name": u.display, "avatar": null, "bot": u.bot, "system": false,
        "banner": null, "accent_color": null, "public_flags": 0, "avatar_decoration_data": null,
    })
}

/// `GET /users/@me`.
pub fn current_user(u: &User) -> Value {
    let mut v = user(u);
    for (k, x) in [
        ("verified", json!(true)),
        ("mfa_enabled", json!(false)),
        ("flags", json!(0)),
        ("locale", json!("en-US")),
        ("email", Value::Null),
        ("premium_type", json!(0)),
    ] {
        v[k] = x;
    }
    v
}

/// A guild member; `with_user` for interactions (messages carry the user separately).
pub fn member(u: &User, with_user: bool) -> Value {
    let mut v = json!({
        "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00", "premium_since": null,
        "deaf": false, "mute": false, "flags": 0, "pending": false, "nick": null, "avatar": null,
        "banner": null, "communication_disabled_until": null,
    });
    if with_user {
        v["user"] = user(u);
        v["permissions"] = json!("2248473465835073");
    }
    v
}

pub struct MessageFields<'a> {
    pub id: u64,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub author: &'a User,
    pub content: &'a str,
    pub kind: u8,
    pub mentions: Vec<&'a User>,
    pub mention_roles: Vec<u64>,
}

pub fn message(f: &MessageFields<'_>) -> Value {
    let mut v = json!({
        "id": f.id.to_string(), "channel_id": f.channel_id.to_string(), "author": user(f.author),
        "content": f.content, "timestamp": now(), "edited_timestamp": null, "tts": false,
        "mention_everyone": f.content.contains("@everyone") || f.content.contains("@here"),
        "mentions": f.mentions.iter().map(|u| user(u)).collect::<Vec<_>>(),
        "mention_roles": f.mention_roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "attachments": [], "embeds": [], "pinned": false, "type": f.kind, "flags": 0,
        "components": [],
    });
    if let Some(g) = f.guild_id {
        v["guild_id"] = json!(g.to_string());
        v["member"] = member(f.author, false);
    }
    v
}

pub fn channel(c: &Channel) -> Value {
    let id = c.id.to_string();
    match c.kind {
        DM => json!({
            "id": id, "type": DM, "last_message_id": null, "flags": 0,
            "recipients": [{"id": c.recipient.unwrap_or(1).to_string(), "username": "someone",
                            "discriminator": "0", "global_name": null, "avatar": null}],
        }),
        PUBLIC_THREAD => json!({
            "id": id, "type": PUBLIC_THREAD, "guild_id": c.guild_id.map(|g| g.to_string()),
            "parent_id": c.parent_id.map(|p| p.to_string()), "owner_id": "1", "name": c.name,
            "last_message_id": null, "rate_limit_per_user": 0, "message_count": 0,
            "member_count": 1, "total_message_sent": 0, "flags": 0, "applied_tags": [],
            "thread_metadata": {"archived": false, "auto_archive_duration": 1440,
                                "archive_timestamp": now(), "locked": false},
        }),
        kind => json!({
            "id": id, "type": kind, "guild_id": c.guild_id.map(|g| g.to_string()),
            "name": c.name, "position": 0, "permission_overwrites": [], "nsfw": false,
            "parent_id": c.parent_id.map(|p| p.to_string()), "topic": null,
            "last_message_id": null, "rate_limit_per_user": 0, "flags": 0,
            "available_tags": [], "default_reaction_emoji": null,
        }),
    }
}

pub fn ready(bot: &User, app_id: u64, guild: u64, session: &str, ws_url: &str) -> Value {
    json!({
        "v": 10, "user": current_user(bot), "guilds": [{"id": guild.to_string(), "unavailable": true}],
        "session_id": session, "resume_gateway_url": ws_url, "shard": [0, 1],
        "application": {"id": app_id.to_string(), "flags": 0},
    })
}

/// Fields every interaction carries.
pub fn interaction(
    id: u64,
    kind: u8,
    app_id: u64,
    token: &str,
    guild: u64,
    channel: &Channel,
    who: &User,
) -> Value {
    json!({
        "id": id.to_string(), "application_id": app_id.to_string(), "type": kind,
        "guild_id": guild.to_string(), "channel_id": channel.id.to_string(),
        "channel": {"id": channel.id.to_string(), "type": channel.kind, "name": channel.name},
        "member": member(who, true), "token": token, "version": 1,
        "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US",
        "entitlements": [], "authorizing_integration_owners": {"0": guild.to_string()},
        "context": 0, "attachment_size_limit": 10_485_760,
    })
}

pub struct Click<'a> {
    pub id: u64,
    pub app_id: u64,
    pub token: &'a str,
    pub guild: u64,
    pub channel: &'a Channel,
    pub who: &'a User,
    pub message: Value,
    pub custom_id: &'a str,
}

pub fn button_click(c: &Click<'_>) -> Value {
    let mut v = interaction(c.id, 3, c.app_id, c.token, c.guild, c.channel, c.who);
    v["data"] = json!({"custom_id": c.custom_id, "component_type": 2});
    v["message"] = c.message.clone();
    v
}

pub struct Slash<'a> {
    pub id: u64,
    pub app_id: u64,
    pub token: &'a str,
    pub guild: u64,
    pub channel: &'a Channel,
    pub who: &'a User,
    pub command_id: u64,
    pub options: Value,
}

pub fn slash_command(s: &Slash<'_>) -> Value {
    let mut v = interaction(s.id, 2, s.app_id, s.token, s.guild, s.channel, s.who);
    v["data"] = json!({
        "id": s.command_id.to_string(), "name": "ask", "type": 1, "options": s.options,
        "guild_id": s.guild.to_string(),
    });
    v
}

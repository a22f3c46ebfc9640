//! Who is acting, and whether they are a moderator, decided from the interaction itself on every
//! action: never cached, never from anything the user typed.
//!
//! A member is a moderator when they hold one of `discord.moderator_role_ids`, or when the
//! permissions Discord computed for them in that channel (`member.permissions`, sent with every
//! guild interaction) include Manage Messages or Administrator. Outside a guild (a DM with the
//! bot) nobody is a moderator: there is no member, no roles and no permissions to go by.

use super::PLATFORM;
use crate::domain::Actor;
use serenity::all::{GuildId, Member, Permissions, User};

/// The actor behind an interaction.
pub fn actor(guild: Option<GuildId>, member: Option<&Member>, user: &User, roles: &[u64]) -> Actor {
    let name = member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone());
    Actor {
        platform: PLATFORM.into(),
        user_id: user.id.to_string(),
        name,
        is_moderator: guild.is_some() && member.is_some_and(|m| is_moderator(m, roles)),
    }
}

fn is_moderator(member: &Member, roles: &[u64]) -> bool {
    let by_role = member.roles.iter().any(|r| roles.contains(&r.get()));
    let by_permission = member.permissions.is_some_and(|p| {
        p.contains(Permissions::ADMINISTRATOR) || p.contains(Permissions::MANAGE_MESSAGES)
    });
    by_role || by_permission
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn member(roles: &[&str], permissions: Option<&str>) -> Member {
        let mut v = json!({
            "user": {"id": "7", "username": "ann", "discriminator": "0", "global_name": "Ann",
                     "avatar": null},
            "roles": roles, "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false,
            "mute": false, "flags": 0, "nick": null,
        });
        if let Some(p) = permissions {
            v["permissions"] = json!(p);
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn roles_and_permissions_make_a_moderator() {
        let guild = Some(GuildId::new(1));
        let plain = member(&["10"], Some("2248473465835073"));
        let a = actor(guild, Some(&plain), &plain.user, &[99]);
        assert!(!a.is_moderator);
        assert_eq!((a.name.as_str(), a.user_id.as_str()), ("Ann", "7"));
        assert!(actor(guild, Some(&plain), &plain.user, &[10]).is_moderator);
        let manage = member(&[], Some(&(1u64 << 13).to_string()));
        assert!(actor(guild, Some(&manage), &manage.user, &[]).is_moderator);
        let admin = member(&[], Some("8"));
        assert!(actor(guild, Some(&admin), &admin.user, &[]).is_moderator);
        let unknown = member(&["10"], None);
        assert!(!actor(guild, Some(&unknown), &unknown.user, &[]).is_moderator);
    }

    #[test]
    fn nobody_is_a_moderator_outside_a_guild() {
        let admin = member(&["10"], Some("8"));
        assert!(!actor(None, Some(&admin), &admin.user, &[10]).is_moderator);
        assert!(!actor(None, None, &admin.user, &[10]).is_moderator);
    }
}

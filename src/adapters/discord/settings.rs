//! `[discord]` settings. The token comes from `DISCORD_TOKEN` (preferred) or `discord.token`,
//! and is kept in a `Secret` so it never reaches a log line.

use crate::domain::UserError;
use serde::Deserialize;
use std::time::Duration;

pub use crate::config::Secret;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordSettings {
    /// Bot token. `DISCORD_TOKEN` in the environment takes precedence.
    pub token: Option<Secret>,
    /// REST base URL override, replacing `https://discord.com` (a REST proxy, or the fake in
    /// tests). The gateway URL is asked from the API.
    pub api_base: Option<String>,
    /// Channels where every message is a question: text channels, or forum channels (the bot
    /// replies inside each post).
    pub channels: Vec<u64>,
    /// Where anonymous questions (DMs, `/ask anonymous:true`) are reposted and answered.
    pub anonymous_channel: Option<u64>,
    /// Guilds to register `/ask` in (instant). Empty: register it globally.
    pub command_guilds: Vec<u64>,
    /// Most bot replies in one thread, the first answer included; follow-ups beyond it are
    /// left to people.
    pub max_thread_replies: i64,
    /// Shorter messages get a friendly hint instead of an answer.
    pub min_question_chars: usize,
    /// How long an instance holds a question it is answering before another may take over.
    pub claim_lease_ms: u64,
    /// How often stored but unanswered questions are retried (also done at every connect).
    /// The review queue is swept and posted on the same beat.
    pub replay_interval_ms: u64,
    /// Members with any of these roles are moderators (besides those with Manage Messages or
    /// Administrator in the guild).
    pub moderator_role_ids: Vec<u64>,
    /// Where review-queue items are posted, with their buttons. Without it, moderators work
    /// the queue with `/advice queue`.
    pub mod_channel_id: Option<u64>,
}

impl Default for DiscordSettings {
    fn default() -> Self {
        Self {
            token: None,
            api_base: None,
            channels: Vec::new(),
            anonymous_channel: None,
            command_guilds: Vec::new(),
            max_thread_replies: 4,
            min_question_chars: 15,
            claim_lease_ms: 120_000,
            replay_interval_ms: 60_000,
            moderator_role_ids: Vec::new(),
            mod_channel_id: None,
        }
    }
}

impl DiscordSettings {
    /// The token to connect with: `DISCORD_TOKEN` when set and non-empty, else `discord.token`.
    pub fn token(&self) -> Option<Secret> {
        self.token_from(std::env::var("DISCORD_TOKEN").ok())
    }

    fn token_from(&self, env: Option<String>) -> Option<Secret> {
        env.filter(|t| !t.trim().is_empty())
            .map(|t| Secret::new(t.trim()))
            .or_else(|| self.token.clone().filter(|t| !t.expose().trim().is_empty()))
    }

    pub fn claim_lease(&self) -> Duration {
        Duration::from_millis(self.claim_lease_ms)
    }

    pub fn replay_interval(&self) -> Duration {
        Duration::from_millis(self.replay_interval_ms)
    }

    /// Checks what serde cannot: URL shape and ranges.
    pub fn check(&self) -> Result<(), UserError> {
        if let Some(base) = &self.api_base {
            let ok = (base.starts_with("http://") || base.starts_with("https://"))
                && !base.trim_end_matches('/').contains("/api");
            if !ok {
                return Err(UserError::new(format!(
                    "bad configuration: discord.api_base {base:?} must be an http(s) base URL \
                     such as https://proxy.example (without /api/v10)"
                )));
            }
        }
        let mut ids = self
            .channels
            .iter()
            .chain(&self.command_guilds)
            .chain(&self.moderator_role_ids);
        if ids.any(|&id| id == 0)
            || self.anonymous_channel == Some(0)
            || self.mod_channel_id == Some(0)
        {
            return Err(UserError::new(
                "bad configuration: discord channel, guild and role ids must be Discord ids, \
                 not 0",
            ));
        }
        if self.max_thread_replies < 1 {
            return Err(UserError::new(
                "bad configuration: discord.max_thread_replies must be at least 1",
            ));
        }
        if self.claim_lease_ms < 100 || self.replay_interval_ms < 100 {
            return Err(UserError::new(
                "bad configuration: discord.claim_lease_ms and replay_interval_ms must be at \
                 least 100",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = DiscordSettings {
            token: Some(Secret::new("abc.def")),
            ..Default::default()
        };
        assert!(!format!("{s:?}").contains("abc.def"));
        assert_eq!(Secret::new("x").to_string(), "***");
    }

    #[test]
    fn environment_token_wins_and_blank_means_none() {
        let s = DiscordSettings {
            token: Some(Secret::new("from-file")),
            ..Default::default()
        };
        assert_eq!(
            s.token_from(Some("from-env".into())).unwrap().expose(),
            "from-env"
        );
        assert_eq!(
            s.token_from(Some("  ".into())).unwrap().expose(),
            "from-file"
        );
        assert!(DiscordSettings::default().token_from(None).is_none());
    }

    #[test]
    fn check_rejects_bad_base_and_ranges() {
        let mut s = DiscordSettings::default();
        assert!(s.check().is_ok());
        s.api_base = Some("127.0.0.1:9".into());
        assert!(s.check().is_err());
        s.api_base = Some("http://127.0.0.1:9/api/v10".into());
        assert!(s.check().is_err());
        s.api_base = Some("http://127.0.0.1:9".into());
        assert!(s.check().is_ok());
        s.max_thread_replies = 0;
        assert!(s.check().is_err());
    }

    #[test]
    fn check_rejects_zero_moderator_ids() {
        let mut s = DiscordSettings {
            moderator_role_ids: vec![5, 0],
            ..Default::default()
        };
        assert!(s.check().is_err());
        s.moderator_role_ids = vec![5];
        assert!(s.check().is_ok());
        s.mod_channel_id = Some(0);
        assert!(s.check().is_err());
    }
}

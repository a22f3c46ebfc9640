//! Slack settings: `[slack]` in `crossroads.toml` or `CROSSROADS_SLACK__*`, with the tokens also
//! read from Slack's usual variables `SLACK_BOT_TOKEN`, `SLACK_APP_TOKEN` and
//! `SLACK_SIGNING_SECRET` (these win over the file). Secrets never print: their `Debug` is `***`.

use crate::domain::UserError;
use serde::Deserialize;

pub use crate::config::Secret;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlackSettings {
    /// Web API base URL override (a proxy, or the fake in tests). Default `https://slack.com/api`.
    pub api_base: Option<String>,
    /// `xoxb-...`: Slack is off without it.
    pub bot_token: Option<Secret>,
    /// `xapp-...`: when set, events arrive over Socket Mode (no public URL needed).
    pub app_token: Option<Secret>,
    /// Verifies the Events API requests to `/slack/*` (HTTP mode).
    pub signing_secret: Option<Secret>,
    /// Channel ids where every top-level message is taken as a question.
    pub channels: Vec<String>,
    /// Where DMs and anonymous `/ask` questions are reposted. Default: the first of `channels`.
    pub anonymous_channel: Option<String>,
    /// Most bot replies in one thread, the first answer included; follow-ups beyond it are
    /// left to people (as on Discord).
    pub max_thread_replies: i64,
    /// Shorter questions get a friendly hint instead of an answer (as on Discord).
    pub min_question_chars: usize,
    /// Moderators by user id (`U…`/`W…`).
    pub moderator_user_ids: Vec<String>,
    /// Members of this user group (`S…`) are moderators too (read with `usergroups.users.list`).
    pub moderator_usergroup: Option<String>,
    /// Where review-queue items are posted. No channel, no posting (`/advice queue` still works).
    pub mod_channel: Option<String>,
}

impl Default for SlackSettings {
    fn default() -> Self {
        Self {
            api_base: None,
            bot_token: None,
            app_token: None,
            signing_secret: None,
            channels: Vec::new(),
            anonymous_channel: None,
            max_thread_replies: 4,
            min_question_chars: 15,
            moderator_user_ids: Vec::new(),
            moderator_usergroup: None,
            mod_channel: None,
        }
    }
}

/// Validated settings of a Slack adapter that is switched on.
#[derive(Debug, Clone)]
pub struct SlackConfig {
    pub api_base: String,
    pub bot_token: Secret,
    pub app_token: Option<Secret>,
    pub signing_secret: Option<Secret>,
    pub channels: Vec<String>,
    pub anonymous_channel: Option<String>,
    pub max_thread_replies: i64,
    pub min_question_chars: usize,
    pub moderator_user_ids: Vec<String>,
    pub moderator_usergroup: Option<String>,
    pub mod_channel: Option<String>,
}

pub const DEFAULT_API_BASE: &str = "https://slack.com/api";

impl SlackSettings {
    /// Applies `SLACK_BOT_TOKEN`, `SLACK_APP_TOKEN` and `SLACK_SIGNING_SECRET` from `var`
    /// (normally `std::env::var`); empty values count as unset.
    pub fn with_env(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty()).map(Secret::new);
        if let Some(v) = get("SLACK_BOT_TOKEN") {
            self.bot_token = Some(v);
        }
        if let Some(v) = get("SLACK_APP_TOKEN") {
            self.app_token = Some(v);
        }
        if let Some(v) = get("SLACK_SIGNING_SECRET") {
            self.signing_secret = Some(v);
        }
        self
    }

    /// `None` when Slack is not configured (no bot token); an error when it is configured
    /// inconsistently.
    pub fn resolve(&self) -> Result<Option<SlackConfig>, UserError> {
        let Some(bot_token) = self.bot_token.clone() else {
            return Ok(None);
        };
        let bad = |msg: String| UserError::new(format!("bad Slack configuration: {msg}"));
        if !bot_token.expose().starts_with("xoxb-") {
            return Err(bad(
                "the bot token (SLACK_BOT_TOKEN) must start with xoxb-".into()
            ));
        }
        if let Some(app) = &self.app_token {
            if !app.expose().starts_with("xapp-") {
                return Err(bad(
                    "the app token (SLACK_APP_TOKEN) must start with xapp-".into()
                ));
            }
        }
        if self.app_token.is_none() && self.signing_secret.is_none() {
            return Err(bad(
                "set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for the Events API"
                    .into(),
            ));
        }
        for u in &self.moderator_user_ids {
            if !is_id(u, &['U', 'W']) {
                return Err(bad(format!("{u:?} is not a user id (like U0123ABCD)")));
            }
        }
        if let Some(g) = &self.moderator_usergroup {
            if !is_id(g, &['S']) {
                return Err(bad(format!(
                    "{g:?} is not a user group id (like S0123ABCD)"
                )));
            }
        }
        let channels = self.channels.iter().chain(&self.anonymous_channel);
        for c in channels.chain(&self.mod_channel) {
            if !is_channel_id(c) {
                return Err(bad(format!("{c:?} is not a channel id (like C0123ABCD)")));
            }
        }
        if self.max_thread_replies < 1 {
            return Err(bad("max_thread_replies must be at least 1".into()));
        }
        let api_base = self.api_base.as_deref().unwrap_or(DEFAULT_API_BASE);
        let api_base = api_base.trim_end_matches('/').to_owned();
        check_api_base(&api_base).map_err(bad)?;
        Ok(Some(SlackConfig {
            api_base,
            bot_token,
            app_token: self.app_token.clone(),
            signing_secret: self.signing_secret.clone(),
            channels: self.channels.clone(),
            anonymous_channel: self
                .anonymous_channel
                .clone()
                .or_else(|| self.channels.first().cloned()),
            max_thread_replies: self.max_thread_replies,
            min_question_chars: self.min_question_chars,
            moderator_user_ids: self.moderator_user_ids.clone(),
            moderator_usergroup: self.moderator_usergroup.clone(),
            mod_channel: self.mod_channel.clone(),
        }))
    }
}

fn is_channel_id(s: &str) -> bool {
    is_id(s, &['C', 'G'])
}

/// A Slack id: one of `prefixes`, then uppercase letters and digits.
fn is_id(s: &str, prefixes: &[char]) -> bool {
    s.len() >= 2
        && s.len() <= 40
        && s.starts_with(prefixes)
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Tokens travel in every request, so plain `http://` is only allowed to this machine.
fn check_api_base(url: &str) -> Result<(), String> {
    if url.starts_with("https://") {
        return Ok(());
    }
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    let local = loopback.iter().any(|p| {
        url.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
    });
    if local {
        Ok(())
    } else {
        Err(format!(
            "api_base {url:?} must be https:// (plain http only to 127.0.0.1 or localhost)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn env_tokens_win_and_secrets_never_print() {
        let s = SlackSettings {
            bot_token: Some(Secret::new("xoxb-file")),
            ..Default::default()
        }
        .with_env(env(&[
            ("SLACK_BOT_TOKEN", "xoxb-env"),
            ("SLACK_APP_TOKEN", ""),
        ]));
        assert_eq!(s.bot_token.as_ref().unwrap().expose(), "xoxb-env");
        assert!(s.app_token.is_none(), "an empty variable counts as unset");
        assert!(!format!("{s:?}").contains("xoxb"));
    }

    #[test]
    fn resolve_checks_tokens_channels_and_base_url() {
        assert!(SlackSettings::default().resolve().unwrap().is_none());
        let ok = SlackSettings {
            bot_token: Some(Secret::new("xoxb-1")),
            app_token: Some(Secret::new("xapp-1")),
            channels: vec!["C123".into()],
            ..Default::default()
        };
        let c = ok.resolve().unwrap().unwrap();
        assert_eq!(c.api_base, DEFAULT_API_BASE);
        assert_eq!(c.anonymous_channel.as_deref(), Some("C123"));

        let mut s = ok.clone();
        s.app_token = None;
        assert!(s.resolve().unwrap_err().0.contains("SLACK_SIGNING_SECRET"));
        let mut s = ok.clone();
        s.bot_token = Some(Secret::new("xapp-wrong"));
        assert!(s.resolve().is_err());
        let mut s = ok.clone();
        s.channels = vec!["#careers".into()];
        assert!(s.resolve().is_err());
        let mut s = ok.clone();
        s.api_base = Some("http://proxy.example.com/api".into());
        assert!(s.resolve().is_err());
        s.api_base = Some("http://127.0.0.1:9/api/".into());
        let mut m = s.clone();
        m.moderator_user_ids = vec!["U1".into(), "W2".into()];
        m.moderator_usergroup = Some("S0MODS".into());
        m.mod_channel = Some("C0MODS".into());
        assert!(m.resolve().is_ok());
        for (ids, group, chan) in [
            ("u1", "S1", "C1"),
            ("U1", "@mods", "C1"),
            ("U1", "S1", "#mods"),
        ] {
            m.moderator_user_ids = vec![ids.into()];
            m.moderator_usergroup = Some(group.into());
            m.mod_channel = Some(chan.into());
            assert!(m.resolve().is_err(), "{ids} {group} {chan}");
        }
        assert_eq!(
            s.resolve().unwrap().unwrap().api_base,
            "http://127.0.0.1:9/api"
        );
    }
}

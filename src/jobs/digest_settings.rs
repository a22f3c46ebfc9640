//! `[digest]` settings: which channels get a weekly digest, when, and in which timezone.
//!
//! ```toml
//! [digest]
//! claim_lease_ms = 600000     # how long an instance holds a run it is posting
//! tick_interval_ms = 60000    # how often serve checks for due digests
//!
//! [[digest.channels]]
//! platform = "discord"        # or "slack"
//! channel = "123456789012345678"
//! schedule = "0 9 * * MON"    # cron, read in `timezone`
//! timezone = "Europe/Berlin"  # IANA name
//! enabled = true
//! quiet = "short"             # a week without questions: "short" digest or "skip"
//! ```

use crate::core::digest::Schedule;
use crate::domain::UserError;
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;

pub const PLATFORMS: [&str; 2] = ["discord", "slack"];

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DigestSettings {
    pub channels: Vec<DigestChannel>,
    pub claim_lease_ms: u64,
    pub tick_interval_ms: u64,
}

impl Default for DigestSettings {
    fn default() -> Self {
        Self {
            channels: Vec::new(),
            claim_lease_ms: 10 * 60 * 1000,
            tick_interval_ms: 60 * 1000,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Quiet {
    /// A short digest saying the week was quiet.
    #[default]
    Short,
    /// No digest at all.
    Skip,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestChannel {
    pub platform: String,
    /// A Discord channel id or a Slack channel id; a TOML string or integer.
    #[serde(deserialize_with = "string_or_number")]
    pub channel: String,
    #[serde(default = "default_schedule")]
    pub schedule: String,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub quiet: Quiet,
}

fn default_schedule() -> String {
    "0 9 * * MON".into()
}

fn default_timezone() -> String {
    "UTC".into()
}

fn yes() -> bool {
    true
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(match Id::deserialize(d)? {
        Id::Text(s) => s,
        Id::Number(n) => n.to_string(),
    })
}

impl DigestChannel {
    pub fn schedule(&self) -> Result<Schedule, UserError> {
        Schedule::parse(&self.schedule, &self.timezone).map_err(|e| {
            UserError::new(format!(
                "bad configuration: digest channel {} on {}: {}",
                self.channel, self.platform, e.0
            ))
        })
    }
}

impl DigestSettings {
    /// Checks what serde cannot: platforms, schedules, timezones, duplicates, ranges.
    pub fn check(&self) -> Result<(), UserError> {
        let mut seen = HashSet::new();
        for c in &self.channels {
            if !PLATFORMS.contains(&c.platform.as_str()) {
                return Err(UserError::new(format!(
                    "bad configuration: digest channel {:?} has unknown platform {:?} \
                     (use \"discord\" or \"slack\")",
                    c.channel, c.platform
                )));
            }
            if c.channel.trim().is_empty() {
                return Err(UserError::new(
                    "bad configuration: a digest channel has an empty channel id",
                ));
            }
            c.schedule()?;
            if !seen.insert((c.platform.as_str(), c.channel.as_str())) {
                return Err(UserError::new(format!(
                    "bad configuration: digest channel {} on {} is listed twice",
                    c.channel, c.platform
                )));
            }
        }
        if self.claim_lease_ms < 1000 || self.tick_interval_ms < 1000 {
            return Err(UserError::new(
                "bad configuration: digest.claim_lease_ms and tick_interval_ms must be at least 1000",
            ));
        }
        Ok(())
    }

    /// The configured channel `channel`, on `platform` when given. Unknown or ambiguous
    /// channels are the user's error.
    pub fn find(&self, platform: Option<&str>, channel: &str) -> Result<&DigestChannel, UserError> {
        let matches: Vec<_> = self
            .channels
            .iter()
            .filter(|c| c.channel == channel && platform.map_or(true, |p| c.platform == p))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(UserError::new(format!(
                "no digest channel {channel:?}{} in the configuration ([[digest.channels]])",
                platform.map(|p| format!(" on {p}")).unwrap_or_default()
            ))),
            _ => Err(UserError::new(format!(
                "digest channel {channel:?} is configured on several platforms: add --platform"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<DigestSettings, UserError> {
        let s: DigestSettings =
            toml::from_str(toml_text).map_err(|e| UserError::new(e.to_string()))?;
        s.check().map(|()| s)
    }

    #[test]
    fn good_channels_load_with_defaults() {
        let s = parse(
            "[[channels]]\nplatform = \"discord\"\nchannel = 123\n\
             [[channels]]\nplatform = \"slack\"\nchannel = \"C1\"\nschedule = \"30 8 * * FRI\"\n\
             timezone = \"America/New_York\"\nquiet = \"skip\"\nenabled = false\n",
        )
        .unwrap();
        assert_eq!(s.channels[0].channel, "123");
        assert_eq!(s.channels[0].quiet, Quiet::Short);
        assert_eq!(s.channels[1].quiet, Quiet::Skip);
        assert!(s.find(None, "C1").is_ok());
        assert!(s.find(Some("discord"), "C1").is_err());
    }

    #[test]
    fn bad_cron_timezone_platform_and_duplicates_are_user_errors() {
        let cases = [
            ("platform = \"discord\"\nchannel = \"1\"\nschedule = \"0 9 * * FUNDAY\"", "cron"),
            ("platform = \"discord\"\nchannel = \"1\"\ntimezone = \"Europe/Nowhere\"", "timezone"),
            ("platform = \"teams\"\nchannel = \"1\"", "unknown platform"),
            ("platform = \"slack\"\nchannel = \"\"", "empty channel"),
            ("platform = \"slack\"\nchannel = \"C1\"\n[[channels]]\nplatform = \"slack\"\nchannel = \"C1\"", "twice"),
            ("platform = \"slack\"\nchannel = \"C1\"\nquiet = \"loud\"", "loud"),
        ];
        for (body, expected) in cases {
            let err = parse(&format!("[[channels]]\n{body}\n")).unwrap_err();
            assert!(err.0.contains(expected), "{expected}: {}", err.0);
        }
    }
}

//! Typed settings: built-in defaults, then `crossroads.toml` (or `--config FILE`), then
//! `CROSSROADS_*` environment variables (`__` separates nesting, e.g.
//! `CROSSROADS_CLASSIFIER__OTHER_PRIOR=0.8`), then `DATABASE_URL`, then command-line flags.
//! Unknown keys are errors, so a typo never silently falls back to a default.

use crate::adapters::discord::DiscordSettings;
use crate::adapters::slack::SlackSettings;
use crate::core::curation::ReviewSettings;
use crate::core::ClassifierConfig;
use crate::domain::UserError;
use crate::jobs::DigestSettings;
use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A token or secret. `Debug` and `Display` print `***`, so it can't leak through logs or errors.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that sends or uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://PATH` (created on first run) or `postgres://...`.
    pub database_url: String,
    /// Where `serve` listens: health now, Slack events later.
    pub http_addr: SocketAddr,
    /// A folder of prompt files overriding the built-in wording (see `prompts/README.md`).
    pub prompts_dir: Option<PathBuf>,
    pub classifier: ClassifierConfig,
    /// When questions and snippets go to the moderators' review queue.
    pub review: ReviewSettings,
    pub discord: DiscordSettings,
    pub slack: SlackSettings,
    /// Weekly digests: channels, schedules, timezones (see `jobs::digest_settings`).
    pub digest: DigestSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://crossroads.db".into(),
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            prompts_dir: None,
            classifier: ClassifierConfig::default(),
            review: ReviewSettings::default(),
            discord: DiscordSettings::default(),
            slack: SlackSettings::default(),
            digest: DigestSettings::default(),
        }
    }
}

impl Settings {
    /// Loads settings. `file` must exist when given; otherwise `crossroads.toml` is read if present.
    pub fn load(file: Option<&Path>) -> Result<Self, UserError> {
        let mut figment = Figment::new();
        match file {
            Some(path) if !path.is_file() => {
                return Err(UserError::new(format!(
                    "config file {} does not exist",
                    path.display()
                )))
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file("crossroads.toml")),
        }
        figment = figment.merge(Env::prefixed("CROSSROADS_").split("__"));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database_url", url));
        }
        let settings: Self = figment
            .extract()
            .map_err(|e| UserError::new(format!("bad configuration: {e}")))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), UserError> {
        let c = &self.classifier;
        let unit = |v: f32| v > 0.0 && v < 1.0;
        if !(unit(c.other_prior) && unit(c.target_precision) && unit(c.secondary_threshold)) {
            return Err(UserError::new(
                "bad configuration: classifier.other_prior, target_precision and \
                 secondary_threshold must be between 0 and 1",
            ));
        }
        let r = &self.review;
        if !(0.0..=1.0).contains(&r.low_confidence)
            || r.unanswered_after_secs < 0
            || r.review_every_days < 1
        {
            return Err(UserError::new(
                "bad configuration: review.low_confidence must be 0-1, \
                 unanswered_after_secs >= 0 and review_every_days >= 1",
            ));
        }
        if c.epochs == 0 || c.epochs > 1000 {
            return Err(UserError::new(
                "bad configuration: classifier.epochs must be 1-1000",
            ));
        }
        self.digest.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_override_defaults_and_typos_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "http_addr = \"127.0.0.1:9999\"\n[classifier]\nother_prior = 0.8\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path)).unwrap();
        assert_eq!(s.http_addr.port(), 9999);
        assert_eq!(s.classifier.other_prior, 0.8);

        std::fs::write(&path, "databse_url = \"x\"\n").unwrap();
        assert!(Settings::load(Some(&path))
            .unwrap_err()
            .0
            .contains("databse_url"));

        std::fs::write(&path, "[classifier]\nother_prior = 1.5\n").unwrap();
        assert!(Settings::load(Some(&path)).is_err());
        assert!(Settings::load(Some(&dir.path().join("missing.toml"))).is_err());
    }

    #[test]
    fn digest_channels_are_checked_at_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let channel = "[[digest.channels]]\nplatform = \"slack\"\nchannel = \"C1\"\n";
        std::fs::write(&path, format!("{channel}timezone = \"Europe/Berlin\"\n")).unwrap();
        assert_eq!(
            Settings::load(Some(&path)).unwrap().digest.channels.len(),
            1
        );
        for (extra, expected) in [
            ("schedule = \"61 9 * * MON\"\n", "cron"),
            ("timezone = \"Berlin\"\n", "timezone"),
        ] {
            std::fs::write(&path, format!("{channel}{extra}")).unwrap();
            let err = Settings::load(Some(&path)).unwrap_err();
            assert!(err.0.contains(expected), "{}", err.0);
        }
        std::fs::write(&path, channel.replace("slack", "irc")).unwrap();
        assert!(Settings::load(Some(&path))
            .unwrap_err()
            .0
            .contains("platform"));
    }
}

//! Slack, through slack-morphism.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlackSettings {
    /// Web API base URL override (a proxy, or the fake in tests).
    pub api_base: Option<String>,
}

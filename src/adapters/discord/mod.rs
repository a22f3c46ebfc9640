//! Discord, through serenity.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordSettings {
    /// REST base URL override (a REST proxy, or the fake in tests).
    pub api_base: Option<String>,
}

//! `digest preview` prints a channel's digest as text; `digest post-now` posts it through the
//! platform's REST API (no gateway, no Socket Mode). Both need the channel in
//! `[[digest.channels]]`, which gives its platform and timezone.

use crate::config::Settings;
use crate::core::digest::{render, text, IsoWeek, Plain};
use crate::domain::UserError;
use crate::jobs::digest::{chart_png, instance_id};
use crate::jobs::{DigestRunner, RunOutcome, SystemClock};
use std::path::Path;
use std::sync::Arc;

async fn runner(settings: &Settings) -> anyhow::Result<DigestRunner> {
    let store = crate::store::connect(&settings.database_url).await?;
    store.seed_if_empty(&crate::knowledge::builtin()).await?;
    Ok(DigestRunner::new(
        store,
        &settings.digest,
        Arc::new(SystemClock),
        instance_id(),
    )?)
}

pub async fn preview(
    settings: &Settings,
    platform: Option<&str>,
    channel: &str,
    week: Option<&str>,
    chart: Option<&Path>,
) -> anyhow::Result<()> {
    let week = week.map(IsoWeek::parse).transpose()?;
    settings.digest.find(platform, channel)?;
    let digest = runner(settings)
        .await?
        .preview(platform, channel, week)
        .await?;
    if let Some(path) = chart {
        let png = chart_png(&digest)
            .ok_or_else(|| UserError::new("no chart for a quiet week (no questions)"))?;
        std::fs::write(path, png)
            .map_err(|e| UserError::new(format!("cannot write {}: {e}", path.display())))?;
    }
    let out = format!("{}\n\n{}\n", text::title(&digest), render(&digest, &Plain));
    super::print(&out)
}

pub async fn post_now(
    settings: &Settings,
    platform: Option<&str>,
    channel: &str,
    force: bool,
) -> anyhow::Result<()> {
    let target = settings.digest.find(platform, channel)?;
    let mut runner = runner(settings).await?;
    match target.platform.as_str() {
        "discord" => {
            let token = settings
                .discord
                .token()
                .ok_or_else(|| UserError::new("DISCORD_TOKEN is not set"))?;
            settings.discord.check()?;
            let sink = crate::adapters::discord::digest_sink(&settings.discord, &token);
            runner = runner.with_sink("discord", sink);
        }
        _ => {
            let slack = settings.slack.clone().with_env(|k| std::env::var(k).ok());
            let config = slack
                .resolve()?
                .ok_or_else(|| UserError::new("SLACK_BOT_TOKEN is not set"))?;
            runner = runner.with_sink("slack", crate::adapters::slack::digest_sink(&config)?);
        }
    }
    let (key, outcome) = runner.post_now(platform, channel, force).await?;
    let line = match outcome {
        RunOutcome::Posted { message_id } => format!(
            "posted the digest for {} in {} ({message_id})\n",
            key.week, key.channel
        ),
        RunOutcome::Skipped => format!(
            "{} was a quiet week and {} skips quiet weeks: nothing posted\n",
            key.week, key.channel
        ),
        other => format!("{other:?}\n"),
    };
    super::print(&line)
}

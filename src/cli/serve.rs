//! `serve`: the long-running bot process.

use super::open_engine;
use crate::adapters::discord;
use crate::adapters::slack::{Slack, SlackConfig};
use crate::config::Settings;
use crate::core::curation::Curation;
use crate::core::Engine;
use std::sync::Arc;

pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let engine = Arc::new(open_engine(settings).await?);
    // One Curation for every platform: moderators' commands and the review queue.
    let curation = Arc::new(Curation::new(engine.clone(), settings.review.clone()));
    // Slack runs when a bot token is configured: over Socket Mode when `SLACK_APP_TOKEN` is
    // set, otherwise through the Events API routes on the HTTP server.
    let slack_config = (settings.slack.clone())
        .with_env(|k| std::env::var(k).ok())
        .resolve()?;
    let digest = start_digest(settings, &engine, slack_config.as_ref())?;
    if let Some((_, runner)) = &digest {
        curation.set_digest(runner.clone());
    }
    let slack = match slack_config {
        Some(config) => Some(Slack::start(config, curation.clone()).await?),
        None => None,
    };
    let discord = match settings.discord.token() {
        Some(token) => Some(
            discord::start(
                curation.clone(),
                &settings.discord,
                token,
                Default::default(),
            )
            .await?,
        ),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(settings.http_addr)
        .await
        .map_err(|e| {
            crate::domain::UserError::new(format!("cannot listen on {}: {e}", settings.http_addr))
        })?;
    tracing::info!(addr = %listener.local_addr()?, "HTTP server listening");
    axum::serve(listener, crate::http::router(engine, slack.as_ref()))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
        .await?;
    if let Some((task, _)) = digest {
        task.abort();
    }
    if let Some(slack) = slack {
        slack.shutdown().await;
    }
    if let Some(discord) = discord {
        discord.stop().await;
    }
    Ok(())
}

/// The weekly digest: a tick at startup (posting a missed week), then every
/// `digest.tick_interval_ms`, for the platforms configured in this process. The runner also
/// answers the moderators' `digest-now`.
fn start_digest(
    settings: &Settings,
    engine: &Arc<Engine>,
    slack: Option<&SlackConfig>,
) -> anyhow::Result<Option<(tokio::task::JoinHandle<()>, Arc<crate::jobs::DigestRunner>)>> {
    use crate::jobs::{digest, DigestRunner, SystemClock};
    if settings.digest.channels.is_empty() {
        return Ok(None);
    }
    let clock = Arc::new(SystemClock);
    let store = engine.store().clone();
    let mut runner = DigestRunner::new(store, &settings.digest, clock, digest::instance_id())?;
    if let Some(token) = settings.discord.token() {
        runner = runner.with_sink("discord", discord::digest_sink(&settings.discord, &token));
    }
    if let Some(config) = slack {
        runner = runner.with_sink("slack", crate::adapters::slack::digest_sink(config)?);
    }
    let every = std::time::Duration::from_millis(settings.digest.tick_interval_ms);
    let runner = Arc::new(runner);
    Ok(Some((digest::spawn(runner.clone(), every), runner)))
}

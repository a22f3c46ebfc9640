//! `serve`: the long-running bot process.

use super::open_engine;
use crate::adapters::discord;
use crate::adapters::slack::Slack;
use crate::config::Settings;
use crate::core::curation::Curation;
use crate::core::Engine;
use std::sync::Arc;

pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let engine = Arc::new(open_engine(settings).await?);
    // One curation for every platform: one review queue, one audit log.
    let curation = Arc::new(Curation::new(engine.clone(), settings.review.clone()));
    let slack = start_slack(settings, &engine).await?;
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
    if let Some(slack) = slack {
        slack.shutdown().await;
    }
    if let Some(discord) = discord {
        discord.stop().await;
    }
    Ok(())
}

/// Slack runs when a bot token is configured: over Socket Mode when `SLACK_APP_TOKEN` is set,
/// otherwise through the Events API routes on the HTTP server.
async fn start_slack(
    settings: &Settings,
    engine: &Arc<Engine>,
) -> anyhow::Result<Option<Arc<Slack>>> {
    let slack = settings.slack.clone().with_env(|k| std::env::var(k).ok());
    match slack.resolve()? {
        Some(config) => Ok(Some(Slack::start(config, engine.clone()).await?)),
        None => Ok(None),
    }
}

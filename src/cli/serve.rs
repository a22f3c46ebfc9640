//! `serve`: the long-running bot process.

use super::open_engine;
use crate::config::Settings;
use std::sync::Arc;

pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let engine = Arc::new(open_engine(settings).await?);
    let listener = tokio::net::TcpListener::bind(settings.http_addr)
        .await
        .map_err(|e| crate::domain::UserError::new(format!("cannot listen on {}: {e}", settings.http_addr)))?;
    tracing::info!(addr = %listener.local_addr()?, "HTTP server listening");
    axum::serve(listener, crate::http::router(engine))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
        .await?;
    Ok(())
}

//! The bot's HTTP server: health, and the Slack Events API (`/slack/*`, see `adapters::slack`).

use crate::adapters::slack::Slack;
use crate::core::Engine;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

/// Health, plus the Slack Events API routes when Slack runs over HTTP.
pub fn router(engine: Arc<Engine>, slack: Option<&Arc<Slack>>) -> Router {
    let router = Router::new()
        .route("/health", get(health))
        .with_state(engine);
    match slack.and_then(Slack::routes) {
        Some(slack_routes) => router.merge(slack_routes),
        None => router,
    }
}

/// 200 when the database answers, 503 when it does not.
async fn health(State(engine): State<Arc<Engine>>) -> (StatusCode, Json<Value>) {
    match engine.store().categories().await {
        Ok(c) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "categories": c.len()})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "database unavailable"})),
            )
        }
    }
}

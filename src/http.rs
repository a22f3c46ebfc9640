//! The bot's HTTP server: health now; the Slack Events API joins it later.

use crate::core::Engine;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(engine: Arc<Engine>) -> Router {
    Router::new().route("/health", get(health)).with_state(engine)
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

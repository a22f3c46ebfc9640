//! The Events API over HTTP: `POST /slack/events`, `/slack/commands` and `/slack/interactive`.
//! Every request is verified before anything reads it (401 otherwise, and nothing is stored);
//! valid ones are acknowledged at once and worked on afterwards.

use super::app::Slack;
use super::interact::InteractionAck;
use super::verify::Verifier;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;
use slack_morphism::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Slack's payloads are small; anything bigger is not from Slack.
const MAX_BODY_BYTES: usize = 1 << 20;

impl Slack {
    /// The Events API routes, when a signing secret is configured (`None` otherwise).
    pub fn routes(self: &Arc<Self>) -> Option<Router> {
        self.verifier.clone().map(|v| routes(self.clone(), v))
    }
}

fn routes(slack: Arc<Slack>, verifier: Verifier) -> Router {
    Router::new()
        .route("/slack/events", post(events))
        .route("/slack/commands", post(commands))
        .route("/slack/interactive", post(interactive))
        .layer(middleware::from_fn_with_state(verifier, verified))
        .with_state(slack)
}

/// Lets a request through only with a valid signature over its raw body.
async fn verified(State(verifier): State<Verifier>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let checked = verifier.verify(
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
        &bytes,
    );
    if let Err(reason) = checked {
        tracing::warn!(path = parts.uri.path(), %reason, "rejected a Slack request");
        return (StatusCode::UNAUTHORIZED, reason.to_string()).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

async fn events(State(slack): State<Arc<Slack>>, headers: HeaderMap, body: Bytes) -> Response {
    let event: SlackPushEvent = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => return bad_request("event", e),
    };
    match event {
        SlackPushEvent::UrlVerification(v) => {
            Json(json!({"challenge": v.challenge})).into_response()
        }
        SlackPushEvent::EventCallback(cb) => {
            if let Some(n) = headers
                .get("x-slack-retry-num")
                .and_then(|v| v.to_str().ok())
            {
                tracing::debug!(retry = n, "Slack retried an event");
            }
            slack.accept_push(cb);
            StatusCode::OK.into_response()
        }
        SlackPushEvent::AppRateLimited(_) => {
            tracing::warn!("Slack is dropping events: the app went over its event rate limit");
            StatusCode::OK.into_response()
        }
    }
}

async fn commands(State(slack): State<Arc<Slack>>, body: Bytes) -> Response {
    let form = match form(&body) {
        Ok(f) => f,
        Err(e) => return bad_request("command", e),
    };
    if form.contains_key("ssl_check") {
        return StatusCode::OK.into_response();
    }
    match serde_json::to_value(form).and_then(serde_json::from_value::<SlackCommandEvent>) {
        Ok(cmd) => {
            slack.accept_command(cmd);
            StatusCode::OK.into_response()
        }
        Err(e) => bad_request("command", e),
    }
}

async fn interactive(State(slack): State<Arc<Slack>>, body: Bytes) -> Response {
    let payload = form(&body)
        .map_err(|e| e.to_string())
        .and_then(|mut f| {
            f.remove("payload")
                .ok_or_else(|| "no payload field".to_owned())
        })
        .and_then(|p| serde_json::from_str::<SlackInteractionEvent>(&p).map_err(|e| e.to_string()));
    match payload {
        Ok(ev) => match slack.accept_interaction(ev).await {
            InteractionAck::Empty => StatusCode::OK.into_response(),
            InteractionAck::Errors(errors) => {
                Json(json!({"response_action": "errors", "errors": errors})).into_response()
            }
        },
        Err(e) => bad_request("interaction", e),
    }
}

fn form(body: &[u8]) -> Result<HashMap<String, String>, serde_urlencoded::de::Error> {
    serde_urlencoded::from_bytes(body)
}

/// Says what was unreadable without echoing any of it (payloads can hold message text, and
/// serde's messages quote the offending values).
fn bad_request(what: &str, _error: impl std::fmt::Display) -> Response {
    tracing::warn!(what, "unreadable Slack request");
    (StatusCode::BAD_REQUEST, format!("unreadable {what}")).into_response()
}

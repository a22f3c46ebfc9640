//! The fake's REST API under `/api/v10`: the endpoints the bot uses, strict about auth, limits
//! and existence, with injectable faults. Every request is recorded.

use super::state::{Endpoint, Fault, Recorded, State};
use super::validate::{self, reject, Reject};
use super::{messages, payloads, strict, Shared};
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::time::Instant;

pub type Answer = Result<(u16, Value), Reject>;

pub async fn handle(
    AxState(fake): AxState<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let (json, form_error) = match super::multipart::payload(&headers, &body) {
        Some(Ok(payload)) => (payload, None),
        Some(Err(refused)) => (Value::Null, Some(refused)),
        None if body.is_empty() => (Value::Null, None),
        None => (
            serde_json::from_slice(&body).unwrap_or(json!({"<invalid json>": true})),
            None,
        ),
    };
    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let endpoint = endpoint(&method, &segments);
    let authorized = headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bot {}", fake.token));
    let needs_auth = !matches!(
        endpoint,
        Endpoint::InteractionCallback | Endpoint::EditOriginal
    );

    let mut state = fake.state.lock().unwrap();
    let fault = state.take_fault(endpoint);
    let result: Answer = if !path.starts_with("/api/v10/") {
        Err(reject(404, 0, "404: Not Found"))
    } else if needs_auth && !authorized {
        Err(reject(401, 0, "401: Unauthorized"))
    } else if let Some(refused) = form_error {
        Err(refused)
    } else {
        match fault {
            Some(Fault::RateLimited { .. }) | Some(Fault::Status(_)) => Ok((0, Value::Null)),
            _ => route(&fake, &mut state, endpoint, &segments, &json),
        }
    };
    let response = match (fault, result) {
        (Some(Fault::RateLimited { retry_after }), _) => {
            let body = json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": false});
            (429, body)
        }
        (Some(Fault::Status(s) | Fault::AfterEffect(s)), _) => {
            (s, json!({"message": "Internal Server Error", "code": 0}))
        }
        (_, Ok(answer)) => answer,
        (_, Err(r)) => (r.status, json!({"message": r.message, "code": r.code})),
    };
    state.requests.push(Recorded {
        method: method.to_string(),
        path,
        body: json,
        status: response.0,
        at: Instant::now(),
    });
    drop(state);
    fake.changed.send_modify(|n| *n += 1);
    reply(response, fault)
}

fn reply((status, body): (u16, Value), fault: Option<Fault>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::NO_CONTENT {
        return status.into_response();
    }
    let mut response = (status, axum::Json(body)).into_response();
    if let Some(Fault::RateLimited { retry_after }) = fault {
        let h = response.headers_mut();
        h.insert(
            "retry-after",
            (retry_after.ceil() as u64).to_string().parse().unwrap(),
        );
        h.insert(
            "x-ratelimit-reset-after",
            retry_after.to_string().parse().unwrap(),
        );
        h.insert("x-ratelimit-scope", "user".parse().unwrap());
    }
    response
}

fn endpoint(method: &Method, s: &[&str]) -> Endpoint {
    match (method.as_str(), s) {
        ("POST", ["channels", _, "messages"]) => Endpoint::CreateMessage,
        ("POST", ["channels", _, "messages", _, "threads"]) => Endpoint::CreateThread,
        ("GET", ["channels", _]) => Endpoint::GetChannel,
        ("GET", ["channels", _, "messages", _]) => Endpoint::GetMessage,
        ("PATCH", ["channels", _, "messages", _]) => Endpoint::EditMessage,
        ("POST", ["interactions", _, _, "callback"]) => Endpoint::InteractionCallback,
        ("PATCH", ["webhooks", _, _, "messages", "@original"]) => Endpoint::EditOriginal,
        ("PUT", ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"]) => {
            Endpoint::PutCommands
        }
        _ => Endpoint::Other,
    }
}

pub fn id(s: &str) -> Result<u64, Reject> {
    s.parse().map_err(|_| {
        reject(
            400,
            50035,
            format!("Invalid Form Body: {s:?} is not snowflake"),
        )
    })
}

fn route(
    fake: &super::Inner,
    state: &mut State,
    endpoint: Endpoint,
    s: &[&str],
    body: &Value,
) -> Answer {
    match (endpoint, s) {
        (Endpoint::CreateMessage, [_, c, ..]) => {
            messages::create_message(fake, state, id(c)?, body)
        }
        (Endpoint::CreateThread, [_, c, _, m, _]) => {
            messages::create_thread(state, id(c)?, id(m)?, body)
        }
        (Endpoint::GetChannel, [_, c]) => {
            let channel = state
                .channels
                .get(&id(c)?)
                .ok_or_else(|| reject(404, 10003, "Unknown Channel"))?;
            Ok((200, payloads::channel(channel)))
        }
        (Endpoint::InteractionCallback, [_, i, token, _]) => {
            let interaction = state
                .interactions
                .get_mut(&id(i)?)
                .filter(|x| x.token == *token)
                .ok_or_else(|| reject(404, 10062, "Unknown interaction"))?;
            if interaction.response.is_some() {
                return Err(reject(
                    400,
                    40060,
                    "Interaction has already been acknowledged.",
                ));
            }
            if !matches!(body["type"].as_u64(), Some(4..=7 | 9)) {
                return Err(reject(400, 50035, "Invalid Form Body: type"));
            }
            if body["type"] == 9 {
                strict::modal_response(interaction.kind, &body["data"])?;
            } else {
                validate::interaction_message(&body["data"])?;
            }
            interaction.response = Some(body.clone());
            Ok((204, Value::Null))
        }
        (Endpoint::EditOriginal, [_, app, token, ..]) => {
            if id(app)? != fake.app_id {
                return Err(reject(404, 10015, "Unknown Webhook"));
            }
            let interaction = state
                .interactions
                .values_mut()
                .find(|x| x.token == *token)
                .ok_or_else(|| reject(404, 10015, "Unknown Webhook"))?;
            if interaction.response.is_none() {
                return Err(reject(404, 10008, "Unknown Message"));
            }
            validate::interaction_message(body)?;
            interaction.edit = Some(body.clone());
            let f = payloads::MessageFields {
                id: interaction.id,
                channel_id: 1,
                guild_id: None,
                author: &fake.bot,
                content: body["content"].as_str().unwrap_or(""),
                kind: 20,
                mentions: vec![],
                mention_roles: vec![],
            };
            Ok((200, payloads::message(&f)))
        }
        (Endpoint::PutCommands, [_, app, rest @ ..]) => {
            if id(app)? != fake.app_id {
                return Err(reject(403, 50001, "Missing Access"));
            }
            validate::commands(body)?;
            let guild = match rest {
                ["guilds", g, _] => Some(id(g)?),
                _ => None,
            };
            state.commands.retain(|(g, _)| *g != guild);
            let mut out = Vec::new();
            for c in body.as_array().into_iter().flatten() {
                let mut c = c.clone();
                c["id"] = json!(state.id().to_string());
                c["application_id"] = json!(fake.app_id.to_string());
                c["version"] = json!("1");
                state.commands.push((guild, c.clone()));
                out.push(c);
            }
            Ok((200, Value::Array(out)))
        }
        (Endpoint::GetMessage, [_, c, _, m]) => strict::get_message(fake, state, id(c)?, id(m)?),
        (Endpoint::EditMessage, [_, c, _, m]) => {
            strict::edit_message(fake, state, id(c)?, id(m)?, body)
        }
        (Endpoint::Other, ["users", "@me"]) => Ok((200, payloads::current_user(&fake.bot))),
        (Endpoint::Other, ["gateway"] | ["gateway", "bot"]) => Ok((
            200,
            json!({
                "url": fake.ws_url, "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            }),
        )),
        _ => Err(reject(404, 0, "404: Not Found")),
    }
}

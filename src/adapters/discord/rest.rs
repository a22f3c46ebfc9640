//! Discord REST with retries. serenity builds each request (route, headers, JSON body from its
//! builders) and decodes the answers into its models; this module sends the request and decides
//! what to do with the status.
//!
//! Why not serenity's `Http` methods: behind `discord.api_base` (a REST proxy, or the fake in
//! tests) serenity must run with its rate limiter disabled, and then it retries neither a 429 nor
//! a 5xx, and cannot even read a 429 body (it has no `code`). Here:
//! - 429: wait the `retry_after` Discord asks for (body, else headers), then retry;
//! - 5xx and transport errors: retry with exponential backoff;
//! - any other error status: returned at once as `RestError::Api` with Discord's error code.
//!
//! Retrying a POST is safe: messages carry a nonce that Discord deduplicates (`enforce_nonce`),
//! and creating a thread that already exists fails with a code the poster understands.

use super::settings::Secret;
use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serenity::all::CreateAttachment;
use serenity::http::{LightMethod, Multipart, MultipartUpload, Request, Route};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// First backoff after a 5xx; doubles each time.
    pub base_delay: Duration,
    /// A rate limit asking for a longer wait than this is returned as an error.
    pub max_wait: Duration,
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            base_delay: Duration::from_millis(200),
            max_wait: Duration::from_secs(30),
            timeout: Duration::from_secs(15),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error("Discord refused {what}: HTTP {status}, code {code}: {message}")]
    Api {
        what: &'static str,
        status: u16,
        code: i64,
        message: String,
    },
    #[error("Discord unreachable for {what}: {source}")]
    Transport {
        what: &'static str,
        source: reqwest::Error,
    },
    #[error("unexpected answer to {what}: {source}")]
    Decode {
        what: &'static str,
        source: serde_json::Error,
    },
    #[error("cannot build the request for {what}: {source}")]
    Build {
        what: &'static str,
        source: serenity::Error,
    },
}

impl RestError {
    /// Discord's JSON error code (`50013` missing permissions, ...), if it sent one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::Api { code, .. } if *code != 0 => Some(*code),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Discord's error body. `code` is absent on a 429; `retry_after` present only there.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
    retry_after: Option<f64>,
}

pub struct Rest {
    client: reqwest::Client,
    /// Replaces `https://discord.com` in every route.
    base: Option<String>,
    /// `Bot <token>`.
    auth: Secret,
    policy: RetryPolicy,
}

impl Rest {
    pub fn new(token: &Secret, base: Option<String>, policy: RetryPolicy) -> Self {
        let token = token.expose().trim();
        let auth = if token.starts_with("Bot ") {
            token.to_owned()
        } else {
            format!("Bot {token}")
        };
        Self {
            client: reqwest::Client::new(),
            base,
            auth: Secret::new(auth),
            policy,
        }
    }

    /// Sends and decodes the JSON answer into `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        what: &'static str,
        method: LightMethod,
        route: Route<'_>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<T, RestError> {
        let response = self.send(what, method, route, body).await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|source| RestError::Transport { what, source })?;
        serde_json::from_slice(&bytes).map_err(|source| RestError::Decode { what, source })
    }

    /// Sends, ignoring the answer's body (for 204 No Content endpoints).
    pub async fn call_unit(
        &self,
        what: &'static str,
        method: LightMethod,
        route: Route<'_>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<(), RestError> {
        self.send(what, method, route, body).await.map(drop)
    }

    /// POSTs `payload_json` with `files` as multipart form data (`files[0]`...), decoding the
    /// answer into `T`: how a message with attachments is sent.
    pub async fn call_multipart<T: DeserializeOwned>(
        &self,
        what: &'static str,
        route: Route<'_>,
        payload_json: String,
        files: Vec<CreateAttachment>,
    ) -> Result<T, RestError> {
        let multipart = Multipart {
            upload: MultipartUpload::Attachments(files),
            fields: Vec::new(),
            payload_json: Some(payload_json),
        };
        let response = self
            .send_raw(what, LightMethod::Post, route, None, Some(multipart))
            .await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|source| RestError::Transport { what, source })?;
        serde_json::from_slice(&bytes).map_err(|source| RestError::Decode { what, source })
    }

    async fn send(
        &self,
        what: &'static str,
        method: LightMethod,
        route: Route<'_>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<Response, RestError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|source| RestError::Decode { what, source })?;
        self.send_raw(what, method, route, body, None).await
    }

    #[tracing::instrument(skip_all, fields(what = what))]
    async fn send_raw(
        &self,
        what: &'static str,
        method: LightMethod,
        route: Route<'_>,
        body: Option<Vec<u8>>,
        multipart: Option<Multipart>,
    ) -> Result<Response, RestError> {
        let mut attempt = 1;
        loop {
            let request = Request::new(route, method)
                .body(body.clone())
                .multipart(multipart.clone())
                .build(&self.client, self.auth.expose(), self.base.as_deref())
                .map_err(|source| RestError::Build { what, source })?
                .timeout(self.policy.timeout);
            let wait = match request.send().await {
                Ok(r) if r.status().is_success() => return Ok(r),
                Ok(r) => {
                    let status = r.status();
                    let headers = r.headers().clone();
                    let error: ErrorBody = r
                        .bytes()
                        .await
                        .ok()
                        .and_then(|b| serde_json::from_slice(&b).ok())
                        .unwrap_or_default();
                    let wait = self.wait_for(status, &headers, &error, attempt);
                    match wait {
                        Some(wait) if attempt < self.policy.attempts => wait,
                        _ => {
                            return Err(RestError::Api {
                                what,
                                status: status.as_u16(),
                                code: error.code,
                                message: error.message,
                            })
                        }
                    }
                }
                Err(source) if attempt < self.policy.attempts => {
                    tracing::debug!(error = %source, "transport error");
                    self.backoff(attempt)
                }
                Err(source) => return Err(RestError::Transport { what, source }),
            };
            tracing::warn!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying Discord request"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// How long to wait before retrying, or `None` when the error is final.
    fn wait_for(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        error: &ErrorBody,
        attempt: u32,
    ) -> Option<Duration> {
        if status == StatusCode::TOO_MANY_REQUESTS {
            let secs = error
                .retry_after
                .or_else(|| header_secs(headers, "retry-after"))
                .or_else(|| header_secs(headers, "x-ratelimit-reset-after"))?;
            let wait = Duration::try_from_secs_f64(secs.max(0.0)).ok()?;
            return (wait <= self.policy.max_wait).then_some(wait);
        }
        status.is_server_error().then(|| self.backoff(attempt))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.policy.base_delay * 2u32.saturating_pow(attempt.saturating_sub(1)).min(64)
    }
}

fn header_secs(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest() -> Rest {
        Rest::new(&Secret::new("t"), None, RetryPolicy::default())
    }

    #[test]
    fn rate_limit_wait_comes_from_body_then_headers() {
        let r = rest();
        let body = ErrorBody {
            retry_after: Some(0.25),
            ..Default::default()
        };
        let mut headers = HeaderMap::new();
        assert_eq!(
            r.wait_for(StatusCode::TOO_MANY_REQUESTS, &headers, &body, 1),
            Some(Duration::from_millis(250))
        );
        headers.insert("retry-after", "2".parse().unwrap());
        assert_eq!(
            r.wait_for(
                StatusCode::TOO_MANY_REQUESTS,
                &headers,
                &ErrorBody::default(),
                1
            ),
            Some(Duration::from_secs(2))
        );
        let long = ErrorBody {
            retry_after: Some(3600.0),
            ..Default::default()
        };
        assert_eq!(
            r.wait_for(StatusCode::TOO_MANY_REQUESTS, &headers, &long, 1),
            None
        );
    }

    #[test]
    fn server_errors_back_off_and_client_errors_are_final() {
        let r = rest();
        let none = ErrorBody::default();
        let h = HeaderMap::new();
        assert_eq!(
            r.wait_for(StatusCode::BAD_GATEWAY, &h, &none, 3),
            Some(Duration::from_millis(800))
        );
        assert_eq!(r.wait_for(StatusCode::FORBIDDEN, &h, &none, 1), None);
    }

    #[test]
    fn token_gets_the_bot_prefix_once() {
        assert_eq!(rest().auth.expose(), "Bot t");
        let r = Rest::new(&Secret::new("Bot t"), None, RetryPolicy::default());
        assert_eq!(r.auth.expose(), "Bot t");
    }
}

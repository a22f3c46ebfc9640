//! The Slack Web API calls the bot makes, through slack-morphism. A 429 is retried after the
//! Retry-After the server sent. (slack-morphism's own rate control would also wait it out, but it
//! throttles `chat.postMessage` to about one call a second, which would queue replies behind each
//! other; we rely on Slack telling us when to slow down instead.)

use super::settings::Secret;
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub type Client = SlackClient<SlackClientHyperHttpsConnector>;

/// How often one call is retried after a 429 before giving up (the question stays pending and
/// the replay loop tries again later).
const MAX_RATE_LIMIT_RETRIES: u32 = 5;
/// Used when a 429 comes without a usable Retry-After.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// Longest wait we accept from one Retry-After. Five of these stay well inside the claim lease
/// (`app.rs`), so another instance never takes over a question that is waiting to post.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Who the bot is in its workspace.
#[derive(Debug, Clone)]
pub struct Identity {
    pub team_id: String,
    pub user_id: String,
}

pub struct WebApi {
    client: Arc<Client>,
    token: SlackApiToken,
}

/// Builds the HTTP client: HTTPS with the system's roots, and plain HTTP for a loopback
/// `api_base` (the settings refuse plain HTTP anywhere else).
pub fn client(api_base: &str) -> anyhow::Result<Arc<Client>> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
        .map_err(|e| anyhow::anyhow!("cannot load the system's TLS root certificates: {e}"))?
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let connector = SlackClientHyperConnector::with_connector(https).with_slack_api_url(api_base);
    Ok(Arc::new(SlackClient::new(connector)))
}

impl WebApi {
    pub fn new(client: Arc<Client>, bot_token: &Secret) -> Self {
        let token = SlackApiToken::new(bot_token.expose().to_owned().into());
        Self { client, token }
    }

    pub fn client(&self) -> &Arc<Client> {
        &self.client
    }

    pub async fn identity(&self) -> anyhow::Result<Identity> {
        let me = self
            .call("auth.test", || async { self.session().auth_test().await })
            .await?;
        Ok(Identity {
            team_id: me.team_id.to_string(),
            user_id: me.user_id.to_string(),
        })
    }

    /// Posts `text` (mrkdwn) and optional blocks; returns the new message's ts.
    pub async fn post(
        &self,
        channel: &str,
        thread_ts: Option<&str>,
        text: String,
        blocks: Option<Vec<SlackBlock>>,
    ) -> anyhow::Result<String> {
        let content = SlackMessageContent::new()
            .with_text(text)
            .opt_blocks(blocks);
        let req = SlackApiChatPostMessageRequest::new(channel.into(), content)
            .opt_thread_ts(thread_ts.map(Into::into))
            .with_unfurl_links(false)
            .with_unfurl_media(false);
        let req = &req;
        let res = self
            .call("chat.postMessage", || async move {
                self.session().chat_post_message(req).await
            })
            .await?;
        Ok(res.ts.to_string())
    }

    /// A message only `user` sees.
    pub async fn post_ephemeral(
        &self,
        channel: &str,
        user: &str,
        thread_ts: Option<&str>,
        text: String,
    ) -> anyhow::Result<()> {
        let content = SlackMessageContent::new().with_text(text);
        let req = SlackApiChatPostEphemeralRequest::new(channel.into(), user.into(), content)
            .opt_thread_ts(thread_ts.map(Into::into));
        let req = &req;
        self.call("chat.postEphemeral", || async move {
            self.session().chat_post_ephemeral(req).await
        })
        .await?;
        Ok(())
    }

    pub async fn permalink(&self, channel: &str, ts: &str) -> anyhow::Result<String> {
        let req = SlackApiChatGetPermalinkRequest::new(channel.into(), ts.into());
        let req = &req;
        let res = self
            .call("chat.getPermalink", || async move {
                self.session().chat_get_permalink(req).await
            })
            .await?;
        Ok(res.permalink.to_string())
    }

    /// Replaces a message the bot posted (text and blocks).
    pub async fn update(
        &self,
        channel: &str,
        ts: &str,
        text: String,
        blocks: Vec<SlackBlock>,
    ) -> anyhow::Result<()> {
        let content = SlackMessageContent::new()
            .with_text(text)
            .with_blocks(blocks);
        let req = SlackApiChatUpdateRequest::new(channel.into(), content, ts.into());
        let req = &req;
        self.call("chat.update", || async move {
            self.session().chat_update(req).await
        })
        .await?;
        Ok(())
    }

    pub async fn open_view(&self, trigger_id: &str, view: SlackView) -> anyhow::Result<()> {
        let req = SlackApiViewsOpenRequest::new(trigger_id.into(), view);
        let req = &req;
        self.call("views.open", || async move {
            self.session().views_open(req).await
        })
        .await?;
        Ok(())
    }

    /// Shares a file in `channel` (in `thread_ts` when given) through Slack's external upload
    /// flow: `files.getUploadURLExternal`, the upload itself, `files.completeUploadExternal`.
    /// Returns the file id.
    pub async fn upload_file(
        &self,
        channel: &str,
        thread_ts: Option<&str>,
        filename: &str,
        title: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> anyhow::Result<String> {
        let req = SlackApiFilesGetUploadUrlExternalRequest::new(filename.into(), bytes.len());
        let req = &req;
        let target = self
            .call("files.getUploadURLExternal", || async move {
                self.session().get_upload_url_external(req).await
            })
            .await?;
        let upload = SlackApiFilesUploadViaUrlRequest::new(
            target.upload_url.clone(),
            bytes.to_vec(),
            content_type.into(),
        );
        let upload = &upload;
        self.call("file upload", || async move {
            self.session().files_upload_via_url(upload).await
        })
        .await?;
        let file = SlackApiFilesComplete::new(target.file_id.clone()).with_title(title.into());
        let done = SlackApiFilesCompleteUploadExternalRequest::new(vec![file])
            .with_channel_id(channel.into())
            .opt_thread_ts(thread_ts.map(Into::into));
        let done = &done;
        self.call("files.completeUploadExternal", || async move {
            self.session().files_complete_upload_external(done).await
        })
        .await?;
        Ok(target.file_id.to_string())
    }

    pub(super) fn session(&self) -> SlackClientSession<'_, SlackClientHyperHttpsConnector> {
        self.client.open_session(&self.token)
    }

    /// Runs `call`, retrying after a 429 once Retry-After has passed.
    pub(super) async fn call<T, F, Fut>(&self, method: &str, call: F) -> anyhow::Result<T>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SlackClientError>>,
    {
        let mut retries = 0;
        loop {
            match call().await {
                Err(SlackClientError::RateLimitError(e)) if retries < MAX_RATE_LIMIT_RETRIES => {
                    let wait = e
                        .retry_after
                        .unwrap_or(DEFAULT_RETRY_AFTER)
                        .min(MAX_RETRY_AFTER);
                    retries += 1;
                    tracing::warn!(
                        method,
                        wait_ms = wait.as_millis() as u64,
                        retries,
                        "Slack rate limit; waiting"
                    );
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(anyhow::anyhow!("Slack {method} failed: {}", short(&e))),
                Ok(v) => return Ok(v),
            }
        }
    }
}

/// The error without the response body slack-morphism attaches (it can echo message text).
fn short(e: &SlackClientError) -> String {
    match e {
        SlackClientError::ApiError(e) => e.code.clone(),
        SlackClientError::HttpError(e) => format!("HTTP {}", e.status_code),
        SlackClientError::RateLimitError(_) => "rate limited".into(),
        other => other.to_string().lines().next().unwrap_or("").to_owned(),
    }
}

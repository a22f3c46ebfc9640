//! The running Slack adapter: turns events into questions for the shared pipeline, reposts
//! anonymous ones, and replays what a crash left unanswered.

use super::api::{self, Identity, WebApi};
use super::escape::{escape, link};
use super::events::PLATFORM;
use super::poster::{key, ThreadPoster};
use super::render;
use super::replay::InFlight;
use super::settings::SlackConfig;
use super::verify::Verifier;
use crate::core::curation::Curation;
use crate::core::{Inbound, Outcome, Pipeline};
use crate::domain::{QuestionText, UserError};
use crate::store::Store;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// How long an instance may work on a question before another may take it over. Longer than
/// the worst run of 429 waits (see `api.rs`), so a live post is never duplicated.
const LEASE_MS: i64 = 5 * 60 * 1000;

pub struct Slack {
    pub(super) config: SlackConfig,
    pub(super) me: Identity,
    pub(super) api: Arc<WebApi>,
    pub(super) poster: ThreadPoster,
    live: Pipeline,
    /// Replays under its own name, so it never takes over a question a live task is posting.
    pub(super) replay: Pipeline,
    /// Questions live tasks are working on (the replay leaves them alone).
    pub(super) inflight: InFlight,
    pub(super) verifier: Option<Verifier>,
    /// Moderators' commands and the review queue (shared with the other platforms).
    pub(super) curation: Arc<Curation>,
    pub(super) groups: super::moderators::GroupCache,
    /// Wakes the review loop (`review.rs`) when an item may have been queued.
    pub(super) review_wake: Arc<tokio::sync::Notify>,
    /// Names this process in claims.
    pub(super) instance: String,
    tasks: std::sync::Mutex<Vec<JoinHandle<()>>>,
    socket: tokio::sync::Mutex<Option<super::socket::Listener>>,
}

impl Slack {
    /// Checks the bot token (`auth.test`), starts the replay and review loops, and Socket Mode
    /// when an app token is configured. The Events API routes come from `routes()`.
    pub async fn start(config: SlackConfig, curation: Arc<Curation>) -> anyhow::Result<Arc<Self>> {
        let engine = curation.engine().clone();
        let review = curation.settings().clone();
        // Only ring is compiled in today; installing it explicitly keeps TLS working if another
        // provider ever gets pulled in. An error just means one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let api = Arc::new(WebApi::new(
            api::client(&config.api_base)?,
            &config.bot_token,
        ));
        let me = api.identity().await.map_err(|e| {
            let hint = "check SLACK_BOT_TOKEN, and slack.api_base if set";
            UserError::new(format!("cannot start Slack ({hint}): {e}"))
        })?;
        let instance = instance_id();
        let slack = Arc::new(Self {
            verifier: config.signing_secret.clone().map(Verifier::system),
            poster: ThreadPoster::new(api.clone()),
            live: Pipeline::new(engine.clone(), instance.clone(), LEASE_MS)
                .with_review(review.clone()),
            replay: Pipeline::new(engine, format!("{instance}/replay"), LEASE_MS)
                .with_review(review),
            curation,
            groups: Default::default(),
            review_wake: Default::default(),
            instance,
            config,
            me,
            api,
            inflight: InFlight::default(),
            tasks: Default::default(),
            socket: Default::default(),
        });
        let replay = slack.spawn_replay_loop();
        let review = slack.spawn_review_loop();
        slack
            .tasks
            .lock()
            .expect("tasks lock")
            .extend([replay, review]);
        if let Some(token) = slack.config.app_token.clone() {
            let listener = super::socket::listen(&slack, &token).await?;
            *slack.socket.lock().await = Some(listener);
            tracing::info!(team = %slack.me.team_id, "Slack connected over Socket Mode");
        } else {
            tracing::info!(team = %slack.me.team_id, "Slack ready for the Events API on /slack/*");
        }
        Ok(slack)
    }

    /// Stops Socket Mode and the replay loop.
    pub async fn shutdown(&self) {
        if let Some(listener) = self.socket.lock().await.take() {
            listener.shutdown().await;
        }
        for task in self.tasks.lock().expect("tasks lock").drain(..) {
            task.abort();
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        self.live.engine().store()
    }

    /// Stores and answers one question. Text that isn't a question (empty, too long) is dropped.
    pub(super) async fn ask(&self, inbound: Inbound) -> anyhow::Result<Option<Outcome>> {
        let _working = self.inflight.enter(&inbound.message_id);
        match self.live.receive(inbound, &self.poster).await {
            Ok(outcome) => {
                if matches!(outcome, Outcome::Answered(_)) {
                    self.post_reviews_soon(); // the answer may have queued an item
                }
                Ok(Some(outcome))
            }
            Err(e) if e.is::<UserError>() => {
                tracing::debug!(reason = %e, "not taken as a question");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Reposts `text` with no trace of its author, answers it in the repost's thread, then tells
    /// the asker where, at `notify` (their DM channel or user id). That last step lives in
    /// memory only: a crash can lose the DM, never the answer.
    pub(super) async fn ask_anonymously(
        &self,
        team: &str,
        text: &str,
        notify: &str,
        fallback_channel: Option<&str>,
    ) -> anyhow::Result<()> {
        let Some(channel) = self
            .config
            .anonymous_channel
            .as_deref()
            .or(fallback_channel)
        else {
            let msg = "Anonymous questions aren't set up in this workspace yet: ask a moderator to set `slack.anonymous_channel`.";
            self.api.post(notify, None, msg.into(), None).await?;
            return Ok(());
        };
        if let Err(e) = QuestionText::parse(text) {
            self.api.post(notify, None, escape(&e.0), None).await?;
            return Ok(());
        }
        if self.too_short(text) {
            self.api.post(notify, None, self.hint(), None).await?;
            return Ok(());
        }
        let repost = render::anonymous_question(text);
        let ts = match self.api.post(channel, None, repost, None).await {
            Ok(ts) => ts,
            Err(e) => {
                let sorry =
                    "Sorry, I couldn't post your question just now. Please try again later.";
                self.api.post(notify, None, sorry.into(), None).await?;
                return Err(e);
            }
        };
        let inbound = Inbound {
            platform: PLATFORM.into(),
            workspace: team.into(),
            channel: channel.into(),
            message_id: key(channel, &ts),
            thread_id: None,
            author_id: None,
            text: text.into(),
        };
        if let Some(Outcome::Answered(_)) = self.ask(inbound).await? {
            let permalink = self.api.permalink(channel, &ts).await?;
            let msg = format!(
                "Your question was posted anonymously, and answered in {}.",
                link(&permalink, "its thread")
            );
            self.api.post(notify, None, msg, None).await?;
        }
        Ok(())
    }
}

/// Names this process in claims: host, pid and start time.
fn instance_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!("slack:{host}:{}:{nanos}", std::process::id())
}

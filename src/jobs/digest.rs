//! The weekly digest runner: decides which digests are due, claims each in the database, builds
//! it, posts it through the platform's `DigestSink` and records the message id.
//!
//! - **Exactly once.** A run is keyed on (platform, channel, ISO week) and claimed with a lease
//!   before anything is posted (`DigestStore::claim_run`); a posted run is never claimed again,
//!   so two instances on one PostgreSQL, or two ticks, post once. If the process dies between
//!   claim and post, the run is taken over once the lease (`digest.claim_lease_ms`) expires. A
//!   failed post gives the claim back at once, so the next tick retries. The one window left is a
//!   crash after the platform accepted the post but before the id was recorded: the retry posts
//!   again, with the same idempotency key (Discord deduplicates it by nonce for a few minutes;
//!   Slack has no such key).
//! - **Missed weeks.** `tick` only looks at each channel's latest fire time at or before now,
//!   so a bot that was down over several scheduled times posts once, for the latest week.
//! - **post-now** posts the past complete week (in the channel's timezone) at once, whatever
//!   the schedule. A week already posted is refused unless forced: a forced repost takes the
//!   run (never while another instance holds it) and records the new message id.
//! - **Time** comes from a `Clock`; `serve` is the only place that sleeps between ticks.

use super::clock::Clock;
use super::digest_settings::{DigestChannel, DigestSettings, Quiet};
use crate::core::digest::{self, chart, Digest, IsoWeek, Schedule};
use crate::domain::UserError;
use crate::store::{RunKey, Store};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

/// Posts a digest on one platform.
#[async_trait]
pub trait DigestSink: Send + Sync {
    /// Posts `digest` in `channel`, with the chart when given; returns the message id. `key` is
    /// stable per (platform, channel, week): an idempotency key for platforms that take one.
    async fn post_digest(
        &self,
        channel: &str,
        digest: &Digest,
        png: Option<&[u8]>,
        key: &str,
    ) -> anyhow::Result<String>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    Posted {
        message_id: String,
    },
    /// A quiet week on a channel configured to skip those: recorded, nothing posted.
    Skipped,
    /// Posted (or skipped) before.
    AlreadyDone,
    /// Another instance holds the claim.
    Busy,
    /// The schedule has not fired yet.
    NotDue,
    /// No sink for the platform (not configured in this process).
    NoSink,
    Failed(String),
}

struct Plan {
    channel: DigestChannel,
    schedule: Schedule,
}

pub struct DigestRunner {
    store: Arc<dyn Store>,
    plans: Vec<Plan>,
    sinks: HashMap<String, Arc<dyn DigestSink>>,
    clock: Arc<dyn Clock>,
    owner: String,
    lease_ms: i64,
}

/// The key a run is known by on its platform.
pub fn run_key_string(key: &RunKey) -> String {
    format!(
        "crossroads-digest:{}:{}:{}",
        key.platform, key.channel, key.week
    )
}

impl DigestRunner {
    /// `owner` names this instance in claims; it must differ between instances.
    pub fn new(
        store: Arc<dyn Store>,
        settings: &DigestSettings,
        clock: Arc<dyn Clock>,
        owner: impl Into<String>,
    ) -> Result<Self, UserError> {
        let plans = settings
            .channels
            .iter()
            .map(|c| {
                Ok(Plan {
                    schedule: c.schedule()?,
                    channel: c.clone(),
                })
            })
            .collect::<Result<_, UserError>>()?;
        Ok(Self {
            store,
            plans,
            sinks: HashMap::new(),
            clock,
            owner: owner.into(),
            lease_ms: i64::try_from(settings.claim_lease_ms).unwrap_or(i64::MAX / 2),
        })
    }

    pub fn with_sink(mut self, platform: &str, sink: Arc<dyn DigestSink>) -> Self {
        self.sinks.insert(platform.to_owned(), sink);
        self
    }

    /// Runs every enabled channel's latest due digest that is not posted yet.
    pub async fn tick(&self) -> Vec<(RunKey, RunOutcome)> {
        let now = self.clock.now();
        let mut out = Vec::new();
        for plan in self.plans.iter().filter(|p| p.channel.enabled) {
            let Some(week) = plan.schedule.due_week(now) else {
                continue;
            };
            let key = self.key(plan, week);
            let outcome = self.run(plan, &key, week, false).await;
            if let RunOutcome::Failed(e) = &outcome {
                tracing::warn!(channel = %key.channel, week = %key.week, error = %e, "digest failed");
            }
            out.push((key, outcome));
        }
        out
    }

    /// Posts the past complete week's digest in `channel` now. Refuses (a `UserError`) when it
    /// was posted already, unless `force`.
    pub async fn post_now(
        &self,
        platform: Option<&str>,
        channel: &str,
        force: bool,
    ) -> anyhow::Result<(RunKey, RunOutcome)> {
        let plan = self.plan(platform, channel)?;
        let week = self.past_week(plan);
        let key = self.key(plan, week);
        match self.run(plan, &key, week, force).await {
            RunOutcome::AlreadyDone => Err(UserError::new(format!(
                "the digest for {} was already posted in {} on {}; `crossroads digest post-now --force` posts it again",
                key.week, key.channel, key.platform
            ))
            .into()),
            RunOutcome::Busy => Err(UserError::new(format!(
                "another instance is posting the digest for {} in {} right now",
                key.week, key.channel
            ))
            .into()),
            RunOutcome::NoSink => Err(UserError::new(format!(
                "{} is not configured (no token), so nothing can be posted there",
                key.platform
            ))
            .into()),
            RunOutcome::Failed(e) => Err(anyhow::anyhow!("posting the digest failed: {e}")),
            other => Ok((key, other)),
        }
    }

    /// Builds the digest `channel` would get for `week` (default: the past complete week).
    pub async fn preview(
        &self,
        platform: Option<&str>,
        channel: &str,
        week: Option<IsoWeek>,
    ) -> anyhow::Result<Digest> {
        let plan = self.plan(platform, channel)?;
        let week = week.unwrap_or_else(|| self.past_week(plan));
        let tz = plan.schedule.timezone();
        Ok(digest::load(self.store.as_ref(), &plan.channel.platform, week, tz).await?)
    }

    fn plan(&self, platform: Option<&str>, channel: &str) -> Result<&Plan, UserError> {
        let settings = DigestSettings {
            channels: self.plans.iter().map(|p| p.channel.clone()).collect(),
            ..Default::default()
        };
        let found = settings.find(platform, channel)?;
        self.plans
            .iter()
            .find(|p| p.channel.platform == found.platform && p.channel.channel == found.channel)
            .ok_or_else(|| UserError::new(format!("no digest channel {channel:?}")))
    }

    fn past_week(&self, plan: &Plan) -> IsoWeek {
        let local = self.clock.now().with_timezone(&plan.schedule.timezone());
        IsoWeek::containing(local.date_naive()).previous()
    }

    fn key(&self, plan: &Plan, week: IsoWeek) -> RunKey {
        RunKey {
            platform: plan.channel.platform.clone(),
            channel: plan.channel.channel.clone(),
            week: week.to_string(),
        }
    }

    #[tracing::instrument(skip_all, fields(channel = %key.channel, week = %key.week))]
    async fn run(&self, plan: &Plan, key: &RunKey, week: IsoWeek, force: bool) -> RunOutcome {
        let Some(sink) = self.sinks.get(&key.platform) else {
            return RunOutcome::NoSink;
        };
        match self.store.digest_run(key).await {
            Ok(Some(run)) if run.posted_at.is_some() && !force => return RunOutcome::AlreadyDone,
            Ok(_) => {}
            Err(e) => return RunOutcome::Failed(e.to_string()),
        }
        let now = self.clock.now_ms();
        match self
            .store
            .claim_run(
                key,
                &self.owner,
                now,
                now.saturating_add(self.lease_ms),
                force,
            )
            .await
        {
            Ok(true) => {}
            Ok(false) => return RunOutcome::Busy,
            Err(e) => return RunOutcome::Failed(e.to_string()),
        }
        let outcome = self.build_and_post(plan, key, week, sink.as_ref()).await;
        if let Err(e) = &outcome {
            if let Err(release) = self.store.release_run(key, &self.owner).await {
                tracing::warn!(error = %release, "could not release the digest claim");
            }
            return RunOutcome::Failed(format!("{e:#}"));
        }
        let message_id = outcome.ok().flatten();
        match self
            .store
            .record_posted(key, &self.owner, message_id.as_deref(), self.clock.now_ms())
            .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!("digest posted, but its claim had expired meanwhile"),
            Err(e) => tracing::warn!(error = %e, "digest posted, but recording it failed"),
        }
        match message_id {
            Some(message_id) => {
                tracing::info!(%message_id, "digest posted");
                RunOutcome::Posted { message_id }
            }
            None => RunOutcome::Skipped,
        }
    }

    /// The posted message id, or `None` when a quiet week is skipped.
    async fn build_and_post(
        &self,
        plan: &Plan,
        key: &RunKey,
        week: IsoWeek,
        sink: &dyn DigestSink,
    ) -> anyhow::Result<Option<String>> {
        let tz = plan.schedule.timezone();
        let digest = digest::load(self.store.as_ref(), &key.platform, week, tz).await?;
        if digest.quiet && plan.channel.quiet == Quiet::Skip {
            return Ok(None);
        }
        let png = chart_png(&digest);
        let id = sink
            .post_digest(&key.channel, &digest, png.as_deref(), &run_key_string(key))
            .await?;
        Ok(Some(id))
    }
}

/// The chart, or none (with a warning) when it cannot be drawn: the text matters more.
pub fn chart_png(digest: &Digest) -> Option<Vec<u8>> {
    if digest.quiet {
        return None;
    }
    let names: Vec<(String, String)> = digest
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    match chart::render_png(&digest.history, &names) {
        Ok(png) => Some(png),
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "digest chart not drawn");
            None
        }
    }
}

/// Unique per process: names this instance in digest claims.
pub fn instance_id() -> String {
    format!("digest-{}-{}", std::process::id(), crate::domain::now_ms())
}

/// Ticks now and then every `digest.tick_interval_ms`, until the task is aborted.
pub fn spawn(
    runner: std::sync::Arc<DigestRunner>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            runner.tick().await;
        }
    })
}

//! Connecting: checks the token, builds serenity's client (pointed at `discord.api_base` when
//! set), and runs the gateway, the event handlers, the periodic replay and the review outbox
//! until `stop`.

use super::channels::ChannelCache;
use super::poster::DiscordPoster;
use super::rest::{Rest, RetryPolicy};
use super::settings::{DiscordSettings, Secret};
use super::{advice, ask, feedback, message, modal, review, Bot, Handled, PLATFORM};
use crate::core::curation::Curation;
use crate::core::Pipeline;
use crate::domain::UserError;
use serenity::all::{
    ClientBuilder, Context, EventHandler, GatewayIntents, HttpBuilder, Interaction, Message, Ready,
    ShardManager,
};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

/// The connected bot. Dropping it leaves the tasks running; call `stop`.
pub struct Running {
    shards: Arc<ShardManager>,
    gateway: JoinHandle<()>,
    replay: JoinHandle<()>,
    review: JoinHandle<()>,
    events: broadcast::Sender<Handled>,
}

impl Running {
    /// What the bot does with each event, from now on.
    pub fn events(&self) -> broadcast::Receiver<Handled> {
        self.events.subscribe()
    }

    /// Closes the gateway connection and stops the periodic replay.
    pub async fn stop(self) {
        self.replay.abort();
        self.review.abort();
        self.shards.shutdown_all().await;
        let _ = self.gateway.await;
    }
}

/// Connects to Discord and starts answering. `curation` is the one shared with the other
/// platforms; its engine answers and its review settings decide what goes to the queue. Fails
/// with a `UserError` when the settings or the token are wrong.
pub async fn start(
    curation: Arc<Curation>,
    settings: &DiscordSettings,
    token: Secret,
    retry: RetryPolicy,
) -> anyhow::Result<Running> {
    settings.check()?;
    let rest = Arc::new(Rest::new(&token, settings.api_base.clone(), retry));
    let me = rest.current_user().await.map_err(|e| match e.status() {
        Some(401) => UserError::new("Discord rejected the bot token (DISCORD_TOKEN)"),
        _ => UserError::new(format!("cannot reach Discord: {e}")),
    })?;
    tracing::info!(user = %me.name, "Discord token accepted");
    let instance = instance_id();
    let pipeline = Pipeline::new(
        curation.engine().clone(),
        instance.clone(),
        settings.claim_lease_ms as i64,
    )
    .with_review(curation.settings().clone());
    let bot = Arc::new(Bot {
        pipeline,
        curation,
        instance,
        review_wake: tokio::sync::Notify::new(),
        poster: DiscordPoster::new(rest.clone()),
        channels: ChannelCache::new(rest.clone()),
        rest,
        settings: settings.clone(),
        me: me.id,
    });
    let (events, _) = broadcast::channel(4096);

    let mut http = HttpBuilder::new(token.expose());
    if let Some(base) = &settings.api_base {
        // serenity's rate limiter ignores the proxy; ours is in `Rest`.
        http = http
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT;
    let handler = Handler {
        bot: bot.clone(),
        events: events.clone(),
    };
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(handler)
        .await?;
    let shards = client.shard_manager.clone();
    let gateway = tokio::spawn(async move {
        if let Err(e) = client.start().await {
            tracing::error!(error = %e, hint = hint(&e), "Discord gateway stopped");
        }
    });
    let replay = tokio::spawn(replay_periodically(bot.clone(), events.clone()));
    let review = tokio::spawn(review_outbox(bot, events.clone()));
    Ok(Running {
        shards,
        gateway,
        replay,
        review,
        events,
    })
}

/// What to do about a gateway that refused us.
fn hint(e: &serenity::Error) -> &'static str {
    use serenity::gateway::GatewayError as G;
    match e {
        serenity::Error::Gateway(G::DisallowedGatewayIntents) => {
            "turn on Message Content Intent in the Developer Portal (Bot tab)"
        }
        serenity::Error::Gateway(G::InvalidAuthentication) => "check DISCORD_TOKEN",
        _ => "see the error; restart serve once Discord is reachable",
    }
}

/// Unique per process and per client within it: names this instance in question claims.
fn instance_id() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "discord-{}-{}-{}",
        std::process::id(),
        crate::domain::now_ms(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

async fn replay(bot: &Bot, events: &broadcast::Sender<Handled>) {
    match bot.pipeline.replay_pending(PLATFORM, &bot.poster).await {
        Ok(answered) => {
            if answered > 0 {
                tracing::info!(answered, "answered questions left pending");
            }
            let _ = events.send(Handled::Replayed { answered });
        }
        Err(e) => tracing::warn!(error = %e, "replaying pending questions failed"),
    }
}

async fn replay_periodically(bot: Arc<Bot>, events: broadcast::Sender<Handled>) {
    let mut every = tokio::time::interval(bot.settings.replay_interval());
    every.tick().await; // the first tick is immediate; the connect already replays
    loop {
        every.tick().await;
        replay(&bot, &events).await;
    }
}

/// Sweeps the review queue and posts new items to the moderators' channel: at connect (woken
/// by `ready`), every `replay_interval_ms`, and whenever an event may have added an item.
async fn review_outbox(bot: Arc<Bot>, events: broadcast::Sender<Handled>) {
    let mut every = tokio::time::interval(bot.settings.replay_interval());
    every.tick().await;
    let mut resolved = bot.curation.resolved_items();
    loop {
        let swept = tokio::select! {
            _ = every.tick() => review::sweep_and_post(&bot).await,
            _ = bot.review_wake.notified() => review::post_pending(&bot).await,
            item = resolved.recv() => {
                if let Ok(item) = item {
                    review::resolved_elsewhere(&bot, item).await;
                }
                Ok(0)
            }
        };
        match swept {
            Ok(0) => {}
            Ok(posted) => {
                let _ = events.send(Handled::ReviewPosted { posted });
            }
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "posting review items failed"),
        }
    }
}

struct Handler {
    bot: Arc<Bot>,
    events: broadcast::Sender<Handled>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        tracing::info!(session = %ready.session_id, "connected to the Discord gateway");
        if let Err(e) = ask::register(&self.bot, ready.application.id).await {
            tracing::warn!(error = %format!("{e:#}"), "could not register /ask");
        }
        replay(&self.bot, &self.events).await;
        match review::sweep_and_post(&self.bot).await {
            Ok(posted) if posted > 0 => {
                let _ = self.events.send(Handled::ReviewPosted { posted });
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "posting review items failed"),
        }
    }

    async fn message(&self, _ctx: Context, msg: Message) {
        let handled = message::on_message(&self.bot, &msg).await;
        if matches!(handled, Handled::Question { .. }) {
            self.bot.wake_review();
        }
        let _ = self.events.send(handled);
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        let handled = match interaction {
            Interaction::Component(click) if click.data.custom_id.starts_with("rv:") => {
                review::on_click(&self.bot, &click).await
            }
            Interaction::Component(click) => {
                let id = click.id.get();
                match feedback::on_click(&self.bot, &click).await {
                    Ok(()) => Handled::Feedback { id },
                    Err(e) => Handled::failed(id, &e),
                }
            }
            Interaction::Command(cmd) if cmd.data.name == ask::NAME => {
                let handled = ask::on_ask(&self.bot, &cmd).await;
                self.bot.wake_review();
                handled
            }
            Interaction::Command(cmd) if cmd.data.name == advice::NAME => {
                advice::on_advice(&self.bot, &cmd).await
            }
            Interaction::Modal(submit) => modal::on_submit(&self.bot, &submit).await,
            other => Handled::Ignored {
                id: other.id().get(),
                reason: "unknown interaction",
            },
        };
        let _ = self.events.send(handled);
    }
}

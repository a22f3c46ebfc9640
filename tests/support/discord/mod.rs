//! A fake Discord on loopback: REST (axum) and a websocket gateway, strict about what Discord
//! rejects, recording everything the bot sends. The real serenity client connects to it through
//! `discord.api_base`; the gateway URL comes from its `GET /api/v10/gateway`.
//!
//! Tests drive it like Discord would (`post`, `dm`, `click`, `slash_ask`, `reconnect_with_replay`),
//! inject faults (`fail`), and wait for outcomes (`wait_for`) instead of sleeping.

#![allow(dead_code)]

pub mod actions;
pub mod gateway;
pub mod harness;
pub mod messages;
pub mod moderation;
pub mod multipart;
pub mod payloads;
pub mod rest;
pub mod state;
pub mod strict;
pub mod validate;

use state::{Channel, Endpoint, Fault, Interaction, Msg, State, User, GUILD_FORUM, GUILD_TEXT};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub const TOKEN: &str = "MTAwMA.fake.bot-token";
const WAIT: Duration = Duration::from_secs(20);

pub struct Inner {
    pub state: Mutex<State>,
    /// Bumped on every change, for `wait_for`.
    pub changed: watch::Sender<u64>,
    pub token: String,
    pub bot: User,
    pub app_id: u64,
    pub guild: u64,
    pub ws_url: String,
}

pub type Shared = Arc<Inner>;

pub struct FakeDiscord {
    inner: Shared,
    api_base: String,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.tasks.iter().for_each(JoinHandle::abort);
    }
}

impl FakeDiscord {
    pub async fn start() -> Self {
        let rest_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut state = State {
            next_id: 1_300_000_000_000_000_000,
            ..State::default()
        };
        let bot = User {
            id: state.id(),
            name: "crossroads".into(),
            display: "Crossroads".into(),
            bot: true,
        };
        let (app_id, guild) = (state.id(), state.id());
        state.users.insert(bot.id, bot.clone());
        let inner = Arc::new(Inner {
            state: Mutex::new(state),
            changed: watch::channel(0).0,
            token: TOKEN.into(),
            bot,
            app_id,
            guild,
            ws_url: format!("ws://{}", ws_listener.local_addr().unwrap()),
        });
        let api_base = format!("http://{}", rest_listener.local_addr().unwrap());
        let router = axum::Router::new()
            .fallback(rest::handle)
            .with_state(inner.clone());
        let tasks = vec![
            tokio::spawn(async move { axum::serve(rest_listener, router).await.unwrap() }),
            tokio::spawn(gateway::serve(ws_listener, inner.clone())),
        ];
        Self {
            inner,
            api_base,
            tasks,
        }
    }

    pub fn api_base(&self) -> String {
        self.api_base.clone()
    }

    pub fn bot_id(&self) -> u64 {
        self.inner.bot.id
    }

    pub fn guild(&self) -> u64 {
        self.inner.guild
    }

    /// Reads the state.
    pub fn with<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.inner.state.lock().unwrap())
    }

    pub(crate) fn change<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.inner.state.lock().unwrap());
        self.inner.changed.send_modify(|n| *n += 1);
        out
    }

    /// Waits until `f` returns something, panicking after 20 s with the recent requests.
    pub async fn wait_for<T>(&self, what: &str, f: impl Fn(&State) -> Option<T>) -> T {
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            rx.borrow_and_update();
            if let Some(out) = self.with(&f) {
                return out;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                let recent: Vec<_> = self.with(|s| {
                    s.requests
                        .iter()
                        .rev()
                        .take(8)
                        .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
                        .collect()
                });
                panic!("timed out waiting for {what}; last requests: {recent:#?}");
            }
        }
    }

    /// Waits for `n` identified gateway sessions and `/ask` registered.
    pub async fn wait_connected(&self, n: usize) {
        self.wait_for("the bot to connect", |s| {
            (s.sessions.len() >= n && !s.commands.is_empty()).then_some(())
        })
        .await;
    }

    pub fn channel(&self, name: &str, kind: u8, parent: Option<u64>) -> u64 {
        self.change(|s| {
            let id = s.id();
            let c = Channel {
                id,
                kind,
                guild_id: Some(self.inner.guild),
                parent_id: parent,
                name: name.into(),
                threads_denied: false,
                recipient: None,
            };
            s.channels.insert(id, c);
            id
        })
    }

    pub fn text_channel(&self, name: &str) -> u64 {
        self.channel(name, GUILD_TEXT, None)
    }

    pub fn forum(&self, name: &str) -> u64 {
        self.channel(name, GUILD_FORUM, None)
    }

    /// The bot lacks permission to create threads in `channel`.
    pub fn deny_threads(&self, channel: u64) {
        self.change(|s| s.channels.get_mut(&channel).unwrap().threads_denied = true);
    }

    pub fn person(&self, name: &str) -> User {
        self.change(|s| {
            let u = User {
                id: s.id(),
                name: name.to_lowercase(),
                display: name.into(),
                bot: false,
            };
            s.users.insert(u.id, u.clone());
            u
        })
    }

    /// The next `times` requests to `endpoint` fail with `fault`.
    pub fn fail(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        self.change(|s| s.faults.push((endpoint, fault, times)));
    }

    /// The sequence number of the last dispatch on the first session.
    pub fn last_seq(&self) -> u64 {
        self.with(|s| s.sessions.first().map_or(0, |x| x.seq))
    }

    /// Messages the bot created in `channel`.
    pub fn bot_messages_in(&self, channel: u64) -> Vec<Msg> {
        let bot = self.bot_id();
        self.with(|s| {
            s.in_channel(channel)
                .into_iter()
                .filter(|m| m.author_id == bot)
                .cloned()
                .collect()
        })
    }

    /// Waits for the bot's answer (the message with feedback buttons) in `channel`.
    pub async fn wait_answer_in(&self, channel: u64) -> Msg {
        let bot = self.bot_id();
        self.wait_for(&format!("an answer in {channel}"), |s| {
            s.in_channel(channel)
                .into_iter()
                .find(|m| m.author_id == bot && !m.buttons().is_empty())
                .cloned()
        })
        .await
    }

    pub fn inner(&self) -> &Shared {
        &self.inner
    }

    pub fn interaction(&self, id: u64) -> Option<Interaction> {
        self.with(|s| s.interactions.get(&id).cloned())
    }
}

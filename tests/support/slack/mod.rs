//! A fake Slack on loopback: the Web API methods the bot calls (`web.rs`, strict like Slack:
//! see `checks.rs`) and a Socket Mode websocket (`socket.rs`). It records every request, so tests
//! can assert on exactly what reached "Slack", and can inject 429s or hold `chat.postMessage`.

#![allow(dead_code)]

pub mod app;
pub mod checks;
pub mod client;
pub mod files;
pub mod payloads;
pub mod reads;
pub mod socket;
pub mod web;

use serde_json::Value;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Notify};

pub const BOT_TOKEN: &str = "xoxb-fake-bot-token";
pub const APP_TOKEN: &str = "xapp-fake-app-token";
pub const TEAM: &str = "T0FAKE";
pub const BOT_USER: &str = "UBOT";
/// The channel the bot is configured to answer in.
pub const CAREERS: &str = "CCAREERS";
/// Where anonymous questions are reposted.
pub const ANON: &str = "CANON";
/// A channel the bot is in but not configured for.
pub const RANDOM: &str = "CRANDOM";
/// The moderators' channel, where review items are posted.
pub const MODS: &str = "CMODS";
/// The moderators' user group.
pub const MOD_GROUP: &str = "S0MODS";
/// Who posts a user message when a test doesn't say.
pub const SOMEONE: &str = "USOMEONE";

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub args: Value,
    pub at: Instant,
    /// `None` when accepted, else the error Slack would have answered.
    pub error: Option<String>,
}

/// A message in the fake workspace (posted by the bot, or by a user through a test).
#[derive(Debug, Clone)]
pub struct Message {
    pub channel: String,
    pub ts: String,
    pub thread_ts: Option<String>,
    pub text: String,
    pub blocks: Value,
    pub by_bot: bool,
    /// Who posted it (the bot's user id for the bot's messages).
    pub user: String,
}

#[derive(Default)]
pub struct State {
    pub calls: Vec<Call>,
    pub messages: Vec<Message>,
    pub ephemerals: Vec<Value>,
    pub views: Vec<Value>,
    /// Channels the bot is a member of; DM channels by their D id.
    pub channels: HashSet<String>,
    pub triggers: HashMap<String, Instant>,
    pub rate_limits: HashMap<String, VecDeque<u64>>,
    pub tickets: HashSet<String>,
    pub sockets: Vec<mpsc::UnboundedSender<String>>,
    pub acks: Vec<Value>,
    /// Files uploaded through the external upload flow.
    pub files: Vec<files::File>,
    /// `users.info`: user id -> display name.
    pub users: HashMap<String, String>,
    /// `usergroups.users.list`: group id -> member ids.
    pub usergroups: HashMap<String, Vec<String>>,
    next: u64,
}

impl State {
    pub fn next_id(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    pub fn next_ts(&mut self) -> String {
        format!("1700000000.{:06}", self.next_id())
    }
}

#[derive(Clone)]
pub struct FakeSlack {
    pub state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
    /// While false, `chat.postMessage` waits (to prove work happens after the ack).
    posts_open: watch::Sender<bool>,
    pub api_addr: SocketAddr,
    pub ws_addr: SocketAddr,
}

impl FakeSlack {
    pub async fn start() -> Self {
        let mut state = State::default();
        state
            .channels
            .extend([CAREERS, ANON, RANDOM, MODS].map(String::from));
        state.usergroups.insert(MOD_GROUP.into(), Vec::new());
        let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = Self {
            state: Arc::new(Mutex::new(state)),
            changed: Arc::new(Notify::new()),
            posts_open: watch::channel(true).0,
            api_addr: api.local_addr().unwrap(),
            ws_addr: ws.local_addr().unwrap(),
        };
        let router = web::router(fake.clone());
        tokio::spawn(async move { axum::serve(api, router).await.unwrap() });
        tokio::spawn(socket::serve(fake.clone(), ws));
        fake
    }

    pub fn api_base(&self) -> String {
        format!("http://{}/api", self.api_addr)
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.state.lock().unwrap());
        self.changed.notify_waiters();
        out
    }

    /// Waits (up to 10 s) until `check` returns something.
    pub async fn wait_for<T>(&self, what: &str, check: impl Fn(&State) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.changed.notified();
            if let Some(v) = check(&self.state.lock().unwrap()) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let calls: Vec<_> = self.with(|s| {
                    s.calls
                        .iter()
                        .map(|c| format!("{} {:?}", c.method, c.error))
                        .collect()
                });
                panic!("timed out waiting for {what}; calls so far: {calls:#?}");
            }
        }
    }

    /// A user's message, known to the fake (so it can be threaded and linked). Returns its ts.
    pub fn user_message(&self, channel: &str, text: &str, thread_ts: Option<&str>) -> String {
        self.user_message_from(SOMEONE, channel, text, thread_ts)
    }

    /// `user_message`, posted by `user`.
    pub fn user_message_from(
        &self,
        user: &str,
        channel: &str,
        text: &str,
        thread_ts: Option<&str>,
    ) -> String {
        self.with(|s| {
            let ts = s.next_ts();
            s.messages.push(Message {
                channel: channel.into(),
                ts: ts.clone(),
                thread_ts: thread_ts.map(Into::into),
                text: text.into(),
                blocks: Value::Null,
                by_bot: false,
                user: user.into(),
            });
            ts
        })
    }

    /// A workspace member `users.info` knows, by display name.
    pub fn add_user(&self, id: &str, name: &str) {
        self.with(|s| s.users.insert(id.into(), name.into()));
    }

    /// Sets the members of a user group.
    pub fn set_group(&self, group: &str, members: &[&str]) {
        let members = members.iter().map(|m| m.to_string()).collect();
        self.with(|s| s.usergroups.insert(group.into(), members));
    }

    /// The bot's messages in `channel` (top level), oldest first.
    pub fn posts_in(&self, channel: &str) -> Vec<Message> {
        self.with(|s| {
            s.messages
                .iter()
                .filter(|m| m.by_bot && m.channel == channel && m.thread_ts.is_none())
                .cloned()
                .collect()
        })
    }

    /// Ephemeral messages shown to `user`, oldest first (their text).
    pub fn ephemerals_for(&self, user: &str) -> Vec<String> {
        self.with(|s| {
            s.ephemerals
                .iter()
                .filter(|e| e["user"] == user)
                .filter_map(|e| e["text"].as_str().map(String::from))
                .collect()
        })
    }

    /// Opens a DM between `user` and the bot; returns its D channel id.
    pub fn open_dm(&self, user: &str) -> String {
        let dm = format!("D{user}");
        self.with(|s| s.channels.insert(dm.clone()));
        dm
    }

    /// A trigger id, valid for 3 seconds as Slack's are.
    pub fn trigger(&self) -> String {
        self.with(|s| {
            let id = format!("{}.{}.trigger", s.next_id(), TEAM);
            s.triggers.insert(id.clone(), Instant::now());
            id
        })
    }

    /// Answers the next call to `method` with HTTP 429 and `Retry-After: secs`.
    pub fn rate_limit_next(&self, method: &str, secs: u64) {
        self.with(|s| {
            s.rate_limits
                .entry(method.into())
                .or_default()
                .push_back(secs)
        });
    }

    pub fn hold_posts(&self) {
        self.posts_open.send_replace(false);
    }

    pub fn release_posts(&self) {
        self.posts_open.send_replace(true);
    }

    pub async fn posts_gate(&self) {
        let mut rx = self.posts_open.subscribe();
        let _ = rx.wait_for(|open| *open).await;
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.with(|s| {
            s.calls
                .iter()
                .filter(|c| c.method == method)
                .cloned()
                .collect()
        })
    }

    /// Messages the bot posted, oldest first.
    pub fn bot_posts(&self) -> Vec<Message> {
        self.with(|s| s.messages.iter().filter(|m| m.by_bot).cloned().collect())
    }

    /// Waits for the bot's reply (a message with vote buttons) in the thread `channel`/`ts`.
    pub async fn reply_in_thread(&self, channel: &str, ts: &str) -> Message {
        self.wait_for(&format!("a reply in thread {channel}:{ts}"), |s| {
            s.messages
                .iter()
                .find(|m| {
                    m.by_bot
                        && m.channel == channel
                        && m.thread_ts.as_deref() == Some(ts)
                        && checks::has_vote_buttons(&m.blocks)
                })
                .cloned()
        })
        .await
    }

    /// When the bot's successful `chat.postMessage` into the thread `channel`/`ts` arrived.
    pub async fn post_received(&self, channel: &str, ts: &str) -> Instant {
        self.wait_for("a post in the thread", |s| {
            s.calls
                .iter()
                .rev()
                .find(|c| {
                    c.method == "chat.postMessage"
                        && c.error.is_none()
                        && c.args["channel"] == channel
                        && c.args["thread_ts"] == ts
                })
                .map(|c| c.at)
        })
        .await
    }

    /// Every text the bot sent anywhere (messages, ephemerals, views), for ping checks.
    pub fn everything_sent(&self) -> Vec<String> {
        self.with(|s| s.calls.iter().map(|c| c.args.to_string()).collect())
    }
}

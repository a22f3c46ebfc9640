//! What the fake Discord knows and remembers: channels, users, messages, threads, interactions,
//! and a record of every REST request, so tests can assert on exactly what the bot sent.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;
use tokio_tungstenite::tungstenite::Message as Frame;

pub const GUILD_TEXT: u8 = 0;
pub const DM: u8 = 1;
pub const PUBLIC_THREAD: u8 = 11;
pub const GUILD_FORUM: u8 = 15;

#[derive(Debug, Clone)]
pub struct Channel {
    pub id: u64,
    pub kind: u8,
    pub guild_id: Option<u64>,
    pub parent_id: Option<u64>,
    pub name: String,
    /// The bot lacks Create Public Threads here.
    pub threads_denied: bool,
    /// For a DM: the other person.
    pub recipient: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub display: String,
    pub bot: bool,
}

/// A message in the fake: posted by a person (dispatched) or created by the bot (REST).
#[derive(Debug, Clone)]
pub struct Msg {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub content: String,
    /// The full request body, for bot messages.
    pub body: Value,
    pub at: Instant,
}

impl Msg {
    pub fn embeds(&self) -> &[Value] {
        self.body["embeds"].as_array().map_or(&[], Vec::as_slice)
    }

    /// custom_ids of the message's buttons.
    pub fn buttons(&self) -> Vec<String> {
        let rows = self.body["components"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        rows.iter()
            .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["custom_id"].as_str().map(str::to_owned))
            .collect()
    }

    /// Everything a reader sees: content and embed texts.
    pub fn visible_text(&self) -> String {
        let mut out = self.content.clone();
        for e in self.embeds() {
            for key in ["title", "description", "url"] {
                out.push('\n');
                out.push_str(e[key].as_str().unwrap_or(""));
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    pub at: Instant,
}

#[derive(Debug, Clone)]
pub struct Interaction {
    pub id: u64,
    /// 2 application command, 3 component, 5 modal submit.
    pub kind: u8,
    pub channel: u64,
    pub token: String,
    /// The callback the bot answered with (4 message, 5 deferred, 9 modal), once it did.
    pub response: Option<Value>,
    /// The follow-up edit of a deferred response.
    pub edit: Option<Value>,
}

/// Which endpoint a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    CreateMessage,
    CreateThread,
    GetChannel,
    InteractionCallback,
    EditOriginal,
    PutCommands,
    GetMessage,
    EditMessage,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// 429 with Discord's body (`retry_after`, no `code`) and headers.
    RateLimited { retry_after: f64 },
    /// An error status before anything happens.
    Status(u16),
    /// The request takes effect, then the answer is an error (a lost response).
    AfterEffect(u16),
}

#[derive(Debug)]
pub struct Session {
    pub id: String,
    pub tx: Option<UnboundedSender<Frame>>,
    pub seq: u64,
    pub log: Vec<(u64, Value)>,
    pub intents: u64,
    /// On the next RESUME, replay from here even if the client has seen more (Discord's
    /// at-least-once delivery).
    pub replay_from: Option<u64>,
    pub resumes: u32,
}

#[derive(Debug, Default)]
pub struct State {
    pub next_id: u64,
    pub channels: HashMap<u64, Channel>,
    pub users: HashMap<u64, User>,
    pub messages: Vec<Msg>,
    /// Messages a thread was started from.
    pub threaded: HashSet<u64>,
    pub nonces: HashMap<String, u64>,
    pub interactions: HashMap<u64, Interaction>,
    pub commands: Vec<(Option<u64>, Value)>,
    pub requests: Vec<Recorded>,
    pub faults: Vec<(Endpoint, Fault, u32)>,
    pub sessions: Vec<Session>,
    /// When each MESSAGE_CREATE went out, by message id.
    pub dispatched_at: HashMap<u64, Instant>,
    /// Guild members' roles and permissions, by user id (absent: no roles, @everyone's).
    pub members: HashMap<u64, Access>,
}

/// What a member holds in the guild, as interactions report it.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub roles: Vec<u64>,
    pub permissions: u64,
}

impl State {
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn message(&self, id: u64) -> Option<&Msg> {
        self.messages.iter().find(|m| m.id == id)
    }

    pub fn in_channel(&self, channel: u64) -> Vec<&Msg> {
        self.messages
            .iter()
            .filter(|m| m.channel_id == channel)
            .collect()
    }

    /// Takes one use of a matching fault, if any.
    pub fn take_fault(&mut self, endpoint: Endpoint) -> Option<Fault> {
        let i = self
            .faults
            .iter()
            .position(|(e, _, n)| *e == endpoint && *n > 0)?;
        self.faults[i].2 -= 1;
        Some(self.faults[i].1)
    }
}

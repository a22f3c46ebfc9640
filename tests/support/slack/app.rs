//! `spawn`: the bot as `serve` runs it (engine, Slack adapter, HTTP server), on its own
//! database, talking to its own fake Slack.

use super::client::{self, Response};
use super::{FakeSlack, ANON, APP_TOKEN, BOT_TOKEN, CAREERS, MODS, MOD_GROUP};
use crate::support::db::{self, Backend, TestDb};
use crossroads::adapters::slack::{Secret, Slack, SlackSettings};
use crossroads::core::curation::{Curation, ReviewSettings};
use crossroads::core::{ClassifierConfig, Engine, Templates};
use crossroads::store::Store;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinHandle;

pub const SIGNING_SECRET: &str = "fake-signing-secret-8f742231b10e";
/// Moderators by configured user id.
pub const MOD1: &str = "UMOD1";
pub const MOD2: &str = "UMOD2";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Slack posts signed requests to `/slack/*`.
    Events,
    /// The bot holds a Socket Mode websocket to the fake.
    Socket,
}

pub struct TestApp {
    pub fake: FakeSlack,
    pub curation: Arc<Curation>,
    pub slack: Arc<Slack>,
    pub store: Arc<dyn Store>,
    pub http: SocketAddr,
    pub db_url: String,
    server: JoinHandle<()>,
}

/// A fresh database, a fresh fake Slack, and the bot connected to both.
pub async fn spawn(backend: Backend, mode: Mode) -> (TestApp, TestDb) {
    let db = db::fresh(backend).await;
    let app = spawn_on(&db.url, FakeSlack::start().await, mode).await;
    (app, db)
}

/// Another instance of the bot on an existing database and fake (a second replica, or the
/// same bot after a restart).
pub async fn spawn_on(db_url: &str, fake: FakeSlack, mode: Mode) -> TestApp {
    let store = crossroads::store::connect(db_url)
        .await
        .expect("open the test database");
    let engine = Arc::new(
        Engine::open(store.clone(), classifier(), Templates::default())
            .await
            .expect("open the engine"),
    );
    let settings = SlackSettings {
        api_base: Some(fake.api_base()),
        bot_token: Some(Secret::new(BOT_TOKEN)),
        app_token: (mode == Mode::Socket).then(|| Secret::new(APP_TOKEN)),
        signing_secret: (mode == Mode::Events).then(|| Secret::new(SIGNING_SECRET)),
        channels: vec![CAREERS.into()],
        anonymous_channel: Some(ANON.into()),
        moderator_user_ids: vec![MOD1.into(), MOD2.into()],
        moderator_usergroup: Some(MOD_GROUP.into()),
        mod_channel: Some(MODS.into()),
        ..SlackSettings::default()
    };
    let config = settings.resolve().unwrap().expect("Slack is configured");
    let curation = Arc::new(Curation::new(engine.clone(), ReviewSettings::default()));
    let slack = Slack::start(config, curation.clone())
        .await
        .expect("start the Slack adapter");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http = listener.local_addr().unwrap();
    let router = crossroads::http::router(engine, Some(&slack));
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    if mode == Mode::Socket {
        fake.socket_connected().await;
    }
    TestApp {
        fake,
        curation,
        slack,
        store,
        http,
        db_url: db_url.to_owned(),
        server,
    }
}

/// Fewer training epochs than production: these tests exercise the adapter, not the
/// classifier, and the shorter training keeps each test's engine start quick.
fn classifier() -> ClassifierConfig {
    ClassifierConfig {
        epochs: 5,
        ..ClassifierConfig::default()
    }
}

impl TestApp {
    /// Posts `body` to `path`, signed as Slack signs it now.
    pub async fn post_signed(&self, path: &str, content_type: &str, body: &str) -> Response {
        let headers = client::signature(SIGNING_SECRET, client::now(), body);
        client::post(self.http, path, content_type, &headers, body).await
    }

    /// Delivers an Events API callback over HTTP, as Slack would.
    pub async fn deliver(&self, callback: &Value) -> Response {
        self.post_signed("/slack/events", client::JSON, &callback.to_string())
            .await
    }

    /// Stops this instance (its Socket Mode connection, replay loop and HTTP server).
    pub async fn stop(self) {
        self.slack.shutdown().await;
        self.server.abort();
    }
}

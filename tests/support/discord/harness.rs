//! Starts the real bot (engine, store, serenity client) against a `FakeDiscord`, and waits for
//! what it did with each event.

use super::{FakeDiscord, TOKEN};
use crossroads::adapters::discord::{self, DiscordSettings, Handled, RetryPolicy, Running, Secret};
use crossroads::core::curation::{Curation, ReviewSettings};
use crossroads::core::{ClassifierConfig, Engine, Templates};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Settings pointing at the fake: `channels` take questions, `anonymous` takes DMs.
pub fn settings(fake: &FakeDiscord, channels: &[u64], anonymous: Option<u64>) -> DiscordSettings {
    DiscordSettings {
        api_base: Some(fake.api_base()),
        channels: channels.to_vec(),
        anonymous_channel: anonymous,
        ..DiscordSettings::default()
    }
}

/// Quick retries so fault tests take milliseconds, not seconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        base_delay: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        timeout: Duration::from_secs(5),
    }
}

pub async fn engine(database_url: &str) -> Arc<Engine> {
    let store = crossroads::store::connect(database_url)
        .await
        .expect("database opens");
    let engine = Engine::open(store, ClassifierConfig::default(), Templates::default())
        .await
        .expect("engine opens");
    Arc::new(engine)
}

pub struct TestBot {
    pub running: Running,
    pub events: Receiver<Handled>,
    pub engine: Arc<Engine>,
}

impl TestBot {
    pub async fn start(engine: Arc<Engine>, settings: &DiscordSettings) -> TestBot {
        let curation = Arc::new(Curation::new(engine.clone(), ReviewSettings::default()));
        let running = discord::start(curation, settings, Secret::new(TOKEN), fast_retries())
            .await
            .expect("bot starts");
        let events = running.events();
        TestBot {
            running,
            events,
            engine,
        }
    }

    /// Waits for the first event matching `pred` (20 s at most).
    pub async fn wait(&mut self, what: &str, pred: impl Fn(&Handled) -> bool) -> Handled {
        let found = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                match self.events.recv().await {
                    Ok(h) if pred(&h) => return h,
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => panic!("bot stopped while waiting for {what}"),
                }
            }
        })
        .await;
        found.unwrap_or_else(|_| panic!("timed out waiting for {what}"))
    }

    /// Waits for the replay the bot runs once connected: questions posted after it are handled
    /// live (a replay racing a live question is safe, but reports it differently).
    pub async fn wait_ready(&mut self) {
        self.wait("the startup replay", |h| {
            matches!(h, Handled::Replayed { .. })
        })
        .await;
    }

    /// Waits for what the bot did with event `id`.
    pub async fn handled(&mut self, id: u64) -> Handled {
        self.wait(&format!("event {id}"), |h| event_id(h) == Some(id))
            .await
    }

    pub async fn stop(self) {
        self.running.stop().await;
    }
}

pub fn event_id(h: &Handled) -> Option<u64> {
    match h {
        Handled::Ignored { id, .. }
        | Handled::Hint { id }
        | Handled::Question { id, .. }
        | Handled::Feedback { id }
        | Handled::Moderated { id }
        | Handled::Failed { id, .. } => Some(*id),
        _ => None,
    }
}

/// Log lines (warnings and up) written while the returned value lives, on this thread: with
/// `#[tokio::test]`'s single-threaded runtime, that is everything the bot logs.
pub fn capture_logs() -> Logs {
    let buf = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || LogWriter(sink.clone()))
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .finish();
    Logs {
        buf,
        _guard: tracing::subscriber::set_default(subscriber),
    }
}

pub struct Logs {
    buf: Arc<std::sync::Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap()).into_owned()
    }
}

struct LogWriter(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

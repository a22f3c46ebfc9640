//! Test data for digests: a recording sink, runners with a manual clock, and questions, answers
//! and votes placed at chosen times (the store stamps them with the wall clock; we move them).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crossroads::core::digest::Digest;
use crossroads::jobs::{DigestRunner, DigestSettings, DigestSink, ManualClock};
use crossroads::store::{self, NewAnswer, NewQuestion, Store, Vote};
use std::sync::{Arc, Mutex};

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("a test timestamp")
}

pub fn ms(s: &str) -> i64 {
    at(s).timestamp_millis()
}

#[derive(Debug, Clone)]
pub struct Post {
    pub channel: String,
    pub week: String,
    pub key: String,
    pub text: String,
    pub has_chart: bool,
}

/// Records what would be posted; fails the next `fail` posts.
#[derive(Default)]
pub struct Recorder {
    pub posts: Mutex<Vec<Post>>,
    pub fail: Mutex<u32>,
}

impl Recorder {
    pub fn weeks(&self) -> Vec<String> {
        self.posts
            .lock()
            .unwrap()
            .iter()
            .map(|p| p.week.clone())
            .collect()
    }
}

#[async_trait]
impl DigestSink for Recorder {
    async fn post_digest(
        &self,
        channel: &str,
        digest: &Digest,
        png: Option<&[u8]>,
        key: &str,
    ) -> anyhow::Result<String> {
        {
            let mut fail = self.fail.lock().unwrap();
            if *fail > 0 {
                *fail -= 1;
                anyhow::bail!("the platform is down");
            }
        }
        let text = crossroads::core::digest::render(digest, &crossroads::core::digest::Plain);
        let mut posts = self.posts.lock().unwrap();
        posts.push(Post {
            channel: channel.into(),
            week: digest.week.to_string(),
            key: key.into(),
            text,
            has_chart: png.is_some_and(|p| p.starts_with(b"\x89PNG")),
        });
        Ok(format!("m{}", posts.len()))
    }
}

pub fn settings(toml_channels: &str) -> DigestSettings {
    let s: DigestSettings = toml::from_str(toml_channels).expect("test digest settings");
    s.check().expect("valid test settings");
    s
}

pub const BERLIN_MONDAYS: &str = "claim_lease_ms = 60000\n[[channels]]\nplatform = \"discord\"\n\
    channel = \"100\"\nschedule = \"0 9 * * MON\"\ntimezone = \"Europe/Berlin\"\n";

pub struct Bench {
    pub db: crate::TestDb,
    pub store: Arc<dyn Store>,
    pub clock: Arc<ManualClock>,
    pub sink: Arc<Recorder>,
}

impl Bench {
    pub async fn new(backend: crate::Backend, now: &str) -> Self {
        let db = crate::fresh(backend).await;
        let store = store::connect(&db.url).await.expect("open store");
        store
            .seed_if_empty(&crossroads::knowledge::builtin())
            .await
            .unwrap();
        Self {
            db,
            store,
            clock: Arc::new(ManualClock::new(at(now))),
            sink: Arc::new(Recorder::default()),
        }
    }

    /// A runner (an instance) on its own connection pool, sharing the clock and the sink.
    pub async fn runner(&self, channels: &str, name: &str) -> DigestRunner {
        let store = store::connect(&self.db.url).await.expect("open store");
        DigestRunner::new(store, &settings(channels), self.clock.clone(), name)
            .unwrap()
            .with_sink("discord", self.sink.clone())
            .with_sink("slack", self.sink.clone())
    }

    /// Runs `sql` on the test database directly.
    pub async fn exec(&self, sql: &str) {
        if self.db.url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&self.db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
        } else {
            let pool = sqlx::PgPool::connect(&self.db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
    }

    /// Stores an answered question on `platform` at `when`, with `helpful` Helpful votes.
    pub async fn answered(&self, q: Asked<'_>) -> i64 {
        let id = self
            .store
            .record_question(&NewQuestion {
                platform: q.platform.into(),
                workspace: "500".into(),
                channel: "600".into(),
                message_id: q.message_id.into(),
                thread_id: None,
                author_id: q.author.map(Into::into),
                text: q.text.into(),
            })
            .await
            .unwrap()
            .expect("a new question");
        let answer = self
            .store
            .record_answer(&NewAnswer {
                question_id: id,
                channel: "600".into(),
                thread_id: Some(format!("7{id}")),
                message_ids: vec![format!("8{id}")],
                reply_kind: "advice".into(),
                primary_category: q.category.into(),
                confidence: 0.9,
                snippet_ids: vec![],
            })
            .await
            .unwrap()
            .expect("a new answer");
        for v in 0..q.helpful {
            self.store
                .record_vote(answer, &format!("voter{v}"), Vote::Helpful)
                .await
                .unwrap();
        }
        let when = ms(q.when);
        self.exec(&format!(
            "UPDATE questions SET received_at = {when} WHERE id = {id}"
        ))
        .await;
        self.exec(&format!(
            "UPDATE answers SET posted_at = {when} WHERE id = {answer}"
        ))
        .await;
        id
    }
}

pub struct Asked<'a> {
    pub platform: &'a str,
    pub message_id: &'a str,
    pub author: Option<&'a str>,
    pub text: &'a str,
    pub category: &'a str,
    pub helpful: u32,
    pub when: &'a str,
}

impl Default for Asked<'_> {
    fn default() -> Self {
        Self {
            platform: "discord",
            message_id: "1",
            author: Some("200"),
            text: "Should I take the counteroffer or leave?",
            category: "quitting",
            helpful: 0,
            when: "2026-11-18T12:00:00Z",
        }
    }
}

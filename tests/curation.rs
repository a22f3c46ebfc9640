//! Moderator curation and the review queue through `core::curation`, on SQLite and PostgreSQL.
//! The platform part is a recording stand-in here; the Discord and Slack suites drive the same
//! flows through the real clients and the fake platforms.

#[macro_use]
mod support {
    #[macro_use]
    pub mod db;
}

#[path = "curation_cases/questions.rs"]
mod questions;
#[path = "curation_cases/snippets.rs"]
mod snippets;

use async_trait::async_trait;
use crossroads::core::curation::{
    queue, Command, Curation, FetchedMessage, ItemAction, MessageRef, ModPlatform, Response,
    ReviewSettings, SnippetForm, NOT_ALLOWED,
};
use crossroads::core::{Answer, ClassifierConfig, Engine, Posted, Templates};
use crossroads::domain::{Actor, QuestionText, SnippetStatus};
use crossroads::store::{self, NewQuestion, ReviewKind, Store};
use std::sync::{Arc, Mutex};
use support::db::{fresh, Backend};

const PLATFORM: &str = "discord";

struct Recorder(Mutex<Vec<(i64, Vec<String>)>>);

#[async_trait]
impl ModPlatform for Recorder {
    async fn post_answer(&self, q: &store::StoredQuestion, a: &Answer) -> anyhow::Result<Posted> {
        let ids = a.reply.snippets.iter().map(|s| s.id.clone()).collect();
        self.0.lock().unwrap().push((q.id, ids));
        Ok(Posted {
            channel: q.channel.clone(),
            thread_id: Some(format!("thread-{}", q.id)),
            message_ids: vec![format!("m-{}", q.id)],
        })
    }

    async fn fetch_message(
        &self,
        _: Option<&str>,
        id: &str,
    ) -> anyhow::Result<Option<FetchedMessage>> {
        Ok((id == "555").then(|| FetchedMessage {
            author_id: "u-helper".into(),
            author_name: "Dana".into(),
            text: "Give the notice your contract asks for, in writing, and keep it short.\nThen hand over cleanly.".into(),
            thread_id: None,
            link: Some("https://discord.com/channels/1/2/555".into()),
        }))
    }
}

struct Fixture {
    _db: support::db::TestDb,
    curation: Arc<Curation>,
    platform: Recorder,
}

impl Fixture {
    async fn new(backend: Backend) -> Self {
        let db = fresh(backend).await;
        let store = store::connect(&db.url).await.unwrap();
        let engine = Engine::open(store, ClassifierConfig::default(), Templates::default())
            .await
            .unwrap();
        Self {
            _db: db,
            curation: Arc::new(Curation::new(Arc::new(engine), ReviewSettings::default())),
            platform: Recorder(Mutex::new(Vec::new())),
        }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.curation.engine().store()
    }

    async fn run(&self, who: &Actor, cmd: &str) -> anyhow::Result<Response> {
        let cmd = Command::parse(cmd)?;
        self.curation.run(who, "c1", cmd, &self.platform).await
    }

    async fn text(&self, who: &Actor, cmd: &str) -> String {
        match self.run(who, cmd).await.unwrap() {
            Response::Text(t) => t,
            other => panic!("expected text, got {other:?}"),
        }
    }

    async fn ask(&self, message_id: &str, text: &str) -> i64 {
        let q = NewQuestion {
            platform: PLATFORM.into(),
            workspace: "g1".into(),
            channel: "c1".into(),
            message_id: message_id.into(),
            thread_id: None,
            author_id: Some("asker".into()),
            text: text.into(),
        };
        self.store().record_question(&q).await.unwrap().unwrap()
    }

    fn served(&self, text: &str) -> Vec<String> {
        let a = self
            .curation
            .engine()
            .answer(&QuestionText::parse(text).unwrap());
        a.reply.snippets.iter().map(|s| s.id.clone()).collect()
    }
}

fn actor(id: &str, moderator: bool) -> Actor {
    Actor {
        platform: PLATFORM.into(),
        user_id: id.into(),
        name: id.into(),
        is_moderator: moderator,
    }
}

const SABBATICAL: &str = "Is a sabbatical year to restore vintage motorcycles a reasonable plan?";
const SABBATICAL_AGAIN: &str = "A sabbatical year to restore vintage motorcycles: reasonable?";

//! The Discord adapter end to end: the real serenity client and the real store (SQLite and
//! PostgreSQL) against a strict fake Discord (REST + websocket gateway) on loopback.

/// Runs an async test body once per backend.
macro_rules! both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                $body(Backend::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                $body(Backend::Postgres).await
            }
        }
    };
}

mod support {
    pub mod db;
    pub mod discord;
}

#[path = "discord_cases/anonymous.rs"]
mod anonymous;
#[path = "discord_cases/answers.rs"]
mod answers;
#[path = "discord_cases/fake.rs"]
mod fake;
#[path = "discord_cases/feedback.rs"]
mod feedback;
#[path = "discord_cases/listening.rs"]
mod listening;
#[path = "discord_cases/moderation.rs"]
mod moderation;
#[path = "discord_cases/reliability.rs"]
mod reliability;
#[path = "discord_cases/review_queue.rs"]
mod review_queue;

use support::db::{fresh, Backend, TestDb};
use support::discord::harness::{engine, settings, TestBot};
use support::discord::FakeDiscord;

/// A fake Discord with a question channel and an anonymous channel, a fresh database, and the
/// bot connected.
pub struct World {
    pub fake: FakeDiscord,
    pub db: TestDb,
    pub channel: u64,
    pub anonymous: u64,
    /// The moderators' channel and role (configured only by `moderated`).
    pub mods: u64,
    pub mod_role: u64,
    pub bot: TestBot,
}

impl World {
    pub async fn new(backend: Backend) -> World {
        Self::with(backend, |_| {}).await
    }

    /// Like `new`, with a moderators' channel and a moderator role configured.
    pub async fn moderated(backend: Backend) -> World {
        Self::build(backend, true, |_| {}).await
    }

    /// Like `new`, adjusting the settings first.
    pub async fn with(
        backend: Backend,
        adjust: impl FnOnce(&mut crossroads::adapters::discord::DiscordSettings),
    ) -> World {
        Self::build(backend, false, adjust).await
    }

    async fn build(
        backend: Backend,
        moderated: bool,
        adjust: impl FnOnce(&mut crossroads::adapters::discord::DiscordSettings),
    ) -> World {
        let fake = FakeDiscord::start().await;
        let channel = fake.text_channel("career-questions");
        let anonymous = fake.text_channel("anonymous-questions");
        let mods = fake.text_channel("moderators");
        let mod_role = fake.role();
        let db = fresh(backend).await;
        let mut s = settings(&fake, &[channel], Some(anonymous));
        if moderated {
            s.mod_channel_id = Some(mods);
            s.moderator_role_ids = vec![mod_role];
        }
        adjust(&mut s);
        let mut bot = TestBot::start(engine(&db.url).await, &s).await;
        fake.wait_connected(1).await;
        bot.wait_ready().await;
        World {
            fake,
            db,
            channel,
            anonymous,
            mods,
            mod_role,
            bot,
        }
    }

    /// Runs `sql` (one row, one column) on the test database: SQLite or PostgreSQL.
    pub async fn scalar<T>(&self, sql: &str) -> T
    where
        T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    {
        if self.db.url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&self.db.url).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap()
        } else {
            let pool = sqlx::PgPool::connect(&self.db.url).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap()
        }
    }
}

/// A question the built-in knowledge answers with advice.
pub const QUESTION: &str =
    "I want to quit my job but my manager keeps offering a counteroffer. Should I stay or go?";

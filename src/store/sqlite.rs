//! The embedded default: a SQLite file, created and migrated on first open, in WAL mode so
//! readers never wait for the writer.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Pool, Sqlite};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pool: Pool<Sqlite>,
}

impl SqliteStore {
    pub async fn open(url: &str) -> sqlx::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        // An in-memory database lives as long as its one connection.
        let max = if url.contains(":memory:") { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }

    /// A transaction that takes the write lock at once (`BEGIN IMMEDIATE`). A deferred one that
    /// reads and then writes fails with "database is locked" when another connection wrote in
    /// between (WAL can't upgrade a stale read snapshot, and busy_timeout does not apply);
    /// an immediate one waits for the writer instead.
    async fn write_tx(&self) -> sqlx::Result<sqlx::Transaction<'_, Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }
}

super::review_sql::review_sql!(SqliteStore);
super::sql::sql_store!(SqliteStore, Sqlite);
super::digest::digest_store!(SqliteStore);

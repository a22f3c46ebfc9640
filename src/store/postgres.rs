//! PostgreSQL, for running several instances on one database. Same SQL as SQLite (see
//! `sql.rs`), its own migrations.

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, Pool, Postgres};
use std::time::Duration;

pub struct PgStore {
    pool: Pool<Postgres>,
}

impl PgStore {
    pub async fn open(url: &str) -> sqlx::Result<Self> {
        // One plain connection first: a wrong URL fails at once instead of after the pool's
        // acquire timeout.
        sqlx::PgConnection::connect(url).await?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }

    /// A transaction for writing (see `SqliteStore::write_tx`; PostgreSQL needs nothing special).
    async fn write_tx(&self) -> sqlx::Result<sqlx::Transaction<'_, Postgres>> {
        self.pool.begin().await
    }
}

super::review_sql::review_sql!(PgStore);
super::sql::sql_store!(PgStore, Postgres);
super::digest::digest_store!(PgStore);

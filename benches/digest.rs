//! Building the weekly digest over 1,000,000 stored questions, on SQLite and on PostgreSQL.
//!
//! `cargo bench --bench digest` (release). Generates two years of questions (70% Discord,
//! several categories, 1 in 13 anonymous, 80% answered, a third of the answers with 1-4 Helpful
//! votes) inside the database (recursive CTE on SQLite, `generate_series` on PostgreSQL), then
//! builds the digest of a late week repeatedly and prints p50 and max. PostgreSQL comes from
//! `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`); it is skipped
//! with a note when it does not answer. Not run by `.ci/run`.

use chrono::{Duration, TimeZone, Utc};
use crossroads::core::digest::{load, IsoWeek};
use sqlx::Connection;
use std::time::Instant;

const QUESTIONS: i64 = 1_000_000;
const BUILDS: usize = 15;
/// 2024-11-25T00:00:00Z; two years of questions from here.
const START_MS: i64 = 1_732_492_800_000;
const STEP_MS: i64 = 2 * 365 * 24 * 3_600_000 / QUESTIONS;

/// One SELECT list both backends accept; `i` is 1..=QUESTIONS.
fn question_columns() -> String {
    format!(
        "CASE WHEN i % 10 < 7 THEN 'discord' ELSE 'slack' END, 'w1', 'c' || (i % 4), 'm' || i,
         NULL, CASE WHEN i % 13 = 0 THEN NULL ELSE 'u' || (i % 5000) END, i % 13 = 0,
         'Question number ' || i || ' about my career and what to do next',
         {START_MS} + i * {STEP_MS} + (i * 7919) % 60000,
         CASE WHEN i % 5 = 0 THEN 'pending' ELSE 'answered' END,
         CASE WHEN i % 5 = 0 THEN NULL
              WHEN i % 11 IN (0, 1) THEN 'role_switch' WHEN i % 11 IN (2, 3) THEN 'quitting'
              WHEN i % 11 = 4 THEN 'contract_pressure' ELSE 'other' END"
    )
}

const QUESTION_INTO: &str = "INSERT INTO questions (platform, workspace, channel, message_id, \
    thread_id, author_id, anonymous, text, received_at, state, primary_category)";

const ANSWERS: &str = "INSERT INTO answers (question_id, channel, thread_id, message_ids, \
    reply_kind, primary_category, posted_at)
    SELECT id, channel, 't' || id, '[\"a' || id || '\"]', 'advice', primary_category,
           received_at + 4000
    FROM questions WHERE state = 'answered'";

const VOTES: &str = "INSERT INTO feedback (answer_id, user_id, vote, updated_at)
    SELECT a.id, 'v' || k.k, 'helpful', a.posted_at + 60000
    FROM answers a JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k
      ON k.k <= 1 + a.id % 4
    WHERE a.id % 3 = 0";

async fn fill_sqlite(url: &str) -> anyhow::Result<()> {
    let mut c = sqlx::SqliteConnection::connect(url).await?;
    let questions = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {QUESTIONS})
         {QUESTION_INTO} SELECT {} FROM n",
        question_columns()
    );
    for sql in [questions.as_str(), ANSWERS, VOTES, "ANALYZE"] {
        sqlx::query(sql).execute(&mut c).await?;
    }
    Ok(())
}

async fn fill_postgres(url: &str) -> anyhow::Result<()> {
    let mut c = sqlx::PgConnection::connect(url).await?;
    let questions = format!(
        "{QUESTION_INTO} SELECT {} FROM generate_series(1::BIGINT, {QUESTIONS}) AS i",
        question_columns()
    );
    for sql in [questions.as_str(), ANSWERS, VOTES, "VACUUM ANALYZE"] {
        sqlx::query(sql).execute(&mut c).await?;
    }
    Ok(())
}

async fn fresh_postgres() -> anyhow::Result<String> {
    let admin = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut c = sqlx::PgConnection::connect(&admin).await?;
    sqlx::query("DROP DATABASE IF EXISTS crossroads_bench_digest")
        .execute(&mut c)
        .await?;
    sqlx::query("CREATE DATABASE crossroads_bench_digest")
        .execute(&mut c)
        .await?;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Ok(format!("{base}/crossroads_bench_digest"))
}

async fn measure(name: &str, url: &str, postgres: bool) -> anyhow::Result<()> {
    let store = crossroads::store::connect(url).await?;
    store
        .seed_if_empty(&crossroads::knowledge::builtin())
        .await?;
    let started = Instant::now();
    if postgres {
        fill_postgres(url).await?;
    } else {
        fill_sqlite(url).await?;
    }
    let filled = started.elapsed();
    let tz = chrono_tz::Europe::Berlin;
    let last = Utc
        .timestamp_millis_opt(START_MS)
        .single()
        .unwrap_or_default()
        + Duration::days(700);
    let week = IsoWeek::containing(last.date_naive());
    let mut times = Vec::new();
    let mut digest = None;
    for _ in 0..BUILDS {
        let t = Instant::now();
        digest = Some(load(store.as_ref(), "discord", week, tz).await?);
        times.push(t.elapsed());
    }
    times.sort();
    let d = digest.expect("at least one build");
    println!(
        "{name}: {QUESTIONS} questions inserted in {:.1} s; digest of {week} ({} questions that \
         week, {} top answers, {} categories): p50 {:.1} ms, max {:.1} ms over {BUILDS} builds",
        filled.as_secs_f64(),
        d.total,
        d.top.len(),
        d.categories.len(),
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    measure("SQLite", &sqlite, false).await?;
    match fresh_postgres().await {
        Ok(url) => measure("PostgreSQL", &url, true).await?,
        Err(e) => println!("PostgreSQL skipped: {e}"),
    }
    Ok(())
}

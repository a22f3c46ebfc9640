//! The SQL both backends share. SQLite and PostgreSQL accept the same statements here (`$N`
//! placeholders, `ON CONFLICT`, `RETURNING`), so one macro implements `Store` for each pool type
//! instead of two hand-kept copies; the sqlx `Any` driver is avoided because it loses types.

use crate::domain::{CategoryId, Snippet, SnippetStatus, Source};
use serde::de::DeserializeOwned;

pub(super) fn decode_err(e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

pub(super) fn json_list<T: DeserializeOwned>(s: &str) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(s).map_err(decode_err)
}

pub(super) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("lists of strings always serialize")
}

#[derive(sqlx::FromRow)]
pub(super) struct SnippetRow {
    pub id: String,
    pub title: String,
    pub body: String,
    pub categories: String,
    pub tags: String,
    pub source_title: String,
    pub source_url: String,
    pub status: String,
    pub author: String,
    pub reviewed: String,
    pub pinned: bool,
}

impl SnippetRow {
    pub fn into_snippet(self) -> Result<Snippet, sqlx::Error> {
        let categories: Vec<CategoryId> = json_list(&self.categories)?;
        Ok(Snippet {
            id: self.id,
            title: self.title,
            body: self.body,
            categories,
            tags: json_list(&self.tags)?,
            source: Source {
                title: self.source_title,
                url: self.source_url,
            },
            status: SnippetStatus::parse(&self.status).map_err(decode_err)?,
            author: self.author,
            reviewed: self.reviewed,
            pinned: self.pinned,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ExampleRow {
    pub id: String,
    pub text: String,
    pub labels: String,
    pub primary_category: String,
}

pub(super) const SNIPPET_COLUMNS: &str =
    "id, title, body, categories, tags, source_title, source_url, status, author, reviewed, pinned";

/// Implements `Store` for `$store`, a struct with a `pool: sqlx::Pool<$db>` field.
macro_rules! sql_store {
    ($store:ty, $db:ty) => {
        use crate::domain::{now_ms, Category, CategoryId, Example, Knowledge, Snippet};
        use crate::store::sql::{json_list, to_json, ExampleRow, SnippetRow, SNIPPET_COLUMNS};
        use crate::store::*;
        use sqlx::Row;
        use std::collections::HashMap;

        type Tx<'a> = sqlx::Transaction<'a, $db>;

        impl $store {
            async fn upsert_category(tx: &mut Tx<'_>, c: &Category) -> Result<()> {
                sqlx::query(
                    "INSERT INTO categories (id, name, description, created_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO UPDATE SET name = $2, description = $3",
                )
                .bind(c.id.as_str())
                .bind(&c.name)
                .bind(&c.description)
                .bind(now_ms())
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Returns (current version, whether it changed).
            async fn save_snippet_tx(tx: &mut Tx<'_>, s: &Snippet, by: &str) -> Result<(i64, bool)> {
                let current: Option<(i64,)> =
                    sqlx::query_as("SELECT version FROM snippets WHERE id = $1")
                        .bind(&s.id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if let Some((version,)) = current {
                    let sql = format!("SELECT {SNIPPET_COLUMNS} FROM snippets WHERE id = $1");
                    let row: SnippetRow =
                        sqlx::query_as(&sql).bind(&s.id).fetch_one(&mut **tx).await?;
                    if &row.into_snippet()? == s {
                        return Ok((version, false));
                    }
                }
                let version = current.map_or(1, |(v,)| v + 1);
                let now = now_ms();
                let (cats, tags) = (to_json(&s.categories), to_json(&s.tags));
                sqlx::query(
                    "INSERT INTO snippets (id, title, body, categories, tags, source_title,
                         source_url, status, author, reviewed, pinned, version, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                     ON CONFLICT (id) DO UPDATE SET title = $2, body = $3, categories = $4,
                         tags = $5, source_title = $6, source_url = $7, status = $8,
                         author = $9, reviewed = $10, pinned = $11, version = $12,
                         updated_at = $13",
                )
                .bind(&s.id).bind(&s.title).bind(&s.body).bind(&cats).bind(&tags)
                .bind(&s.source.title).bind(&s.source.url).bind(s.status.as_str())
                .bind(&s.author).bind(&s.reviewed).bind(s.pinned).bind(version).bind(now)
                .execute(&mut **tx)
                .await?;
                sqlx::query(
                    "INSERT INTO snippet_versions (snippet_id, version, title, body, categories,
                         tags, source_title, source_url, status, author, reviewed, pinned,
                         changed_by, changed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(&s.id).bind(version).bind(&s.title).bind(&s.body).bind(&cats)
                .bind(&tags).bind(&s.source.title).bind(&s.source.url)
                .bind(s.status.as_str()).bind(&s.author).bind(&s.reviewed).bind(s.pinned)
                .bind(by).bind(now)
                .execute(&mut **tx)
                .await?;
                Ok((version, true))
            }

            async fn add_examples_tx(tx: &mut Tx<'_>, examples: &[Example], origin: &str) -> Result<usize> {
                let mut added = 0;
                let now = now_ms();
                for e in examples {
                    let done = sqlx::query(
                        "INSERT INTO examples (id, text, labels, primary_category, origin, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(&e.id).bind(&e.text).bind(to_json(&e.labels))
                    .bind(e.primary.as_str()).bind(origin).bind(now)
                    .execute(&mut **tx)
                    .await?;
                    added += done.rows_affected() as usize;
                }
                Ok(added)
            }

            async fn audit_tx(tx: &mut Tx<'_>, e: &AuditEntry) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor, action, target, detail, allowed)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(e.at).bind(&e.actor).bind(&e.action).bind(&e.target).bind(&e.detail)
                .bind(e.allowed)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn import_tx(tx: &mut Tx<'_>, k: &Knowledge, actor: &str) -> Result<ImportReport> {
                let mut report = ImportReport::default();
                for c in &k.categories {
                    Self::upsert_category(tx, c).await?;
                    report.categories += 1;
                }
                for s in &k.snippets {
                    if Self::save_snippet_tx(tx, s, actor).await?.1 {
                        report.snippets_changed += 1;
                    }
                }
                report.examples_added = Self::add_examples_tx(tx, &k.examples, "import").await?;
                let detail = format!(
                    "{} categories, {} snippets changed, {} examples added",
                    report.categories, report.snippets_changed, report.examples_added
                );
                let entry = AuditEntry {
                    at: now_ms(),
                    actor: actor.to_owned(),
                    action: "knowledge.import".into(),
                    target: String::new(),
                    detail,
                    allowed: true,
                };
                Self::audit_tx(tx, &entry).await?;
                Ok(report)
            }
        }

        #[async_trait::async_trait]
        impl Store for $store {
            async fn categories(&self) -> Result<Vec<Category>> {
                let rows: Vec<(String, String, String)> =
                    sqlx::query_as("SELECT id, name, description FROM categories ORDER BY id")
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|(id, name, description)| {
                        let id = CategoryId::parse(&id).map_err(crate::store::sql::decode_err)?;
                        Ok(Category { id, name, description })
                    })
                    .collect()
            }

            async fn snippets(&self) -> Result<Vec<Snippet>> {
                let sql = format!("SELECT {SNIPPET_COLUMNS} FROM snippets ORDER BY id");
                let rows: Vec<SnippetRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                rows.into_iter().map(SnippetRow::into_snippet).collect()
            }

            async fn snippet(&self, id: &str) -> Result<Option<Snippet>> {
                let sql = format!("SELECT {SNIPPET_COLUMNS} FROM snippets WHERE id = $1");
                let row: Option<SnippetRow> =
                    sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                row.map(SnippetRow::into_snippet).transpose()
            }

            async fn save_snippet(&self, s: &Snippet, changed_by: &str) -> Result<i64> {
                let mut tx = self.write_tx().await?;
                let (version, _) = Self::save_snippet_tx(&mut tx, s, changed_by).await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn snippet_history(&self, id: &str) -> Result<Vec<SnippetVersion>> {
                sqlx::query_as(
                    "SELECT version, title, body, status, changed_by, changed_at
                     FROM snippet_versions WHERE snippet_id = $1 ORDER BY version",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await
            }

            async fn examples(&self) -> Result<Vec<Example>> {
                let rows: Vec<ExampleRow> = sqlx::query_as(
                    "SELECT id, text, labels, primary_category FROM examples ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|r| {
                        Ok(Example {
                            id: r.id,
                            text: r.text,
                            labels: json_list(&r.labels)?,
                            primary: CategoryId::parse(&r.primary_category)
                                .map_err(crate::store::sql::decode_err)?,
                        })
                    })
                    .collect()
            }

            async fn add_examples(&self, examples: &[Example], origin: &str, actor: &str) -> Result<usize> {
                let mut tx = self.write_tx().await?;
                let added = Self::add_examples_tx(&mut tx, examples, origin).await?;
                let entry = AuditEntry {
                    at: now_ms(),
                    actor: actor.to_owned(),
                    action: "examples.add".into(),
                    target: origin.to_owned(),
                    detail: format!("{added} of {} examples added", examples.len()),
                    allowed: true,
                };
                Self::audit_tx(&mut tx, &entry).await?;
                tx.commit().await?;
                Ok(added)
            }

            async fn import(&self, k: &Knowledge, actor: &str) -> Result<ImportReport> {
                let mut tx = self.write_tx().await?;
                let report = Self::import_tx(&mut tx, k, actor).await?;
                tx.commit().await?;
                Ok(report)
            }

            async fn seed_if_empty(&self, k: &Knowledge) -> Result<bool> {
                // The marker row is written first, so a racing instance blocks on it and then
                // sees it taken: exactly one instance seeds.
                let mut tx = self.write_tx().await?;
                let marked = sqlx::query(
                    "INSERT INTO meta (key, value) VALUES ('seeded', $1) ON CONFLICT (key) DO NOTHING",
                )
                .bind(now_ms().to_string())
                .execute(&mut *tx)
                .await?;
                let (categories,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM categories")
                    .fetch_one(&mut *tx)
                    .await?;
                if marked.rows_affected() == 0 || categories > 0 {
                    return Ok(false);
                }
                Self::import_tx(&mut tx, k, "seed").await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn record_question(&self, q: &NewQuestion) -> Result<Option<i64>> {
                let row = sqlx::query(
                    "INSERT INTO questions (platform, workspace, channel, message_id, thread_id,
                         author_id, anonymous, text, received_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     ON CONFLICT (platform, message_id) DO NOTHING RETURNING id",
                )
                .bind(&q.platform).bind(&q.workspace).bind(&q.channel).bind(&q.message_id)
                .bind(&q.thread_id).bind(&q.author_id).bind(q.author_id.is_none()).bind(&q.text).bind(now_ms())
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| r.try_get::<i64, _>(0)).transpose()
            }

            async fn question(&self, id: i64) -> Result<Option<StoredQuestion>> {
                sqlx::query_as(
                    "SELECT id, platform, workspace, channel, message_id, thread_id, author_id,
                         anonymous, text, received_at, state FROM questions WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await
            }

            async fn unanswered_questions(&self, platform: &str) -> Result<Vec<StoredQuestion>> {
                sqlx::query_as(
                    "SELECT id, platform, workspace, channel, message_id, thread_id, author_id,
                         anonymous, text, received_at, state FROM questions
                     WHERE state = 'pending' AND platform = $1 ORDER BY received_at, id",
                )
                .bind(platform)
                .fetch_all(&self.pool)
                .await
            }

            async fn claim_question(&self, id: i64, owner: &str, until_ms: i64) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE questions SET claimed_by = $2, claim_until = $3
                     WHERE id = $1 AND state = 'pending'
                       AND (claimed_by IS NULL OR claim_until < $4)",
                )
                .bind(id).bind(owner).bind(until_ms).bind(now_ms())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn thread_answer_count(&self, platform: &str, thread_id: &str) -> Result<i64> {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id
                     WHERE q.platform = $1 AND a.thread_id = $2",
                )
                .bind(platform).bind(thread_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n)
            }

            async fn thread_question(&self, platform: &str, thread_id: &str)
                -> Result<Option<StoredQuestion>> {
                sqlx::query_as(
                    "SELECT q.id, q.platform, q.workspace, q.channel, q.message_id, q.thread_id,
                         q.author_id, q.anonymous, q.text, q.received_at, q.state
                     FROM questions q JOIN answers a ON a.question_id = q.id
                     WHERE q.platform = $1 AND a.thread_id = $2 ORDER BY a.id LIMIT 1",
                )
                .bind(platform).bind(thread_id)
                .fetch_optional(&self.pool)
                .await
            }

            async fn record_answer(&self, a: &NewAnswer) -> Result<Option<i64>> {
                let mut tx = self.write_tx().await?;
                let row = sqlx::query(
                    "INSERT INTO answers (question_id, channel, thread_id, message_ids, reply_kind,
                         primary_category, posted_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (question_id) DO NOTHING RETURNING id",
                )
                .bind(a.question_id).bind(&a.channel).bind(&a.thread_id)
                .bind(to_json(&a.message_ids)).bind(&a.reply_kind).bind(&a.primary_category)
                .bind(now_ms())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let id: i64 = row.try_get(0)?;
                for (pos, s) in a.snippet_ids.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO answer_snippets (answer_id, position, snippet_id)
                         VALUES ($1, $2, $3)",
                    )
                    .bind(id).bind(pos as i64).bind(s)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "UPDATE questions SET state = 'answered', primary_category = $2,
                         confidence = $3 WHERE id = $1",
                )
                .bind(a.question_id).bind(&a.primary_category).bind(a.confidence)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some(id))
            }

            async fn answer_for_question(&self, question_id: i64) -> Result<Option<i64>> {
                let row: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM answers WHERE question_id = $1")
                        .bind(question_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(id,)| id))
            }

            async fn record_vote(&self, answer_id: i64, user_id: &str, vote: Vote) -> Result<()> {
                sqlx::query(
                    "INSERT INTO feedback (answer_id, user_id, vote, updated_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = $3, updated_at = $4",
                )
                .bind(answer_id).bind(user_id).bind(vote.as_str()).bind(now_ms())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn net_votes(&self) -> Result<HashMap<String, i64>> {
                let rows: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT s.snippet_id,
                         SUM(CASE f.vote WHEN 'helpful' THEN 1 WHEN 'not_helpful' THEN -1 ELSE 0 END)
                     FROM feedback f JOIN answer_snippets s ON s.answer_id = f.answer_id
                     GROUP BY s.snippet_id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().collect())
            }

            async fn remember_event(&self, platform: &str, event_id: &str) -> Result<bool> {
                let done = sqlx::query(
                    "INSERT INTO seen_events (platform, event_id, seen_at) VALUES ($1, $2, $3)
                     ON CONFLICT (platform, event_id) DO NOTHING",
                )
                .bind(platform).bind(event_id).bind(now_ms())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn forget_events_before(&self, before_ms: i64) -> Result<u64> {
                let done = sqlx::query("DELETE FROM seen_events WHERE seen_at < $1")
                    .bind(before_ms)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn audit(&self, e: &AuditEntry) -> Result<()> {
                let mut tx = self.write_tx().await?;
                Self::audit_tx(&mut tx, e).await?;
                tx.commit().await
            }

            async fn audit_since(&self, since_ms: i64) -> Result<Vec<AuditEntry>> {
                sqlx::query_as(
                    "SELECT at, actor, action, target, detail, allowed FROM audit_log
                     WHERE at >= $1 ORDER BY at, id",
                )
                .bind(since_ms)
                .fetch_all(&self.pool)
                .await
            }
        }
    };
}

pub(super) use sql_store;

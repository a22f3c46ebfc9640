//! What the weekly digest reads and how its runs are claimed. Rows only: `core::digest` decides
//! what they mean. Every method takes its times explicitly (milliseconds since the epoch), so the
//! clock is the caller's and tests can move it.
//!
//! Runs are keyed on (platform, channel, ISO week). `claim_run` is a lease: it succeeds when no
//! run exists yet, or when the run is not posted and its lease has expired (a crashed
//! instance's claim), and never while another claim is live. Once `record_posted` has marked a
//! run posted, only a forced claim (`post-now --force`) takes it again.

use super::Result;
use async_trait::async_trait;

/// Questions of one category in one week: `week` indexes the weeks given to `category_counts`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryWeekCount {
    pub week: i64,
    /// The question's primary category; `other` for questions not (yet) classified.
    pub category: String,
    pub count: i64,
}

/// An answer with Helpful votes, and what is known about its question.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TopAnswerRow {
    pub answer_id: i64,
    pub question_id: i64,
    pub workspace: String,
    /// Where the answer was posted.
    pub channel: String,
    /// The thread the answer is in, if any.
    pub thread_id: Option<String>,
    /// JSON list of the answer's message ids.
    pub message_ids: String,
    /// `None` for anonymous questions.
    pub author_id: Option<String>,
    pub anonymous: bool,
    /// The question, the only text a digest may quote.
    pub text: String,
    pub primary_category: String,
    pub helpful: i64,
}

/// A snippet added (its first version falls in the range) or updated in a time range.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SnippetChangeRow {
    pub snippet_id: String,
    pub title: String,
    pub status: String,
    pub first_version: i64,
}

/// Which digest: (platform, channel, ISO week such as `2026-W47`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunKey {
    pub platform: String,
    pub channel: String,
    pub week: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DigestRun {
    pub platform: String,
    pub channel: String,
    pub week: String,
    pub claimed_by: Option<String>,
    pub claim_until: Option<i64>,
    /// `None` once posted means the quiet week was skipped.
    pub message_id: Option<String>,
    pub posted_at: Option<i64>,
}

#[async_trait]
pub trait DigestStore: Send + Sync {
    /// Questions on `platform` per week and primary category. `bounds` are ascending week
    /// starts followed by the end of the last week: n + 1 bounds for n weeks.
    async fn category_counts(
        &self,
        platform: &str,
        bounds: &[i64],
    ) -> Result<Vec<CategoryWeekCount>>;
    /// Answers on `platform` posted in [from, to) with at least one Helpful vote, most voted
    /// first (ties: oldest answer first), at most `limit`.
    async fn top_answers(
        &self,
        platform: &str,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> Result<Vec<TopAnswerRow>>;
    /// Snippets changed in [from, to) by anyone but the initial seed, ordered by id.
    async fn snippet_changes(&self, from_ms: i64, to_ms: i64) -> Result<Vec<SnippetChangeRow>>;
    /// Review-queue items on `platform` not resolved yet.
    async fn open_review_count(&self, platform: &str) -> Result<i64>;
    /// Users on `platform` who asked not to be named or quoted.
    async fn opted_out_users(&self, platform: &str) -> Result<Vec<String>>;

    /// Claims a run for `owner` until `until_ms`; true when this caller got it. `force` also
    /// takes a posted run (a deliberate repost), never one whose lease is live.
    async fn claim_run(
        &self,
        key: &RunKey,
        owner: &str,
        now_ms: i64,
        until_ms: i64,
        force: bool,
    ) -> Result<bool>;
    /// Marks a run `owner` holds as posted (`message_id` `None`: skipped). False when the
    /// claim was lost.
    async fn record_posted(
        &self,
        key: &RunKey,
        owner: &str,
        message_id: Option<&str>,
        now_ms: i64,
    ) -> Result<bool>;
    /// Gives a claim back after a failed post, so the next tick retries without waiting.
    async fn release_run(&self, key: &RunKey, owner: &str) -> Result<()>;
    async fn digest_run(&self, key: &RunKey) -> Result<Option<DigestRun>>;
}

/// `CASE` bucketing `received_at` into the weeks between `$2..` bounds.
fn week_case(weeks: usize) -> String {
    if weeks <= 1 {
        return "CAST(0 AS BIGINT)".into();
    }
    let mut sql = String::from("CAST(CASE");
    for i in 0..weeks.saturating_sub(1) {
        sql.push_str(&format!(" WHEN received_at < ${} THEN {i}", i + 3));
    }
    sql.push_str(&format!(" ELSE {} END AS BIGINT)", weeks.saturating_sub(1)));
    sql
}

pub(super) fn category_counts_sql(weeks: usize) -> String {
    format!(
        "SELECT {} AS week, COALESCE(primary_category, 'other') AS category, COUNT(*) AS count
         FROM questions WHERE platform = $1 AND received_at >= $2 AND received_at < ${}
         GROUP BY 1, 2 ORDER BY 1, 2",
        week_case(weeks),
        weeks + 2
    )
}

/// Implements `DigestStore` for `$store` (a struct with a `pool`): same SQL on both backends.
macro_rules! digest_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl crate::store::DigestStore for $store {
            async fn category_counts(
                &self,
                platform: &str,
                bounds: &[i64],
            ) -> crate::store::Result<Vec<crate::store::CategoryWeekCount>> {
                if bounds.len() < 2 {
                    return Ok(Vec::new());
                }
                let sql = crate::store::digest::category_counts_sql(bounds.len() - 1);
                let mut q = sqlx::query_as(&sql).bind(platform);
                for b in bounds {
                    q = q.bind(*b);
                }
                q.fetch_all(&self.pool).await
            }

            async fn top_answers(
                &self,
                platform: &str,
                from_ms: i64,
                to_ms: i64,
                limit: i64,
            ) -> crate::store::Result<Vec<crate::store::TopAnswerRow>> {
                sqlx::query_as(
                    "SELECT a.id AS answer_id, q.id AS question_id, q.workspace, a.channel,
                         a.thread_id, a.message_ids, q.author_id, q.anonymous, q.text,
                         a.primary_category, h.helpful
                     FROM (SELECT f.answer_id, COUNT(*) AS helpful
                           FROM answers x JOIN feedback f ON f.answer_id = x.id
                           WHERE x.posted_at >= $2 AND x.posted_at < $3 AND f.vote = 'helpful'
                           GROUP BY f.answer_id) h
                     JOIN answers a ON a.id = h.answer_id
                     JOIN questions q ON q.id = a.question_id
                     WHERE q.platform = $1
                     ORDER BY h.helpful DESC, a.id LIMIT $4",
                )
                .bind(platform).bind(from_ms).bind(to_ms).bind(limit)
                .fetch_all(&self.pool)
                .await
            }

            async fn snippet_changes(
                &self,
                from_ms: i64,
                to_ms: i64,
            ) -> crate::store::Result<Vec<crate::store::SnippetChangeRow>> {
                sqlx::query_as(
                    "SELECT v.snippet_id, s.title, s.status, MIN(v.version) AS first_version
                     FROM snippet_versions v JOIN snippets s ON s.id = v.snippet_id
                     WHERE v.changed_at >= $1 AND v.changed_at < $2 AND v.changed_by <> 'seed'
                     GROUP BY v.snippet_id, s.title, s.status ORDER BY v.snippet_id",
                )
                .bind(from_ms).bind(to_ms)
                .fetch_all(&self.pool)
                .await
            }

            async fn open_review_count(&self, platform: &str) -> crate::store::Result<i64> {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM review_items WHERE platform = $1 AND resolved_at IS NULL",
                )
                .bind(platform)
                .fetch_one(&self.pool)
                .await?;
                Ok(n)
            }

            async fn opted_out_users(&self, platform: &str) -> crate::store::Result<Vec<String>> {
                let rows: Vec<(String,)> =
                    sqlx::query_as("SELECT user_id FROM opt_outs WHERE platform = $1 ORDER BY user_id")
                        .bind(platform)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(|(u,)| u).collect())
            }

            async fn claim_run(
                &self,
                key: &crate::store::RunKey,
                owner: &str,
                now_ms: i64,
                until_ms: i64,
                force: bool,
            ) -> crate::store::Result<bool> {
                let done = sqlx::query(
                    "INSERT INTO digest_runs (platform, channel, week, claimed_by, claim_until)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (platform, channel, week) DO UPDATE
                         SET claimed_by = $4, claim_until = $5
                         WHERE (digest_runs.posted_at IS NULL OR $7)
                           AND (digest_runs.claim_until IS NULL OR digest_runs.claim_until <= $6)",
                )
                .bind(&key.platform).bind(&key.channel).bind(&key.week)
                .bind(owner).bind(until_ms).bind(now_ms).bind(force)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn record_posted(
                &self,
                key: &crate::store::RunKey,
                owner: &str,
                message_id: Option<&str>,
                now_ms: i64,
            ) -> crate::store::Result<bool> {
                let done = sqlx::query(
                    "UPDATE digest_runs SET message_id = $5, posted_at = $6, claim_until = NULL
                     WHERE platform = $1 AND channel = $2 AND week = $3 AND claimed_by = $4
                       AND claim_until IS NOT NULL",
                )
                .bind(&key.platform).bind(&key.channel).bind(&key.week)
                .bind(owner).bind(message_id).bind(now_ms)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_run(
                &self,
                key: &crate::store::RunKey,
                owner: &str,
            ) -> crate::store::Result<()> {
                sqlx::query(
                    "UPDATE digest_runs SET claim_until = NULL
                     WHERE platform = $1 AND channel = $2 AND week = $3 AND claimed_by = $4",
                )
                .bind(&key.platform).bind(&key.channel).bind(&key.week).bind(owner)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn digest_run(
                &self,
                key: &crate::store::RunKey,
            ) -> crate::store::Result<Option<crate::store::DigestRun>> {
                sqlx::query_as(
                    "SELECT platform, channel, week, claimed_by, claim_until, message_id, posted_at
                     FROM digest_runs WHERE platform = $1 AND channel = $2 AND week = $3",
                )
                .bind(&key.platform).bind(&key.channel).bind(&key.week)
                .fetch_optional(&self.pool)
                .await
            }
        }
    };
}

pub(super) use digest_store;

#[cfg(test)]
mod tests {
    #[test]
    fn weeks_bucket_between_the_bounds() {
        let sql = super::category_counts_sql(3);
        assert!(sql.contains("WHEN received_at < $3 THEN 0 WHEN received_at < $4 THEN 1 ELSE 2"));
        assert!(sql.contains("received_at < $5"));
        assert!(super::category_counts_sql(1).contains("CAST(0 AS BIGINT) AS week"));
    }
}

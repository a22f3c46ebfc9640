//! The SQL behind `ReviewStore`, shared by both backends (see `sql.rs` for why a macro).

pub(super) const ITEM_COLUMNS: &str =
    "id, platform, kind, question_id, snippet_id, detail, created_at,
    posted_channel, posted_message_id, resolved_by, resolved_at, resolution";

pub(super) const QUESTION_COLUMNS: &str = "id, platform, workspace, channel, message_id, thread_id,
    author_id, anonymous, text, received_at, state";

/// Implements `ReviewStore` for `$store`, a struct with a `pool: sqlx::Pool<$db>` field.
macro_rules! review_sql {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl crate::store::review::ReviewStore for $store {
            async fn enqueue_review(
                &self,
                i: &crate::store::review::NewReviewItem,
            ) -> crate::store::Result<Option<i64>> {
                use sqlx::Row;
                let row = sqlx::query(
                    "INSERT INTO review_items (platform, kind, dedupe_key, question_id,
                         snippet_id, detail, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (platform, dedupe_key) DO NOTHING RETURNING id",
                )
                .bind(&i.platform)
                .bind(i.kind.as_str())
                .bind(&i.dedupe_key)
                .bind(i.question_id)
                .bind(&i.snippet_id)
                .bind(&i.detail)
                .bind(crate::domain::now_ms())
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| r.try_get::<i64, _>(0)).transpose()
            }

            async fn review_item(
                &self,
                id: i64,
            ) -> crate::store::Result<Option<crate::store::review::ReviewItem>> {
                let sql = format!(
                    "SELECT {} FROM review_items WHERE id = $1",
                    crate::store::review_sql::ITEM_COLUMNS
                );
                sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
            }

            async fn open_review_items(
                &self,
                platform: &str,
                limit: i64,
            ) -> crate::store::Result<Vec<crate::store::review::ReviewItem>> {
                let sql = format!(
                    "SELECT {} FROM review_items WHERE platform = $1 AND resolved_at IS NULL
                     ORDER BY id LIMIT $2",
                    crate::store::review_sql::ITEM_COLUMNS
                );
                sqlx::query_as(&sql)
                    .bind(platform)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
            }

            async fn unposted_review_items(
                &self,
                platform: &str,
            ) -> crate::store::Result<Vec<crate::store::review::ReviewItem>> {
                let sql = format!(
                    "SELECT {} FROM review_items WHERE platform = $1 AND resolved_at IS NULL
                       AND posted_message_id IS NULL ORDER BY id",
                    crate::store::review_sql::ITEM_COLUMNS
                );
                sqlx::query_as(&sql)
                    .bind(platform)
                    .fetch_all(&self.pool)
                    .await
            }

            async fn claim_review_post(
                &self,
                id: i64,
                owner: &str,
                until_ms: i64,
            ) -> crate::store::Result<bool> {
                let done = sqlx::query(
                    "UPDATE review_items SET post_claimed_by = $2, post_claim_until = $3
                     WHERE id = $1 AND posted_message_id IS NULL
                       AND (post_claimed_by IS NULL OR post_claim_until < $4)",
                )
                .bind(id)
                .bind(owner)
                .bind(until_ms)
                .bind(crate::domain::now_ms())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn record_review_posted(
                &self,
                id: i64,
                channel: &str,
                message_id: &str,
            ) -> crate::store::Result<()> {
                sqlx::query(
                    "UPDATE review_items SET posted_channel = $2, posted_message_id = $3
                     WHERE id = $1",
                )
                .bind(id)
                .bind(channel)
                .bind(message_id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn resolve_review(
                &self,
                id: i64,
                by: &str,
                resolution: &str,
            ) -> crate::store::Result<crate::store::review::Resolve> {
                use crate::store::review::Resolve;
                // One conditional UPDATE: whichever moderator's statement runs first wins,
                // on either backend, however close together the clicks were.
                let done = sqlx::query(
                    "UPDATE review_items SET resolved_by = $2, resolved_at = $3, resolution = $4
                     WHERE id = $1 AND resolved_at IS NULL",
                )
                .bind(id)
                .bind(by)
                .bind(crate::domain::now_ms())
                .bind(resolution)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 1 {
                    return Ok(Resolve::Done);
                }
                let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT resolved_by, resolution FROM review_items WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(match row {
                    None => Resolve::NotFound,
                    Some((by, resolution)) => Resolve::Already {
                        by: by.unwrap_or_default(),
                        resolution: resolution.unwrap_or_default(),
                    },
                })
            }

            async fn reopen_review(&self, id: i64) -> crate::store::Result<()> {
                sqlx::query(
                    "UPDATE review_items SET resolved_by = NULL, resolved_at = NULL,
                         resolution = NULL WHERE id = $1",
                )
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn remove_example(&self, id: &str) -> crate::store::Result<()> {
                sqlx::query("DELETE FROM examples WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn resolve_reviews_for_question(
                &self,
                question_id: i64,
                by: &str,
                resolution: &str,
            ) -> crate::store::Result<Vec<i64>> {
                let rows: Vec<(i64,)> = sqlx::query_as(
                    "UPDATE review_items SET resolved_by = $2, resolved_at = $3, resolution = $4
                     WHERE question_id = $1 AND resolved_at IS NULL RETURNING id",
                )
                .bind(question_id)
                .bind(by)
                .bind(crate::domain::now_ms())
                .bind(resolution)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(|(id,)| id).collect())
            }

            async fn question_by_message(
                &self,
                platform: &str,
                message_id: &str,
            ) -> crate::store::Result<Option<crate::store::StoredQuestion>> {
                let sql = format!(
                    "SELECT {} FROM questions WHERE platform = $1 AND message_id = $2",
                    crate::store::review_sql::QUESTION_COLUMNS
                );
                sqlx::query_as(&sql)
                    .bind(platform)
                    .bind(message_id)
                    .fetch_optional(&self.pool)
                    .await
            }

            async fn question_for_answer(
                &self,
                answer_id: i64,
            ) -> crate::store::Result<Option<i64>> {
                let row: Option<(i64,)> =
                    sqlx::query_as("SELECT question_id FROM answers WHERE id = $1")
                        .bind(answer_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(id,)| id))
            }

            async fn stale_questions(
                &self,
                platform: &str,
                before_ms: i64,
            ) -> crate::store::Result<Vec<crate::store::StoredQuestion>> {
                let sql = format!(
                    "SELECT {} FROM questions WHERE state = 'pending' AND platform = $1
                       AND received_at < $2 ORDER BY received_at, id",
                    crate::store::review_sql::QUESTION_COLUMNS
                );
                sqlx::query_as(&sql)
                    .bind(platform)
                    .bind(before_ms)
                    .fetch_all(&self.pool)
                    .await
            }

            async fn set_question_category(
                &self,
                question_id: i64,
                category: &str,
            ) -> crate::store::Result<()> {
                sqlx::query("UPDATE questions SET primary_category = $2 WHERE id = $1")
                    .bind(question_id)
                    .bind(category)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn begin_mod_answer(
                &self,
                question_id: i64,
                snippet_id: &str,
                moderator: &str,
            ) -> crate::store::Result<std::result::Result<(), String>> {
                let mut tx = self.write_tx().await?;
                let done = sqlx::query(
                    "INSERT INTO mod_answers (question_id, snippet_id, moderator, message_ids,
                         answered_at)
                     VALUES ($1, $2, $3, '[]', $4) ON CONFLICT (question_id) DO NOTHING",
                )
                .bind(question_id)
                .bind(snippet_id)
                .bind(moderator)
                .bind(crate::domain::now_ms())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    let (by,): (String,) =
                        sqlx::query_as("SELECT moderator FROM mod_answers WHERE question_id = $1")
                            .bind(question_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    return Ok(Err(by));
                }
                sqlx::query("UPDATE questions SET state = 'answered' WHERE id = $1")
                    .bind(question_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Ok(()))
            }

            async fn finish_mod_answer(
                &self,
                question_id: i64,
                message_ids: &[String],
            ) -> crate::store::Result<()> {
                sqlx::query("UPDATE mod_answers SET message_ids = $2 WHERE question_id = $1")
                    .bind(question_id)
                    .bind(crate::store::sql::to_json(&message_ids))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn cancel_mod_answer(&self, question_id: i64) -> crate::store::Result<()> {
                let mut tx = self.write_tx().await?;
                sqlx::query("DELETE FROM mod_answers WHERE question_id = $1")
                    .bind(question_id)
                    .execute(&mut *tx)
                    .await?;
                // Back to pending only if the bot never answered it either.
                sqlx::query(
                    "UPDATE questions SET state = 'pending' WHERE id = $1
                       AND NOT EXISTS (SELECT 1 FROM answers WHERE question_id = $1)",
                )
                .bind(question_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await
            }

            async fn set_opt_out(
                &self,
                platform: &str,
                user_id: &str,
                out: bool,
            ) -> crate::store::Result<()> {
                let query = if out {
                    sqlx::query(
                        "INSERT INTO opt_outs (platform, user_id, at) VALUES ($1, $2, $3)
                         ON CONFLICT (platform, user_id) DO NOTHING",
                    )
                    .bind(platform)
                    .bind(user_id)
                    .bind(crate::domain::now_ms())
                } else {
                    sqlx::query("DELETE FROM opt_outs WHERE platform = $1 AND user_id = $2")
                        .bind(platform)
                        .bind(user_id)
                };
                query.execute(&self.pool).await?;
                Ok(())
            }

            async fn is_opted_out(
                &self,
                platform: &str,
                user_id: &str,
            ) -> crate::store::Result<bool> {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM opt_outs WHERE platform = $1 AND user_id = $2",
                )
                .bind(platform)
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }
        }
    };
}

pub(super) use review_sql;

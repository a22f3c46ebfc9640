//! Fixing what the bot did with a question: recategorizing it (which teaches the classifier)
//! and answering it with a chosen snippet.

use super::{Curation, MessageRef, ModPlatform};
use crate::core::corrections;
use crate::core::pipeline::answer_row;
use crate::domain::{Actor, CategoryId, Example, QuestionText, SnippetStatus, UserError};
use crate::store::{NewAnswer, StoredQuestion};

impl Curation {
    /// Finds a stored question on `platform` from a link, a message id or `#N`.
    pub(super) async fn find_question(
        &self,
        platform: &str,
        r: &MessageRef,
        mods: &dyn ModPlatform,
    ) -> anyhow::Result<StoredQuestion> {
        let store = self.engine.store();
        let found = match r {
            MessageRef::Question(id) => store
                .question(*id)
                .await?
                .filter(|q| q.platform == platform),
            MessageRef::Message { channel, id } => {
                let key = mods.message_key(channel.as_deref(), id);
                store.question_by_message(platform, &key).await?
            }
        };
        found.ok_or_else(|| UserError::new("no question found for that link or id").into())
    }

    /// Checks a category id against the known ones (`other` allowed).
    pub(super) fn known_category(&self, category: &str) -> anyhow::Result<CategoryId> {
        let id = CategoryId::parse(category.trim())?;
        let known = self.engine.category_ids();
        if id.is_other() || known.contains(&id) {
            return Ok(id);
        }
        let names: Vec<&str> = known.iter().map(CategoryId::as_str).collect();
        Err(UserError::new(format!(
            "unknown category {category:?}; use one of: {}, other",
            names.join(", ")
        ))
        .into())
    }

    /// Files the question under `category`, stores it as a training example and retrains.
    pub(super) async fn recategorize(
        &self,
        actor: &Actor,
        q: &StoredQuestion,
        category: &str,
    ) -> anyhow::Result<String> {
        let category = self.known_category(category)?;
        let example = Example {
            id: corrections::example_id(&q.platform, q.id),
            text: QuestionText::parse(&q.text)?.as_str().to_owned(),
            labels: corrections::labels(&category),
            primary: category.clone(),
        };
        let store = self.engine.store();
        // A question corrected twice keeps its latest label: replace the earlier example.
        store.remove_example(&example.id).await?;
        self.engine
            .add_examples(
                std::slice::from_ref(&example),
                "correction",
                &actor.audit_name(),
            )
            .await?;
        store.set_question_category(q.id, category.as_str()).await?;
        let resolution = format!("recategorized as {}", category.as_str());
        let resolved = store
            .resolve_reviews_for_question(q.id, &actor.audit_name(), &resolution)
            .await?;
        self.announce_resolved(resolved);
        self.audit(
            actor,
            "question.recategorize",
            &format!("#{}", q.id),
            category.as_str(),
        )
        .await?;
        Ok(format!(
            "Question #{} is now filed under {}. The classifier has retrained with it.",
            q.id,
            category.as_str()
        ))
    }

    /// Posts an approved snippet in the question's thread and marks the question answered.
    pub(super) async fn answer(
        &self,
        actor: &Actor,
        q: &StoredQuestion,
        snippet_id: &str,
        platform: &dyn ModPlatform,
    ) -> anyhow::Result<String> {
        let store = self.engine.store();
        let snippet = store
            .snippet(snippet_id)
            .await?
            .filter(|s| s.status == SnippetStatus::Approved)
            .ok_or_else(|| UserError::new(format!("no approved snippet {snippet_id:?}")))?;
        if let Err(by) = store
            .begin_mod_answer(q.id, &snippet.id, &actor.audit_name())
            .await?
        {
            return Err(UserError::new(format!(
                "Question #{} was already answered by {by}.",
                q.id
            ))
            .into());
        }
        let answer = self
            .engine
            .answer_with_snippet(&QuestionText::parse(&q.text)?, &snippet);
        let posted = match platform.post_answer(q, &answer).await {
            Ok(p) => p,
            Err(e) => {
                store.cancel_mod_answer(q.id).await?;
                return Err(e);
            }
        };
        store.finish_mod_answer(q.id, &posted.message_ids).await?;
        // When the bot never answered, this is the question's answer (votes attach to it).
        if store.answer_for_question(q.id).await?.is_none() {
            let row = NewAnswer {
                reply_kind: "moderator".into(),
                confidence: 1.0,
                ..answer_row(q.id, &answer, posted.clone())
            };
            store.record_answer(&row).await?;
        }
        let resolution = format!("answered with {}", snippet.id);
        let resolved = store
            .resolve_reviews_for_question(q.id, &actor.audit_name(), &resolution)
            .await?;
        self.announce_resolved(resolved);
        self.audit(actor, "question.answer", &format!("#{}", q.id), &snippet.id)
            .await?;
        Ok(format!(
            "Posted `{}` in question #{}'s thread.",
            snippet.id, q.id
        ))
    }
}

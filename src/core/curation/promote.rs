//! `promote MESSAGE`: a good human answer in a thread becomes a draft snippet that credits its
//! author (by name, with a link to the message). A moderator then edits and approves it.

use super::snippets::today;
use super::{Curation, FetchedMessage, MessageRef, ModPlatform};
use crate::domain::{Actor, Snippet, SnippetStatus, Source, UserError};

impl Curation {
    /// Turns a human answer into a draft snippet crediting its author.
    pub(super) async fn promote(
        &self,
        actor: &Actor,
        message: &MessageRef,
        platform: &dyn ModPlatform,
    ) -> anyhow::Result<String> {
        let MessageRef::Message { channel, id } = message else {
            return Err(UserError::new(
                "promote takes a message link or id, not a question number",
            )
            .into());
        };
        let m = platform
            .fetch_message(channel.as_deref(), id)
            .await?
            .ok_or_else(|| UserError::new("no such message (or the bot can't read it)"))?;
        let snippet = self.draft_from(actor, &m).await?;
        snippet.validate()?;
        let from = format!(", from message {id}");
        self.save(actor, &snippet, "snippet.promote", &from).await?;
        Ok(format!(
            "Draft `{}` created from {}'s answer. Review it with /advice edit {} and approve it when ready.",
            snippet.id, m.author_name, snippet.id
        ))
    }

    async fn draft_from(&self, actor: &Actor, m: &FetchedMessage) -> anyhow::Result<Snippet> {
        let text = m.text.trim();
        if text.is_empty() {
            return Err(UserError::new("that message has no text to promote").into());
        }
        let first_line = text.lines().next().unwrap_or(text);
        let title: String = first_line.chars().take(100).collect();
        let body: String = text.chars().take(1500).collect();
        // The category of the question the answer replied to, else the answer's own.
        let store = self.engine.store();
        let thread_q = match &m.thread_id {
            Some(t) => store.thread_question(&actor.platform, t).await?,
            None => None,
        };
        let known = self.engine.category_ids();
        let mut category = None;
        for t in thread_q.iter().map(|q| q.text.as_str()).chain([text]) {
            if let Ok(qt) = crate::domain::QuestionText::parse(t) {
                let c = self.engine.classify(&qt).primary;
                if !c.is_other() {
                    category = Some(c);
                    break;
                }
            }
        }
        let category = category
            .or_else(|| known.first().cloned())
            .ok_or_else(|| UserError::new("there are no categories yet"))?;
        Ok(Snippet {
            id: self.new_id(&title).await?,
            title,
            body,
            categories: vec![category],
            tags: vec!["community".into()],
            source: Source {
                title: format!("Community answer by {}", m.author_name),
                url: m
                    .link
                    .clone()
                    .filter(|l| l.starts_with("https://"))
                    .unwrap_or_default(),
            },
            status: SnippetStatus::Draft,
            author: m.author_name.clone(),
            reviewed: today(),
            pinned: false,
        })
    }
}

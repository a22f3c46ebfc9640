//! Snippet curation: the add/edit form, approve and retire, show and search (promoting a human
//! answer is in `promote.rs`). Every change goes through `Store::save_snippet`, which keeps each
//! version with who made it and when. Approving or retiring rebuilds the engine's snippet
//! index (the classifier is kept), so the next answer serves (or stops serving) it at once.

use super::Curation;
use crate::domain::{Actor, CategoryId, Snippet, SnippetStatus, Source, UserError};

/// The five fields of the add/edit modal. `id` is `None` when adding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnippetForm {
    pub id: Option<String>,
    pub title: String,
    pub body: String,
    /// Comma-separated category ids, main one first.
    pub categories: String,
    /// Comma-separated tags.
    pub tags: String,
    /// "Title https://address" (the address is optional).
    pub source: String,
}

impl SnippetForm {
    fn from_snippet(s: &Snippet) -> Self {
        let cats: Vec<&str> = s.categories.iter().map(CategoryId::as_str).collect();
        let source = if s.source.url.is_empty() {
            s.source.title.clone()
        } else {
            format!("{} {}", s.source.title, s.source.url)
        };
        Self {
            id: Some(s.id.clone()),
            title: s.title.clone(),
            body: s.body.clone(),
            categories: cats.join(", "),
            tags: s.tags.join(", "),
            source,
        }
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_source(s: &str) -> Source {
    match s.find("https://") {
        Some(at) => Source {
            title: s[..at]
                .trim()
                .trim_end_matches(['|', '-', '–'])
                .trim()
                .to_owned(),
            url: s[at..].split_whitespace().next().unwrap_or("").to_owned(),
        },
        None => Source {
            title: s.trim().to_owned(),
            url: String::new(),
        },
    }
}

/// A snippet id from a title: lowercase words joined by '-', at most 60 characters.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        "snippet".into()
    } else {
        out
    }
}

pub(super) fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

impl Curation {
    pub(super) async fn edit_form(&self, id: &str) -> anyhow::Result<SnippetForm> {
        Ok(SnippetForm::from_snippet(&self.existing(id).await?))
    }

    async fn existing(&self, id: &str) -> anyhow::Result<Snippet> {
        self.engine
            .store()
            .snippet(id)
            .await?
            .ok_or_else(|| UserError::new(format!("no snippet {id:?}; try /advice search")).into())
    }

    /// A free id derived from `title`.
    pub(super) async fn new_id(&self, title: &str) -> anyhow::Result<String> {
        let base = slug(title);
        let store = self.engine.store();
        for n in 1..1000 {
            let id = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            if store.snippet(&id).await?.is_none() {
                return Ok(id);
            }
        }
        Err(UserError::new("could not find a free snippet id; change the title").into())
    }

    /// Saves a new version of `snippet` as `actor` and audits it as `action`.
    pub(super) async fn save(
        &self,
        actor: &Actor,
        snippet: &Snippet,
        action: &str,
        detail: &str,
    ) -> anyhow::Result<i64> {
        let store = self.engine.store();
        let version = store.save_snippet(snippet, &actor.audit_name()).await?;
        let detail = format!("version {version}{detail}");
        self.audit(actor, action, &snippet.id, &detail).await?;
        Ok(version)
    }

    /// Saves the submitted form: a new draft, or a new version of an existing snippet (which
    /// keeps its status). Checked in full before anything is written.
    pub async fn save_form(&self, actor: &Actor, form: &SnippetForm) -> anyhow::Result<String> {
        if !self
            .allowed(actor, "mod.save", form.id.as_deref().unwrap_or(""))
            .await?
        {
            return Ok(super::NOT_ALLOWED.into());
        }
        let known = self.engine.category_ids();
        let mut categories = Vec::new();
        for c in split_list(&form.categories) {
            let id = CategoryId::parse(&c)?;
            if !known.contains(&id) {
                let names: Vec<&str> = known.iter().map(CategoryId::as_str).collect();
                return Err(UserError::new(format!(
                    "unknown category {c:?}; use one of: {}",
                    names.join(", ")
                ))
                .into());
            }
            categories.push(id);
        }
        let (snippet, verb) = match &form.id {
            Some(id) => {
                let old = self.existing(id).await?;
                let s = Snippet {
                    title: form.title.trim().to_owned(),
                    body: form.body.trim().to_owned(),
                    categories,
                    tags: split_list(&form.tags),
                    source: parse_source(&form.source),
                    ..old
                };
                (s, "edited")
            }
            None => {
                let s = Snippet {
                    id: self.new_id(&form.title).await?,
                    title: form.title.trim().to_owned(),
                    body: form.body.trim().to_owned(),
                    categories,
                    tags: split_list(&form.tags),
                    source: parse_source(&form.source),
                    status: SnippetStatus::Draft,
                    author: actor.name.clone(),
                    reviewed: today(),
                    pinned: false,
                };
                (s, "added as a draft")
            }
        };
        snippet.validate()?;
        let version = self.save(actor, &snippet, "snippet.save", "").await?;
        if snippet.status == SnippetStatus::Approved {
            self.engine.reload_snippets().await?;
        }
        Ok(format!(
            "Snippet `{}` {verb} (version {version}, {}).",
            snippet.id,
            snippet.status.as_str()
        ))
    }

    /// Approves (`true`) or retires (`false`) a snippet and rebuilds the snippet index.
    pub(super) async fn set_status(
        &self,
        actor: &Actor,
        id: &str,
        approve: bool,
    ) -> anyhow::Result<String> {
        let mut s = self.existing(id).await?;
        let status = if approve {
            SnippetStatus::Approved
        } else {
            SnippetStatus::Retired
        };
        if s.status == status {
            return Ok(format!("Snippet `{id}` is already {}.", status.as_str()));
        }
        s.status = status;
        if approve {
            s.reviewed = today();
        }
        let action = format!("snippet.{}", status.as_str());
        let version = self.save(actor, &s, &action, "").await?;
        self.engine.reload_snippets().await?;
        Ok(format!(
            "Snippet `{id}` is now {} (version {version}).",
            status.as_str()
        ))
    }

    pub(super) async fn show(&self, id: &str) -> anyhow::Result<String> {
        let s = self.existing(id).await?;
        let history = self.engine.store().snippet_history(id).await?;
        let cats: Vec<&str> = s.categories.iter().map(CategoryId::as_str).collect();
        let mut out = format!(
            "`{}` · {} · {}\n{}\n\n{}\n\nSource: {} {}\nTags: {} · reviewed {} · author {}\nVersions:",
            s.id,
            s.status.as_str(),
            cats.join(", "),
            s.title,
            s.body,
            s.source.title,
            s.source.url,
            s.tags.join(", "),
            s.reviewed,
            s.author,
        );
        for v in history.iter().rev().take(5) {
            let when = chrono::DateTime::from_timestamp_millis(v.changed_at)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "\n  v{} {} by {} at {when}",
                v.version, v.status, v.changed_by
            ));
        }
        Ok(out)
    }

    /// Snippets of any status whose id, title, body or tags contain every word of `q`.
    pub(super) async fn search(&self, q: &str) -> anyhow::Result<String> {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        let hits: Vec<Snippet> = self
            .engine
            .store()
            .snippets()
            .await?
            .into_iter()
            .filter(|s| {
                let hay =
                    format!("{} {} {} {}", s.id, s.title, s.body, s.tags.join(" ")).to_lowercase();
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .take(10)
            .collect();
        if hits.is_empty() {
            return Ok(format!("No snippet matches {q:?}."));
        }
        let lines: Vec<String> = hits
            .iter()
            .map(|s| format!("`{}` ({}) {}", s.id, s.status.as_str(), s.title))
            .collect();
        Ok(lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_sources_and_lists() {
        assert_eq!(slug("Quit well: give notice!"), "quit-well-give-notice");
        assert_eq!(slug("¿¿"), "snippet");
        assert!(slug(&"word ".repeat(40)).len() <= 60);
        let s = parse_source("Ask a Manager | https://example.org/x more");
        assert_eq!(
            (s.title.as_str(), s.url.as_str()),
            ("Ask a Manager", "https://example.org/x")
        );
        assert_eq!(parse_source(" Book ").url, "");
        assert_eq!(split_list("a, b  c,,"), ["a", "b", "c"]);
    }
}

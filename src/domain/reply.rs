use super::{CategoryId, Source};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// Curated advice for a confident category.
    Advice,
    /// No confident category, or no approved snippet for it: moderators will look.
    Abstain,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplySnippet {
    pub id: String,
    pub title: String,
    pub body: String,
    pub source: Source,
    /// Retrieval score, for moderators and the JSON output; not shown to askers.
    #[serde(skip)]
    pub score: f32,
}

/// A platform-neutral reply. Adapters render it within their platform's limits; `text()` is
/// the plain rendering the command line prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub kind: ReplyKind,
    pub primary: CategoryId,
    /// One line naming the category (or saying there is no curated advice yet).
    pub headline: String,
    pub snippets: Vec<ReplySnippet>,
    /// Shown for categories that need one, e.g. "peer advice, not legal advice".
    pub disclaimer: Option<String>,
    /// Invitation to vote or flag.
    pub footer: String,
}

impl Reply {
    pub fn text(&self) -> String {
        let mut out = self.headline.clone();
        for s in &self.snippets {
            out.push_str("\n\n**");
            out.push_str(&s.title);
            out.push_str("**\n");
            out.push_str(s.body.trim());
            out.push_str("\nSource: ");
            out.push_str(&s.source.title);
            if !s.source.url.is_empty() {
                out.push_str(" <");
                out.push_str(&s.source.url);
                out.push('>');
            }
        }
        if let Some(d) = &self.disclaimer {
            out.push_str("\n\n_");
            out.push_str(d);
            out.push('_');
        }
        out.push_str("\n\n");
        out.push_str(&self.footer);
        out
    }
}

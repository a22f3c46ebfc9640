//! Turns a classification and ranked snippets into a platform-neutral `Reply`.

use super::classify::Classification;
use super::templates::{render, Templates};
use crate::domain::{Reply, ReplyKind, ReplySnippet, Snippet};

/// At most this many snippets go in one reply.
pub const MAX_SNIPPETS: usize = 3;

/// `category_name` is the human name of `cls.primary`.
pub fn compose(
    cls: &Classification,
    ranked: &[(&Snippet, f32)],
    category_name: &str,
    t: &Templates,
) -> Reply {
    let vars = [("category", category_name)];
    let (kind, headline) = if cls.primary.is_other() {
        (ReplyKind::Abstain, t.abstain.clone())
    } else if ranked.is_empty() {
        (ReplyKind::Abstain, render(&t.no_advice, &vars))
    } else {
        (ReplyKind::Advice, render(&t.headline, &vars))
    };
    let snippets = if kind == ReplyKind::Advice {
        ranked
            .iter()
            .take(MAX_SNIPPETS)
            .map(|(s, score)| ReplySnippet {
                id: s.id.clone(),
                title: s.title.clone(),
                body: s.body.clone(),
                source: s.source.clone(),
                score: *score,
            })
            .collect()
    } else {
        Vec::new()
    };
    let disclaimer = (kind == ReplyKind::Advice)
        .then(|| t.disclaimers.get(&cls.primary).cloned())
        .flatten();
    Reply {
        kind,
        primary: cls.primary.clone(),
        headline,
        snippets,
        disclaimer,
        footer: t.footer.clone(),
    }
}

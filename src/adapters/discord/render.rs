//! Renders what the bot says as Discord messages, within Discord's limits: 2,000 characters of
//! content, at most 10 embeds and 6,000 embed characters per message, 256 per embed title, 4,096
//! per description, 1-100 per thread name. Pure functions; `build` turns a `Part` into a request.

use super::text::{split, strip_markup, truncate};
use crate::domain::{Reply, ReplySnippet};

pub const MESSAGE_CHARS: usize = 2000;
pub const THREAD_NAME_CHARS: usize = 100;
pub const EMBED_TITLE_CHARS: usize = 256;
pub const EMBED_DESCRIPTION_CHARS: usize = 4096;
pub const EMBED_TOTAL_CHARS: usize = 6000;
pub const EMBEDS_PER_MESSAGE: usize = 10;

/// One message to post.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Part {
    pub content: String,
    pub embeds: Vec<Embed>,
    /// Attach the feedback buttons for this question.
    pub buttons_for: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Embed {
    pub title: String,
    /// The snippet's source, linked from the title.
    pub url: Option<String>,
    pub description: String,
}

impl Embed {
    /// Characters counted against the 6,000 per message.
    pub fn chars(&self) -> usize {
        self.title.chars().count() + self.description.chars().count()
    }
}

/// The reply as messages: headline (and disclaimer) with one embed per snippet, the footer and
/// the feedback buttons on the last message.
pub fn reply_parts(reply: &Reply, question_id: i64) -> Vec<Part> {
    let mut head = reply.headline.trim().to_owned();
    if let Some(d) = reply.disclaimer.as_deref().filter(|d| !d.trim().is_empty()) {
        head = format!("{head}\n\n_{}_", d.trim());
    }
    let mut parts = Vec::new();
    let mut current = Part {
        content: truncate(&head, MESSAGE_CHARS),
        ..Part::default()
    };
    for embed in reply.snippets.iter().map(snippet_embed) {
        let used: usize = current.embeds.iter().map(Embed::chars).sum();
        if current.embeds.len() == EMBEDS_PER_MESSAGE || used + embed.chars() > EMBED_TOTAL_CHARS {
            parts.push(std::mem::take(&mut current));
        }
        current.embeds.push(embed);
    }
    let footer = reply.footer.trim();
    if !footer.is_empty() {
        let joined = join(&current.content, footer);
        if joined.chars().count() <= MESSAGE_CHARS {
            current.content = joined;
        } else {
            parts.push(std::mem::take(&mut current));
            current.content = truncate(footer, MESSAGE_CHARS);
        }
    }
    current.buttons_for = Some(question_id);
    parts.push(current);
    parts
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}\n\n{b}")
    }
}

fn snippet_embed(s: &ReplySnippet) -> Embed {
    let url = web_url(&s.source.url);
    let source_title = truncate(&s.source.title.replace(['[', ']'], ""), 200);
    let source = match &url {
        Some(u) => format!("Source: [{source_title}]({u})"),
        None => format!("Source: {source_title}"),
    };
    let room = EMBED_DESCRIPTION_CHARS - source.chars().count() - 2;
    Embed {
        title: truncate(s.title.trim(), EMBED_TITLE_CHARS),
        url,
        description: format!("{}\n\n{source}", truncate(s.body.trim(), room)),
    }
}

/// An address Discord accepts as a link: http(s), no spaces or characters that end a link.
fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2048
        && !url
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>'));
    ok.then(|| url.to_owned())
}

/// A question posted again by the bot (DMs, `/ask`): a header, then the text, in messages of at
/// most 2,000 characters. Anonymous questions carry no trace of their author.
pub fn repost_chunks(text: &str, author_id: Option<&str>) -> Vec<String> {
    let header = match author_id {
        Some(id) => format!("**Question from <@{id}>**"),
        None => "**Anonymous question**".to_owned(),
    };
    split(&format!("{header}\n{}", text.trim()), MESSAGE_CHARS)
}

/// A thread name from the question: its first line without mention markup, 1-100 characters.
pub fn thread_name(text: &str) -> String {
    let cleaned = strip_markup(text);
    let line = cleaned
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = truncate(&line, THREAD_NAME_CHARS);
    if name.is_empty() {
        "Your question".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CategoryId, ReplyKind, Source};

    fn snippet(n: usize, body_chars: usize) -> ReplySnippet {
        ReplySnippet {
            id: format!("s{n}"),
            title: "T".repeat(300),
            body: "word ".repeat(body_chars / 5),
            source: Source {
                title: "A [guide]".into(),
                url: "https://example.com/a".into(),
            },
            score: 1.0,
        }
    }

    fn reply(snippets: Vec<ReplySnippet>, footer: &str) -> Reply {
        Reply {
            kind: ReplyKind::Advice,
            primary: CategoryId::parse("quitting").unwrap(),
            headline: "H".repeat(2500),
            snippets,
            disclaimer: Some("Not legal advice.".into()),
            footer: footer.into(),
        }
    }

    #[test]
    fn reply_parts_stay_within_limits() {
        let parts = reply_parts(
            &reply((0..12).map(|n| snippet(n, 4000)).collect(), "Vote"),
            7,
        );
        assert!(parts.len() > 1);
        for p in &parts {
            assert!(p.content.chars().count() <= MESSAGE_CHARS);
            assert!(p.embeds.len() <= EMBEDS_PER_MESSAGE);
            assert!(p.embeds.iter().map(Embed::chars).sum::<usize>() <= EMBED_TOTAL_CHARS);
            for e in &p.embeds {
                assert!(e.title.chars().count() <= EMBED_TITLE_CHARS);
                assert!(e.description.chars().count() <= EMBED_DESCRIPTION_CHARS);
                assert!(e
                    .description
                    .ends_with("Source: [A guide](https://example.com/a)"));
            }
        }
        assert_eq!(parts.iter().map(|p| p.embeds.len()).sum::<usize>(), 12);
        assert_eq!(parts.last().unwrap().buttons_for, Some(7));
        assert!(parts[..parts.len() - 1]
            .iter()
            .all(|p| p.buttons_for.is_none()));
        assert!(parts.last().unwrap().content.ends_with("Vote"));
    }

    #[test]
    fn short_reply_is_one_message() {
        let mut r = reply(vec![snippet(1, 100)], "Vote below.");
        r.headline = "About quitting:".into();
        let parts = reply_parts(&r, 1);
        assert_eq!(parts.len(), 1);
        assert_eq!(
            parts[0].content,
            "About quitting:\n\n_Not legal advice._\n\nVote below."
        );
    }

    #[test]
    fn thread_names_are_short_and_clean() {
        assert_eq!(
            thread_name("<@123> <@&9>  Should I   quit?\nmore"),
            "Should I quit?"
        );
        assert_eq!(thread_name("<@123>"), "Your question");
        let long = thread_name(&"quitting ".repeat(50));
        assert!(long.chars().count() <= THREAD_NAME_CHARS && long.ends_with('…'));
    }

    #[test]
    fn reposts_name_the_author_only_when_not_anonymous() {
        let anon = repost_chunks(&"x".repeat(4990), None);
        assert_eq!(anon.len(), 3);
        assert!(anon[0].starts_with("**Anonymous question**"));
        assert!(repost_chunks("q", Some("42"))[0].contains("<@42>"));
    }
}

//! The digest as text, one layout for every platform. A `Style` supplies what differs: bold,
//! escaping of user text, how a user is named and how a thread is linked. The renderer only
//! ever names `Asker::User` and only quotes what `build` kept as a quote.

use super::{Asker, Digest, TopAnswer};
use chrono::Duration;

pub trait Style {
    fn bold(&self, text: &str) -> String;
    /// Makes user-written text inert (no pings, no markup that spoofs links).
    fn escape(&self, text: &str) -> String;
    /// How a user is named (never a ping).
    fn user(&self, user_id: &str) -> String;
    /// A link to the answer's thread showing `label`, or `None` when there is nowhere to link.
    fn link(&self, answer: &TopAnswer, label: &str) -> Option<String>;
}

/// Plain Markdown for the command line: users by id, no links.
pub struct Plain;

impl Style for Plain {
    fn bold(&self, text: &str) -> String {
        format!("**{text}**")
    }
    fn escape(&self, text: &str) -> String {
        text.to_owned()
    }
    fn user(&self, user_id: &str) -> String {
        format!("user {user_id}")
    }
    fn link(&self, answer: &TopAnswer, label: &str) -> Option<String> {
        let at = answer.thread_id.as_ref().or(answer.message_id.as_ref())?;
        Some(format!("{label} ({at})"))
    }
}

/// "16–22 Nov 2026".
pub fn date_range(d: &Digest) -> String {
    let monday = d.week.monday();
    let sunday = monday + Duration::days(6);
    format!("{}–{}", monday.format("%-d %b"), sunday.format("%-d %b %Y"))
}

pub fn title(d: &Digest) -> String {
    format!("Weekly digest {} ({})", d.week, date_range(d))
}

fn signed(n: i64) -> String {
    match n {
        0 => "±0".into(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", n.unsigned_abs()),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The digest's body (without the title).
pub fn render(d: &Digest, s: &impl Style) -> String {
    let mut out = Vec::new();
    if d.quiet {
        out.push("A quiet week: no questions were asked. See you next week!".to_owned());
    } else {
        let mut lines = vec![format!(
            "{} ({} from last week)",
            s.bold(&plural(d.total, "question", "questions")),
            signed(d.total_change)
        )];
        for c in d.categories.iter().filter(|c| c.count > 0 || c.change != 0) {
            lines.push(format!(
                "• {}: {} ({})",
                capitalised(&c.name),
                c.count,
                signed(c.change)
            ));
        }
        out.push(lines.join("\n"));
    }
    if !d.top.is_empty() {
        let mut lines = vec![s.bold("Most helpful answers")];
        for (i, a) in d.top.iter().enumerate() {
            lines.push(format!("{}. {}", i + 1, answer_line(a, s)));
        }
        out.push(lines.join("\n"));
    }
    if !d.snippets.is_empty() {
        let mut lines = vec![s.bold("Advice added or updated")];
        for c in d.snippets.iter().take(10) {
            let what = if c.added { "new" } else { "updated" };
            lines.push(format!("• {} ({what})", s.escape(&c.title)));
        }
        if d.snippets.len() > 10 {
            lines.push(format!("• and {} more", d.snippets.len() - 10));
        }
        out.push(lines.join("\n"));
    }
    if d.open_reviews > 0 {
        out.push(format!(
            "{} {} waiting in the review queue.",
            s.bold("Moderators:"),
            plural(d.open_reviews, "item is", "items are")
        ));
    }
    out.join("\n\n")
}

fn answer_line(a: &TopAnswer, s: &impl Style) -> String {
    let who = match &a.asker {
        Asker::Anonymous => "asked anonymously".to_owned(),
        Asker::Private => "asked by a community member".to_owned(),
        Asker::User(id) => format!("asked by {}", s.user(id)),
    };
    let votes = plural(a.helpful, "Helpful vote", "Helpful votes");
    let mut line = format!("{} · {votes} · {who}", capitalised(&a.category));
    if let Some(q) = &a.quote {
        line.push_str(&format!(": “{}”", s.escape(q)));
    }
    if let Some(link) = s.link(a, "read the thread") {
        line.push_str(&format!(" · {link}"));
    }
    line
}

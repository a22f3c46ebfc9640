//! Renders what the bot posts as Block Kit, within Slack's limits: a section per snippet with
//! its source link, a context footer (disclaimer, feedback invitation) and the vote buttons.
//! All text that isn't ours is escaped (see `escape.rs`).

use super::escape::{bold_to_mrkdwn, escape, escape_within, link};
use crate::domain::{Reply, ReplySnippet};
use crate::store::Vote;
use slack_morphism::prelude::*;

/// Slack's limit for a section's text.
pub const MAX_SECTION_CHARS: usize = 3000;
/// What we allow a context element (Slack's hard limit is higher).
pub const MAX_CONTEXT_CHARS: usize = 2000;
/// Slack truncates a message's `text` beyond 40,000 characters; we stay under it.
pub const MAX_TEXT_CHARS: usize = 39_000;

const VOTES: [(Vote, &str, &str); 3] = [
    (Vote::Helpful, "vote_helpful", "Helpful"),
    (Vote::NotHelpful, "vote_not_helpful", "Not helpful"),
    (Vote::Flag, "vote_flag", "Flag"),
];

/// The vote a button's `action_id` stands for.
pub fn vote_for_action(action_id: &str) -> Option<Vote> {
    VOTES
        .iter()
        .find(|(_, id, _)| *id == action_id)
        .map(|(v, _, _)| *v)
}

/// The reply's blocks. The buttons carry `question_id` as their value.
pub fn reply_blocks(reply: &Reply, question_id: i64) -> Vec<SlackBlock> {
    let headline = bold_to_mrkdwn(&escape_within(&reply.headline, MAX_SECTION_CHARS));
    let mut blocks = vec![section("headline", headline)];
    for (i, s) in reply.snippets.iter().enumerate() {
        blocks.push(section(&format!("snippet-{i}"), snippet_text(s)));
    }
    let mut footer: Vec<SlackContextBlockElement> = Vec::new();
    if let Some(d) = &reply.disclaimer {
        footer.push(md!(bold_to_mrkdwn(&escape_within(d, MAX_CONTEXT_CHARS))));
    }
    footer.push(md!(bold_to_mrkdwn(&escape_within(
        &reply.footer,
        MAX_CONTEXT_CHARS
    ))));
    blocks.push(
        SlackContextBlock::new(footer)
            .with_block_id("footer".into())
            .into(),
    );
    let buttons = VOTES
        .iter()
        .map(|(vote, action, label)| {
            let button = SlackBlockButtonElement::new(pt!(*label))
                .with_action_id((*action).into())
                .with_value(question_id.to_string());
            match vote {
                Vote::Helpful => button.with_style(SlackBlockButtonStyle::Primary),
                _ => button,
            }
            .into()
        })
        .collect();
    blocks.push(
        SlackActionsBlock::new(buttons)
            .with_block_id("votes".into())
            .into(),
    );
    blocks
}

/// The notification text that goes with the blocks.
pub fn reply_fallback(reply: &Reply) -> String {
    bold_to_mrkdwn(&escape_within(&reply.headline, 300))
}

fn snippet_text(s: &ReplySnippet) -> String {
    let head = format!("*{}*\n", escape_within(&s.title, 300));
    let label = escape_within(&s.source.title, 300);
    let source = if s.source.url.is_empty() || s.source.url.len() > 1000 {
        label
    } else {
        link(&s.source.url, &s.source.title)
    };
    let tail = format!("\nSource: {source}");
    let budget = MAX_SECTION_CHARS - head.chars().count() - tail.chars().count();
    let body = bold_to_mrkdwn(&escape_within(s.body.trim(), budget));
    format!("{head}{body}{tail}")
}

/// A reposted question that shows no trace of who asked it.
pub fn anonymous_question(text: &str) -> String {
    format!("*Anonymous question*\n{}", quote(text))
}

/// A question asked through the `/ask` modal under the asker's name.
pub fn attributed_question(user_id: &str, text: &str) -> String {
    format!("*Question from <@{}>*\n{}", escape(user_id), quote(text))
}

/// Quotes every line of `text`, escaped and within Slack's text limit. Quoting can triple the
/// length (a "> " before every one-character line), so the text gets a third of the limit.
fn quote(text: &str) -> String {
    let escaped = escape_within(text.trim(), MAX_TEXT_CHARS / 3);
    escaped
        .lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn section(id: &str, text: String) -> SlackBlock {
    SlackSectionBlock::new()
        .with_block_id(id.into())
        .with_text(md!(text))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CategoryId, ReplyKind, Source};

    fn reply(snippets: Vec<ReplySnippet>) -> Reply {
        Reply {
            kind: ReplyKind::Advice,
            primary: CategoryId::parse("quitting").unwrap(),
            headline: "About **leaving a job** <!here>".into(),
            snippets,
            disclaimer: Some("Not legal advice.".into()),
            footer: "Was this useful?".into(),
        }
    }

    fn snippet(body: &str, url: &str) -> ReplySnippet {
        ReplySnippet {
            id: "s".into(),
            title: "Tell your manager first".into(),
            body: body.into(),
            source: Source {
                title: "Soft Skills".into(),
                url: url.into(),
            },
            score: 1.0,
        }
    }

    fn json(blocks: &[SlackBlock]) -> serde_json::Value {
        serde_json::to_value(blocks).unwrap()
    }

    #[test]
    fn one_section_per_snippet_then_footer_and_buttons() {
        let r = reply(vec![
            snippet("Body <!channel>", "https://a.io"),
            snippet("Two", ""),
        ]);
        let v = json(&reply_blocks(&r, 42));
        let types: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            ["section", "section", "section", "context", "actions"]
        );
        assert_eq!(v[0]["text"]["text"], "About *leaving a job* &lt;!here&gt;");
        let first = v[1]["text"]["text"].as_str().unwrap();
        assert!(
            first.starts_with("*Tell your manager first*\nBody &lt;!channel&gt;"),
            "{first}"
        );
        assert!(
            first.ends_with("Source: <https://a.io|Soft Skills>"),
            "{first}"
        );
        assert!(v[2]["text"]["text"]
            .as_str()
            .unwrap()
            .ends_with("Source: Soft Skills"));
        assert_eq!(v[3]["elements"][0]["text"], "Not legal advice.");
        let buttons = v[4]["elements"].as_array().unwrap();
        let ids: Vec<_> = buttons
            .iter()
            .map(|b| b["action_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["vote_helpful", "vote_not_helpful", "vote_flag"]);
        assert!(buttons.iter().all(|b| b["value"] == "42"));
        assert_eq!(vote_for_action("vote_flag"), Some(Vote::Flag));
    }

    #[test]
    fn long_snippets_stay_within_the_section_limit() {
        let r = reply(vec![snippet(&"&".repeat(1500), "https://a.io")]);
        let v = json(&reply_blocks(&r, 1));
        let text = v[1]["text"]["text"].as_str().unwrap();
        assert!(
            text.chars().count() <= MAX_SECTION_CHARS,
            "{}",
            text.chars().count()
        );
        assert!(text.ends_with("Source: <https://a.io|Soft Skills>"));
    }

    #[test]
    fn reposted_questions_are_escaped_and_quoted() {
        let q = anonymous_question("Should I quit? <!everyone>\n<!subteam^S1> & more");
        assert_eq!(
            q,
            "*Anonymous question*\n> Should I quit? &lt;!everyone&gt;\n> &lt;!subteam^S1&gt; &amp; more"
        );
        assert!(attributed_question("U123", "hi").starts_with("*Question from <@U123>*"));
        assert!(anonymous_question(&"<".repeat(20_000)).chars().count() < 40_000);
        assert!(anonymous_question(&"a\n\n".repeat(7_000)).chars().count() < 40_000);
    }
}

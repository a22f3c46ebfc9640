//! A review item as posted to the moderators' channel: what happened, the question (quoted,
//! escaped, with a link to it; an anonymous question names no one), the suggested snippets,
//! and the buttons. Once resolved, the same message without buttons, saying who and how.

use super::escape::{escape, escape_within, link};
use crate::core::curation::ItemView;
use slack_morphism::prelude::*;

pub const ANSWER: &str = "review_answer";
pub const RECATEGORIZE: &str = "review_recategorize";
pub const DISMISS: &str = "review_dismiss";

/// Where the question is and who asked, looked up by the adapter.
#[derive(Debug, Default)]
pub struct QuestionContext {
    pub permalink: Option<String>,
    /// `None` for anonymous questions (and when the name could not be read).
    pub author: Option<String>,
}

/// Who resolved an item and how.
pub struct Resolved<'a> {
    pub by: &'a str,
    pub resolution: &'a str,
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "low_confidence" => "Abstained or unsure",
        "not_helpful" => "Voted Not helpful",
        "flagged" => "Flagged",
        "unanswered" => "No reply",
        "review_due" => "Snippet due for review",
        other => other,
    }
}

fn section(id: &str, text: String) -> SlackBlock {
    SlackSectionBlock::new()
        .with_block_id(id.into())
        .with_text(md!(text))
        .into()
}

/// The message text and blocks for an item.
pub fn item_blocks(
    view: &ItemView,
    ctx: &QuestionContext,
    resolved: Option<Resolved>,
) -> (String, Vec<SlackBlock>) {
    let item = &view.item;
    let head = format!(
        "*Review item {}* · {}\n{}",
        item.id,
        kind_label(&item.kind),
        escape_within(&item.detail, 1000)
    );
    let text = format!("Review item {}: {}", item.id, kind_label(&item.kind));
    let mut blocks = vec![section("item", head)];
    if let Some(q) = &view.question {
        let name = format!("Question #{}", q.id);
        let title = match &ctx.permalink {
            Some(url) => link(url, &name),
            None => name,
        };
        let who = if q.anonymous {
            " · asked anonymously".to_owned()
        } else {
            ctx.author
                .as_deref()
                .map(|a| format!(" · asked by {}", escape_within(a, 80)))
                .unwrap_or_default()
        };
        // Quoting adds two characters a line: a quarter of the section limit is safe.
        let quoted: Vec<String> = escape_within(q.text.trim(), 700)
            .lines()
            .map(|l| format!("> {l}"))
            .collect();
        blocks.push(section(
            "question",
            format!("*{title}*{who}\n{}", quoted.join("\n")),
        ));
    }
    if !view.suggestions.is_empty() {
        let list: Vec<String> = view
            .suggestions
            .iter()
            .map(|(id, title)| format!("`{}` {}", escape(id), escape_within(title, 150)))
            .collect();
        let suggested = format!("Suggested: {}", list.join(" · "));
        blocks.push(
            SlackContextBlock::new(vec![md!(suggested)])
                .with_block_id("suggested".into())
                .into(),
        );
    }
    match resolved {
        Some(r) => {
            let done = format!(
                "Resolved by {}: {}",
                escape_within(r.by, 200),
                escape_within(r.resolution, 300)
            );
            blocks.push(
                SlackContextBlock::new(vec![md!(done)])
                    .with_block_id("resolved".into())
                    .into(),
            );
        }
        None => blocks.push(buttons(item.id, view.question.is_some())),
    }
    (text, blocks)
}

/// Answer with snippet / Recategorize (for items about a question) and Dismiss; each carries
/// the item id.
fn buttons(item: i64, has_question: bool) -> SlackBlock {
    let button = |label: &str, action: &str| {
        SlackBlockButtonElement::new(pt!(label.to_owned()))
            .with_action_id(action.into())
            .with_value(item.to_string())
    };
    let mut els: Vec<SlackActionBlockElement> = Vec::new();
    if has_question {
        els.push(
            button("Answer with snippet", ANSWER)
                .with_style(SlackBlockButtonStyle::Primary)
                .into(),
        );
        els.push(button("Recategorize", RECATEGORIZE).into());
    }
    els.push(button("Dismiss", DISMISS).into());
    SlackActionsBlock::new(els)
        .with_block_id("review".into())
        .into()
}

/// The item id a review button carries, and which button it is.
pub fn review_action(action_id: &str, value: Option<&str>) -> Option<(&'static str, i64)> {
    let which = [ANSWER, RECATEGORIZE, DISMISS]
        .into_iter()
        .find(|a| *a == action_id)?;
    Some((which, value?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ReviewItem, StoredQuestion};

    fn view(anonymous: bool) -> ItemView {
        let item = ReviewItem {
            id: 7,
            platform: "slack".into(),
            kind: "low_confidence".into(),
            question_id: Some(3),
            snippet_id: None,
            detail: "The bot abstained <!here>.".into(),
            created_at: 0,
            posted_channel: None,
            posted_message_id: None,
            resolved_by: None,
            resolved_at: None,
            resolution: None,
        };
        let question = StoredQuestion {
            id: 3,
            platform: "slack".into(),
            workspace: "T".into(),
            channel: "C".into(),
            message_id: "C:1.0".into(),
            thread_id: None,
            author_id: (!anonymous).then(|| "U1".into()),
            anonymous,
            text: "Should I quit? <!channel>".into(),
            received_at: 0,
            state: "answered".into(),
        };
        ItemView {
            item,
            question: Some(question),
            suggestions: vec![("quit-well".into(), "Quit <well>".into())],
        }
    }

    #[test]
    fn items_show_buttons_until_resolved_and_never_ping() {
        let ctx = QuestionContext {
            permalink: Some("https://x.slack.com/archives/C/p1".into()),
            author: Some("Ann".into()),
        };
        let (_, blocks) = item_blocks(&view(false), &ctx, None);
        let v = serde_json::to_string(&blocks).unwrap();
        assert!(!v.contains("<!"), "{v}");
        assert!(v.contains("asked by Ann") && v.contains(ANSWER) && v.contains(DISMISS));
        let (_, blocks) = item_blocks(
            &view(true),
            &ctx,
            Some(Resolved {
                by: "slack:U2 (Bo)",
                resolution: "dismissed",
            }),
        );
        let v = serde_json::to_string(&blocks).unwrap();
        assert!(
            !v.contains("Ann") && !v.contains(DISMISS) && v.contains("Resolved by slack:U2 (Bo)")
        );
        assert_eq!(review_action(DISMISS, Some("7")), Some((DISMISS, 7)));
        assert_eq!(review_action("vote_flag", Some("7")), None);
    }
}

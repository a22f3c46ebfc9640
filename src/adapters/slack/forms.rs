//! The moderators' modals: the snippet form (`/advice add`, `/advice edit ID`) and the small
//! form behind a review item's Answer / Recategorize buttons.
//!
//! What a submission needs to know travels in `private_metadata` as JSON (at most 3,000
//! characters, which ids and a channel id never approach): the snippet id being edited and the
//! channel to answer in, or the review item and the action. Who submits is never in it: that
//! comes from the verified payload, and rights are checked again on submission.

use crate::core::curation::SnippetForm;
use serde::{Deserialize, Serialize};
use slack_morphism::prelude::*;
use std::collections::HashMap;

pub const SNIPPET_CALLBACK: &str = "crossroads_snippet";
pub const REVIEW_CALLBACK: &str = "crossroads_review";
const ACTION: &str = "value";
/// Block ids and input limits of the snippet form, in order (the limits match `Snippet::validate`).
const FIELDS: [(&str, &str, u64, bool); 5] = [
    ("title", "Title", 120, false),
    ("body", "Advice (in our own words)", 1500, true),
    (
        "categories",
        "Categories (comma-separated, main one first)",
        200,
        false,
    ),
    ("tags", "Tags (comma-separated)", 300, false),
    ("source", "Source: title and https:// address", 500, false),
];
const CHOICE_BLOCK: &str = "choice";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnippetMeta {
    pub id: Option<String>,
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewMeta {
    pub item: i64,
    /// `answer` or `recategorize`.
    pub action: String,
    pub channel: String,
}

fn input(block: &str, label: &str, max: u64, multiline: bool, initial: &str) -> SlackBlock {
    let initial: String = initial.chars().take(max as usize).collect();
    let el = SlackBlockPlainTextInputElement::new()
        .with_action_id(ACTION.into())
        .with_max_length(max)
        .with_multiline(multiline);
    let el = if initial.is_empty() {
        el
    } else {
        el.with_initial_value(initial)
    };
    SlackInputBlock::new(pt!(label.to_owned()), el.into())
        .with_block_id(block.into())
        .with_optional(block == "tags")
        .into()
}

/// The add/edit modal, prefilled from `form`.
pub fn snippet_modal(form: &SnippetForm, channel: &str) -> SlackView {
    let values = [
        &form.title,
        &form.body,
        &form.categories,
        &form.tags,
        &form.source,
    ];
    let blocks = FIELDS
        .iter()
        .zip(values)
        .map(|((block, label, max, multi), v)| input(block, label, *max, *multi, v))
        .collect();
    let meta = SnippetMeta {
        id: form.id.clone(),
        channel: channel.to_owned(),
    };
    let title = if form.id.is_some() {
        "Edit snippet"
    } else {
        "New snippet"
    };
    modal(title, SNIPPET_CALLBACK, blocks, &meta)
}

/// The form behind Answer with snippet (`answer`) or Recategorize (`recategorize`): one input,
/// prefilled, with `hint` (suggested snippets, or the known categories) above it.
pub fn review_modal(meta: &ReviewMeta, hint: &str, initial: &str) -> SlackView {
    let (title, label) = if meta.action == "answer" {
        ("Answer with snippet", "Snippet id (approved)")
    } else {
        ("Recategorize", "Category")
    };
    let mut blocks = Vec::new();
    if !hint.is_empty() {
        let hint: String = hint.chars().take(2900).collect();
        blocks.push(
            SlackSectionBlock::new()
                .with_block_id("hint".into())
                .with_text(md!(hint))
                .into(),
        );
    }
    blocks.push(input(CHOICE_BLOCK, label, 80, false, initial));
    modal(title, REVIEW_CALLBACK, blocks, meta)
}

fn modal(title: &str, callback: &str, blocks: Vec<SlackBlock>, meta: &impl Serialize) -> SlackView {
    let meta = serde_json::to_string(meta).unwrap_or_default();
    SlackView::Modal(
        SlackModalView::new(pt!(title.to_owned()), blocks)
            .with_submit(pt!("Save"))
            .with_close(pt!("Cancel"))
            .with_callback_id(callback.into())
            .with_private_metadata(meta),
    )
}

/// The callback id and private metadata of a submitted modal.
pub fn callback_of(view: &SlackStatefulView) -> Option<(&str, &str)> {
    let SlackView::Modal(m) = &view.view else {
        return None;
    };
    let callback = m.callback_id.as_ref()?.0.as_str();
    Some((callback, m.private_metadata.as_deref().unwrap_or("")))
}

fn value(view: &SlackStatefulView, block: &str) -> String {
    view.state_params
        .state
        .as_ref()
        .and_then(|s| s.values.get(&SlackBlockId::new(block.into())))
        .and_then(|b| b.get(&SlackActionId::new(ACTION.into())))
        .and_then(|v| v.value.clone())
        .unwrap_or_default()
}

/// A submitted snippet form and the channel to answer in.
pub fn read_snippet(view: &SlackStatefulView) -> Option<(SnippetForm, String)> {
    let (callback, meta) = callback_of(view)?;
    if callback != SNIPPET_CALLBACK {
        return None;
    }
    let meta: SnippetMeta = serde_json::from_str(meta).ok()?;
    let form = SnippetForm {
        id: meta.id,
        title: value(view, "title"),
        body: value(view, "body"),
        categories: value(view, "categories"),
        tags: value(view, "tags"),
        source: value(view, "source"),
    };
    Some((form, meta.channel))
}

/// A submitted review form: what it was for, and the value typed.
pub fn read_review(view: &SlackStatefulView) -> Option<(ReviewMeta, String)> {
    let (callback, meta) = callback_of(view)?;
    if callback != REVIEW_CALLBACK {
        return None;
    }
    let meta: ReviewMeta = serde_json::from_str(meta).ok()?;
    Some((meta, value(view, CHOICE_BLOCK).trim().to_owned()))
}

/// The field an error from saving a snippet belongs under.
pub fn snippet_error(message: &str) -> HashMap<String, String> {
    let m = message.to_lowercase();
    let block = ["categor", "source", "title", "tag"]
        .into_iter()
        .zip(["categories", "source", "title", "tags"])
        .find(|(word, _)| m.contains(word))
        .map_or("body", |(_, block)| block);
    [(block.to_owned(), message.to_owned())].into()
}

/// An error under the review form's one field.
pub fn review_error(message: &str) -> HashMap<String, String> {
    [(CHOICE_BLOCK.to_owned(), message.to_owned())].into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_form_is_prefilled_within_limits() {
        let form = SnippetForm {
            id: Some("quit-well".into()),
            title: "t".repeat(500),
            body: "Body".into(),
            ..Default::default()
        };
        let v = serde_json::to_value(snippet_modal(&form, "C1")).unwrap();
        assert_eq!(v["blocks"].as_array().unwrap().len(), 5);
        let title = v["blocks"][0]["element"]["initial_value"].as_str().unwrap();
        assert_eq!(title.chars().count(), 120);
        let meta: SnippetMeta =
            serde_json::from_str(v["private_metadata"].as_str().unwrap()).unwrap();
        assert_eq!(
            meta,
            SnippetMeta {
                id: Some("quit-well".into()),
                channel: "C1".into()
            }
        );
        assert!(v["title"]["text"].as_str().unwrap().chars().count() <= 24);
    }

    #[test]
    fn errors_land_under_their_field() {
        assert!(snippet_error("unknown category \"x\"").contains_key("categories"));
        assert!(snippet_error("a snippet body must be 1-1500 characters").contains_key("body"));
        assert!(snippet_error("a source url must start with https://").contains_key("source"));
    }
}

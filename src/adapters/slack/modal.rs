//! The `/ask` modal: a question box and an "Ask anonymously" checkbox. The invoking channel
//! travels in `private_metadata`; nothing about the asker does.

use slack_morphism::prelude::*;

pub const CALLBACK_ID: &str = "crossroads_ask";
/// Slack's limit for a plain-text input.
pub const MAX_INPUT_CHARS: usize = 3000;
const QUESTION_BLOCK: &str = "question";
const QUESTION_ACTION: &str = "text";
const ANONYMOUS_BLOCK: &str = "anonymous";
const ANONYMOUS_ACTION: &str = "choice";
const ANONYMOUS_VALUE: &str = "anonymous";

/// What the asker submitted.
#[derive(Debug, PartialEq)]
pub struct Submission {
    /// Where `/ask` was used.
    pub channel: String,
    pub text: String,
    pub anonymous: bool,
}

/// The modal, with the question box prefilled with whatever followed `/ask`.
pub fn ask_modal(channel: &str, initial: &str) -> SlackView {
    let initial: String = initial.trim().chars().take(MAX_INPUT_CHARS).collect();
    let input = SlackBlockPlainTextInputElement::new()
        .with_action_id(QUESTION_ACTION.into())
        .with_multiline(true)
        .with_max_length(MAX_INPUT_CHARS as u64)
        .with_placeholder(pt!("What would you like advice on?"));
    let input = if initial.is_empty() {
        input
    } else {
        input.with_initial_value(initial)
    };
    let question = SlackInputBlock::new(pt!("Your question"), input.into())
        .with_block_id(QUESTION_BLOCK.into());
    let option = SlackBlockChoiceItem::new(md!("*Ask anonymously*"), ANONYMOUS_VALUE.into())
        .with_description(pt!(
            "Your name is not shown with the question and not stored."
        ));
    let anonymous = SlackInputBlock::new(
        pt!("Privacy"),
        SlackBlockCheckboxesElement::new(vec![option])
            .with_action_id(ANONYMOUS_ACTION.into())
            .into(),
    )
    .with_block_id(ANONYMOUS_BLOCK.into())
    .with_optional(true);
    SlackView::Modal(
        SlackModalView::new(
            pt!("Ask Crossroads"),
            vec![question.into(), anonymous.into()],
        )
        .with_submit(pt!("Ask"))
        .with_close(pt!("Cancel"))
        .with_callback_id(CALLBACK_ID.into())
        .with_private_metadata(channel.to_owned()),
    )
}

/// Reads a submitted `/ask` modal; `None` when the view is not ours or is malformed.
pub fn read_submission(view: &SlackStatefulView) -> Option<Submission> {
    let SlackView::Modal(modal) = &view.view else {
        return None;
    };
    if modal.callback_id.as_ref().map(|c| c.0.as_str()) != Some(CALLBACK_ID) {
        return None;
    }
    let channel = modal.private_metadata.clone().filter(|c| !c.is_empty())?;
    let values = &view.state_params.state.as_ref()?.values;
    let field = |block: &str, action: &str| {
        values
            .get(&SlackBlockId::new(block.into()))
            .and_then(|b| b.get(&SlackActionId::new(action.into())))
    };
    let text = field(QUESTION_BLOCK, QUESTION_ACTION)?
        .value
        .clone()
        .unwrap_or_default();
    let anonymous = field(ANONYMOUS_BLOCK, ANONYMOUS_ACTION)
        .and_then(|v| v.selected_options.as_ref())
        .is_some_and(|opts| opts.iter().any(|o| o.value == ANONYMOUS_VALUE));
    Some(Submission {
        channel,
        text,
        anonymous,
    })
}

/// The error Slack shows under the question box.
pub fn question_error(message: &str) -> std::collections::HashMap<String, String> {
    [(QUESTION_BLOCK.to_owned(), message.to_owned())].into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn submitted(anonymous: bool) -> SlackStatefulView {
        let selected = if anonymous {
            json!([{"text": {"type": "mrkdwn", "text": "*Ask anonymously*"}, "value": "anonymous"}])
        } else {
            json!([])
        };
        let mut v = serde_json::to_value(ask_modal("C1", "")).unwrap();
        let extra = json!({
            "id": "V1", "team_id": "T1", "hash": "h",
            "state": {"values": {
                "question": {"text": {"type": "plain_text_input", "value": "Should I quit?"}},
                "anonymous": {"choice": {"type": "checkboxes", "selected_options": selected}},
            }},
        });
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn submissions_round_trip() {
        let s = read_submission(&submitted(true)).unwrap();
        assert_eq!(
            s,
            Submission {
                channel: "C1".into(),
                text: "Should I quit?".into(),
                anonymous: true
            }
        );
        assert!(!read_submission(&submitted(false)).unwrap().anonymous);
    }

    #[test]
    fn modal_respects_slack_limits() {
        let v = serde_json::to_value(ask_modal("C1", &"x".repeat(5000))).unwrap();
        assert!(v["title"]["text"].as_str().unwrap().chars().count() <= 24);
        let initial = v["blocks"][0]["element"]["initial_value"].as_str().unwrap();
        assert_eq!(initial.chars().count(), MAX_INPUT_CHARS);
        assert_eq!(v["private_metadata"], "C1");
    }
}

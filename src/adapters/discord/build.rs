//! serenity request builders for what `render` produced. Every message the bot sends goes
//! through here, so every one carries empty allowed mentions: whatever a question contained
//! (`@everyone`, roles, users), the bot pings no one.

use super::feedback;
use super::render::Part;
use crate::store::Vote;
use serenity::all::{
    ButtonStyle, ChannelId, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateMessage, MessageId, MessageReference, MessageReferenceKind, Nonce,
};

/// Nobody is pinged, not even the author of a message we reply to.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

/// A message Discord deduplicates: posting it again with the same nonce (after a retry or a
/// crash) returns the first one instead of creating another.
pub fn message(content: &str, nonce: &str) -> CreateMessage {
    let mut m = CreateMessage::new()
        .allowed_mentions(no_mentions())
        .nonce(Nonce::String(nonce.to_owned()))
        .enforce_nonce(true);
    if !content.is_empty() {
        m = m.content(content);
    }
    m
}

pub fn part(part: &Part, nonce: &str) -> CreateMessage {
    let embeds = part
        .embeds
        .iter()
        .map(|e| {
            let embed = CreateEmbed::new()
                .title(&e.title)
                .description(&e.description);
            match &e.url {
                Some(url) => embed.url(url),
                None => embed,
            }
        })
        .collect();
    let m = message(&part.content, nonce).embeds(embeds);
    match part.buttons_for {
        Some(question_id) => m.components(vec![buttons(question_id)]),
        None => m,
    }
}

/// Marks `m` as a reply to `message_id`, without failing when that message is gone.
pub fn replying_to(
    m: CreateMessage,
    channel_id: ChannelId,
    message_id: MessageId,
) -> CreateMessage {
    let mut reference =
        MessageReference::new(MessageReferenceKind::Default, channel_id).message_id(message_id);
    reference = reference.fail_if_not_exists(false);
    m.reference_message(reference)
}

/// Helpful, Not helpful, Flag for a moderator.
pub fn buttons(question_id: i64) -> CreateActionRow {
    let button = |vote, label: &str, style| {
        CreateButton::new(feedback::custom_id(question_id, vote))
            .label(label)
            .style(style)
    };
    CreateActionRow::Buttons(vec![
        button(Vote::Helpful, "Helpful", ButtonStyle::Success),
        button(Vote::NotHelpful, "Not helpful", ButtonStyle::Secondary),
        button(Vote::Flag, "Flag for a moderator", ButtonStyle::Danger),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_ping_no_one_and_carry_a_nonce() {
        let m = replying_to(
            message("@everyone hi", "cr1r0"),
            ChannelId::new(5),
            MessageId::new(6),
        );
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(
            v["allowed_mentions"],
            json!({"parse": [], "users": [], "roles": [], "replied_user": false})
        );
        assert_eq!(v["nonce"], "cr1r0");
        assert_eq!(v["enforce_nonce"], true);
        assert_eq!(v["message_reference"]["message_id"], "6");
        assert_eq!(v["message_reference"]["fail_if_not_exists"], false);
    }

    #[test]
    fn buttons_carry_question_and_vote() {
        let v = serde_json::to_value(buttons(42)).unwrap();
        let ids: Vec<_> = v["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["fb:42:helpful", "fb:42:not_helpful", "fb:42:flag"]);
    }
}

//! The Helpful / Not helpful / Flag buttons under each answer. A click records one vote per
//! user per answer (clicking again changes it) and is acknowledged ephemerally: only the
//! clicker sees the thanks. A Not helpful vote or a flag also puts the answer in the review
//! queue (once per answer and kind).

use super::build::no_mentions;
use super::{Bot, PLATFORM};
use crate::core::curation::queue;
use crate::store::Vote;
use serenity::all::{
    ComponentInteraction, CreateInteractionResponse, CreateInteractionResponseMessage,
};

const PREFIX: &str = "fb";

/// `fb:<question id>:<vote>`, at most 100 characters as Discord requires.
pub fn custom_id(question_id: i64, vote: Vote) -> String {
    format!("{PREFIX}:{question_id}:{}", vote.as_str())
}

pub fn parse_custom_id(id: &str) -> Option<(i64, Vote)> {
    let mut it = id.split(':');
    let (prefix, question, vote) = (it.next()?, it.next()?, it.next()?);
    if prefix != PREFIX || it.next().is_some() {
        return None;
    }
    let vote = match vote {
        "helpful" => Vote::Helpful,
        "not_helpful" => Vote::NotHelpful,
        "flag" => Vote::Flag,
        _ => return None,
    };
    Some((question.parse().ok()?, vote))
}

/// Records the click, then tells the clicker (only them) it was counted.
pub async fn on_click(bot: &Bot, click: &ComponentInteraction) -> anyhow::Result<()> {
    let text = match parse_custom_id(&click.data.custom_id) {
        None => "This button is not one of mine.",
        Some((question_id, vote)) => {
            let store = bot.pipeline.engine().store();
            match store.answer_for_question(question_id).await? {
                None => "This answer is no longer available.",
                Some(answer_id) => {
                    let user = click.user.id.to_string();
                    if queue::record_vote(&**store, PLATFORM, answer_id, &user, vote).await? {
                        bot.wake_review();
                    }
                    tracing::info!(
                        question = question_id,
                        vote = vote.as_str(),
                        "feedback recorded"
                    );
                    thanks(vote)
                }
            }
        }
    };
    let response = CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    );
    bot.rest
        .interaction_callback(click.id, &click.token, &response)
        .await?;
    Ok(())
}

fn thanks(vote: Vote) -> &'static str {
    match vote {
        Vote::Helpful => "Thanks! Glad it helped. (You can change your vote any time.)",
        Vote::NotHelpful => "Thanks for telling us. The moderators use this to improve the advice.",
        Vote::Flag => "Thanks, a moderator will take a look.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_reject_junk() {
        for vote in [Vote::Helpful, Vote::NotHelpful, Vote::Flag] {
            let id = custom_id(9_007_199_254_740_993, vote);
            assert!(id.len() <= 100);
            assert_eq!(parse_custom_id(&id), Some((9_007_199_254_740_993, vote)));
        }
        for junk in [
            "",
            "fb",
            "fb:1",
            "fb:x:helpful",
            "fb:1:meh",
            "xx:1:flag",
            "fb:1:flag:2",
        ] {
            assert_eq!(parse_custom_id(junk), None, "{junk}");
        }
    }
}

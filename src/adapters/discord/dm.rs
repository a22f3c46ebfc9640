//! DMs to the bot are anonymous questions. The bot reposts the question, with no trace of the
//! asker, in `discord.anonymous_channel`, answers in a thread there, and DMs the asker a link.
//!
//! Nothing stored points back at the asker: the question row has no author, its channel is the
//! anonymous channel (not the DM channel), and its key is the DM message's id. The DM channel is
//! kept in memory only, for the link, which is sent after the answer is posted: a crash in
//! between can lose that DM, never the answer (the stored question is answered on restart).

use super::capture::{link, Capture};
use super::poster::dm_key;
use super::{build, message, Bot, Handled, PLATFORM};
use crate::core::{Inbound, Outcome};
use crate::domain::UserError;
use serenity::all::{ChannelId, Message};

const NOT_SET_UP: &str =
    "Anonymous questions are not set up on this server yet. Please ask in the server itself.";
const SAVED: &str = "Thanks! I couldn't post your question right now, but it is saved and will \
                     be posted anonymously, with an answer, shortly.";

pub async fn on_dm(bot: &Bot, msg: &Message, text: String) -> Handled {
    let id = msg.id.get();
    let Some(target) = bot.settings.anonymous_channel else {
        return match tell(bot, msg, NOT_SET_UP).await {
            Ok(()) => Handled::Ignored {
                id,
                reason: "no anonymous channel configured",
            },
            Err(e) => Handled::failed(id, &e),
        };
    };
    if text.chars().count() < bot.settings.min_question_chars {
        return match message::dm_hint(bot, msg).await {
            Ok(()) => Handled::Hint { id },
            Err(e) => Handled::failed(id, &e),
        };
    }
    match ask(bot, msg, ChannelId::new(target), text).await {
        Ok(outcome) => Handled::Question { id, outcome },
        Err(e) => {
            let reply = match e.downcast_ref::<UserError>() {
                Some(user) => user.0.clone(),
                None => SAVED.to_owned(),
            };
            if let Err(e) = tell(bot, msg, &reply).await {
                tracing::warn!(error = %e, "could not answer a DM");
            }
            Handled::failed(id, &e)
        }
    }
}

async fn ask(bot: &Bot, msg: &Message, target: ChannelId, text: String) -> anyhow::Result<Outcome> {
    let guild = bot
        .channels
        .info(target)
        .await?
        .guild_id
        .map(|g| g.to_string())
        .unwrap_or_default();
    let inbound = Inbound {
        platform: PLATFORM.into(),
        workspace: guild.clone(),
        channel: target.to_string(),
        message_id: dm_key(msg.id),
        thread_id: None,
        author_id: None,
        text,
    };
    let capture = Capture::new(&bot.poster);
    let outcome = bot.pipeline.receive(inbound, &capture).await?;
    if let Some(posted) = capture.posted() {
        let text = format!(
            "Your question is posted anonymously, and answered here: {}",
            link(&guild, &posted)
        );
        if let Err(e) = tell(bot, msg, &text).await {
            tracing::warn!(error = %e, "answer posted, but the link DM failed");
        }
    }
    Ok(outcome)
}

/// Answers in the DM. One nonce per DM: the bot tells the asker one thing per question.
async fn tell(bot: &Bot, msg: &Message, text: &str) -> anyhow::Result<()> {
    let m = build::message(text, &format!("d{}", msg.id));
    bot.rest.create_message(msg.channel_id, &m).await?;
    Ok(())
}

//! MESSAGE_CREATE: decides whether a message is a question, and runs it through the pipeline.
//!
//! A message is a question when it is posted in a configured channel, starts a post in a
//! configured forum, mentions the bot, or is a follow-up by the asker in a thread the bot
//! answered in (up to `max_thread_replies` bot replies per thread). DMs are anonymous questions
//! (see `dm.rs`). Bots (the bot itself included), webhooks and system messages are ignored. A
//! question too short to answer gets a friendly hint; a short follow-up ("thanks!") is let be.

use super::{build, dm, render, text, Bot, Handled, PLATFORM};
use crate::core::Inbound;
use crate::domain::{UserError, MAX_QUESTION_CHARS};
use serenity::all::{Message, MessageType};

enum Action {
    Ignore(&'static str),
    Hint,
    Question(Inbound),
    Anonymous(String),
}

pub async fn on_message(bot: &Bot, msg: &Message) -> Handled {
    let id = msg.id.get();
    let action = match route(bot, msg).await {
        Ok(a) => a,
        Err(e) => return Handled::failed(id, &e),
    };
    match action {
        Action::Ignore(reason) => Handled::Ignored { id, reason },
        Action::Hint => match hint(bot, msg, &hint_text(bot)).await {
            Ok(()) => Handled::Hint { id },
            Err(e) => Handled::failed(id, &e),
        },
        Action::Anonymous(text) => dm::on_dm(bot, msg, text).await,
        Action::Question(inbound) => match bot.pipeline.receive(inbound, &bot.poster).await {
            Ok(outcome) => Handled::Question { id, outcome },
            Err(e) => match e.downcast_ref::<UserError>() {
                Some(user) => match hint(bot, msg, &user.0).await {
                    Ok(()) => Handled::Hint { id },
                    Err(e) => Handled::failed(id, &e),
                },
                None => Handled::failed(id, &e),
            },
        },
    }
}

async fn route(bot: &Bot, msg: &Message) -> anyhow::Result<Action> {
    if msg.author.bot || msg.author.system || msg.webhook_id.is_some() {
        return Ok(Action::Ignore("sent by a bot"));
    }
    if !matches!(msg.kind, MessageType::Regular | MessageType::InlineReply) {
        return Ok(Action::Ignore("system message"));
    }
    let mentioned = msg.mentions.iter().any(|u| u.id == bot.me);
    let text = without_mention(&msg.content, bot.me.get());
    let Some(guild) = msg.guild_id else {
        return Ok(Action::Anonymous(text));
    };
    let settings = &bot.settings;
    let channel = msg.channel_id;
    let short = text.chars().count() < settings.min_question_chars;
    let question = |channel: String, thread_id: Option<String>, text: String| Inbound {
        platform: PLATFORM.into(),
        workspace: guild.to_string(),
        channel,
        message_id: msg.id.to_string(),
        thread_id,
        author_id: Some(msg.author.id.to_string()),
        text,
    };
    let top_level = |channel: String| {
        if short {
            Action::Hint
        } else {
            Action::Question(question(channel, None, text.clone()))
        }
    };
    if settings.channels.contains(&channel.get()) {
        return Ok(top_level(channel.to_string()));
    }
    let store = bot.pipeline.engine().store();
    let thread = channel.to_string();
    if let Some(first) = store.thread_question(PLATFORM, &thread).await? {
        if first.author_id.as_deref() != Some(&msg.author.id.to_string()) && !mentioned {
            return Ok(Action::Ignore("not the asker"));
        }
        if store.thread_answer_count(PLATFORM, &thread).await? >= settings.max_thread_replies {
            return Ok(Action::Ignore("thread reply limit reached"));
        }
        if short {
            return Ok(Action::Ignore("short follow-up"));
        }
        let text = with_context(&first.text, &text);
        return Ok(Action::Question(question(
            first.channel,
            Some(thread),
            text,
        )));
    }
    // A forum post's first message has the post's (thread's) id.
    let forum_post = msg.id.get() == channel.get();
    if !(forum_post || mentioned) {
        return Ok(Action::Ignore("not addressed to the bot"));
    }
    let info = bot.channels.info(channel).await?;
    let parent = info.parent_id.map(|p| p.get());
    if forum_post && !parent.is_some_and(|p| settings.channels.contains(&p)) && !mentioned {
        return Ok(Action::Ignore("post in a forum that is not configured"));
    }
    if !info.is_thread() {
        return Ok(top_level(thread));
    }
    if short {
        return Ok(Action::Hint);
    }
    let home = parent.map_or(thread.clone(), |p| p.to_string());
    Ok(Action::Question(question(home, Some(thread), text)))
}

/// The content without the bot's own mention markup.
fn without_mention(content: &str, me: u64) -> String {
    content
        .replace(&format!("<@{me}>"), "")
        .replace(&format!("<@!{me}>"), "")
        .trim()
        .to_owned()
}

/// A follow-up with the question that opened the thread before it, within the length limit.
fn with_context(first: &str, follow_up: &str) -> String {
    let room = MAX_QUESTION_CHARS.saturating_sub(follow_up.chars().count() + 2);
    format!("{}\n\n{follow_up}", text::truncate(first, room))
}

fn hint_text(bot: &Bot) -> String {
    format!(
        "Hi! I answer career questions: changing roles, quitting, contract pressure and the \
         like. Could you ask it in a sentence or two ({} characters or more)? For example: \
         \"My employer wants me to extend my notice period, do I have to?\"",
        bot.settings.min_question_chars
    )
}

/// Replies to `msg` where it was posted.
async fn hint(bot: &Bot, msg: &Message, text: &str) -> anyhow::Result<()> {
    let m = build::message(
        &text::truncate(text, render::MESSAGE_CHARS),
        &format!("h{}", msg.id),
    );
    let m = build::replying_to(m, msg.channel_id, msg.id);
    bot.rest.create_message(msg.channel_id, &m).await?;
    Ok(())
}

/// Public for `dm.rs`: a hint in a DM, same wording.
pub async fn dm_hint(bot: &Bot, msg: &Message) -> anyhow::Result<()> {
    hint(bot, msg, &hint_text(bot)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_mention_is_removed_others_kept() {
        assert_eq!(without_mention("<@5> hi <@!5> <@6>", 5), "hi  <@6>");
    }

    #[test]
    fn context_keeps_the_follow_up_whole() {
        let long = "x".repeat(MAX_QUESTION_CHARS);
        let text = with_context(&long, "and then?");
        assert!(text.chars().count() <= MAX_QUESTION_CHARS);
        assert!(text.ends_with("\n\nand then?"));
    }
}

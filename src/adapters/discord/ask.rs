//! `/ask question:<text> [anonymous:true]`, registered at startup globally or per guild. The bot
//! reposts the question (naming the asker, or anonymously in `discord.anonymous_channel`, else
//! in the channel where it was used), answers in a thread on the repost, and tells the asker
//! where, ephemerally. Like DMs, an anonymous `/ask` stores no author, and its link exists only
//! in the interaction response.

use super::capture::{link, Capture};
use super::poster::ask_key;
use super::{build, Bot, Handled, PLATFORM};
use crate::core::{Inbound, Outcome};
use crate::domain::UserError;
use serenity::all::{
    ApplicationId, ChannelId, CommandDataOptionValue, CommandInteraction, CommandOptionType,
    CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, EditInteractionResponse, GuildId, InteractionContext,
};

pub const NAME: &str = "ask";

pub fn command() -> CreateCommand {
    CreateCommand::new(NAME)
        .description("Ask a career question; the answer comes in a thread")
        .contexts(vec![InteractionContext::Guild])
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "question", "Your question")
                .required(true)
                .max_length(4000),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::Boolean,
            "anonymous",
            "Post it without your name",
        ))
}

/// Registers `/ask` and `/advice` in each of `discord.command_guilds`, or globally when there
/// are none.
pub async fn register(bot: &Bot, application_id: ApplicationId) -> anyhow::Result<()> {
    let commands = [command(), super::advice::command()];
    if bot.settings.command_guilds.is_empty() {
        bot.rest
            .put_commands(application_id, None, &commands)
            .await?;
    }
    for guild in &bot.settings.command_guilds {
        let guild = Some(GuildId::new(*guild));
        bot.rest
            .put_commands(application_id, guild, &commands)
            .await?;
    }
    tracing::info!(
        guilds = bot.settings.command_guilds.len(),
        "registered /ask and /advice"
    );
    Ok(())
}

pub async fn on_ask(bot: &Bot, cmd: &CommandInteraction) -> Handled {
    let id = cmd.id.get();
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    if let Err(e) = bot
        .rest
        .interaction_callback(cmd.id, &cmd.token, &defer)
        .await
    {
        return Handled::failed(id, &e.into());
    }
    let (text, handled) = match ask(bot, cmd).await {
        Ok(done) => done,
        Err(e) => match e.downcast_ref::<UserError>() {
            Some(user) => (user.0.clone(), Handled::Hint { id }),
            None => (
                "I couldn't post your question right now; it is saved and will be answered \
                 shortly."
                    .to_owned(),
                Handled::failed(id, &e),
            ),
        },
    };
    let edit = EditInteractionResponse::new()
        .content(text)
        .allowed_mentions(build::no_mentions());
    if let Err(e) = bot
        .rest
        .edit_original(cmd.application_id, &cmd.token, &edit)
        .await
    {
        return Handled::failed(id, &e.into());
    }
    handled
}

async fn ask(bot: &Bot, cmd: &CommandInteraction) -> anyhow::Result<(String, Handled)> {
    let id = cmd.id.get();
    let (text, anonymous) = options(cmd);
    if text.chars().count() < bot.settings.min_question_chars {
        let hint = format!(
            "Could you ask it in a sentence or two ({} characters or more)?",
            bot.settings.min_question_chars
        );
        return Ok((hint, Handled::Hint { id }));
    }
    let channel = match bot.settings.anonymous_channel {
        Some(c) if anonymous => ChannelId::new(c),
        _ => cmd.channel_id,
    };
    let guild = cmd.guild_id.map(|g| g.to_string()).unwrap_or_default();
    let inbound = Inbound {
        platform: PLATFORM.into(),
        workspace: guild.clone(),
        channel: channel.to_string(),
        message_id: ask_key(id),
        thread_id: None,
        author_id: (!anonymous).then(|| cmd.user.id.to_string()),
        text,
    };
    let capture = Capture::new(&bot.poster);
    let outcome = bot.pipeline.receive(inbound, &capture).await?;
    let reply = match (&outcome, capture.posted()) {
        (Outcome::Answered(_), Some(posted)) if anonymous => {
            format!(
                "Posted anonymously, with an answer: {}",
                link(&guild, &posted)
            )
        }
        (Outcome::Answered(_), Some(posted)) => {
            format!("Posted, with an answer: {}", link(&guild, &posted))
        }
        _ => "I already have this question; the answer is on its way.".to_owned(),
    };
    Ok((reply, Handled::Question { id, outcome }))
}

/// `question` (required by the command definition; empty if missing) and `anonymous`.
fn options(cmd: &CommandInteraction) -> (String, bool) {
    let mut text = String::new();
    let mut anonymous = false;
    for option in &cmd.data.options {
        match (option.name.as_str(), &option.value) {
            ("question", CommandDataOptionValue::String(s)) => text = s.trim().to_owned(),
            ("anonymous", CommandDataOptionValue::Boolean(b)) => anonymous = *b,
            _ => {}
        }
    }
    (text, anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_definition_is_valid_for_discord() {
        let v = serde_json::to_value(command()).unwrap();
        assert_eq!(v["name"], "ask");
        assert!(v["description"].as_str().unwrap().len() <= 100);
        assert_eq!(v["options"][0]["type"], 3);
        assert_eq!(v["options"][0]["required"], true);
        assert_eq!(v["options"][1]["name"], "anonymous");
        assert_eq!(v["options"][1]["type"], 5);
    }
}

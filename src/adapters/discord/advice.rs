//! `/advice <subcommand>`: moderators' commands, mapped one to one onto
//! `core::curation::Command`, so Discord and Slack share every rule.
//!
//! - Rights are decided by `Curation` from the `Actor` that `moderator.rs` builds out of this very
//!   interaction; the command stays visible to everyone because `optout`, `optin` and `help`
//!   are for everyone, and hiding a command is no protection anyway.
//! - Every response is ephemeral. `add` and `edit` answer with a modal (it must be the first
//!   response, so they run before anything is deferred); everything else is deferred first and
//!   the result edited in, since posting an answer or retraining can take longer than the three
//!   seconds Discord allows for a first response.

use super::build::no_mentions;
use super::moderator::actor;
use super::platform::DiscordMod;
use super::{modal, Bot, Handled};
use crate::core::curation::{user_message, Command, MessageRef, Response};
use crate::domain::UserError;
use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandInteraction, CommandOptionType,
    CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, EditInteractionResponse, InteractionContext,
};

pub const NAME: &str = "advice";

fn sub(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
}

fn text(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, name, description)
        .required(true)
        .max_length(200)
}

pub fn command() -> CreateCommand {
    let question = || text("question", "A message link, a message id or #number");
    CreateCommand::new(NAME)
        .description("Moderators: curate advice snippets and work the review queue")
        .contexts(vec![InteractionContext::Guild, InteractionContext::BotDm])
        .set_options(vec![
            sub("add", "Write a new snippet (saved as a draft)"),
            sub("edit", "Edit a snippet").add_sub_option(text("id", "Snippet id")),
            sub("approve", "Approve a snippet: it is served from now on")
                .add_sub_option(text("id", "Snippet id")),
            sub("retire", "Retire a snippet: it is never served again")
                .add_sub_option(text("id", "Snippet id")),
            sub("show", "Show a snippet and its versions").add_sub_option(text("id", "Snippet id")),
            sub("search", "Find snippets").add_sub_option(text("text", "Words to look for")),
            sub("queue", "The next items to review"),
            sub("recategorize", "File a question under another category")
                .add_sub_option(question())
                .add_sub_option(text("category", "Category id, or other")),
            sub("answer", "Answer a question with a snippet, in its thread")
                .add_sub_option(question())
                .add_sub_option(text("snippet", "Snippet id")),
            sub("promote", "Turn a good human answer into a draft snippet")
                .add_sub_option(text("message", "A message link or id")),
            sub("digest-now", "Post the weekly digest now").add_sub_option(
                CreateCommandOption::new(
                    CommandOptionType::Channel,
                    "channel",
                    "Where (default: here)",
                ),
            ),
            sub("optout", "Never name or quote me in the weekly digest"),
            sub("optin", "Allow the weekly digest to name or quote me again"),
            sub("help", "What these commands do"),
        ])
}

/// The subcommand and its options as a `Command`.
pub fn parse(cmd: &CommandInteraction) -> Result<Command, UserError> {
    let Some(first) = cmd.data.options.first() else {
        return Ok(Command::Help);
    };
    let options: &[CommandDataOption] = match &first.value {
        CommandDataOptionValue::SubCommand(o) => o,
        _ => &[],
    };
    let get = |name: &str| -> Result<String, UserError> {
        options
            .iter()
            .find(|o| o.name == name)
            .and_then(|o| o.value.as_str())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| UserError::new(format!("/advice {} needs {name}", first.name)))
    };
    let question = || MessageRef::parse(&get("question")?);
    Ok(match first.name.as_str() {
        "add" => Command::Add,
        "edit" => Command::Edit(get("id")?),
        "approve" => Command::Approve(get("id")?),
        "retire" => Command::Retire(get("id")?),
        "show" => Command::Show(get("id")?),
        "search" => Command::Search(get("text")?),
        "queue" => Command::Queue,
        "recategorize" => Command::Recategorize {
            question: question()?,
            category: get("category")?,
        },
        "answer" => Command::Answer {
            question: question()?,
            snippet: get("snippet")?,
        },
        "promote" => Command::Promote(MessageRef::parse(&get("message")?)?),
        "digest-now" => Command::DigestNow(
            options
                .iter()
                .find(|o| o.name == "channel")
                .and_then(|o| o.value.as_channel_id())
                .map(|c| c.to_string()),
        ),
        "optout" => Command::OptOut,
        "optin" => Command::OptIn,
        "help" => Command::Help,
        other => {
            return Err(UserError::new(format!(
                "unknown command {other:?}; try /advice help"
            )))
        }
    })
}

pub async fn on_advice(bot: &Bot, cmd: &CommandInteraction) -> Handled {
    let id = cmd.id.get();
    match advice(bot, cmd).await {
        Ok(()) => Handled::Moderated { id },
        Err(e) => Handled::failed(id, &e),
    }
}

async fn advice(bot: &Bot, cmd: &CommandInteraction) -> anyhow::Result<()> {
    let who = actor(
        cmd.guild_id,
        cmd.member.as_deref(),
        &cmd.user,
        &bot.settings.moderator_role_ids,
    );
    let platform = DiscordMod {
        bot,
        channel: cmd.channel_id,
        guild: cmd.guild_id,
    };
    let channel = cmd.channel_id.to_string();
    let command = match parse(cmd) {
        Ok(c) => c,
        Err(e) => return respond(bot, cmd, &e.0).await,
    };
    if matches!(command, Command::Add | Command::Edit(_)) {
        return match bot.curation.run(&who, &channel, command, &platform).await {
            Ok(Response::Form(form)) => {
                let response = CreateInteractionResponse::Modal(modal::snippet_form(&form)?);
                Ok(bot
                    .rest
                    .interaction_callback(cmd.id, &cmd.token, &response)
                    .await?)
            }
            Ok(Response::Text(t)) => respond(bot, cmd, &t).await,
            Err(e) => respond(bot, cmd, &user_message(&e)).await,
        };
    }
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    bot.rest
        .interaction_callback(cmd.id, &cmd.token, &defer)
        .await?;
    let text = match bot.curation.run(&who, &channel, command, &platform).await {
        Ok(Response::Text(t)) => t,
        Ok(Response::Form(_)) => "Use /advice add or /advice edit to open the form.".into(),
        Err(e) => user_message(&e),
    };
    bot.wake_review();
    let edit = EditInteractionResponse::new()
        .content(super::text::truncate(&text, 2000))
        .allowed_mentions(no_mentions());
    bot.rest
        .edit_original(cmd.application_id, &cmd.token, &edit)
        .await?;
    Ok(())
}

/// An ephemeral message as the first (and only) response.
async fn respond(bot: &Bot, cmd: &CommandInteraction, text: &str) -> anyhow::Result<()> {
    let response = CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(super::text::truncate(text, 2000))
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    );
    Ok(bot
        .rest
        .interaction_callback(cmd.id, &cmd.token, &response)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_definition_is_valid_for_discord() {
        let v = serde_json::to_value(command()).unwrap();
        assert_eq!(v["name"], "advice");
        let subs = v["options"].as_array().unwrap();
        assert_eq!(subs.len(), 14);
        for s in subs {
            assert_eq!(s["type"], 1, "{s}");
            let name = s["name"].as_str().unwrap();
            assert!(name.len() <= 32 && name == name.to_lowercase());
            assert!((1..=100).contains(&s["description"].as_str().unwrap().len()));
        }
    }
}

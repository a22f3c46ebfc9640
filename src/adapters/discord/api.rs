//! The Discord endpoints the bot uses, typed with serenity's builders and models, sent through
//! `Rest` (retries, rate limits).

use super::rest::{Rest, RestError};
use serenity::all::{
    ApplicationId, Channel, ChannelId, CreateCommand, CreateInteractionResponse, CreateMessage,
    CreateThread, CurrentUser, EditInteractionResponse, EditMessage, GuildChannel, GuildId,
    InteractionId, Message, MessageId,
};
use serenity::http::{LightMethod, Route};

type Result<T> = std::result::Result<T, RestError>;

/// Error codes Discord sends that the bot acts on.
pub mod codes {
    /// The bot lacks a permission (e.g. Create Public Threads).
    pub const MISSING_PERMISSIONS: i64 = 50013;
    /// The action is not allowed in this kind of channel (e.g. a thread inside a thread).
    pub const WRONG_CHANNEL_TYPE: i64 = 50024;
    /// No such message (or the bot cannot see it).
    pub const UNKNOWN_MESSAGE: i64 = 10008;
    /// No such channel (or the bot cannot see it).
    pub const UNKNOWN_CHANNEL: i64 = 10003;
    /// The bot lacks access to the channel.
    pub const MISSING_ACCESS: i64 = 50001;
    /// A thread was already created from this message.
    pub const THREAD_EXISTS: i64 = 160004;
}

impl Rest {
    pub async fn current_user(&self) -> Result<CurrentUser> {
        self.call(
            "get current user",
            LightMethod::Get,
            Route::UserMe,
            None::<&()>,
        )
        .await
    }

    pub async fn channel(&self, channel_id: ChannelId) -> Result<Channel> {
        let route = Route::Channel { channel_id };
        self.call("get channel", LightMethod::Get, route, None::<&()>)
            .await
    }

    pub async fn create_message(
        &self,
        channel_id: ChannelId,
        msg: &CreateMessage,
    ) -> Result<Message> {
        let route = Route::ChannelMessages { channel_id };
        self.call("create message", LightMethod::Post, route, Some(msg))
            .await
    }

    /// Reads one message (`promote`). Needs Read Message History in that channel.
    pub async fn message(&self, channel_id: ChannelId, message_id: MessageId) -> Result<Message> {
        let route = Route::ChannelMessage {
            channel_id,
            message_id,
        };
        self.call("get message", LightMethod::Get, route, None::<&()>)
            .await
    }

    /// Edits one of the bot's own messages (a resolved review item).
    pub async fn edit_message(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
        edit: &EditMessage,
    ) -> Result<Message> {
        let route = Route::ChannelMessage {
            channel_id,
            message_id,
        };
        self.call("edit message", LightMethod::Patch, route, Some(edit))
            .await
    }

    /// Starts a thread on `message_id`; the thread gets the message's id.
    pub async fn create_thread(
        &self,
        channel_id: ChannelId,
        message_id: MessageId,
        thread: &CreateThread<'_>,
    ) -> Result<GuildChannel> {
        let route = Route::ChannelMessageThreads {
            channel_id,
            message_id,
        };
        self.call("create thread", LightMethod::Post, route, Some(thread))
            .await
    }

    pub async fn interaction_callback(
        &self,
        interaction_id: InteractionId,
        token: &str,
        response: &CreateInteractionResponse,
    ) -> Result<()> {
        let route = Route::InteractionResponse {
            interaction_id,
            token,
        };
        self.call_unit(
            "interaction callback",
            LightMethod::Post,
            route,
            Some(response),
        )
        .await
    }

    /// Replaces a deferred interaction response.
    pub async fn edit_original(
        &self,
        application_id: ApplicationId,
        token: &str,
        edit: &EditInteractionResponse,
    ) -> Result<Message> {
        let route = Route::WebhookOriginalInteractionResponse {
            application_id,
            token,
        };
        self.call(
            "edit interaction response",
            LightMethod::Patch,
            route,
            Some(edit),
        )
        .await
    }

    /// Replaces the application's commands, globally or in one guild.
    pub async fn put_commands(
        &self,
        application_id: ApplicationId,
        guild_id: Option<GuildId>,
        commands: &[CreateCommand],
    ) -> Result<()> {
        let route = match guild_id {
            Some(guild_id) => Route::GuildCommands {
                application_id,
                guild_id,
            },
            None => Route::Commands { application_id },
        };
        self.call_unit("register commands", LightMethod::Put, route, Some(commands))
            .await
    }
}

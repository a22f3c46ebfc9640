//! Socket Mode: slack-morphism opens the websocket `apps.connections.open` hands out and
//! acknowledges each envelope once our callback returns, so the callbacks only hand the event
//! to the adapter (which spawns the work) and return.

use super::app::Slack;
use super::interact::InteractionAck;
use super::settings::Secret;
use slack_morphism::prelude::*;
use std::sync::{Arc, Weak};

pub type Listener = SlackClientSocketModeListener<SlackClientHyperHttpsConnector>;
type Client = Arc<SlackClient<SlackClientHyperHttpsConnector>>;

pub(super) async fn listen(slack: &Arc<Slack>, app_token: &Secret) -> anyhow::Result<Listener> {
    let callbacks = SlackSocketModeListenerCallbacks::new()
        .with_push_events(on_push)
        .with_command_events(on_command)
        .with_interaction_events(on_interaction);
    // A weak handle: the listener must not keep the adapter alive.
    let env = SlackClientEventsListenerEnvironment::new(slack.api.client().clone())
        .with_error_handler(on_error)
        .with_user_state(Arc::downgrade(slack));
    let listener = Listener::new(
        &SlackClientSocketModeConfig::new(),
        Arc::new(env),
        callbacks,
    );
    let token = SlackApiToken::new(app_token.expose().to_owned().into());
    listener.listen_for(&token).await?;
    listener.start().await;
    Ok(listener)
}

async fn adapter(states: &SlackClientEventsUserState) -> Option<Arc<Slack>> {
    states
        .read()
        .await
        .get_user_state::<Weak<Slack>>()
        .and_then(Weak::upgrade)
}

async fn on_push(
    ev: SlackPushEventCallback,
    _client: Client,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<()> {
    if let Some(slack) = adapter(&states).await {
        slack.accept_push(ev);
    }
    Ok(())
}

async fn on_command(
    ev: SlackCommandEvent,
    _client: Client,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    if let Some(slack) = adapter(&states).await {
        slack.accept_command(ev);
    }
    Ok(SlackCommandEventResponse::new(SlackMessageContent::new()))
}

async fn on_interaction(
    ev: SlackInteractionEvent,
    _client: Client,
    states: SlackClientEventsUserState,
) -> UserCallbackResult<SlackInteractionResponse> {
    let Some(slack) = adapter(&states).await else {
        return Ok(SlackInteractionResponse::Empty);
    };
    Ok(match slack.accept_interaction(ev).await {
        InteractionAck::Empty => SlackInteractionResponse::Empty,
        InteractionAck::Errors(errors) => SlackInteractionResponse::ViewSubmission(
            SlackViewSubmissionResponse::Errors(SlackViewSubmissionErrorsResponse::new(errors)),
        ),
    })
}

/// Logs without the payload: frames can carry DM text and user ids. Acknowledges anyway, since
/// a frame that failed once fails again on redelivery.
fn on_error(
    err: Box<dyn std::error::Error + Send + Sync>,
    _client: Client,
    _states: SlackClientEventsUserState,
) -> slack_morphism::listener::HttpStatusCode {
    let kind = match err.downcast_ref::<slack_morphism::errors::SlackClientError>() {
        Some(slack_morphism::errors::SlackClientError::ProtocolError(_)) => "unreadable frame",
        Some(slack_morphism::errors::SlackClientError::SocketModeProtocolError(_)) => {
            "websocket error"
        }
        Some(_) => "client error",
        None => "callback error",
    };
    tracing::warn!(kind, "Slack Socket Mode error");
    slack_morphism::listener::HttpStatusCode::OK
}

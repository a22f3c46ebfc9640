//! The review queue in the moderators' channel (`discord.mod_channel_id`).
//!
//! - **Posting is an outbox.** Items are created by the core (abstentions, low confidence,
//!   votes, the sweep); this module posts every unposted one: claim it with a lease (so two
//!   instances never both post), post with a nonce derived from the item id (a retry after a
//!   lost response returns the same message), record the message id. It runs at connect, on
//!   the replay beat, and whenever an event may have added an item (`Bot::wake_review`).
//! - **Buttons.** `rv:<item>:answer|recat|dismiss`. Dismiss resolves at once; Answer and
//!   Recategorize open a one-field modal (`modal.rs`), the snippet prefilled with the best
//!   suggestion. Every path ends in `Curation::resolve_item`, which lets one moderator win.
//! - **After resolving**, the winner's interaction edits the item message: who resolved it and
//!   how, buttons removed. Best effort: a failed edit is logged; the resolution is in the store.
//! - An item about a snippet (review due) has no question to answer or recategorize: it only
//!   gets Dismiss.

use super::build::no_mentions;
use super::moderator::actor;
use super::platform::DiscordMod;
use super::poster::snowflake;
use super::text::truncate;
use super::{modal, Bot, Handled, PLATFORM};
use crate::core::curation::{queue, user_message, ItemAction, ItemView, Response};
use crate::domain::{now_ms, Actor};
use crate::store::{ReviewItem, StoredQuestion};
use serenity::all::{
    ButtonStyle, ChannelId, ComponentInteraction, CreateActionRow, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseMessage, EditInteractionResponse,
    EditMessage, MessageId,
};

/// How long an instance holds an item it is posting.
const POST_LEASE_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Answer,
    Recategorize,
    Dismiss,
}

impl Button {
    fn as_str(self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::Recategorize => "recat",
            Self::Dismiss => "dismiss",
        }
    }
}

pub fn custom_id(item: i64, button: Button) -> String {
    format!("rv:{item}:{}", button.as_str())
}

pub fn parse_custom_id(id: &str) -> Option<(i64, Button)> {
    let mut it = id.split(':');
    let (prefix, item, button) = (it.next()?, it.next()?, it.next()?);
    if prefix != "rv" || it.next().is_some() {
        return None;
    }
    let button = [Button::Answer, Button::Recategorize, Button::Dismiss]
        .into_iter()
        .find(|b| b.as_str() == button)?;
    Some((item.parse().ok()?, button))
}

fn buttons(view: &ItemView) -> Vec<CreateActionRow> {
    let b = |button, label: &str, style| {
        CreateButton::new(custom_id(view.item.id, button))
            .label(label)
            .style(style)
    };
    let mut row = Vec::new();
    if view.question.is_some() {
        row.push(b(
            Button::Answer,
            "Answer with snippet",
            ButtonStyle::Primary,
        ));
        row.push(b(
            Button::Recategorize,
            "Recategorize",
            ButtonStyle::Secondary,
        ));
    }
    row.push(b(Button::Dismiss, "Dismiss", ButtonStyle::Secondary));
    vec![CreateActionRow::Buttons(row)]
}

/// A link to the question's message, when it has one (DMs and `/ask` have no message of the
/// asker's to link to).
fn question_link(q: &StoredQuestion) -> Option<String> {
    let channel = q.thread_id.as_deref().unwrap_or(&q.channel);
    let is_id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (is_id(&q.message_id) && is_id(&q.workspace)).then(|| {
        format!(
            "https://discord.com/channels/{}/{channel}/{}",
            q.workspace, q.message_id
        )
    })
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "low_confidence" => "Low confidence",
        "not_helpful" => "Voted Not helpful",
        "flagged" => "Flagged",
        "unanswered" => "Unanswered",
        "review_due" => "Snippet due for review",
        other => other,
    }
}

/// The item message: kind, detail, the question (quoted, linked, its author shown without a
/// ping; anonymous questions have no author to show) and suggested snippets.
pub fn render(view: &ItemView) -> String {
    let item = &view.item;
    let mut out = format!(
        "**Review item {}** · {}\n{}",
        item.id,
        kind_label(&item.kind),
        truncate(&item.detail, 300)
    );
    if let Some(q) = &view.question {
        let who = match &q.author_id {
            Some(a) => format!("asked by <@{a}>"),
            None => "asked anonymously".to_owned(),
        };
        let link = question_link(q)
            .map(|l| format!(" · {l}"))
            .unwrap_or_default();
        let quoted: Vec<String> = truncate(&q.text, 1000)
            .lines()
            .map(|l| format!("> {l}"))
            .collect();
        out.push_str(&format!(
            "\n\nQuestion #{} · {who}{link}\n{}",
            q.id,
            quoted.join("\n")
        ));
    }
    if !view.suggestions.is_empty() {
        let s: Vec<String> = view
            .suggestions
            .iter()
            .map(|(id, title)| format!("`{id}` {}", truncate(title, 80)))
            .collect();
        out.push_str(&format!("\n\nSuggested: {}", s.join(" · ")));
    }
    truncate(&out, 1800)
}

/// Posts every unposted item to the moderators' channel. Returns how many were posted.
pub async fn post_pending(bot: &Bot) -> anyhow::Result<usize> {
    let Some(channel) = bot.settings.mod_channel_id.map(ChannelId::new) else {
        return Ok(0);
    };
    let store = bot.curation.engine().store();
    let mut posted = 0;
    for item in store.unposted_review_items(PLATFORM).await? {
        if !store
            .claim_review_post(item.id, &bot.instance, now_ms() + POST_LEASE_MS)
            .await?
        {
            continue;
        }
        let view = bot.curation.item_view(item).await?;
        let m = super::build::message(&render(&view), &format!("rv{}", view.item.id))
            .components(buttons(&view));
        let message = bot.rest.create_message(channel, &m).await?;
        store
            .record_review_posted(view.item.id, &channel.to_string(), &message.id.to_string())
            .await?;
        posted += 1;
    }
    Ok(posted)
}

/// Enqueues what the sweep finds (unanswered questions, snippets due), then posts.
pub async fn sweep_and_post(bot: &Bot) -> anyhow::Result<usize> {
    let store = bot.curation.engine().store();
    queue::sweep(&**store, bot.curation.settings(), PLATFORM, now_ms()).await?;
    post_pending(bot).await
}

pub async fn on_click(bot: &Bot, click: &ComponentInteraction) -> Handled {
    let id = click.id.get();
    match clicked(bot, click).await {
        Ok(()) => Handled::Moderated { id },
        Err(e) => Handled::failed(id, &e),
    }
}

async fn clicked(bot: &Bot, click: &ComponentInteraction) -> anyhow::Result<()> {
    let who = actor(
        click.guild_id,
        click.member.as_ref(),
        &click.user,
        &bot.settings.moderator_role_ids,
    );
    let Some((item, button)) = parse_custom_id(&click.data.custom_id) else {
        return message(bot, click, "This button is not one of mine.").await;
    };
    if button != Button::Dismiss {
        // Opening a form changes nothing, but a non-moderator is told (and audited) now,
        // not after filling it in; an item already resolved says by whom.
        if !bot
            .curation
            .allowed(&who, "review.resolve", &item.to_string())
            .await?
        {
            return message(bot, click, crate::core::curation::NOT_ALLOWED).await;
        }
        let store = bot.curation.engine().store();
        let Some(found) = store.review_item(item).await? else {
            return message(bot, click, &format!("No review item {item}.")).await;
        };
        if let (Some(by), Some(how)) = (&found.resolved_by, &found.resolution) {
            return message(bot, click, &format!("Already resolved by {by}: {how}.")).await;
        }
        let prefill = match button {
            Button::Answer => bot
                .curation
                .item_view(found)
                .await?
                .suggestions
                .first()
                .map(|s| s.0.clone()),
            _ => None,
        };
        let form = modal::review_form(item, button, prefill.as_deref().unwrap_or(""));
        let response = CreateInteractionResponse::Modal(form);
        return Ok(bot
            .rest
            .interaction_callback(click.id, &click.token, &response)
            .await?);
    }
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    bot.rest
        .interaction_callback(click.id, &click.token, &defer)
        .await?;
    let platform = DiscordMod {
        bot,
        channel: click.channel_id,
        guild: click.guild_id,
    };
    let text = match bot
        .curation
        .resolve_item(&who, item, ItemAction::Dismiss, &platform)
        .await
    {
        Ok(Response::Text(t)) => t,
        Ok(Response::Form(_)) => String::new(),
        Err(e) => user_message(&e),
    };
    after_resolve(bot, &who, item).await;
    let edit = EditInteractionResponse::new()
        .content(truncate(&text, 2000))
        .allowed_mentions(no_mentions());
    bot.rest
        .edit_original(click.application_id, &click.token, &edit)
        .await?;
    Ok(())
}

async fn message(bot: &Bot, click: &ComponentInteraction, text: &str) -> anyhow::Result<()> {
    let response = CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    );
    Ok(bot
        .rest
        .interaction_callback(click.id, &click.token, &response)
        .await?)
}

/// When `who` resolved `item` just now, edits its message: who and how, no buttons.
pub async fn after_resolve(bot: &Bot, who: &Actor, item: i64) {
    if let Err(e) = mark_resolved(bot, who, item).await {
        tracing::warn!(item, error = %format!("{e:#}"), "could not mark the review item resolved");
    }
}

async fn mark_resolved(bot: &Bot, who: &Actor, item: i64) -> anyhow::Result<()> {
    let store = bot.curation.engine().store();
    let Some(found) = store.review_item(item).await? else {
        return Ok(());
    };
    if found.resolved_by.as_deref() != Some(who.audit_name().as_str()) {
        return Ok(());
    }
    edit_resolved(bot, found, &who.name).await
}

/// An item resolved by `/advice answer` or `recategorize` rather than its own buttons: edits
/// its message the same way, naming the moderator as the audit log does.
pub async fn resolved_elsewhere(bot: &Bot, item: i64) {
    let edited = async {
        let store = bot.curation.engine().store();
        match store.review_item(item).await? {
            Some(found) if found.platform == PLATFORM => {
                let by = found.resolved_by.clone().unwrap_or_default();
                edit_resolved(bot, found, &by).await
            }
            _ => Ok(()),
        }
    };
    if let Err(e) = edited.await {
        tracing::warn!(item, error = %format!("{e:#}"), "could not mark the review item resolved");
    }
}

async fn edit_resolved(bot: &Bot, found: ReviewItem, by: &str) -> anyhow::Result<()> {
    let ReviewItem {
        posted_channel: Some(c),
        posted_message_id: Some(m),
        ..
    } = &found
    else {
        return Ok(());
    };
    let (channel, message): (ChannelId, MessageId) = (snowflake(c)?, snowflake(m)?);
    let how = found.resolution.clone().unwrap_or_default();
    let view = bot.curation.item_view(found).await?;
    let content = format!("{}\n\n**Resolved** by {by}: {how}.", render(&view));
    let edit = EditMessage::new()
        .content(truncate(&content, 2000))
        .components(Vec::new())
        .allowed_mentions(no_mentions());
    bot.rest.edit_message(channel, message, &edit).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_reject_junk() {
        for b in [Button::Answer, Button::Recategorize, Button::Dismiss] {
            assert_eq!(
                parse_custom_id(&custom_id(i64::MAX, b)),
                Some((i64::MAX, b))
            );
        }
        for junk in [
            "",
            "rv",
            "rv:1",
            "rv:x:dismiss",
            "rv:1:nope",
            "fb:1:dismiss",
            "rv:1:dismiss:2",
        ] {
            assert_eq!(parse_custom_id(junk), None, "{junk}");
        }
    }
}

//! Modals: the snippet form (`/advice add`, `/advice edit`) and the small forms behind a review
//! item's Answer and Recategorize buttons, and what happens when one is submitted.
//!
//! Custom ids carry what the submit needs (`adv:add`, `adv:edit:<snippet>`,
//! `rvm:<item>:answer|recat`), so nothing is kept in memory between opening and submitting. A
//! submit is an action of its own: rights are checked again from the submitting interaction
//! (someone may have lost the role while the form was open).

use super::build::no_mentions;
use super::moderator::actor;
use super::platform::DiscordMod;
use super::{review, Bot, Handled};
use crate::core::curation::{user_message, ItemAction, Response, SnippetForm};
use crate::domain::UserError;
use serenity::all::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateModal, EditInteractionResponse, InputTextStyle,
    ModalInteraction,
};
use std::collections::HashMap;

/// Discord's limits on a modal.
pub const CUSTOM_ID_CHARS: usize = 100;
pub const TITLE_CHARS: usize = 45;
pub const VALUE_CHARS: usize = 4000;

const ADD: &str = "adv:add";
const EDIT: &str = "adv:edit:";

fn input(id: &str, label: &str, style: InputTextStyle, value: &str, max: u16) -> CreateActionRow {
    let mut i = CreateInputText::new(style, label, id).max_length(max);
    if !value.is_empty() {
        i = i.value(super::text::truncate(
            value,
            usize::from(max).min(VALUE_CHARS),
        ));
    }
    CreateActionRow::InputText(i)
}

fn optional(row: CreateActionRow) -> CreateActionRow {
    match row {
        CreateActionRow::InputText(i) => CreateActionRow::InputText(i.required(false)),
        other => other,
    }
}

/// The five-field snippet form, prefilled when editing.
pub fn snippet_form(form: &SnippetForm) -> Result<CreateModal, UserError> {
    let (custom_id, title) = match &form.id {
        Some(id) => (
            format!("{EDIT}{id}"),
            super::text::truncate(&format!("Edit {id}"), TITLE_CHARS),
        ),
        None => (
            ADD.to_owned(),
            "Add a snippet (saved as a draft)".to_owned(),
        ),
    };
    if custom_id.chars().count() > CUSTOM_ID_CHARS {
        return Err(UserError::new(
            "that snippet id is too long to edit in a form",
        ));
    }
    use InputTextStyle::{Paragraph, Short};
    Ok(CreateModal::new(custom_id, title).components(vec![
        input("title", "Title", Short, &form.title, 120),
        input(
            "body",
            "Advice (our own words)",
            Paragraph,
            &form.body,
            1500,
        ),
        input(
            "categories",
            "Categories, main one first",
            Short,
            &form.categories,
            200,
        ),
        optional(input(
            "tags",
            "Tags, comma-separated",
            Short,
            &form.tags,
            200,
        )),
        optional(input(
            "source",
            "Source: title and https:// address",
            Short,
            &form.source,
            400,
        )),
    ]))
}

/// The form behind a review item's Answer or Recategorize button.
pub fn review_form(item: i64, action: review::Button, prefill: &str) -> CreateModal {
    let (kind, title, label, placeholder) = match action {
        review::Button::Answer => (
            "answer",
            "Answer with a snippet",
            "Snippet id",
            "an approved snippet's id",
        ),
        _ => (
            "recat",
            "Recategorize the question",
            "Category",
            "a category id, or other",
        ),
    };
    let mut i = CreateInputText::new(InputTextStyle::Short, label, "value")
        .max_length(100)
        .placeholder(placeholder);
    if !prefill.is_empty() {
        i = i.value(prefill);
    }
    CreateModal::new(format!("rvm:{item}:{kind}"), title)
        .components(vec![CreateActionRow::InputText(i)])
}

/// The submitted values by input id.
fn values(m: &ModalInteraction) -> HashMap<String, String> {
    m.data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .filter_map(|c| match c {
            ActionRowComponent::InputText(t) => {
                Some((t.custom_id.clone(), t.value.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

pub async fn on_submit(bot: &Bot, m: &ModalInteraction) -> Handled {
    let id = m.id.get();
    match submit(bot, m).await {
        Ok(()) => Handled::Moderated { id },
        Err(e) => Handled::failed(id, &e),
    }
}

async fn submit(bot: &Bot, m: &ModalInteraction) -> anyhow::Result<()> {
    let who = actor(
        m.guild_id,
        m.member.as_ref(),
        &m.user,
        &bot.settings.moderator_role_ids,
    );
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    bot.rest
        .interaction_callback(m.id, &m.token, &defer)
        .await?;
    let values = values(m);
    let value = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let custom_id = m.data.custom_id.as_str();
    let platform = DiscordMod {
        bot,
        channel: m.channel_id,
        guild: m.guild_id,
    };
    let result = if custom_id == ADD || custom_id.starts_with(EDIT) {
        let form = SnippetForm {
            id: custom_id.strip_prefix(EDIT).map(str::to_owned),
            title: value("title"),
            body: value("body"),
            categories: value("categories"),
            tags: value("tags"),
            source: value("source"),
        };
        bot.curation
            .save_form(&who, &form)
            .await
            .map(Response::Text)
    } else if let Some((item, action)) = review_modal(custom_id, &value("value")) {
        let r = bot
            .curation
            .resolve_item(&who, item, action, &platform)
            .await;
        review::after_resolve(bot, &who, item).await;
        r
    } else {
        Ok(Response::Text("This form is not one of mine.".into()))
    };
    let text = match result {
        Ok(Response::Text(t)) => t,
        Ok(Response::Form(_)) => String::new(),
        Err(e) => user_message(&e),
    };
    let edit = EditInteractionResponse::new()
        .content(super::text::truncate(&text, 2000))
        .allowed_mentions(no_mentions());
    bot.rest
        .edit_original(m.application_id, &m.token, &edit)
        .await?;
    Ok(())
}

/// `rvm:<item>:answer|recat` and the value typed in.
fn review_modal(custom_id: &str, value: &str) -> Option<(i64, ItemAction)> {
    let mut it = custom_id.split(':');
    let (prefix, item, kind) = (it.next()?, it.next()?, it.next()?);
    if prefix != "rvm" || it.next().is_some() {
        return None;
    }
    let action = match kind {
        "answer" => ItemAction::Answer(value.to_owned()),
        "recat" => ItemAction::Recategorize(value.to_owned()),
        _ => return None,
    };
    Some((item.parse().ok()?, action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_fit_discord_modal_limits() {
        let form = SnippetForm {
            id: Some("x".repeat(80)),
            body: "b".repeat(5000),
            ..Default::default()
        };
        let v = serde_json::to_value(snippet_form(&form).unwrap()).unwrap();
        assert!(v["custom_id"].as_str().unwrap().len() <= CUSTOM_ID_CHARS);
        assert!(v["title"].as_str().unwrap().chars().count() <= TITLE_CHARS);
        let rows = v["components"].as_array().unwrap();
        assert_eq!(rows.len(), 5);
        for row in rows {
            let input = &row["components"][0];
            assert_eq!(input["type"], 4);
            assert!(input["label"].as_str().unwrap().chars().count() <= 45);
            assert!(input["value"].as_str().map_or(0, |s| s.chars().count()) <= VALUE_CHARS);
        }
        assert_eq!(
            rows[0]["components"][0].get("value"),
            None,
            "empty values are left out"
        );
        assert!(snippet_form(&SnippetForm {
            id: Some("y".repeat(99)),
            ..Default::default()
        })
        .is_err());
    }

    #[test]
    fn review_modal_ids_round_trip() {
        let v = serde_json::to_value(review_form(12, review::Button::Answer, "quit-well")).unwrap();
        assert_eq!(v["custom_id"], "rvm:12:answer");
        assert_eq!(
            review_modal("rvm:12:answer", "s"),
            Some((12, ItemAction::Answer("s".into())))
        );
        assert_eq!(
            review_modal("rvm:3:recat", "quitting"),
            Some((3, ItemAction::Recategorize("quitting".into())))
        );
        for junk in [
            "rvm:x:answer",
            "rvm:1:dismiss",
            "rv:1:answer",
            "rvm:1:answer:2",
        ] {
            assert_eq!(review_modal(junk, "v"), None, "{junk}");
        }
    }
}

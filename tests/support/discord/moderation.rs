//! Driving the fake as moderators would: members with roles and permissions, `/advice`
//! subcommands (checked against what the bot registered, as Discord's client does), and
//! submitting the modals the bot opened.

use super::actions::new_interaction;
use super::state::{Access, State, User};
use super::{gateway, payloads, FakeDiscord};
use serde_json::{json, Value};

/// Manage Messages, as Discord's permission bits have it.
pub const MANAGE_MESSAGES: u64 = 1 << 13;

/// Puts what `user` holds into an interaction's `member`.
pub fn apply_access(s: &State, payload: &mut Value, user: u64) {
    if let Some(a) = s.members.get(&user) {
        let roles: Vec<String> = a.roles.iter().map(u64::to_string).collect();
        payload["member"]["roles"] = json!(roles);
        payload["member"]["permissions"] = json!(a.permissions.to_string());
    }
}

impl FakeDiscord {
    /// Gives `user` these roles and exactly these permission bits in the guild.
    pub fn set_access(&self, user: &User, roles: &[u64], permissions: u64) {
        self.change(|s| {
            s.members.insert(
                user.id,
                Access {
                    roles: roles.to_vec(),
                    permissions,
                },
            )
        });
    }

    /// A new role id.
    pub fn role(&self) -> u64 {
        self.change(State::id)
    }

    /// `who` runs `/advice <sub>` with `options` (name, value) in `channel`; returns the
    /// interaction id. Panics when the registered command has no such subcommand or option, or
    /// a required option is missing: Discord's client would not send that.
    pub fn advice(&self, who: &User, channel: u64, sub: &str, options: &[(&str, &str)]) -> u64 {
        self.change(|s| {
            let (command_id, def) = s
                .commands
                .iter()
                .map(|(_, c)| c)
                .find(|c| c["name"] == "advice")
                .map(|c| (c["id"].as_str().unwrap().parse::<u64>().unwrap(), c.clone()))
                .expect("/advice is registered");
            let sub_def = def["options"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["name"] == sub)
                .unwrap_or_else(|| panic!("/advice has no subcommand {sub}"))
                .clone();
            let defs = sub_def["options"].as_array().cloned().unwrap_or_default();
            for d in &defs {
                let given = options.iter().any(|(n, _)| d["name"] == *n);
                assert!(
                    given || d["required"] != true,
                    "missing required {}",
                    d["name"]
                );
            }
            let values: Vec<Value> = options
                .iter()
                .map(|(name, value)| {
                    let d = defs
                        .iter()
                        .find(|d| d["name"] == *name)
                        .unwrap_or_else(|| panic!("/advice {sub} has no option {name}"));
                    json!({"name": name, "type": d["type"], "value": value})
                })
                .collect();
            let (id, token) = new_interaction(s, 2, channel);
            let channel = s.channels[&channel].clone();
            let slash = payloads::Slash {
                id,
                app_id: self.inner.app_id,
                token: &token,
                guild: self.inner.guild,
                channel: &channel,
                who,
                command_id,
                options: json!([{"name": sub, "type": 1, "options": values}]),
            };
            let mut payload = payloads::slash_command(&slash);
            payload["data"]["name"] = json!("advice");
            apply_access(s, &mut payload, who.id);
            gateway::broadcast(s, self.inner.bot.id, "INTERACTION_CREATE", &payload);
            id
        })
    }

    /// The modal the bot opened in answer to interaction `opened`.
    pub fn modal(&self, opened: u64) -> Value {
        let response = self.interaction(opened).and_then(|i| i.response);
        let response = response.unwrap_or_else(|| panic!("interaction {opened} got no response"));
        assert_eq!(response["type"], 9, "not a modal: {response}");
        response["data"].clone()
    }

    /// `who` submits the modal opened by interaction `opened`, changing the fields in `values`
    /// (others keep their prefilled value). Panics on what Discord's client would refuse: an
    /// unknown field, an empty required one, a value over its maximum.
    pub fn submit_modal(&self, who: &User, opened: u64, values: &[(&str, &str)]) -> u64 {
        let modal = self.modal(opened);
        let channel = self.interaction(opened).unwrap().channel;
        let mut rows = Vec::new();
        let inputs: Vec<Value> = modal["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["components"][0].clone())
            .collect();
        for (name, _) in values {
            assert!(
                inputs.iter().any(|i| i["custom_id"] == *name),
                "no field {name}"
            );
        }
        for input in &inputs {
            let id = input["custom_id"].as_str().unwrap();
            let value = values
                .iter()
                .find(|(n, _)| *n == id)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_else(|| input["value"].as_str().unwrap_or("").to_owned());
            let n = value.chars().count() as u64;
            assert!(n > 0 || input["required"] == false, "{id} is required");
            assert!(
                input["max_length"].as_u64().map_or(true, |m| n <= m),
                "{id} too long"
            );
            rows.push(
                json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}),
            );
        }
        self.change(|s| {
            let (id, token) = new_interaction(s, 5, channel);
            let channel = s.channels[&channel].clone();
            let mut payload = payloads::interaction(
                id,
                5,
                self.inner.app_id,
                &token,
                self.inner.guild,
                &channel,
                who,
            );
            payload["data"] = json!({"custom_id": modal["custom_id"], "components": rows});
            apply_access(s, &mut payload, who.id);
            gateway::broadcast(s, self.inner.bot.id, "INTERACTION_CREATE", &payload);
            id
        })
    }

    /// What the user was shown for an interaction (the message, or the deferred edit), and
    /// whether only they could see it.
    pub fn shown(&self, interaction: u64) -> Option<(String, bool)> {
        let i = self.interaction(interaction)?;
        let response = i.response?;
        let ephemeral = response["data"]["flags"]
            .as_u64()
            .is_some_and(|f| f & 64 != 0);
        let text = match response["type"].as_u64() {
            Some(4) => response["data"]["content"].as_str()?.to_owned(),
            Some(5) => i.edit?["content"].as_str()?.to_owned(),
            _ => return None,
        };
        Some((text, ephemeral))
    }

    /// Waits until interaction `id` shows its user something; returns it.
    pub async fn wait_shown(&self, id: u64) -> (String, bool) {
        self.wait_for(&format!("a response to interaction {id}"), |s| {
            let i = s.interactions.get(&id)?;
            let r = i.response.as_ref()?;
            let ephemeral = r["data"]["flags"].as_u64().is_some_and(|f| f & 64 != 0);
            match r["type"].as_u64() {
                Some(4) => Some((r["data"]["content"].as_str()?.to_owned(), ephemeral)),
                Some(5) => Some((i.edit.as_ref()?["content"].as_str()?.to_owned(), ephemeral)),
                _ => None,
            }
        })
        .await
    }
}

//! Who is a moderator on Slack, decided on the server for every action from the user id of
//! the verified request (a signed Events API request, or a Socket Mode envelope), never from
//! anything typed: a user in `moderator_user_ids`, or a member of `moderator_usergroup`.
//!
//! Group membership is read with `usergroups.users.list` and kept for `GROUP_CACHE` (30 s), so
//! a burst of button clicks makes one call; someone removed from the group keeps moderator
//! rights for at most that long. If Slack can't be asked, the user is not a moderator (the
//! check fails closed) and the cache is left empty, so the next action asks again.

use super::app::Slack;
use super::events::PLATFORM;
use crate::domain::Actor;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

pub const GROUP_CACHE: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct GroupCache(Mutex<Option<(Instant, HashSet<String>)>>);

impl Slack {
    /// The actor behind a verified request by `user_id`.
    pub(super) async fn actor(&self, user_id: &str) -> Actor {
        let is_moderator = self.is_moderator(user_id).await;
        let name = match self.api.user_name(user_id).await {
            Ok(n) => n,
            Err(e) => {
                tracing::debug!(error = %e, "users.info failed; naming the actor by id");
                user_id.to_owned()
            }
        };
        Actor {
            platform: PLATFORM.into(),
            user_id: user_id.to_owned(),
            name,
            is_moderator,
        }
    }

    async fn is_moderator(&self, user_id: &str) -> bool {
        if self.config.moderator_user_ids.iter().any(|u| u == user_id) {
            return true;
        }
        let Some(group) = self.config.moderator_usergroup.as_deref() else {
            return false;
        };
        let mut cache = self.groups.0.lock().await;
        if let Some((at, members)) = cache.as_ref() {
            if at.elapsed() < GROUP_CACHE {
                return members.contains(user_id);
            }
        }
        match self.api.usergroup_members(group).await {
            Ok(members) => {
                let members: HashSet<String> = members.into_iter().collect();
                let found = members.contains(user_id);
                *cache = Some((Instant::now(), members));
                found
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the moderators' user group; refusing");
                *cache = None;
                false
            }
        }
    }
}

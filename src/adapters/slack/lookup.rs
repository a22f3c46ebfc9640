//! Web API reads for moderators: user-group membership, display names, and one message by ts.

use super::api::WebApi;
use crate::core::curation::FetchedMessage;
use slack_morphism::prelude::*;

impl WebApi {
    /// The user ids in a user group (`usergroups.users.list`, scope `usergroups:read`).
    pub async fn usergroup_members(&self, group: &str) -> anyhow::Result<Vec<String>> {
        let req = SlackApiUserGroupsUsersListRequest::new(group.into());
        let req = &req;
        let res = self
            .call("usergroups.users.list", || async move {
                self.session().usergroups_users_list(req).await
            })
            .await?;
        Ok(res.users.into_iter().map(|u| u.0).collect())
    }

    /// A user's display name (`users.info`): display name, else real name, else handle.
    pub async fn user_name(&self, user: &str) -> anyhow::Result<String> {
        let req = SlackApiUsersInfoRequest::new(user.into());
        let req = &req;
        let res = self
            .call("users.info", || async move {
                self.session().users_info(req).await
            })
            .await?;
        let u = res.user;
        let profile = u.profile.as_ref();
        let candidates = [
            profile.and_then(|p| p.display_name.clone()),
            profile.and_then(|p| p.real_name.clone()),
            u.real_name.clone(),
            u.name.clone(),
        ];
        Ok(candidates
            .into_iter()
            .flatten()
            .find(|n| !n.trim().is_empty())
            .unwrap_or(u.id.0))
    }

    /// The message `ts` in `channel`, top-level or a thread reply. `conversations.replies`
    /// accepts any message of a thread and answers with the thread; a message in no thread
    /// comes back alone. If Slack can't find a thread for it, `conversations.history` with an
    /// inclusive `latest` reads it instead.
    pub async fn message(
        &self,
        channel: &str,
        ts: &str,
    ) -> anyhow::Result<Option<SlackHistoryMessage>> {
        let req = SlackApiConversationsRepliesRequest::new(channel.into(), ts.into())
            .with_latest(ts.into())
            .with_inclusive(true)
            .with_limit(100);
        let req = &req;
        let replies = self
            .call("conversations.replies", || async move {
                self.session().conversations_replies(req).await
            })
            .await;
        let messages = match replies {
            Ok(r) => r.messages,
            Err(e) => {
                tracing::debug!(error = %e, "conversations.replies failed; trying history");
                let req = SlackApiConversationsHistoryRequest::new()
                    .with_channel(channel.into())
                    .with_latest(ts.into())
                    .with_inclusive(true)
                    .with_limit(1);
                let req = &req;
                self.call("conversations.history", || async move {
                    self.session().conversations_history(req).await
                })
                .await?
                .messages
            }
        };
        Ok(messages.into_iter().find(|m| m.origin.ts.0 == ts))
    }

    /// Reads a message for `promote`: its author's name, text, thread and permalink.
    pub async fn fetch(&self, channel: &str, ts: &str) -> anyhow::Result<Option<FetchedMessage>> {
        let Some(m) = self.message(channel, ts).await? else {
            return Ok(None);
        };
        let Some(author_id) = m.sender.user.as_ref().map(|u| u.0.clone()) else {
            return Ok(None); // a bot's or an app's message: nobody to credit
        };
        let author_name = self.user_name(&author_id).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "users.info failed; crediting the user id");
            author_id.clone()
        });
        let thread_id = m
            .origin
            .thread_ts
            .as_ref()
            .map(|t| super::poster::key(channel, &t.0));
        let link = self.permalink(channel, ts).await.ok();
        Ok(Some(FetchedMessage {
            author_id,
            author_name,
            text: unescape(m.content.text.as_deref().unwrap_or_default()),
            thread_id,
            link,
        }))
    }
}

/// Slack sends message text with `&`, `<` and `>` escaped; a snippet stores plain text (it is
/// escaped again wherever it is shown).
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn unescape_undoes_slack_escaping_once() {
        assert_eq!(
            super::unescape("a &amp;lt; b &lt;!here&gt;"),
            "a &lt; b <!here>"
        );
    }
}

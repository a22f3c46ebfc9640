/// Who is acting: a platform user, and whether the platform says they are a moderator.
///
/// `is_moderator` is computed by the adapter from what the platform itself reports for this
/// very action (Discord: the member's roles and permissions in the interaction; Slack: the
/// configured user ids and user group membership), never from anything the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub platform: String,
    pub user_id: String,
    /// A display name, for crediting and audit lines.
    pub name: String,
    pub is_moderator: bool,
}

impl Actor {
    /// How the actor appears in the audit log and in "already resolved by ...".
    pub fn audit_name(&self) -> String {
        format!("{}:{} ({})", self.platform, self.user_id, self.name)
    }
}

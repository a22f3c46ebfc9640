use super::UserError;
use serde::{Deserialize, Serialize};

/// The id of the "no confident category" class. It is never stored as a category row.
pub const OTHER: &str = "other";

/// A category id: lowercase ASCII letters, digits and `_`, 1 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryId(String);

impl CategoryId {
    pub fn parse(s: &str) -> Result<Self, UserError> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(UserError::new(format!(
                "invalid category id {s:?}: use 1-40 lowercase letters, digits or '_'"
            )))
        }
    }

    pub fn other() -> Self {
        Self(OTHER.to_owned())
    }

    pub fn is_other(&self) -> bool {
        self.0 == OTHER
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CategoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CategoryId {
    type Error = UserError;
    fn try_from(s: String) -> Result<Self, UserError> {
        Self::parse(&s)
    }
}

impl From<CategoryId> for String {
    fn from(c: CategoryId) -> String {
        c.0
    }
}

/// A category moderators can file questions and snippets under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    /// Human name used in replies, e.g. "switching roles".
    pub name: String,
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_are_checked() {
        assert!(CategoryId::parse("role_switch").is_ok());
        for bad in ["", "Role", "a-b", "spaces here", &"x".repeat(41)] {
            assert!(CategoryId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}

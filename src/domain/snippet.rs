use super::{CategoryId, UserError};
use serde::{Deserialize, Serialize};

/// Where a snippet's advice comes from. `url` is empty when the address is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SnippetStatus {
    Draft,
    Approved,
    Retired,
}

impl SnippetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
            Self::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Result<Self, UserError> {
        match s {
            "draft" => Ok(Self::Draft),
            "approved" => Ok(Self::Approved),
            "retired" => Ok(Self::Retired),
            _ => Err(UserError::new(format!(
                "unknown status {s:?}: use draft, approved or retired"
            ))),
        }
    }
}

/// A curated piece of advice. Only `Approved` snippets are served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub id: String,
    pub title: String,
    pub body: String,
    /// The first category is the snippet's main one.
    pub categories: Vec<CategoryId>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub source: Source,
    pub status: SnippetStatus,
    pub author: String,
    /// Date (YYYY-MM-DD) a moderator last checked the snippet.
    pub reviewed: String,
    /// Moderator pin: pinned snippets rank first within their categories.
    #[serde(default)]
    pub pinned: bool,
}

impl Snippet {
    pub fn validate(&self) -> Result<(), UserError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 80
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(UserError::new(format!(
                "invalid snippet id {:?}: use 1-80 lowercase letters, digits or '-'",
                self.id
            )));
        }
        if self.title.trim().is_empty() || self.title.chars().count() > 120 {
            return Err(UserError::new("a snippet title must be 1-120 characters"));
        }
        if self.body.trim().is_empty() || self.body.chars().count() > 1500 {
            return Err(UserError::new("a snippet body must be 1-1500 characters"));
        }
        if self.categories.is_empty() || self.categories.iter().any(CategoryId::is_other) {
            return Err(UserError::new(
                "a snippet needs at least one category, and 'other' is not one",
            ));
        }
        if self.source.title.trim().is_empty() {
            return Err(UserError::new("a snippet must credit its source by title"));
        }
        if !self.source.url.is_empty() && !self.source.url.starts_with("https://") {
            return Err(UserError::new("a source url must start with https://"));
        }
        if chrono::NaiveDate::parse_from_str(&self.reviewed, "%Y-%m-%d").is_err() {
            return Err(UserError::new(format!(
                "reviewed {:?} is not a date (YYYY-MM-DD)",
                self.reviewed
            )));
        }
        Ok(())
    }
}

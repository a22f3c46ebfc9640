use super::{CategoryId, UserError};
use serde::{Deserialize, Serialize};

/// The longest question we accept, in characters. Slack allows long messages, Discord 4,000 for
/// some users; anything beyond this is not a question but a paste.
pub const MAX_QUESTION_CHARS: usize = 20_000;

/// Question text that is non-empty, not too long and free of NUL bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionText(String);

impl QuestionText {
    pub fn parse(s: &str) -> Result<Self, UserError> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(UserError::new("the question is empty"));
        }
        let chars = trimmed.chars().count();
        if chars > MAX_QUESTION_CHARS {
            return Err(UserError::new(format!(
                "the question is too long ({chars} characters; the limit is {MAX_QUESTION_CHARS})"
            )));
        }
        if trimmed.contains('\0') {
            return Err(UserError::new("the question contains a NUL byte"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A labeled example question the classifier trains on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub id: String,
    pub text: String,
    /// Every category that applies; empty means `other`.
    pub labels: Vec<CategoryId>,
    /// The category a moderator would file it under (`other` when `labels` is empty).
    pub primary: CategoryId,
}

impl Example {
    /// Checks the invariants between `labels` and `primary` and the text itself.
    pub fn validate(&self) -> Result<(), UserError> {
        if self.id.trim().is_empty() || self.id.len() > 100 {
            return Err(UserError::new("example id must be 1-100 characters"));
        }
        QuestionText::parse(&self.text)?;
        if self.labels.iter().any(CategoryId::is_other) {
            return Err(UserError::new(
                "'other' is not a label: leave labels empty instead",
            ));
        }
        let consistent = if self.labels.is_empty() {
            self.primary.is_other()
        } else {
            self.labels.contains(&self.primary)
        };
        if !consistent {
            return Err(UserError::new(format!(
                "primary {:?} must be one of the labels (or 'other' with no labels)",
                self.primary.as_str()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_text_rejects_empty_huge_and_nul() {
        assert!(QuestionText::parse("  \n\t ").is_err());
        assert!(QuestionText::parse(&"a".repeat(MAX_QUESTION_CHARS + 1)).is_err());
        assert!(QuestionText::parse("a\0b").is_err());
        assert_eq!(QuestionText::parse("  hi? ").unwrap().as_str(), "hi?");
    }

    #[test]
    fn example_primary_must_match_labels() {
        let c = |s: &str| CategoryId::parse(s).unwrap();
        let mut e = Example {
            id: "x".into(),
            text: "Should I leave?".into(),
            labels: vec![c("quitting")],
            primary: c("quitting"),
        };
        assert!(e.validate().is_ok());
        e.primary = c("role_switch");
        assert!(e.validate().is_err());
        e.labels.clear();
        e.primary = CategoryId::other();
        assert!(e.validate().is_ok());
    }
}

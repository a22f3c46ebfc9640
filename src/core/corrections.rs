//! Moderators' corrections: questions a moderator recategorized. Each one is stored as a
//! training example (id prefix `correction-`), so the classifier retrains on it. Retraining alone
//! barely moves a model trained on thousands of examples, and the vocabulary keeps only n-grams
//! seen twice, so a correction also acts directly: a new question whose words mostly match a
//! corrected one (Jaccard similarity of their content-word sets ≥ `MIN_SIMILARITY`) is filed
//! under the moderator's category.

use super::text::{is_stopword, tokens};
use crate::domain::{CategoryId, Example};
use std::collections::BTreeSet;

/// Id prefix of examples that came from a moderator's correction.
pub const PREFIX: &str = "correction-";

/// How alike two questions' content words must be for a correction to apply.
pub const MIN_SIMILARITY: f32 = 0.5;

#[derive(Debug, Default)]
pub struct Corrections {
    entries: Vec<(BTreeSet<String>, Example)>,
}

fn words(text: &str) -> BTreeSet<String> {
    tokens(text)
        .into_iter()
        .filter(|t| !is_stopword(t))
        .collect()
}

impl Corrections {
    pub fn from_examples(examples: &[Example]) -> Self {
        let entries = examples
            .iter()
            .filter(|e| e.id.starts_with(PREFIX))
            .map(|e| (words(&e.text), e.clone()))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        Self { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The most similar correction, if one is similar enough: its labels and the similarity.
    pub fn lookup(&self, text: &str) -> Option<(&Example, f32)> {
        if self.entries.is_empty() {
            return None;
        }
        let w = words(text);
        self.entries
            .iter()
            .map(|(cw, e)| {
                let inter = cw.intersection(&w).count() as f32;
                let union = cw.union(&w).count() as f32;
                (e, if union > 0.0 { inter / union } else { 0.0 })
            })
            .filter(|(_, sim)| *sim >= MIN_SIMILARITY)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// The example id for a moderator's correction of one stored question.
pub fn example_id(platform: &str, question_id: i64) -> String {
    format!("{PREFIX}{platform}-{question_id}")
}

/// Labels for a correction to `category` (`other` means no labels).
pub fn labels(category: &CategoryId) -> Vec<CategoryId> {
    if category.is_other() {
        Vec::new()
    } else {
        vec![category.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_similar_question_finds_the_correction_and_an_unrelated_one_does_not() {
        let cat = CategoryId::parse("role_switch").unwrap();
        let examples = vec![
            Example {
                id: example_id("discord", 7),
                text: "Should I take a sabbatical to retrain as a pottery teacher?".into(),
                labels: labels(&cat),
                primary: cat.clone(),
            },
            Example {
                id: "plain-1".into(),
                text: "How do I negotiate salary?".into(),
                labels: vec![],
                primary: CategoryId::other(),
            },
        ];
        let c = Corrections::from_examples(&examples);
        assert_eq!(c.len(), 1);
        let (e, sim) = c
            .lookup("Would a sabbatical to retrain as a pottery teacher be wise?")
            .unwrap();
        assert_eq!(e.primary, cat);
        assert!(sim >= MIN_SIMILARITY);
        assert!(c.lookup("How do I negotiate salary?").is_none());
    }
}

//! The answer pipeline with its state: categories, the trained classifier and the snippet index,
//! loaded from the store and swapped atomically when moderators change knowledge or examples.
//! Answering is synchronous and lock-free apart from cloning one `Arc`.

use super::classify::{Classification, Classifier, ClassifierConfig};
use super::compose::{compose, MAX_SNIPPETS};
use super::corrections::Corrections;
use super::retrieve::SnippetIndex;
use super::templates::Templates;
use crate::domain::{Category, CategoryId, Example, QuestionText, Reply};
use crate::store::Store;
use std::sync::{Arc, RwLock};

/// What the pipeline produced for one question.
#[derive(Debug, Clone)]
pub struct Answer {
    pub classification: Classification,
    pub reply: Reply,
}

struct State {
    categories: Vec<Category>,
    classifier: Arc<Classifier>,
    index: Arc<SnippetIndex>,
    corrections: Arc<Corrections>,
}

impl State {
    /// The classifier's verdict, unless a moderator corrected a question very like this one.
    fn classify(&self, text: &str) -> Classification {
        let mut c = self.classifier.classify(text);
        if let Some((e, similarity)) = self.corrections.lookup(text) {
            c.primary = e.primary.clone();
            c.labels = e.labels.clone();
            c.confidence = similarity;
        }
        c
    }
}

pub struct Engine {
    store: Arc<dyn Store>,
    config: ClassifierConfig,
    templates: Templates,
    state: RwLock<Arc<State>>,
    /// Held while reloading, so a slow retrain can't swap in snippets older than a quick
    /// index rebuild that started after it.
    reloading: tokio::sync::Mutex<()>,
}

impl Engine {
    /// Seeds an empty store with the built-in knowledge, then loads and trains.
    pub async fn open(
        store: Arc<dyn Store>,
        config: ClassifierConfig,
        templates: Templates,
    ) -> sqlx::Result<Self> {
        if store.seed_if_empty(&crate::knowledge::builtin()).await? {
            tracing::info!("seeded a fresh database with the built-in knowledge");
        }
        let state = load(&*store, &config).await?;
        Ok(Self {
            store,
            config,
            templates,
            state: RwLock::new(Arc::new(state)),
            reloading: tokio::sync::Mutex::new(()),
        })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    fn state(&self) -> Arc<State> {
        self.state.read().expect("state lock poisoned").clone()
    }

    /// Category ids known to the store (not including `other`).
    pub fn category_ids(&self) -> Vec<CategoryId> {
        self.state()
            .categories
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    /// The calibrated abstain threshold.
    pub fn abstain_threshold(&self) -> f32 {
        self.state().classifier.threshold()
    }

    pub fn classify(&self, text: &QuestionText) -> Classification {
        self.state().classify(text.as_str())
    }

    /// The known categories (not including `other`).
    pub fn categories(&self) -> Vec<Category> {
        self.state().categories.clone()
    }

    /// Classifies, retrieves and composes: the whole pipeline for one question.
    pub fn answer(&self, text: &QuestionText) -> Answer {
        let state = self.state();
        let classification = state.classify(text.as_str());
        let hits = state
            .index
            .search(text.as_str(), &classification.labels, MAX_SNIPPETS);
        let ranked: Vec<_> = hits
            .iter()
            .map(|h| (&**state.index.snippet(h), h.score))
            .collect();
        let name = state
            .categories
            .iter()
            .find(|c| c.id == classification.primary)
            .map_or(classification.primary.as_str(), |c| c.name.as_str());
        let reply = compose(&classification, &ranked, name, &self.templates);
        Answer {
            classification,
            reply,
        }
    }

    /// The reply a moderator chose: `snippet` (approved) for this question, under the snippet's
    /// main category, with that category's disclaimer.
    pub fn answer_with_snippet(
        &self,
        text: &QuestionText,
        snippet: &crate::domain::Snippet,
    ) -> Answer {
        let state = self.state();
        let mut classification = state.classify(text.as_str());
        if let Some(main) = snippet.categories.first() {
            classification.primary = main.clone();
            classification.labels = snippet.categories.clone();
        }
        let name = state
            .categories
            .iter()
            .find(|c| c.id == classification.primary)
            .map_or(classification.primary.as_str(), |c| c.name.as_str());
        let reply = compose(&classification, &[(snippet, 1.0)], name, &self.templates);
        Answer {
            classification,
            reply,
        }
    }

    /// Up to `k` approved snippets that fit `text` best, for moderators picking an answer.
    pub fn suggest(&self, text: &QuestionText, k: usize) -> Vec<Arc<crate::domain::Snippet>> {
        let state = self.state();
        let mut labels = state.classify(text.as_str()).labels;
        if labels.is_empty() {
            labels = state.categories.iter().map(|c| c.id.clone()).collect();
        }
        state
            .index
            .search(text.as_str(), &labels, k)
            .iter()
            .map(|h| state.index.snippet(h).clone())
            .collect()
    }

    /// Stores new labeled examples and retrains in place. Returns how many were new.
    pub async fn add_examples(
        &self,
        examples: &[Example],
        origin: &str,
        actor: &str,
    ) -> sqlx::Result<usize> {
        let added = self.store.add_examples(examples, origin, actor).await?;
        self.reload().await?;
        Ok(added)
    }

    /// Reloads categories, snippets, votes and examples from the store and retrains.
    pub async fn reload(&self) -> sqlx::Result<()> {
        let _one_at_a_time = self.reloading.lock().await;
        let state = load(&*self.store, &self.config).await?;
        *self.state.write().expect("state lock poisoned") = Arc::new(state);
        Ok(())
    }

    /// Rebuilds only the snippet index (snippets and votes), keeping the trained classifier:
    /// what approving or retiring a snippet needs, in milliseconds rather than a retrain.
    pub async fn reload_snippets(&self) -> sqlx::Result<()> {
        let _one_at_a_time = self.reloading.lock().await;
        let snippets = self.store.snippets().await?;
        let votes = self.store.net_votes().await?;
        let index = tokio::task::spawn_blocking(move || {
            SnippetIndex::build(snippets.into_iter().map(Arc::new).collect(), &votes)
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("indexing failed: {e}")))?;
        let old = self.state();
        let state = State {
            categories: old.categories.clone(),
            classifier: old.classifier.clone(),
            index: Arc::new(index),
            corrections: old.corrections.clone(),
        };
        *self.state.write().expect("state lock poisoned") = Arc::new(state);
        Ok(())
    }
}

async fn load(store: &dyn Store, config: &ClassifierConfig) -> sqlx::Result<State> {
    let categories = store.categories().await?;
    let snippets = store.snippets().await?;
    let votes = store.net_votes().await?;
    let examples = store.examples().await?;
    let ids: Vec<CategoryId> = categories.iter().map(|c| c.id.clone()).collect();
    let config = config.clone();
    let (classifier, index, corrections) = tokio::task::spawn_blocking(move || {
        let corrections = Corrections::from_examples(&examples);
        let classifier = Classifier::train(&examples, &ids, &config);
        let index = SnippetIndex::build(snippets.into_iter().map(Arc::new).collect(), &votes);
        (classifier, index, corrections)
    })
    .await
    .map_err(|e| sqlx::Error::Protocol(format!("training failed: {e}")))?;
    tracing::info!(
        categories = categories.len(),
        snippets = index.len(),
        threshold = classifier.threshold(),
        corrections = corrections.len(),
        "knowledge loaded and classifier trained"
    );
    Ok(State {
        categories,
        classifier: Arc::new(classifier),
        index: Arc::new(index),
        corrections: Arc::new(corrections),
    })
}

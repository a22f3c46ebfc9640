//! The default classifier: multinomial logistic regression over TF-IDF word unigrams and bigrams,
//! trained from the labeled example questions in the store.
//!
//! Design decisions, measured with `crossroads eval` (figures in the README):
//! - Classes are balanced during training, then the logits are shifted to the *deployment* prior
//!   (`other_prior`, default 0.75: most questions in a career channel fit no category). Training
//!   data is written to cover every category evenly; real traffic is mostly `other`.
//! - The abstain threshold is calibrated at training time by 5-fold cross-validation on the
//!   examples, weighted to the deployment prior: the lowest threshold whose in-scope precision
//!   reaches `target_precision`. Below it the classifier answers `other`.
//! - Pure Rust, no model files: it trains in well under a second from the store, so moderator
//!   corrections retrain it in place without a restart.

use super::text::tokens;
use crate::domain::{CategoryId, Example};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifierConfig {
    /// Share of real questions that fit no category.
    pub other_prior: f32,
    /// In-scope precision the abstain threshold is calibrated for.
    pub target_precision: f32,
    /// A second label is added when its probability reaches this.
    pub secondary_threshold: f32,
    pub epochs: usize,
    pub l2: f32,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        Self {
            other_prior: 0.75,
            target_precision: 0.95,
            secondary_threshold: 0.25,
            epochs: 30,
            l2: 1e-4,
        }
    }
}

/// What the classifier says about one question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Classification {
    /// The category to file under, or `other` when it abstains.
    pub primary: CategoryId,
    /// Every category that applies, primary first; empty for `other`.
    pub labels: Vec<CategoryId>,
    /// Probability per class (every category plus `other`), after the deployment prior.
    pub scores: BTreeMap<CategoryId, f32>,
    /// How sure it is of `primary`: its probability, or for `other` one minus the best
    /// category's probability.
    pub confidence: f32,
}

#[derive(Debug, Clone)]
pub struct Classifier {
    /// Index 0 is always `other`.
    classes: Vec<CategoryId>,
    /// Known categories that had no examples: scored 0, never predicted.
    untrained: Vec<CategoryId>,
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Row-major by feature: `weights[f * k + c]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
    prior_shift: Vec<f32>,
    /// Below this probability the best category abstains to `other`.
    threshold: f32,
    secondary_threshold: f32,
}

type Features = Vec<(u32, f32)>;

impl Classifier {
    /// Trains on `examples`; `categories` lists every category id (without `other`).
    pub fn train(examples: &[Example], categories: &[CategoryId], cfg: &ClassifierConfig) -> Self {
        let mut model = Self::fit(examples, categories, cfg);
        model.threshold = calibrate(examples, categories, cfg);
        model
    }

    /// The abstain threshold in use.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    pub fn classify(&self, text: &str) -> Classification {
        let x = self.featurize(text);
        let probs = self.probabilities(&x);
        self.decide(&probs)
    }

    fn fit(examples: &[Example], categories: &[CategoryId], cfg: &ClassifierConfig) -> Self {
        let mut classes = vec![CategoryId::other()];
        let mut untrained = Vec::new();
        for c in categories {
            if examples
                .iter()
                .any(|e| &e.primary == c || e.labels.contains(c))
            {
                classes.push(c.clone());
            } else {
                untrained.push(c.clone());
            }
        }
        let k = classes.len();
        let grams: Vec<Vec<String>> = examples.iter().map(|e| ngrams(&e.text)).collect();

        // Vocabulary: n-grams seen in at least two examples.
        let mut df: HashMap<&str, u32> = HashMap::new();
        for g in &grams {
            let mut seen: Vec<&str> = g.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for s in seen {
                *df.entry(s).or_default() += 1;
            }
        }
        let mut terms: Vec<(&str, u32)> = df.into_iter().filter(|(_, n)| *n >= 2).collect();
        terms.sort_unstable();
        let n_docs = examples.len().max(1) as f32;
        let idf: Vec<f32> = terms
            .iter()
            .map(|(_, n)| ((n_docs + 1.0) / (*n as f32 + 1.0)).ln() + 1.0)
            .collect();
        let vocab: HashMap<String, u32> = terms
            .iter()
            .enumerate()
            .map(|(i, (t, _))| ((*t).to_owned(), i as u32))
            .collect();

        let mut model = Self {
            prior_shift: deployment_shift(k, cfg.other_prior),
            classes,
            untrained,
            weights: vec![0.0; vocab.len() * k],
            bias: vec![0.0; k],
            vocab,
            idf,
            threshold: 0.5,
            secondary_threshold: cfg.secondary_threshold,
        };
        let data: Vec<(Features, Vec<f32>)> = examples
            .iter()
            .zip(&grams)
            .map(|(e, g)| (model.vectorize(g), model.target(e)))
            .collect();
        model.sgd(&data, cfg);
        model
    }

    /// Target distribution: the primary label carries most of the mass, other labels share the
    /// rest.
    fn target(&self, e: &Example) -> Vec<f32> {
        let mut y = vec![0.0; self.classes.len()];
        let idx = |c: &CategoryId| self.classes.iter().position(|x| x == c);
        let others: Vec<usize> = e
            .labels
            .iter()
            .filter(|l| **l != e.primary)
            .filter_map(idx)
            .collect();
        let primary = idx(&e.primary).unwrap_or(0);
        if others.is_empty() {
            y[primary] = 1.0;
        } else {
            y[primary] = 0.75;
            for o in &others {
                y[*o] += 0.25 / others.len() as f32;
            }
        }
        y
    }

    fn sgd(&mut self, data: &[(Features, Vec<f32>)], cfg: &ClassifierConfig) {
        let k = self.classes.len();
        // Balance classes: each class contributes the same total weight.
        let mut mass = vec![0f32; k];
        for (_, y) in data {
            for (m, v) in mass.iter_mut().zip(y) {
                *m += v;
            }
        }
        let n = data.len() as f32;
        let class_weight: Vec<f32> = mass
            .iter()
            .map(|m| if *m > 0.0 { n / (k as f32 * m) } else { 0.0 })
            .collect();
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut grad = vec![0f32; k];
        for epoch in 0..cfg.epochs {
            rng.shuffle(&mut order);
            let lr = 0.5 / (1.0 + epoch as f32 * 0.2);
            for &i in &order {
                let (x, y) = &data[i];
                let p = self.softmax(x, false);
                let w: f32 = y.iter().zip(&class_weight).map(|(a, b)| a * b).sum();
                for c in 0..k {
                    grad[c] = w * (p[c] - y[c]);
                    self.bias[c] -= lr * grad[c];
                }
                for &(f, v) in x {
                    let row = &mut self.weights[f as usize * k..(f as usize + 1) * k];
                    for c in 0..k {
                        row[c] -= lr * (grad[c] * v);
                    }
                }
            }
            let decay = 1.0 - lr * cfg.l2 * n;
            self.weights.iter_mut().for_each(|w| *w *= decay.max(0.0));
        }
    }

    fn featurize(&self, text: &str) -> Features {
        self.vectorize(&ngrams(text))
    }

    /// Sublinear TF-IDF, L2-normalised, over known n-grams.
    fn vectorize(&self, grams: &[String]) -> Features {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        for g in grams {
            if let Some(&id) = self.vocab.get(g) {
                *tf.entry(id).or_default() += 1.0;
            }
        }
        let mut x: Features = tf
            .into_iter()
            .map(|(id, n)| (id, (1.0 + n.ln()) * self.idf[id as usize]))
            .collect();
        // Sorted first, so sums run in the same order every time: training is reproducible.
        x.sort_unstable_by_key(|(id, _)| *id);
        let norm = x.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            x.iter_mut().for_each(|(_, v)| *v /= norm);
        }
        x
    }

    fn softmax(&self, x: &Features, deployed: bool) -> Vec<f32> {
        let k = self.classes.len();
        let mut z = self.bias.clone();
        if deployed {
            z.iter_mut()
                .zip(&self.prior_shift)
                .for_each(|(a, b)| *a += b);
        }
        for &(f, v) in x {
            let row = &self.weights[f as usize * k..(f as usize + 1) * k];
            z.iter_mut().zip(row).for_each(|(a, w)| *a += w * v);
        }
        let max = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for v in z.iter_mut() {
            *v = (*v - max).exp();
            sum += *v;
        }
        z.iter_mut().for_each(|v| *v /= sum);
        z
    }

    fn probabilities(&self, x: &Features) -> Vec<f32> {
        self.softmax(x, true)
    }

    fn decide(&self, probs: &[f32]) -> Classification {
        let mut scores: BTreeMap<CategoryId, f32> = self
            .classes
            .iter()
            .cloned()
            .zip(probs.iter().copied())
            .collect();
        for c in &self.untrained {
            scores.insert(c.clone(), 0.0);
        }
        // Best category other than `other`.
        let best = (1..self.classes.len()).max_by(|a, b| probs[*a].total_cmp(&probs[*b]));
        match best {
            Some(b) if probs[b] >= self.threshold => {
                let mut labels = vec![self.classes[b].clone()];
                let mut rest: Vec<usize> = (1..self.classes.len())
                    .filter(|c| *c != b && probs[*c] >= self.secondary_threshold)
                    .collect();
                rest.sort_by(|a, b| probs[*b].total_cmp(&probs[*a]));
                labels.extend(rest.into_iter().map(|c| self.classes[c].clone()));
                Classification {
                    primary: self.classes[b].clone(),
                    labels,
                    scores,
                    confidence: probs[b],
                }
            }
            _ => Classification {
                primary: CategoryId::other(),
                labels: Vec::new(),
                scores,
                confidence: 1.0 - best.map_or(0.0, |b| probs[b]),
            },
        }
    }
}

/// Logit shift from the balanced training prior (1/k each) to the deployment prior.
fn deployment_shift(k: usize, other_prior: f32) -> Vec<f32> {
    if k < 2 {
        return vec![0.0; k];
    }
    let other = other_prior.clamp(0.01, 0.99);
    let each = (1.0 - other) / (k - 1) as f32;
    (0..k)
        .map(|c| ((if c == 0 { other } else { each }) * k as f32).ln())
        .collect()
}

/// Picks the abstain threshold by 5-fold cross-validation: the lowest threshold at which the
/// pooled out-of-fold in-scope predictions reach `target_precision`, counting each held-out
/// example with the weight its class has under the deployment prior (so precision is measured
/// against the mostly `other` traffic of a real channel). One threshold for all categories:
/// per-category thresholds fitted on our own examples came out too low on real questions.
fn calibrate(examples: &[Example], categories: &[CategoryId], cfg: &ClassifierConfig) -> f32 {
    const FOLDS: usize = 5;
    if examples.len() < FOLDS * 4 {
        return 0.5;
    }
    // Out-of-fold: (was the best category right, is the truth `other`, its probability).
    let mut oof: Vec<(bool, bool, f32)> = Vec::with_capacity(examples.len());
    for fold in 0..FOLDS {
        let (test, train): (Vec<_>, Vec<_>) = examples
            .iter()
            .enumerate()
            .partition(|(i, _)| i % FOLDS == fold);
        let train: Vec<Example> = train.into_iter().map(|(_, e)| e.clone()).collect();
        let model = Classifier::fit(&train, categories, cfg);
        for (_, e) in test {
            let p = model.probabilities(&model.featurize(&e.text));
            if let Some(b) = (1..p.len()).max_by(|a, b| p[*a].total_cmp(&p[*b])) {
                oof.push((
                    e.labels.contains(&model.classes[b]),
                    e.labels.is_empty(),
                    p[b],
                ));
            }
        }
    }
    let n_other = oof.iter().filter(|o| o.1).count().max(1) as f32;
    let n_in = (oof.len() as f32 - n_other).max(1.0);
    let weight = |is_other: bool| {
        if is_other {
            cfg.other_prior / n_other
        } else {
            (1.0 - cfg.other_prior) / n_in
        }
    };
    (0..=90)
        .map(|step| 0.05 + step as f32 * 0.01)
        .find(|t| {
            let (mut tp, mut fp) = (0f32, 0f32);
            for (right, is_other, p) in &oof {
                if p >= t {
                    *(if *right { &mut tp } else { &mut fp }) += weight(*is_other);
                }
            }
            tp + fp == 0.0 || tp / (tp + fp) >= cfg.target_precision
        })
        .unwrap_or(0.95)
}

/// Unigrams and bigrams of stemmed tokens.
fn ngrams(text: &str) -> Vec<String> {
    let t = tokens(text);
    let mut out = Vec::with_capacity(t.len() * 2);
    for w in t.windows(2) {
        out.push(format!("{} {}", w[0], w[1]));
    }
    out.extend(t);
    out
}

/// A tiny deterministic PRNG for shuffling, so training is reproducible.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests;

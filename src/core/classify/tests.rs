use super::*;

fn c(s: &str) -> CategoryId {
    CategoryId::parse(s).unwrap()
}

fn ex(id: usize, text: &str, label: Option<&str>) -> Example {
    Example {
        id: format!("e{id}"),
        text: text.into(),
        labels: label.map(c).into_iter().collect(),
        primary: label.map_or_else(CategoryId::other, c),
    }
}

/// A small, clearly separable training set.
fn training() -> Vec<Example> {
    let mut v = Vec::new();
    let quit = [
        "should I quit my job and hand in my notice",
        "how do I resign without burning bridges with my boss",
        "thinking about leaving my job for a new offer",
        "my notice period is long and I want to quit soon",
        "I resigned and my boss made a counteroffer to stay",
        "is it time to quit and leave this company",
    ];
    let switch = [
        "should I move from engineering into management",
        "I want to switch from product manager to software engineer",
        "becoming a manager versus staying an individual contributor",
        "moving from QA into a developer role",
        "my company wants me to become a people manager",
        "going from tech lead to engineering manager track",
    ];
    let other = [
        "how do I write better unit tests for legacy code",
        "tips for a whiteboard interview next week",
        "my coworker keeps interrupting me in standups",
        "which programming language should I learn next",
        "how do I estimate stories more accurately",
        "how can I get better at code review comments",
        "what is a good way to mentor a junior developer",
        "how do I prepare a conference talk",
    ];
    for (i, t) in quit.iter().enumerate() {
        v.push(ex(i, t, Some("quitting")));
    }
    for (i, t) in switch.iter().enumerate() {
        v.push(ex(100 + i, t, Some("role_switch")));
    }
    for (i, t) in other.iter().enumerate() {
        v.push(ex(200 + i, t, None));
    }
    v
}

/// The tiny training set is balanced, and too small to calibrate for high precision.
fn balanced() -> ClassifierConfig {
    ClassifierConfig {
        other_prior: 0.34,
        target_precision: 0.6,
        ..ClassifierConfig::default()
    }
}

fn cats() -> Vec<CategoryId> {
    vec![c("quitting"), c("role_switch"), c("contract_pressure")]
}

#[test]
fn learns_categories_and_scores_every_class() {
    let cfg = balanced();
    let model = Classifier::train(&training(), &cats(), &cfg);
    let q = model.classify("should I quit and resign from my job");
    assert_eq!(q.primary, c("quitting"));
    assert_eq!(q.labels.first(), Some(&c("quitting")));
    let s = model.classify("I want to move into management as a manager");
    assert_eq!(s.primary, c("role_switch"));
    // Every category plus other is scored; a category without examples scores zero.
    assert_eq!(s.scores.len(), 4);
    assert_eq!(s.scores[&c("contract_pressure")], 0.0);
    let total: f32 = s.scores.values().sum();
    assert!((total - 1.0).abs() < 1e-4, "probabilities sum to {total}");
}

#[test]
fn abstains_on_unrelated_text() {
    let model = Classifier::train(&training(), &cats(), &ClassifierConfig::default());
    let o = model.classify("how should I prepare for a whiteboard interview");
    assert!(o.primary.is_other(), "{o:?}");
    assert!(o.labels.is_empty());
    assert!(o.confidence > 0.5);
}

#[test]
fn more_examples_change_the_model() {
    let cfg = balanced();
    let text = "my employer claims it owns my weekend side project under the ip clause";
    let before = Classifier::train(&training(), &cats(), &cfg).classify(text);
    assert_ne!(before.primary, c("contract_pressure"));
    let mut data = training();
    for (i, t) in [
        "the ip clause says my employer owns my side project",
        "does my employer own my weekend side project",
        "non-compete clause in my contract worries me",
        "they want me to pay back my signing bonus under the contract",
        "my contract ip assignment clause covers side projects",
        "an nda and non-compete clause in my new contract",
    ]
    .iter()
    .enumerate()
    {
        data.push(ex(300 + i, t, Some("contract_pressure")));
    }
    let after = Classifier::train(&data, &cats(), &cfg).classify(text);
    assert_eq!(after.primary, c("contract_pressure"), "{after:?}");
}

#[test]
fn training_is_deterministic() {
    let a = Classifier::train(&training(), &cats(), &ClassifierConfig::default());
    let b = Classifier::train(&training(), &cats(), &ClassifierConfig::default());
    let t = "thinking about leaving for a new offer";
    assert_eq!(a.classify(t), b.classify(t));
    assert_eq!(a.threshold(), b.threshold());
}

#[test]
fn empty_training_set_abstains_without_panicking() {
    let model = Classifier::train(&[], &cats(), &ClassifierConfig::default());
    assert!(model.classify("anything at all").primary.is_other());
}

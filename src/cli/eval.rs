//! `eval`: per-class precision, recall and F1, macro-F1 over the built-in categories plus
//! `other`, in-scope precision, a confusion matrix, and pipeline latency percentiles.
//!
//! Scoring: a predicted primary is correct when it is any of the question's labels (or `other`
//! when it has none). A correct prediction is a true positive for its class; a wrong one is a
//! false positive for the predicted class and a false negative for the question's primary.

use super::{jsonl, open_engine};
use crate::config::Settings;
use crate::domain::{CategoryId, QuestionText};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// The classes the headline macro-F1 is computed over.
const BUILT_IN: [&str; 4] = ["role_switch", "quitting", "contract_pressure", "other"];

#[derive(Default)]
pub struct Tally {
    tp: BTreeMap<String, u32>,
    fp: BTreeMap<String, u32>,
    fn_: BTreeMap<String, u32>,
    /// (gold, predicted) -> count, where gold is the matched label when correct.
    confusion: BTreeMap<(String, String), u32>,
}

impl Tally {
    pub fn add(&mut self, labels: &[CategoryId], primary: &CategoryId, predicted: &CategoryId) {
        let correct = if labels.is_empty() {
            predicted.is_other()
        } else {
            labels.contains(predicted)
        };
        let pred = predicted.as_str().to_owned();
        let gold = if correct {
            pred.clone()
        } else {
            primary.as_str().to_owned()
        };
        if correct {
            *self.tp.entry(pred.clone()).or_default() += 1;
        } else {
            *self.fp.entry(pred.clone()).or_default() += 1;
            *self.fn_.entry(gold.clone()).or_default() += 1;
        }
        *self.confusion.entry((gold, pred)).or_default() += 1;
    }

    /// (precision, recall, F1) for one class.
    pub fn prf(&self, class: &str) -> (f64, f64, f64) {
        let get = |m: &BTreeMap<String, u32>| f64::from(m.get(class).copied().unwrap_or(0));
        let (tp, fp, fn_) = (get(&self.tp), get(&self.fp), get(&self.fn_));
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }

    pub fn macro_f1(&self) -> f64 {
        BUILT_IN.iter().map(|c| self.prf(c).2).sum::<f64>() / BUILT_IN.len() as f64
    }

    /// Of the questions given a category (not `other`), the share that were right.
    pub fn in_scope_precision(&self) -> f64 {
        let sum = |m: &BTreeMap<String, u32>| -> u32 {
            m.iter()
                .filter(|(k, _)| *k != "other")
                .map(|(_, v)| v)
                .sum()
        };
        let (tp, fp) = (sum(&self.tp), sum(&self.fp));
        if tp + fp == 0 {
            0.0
        } else {
            f64::from(tp) / f64::from(tp + fp)
        }
    }
}

pub async fn run(settings: &Settings, path: &Path) -> anyhow::Result<()> {
    let input = jsonl::open(path)?;
    let engine = open_engine(settings).await?;
    let known = engine.category_ids();
    let mut rows = Vec::new();
    jsonl::for_each(input, |n, line: jsonl::Labeled| {
        let e = line.into_example(n, &known)?;
        rows.push((QuestionText::parse(&e.text)?, e.labels, e.primary));
        Ok(())
    })?;
    anyhow::ensure!(
        !rows.is_empty(),
        crate::domain::UserError::new("no labeled lines")
    );

    let mut tally = Tally::default();
    let mut micros = Vec::with_capacity(rows.len());
    for (text, labels, primary) in &rows {
        let start = Instant::now();
        let answer = engine.answer(text);
        micros.push(start.elapsed().as_secs_f64() * 1e6);
        tally.add(labels, primary, &answer.classification.primary);
    }
    let text = report(&tally, &known, &mut micros, engine.abstain_threshold());
    super::print(&text)
}

fn report(t: &Tally, known: &[CategoryId], micros: &mut [f64], threshold: f32) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut classes: Vec<String> = known.iter().map(|c| c.as_str().to_owned()).collect();
    classes.push("other".into());
    let _ = writeln!(
        out,
        "{} questions; abstain threshold {threshold:.2}\n",
        micros.len()
    );
    let _ = writeln!(
        out,
        "{:<20} {:>9} {:>9} {:>9} {:>8}",
        "class", "precision", "recall", "f1", "support"
    );
    for c in &classes {
        let (p, r, f) = t.prf(c);
        let support: u32 = t
            .confusion
            .iter()
            .filter(|((g, _), _)| g == c)
            .map(|(_, v)| v)
            .sum();
        let _ = writeln!(out, "{c:<20} {p:>9.3} {r:>9.3} {f:>9.3} {support:>8}");
    }
    let _ = writeln!(
        out,
        "\nmacro-F1 (role_switch, quitting, contract_pressure, other): {:.3}",
        t.macro_f1()
    );
    let _ = writeln!(out, "in-scope precision: {:.3}", t.in_scope_precision());
    let _ = write!(
        out,
        "\nconfusion (rows: truth, columns: predicted)\n{:<20}",
        ""
    );
    for c in &classes {
        let _ = write!(out, " {c:>10.10}");
    }
    out.push('\n');
    for g in &classes {
        let _ = write!(out, "{g:<20}");
        for p in &classes {
            let n = t
                .confusion
                .get(&(g.clone(), p.clone()))
                .copied()
                .unwrap_or(0);
            let _ = write!(out, " {n:>10}");
        }
        out.push('\n');
    }
    micros.sort_by(f64::total_cmp);
    let pct = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    let _ = writeln!(
        out,
        "\nlatency per question (classify + retrieve + compose): p50 {:.0} µs, p90 {:.0} µs, \
         p99 {:.0} µs, max {:.0} µs",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> CategoryId {
        CategoryId::parse(s).unwrap()
    }

    #[test]
    fn any_label_counts_as_correct_and_misses_count_against_primary() {
        let mut t = Tally::default();
        t.add(
            &[c("quitting"), c("contract_pressure")],
            &c("contract_pressure"),
            &c("quitting"),
        );
        t.add(&[], &CategoryId::other(), &c("quitting"));
        t.add(&[c("role_switch")], &c("role_switch"), &CategoryId::other());
        t.add(&[], &CategoryId::other(), &CategoryId::other());
        assert_eq!(t.prf("quitting"), (0.5, 1.0, 2.0 / 3.0));
        assert_eq!(t.prf("role_switch"), (0.0, 0.0, 0.0));
        assert_eq!(t.prf("other").0, 0.5);
        assert_eq!(t.in_scope_precision(), 0.5);
    }
}

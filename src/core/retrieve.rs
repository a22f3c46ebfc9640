//! Ranks approved snippets for a classified question.
//!
//! Score = BM25 relevance of the snippet (title, tags and body) to the question, scaled to 0..1
//! within the candidates, plus a bonus for matching the primary category (0.5) or a secondary
//! one (0.25), a moderator pin (2.0: pinned snippets come first) and a feedback prior (up to ±0.3 from net Helpful votes).
//! Only snippets in the question's categories are candidates. A snippet whose words overlap an
//! already chosen one by more than `NEAR_DUPLICATE` (Jaccard) is skipped.
//!
//! BM25 is hand-rolled over an in-memory inverted index: a full-text engine such as tantivy
//! would dwarf the rest of the binary for a corpus of at most tens of thousands of short texts.

use super::text::{is_stopword, tokens};
use crate::domain::{CategoryId, Snippet};
use std::collections::HashMap;
use std::sync::Arc;

const K1: f32 = 1.2;
const B: f32 = 0.75;
const NEAR_DUPLICATE: f32 = 0.6;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f32,
}

struct Doc {
    snippet: Arc<Snippet>,
    len: f32,
    /// Sorted, deduplicated term ids, for near-duplicate checks.
    terms: Vec<u32>,
    prior: f32,
}

/// An immutable index over approved snippets. Rebuilt (cheaply) when snippets or votes change.
pub struct SnippetIndex {
    docs: Vec<Doc>,
    term_ids: HashMap<String, u32>,
    /// Per term: (doc, BM25 term weight), precomputed so a query only multiplies and adds.
    postings: Vec<Vec<(u32, f32)>>,
    idf: Vec<f32>,
    by_category: HashMap<CategoryId, Vec<u32>>,
}

impl SnippetIndex {
    /// Indexes the approved snippets. `net_votes` maps snippet id to Helpful minus Not helpful.
    pub fn build(snippets: Vec<Arc<Snippet>>, net_votes: &HashMap<String, i64>) -> Self {
        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<(u32, f32)>> = Vec::new();
        let mut docs = Vec::new();
        let mut by_category: HashMap<CategoryId, Vec<u32>> = HashMap::new();
        let approved = snippets
            .into_iter()
            .filter(|s| s.status == crate::domain::SnippetStatus::Approved);
        for (i, s) in approved.enumerate() {
            let text = format!("{} {} {}", s.title, s.tags.join(" "), s.body);
            let toks: Vec<String> = tokens(&text)
                .into_iter()
                .filter(|t| !is_stopword(t))
                .collect();
            let mut tf: HashMap<u32, f32> = HashMap::new();
            for t in &toks {
                let next = term_ids.len() as u32;
                let id = *term_ids.entry(t.clone()).or_insert(next);
                if id as usize == postings.len() {
                    postings.push(Vec::new());
                }
                *tf.entry(id).or_default() += 1.0;
            }
            let mut terms: Vec<u32> = tf.keys().copied().collect();
            terms.sort_unstable();
            for (&id, &n) in &tf {
                postings[id as usize].push((i as u32, n));
            }
            for c in &s.categories {
                by_category.entry(c.clone()).or_default().push(i as u32);
            }
            let net = net_votes.get(&s.id).copied().unwrap_or(0) as f32;
            let prior = 0.3 * (net / 5.0).tanh() + if s.pinned { 2.0 } else { 0.0 };
            docs.push(Doc {
                snippet: s,
                len: toks.len() as f32,
                terms,
                prior,
            });
        }
        let avg_len = docs.iter().map(|d| d.len).sum::<f32>() / docs.len().max(1) as f32;
        let n = docs.len() as f32;
        let idf = postings
            .iter()
            .map(|list| ((n - list.len() as f32 + 0.5) / (list.len() as f32 + 0.5) + 1.0).ln())
            .collect();
        for list in &mut postings {
            for (d, tf) in list.iter_mut() {
                let norm = K1 * (1.0 - B + B * docs[*d as usize].len / avg_len);
                *tf = *tf * (K1 + 1.0) / (*tf + norm);
            }
        }
        Self {
            docs,
            term_ids,
            postings,
            idf,
            by_category,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn snippet(&self, hit: &Hit) -> &Arc<Snippet> {
        &self.docs[hit.doc].snippet
    }

    /// The top `k` snippets for `text` among those in `labels` (primary first).
    pub fn search(&self, text: &str, labels: &[CategoryId], k: usize) -> Vec<Hit> {
        let Some(primary) = labels.first() else {
            return Vec::new();
        };
        let mut query: Vec<u32> = tokens(text)
            .iter()
            .filter(|t| !is_stopword(t))
            .filter_map(|t| self.term_ids.get(t).copied())
            .collect();
        query.sort_unstable();
        query.dedup();

        let mut bm25 = vec![0f32; self.docs.len()];
        for &t in &query {
            let idf = self.idf[t as usize];
            for &(d, w) in &self.postings[t as usize] {
                bm25[d as usize] += idf * w;
            }
        }

        let mut candidates: Vec<u32> = labels
            .iter()
            .filter_map(|c| self.by_category.get(c))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let max_bm25 = candidates
            .iter()
            .map(|d| bm25[*d as usize])
            .fold(0f32, f32::max);
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .map(|d| {
                let doc = &self.docs[d as usize];
                let relevance = if max_bm25 > 0.0 {
                    bm25[d as usize] / max_bm25
                } else {
                    0.0
                };
                let category = if doc.snippet.categories.contains(primary) {
                    0.5
                } else {
                    0.25
                };
                Hit {
                    doc: d as usize,
                    score: relevance + category + doc.prior,
                }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));

        let mut chosen: Vec<Hit> = Vec::with_capacity(k);
        for h in hits {
            if chosen.len() == k {
                break;
            }
            let terms = &self.docs[h.doc].terms;
            if chosen
                .iter()
                .all(|c| jaccard(terms, &self.docs[c.doc].terms) < NEAR_DUPLICATE)
            {
                chosen.push(h);
            }
        }
        chosen
    }
}

/// Jaccard similarity of two sorted, deduplicated id lists.
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f32 / union as f32
    }
}

#[cfg(test)]
mod tests;

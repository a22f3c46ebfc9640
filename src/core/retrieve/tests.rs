use super::*;
use crate::domain::{SnippetStatus, Source};

fn c(s: &str) -> CategoryId {
    CategoryId::parse(s).unwrap()
}

fn snippet(id: &str, cat: &str, body: &str) -> Arc<Snippet> {
    Arc::new(Snippet {
        id: id.into(),
        title: format!("Title {id}"),
        body: body.into(),
        categories: vec![c(cat)],
        tags: vec![],
        source: Source {
            title: "src".into(),
            url: String::new(),
        },
        status: SnippetStatus::Approved,
        author: "t".into(),
        reviewed: "2026-01-01".into(),
        pinned: false,
    })
}

fn ids(index: &SnippetIndex, hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| index.snippet(h).id.clone()).collect()
}

#[test]
fn ranks_by_relevance_within_the_category_only() {
    let index = SnippetIndex::build(
        vec![
            snippet(
                "a",
                "quitting",
                "write a short resignation letter and give notice",
            ),
            snippet(
                "b",
                "quitting",
                "counteroffers rarely fix the reason you wanted to leave",
            ),
            snippet(
                "c",
                "role_switch",
                "counteroffers counteroffers counteroffers",
            ),
        ],
        &HashMap::new(),
    );
    let hits = index.search("they made me a counteroffer", &[c("quitting")], 3);
    assert_eq!(ids(&index, &hits), ["b", "a"]);
    assert!(hits[0].score > hits[1].score);
}

#[test]
fn pins_and_feedback_move_snippets_up() {
    // "a" and "v" are equally relevant: votes decide; the pin beats relevance.
    let mut pinned = (*snippet("p", "quitting", "unrelated words entirely")).clone();
    pinned.pinned = true;
    let snippets = vec![
        snippet("a", "quitting", "notice period advice"),
        Arc::new(pinned),
        snippet("v", "quitting", "notice period tips"),
    ];
    let votes = HashMap::from([("v".to_string(), 20), ("a".to_string(), -20)]);
    let index = SnippetIndex::build(snippets, &votes);
    let hits = index.search("notice period", &[c("quitting")], 3);
    assert_eq!(ids(&index, &hits), ["p", "v", "a"]);
}

#[test]
fn near_duplicates_are_not_shown_together() {
    let body = "tell your manager first, in person, before anyone else hears it";
    let index = SnippetIndex::build(
        vec![
            snippet("a", "quitting", body),
            snippet("b", "quitting", &format!("{body} today")),
            snippet(
                "c",
                "quitting",
                "a handover document lists every system you own",
            ),
        ],
        &HashMap::new(),
    );
    let hits = index.search("how do I tell my manager", &[c("quitting")], 3);
    let got = ids(&index, &hits);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.contains(&"c".to_string()));
}

#[test]
fn drafts_and_retired_snippets_are_never_indexed() {
    let mut draft = (*snippet("d", "quitting", "notice")).clone();
    draft.status = SnippetStatus::Draft;
    let mut retired = (*snippet("r", "quitting", "notice")).clone();
    retired.status = SnippetStatus::Retired;
    let index = SnippetIndex::build(vec![Arc::new(draft), Arc::new(retired)], &HashMap::new());
    assert!(index.is_empty());
    assert!(index.search("notice", &[c("quitting")], 3).is_empty());
}

#[test]
fn no_labels_means_no_snippets() {
    let index = SnippetIndex::build(vec![snippet("a", "quitting", "x")], &HashMap::new());
    assert!(index.search("x", &[], 3).is_empty());
}

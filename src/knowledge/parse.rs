//! Parsing knowledge files, with errors as `file:line: message`.

use crate::domain::{Category, CategoryId, Example, Knowledge, Snippet, SnippetStatus, Source};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FrontMatter {
    id: String,
    title: String,
    categories: Vec<CategoryId>,
    #[serde(default)]
    tags: Vec<String>,
    status: SnippetStatus,
    author: String,
    reviewed: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pinned: bool,
    source: Source,
}

impl From<&Snippet> for FrontMatter {
    fn from(s: &Snippet) -> Self {
        Self {
            id: s.id.clone(),
            title: s.title.clone(),
            categories: s.categories.clone(),
            tags: s.tags.clone(),
            status: s.status,
            author: s.author.clone(),
            reviewed: s.reviewed.clone(),
            pinned: s.pinned,
            source: s.source.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    #[serde(default)]
    category: Vec<Category>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleLine {
    id: String,
    text: String,
    labels: Vec<CategoryId>,
    primary: CategoryId,
}

fn err(file: &str, line: usize, msg: impl std::fmt::Display) -> String {
    format!("{file}:{line}: {msg}")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses knowledge files given as (path relative to the knowledge folder, contents). Files
/// other than `categories.toml`, `snippets/*.md` and `examples/*.jsonl` are ignored.
pub fn parse(mut files: Vec<(String, Vec<u8>)>) -> Result<Knowledge, String> {
    files.sort();
    let mut k = Knowledge::default();
    for (path, bytes) in &files {
        let kind = if path == "categories.toml" {
            0
        } else if path.starts_with("snippets/") && path.ends_with(".md") {
            1
        } else if path.starts_with("examples/") && path.ends_with(".jsonl") {
            2
        } else {
            continue;
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = line_of(
                &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                usize::MAX,
            );
            err(path, line, "not valid UTF-8")
        })?;
        match kind {
            0 => {
                let file: CategoriesFile = toml::from_str(text).map_err(|e| {
                    let line = e.span().map_or(1, |s| line_of(text, s.start));
                    err(path, line, e.message())
                })?;
                k.categories.extend(file.category);
            }
            1 => k.snippets.push(parse_snippet(path, text)?),
            _ => {
                for (i, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let e: ExampleLine =
                        serde_json::from_str(line).map_err(|e| err(path, i + 1, e))?;
                    let example = Example {
                        id: e.id,
                        text: e.text,
                        labels: e.labels,
                        primary: e.primary,
                    };
                    example.validate().map_err(|e| err(path, i + 1, e))?;
                    k.examples.push(example);
                }
            }
        }
    }
    check_unique(&k)?;
    Ok(k)
}

fn parse_snippet(path: &str, text: &str) -> Result<Snippet, String> {
    let rest = text
        .strip_prefix("+++\n")
        .ok_or_else(|| err(path, 1, "expected '+++' to open the front matter"))?;
    let end = rest
        .find("\n+++\n")
        .or_else(|| rest.strip_suffix("\n+++").map(|r| r.len()))
        .ok_or_else(|| err(path, 1, "front matter is not closed with '+++'"))?;
    let front = &rest[..=end];
    let body = rest[end + 1..].strip_prefix("+++").unwrap_or("").trim();
    let fm: FrontMatter = toml::from_str(front).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(front, s.start) + 1);
        err(path, line, e.message())
    })?;
    let snippet = Snippet {
        id: fm.id,
        title: fm.title,
        body: body.to_owned(),
        categories: fm.categories,
        tags: fm.tags,
        source: fm.source,
        status: fm.status,
        author: fm.author,
        reviewed: fm.reviewed,
        pinned: fm.pinned,
    };
    snippet.validate().map_err(|e| err(path, 2, e))?;
    let expected = format!("snippets/{}.md", snippet.id);
    if path != expected {
        return Err(err(
            path,
            2,
            format!("id {:?} must match the file name", snippet.id),
        ));
    }
    Ok(snippet)
}

fn check_unique(k: &Knowledge) -> Result<(), String> {
    let mut seen = HashSet::new();
    for c in &k.categories {
        if c.id.is_other() {
            return Err(err(
                "categories.toml",
                1,
                "'other' is built in; do not declare it",
            ));
        }
        if !seen.insert(c.id.as_str()) {
            return Err(err(
                "categories.toml",
                1,
                format!("duplicate category {:?}", c.id.as_str()),
            ));
        }
    }
    let mut seen = HashSet::new();
    for e in &k.examples {
        if !seen.insert(e.id.as_str()) {
            return Err(format!("examples: duplicate example id {:?}", e.id));
        }
    }
    Ok(())
}

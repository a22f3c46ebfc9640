//! Knowledge as files: `categories.toml`, `snippets/<id>.md` (TOML front matter between `+++`
//! lines, then the Markdown body) and `examples/*.jsonl`. The same files are built into the
//! binary to seed a fresh database, and `knowledge export` writes them back out in exactly the
//! form `knowledge import` reads, so curation can happen in pull requests or in chat.

mod parse;

pub use parse::parse;

#[cfg(test)]
use crate::domain::SnippetStatus;
use crate::domain::{Category, CategoryId, Knowledge, Snippet, UserError};
use include_dir::{include_dir, Dir};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/knowledge");

/// The knowledge compiled into the binary. It is checked by a test, so it always parses.
pub fn builtin() -> Knowledge {
    let mut files = Vec::new();
    collect_builtin(&BUILTIN, &mut files);
    parse(files).expect("built-in knowledge is valid (checked by tests)")
}

fn collect_builtin(dir: &Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
    for f in dir.files() {
        out.push((f.path().display().to_string(), f.contents().to_vec()));
    }
    for d in dir.dirs() {
        collect_builtin(d, out);
    }
}

/// Reads and checks every knowledge file under `dir`. Any error names its file and line.
pub fn load_dir(dir: &Path) -> Result<Knowledge, UserError> {
    let mut files = Vec::new();
    for sub in ["", "snippets", "examples"] {
        let path = dir.join(sub);
        let entries = match std::fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) if sub.is_empty() => {
                return Err(UserError::new(format!("{}: {e}", dir.display())))
            }
            Err(_) => continue,
        };
        for entry in entries {
            let entry = entry.map_err(|e| UserError::new(format!("{}: {e}", path.display())))?;
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let rel = Path::new(sub).join(entry.file_name());
            let bytes = std::fs::read(entry.path())
                .map_err(|e| UserError::new(format!("{}: {e}", entry.path().display())))?;
            files.push((rel.display().to_string(), bytes));
        }
    }
    let k = parse(files).map_err(|e| UserError::new(format!("{}/{e}", dir.display())))?;
    Ok(k)
}

/// Checks that every category a snippet or example names is known.
pub fn check_categories(k: &Knowledge, known: &[CategoryId]) -> Result<(), UserError> {
    let known = |c: &CategoryId| known.contains(c) || k.categories.iter().any(|x| &x.id == c);
    for s in &k.snippets {
        if let Some(c) = s.categories.iter().find(|c| !known(c)) {
            return Err(UserError::new(format!(
                "snippets/{}.md: unknown category {:?}",
                s.id,
                c.as_str()
            )));
        }
    }
    for e in &k.examples {
        if let Some(c) = e.labels.iter().find(|c| !known(c)) {
            return Err(UserError::new(format!(
                "example {}: unknown category {:?}",
                e.id,
                c.as_str()
            )));
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CategoriesFile<'a> {
    category: &'a [Category],
}

#[derive(Serialize)]
struct ExampleLine<'a> {
    id: &'a str,
    text: &'a str,
    labels: &'a [CategoryId],
    primary: &'a CategoryId,
}

/// Writes `k` under `dir` in the form `load_dir` reads.
pub fn write_dir(k: &Knowledge, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("snippets"))?;
    std::fs::create_dir_all(dir.join("examples"))?;
    let categories = toml::to_string(&CategoriesFile {
        category: &k.categories,
    })
    .map_err(std::io::Error::other)?;
    std::fs::write(dir.join("categories.toml"), categories)?;
    for s in &k.snippets {
        std::fs::write(
            dir.join("snippets").join(format!("{}.md", s.id)),
            snippet_file(s)?,
        )?;
    }
    let mut by_primary: BTreeMap<&str, String> = BTreeMap::new();
    for e in &k.examples {
        let line = ExampleLine {
            id: &e.id,
            text: &e.text,
            labels: &e.labels,
            primary: &e.primary,
        };
        let out = by_primary.entry(e.primary.as_str()).or_default();
        out.push_str(&serde_json::to_string(&line).map_err(std::io::Error::other)?);
        out.push('\n');
    }
    for (primary, lines) in by_primary {
        std::fs::write(dir.join("examples").join(format!("{primary}.jsonl")), lines)?;
    }
    Ok(())
}

fn snippet_file(s: &Snippet) -> std::io::Result<String> {
    let front = toml::to_string(&parse::FrontMatter::from(s)).map_err(std::io::Error::other)?;
    Ok(format!("+++\n{front}+++\n{}\n", s.body.trim()))
}

#[cfg(test)]
mod tests;

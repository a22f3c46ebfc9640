//! `knowledge import`, `knowledge export` and `train`.

use super::{jsonl, open_engine};
use crate::config::Settings;
use crate::domain::Knowledge;
use crate::knowledge;
use std::path::Path;

pub async fn import(settings: &Settings, dir: &Path) -> anyhow::Result<()> {
    // Parse and check everything before touching the database.
    let k = knowledge::load_dir(dir)?;
    let engine = open_engine(settings).await?;
    knowledge::check_categories(&k, &engine.category_ids())?;
    let report = engine.store().import(&k, "cli").await?;
    println!(
        "imported {} categories, {} snippets new or changed, {} examples added",
        report.categories, report.snippets_changed, report.examples_added
    );
    Ok(())
}

pub async fn export(settings: &Settings, dir: &Path) -> anyhow::Result<()> {
    let engine = open_engine(settings).await?;
    let store = engine.store();
    let k = Knowledge {
        categories: store.categories().await?,
        snippets: store.snippets().await?,
        examples: store.examples().await?,
    };
    knowledge::write_dir(&k, dir)?;
    println!(
        "exported {} categories, {} snippets, {} examples to {}",
        k.categories.len(),
        k.snippets.len(),
        k.examples.len(),
        dir.display()
    );
    Ok(())
}

pub async fn train(settings: &Settings, path: &Path) -> anyhow::Result<()> {
    let input = jsonl::open(path)?;
    let engine = open_engine(settings).await?;
    let known = engine.category_ids();
    let mut examples = Vec::new();
    jsonl::for_each(input, |n, line: jsonl::Labeled| {
        examples.push(line.into_example(n, &known)?);
        Ok(())
    })?;
    let added = engine.add_examples(&examples, "train", "cli").await?;
    println!(
        "added {added} of {} examples ({} already known); classifier retrained, abstain threshold {:.2}",
        examples.len(),
        examples.len() - added,
        engine.abstain_threshold()
    );
    Ok(())
}

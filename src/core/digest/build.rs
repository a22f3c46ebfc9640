//! Builds a `Digest` from store rows: `load` reads (the only I/O), `assemble` decides.

use super::{
    Asker, CategoryLine, Digest, History, IsoWeek, SnippetChange, TopAnswer, HISTORY_WEEKS,
};
use crate::domain::{Category, OTHER};
use crate::store::{CategoryWeekCount, SnippetChangeRow, Store, TopAnswerRow};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

/// Most answers featured.
pub const TOP_ANSWERS: usize = 5;
/// Longest question excerpt quoted, in characters.
const QUOTE_CHARS: usize = 140;

/// Everything a digest is made of, as the store returned it.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub categories: Vec<Category>,
    /// Week indexes into `week.history(HISTORY_WEEKS)`.
    pub counts: Vec<CategoryWeekCount>,
    pub top: Vec<TopAnswerRow>,
    pub snippets: Vec<SnippetChangeRow>,
    pub open_reviews: i64,
    pub opted_out: Vec<String>,
}

/// Reads what the digest of `week` on `platform` needs, with weeks bounded in `tz`.
pub async fn load(
    store: &dyn Store,
    platform: &str,
    week: IsoWeek,
    tz: Tz,
) -> Result<Digest, sqlx::Error> {
    let weeks = week.history(HISTORY_WEEKS);
    let mut bounds: Vec<i64> = weeks.iter().map(|w| w.start_ms(tz)).collect();
    let (from, to) = week.bounds_ms(tz);
    bounds.push(to);
    let rows = Rows {
        categories: store.categories().await?,
        counts: store.category_counts(platform, &bounds).await?,
        top: store
            .top_answers(platform, from, to, TOP_ANSWERS as i64)
            .await?,
        snippets: store.snippet_changes(from, to).await?,
        open_reviews: store.open_review_count(platform).await?,
        opted_out: store.opted_out_users(platform).await?,
    };
    Ok(assemble(platform, week, rows))
}

pub fn assemble(platform: &str, week: IsoWeek, rows: Rows) -> Digest {
    let weeks = week.history(HISTORY_WEEKS);
    let mut names: Vec<(String, String)> = rows
        .categories
        .iter()
        .filter(|c| c.id.as_str() != OTHER)
        .map(|c| (c.id.as_str().to_owned(), c.name.clone()))
        .collect();
    for c in &rows.counts {
        if c.category != OTHER && !names.iter().any(|(id, _)| *id == c.category) {
            names.push((c.category.clone(), c.category.clone()));
        }
    }
    let other_name = rows
        .categories
        .iter()
        .find(|c| c.id.as_str() == OTHER)
        .map_or_else(|| "Other".to_owned(), |c| c.name.clone());
    names.push((OTHER.to_owned(), other_name));

    let mut grid: HashMap<&str, Vec<i64>> = HashMap::new();
    for c in &rows.counts {
        let series = grid
            .entry(c.category.as_str())
            .or_insert_with(|| vec![0; weeks.len()]);
        if let Some(slot) = usize::try_from(c.week).ok().and_then(|i| series.get_mut(i)) {
            *slot += c.count;
        }
    }
    let this = weeks.len() - 1;
    let series: Vec<(String, Vec<i64>)> = names
        .iter()
        .map(|(id, _)| {
            let s = grid.get(id.as_str()).cloned();
            (id.clone(), s.unwrap_or_else(|| vec![0; weeks.len()]))
        })
        .collect();
    let categories: Vec<CategoryLine> = names
        .iter()
        .zip(&series)
        .map(|((id, name), (_, s))| CategoryLine {
            id: id.clone(),
            name: name.clone(),
            count: s[this],
            change: s[this] - s.get(this.wrapping_sub(1)).copied().unwrap_or(0),
        })
        .collect();
    let total: i64 = categories.iter().map(|c| c.count).sum();
    let total_change: i64 = categories.iter().map(|c| c.change).sum();
    let name_of: HashMap<&str, &str> = names
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let private: HashSet<&str> = rows.opted_out.iter().map(String::as_str).collect();
    let top = rows
        .top
        .iter()
        .map(|r| top_answer(r, &private, &name_of))
        .collect();
    let snippets = rows
        .snippets
        .into_iter()
        .map(|s| SnippetChange {
            id: s.snippet_id,
            title: s.title,
            added: s.first_version == 1,
        })
        .collect();
    Digest {
        platform: platform.to_owned(),
        week,
        quiet: total == 0,
        categories,
        total,
        total_change,
        top,
        snippets,
        open_reviews: rows.open_reviews,
        history: History {
            weeks,
            series: series.into_iter().collect(),
        },
    }
}

/// Applies the anonymity rules: no name and no quote for anonymous or opted-out askers.
fn top_answer(r: &TopAnswerRow, private: &HashSet<&str>, names: &HashMap<&str, &str>) -> TopAnswer {
    let asker = match r.author_id.as_deref() {
        _ if r.anonymous => Asker::Anonymous,
        None => Asker::Anonymous,
        Some(user) if private.contains(user) => Asker::Private,
        Some(user) => Asker::User(user.to_owned()),
    };
    let quote = matches!(asker, Asker::User(_)).then(|| excerpt(&r.text));
    let message_id = serde_json::from_str::<Vec<String>>(&r.message_ids)
        .ok()
        .and_then(|ids| ids.into_iter().next());
    TopAnswer {
        helpful: r.helpful,
        category: names
            .get(r.primary_category.as_str())
            .map_or_else(|| r.primary_category.clone(), |n| (*n).to_owned()),
        asker,
        quote,
        workspace: r.workspace.clone(),
        channel: r.channel.clone(),
        thread_id: r.thread_id.clone(),
        message_id,
    }
}

/// The question on one line, at most `QUOTE_CHARS` characters.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= QUOTE_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(QUOTE_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > QUOTE_CHARS / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;

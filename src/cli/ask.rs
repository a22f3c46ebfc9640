//! `ask` and `classify`.

use super::{jsonl, open_engine};
use crate::config::Settings;
use crate::domain::{QuestionText, UserError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub async fn run(settings: &Settings, text: &str, as_json: bool) -> anyhow::Result<()> {
    let question = if text == "-" {
        QuestionText::parse(&read_stdin()?)?
    } else {
        QuestionText::parse(text)?
    };
    let engine = open_engine(settings).await?;
    let answer = engine.answer(&question);
    let reply = &answer.reply;
    if as_json {
        let out = json!({
            "primary": answer.classification.primary,
            "labels": answer.classification.labels,
            "confidence": answer.classification.confidence,
            "scores": answer.classification.scores,
            "snippets": reply.snippets.iter().map(|s| json!({
                "id": s.id, "title": s.title, "body": s.body,
                "source": {"title": s.source.title, "url": s.source.url},
            })).collect::<Vec<_>>(),
            "text": reply.text(),
        });
        println!("{out}");
    } else {
        println!("{}", reply.text());
    }
    Ok(())
}

/// Reads the whole of stdin as UTF-8, refusing more than a question could ever be.
fn read_stdin() -> Result<String, UserError> {
    use std::io::Read;
    let limit = 4 * crate::domain::MAX_QUESTION_CHARS as u64;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| UserError::new(format!("reading stdin: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(UserError::new(format!(
            "the question is too long (the limit is {} characters)",
            crate::domain::MAX_QUESTION_CHARS
        )));
    }
    String::from_utf8(bytes).map_err(|_| UserError::new("stdin is not valid UTF-8"))
}

#[derive(Deserialize)]
struct Input {
    id: serde_json::Value,
    text: String,
}

#[derive(Serialize)]
struct Output<'a> {
    id: &'a serde_json::Value,
    primary: &'a str,
    labels: Vec<&'a str>,
    confidence: f32,
    /// Only with `--scores`.
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<&'a std::collections::BTreeMap<crate::domain::CategoryId, f32>>,
}

/// Streams: each line is classified and written before the next is read.
pub async fn classify(settings: &Settings, path: &Path, with_scores: bool) -> anyhow::Result<()> {
    let input = jsonl::open(path)?;
    let engine = open_engine(settings).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    jsonl::for_each(input, |n, line: Input| {
        let text = QuestionText::parse(&line.text)
            .map_err(|e| UserError::new(format!("line {n}: {e}")))?;
        let c = engine.classify(&text);
        let row = Output {
            id: &line.id,
            primary: c.primary.as_str(),
            labels: c.labels.iter().map(|l| l.as_str()).collect(),
            confidence: c.confidence,
            scores: with_scores.then_some(&c.scores),
        };
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

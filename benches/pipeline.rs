//! Speed of the answer pipeline (classify + retrieve + compose) with 10,000 approved snippets
//! loaded. Prints p50/p99/max per question; it is a benchmark, not a timed test.
//!
//! Run: `taskset -c 0 cargo bench --bench pipeline` (one core).

use crossroads::core::{ClassifierConfig, Engine, Templates};
use crossroads::domain::{Knowledge, QuestionText, Snippet};
use std::time::Instant;

const SNIPPETS: usize = 10_000;
const QUESTIONS: usize = 2_000;

/// 10,000 distinct snippets made by recombining the paragraphs and sentences of the built-in
/// ones, so the vocabulary and lengths are realistic.
fn many_snippets(base: &[Snippet]) -> Vec<Snippet> {
    let sentences: Vec<&str> = base
        .iter()
        .flat_map(|s| s.body.split(". "))
        .filter(|s| s.len() > 20)
        .collect();
    (0..SNIPPETS)
        .map(|i| {
            let mut s = base[i % base.len()].clone();
            s.id = format!("bench-{i:05}");
            s.body = (0..5)
                .map(|k| sentences[(i * 7 + k * 131) % sentences.len()])
                .collect::<Vec<_>>()
                .join(". ");
            s
        })
        .collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = crossroads::store::connect(&url).await?;
    let builtin = crossroads::knowledge::builtin();
    let extra = Knowledge {
        snippets: many_snippets(&builtin.snippets),
        ..Knowledge::default()
    };
    store.seed_if_empty(&builtin).await?;
    store.import(&extra, "bench").await?;
    let engine = Engine::open(store, ClassifierConfig::default(), Templates::default()).await?;

    let questions: Vec<QuestionText> = builtin
        .examples
        .iter()
        .cycle()
        .take(QUESTIONS)
        .map(|e| QuestionText::parse(&e.text))
        .collect::<Result<_, _>>()?;
    for q in questions.iter().take(200) {
        engine.answer(q); // warm up
    }
    let mut micros: Vec<f64> = questions
        .iter()
        .map(|q| {
            let start = Instant::now();
            std::hint::black_box(engine.answer(q));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    let pct = |p: f64| micros[((micros.len() - 1) as f64 * p) as usize];
    println!(
        "pipeline (classify + retrieve + compose), {} approved snippets, {QUESTIONS} questions: \
         p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        SNIPPETS + builtin.snippets.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    Ok(())
}

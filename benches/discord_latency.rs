//! End-to-end latency of the Discord adapter on loopback: from the fake gateway sending
//! MESSAGE_CREATE to the fake REST receiving the reply in the thread (store, classify, open a
//! thread, post), one question at a time, 1,000 questions, on SQLite. Prints p50 and p99.
//!
//! Run: `cargo bench --bench discord_latency`. Bar: p99 <= 50 ms.

#[path = "../tests/support/discord/mod.rs"]
mod discord;

use discord::harness::{engine, settings, TestBot};
use discord::FakeDiscord;
use std::time::{Duration, Instant};

const QUESTIONS: usize = 1000;
const WARM_UP: usize = 20;

const TEXTS: [&str; 4] = [
    "I want to quit my job but my manager keeps offering a counteroffer. Should I stay or go?",
    "My old company wants me to finish the project as a contractor after I leave. Do I have to?",
    "I'm a QA engineer and want to move into development. Where do I start?",
    "What laptop should I buy for a bootcamp next spring?",
];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let fake = FakeDiscord::start().await;
    let channel = fake.text_channel("career-questions");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let bot = TestBot::start(engine(&url).await, &settings(&fake, &[channel], None)).await;
    fake.wait_connected(1).await;
    let alice = fake.person("Alice");

    let started = Instant::now();
    let mut latencies = Vec::with_capacity(QUESTIONS);
    for i in 0..WARM_UP + QUESTIONS {
        let m = fake.post(&alice, channel, TEXTS[i % TEXTS.len()]);
        let answer = fake.wait_answer_in(m).await;
        let sent = fake.with(|s| s.dispatched_at[&m]);
        if i >= WARM_UP {
            latencies.push(answer.at - sent);
        }
    }
    let elapsed = started.elapsed();
    bot.stop().await;

    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    let mean = latencies.iter().sum::<Duration>() / latencies.len() as u32;
    println!("discord end-to-end latency, {QUESTIONS} questions (MESSAGE_CREATE sent -> reply received in thread)");
    println!("  p50  {:>8.2} ms", ms(pct(0.50)));
    println!("  p90  {:>8.2} ms", ms(pct(0.90)));
    println!("  p99  {:>8.2} ms   (bar: <= 50 ms)", ms(pct(0.99)));
    println!("  max  {:>8.2} ms", ms(*latencies.last().unwrap()));
    println!(
        "  mean {:>8.2} ms; {:.0} questions/s one at a time",
        ms(mean),
        (WARM_UP + QUESTIONS) as f64 / elapsed.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

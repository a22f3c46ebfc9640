//! End-to-end latency on loopback, from an event going in to the reply's `chat.postMessage`
//! reaching the fake Slack: 1,000 questions, one after another, per setup. Prints p50/p90/p99.
//! Bar: p99 <= 50 ms. Run with `cargo bench --bench slack_latency` (PostgreSQL must be up).

#[path = "../tests/support"]
mod support {
    pub mod db;
    pub mod slack;
}

use std::time::{Duration, Instant};
use support::db::Backend;
use support::slack::app::{spawn, Mode, TestApp};
use support::slack::{payloads as p, CAREERS};

const QUESTIONS: usize = 1000;
const WARM_UP: usize = 20;
const ASKED: [&str; 4] = [
    "My boss made a counteroffer after I resigned. Should I accept it or leave?",
    "I want to move from QA into a developer role. Where do I start?",
    "My old employer wants me to finish the project as a contractor after I quit. Do I have to?",
    "What is a good way to negotiate a remote work day with my team?",
];

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for (backend, mode) in [
            (Backend::Sqlite, Mode::Events),
            (Backend::Postgres, Mode::Events),
            (Backend::Sqlite, Mode::Socket),
        ] {
            let (app, _db) = spawn(backend, mode).await;
            for i in 0..WARM_UP {
                one(&app, mode, i).await;
            }
            let mut took: Vec<Duration> = Vec::with_capacity(QUESTIONS);
            for i in 0..QUESTIONS {
                took.push(one(&app, mode, WARM_UP + i).await);
            }
            report(&format!("{backend:?}, {mode:?}"), &mut took);
            app.stop().await;
        }
    });
}

/// Sends one question and returns how long until its reply reached the fake.
async fn one(app: &TestApp, mode: Mode, i: usize) -> Duration {
    let text = ASKED[i % ASKED.len()];
    let ts = app.fake.user_message(CAREERS, text, None);
    let event = p::callback(
        &format!("EvBench{i}"),
        p::message(CAREERS, "U1", text, &ts, None),
    );
    let start = Instant::now();
    match mode {
        Mode::Events => assert_eq!(app.deliver(&event).await.status, 200),
        Mode::Socket => {
            app.fake.send_envelope("events_api", event);
        }
    }
    app.fake.post_received(CAREERS, &ts).await - start
}

fn report(setup: &str, took: &mut [Duration]) {
    took.sort();
    let at = |q: f64| took[((took.len() as f64 * q).ceil() as usize).clamp(1, took.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = took.iter().sum::<Duration>() / took.len() as u32;
    println!(
        "slack latency ({setup}, {} questions): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms, mean {:.1} ms{}",
        took.len(),
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(at(1.0)),
        ms(mean),
        if at(0.99) <= Duration::from_millis(50) { "  [p99 within 50 ms]" } else { "  [p99 OVER 50 ms]" },
    );
}

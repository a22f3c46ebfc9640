//! Scheduling and exactly-once, against both backends, with a manual clock.

use super::data::{at, ms, Asked, Bench, BERLIN_MONDAYS};
use super::Backend;
use crossroads::jobs::RunOutcome;
use crossroads::store::RunKey;

both_backends!(
    posts_at_nine_local_across_a_dst_change,
    a_crash_between_claim_and_post_is_retried_after_the_lease,
    two_instances_racing_post_once,
    missed_weeks_post_once_for_the_latest_week,
    a_failed_post_is_retried_on_the_next_tick,
    quiet_weeks_can_be_skipped,
    post_now_refuses_a_posted_week_unless_forced,
    anonymous_and_opted_out_askers_never_appear,
    digest_now_from_chat_is_for_moderators_only,
);

fn posted(outcomes: &[(RunKey, RunOutcome)]) -> Vec<String> {
    outcomes
        .iter()
        .filter(|(_, o)| matches!(o, RunOutcome::Posted { .. }))
        .map(|(k, _)| k.week.clone())
        .collect()
}

async fn posts_at_nine_local_across_a_dst_change(b: Backend) {
    // Berlin leaves summer time on Sunday 2026-10-25: 09:00 local is 07:00 UTC before, 08:00 after.
    let bench = Bench::new(b, "2026-10-12T12:00:00Z").await;
    let runner = bench.runner(BERLIN_MONDAYS, "a").await;
    assert_eq!(posted(&runner.tick().await), ["2026-W41"]);
    let steps = [
        ("2026-10-19T06:59:59Z", None),
        ("2026-10-19T07:00:00Z", Some("2026-W42")),
        ("2026-10-26T07:00:00Z", None),
        ("2026-10-26T07:59:59Z", None),
        ("2026-10-26T08:00:00Z", Some("2026-W43")),
    ];
    for (now, expected) in steps {
        bench.clock.set(at(now));
        let expected: Vec<&str> = expected.into_iter().collect();
        assert_eq!(posted(&runner.tick().await), expected, "at {now}");
    }
    assert_eq!(bench.sink.weeks(), ["2026-W41", "2026-W42", "2026-W43"]);
    let key = &bench.sink.posts.lock().unwrap()[2].key;
    assert_eq!(key, "crossroads-digest:discord:100:2026-W43");
}

async fn a_crash_between_claim_and_post_is_retried_after_the_lease(b: Backend) {
    let bench = Bench::new(b, "2026-11-23T09:30:00Z").await;
    let key = RunKey {
        platform: "discord".into(),
        channel: "100".into(),
        week: "2026-W47".into(),
    };
    // An instance claimed the run (lease 60 s) and died before posting.
    let now = ms("2026-11-23T09:30:00Z");
    assert!(bench
        .store
        .claim_run(&key, "crashed", now, now + 60_000, false)
        .await
        .unwrap());
    let runner = bench.runner(BERLIN_MONDAYS, "restarted").await;
    assert_eq!(runner.tick().await[0].1, RunOutcome::Busy);
    bench.clock.set(at("2026-11-23T09:31:00Z"));
    assert_eq!(posted(&runner.tick().await), ["2026-W47"]);
    assert_eq!(runner.tick().await[0].1, RunOutcome::AlreadyDone);
    assert_eq!(bench.sink.weeks(), ["2026-W47"]);
    let run = bench.store.digest_run(&key).await.unwrap().unwrap();
    assert_eq!(run.message_id.as_deref(), Some("m1"));
    assert_eq!(run.claimed_by.as_deref(), Some("restarted"));
    // The dead instance can't record anything any more, nor claim a posted run.
    assert!(!bench
        .store
        .record_posted(&key, "crashed", Some("x"), now)
        .await
        .unwrap());
    let later = ms("2026-11-30T00:00:00Z");
    assert!(!bench
        .store
        .claim_run(&key, "crashed", later, later + 1, false)
        .await
        .unwrap());
}

async fn two_instances_racing_post_once(b: Backend) {
    let bench = Bench::new(b, "2026-11-02T08:00:00Z").await;
    let a = bench.runner(BERLIN_MONDAYS, "instance-a").await;
    let c = bench.runner(BERLIN_MONDAYS, "instance-b").await;
    for week in 0..4 {
        let (x, y) = tokio::join!(a.tick(), c.tick());
        assert_eq!(
            posted(&x).len() + posted(&y).len(),
            1,
            "week {week}: {x:?} {y:?}"
        );
        bench.clock.advance(chrono::Duration::days(7));
    }
    let weeks = bench.sink.weeks();
    assert_eq!(weeks, ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]);
}

async fn missed_weeks_post_once_for_the_latest_week(b: Backend) {
    let bench = Bench::new(b, "2026-10-26T08:00:00Z").await;
    let runner = bench.runner(BERLIN_MONDAYS, "a").await;
    assert_eq!(posted(&runner.tick().await), ["2026-W43"]);
    // Down for three scheduled times; back on a Thursday.
    bench.clock.set(at("2026-11-19T15:00:00Z"));
    assert_eq!(posted(&runner.tick().await), ["2026-W46"]);
    assert!(posted(&runner.tick().await).is_empty());
    assert_eq!(bench.sink.weeks(), ["2026-W43", "2026-W46"]);
}

async fn a_failed_post_is_retried_on_the_next_tick(b: Backend) {
    let bench = Bench::new(b, "2026-11-23T09:00:00Z").await;
    let runner = bench.runner(BERLIN_MONDAYS, "a").await;
    *bench.sink.fail.lock().unwrap() = 1;
    assert!(matches!(runner.tick().await[0].1, RunOutcome::Failed(_)));
    assert_eq!(posted(&runner.tick().await), ["2026-W47"]);
    assert_eq!(bench.sink.weeks().len(), 1);
}

async fn quiet_weeks_can_be_skipped(b: Backend) {
    let bench = Bench::new(b, "2026-11-23T09:00:00Z").await;
    let skip = "[[channels]]\nplatform = \"slack\"\nchannel = \"C1\"\nquiet = \"skip\"\n\
                [[channels]]\nplatform = \"slack\"\nchannel = \"C2\"\n";
    let runner = bench.runner(skip, "a").await;
    let outcomes = runner.tick().await;
    assert_eq!(outcomes[0].1, RunOutcome::Skipped);
    assert!(matches!(outcomes[1].1, RunOutcome::Posted { .. }));
    assert!(runner
        .tick()
        .await
        .iter()
        .all(|(_, o)| *o == RunOutcome::AlreadyDone));
    let posts = bench.sink.posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].channel, "C2");
    assert!(posts[0].text.contains("quiet week") && !posts[0].has_chart);
}

async fn post_now_refuses_a_posted_week_unless_forced(b: Backend) {
    let bench = Bench::new(b, "2026-11-25T12:00:00Z").await;
    bench.answered(Asked::default()).await;
    let runner = bench.runner(BERLIN_MONDAYS, "a").await;
    let (key, outcome) = runner.post_now(None, "100", false).await.unwrap();
    assert_eq!(
        (key.week.as_str(), outcome),
        (
            "2026-W47",
            RunOutcome::Posted {
                message_id: "m1".into()
            }
        )
    );
    let err = runner.post_now(None, "100", false).await.unwrap_err();
    assert!(err.to_string().contains("--force"), "{err}");
    assert!(err
        .downcast_ref::<crossroads::domain::UserError>()
        .is_some());
    let (_, again) = runner.post_now(Some("discord"), "100", true).await.unwrap();
    assert_eq!(
        again,
        RunOutcome::Posted {
            message_id: "m2".into()
        }
    );
    assert!(runner
        .tick()
        .await
        .iter()
        .all(|(_, o)| *o == RunOutcome::AlreadyDone));
    let unknown = runner.post_now(None, "999", false).await.unwrap_err();
    assert!(unknown
        .downcast_ref::<crossroads::domain::UserError>()
        .is_some());
    assert!(bench.sink.posts.lock().unwrap()[0].has_chart);
}

async fn anonymous_and_opted_out_askers_never_appear(b: Backend) {
    let bench = Bench::new(b, "2026-11-23T10:00:00Z").await;
    let named = Asked {
        message_id: "1",
        author: Some("4242"),
        text: "How do I tell my manager I am moving to product?",
        category: "role_switch",
        helpful: 3,
        ..Asked::default()
    };
    let anonymous = Asked {
        message_id: "2",
        author: None,
        text: "SECRET-ANON my boss threatens to sue over the non-compete",
        category: "contract_pressure",
        helpful: 5,
        ..Asked::default()
    };
    let private = Asked {
        message_id: "3",
        author: Some("777001"),
        text: "PRIVATE-TEXT should I resign before my bonus pays out",
        helpful: 4,
        ..Asked::default()
    };
    for q in [named, anonymous, private] {
        bench.answered(q).await;
    }
    bench
        .exec("INSERT INTO opt_outs (platform, user_id, at) VALUES ('discord', '777001', 0)")
        .await;
    let runner = bench.runner(BERLIN_MONDAYS, "a").await;
    let digest = runner.preview(None, "100", None).await.unwrap();
    assert_eq!(digest.week.to_string(), "2026-W47");
    assert_eq!(digest.top.len(), 3);
    assert_eq!(digest.total, 3);
    assert_eq!(posted(&runner.tick().await), ["2026-W47"]);
    let text = bench.sink.posts.lock().unwrap()[0].text.clone();
    for hidden in [
        "SECRET-ANON",
        "PRIVATE-TEXT",
        "777001",
        "non-compete",
        "bonus",
    ] {
        assert!(!text.contains(hidden), "{hidden} appears in:\n{text}");
    }
    assert!(
        text.contains("4242") && text.contains("moving to product"),
        "{text}"
    );
    assert!(text.contains("asked anonymously") && text.contains("community member"));
}

/// The chat side needs no platform part for `digest-now`.
struct NoPlatform;

#[async_trait::async_trait]
impl crossroads::core::curation::ModPlatform for NoPlatform {
    async fn post_answer(
        &self,
        _: &crossroads::store::StoredQuestion,
        _: &crossroads::core::Answer,
    ) -> anyhow::Result<crossroads::core::Posted> {
        anyhow::bail!("not used")
    }
    async fn fetch_message(
        &self,
        _: Option<&str>,
        _: &str,
    ) -> anyhow::Result<Option<crossroads::core::curation::FetchedMessage>> {
        Ok(None)
    }
}

async fn digest_now_from_chat_is_for_moderators_only(b: Backend) {
    use crossroads::core::curation::{Command, Curation, Response, ReviewSettings, NOT_ALLOWED};
    use std::sync::Arc;
    let bench = Bench::new(b, "2026-11-25T12:00:00Z").await;
    bench.answered(Asked::default()).await;
    let engine =
        crossroads::core::Engine::open(bench.store.clone(), Default::default(), Default::default())
            .await
            .unwrap();
    let curation = Curation::new(Arc::new(engine), ReviewSettings::default());
    let run = |moderator: bool| {
        let actor = crossroads::domain::Actor {
            platform: "discord".into(),
            user_id: "u9".into(),
            name: "Mo".into(),
            is_moderator: moderator,
        };
        let curation = &curation;
        async move {
            curation
                .run(
                    &actor,
                    "100",
                    Command::parse("digest-now").unwrap(),
                    &NoPlatform,
                )
                .await
        }
    };
    // Not configured yet: a clear message, nothing posted.
    let err = run(true).await.unwrap_err();
    assert!(err.to_string().contains("not configured"), "{err}");
    curation.set_digest(Arc::new(bench.runner(BERLIN_MONDAYS, "a").await));
    assert_eq!(
        run(false).await.unwrap(),
        Response::Text(NOT_ALLOWED.into())
    );
    assert!(bench.sink.posts.lock().unwrap().is_empty());
    let Response::Text(done) = run(true).await.unwrap() else {
        panic!("expected text")
    };
    assert_eq!(done, "Posted the digest for 2026-W47.");
    assert_eq!(bench.sink.posts.lock().unwrap().len(), 1);
    // A second request the same week is refused, not reposted.
    let again = run(true).await.unwrap_err();
    assert!(again.to_string().contains("already posted"), "{again}");
    assert_eq!(bench.sink.posts.lock().unwrap().len(), 1);
}

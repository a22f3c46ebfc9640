//! `crossroads digest preview` and `post-now` as a user runs them: a fresh SQLite database, a
//! config file, no tokens.

use std::process::{Command, Output};

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crossroads"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("DISCORD_TOKEN")
        .env_remove("SLACK_BOT_TOKEN")
        .env(
            "CROSSROADS_DATABASE_URL",
            format!("sqlite://{}", dir.join("c.db").display()),
        )
        .args(args)
        .output()
        .unwrap()
}

fn configured() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crossroads.toml"),
        "[[digest.channels]]\nplatform = \"discord\"\nchannel = \"123\"\n\
         timezone = \"America/New_York\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn preview_prints_a_digest_on_a_fresh_database() {
    let dir = configured();
    let chart = dir.path().join("chart.png");
    let out = run(
        dir.path(),
        &[
            "digest",
            "preview",
            "--channel",
            "123",
            "--week",
            "2026-W47",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Weekly digest 2026-W47 (16 Nov–22 Nov 2026)"),
        "{text}"
    );
    assert!(text.contains("quiet week"), "{text}");
    let out = run(
        dir.path(),
        &[
            "digest",
            "preview",
            "--channel",
            "123",
            "--chart",
            chart.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "a quiet week has no chart");
}

#[test]
fn bad_weeks_unknown_channels_and_missing_tokens_exit_2_with_one_line() {
    let dir = configured();
    let cases: [&[&str]; 5] = [
        &[
            "digest",
            "preview",
            "--channel",
            "123",
            "--week",
            "2026-W99",
        ],
        &[
            "digest",
            "preview",
            "--channel",
            "123",
            "--week",
            "last week",
        ],
        &["digest", "preview", "--channel", "999"],
        &[
            "digest",
            "preview",
            "--channel",
            "123",
            "--platform",
            "slack",
        ],
        &["digest", "post-now", "--channel", "123"],
    ];
    for args in cases {
        let out = run(dir.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_bad_digest_schedule_in_the_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crossroads.toml"),
        "[[digest.channels]]\nplatform = \"discord\"\nchannel = \"1\"\nschedule = \"0 9 * * NOPE\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["digest", "preview", "--channel", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cron"));
}

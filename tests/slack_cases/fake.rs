//! Rate limits, and the fake itself refusing what Slack refuses.

use super::*;

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let (app, _db) = spawn(Sqlite, Mode::Events).await;
    app.fake.rate_limit_next("chat.postMessage", 1);
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.deliver(&p::callback(
        "Ev429",
        p::message(CAREERS, "U1", QUESTION, &ts, None),
    ))
    .await;
    app.fake.reply_in_thread(CAREERS, &ts).await;
    let calls = app.fake.calls("chat.postMessage");
    assert_eq!(calls[0].error.as_deref(), Some("ratelimited"));
    assert!(calls[1].error.is_none());
    assert!(
        calls[1].at - calls[0].at >= Duration::from_secs(1),
        "waited out Retry-After"
    );
}

/// The fake must refuse what Slack refuses, or the tests above would prove little.
#[tokio::test]
async fn the_fake_refuses_what_slack_refuses() {
    use support::slack::{APP_TOKEN, BOT_TOKEN};
    let fake = FakeSlack::start().await;
    let call = |token: &'static str, method: &'static str, args: Value| {
        let fake = fake.clone();
        async move {
            let auth = vec![("Authorization", format!("Bearer {token}"))];
            let res = client::post(
                fake.api_addr,
                &format!("/api/{method}"),
                JSON,
                &auth,
                &args.to_string(),
            )
            .await;
            let body: Value = serde_json::from_str(&res.body).unwrap();
            body["error"].as_str().unwrap_or("ok").to_owned()
        }
    };
    let section =
        |n: usize| json!({"type": "section", "text": {"type": "mrkdwn", "text": "x".repeat(n)}});
    let post = "chat.postMessage";
    let users_msg = fake.user_message(CAREERS, "mine", None);
    let too_many: Vec<_> = (0..51).map(|_| section(1)).collect();
    let cases = [
        (BOT_TOKEN, post, json!({"text": "hi"}), "channel_not_found"),
        (
            BOT_TOKEN,
            post,
            json!({"channel": "CNOTMINE", "text": "hi"}),
            "not_in_channel",
        ),
        (BOT_TOKEN, post, json!({"channel": CAREERS}), "no_text"),
        (
            "xoxb-wrong",
            post,
            json!({"channel": CAREERS, "text": "hi"}),
            "invalid_auth",
        ),
        (
            APP_TOKEN,
            post,
            json!({"channel": CAREERS, "text": "hi"}),
            "not_allowed_token_type",
        ),
        (
            BOT_TOKEN,
            post,
            json!({"channel": CAREERS, "text": "x".repeat(40_001)}),
            "msg_too_long",
        ),
        (
            BOT_TOKEN,
            post,
            json!({"channel": CAREERS, "blocks": too_many}),
            "invalid_blocks",
        ),
        (
            BOT_TOKEN,
            post,
            json!({"channel": CAREERS, "blocks": [section(3001)]}),
            "invalid_blocks",
        ),
        (
            BOT_TOKEN,
            post,
            json!({"channel": CAREERS, "blocks": [section(3000)]}),
            "ok",
        ),
        (
            BOT_TOKEN,
            "views.open",
            json!({"trigger_id": "made-up", "view": {}}),
            "invalid_trigger_id",
        ),
        (
            BOT_TOKEN,
            "apps.connections.open",
            json!({}),
            "not_allowed_token_type",
        ),
        (
            BOT_TOKEN,
            "chat.getPermalink",
            json!({"channel": CAREERS, "message_ts": "1.2"}),
            "message_not_found",
        ),
        (
            BOT_TOKEN,
            "users.info",
            json!({"user": "UNOONE"}),
            "user_not_found",
        ),
        (
            BOT_TOKEN,
            "usergroups.users.list",
            json!({"usergroup": "S0NONE"}),
            "no_such_subteam",
        ),
        (
            BOT_TOKEN,
            "conversations.replies",
            json!({"channel": CAREERS, "ts": "1.2"}),
            "thread_not_found",
        ),
        (
            BOT_TOKEN,
            "conversations.replies",
            json!({"channel": "CNOTMINE", "ts": "1.2"}),
            "not_in_channel",
        ),
        (
            BOT_TOKEN,
            "conversations.history",
            json!({"channel": "CNOTMINE"}),
            "not_in_channel",
        ),
        (
            BOT_TOKEN,
            "chat.update",
            json!({"channel": CAREERS, "ts": "1.2", "text": "x"}),
            "message_not_found",
        ),
        (
            BOT_TOKEN,
            "chat.update",
            json!({"channel": CAREERS, "ts": users_msg, "text": "x"}),
            "cant_update_message",
        ),
    ];
    for (token, method, args, expected) in cases {
        let shown = format!("{token} {method} {args}");
        assert_eq!(call(token, method, args).await, expected, "{shown:.200}");
    }
}

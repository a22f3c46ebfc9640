//! Events in: signed requests, retries, a second instance, Socket Mode.

use super::*;

pub(super) async fn valid_event_is_answered_in_its_thread(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    // Posting is held until after the ack: the work must not happen inside the request.
    app.fake.hold_posts();
    let res = app
        .deliver(&p::callback(
            "Ev1",
            p::message(CAREERS, "U1", QUESTION, &ts, None),
        ))
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    app.fake.release_posts();

    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    let blocks = reply.blocks.as_array().unwrap();
    let kinds: Vec<_> = blocks.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert!(
        kinds.len() >= 4 && kinds.ends_with(&["context", "actions"]),
        "{kinds:?}"
    );
    assert!(
        kinds[1..kinds.len() - 2].iter().all(|k| *k == "section"),
        "one section per snippet"
    );
    assert!(
        blocks[1]["text"]["text"]
            .as_str()
            .unwrap()
            .contains("Source: "),
        "snippets cite their source"
    );
    let labels: Vec<_> = blocks.last().unwrap()["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Helpful", "Not helpful", "Flag"]);

    let id = question_id(&reply);
    answered(&app, id).await;
    let q = stored(&app, id).await;
    assert_eq!(
        (q.message_id.as_str(), q.author_id.as_deref()),
        (format!("{CAREERS}:{ts}").as_str(), Some("U1"))
    );
    assert_eq!(q.state, "answered");
    assert_no_pings(&app.fake);
}

pub(super) async fn unsigned_requests_get_401_and_store_nothing(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    let event = p::callback("EvBad", p::message(CAREERS, "U1", QUESTION, &ts, None)).to_string();
    let command = p::command_form(CAREERS, "U1", "", &app.fake.trigger());
    let good = client::signature(SIGNING_SECRET, client::now(), &event);
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "bad signature",
            client::signature("not-the-secret", client::now(), &event),
        ),
        (
            "stale timestamp",
            client::signature(SIGNING_SECRET, client::now() - 301, &event),
        ),
        (
            "future timestamp",
            client::signature(SIGNING_SECRET, client::now() + 301, &event),
        ),
        ("missing timestamp", vec![good[1].clone()]),
        ("missing signature", vec![good[0].clone()]),
        ("no headers", vec![]),
    ];
    for (case, headers) in &cases {
        let res = client::post(app.http, "/slack/events", JSON, headers, &event).await;
        assert_eq!(res.status, 401, "{case}: {res:?}");
    }
    // A valid signature over a different body doesn't transfer either.
    let res = client::post(
        app.http,
        "/slack/events",
        JSON,
        &good,
        &event.replace("U1", "U2"),
    )
    .await;
    assert_eq!(res.status, 401);
    for path in ["/slack/commands", "/slack/interactive"] {
        let headers = client::signature("not-the-secret", client::now(), &command);
        assert_eq!(
            client::post(app.http, path, FORM, &headers, &command)
                .await
                .status,
            401,
            "{path}"
        );
    }
    // Slack's URL check is answered once signed.
    let check = json!({"token": "x", "challenge": "c-123", "type": "url_verification"}).to_string();
    let res = app.post_signed("/slack/events", JSON, &check).await;
    assert_eq!(
        (
            res.status,
            serde_json::from_str::<Value>(&res.body).unwrap()["challenge"].clone()
        ),
        (200, json!("c-123"))
    );

    settle(&app).await;
    assert!(
        app.fake.with(|s| s.views.is_empty()),
        "no modal for the unsigned /ask"
    );
    assert_eq!(
        replies_in(&app.fake, CAREERS, &ts),
        0,
        "the unsigned question was not answered"
    );
    assert!(app
        .store
        .unanswered_questions("slack")
        .await
        .unwrap()
        .is_empty());
    let barrier = question_id(&app.fake.bot_posts()[0]);
    assert_eq!(barrier, 1, "the barrier is the first question ever stored");
}

pub(super) async fn a_retried_event_gets_one_reply(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app
        .fake
        .user_message(CAREERS, &format!("<@UBOT> {QUESTION}"), None);
    let event = p::callback("EvRetry", p::message(CAREERS, "U1", QUESTION, &ts, None)).to_string();
    assert_eq!(
        app.deliver(&serde_json::from_str(&event).unwrap())
            .await
            .status,
        200
    );
    for n in 1..=3 {
        let mut headers = client::signature(SIGNING_SECRET, client::now(), &event);
        headers.push(("X-Slack-Retry-Num", n.to_string()));
        headers.push(("X-Slack-Retry-Reason", "http_timeout".into()));
        assert_eq!(
            client::post(app.http, "/slack/events", JSON, &headers, &event)
                .await
                .status,
            200
        );
    }
    // The same message also arrives as an app_mention, under another event id.
    let mention = p::app_mention(CAREERS, "U1", &format!("<@UBOT> {QUESTION}"), &ts, None);
    assert_eq!(
        app.deliver(&p::callback("EvMention", mention)).await.status,
        200
    );
    app.fake.reply_in_thread(CAREERS, &ts).await;
    settle(&app).await;
    assert_eq!(replies_in(&app.fake, CAREERS, &ts), 1);
}

pub(super) async fn a_second_instance_on_the_same_database_does_not_reply_again(backend: Backend) {
    let (first, _db) = spawn(backend, Mode::Events).await;
    let second = spawn_on(&first.db_url, first.fake.clone(), Mode::Events).await;
    let ts = first.fake.user_message(CAREERS, QUESTION, None);
    let event = p::callback("EvTwice", p::message(CAREERS, "U1", QUESTION, &ts, None));
    let dm = first.fake.open_dm("U9");
    let dm_ts = first.fake.user_message(
        &dm,
        "Should I sign a non-compete my employer just sent?",
        None,
    );
    let dm_event = p::callback(
        "EvDmTwice",
        p::message(
            &dm,
            "U9",
            "Should I sign a non-compete my employer just sent?",
            &dm_ts,
            None,
        ),
    );
    // Slack retries can land on either replica; here every delivery reaches both at once.
    let (a, b, c, d) = tokio::join!(
        first.deliver(&event),
        second.deliver(&event),
        first.deliver(&dm_event),
        second.deliver(&dm_event)
    );
    assert!([a, b, c, d].iter().all(|r| r.status == 200));
    first.fake.reply_in_thread(CAREERS, &ts).await;
    let repost = anonymous_repost(&first.fake).await;
    first.fake.reply_in_thread(ANON, &repost.ts).await;
    settle(&first).await;
    settle(&second).await;
    assert_eq!(replies_in(&first.fake, CAREERS, &ts), 1);
    let reposts = first
        .fake
        .bot_posts()
        .into_iter()
        .filter(|m| m.channel == ANON && m.thread_ts.is_none())
        .count();
    assert_eq!(reposts, 1, "the DM was reposted once");
    second.stop().await;
}

pub(super) async fn socket_mode_envelopes_are_acknowledged_and_answered(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Socket).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.fake.hold_posts();
    let envelope = app.fake.send_envelope(
        "events_api",
        p::callback("EvSock", p::message(CAREERS, "U1", QUESTION, &ts, None)),
    );
    let ack = app.fake.ack(&envelope).await;
    assert_eq!(
        ack["envelope_id"],
        json!(envelope),
        "acknowledged while the reply is still held"
    );
    app.fake.release_posts();
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(&app, question_id(&reply)).await;

    // Slash commands come the same way and open the modal.
    let trigger = app.fake.trigger();
    let envelope = app
        .fake
        .send_envelope("slash_commands", p::command(CAREERS, ASKER, "", &trigger));
    app.fake.ack(&envelope).await;
    app.fake
        .wait_for("the /ask modal", |s| s.views.first().cloned())
        .await;
    let res = client::post(app.http, "/slack/events", JSON, &[], "{}").await;
    assert_eq!(
        res.status, 404,
        "no Events API routes in Socket Mode without a signing secret"
    );
    app.stop().await;
}

//! Anonymous asking: the /ask modal and DMs leave no trace of the author.

use super::*;

pub(super) async fn anonymous_modal_submission_leaves_no_trace_of_the_author(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let trigger = app.fake.trigger();
    let res = app
        .post_signed(
            "/slack/commands",
            FORM,
            &p::command_form(CAREERS, ASKER, "", &trigger),
        )
        .await;
    assert_eq!((res.status, res.body.as_str()), (200, ""));
    let view = app
        .fake
        .wait_for("the /ask modal", |s| s.views.first().cloned())
        .await;
    assert_eq!(
        (
            view["callback_id"].as_str(),
            view["private_metadata"].as_str()
        ),
        (Some("crossroads_ask"), Some(CAREERS))
    );

    // A blank question keeps the modal open with an error.
    let blank = p::interactive_form(&p::view_submission(&view, ASKER, "   ", true));
    let res = app.post_signed("/slack/interactive", FORM, &blank).await;
    assert_eq!(
        serde_json::from_str::<Value>(&res.body).unwrap()["response_action"],
        "errors"
    );

    let text = format!("{QUESTION} <!channel> <!here> <!everyone> <!subteam^S0MODS|@mods>");
    let submit = p::interactive_form(&p::view_submission(&view, ASKER, &text, true));
    let res = app.post_signed("/slack/interactive", FORM, &submit).await;
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, ""),
        "closes the modal"
    );

    let repost = anonymous_repost(&app.fake).await;
    assert!(
        repost.text.starts_with("*Anonymous question*"),
        "{}",
        repost.text
    );
    let shown = format!("{} {}", repost.text, repost.blocks);
    assert!(
        !shown.contains(ASKER) && !shown.contains("asker"),
        "author leaked: {shown}"
    );
    let reply = app.fake.reply_in_thread(ANON, &repost.ts).await;
    let id = question_id(&reply);
    answered(&app, id).await;
    let q = stored(&app, id).await;
    assert_eq!(
        (q.author_id.as_deref(), q.anonymous, q.channel.as_str()),
        (None, true, ANON)
    );
    assert!(!format!("{q:?}").contains(ASKER));
    // The asker alone hears where it went, by DM.
    let link = app
        .fake
        .wait_for("the link DM", |s| {
            s.messages.iter().find(|m| m.channel == ASKER).cloned()
        })
        .await;
    assert!(
        link.text
            .contains("https://fake.slack.com/archives/CANON/p"),
        "{}",
        link.text
    );
    assert_no_pings(&app.fake);

    // Without the box ticked, the question is posted under the asker's name.
    let named = p::interactive_form(&p::view_submission(
        &view,
        ASKER,
        "Should I leave before my bonus vests?",
        false,
    ));
    app.post_signed("/slack/interactive", FORM, &named).await;
    let post = app
        .fake
        .wait_for("the named question", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == CAREERS && m.by_bot && m.thread_ts.is_none())
                .cloned()
        })
        .await;
    assert!(post
        .text
        .starts_with(&format!("*Question from <@{ASKER}>*")));
    let reply = app.fake.reply_in_thread(CAREERS, &post.ts).await;
    assert_eq!(
        stored(&app, question_id(&reply)).await.author_id.as_deref(),
        Some(ASKER)
    );
}

pub(super) async fn a_dm_is_reposted_anonymously_once(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let dm = app.fake.open_dm(ASKER);
    let text = "<!here> My contract says I must repay my relocation bonus if I quit. Do I have to?";
    let ts = app.fake.user_message(&dm, text, None);
    let event = p::callback("EvDm", p::message(&dm, ASKER, text, &ts, None));
    assert_eq!(app.deliver(&event).await.status, 200);
    let repost = anonymous_repost(&app.fake).await;
    assert!(!repost.text.contains(ASKER) && !repost.text.contains(&dm));
    let reply = app.fake.reply_in_thread(ANON, &repost.ts).await;
    let id = question_id(&reply);
    answered(&app, id).await;
    let q = stored(&app, id).await;
    assert_eq!((q.author_id.as_deref(), q.channel.as_str()), (None, ANON));
    assert!(
        !format!("{q:?}").contains(&dm),
        "the DM channel is not stored"
    );
    app.fake
        .wait_for("the link DM", |s| {
            s.messages
                .iter()
                .find(|m| m.channel == dm && m.by_bot)
                .cloned()
        })
        .await;

    // Slack retries the DM event: no second repost.
    let mut retry = client::signature(SIGNING_SECRET, client::now(), &event.to_string());
    retry.push(("X-Slack-Retry-Num", "1".into()));
    client::post(app.http, "/slack/events", JSON, &retry, &event.to_string()).await;
    settle(&app).await;
    let reposts = app
        .fake
        .bot_posts()
        .into_iter()
        .filter(|m| m.channel == ANON && m.thread_ts.is_none())
        .count();
    assert_eq!(reposts, 1);
    assert_no_pings(&app.fake);
}

//! After the answer: votes, replay after a restart, follow-ups in the thread.

use super::*;

pub(super) async fn votes_are_recorded_against_the_answer(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.deliver(&p::callback(
        "EvVote",
        p::message(CAREERS, "U1", QUESTION, &ts, None),
    ))
    .await;
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(&app, question_id(&reply)).await;
    let click =
        |user: &str, action: &str| p::interactive_form(&p::block_actions(&reply, user, action));
    assert_eq!(
        app.post_signed("/slack/interactive", FORM, &click("U2", "vote_helpful"))
            .await
            .status,
        200
    );
    let helpful = until("a helpful vote", || async {
        let votes = app.store.net_votes().await.unwrap();
        votes.values().any(|v| *v == 1).then_some(votes)
    })
    .await;
    assert!(!helpful.is_empty());
    // Voting again replaces the vote.
    app.post_signed("/slack/interactive", FORM, &click("U2", "vote_not_helpful"))
        .await;
    until("the vote to flip", || async {
        let votes = app.store.net_votes().await.unwrap();
        votes.values().all(|v| *v <= 0).then_some(())
    })
    .await;
    app.post_signed("/slack/interactive", FORM, &click("U3", "vote_flag"))
        .await;
    let thanks = app
        .fake
        .wait_for("three confirmations", |s| {
            (s.ephemerals.len() == 3).then(|| s.ephemerals.clone())
        })
        .await;
    assert!(
        thanks.iter().all(|e| e["thread_ts"] == json!(ts)),
        "confirmed in the thread: {thanks:?}"
    );
    assert!(thanks[2]["text"].as_str().unwrap().contains("moderator"));
}

pub(super) async fn questions_left_unanswered_are_answered_after_restart(backend: Backend) {
    let db = support::db::fresh(backend).await;
    let fake = FakeSlack::start().await;
    // A previous run stored this question, then died before answering it.
    let ts = fake.user_message(CAREERS, QUESTION, None);
    let store = crossroads::store::connect(&db.url).await.unwrap();
    store
        .record_question(&NewQuestion {
            platform: "slack".into(),
            workspace: "T0FAKE".into(),
            channel: CAREERS.into(),
            message_id: format!("{CAREERS}:{ts}"),
            thread_id: None,
            author_id: Some("U1".into()),
            text: QUESTION.into(),
        })
        .await
        .unwrap();
    let app = spawn_on(&db.url, fake, Mode::Events).await;
    let reply = app.fake.reply_in_thread(CAREERS, &ts).await;
    answered(&app, question_id(&reply)).await;
    assert!(app
        .store
        .unanswered_questions("slack")
        .await
        .unwrap()
        .is_empty());
}

pub(super) async fn follow_ups_are_answered_as_on_discord(backend: Backend) {
    let (app, _db) = spawn(backend, Mode::Events).await;
    let max = SlackSettings::default().max_thread_replies;
    let ts = app.fake.user_message(CAREERS, QUESTION, None);
    app.deliver(&p::callback(
        "EvTop",
        p::message(CAREERS, "U1", QUESTION, &ts, None),
    ))
    .await;
    let thread = format!("{CAREERS}:{ts}");
    let recorded = |want: i64| {
        let (store, thread) = (app.store.clone(), thread.clone());
        async move {
            let n = store.thread_answer_count("slack", &thread).await.unwrap();
            (n >= want).then_some(())
        }
    };
    until("the first answer", || recorded(1)).await;
    let follow_up = "What if they offer me a promotion instead of a raise when I resign?";
    let reply = |id: &str, user: &str, text: &str| {
        let reply_ts = app.fake.user_message(CAREERS, text, Some(&ts));
        p::callback(id, p::message(CAREERS, user, text, &reply_ts, Some(&ts)))
    };
    // Someone else's reply, and the asker's "thanks!", are left to people.
    app.deliver(&reply("EvOther", "U2", follow_up)).await;
    app.deliver(&reply("EvThanks", "U1", "thanks!")).await;
    // The asker's follow-ups are answered, with the thread's question as context, up to the cap.
    for n in 1..max {
        app.deliver(&reply(&format!("EvFollow{n}"), "U1", follow_up))
            .await;
        until("the follow-up answer", || recorded(n + 1)).await;
    }
    app.deliver(&reply("EvOverCap", "U1", follow_up)).await;
    // Chatter in a thread the bot never answered, or in a channel it doesn't watch: left alone.
    let other = app.fake.user_message(CAREERS, "Lunch?", None);
    let chatter = app.fake.user_message(CAREERS, follow_up, Some(&other));
    let event = p::message(CAREERS, "U2", follow_up, &chatter, Some(&other));
    app.deliver(&p::callback("EvChatter", event)).await;
    let random = app.fake.user_message(RANDOM, QUESTION, None);
    app.deliver(&p::callback(
        "EvRandom",
        p::message(RANDOM, "U2", QUESTION, &random, None),
    ))
    .await;
    settle(&app).await;
    assert_eq!(replies_in(&app.fake, CAREERS, &ts) as i64, max, "capped");
    assert_eq!(replies_in(&app.fake, CAREERS, &other), 0);
    assert_eq!(replies_in(&app.fake, RANDOM, &random), 0);
    let last = app
        .fake
        .bot_posts()
        .into_iter()
        .rfind(|m| m.thread_ts.as_deref() == Some(ts.as_str()))
        .unwrap();
    let asked = stored(&app, question_id(&last)).await;
    assert_eq!(asked.text, format!("{QUESTION}\n\n{follow_up}"));
    assert_eq!(asked.thread_id.as_deref(), Some(thread.as_str()));

    // Calling the bot by name in any thread makes it a question there.
    let mention = format!("<@UBOT> {QUESTION}");
    let mention_ts = app.fake.user_message(RANDOM, &mention, Some(&random));
    let event = p::app_mention(RANDOM, "U2", &mention, &mention_ts, Some(&random));
    app.deliver(&p::callback("EvMentionRandom", event)).await;
    app.fake.reply_in_thread(RANDOM, &random).await;

    // Too short to answer: a hint only the asker sees.
    let hi = app.fake.user_message(CAREERS, "hi all", None);
    app.deliver(&p::callback(
        "EvHi",
        p::message(CAREERS, "U5", "hi all", &hi, None),
    ))
    .await;
    let hint = app
        .fake
        .wait_for("the hint", |s| {
            s.ephemerals.iter().find(|e| e["user"] == "U5").cloned()
        })
        .await;
    assert!(
        hint["text"]
            .as_str()
            .unwrap()
            .contains("characters or more"),
        "{hint}"
    );
    assert_eq!(replies_in(&app.fake, CAREERS, &hi), 0);
}

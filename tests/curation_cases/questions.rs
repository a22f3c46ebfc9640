//! Recategorizing, answering and promoting, and the review queue.

use super::*;

async fn recategorizing_changes_how_a_similar_question_is_classified(backend: Backend) {
    let f = Fixture::new(backend).await;
    let mo = actor("mo", true);
    let before = f
        .curation
        .engine()
        .classify(&QuestionText::parse(SABBATICAL_AGAIN).unwrap());
    assert_ne!(before.primary.as_str(), "role_switch");
    let q = f.ask("200", SABBATICAL).await;
    let reply = f.text(&mo, &format!("recategorize #{q} role_switch")).await;
    assert!(reply.contains("role_switch"), "{reply}");
    let after = f
        .curation
        .engine()
        .classify(&QuestionText::parse(SABBATICAL_AGAIN).unwrap());
    assert_eq!(after.primary.as_str(), "role_switch");
    // Unrelated questions are untouched.
    let other = f
        .curation
        .engine()
        .classify(&QuestionText::parse("What laptop do you recommend for coding?").unwrap());
    assert_eq!(other.primary.as_str(), "other");
    // Recategorizing again replaces the correction instead of adding a second one.
    f.text(&mo, &format!("recategorize #{q} quitting")).await;
    let corrections: Vec<_> = f
        .store()
        .examples()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.id.starts_with("correction-"))
        .collect();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].primary.as_str(), "quitting");
}

async fn two_moderators_resolving_one_item_exactly_one_wins(backend: Backend) {
    let f = Fixture::new(backend).await;
    let q = f.ask("300", SABBATICAL).await;
    let item = f
        .store()
        .enqueue_review(&store::NewReviewItem {
            platform: PLATFORM.into(),
            kind: ReviewKind::LowConfidence,
            dedupe_key: format!("q:{q}"),
            question_id: Some(q),
            snippet_id: None,
            detail: "abstained".into(),
        })
        .await
        .unwrap()
        .unwrap();
    let snippet = f
        .curation
        .item_view(f.store().review_item(item).await.unwrap().unwrap())
        .await
        .unwrap();
    let answer_with = snippet
        .suggestions
        .first()
        .map(|s| s.0.clone())
        .unwrap_or_else(|| "quit-well".into());
    let (a, b) = (actor("ann", true), actor("bob", true));
    let (ra, rb) = tokio::join!(
        f.curation.resolve_item(
            &a,
            item,
            ItemAction::Answer(answer_with.clone()),
            &f.platform
        ),
        f.curation
            .resolve_item(&b, item, ItemAction::Dismiss, &f.platform),
    );
    let texts = [ra.unwrap(), rb.unwrap()].map(|r| match r {
        Response::Text(t) => t,
        _ => panic!(),
    });
    let lost: Vec<_> = texts
        .iter()
        .filter(|t| t.starts_with("Already resolved by"))
        .collect();
    assert_eq!(lost.len(), 1, "{texts:?}");
    let row = f.store().review_item(item).await.unwrap().unwrap();
    let winner = row.resolved_by.unwrap();
    assert!(lost[0].contains(&winner));
    let posts = f.platform.0.lock().unwrap().len();
    assert_eq!(
        posts,
        usize::from(winner.contains("ann")),
        "only an Answer resolution posts"
    );
}

async fn queue_items_are_enqueued_once_per_cause(backend: Backend) {
    let f = Fixture::new(backend).await;
    let settings = ReviewSettings::default();
    let q = f
        .ask("400", "What laptop do you recommend for coding?")
        .await;
    let stored = f.store().question(q).await.unwrap().unwrap();
    let answer = f
        .curation
        .engine()
        .answer(&QuestionText::parse(&stored.text).unwrap());
    assert!(
        queue::after_answer(&**f.store(), &settings, &stored, &answer)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        queue::after_answer(&**f.store(), &settings, &stored, &answer)
            .await
            .unwrap()
            .is_none()
    );
    // Unanswered: a pending question older than the limit, once.
    let later = crossroads::domain::now_ms() + 3_600_000;
    let p = f.ask("401", SABBATICAL).await;
    assert!(
        queue::sweep(&**f.store(), &settings, PLATFORM, later)
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(
        queue::sweep(&**f.store(), &settings, PLATFORM, later)
            .await
            .unwrap(),
        0
    );
    let open = f.store().open_review_items(PLATFORM, 100).await.unwrap();
    assert!(open
        .iter()
        .any(|i| i.question_id == Some(p) && i.kind == "unanswered"));
    // Snippets past their review-by date: every built-in one, two years on.
    let years = later + 2 * 365 * 86_400_000;
    let n = queue::sweep(&**f.store(), &settings, PLATFORM, years)
        .await
        .unwrap();
    assert_eq!(
        n,
        f.store()
            .snippets()
            .await
            .unwrap()
            .iter()
            .filter(|s| s.status == SnippetStatus::Approved)
            .count()
    );
    let text = f.text(&actor("mo", true), "queue").await;
    assert!(
        text.contains("low_confidence") && text.contains(&format!("question #{q}")),
        "{text}"
    );
}

async fn answer_and_promote_work_and_answering_twice_is_refused(backend: Backend) {
    let f = Fixture::new(backend).await;
    let mo = actor("mo", true);
    let q = f.ask("500", SABBATICAL).await;
    let snippet = f
        .store()
        .snippets()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.status == SnippetStatus::Approved)
        .unwrap();
    let link = "https://discord.com/channels/g1/c1/500"
        .replace("g1", "1")
        .replace("c1", "2");
    let done = f.text(&mo, &format!("answer {link} {}", snippet.id)).await;
    assert!(done.contains(&snippet.id), "{done}");
    assert_eq!(
        f.platform.0.lock().unwrap().as_slice(),
        [(q, vec![snippet.id.clone()])]
    );
    assert_eq!(
        f.store().question(q).await.unwrap().unwrap().state,
        "answered"
    );
    assert!(f.store().answer_for_question(q).await.unwrap().is_some());
    let err = f
        .run(&mo, &format!("answer #{q} {}", snippet.id))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already answered"), "{err}");

    let promoted = f
        .text(&mo, "promote https://discord.com/channels/1/2/555")
        .await;
    assert!(promoted.contains("Dana"), "{promoted}");
    let draft = f
        .store()
        .snippets()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.author == "Dana")
        .unwrap();
    assert_eq!(draft.status, SnippetStatus::Draft);
    assert!(draft.source.title.contains("Dana"));
    assert_eq!(draft.source.url, "https://discord.com/channels/1/2/555");
    assert!(f.run(&mo, "promote 999").await.is_err());
    assert!(matches!(
        MessageRef::parse("#1"),
        Ok(MessageRef::Question(1))
    ));
}

both_backends!(
    recategorizing_changes_how_a_similar_question_is_classified,
    two_moderators_resolving_one_item_exactly_one_wins,
    queue_items_are_enqueued_once_per_cause,
    answer_and_promote_work_and_answering_twice_is_refused,
);

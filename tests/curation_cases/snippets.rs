//! Rights, and the snippet lifecycle: draft, approved, retired.

use super::*;

async fn non_moderators_change_nothing(backend: Backend) {
    let f = Fixture::new(backend).await;
    let mallory = actor("mallory", false);
    let snippets_before = f.store().snippets().await.unwrap();
    let examples_before = f.store().examples().await.unwrap().len();
    let q = f.ask("100", SABBATICAL).await;
    let id = &snippets_before[0].id;
    for cmd in [
        format!("retire {id}"),
        format!("approve {id}"),
        format!("recategorize #{q} role_switch"),
        format!("answer #{q} {id}"),
        "queue".to_owned(),
        "promote 555".to_owned(),
    ] {
        assert_eq!(f.text(&mallory, &cmd).await, NOT_ALLOWED, "{cmd}");
    }
    let form = SnippetForm {
        title: "x".into(),
        body: "y".into(),
        categories: "quitting".into(),
        source: "z".into(),
        ..Default::default()
    };
    assert_eq!(
        f.curation.save_form(&mallory, &form).await.unwrap(),
        NOT_ALLOWED
    );
    let item = f
        .store()
        .enqueue_review(&store::NewReviewItem {
            platform: PLATFORM.into(),
            kind: ReviewKind::Unanswered,
            dedupe_key: "k".into(),
            question_id: Some(q),
            snippet_id: None,
            detail: String::new(),
        })
        .await
        .unwrap()
        .unwrap();
    let r = f
        .curation
        .resolve_item(&mallory, item, ItemAction::Dismiss, &f.platform)
        .await
        .unwrap();
    assert_eq!(r, Response::Text(NOT_ALLOWED.into()));

    assert_eq!(f.store().snippets().await.unwrap(), snippets_before);
    assert_eq!(f.store().examples().await.unwrap().len(), examples_before);
    assert!(f
        .store()
        .review_item(item)
        .await
        .unwrap()
        .unwrap()
        .resolved_by
        .is_none());
    assert!(f.platform.0.lock().unwrap().is_empty());
    let audit = f.store().audit_since(0).await.unwrap();
    let refused: Vec<_> = audit.iter().filter(|e| !e.allowed).collect();
    assert_eq!(refused.len(), 8);
    assert!(refused.iter().all(|e| e.actor.contains("mallory")));
    // Anyone may opt out of the digest.
    assert!(f.text(&mallory, "optout").await.starts_with("Done"));
    assert!(f.store().is_opted_out(PLATFORM, "mallory").await.unwrap());
}

async fn added_then_approved_snippet_is_served_then_retired_never_again(backend: Backend) {
    let f = Fixture::new(backend).await;
    let mo = actor("mo", true);
    let question = "My manager keeps asking me to train my replacement before I resign, how do I handle the handover?";
    assert_eq!(
        f.run(&mo, "add").await.unwrap(),
        Response::Form(SnippetForm::default())
    );
    let form = SnippetForm {
        id: None,
        title: "Handover before you resign".into(),
        body: "Write the handover document before you resign: a replacement you train well is the best reference you leave behind.".into(),
        categories: "quitting".into(),
        tags: "handover, replacement".into(),
        source: "Team handbook https://example.org/handover".into(),
    };
    let saved = f.curation.save_form(&mo, &form).await.unwrap();
    assert!(saved.contains("handover-before-you-resign"), "{saved}");
    assert!(
        !f.served(question)
            .contains(&"handover-before-you-resign".to_owned()),
        "drafts are not served"
    );

    f.text(&mo, "approve handover-before-you-resign").await;
    assert!(f
        .served(question)
        .contains(&"handover-before-you-resign".to_owned()));

    // Editing keeps it approved and adds a version.
    let Response::Form(mut edit) = f.run(&mo, "edit handover-before-you-resign").await.unwrap()
    else {
        panic!()
    };
    assert_eq!(edit.title, form.title);
    edit.body
        .push_str(" Offer one follow-up call, not open-ended help.");
    f.curation.save_form(&mo, &edit).await.unwrap();

    f.text(&mo, "retire handover-before-you-resign").await;
    assert!(!f
        .served(question)
        .contains(&"handover-before-you-resign".to_owned()));
    let history = f
        .store()
        .snippet_history("handover-before-you-resign")
        .await
        .unwrap();
    let states: Vec<&str> = history.iter().map(|v| v.status.as_str()).collect();
    assert_eq!(states, ["draft", "approved", "approved", "retired"]);
    assert!(history.iter().all(|v| v.changed_by.contains("mo")));
    // A fresh engine over the same store (a restart) does not serve it either.
    let again = Engine::open(
        f.store().clone(),
        ClassifierConfig::default(),
        Templates::default(),
    )
    .await
    .unwrap();
    let a = again.answer(&QuestionText::parse(question).unwrap());
    assert!(a
        .reply
        .snippets
        .iter()
        .all(|s| s.id != "handover-before-you-resign"));
    let shown = f.text(&mo, "show handover-before-you-resign").await;
    assert!(shown.contains("retired") && shown.contains("v4"), "{shown}");

    // `knowledge export` writes out what was curated in chat, and it reads back the same.
    let k = crossroads::domain::Knowledge {
        categories: f.store().categories().await.unwrap(),
        snippets: f.store().snippets().await.unwrap(),
        examples: f.store().examples().await.unwrap(),
    };
    let dir = tempfile::tempdir().unwrap();
    crossroads::knowledge::write_dir(&k, dir.path()).unwrap();
    let file =
        std::fs::read_to_string(dir.path().join("snippets/handover-before-you-resign.md")).unwrap();
    assert!(
        file.contains("status = \"retired\"") && file.contains("one follow-up call"),
        "{file}"
    );
    assert_eq!(crossroads::knowledge::load_dir(dir.path()).unwrap(), k);
}

both_backends!(
    non_moderators_change_nothing,
    added_then_approved_snippet_is_served_then_retired_never_again,
);

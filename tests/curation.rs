//! Moderator curation and the review queue through `core::curation`, on SQLite and PostgreSQL.
//! The platform part is a recording stand-in here; the Discord and Slack suites drive the same
//! flows through the real clients and the fake platforms.

mod support {
    pub mod db;
}

use async_trait::async_trait;
use crossroads::core::curation::{
    queue, Command, Curation, FetchedMessage, ItemAction, MessageRef, ModPlatform, Response,
    ReviewSettings, SnippetForm, NOT_ALLOWED,
};
use crossroads::core::{Answer, ClassifierConfig, Engine, Posted, Templates};
use crossroads::domain::{Actor, QuestionText, SnippetStatus};
use crossroads::store::{self, NewQuestion, ReviewKind, Store};
use std::sync::{Arc, Mutex};
use support::db::{fresh, Backend};

const PLATFORM: &str = "discord";

struct Recorder(Mutex<Vec<(i64, Vec<String>)>>);

#[async_trait]
impl ModPlatform for Recorder {
    async fn post_answer(&self, q: &store::StoredQuestion, a: &Answer) -> anyhow::Result<Posted> {
        let ids = a.reply.snippets.iter().map(|s| s.id.clone()).collect();
        self.0.lock().unwrap().push((q.id, ids));
        Ok(Posted {
            channel: q.channel.clone(),
            thread_id: Some(format!("thread-{}", q.id)),
            message_ids: vec![format!("m-{}", q.id)],
        })
    }

    async fn fetch_message(
        &self,
        _: Option<&str>,
        id: &str,
    ) -> anyhow::Result<Option<FetchedMessage>> {
        Ok((id == "555").then(|| FetchedMessage {
            author_id: "u-helper".into(),
            author_name: "Dana".into(),
            text: "Give the notice your contract asks for, in writing, and keep it short.\nThen hand over cleanly.".into(),
            thread_id: None,
            link: Some("https://discord.com/channels/1/2/555".into()),
        }))
    }
}

struct Fixture {
    _db: support::db::TestDb,
    curation: Arc<Curation>,
    platform: Recorder,
}

impl Fixture {
    async fn new(backend: Backend) -> Self {
        let db = fresh(backend).await;
        let store = store::connect(&db.url).await.unwrap();
        let engine = Engine::open(store, ClassifierConfig::default(), Templates::default())
            .await
            .unwrap();
        Self {
            _db: db,
            curation: Arc::new(Curation::new(Arc::new(engine), ReviewSettings::default())),
            platform: Recorder(Mutex::new(Vec::new())),
        }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.curation.engine().store()
    }

    async fn run(&self, who: &Actor, cmd: &str) -> anyhow::Result<Response> {
        let cmd = Command::parse(cmd)?;
        self.curation.run(who, "c1", cmd, &self.platform).await
    }

    async fn text(&self, who: &Actor, cmd: &str) -> String {
        match self.run(who, cmd).await.unwrap() {
            Response::Text(t) => t,
            other => panic!("expected text, got {other:?}"),
        }
    }

    async fn ask(&self, message_id: &str, text: &str) -> i64 {
        let q = NewQuestion {
            platform: PLATFORM.into(),
            workspace: "g1".into(),
            channel: "c1".into(),
            message_id: message_id.into(),
            thread_id: None,
            author_id: Some("asker".into()),
            text: text.into(),
        };
        self.store().record_question(&q).await.unwrap().unwrap()
    }

    fn served(&self, text: &str) -> Vec<String> {
        let a = self
            .curation
            .engine()
            .answer(&QuestionText::parse(text).unwrap());
        a.reply.snippets.iter().map(|s| s.id.clone()).collect()
    }
}

fn actor(id: &str, moderator: bool) -> Actor {
    Actor {
        platform: PLATFORM.into(),
        user_id: id.into(),
        name: id.into(),
        is_moderator: moderator,
    }
}

const SABBATICAL: &str = "Is a sabbatical year to restore vintage motorcycles a reasonable plan?";
const SABBATICAL_AGAIN: &str = "A sabbatical year to restore vintage motorcycles: reasonable?";

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
}

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

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name(super::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name(super::Backend::Postgres).await })*
        }
    };
}

both_backends!(
    non_moderators_change_nothing,
    added_then_approved_snippet_is_served_then_retired_never_again,
    recategorizing_changes_how_a_similar_question_is_classified,
    two_moderators_resolving_one_item_exactly_one_wins,
    queue_items_are_enqueued_once_per_cause,
    answer_and_promote_work_and_answering_twice_is_refused,
);

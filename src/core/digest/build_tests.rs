use super::*;
use crate::core::digest::{render, Plain};
use crate::domain::CategoryId;

fn cat(id: &str, name: &str) -> Category {
    Category {
        id: CategoryId::parse(id).unwrap(),
        name: name.into(),
        description: String::new(),
    }
}

fn count(week: i64, category: &str, count: i64) -> CategoryWeekCount {
    CategoryWeekCount {
        week,
        category: category.into(),
        count,
    }
}

fn top(author: Option<&str>, anonymous: bool, text: &str, helpful: i64) -> TopAnswerRow {
    TopAnswerRow {
        answer_id: helpful,
        question_id: helpful,
        workspace: "g1".into(),
        channel: "c1".into(),
        thread_id: Some("t1".into()),
        message_ids: r#"["m1","m2"]"#.into(),
        author_id: author.map(Into::into),
        anonymous,
        text: text.into(),
        primary_category: "quitting".into(),
        helpful,
    }
}

fn rows() -> Rows {
    Rows {
        categories: vec![
            cat("quitting", "Quitting"),
            cat("role_switch", "Role switch"),
        ],
        counts: vec![
            count(6, "quitting", 4),
            count(7, "quitting", 6),
            count(7, "role_switch", 1),
            count(0, "role_switch", 9),
            count(7, "legacy", 2),
        ],
        top: vec![
            top(
                Some("u-named"),
                false,
                "Should I   take the\ncounteroffer?",
                5,
            ),
            top(None, true, "secret anonymous text", 4),
            top(Some("u-private"), false, "opted out text", 3),
        ],
        snippets: vec![SnippetChangeRow {
            snippet_id: "s1".into(),
            title: "Notice periods".into(),
            status: "approved".into(),
            first_version: 1,
        }],
        open_reviews: 2,
        opted_out: vec!["u-private".into()],
    }
}

#[test]
fn counts_changes_and_history() {
    let week = IsoWeek::parse("2026-W47").unwrap();
    let d = assemble("discord", week, rows());
    let lines: Vec<_> = d
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.count, c.change))
        .collect();
    assert_eq!(
        lines,
        [
            ("quitting", 6, 2),
            ("role_switch", 1, 1),
            ("legacy", 2, 2),
            ("other", 0, 0)
        ]
    );
    assert_eq!((d.total, d.total_change, d.quiet), (9, 5, false));
    assert_eq!(d.history.weeks.len(), HISTORY_WEEKS);
    assert_eq!(d.history.weeks[7], week);
    assert_eq!(d.history.series[1].1[0], 9);
    assert!(d.snippets[0].added);
}

#[test]
fn anonymous_and_opted_out_askers_are_neither_named_nor_quoted() {
    let d = assemble("discord", IsoWeek::parse("2026-W47").unwrap(), rows());
    assert_eq!(d.top[0].asker, Asker::User("u-named".into()));
    assert_eq!(
        d.top[0].quote.as_deref(),
        Some("Should I take the counteroffer?")
    );
    assert_eq!(d.top[0].message_id.as_deref(), Some("m1"));
    assert_eq!(
        (d.top[1].asker.clone(), d.top[1].quote.clone()),
        (Asker::Anonymous, None)
    );
    assert_eq!(
        (d.top[2].asker.clone(), d.top[2].quote.clone()),
        (Asker::Private, None)
    );
    let text = render(&d, &Plain);
    for hidden in ["u-private", "opted out text", "secret anonymous text"] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    assert!(text.contains("u-named"));
}

#[test]
fn a_week_without_questions_is_quiet() {
    let d = assemble(
        "slack",
        IsoWeek::parse("2026-W47").unwrap(),
        Rows::default(),
    );
    assert!(d.quiet);
    assert!(render(&d, &Plain).contains("quiet week"));
}

#[test]
fn long_questions_are_cut_on_a_word() {
    let long = "word ".repeat(60);
    let e = excerpt(&long);
    assert!(e.ends_with('…') && e.chars().count() <= QUOTE_CHARS);
}

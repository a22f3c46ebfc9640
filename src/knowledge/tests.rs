use super::*;

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
        .collect()
}

const SNIPPET: &str = "+++\nid = \"quit-x\"\ntitle = \"T\"\ncategories = [\"quitting\"]\n\
tags = []\nstatus = \"approved\"\nauthor = \"a\"\nreviewed = \"2026-01-01\"\n\n[source]\n\
title = \"S\"\nurl = \"\"\n+++\nBody.\n";

#[test]
fn builtin_knowledge_meets_the_curation_bars() {
    let k = builtin();
    let approved = |cat: &str| {
        k.snippets
            .iter()
            .filter(|s| s.status == SnippetStatus::Approved)
            .filter(|s| s.categories.iter().any(|c| c.as_str() == cat))
            .count()
    };
    let examples = |cat: &str| {
        k.examples
            .iter()
            .filter(|e| e.primary.as_str() == cat)
            .count()
    };
    assert!(k.snippets.len() >= 45);
    for cat in ["role_switch", "quitting", "contract_pressure"] {
        assert!(approved(cat) >= 12, "{cat}: {} snippets", approved(cat));
        assert!(examples(cat) >= 150, "{cat}: {} examples", examples(cat));
    }
    assert!(examples("other") >= 300);
    assert!(k.snippets.iter().all(|s| !s.source.title.is_empty()));
    let ids: Vec<CategoryId> = k.categories.iter().map(|c| c.id.clone()).collect();
    check_categories(&k, &ids).unwrap();
}

#[test]
fn errors_name_the_file_and_line() {
    let bad_json = files(&[(
        "examples/a.jsonl",
        "{\"id\":\"1\",\"text\":\"hi?\",\"labels\":[],\"primary\":\"other\"}\nnot json\n",
    )]);
    assert!(parse(bad_json)
        .unwrap_err()
        .starts_with("examples/a.jsonl:2:"));

    let bad_toml = SNIPPET.replace("status = \"approved\"", "status = approved");
    let err = parse(files(&[("snippets/quit-x.md", &bad_toml)])).unwrap_err();
    assert!(err.starts_with("snippets/quit-x.md:6:"), "{err}");

    let unknown_key = SNIPPET.replace("tags = []", "tagz = []");
    assert!(parse(files(&[("snippets/quit-x.md", &unknown_key)])).is_err());

    let wrong_name = parse(files(&[("snippets/other-name.md", SNIPPET)])).unwrap_err();
    assert!(
        wrong_name.contains("must match the file name"),
        "{wrong_name}"
    );

    let invalid = parse(vec![("examples/a.jsonl".into(), vec![b'{', 0xff, b'\n'])]).unwrap_err();
    assert!(invalid.contains("not valid UTF-8"), "{invalid}");

    let empty_text = "{\"id\":\"1\",\"text\":\"  \",\"labels\":[],\"primary\":\"other\"}\n";
    assert!(parse(files(&[("examples/a.jsonl", empty_text)])).is_err());
}

#[test]
fn unknown_categories_are_refused() {
    let k = parse(files(&[("snippets/quit-x.md", SNIPPET)])).unwrap();
    assert!(check_categories(&k, &[]).is_err());
    assert!(check_categories(&k, &[CategoryId::parse("quitting").unwrap()]).is_ok());
}

#[test]
fn written_files_parse_back_identically() {
    let k = builtin();
    let dir = tempfile::tempdir().unwrap();
    write_dir(&k, dir.path()).unwrap();
    let mut back = load_dir(dir.path()).unwrap();
    let mut want = k.clone();
    for x in [&mut back, &mut want] {
        x.snippets.sort_by(|a, b| a.id.cmp(&b.id));
        x.examples.sort_by(|a, b| a.id.cmp(&b.id));
        x.categories.sort_by(|a, b| a.id.cmp(&b.id));
    }
    assert_eq!(back, want);
}

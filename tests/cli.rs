//! The command-line contract: output shapes, exit codes, and that bad input changes nothing.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("c.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crossroads"))
            .current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .env(
                "CROSSROADS_DATABASE_URL",
                format!("sqlite://{}", self.db_path().display()),
            )
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let bytes = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&bytes);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        out
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, b"");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail with exit code 2 and a one-line error.
    fn bad(&self, args: &[&str], stdin: &[u8]) -> String {
        let out = self.run(args, stdin);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error"), "{err}");
        err
    }

    fn write(&self, name: &str, content: &[u8]) -> String {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p.display().to_string()
    }
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn ask_prints_a_reply_with_sources_and_a_legal_note_for_contracts() {
    let cli = Cli::new();
    let q = "My old boss keeps asking me to finish the project as a contractor after I quit. \
             My employment contract also has a non-compete clause. What should I do?";
    let out: Value = serde_json::from_str(&cli.ok(&["ask", "--json", q])).unwrap();
    assert_eq!(out["primary"], "contract_pressure", "{out}");
    let snippets = out["snippets"].as_array().unwrap();
    assert!((2..=3).contains(&snippets.len()), "{out}");
    for s in snippets {
        for key in ["id", "title", "body"] {
            assert!(s[key].as_str().is_some_and(|v| !v.is_empty()));
        }
        assert!(s["source"]["title"].as_str().is_some_and(|v| !v.is_empty()));
        assert!(s["source"]["url"].is_string());
    }
    let scores = out["scores"].as_object().unwrap();
    for c in ["role_switch", "quitting", "contract_pressure", "other"] {
        assert!(scores[c].is_number(), "{c} missing from {out}");
    }
    let text = out["text"].as_str().unwrap();
    assert!(text.contains("not legal advice"), "{text}");
    assert!(text.contains(snippets[0]["title"].as_str().unwrap()));

    let plain = cli.ok(&["ask", q]);
    assert_eq!(plain.trim_end(), text);
}

#[test]
fn ask_abstains_on_questions_outside_the_categories() {
    let cli = Cli::new();
    let out: Value = serde_json::from_str(&cli.ok(&[
        "ask",
        "--json",
        "What is the best mechanical keyboard for writing Rust all day?",
    ]))
    .unwrap();
    assert_eq!(out["primary"], "other");
    assert_eq!(out["snippets"].as_array().unwrap().len(), 0);
    assert!(out["text"]
        .as_str()
        .unwrap()
        .contains("moderators will see it"));
}

#[test]
fn classify_streams_one_line_per_input() {
    let cli = Cli::new();
    let mut input = String::new();
    for i in 0..200 {
        input.push_str(&format!(
            "{{\"id\": {i}, \"text\": \"Should I quit my job? take {i}\"}}\n"
        ));
    }
    let out = cli.run(&["classify", "--jsonl", "-"], input.as_bytes());
    assert!(out.status.success());
    let rows = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows.len(), 200);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["id"], i);
        assert!(row["primary"].is_string() && row["labels"].is_array());
        let c = row["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let cli = Cli::new();
    let huge = "a".repeat(1 << 20);
    cli.bad(&["ask", ""], b"");
    cli.bad(&["ask", "   \n\t"], b"");
    cli.bad(&["ask", "-"], huge.as_bytes());
    cli.bad(&["ask", "-"], &[0xff, 0xfe, b'?']);
    assert!(
        !cli.db_path().exists(),
        "a rejected question must not create the database"
    );

    let err = cli.bad(
        &["classify", "--jsonl", "-"],
        b"{\"id\":1,\"text\":\"hi there?\"}\n\xff\xfe\n",
    );
    assert!(err.contains("line 2") && err.contains("UTF-8"), "{err}");
    let err = cli.bad(&["classify", "--jsonl", "-"], b"this is not json\n");
    assert!(err.contains("line 1"), "{err}");
    cli.bad(
        &["classify", "--jsonl", "-"],
        b"{\"id\":1,\"text\":\"  \"}\n",
    );
    let big = format!("{{\"id\":1,\"text\":\"{huge}\"}}\n");
    cli.bad(&["classify", "--jsonl", "-"], big.as_bytes());

    let before = cli.ok(&["knowledge", "export", "before"]);
    let unknown = cli.write(
        "u.jsonl",
        b"{\"text\":\"Should I leave?\",\"labels\":[\"astrology\"],\"primary\":\"astrology\"}\n",
    );
    let err = cli.bad(&["train", &unknown], b"");
    assert!(err.contains("unknown category"), "{err}");
    cli.bad(&["eval", &unknown], b"");
    cli.bad(
        &[
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "ask",
            "Should I quit?",
        ],
        b"",
    );
    cli.bad(
        &["--database-url", "mysql://x/y", "ask", "Should I quit?"],
        b"",
    );
    cli.bad(&["frobnicate"], b"");
    cli.bad(&["audit", "--since", "last tuesday"], b"");
    let config = cli.write("bad.toml", b"http_addr = 12\n");
    cli.bad(&["--config", &config, "ask", "Should I quit?"], b"");

    let after = cli.ok(&["knowledge", "export", "after"]);
    assert_eq!(before.replace("before", ""), after.replace("after", ""));
    assert_same_tree(&cli.path("before"), &cli.path("after"));
}

#[test]
fn train_adds_examples_and_retrains() {
    let cli = Cli::new();
    let file = cli.write(
        "t.jsonl",
        b"{\"text\":\"Our guild wants me to become the raid leader instead of a healer.\",\"labels\":[\"role_switch\"],\"primary\":\"role_switch\"}\n\
          {\"id\":\"x-2\",\"text\":\"Is it fine to ask about lunch spots here?\",\"labels\":[],\"primary\":\"other\"}\n",
    );
    let out = cli.ok(&["train", &file]);
    assert!(out.starts_with("added 2 of 2 examples"), "{out}");
    let again = cli.ok(&["train", &file]);
    assert!(again.starts_with("added 0 of 2 examples"), "{again}");
}

#[test]
fn eval_reports_per_class_figures_and_latency() {
    let cli = Cli::new();
    let file = cli.write(
        "e.jsonl",
        b"{\"id\":\"1\",\"text\":\"Should I hand in my notice and quit this job?\",\"labels\":[\"quitting\"],\"primary\":\"quitting\"}\n\
          {\"id\":\"2\",\"text\":\"Which mechanical keyboard do you like?\",\"labels\":[],\"primary\":\"other\"}\n",
    );
    let out = cli.ok(&["eval", &file]);
    for needle in [
        "precision",
        "recall",
        "macro-F1",
        "in-scope precision",
        "confusion",
        "p99",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
}

#[test]
fn knowledge_round_trips_and_malformed_files_change_nothing() {
    let cli = Cli::new();
    cli.ok(&["knowledge", "export", "a"]);
    // The export of a freshly seeded database is the built-in knowledge, byte for byte.
    assert_same_tree(
        &cli.path("a"),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
    );
    cli.ok(&["knowledge", "import", "a"]);
    cli.ok(&["knowledge", "export", "b"]);
    assert_same_tree(&cli.path("a"), &cli.path("b"));

    // Edit one snippet and break another file: the import fails and nothing changes.
    let snippets = cli.path("a/snippets");
    let first = std::fs::read_dir(&snippets)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let edited = std::fs::read_to_string(&first)
        .unwrap()
        .replace("status = \"approved\"", "status = \"retired\"");
    std::fs::write(&first, edited).unwrap();
    std::fs::write(
        cli.path("a/examples/zz.jsonl"),
        "{\"id\":\"z\",\"text\":\"Hi?\",\"labels\":[],\"primary\":\"other\"}\n{broken\n",
    )
    .unwrap();
    let err = cli.bad(&["knowledge", "import", "a"], b"");
    assert!(err.contains("examples/zz.jsonl:2:"), "{err}");
    cli.ok(&["knowledge", "export", "c"]);
    assert_same_tree(&cli.path("b"), &cli.path("c"));

    // Fixed, it applies, and the change is exported.
    std::fs::remove_file(cli.path("a/examples/zz.jsonl")).unwrap();
    let out = cli.ok(&["knowledge", "import", "a"]);
    assert!(out.contains("1 snippets new or changed"), "{out}");
    cli.ok(&["knowledge", "export", "d"]);
    assert_same_tree(&cli.path("a"), &cli.path("d"));

    // The audit log has the seed and every import, as tab-separated lines.
    let audit = cli.ok(&["audit", "--since", "2000-01-01"]);
    let imports: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("\tknowledge.import\t"))
        .collect();
    assert_eq!(imports.len(), 3, "seed + two imports that applied: {audit}");
    assert!(imports.iter().all(|l| l.split('\t').count() == 6));
    assert!(cli.ok(&["audit", "--since", "2999-01-01"]).is_empty());
}

fn assert_same_tree(a: &Path, b: &Path) {
    let list = |p: &Path| {
        let mut v: Vec<PathBuf> = Vec::new();
        for sub in ["", "snippets", "examples"] {
            for e in std::fs::read_dir(p.join(sub)).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_file() {
                    v.push(Path::new(sub).join(e.file_name()));
                }
            }
        }
        v.sort();
        v
    };
    let (la, lb) = (list(a), list(b));
    assert_eq!(la, lb);
    for f in la {
        assert_eq!(
            std::fs::read_to_string(a.join(&f)).unwrap(),
            std::fs::read_to_string(b.join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
}

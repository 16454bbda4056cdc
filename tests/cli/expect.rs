//! Expected answers on corpus lines (`ARGS => VALUE`): a held-out ensemble whose
//! variants all agree on a wrong answer fails the run with that divergence kind,
//! through worker processes, journals, shards, `nvx merge` and every report format.

use crate::support::*;

const FIXTURE: &str = "tests/fixtures/agreed-wrong";

/// The signature of the `7, 7` line, which every variant gets wrong.
#[track_caller]
fn agreed_wrong(report: &serde_json::Value) -> serde_json::Value {
    let e = ensemble(report, "agreed-wrong");
    let sigs = e["signatures"].as_array().expect("signatures");
    assert_eq!(sigs.len(), 1, "one signature: {e:#}");
    sigs[0].clone()
}

#[track_caller]
fn check(sig: &serde_json::Value) {
    assert_eq!(sig["expected"], "14", "{sig:#}");
    assert_eq!(sig["answer"], "15", "{sig:#}");
    assert_eq!(sig["verdict"], true);
    assert!(strings(&sig["dissenters"]).is_empty());
    assert!(
        sig["key"]
            .as_str()
            .unwrap()
            .ends_with("|expected:all-agreed-wrong"),
        "{sig:#}"
    );
    assert_eq!(sig["count"], 1);
    assert_eq!(
        sig["shrunk_input"], "7, 7",
        "inputs with an expected answer are kept"
    );
    assert!(sig["origin"].as_str().unwrap().ends_with("expected.wave:3"));
    assert_eq!(sig["outcomes"]["plain"], "15");
}

#[test]
fn all_agreeing_on_a_wrong_answer_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (json, md, junit) = (
        dir.path().join("r.json"),
        dir.path().join("r.md"),
        dir.path().join("r.xml"),
    );
    let r = nvx([
        "campaign",
        FIXTURE,
        "--generate",
        "100",
        "--jobs",
        "2",
        "--json",
        s(&json),
        "--markdown",
        s(&md),
        "--junit",
        s(&junit),
    ]);
    r.expect(DIVERGED);
    assert!(
        r.stdout.contains("all agreed on a wrong answer"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("expected 14, verdict 15"), "{}", r.stdout);
    let report = read_json(&json);
    assert_eq!(
        num(ensemble(&report, "agreed-wrong"), "divergent_inputs"),
        1
    );
    check(&agreed_wrong(&report));
    for f in [&md, &junit] {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            text.contains("all agreed on a wrong answer")
                && text.contains("expected 14, verdict 15"),
            "{}: {text}",
            f.display()
        );
    }
    // `nvx report` re-renders the stored report with the same finding.
    let again = nvx(["report", s(&json), "--format", "text"]);
    again.expect(DIVERGED);
    assert!(again.stdout.contains("all agreed on a wrong answer"));
}

#[test]
fn expected_answers_survive_journal_shards_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.bin");
    let first = dir.path().join("first.json");
    let base = ["campaign", FIXTURE, "--generate", "40", "-q"];
    let mut args = base.to_vec();
    args.extend(["--journal", s(&journal), "--json", s(&first)]);
    nvx(&args).expect(DIVERGED);
    let resumed = dir.path().join("resumed.json");
    let mut args = base.to_vec();
    args.extend(["--journal", s(&journal), "--resume", "--json", s(&resumed)]);
    nvx(&args).expect(DIVERGED);
    check(&agreed_wrong(&read_json(&resumed)));
    assert_eq!(totals(&read_json(&resumed)), totals(&read_json(&first)));

    // Input 1 (the `7, 7` line) falls in shard 2 of 2.
    let shards: Vec<_> = (1..=2)
        .map(|k| {
            let out = dir.path().join(format!("s{k}.json"));
            let shard = format!("{k}/2");
            let mut args = base.to_vec();
            args.extend(["--shard", &shard, "--json", s(&out)]);
            let code = nvx(&args).code;
            (code, out)
        })
        .collect();
    assert_eq!(shards[0].0, AGREED, "shard 1 holds no wrong answer");
    assert_eq!(shards[1].0, DIVERGED);
    let merged = dir.path().join("m.json");
    nvx(["merge", s(&shards[0].1), s(&shards[1].1), "-o", s(&merged)]).expect(DIVERGED);
    check(&agreed_wrong(&read_json(&merged)));
}

#[test]
fn an_expected_answer_that_does_not_parse_names_file_line_and_function() {
    let dir = tempfile::tempdir().unwrap();
    for (text, needle) in [
        ("1, 2 => 3\n1, 2 => \"three\"\n", "bad.wave:2"),
        ("1, 2 =>\n", "bad.wave:1"),
        ("1, 2 => 3 => 4\n", "bad.wave:1"),
    ] {
        let bad = write_file(dir.path(), "bad.wave", text);
        nvx([
            "campaign",
            "tests/fixtures/dissent",
            "--generate",
            "0",
            "--corpus",
            s(&bad),
        ])
        .expect(ERROR)
        .stderr_mentions(&[needle, "add", "expected"]);
    }
}

#[test]
fn a_shape_expects_any_value_of_its_case() {
    let tmp = tempfile::tempdir().unwrap();
    // `half` gives some(x / 2) for even x and none for odd x.
    let corpus = write_file(
        tmp.path(),
        "shapes.wave",
        "# accepted\n4 => some(_)\n# must be accepted, is not\n7 => some(_)\n# must be rejected\n9 => none\n",
    );
    let json = tmp.path().join("run.json");
    let run = nvx([
        "campaign",
        "tests/fixtures/options",
        "--corpus",
        s(&corpus),
        "--generate",
        "0",
        "--json",
        s(&json),
    ]);
    run.expect(DIVERGED);
    let report = read_json(&json);
    let e = ensemble(&report, "options");
    let sigs = e["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1, "{e:#}");
    assert_eq!(sigs[0]["expected"], "some(_)");
    assert_eq!(sigs[0]["answer"], "none");
    assert_eq!(sigs[0]["count"], 1);
    assert!(
        sigs[0]["origin"]
            .as_str()
            .unwrap()
            .ends_with("shapes.wave:4")
    );
    // A shape that does not fit the result type is an error naming the line.
    let bad = write_file(tmp.path(), "bad.wave", "4 => ok(_)\n");
    nvx([
        "campaign",
        "tests/fixtures/options",
        "--corpus",
        s(&bad),
        "--generate",
        "0",
    ])
    .expect(ERROR)
    .stderr_mentions(&["bad.wave:1", "ok(_)"]);
}

/// The corpus of the input-class test: two declared classes, a line after the
/// class is ended, and the fixture's shared fault (7 + 7) in the second class.
const CLASSED: &str = "# class: small\n1, 1 => 2\n# named\n2, 3 => 5\n# class: sevens\n7, 7 => 14\n7, 7\n# class:\n5, 5 => 10\n";

#[track_caller]
fn class_rows(report: &serde_json::Value) -> Vec<serde_json::Value> {
    let t = &ensemble(report, "agreed-wrong")["classes"];
    assert_eq!(
        strings(&t["variants"]),
        ["plain", "negsub", "xorand"],
        "{t:#}"
    );
    t["rows"].as_array().expect("rows").clone()
}

#[test]
fn the_input_class_table_counts_sides_and_expected_answers_per_declared_class() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_file(dir.path(), "classes.wave", CLASSED);
    let (json, md) = (dir.path().join("r.json"), dir.path().join("r.md"));
    let base = [
        "campaign",
        FIXTURE,
        "--corpus",
        s(&corpus),
        "--generate",
        "30",
    ];
    let mut args = base.to_vec();
    args.extend(["-j", "2", "--json", s(&json), "--markdown", s(&md)]);
    let r = nvx(&args);
    r.expect(DIVERGED);
    let report = read_json(&json);
    let rows = class_rows(&report);
    let names: Vec<&str> = rows.iter().map(|r| r["class"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert_eq!(names[0], "corpus/expected.wave");
    assert!(names[1].ends_with("classes.wave: small"), "{names:?}");
    assert!(names[2].ends_with("classes.wave: sevens"), "{names:?}");
    assert!(names[3].ends_with("classes.wave"), "{names:?}");
    assert_eq!(names[4], "generated");
    let declared: Vec<bool> = rows.iter().map(|r| r["declared"] == true).collect();
    assert_eq!(declared, [false, true, true, false, false]);
    let counts = |r: &serde_json::Value| {
        (
            num(r, "inputs"),
            num(r, "verdicts"),
            num(r, "expected"),
            num(r, "verdict_right"),
        )
    };
    let per = |r: &serde_json::Value, f: &str| -> Vec<u64> {
        r[f].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect()
    };
    // The fixture's own corpus: 4 lines, the 7 + 7 one wrong for every variant.
    assert_eq!(counts(&rows[0]), (4, 4, 4, 3));
    assert_eq!(per(&rows[0], "right"), [3, 3, 3]);
    assert_eq!(per(&rows[0], "sided"), [4, 4, 4]);
    assert_eq!(counts(&rows[1]), (2, 2, 2, 2));
    assert_eq!(per(&rows[1], "right"), [2, 2, 2]);
    // `7, 7` twice, once with an answer every variant misses.
    assert_eq!(counts(&rows[2]), (2, 2, 1, 0));
    assert_eq!(per(&rows[2], "right"), [0, 0, 0]);
    assert_eq!(per(&rows[2], "sided"), [2, 2, 2]);
    assert_eq!(counts(&rows[3]), (1, 1, 1, 1));
    assert_eq!(
        (num(&rows[4], "inputs"), num(&rows[4], "expected")),
        (30, 0)
    );

    // A `# class:` line names no input: the 7 + 7 lines keep the comment above.
    let sig = agreed_wrong(&report);
    let listed: Vec<&serde_json::Value> = sig["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["origin"].as_str().unwrap().contains("classes.wave"))
        .collect();
    assert_eq!(listed.len(), 1, "{sig:#}");
    assert_eq!(listed[0]["name"], "named");

    // Every human-readable report shows the table.
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("**By input class**"), "{md}");
    assert!(
        md.contains("classes.wave: sevens | 2 | 0/1 | 2/2 · 0/1 |"),
        "{md}"
    );
    assert!(r.stdout.contains("by input class"), "{}", r.stdout);
    let html = nvx(["report", s(&json), "--format", "html"]);
    assert!(html.stdout.contains("<h3>By input class</h3>"));

    // Shards at another job count merge into the same table.
    let shards: Vec<String> = (1..=3)
        .map(|k| {
            let out = dir.path().join(format!("s{k}.json"));
            let shard = format!("{k}/3");
            let mut args = base.to_vec();
            args.extend(["-j", "1", "--shard", &shard, "--json", s(&out)]);
            nvx(&args);
            s(&out).to_string()
        })
        .collect();
    let merged = dir.path().join("m.json");
    let mut args = vec!["merge".to_string()];
    args.extend(shards);
    args.extend(["-o".to_string(), s(&merged).to_string()]);
    nvx(&args).expect(DIVERGED);
    assert_eq!(class_rows(&read_json(&merged)), rows);
}

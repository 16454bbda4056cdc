//! `nvx mutate`: mutation scores on the `mutate` fixture (whose outcome per mutant
//! is known), the JSON shape, `--min-score`, determinism, journals and reports.

use std::path::Path;

use serde_json::Value;

use crate::support::{AGREED, DIVERGED, ERROR, nvx, read_json, s};

/// `nvx mutate tests/fixtures/mutate` on its corpus (inputs 1 and 2) and 100 probe
/// inputs, every site of `high-half`, with the JSON report in `dir`.
fn high_half(dir: &Path, extra: &[&str]) -> (crate::support::Run, Value) {
    let json = dir.join("m.json");
    let mut args = vec![
        "mutate",
        "tests/fixtures/mutate",
        "--variant",
        "high-half",
        "--mutants",
        "0",
        "--generate",
        "0",
        "--probes",
        "100",
        "--json",
        s(&json),
    ];
    args.extend_from_slice(extra);
    let run = nvx(&args);
    assert_ne!(run.code, ERROR, "{}", run.stderr);
    let doc = read_json(&json);
    (run, doc)
}

#[test]
fn mutate_counts_killed_equivalent_and_surviving_mutants_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (run, doc) = high_half(dir.path(), &[]);
    run.expect(AGREED);
    assert_eq!(doc["schema"], 2);
    let variants = doc["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 1);
    let v = &variants[0];
    assert_eq!(v["ensemble"], "mutate");
    assert_eq!(v["variant"], "high-half");
    // Seven sites: `i32.const 16` (+1, -1, 0), `i32.shr_u`, `i32.const 0` (+1, -1)
    // and the `if`. The condition's three mutants pick between two equal arms:
    // equivalent. `16 → 0` and `shr_u → shl` change the answer for 1 and 2: killed.
    // `16 → 17` and `16 → 15` change it only from 32768 up: survivors.
    assert_eq!(v["mutants"], 7);
    assert_eq!(v["equivalent"], 3);
    assert_eq!(v["killed"], 2);
    assert_eq!(v["score"], 0.5);
    assert_eq!(v["invalid"], 0);
    let survivors = v["survivors"].as_array().unwrap();
    let changes: Vec<&str> = survivors
        .iter()
        .map(|x| x["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["i32.const 16 → 17", "i32.const 16 → 15"]);
    for x in survivors {
        assert!(
            x["location"].as_str().unwrap().starts_with("func 0 @ 0x"),
            "{x}"
        );
        assert!(x["operator"] == "const+1" || x["operator"] == "const-1");
        assert_eq!(x["function"], "high");
        assert!(x["origin"].as_str().unwrap().starts_with("probe #"), "{x}");
        // The sample is an input where the mutant's answer differs: the high half
        // of a large number, against a shift by one more or one less.
        let a: u64 = x["input"].as_str().unwrap().parse().unwrap();
        assert!(a >= 1 << 15, "{x}");
        assert_eq!(x["original"].as_str().unwrap(), (a >> 16).to_string());
        let shift = if x["operator"] == "const+1" { 17 } else { 15 };
        assert_eq!(x["mutated"].as_str().unwrap(), (a >> shift).to_string());
    }
    assert!(run.stdout.contains("50.0%"), "{}", run.stdout);
    assert!(run.stdout.contains("i32.const 16 → 17"), "{}", run.stdout);
}

#[test]
fn mutate_min_score_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    high_half(dir.path(), &["--min-score", "1"])
        .0
        .expect(DIVERGED);
    high_half(dir.path(), &["--min-score", "0.5"])
        .0
        .expect(AGREED);
    nvx(["mutate", "tests/fixtures/mutate", "--min-score", "1.5"]).expect(ERROR);
}

#[test]
fn mutate_with_more_campaign_inputs_kills_the_survivors() {
    // Generated inputs are large, so the campaign itself now sees the shifts.
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("m.json");
    nvx([
        "mutate",
        "tests/fixtures/mutate",
        "--variant",
        "high-half",
        "--mutants",
        "0",
        "--generate",
        "50",
        "--probes",
        "50",
        "--min-score",
        "1",
        "--json",
        s(&json),
    ])
    .expect(AGREED);
    let doc = read_json(&json);
    let v = &doc["variants"][0];
    assert_eq!(
        (
            v["mutants"].as_u64(),
            v["equivalent"].as_u64(),
            v["killed"].as_u64()
        ),
        (Some(7), Some(3), Some(4))
    );
    assert_eq!(v["score"], 1.0);
    assert_eq!(v["survivors"].as_array().unwrap().len(), 0);
}

#[test]
fn mutate_is_deterministic_and_resumes_from_its_journal() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let json = dir.path().join(name);
        let mut args = vec![
            "mutate",
            "tests/fixtures/mutate",
            "--mutants",
            "3",
            "--generate",
            "20",
            "--probes",
            "20",
            "--seed",
            "5",
            "-j",
            "2",
            "--json",
            s(&json),
        ];
        args.extend_from_slice(extra);
        nvx(&args).expect(AGREED);
        std::fs::read_to_string(&json).unwrap()
    };
    let first = run("a.json", &[]);
    assert_eq!(first, run("b.json", &[]), "same seed, same report");
    let doc: Value = serde_json::from_str(&first).unwrap();
    let variants = doc["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
    assert!(
        variants
            .iter()
            .all(|v| v["mutants"].as_u64().unwrap() + v["invalid"].as_u64().unwrap() == 3)
    );
    let journal = dir.path().join("m.journal");
    let j = s(&journal).to_string();
    assert_eq!(first, run("c.json", &["--journal", &j]));
    let lines = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(
        lines.lines().count(),
        1 + 9,
        "a header and one line per mutant"
    );
    // A resumed run reads every mutant back and runs none again.
    assert_eq!(first, run("d.json", &["--journal", &j, "--resume"]));
    // A torn last line is cut off and that mutant runs again.
    std::fs::write(&journal, &lines[..lines.len() - 7]).unwrap();
    assert_eq!(first, run("e.json", &["--journal", &j, "--resume"]));
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap().lines().count(),
        10
    );
    // A journal of another run is refused.
    let other = nvx([
        "mutate",
        "tests/fixtures/mutate",
        "--seed",
        "6",
        "--journal",
        &j,
        "--resume",
    ]);
    other.expect(ERROR).stderr_mentions(&["another run"]);
}

#[test]
fn mutate_writes_markdown_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let (md, html) = (dir.path().join("m.md"), dir.path().join("m.html"));
    high_half(dir.path(), &["--markdown", s(&md), "--html", s(&html)])
        .0
        .expect(AGREED);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.contains("| mutate | high-half | 7 | 3 | 2 | 2 | 0 | 50.0% |"),
        "{md}"
    );
    assert!(md.contains("## Survivors of mutate/high-half"), "{md}");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("i32.const 16 → 17") && !html.contains("<script"),
        "{html}"
    );
}

#[test]
fn mutate_errors_name_the_variant() {
    nvx(["mutate", "tests/fixtures/mutate", "--variant", "nope"])
        .expect(ERROR)
        .stderr_mentions(&["nope", "high-half"]);
    nvx(["mutate", "tests/fixtures/no-such-ensemble"]).expect(ERROR);
    // A campaign without inputs measures nothing.
    nvx(["mutate", "tests/fixtures/agree", "--generate", "0"])
        .expect(ERROR)
        .stderr_mentions(&["no inputs"]);
}

#[test]
fn mutate_runs_mutants_of_a_bundled_component() {
    // A real wit-component output: the main core module is found, mutated, put back
    // and compiled; the campaign's own corpus kills most mutants.
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("m.json");
    nvx([
        "mutate",
        "wasm-modules/crc32",
        "--variant",
        "c-table",
        "--mutants",
        "6",
        "--generate",
        "30",
        "--probes",
        "30",
        "--json",
        s(&json),
    ])
    .expect(AGREED);
    let doc = read_json(&json);
    let v = &doc["variants"][0];
    assert_eq!(v["variant"], "c-table");
    assert_eq!(
        v["mutants"].as_u64().unwrap() + v["invalid"].as_u64().unwrap(),
        6
    );
    assert!(v["sites"].as_u64().unwrap() > 6);
    let score = v["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    assert!(v["killed"].as_u64().unwrap() >= 1, "{v}");
}

#[test]
fn mutate_under_a_quorum_policy_gives_the_majority_counts() {
    // A quorum of 3 among 3 variants: a mutant alone cannot meet it, but the
    // ensemble with the mutant in place is judged by its own policy.
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(crate::support::ROOT).join("tests/fixtures/mutate");
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    for name in [
        "mutate.wit",
        "high-half.wat",
        "div.wat",
        "rotate-mask.wat",
        "corpus/small.wave",
    ] {
        std::fs::copy(src.join(name), dir.path().join(name)).unwrap();
    }
    let manifest = std::fs::read_to_string(src.join("nvx.toml"))
        .unwrap()
        .replace("policy = \"majority\"", "policy = \"quorum\"\nquorum = 3");
    std::fs::write(dir.path().join("nvx.toml"), manifest).unwrap();
    let json = dir.path().join("m.json");
    nvx([
        "mutate",
        s(dir.path()),
        "--variant",
        "high-half",
        "--mutants",
        "0",
        "--generate",
        "0",
        "--probes",
        "100",
        "--json",
        s(&json),
    ])
    .expect(AGREED);
    let v = &read_json(&json)["variants"][0];
    assert_eq!(
        (&v["mutants"], &v["equivalent"], &v["killed"], &v["invalid"]),
        (
            &Value::from(7),
            &Value::from(3),
            &Value::from(2),
            &Value::from(0)
        )
    );
}

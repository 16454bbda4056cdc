//! Coincident-failure statistics through the real binary: worker processes, shards
//! and `nvx merge`, and every report format.

use crate::support::*;

#[test]
fn coincident_failures_in_every_format_and_across_shards() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "campaign",
        "tests/fixtures/agreed-wrong",
        "tests/fixtures/trap",
        "--generate",
        "150",
        "--seed",
        "3",
        "-q",
    ];
    let whole = dir.path().join("whole.json");
    let mut args = base.to_vec();
    args.extend(["--json", s(&whole)]);
    nvx(&args).expect(DIVERGED);
    let report = read_json(&whole);
    let c = &ensemble(&report, "agreed-wrong")["coincidence"];
    // 4 corpus lines and 150 generated inputs; on `7, 7` all three failed.
    assert_eq!(c["inputs"], 154, "{c:#}");
    let corpus = &c["classes"]["corpus/expected.wave"];
    assert_eq!(corpus["inputs"], 4, "{c:#}");
    assert_eq!(corpus["all_failed"], 1, "{c:#}");
    assert_eq!(corpus["failures"], 3, "{c:#}");
    for i in 0..3 {
        for j in 0..3 {
            assert_eq!(c["both"][i][j], 1, "{c:#}");
        }
    }
    let trap = &ensemble(&report, "trap")["coincidence"];
    assert_eq!(trap["classes"]["generated"]["inputs"], 150, "{trap:#}");

    let shards: Vec<_> = (1..=2)
        .map(|k| {
            let out = dir.path().join(format!("s{k}.json"));
            let shard = format!("{k}/2");
            let mut args = base.to_vec();
            args.extend(["--shard", &shard, "--json", s(&out)]);
            assert_ne!(nvx(&args).code, ERROR);
            out
        })
        .collect();
    let merged = dir.path().join("m.json");
    nvx(["merge", s(&shards[0]), s(&shards[1]), "-o", s(&merged)]).expect(DIVERGED);
    let m = read_json(&merged);
    for name in ["agreed-wrong", "trap"] {
        assert_eq!(
            ensemble(&m, name)["coincidence"],
            ensemble(&report, name)["coincidence"],
            "{name}"
        );
    }

    let text = nvx(["report", s(&whole), "--format", "text"]).stdout;
    assert!(text.contains("coincident failures"), "{text}");
    assert!(text.contains("plain + negsub"), "{text}");
    let md = nvx(["report", s(&whole), "--format", "markdown"]).stdout;
    assert!(md.contains("| corpus/expected.wave | 4 |"), "{md}");
    let html = nvx(["report", s(&whole), "--format", "html"]).stdout;
    assert!(
        html.contains("<h3>Coincident failures</h3>") && html.contains("background:rgb("),
        "{html}"
    );
}

/// A report written before these statistics existed still loads and renders.
#[test]
fn reports_without_the_new_fields_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let old = write_file(
        dir.path(),
        "old.json",
        r#"{"schema": 1, "ensembles": [{"name": "e", "inputs": 3, "divergent_inputs": 0,
            "signatures": [], "variants": [], "agreement": {"variants": [], "matrix": [], "counts": []}}]}"#,
    );
    let r = nvx(["report", s(&old), "--format", "markdown"]);
    r.expect(AGREED);
    assert!(r.stdout.contains("| e | 3 |"), "{}", r.stdout);
}

//! Baselines of known divergences (`baseline.json`): `--bless` writes one, a
//! campaign applies it (exit 0 when every divergence is known, 1 on a new one),
//! every report marks new and known and lists stale entries, `--no-baseline`
//! ignores it, and the marking holds across `-j`, `--shard` and `nvx merge`.

use std::path::{Path, PathBuf};

use super::support::*;

/// A copy of `examples/faulty/<name>` in a temporary folder.
fn faulty(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let src = Path::new(ROOT).join("examples/faulty").join(name);
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    (tmp, dir)
}

fn campaign(dir: &Path, json: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "campaign",
        s(dir),
        "--generate",
        "200",
        "--seed",
        "3",
        "--json",
        s(json),
    ];
    args.extend_from_slice(extra);
    nvx(args)
}

fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["ensembles"][0]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn bless_then_apply_then_a_new_and_a_stale_entry() {
    let (tmp, dir) = faulty("civil-days");
    let json = tmp.path().join("run.json");
    // Without a baseline the faulty variant's divergences fail the run.
    campaign(&dir, &json, &[]).expect(DIVERGED);
    let plain = read_json(&json);
    assert!(plain["ensembles"][0].get("baseline").is_none());
    let keys: Vec<String> = statuses(&plain).into_iter().map(|(k, _)| k).collect();
    assert!(!keys.is_empty());

    // --bless writes the baseline and the run passes.
    let run = campaign(&dir, &json, &["--bless"]);
    run.expect(AGREED);
    assert!(run.stdout.contains("blessed"), "{}", run.stdout);
    let file = dir.join("baseline.json");
    let mut baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(baseline["schema"], 1);
    let entries = baseline["known"].as_array().unwrap().clone();
    let blessed: Vec<&str> = entries.iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(blessed, keys.iter().map(String::as_str).collect::<Vec<_>>());

    // Applied by default: every divergence known, exit 0, and every report says so.
    let md = tmp.path().join("run.md");
    let junit = tmp.path().join("run.xml");
    let run = campaign(&dir, &json, &["--markdown", s(&md), "--junit", s(&junit)]);
    run.expect(AGREED);
    assert!(
        run.stdout.contains("known divergences only"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("✓ known: "), "{}", run.stdout);
    let report = read_json(&json);
    assert!(statuses(&report).iter().all(|(_, st)| st == "known"));
    assert!(std::fs::read_to_string(&md).unwrap().contains("known ("));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("known-divergence") && !xml.contains("type=\"divergence\""),
        "{xml}"
    );
    let html = nvx(["report", s(&json), "--format", "html"]);
    html.expect(AGREED);
    assert!(html.stdout.contains("data-status=\"known\""));

    // A reviewed reason is shown, and kept by the next --bless; a stale entry
    // (no input shows it any more) is listed and dropped by it.
    baseline["known"][0]["reason"] = "finding: the Julian leap rule (FINDINGS.md)".into();
    let mut known = baseline["known"].as_array().unwrap().clone();
    known.push(serde_json::json!({"key": "days-from-civil|outvoted|gone:returned|", "reason": "fixed upstream"}));
    baseline["known"] = known.into();
    std::fs::write(&file, serde_json::to_string_pretty(&baseline).unwrap()).unwrap();
    let run = campaign(&dir, &json, &[]);
    run.expect(AGREED);
    let report = read_json(&json);
    assert_eq!(
        report["ensembles"][0]["stale_baseline"][0]["key"],
        "days-from-civil|outvoted|gone:returned|"
    );
    assert!(
        run.stdout.contains("stale (no input showed it)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("the Julian leap rule"),
        "{}",
        run.stdout
    );
    campaign(&dir, &json, &["--bless"]).expect(AGREED);
    let again = std::fs::read_to_string(&file).unwrap();
    assert!(again.contains("the Julian leap rule"), "{again}");
    assert!(!again.contains("gone:returned"), "{again}");

    // A divergence the baseline does not list is new, and fails the run.
    let only_stale = r#"{"schema": 1, "known": [{"key": "x|agreed||", "reason": "r"}]}"#;
    std::fs::write(&file, only_stale).unwrap();
    let run = campaign(&dir, &json, &[]);
    run.expect(DIVERGED);
    assert!(run.stdout.contains("NEW: "), "{}", run.stdout);
    assert!(
        statuses(&read_json(&json))
            .iter()
            .all(|(_, st)| st == "new")
    );

    // --no-baseline ignores it.
    std::fs::write(&file, again).unwrap();
    campaign(&dir, &json, &[]).expect(AGREED);
    campaign(&dir, &json, &["--no-baseline"]).expect(DIVERGED);
    assert!(read_json(&json)["ensembles"][0].get("baseline").is_none());
}

#[test]
fn the_marking_holds_across_jobs_shards_and_merge() {
    let (tmp, dir) = faulty("crc32");
    let json = tmp.path().join("run.json");
    campaign(&dir, &json, &["--bless", "-j", "1"]).expect(AGREED);
    campaign(&dir, &json, &["-j", "2"]).expect(AGREED);
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    campaign(&dir, &a, &["--shard", "1/2"]).expect(AGREED);
    campaign(&dir, &b, &["--shard", "2/2"]).expect(AGREED);
    let merged = tmp.path().join("m.json");
    nvx(["merge", s(&a), s(&b), "-o", s(&merged)]).expect(AGREED);
    let m = read_json(&merged);
    assert!(statuses(&m).iter().all(|(_, st)| st == "known"));
    assert!(m["ensembles"][0].get("stale_baseline").is_none(), "{m:#}");
    // Blessing a shard would forget the other shards' divergences.
    campaign(&dir, &a, &["--bless", "--shard", "1/2"])
        .expect(ERROR)
        .stderr_mentions(&["--bless", "--shard"]);
    campaign(&dir, &a, &["--bless", "--no-baseline"]).expect(ERROR);
}

#[test]
fn a_broken_baseline_stops_the_run_naming_the_file() {
    let (tmp, dir) = faulty("crc32");
    let json = tmp.path().join("run.json");
    std::fs::write(
        dir.join("baseline.json"),
        r#"{"schema": 1, "known": [{"key": "k", "reason": ""}]}"#,
    )
    .unwrap();
    campaign(&dir, &json, &[])
        .expect(ERROR)
        .stderr_mentions(&["baseline.json", "no reason"]);
    assert!(!json.exists(), "no work was done");
}

#[test]
fn a_bless_that_cannot_write_keeps_the_findings() {
    let (tmp, dir) = faulty("crc32");
    let json = tmp.path().join("run.json");
    // A folder where the new baseline would be written aside.
    std::fs::create_dir_all(dir.join(".baseline.json.writing").join("occupied")).unwrap();
    let run = campaign(&dir, &json, &["--bless"]);
    run.expect(DIVERGED)
        .stderr_mentions(&["--bless", ".baseline.json.writing"]);
    assert!(!dir.join("baseline.json").exists());
    let report = read_json(&json);
    assert!(num(&report["ensembles"][0], "divergent_inputs") > 0);
    assert!(statuses(&report).iter().all(|(_, st)| st == "new"));
}

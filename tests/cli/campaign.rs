//! `nvx campaign`, `nvx merge` and `nvx report`: corpora, generated inputs,
//! signatures and shrinking, determinism, shards, journals (including kill -9),
//! and the report formats.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use tempfile::TempDir;

use crate::support::*;

const BUNDLED: [&str; 9] = [
    "civil-days",
    "crc32",
    "ed25519-verify",
    "haversine",
    "json-parse",
    "parse-f64",
    "parse-ipv4",
    "secp256k1-verify",
    "sha256",
];

fn tmp() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The only signature of an ensemble report.
#[track_caller]
fn only_signature(e: &serde_json::Value) -> &serde_json::Value {
    let sigs = e["signatures"].as_array().expect("signatures");
    assert_eq!(sigs.len(), 1, "expected one signature: {e:#}");
    &sigs[0]
}

#[test]
fn bundled_ensembles_agree_on_generated_inputs() {
    let dir = tmp();
    let out = dir.path().join("out.json");
    let run = nvx([
        "campaign",
        "wasm-modules",
        "--generate",
        "200",
        "--json",
        s(&out),
    ]);
    run.expect(AGREED);
    // Not a terminal (and no CI variable): no progress bar, no control characters.
    assert!(
        !run.stderr.contains('\r') && !run.stderr.contains('\x1b'),
        "progress output on a pipe: {:?}",
        run.stderr
    );
    assert!(run.stdout.contains("0 divergent"), "{}", run.stdout);

    let report = read_json(&out);
    assert_eq!(report["schema"], 1);
    assert_eq!(report["generate"], 200);
    let names: Vec<&str> = report["ensembles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, BUNDLED);
    for name in BUNDLED {
        let e = ensemble(&report, name);
        let corpus = own_corpus_lines(&Path::new(ROOT).join("wasm-modules").join(name));
        assert_eq!(num(e, "corpus_inputs"), corpus, "{name}");
        assert_eq!(num(e, "generated_inputs"), 200, "{name}");
        assert_eq!(num(e, "inputs"), 200 + corpus, "{name}");
        if Path::new(ROOT)
            .join("wasm-modules")
            .join(name)
            .join("baseline.json")
            .exists()
        {
            // Real libraries disagree (Ed25519 on the cases of Chalkias et al., JSON
            // parsers on JSONTestSuite's files, secp256k1 on high S): every
            // divergence is one its baseline knows, with a reviewed reason.
            let sigs = e["signatures"].as_array().unwrap();
            assert!(!sigs.is_empty(), "{e:#}");
            for sig in sigs {
                assert_eq!(sig["status"], "known", "{sig:#}");
                assert!(
                    !sig["known_reason"]
                        .as_str()
                        .unwrap()
                        .contains("not reviewed"),
                    "{sig:#}"
                );
            }
            continue;
        }
        assert_eq!(num(e, "divergent_inputs"), 0, "{name}");
        assert_eq!(num(e, "no_verdict_inputs"), 0, "{name}");
        assert_eq!(e["signatures"], json!([]), "{name}");
        for v in variants(e) {
            assert_eq!(num(v, "agreed"), 200 + corpus, "{name}: {v}");
            assert_eq!(num(v, "dissented"), 0, "{name}: {v}");
            assert_eq!(v["failures"], json!({}), "{name}: {v}");
        }
    }
}

/// A divergence found from a corpus line, shrunk, reported in every format, and
/// reproducible with the printed command.
#[test]
fn dissent_from_a_corpus_is_shrunk_and_reproducible() {
    let dir = tmp();
    let corpus = write_file(dir.path(), "corpus.wave", "1, 2\n3, 4000000000\n7, 7\n");
    let (out, junit, md) = (
        dir.path().join("d.json"),
        dir.path().join("d.xml"),
        dir.path().join("d.md"),
    );
    let run = nvx([
        "campaign",
        "tests/fixtures/dissent",
        "--generate",
        "50",
        "--corpus",
        s(&corpus),
        "--json",
        s(&out),
        "--junit",
        s(&junit),
        "--markdown",
        s(&md),
    ]);
    run.expect(DIVERGED);
    assert!(run.stdout.contains("DIVERGED"), "{}", run.stdout);

    let report = read_json(&out);
    let e = ensemble(&report, "dissent");
    assert_eq!(num(e, "inputs"), 53);
    assert_eq!(num(e, "corpus_inputs"), 3);
    assert_eq!(num(e, "divergent_inputs"), 1);
    let sig = only_signature(e);
    assert_eq!(strings(&sig["dissenters"]), ["off-by-one"]);
    assert_eq!(strings(&sig["kinds"]), ["returned"]);
    assert_eq!(sig["function"], "add");
    assert_eq!(sig["verdict"], true);
    assert_eq!(num(sig, "count"), 1);
    assert_eq!(num(sig, "first_index"), 1);
    assert_eq!(sig["example_input"], "3, 4000000000");
    assert_eq!(sig["shrunk_input"], "3, 0");
    assert!(
        sig["origin"].as_str().unwrap().ends_with("corpus.wave:2"),
        "{sig}"
    );
    assert_eq!(
        sig["outcomes"],
        json!({"plain": "3", "negsub": "3", "off-by-one": "4"})
    );
    assert_eq!(num(variant(e, "off-by-one"), "dissented"), 1);
    assert_eq!(num(variant(e, "off-by-one"), "agreed"), 52);
    assert_eq!(num(variant(e, "plain"), "agreed"), 53);

    // The reproduce command, run by a shell with `nvx` on the PATH, diverges again.
    let reproduce = sig["reproduce"].as_str().unwrap();
    let rerun = reproduce_in_shell(reproduce, Path::new(ROOT));
    assert_eq!(
        rerun.status.code(),
        Some(DIVERGED),
        "`{reproduce}`: {rerun:?}"
    );
    assert!(String::from_utf8_lossy(&rerun.stdout).contains("verdict: 3"));

    // JUnit and Markdown written by the campaign.
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<testsuite name=\"dissent\""), "{xml}");
    assert!(xml.contains("<failure"), "{xml}");
    assert!(xml.contains("off-by-one"), "{xml}");
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown.contains("dissent") && markdown.contains("off-by-one"),
        "{markdown}"
    );

    // `nvx report` re-renders the same run: exit 1 in every format.
    for format in ["text", "json", "markdown", "junit", "html"] {
        let r = nvx(["report", s(&out), "--format", format]);
        r.expect(DIVERGED);
        assert!(r.stdout.contains("dissent"), "{format}: {}", r.stdout);
        match format {
            "json" => assert_eq!(totals(&r.json()), totals(&report)),
            "junit" => assert_eq!(r.stdout, xml),
            "markdown" => assert_eq!(r.stdout, markdown),
            "html" => assert!(r.stdout.contains("<html"), "{}", r.stdout),
            _ => assert!(r.stdout.contains("off-by-one"), "{}", r.stdout),
        }
    }
}

/// Runs a printed `reproduce` command through `sh -c` in `cwd`.
fn reproduce_in_shell(cmd: &str, cwd: &Path) -> std::process::Output {
    let bin = Path::new(NVX).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("sh")
        .args(["-c", cmd])
        .current_dir(cwd)
        .env("PATH", path)
        .env("NVX_CACHE_DIR", cache_dir())
        .output()
        .expect("sh")
}

/// The reproduce command quotes an ensemble path that needs it.
#[test]
fn reproduce_command_survives_awkward_paths() {
    let dir = tmp();
    let ens = dir.path().join("my ensembles").join("it's dissent");
    std::fs::create_dir_all(&ens).unwrap();
    for f in std::fs::read_dir(Path::new(ROOT).join("tests/fixtures/dissent")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, ens.join(f.file_name().unwrap())).unwrap();
    }
    let corpus = write_file(dir.path(), "c.wave", "# the bug\n3, 9\n");
    let out = dir.path().join("r.json");
    nvx([
        "campaign",
        s(&ens),
        "--generate",
        "0",
        "--corpus",
        s(&corpus),
        "--json",
        s(&out),
        "-q",
    ])
    .expect(DIVERGED);
    let sig = only_signature(ensemble(&read_json(&out), "dissent")).clone();
    let rerun = reproduce_in_shell(sig["reproduce"].as_str().unwrap(), dir.path());
    assert_eq!(rerun.status.code(), Some(DIVERGED), "{sig}: {rerun:?}");
}

/// Traps, hangs and resource exhaustion found through a campaign get their kind.
#[test]
fn hostile_variants_through_a_campaign() {
    let cases = [
        ("trap", "0, 5", "50", "zero-trap", "trap(unreachable)"),
        ("loop", "7, 1", "0", "spin", "timed-out"),
        ("memory-bomb", "5, 1", "0", "hog", "exhausted(memory)"),
        ("recursion", "9, 1", "0", "deep", "exhausted(stack)"),
        ("oversized", "1", "0", "huge-on-one", "exhausted(output)"),
    ];
    for (fixture, line, generate, culprit, kind) in cases {
        let dir = tmp();
        let corpus = write_file(dir.path(), "c.wave", &format!("{line}\n"));
        let out = dir.path().join("r.json");
        let start = Instant::now();
        let run = nvx([
            "campaign",
            &format!("tests/fixtures/{fixture}"),
            "--generate",
            generate,
            "--corpus",
            s(&corpus),
            "--json",
            s(&out),
            "-q",
        ]);
        run.expect(DIVERGED);
        // Contained: limits and the shrink time cap bound the whole run.
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{fixture}: {:?}",
            start.elapsed()
        );
        assert!(
            run.stdout.is_empty(),
            "--quiet prints nothing: {}",
            run.stdout
        );
        let e = ensemble(&read_json(&out), fixture).clone();
        let sig = e["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["example_input"] == line)
            .unwrap_or_else(|| panic!("{fixture}: no signature for `{line}`: {e:#}"));
        assert_eq!(strings(&sig["dissenters"]), [culprit], "{fixture}");
        assert_eq!(strings(&sig["kinds"]), [kind], "{fixture}");
        assert_eq!(sig["outcomes"][culprit], kind, "{fixture}: {sig}");
        assert!(
            num(&variant(&e, culprit)["failures"], kind) >= 1,
            "{fixture}: {e:#}"
        );
    }
}

#[test]
fn corpus_errors_are_exit_2_with_file_and_line() {
    let dir = tmp();
    let dissent = "tests/fixtures/dissent";
    // Missing corpus.
    let missing = dir.path().join("nope.wave");
    nvx([
        "campaign",
        dissent,
        "--generate",
        "1",
        "--corpus",
        s(&missing),
    ])
    .expect(ERROR)
    .stderr_mentions(&["nope.wave"]);
    // A value that does not parse, after a comment and a blank line.
    let bad = write_file(dir.path(), "bad.wave", "# header\n1, 2\n\n3, x\n");
    nvx(["campaign", dissent, "--generate", "1", "--corpus", s(&bad)])
        .expect(ERROR)
        .stderr_mentions(&["bad.wave:4"]);
    // Too few and too many arguments.
    let short = write_file(dir.path(), "short.wave", "1, 2\n3\n");
    nvx([
        "campaign",
        dissent,
        "--generate",
        "1",
        "--corpus",
        s(&short),
    ])
    .expect(ERROR)
    .stderr_mentions(&["short.wave:2"]);
    let long = write_file(dir.path(), "long.wave", "1, 2, 3\n");
    nvx(["campaign", dissent, "--generate", "1", "--corpus", s(&long)])
        .expect(ERROR)
        .stderr_mentions(&["long.wave:1"]);
    // A corpus folder is read file by file.
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    write_file(&folder, "a.wave", "1, 2\n");
    write_file(&folder, "b.wave", "3, 4\n");
    let out = dir.path().join("r.json");
    nvx([
        "campaign",
        dissent,
        "--generate",
        "0",
        "--corpus",
        s(&folder),
        "--json",
        s(&out),
    ])
    .expect(DIVERGED);
    let e = ensemble(&read_json(&out), "dissent").clone();
    assert_eq!(num(&e, "corpus_inputs"), 2);
    assert!(
        only_signature(&e)["origin"]
            .as_str()
            .unwrap()
            .ends_with("b.wave:1")
    );
}

#[test]
fn same_seed_same_run() {
    let dir = tmp();
    let report = |seed: &str, jobs: &str, name: &str| {
        let out = dir.path().join(name);
        nvx([
            "campaign",
            "tests/fixtures/trap",
            "tests/fixtures/dissent",
            "--generate",
            "300",
            "--seed",
            seed,
            "--jobs",
            jobs,
            "--json",
            s(&out),
            "-q",
        ])
        .expect(DIVERGED);
        read_json(&out)
    };
    let a = report("11", "2", "a.json");
    let b = report("11", "2", "b.json");
    let c = report("11", "1", "c.json");
    // zero-trap fails on a == 0, an edge value the generator draws often.
    assert!(num(ensemble(&a, "trap"), "divergent_inputs") > 0, "{a:#}");
    assert_eq!(totals(&a), totals(&b), "same seed, different runs");
    assert_eq!(totals(&a), totals(&c), "same seed, --jobs 1");
    let d = report("12", "2", "d.json");
    assert_eq!(d["seed"], 12);
    assert_eq!(num(ensemble(&d, "trap"), "inputs"), 300);
}

#[test]
fn shards_merge_to_the_whole_run() {
    let dir = tmp();
    let base = [
        "campaign",
        "tests/fixtures/dissent",
        "tests/fixtures/trap",
        "--generate",
        "300",
        "-q",
    ];
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--json", s(&out)]);
        let r = nvx(&args);
        assert_ne!(r.code, ERROR, "{}", r.stderr);
        out
    };
    let whole = read_json(&run(&["--seed", "7"], "whole.json"));
    let shards: Vec<_> = (1..=3)
        .map(|k| {
            run(
                &["--seed", "7", "--shard", &format!("{k}/3")],
                &format!("s{k}.json"),
            )
        })
        .collect();
    for (k, p) in shards.iter().enumerate() {
        let r = read_json(p);
        assert_eq!(strings(&r["shards"]), [format!("{}/3", k + 1)]);
        assert_eq!(num(ensemble(&r, "dissent"), "inputs"), 100);
    }
    assert!(num(ensemble(&whole, "trap"), "divergent_inputs") > 0);

    let merged = dir.path().join("m.json");
    nvx([
        "merge",
        s(&shards[0]),
        s(&shards[1]),
        s(&shards[2]),
        "-o",
        s(&merged),
    ])
    .expect(DIVERGED);
    let m = read_json(&merged);
    assert_eq!(strings(&m["shards"]), ["1/3", "2/3", "3/3"]);
    assert_eq!(totals(&m), totals(&whole));

    // The same shard twice is refused; so is a shard of another run.
    nvx([
        "merge",
        s(&shards[0]),
        s(&shards[0]),
        "-o",
        s(&dir.path().join("x.json")),
    ])
    .expect(ERROR)
    .stderr_mentions(&["1/3"]);
    let other = run(&["--shard", "2/3", "--seed", "8"], "other.json");
    nvx([
        "merge",
        s(&shards[0]),
        s(&other),
        "-o",
        s(&dir.path().join("y.json")),
    ])
    .expect(ERROR)
    .stderr_mentions(&["seed"]);
    assert!(!dir.path().join("x.json").exists() && !dir.path().join("y.json").exists());
    // A file that is not a report.
    nvx([
        "merge",
        s(&shards[0]),
        "Cargo.toml",
        "-o",
        s(&dir.path().join("z.json")),
    ])
    .expect(ERROR)
    .stderr_mentions(&["Cargo.toml"]);
}

#[test]
fn journal_resume_counts_nothing_twice() {
    let dir = tmp();
    let journal = dir.path().join("j.bin");
    let base = [
        "campaign",
        "tests/fixtures/trap",
        "--generate",
        "300",
        "-q",
        "--journal",
        s(&journal),
    ];
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--json", s(&out)]);
        (nvx(&args), out)
    };
    let (r, first) = run(&["--seed", "5"], "first.json");
    r.expect(DIVERGED);
    let first = read_json(&first);
    assert_eq!(num(ensemble(&first, "trap"), "inputs"), 300);

    // Resuming a finished run changes nothing.
    let (r, again) = run(&["--seed", "5", "--resume"], "again.json");
    r.expect(DIVERGED);
    assert_eq!(totals(&read_json(&again)), totals(&first));

    // A torn tail (garbage after the last record) is dropped.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    f.write_all(&[0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03])
        .unwrap();
    drop(f);
    let (r, torn) = run(&["--seed", "5", "--resume"], "torn.json");
    // The user is told what was dropped (Journal::dropped_bytes).
    r.expect(DIVERGED)
        .stderr_mentions(&["warning", "torn tail of 7 bytes"]);
    assert_eq!(totals(&read_json(&torn)), totals(&first));

    // A journal of another run is refused.
    let (r, _) = run(&["--resume", "--seed", "6"], "other.json");
    r.expect(ERROR).stderr_mentions(&["j.bin"]);
}

/// SIGKILL in the middle of a run, then `--resume`: the totals equal an
/// uninterrupted run's, so no input was lost or counted twice.
#[test]
fn journal_survives_kill_9() {
    let dir = tmp();
    let journal = dir.path().join("j.bin");
    let (killed, resumed, clean) = (
        dir.path().join("a.json"),
        dir.path().join("b.json"),
        dir.path().join("c.json"),
    );
    let base = [
        "campaign",
        "wasm-modules/sha256",
        "--generate",
        "12000",
        "-q",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|a| a.to_string()).collect()
    };

    let mut child = command(with(&["--journal", s(&journal), "--json", s(&killed)]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill once some records are on disk, well before the end.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the campaign finished before it could be killed; raise --generate"
        );
        if std::fs::metadata(&journal).is_ok_and(|m| m.len() >= 64 * 1024) {
            break;
        }
        assert!(Instant::now() < deadline, "no journal progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!killed.exists(), "a killed run writes no report");

    nvx(with(&[
        "--journal",
        s(&journal),
        "--resume",
        "--json",
        s(&resumed),
    ]))
    .expect(AGREED);
    nvx(with(&["--json", s(&clean)])).expect(AGREED);
    let (resumed, clean) = (read_json(&resumed), read_json(&clean));
    let corpus = own_corpus_lines(&Path::new(ROOT).join("wasm-modules/sha256"));
    assert_eq!(num(ensemble(&clean, "sha256"), "inputs"), 12000 + corpus);
    assert_eq!(totals(&resumed), totals(&clean));
}

#[test]
fn report_exit_codes_and_formats() {
    let dir = tmp();
    let ok = dir.path().join("ok.json");
    nvx([
        "campaign",
        "tests/fixtures/agree",
        "--generate",
        "50",
        "--json",
        s(&ok),
        "-q",
    ])
    .expect(AGREED);
    for format in ["text", "json", "markdown", "junit", "html"] {
        let r = nvx(["report", s(&ok), "--format", format]);
        r.expect(AGREED);
        assert!(r.stdout.contains("agree"), "{format}: {}", r.stdout);
        assert!(!r.stdout.contains("<failure"), "{format}: {}", r.stdout);
    }
    // Default format is text.
    let text = nvx(["report", s(&ok)]);
    text.expect(AGREED);
    assert!(text.stdout.contains("50 inputs"), "{}", text.stdout);

    // Not a report: wrong JSON, not JSON, a future schema, no file.
    nvx(["report", "Cargo.toml"])
        .expect(ERROR)
        .stderr_mentions(&["Cargo.toml"]);
    let not_report = write_file(dir.path(), "x.json", r#"{"hello": "world"}"#);
    nvx(["report", s(&not_report)])
        .expect(ERROR)
        .stderr_mentions(&["x.json"]);
    let future = write_file(
        dir.path(),
        "future.json",
        r#"{"schema": 2, "ensembles": []}"#,
    );
    nvx(["report", s(&future)])
        .expect(ERROR)
        .stderr_mentions(&["schema"]);
    nvx(["report", s(&dir.path().join("missing.json"))]).expect(ERROR);
    nvx(["report", s(&ok), "--format", "pdf"]).expect(ERROR);
}

#[test]
fn pairwise_header_separates_names() {
    let dir = tmp();
    let corpus = write_file(dir.path(), "c.wave", "3, 4\n");
    let out = dir.path().join("d.json");
    nvx([
        "campaign",
        "tests/fixtures/dissent",
        "--generate",
        "0",
        "--corpus",
        s(&corpus),
        "--json",
        s(&out),
    ])
    .expect(DIVERGED);
    let text = nvx(["report", s(&out)]);
    let mut lines = text
        .stdout
        .lines()
        .skip_while(|l| !l.contains("pairwise agreement"));
    lines.next();
    let header: Vec<&str> = lines
        .next()
        .expect("a header line")
        .split_whitespace()
        .collect();
    // Columns are numbered; each row names its variant in full beside its number.
    assert_eq!(header, ["[1]", "[2]", "[3]"], "{}", text.stdout);
    let rows: Vec<Vec<&str>> = lines
        .take(3)
        .map(|l| l.split_whitespace().collect())
        .collect();
    for (i, name) in ["plain", "negsub", "off-by-one"].iter().enumerate() {
        assert_eq!(
            rows[i][..2],
            [*name, &format!("[{}]", i + 1)],
            "{}",
            text.stdout
        );
        assert_eq!(rows[i].len(), 5, "{}", text.stdout);
    }
}

/// The demo of examples/faulty: a campaign over a corpus holding the musl input
/// names the faulty variant, and its reproduce command shows the bug again.
#[test]
fn faulty_demo_through_a_campaign() {
    let dir = tmp();
    let corpus = write_file(
        dir.path(),
        "c.wave",
        "\"1.5\"\n\"-2.4703282292062328e-324\"\n",
    );
    let out = dir.path().join("f.json");
    nvx([
        "campaign",
        "examples/faulty/parse-f64",
        "--generate",
        "0",
        "--corpus",
        s(&corpus),
        "--json",
        s(&out),
        "-q",
    ])
    .expect(DIVERGED);
    let e = ensemble(&read_json(&out), "parse-f64").clone();
    // The given corpus line plus the musl cases of the demo's own corpus.
    assert!(num(&e, "divergent_inputs") >= 2, "{e:#}");
    let sig = only_signature(&e);
    assert_eq!(strings(&sig["dissenters"]), ["c-musl-strtod"]);
    assert_eq!(sig["outcomes"]["c-musl-strtod"], "some(0.0)");
    assert_eq!(sig["outcomes"]["rust-core"], "some(-5e-324)");
    let rerun = reproduce_in_shell(sig["reproduce"].as_str().unwrap(), Path::new(ROOT));
    assert_eq!(rerun.status.code(), Some(DIVERGED), "{sig}: {rerun:?}");
}

/// Two ensembles with the same name in one campaign (the shipped parse-f64 next
/// to the faulty demo, as in `nvx campaign wasm-modules examples/faulty`).
const SAME_NAME: [&str; 2] = ["wasm-modules/parse-f64", "examples/faulty/parse-f64"];

#[test]
fn same_named_ensembles_resume_separately() {
    let dir = tmp();
    let journal = dir.path().join("j.bin");
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let mut args = vec![
            "campaign",
            SAME_NAME[0],
            SAME_NAME[1],
            "--generate",
            "100",
            "-q",
            "--journal",
            s(&journal),
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--json", s(&out)]);
        // The faulty demo's own corpus holds the musl cases, so the run diverges.
        nvx(&args).expect(DIVERGED);
        read_json(&out)
    };
    let first = run(&[], "first.json");
    let resumed = run(&["--resume"], "resumed.json");
    let own_corpus = num(&first["ensembles"][1], "corpus_inputs");
    assert!(own_corpus > 0);
    assert_eq!(num(&first["ensembles"][1], "inputs"), 100 + own_corpus);
    assert_eq!(totals(&resumed), totals(&first));
}

#[test]
fn same_named_ensembles_merge() {
    let dir = tmp();
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let mut args = vec![
            "campaign",
            SAME_NAME[0],
            SAME_NAME[1],
            "--generate",
            "100",
            "-q",
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--json", s(&out)]);
        // A shard diverges only if it holds one of the faulty demo's musl cases.
        nvx(&args).ran();
        out
    };
    let whole = read_json(&run(&[], "whole.json"));
    let a = run(&["--shard", "1/2"], "a.json");
    let b = run(&["--shard", "2/2"], "b.json");
    let merged = dir.path().join("m.json");
    nvx(["merge", s(&a), s(&b), "-o", s(&merged)]).expect(DIVERGED);
    assert_eq!(totals(&read_json(&merged)), totals(&whole));
}

#[test]
fn a_hint_table_for_a_function_the_world_lacks_is_an_error() {
    let dir = copy_fixture("agree");
    let manifest = dir.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text + "\n[generate.ad]\nseeds = [\"1, 2\"]\n").unwrap();
    nvx(["campaign", s(dir.path()), "--generate", "5"])
        .expect(ERROR)
        .stderr_mentions(&["nvx.toml", "[generate.ad]", "it exports: add"]);
}

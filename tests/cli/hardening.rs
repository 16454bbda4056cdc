//! Campaign edge cases from the hardening probe: output paths checked before any
//! work, findings printed even when a report cannot be written, and a campaign that
//! tested nothing does not pass.

use super::support::*;

#[test]
fn a_report_path_in_a_missing_folder_is_refused_before_running() {
    for flag in ["--json", "--junit", "--markdown"] {
        let run = nvx([
            "campaign",
            "examples/faulty/crc32",
            "--generate",
            "5",
            flag,
            "/nonexistent-nvx-folder/report.out",
        ]);
        run.expect(ERROR)
            .stderr_mentions(&[flag, "/nonexistent-nvx-folder", "does not exist"]);
        // Refused up front: no summary of a run.
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_report_keeps_the_printed_findings() {
    // /dev/full accepts the open but fails every write.
    let run = nvx([
        "campaign",
        "examples/faulty/crc32",
        "--generate",
        "5",
        "--json",
        "/dev/full",
    ]);
    run.expect(ERROR).stderr_mentions(&["/dev/full"]);
    assert!(run.stdout.contains("divergent"), "{}", run.stdout);
    assert!(run.stdout.contains("c-no-final-xor"), "{}", run.stdout);
}

#[test]
fn a_campaign_over_no_inputs_is_an_error() {
    nvx(["campaign", "tests/fixtures/agree", "--generate", "0"])
        .expect(ERROR)
        .stderr_mentions(&["no inputs", "nothing was tested"]);
    // A shard may legitimately be empty: noted, exit 0.
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("one.wave");
    std::fs::write(&corpus, "1, 2\n").unwrap();
    nvx([
        "campaign",
        "tests/fixtures/agree",
        "--generate",
        "0",
        "--corpus",
        corpus.to_str().unwrap(),
        "--shard",
        "2/2",
    ])
    .expect(AGREED)
    .stderr_mentions(&["no inputs"]);
}

#[test]
fn generate_near_u64_max_neither_wraps_nor_allocates_per_input() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("one.wave");
    std::fs::write(&corpus, "1, 2\n").unwrap();
    let max = u64::MAX.to_string();
    nvx([
        "campaign",
        "tests/fixtures/agree",
        "--generate",
        &max,
        "--corpus",
        corpus.to_str().unwrap(),
    ])
    .expect(ERROR)
    .stderr_mentions(&["generated inputs", &max, "agree"]);

    // u64::MAX inputs alone are fine: the run starts at once in constant memory.
    #[cfg(target_os = "linux")]
    {
        let mut child = command(["campaign", "tests/fixtures/agree", "--generate", &max, "-q"])
            .spawn()
            .expect("start nvx");
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
        let _ = child.kill();
        let _ = child.wait();
        let peak_kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc status");
        assert!(peak_kib < 256 * 1024, "peak RSS {peak_kib} KiB after 1.5 s");
    }
}

#[test]
fn host_memory_stays_within_jobs_times_variants_times_the_limit() {
    // Twelve inputs on which `toucher` fills its 64 MiB memory page by page.
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("bombs.wave");
    let lines: String = (1..=12).map(|i| format!("5, {i}\n")).collect();
    std::fs::write(&corpus, lines).unwrap();
    let json = tmp.path().join("run.json");
    let (jobs, variants, memory_mib) = (2u64, 3u64, 64u64);
    nvx([
        "campaign",
        "tests/fixtures/memory-touch",
        "--corpus",
        corpus.to_str().unwrap(),
        "--generate",
        "0",
        "--jobs",
        &jobs.to_string(),
        "--json",
        json.to_str().unwrap(),
    ])
    .expect(DIVERGED);
    let report = read_json(&json);
    // Linux reports the peak; elsewhere the field is absent.
    if cfg!(not(target_os = "linux")) {
        return;
    }
    let peak = report["peak_rss_bytes"]
        .as_u64()
        .unwrap_or_else(|| panic!("no peak_rss_bytes: {report:#}"));
    // The goal: jobs × variants × memory-mib plus a small constant (the binary,
    // compiled code, the runtime: 128 MiB).
    let bound = (jobs * variants * memory_mib + 128) << 20;
    assert!(
        peak <= bound,
        "peak RSS {} MiB above {} MiB",
        peak >> 20,
        bound >> 20
    );
    let e = &report["ensembles"][0];
    assert_eq!(e["inputs"], 12, "{e:#}");
}

#[test]
fn a_huge_divergent_input_is_reported_unshrunk_instead_of_shrinking_forever() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("big.wave");
    // 1 MiB of 0x31 as a list<u8>: c-no-final-xor dissents on every input.
    let big = format!("[{}]\n", vec!["49"; 1 << 20].join(", "));
    std::fs::write(&corpus, &big).unwrap();
    let json = tmp.path().join("run.json");
    nvx([
        "campaign",
        "examples/faulty/crc32",
        "--corpus",
        corpus.to_str().unwrap(),
        "--generate",
        "0",
        "--json",
        json.to_str().unwrap(),
    ])
    .expect(DIVERGED);
    let report = read_json(&json);
    let sig = &report["ensembles"][0]["signatures"][0];
    assert_eq!(sig["shrunk_input"], sig["example_input"], "left as found");
    // The report holds a clipped copy that says where the whole input is (issue: a
    // huge input embedded in full made every report megabytes long).
    let example = sig["example_input"].as_str().unwrap();
    assert!(example.len() < 8 << 10, "{} bytes", example.len());
    assert!(
        example.contains(&format!("clipped: {} bytes in all", big.trim_end().len())),
        "{}",
        &example[example.len().saturating_sub(200)..]
    );

    // The reproduce command is short and points to a file beside the report.
    let reproduce = sig["reproduce"].as_str().unwrap();
    assert!(reproduce.len() < 1024, "{} bytes", reproduce.len());
    let file = reproduce
        .split("--args-file ")
        .nth(1)
        .unwrap_or_else(|| panic!("no --args-file in {reproduce}"));
    let file = std::path::Path::new(file.trim_matches('\''));
    assert!(file.starts_with(tmp.path().join("run.inputs")), "{file:?}");
    let run = nvx([
        "call",
        "examples/faulty/crc32",
        "crc32",
        "--args-file",
        file.to_str().unwrap(),
        "--json",
    ]);
    run.expect(DIVERGED);
    let doc = run.json();
    assert!(doc["args"][0].as_str().unwrap().len() > 1 << 20);
    assert!(example.contains(file.to_str().unwrap()), "names {file:?}");
}

#[test]
fn an_args_file_must_hold_exactly_one_input() {
    let tmp = tempfile::tempdir().unwrap();
    let two = write_file(tmp.path(), "two.args", "# two inputs\n[1]\n[2]\n");
    nvx([
        "call",
        "examples/faulty/crc32",
        "crc32",
        "--args-file",
        s(&two),
    ])
    .expect(ERROR)
    .stderr_mentions(&["two.args", "more than one input", "lines 2 and 3"]);
    let none = write_file(tmp.path(), "none.args", "# nothing\n\n");
    nvx([
        "call",
        "examples/faulty/crc32",
        "crc32",
        "--args-file",
        s(&none),
    ])
    .expect(ERROR)
    .stderr_mentions(&["none.args", "no arguments line"]);
    let bad = write_file(tmp.path(), "bad.args", "[1, 2, 300]\n");
    nvx([
        "call",
        "examples/faulty/crc32",
        "crc32",
        "--args-file",
        s(&bad),
    ])
    .expect(ERROR)
    .stderr_mentions(&["bad.args:1", "300"]);
    let one = write_file(tmp.path(), "one.args", "# ok\n[1, 2, 3]\n");
    nvx([
        "call",
        "examples/faulty/crc32",
        "crc32",
        "--args-file",
        s(&one),
    ])
    .expect(DIVERGED);
}

/// Runs a 20-input journaled campaign of `tests/fixtures/agree` spelled as `ensemble`.
fn journaled(ensemble: &str, journal: &std::path::Path, resume: bool) -> Run {
    let mut args = vec![
        "campaign",
        ensemble,
        "--generate",
        "20",
        "--journal",
        s(journal),
    ];
    if resume {
        args.push("--resume");
    }
    nvx(args)
}

#[test]
fn a_differently_spelled_ensemble_path_resumes_the_recorded_work() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("run.journal");
    journaled("tests/fixtures/agree", &journal, false).expect(AGREED);
    let before = std::fs::read(&journal).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    for spelling in [
        "./tests/fixtures/agree/",
        "tests/fixtures/../fixtures/agree",
        &format!("{root}/tests/fixtures/agree"),
    ] {
        journaled(spelling, &journal, true).expect(AGREED);
        assert_eq!(
            std::fs::read(&journal).unwrap(),
            before,
            "{spelling}: recorded inputs were run again"
        );
    }
}

#[test]
fn a_journal_in_use_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("run.journal");
    journaled("tests/fixtures/agree", &journal, false).expect(AGREED);
    let before = std::fs::read(&journal).unwrap();
    let holder = std::fs::File::open(&journal).unwrap();
    holder.lock().unwrap();
    journaled("tests/fixtures/agree", &journal, true)
        .expect(ERROR)
        .stderr_mentions(&["run.journal", "in use by another nvx run"]);
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    drop(holder);
    journaled("tests/fixtures/agree", &journal, true).expect(AGREED);
}

#[test]
fn records_after_damage_in_the_middle_of_a_journal_are_kept_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("run.journal");
    journaled("tests/fixtures/agree", &journal, false).expect(AGREED);
    let mut bytes = std::fs::read(&journal).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&journal, &bytes).unwrap();
    let run = journaled("tests/fixtures/agree", &journal, true);
    run.expect(AGREED).stderr_mentions(&[
        "warning",
        "run.journal",
        "damaged at byte offset",
        "intact records after the damage were kept",
    ]);
    let text = run.stderr.clone();
    let kept: u64 = text
        .split(", and ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(kept > 0 && kept < 20, "{text}");
    // The damage cost one record (rerun); the run still counts each input once.
    let summary = run.stdout.clone();
    assert!(summary.contains("20 inputs"), "{summary}");
}

#[test]
fn merge_refuses_inconsistent_shard_sets() {
    let tmp = tempfile::tempdir().unwrap();
    let report = |ens: &str, shard: Option<&str>, name: &str| {
        let out = tmp.path().join(name);
        let mut args = vec!["campaign", ens, "--generate", "30", "-q"];
        if let Some(s) = shard {
            args.extend_from_slice(&["--shard", s]);
        }
        let out_s = out.to_str().unwrap().to_string();
        args.extend_from_slice(&["--json", &out_s]);
        nvx(&args).ran();
        out
    };
    let agree = "tests/fixtures/agree";
    let a12 = report(agree, Some("1/2"), "a12.json");
    let a22 = report(agree, Some("2/2"), "a22.json");
    let a23 = report(agree, Some("2/3"), "a23.json");
    let full = report(agree, None, "full.json");
    let d22 = report("tests/fixtures/dissent", Some("2/2"), "d22.json");
    let out = tmp.path().join("m.json");
    let merge = |files: &[&std::path::Path]| {
        let mut args: Vec<String> = vec!["merge".into()];
        args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
        args.extend(["-o".into(), out.to_str().unwrap().to_string()]);
        nvx(&args)
    };
    merge(&[&a12, &a23])
        .expect(ERROR)
        .stderr_mentions(&["a23.json", "2/3", "split into 3"]);
    merge(&[&full, &a12])
        .expect(ERROR)
        .stderr_mentions(&["full.json", "full run"]);
    merge(&[&a12])
        .expect(ERROR)
        .stderr_mentions(&["2/2", "missing"]);
    merge(&[&a12, &d22])
        .expect(ERROR)
        .stderr_mentions(&["d22.json", "dissent", "agree"]);
    assert!(!out.exists(), "nothing written on refusal");
    merge(&[&a22, &a12]).expect(AGREED);
    let m = read_json(&out);
    assert_eq!(m["ensembles"][0]["inputs"], 30);
}

#[cfg(target_os = "linux")]
#[test]
fn fifos_and_devices_are_refused_not_read() {
    let mkfifo = |p: &std::path::Path| {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "mkfifo {}", p.display());
    };
    // As the manifest, the WIT, a variant.
    for file in ["nvx.toml", "agree.wit", "plain.wat"] {
        let dir = copy_fixture("agree");
        let p = dir.path().join(file);
        std::fs::remove_file(&p).unwrap();
        mkfifo(&p);
        nvx(["call", dir.path().to_str().unwrap(), "add", "1", "2"])
            .expect(ERROR)
            .stderr_mentions(&[file, "not a regular file"]);
    }
    // As a corpus file, and /dev/zero as a corpus.
    let dir = copy_fixture("agree");
    let fifo = dir.path().join("inputs.wave");
    mkfifo(&fifo);
    for corpus in [fifo.to_str().unwrap(), "/dev/zero"] {
        nvx(["campaign", "tests/fixtures/agree", "--corpus", corpus])
            .expect(ERROR)
            .stderr_mentions(&[corpus, "not a regular file"]);
    }
}

#[cfg(unix)]
#[test]
fn a_corpus_folder_with_symlink_loops_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    std::fs::write(corpus.join("a.wave"), "1, 2\n").unwrap();
    std::fs::write(corpus.join("sub/b.wave"), "3, 4\n").unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("sub/loop1")).unwrap();
    std::os::unix::fs::symlink(corpus.join("sub"), corpus.join("loop2")).unwrap();
    let json = dir.path().join("run.json");
    nvx([
        "campaign",
        "tests/fixtures/agree",
        "--corpus",
        corpus.to_str().unwrap(),
        "--generate",
        "0",
        "--json",
        json.to_str().unwrap(),
    ])
    .expect(AGREED);
    assert_eq!(read_json(&json)["ensembles"][0]["corpus_inputs"], 2);
}

#[test]
fn errors_quote_a_clipped_input() {
    let long = "9".repeat(100_000);
    let run = nvx(["call", "tests/fixtures/agree", "add", &long, "1"]);
    run.expect(ERROR)
        .stderr_mentions(&["argument `a`", "100000 bytes in all"]);
    assert!(
        run.stderr.len() < 1000,
        "{} bytes of error",
        run.stderr.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("bad.wave");
    std::fs::write(&corpus, format!("\"{}\u{7}\", 1\n", "x".repeat(100_000))).unwrap();
    let run = nvx([
        "campaign",
        "tests/fixtures/agree",
        "--corpus",
        corpus.to_str().unwrap(),
    ]);
    run.expect(ERROR)
        .stderr_mentions(&["bad.wave:1", "bytes in all"]);
    assert!(
        run.stderr.len() < 1000,
        "{} bytes of error",
        run.stderr.len()
    );
}

#[test]
fn an_existing_journal_is_not_overwritten_without_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("run.journal");
    let j = journal.to_str().unwrap();
    let args = [
        "campaign",
        "tests/fixtures/agree",
        "--generate",
        "20",
        "-q",
        "--journal",
        j,
    ];
    nvx(args).expect(AGREED);
    let before = std::fs::read(&journal).unwrap();
    assert!(!before.is_empty());
    nvx(args)
        .expect(ERROR)
        .stderr_mentions(&["run.journal", "already exists", "--resume"]);
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "journal untouched"
    );
    let mut resumed = args.to_vec();
    resumed.push("--resume");
    nvx(&resumed).expect(AGREED);
}

#[test]
fn a_refused_resume_leaves_the_journal_and_its_torn_tail_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let journal = tmp.path().join("run.journal");
    let j = journal.to_str().unwrap();
    let base = [
        "campaign",
        "tests/fixtures/agree",
        "--generate",
        "20",
        "-q",
        "--journal",
        j,
    ];
    let mut first = base.to_vec();
    first.extend_from_slice(&["--seed", "5"]);
    nvx(&first).expect(AGREED);
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    f.write_all(&[0xde, 0xad, 0xbe, 0xef, 1, 2, 3]).unwrap();
    drop(f);
    let before = std::fs::read(&journal).unwrap();
    let mut other = base.to_vec();
    other.extend_from_slice(&["--seed", "6", "--resume"]);
    nvx(&other)
        .expect(ERROR)
        .stderr_mentions(&["run.journal", "different run"]);
    assert_eq!(std::fs::read(&journal).unwrap(), before, "journal modified");
}

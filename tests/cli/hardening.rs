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

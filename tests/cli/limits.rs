//! Limits at the edges of their documented ranges: a deeply recursing variant
//! exhausts its own `stack-kib` anywhere in 1..=65536 KiB, in a call and in a
//! campaign, and never overflows the host thread.

use super::support::*;

/// A copy of the recursion fixture with `stack-kib = kib`.
fn recursion_with_stack(kib: u64) -> tempfile::TempDir {
    let tmp = copy_fixture("recursion");
    let manifest = tmp.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen(
        "\n[[variant]]",
        &format!("\n[ensemble.limits]\nstack-kib = {kib}\n\n[[variant]]"),
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    std::fs::write(tmp.path().join("deep.wave"), "9, 1\n1, 2\n").unwrap();
    tmp
}

#[test]
fn stack_limits_up_to_64_mib_end_in_exhausted_stack() {
    for kib in [2040, 2048, 2049, 8192, 65536] {
        let dir = recursion_with_stack(kib);
        let d = dir.path().to_str().unwrap();
        let (run, doc) = call(d, "add", &["9", "1"]);
        run.expect(DIVERGED);
        assert_eq!(verdict(&doc), "10", "stack-kib {kib}");
        assert_eq!(
            variant(&doc, "deep")["label"],
            "exhausted(stack)",
            "stack-kib {kib}"
        );
        let corpus = dir.path().join("deep.wave");
        let run = nvx([
            "campaign",
            d,
            "--corpus",
            corpus.to_str().unwrap(),
            "--jobs",
            "2",
        ]);
        run.expect(DIVERGED);
        assert!(!run.stderr.contains("overflowed"), "{}", run.stderr);
    }
}

#[test]
fn stack_limits_outside_the_range_name_the_key() {
    let dir = recursion_with_stack(65537);
    nvx(["call", dir.path().to_str().unwrap(), "add", "1", "2"])
        .expect(ERROR)
        .stderr_mentions(&["stack-kib", "65536"]);
}

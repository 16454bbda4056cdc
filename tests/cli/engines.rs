//! Several wasmtime compilers: `--engines` and `[ensemble] engines`, engine
//! divergence in `nvx call` and in campaign reports, and the errors around them.
//! The `engine-nan` fixture's `quotient-bits` variant returns the bits of `x / x`,
//! which for x = 0 differ between Winch (x86-64 hardware NaN) and Cranelift or
//! Pulley (canonical NaN).

use crate::support::*;

const ENGINE_NAN: &str = "tests/fixtures/engine-nan";

#[test]
fn a_variant_whose_result_depends_on_the_engine_is_an_engine_divergence() {
    let run = nvx([
        "call",
        ENGINE_NAN,
        "bits",
        "0",
        "--engines",
        "cranelift,winch,pulley",
        "--json",
    ]);
    run.expect(DIVERGED);
    let doc = run.json();
    // The vote counts Cranelift, where both variants agree.
    assert_eq!(doc["unanimous"], true, "{doc:#}");
    assert_eq!(verdict(&doc), "9221120237041090560");
    assert_eq!(strings(&doc["engines"]), ["cranelift", "winch", "pulley"]);
    let divs = doc["engine_divergences"].as_array().unwrap();
    assert_eq!(divs.len(), 1, "{doc:#}");
    assert_eq!(divs[0]["variant"], "quotient-bits");
    assert_eq!(divs[0]["outcomes"]["cranelift"], "9221120237041090560");
    assert_eq!(divs[0]["outcomes"]["pulley"], "9221120237041090560");
    assert_eq!(divs[0]["outcomes"]["winch"], "18444492273895866368");

    // The table says what it is.
    let run = nvx([
        "call",
        ENGINE_NAN,
        "bits",
        "0",
        "--engines",
        "cranelift,winch",
    ]);
    run.expect(DIVERGED);
    assert!(run.stdout.contains("engine divergence"), "{}", run.stdout);
    assert!(
        run.stdout.contains("compiler or runtime bug"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "quotient-bits: cranelift → 9221120237041090560, winch → 18444492273895866368"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn engines_that_agree_report_nothing() {
    // Non-zero x: x / x is 1.0 everywhere.
    let run = nvx([
        "call",
        ENGINE_NAN,
        "bits",
        "2.5",
        "--engines",
        "cranelift,winch,pulley",
        "--json",
    ]);
    run.expect(AGREED);
    let doc = run.json();
    assert!(doc["engine_divergences"].as_array().unwrap().is_empty());
    // One engine (the default) never reports an engine divergence.
    let run = nvx(["call", ENGINE_NAN, "bits", "0", "--json"]);
    run.expect(AGREED);
    assert_eq!(strings(&run.json()["engines"]), ["cranelift"]);
}

#[test]
fn the_first_engine_named_casts_the_votes() {
    // On Winch alone the two variants split on x = 0.
    let run = nvx([
        "call",
        ENGINE_NAN,
        "bits",
        "0",
        "--engines",
        "winch",
        "--json",
    ]);
    run.expect(DIVERGED);
    let doc = run.json();
    assert_eq!(doc["verdict"], serde_json::Value::Null, "{doc:#}");
    assert!(doc["engine_divergences"].as_array().unwrap().is_empty());
}

#[test]
fn every_bundled_ensemble_runs_on_every_engine() {
    for dir in std::fs::read_dir("wasm-modules").unwrap() {
        let dir = dir.unwrap().path();
        // One Ed25519 verification by the JavaScript and Python libraries takes
        // seconds on Pulley, an interpreter, and JSONTestSuite's deepest files
        // take long: a slice of those corpora does.
        let shard = if dir.ends_with("ed25519-verify") {
            "1/40"
        } else if dir.ends_with("secp256k1-verify") {
            "1/100"
        } else if dir.ends_with("json-parse") {
            "1/4"
        } else {
            "1/1"
        };
        let run = nvx([
            "campaign",
            s(&dir),
            "--generate",
            "20",
            "--shard",
            shard,
            "--engines",
            "cranelift,winch,pulley",
            "-q",
        ]);
        run.expect(AGREED);
    }
}

#[test]
fn a_campaign_reports_engine_divergences_apart_from_variant_dissent() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("run.json");
    let run = nvx([
        "campaign",
        ENGINE_NAN,
        "--generate",
        "200",
        "--engines",
        "cranelift,winch,pulley",
        "--json",
        s(&json),
    ]);
    run.expect(DIVERGED);
    assert!(run.stdout.contains("engine divergence"), "{}", run.stdout);
    let report = read_json(&json);
    let e = &report["ensembles"][0];
    assert_eq!(strings(&e["engines"]), ["cranelift", "winch", "pulley"]);
    let n = num(e, "engine_divergent_inputs");
    assert!(n > 0 && n == num(e, "divergent_inputs"), "{e:#}");
    // No variant dissented: the divergence is the engines'.
    for v in e["variants"].as_array().unwrap() {
        assert_eq!(v["dissented"], 0, "{v}");
    }
    let sig = &e["signatures"][0];
    assert!(strings(&sig["dissenters"]).is_empty(), "{sig:#}");
    let lines = strings(&sig["engine_divergences"]);
    assert_eq!(lines.len(), 1, "{sig:#}");
    assert!(
        lines[0].starts_with("quotient-bits: cranelift → "),
        "{sig:#}"
    );
    assert!(lines[0].contains("winch → 18444492273895866368"), "{sig:#}");
    // Shrunk to the one input class that shows it, and reproducible on the same engines.
    assert_eq!(sig["shrunk_input"], "0.0", "{sig:#}");
    let reproduce = sig["reproduce"].as_str().unwrap();
    assert!(
        reproduce.contains("--engines cranelift,winch,pulley"),
        "{reproduce}"
    );
    // Markdown names it too.
    let md = nvx(["report", s(&json), "--format", "markdown"]);
    assert!(md.stdout.contains("engine divergence"), "{}", md.stdout);
}

#[test]
fn the_manifest_names_the_engines() {
    let tmp = copy_fixture("engine-nan");
    let manifest = tmp.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let with = text.replace(
        "policy = \"majority\"",
        "policy = \"majority\"\nengines = [\"cranelift\", \"winch\"]",
    );
    std::fs::write(&manifest, &with).unwrap();
    let run = nvx(["call", s(tmp.path()), "bits", "0", "--json"]);
    run.expect(DIVERGED);
    assert_eq!(strings(&run.json()["engines"]), ["cranelift", "winch"]);
    // --engines overrides the manifest.
    nvx(["call", s(tmp.path()), "bits", "0", "--engines", "pulley"]).expect(AGREED);

    for (list, needle) in [
        ("[]", "name at least one engine"),
        (
            "[\"cranelift\", \"cranelift\"]",
            "`cranelift` is named twice",
        ),
        ("[\"llvm\"]", "llvm"),
    ] {
        let bad = text.replace(
            "policy = \"majority\"",
            &format!("policy = \"majority\"\nengines = {list}"),
        );
        std::fs::write(&manifest, &bad).unwrap();
        nvx(["call", s(tmp.path()), "bits", "0"])
            .expect(ERROR)
            .stderr_mentions(&["nvx.toml", "engines", needle]);
    }
}

#[test]
fn bad_engine_lists_are_usage_errors() {
    for (list, needle) in [
        ("cranelift,llvm", "unknown engine `llvm`"),
        ("winch,winch", "`winch` is named twice"),
        ("", "unknown engine ``"),
    ] {
        nvx(["call", ENGINE_NAN, "bits", "0", "--engines", list])
            .expect(ERROR)
            .stderr_mentions(&["--engines", needle]);
    }
}

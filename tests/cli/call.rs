//! `nvx call` on the hand-written fixture ensembles of tests/fixtures (see its
//! README for what each one exercises), load errors and bad usage.

use std::time::Duration;

use proptest::prelude::*;

use crate::support::*;

/// Asserts a unanimous call: exit 0, the verdict, every variant returned it.
#[track_caller]
fn unanimous(ensemble: &str, func: &str, args: &[&str], expected: &str) -> serde_json::Value {
    let (run, doc) = call(ensemble, func, args);
    run.expect(AGREED);
    assert_eq!(verdict(&doc), expected, "{doc:#}");
    assert_eq!(doc["unanimous"], true);
    assert!(strings(&doc["dissenters"]).is_empty(), "{doc:#}");
    for v in variants(&doc) {
        assert_eq!(v["outcome"], "returned", "{v}");
        assert_eq!(v["label"], "returned", "{v}");
        assert_eq!(v["value"], expected, "{v}");
        assert_eq!(v["dissented"], false, "{v}");
    }
    doc
}

/// Asserts a call where exactly `dissenter` is outvoted: exit 1, the verdict, the
/// others returned it, and the dissenter's outcome kind and label.
#[track_caller]
fn outvoted(
    ensemble: &str,
    func: &str,
    args: &[&str],
    expected: &str,
    dissenter: &str,
    outcome: &str,
    label: &str,
) -> (Run, serde_json::Value) {
    let (run, doc) = call(ensemble, func, args);
    run.expect(DIVERGED);
    assert_eq!(verdict(&doc), expected, "{doc:#}");
    assert_eq!(doc["unanimous"], false);
    assert_eq!(strings(&doc["dissenters"]), [dissenter], "{doc:#}");
    for v in variants(&doc) {
        if v["name"] == dissenter {
            assert_eq!(v["outcome"], outcome, "{v}");
            assert_eq!(v["label"], label, "{v}");
            assert_eq!(v["dissented"], true, "{v}");
            if outcome != "returned" {
                assert!(v["value"].is_null(), "a failed run has no value: {v}");
                assert!(
                    !v["detail"].as_str().unwrap_or("").is_empty(),
                    "no detail: {v}"
                );
            }
        } else {
            assert_eq!(v["outcome"], "returned", "{v}");
            assert_eq!(v["value"], expected, "{v}");
            assert_eq!(v["dissented"], false, "{v}");
        }
        assert!(v["elapsed_ns"].is_u64(), "{v}");
    }
    (run, doc)
}

#[test]
fn agree_all_three_shapes_of_add() {
    let doc = unanimous("tests/fixtures/agree", "add", &["3", "4"], "7");
    assert_eq!(variants(&doc).len(), 3);
    assert_eq!(doc["ensemble"], "agree");
    assert_eq!(doc["function"], "add");
    assert_eq!(strings(&doc["args"]), ["3", "4"]);
    // u32 wraps around like the component model says.
    unanimous("tests/fixtures/agree", "add", &["4294967295", "1"], "0");
}

#[test]
fn dissent_outvotes_a_wrong_answer() {
    let (_, doc) = outvoted(
        "tests/fixtures/dissent",
        "add",
        &["3", "4"],
        "7",
        "off-by-one",
        "returned",
        "returned",
    );
    assert_eq!(variant(&doc, "off-by-one")["value"], "8");
    // Only a == 3 triggers the bug.
    unanimous("tests/fixtures/dissent", "add", &["2", "4"], "6");
}

#[test]
fn trap_is_outvoted_and_labelled() {
    let (_, doc) = outvoted(
        "tests/fixtures/trap",
        "add",
        &["0", "4"],
        "4",
        "zero-trap",
        "trapped",
        "trap(unreachable)",
    );
    let detail = variant(&doc, "zero-trap")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("unreachable"), "{detail}");
    unanimous("tests/fixtures/trap", "add", &["1", "4"], "5");
}

#[test]
fn loop_hits_the_deadline_and_the_call_returns() {
    let (run, doc) = outvoted(
        "tests/fixtures/loop",
        "add",
        &["7", "1"],
        "8",
        "spin",
        "timed-out",
        "timed-out",
    );
    // The manifest says timeout-ms = 200: the hang is contained, not waited out.
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    let spin_ns = variant(&doc, "spin")["elapsed_ns"].as_u64().unwrap();
    assert!(spin_ns < 10_000_000_000, "spin ran {spin_ns} ns");
}

#[test]
fn memory_bomb_is_a_memory_exhaustion_not_a_plain_trap() {
    outvoted(
        "tests/fixtures/memory-bomb",
        "add",
        &["5", "1"],
        "6",
        "hog",
        "exhausted",
        "exhausted(memory)",
    );
    unanimous("tests/fixtures/memory-bomb", "add", &["4", "1"], "5");
}

#[test]
fn recursion_is_a_stack_exhaustion() {
    outvoted(
        "tests/fixtures/recursion",
        "add",
        &["9", "1"],
        "10",
        "deep",
        "exhausted",
        "exhausted(stack)",
    );
}

#[test]
fn oversized_result_hits_the_output_cap() {
    outvoted(
        "tests/fixtures/oversized",
        "bytes",
        &["1"],
        "[0]",
        "huge-on-one",
        "exhausted",
        "exhausted(output)",
    );
    // 300 bytes fit under the 64 KiB cap: 0, 1, ..., 255, 0, 1, ..., 43.
    let expected: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
    let doc = unanimous(
        "tests/fixtures/oversized",
        "bytes",
        &["300"],
        &wave_bytes(&expected),
    );
    assert_eq!(parse_wave_bytes(verdict(&doc)), expected);
}

#[test]
fn float_ulp_compares_bits_exactly() {
    let (_, doc) = outvoted(
        "tests/fixtures/float-ulp",
        "measure",
        &["2.0"],
        "2.2",
        "ulp-up",
        "returned",
        "returned",
    );
    assert_eq!(
        parse_wave_f64(verdict(&doc)).to_bits(),
        0x4001_9999_9999_999a
    );
    let up = parse_wave_f64(variant(&doc, "ulp-up")["value"].as_str().unwrap());
    assert_eq!(up, 2.2000000000000006);
    assert_eq!(up.to_bits(), 0x4001_9999_9999_999b, "one ulp away");
}

#[test]
fn float_tolerant_accepts_one_ulp() {
    let (run, doc) = call("tests/fixtures/float-tolerant", "measure", &["2.0"]);
    run.expect(AGREED);
    assert_eq!(verdict(&doc), "2.2");
    assert!(strings(&doc["dissenters"]).is_empty());
    for v in variants(&doc) {
        assert_eq!(v["outcome"], "returned");
        let x = parse_wave_f64(v["value"].as_str().unwrap());
        assert!((x - 2.2).abs() <= 2.2e-12, "{v}");
    }
}

#[test]
fn all_nans_are_equal() {
    unanimous("tests/fixtures/nan", "measure", &["1.0"], "nan");
}

#[test]
fn strings_pass_through_cabi_realloc() {
    unanimous(
        "tests/fixtures/strings",
        "greet",
        &["\"héllo\""],
        "\"héllo\"",
    );
    unanimous("tests/fixtures/strings", "greet", &["\"\""], "\"\"");
    // Escapes in, the same escapes out.
    let doc = call(
        "tests/fixtures/strings",
        "greet",
        &[r#""a\"b\\c \u{1F980}""#],
    )
    .1;
    assert_eq!(unwave_string(verdict(&doc)), "a\"b\\c 🦀");
}

#[test]
fn options_through_a_return_area() {
    unanimous("tests/fixtures/options", "half", &["4"], "some(2)");
    unanimous("tests/fixtures/options", "half", &["7"], "none");
    // A negative argument is a value, not a flag.
    unanimous("tests/fixtures/options", "half", &["-4"], "some(-2)");
}

#[test]
fn load_errors_name_the_variant() {
    let cases: &[(&str, &[&str])] = &[
        ("wrong-signature", &["bad-sig", "add"]),
        ("missing-export", &["no-sub", "sub"]),
        ("import", &["sneaky", "host-clock"]),
        ("tampered", &["edited", "sha256"]),
        ("malformed", &["garbage"]),
    ];
    for (fixture, needles) in cases {
        let dir = format!("tests/fixtures/{fixture}");
        for args in [
            vec!["call", &dir, "add", "3", "4"],
            vec!["list", &dir],
            vec!["campaign", &dir, "--generate", "3"],
        ] {
            let run = nvx(&args);
            run.expect(ERROR).stderr_mentions(needles);
            assert!(run.stdout.is_empty(), "no partial output: {}", run.stdout);
        }
    }
}

#[test]
fn bad_usage_is_exit_2_and_names_the_culprit() {
    let agree = "tests/fixtures/agree";
    // Unknown function: named, with the ones that exist.
    nvx(["call", agree, "sub", "3", "4"])
        .expect(ERROR)
        .stderr_mentions(&["`sub`", "add"]);
    // Bad WAVE: the argument is named.
    nvx(["call", agree, "add", "3", "x"])
        .expect(ERROR)
        .stderr_mentions(&["`b`"]);
    nvx(["call", agree, "add", "x", "3"])
        .expect(ERROR)
        .stderr_mentions(&["`a`"]);
    nvx(["call", agree, "add", "3", "99999999999"])
        .expect(ERROR)
        .stderr_mentions(&["`b`", "99999999999"]);
    nvx(["call", agree, "add", "-1", "3"])
        .expect(ERROR)
        .stderr_mentions(&["`a`"]);
    nvx(["call", agree, "add", "3", "\"4\""])
        .expect(ERROR)
        .stderr_mentions(&["`b`"]);
    // Wrong argument count.
    nvx(["call", agree, "add", "3"])
        .expect(ERROR)
        .stderr_mentions(&["expected 2", "got 1"]);
    nvx(["call", agree, "add", "3", "4", "5"])
        .expect(ERROR)
        .stderr_mentions(&["expected 2", "got 3"]);
    // Missing ensemble folder.
    nvx(["call", "tests/fixtures/no-such-ensemble", "add", "3", "4"])
        .expect(ERROR)
        .stderr_mentions(&["tests/fixtures/no-such-ensemble"]);
    nvx(["list", "tests/fixtures/no-such-ensemble"]).expect(ERROR);
    nvx(["campaign", "tests/fixtures/no-such-ensemble"]).expect(ERROR);
    // A folder holding no ensemble at all.
    nvx(["campaign", "src"])
        .expect(ERROR)
        .stderr_mentions(&["nvx.toml"]);
    // Usage errors of the command line itself.
    nvx(["call"]).expect(ERROR);
    nvx(["frobnicate"]).expect(ERROR);
    nvx(["campaign", agree, "--shard", "4/3"])
        .expect(ERROR)
        .stderr_mentions(&["4/3"]);
    nvx(["campaign", agree, "--resume"])
        .expect(ERROR)
        .stderr_mentions(&["--journal"]);
    // Help is not an error.
    let help = nvx(["--help"]);
    help.expect(AGREED);
    for sub in ["list", "call", "campaign", "report", "merge"] {
        assert!(
            help.stdout.contains(sub),
            "help lists `{sub}`:\n{}",
            help.stdout
        );
    }
}

#[test]
fn table_output_shows_every_variant_and_the_verdict() {
    let run = nvx(["call", "tests/fixtures/trap", "add", "0", "4"]);
    run.expect(DIVERGED);
    for needle in [
        "plain",
        "xorand",
        "zero-trap",
        "trap(unreachable)",
        "verdict: 4",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing `{needle}`:\n{}",
            run.stdout
        );
    }
}

#[test]
fn faulty_demo_catches_the_musl_strtod_bug() {
    let (run, doc) = call(
        "examples/faulty/parse-f64",
        "parse-f64",
        &["\"-2.4703282292062328e-324\""],
    );
    run.expect(DIVERGED);
    assert_eq!(verdict(&doc), "some(-5e-324)");
    assert_eq!(strings(&doc["dissenters"]), ["c-musl-strtod"]);
    let bad = variant(&doc, "c-musl-strtod");
    assert_eq!(bad["outcome"], "returned");
    assert_eq!(bad["value"], "some(0.0)", "musl rounds to +0.0");
    // The shipped ensemble (without the faulty variant) agrees on the same input.
    let (run, doc) = call(
        "wasm-modules/parse-f64",
        "parse-f64",
        &["\"-2.4703282292062328e-324\""],
    );
    run.expect(AGREED);
    assert_eq!(verdict(&doc), "some(-5e-324)");
}

#[test]
fn call_json_flag_after_the_arguments() {
    let run = nvx(["call", "tests/fixtures/agree", "add", "3", "4", "--json"]);
    run.expect(AGREED);
    assert_eq!(run.json()["verdict"], "7");
}

#[test]
fn io_errors_state_the_cause_once() {
    let run = nvx(["call", "tests/fixtures/no-such-ensemble", "add", "3", "4"]);
    run.expect(ERROR);
    assert_eq!(
        run.stderr.matches("os error 2").count(),
        1,
        "{}",
        run.stderr
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any u32 pair: the three `add` shapes agree on the wrapping sum.
    #[test]
    fn agree_adds_any_pair(a: u32, b: u32) {
        let (run, doc) = call("tests/fixtures/agree", "add", &[&a.to_string(), &b.to_string()]);
        prop_assert_eq!(run.code, AGREED);
        prop_assert_eq!(verdict(&doc), a.wrapping_add(b).to_string());
    }

    /// Any string (controls escaped): it comes back unchanged from every variant.
    #[test]
    fn strings_round_trip_any_text(text in "\\PC{0,40}|[\\x00-\\x1f\"\\\\é🦀]{0,12}") {
        let (run, doc) = call("tests/fixtures/strings", "greet", &[&wave_string(&text)]);
        prop_assert_eq!(run.code, AGREED);
        prop_assert_eq!(unwave_string(verdict(&doc)), text);
    }
}

/// An agreed `none` and no verdict at all read differently, in text and in JSON.
#[test]
fn an_agreed_none_is_not_the_absence_of_a_verdict() {
    let agreed = nvx(["call", "tests/fixtures/options", "half", "7"]);
    agreed.expect(AGREED);
    assert!(
        agreed.stdout.contains("\nverdict: none ("),
        "{}",
        agreed.stdout
    );
    let (_, doc) = call("tests/fixtures/options", "half", &["7"]);
    assert_eq!(doc["verdict"], "none");
    assert_eq!(doc["reached"], true);

    let dir = copy_fixture("dissent");
    let manifest = dir.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("policy = \"majority\"", "policy = \"unanimous\""),
    )
    .unwrap();
    let ens = s(dir.path());
    let split = nvx(["call", ens, "add", "3", "4"]);
    split.expect(DIVERGED);
    assert!(split.stdout.contains("\nno verdict ("), "{}", split.stdout);
    assert!(!split.stdout.contains("verdict: none"), "{}", split.stdout);
    let (_, doc) = call(ens, "add", &["3", "4"]);
    assert!(doc["verdict"].is_null(), "{doc:#}");
    assert_eq!(doc["reached"], false);
}

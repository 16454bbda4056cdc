//! One smoke test for every engine of the registry: the same fixtures, the same
//! expected verdicts and outcome labels on each engine that can run here, through
//! `nvx call --engines NAME`. A new engine is covered by registering it.

use crate::support::*;

/// One smoke case: ensemble, function, arguments, verdict, and the dissenter and
/// its label, if any.
type Case = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    Option<(&'static str, &'static str)>,
);

const CASES: &[Case] = &[
    ("tests/fixtures/agree", "add", &["3", "4"], "7", None),
    ("tests/fixtures/strings", "greet", &["\"\""], "\"\"", None),
    ("tests/fixtures/options", "half", &["4"], "some(2)", None),
    ("tests/fixtures/options", "half", &["7"], "none", None),
    (
        "tests/fixtures/trap",
        "add",
        &["0", "4"],
        "4",
        Some(("zero-trap", "trap(unreachable)")),
    ),
    (
        "tests/fixtures/loop",
        "add",
        &["7", "1"],
        "8",
        Some(("spin", "timed-out")),
    ),
    (
        "tests/fixtures/memory-bomb",
        "add",
        &["5", "1"],
        "6",
        Some(("hog", "exhausted(memory)")),
    ),
    (
        "tests/fixtures/recursion",
        "add",
        &["9", "1"],
        "10",
        Some(("deep", "exhausted(stack)")),
    ),
];

/// The registered engines that can run on this machine, as `nvx list` names them.
fn engines_here() -> Vec<String> {
    let run = nvx(["list", "--json", "tests/fixtures/agree"]);
    run.expect(AGREED);
    let doc = run.json();
    let all = doc["engines"]
        .as_array()
        .expect("`engines` in nvx list --json");
    assert!(!all.is_empty());
    all.iter()
        .filter(|e| e["available"] == true)
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_registered_engine_runs_the_smoke_fixtures_alike() {
    let engines = engines_here();
    let mut required = vec!["cranelift", "winch", "pulley"];
    // The v8 engine needs Node.js and jco (scripts/install-v8-tools.sh); only an
    // explicit NVX_SKIP_V8=1 lets it be missing.
    if std::env::var_os("NVX_SKIP_V8").is_none_or(|v| v != "1") {
        required.push("v8");
    }
    for want in required {
        assert!(engines.iter().any(|e| e == want), "{engines:?}");
    }
    for engine in &engines {
        for (ens, func, args, expected, dissent) in CASES {
            let mut argv = vec!["call", "--json", "--engines", engine, ens, func];
            argv.extend(args.iter().copied());
            let run = nvx(&argv);
            run.expect(if dissent.is_some() { DIVERGED } else { AGREED });
            let doc = run.json();
            let at = format!("{engine}: {ens} {func} {args:?}");
            assert_eq!(strings(&doc["engines"]), [engine.as_str()], "{at}");
            assert_eq!(verdict(&doc), *expected, "{at}\n{doc:#}");
            for v in variants(&doc) {
                match dissent {
                    Some((name, label)) if v["name"] == *name => {
                        assert_eq!(v["label"], *label, "{at}: {v}")
                    }
                    _ => assert_eq!(v["label"], "returned", "{at}: {v}"),
                }
            }
        }
    }
}

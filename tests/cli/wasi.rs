//! The deterministic WASI profile and `nvx new` / `nvx add`: an ordinary C program
//! built with wasi-libc (`tests/fixtures/wasi/probe.c`, a wasip1 core module) is
//! wrapped by `nvx add` and run; its clock, random, environment, file, stdout and
//! exit use must give the same answers on every run.

use std::path::{Path, PathBuf};

use super::support::*;

fn call_json(dir: &Path, func: &str, args: &[&str]) -> (Run, serde_json::Value) {
    call(s(dir), func, args)
}

#[test]
fn wasi_answers_are_fixed_and_the_same_on_every_run() {
    let (_tmp, dir) = probe_ensemble();
    let mut first = Vec::new();
    for round in 0..2 {
        let mut got = Vec::new();
        for (func, args, expected) in [
            // 2000-01-01T00:00:00Z
            ("wall-seconds", &[][..], Some("946684800")),
            // Sleeping 250 ms advances the virtual clock by 250 ms (plus one 1 µs
            // step per reading) without waiting.
            ("slept-ns", &["250"][..], Some("250001000")),
            ("entropy", &[][..], None),
            ("env-count", &[][..], Some("0")),
            // ENOTCAPABLE (76 in wasi-libc): no directory is preopened, so no path
            // is reachable, absolute or relative.
            ("open-errno", &["\"/etc/passwd\""][..], Some("76")),
            ("open-errno", &["\"probe.wit\""][..], Some("76")),
        ] {
            let (run, doc) = call_json(&dir, func, args);
            run.expect(AGREED);
            let v = verdict(&doc).to_string();
            if let Some(e) = expected {
                assert_eq!(v, e, "{func}: {doc:#}");
            }
            got.push(v);
        }
        if round == 0 {
            first = got;
        } else {
            assert_eq!(first, got, "two runs gave different answers");
        }
    }
    // The random bytes are not all zero (they come from a seeded generator).
    assert_ne!(first[2], "0");
}

#[test]
fn sleeping_does_not_wait_past_the_deadline() {
    let (_tmp, dir) = probe_ensemble();
    // An hour of sleep under the default 1 s deadline: the virtual clock jumps.
    let (run, doc) = call_json(&dir, "slept-ns", &["3600000"]);
    run.expect(AGREED);
    assert_eq!(verdict(&doc), "3600000001000");
}

#[test]
fn stdout_and_stderr_are_captured_and_shown() {
    let (_tmp, dir) = probe_ensemble();
    let (run, doc) = call_json(&dir, "say", &["\"hello from C\""]);
    run.expect(AGREED);
    assert_eq!(verdict(&doc), "12");
    for v in variants(&doc) {
        assert_eq!(v["stdout"], "hello from C\n", "{v}");
        assert_eq!(v["stderr"], "hello from C\n", "{v}");
    }
    // The text form shows it below the table.
    let text = nvx(["call", dir.to_str().unwrap(), "say", "\"hi there\""]);
    text.expect(AGREED);
    assert!(text.stdout.contains("a stdout:"), "{}", text.stdout);
    assert!(text.stdout.contains("  hi there"), "{}", text.stdout);
}

#[test]
fn captured_output_is_capped_without_failing_the_variant() {
    let (_tmp, dir) = probe_ensemble();
    // Lower the cap to 1 KiB and write 5000 bytes.
    let manifest = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen(
        "policy = \"majority\"\n",
        "policy = \"majority\"\n\n[ensemble.limits]\noutput-kib = 1\n",
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    let (run, doc) = call_json(&dir, "flood", &["5000"]);
    run.expect(AGREED);
    assert_eq!(verdict(&doc), "5000");
    for v in variants(&doc) {
        let out = v["stdout"].as_str().unwrap();
        assert!(out.starts_with(&"x".repeat(1024)), "{out}");
        assert!(out.contains("[3976 more bytes dropped"), "{out}");
    }
}

#[test]
fn exit_is_an_outcome_of_its_own() {
    // Through the preview1 adapter, C's exit(3) reaches the host as exit(err).
    let (_tmp, dir) = probe_ensemble();
    let (run, doc) = call_json(&dir, "quit", &["3"]);
    run.expect(DIVERGED);
    for v in variants(&doc) {
        assert_eq!(v["outcome"], "exited", "{v}");
        assert_eq!(v["label"], "exited(1)", "{v}");
        assert_eq!(v["value"], serde_json::Value::Null, "{v}");
    }
    assert_eq!(doc["verdict"], serde_json::Value::Null);

    // A component importing exit-with-code keeps its code; exit(ok) is exited(0).
    let (run, doc) = call("tests/fixtures/wasi-exit", "quit", &["3"]);
    run.expect(DIVERGED);
    assert_eq!(variant(&doc, "exit-with-code")["label"], "exited(3)");
    assert_eq!(variant(&doc, "exit-result")["label"], "exited(1)");
    assert_eq!(variant(&doc, "returns")["label"], "returned");
    let (run, doc) = call("tests/fixtures/wasi-exit", "quit", &["0"]);
    run.expect(DIVERGED);
    assert_eq!(variant(&doc, "exit-with-code")["label"], "exited(0)");
    assert_eq!(variant(&doc, "exit-result")["label"], "exited(0)");
}

#[test]
fn unsatisfied_imports_are_all_listed_before_compiling() {
    let cache = tempfile::tempdir().unwrap();
    let args = ["call", "tests/fixtures/wasi-refused", "quit", "1"];
    let mut c = command(args);
    c.env("NVX_CACHE_DIR", cache.path());
    let run = run_command(c, args.iter().map(|s| s.to_string()).collect());
    run.expect(ERROR).stderr_mentions(&[
        "many-imports",
        "many-imports.wasm",
        "`host-clock`",
        "`wasi:clocks/timezone@0.2.12`",
        "`wasi:cli/stdout@0.3.0`",
    ]);
    // The provided import is not among the refused ones.
    assert!(
        !run.stderr.contains("`wasi:cli/exit@0.2.0`"),
        "{}",
        run.stderr
    );
    // Nothing of `many-imports` was compiled: the cache holds only the other
    // variant's entry.
    let entries: Vec<String> = std::fs::read_dir(cache.path().join("components"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let refused = sha256_of("tests/fixtures/wasi-refused/many-imports.wasm");
    assert!(
        !entries.iter().any(|e| e.starts_with(&refused)),
        "{entries:?}"
    );
}

#[test]
fn wasi_off_refuses_every_import() {
    let (_tmp, dir) = probe_ensemble();
    let manifest = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen(
            "policy = \"majority\"\n",
            "policy = \"majority\"\nwasi = false\n",
            1,
        ),
    )
    .unwrap();
    let run = nvx(["call", dir.to_str().unwrap(), "entropy"]);
    run.expect(ERROR)
        .stderr_mentions(&["`a`", "wasi = false", "`wasi:random/random@0.2."]);
}

#[test]
fn add_refuses_bad_input_and_leaves_the_manifest_untouched() {
    let (_tmp, dir) = probe_ensemble();
    let manifest = dir.join("nvx.toml");
    let before = std::fs::read(&manifest).unwrap();
    let files_before = std::fs::read_dir(&dir).unwrap().count();
    let fx = Path::new(ROOT).join("tests/fixtures");
    let cases: Vec<(PathBuf, &str, Vec<&str>)> = vec![
        // A component of another world: the missing export is named.
        (fx.join("agree/plain.wat"), "c1", vec!["plain.wat"]),
        (
            fx.join("wasi-refused/returns.wasm"),
            "c2",
            vec!["returns.wasm", "wall-seconds"],
        ),
        // Imports outside the profile.
        (
            fx.join("wasi-refused/many-imports.wasm"),
            "c3",
            vec!["many-imports.wasm", "`host-clock`"],
        ),
        // Not WebAssembly.
        (fx.join("wasi/probe.c"), "c4", vec!["probe.c"]),
        // Missing file.
        (fx.join("wasi/nope.wasm"), "c5", vec!["nope.wasm"]),
        // A taken name.
        (fx.join("wasi/probe.core.wasm"), "a", vec!["`a`"]),
        // A bad name.
        (
            fx.join("wasi/probe.core.wasm"),
            "../x",
            vec!["\"../x\"", "not a valid variant name"],
        ),
    ];
    for (file, name, needles) in cases {
        let run = nvx([
            "add".as_ref(),
            dir.as_os_str(),
            file.as_os_str(),
            "--name".as_ref(),
            name.as_ref(),
            "--language".as_ref(),
            "c".as_ref(),
        ]);
        run.expect(ERROR).stderr_mentions(&needles);
        assert_eq!(
            std::fs::read(&manifest).unwrap(),
            before,
            "manifest changed"
        );
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            files_before,
            "files left behind"
        );
    }
}

#[test]
fn new_refuses_a_missing_world_and_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let wit = Path::new(ROOT).join("tests/fixtures/wasi/probe.wit");
    let dir = tmp.path().join("e");
    nvx([
        "new".as_ref(),
        dir.as_os_str(),
        "--wit".as_ref(),
        wit.as_os_str(),
        "--world".as_ref(),
        "nope".as_ref(),
    ])
    .expect(ERROR)
    .stderr_mentions(&["probe.wit", "nope"]);
    assert!(!dir.exists());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x"), "x").unwrap();
    nvx([
        "new".as_ref(),
        dir.as_os_str(),
        "--wit".as_ref(),
        wit.as_os_str(),
        "--world".as_ref(),
        "probe".as_ref(),
    ])
    .expect(ERROR)
    .stderr_mentions(&["not an empty folder"]);
}

fn sha256_of(path: &str) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(Path::new(ROOT).join(path)).unwrap();
    format!("{:x}", sha2::Sha256::digest(bytes))
}

#[test]
fn async_abi_components_get_a_clear_error() {
    nvx(["call", "tests/fixtures/async-abi", "quit", "3"])
        .expect(ERROR)
        .stderr_mentions(&[
            "async-lift",
            "async.wasm",
            "component-model async ABI",
            "synchronous ABI",
        ]);
}

/// The probe as a library ensemble (built with `nvx::author`, as `nvx add` does).
fn probe_library() -> (tempfile::TempDir, nvx::Ensemble) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("probe");
    let fx = Path::new(ROOT).join("tests/fixtures/wasi");
    nvx::author::new_ensemble(&dir, &fx.join("probe.wit"), "probe").unwrap();
    for name in ["a", "b"] {
        let v = nvx::author::NewVariant {
            name: name.into(),
            language: "c".into(),
            ..Default::default()
        };
        let added = nvx::author::add_variant(&dir, &fx.join("probe.core.wasm"), &v).unwrap();
        assert!(added.wrapped);
    }
    let e = nvx::Ensemble::open(&dir).unwrap();
    (tmp, e)
}

#[test]
fn sync_calls_of_wasi_variants_work_inside_an_async_runtime() {
    let (_tmp, e) = probe_library();
    let arg = [nvx::Value::String("from async".into())];
    // Plain thread, current-thread runtime, multi-thread runtime, and call_async.
    let direct = e.call("say", &arg).unwrap();
    assert_eq!(direct.runs()[0].stdout, "from async\n");
    let rt1 = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let rtn = tokio::runtime::Runtime::new().unwrap();
    for rt in [&rt1, &rtn] {
        let v = rt.block_on(async { e.call("say", &arg) }).unwrap();
        assert!(v.unanimous(), "{}", v.summary());
        for r in v.runs() {
            assert_eq!(r.stdout, "from async\n", "{:?}", r.outcome);
            assert_eq!(r.stderr, "from async\n");
        }
        let v = rt.block_on(e.call_async("say", arg.to_vec())).unwrap();
        assert!(v.unanimous(), "{}", v.summary());
        assert_eq!(v.runs()[1].stdout, "from async\n");
    }
}

//! The `v8` engine (V8 in Node.js worker processes, components transpiled by
//! jco): every bundled ensemble agrees across cranelift and v8; the WASI profile
//! gives the same answers and the same output on both runtimes; hostile variants
//! are contained within their limits; a killed Node worker costs at most the
//! input it held; a missing Node is a usage error naming what to install; and a
//! damaged transpile cache entry is refused.
//!
//! These tests need Node.js 20+ and jco (`scripts/install-v8-tools.sh`); they
//! fail without them unless `NVX_SKIP_V8=1` says to skip them.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;

/// Whether the v8 tests run: they must, unless `NVX_SKIP_V8=1` is set.
fn v8_here() -> bool {
    if std::env::var_os("NVX_SKIP_V8").is_some_and(|v| v == "1") {
        eprintln!("NVX_SKIP_V8=1: skipping a v8 engine test");
        return false;
    }
    let run = nvx(["list", "--json", "tests/fixtures/agree"]);
    run.expect(AGREED);
    let doc = run.json();
    let v8 = doc["engines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "v8")
        .expect("v8 is registered")
        .clone();
    assert_eq!(
        v8["available"], true,
        "the v8 engine cannot run here (install it with scripts/install-v8-tools.sh, or set NVX_SKIP_V8=1): {v8}"
    );
    true
}

#[test]
fn every_bundled_ensemble_agrees_across_cranelift_and_v8() {
    if !v8_here() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("run.json");
    let run = nvx([
        "campaign",
        "wasm-modules",
        "--engines",
        "cranelift,v8",
        "--generate",
        "40",
        "-q",
        "--json",
        s(&json),
    ]);
    run.expect(AGREED);
    let report = read_json(&json);
    let ensembles = report["ensembles"].as_array().unwrap();
    assert_eq!(ensembles.len(), 9, "{report:#}");
    for e in ensembles {
        assert!(num(e, "inputs") >= 40, "{e:#}");
        assert_eq!(num(e, "engine_divergent_inputs"), 0, "{e:#}");
        // The real libraries' known disagreements (the baselines of
        // ed25519-verify, json-parse and secp256k1-verify) are the only
        // divergences.
        for sig in e["signatures"].as_array().unwrap() {
            assert_eq!(sig["status"], "known", "{sig:#}");
        }
        if !e["name"].as_str().unwrap().ends_with("-verify") && e["name"] != "json-parse" {
            assert_eq!(num(e, "divergent_inputs"), 0, "{e:#}");
        }
    }
}

#[test]
fn the_wasi_profile_answers_and_writes_the_same_on_both_runtimes() {
    if !v8_here() {
        return;
    }
    let (_tmp, dir) = probe_ensemble();
    let on = |engines: &str, func: &str, args: &[&str]| {
        let mut argv = vec!["call", "--json", "--engines", engines, s(&dir), func];
        argv.extend_from_slice(args);
        let run = nvx(&argv);
        run.ran();
        run.json()
    };
    for (func, args) in [
        ("wall-seconds", &[][..]),
        ("slept-ns", &["250"][..]),
        ("entropy", &[][..]),
        ("env-count", &[][..]),
        ("open-errno", &["\"/etc/passwd\""][..]),
        ("say", &["\"h\u{e9}llo, world\""][..]),
        ("quit", &["3"][..]),
        ("quit", &["0"][..]),
        ("flood", &["100000"][..]),
        ("mix", &["12345"][..]),
    ] {
        let both = on("cranelift,v8", func, args);
        assert_eq!(
            both["engine_divergences"].as_array().map(Vec::len),
            Some(0),
            "{func} {args:?}: {both:#}"
        );
        let wasmtime = on("cranelift", func, args);
        let v8 = on("v8", func, args);
        for field in ["label", "value", "stdout", "stderr"] {
            for name in ["a", "b"] {
                assert_eq!(
                    variant(&wasmtime, name)[field],
                    variant(&v8, name)[field],
                    "{func} {args:?}: `{field}` of {name} differs\ncranelift: {wasmtime:#}\nv8: {v8:#}"
                );
            }
        }
    }
    // The answers are the profile's, not merely equal.
    let v8 = on("v8", "wall-seconds", &[]);
    assert_eq!(verdict(&v8), "946684800");
    let v8 = on("v8", "say", &["\"hi\""]);
    assert_eq!(variant(&v8, "a")["stdout"], "hi\n");
    let v8 = on("v8", "quit", &["0"]);
    assert_eq!(variant(&v8, "a")["label"], "exited(0)");
}

#[test]
fn hostile_variants_are_contained_on_v8() {
    if !v8_here() {
        return;
    }
    let label = |ens: &str, func: &str, args: &[&str], who: &str| {
        let mut argv = vec!["call", "--json", "--engines", "v8", ens, func];
        argv.extend_from_slice(args);
        let run = nvx(&argv);
        run.ran();
        let doc = run.json();
        (
            variant(&doc, who)["label"].as_str().unwrap().to_string(),
            doc,
        )
    };
    // A loop: stopped at its 200 ms deadline, within 1.1 times of it.
    let (l, doc) = label("tests/fixtures/loop", "add", &["7", "1"], "spin");
    assert_eq!(l, "timed-out");
    let ns = variant(&doc, "spin")["elapsed_ns"].as_u64().unwrap();
    assert!(
        ns <= 220_000_000,
        "the spin ran {ns} ns past a 200 ms deadline"
    );
    assert_eq!(verdict(&doc), "8");
    // A memory bomb meets memory-mib.
    let (l, _) = label("tests/fixtures/memory-bomb", "add", &["5", "1"], "hog");
    assert_eq!(l, "exhausted(memory)");
    // Deep recursion meets stack-kib.
    let (l, _) = label("tests/fixtures/recursion", "add", &["9", "1"], "deep");
    assert_eq!(l, "exhausted(stack)");
    // A result over output-kib.
    let (l, _) = label("tests/fixtures/oversized", "bytes", &["2000000"], "fill");
    assert_eq!(l, "exhausted(output)");
    // 8 MiB of stdout is kept up to output-kib (4 MiB) and the rest counted. It
    // takes V8 about half a second alone (7× wasmtime: every 4 KiB write goes
    // through jco's glue, and the kept output crosses as hex in JSON), so the
    // deadline is raised for this check of the cap, which is not one of speed.
    let (_tmp, dir) = probe_ensemble();
    let manifest = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(
            "# [ensemble.limits]\n# timeout-ms = 1000",
            "[ensemble.limits]\ntimeout-ms = 20000",
        ),
    )
    .unwrap();
    assert!(
        std::fs::read_to_string(&manifest)
            .unwrap()
            .contains("timeout-ms = 20000")
    );
    let (l, doc) = label(s(&dir), "flood", &["8388608"], "a");
    assert_eq!(l, "returned");
    let out = variant(&doc, "a")["stdout"].as_str().unwrap();
    assert!(out.starts_with(&"x".repeat(4 << 20)), "{}", out.len());
    assert!(
        out.ends_with("[4194304 more bytes dropped at the output limit]"),
        "{}",
        &out[out.len() - 80..]
    );
}

#[test]
fn a_killed_node_worker_costs_at_most_the_input_it_held() {
    if !v8_here() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("run.json");
    let generate = 2500u64;
    let ensemble = "wasm-modules/crc32";
    let mut child = command([
        "campaign",
        ensemble,
        "--engines",
        "v8",
        "--generate",
        &generate.to_string(),
        "-j",
        "2",
        "-q",
        "--json",
        s(&json),
    ])
    .spawn()
    .unwrap();
    // Wait until Node workers are busy under the campaign's worker processes,
    // then kill one of them.
    let start = Instant::now();
    let victim = loop {
        let nodes: Vec<u32> = children(child.id())
            .into_iter()
            .flat_map(|(worker, _)| children(worker))
            .filter(|(_, comm)| comm.starts_with("node"))
            .map(|(pid, _)| pid)
            .collect();
        if nodes.len() >= 4 && start.elapsed() > Duration::from_millis(500) {
            break nodes[nodes.len() / 2];
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the campaign finished before a Node worker could be killed; raise --generate"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "Node workers never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &victim.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let report = read_json(&json);
    let e = &report["ensembles"][0];
    let expected = generate + own_corpus_lines(Path::new(ROOT).join(ensemble).as_path());
    assert_eq!(num(e, "inputs"), expected, "every input ran exactly once");
    let lost = num(e, "harness_failures");
    // Killed mid-call, the worker lost the input it held (a harness failure, and
    // the run fails); killed between calls, it held none and was replaced.
    assert!(lost <= 1, "{e:#}");
    assert_eq!(
        status.code(),
        Some(if lost == 1 { DIVERGED } else { AGREED }),
        "{e:#}"
    );
    assert_eq!(num(e, "divergent_inputs"), 0, "no variant is blamed: {e:#}");
    if lost == 1 {
        let why = e["signatures"][0]["harness_failure"].as_str().unwrap();
        assert!(why.contains("Node.js worker"), "{why}");
    }
}

#[test]
fn a_batch_sent_ahead_costs_a_runaway_only_its_own_input() {
    if !v8_here() {
        return;
    }
    // A campaign worker sends each batch of inputs to a Node worker at once. The
    // `spin` variant loops when a = 7: that call meets its own deadline and its
    // worker is killed, the calls queued behind it still get their answers, and
    // only the two inputs with a = 7 diverge.
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("batch.wave");
    std::fs::write(
        &corpus,
        "1, 1 => 2\n2, 2 => 4\n7, 1 => 8\n3, 3 => 6\n4, 4 => 8\n7, 2 => 9\n5, 5 => 10\n6, 6 => 12\n",
    )
    .unwrap();
    let json = tmp.path().join("run.json");
    let run = nvx([
        "campaign",
        "tests/fixtures/loop",
        "--engines",
        "v8",
        "--corpus",
        s(&corpus),
        "--generate",
        "0",
        "-j",
        "1",
        "-q",
        "--json",
        s(&json),
    ]);
    run.expect(DIVERGED);
    let report = read_json(&json);
    let e = &report["ensembles"][0];
    assert_eq!(num(e, "inputs"), 8, "{e:#}");
    assert_eq!(num(e, "divergent_inputs"), 2, "{e:#}");
    assert_eq!(num(e, "harness_failures"), 0, "{e:#}");
    let sigs = e["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1, "{e:#}");
    assert_eq!(strings(&sigs[0]["dissenters"]), ["spin"], "{e:#}");
    for v in e["variants"].as_array().unwrap() {
        let expected = if v["name"] == "spin" { 2 } else { 0 };
        assert_eq!(v["dissented"], expected, "{v}");
    }
}

#[test]
fn v8_without_node_is_a_usage_error_naming_what_to_install() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("node");
    std::fs::write(&old, "#!/bin/sh\necho '16.20.2 10.2.154.26'\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for (node, says) in [
        (tmp.path().join("absent").into_os_string(), "cannot be run"),
        (old.into_os_string(), "16.20.2"),
    ] {
        for argv in [
            &[
                "call",
                "--engines",
                "cranelift,v8",
                "tests/fixtures/agree",
                "add",
                "1",
                "2",
            ][..],
            &[
                "campaign",
                "--engines",
                "v8",
                "tests/fixtures/agree",
                "--generate",
                "5",
            ][..],
        ] {
            let mut c = command(argv);
            c.env("NVX_NODE", &node);
            let run = run_command(c, argv.iter().map(|a| a.to_string()).collect());
            run.expect(ERROR)
                .stderr_mentions(&["`v8`", "Node.js 20", says, "install"]);
            assert!(run.stdout.is_empty(), "no work was done: {}", run.stdout);
        }
    }
}

#[test]
fn a_damaged_transpile_cache_entry_is_refused_and_replaced() {
    if !v8_here() {
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let argv = [
        "call",
        "--engines",
        "v8",
        "tests/fixtures/agree",
        "add",
        "3",
        "4",
    ];
    let call = || {
        let mut c = command(argv);
        c.env("NVX_CACHE_DIR", cache.path());
        run_command(c, argv.iter().map(|a| a.to_string()).collect())
    };
    call().expect(AGREED);
    let entries: Vec<_> = std::fs::read_dir(cache.path().join("v8"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "nvxjs"))
        .collect();
    assert_eq!(entries.len(), 3, "one entry per variant: {entries:?}");
    let mut bytes = std::fs::read(&entries[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&entries[0], bytes).unwrap();
    let run = call();
    run.expect(AGREED)
        .stderr_mentions(&["refused the transpile cache entry", "checksum"]);
    // Replaced by a sound one: the next call warns no more.
    let run = call();
    run.expect(AGREED);
    assert!(!run.stderr.contains("refused"), "{}", run.stderr);
}

#[test]
fn library_calls_run_on_v8_fresh_every_time() {
    if !v8_here() {
        return;
    }
    let engines = [nvx::EngineKind::Cranelift, nvx::EngineKind::V8];
    let ens = nvx::Ensemble::open_with_engines("tests/fixtures/carry", &engines).expect("open");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    for _ in 0..5 {
        let v = ens.call("carry", &[]).expect("call");
        assert!(v.engine_divergences().is_empty(), "{v:?}");
        assert!(v.value().expect("verdict").same(&nvx::Value::U32(0)));
        let v = rt
            .block_on(ens.call_async("carry", Vec::new()))
            .expect("call");
        assert!(v.engine_divergences().is_empty(), "{v:?}");
        assert!(v.value().expect("verdict").same(&nvx::Value::U32(0)));
    }
    // Only v8: every call still sees a fresh instance.
    let ens = nvx::Ensemble::open_with_engines("tests/fixtures/carry", &[nvx::EngineKind::V8])
        .expect("open");
    for _ in 0..5 {
        let v = ens.call("carry", &[]).expect("call");
        assert!(
            v.value().expect("verdict").same(&nvx::Value::U32(0)),
            "{v:?}"
        );
    }
    // With `isolation = "reuse"` the kept instance shows what the call before it
    // left, on v8 as on wasmtime.
    let tmp = copy_fixture("carry");
    let manifest = tmp.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(
            "policy = \"majority\"",
            "policy = \"majority\"\nisolation = \"reuse\"",
        ),
    )
    .unwrap();
    let ens = nvx::Ensemble::open_with_engines(tmp.path(), &[nvx::EngineKind::V8]).expect("open");
    let fresh: Vec<bool> = (0..4)
        .map(|_| {
            let v = ens.call("carry", &[]).expect("call");
            v.value().expect("verdict").same(&nvx::Value::U32(0))
        })
        .collect();
    assert_eq!(fresh, [true, false, false, false], "fresh first, then kept");
}

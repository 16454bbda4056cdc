//! The library API on real components: async calls, typed calls and their type
//! check, dissent hooks, and `Verdict::value` without a verdict.

use std::sync::{Arc, Mutex};

use nvx::{Ensemble, Error, Value};

#[test]
fn async_calls_run_every_variant_and_agree_with_sync_calls() {
    let ens = Ensemble::open("tests/fixtures/trap").expect("open");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let args = vec![Value::U32(0), Value::U32(9)];
    let verdict = rt
        .block_on(ens.call_async("add", args.clone()))
        .expect("call");
    assert!(verdict.value().expect("verdict").same(&Value::U32(9)));
    assert_eq!(verdict.dissenters(), ["zero-trap"]);
    let sync = ens.call("add", &args).expect("call");
    let labels = |v: &nvx::Verdict| {
        v.runs()
            .iter()
            .map(|r| r.outcome.label())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&verdict), labels(&sync));
}

#[test]
fn typed_calls_check_the_rust_types() {
    let ens = Ensemble::open("tests/fixtures/options").expect("open");
    let half = ens
        .typed::<(i32,), (Option<i32>,)>("half")
        .expect("typed handle");
    let v = half.call((-8,)).expect("call");
    assert!(v.unanimous());
    assert_eq!(v.value().expect("verdict").0, Some(-4));
    assert_eq!(
        half.call((7,)).expect("call").value().expect("verdict").0,
        None
    );
    match ens.typed::<(u64,), (Option<i32>,)>("half") {
        Err(Error::TypeMismatch { function, .. }) => assert_eq!(function, "half"),
        Err(other) => panic!("expected a type mismatch, got {other}"),
        Ok(_) => panic!("u64 accepted for an s32 parameter"),
    }
    assert!(matches!(
        ens.typed::<(i32,), (i32,)>("nope"),
        Err(Error::UnknownFunction { .. })
    ));
}

#[test]
fn dissent_hooks_see_every_dissenter_and_no_verdict_is_an_error() {
    let mut ens = Ensemble::open("tests/fixtures/dissent").expect("open");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    ens.on_dissent(move |d| {
        sink.lock().expect("lock").push((
            d.variant.to_string(),
            d.outcome.clone(),
            d.verdict_reached,
        ))
    });
    let v = ens
        .call("add", &[Value::U32(3), Value::U32(4)])
        .expect("call");
    assert!(v.reached() && !v.unanimous());
    assert_eq!(
        *seen.lock().expect("lock"),
        [("off-by-one".to_string(), "8".to_string(), true)]
    );
    ens.call("add", &[Value::U32(2), Value::U32(4)])
        .expect("call");
    assert_eq!(
        seen.lock().expect("lock").len(),
        1,
        "an agreeing call raised a dissent"
    );

    // The same ensemble under `unanimous`: a dissent leaves no verdict, and asking
    // for the value is an error that describes the split.
    let dir = tempfile::tempdir().expect("temp dir");
    for f in std::fs::read_dir("tests/fixtures/dissent").expect("fixture") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, dir.path().join(f.file_name().expect("name"))).expect("copy");
    }
    let manifest = dir.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(
        &manifest,
        text.replace("policy = \"majority\"", "policy = \"unanimous\""),
    )
    .expect("write");
    let ens = Ensemble::open(dir.path()).expect("open");
    let v = ens
        .call("add", &[Value::U32(3), Value::U32(4)])
        .expect("call");
    assert!(!v.reached());
    match v.value() {
        Err(Error::NoVerdict { function, summary }) => {
            assert_eq!(function, "add");
            assert!(summary.contains("off-by-one"), "{summary}");
        }
        other => panic!("expected no verdict, got {other:?}"),
    }
    assert!(
        ens.call("add", &[Value::U32(2), Value::U32(4)])
            .expect("call")
            .unanimous()
    );
}

/// What `carry` found left over by earlier calls, over `n` calls of each kind.
fn carried(ens: &Ensemble, n: usize) -> Vec<u32> {
    let typed = ens.typed::<(), (u32,)>("carry").expect("typed");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut found = Vec::new();
    for _ in 0..n {
        let v = ens.call("carry", &[]).expect("call");
        match v.value().expect("verdict") {
            Value::U32(x) => found.push(*x),
            other => panic!("carry returned {other:?}"),
        }
        found.push(typed.call(()).expect("call").value().expect("verdict").0);
        let v = rt
            .block_on(ens.call_async("carry", Vec::new()))
            .expect("call");
        match v.value().expect("verdict") {
            Value::U32(x) => found.push(*x),
            other => panic!("carry returned {other:?}"),
        }
    }
    found
}

#[test]
fn no_state_survives_from_one_call_to_the_next() {
    // The default isolation: memory, globals and tables are fresh on every call,
    // dynamic, typed and async alike, on every engine.
    for engines in [
        vec![nvx::EngineKind::Cranelift],
        nvx::EngineKind::ALL.to_vec(),
    ] {
        let ens = Ensemble::open_with_engines("tests/fixtures/carry", &engines).expect("open");
        assert_eq!(carried(&ens, 20), vec![0; 60], "{engines:?}");
    }
}

#[test]
fn reuse_isolation_keeps_instances_and_so_their_state() {
    // The opt-in: the same fixture with `isolation = "reuse"` sees what the call
    // before it left, which is the risk the reference documents.
    let tmp = tempfile::tempdir().expect("temp dir");
    for f in ["carry.wit", "carry.wat", "nvx.toml"] {
        std::fs::copy(
            std::path::Path::new("tests/fixtures/carry").join(f),
            tmp.path().join(f),
        )
        .expect("copy");
    }
    let manifest = tmp.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    std::fs::write(
        &manifest,
        text.replace(
            "policy = \"majority\"",
            "policy = \"majority\"\nisolation = \"reuse\"",
        ),
    )
    .expect("write");
    let ens = Ensemble::open(tmp.path()).expect("open");
    let found = carried(&ens, 5);
    assert_eq!(found[0], 0, "the first call sees a fresh instance");
    assert!(
        found[1..].iter().all(|&x| x == 7),
        "later calls see global, memory and table left set: {found:?}"
    );
}

#[test]
fn one_typed_handle_takes_short_lived_buffers() {
    // The natural loop: each buffer lives for one iteration, the handle for all.
    let ens = Ensemble::open("wasm-modules/crc32").expect("open");
    let crc = ens.typed::<(&[u8],), (u32,)>("crc32").expect("typed");
    let mut seen = Vec::new();
    for i in 0u32..20 {
        let b = i.to_le_bytes();
        let v = crc.call((b.as_slice(),)).expect("call");
        seen.push(v.value().expect("verdict").0);
    }
    let owned: Vec<u32> = (0u32..20)
        .map(|i| {
            let v = ens
                .call("crc32", &[Value::Bytes(i.to_le_bytes().to_vec())])
                .expect("call");
            match v.value().expect("verdict") {
                Value::U32(x) => *x,
                other => panic!("{other:?}"),
            }
        })
        .collect();
    assert_eq!(seen, owned);
}

/// The bundled crc32 ensemble as a builder fed from memory.
fn crc32_builder() -> nvx::EnsembleBuilder {
    let dir = std::path::Path::new("wasm-modules/crc32");
    let manifest = std::fs::read_to_string(dir.join("nvx.toml")).expect("manifest");
    let parsed = nvx::manifest::Manifest::from_toml(dir, &manifest).expect("parse");
    let mut b = Ensemble::builder()
        .origin("embedded/crc32")
        .manifest(manifest)
        .wit(std::fs::read_to_string(dir.join("crc32.wit")).expect("wit"));
    for v in &parsed.variants {
        b = b.module(
            v.path.clone(),
            std::fs::read(dir.join(&v.path)).expect("module"),
        );
    }
    b
}

#[test]
fn an_ensemble_from_bytes_matches_the_folder() {
    let from_bytes = crc32_builder().build().expect("build");
    let from_folder = Ensemble::open("wasm-modules/crc32").expect("open");
    assert_eq!(from_bytes.dir(), std::path::Path::new("embedded/crc32"));
    let hashes = |e: &Ensemble| {
        e.variants()
            .map(|v| v.sha256.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(hashes(&from_bytes), hashes(&from_folder));
    let arg = [Value::Bytes(b"123456789".to_vec())];
    let v = from_bytes.call("crc32", &arg).expect("call");
    assert!(v.unanimous());
    assert!(v.value().expect("verdict").same(&Value::U32(0xCBF4_3926)));
    // Typed calls and other engines work the same way.
    let typed = from_bytes
        .typed::<(&[u8],), (u32,)>("crc32")
        .expect("typed");
    assert_eq!(
        typed
            .call((b"123456789".as_slice(),))
            .expect("call")
            .value()
            .expect("verdict")
            .0,
        0xCBF4_3926
    );
    let on_winch = crc32_builder()
        .engines(&[nvx::EngineKind::Winch])
        .build()
        .expect("build");
    assert_eq!(on_winch.engines(), [nvx::EngineKind::Winch]);
}

#[test]
fn an_ensemble_from_bytes_is_checked_like_files() {
    // A module whose bytes do not match the manifest's hash.
    let dir = std::path::Path::new("wasm-modules/crc32");
    let mut tampered = std::fs::read(dir.join("c-table.wasm")).expect("module");
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let err = crc32_builder()
        .module("c-table.wasm", tampered)
        .build()
        .err()
        .expect("refused");
    let text = err.to_string();
    assert!(text.contains("given twice"), "{text}");
    let manifest = std::fs::read_to_string(dir.join("nvx.toml")).expect("manifest");
    let wit = std::fs::read_to_string(dir.join("crc32.wit")).expect("wit");
    let mut b = Ensemble::builder()
        .origin("embedded/crc32")
        .manifest(manifest.clone())
        .wit(wit.clone());
    let parsed = nvx::manifest::Manifest::from_toml(dir, &manifest).expect("parse");
    for v in &parsed.variants {
        let mut bytes = std::fs::read(dir.join(&v.path)).expect("module");
        if v.name == "c-table" {
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
        }
        b = b.module(v.path.clone(), bytes);
    }
    let text = b.build().err().expect("refused").to_string();
    assert!(text.contains("embedded/crc32/c-table.wasm"), "{text}");
    assert!(text.contains("c-table"), "{text}");
    // A variant without its module, a module no variant names, no manifest.
    let text = Ensemble::builder()
        .origin("embedded/crc32")
        .manifest(manifest.clone())
        .wit(wit.clone())
        .build()
        .err()
        .expect("refused")
        .to_string();
    assert!(text.contains("no module given for variant"), "{text}");
    let text = crc32_builder()
        .module("stray.wasm", vec![0u8; 8])
        .build()
        .err()
        .expect("refused")
        .to_string();
    assert!(
        text.contains("`stray.wasm` is the path of no variant"),
        "{text}"
    );
    let text = Ensemble::builder()
        .wit(wit)
        .build()
        .err()
        .expect("refused")
        .to_string();
    assert!(text.contains("no manifest given"), "{text}");
}

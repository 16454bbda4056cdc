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

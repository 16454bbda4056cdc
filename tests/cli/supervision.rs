//! A service's view of the library: the circuit breaker taking a failing variant
//! out of service and back, the metrics a recorder receives, and caller deadlines
//! and cancellation stopping a call's variants.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use nvx::{BreakerState, CallControl, Ensemble, Outcome, Supervision, Value};

/// The value of metric `name` whose labels include every pair of `labels`.
fn metric<'a>(
    snapshot: &'a [(metrics_util::CompositeKey, DebugValue)],
    name: &str,
    labels: &[(&str, &str)],
) -> Option<&'a DebugValue> {
    snapshot
        .iter()
        .find(|(k, _)| {
            k.key().name() == name
                && labels
                    .iter()
                    .all(|(lk, lv)| k.key().labels().any(|l| l.key() == *lk && l.value() == *lv))
        })
        .map(|(_, v)| v)
}

#[test]
fn an_always_failing_variant_is_taken_out_and_brought_back_and_verdicts_stay_correct() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let mut ens = Ensemble::open("tests/fixtures/trap").expect("open");
    let backoff = Duration::from_millis(300);
    ens.supervise(
        Supervision::default()
            .trip_after(3)
            .max_dissent_rate(None, 10)
            .backoff(backoff, backoff),
    );
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    ens.on_breaker(move |e| {
        sink.lock()
            .expect("lock")
            .push((e.variant.clone(), e.from, e.to));
    });
    let add = |a: u32, b: u32| {
        let v = ens
            .call("add", &[Value::U32(a), Value::U32(b)])
            .expect("call");
        let zt = v
            .runs()
            .iter()
            .find(|r| r.variant == "zero-trap")
            .expect("zero-trap ran or was skipped")
            .outcome
            .label();
        let got = v.value().expect("a verdict").clone();
        assert!(got.same(&Value::U32(a + b)), "{a} + {b} gave {got}");
        zt
    };
    metrics::with_local_recorder(&recorder, || {
        // zero-trap traps whenever `a` is 0: three in a row open its breaker.
        for _ in 0..3 {
            assert_eq!(add(0, 5), "trap(unreachable)");
        }
        // Out of service: not run, counted as failed, and the verdict still holds
        // (2 of all 3 under majority).
        let v = ens
            .call("add", &[Value::U32(1), Value::U32(2)])
            .expect("call");
        assert!(matches!(v.runs()[2].outcome, Outcome::OutOfService));
        assert_eq!(v.dissenters(), ["zero-trap"]);
        assert!(v.summary().starts_with("2 of 3 agree"), "{}", v.summary());
        assert_eq!(add(1, 2), "out-of-service");
        assert_eq!(ens.health()[2].state, BreakerState::Open);
        // After the back-off a failing trial opens it again...
        std::thread::sleep(backoff + Duration::from_millis(50));
        assert_eq!(add(0, 1), "trap(unreachable)");
        assert_eq!(add(4, 1), "out-of-service");
        // ...and a trial that agrees brings it back.
        std::thread::sleep(backoff + Duration::from_millis(50));
        assert_eq!(add(2, 2), "returned");
        assert_eq!(add(0, 3), "trap(unreachable)");
    });
    use BreakerState::*;
    let zt = |from, to| ("zero-trap".to_string(), from, to);
    assert_eq!(
        *events.lock().expect("lock"),
        [
            zt(Closed, Open),
            zt(Open, HalfOpen),
            zt(HalfOpen, Open),
            zt(Open, HalfOpen),
            zt(HalfOpen, Closed),
        ]
    );
    let health = &ens.health()[2];
    assert_eq!((health.state, health.trips, health.skipped), (Closed, 2, 3));
    assert_eq!(health.consecutive_failures, 1);

    let snap: Vec<_> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(k, _, _, v)| (k, v))
        .collect();
    let zt_labels = [("ensemble", "trap"), ("variant", "zero-trap")];
    assert_eq!(
        metric(&snap, "nvx_calls_total", &[("function", "add")]),
        Some(&DebugValue::Counter(9))
    );
    assert_eq!(
        metric(&snap, "nvx_verdicts_total", &[("ensemble", "trap")]),
        Some(&DebugValue::Counter(9))
    );
    assert_eq!(
        metric(
            &snap,
            "nvx_dissents_total",
            &[zt_labels[1], ("kind", "trapped")]
        ),
        Some(&DebugValue::Counter(5))
    );
    assert_eq!(
        metric(
            &snap,
            "nvx_dissents_total",
            &[zt_labels[1], ("kind", "out-of-service")]
        ),
        Some(&DebugValue::Counter(3))
    );
    assert_eq!(
        metric(
            &snap,
            "nvx_breaker_transitions_total",
            &[zt_labels[1], ("to", "open")]
        ),
        Some(&DebugValue::Counter(2))
    );
    assert_eq!(
        metric(&snap, "nvx_breaker_state", &zt_labels),
        Some(&DebugValue::Gauge(0.0.into()))
    );
    match metric(
        &snap,
        "nvx_variant_duration_seconds",
        &[("variant", "plain")],
    ) {
        Some(DebugValue::Histogram(samples)) => assert_eq!(samples.len(), 9),
        other => panic!("no latency histogram for plain: {other:?}"),
    }
}

/// The loop fixture with a 60 s timeout: a variant only a caller can stop early.
fn slow_loop() -> (tempfile::TempDir, Ensemble) {
    let dir = crate::support::copy_fixture("loop");
    let manifest = dir.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest).expect("read manifest");
    std::fs::write(
        &manifest,
        text.replace("timeout-ms = 200", "timeout-ms = 60000"),
    )
    .expect("write manifest");
    let ens = Ensemble::open(dir.path()).expect("open");
    (dir, ens)
}

#[test]
fn a_caller_deadline_stops_the_variants_with_an_outcome() {
    let (_dir, ens) = slow_loop();
    let func = ens.functions()[0].name.clone();
    let args = ens.parse_arg_line(&func, "7, 0").expect("args");
    let labels =
        |v: &nvx::Verdict| -> Vec<String> { v.runs().iter().map(|r| r.outcome.label()).collect() };
    // `spin` loops when a = 7: the deadline stops it (not its 60 s timeout), and
    // the vote is over what finished.
    let control = CallControl::within(Duration::from_millis(50));
    let v = ens.call_controlled(&func, &args, &control).expect("call");
    assert_eq!(labels(&v), ["returned", "returned", "cancelled"]);
    assert!(v.value().expect("verdict").same(&Value::U32(7)));
    assert_eq!(v.dissenters(), ["spin"]);

    // Past its deadline before the call: nothing starts.
    let v = ens
        .call_controlled(&func, &args, &CallControl::until(Instant::now()))
        .expect("call");
    assert_eq!(labels(&v), ["cancelled", "cancelled", "cancelled"]);
    assert!(!v.reached());

    // Cancelled from another thread.
    let control = CallControl::new();
    let remote = control.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        remote.cancel();
    });
    let v = ens.call_controlled(&func, &args, &control).expect("call");
    canceller.join().expect("join");
    assert_eq!(labels(&v), ["returned", "returned", "cancelled"]);
}

#[test]
fn a_dropped_async_call_stops_its_variants() {
    let (_dir, ens) = slow_loop();
    let func = ens.functions()[0].name.clone();
    let args = ens.parse_arg_line(&func, "7, 0").expect("args");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let started = Instant::now();
    let timed_out = rt.block_on(async {
        tokio::time::timeout(Duration::from_millis(100), ens.call_async(&func, args))
            .await
            .is_err()
    });
    assert!(timed_out, "the loop returned before the caller's timeout");
    // Shutting the runtime down waits for its blocking tasks, which run the
    // variants: had they not been stopped they would run for 60 s each.
    rt.shutdown_timeout(Duration::from_secs(50));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the variants kept running after the call was dropped ({:?})",
        started.elapsed()
    );
}

#[test]
fn the_example_service_answers_under_load_and_reports_its_calls() {
    // `cargo test` builds the examples beside the test binaries' folder.
    let exe = std::env::current_exe().expect("test binary path");
    let service = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join("service"))
        .expect("target folder");
    let out = std::process::Command::new(&service)
        .args(["--load", "2000", "--concurrency", "8"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", service.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("wrong answers: 0"), "{stdout}");
    assert!(
        stdout.contains(r#"nvx_calls_total{ensemble="crc32",function="crc32"} 2000"#),
        "{stdout}"
    );
    assert!(stdout.contains("5 of 5 variants in service"), "{stdout}");
}

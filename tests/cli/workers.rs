//! Campaign worker processes: a worker killed mid-run costs only the input it
//! held, which is reported as a harness failure; the rest of the run is exact.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn a_worker_killed_mid_run_loses_no_other_input() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("run.json");
    let generate = 3000u64;
    let ensemble = "wasm-modules/parse-f64";
    let mut child = command([
        "campaign",
        ensemble,
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
    // Wait until both workers are up and working, then kill one.
    let start = Instant::now();
    let victim = loop {
        let kids: Vec<u32> = children(child.id())
            .into_iter()
            .map(|(pid, _)| pid)
            .collect();
        if kids.len() == 2 && start.elapsed() > Duration::from_millis(1500) {
            break kids[0];
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the campaign finished before a worker could be killed; raise --generate"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "workers never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &victim.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(DIVERGED),
        "a harness failure fails the run"
    );

    let report = read_json(&json);
    let e = &report["ensembles"][0];
    let expected = generate + own_corpus_lines(Path::new(ROOT).join(ensemble).as_path());
    assert_eq!(num(e, "inputs"), expected, "every input ran exactly once");
    assert_eq!(num(e, "harness_failures"), 1, "{e:#}");
    assert_eq!(num(e, "divergent_inputs"), 0, "no variant is blamed: {e:#}");
    let sigs = e["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1, "{e:#}");
    let why = sigs[0]["harness_failure"].as_str().unwrap();
    assert!(why.contains("killed by signal 9 (SIGKILL)"), "{why}");
    assert!(strings(&sigs[0]["dissenters"]).is_empty());
    // Every variant's statistics cover exactly the inputs that ran.
    for v in e["variants"].as_array().unwrap() {
        assert_eq!(num(v, "agreed") + num(v, "dissented"), expected - 1, "{v}");
    }
}

#[test]
fn workers_and_threads_give_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let json = tmp.path().join(name);
        let mut args = vec![
            "campaign",
            "examples/faulty/civil-days",
            "--generate",
            "400",
            "-q",
            "--json",
            s(&json),
        ];
        args.extend_from_slice(extra);
        nvx(args).expect(DIVERGED);
        let mut r = read_json(&json);
        // Latency, times and dates differ from run to run; everything else must not.
        for e in r["ensembles"].as_array_mut().unwrap() {
            for v in e["variants"].as_array_mut().unwrap() {
                for k in ["latency", "latency_p50_ns", "latency_p99_ns"] {
                    v.as_object_mut().unwrap().remove(k);
                }
            }
        }
        for e in r["ensembles"].as_array_mut().unwrap() {
            e.as_object_mut().unwrap().remove("elapsed_ns");
            for s in e["signatures"].as_array_mut().unwrap() {
                s.as_object_mut().unwrap().remove("shrink_ns");
            }
        }
        for k in ["peak_rss_bytes", "started_unix_s"] {
            r.as_object_mut().unwrap().remove(k);
        }
        r
    };
    let workers = run("workers.json", &["-j", "2"]);
    let one = run("one.json", &["-j", "1"]);
    let threads = run("threads.json", &["-j", "2", "--in-process"]);
    assert_eq!(workers, threads);
    assert_eq!(workers, one);
}

//! A closed or full stdout is not a crash: a closed pipe stops nvx quietly with the
//! exit code the command had settled on, a full disk is an error (exit 2).

use std::process::Stdio;

use super::support::*;

/// Runs `nvx args` with stdout a pipe whose reader is closed at once.
fn closed_pipe(args: &[&str]) -> (i32, String) {
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvx");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().expect("killed by a signal"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_keeps_the_exit_code_and_does_not_panic() {
    let cases: &[(&[&str], i32)] = &[
        (&["list", "wasm-modules/crc32"], AGREED),
        (&["call", "tests/fixtures/agree", "add", "3", "4"], AGREED),
        (
            &["call", "tests/fixtures/dissent", "add", "3", "4"],
            DIVERGED,
        ),
        (
            &["campaign", "examples/faulty/crc32", "--generate", "20"],
            DIVERGED,
        ),
        (
            &["campaign", "tests/fixtures/agree", "--generate", "50"],
            AGREED,
        ),
    ];
    for (args, code) in cases {
        let (got, stderr) = closed_pipe(args);
        assert_eq!(got, *code, "nvx {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "nvx {args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_naming_it() {
    for args in [
        &["list", "wasm-modules/crc32"][..],
        &["call", "tests/fixtures/agree", "add", "3", "4"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = command(args).stdout(full).output().expect("start nvx");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(ERROR), "nvx {args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

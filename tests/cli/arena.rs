//! A fixed `cabi_realloc` arena that runs out (issue 22): `tests/fixtures/arena` holds the
//! Go hex example of docs/writing-variants.md (examples/byo/hex/go), whose `cabi_realloc`
//! serves a 256 KiB static arena, beside the C and AssemblyScript hex examples. An argument
//! larger than the arena must end the Go variant's call in a trap inside `cabi_realloc`:
//! returning 0 instead made the host write the argument over Go's own memory, and the call
//! ended as `exited(1)` with pieces of the argument on stderr.

use super::support::*;

const ENSEMBLE: &str = "tests/fixtures/arena";

/// The Go variant: 256 KiB of arena, of which the WASI preview1 adapter takes two
/// 64 KiB blocks during `_initialize`, leaving 131 072 bytes for the argument.
const GO: &str = "go-arena";

/// The largest argument the Go arena holds.
const ROOM: usize = 131_072;

/// The bytes passed as an argument of `n` bytes: every value occurs.
fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 37 + 11) as u8).collect()
}

/// `nvx call --json tests/fixtures/arena FUNC --args-file FILE` on one WAVE argument.
fn call_with_file(func: &str, arg: &str) -> (Run, serde_json::Value) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = write_file(tmp.path(), "input.args", arg);
    call(ENSEMBLE, func, &["--args-file", s(&file)])
}

#[test]
fn empty_and_one_element_arguments_agree() {
    for (func, arg, expected) in [
        ("encode", "[]", r#""""#),
        ("encode", "[255]", r#""ff""#),
        ("decode", r#""""#, "some([])"),
        ("decode", r#""a""#, "none"),
        ("decode", r#""Ff""#, "some([255])"),
    ] {
        let (run, doc) = call(ENSEMBLE, func, &[arg]);
        run.expect(AGREED);
        assert_eq!(verdict(&doc), expected, "{func} {arg}");
        assert_eq!(variants(&doc).len(), 3, "{doc:#}");
        for v in variants(&doc) {
            assert_eq!(v["outcome"], "returned", "{func} {arg}: {v}");
            assert_eq!(v["value"], expected, "{func} {arg}: {v}");
        }
    }
}

#[test]
fn an_argument_that_fills_the_arena_exactly_still_returns() {
    let bytes = data(ROOM);
    let (run, doc) = call_with_file("encode", &wave_bytes(&bytes));
    run.expect(AGREED);
    assert_eq!(verdict(&doc), format!("\"{}\"", hex(&bytes)));
}

#[test]
fn an_argument_larger_than_the_arena_traps_in_cabi_realloc() {
    for n in [ROOM + 1, 400_000] {
        let bytes = data(n);
        let expected = format!("\"{}\"", hex(&bytes));
        let (run, doc) = call_with_file("encode", &wave_bytes(&bytes));
        run.expect(DIVERGED);
        // The other two still form a majority.
        assert_eq!(verdict(&doc), expected, "{n} bytes");
        for name in ["c", "assemblyscript"] {
            let v = variant(&doc, name);
            assert_eq!(v["outcome"], "returned", "{n} bytes: {name}");
            assert_eq!(v["value"], expected.as_str(), "{n} bytes: {name}");
        }
        let go = variant(&doc, GO);
        assert_eq!(go["outcome"], "trapped", "{n} bytes: {go}");
        assert_eq!(go["label"], "trap(unreachable)", "{n} bytes: {go}");
        assert_eq!(go["value"], serde_json::Value::Null, "{n} bytes: {go}");
        assert_eq!(go["dissented"], true, "{n} bytes: {go}");
        assert_eq!(
            go["stderr"], "",
            "{n} bytes: nothing of the argument leaks: {go}"
        );
        let detail = go["detail"].as_str().expect("detail");
        assert!(
            detail.contains("cabi_realloc"),
            "{n} bytes: the trap is in cabi_realloc: {detail}"
        );
    }
}

#[test]
fn a_string_argument_larger_than_the_arena_traps_too() {
    // 300 001 hex digits: too long for the arena, and odd, so the others answer none.
    let (run, doc) = call_with_file("decode", &format!("\"{}\"", "a".repeat(300_001)));
    run.expect(DIVERGED);
    assert_eq!(verdict(&doc), "none");
    let go = variant(&doc, GO);
    assert_eq!(go["outcome"], "trapped", "{go}");
    assert_eq!(go["label"], "trap(unreachable)", "{go}");
    assert_eq!(go["value"], serde_json::Value::Null, "{go}");
}

/// The bundled Go variants serve arguments from an arena, not the Go heap (whose
/// growth reads the clock through WASI inside cabi_realloc): a 300 000-byte
/// string reaches them, and every variant agrees on it.
#[test]
fn bundled_go_variants_take_arguments_beyond_the_go_heap_s_first_growth() {
    let tmp = tempfile::tempdir().unwrap();
    let args = write_file(
        tmp.path(),
        "long.args",
        &format!("\"{}\"\n", "1".repeat(300_000)),
    );
    for (ens, func, go) in [
        ("wasm-modules/parse-ipv4", "parse-ipv4", "go-netip"),
        ("wasm-modules/parse-f64", "parse-f64", "go-bigrat"),
    ] {
        let run = nvx(["call", "--json", ens, func, "--args-file", s(&args)]);
        run.expect(AGREED);
        let doc = run.json();
        assert_eq!(variant(&doc, go)["label"], "returned", "{doc:#}");
    }
}

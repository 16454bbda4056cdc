//! Shared helpers: run the real `nvx` binary, check exit codes with context, and
//! pick fields out of its JSON output.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use nvx::exit::{AGREED, DIVERGED, ERROR};

/// The package root: fixtures, `wasm-modules/` and `examples/` are relative to it.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The `nvx` binary under test.
pub const NVX: &str = env!("CARGO_BIN_EXE_nvx");

/// One compiled-module cache for the whole test binary, inside cargo's target tmp dir.
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("nvx-cli-cache")
}

/// A `Command` for `nvx` run from the package root with the test cache (and `CI`
/// unset, so the output does not depend on where the tests run).
pub fn command<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut c = Command::new(NVX);
    c.args(args)
        .current_dir(ROOT)
        .env("NVX_CACHE_DIR", cache_dir())
        .env_remove("CI");
    c
}

/// A finished `nvx` process.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Asserts the exit code, showing the command and its output when it differs.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            code,
            "`nvx {}` exited with {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts a campaign-style outcome: agreed or diverged, not an error; returns
    /// whether it diverged.
    #[track_caller]
    pub fn ran(&self) -> bool {
        assert!(
            self.code == AGREED || self.code == DIVERGED,
            "`nvx {}` exited with {}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stderr
        );
        self.code == DIVERGED
    }

    /// Asserts that stderr mentions every one of `needles`.
    #[track_caller]
    pub fn stderr_mentions(&self, needles: &[&str]) -> &Run {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "`nvx {}`: stderr does not mention `{n}`:\n{}",
                self.args.join(" "),
                self.stderr
            );
        }
        self
    }

    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`nvx {}`: stdout is not JSON ({e}):\n{}\n--- stderr\n{}",
                self.args.join(" "),
                self.stdout,
                self.stderr
            )
        })
    }
}

/// Runs `nvx` with `args` and waits for it.
pub fn nvx<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    run_command(command(&args), args)
}

/// Runs a prepared `nvx` command (see [`command`]) whose arguments are `args`.
pub fn run_command(mut c: Command, args: Vec<String>) -> Run {
    let start = Instant::now();
    let out: Output = c.output().expect("cannot start nvx");
    Run {
        code: out.status.code().expect("nvx was killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
        args,
    }
}

/// A copy of the fixture ensemble `tests/fixtures/<name>` in a temporary folder,
/// for tests that edit or replace its files.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = Path::new(ROOT).join("tests/fixtures").join(name);
    for e in std::fs::read_dir(&src).expect("fixture folder") {
        let e = e.expect("fixture entry");
        std::fs::copy(e.path(), tmp.path().join(e.file_name())).expect("copy fixture file");
    }
    tmp
}

/// `nvx call --json ENSEMBLE FUNC ARGS...`: the run and its JSON document (checked
/// to be consistent: schema 1, the verdict given once, `reached` set exactly when
/// there is a verdict, `dissenters` lists exactly the
/// variants marked `dissented`).
///
/// `--json` goes before the positional arguments; after them it is swallowed as a
/// WAVE argument (see `call_json_flag_after_the_arguments`).
#[track_caller]
pub fn call(ensemble: &str, func: &str, args: &[&str]) -> (Run, Value) {
    let mut all = vec!["call", "--json", ensemble, func];
    all.extend_from_slice(args);
    let run = nvx(&all);
    if run.code == ERROR {
        panic!("`nvx {}` failed:\n{}", run.args.join(" "), run.stderr);
    }
    let doc = run.json();
    assert_eq!(doc["schema"], 1, "{doc:#}");
    assert!(
        doc.get("value").is_none(),
        "the verdict is given once, not repeated as `value`: {doc:#}"
    );
    assert_eq!(
        doc["reached"].as_bool(),
        Some(!doc["verdict"].is_null()),
        "reached vs verdict: {doc:#}"
    );
    let marked: Vec<&str> = variants(&doc)
        .iter()
        .filter(|v| v["dissented"].as_bool().expect("dissented is a bool"))
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        strings(&doc["dissenters"]),
        marked,
        "dissenters vs dissented flags: {doc:#}"
    );
    (run, doc)
}

/// The `variants` array of a `call --json` document or an ensemble report.
#[track_caller]
pub fn variants(doc: &Value) -> &Vec<Value> {
    doc["variants"].as_array().expect("`variants` is an array")
}

/// One variant of a `call --json` document or an ensemble report, by name.
#[track_caller]
pub fn variant<'a>(doc: &'a Value, name: &str) -> &'a Value {
    variants(doc)
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no variant `{name}` in {doc:#}"))
}

/// A JSON array of strings as `Vec<&str>`.
#[track_caller]
pub fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| panic!("not a string: {s}")))
        .collect()
}

/// The verdict text of a `call --json` document (panics on a null verdict).
#[track_caller]
pub fn verdict(doc: &Value) -> &str {
    doc["verdict"]
        .as_str()
        .unwrap_or_else(|| panic!("no verdict: {doc:#}"))
}

/// Reads a JSON file.
#[track_caller]
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// One ensemble of a campaign report, by name.
#[track_caller]
pub fn ensemble<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["ensembles"]
        .as_array()
        .expect("`ensembles` is an array")
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no ensemble `{name}` in the report"))
}

/// A u64 field.
#[track_caller]
pub fn num(v: &Value, field: &str) -> u64 {
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("`{field}` is not a number in {v}"))
}

/// The counts of a run that must not depend on scheduling, sharding or resuming:
/// per ensemble its totals, every variant's agreed / dissented / failures and
/// number of latency samples, the pairwise agreement counts, and each signature's
/// key, count and inputs.
pub fn totals(report: &Value) -> Value {
    let ensembles = report["ensembles"].as_array().expect("ensembles");
    Value::Array(
        ensembles
            .iter()
            .map(|e| {
                serde_json::json!({
                    "name": e["name"],
                    "inputs": e["inputs"],
                    "divergent_inputs": e["divergent_inputs"],
                    "no_verdict_inputs": e["no_verdict_inputs"],
                    "corpus_inputs": e["corpus_inputs"],
                    "generated_inputs": e["generated_inputs"],
                    "variants": variants(e).iter().map(|v| serde_json::json!({
                        "name": v["name"],
                        "agreed": v["agreed"],
                        "dissented": v["dissented"],
                        "failures": v["failures"],
                        "latency_samples": v["latency"]["buckets"].as_array().expect("buckets")
                            .iter().map(|b| b[1].as_u64().expect("count")).sum::<u64>(),
                    })).collect::<Vec<_>>(),
                    "agreement": e["agreement"]["counts"],
                    "signatures": e["signatures"].as_array().expect("signatures").iter().map(|s| serde_json::json!({
                        "key": s["key"],
                        "count": s["count"],
                        "first_index": s["first_index"],
                        "example_input": s["example_input"],
                        "shrunk_input": s["shrunk_input"],
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// Corpus lines (not blank, not `#` comments) in an ensemble's own `corpus/` folder.
pub fn own_corpus_lines(ensemble_dir: &Path) -> u64 {
    let dir = ensemble_dir.join("corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut n = 0;
    let mut stack: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    while let Some(p) = stack.pop() {
        if p.file_name()
            .is_some_and(|f| f.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            stack.extend(
                std::fs::read_dir(&p)
                    .unwrap()
                    .filter_map(|e| e.ok().map(|e| e.path())),
            );
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        n += text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .count() as u64;
    }
    n
}

/// Writes `text` to the file `name` in `dir` and returns its path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A path as `&str` (temp paths are UTF-8 here).
pub fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// A byte string as a WAVE `list<u8>`.
pub fn wave_bytes(b: &[u8]) -> String {
    let items: Vec<String> = b.iter().map(u8::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// Parses a WAVE `list<u8>` such as `[1, 2, 3]`.
#[track_caller]
pub fn parse_wave_bytes(text: &str) -> Vec<u8> {
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or_else(|| panic!("not a WAVE list: {text}"));
    if inner.trim().is_empty() {
        return Vec::new();
    }
    inner
        .split(',')
        .map(|x| {
            x.trim()
                .parse()
                .unwrap_or_else(|_| panic!("not a u8: `{x}` in {text}"))
        })
        .collect()
}

/// Quotes a string as a WAVE string literal, escaping quotes, backslashes and every
/// control character.
pub fn wave_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Decodes a WAVE string literal (escapes `\" \\ \' \n \t \r \u{X}`).
#[track_caller]
pub fn unwave_string(lit: &str) -> String {
    let inner = lit
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or_else(|| panic!("not a WAVE string: {lit}"));
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                assert_eq!(it.next(), Some('{'), "bad \\u escape in {lit}");
                let hex: String = it.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).unwrap();
                out.push(char::from_u32(code).expect("a scalar value"));
            }
            other => panic!("unknown escape {other:?} in {lit}"),
        }
    }
    out
}

/// Parses a WAVE float (`1.5`, `-0.0`, `5e-324`, `inf`, `-inf`, `nan`).
#[track_caller]
pub fn parse_wave_f64(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("not a WAVE float: `{text}`"))
}

/// Lowercase hex of bytes.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The bytes of a hex string (two digits a byte).
pub fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
        .collect()
}

/// A fresh ensemble holding the probe twice (as `a` and `b`), added by `nvx add`
/// from the core module.
pub fn probe_ensemble() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("probe");
    let fx = Path::new(ROOT).join("tests/fixtures/wasi");
    nvx([
        "new".as_ref(),
        dir.as_os_str(),
        "--wit".as_ref(),
        fx.join("probe.wit").as_os_str(),
        "--world".as_ref(),
        "probe".as_ref(),
    ])
    .expect(AGREED);
    for name in ["a", "b"] {
        let run = nvx([
            "add".as_ref(),
            dir.as_os_str(),
            fx.join("probe.core.wasm").as_os_str(),
            "--name".as_ref(),
            name.as_ref(),
            "--language".as_ref(),
            "c".as_ref(),
            "--toolchain".as_ref(),
            "clang 14 + wasi-libc".as_ref(),
        ]);
        run.expect(AGREED);
        assert!(
            run.stdout.contains("wrapped from a core module"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("wasi:"), "{}", run.stdout);
    }
    (tmp, dir)
}

/// The processes whose parent is `pid`, with their command names.
pub fn children(pid: u32) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(child) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let comm = head
            .split_once('(')
            .map(|(_, c)| c.to_string())
            .unwrap_or_default();
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push((child, comm));
        }
    }
    out
}

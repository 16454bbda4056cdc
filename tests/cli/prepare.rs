//! `nvx prepare` fills the compile caches ahead of time, and a campaign after it
//! compiles nothing: every cache entry keeps its size, modification time and inode
//! (an engine writes an entry, aside and renamed into place, only when it compiled),
//! and no entry is added. Without `nvx prepare`, the same campaign writes the same
//! entries, so the check would catch a compile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::support::*;

/// A bundled ensemble small enough to compile in seconds.
const ENS: &str = "wasm-modules/crc32";

fn with_cache(cache: &Path, args: &[&str]) -> Run {
    let mut c = command(args);
    c.env("NVX_CACHE_DIR", cache);
    run_command(c, args.iter().map(|s| s.to_string()).collect())
}

/// Every cache entry (compiled components and transpiled ones) with what changes
/// when it is written again.
fn entries(cache: &Path) -> BTreeMap<PathBuf, (u64, SystemTime, u64)> {
    let mut out = BTreeMap::new();
    for sub in ["components", "v8"] {
        let Ok(list) = std::fs::read_dir(cache.join(sub)) else {
            continue;
        };
        for e in list {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            out.insert(e.path(), (meta.len(), meta.modified().unwrap(), inode));
        }
    }
    out
}

fn names(e: &BTreeMap<PathBuf, (u64, SystemTime, u64)>) -> Vec<String> {
    e.keys()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn variant_count(ensemble: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(ROOT).join(ensemble).join("nvx.toml")).unwrap();
    text.matches("[[variant]]").count()
}

#[test]
fn a_campaign_after_prepare_compiles_nothing() {
    let n = variant_count(ENS);
    assert!(n >= 4, "{ENS} has {n} variants");
    let cache = tempfile::tempdir().unwrap();
    let first = with_cache(cache.path(), &["prepare", ENS]);
    first.expect(AGREED);
    assert_eq!(
        first.stdout.matches(" filled ").count(),
        n,
        "{}",
        first.stdout
    );
    assert!(
        first
            .stdout
            .contains(&format!("{n} compiled now, 0 already there")),
        "{}",
        first.stdout
    );
    let prepared = entries(cache.path());
    assert_eq!(prepared.len(), n, "{prepared:?}");

    // Prepared again: everything found, nothing rewritten.
    let again = with_cache(cache.path(), &["prepare", ENS]);
    again.expect(AGREED);
    assert_eq!(
        again.stdout.matches(" found ").count(),
        n,
        "{}",
        again.stdout
    );
    assert!(
        again
            .stdout
            .contains(&format!("0 compiled now, {n} already there")),
        "{}",
        again.stdout
    );
    assert_eq!(entries(cache.path()), prepared);

    // A campaign in worker processes and one in this process: no entry written.
    for extra in [&["--jobs", "2"][..], &["--in-process"][..]] {
        let mut args = vec!["campaign", ENS, "--generate", "40", "-q"];
        args.extend_from_slice(extra);
        let run = with_cache(cache.path(), &args);
        run.expect(AGREED);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        assert_eq!(
            entries(cache.path()),
            prepared,
            "`nvx {}` wrote to the prepared cache",
            args.join(" ")
        );
    }

    // The same campaign on an empty cache compiles, and writes exactly the entries
    // `nvx prepare` wrote.
    let cold = tempfile::tempdir().unwrap();
    with_cache(
        cold.path(),
        &["campaign", ENS, "--generate", "40", "-q", "--jobs", "2"],
    )
    .expect(AGREED);
    assert_eq!(names(&entries(cold.path())), names(&prepared));
}

#[test]
fn engines_are_prepared_each_on_their_own() {
    let n = variant_count("tests/fixtures/dissent");
    let cache = tempfile::tempdir().unwrap();
    with_cache(cache.path(), &["prepare", "tests/fixtures/dissent"]).expect(AGREED);
    let r = with_cache(
        cache.path(),
        &[
            "prepare",
            "tests/fixtures/dissent",
            "--engines",
            "cranelift,pulley",
        ],
    );
    r.expect(AGREED);
    let rows: Vec<&str> = r.stdout.lines().collect();
    let count = |engine: &str, state: &str| {
        rows.iter()
            .filter(|l| l.trim_start().starts_with(engine) && l.contains(&format!(" {state} ")))
            .count()
    };
    assert_eq!(count("cranelift", "found"), n, "{}", r.stdout);
    assert_eq!(count("pulley", "filled"), n, "{}", r.stdout);
    assert_eq!(entries(cache.path()).len(), 2 * n);
    // A campaign on both engines then compiles nothing either.
    let before = entries(cache.path());
    with_cache(
        cache.path(),
        &[
            "campaign",
            "tests/fixtures/dissent",
            "--engines",
            "cranelift,pulley",
            "--generate",
            "20",
            "-q",
        ],
    )
    .ran();
    assert_eq!(entries(cache.path()), before);
}

#[test]
fn a_folder_of_ensembles_is_prepared_whole() {
    let cache = tempfile::tempdir().unwrap();
    let r = with_cache(cache.path(), &["prepare", "-q", "examples/faulty"]);
    r.expect(AGREED);
    let ensembles = std::fs::read_dir(Path::new(ROOT).join("examples/faulty"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("nvx.toml").is_file())
        .count();
    assert!(
        r.stdout
            .contains(&format!("prepared {ensembles} ensemble(s) in ")),
        "{}",
        r.stdout
    );
    // -q: only the closing line.
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn prepare_refuses_what_it_cannot_fill() {
    let off = nvx_with_cache_var("off", &["prepare", ENS]);
    off.expect(ERROR).stderr_mentions(&["NVX_CACHE_DIR=off"]);
    let cache = tempfile::tempdir().unwrap();
    with_cache(
        cache.path(),
        &["prepare", "tests/fixtures/no-such-ensemble"],
    )
    .expect(ERROR)
    .stderr_mentions(&["no-such-ensemble"]);
    with_cache(cache.path(), &["prepare", ENS, "--engines", "v9"])
        .expect(ERROR)
        .stderr_mentions(&["unknown engine `v9`"]);
    // A module whose hash does not match is refused, naming the variant.
    with_cache(cache.path(), &["prepare", "tests/fixtures/tampered"])
        .expect(ERROR)
        .stderr_mentions(&["sha256"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let open = tempfile::tempdir().unwrap();
        std::fs::set_permissions(open.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        with_cache(open.path(), &["prepare", ENS])
            .expect(ERROR)
            .stderr_mentions(&["writable by its group or others"]);
    }
}

fn nvx_with_cache_var(value: &str, args: &[&str]) -> Run {
    let mut c = command(args);
    c.env("NVX_CACHE_DIR", value);
    run_command(c, args.iter().map(|s| s.to_string()).collect())
}

/// The v8 engine's transpile cache is filled as well: a campaign on v8 after
/// `nvx prepare --engines v8` transpiles nothing (skipped with `NVX_SKIP_V8=1`).
#[test]
fn prepare_fills_the_transpile_cache() {
    if std::env::var_os("NVX_SKIP_V8").is_some_and(|v| v == "1") {
        eprintln!("NVX_SKIP_V8=1: skipping a v8 engine test");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let ens = "tests/fixtures/agree";
    let n = variant_count(ens);
    let r = with_cache(cache.path(), &["prepare", ens, "--engines", "v8"]);
    r.expect(AGREED);
    let v8: Vec<_> = entries(cache.path())
        .into_keys()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("v8")))
        .collect();
    assert_eq!(v8.len(), n, "{v8:?}\n{}", r.stdout);
    let before = entries(cache.path());
    with_cache(
        cache.path(),
        &[
            "campaign",
            ens,
            "--engines",
            "v8",
            "--generate",
            "5",
            "-q",
            "--jobs",
            "1",
        ],
    )
    .expect(AGREED);
    assert_eq!(entries(cache.path()), before);
}

//! The compile cache is checked before it is trusted: a poisoned, swapped,
//! truncated or bit-flipped entry is discarded with a warning and the module
//! recompiled, so the verdict never changes.

use std::path::{Path, PathBuf};

use super::support::*;

fn run_with_cache(cache: &Path, args: &[&str]) -> Run {
    let mut c = command(args);
    c.env("NVX_CACHE_DIR", cache);
    run_command(c, args.iter().map(|s| s.to_string()).collect())
}

fn entries(cache: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cache.join("components"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The dissent fixture: `off-by-one` returns a + b + 1 when a == 3, the others a + b.
const ENS: &str = "tests/fixtures/dissent";

#[test]
fn a_swapped_entry_is_refused_and_the_verdict_stands() {
    let cache = tempfile::tempdir().unwrap();
    let args = ["call", "--json", ENS, "add", "3", "4"];
    let first = run_with_cache(cache.path(), &args);
    first.expect(DIVERGED);
    let files = entries(cache.path());
    assert_eq!(files.len(), 3, "{files:?}");
    // Copy every entry over every other: each module's entry now holds another's
    // compiled code.
    let contents: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    for (i, f) in files.iter().enumerate() {
        std::fs::write(f, &contents[(i + 1) % files.len()]).unwrap();
    }
    let again = run_with_cache(cache.path(), &args);
    again.expect(DIVERGED).stderr_mentions(&[
        "warning",
        "discarded compile-cache entry",
        "another module",
    ]);
    assert_eq!(first.json()["verdict"], again.json()["verdict"]);
    assert_eq!(
        variant(&first.json(), "off-by-one")["value"],
        variant(&again.json(), "off-by-one")["value"]
    );
    // The entries were rewritten: a third run is quiet.
    let third = run_with_cache(cache.path(), &args);
    third.expect(DIVERGED);
    assert!(!third.stderr.contains("warning"), "{}", third.stderr);
}

#[test]
fn flipped_bits_and_truncation_are_refused() {
    let cache = tempfile::tempdir().unwrap();
    let args = ["call", "--json", ENS, "add", "3", "4"];
    let first = run_with_cache(cache.path(), &args);
    let files = entries(cache.path());
    let good: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    // Flip one bit at spread-out positions (header, hash, code, tail), one entry at
    // a time, and cut an entry short.
    let mut tried = 0;
    for (f, g) in files.iter().zip(&good) {
        for pos in [0, 9, 45, 80, 100, g.len() / 2, g.len() - 1] {
            let mut bad = g.clone();
            bad[pos] ^= 0x10;
            std::fs::write(f, &bad).unwrap();
            let r = run_with_cache(cache.path(), &args);
            r.expect(DIVERGED)
                .stderr_mentions(&["discarded compile-cache entry"]);
            assert_eq!(r.json()["verdict"], first.json()["verdict"]);
            tried += 1;
        }
        std::fs::write(f, &g[..g.len() / 3]).unwrap();
        run_with_cache(cache.path(), &args)
            .expect(DIVERGED)
            .stderr_mentions(&["discarded compile-cache entry"]);
    }
    assert_eq!(tried, 21);
}

#[cfg(unix)]
#[test]
fn a_cache_others_may_write_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let cache = tempfile::tempdir().unwrap();
    std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let r = run_with_cache(cache.path(), &["call", ENS, "add", "1", "2"]);
    r.expect(AGREED).stderr_mentions(&[
        "not using the compile cache",
        "writable by its group or others",
    ]);
    assert!(entries(cache.path()).is_empty());
}

#[test]
fn without_nvx_cache_dir_the_cache_lives_in_the_xdg_cache_folder() {
    let xdg = tempfile::tempdir().unwrap();
    let args = ["call", ENS, "add", "1", "2"];
    let mut c = command(args);
    c.env_remove("NVX_CACHE_DIR")
        .env("XDG_CACHE_HOME", xdg.path());
    run_command(c, args.iter().map(|s| s.to_string()).collect()).expect(AGREED);
    assert_eq!(entries(&xdg.path().join("nvx")).len(), 3);
}

//! `nvx add --replace` and `nvx remove`: what they change, and that a failure at
//! any step (a module that does not fit, a file that cannot be written or moved)
//! leaves the ensemble folder byte for byte as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::support::*;

/// Every file of `dir` (not recursing) with its bytes; a folder maps to `None`.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = if e.file_type().unwrap().is_dir() {
                None
            } else {
                Some(std::fs::read(e.path()).unwrap())
            };
            (name, bytes)
        })
        .collect()
}

/// The probe core module with a custom section appended: another module (another
/// SHA-256) with the same behaviour.
fn other_probe(dir: &Path) -> PathBuf {
    let mut bytes = std::fs::read(Path::new(ROOT).join("tests/fixtures/wasi/probe.core.wasm"))
        .expect("probe.core.wasm");
    let name = b"nvx-test";
    let payload = b"another build";
    bytes.push(0); // custom section
    bytes.push((1 + name.len() + payload.len()) as u8);
    bytes.push(name.len() as u8);
    bytes.extend_from_slice(name);
    bytes.extend_from_slice(payload);
    let path = dir.join("probe-rebuilt.wasm");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn sha256_hex(path: &Path) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

fn manifest(dir: &Path) -> nvx::manifest::Manifest {
    nvx::manifest::Manifest::load_allowing_empty(dir).expect("manifest loads")
}

fn add(dir: &Path, file: &Path, name: &str, extra: &[&str]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "add".as_ref(),
        dir.as_os_str(),
        file.as_os_str(),
        "--name".as_ref(),
        name.as_ref(),
        "--language".as_ref(),
        "c".as_ref(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    nvx(args)
}

#[test]
fn replace_swaps_the_module_and_rewrites_the_entry_in_place() {
    let (tmp, dir) = probe_ensemble();
    // A comment above `a` and one after every variant must survive.
    let path = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("[[variant]]", "# the first probe\n[[variant]]", 1) + "\n# end\n";
    std::fs::write(&path, &text).unwrap();
    let before_b = std::fs::read(dir.join("b.wasm")).unwrap();
    let file = other_probe(tmp.path());

    let run = add(
        &dir,
        &file,
        "a",
        &["--replace", "--toolchain", "clang (rebuilt)"],
    );
    run.expect(AGREED);
    assert!(
        run.stdout.contains("replaced variant `a`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("previous module"), "{}", run.stdout);

    let m = manifest(&dir);
    let names: Vec<&str> = m.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["a", "b"], "the replaced variant keeps its place");
    let a = &m.variants[0];
    assert_eq!(a.toolchain, "clang (rebuilt)");
    assert_eq!(a.sha256, sha256_hex(&dir.join("a.wasm")));
    assert_ne!(a.sha256, m.variants[1].sha256, "a.wasm is the new module");
    assert_eq!(std::fs::read(dir.join("b.wasm")).unwrap(), before_b);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("# the first probe\n[[variant]]\nname = \"a\""),
        "{after}"
    );
    assert!(after.contains("# end"), "{after}");
    // No file is left aside.
    let stray: Vec<String> = snapshot(&dir)
        .into_keys()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    // The replaced ensemble runs, and both variants still agree.
    let (run, _) = call(s(&dir), "mix", &["5"]);
    run.expect(AGREED);
}

#[test]
fn replace_of_a_new_name_adds_and_add_without_it_points_to_it() {
    let (tmp, dir) = probe_ensemble();
    let file = other_probe(tmp.path());
    add(&dir, &file, "a", &[])
        .expect(ERROR)
        .stderr_mentions(&["`a`", "--replace", "nvx remove"]);
    let run = add(&dir, &file, "c", &["--replace"]);
    run.expect(AGREED);
    assert!(run.stdout.contains("added variant `c`"), "{}", run.stdout);
    let names: Vec<String> = manifest(&dir)
        .variants
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn a_failed_replace_leaves_the_ensemble_as_it_was() {
    let (tmp, dir) = probe_ensemble();
    let fx = Path::new(ROOT).join("tests/fixtures");
    let good = other_probe(tmp.path());
    // (file, a folder planted to make one step fail, what the error names)
    let cases: Vec<(PathBuf, Option<&str>, Vec<&str>)> = vec![
        // Another world's component: refused when loaded.
        (
            fx.join("wasi-refused/returns.wasm"),
            None,
            vec!["returns.wasm"],
        ),
        // Not WebAssembly.
        (fx.join("wasi/probe.c"), None, vec!["probe.c"]),
        // The new module cannot be written beside the manifest.
        (good.clone(), Some(".a.wasm.adding"), vec![".a.wasm.adding"]),
        // The new manifest cannot be written.
        (
            good.clone(),
            Some(".nvx.toml.adding"),
            vec![".nvx.toml.adding"],
        ),
        // The old module cannot be set aside.
        (good.clone(), Some(".a.wasm.old"), vec!["a.wasm"]),
    ];
    for (file, plant, needles) in cases {
        if let Some(p) = plant {
            std::fs::create_dir_all(dir.join(p).join("occupied")).unwrap();
        }
        let before = snapshot(&dir);
        add(&dir, &file, "a", &["--replace"])
            .expect(ERROR)
            .stderr_mentions(&needles);
        assert_eq!(snapshot(&dir), before, "after {}", file.display());
        if let Some(p) = plant {
            std::fs::remove_dir_all(dir.join(p)).unwrap();
        }
    }
    let (run, _) = call(s(&dir), "mix", &["5"]);
    run.expect(AGREED);
}

#[test]
fn remove_takes_out_the_entry_and_its_module() {
    let (_tmp, dir) = probe_ensemble();
    let path = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&path).unwrap() + "\n# end of the variants\n";
    std::fs::write(&path, &text).unwrap();
    let before_a = std::fs::read(dir.join("a.wasm")).unwrap();
    let run = nvx(["remove".as_ref(), dir.as_os_str(), "b".as_ref()]);
    run.expect(AGREED);
    assert!(
        run.stdout.contains("removed variant `b`") && run.stdout.contains("deleted"),
        "{}",
        run.stdout
    );
    assert!(!dir.join("b.wasm").exists());
    assert_eq!(std::fs::read(dir.join("a.wasm")).unwrap(), before_a);
    let m = manifest(&dir);
    assert_eq!(m.variants.len(), 1);
    assert_eq!(m.variants[0].name, "a");
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("# end of the variants"), "{after}");
    assert!(!after.contains("name = \"b\""), "{after}");
    let (run, _) = call(s(&dir), "mix", &["5"]);
    run.expect(AGREED);
    // The last one too: the folder is left as `nvx new` makes it, and takes a new
    // variant again.
    nvx(["remove".as_ref(), dir.as_os_str(), "a".as_ref()]).expect(AGREED);
    assert!(manifest(&dir).variants.is_empty());
    assert!(!dir.join("a.wasm").exists());
    let probe = Path::new(ROOT).join("tests/fixtures/wasi/probe.core.wasm");
    add(&dir, &probe, "a", &[]).expect(AGREED);
    assert_eq!(manifest(&dir).variants.len(), 1);
}

#[test]
fn remove_keeps_a_module_another_variant_uses() {
    let (_tmp, dir) = probe_ensemble();
    let path = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("path = \"b.wasm\"", "path = \"a.wasm\""),
    )
    .unwrap();
    std::fs::remove_file(dir.join("b.wasm")).unwrap();
    let run = nvx(["remove".as_ref(), dir.as_os_str(), "a".as_ref()]);
    run.expect(AGREED);
    assert!(run.stdout.contains("variant `b` uses"), "{}", run.stdout);
    assert!(dir.join("a.wasm").exists());
    let (run, _) = call(s(&dir), "mix", &["5"]);
    run.expect(AGREED);
}

#[test]
fn a_failed_remove_leaves_the_ensemble_as_it_was() {
    let (_tmp, dir) = probe_ensemble();
    let before = snapshot(&dir);
    nvx(["remove".as_ref(), dir.as_os_str(), "nope".as_ref()])
        .expect(ERROR)
        .stderr_mentions(&["`nope`", "probe", "a, b"]);
    assert_eq!(snapshot(&dir), before);
    for (plant, needle) in [
        (".nvx.toml.removing", ".nvx.toml.removing"),
        (".b.wasm.old", "b.wasm"),
    ] {
        std::fs::create_dir_all(dir.join(plant).join("occupied")).unwrap();
        let before = snapshot(&dir);
        nvx(["remove".as_ref(), dir.as_os_str(), "b".as_ref()])
            .expect(ERROR)
            .stderr_mentions(&[needle]);
        assert_eq!(snapshot(&dir), before, "with {plant} planted");
        std::fs::remove_dir_all(dir.join(plant)).unwrap();
    }
    nvx(["remove", "tests/fixtures/does-not-exist", "a"])
        .expect(ERROR)
        .stderr_mentions(&["does-not-exist"]);
}

#[test]
fn modules_outside_the_ensemble_folder_are_never_deleted() {
    let (tmp, dir) = probe_ensemble();
    // Variant `b` uses a module shared from a folder beside the ensemble.
    let shared = tmp.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::rename(dir.join("b.wasm"), shared.join("b.wasm")).unwrap();
    let path = dir.join("nvx.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("path = \"b.wasm\"", "path = \"../shared/b.wasm\""),
    )
    .unwrap();
    let kept = std::fs::read(shared.join("b.wasm")).unwrap();
    // Replacing it writes the new module into the ensemble, and keeps the shared one.
    let file = other_probe(tmp.path());
    add(&dir, &file, "b", &["--replace"]).expect(AGREED);
    assert_eq!(std::fs::read(shared.join("b.wasm")).unwrap(), kept);
    assert_eq!(manifest(&dir).variants[1].path, Path::new("b.wasm"));
    // Removing a variant whose module lies outside keeps the module.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("path = \"a.wasm\"", "path = \"../shared/b.wasm\""),
    )
    .unwrap();
    let run = nvx(["remove".as_ref(), dir.as_os_str(), "a".as_ref()]);
    run.expect(AGREED);
    assert!(
        run.stdout.contains("outside the ensemble folder"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(shared.join("b.wasm")).unwrap(), kept);
}

//! How nvx is installed and shipped: `nvx --version` names the version, the commit,
//! the wasmtime release and the engines that run here (and why the others do not);
//! the Containerfile copies only what exists and builds as the README documents.
//! (The GitHub Action's script is run by `scripts/action/test.sh`, in `.ci/run`.)

use std::path::Path;

use super::support::*;

/// The version of `crate` that Cargo.lock pins.
fn locked_version(krate: &str) -> String {
    let lock = std::fs::read_to_string(Path::new(ROOT).join("Cargo.lock")).unwrap();
    let at = lock
        .find(&format!("name = \"{krate}\"\nversion = \""))
        .unwrap_or_else(|| panic!("{krate} is not in Cargo.lock"));
    let rest = &lock[at..];
    let v = rest.split('"').nth(3).unwrap();
    v.to_string()
}

/// Whether `nvx list` says the v8 engine can run here.
fn v8_available() -> bool {
    let run = nvx(["list", "--json", "tests/fixtures/agree"]);
    run.expect(AGREED);
    run.json()["engines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "v8" && e["available"] == true)
}

#[test]
fn version_names_the_commit_the_wasmtime_release_and_the_engines() {
    let run = nvx(["--version"]);
    run.expect(AGREED);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("nvx {}", env!("CARGO_PKG_VERSION")),
        "{}",
        run.stdout
    );
    let field = |name: &str| -> String {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no `{name}:` line in\n{}", run.stdout))
            .to_string()
    };
    let commit = field("commit");
    // The commit of this checkout, when git can tell (else build.rs said unknown).
    let head = std::process::Command::new("git")
        .args(["-C", ROOT, "rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match (std::env::var("NVX_COMMIT"), head) {
        (Ok(set), _) if !set.trim().is_empty() => assert_eq!(commit, set.trim()),
        (_, Some(head)) if Path::new(ROOT).join(".git").exists() => assert_eq!(commit, head),
        _ => assert_eq!(commit, "unknown"),
    }
    assert_eq!(field("wasmtime"), locked_version("wasmtime"));
    let engines: Vec<String> = field("engines").split(", ").map(str::to_string).collect();
    for always in ["cranelift", "pulley"] {
        assert!(engines.iter().any(|e| e == always), "{}", run.stdout);
    }
    if cfg!(target_arch = "x86_64") {
        assert!(engines.iter().any(|e| e == "winch"), "{}", run.stdout);
    }
    // v8 is listed exactly when its Node.js and jco are found; otherwise its line
    // says why.
    let v8 = v8_available();
    assert_eq!(engines.iter().any(|e| e == "v8"), v8, "{}", run.stdout);
    let v8_line = field("  v8");
    if v8 {
        assert!(v8_line.contains("Node.js"), "{v8_line}");
    } else {
        assert!(v8_line.starts_with("not available: "), "{v8_line}");
    }

    // `-V` stays one line, with the commit.
    let short = nvx(["-V"]);
    short.expect(AGREED);
    assert_eq!(
        short.stdout.trim(),
        format!("nvx {} (commit {commit})", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn version_without_node_says_why_v8_is_missing() {
    let mut c = command(["--version"]);
    c.env("NVX_NODE", "/nonexistent/node");
    let run = run_command(c, vec!["--version".into()]);
    run.expect(AGREED);
    let engines = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("engines: "))
        .unwrap();
    assert!(!engines.contains("v8"), "{}", run.stdout);
    assert!(
        run.stdout.contains("  v8: not available: ") && run.stdout.contains("/nonexistent/node"),
        "{}",
        run.stdout
    );
}

/// The instructions of the Containerfile, continuation lines joined.
fn containerfile() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("Containerfile")).unwrap();
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        if let Some(cont) = line.strip_suffix('\\') {
            current.push_str(cont);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let (op, rest) = current.split_once(' ').unwrap_or((current.as_str(), ""));
        out.push((op.to_uppercase(), rest.trim().to_string()));
        current.clear();
    }
    out
}

#[test]
fn the_containerfile_copies_what_exists_and_installs_as_documented() {
    let steps = containerfile();
    let ignored: Vec<String> = std::fs::read_to_string(Path::new(ROOT).join(".dockerignore"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches('/').to_string())
        .collect();
    let mut copied = 0;
    for (op, rest) in &steps {
        if op != "COPY" || rest.starts_with("--from") {
            continue;
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (sources, _dest) = words.split_at(words.len() - 1);
        for s in sources {
            assert!(
                Path::new(ROOT).join(s).exists(),
                "Containerfile copies {s}, which is not in the repository"
            );
            assert!(
                !ignored
                    .iter()
                    .any(|i| s == i || s.starts_with(&format!("{i}/"))),
                "Containerfile copies {s}, which .dockerignore leaves out"
            );
            copied += 1;
        }
    }
    assert!(copied >= 5, "{steps:?}");
    // It builds nvx as the README installs it, with the jco nvx pins.
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let install = "cargo install --locked --path .";
    assert!(
        steps
            .iter()
            .any(|(op, rest)| op == "RUN" && rest.contains(install)),
        "{steps:?}"
    );
    assert!(
        readme.contains(install),
        "the README does not say `{install}`"
    );
    assert!(
        readme.contains("docker build -t nvx -f Containerfile ."),
        "the README does not give the image's build command"
    );
    let pinned = std::fs::read_to_string(Path::new(ROOT).join("scripts/v8/package.json")).unwrap();
    assert!(
        pinned.contains(&format!("\"{}\"", nvx::engine::v8::JCO_VERSION)),
        "scripts/v8/package.json does not pin jco {}",
        nvx::engine::v8::JCO_VERSION
    );
    // The cache folder nvx is told to use is the volume, and the jco it is told of
    // is where the image puts it.
    let env: String = steps
        .iter()
        .filter(|(op, _)| op == "ENV")
        .map(|(_, rest)| rest.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let value = |key: &str| -> String {
        env.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("Containerfile sets no {key}"))
            .to_string()
    };
    let volume = steps
        .iter()
        .find(|(op, _)| op == "VOLUME")
        .map(|(_, rest)| rest.clone())
        .expect("a VOLUME");
    assert_eq!(value("NVX_CACHE_DIR"), volume);
    let jco = value("NVX_JCO");
    assert!(
        steps
            .iter()
            .any(|(op, rest)| op == "COPY" && rest.ends_with(&format!(" {jco}"))),
        "nothing is copied to NVX_JCO={jco}"
    );
    assert_eq!(
        steps.last().map(|(op, _)| op.as_str()),
        Some("CMD"),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|(op, rest)| op == "ENTRYPOINT" && rest.contains("\"nvx\"")),
        "{steps:?}"
    );
}

//! Records the commit nvx is built from, for `nvx --version`, as the compile-time
//! variable `NVX_COMMIT`: `$NVX_COMMIT` when set (a container build or a packager
//! that knows it), else `git rev-parse` when the source is a git checkout (a clone,
//! a worktree, `cargo install --git`), else the `.cargo_vcs_info.json` cargo writes
//! into a packaged crate, else `unknown`.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=NVX_COMMIT");
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&root);
    let commit = std::env::var("NVX_COMMIT")
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .or_else(|| from_git(root))
        .or_else(|| from_vcs_info(root))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=NVX_COMMIT={commit}");
}

/// The checkout's HEAD (12 hex digits), when `root` is a git checkout and git runs.
/// Rebuilds when HEAD moves: HEAD itself, the branch it names, and packed refs.
fn from_git(root: &Path) -> Option<String> {
    if !root.join(".git").exists() {
        return None;
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (!text.is_empty()).then_some(text)
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", &name])
            && Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    Some(commit)
}

/// The commit cargo recorded when the crate was packaged (`cargo package`,
/// crates.io), when there is one.
fn from_vcs_info(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(".cargo_vcs_info.json")).ok()?;
    // `"sha1": "<40 hex digits>"`, read without a JSON parser (build.rs has no
    // dependencies).
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + 6..];
    let start = rest.find('"')? + 1;
    let sha: String = rest[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_string())
}

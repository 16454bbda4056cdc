//! Every divergent input named in every report, and huge inputs clipped: on
//! `examples/faulty/crc32`, whose faulty variant (no final XOR) dissents on every
//! input, a corpus with named lines diverges line by line.

use std::path::Path;

use super::support::*;

/// `crc32` inputs: three named lines (one name covering two), one unnamed.
const CORPUS: &str = "\
# empty
[]
# one byte
[1]
# two bytes
[1, 2]
[3, 4]
";

#[test]
fn every_divergent_input_is_listed_with_its_origin_name_and_outcomes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = write_file(tmp.path(), "named.wave", CORPUS);
    let json = tmp.path().join("run.json");
    let md = tmp.path().join("run.md");
    let junit = tmp.path().join("run.xml");
    let run = nvx([
        "campaign",
        "examples/faulty/crc32",
        "--corpus",
        s(&corpus),
        "--generate",
        "0",
        "--json",
        s(&json),
        "--markdown",
        s(&md),
        "--junit",
        s(&junit),
    ]);
    run.expect(DIVERGED);
    let doc = read_json(&json);
    let e = ensemble(&doc, "crc32");
    let sigs = e["signatures"].as_array().unwrap();
    let listed: Vec<serde_json::Value> = sigs
        .iter()
        .flat_map(|s| s["inputs"].as_array().cloned().unwrap_or_default())
        .collect();
    // Every divergent input, once, in all the signatures together.
    assert_eq!(listed.len() as u64, num(e, "divergent_inputs"), "{sigs:#?}");
    assert_eq!(listed.len(), 4);
    let file = s(&corpus).to_string();
    let find = |line: u64| {
        listed
            .iter()
            .find(|i| i["origin"] == format!("{file}:{line}"))
            .unwrap_or_else(|| panic!("line {line} not listed: {listed:#?}"))
    };
    assert_eq!(find(2)["name"], "empty");
    assert_eq!(find(2)["input"], "[]");
    assert_eq!(find(4)["name"], "one byte");
    assert_eq!(find(6)["name"], "two bytes");
    // The nearest comment above names a line with no comment of its own.
    assert_eq!(find(7)["name"], "two bytes");
    assert_eq!(find(7)["input"], "[3, 4]");
    for i in &listed {
        let outcomes = i["outcomes"].as_object().unwrap();
        assert!(outcomes.len() >= 3, "{i}");
        // Each variant's value: the faulty one differs from the others.
        let faulty = outcomes["c-no-final-xor"].as_str().unwrap_or_else(|| {
            panic!("no outcome of the faulty variant in {i}");
        });
        assert!(
            outcomes
                .values()
                .filter(|v| v.as_str() == Some(faulty))
                .count()
                == 1,
            "{i}"
        );
    }
    // Markdown keeps the origin; every report names each input.
    let md = std::fs::read_to_string(&md).unwrap();
    let junit = std::fs::read_to_string(&junit).unwrap();
    let report = nvx(["report", s(&json), "--format", "html"]);
    report.expect(DIVERGED);
    let html = report.stdout;
    for name in ["empty", "one byte", "two bytes"] {
        assert!(md.contains(name), "markdown lacks {name}:\n{md}");
        assert!(junit.contains(name), "junit lacks {name}");
        assert!(html.contains(name), "html lacks {name}");
    }
    assert!(md.contains(&format!("{file}:7")), "{md}");
}

#[test]
fn huge_inputs_are_clipped_in_reports_and_kept_whole_in_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes: Vec<String> = (0..100_000u32).map(|i| (i % 251).to_string()).collect();
    let line = format!("[{}]\n", bytes.join(", "));
    let corpus = write_file(tmp.path(), "huge.wave", &line);
    let json = tmp.path().join("run.json");
    let junit = tmp.path().join("run.xml");
    nvx([
        "campaign",
        "examples/faulty/crc32",
        "--corpus",
        s(&corpus),
        "--generate",
        "0",
        "--json",
        s(&json),
        "--junit",
        s(&junit),
    ])
    .expect(DIVERGED);
    let whole = line.trim_end();
    assert!(whole.len() > 300_000);
    for (path, limit) in [(&json, 40_000u64), (&junit, 40_000)] {
        let size = std::fs::metadata(path).unwrap().len();
        assert!(
            size < limit,
            "{} is {size} bytes for a {}-byte input",
            path.display(),
            whole.len()
        );
    }
    let doc = read_json(&json);
    let sig = &ensemble(&doc, "crc32")["signatures"][0];
    let example = sig["example_input"].as_str().unwrap();
    assert!(example.starts_with("[0, 1, 2, 3"), "{}", &example[..40]);
    assert!(
        example.contains(&format!("clipped: {} bytes in all", whole.len())),
        "{}",
        &example[example.len().saturating_sub(200)..]
    );
    // The file it names holds the whole input, and replays it.
    let file = sig["example_args_file"]
        .as_str()
        .expect("example_args_file");
    assert!(example.contains(file));
    assert_eq!(std::fs::read_to_string(file).unwrap().trim_end(), whole);
    let args_file = sig["replay"]["args_file"]
        .as_str()
        .expect("replay args file");
    assert!(sig["shrunk_input"].as_str().unwrap().contains(args_file));
    assert!(Path::new(args_file).exists());
    nvx([
        "call",
        "examples/faulty/crc32",
        "crc32",
        "--args-file",
        args_file,
    ])
    .expect(DIVERGED);
    // The list entry is clipped harder, and says where the whole input is.
    let listed = sig["inputs"][0]["input"].as_str().unwrap();
    assert!(listed.len() < 400, "{listed}");
    assert!(listed.contains("huge.wave:1"), "{listed}");
}

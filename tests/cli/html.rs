//! The HTML report in a real browser: the faulty demo's report rendered by headless
//! Chromium (Debian's `chromium`, installed by `.ci/run`), its DOM checked for the
//! summary, heatmap, latency plots and divergences, its script checked to run
//! without errors, and a screenshot kept in `target/report-artifacts/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::*;

/// The browser: `$NVX_CHROMIUM`, else `chromium` on the PATH.
fn chromium() -> String {
    std::env::var("NVX_CHROMIUM").unwrap_or_else(|_| "chromium".into())
}

/// Where artifacts of this test go: `target/report-artifacts/`.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new(ROOT))
        .join("report-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium on `page` with `args` and returns its output.
fn browse(page: &Path, args: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start `{}` ({e}); install Debian's chromium (`apt-get install chromium`, as .ci/run does) or set NVX_CHROMIUM",
                chromium()
            )
        });
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_faulty_demo_report_renders_in_chromium() {
    let dir = artifacts();
    let run = dir.join("faulty.json");
    nvx([
        "campaign",
        "examples/faulty",
        "--generate",
        "300",
        "-q",
        "--json",
        s(&run),
    ])
    .expect(DIVERGED);
    let html = nvx(["report", s(&run), "--format", "html"]);
    html.expect(DIVERGED);
    for url in ["http:", "https:", "src=", "<link"] {
        assert!(
            !html.stdout.contains(url),
            "the page loads nothing, yet has `{url}`"
        );
    }
    let page = dir.join("faulty.html");
    std::fs::write(&page, &html.stdout).unwrap();

    let out = browse(&page, &["--dump-dom"]);
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The script ran to its end and raised nothing.
    assert!(
        dom.contains("data-script=\"ok\""),
        "the script did not run:\n{stderr}"
    );
    assert!(
        !dom.contains("data-script-error=\""),
        "script error in {dom}"
    );
    assert!(
        !stderr.contains("Uncaught") && !stderr.contains("Refused to"),
        "console errors:\n{stderr}"
    );
    // Summary and metadata.
    assert!(dom.contains("id=\"summary\""));
    for field in ["nvx version", "seed", "started", "host"] {
        assert!(dom.contains(&format!("<dt>{field}</dt>")), "no {field}");
    }
    assert!(dom.contains("id=\"verdict\">diverged<"));
    // Every faulty ensemble, each with its heatmap, latency plot and divergences.
    let report = read_json(&run);
    let ensembles = report["ensembles"].as_array().unwrap();
    assert_eq!(ensembles.len(), 4);
    assert_eq!(dom.matches("<section class=\"ensemble\"").count(), 4);
    assert_eq!(dom.matches("<table class=\"heatmap\">").count(), 4);
    assert_eq!(dom.matches("<svg class=\"latency\"").count(), 4);
    let variants: usize = ensembles
        .iter()
        .map(|e| e["variants"].as_array().unwrap().len())
        .sum();
    assert_eq!(dom.matches("<polyline class=\"curve\"").count(), variants);
    let signatures: usize = ensembles
        .iter()
        .map(|e| e["signatures"].as_array().unwrap().len())
        .sum();
    assert!(signatures >= 4, "the demo has a fault per ensemble");
    assert_eq!(
        dom.matches("<article class=\"signature\"").count(),
        signatures
    );
    assert_eq!(dom.matches("<button class=\"copy\"").count(), signatures);
    // Each signature shows every variant's outcome and its reproduce command.
    for e in ensembles {
        for sig in e["signatures"].as_array().unwrap() {
            let reproduce = sig["reproduce"].as_str().unwrap();
            assert!(reproduce.starts_with("nvx call "), "{reproduce}");
            let shown = reproduce
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;");
            assert!(
                dom.contains(&shown) || dom.contains(reproduce),
                "no `{reproduce}`"
            );
        }
    }
    assert!(dom.contains("c-julian-leap") && dom.contains("c-no-final-xor"));

    let shot = dir.join("faulty.png");
    let _ = std::fs::remove_file(&shot);
    browse(
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,4000",
            "--hide-scrollbars",
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 50_000,
        "screenshot of {} bytes",
        png.len()
    );
}

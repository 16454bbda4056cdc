//! JUnit XML, for CI systems that show test results.

use std::fmt::Write as _;

use super::xml;
use crate::report::RunReport;

/// Renders JUnit XML: a test suite per ensemble, a failing test case per signature
/// (a passing `agreement` case when there is none).
pub fn render_junit(r: &RunReport) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures: usize = r.ensembles.iter().map(|e| e.signatures.len()).sum();
    let tests: usize = r.ensembles.iter().map(|e| e.signatures.len().max(1)).sum();
    let _ = writeln!(
        s,
        "<testsuites name=\"nvx campaign\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    for e in &r.ensembles {
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            xml(&e.name),
            e.signatures.len().max(1),
            e.signatures.len()
        );
        let _ = writeln!(
            s,
            "    <properties><property name=\"inputs\" value=\"{}\"/><property name=\"divergent_inputs\" value=\"{}\"/></properties>",
            e.inputs, e.divergent_inputs
        );
        if e.signatures.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"agreement on {} inputs\"/>",
                xml(&e.name),
                e.inputs
            );
        }
        for sig in &e.signatures {
            let who = sig.dissent(|d, k| format!("{d} [{k}]"));
            let name = format!("{}: {}", sig.function, who.join(", "));
            let body = format!(
                "{} input(s); {}\nfirst input: {}({}) [{}]\nshrunk input: {}({})\n{}\nreproduce: {}",
                sig.count,
                sig.resolution(),
                sig.function,
                sig.example_input,
                sig.origin,
                sig.function,
                sig.shrunk_input,
                sig.outcomes
                    .iter()
                    .map(|(v, o)| format!("  {v}: {o}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                sig.reproduce
            );
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\">\n      <failure message=\"{} input(s) diverged\" type=\"divergence\">{}</failure>\n    </testcase>",
                xml(&e.name),
                xml(&name),
                sig.count,
                xml(&body)
            );
        }
        let _ = writeln!(s, "  </testsuite>");
    }
    s.push_str("</testsuites>\n");
    s
}

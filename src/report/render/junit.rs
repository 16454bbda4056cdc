//! JUnit XML through quick-junit, for CI systems that show test results: a test
//! suite per ensemble, a failing test case per divergence signature (a passing
//! `agreement` case when there is none), with times.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::reporter::{OutputFlag, Reporter};
use super::shared::visible;
use crate::report::model::{RunReport, SignatureReport};

fn nanos(ns: u64) -> Duration {
    Duration::from_nanos(ns)
}

fn failure_case(class: &str, sig: &SignatureReport) -> TestCase {
    let who = sig.signature.dissent(|d, k| format!("{d} [{k}]"));
    let name = if who.is_empty() {
        format!("{}: {}", sig.signature.function, sig.signature.resolution())
    } else {
        format!("{}: {}", sig.signature.function, who.join(", "))
    };
    let outcomes: Vec<String> = sig
        .outcomes
        .iter()
        .map(|(v, o)| format!("  {v}: {o}"))
        .collect();
    let mut listed: Vec<String> = sig
        .inputs
        .iter()
        .take(super::shared::TEXT_LISTED)
        .map(|i| {
            format!(
                "  {}: {}",
                super::shared::whence(i),
                crate::report::escape::clip(&i.input, 80)
            )
        })
        .collect();
    if let Some(m) = super::shared::more(super::shared::TEXT_LISTED, sig.inputs.len()) {
        listed.push(format!("  {m}"));
    }
    let listed = if sig.inputs.len() > 1 {
        format!("\ninputs:\n{}", listed.join("\n"))
    } else {
        String::new()
    };
    let body = format!(
        "{} input(s); {}{}\nfirst input: {}({}) [{}]\nshrunk input: {}({})\n{}\nreproduce: {}{listed}",
        sig.count,
        sig.signature.resolution(),
        sig.signature
            .expectation()
            .map(|x| format!("; {x}"))
            .unwrap_or_default(),
        sig.signature.function,
        sig.example_input,
        sig.origin,
        sig.signature.function,
        sig.shrunk_input,
        outcomes.join("\n"),
        sig.reproduce
    );
    // A divergence the baseline accepts is skipped, not failed: CI sees it, and
    // passes.
    let mut status = if sig.is_known() {
        let mut st = TestCaseStatus::skipped();
        st.set_message(
            visible(&format!(
                "known divergence ({} input(s)): {}",
                sig.count,
                sig.known_reason.as_deref().unwrap_or("")
            ))
            .into_owned(),
        )
        .set_type("known-divergence");
        st
    } else {
        TestCaseStatus::non_success(NonSuccessKind::Failure)
    };
    if !sig.is_known() {
        status
            .set_message(format!("{} input(s) diverged", sig.count))
            .set_type("divergence");
    }
    status.set_description(visible(&body).into_owned());
    let mut case = TestCase::new(visible(&name).into_owned(), status);
    case.set_classname(visible(class).into_owned())
        .set_time(nanos(sig.shrink_ns));
    case
}

/// Renders JUnit XML.
pub fn render_junit(r: &RunReport) -> String {
    let mut report = Report::new("nvx campaign");
    let mut total = 0u64;
    for e in &r.ensembles {
        let mut suite = TestSuite::new(visible(&e.name).into_owned());
        suite
            .set_time(nanos(e.elapsed_ns))
            .add_property(Property::new("inputs", e.inputs.to_string()))
            .add_property(Property::new(
                "divergent_inputs",
                e.divergent_inputs.to_string(),
            ));
        total = total.saturating_add(e.elapsed_ns);
        if e.signatures.is_empty() {
            let mut case = TestCase::new(
                format!("agreement on {} inputs", e.inputs),
                TestCaseStatus::success(),
            );
            case.set_classname(visible(&e.name).into_owned())
                .set_time(nanos(e.elapsed_ns));
            suite.add_test_case(case);
        }
        for sig in &e.signatures {
            suite.add_test_case(failure_case(&e.name, sig));
        }
        for x in &e.stale_baseline {
            let mut st = TestCaseStatus::skipped();
            st.set_message(
                visible(&format!(
                    "stale baseline entry: no input showed it ({})",
                    x.reason
                ))
                .into_owned(),
            )
            .set_type("stale-baseline");
            let mut case = TestCase::new(visible(&format!("stale: {}", x.key)).into_owned(), st);
            case.set_classname(visible(&e.name).into_owned());
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.set_time(nanos(total));
    // Serializing into memory fails only on a writer error, which a String has not.
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot render JUnit XML: {e} -->\n"))
}

/// JUnit XML as a registered format.
pub(crate) struct Junit;

impl Reporter for Junit {
    fn name(&self) -> &'static str {
        "junit"
    }

    fn help(&self) -> &'static str {
        "JUnit XML"
    }

    fn output_flag(&self) -> Option<OutputFlag> {
        Some(OutputFlag {
            long: "junit",
            value_name: "JUNIT",
            help: "Write a JUnit XML report here",
        })
    }

    fn render(&self, report: &RunReport) -> String {
        render_junit(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_strings_give_valid_xml_with_times() {
        let xml = render_junit(&crate::report::render::sample());
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        assert_eq!(root.attribute("time"), Some("3.750"));
        let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert_eq!(suites.len(), 2);
        assert_eq!(suites[1].attribute("time"), Some("2.250"));
        assert!(
            suites[1]
                .attribute("name")
                .is_some_and(|n| n.contains("<script>") && n.contains("\\u{1}")),
            "names keep their text, control characters escaped visibly"
        );
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), 2);
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert!(cases.iter().all(|c| c.attribute("time").is_some()));
        // quick-junit parses its own output back.
        let back = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        assert_eq!(back.tests, 3);
        assert_eq!(back.failures, 2);
    }
}

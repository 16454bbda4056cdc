//! The JSON report itself (schema 1): the document `nvx report` and `nvx merge`
//! read back.

use super::reporter::{OutputFlag, Reporter};
use crate::report::model::RunReport;

/// Renders the JSON report: pretty-printed, with a final newline.
pub fn render_json(r: &RunReport) -> String {
    // A report has only string map keys and plain values, so encoding it into
    // memory cannot fail; the fallback keeps a bug visible instead of panicking.
    match serde_json::to_string_pretty(r) {
        Ok(text) => text + "\n",
        Err(e) => serde_json::json!({ "error": e.to_string() }).to_string() + "\n",
    }
}

/// The JSON report as a registered format.
pub(crate) struct Json;

impl Reporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn help(&self) -> &'static str {
        "The JSON report itself (schema 1)"
    }

    fn output_flag(&self) -> Option<OutputFlag> {
        Some(OutputFlag {
            long: "json",
            value_name: "JSON",
            help: "Write the JSON report here (schema 1)",
        })
    }

    fn render(&self, report: &RunReport) -> String {
        render_json(report)
    }
}

//! A self-contained HTML page.

use std::fmt::Write as _;

use super::{ns, xml};
use crate::report::RunReport;

/// Renders a self-contained HTML page.
pub fn render_html(r: &RunReport) -> String {
    let mut s = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>nvx campaign</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}.bad{color:#b00}.ok{color:#070}code{background:#f4f4f4}</style></head><body><h1>nvx campaign</h1>",
    );
    for e in &r.ensembles {
        let _ = write!(
            s,
            "<h2>{}</h2><p class=\"{}\">{} inputs, {} divergent, {} without verdict</p><table><tr><th>variant</th><th>language</th><th>agreed</th><th>dissented</th><th>p50</th><th>p99</th></tr>",
            xml(&e.name),
            if e.divergent_inputs == 0 { "ok" } else { "bad" },
            e.inputs,
            e.divergent_inputs,
            e.no_verdict_inputs
        );
        for v in &e.variants {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                xml(&v.name),
                xml(&v.language),
                v.agreed,
                v.dissented,
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns)
            );
        }
        s.push_str("</table>");
        for sig in &e.signatures {
            let _ = write!(
                s,
                "<p class=\"bad\">{} input(s): {}</p><p>shrunk: <code>{}({})</code><br>reproduce: <code>{}</code></p>",
                sig.count,
                xml(&sig.dissent(|d, k| format!("{d} [{k}]")).join(", ")),
                xml(&sig.function),
                xml(&sig.shrunk_input),
                xml(&sig.reproduce)
            );
        }
    }
    s.push_str("</body></html>\n");
    s
}

//! A self-contained HTML page: run summary and metadata, per ensemble the verdict,
//! the variants table, the pairwise agreement heatmap and a latency plot (inline
//! SVG), and every divergence signature with each variant's outcome, the shrunk
//! input and the reproduce command with a copy button. It loads nothing from the
//! network (its Content-Security-Policy forbids it), so it reads offline and works
//! as a CI artifact.

use std::fmt::Write as _;

use super::reporter::Reporter;
use super::shared::{agreement_rate, failures, ns};
use crate::report::escape::{clip, esc, pct};
use crate::report::model::{EnsembleReport, Histogram, RunReport, SignatureReport};

const STYLE: &str = "
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:1.5em}
h1{margin:.2em 0}h2{margin:1.6em 0 .4em}h3{margin:1.2em 0 .4em}
section.ensemble,header.summary{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1em 1.4em;margin:1em 0}
table{border-collapse:collapse;margin:.4em 0}
td,th{border:1px solid #dde1e6;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f2f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.1em .6em;border-radius:1em;font-weight:600;font-size:.85em;margin-left:.5em}
.badge.ok{background:#dcf5e3;color:#116329}.badge.bad{background:#fde2e1;color:#a40e26}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;margin:.5em 0}
dl.meta dt{color:#57606a}dl.meta dd{margin:0}
table.heatmap td{text-align:center;min-width:4.5em;font-variant-numeric:tabular-nums}
article.signature{border-left:4px solid #cf222e;padding:.2em 1em;margin:1em 0;background:#fffafa}
tr.dissent td{background:#fff0f0}
pre{background:#f0f2f5;padding:.5em .7em;border-radius:4px;white-space:pre-wrap;word-break:break-all;margin:.3em 0}
.repro{display:flex;gap:.5em;align-items:flex-start}.repro pre{flex:1}
table.inputs td{font-size:.92em}div.pager{display:flex;gap:.8em;align-items:center;margin:.3em 0}
div.pager button{cursor:pointer;padding:.25em .7em;border:1px solid #8c959f;border-radius:4px;background:#fff}
button.copy{cursor:pointer;padding:.35em .8em;border:1px solid #8c959f;border-radius:4px;background:#fff}
svg.latency text{font-size:11px;fill:#57606a}
.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
";

/// The page's only script: copy buttons, and the pagers of the lists of inputs. It
/// marks `<body>` with `data-script="ok"`
/// when it has run, and records any script error in `data-script-error`, so a test
/// in a browser can tell that it ran cleanly.
const SCRIPT: &str = "
window.addEventListener('error',function(e){document.body.setAttribute('data-script-error',String(e.message));});
document.querySelectorAll('button.copy').forEach(function(b){
  b.addEventListener('click',function(){
    var text=document.getElementById(b.dataset.target).textContent;
    function done(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy';},1500);}
    if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(done,fallback);}else{fallback();}
    function fallback(){var t=document.createElement('textarea');t.value=text;document.body.appendChild(t);t.select();try{document.execCommand('copy');done();}finally{t.remove();}}
  });
});
document.querySelectorAll('div.pager').forEach(function(p){
  var pages=document.getElementById(p.dataset.target).querySelectorAll('tbody.page');
  var at=0,where=p.querySelector('span.where'),prev=p.querySelector('button.prev'),next=p.querySelector('button.next');
  function show(k){at=Math.max(0,Math.min(pages.length-1,k));pages.forEach(function(t,i){t.hidden=i!==at;});
    where.textContent='page '+(at+1)+' of '+pages.length;prev.disabled=at===0;next.disabled=at===pages.length-1;}
  prev.addEventListener('click',function(){show(at-1);});next.addEventListener('click',function(){show(at+1);});
  show(0);
});
document.body.setAttribute('data-script','ok');
";

/// Line colours of the latency plot, one per variant in turn.
const PALETTE: [&str; 8] = [
    "#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#0a7b83", "#e16f24", "#57606a",
];

/// A date in UTC from seconds since 1970 (`2026-12-01 17:42:16 UTC`).
fn utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Renders a self-contained HTML page.
pub fn render_html(r: &RunReport) -> String {
    let mut s = String::new();
    let diverged = r.diverged();
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>nvx campaign: {}</title><style>{STYLE}</style></head><body><main>\n",
        if diverged { "diverged" } else { "all agreed" }
    );
    summary(&mut s, r);
    for (i, e) in r.ensembles.iter().enumerate() {
        ensemble(&mut s, i, e);
    }
    let _ = writeln!(s, "</main><script>{SCRIPT}</script></body></html>");
    s
}

fn summary(s: &mut String, r: &RunReport) {
    let inputs: u64 = r.ensembles.iter().map(|e| e.inputs).sum();
    let divergent: u64 = r.ensembles.iter().map(|e| e.divergent_inputs).sum();
    let signatures: usize = r.ensembles.iter().map(|e| e.signatures.len()).sum();
    let (class, verdict) = if r.diverged() {
        ("bad", "diverged")
    } else if divergent > 0 {
        ("ok", "known divergences only")
    } else {
        ("ok", "all agreed")
    };
    let _ = write!(
        s,
        "<header class=\"summary\" id=\"summary\"><h1>nvx campaign<span class=\"badge {class}\" id=\"verdict\">{verdict}</span></h1>\
<p>{} ensemble(s), {inputs} inputs, {divergent} divergent, {signatures} divergence signature(s).</p><dl class=\"meta\">",
        r.ensembles.len()
    );
    let mut meta = vec![
        ("nvx version", esc(&r.nvx_version)),
        ("seed", r.seed.to_string()),
        ("generated inputs per ensemble", r.generate.to_string()),
    ];
    if !r.shards.is_empty() {
        meta.push(("shards", esc(&r.shards.join(", "))));
    }
    if let Some(t) = r.started_unix_s {
        meta.push(("started", utc(t)));
    }
    if !r.host.is_empty() {
        meta.push(("host", esc(&r.host)));
    }
    if let Some(b) = r.peak_rss_bytes {
        meta.push((
            "peak memory",
            format!("{:.1} MiB", b as f64 / f64::from(1u32 << 20)),
        ));
    }
    for (k, v) in meta {
        let _ = write!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    s.push_str("</dl><table><tr><th>ensemble</th><th>inputs</th><th>divergent</th><th>no verdict</th><th>signatures</th><th>result</th></tr>");
    for (i, e) in r.ensembles.iter().enumerate() {
        let _ = write!(
            s,
            "<tr><td><a href=\"#e{i}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&e.name),
            e.inputs,
            e.divergent_inputs,
            e.no_verdict_inputs,
            e.signatures.len(),
            if e.divergent_inputs == 0 && e.harness_failures == 0 {
                "agreed"
            } else {
                "diverged"
            }
        );
    }
    s.push_str("</table></header>\n");
}

fn ensemble(s: &mut String, i: usize, e: &EnsembleReport) {
    let ok = e.divergent_inputs == 0 && e.harness_failures == 0;
    let _ = write!(
        s,
        "<section class=\"ensemble\" id=\"e{i}\" data-name=\"{}\"><h2>{}<span class=\"badge {}\">{}</span></h2><dl class=\"meta\">",
        esc(&e.name),
        esc(&e.name),
        if ok { "ok" } else { "bad" },
        if ok {
            "all variants agreed"
        } else {
            "diverged"
        }
    );
    let mut meta = vec![
        ("folder", esc(&e.dir)),
        ("policy", esc(&e.policy)),
        ("engines", esc(&e.engines.join(", "))),
        (
            "inputs",
            format!(
                "{} ({} corpus, {} generated, {} non-trivial)",
                e.inputs, e.corpus_inputs, e.generated_inputs, e.nontrivial_inputs
            ),
        ),
        (
            "divergent",
            format!(
                "{} ({} without verdict, {} engine divergences)",
                e.divergent_inputs, e.no_verdict_inputs, e.engine_divergent_inputs
            ),
        ),
    ];
    if e.harness_failures > 0 {
        meta.push((
            "harness failures",
            format!(
                "{} (the worker process running them died; no variant is blamed)",
                e.harness_failures
            ),
        ));
    }
    if e.elapsed_ns > 0 {
        meta.push(("time", ns(e.elapsed_ns)));
    }
    for (k, v) in meta {
        let _ = write!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    s.push_str("</dl><h3>Variants</h3><table class=\"variants\"><tr><th>variant</th><th>language</th><th>agreement</th><th>agreed</th><th>dissented</th><th>p50</th><th>p99</th><th>failures by kind</th></tr>");
    for v in &e.variants {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&v.name),
            esc(&v.language),
            pct(agreement_rate(v, e.inputs)),
            v.agreed,
            v.dissented,
            ns(v.latency_p50_ns),
            ns(v.latency_p99_ns),
            esc(&failures(v))
        );
    }
    s.push_str("</table>");
    for p in &e.shared_parts {
        let _ = write!(
            s,
            "<p class=\"diversity\">⚠ diversity: {}</p>",
            esc(&p.warning)
        );
    }
    heatmap(s, e);
    s.push_str(&crate::coincidence::render_html(&e.coincidence));
    s.push_str(&crate::classes::render_html(&e.classes));
    latency_plot(s, e);
    if !e.signatures.is_empty() {
        let _ = write!(s, "<h3>Divergences ({})</h3>", e.signatures.len());
    }
    for (j, sig) in e.signatures.iter().enumerate() {
        signature(s, e, &format!("r{i}-{j}"), sig);
    }
    if let Some(b) = &e.baseline {
        let (known, new) = e.known_and_new();
        let _ = write!(
            s,
            "<h3>Baseline</h3><p><code>{}</code>: {known} known, {new} new, {} stale.</p>",
            esc(b),
            e.stale_baseline.len()
        );
        if !e.stale_baseline.is_empty() {
            s.push_str("<table class=\"stale\"><tr><th>stale entry (no input showed it)</th><th>reason</th></tr>");
            for x in &e.stale_baseline {
                let _ = write!(
                    s,
                    "<tr><td><code>{}</code></td><td>{}</td></tr>",
                    esc(&x.key),
                    esc(&x.reason)
                );
            }
            s.push_str("</table>");
        }
    }
    s.push_str("</section>\n");
}

/// The pairwise agreement matrix as a table whose cells shade from red (never
/// agreed) to green (always agreed).
fn heatmap(s: &mut String, e: &EnsembleReport) {
    let a = &e.agreement;
    if a.variants.len() < 2 {
        return;
    }
    s.push_str("<h3>Pairwise agreement</h3><table class=\"heatmap\"><tr><th></th>");
    for v in &a.variants {
        let _ = write!(s, "<th>{}</th>", esc(v));
    }
    s.push_str("</tr>");
    for (i, (name, row)) in a.variants.iter().zip(&a.matrix).enumerate() {
        let _ = write!(s, "<tr><th>{}</th>", esc(name));
        for (j, x) in row.iter().enumerate() {
            let x = x.clamp(0.0, 1.0);
            // Hue 0 (red) at 80% agreement or less, 120 (green) at 100%.
            let hue = ((x - 0.8).max(0.0) / 0.2 * 120.0).round();
            let count = a.counts.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
            let _ = write!(
                s,
                "<td style=\"background:hsl({hue},70%,{}%)\" title=\"{} and {}: {count} of {} inputs\">{}</td>",
                if x >= 0.999_999 { 88 } else { 80 },
                esc(name),
                esc(&a.variants[j]),
                e.inputs,
                pct(x)
            );
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
}

/// The cumulative share of a histogram's samples at or below each bucket's upper
/// edge, as `(ns, share)` points.
fn cdf(h: &Histogram) -> Vec<(u64, f64)> {
    let total: u64 = h.buckets.iter().map(|(_, c)| c).sum();
    if total == 0 {
        return Vec::new();
    }
    let mut seen = 0;
    h.buckets
        .iter()
        .map(|(b, c)| {
            seen += c;
            (Histogram::upper(*b).max(1), seen as f64 / total as f64)
        })
        .collect()
}

/// Each variant's latency distribution as a cumulative curve on a log time axis.
fn latency_plot(s: &mut String, e: &EnsembleReport) {
    let curves: Vec<(&str, Vec<(u64, f64)>)> = e
        .variants
        .iter()
        .map(|v| (v.name.as_str(), cdf(&v.latency)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if curves.is_empty() {
        return;
    }
    let lo = curves
        .iter()
        .flat_map(|(_, c)| c.iter().map(|p| p.0))
        .min()
        .unwrap_or(1);
    let hi = curves
        .iter()
        .flat_map(|(_, c)| c.iter().map(|p| p.0))
        .max()
        .unwrap_or(1);
    let (lx, hx) = (
        (lo as f64).log10().floor(),
        (hi as f64)
            .log10()
            .ceil()
            .max((lo as f64).log10().floor() + 1.0),
    );
    let (w, h, left, bottom, top, right) = (680.0, 260.0, 48.0, 30.0, 10.0, 44.0);
    let x = |ns: u64| left + ((ns as f64).log10() - lx) / (hx - lx) * (w - left - right);
    let y = |share: f64| top + (1.0 - share) * (h - top - bottom);
    s.push_str("<h3>Latency (instantiation plus call), cumulative</h3>");
    let _ = write!(
        s,
        "<svg class=\"latency\" role=\"img\" aria-label=\"latency distribution per variant\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    // The share axis on the left; the p50 and p99 lines named on the right.
    for (q, label, right_label) in [
        (0.0, "0%", ""),
        (0.5, "50%", "p50"),
        (0.99, "", "p99"),
        (1.0, "100%", ""),
    ] {
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#dde1e6\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text><text x=\"{}\" y=\"{:.1}\">{right_label}</text>",
            w - right,
            y(q),
            y(q),
            left - 4.0,
            y(q) + 4.0,
            w - right + 4.0,
            y(q) + 4.0
        );
    }
    let mut d = lx;
    while d <= hx {
        let t = 10f64.powf(d) as u64;
        let _ = write!(
            s,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top}\" y2=\"{1}\" stroke=\"#dde1e6\"/><text x=\"{0:.1}\" y=\"{2}\" text-anchor=\"middle\">{3}</text>",
            x(t),
            h - bottom,
            h - bottom + 16.0,
            ns(t)
        );
        d += 1.0;
    }
    for (k, (name, c)) in curves.iter().enumerate() {
        let mut points = format!("{:.1},{:.1}", x(c[0].0), y(0.0));
        let mut prev = 0.0;
        for (t, share) in c {
            let _ = write!(
                points,
                " {:.1},{:.1} {:.1},{:.1}",
                x(*t),
                y(prev),
                x(*t),
                y(*share)
            );
            prev = *share;
        }
        let _ = write!(
            s,
            "<polyline class=\"curve\" data-variant=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{points}\"><title>{}</title></polyline>",
            esc(name),
            PALETTE[k % PALETTE.len()],
            esc(name)
        );
    }
    s.push_str("</svg><div class=\"legend\">");
    for (k, (name, _)) in curves.iter().enumerate() {
        let _ = write!(
            s,
            "<span><i style=\"background:{}\"></i>{}</span>",
            PALETTE[k % PALETTE.len()],
            esc(name)
        );
    }
    s.push_str("</div>");
}

fn signature(s: &mut String, e: &EnsembleReport, id: &str, sig: &SignatureReport) {
    let who = sig.signature.dissent(|d, k| format!("{d} [{k}]"));
    let badge = match super::shared::mark(e, sig) {
        Some(crate::report::model::KNOWN) => {
            "<span class=\"badge ok\" data-status=\"known\">known</span>"
        }
        Some(_) => "<span class=\"badge bad\" data-status=\"new\">new</span>",
        None => "",
    };
    let _ = write!(
        s,
        "<article class=\"signature\"><h4>{} input(s), {}: {}{badge}</h4><p>first input (#{}, {}): <code>{}({})</code></p>",
        sig.count,
        esc(sig.signature.resolution()),
        esc(&who.join(", ")),
        sig.first_index,
        esc(&sig.origin),
        esc(&sig.signature.function),
        esc(&clip(&sig.example_input, 300))
    );
    if let Some(r) = &sig.known_reason {
        let _ = write!(
            s,
            "<p class=\"known\">accepted by the baseline: {}</p>",
            esc(r)
        );
    }
    if let Some(h) = &sig.signature.harness_failure {
        let _ = write!(s, "<p>harness failure: {}</p>", esc(h));
    }
    if let Some(x) = sig.signature.expectation() {
        let _ = write!(s, "<p class=\"expectation\">{}</p>", esc(&clip(&x, 2000)));
    }
    let _ = write!(
        s,
        "<p>shrunk input:</p><pre class=\"shrunk\">{}({})</pre>",
        esc(&sig.signature.function),
        esc(&clip(&sig.shrunk_input, 2000))
    );
    s.push_str("<table class=\"outcomes\"><tr><th>variant</th><th>outcome on the shrunk input</th><th>kind on the first input</th></tr>");
    for v in &e.variants {
        let dissent = sig.signature.dissenters.iter().position(|d| *d == v.name);
        let kind = dissent
            .and_then(|p| sig.signature.kinds.get(p))
            .map_or("agreed with the verdict", String::as_str);
        let outcome = sig.outcomes.get(&v.name).map_or("–", String::as_str);
        let _ = write!(
            s,
            "<tr{}><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            if dissent.is_some() {
                " class=\"dissent\""
            } else {
                ""
            },
            esc(&v.name),
            esc(&clip(outcome, 300)),
            esc(kind)
        );
    }
    s.push_str("</table>");
    for line in &sig.signature.engine_divergences {
        let _ = write!(s, "<p>engine divergence: {}</p>", esc(line));
    }
    let _ = write!(
        s,
        "<p>reproduce:</p><div class=\"repro\"><pre id=\"{id}\">{}</pre><button class=\"copy\" type=\"button\" data-target=\"{id}\">Copy</button></div>",
        esc(&sig.reproduce)
    );
    inputs(s, e, &format!("{id}-inputs"), sig);
    s.push_str("</article>");
}

/// Every input of the signature (up to [`super::shared::HTML_LISTED`]) with its origin and
/// each variant's outcome, in pages of [`super::shared::HTML_PAGE`] rows: without the
/// script every page shows, with it one page at a time.
fn inputs(s: &mut String, e: &EnsembleReport, id: &str, sig: &SignatureReport) {
    if sig.inputs.len() < 2 {
        return;
    }
    let shown = &sig.inputs[..sig.inputs.len().min(super::shared::HTML_LISTED)];
    let _ = write!(
        s,
        "<details class=\"inputs\"><summary>the {} input(s) of this signature</summary><table class=\"inputs\" id=\"{id}\"><thead><tr><th>#</th><th>from</th><th>input</th>",
        sig.inputs.len()
    );
    for v in &e.variants {
        let _ = write!(s, "<th>{}</th>", esc(&v.name));
    }
    s.push_str("</tr></thead>");
    for page in shown.chunks(super::shared::HTML_PAGE) {
        s.push_str("<tbody class=\"page\">");
        for i in page {
            let _ = write!(
                s,
                "<tr><td class=\"n\">{}</td><td>{}</td><td><code>{}</code></td>",
                i.index,
                esc(&super::shared::whence(i)),
                esc(&clip(&i.input, 120))
            );
            for v in &e.variants {
                let o = i.outcomes.get(&v.name).map_or("–", String::as_str);
                let _ = write!(s, "<td><code>{}</code></td>", esc(&clip(o, 60)));
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody>");
    }
    s.push_str("</table>");
    if shown.len() > super::shared::HTML_PAGE {
        let _ = write!(
            s,
            "<div class=\"pager\" data-target=\"{id}\"><button class=\"prev\" type=\"button\">‹ previous</button><span class=\"where\"></span><button class=\"next\" type=\"button\">next ›</button></div>"
        );
    }
    if let Some(m) = super::shared::more(shown.len(), sig.inputs.len()) {
        let _ = write!(s, "<p>{}</p>", esc(&m));
    }
    s.push_str("</details>");
}

/// The HTML page as a registered format.
pub(crate) struct Html;

impl Reporter for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn help(&self) -> &'static str {
        "A self-contained HTML page"
    }

    fn render(&self, report: &RunReport) -> String {
        render_html(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_764_604_800), "2025-12-01 16:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn hostile_text_is_escaped() {
        let html = render_html(&crate::report::render::sample());
        assert!(!html.contains("<script>alert"), "markup escaped");
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only the page's own script"
        );
        assert!(!html.contains('\u{1}') && !html.contains('\u{1b}'));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\u{1}\\u{1b}[31m"));
    }
}

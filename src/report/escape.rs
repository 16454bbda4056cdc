//! The text helpers every renderer and report table shares: one HTML escaper,
//! two Markdown escapers (for cells that hold code spans and for plain text), one
//! percent format and one clipping rule. It uses nothing else of nvx.

use std::fmt::Write as _;

/// HTML text: markup characters escaped, and control characters (other than tab
/// and line breaks) written as visible `\u{…}` escapes.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text made safe for a Markdown table cell that may hold code spans: `|`
/// escaped, line breaks as spaces (no HTML escaping, which code spans would show
/// literally).
pub(crate) fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// Text for Markdown outside code: markup characters as entities, `|` escaped (it
/// would end a table cell), line breaks as spaces.
pub(crate) fn md_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// A fraction as a percentage with two decimals; a fraction just short of one
/// shows as `99.99%`, never rounded up to a `100.00%` it did not reach.
pub(crate) fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.99 && p < 100.0 {
        "99.99%".into()
    } else {
        format!("{p:.2}%")
    }
}

/// Shortens text to at most `max` characters, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

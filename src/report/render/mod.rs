//! The renderers of a [`RunReport`](super::RunReport): one module per format, all
//! reading the same data.

mod html;
mod junit;
mod markdown;
mod text;

pub use html::render_html;
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use text::render_text;

/// Formats nanoseconds compactly for tables (`812ns`, `14.2µs`, `3.10ms`, `1.20s`).
pub fn ns(n: u64) -> String {
    match n {
        0..=999 => format!("{n}ns"),
        1_000..=999_999 => format!("{:.1}µs", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.2}ms", n as f64 / 1e6),
        _ => format!("{:.2}s", n as f64 / 1e9),
    }
}

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

pub(crate) fn xml(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&apos;".into(),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {
                format!("&#{};", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

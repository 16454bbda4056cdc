//! A library error kept as a cause, and its text with every source after it
//! (`outer: inner: innermost`), as wasmtime and wit-parser print theirs.

use std::fmt;

/// An error from a library whose own error type is not a `std` error (wasmtime's,
/// wit-parser's), boxed so it keeps its chain of sources.
pub type BoxedError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Displays an error followed by each of its sources, separated by `: `.
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(e) = next {
            write!(f, ": {e}")?;
            next = e.source();
        }
        Ok(())
    }
}

/// The text of a TOML error without the line break it ends with.
pub(crate) fn trimmed(e: &impl fmt::Display) -> String {
    e.to_string().trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn a_chain_lists_every_source_in_order() {
        let e = Outer(std::io::Error::other("inner"));
        assert_eq!(Chain(&e).to_string(), "outer: inner");
        let plain = std::io::Error::other("alone");
        assert_eq!(Chain(&plain).to_string(), "alone");
    }
}

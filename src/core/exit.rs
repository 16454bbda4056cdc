//! Process exit codes, the same for every `nvx` command.
//!
//! Scripts and CI steps can rely on these; a library user can import them to map a
//! [`Verdict`](crate::Verdict) or an [`Error`](crate::Error) the way the CLI does.

/// Every variant agreed on every input.
pub const AGREED: i32 = 0;
/// A divergence was found: some variant dissented or failed, whether or not a
/// verdict was reached.
pub const DIVERGED: i32 = 1;
/// An error: bad usage, or an unreadable or invalid module, manifest or input.
pub const ERROR: i32 = 2;

/// The exit code of a finished check: [`DIVERGED`] when it found a divergence, else
/// [`AGREED`]. Every command that checks maps its result through this.
#[must_use]
pub fn of_check(diverged: bool) -> i32 {
    if diverged { DIVERGED } else { AGREED }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_maps_to_agreed_or_diverged() {
        assert_eq!(of_check(false), AGREED);
        assert_eq!(of_check(true), DIVERGED);
        assert_ne!(ERROR, DIVERGED);
    }
}

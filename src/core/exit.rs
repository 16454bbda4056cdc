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

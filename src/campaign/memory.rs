//! Peak resident memory of this process and of a campaign's worker processes, as
//! the run report gives it.

/// The process's peak resident set size so far (`VmHWM`), on Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    peak_rss_of("self")
}

/// The peak resident set size (`VmHWM`) of process `pid` (`self` for this one), on
/// Linux.
pub(crate) fn peak_rss_of(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

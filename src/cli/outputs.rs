//! The report files of `nvx campaign`: one `--<flag> FILE` option per registered
//! format that has an output flag (`nvx::report::FORMATS`), built at run time, and
//! the checks over them; each file is an observer of the run's events.

use std::path::{Path, PathBuf};

use clap::{ArgMatches, Command, FromArgMatches};
use nvx::Observer;
use nvx::report::{FORMATS, OutputFlag, ReportFile, Reporter};

/// The registered formats that have an output flag, ordered by the flag's name
/// (the order of the options in `--help` and of the writes).
fn flagged() -> Vec<(&'static dyn Reporter, OutputFlag)> {
    let mut out: Vec<_> = FORMATS
        .iter()
        .filter_map(|f| f.output_flag().map(|flag| (*f, flag)))
        .collect();
    out.sort_by_key(|(_, flag)| flag.long);
    out
}

/// The report files asked for: each format with the path given to its flag, a
/// [`ReportFile`] observer of the campaign's events.
#[derive(Debug, Default)]
pub(crate) struct ReportOutputs {
    files: Vec<(OutputFlag, ReportFile)>,
}

impl ReportOutputs {
    /// The paths asked for, in the order of the flags.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(_, f)| f.path())
    }

    /// Checks, before any work, that each report can be written where asked: its
    /// folder exists and the path is not a folder.
    pub fn check(&self) -> anyhow::Result<()> {
        for (flag, f) in &self.files {
            check_path(&format!("--{}", flag.long), f.path())?;
        }
        Ok(())
    }

    /// Every report file, as observers of the run: each writes itself when the
    /// run is done.
    pub fn observers(&self) -> impl Iterator<Item = &dyn Observer> {
        self.files.iter().map(|(_, f)| f as &dyn Observer)
    }

    /// The messages of the writes that failed, once the run is done.
    pub fn failures(&self) -> Vec<String> {
        self.files.iter().filter_map(|(_, f)| f.failure()).collect()
    }
}

/// Checks, before any work, that a report file can be written at `p`, the value
/// of the option `flag`: its folder exists and the path is not a folder.
pub(crate) fn check_path(flag: &str, p: &Path) -> anyhow::Result<()> {
    if p.is_dir() {
        anyhow::bail!("{flag} {}: is a folder, not a file", p.display());
    }
    let parent = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        anyhow::bail!(
            "{flag} {}: the folder {} does not exist",
            p.display(),
            parent.display()
        );
    }
    Ok(())
}

impl FromArgMatches for ReportOutputs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut out = ReportOutputs::default();
        out.update_from_arg_matches(matches)?;
        Ok(out)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for (reporter, flag) in flagged() {
            let path = matches
                .try_get_one::<PathBuf>(flag.long)
                .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ValueValidation, e))?;
            let Some(path) = path else { continue };
            self.files.retain(|(f, _)| f.long != flag.long);
            self.files
                .push((flag, ReportFile::new(reporter.name(), path.clone())));
        }
        self.files.sort_by_key(|(f, _)| f.long);
        Ok(())
    }
}

impl clap::Args for ReportOutputs {
    fn augment_args(cmd: Command) -> Command {
        flagged().into_iter().fold(cmd, |cmd, (_, flag)| {
            cmd.arg(
                clap::Arg::new(flag.long)
                    .long(flag.long)
                    .value_name(flag.value_name)
                    .help(flag.help)
                    .value_parser(clap::value_parser!(PathBuf))
                    .action(clap::ArgAction::Set),
            )
        })
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Args as _;

    #[test]
    fn one_option_per_flagged_format_in_the_order_of_the_flags() {
        let cmd = ReportOutputs::augment_args(Command::new("t"));
        let longs: Vec<&str> = cmd.get_arguments().filter_map(|a| a.get_long()).collect();
        assert_eq!(longs, ["json", "junit", "markdown"]);
        let m = cmd
            .try_get_matches_from(["t", "--markdown", "s.md", "--json", "r.json"])
            .unwrap();
        let out = ReportOutputs::from_arg_matches(&m).unwrap();
        let paths: Vec<&Path> = out.paths().collect();
        assert_eq!(paths, [Path::new("r.json"), Path::new("s.md")]);
    }
}

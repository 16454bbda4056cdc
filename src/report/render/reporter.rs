//! What a report format is: the [`Reporter`] trait that every renderer implements,
//! and the [`OutputFlag`] through which `nvx campaign` writes it to a file.

use crate::report::model::RunReport;

/// The `nvx campaign` option that writes a format to a file, e.g. `--junit FILE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputFlag {
    /// The long option without its dashes: `junit` for `--junit`.
    pub long: &'static str,
    /// The name of the option's value in `--help`: `JUNIT` in `--junit <JUNIT>`.
    pub value_name: &'static str,
    /// The option's one-line help in `nvx campaign --help`.
    pub help: &'static str,
}

/// One report format: its name, how the command line offers it, and the renderer.
///
/// Every format is listed once in [`FORMATS`](super::FORMATS); `nvx report --format`
/// and the output options of `nvx campaign` are built from that list.
pub trait Reporter: Sync {
    /// The format's name, as `nvx report --format` spells it: `markdown`.
    fn name(&self) -> &'static str;

    /// A one-line description, shown beside the name in `nvx report --help`.
    fn help(&self) -> &'static str;

    /// The `nvx campaign` option that writes this format to a file, if it has one.
    fn output_flag(&self) -> Option<OutputFlag> {
        None
    }

    /// Renders a report in this format: the whole text of the file or of standard
    /// output.
    fn render(&self, report: &RunReport) -> String;
}

/// A format shows as its name.
impl std::fmt::Debug for dyn Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

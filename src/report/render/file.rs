//! Report files as observers of the event stream: a [`ReportFile`] writes its
//! format when the run it watches is done ([`Event::RunDone`] for a campaign,
//! [`Event::MutationDone`] for a mutation analysis), rendered by the report the
//! event carries (a [`RunOutput`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::event::{Event, Observer, RunOutput};

/// One report file: the format, where it goes, and, once the run is done, whether
/// it was written.
///
/// It writes nothing before the end of the run, so a run that stops with an error
/// leaves an earlier file of the same name as it was. A file that cannot be
/// written does not stop the other observers: the failure is kept, for
/// [`ReportFile::failure`].
#[derive(Debug)]
pub struct ReportFile {
    format: &'static str,
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
enum State {
    #[default]
    Waiting,
    Written,
    Failed(String),
}

impl ReportFile {
    /// A report file in the format `format` (as [`RunOutput::render`] names it) at
    /// `path`.
    pub fn new(format: &'static str, path: impl Into<PathBuf>) -> ReportFile {
        ReportFile {
            format,
            path: path.into(),
            state: Mutex::new(State::Waiting),
        }
    }

    /// The format's name.
    pub fn format(&self) -> &'static str {
        self.format
    }

    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file was written.
    pub fn written(&self) -> bool {
        matches!(*self.lock(), State::Written)
    }

    /// Why the file was not written, naming it, once the run is done.
    pub fn failure(&self) -> Option<String> {
        match &*self.lock() {
            State::Failed(why) => Some(why.clone()),
            State::Waiting | State::Written => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value, valid whatever a panicking writer left.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self, output: &dyn RunOutput) {
        let state = match output.render(self.format) {
            None => State::Failed(format!(
                "writing {}: this report has no format `{}` (it has: {})",
                self.path.display(),
                self.format,
                output.formats().join(", ")
            )),
            Some(text) => match std::fs::write(&self.path, text) {
                Ok(()) => State::Written,
                Err(e) => State::Failed(format!("writing {}: {e}", self.path.display())),
            },
        };
        *self.lock() = state;
    }
}

impl Observer for ReportFile {
    fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::RunDone { report, .. } | Event::MutationDone { report, .. } => {
                self.write(*report);
            }
            Event::Verdict { .. }
            | Event::Dissent(_)
            | Event::EngineDivergence { .. }
            | Event::Breaker(_)
            | Event::EnsembleStarted { .. }
            | Event::Warning { .. }
            | Event::InputDone { .. }
            | Event::DivergenceFound { .. }
            | Event::Shrinking { .. }
            | Event::EnsembleDone { .. }
            | Event::MutationBaseline { .. }
            | Event::MutantsStarted { .. }
            | Event::MutantDone { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::RunReport;
    use crate::report::render::FORMATS;
    use std::time::Duration;

    fn done(report: &RunReport) -> Event<'_> {
        Event::RunDone {
            ensembles: report.ensembles.len(),
            inputs: 0,
            divergent: 0,
            elapsed: Duration::ZERO,
            report,
        }
    }

    #[test]
    fn a_report_file_is_written_when_the_run_is_done_and_not_before() {
        let dir = tempfile::tempdir().unwrap();
        let report = super::super::sample();
        let files: Vec<ReportFile> = FORMATS
            .iter()
            .map(|f| ReportFile::new(f.name(), dir.path().join(f.name())))
            .collect();
        for f in &files {
            f.on_event(&Event::InputDone { divergent: true });
            assert!(!f.path().exists() && !f.written() && f.failure().is_none());
        }
        for f in &files {
            f.on_event(&done(&report));
            assert!(f.written(), "{}", f.format());
            let text = std::fs::read_to_string(f.path()).unwrap();
            assert_eq!(Some(text), report.render(f.format()));
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("json")).unwrap(),
            super::super::render_json(&report)
        );
    }

    #[test]
    fn a_file_that_cannot_be_written_is_a_failure_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let report = super::super::sample();
        let gone = dir.path().join("no-such-folder/run.json");
        let f = ReportFile::new("json", &gone);
        f.on_event(&done(&report));
        let why = f.failure().unwrap();
        assert!(
            why.starts_with(&format!("writing {}: ", gone.display())),
            "{why}"
        );
        let odd = ReportFile::new("yaml", dir.path().join("run.yaml"));
        odd.on_event(&done(&report));
        let why = odd.failure().unwrap();
        assert!(
            why.contains("no format `yaml`") && why.contains("json"),
            "{why}"
        );
        assert!(!dir.path().join("run.yaml").exists());
    }
}

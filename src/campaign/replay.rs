//! After a run: each divergence signature's input shrunk, its variants' outcomes
//! on the shrunk input recorded, and its `reproduce` command written, with long
//! inputs moved to files.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::ensemble::Ensemble;
use crate::report::{Replay, SignatureReport};
use crate::shrink::shrink;
use crate::value::{Value, args_to_wave};

use super::options::{MAX_REPRODUCE_LEN, MAX_RERUN_TEXT, MAX_SHRINK_BYTES, Options, SHRINK_TIME};
use super::record::{signature, where_is};

/// Shrinks each signature's first input while its signature holds, and fills in
/// the outcomes on the shrunk input and a reproducing command.
pub(crate) fn shrink_signatures(e: &Ensemble, sigs: &mut [SignatureReport], opts: &Options) {
    std::thread::scope(|scope| {
        let chunks = sigs.len().div_ceil(opts.jobs.max(1)).max(1);
        for part in sigs.chunks_mut(chunks) {
            scope.spawn(move || {
                for s in part {
                    let start = Instant::now();
                    shrink_one(e, s, opts);
                    s.shrink_ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    clip_inputs(e, s, opts);
                }
            });
        }
    });
}

pub(crate) fn shrink_one(e: &Ensemble, s: &mut SignatureReport, opts: &Options) {
    // An input that took a worker process down is not run here, in the process
    // that holds the run's results: it would risk them all. An input whose text is
    // huge is not parsed again either: parsing builds a node per list element, many
    // times the text's size. Both are reported as found.
    if s.signature.harness_failure.is_some() || s.example_input.len() > MAX_RERUN_TEXT {
        s.shrunk_input = s.example_input.clone();
        fill_replay(e, s, opts, None);
        return;
    }
    let budget = opts.shrink_budget;
    let Ok(sig) = e.function(&s.signature.function).cloned() else {
        return;
    };
    let Ok(args) = e.parse_arg_line(&s.signature.function, &s.example_input) else {
        return;
    };
    let start = Instant::now();
    let key = s.signature.key.clone();
    // Every candidate is a copy of the input, so a huge input is reported as found,
    // unshrunk: shrinking it would cost time and memory in proportion to its size.
    // An input with an expected answer is kept as it is: the answer belongs to that
    // input, so no smaller input could be checked against it.
    let small = if s.signature.expected.is_some()
        || args.iter().map(Value::size_hint).sum::<usize>() > MAX_SHRINK_BYTES
    {
        args
    } else {
        shrink(&args, &sig.param_types(), budget, |cand| {
            (start.elapsed() < SHRINK_TIME).then(|| {
                e.call(&s.signature.function, cand)
                    .ok()
                    .and_then(|v| signature(&v))
                    .is_some_and(|sig| sig.key == key)
            })
        })
        .0
    };
    s.shrunk_input = args_to_wave(&small);
    if let Ok(v) = e.call(&s.signature.function, &small) {
        s.outcomes = v
            .runs()
            .iter()
            .map(|r| {
                let mut text = r.outcome.brief(Value::to_wave);
                for (name, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
                    if !out.is_empty() {
                        let clipped = crate::report::clip(out.trim_end(), 200);
                        text.push_str(&format!(" [{name}: {clipped:?}]"));
                    }
                }
                (r.variant.clone(), text)
            })
            .collect();
    }
    fill_replay(e, s, opts, Some(&small));
}

/// What reruns the signature's shrunk input (`args`, when parsed): the arguments
/// inline, or, when they would make a command longer than [`MAX_REPRODUCE_LEN`],
/// a file written for them. The CLI renders it as a command line. When the file
/// cannot be written, `reproduce` says why and there is no replay.
pub(crate) fn fill_replay(
    e: &Ensemble,
    s: &mut SignatureReport,
    opts: &Options,
    args: Option<&[Value]>,
) {
    let engines: Vec<String> = if e.engines().iter().map(|k| k.name()).eq(e
        .manifest()
        .ensemble
        .engines
        .iter()
        .map(String::as_str))
    {
        Vec::new()
    } else {
        e.engines().iter().map(|k| k.name().to_string()).collect()
    };
    let mut replay = Replay {
        ensemble: e.dir().display().to_string(),
        engines,
        function: s.signature.function.clone(),
        args: Vec::new(),
        args_file: None,
    };
    if s.shrunk_input.len() <= MAX_REPRODUCE_LEN {
        let parsed;
        let args = match args {
            Some(a) => Some(a),
            None => {
                parsed = e
                    .parse_arg_line(&s.signature.function, &s.shrunk_input)
                    .ok();
                parsed.as_deref()
            }
        };
        if let Some(args) = args {
            let waves: Vec<String> = args.iter().map(Value::to_wave).collect();
            // Room for quoting and for the command around the arguments.
            let len = waves.iter().map(|w| w.len() + 3).sum::<usize>() + replay.ensemble.len() + 64;
            if len <= MAX_REPRODUCE_LEN {
                replay.args = waves;
                s.replay = Some(replay);
                return;
            }
        }
    }
    let folder = inputs_folder(opts);
    match write_args_file(&folder, e.name(), &s.shrunk_input) {
        Ok(file) => {
            replay.args_file = Some(file.display().to_string());
            s.replay = Some(replay);
        }
        Err(err) => {
            s.reproduce = format!(
                "the input is too long for a command line and could not be written to {}: {err}; it is the shrunk input of this report",
                folder.display()
            );
        }
    }
}

/// Clips the signature's first and shrunk inputs to
/// [`crate::report::MAX_REPORT_INPUT`] bytes, once the reproduce command no longer
/// needs them whole: each clipped one names the file that holds it whole (written
/// here for the first input, the replay's own for the shrunk one).
pub(crate) fn clip_inputs(e: &Ensemble, s: &mut SignatureReport, opts: &Options) {
    use crate::report::{MAX_REPORT_INPUT, clip_input};
    let at_origin = format!("at {}", where_is(&s.origin, s.first_index));
    if s.example_input.len() > MAX_REPORT_INPUT {
        let whole = match write_args_file(&inputs_folder(opts), e.name(), &s.example_input) {
            Ok(file) => {
                let file = file.display().to_string();
                s.example_args_file = Some(file.clone());
                format!("in {file}")
            }
            Err(_) => at_origin.clone(),
        };
        s.example_input = clip_input(&s.example_input, MAX_REPORT_INPUT, &whole);
    }
    if s.shrunk_input.len() > MAX_REPORT_INPUT {
        let whole = match s.replay.as_ref().and_then(|r| r.args_file.as_ref()) {
            Some(file) => format!("in {file}"),
            None => "in this run's reproduce command".to_string(),
        };
        s.shrunk_input = clip_input(&s.shrunk_input, MAX_REPORT_INPUT, &whole);
    }
    for o in s.outcomes.values_mut() {
        if o.len() > MAX_REPORT_INPUT {
            *o = clip_input(o, MAX_REPORT_INPUT, "from the reproduce command");
        }
    }
}

/// Where args files go: `--inputs-dir`, else `nvx-inputs` in the temp folder.
pub(crate) fn inputs_folder(opts: &Options) -> PathBuf {
    opts.inputs_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("nvx-inputs"))
}

/// Writes `args` (a corpus line) to a file named by its hash in `folder`, for
/// `nvx call --args-file`.
pub(crate) fn write_args_file(
    folder: &Path,
    ensemble: &str,
    args: &str,
) -> std::io::Result<PathBuf> {
    use sha2::Digest;
    let hash = format!("{:x}", sha2::Sha256::digest(args.as_bytes()));
    let hex = &hash[..16];
    let safe: String = ensemble
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    std::fs::create_dir_all(folder)?;
    let file = folder.join(format!("{safe}-{hex}.args"));
    let tmp = folder.join(format!(".{safe}-{hex}.args.tmp"));
    std::fs::write(&tmp, format!("{args}\n"))?;
    std::fs::rename(&tmp, &file)?;
    Ok(file)
}

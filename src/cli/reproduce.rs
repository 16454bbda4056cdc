//! Reproduce commands: the command line renders the library's [`Replay`] data as
//! an `nvx call` command quoted for a POSIX shell.

use nvx::report::{Replay, RunReport};

/// Quotes a word for a POSIX shell when it needs it.
fn quote(word: &str) -> String {
    // A NUL cannot be passed in an argument at all; WAVE text and paths never hold
    // one, so this fallback only keeps the text readable.
    shlex::try_quote(word).map_or_else(|_| format!("'{}'", word.replace('\'', r"'\''")), Into::into)
}

/// The `nvx call` command that reruns `replay`.
pub fn command(replay: &Replay) -> String {
    let mut words = vec!["nvx".to_string(), "call".into(), quote(&replay.ensemble)];
    if !replay.engines.is_empty() {
        words.push("--engines".into());
        // Each name quoted on its own (engine names need none): `cranelift,winch`.
        let names: Vec<String> = replay.engines.iter().map(|e| quote(e)).collect();
        words.push(names.join(","));
    }
    words.push(quote(&replay.function));
    match &replay.args_file {
        Some(file) => {
            words.push("--args-file".into());
            words.push(quote(file));
        }
        None => {
            // A first argument that starts with `-` is not a number (`-inf`) goes
            // after `--`, so it is not taken for an option.
            if replay.args.iter().any(|a| a.starts_with('-')) {
                words.push("--".into());
            }
            words.extend(replay.args.iter().map(|a| quote(a)));
        }
    }
    words.join(" ")
}

/// Fills every signature's `reproduce` from its replay (a report written before
/// replays existed keeps the command it carries).
pub fn fill(report: &mut RunReport) {
    for e in &mut report.ensembles {
        for s in &mut e.signatures {
            if let Some(r) = &s.replay {
                s.reproduce = command(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(quote("12"), "12");
        let words = ["\"a b\"", "'x'", "", "$(rm -rf /)", "none", "%none", "-inf"];
        let line: Vec<String> = words.iter().map(|w| quote(w)).collect();
        assert_eq!(shlex::split(&line.join(" ")).unwrap(), words);
    }

    #[test]
    fn a_replay_renders_as_an_nvx_call() {
        let mut r = Replay {
            ensemble: "ens dir".into(),
            engines: vec!["cranelift".into(), "winch".into()],
            function: "f".into(),
            args: vec!["\"a b\"".into(), "-inf".into()],
            args_file: None,
        };
        assert_eq!(
            command(&r),
            r#"nvx call 'ens dir' --engines cranelift,winch f -- '"a b"' -inf"#
        );
        r.args_file = Some("/tmp/x.args".into());
        r.engines.clear();
        assert_eq!(command(&r), "nvx call 'ens dir' f --args-file /tmp/x.args");
    }
}

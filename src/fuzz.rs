//! Entry points for fuzzing the parsers that take user input: the manifest, WAVE
//! argument tuples (as written on the command line, in corpus lines and in reports),
//! journal files, and report JSON as `nvx merge` reads it.
//!
//! Each function takes arbitrary bytes and must never panic. Beyond that, each checks
//! what its parser promises: an argument tuple that parses prints back to text that
//! parses to the same values; a journal's salvaged frames lie inside the file, after
//! its clean part; a report that parses renders in every format and merges with
//! itself. A broken promise panics, which a fuzzer reports as a finding.
//!
//! The cargo-fuzz harnesses in `fuzz/` call these functions (see `fuzz/README.md`),
//! and the unit tests below replay the saved corpora and random inputs as a smoke
//! pass on every test run.

use std::path::Path;

use crate::campaign::plan::Header;
use crate::campaign::record::InputRecord;
use crate::journal::{scan_header, scan_records};
use crate::manifest::Manifest;
use crate::report::{self, RunReport};
use crate::value::{ValueType, args_to_wave, parse_args};

/// Names of the fuzz targets, as the harnesses and the saved corpora call them.
pub const TARGETS: [&str; 4] = ["manifest", "wave", "journal", "report"];

/// Runs the named target on `data`; `false` for an unknown name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "manifest" => manifest(data),
        "wave" => wave(data),
        "journal" => journal(data),
        "report" => report(data),
        _ => return false,
    }
    true
}

/// Parses `data` (lossily decoded as UTF-8) as an `nvx.toml`.
pub fn manifest(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for allow_empty in [false, true] {
        if let Err(e) = Manifest::parse(
            Path::new("ensemble"),
            Path::new("ensemble/nvx.toml"),
            &text,
            allow_empty,
        ) {
            assert!(
                e.to_string().contains("ensemble/nvx.toml"),
                "a manifest error does not name the file: {e}"
            );
        }
    }
}

/// The parameter lists the WAVE target parses against: every kind of type nvx handles.
fn signatures() -> Vec<Vec<ValueType>> {
    use ValueType as T;
    let b = Box::new;
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        vec![T::Bool, T::S8, T::U8],
        vec![T::S16, T::U16, T::S32],
        vec![T::U32, T::S64, T::U64],
        vec![T::F32, T::F64],
        vec![T::Char, T::String],
        vec![T::List(b(T::U8))],
        vec![T::List(b(T::String)), T::List(b(T::F64))],
        vec![T::Option(b(T::S32)), T::Option(b(T::Option(b(T::Bool))))],
        vec![T::Result {
            ok: Some(b(T::U32)),
            err: Some(b(T::String)),
        }],
        vec![
            T::Result {
                ok: None,
                err: None,
            },
            T::Result {
                ok: Some(b(T::F32)),
                err: None,
            },
        ],
        vec![T::Record(vec![
            ("a".into(), T::F64),
            ("b-c".into(), T::List(b(T::Char))),
        ])],
        vec![T::Tuple(vec![T::Char, T::Bool, T::List(b(T::U8))])],
        vec![T::Variant(vec![
            ("none".into(), None),
            ("some".into(), Some(T::U64)),
            ("text".into(), Some(T::String)),
        ])],
        vec![T::Enum(names(&["red", "green", "blue"]))],
        vec![T::Flags(names(&["read", "write", "exec"]))],
        vec![],
    ]
}

/// Parses `data[1..]` as an argument tuple for the signature chosen by `data[0]`; what
/// parses must print back (as reports and reproduce commands print it) to text that
/// parses to the same values.
pub fn wave(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let sigs = signatures();
    let params = &sigs[usize::from(pick) % sigs.len()];
    let text = String::from_utf8_lossy(rest);
    let Ok(args) = parse_args(params, &text) else {
        return;
    };
    let printed = args_to_wave(&args);
    let again = parse_args(params, &printed)
        .unwrap_or_else(|e| panic!("`{text}` printed as `{printed}`, which does not parse: {e}"));
    assert!(
        args.len() == again.len() && args.iter().zip(&again).all(|(a, b)| a.same(b)),
        "`{text}` printed as `{printed}`, which parses to other values"
    );
}

/// Reads `data` as a campaign journal, as `--resume` does.
pub fn journal(data: &[u8]) {
    let Ok((_, pos)) = scan_header::<Header>(data) else {
        return;
    };
    let Ok(scan) = scan_records::<InputRecord>(data, pos) else {
        return;
    };
    let clean = usize::try_from(scan.clean_len).unwrap_or(usize::MAX);
    assert!(clean >= pos && clean <= data.len());
    let mut after = clean;
    for r in &scan.salvaged_frames {
        assert!(r.start >= after && r.end <= data.len() && r.start < r.end);
        after = r.end;
    }
    assert_eq!(scan.recovery.salvaged as usize, scan.salvaged_frames.len());
    let kept: usize = scan.salvaged_frames.iter().map(|r| r.len()).sum();
    assert_eq!(
        clean + kept + scan.recovery.dropped_bytes as usize,
        data.len(),
        "kept and dropped bytes do not add up to the file"
    );
}

/// Reads `data` as a run report, as `nvx report` and `nvx merge` do; a report that
/// parses renders in every format and merges with a copy of itself.
pub fn report(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(r) = RunReport::from_json("run.json", &text) else {
        return;
    };
    let _ = report::render_text(&r);
    let _ = report::render_markdown(&r);
    #[cfg(feature = "junit")]
    let _ = report::render_junit(&r);
    let _ = report::render_html(&r);
    let _ = RunReport::merge(&[("a.json".into(), r.clone()), ("b.json".into(), r)]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every file saved under `fuzz/corpus/<target>/` (inputs the fuzzer found
    /// interesting, and the seeds it started from) runs through its target.
    #[test]
    fn saved_corpora_replay_without_a_finding() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        for target in TARGETS {
            let dir = root.join(target);
            let mut n = 0;
            for entry in
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            {
                let path = entry.unwrap().path();
                run(target, &std::fs::read(&path).unwrap());
                n += 1;
            }
            assert!(n > 0, "{}: no saved inputs", dir.display());
        }
    }

    /// Seeds, each cut and with bytes flipped: a cheap stand-in for mutation on every run.
    #[test]
    fn mutated_seeds_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for target in TARGETS {
            for entry in std::fs::read_dir(root.join(target)).unwrap() {
                let seed = std::fs::read(entry.unwrap().path()).unwrap();
                for _ in 0..200 {
                    let mut d = seed.clone();
                    for _ in 0..=(next() % 4) {
                        if d.is_empty() {
                            break;
                        }
                        let i = (next() as usize) % d.len();
                        match next() % 3 {
                            0 => d[i] ^= 1 << (next() % 8),
                            1 => d.truncate(i),
                            _ => d.insert(i, next() as u8),
                        }
                    }
                    run(target, &d);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn random_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..512)) {
            for t in TARGETS {
                run(t, &data);
            }
        }

        #[test]
        fn random_wave_text_round_trips(pick in any::<u8>(), text in "[-0-9a-z\"'{}()\\[\\],:. \\\\]{0,40}") {
            let mut data = vec![pick];
            data.extend_from_slice(text.as_bytes());
            wave(&data);
        }
    }
}

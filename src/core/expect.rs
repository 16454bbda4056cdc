//! Expected answers on corpus lines (`ARGS => VALUE`): splitting a line at its
//! top-level `=>`, and judging a verdict against the expected value with the
//! ensemble's own equivalence (floats by bits with NaN equal to NaN, or within the
//! declared tolerance). An answer may also be a shape: `some(_)`, `ok(_)` or
//! `err(_)` holds for any value of that case, for suites that say only that an
//! input is accepted (JSONTestSuite's `y_` files), not what it gives.

use crate::cause::ExpectProblem;
use crate::outcome::Outcome;
use crate::value::{Tolerance, Value, ValueType};

/// An expected answer.
#[derive(Clone, Debug)]
pub enum Expected {
    /// Exactly this value (under the ensemble's equivalence).
    Exactly(Value),
    /// Any value of this case of an option or result: `some(_)`, `ok(_)`, `err(_)`.
    Any(Case),
}

/// The case an [`Expected::Any`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `some(_)`.
    Some,
    /// `ok(_)`.
    Ok,
    /// `err(_)`.
    Err,
}

impl Expected {
    /// Parses an expected answer of type `ty`: a WAVE value, or `some(_)` for an
    /// option, `ok(_)` or `err(_)` for a result (the case must carry a payload).
    ///
    /// # Errors
    /// [`ExpectProblem::Wave`] with the parser's error, or
    /// [`ExpectProblem::Shape`] when the shape does not fit `ty`.
    pub fn parse(ty: &ValueType, text: &str) -> std::result::Result<Expected, ExpectProblem> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let case = match compact.as_str() {
            "some(_)" => Some(Case::Some),
            "ok(_)" => Some(Case::Ok),
            "err(_)" => Some(Case::Err),
            _ => None,
        };
        match (case, ty) {
            (None, _) => crate::value::parse_wave(ty, text)
                .map(Expected::Exactly)
                .map_err(ExpectProblem::Wave),
            (Some(Case::Some), ValueType::Option(_)) => Ok(Expected::Any(Case::Some)),
            (Some(c @ Case::Ok), ValueType::Result { ok: Some(_), .. })
            | (Some(c @ Case::Err), ValueType::Result { err: Some(_), .. }) => Ok(Expected::Any(c)),
            (Some(_), _) => Err(ExpectProblem::Shape {
                text: text.to_string(),
                ty: ty.clone(),
            }),
        }
    }

    /// Whether `got` is this answer.
    pub fn holds(&self, got: &Value, tol: &Tolerance) -> bool {
        match self {
            Expected::Exactly(v) => matches(v, got, tol),
            Expected::Any(Case::Some) => matches!(got, Value::Option(Some(_))),
            Expected::Any(Case::Ok) => matches!(got, Value::Result(Ok(_))),
            Expected::Any(Case::Err) => matches!(got, Value::Result(Err(_))),
        }
    }

    /// The answer as corpus lines write it.
    pub fn to_wave(&self) -> String {
        match self {
            Expected::Exactly(v) => v.to_wave(),
            Expected::Any(Case::Some) => "some(_)".into(),
            Expected::Any(Case::Ok) => "ok(_)".into(),
            Expected::Any(Case::Err) => "err(_)".into(),
        }
    }
}

/// Splits a corpus line into its argument text and, when the line carries one, the
/// text of its expected answer: the part after the first `=>` that lies outside
/// every string, character and bracket. Both parts are trimmed; an arrow with
/// nothing after it gives an empty answer text, which does not parse.
pub fn split_expected(line: &str) -> (&str, Option<&str>) {
    match top_level_arrow(line) {
        Some(at) => (line[..at].trim(), Some(line[at + 2..].trim())),
        None => (line.trim(), None),
    }
}

/// The byte offset of the first `=>` outside strings (`"…"`), characters (`'…'`)
/// and brackets, if any.
fn top_level_arrow(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b'=' if depth == 0 && bytes.get(i + 1) == Some(&b'>') => return Some(i),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Whether `got` is the `expected` answer under the ensemble's equivalence: bitwise
/// (all NaNs equal) without a tolerance, within it with one.
pub fn matches(expected: &Value, got: &Value, tol: &Tolerance) -> bool {
    if tol.is_set() {
        got.within(expected, tol)
    } else {
        got.same(expected)
    }
}

/// How a verdict stands against an expected answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Judgement {
    /// The verdict is the expected answer.
    Right,
    /// A verdict was reached, every variant agreeing on it, and it is wrong.
    AllAgreedWrong,
    /// A verdict was reached over some dissent, and it is wrong.
    WrongVerdict,
    /// No verdict was reached where an answer was expected.
    NoVerdict,
}

impl Judgement {
    /// Whether the expected answer did not hold.
    pub fn failed(&self) -> bool {
        *self != Judgement::Right
    }

    /// The divergence kind in words, as reports print it.
    pub fn describe(&self) -> &'static str {
        match self {
            Judgement::Right => "expected answer",
            Judgement::AllAgreedWrong => "all agreed on a wrong answer",
            Judgement::WrongVerdict => {
                "wrong verdict (the winning answer differs from the expected one)"
            }
            Judgement::NoVerdict => "no verdict where an answer was expected",
        }
    }

    /// The short tag signature keys carry.
    pub fn tag(&self) -> &'static str {
        match self {
            Judgement::Right => "right",
            Judgement::AllAgreedWrong => "all-agreed-wrong",
            Judgement::WrongVerdict => "wrong-verdict",
            Judgement::NoVerdict => "no-verdict-expected",
        }
    }
}

/// Judges a verdict (`verdict`: the agreed value, if one was reached; `unanimous`:
/// whether every variant sided with it) against `expected`.
pub fn judge(
    expected: &Expected,
    verdict: Option<&Value>,
    unanimous: bool,
    tol: &Tolerance,
) -> Judgement {
    match verdict {
        None => Judgement::NoVerdict,
        Some(v) if expected.holds(v, tol) => Judgement::Right,
        Some(_) if unanimous => Judgement::AllAgreedWrong,
        Some(_) => Judgement::WrongVerdict,
    }
}

/// For each outcome, whether it is not the expected answer (a failure, or a value
/// that differs from it).
pub fn wrong_outcomes<'a>(
    expected: &Expected,
    outcomes: impl IntoIterator<Item = &'a Outcome<Value>>,
    tol: &Tolerance,
) -> Vec<bool> {
    outcomes
        .into_iter()
        .map(|o| o.value().is_none_or(|v| !expected.holds(v, tol)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_top_level_arrow_only() {
        let cases: [(&str, (&str, Option<&str>)); 10] = [
            ("1, 2", ("1, 2", None)),
            (r#""1e23" => some(1e23)"#, (r#""1e23""#, Some("some(1e23)"))),
            // An arrow inside a string is part of the string.
            (r#""a=>b""#, (r#""a=>b""#, None)),
            (r#""a=>b" => "c=>d""#, (r#""a=>b""#, Some(r#""c=>d""#))),
            // An escaped quote does not end the string.
            (r#""x\"=>" => none"#, (r#""x\"=>""#, Some("none"))),
            // Characters and brackets hide arrows too.
            (
                r#"'=', f(["=>"]) => [1]"#,
                (r#"'=', f(["=>"])"#, Some("[1]")),
            ),
            ("'\\'' =>  ok", ("'\\''", Some("ok"))),
            (
                "parse(\"1\")=>some(1.0)",
                ("parse(\"1\")", Some("some(1.0)")),
            ),
            // `=` alone or `>=` is no arrow.
            ("1 = 2 >= 3", ("1 = 2 >= 3", None)),
            ("1, 2 =>   ", ("1, 2", Some(""))),
        ];
        for (line, want) in cases {
            assert_eq!(split_expected(line), want, "{line}");
        }
    }

    /// `judge` on an exact expected value.
    fn judge(
        expected: &Value,
        verdict: Option<&Value>,
        unanimous: bool,
        tol: &Tolerance,
    ) -> Judgement {
        super::judge(
            &Expected::Exactly(expected.clone()),
            verdict,
            unanimous,
            tol,
        )
    }

    #[test]
    fn shapes_hold_for_any_value_of_their_case() {
        let exact = Tolerance::default();
        let opt = ValueType::Option(Box::new(ValueType::String));
        let any = Expected::parse(&opt, " some( _ ) ").unwrap();
        assert!(matches!(any, Expected::Any(Case::Some)));
        assert_eq!(any.to_wave(), "some(_)");
        let s = Value::Option(Some(Box::new(Value::String("[]".into()))));
        assert!(any.holds(&s, &exact));
        assert!(!any.holds(&Value::Option(None), &exact));
        assert_eq!(
            super::judge(&any, Some(&Value::Option(None)), true, &exact),
            Judgement::AllAgreedWrong
        );
        // A shape must fit the type; a plain value still parses as before.
        assert!(
            Expected::parse(&ValueType::U32, "some(_)")
                .unwrap_err()
                .to_string()
                .contains("option")
        );
        assert!(Expected::parse(&opt, "ok(_)").is_err());
        assert!(matches!(
            Expected::parse(&opt, "none").unwrap(),
            Expected::Exactly(Value::Option(None))
        ));
        assert!(Expected::parse(&opt, "some(_x)").is_err());
    }

    #[test]
    fn judging_uses_the_ensembles_equivalence() {
        let exact = Tolerance::default();
        let some = |x: f64| Value::Option(Some(Box::new(Value::F64(x))));
        assert_eq!(
            judge(&some(1e23), Some(&some(1e23)), true, &exact),
            Judgement::Right
        );
        // Floats compare by bits: -0.0 is not 0.0, and every NaN equals every NaN.
        assert_eq!(
            judge(&some(0.0), Some(&some(-0.0)), true, &exact),
            Judgement::AllAgreedWrong
        );
        assert_eq!(
            judge(
                &Value::F64(f64::NAN),
                Some(&Value::F64(-f64::NAN)),
                true,
                &exact
            ),
            Judgement::Right
        );
        assert_eq!(
            judge(&some(1.0), Some(&some(1.0 + f64::EPSILON)), false, &exact),
            Judgement::WrongVerdict
        );
        assert_eq!(judge(&some(1.0), None, false, &exact), Judgement::NoVerdict);
        // A declared tolerance applies to expected answers as to votes.
        let loose = Tolerance {
            abs: Some(1e-6),
            ..Tolerance::default()
        };
        assert_eq!(
            judge(&Value::F64(0.0), Some(&Value::F64(1.56e-9)), true, &loose),
            Judgement::Right
        );
        assert_eq!(
            judge(&Value::F64(0.0), Some(&Value::F64(1e-3)), true, &loose),
            Judgement::AllAgreedWrong
        );
        assert!(Judgement::NoVerdict.failed() && !Judgement::Right.failed());
    }

    #[test]
    fn each_outcome_is_judged_on_its_own() {
        let exact = Tolerance::default();
        let outs = [
            Outcome::Returned(Value::U32(3)),
            Outcome::Returned(Value::U32(4)),
            Outcome::TimedOut,
        ];
        assert_eq!(
            wrong_outcomes(&Expected::Exactly(Value::U32(3)), &outs, &exact),
            [false, true, true]
        );
    }
}

//! WAVE text: the `wasm-wave` traits on [`Value`] and [`ValueType`], so WAVE text
//! parses into and prints from them, and the parsing of calls' arguments.

use std::borrow::Cow;

use wasm_wave::wasm::{WasmType, WasmTypeKind, WasmValue, WasmValueError};

use super::data::{Value, ValueType};

impl WasmType for ValueType {
    fn kind(&self) -> WasmTypeKind {
        use ValueType as T;
        match self {
            T::Bool => WasmTypeKind::Bool,
            T::S8 => WasmTypeKind::S8,
            T::U8 => WasmTypeKind::U8,
            T::S16 => WasmTypeKind::S16,
            T::U16 => WasmTypeKind::U16,
            T::S32 => WasmTypeKind::S32,
            T::U32 => WasmTypeKind::U32,
            T::S64 => WasmTypeKind::S64,
            T::U64 => WasmTypeKind::U64,
            T::F32 => WasmTypeKind::F32,
            T::F64 => WasmTypeKind::F64,
            T::Char => WasmTypeKind::Char,
            T::String => WasmTypeKind::String,
            T::List(_) => WasmTypeKind::List,
            T::Record(_) => WasmTypeKind::Record,
            T::Tuple(_) => WasmTypeKind::Tuple,
            T::Variant(_) => WasmTypeKind::Variant,
            T::Enum(_) => WasmTypeKind::Enum,
            T::Option(_) => WasmTypeKind::Option,
            T::Result { .. } => WasmTypeKind::Result,
            T::Flags(_) => WasmTypeKind::Flags,
        }
    }
    fn list_element_type(&self) -> Option<Self> {
        match self {
            ValueType::List(t) => Some((**t).clone()),
            _ => None,
        }
    }
    fn record_fields(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Self)> + '_> {
        match self {
            ValueType::Record(fs) => {
                Box::new(fs.iter().map(|(n, t)| (Cow::from(n.as_str()), t.clone())))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
    fn tuple_element_types(&self) -> Box<dyn Iterator<Item = Self> + '_> {
        match self {
            ValueType::Tuple(ts) => Box::new(ts.iter().cloned()),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn variant_cases(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Option<Self>)> + '_> {
        match self {
            ValueType::Variant(cs) => {
                Box::new(cs.iter().map(|(n, t)| (Cow::from(n.as_str()), t.clone())))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
    fn enum_cases(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            ValueType::Enum(cs) => Box::new(cs.iter().map(|n| Cow::from(n.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn option_some_type(&self) -> Option<Self> {
        match self {
            ValueType::Option(t) => Some((**t).clone()),
            _ => None,
        }
    }
    fn result_types(&self) -> Option<(Option<Self>, Option<Self>)> {
        match self {
            ValueType::Result { ok, err } => {
                Some((ok.as_deref().cloned(), err.as_deref().cloned()))
            }
            _ => None,
        }
    }
    fn flags_names(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            ValueType::Flags(cs) => Box::new(cs.iter().map(|n| Cow::from(n.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
}

fn wrong(ty: &ValueType, what: &str) -> WasmValueError {
    WasmValueError::WrongValueType {
        ty: ty.to_string(),
        val: what.to_string(),
    }
}

impl WasmValue for Value {
    type Type = ValueType;

    fn kind(&self) -> WasmTypeKind {
        use Value as V;
        match self {
            V::Bool(_) => WasmTypeKind::Bool,
            V::S8(_) => WasmTypeKind::S8,
            V::U8(_) => WasmTypeKind::U8,
            V::S16(_) => WasmTypeKind::S16,
            V::U16(_) => WasmTypeKind::U16,
            V::S32(_) => WasmTypeKind::S32,
            V::U32(_) => WasmTypeKind::U32,
            V::S64(_) => WasmTypeKind::S64,
            V::U64(_) => WasmTypeKind::U64,
            V::F32(_) => WasmTypeKind::F32,
            V::F64(_) => WasmTypeKind::F64,
            V::Char(_) => WasmTypeKind::Char,
            V::String(_) => WasmTypeKind::String,
            V::Bytes(_) | V::List(_) => WasmTypeKind::List,
            V::Record(_) => WasmTypeKind::Record,
            V::Tuple(_) => WasmTypeKind::Tuple,
            V::Variant(..) => WasmTypeKind::Variant,
            V::Enum(_) => WasmTypeKind::Enum,
            V::Option(_) => WasmTypeKind::Option,
            V::Result(_) => WasmTypeKind::Result,
            V::Flags(_) => WasmTypeKind::Flags,
        }
    }
    fn make_bool(val: bool) -> Self {
        Value::Bool(val)
    }
    fn make_s8(val: i8) -> Self {
        Value::S8(val)
    }
    fn make_s16(val: i16) -> Self {
        Value::S16(val)
    }
    fn make_s32(val: i32) -> Self {
        Value::S32(val)
    }
    fn make_s64(val: i64) -> Self {
        Value::S64(val)
    }
    fn make_u8(val: u8) -> Self {
        Value::U8(val)
    }
    fn make_u16(val: u16) -> Self {
        Value::U16(val)
    }
    fn make_u32(val: u32) -> Self {
        Value::U32(val)
    }
    fn make_u64(val: u64) -> Self {
        Value::U64(val)
    }
    fn make_f32(val: f32) -> Self {
        Value::F32(val)
    }
    fn make_f64(val: f64) -> Self {
        Value::F64(val)
    }
    fn make_char(val: char) -> Self {
        Value::Char(val)
    }
    fn make_string(val: Cow<str>) -> Self {
        Value::String(val.into_owned())
    }
    fn make_list(
        ty: &ValueType,
        vals: impl IntoIterator<Item = Self>,
    ) -> Result<Self, WasmValueError> {
        match ty {
            ValueType::List(e) if **e == ValueType::U8 => vals
                .into_iter()
                .map(|v| match v {
                    Value::U8(b) => Ok(b),
                    _ => Err(wrong(e, "non-u8 element")),
                })
                .collect::<Result<Vec<u8>, _>>()
                .map(Value::Bytes),
            ValueType::List(_) => Ok(Value::List(vals.into_iter().collect())),
            _ => Err(wrong(ty, "list")),
        }
    }
    fn make_record<'a>(
        ty: &ValueType,
        fields: impl IntoIterator<Item = (&'a str, Self)>,
    ) -> Result<Self, WasmValueError> {
        let ValueType::Record(decl) = ty else {
            return Err(wrong(ty, "record"));
        };
        let mut given: Vec<(&str, Value)> = fields.into_iter().collect();
        let mut out = Vec::with_capacity(decl.len());
        for (name, _) in decl {
            let pos = given
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| WasmValueError::MissingField(name.clone()))?;
            out.push((name.clone(), given.swap_remove(pos).1));
        }
        if let Some((extra, _)) = given.first() {
            return Err(WasmValueError::UnknownField(extra.to_string()));
        }
        Ok(Value::Record(out))
    }
    fn make_tuple(
        ty: &ValueType,
        vals: impl IntoIterator<Item = Self>,
    ) -> Result<Self, WasmValueError> {
        let ValueType::Tuple(ts) = ty else {
            return Err(wrong(ty, "tuple"));
        };
        let vals: Vec<Value> = vals.into_iter().collect();
        if vals.len() != ts.len() {
            return Err(WasmValueError::WrongNumberOfTupleValues {
                want: ts.len(),
                got: vals.len(),
            });
        }
        Ok(Value::Tuple(vals))
    }
    fn make_variant(ty: &ValueType, case: &str, val: Option<Self>) -> Result<Self, WasmValueError> {
        let ValueType::Variant(cs) = ty else {
            return Err(wrong(ty, "variant"));
        };
        match cs.iter().find(|(n, _)| n == case) {
            None => Err(WasmValueError::UnknownCase(case.to_string())),
            Some((_, Some(_))) if val.is_none() => {
                Err(WasmValueError::MissingPayload(case.to_string()))
            }
            Some((_, None)) if val.is_some() => {
                Err(WasmValueError::UnexpectedPayload(case.to_string()))
            }
            Some(_) => Ok(Value::Variant(case.to_string(), val.map(Box::new))),
        }
    }
    fn make_enum(ty: &ValueType, case: &str) -> Result<Self, WasmValueError> {
        let ValueType::Enum(cs) = ty else {
            return Err(wrong(ty, "enum"));
        };
        if cs.iter().any(|c| c == case) {
            Ok(Value::Enum(case.to_string()))
        } else {
            Err(WasmValueError::UnknownCase(case.to_string()))
        }
    }
    fn make_option(_ty: &ValueType, val: Option<Self>) -> Result<Self, WasmValueError> {
        Ok(Value::Option(val.map(Box::new)))
    }
    fn make_result(
        _ty: &ValueType,
        val: Result<Option<Self>, Option<Self>>,
    ) -> Result<Self, WasmValueError> {
        Ok(Value::Result(
            val.map(|v| v.map(Box::new)).map_err(|v| v.map(Box::new)),
        ))
    }
    fn make_flags<'a>(
        ty: &ValueType,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, WasmValueError> {
        let ValueType::Flags(decl) = ty else {
            return Err(wrong(ty, "flags"));
        };
        let names: Vec<&str> = names.into_iter().collect();
        if let Some(bad) = names.iter().find(|n| !decl.iter().any(|d| d == *n)) {
            return Err(WasmValueError::UnknownCase(bad.to_string()));
        }
        Ok(Value::Flags(
            decl.iter()
                .filter(|d| names.contains(&d.as_str()))
                .cloned()
                .collect(),
        ))
    }
    fn unwrap_bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
    fn unwrap_s8(&self) -> i8 {
        if let Value::S8(v) = self { *v } else { 0 }
    }
    fn unwrap_s16(&self) -> i16 {
        if let Value::S16(v) = self { *v } else { 0 }
    }
    fn unwrap_s32(&self) -> i32 {
        if let Value::S32(v) = self { *v } else { 0 }
    }
    fn unwrap_s64(&self) -> i64 {
        if let Value::S64(v) = self { *v } else { 0 }
    }
    fn unwrap_u8(&self) -> u8 {
        if let Value::U8(v) = self { *v } else { 0 }
    }
    fn unwrap_u16(&self) -> u16 {
        if let Value::U16(v) = self { *v } else { 0 }
    }
    fn unwrap_u32(&self) -> u32 {
        if let Value::U32(v) = self { *v } else { 0 }
    }
    fn unwrap_u64(&self) -> u64 {
        if let Value::U64(v) = self { *v } else { 0 }
    }
    fn unwrap_f32(&self) -> f32 {
        if let Value::F32(v) = self { *v } else { 0.0 }
    }
    fn unwrap_f64(&self) -> f64 {
        if let Value::F64(v) = self { *v } else { 0.0 }
    }
    fn unwrap_char(&self) -> char {
        if let Value::Char(v) = self { *v } else { '\0' }
    }
    fn unwrap_string(&self) -> Cow<'_, str> {
        if let Value::String(v) = self {
            Cow::from(v.as_str())
        } else {
            Cow::from("")
        }
    }
    fn unwrap_list(&self) -> Box<dyn Iterator<Item = Cow<'_, Self>> + '_> {
        match self {
            Value::Bytes(b) => Box::new(b.iter().map(|b| Cow::Owned(Value::U8(*b)))),
            Value::List(v) => Box::new(v.iter().map(Cow::Borrowed)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn unwrap_record(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Cow<'_, Self>)> + '_> {
        match self {
            Value::Record(fs) => Box::new(
                fs.iter()
                    .map(|(n, v)| (Cow::from(n.as_str()), Cow::Borrowed(v))),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn unwrap_tuple(&self) -> Box<dyn Iterator<Item = Cow<'_, Self>> + '_> {
        match self {
            Value::Tuple(v) => Box::new(v.iter().map(Cow::Borrowed)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn unwrap_variant(&self) -> (Cow<'_, str>, Option<Cow<'_, Self>>) {
        match self {
            Value::Variant(n, v) => (Cow::from(n.as_str()), v.as_deref().map(Cow::Borrowed)),
            _ => (Cow::from(""), None),
        }
    }
    fn unwrap_enum(&self) -> Cow<'_, str> {
        if let Value::Enum(v) = self {
            Cow::from(v.as_str())
        } else {
            Cow::from("")
        }
    }
    fn unwrap_option(&self) -> Option<Cow<'_, Self>> {
        match self {
            Value::Option(v) => v.as_deref().map(Cow::Borrowed),
            _ => None,
        }
    }
    fn unwrap_result(&self) -> Result<Option<Cow<'_, Self>>, Option<Cow<'_, Self>>> {
        match self {
            Value::Result(Ok(v)) => Ok(v.as_deref().map(Cow::Borrowed)),
            Value::Result(Err(v)) => Err(v.as_deref().map(Cow::Borrowed)),
            _ => Ok(None),
        }
    }
    fn unwrap_flags(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Value::Flags(v) => Box::new(v.iter().map(|n| Cow::from(n.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// Why a WAVE text did not parse as the expected type.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct WaveError {
    /// What went wrong, with the offending text.
    pub message: String,
}

/// Parses one WAVE value of type `ty`.
///
/// # Errors
/// [`WaveError`] when `text` is not a WAVE value of that type.
pub fn parse_wave(ty: &ValueType, text: &str) -> Result<Value, WaveError> {
    wasm_wave::from_str::<Value>(ty, text).map_err(|e| WaveError {
        message: describe(&e, text, ty),
    })
}

/// Parses a comma-separated WAVE argument tuple (as written on a corpus line or
/// in a report's `shrunk_input`) against the parameter types.
///
/// # Errors
/// [`WaveError`] naming the argument that did not parse or the count mismatch.
pub fn parse_args(params: &[ValueType], text: &str) -> Result<Vec<Value>, WaveError> {
    if let [ValueType::List(e)] = params
        && **e == ValueType::U8
        && let Some(bytes) = plain_byte_list(text)
    {
        return Ok(vec![Value::Bytes(bytes)]);
    }
    let call = format!("f({text})");
    let shown = || clip_input(text);
    let parsed = wasm_wave::untyped::UntypedFuncCall::parse(&call).map_err(|e| WaveError {
        message: format!("{e} in `{}`", shown()),
    })?;
    let args = parsed
        .to_wasm_params::<Value>(params.iter())
        .map_err(|e| WaveError {
            message: format!("{e} in `{}` (expected {})", shown(), type_list(params)),
        })?;
    if args.len() != params.len() {
        return Err(WaveError {
            message: format!(
                "expected {} argument(s) ({}), got {} in `{}`",
                params.len(),
                type_list(params),
                args.len(),
                shown()
            ),
        });
    }
    Ok(args)
}

/// A `list<u8>` written plainly (`[1, 2, 255]`: decimal numbers, commas and
/// spaces only), read without building a syntax tree, whose nodes would take many
/// times the text's size for a list of millions of bytes. `None` for anything
/// else, which the general parser then reads (and reports errors of).
fn plain_byte_list(text: &str) -> Option<Vec<u8>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut out = Vec::with_capacity(inner.len() / 3);
    for item in inner.split(',') {
        let item = item.trim_matches(' ');
        let digits = item.bytes().all(|b| b.is_ascii_digit());
        if item.is_empty() || item.len() > 3 || !digits || (item.len() > 1 && item.starts_with('0'))
        {
            return None;
        }
        out.push(item.parse::<u8>().ok()?);
    }
    Some(out)
}

/// Prints arguments as WAVE text joined by `, `, the inverse of [`parse_args`].
pub fn args_to_wave(args: &[Value]) -> String {
    args.iter()
        .map(Value::to_wave)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes parameter types as `a, b, c`.
pub fn type_list(types: &[ValueType]) -> String {
    types
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(e: &wasm_wave::parser::ParserError, text: &str, ty: &ValueType) -> String {
    format!("{e} in `{}` (expected a {ty})", clip_input(text))
}

/// Most characters of an offending input an error message quotes.
const QUOTED_CHARS: usize = 160;

/// An input as quoted in an error message: control characters escaped, and cut to
/// its first [`QUOTED_CHARS`] characters with its full length noted, so a 100 KB
/// line does not flood the terminal.
pub fn clip_input(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == QUOTED_CHARS {
            out.push_str(&format!("… ({} bytes in all)", text.len()));
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

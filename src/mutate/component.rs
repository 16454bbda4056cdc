//! A variant's own code inside its component: finding the main core module (the
//! one with the most code at the top level; adapters and shims are small),
//! putting a mutated copy back with every other section copied raw, and validating.

use crate::cause::{BinaryFault, UsageError};
use crate::error::{Error, Result};

/// The preamble of a component binary (magic, version 0x0d, layer 1).
const COMPONENT: [u8; 8] = [0, b'a', b's', b'm', 0x0d, 0, 0x01, 0];
/// The preamble of a core module binary (magic, version 1).
const CORE: [u8; 8] = [0, b'a', b's', b'm', 0x01, 0, 0, 0];
/// Component section id of a nested core module.
const CORE_MODULE_SECTION: u8 = 1;

/// Where the main core module sits in a component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MainModule {
    /// Byte range of the module in the component (the section's contents), or the
    /// whole input when the input is a core module itself.
    pub range: std::ops::Range<usize>,
    /// How many core modules the component holds at its top level.
    pub modules: usize,
}

/// Reads an unsigned LEB128 `u32` at `*at`, advancing it.
fn read_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut result = 0u32;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        result |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(result);
        }
    }
    None
}

fn bad(fault: BinaryFault) -> Error {
    Error::Usage(UsageError::Binary(fault))
}

/// The top-level sections of a component: `(id, contents range)`.
fn sections(bytes: &[u8]) -> Result<Vec<(u8, std::ops::Range<usize>)>> {
    let mut out = Vec::new();
    let mut at = COMPONENT.len();
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let size = read_u32(bytes, &mut at).ok_or_else(|| bad(BinaryFault::TruncatedSection))?;
        let end = at
            .checked_add(size as usize)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| bad(BinaryFault::SectionPastEnd))?;
        out.push((id, at..end));
        at = end;
    }
    Ok(out)
}

/// The size of a core module's code section (0 when it has none or does not parse).
fn code_size(module: &[u8]) -> usize {
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        match payload {
            Ok(wasmparser::Payload::CodeSectionStart { size, .. }) => return size as usize,
            Ok(_) => {}
            Err(_) => return 0,
        }
    }
    0
}

/// Finds the main core module of `bytes`: the top-level core module of a component
/// with the most code (a module that is mostly data, such as a pre-initialized
/// heap image, is passed over), or the whole input when it is a core module.
///
/// # Errors
/// [`Error::Usage`] when `bytes` is neither a component nor a core module, or a
/// component without a core module.
pub fn main_module(bytes: &[u8]) -> Result<MainModule> {
    if bytes.starts_with(&CORE) {
        return Ok(MainModule {
            range: 0..bytes.len(),
            modules: 1,
        });
    }
    if !bytes.starts_with(&COMPONENT) {
        return Err(bad(BinaryFault::NotWasm));
    }
    let modules: Vec<_> = sections(bytes)?
        .into_iter()
        .filter(|(id, _)| *id == CORE_MODULE_SECTION)
        .map(|(_, r)| r)
        .collect();
    let range = modules
        .iter()
        .max_by_key(|r| {
            (
                code_size(&bytes[(*r).clone()]),
                r.len(),
                std::cmp::Reverse(r.start),
            )
        })
        .cloned()
        .ok_or_else(|| bad(BinaryFault::NoCoreModule))?;
    Ok(MainModule {
        range,
        modules: modules.len(),
    })
}

/// `bytes` with the module at `main` replaced by `module`; every other section is
/// copied as it is.
///
/// # Errors
/// [`Error::Usage`] when `bytes` cannot be split into sections.
pub fn replace_module(bytes: &[u8], main: &MainModule, module: &[u8]) -> Result<Vec<u8>> {
    if main.range == (0..bytes.len()) && bytes.starts_with(&CORE) {
        return Ok(module.to_vec());
    }
    let mut out = wasm_encoder::Component::new();
    for (id, range) in sections(bytes)? {
        let data = if range == main.range {
            module
        } else {
            &bytes[range]
        };
        out.section(&wasm_encoder::RawSection { id, data });
    }
    Ok(out.finish())
}

/// Validates a component (or core module) with every feature wasmparser knows;
/// the engine still decides what it runs.
///
/// # Errors
/// [`Error::Usage`] with the validator's message.
pub fn validate(bytes: &[u8]) -> Result<()> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| bad(BinaryFault::Invalid(e)))
}

/// The binary of a variant's module: as it is, or assembled when it is text
/// (hand-written `.wat` components).
///
/// # Errors
/// [`Error::Usage`] when text does not assemble.
pub fn binary(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    wat::parse_bytes(bytes).map_err(|e| bad(BinaryFault::Text(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled(path: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
    }

    #[test]
    fn unchanged_re_encode_is_byte_identical_and_valid() {
        for path in [
            "wasm-modules/crc32/c-table.wasm",
            "wasm-modules/crc32/rust-slice8.wasm",
            "wasm-modules/sha256/zig-unrolled.wasm",
        ] {
            let bytes = bundled(path);
            let main = main_module(&bytes).unwrap();
            assert!(main.modules >= 1, "{path}");
            let module = bytes[main.range.clone()].to_vec();
            assert!(
                module.starts_with(&CORE),
                "{path}: main module is a core module"
            );
            let again = replace_module(&bytes, &main, &module).unwrap();
            assert_eq!(again, bytes, "{path}");
            validate(&again).unwrap();
        }
    }

    #[test]
    fn the_main_module_is_the_largest_and_a_replacement_lands_there() {
        let bytes = bundled("wasm-modules/crc32/zig-bitwise.wasm");
        let main = main_module(&bytes).unwrap();
        let sizes: Vec<usize> = sections(&bytes)
            .unwrap()
            .into_iter()
            .filter(|(id, _)| *id == CORE_MODULE_SECTION)
            .map(|(_, r)| r.len())
            .collect();
        assert_eq!(main.range.len(), *sizes.iter().max().unwrap());
        assert_eq!(main.modules, sizes.len());
        let module = &bytes[main.range.clone()];
        let sites = crate::mutate::operator::sites(module).unwrap();
        let mutant = sites.mutants.first().unwrap();
        let changed = crate::mutate::operator::apply(module, mutant).unwrap();
        let out = replace_module(&bytes, &main, &changed).unwrap();
        validate(&out).unwrap();
        let again = main_module(&out).unwrap();
        assert_eq!(&out[again.range], changed.as_slice());
    }

    #[test]
    fn a_module_that_is_mostly_data_is_passed_over() {
        // componentize-py puts a pre-initialized heap image in its largest module;
        // the interpreter's code is in another.
        let bytes = bundled("wasm-modules/parse-f64/py-float.wasm");
        let main = main_module(&bytes).unwrap();
        let modules: Vec<_> = sections(&bytes)
            .unwrap()
            .into_iter()
            .filter(|(id, _)| *id == CORE_MODULE_SECTION)
            .map(|(_, r)| r)
            .collect();
        let largest = modules.iter().map(|r| r.len()).max().unwrap();
        assert!(main.range.len() < largest);
        let code = code_size(&bytes[main.range.clone()]);
        assert!(modules.iter().all(|r| code_size(&bytes[r.clone()]) <= code));
    }

    #[test]
    fn text_and_garbage() {
        let text = b"(component (core module (func)))";
        let bin = binary(text).unwrap();
        assert!(main_module(&bin).is_ok());
        assert!(main_module(b"hello world, not wasm").is_err());
        assert!(
            binary(b"(component (core module (func (i32.add))))")
                .is_ok_and(|b| validate(&b).is_err())
        );
    }
}

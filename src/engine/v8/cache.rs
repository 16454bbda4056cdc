//! The transpile cache: jco's output for a component, one checked file per
//! component under `<cache>/v8/` (the trust model of the compile cache).

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::toolchain::{HOST_JS, JCO_VERSION, MAGIC, Toolchain, private_folder};

/// jco's output for `binary` (SHA-256 `sha`), from the cache when a sound entry
/// is there, else transpiled now (and cached).
pub(super) fn transpiled(
    tools: &Toolchain,
    binary: &[u8],
    sha: &str,
    warnings: &mut Vec<String>,
) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let key = cache_key(binary);
    // The same folder and trust model as the compile cache: a folder others may
    // write is not used.
    let entry = crate::cache::cache_dir().and_then(|d| match crate::cache::usable_dir(&d, "v8") {
        Ok(()) => Some(
            d.join("v8")
                .join(format!("{sha}-jco{JCO_VERSION}-{}.nvxjs", &key[..16])),
        ),
        Err(why) => {
            warnings.push(format!(
                "not using the transpile cache {}: {why}",
                d.display()
            ));
            None
        }
    });
    if let Some(path) = &entry
        && path.exists()
    {
        match read_entry(path, &key) {
            Ok(files) => return Ok(files),
            Err(why) => {
                warnings.push(format!(
                    "refused the transpile cache entry {} ({why}); transpiling again",
                    path.display()
                ));
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let files = transpile(tools, binary)?;
    if let Some(path) = &entry
        && let Err(e) = write_entry(path, &key, &files)
    {
        warnings.push(format!(
            "could not write the transpile cache entry {}: {e}",
            path.display()
        ));
    }
    Ok(files)
}

/// What an entry is keyed on: the component, the jco version and the Node side
/// of the engine, as hex.
fn cache_key(binary: &[u8]) -> String {
    let mut d = Sha256::new();
    d.update(binary);
    d.update(JCO_VERSION.as_bytes());
    d.update(HOST_JS.as_bytes());
    d.update(env!("CARGO_PKG_VERSION").as_bytes());
    format!("{:x}", d.finalize())
}

fn transpile(
    tools: &Toolchain,
    binary: &[u8],
) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let work = private_folder().map_err(|e| e.to_string())?;
    let input = work.0.join("component.wasm");
    let out = work.0.join("out");
    std::fs::write(&input, binary).map_err(|e| e.to_string())?;
    std::fs::write(work.0.join("host.mjs"), HOST_JS).map_err(|e| e.to_string())?;
    let run = Command::new(&tools.node)
        .arg("--no-warnings")
        .arg(work.0.join("host.mjs"))
        .arg("transpile")
        .arg(&tools.jco_api)
        .arg(&input)
        .arg(&out)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run Node.js: {e}"))?;
    if !run.status.success() {
        let err = String::from_utf8_lossy(&run.stderr);
        let last: Vec<&str> = err
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(6)
            .collect();
        return Err(last.join(" / "));
    }
    let listing: Json = serde_json::from_slice(&run.stdout).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for name in listing["files"].as_array().into_iter().flatten() {
        let name = name.as_str().ok_or("a file name that is not text")?;
        if name.contains("..") || name.starts_with('/') {
            return Err(format!("jco wrote outside its folder: {name}"));
        }
        let data = std::fs::read(out.join(name)).map_err(|e| e.to_string())?;
        files.push((name.to_string(), data));
    }
    if !files.iter().any(|(n, _)| n == "component.js") {
        return Err("jco wrote no component.js".into());
    }
    files.sort();
    Ok(files)
}

/// Entry layout: MAGIC, the 64-byte hex key, a u32 file count, then per file a
/// u32 name length, the name, a u64 data length and the data; then the SHA-256
/// of everything before it.
fn encode_entry(key: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&(files.len() as u32).to_le_bytes());
    for (name, data) in files {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(data);
    }
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

fn decode_entry(bytes: &[u8], key: &str) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    if bytes.len() < MAGIC.len() + 64 + 4 + 32 {
        return Err("too short".into());
    }
    let (body, digest) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != digest {
        return Err("its checksum does not match (a torn write or a changed file)".into());
    }
    if &body[..8] != MAGIC {
        return Err("not a transpile cache entry".into());
    }
    if &body[8..72] != key.as_bytes() {
        return Err("it was made from another component or jco".into());
    }
    let mut at = 72;
    let mut take = |n: usize| -> std::result::Result<&[u8], String> {
        let s = body.get(at..at + n).ok_or("truncated")?;
        at += n;
        Ok(s)
    };
    let count = u32::from_le_bytes(take(4)?.try_into().map_err(|_| "truncated")?);
    let mut files = Vec::new();
    for _ in 0..count {
        let n = u32::from_le_bytes(take(4)?.try_into().map_err(|_| "truncated")?) as usize;
        let name =
            String::from_utf8(take(n)?.to_vec()).map_err(|_| "a file name that is not UTF-8")?;
        if name.contains("..") || name.starts_with('/') {
            return Err(format!("a file name outside its folder: {name}"));
        }
        let len = u64::from_le_bytes(take(8)?.try_into().map_err(|_| "truncated")?);
        let data = take(usize::try_from(len).map_err(|_| "too large")?)?.to_vec();
        files.push((name, data));
    }
    Ok(files)
}

fn read_entry(path: &Path, key: &str) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    decode_entry(&bytes, key)
}

fn write_entry(path: &Path, key: &str, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    crate::cache::write_whole(path, &encode_entry(key, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_entries_round_trip_and_refuse_tampering() {
        let files = vec![
            ("component.js".to_string(), b"export {}".to_vec()),
            ("component.core.wasm".to_string(), vec![0, 97, 115, 109]),
        ];
        let key = "a".repeat(64);
        let bytes = encode_entry(&key, &files);
        assert_eq!(decode_entry(&bytes, &key).unwrap(), files);
        assert!(decode_entry(&bytes, &"b".repeat(64)).is_err());
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert!(
            decode_entry(&flipped, &key)
                .unwrap_err()
                .contains("checksum")
        );
        assert!(decode_entry(&bytes[..bytes.len() - 1], &key).is_err());
    }
}

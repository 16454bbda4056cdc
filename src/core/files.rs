//! Reading user-supplied files safely: only regular files, and never more than a
//! stated size, so a FIFO, a device such as `/dev/zero`, or a huge file gives a
//! clear error instead of a hang or unbounded memory.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Largest manifest or WIT file nvx reads.
pub const MAX_TEXT_BYTES: u64 = 4 << 20;
/// Largest component nvx reads.
pub const MAX_MODULE_BYTES: u64 = 512 << 20;
/// Largest corpus file nvx reads.
pub const MAX_CORPUS_BYTES: u64 = 1 << 30;

fn io_error(path: &Path, kind: std::io::ErrorKind, message: String) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(kind, message),
    }
}

/// Checks that `path` is a regular file (after following symlinks) of at most
/// `max` bytes, without opening it (opening a FIFO would block).
///
/// # Errors
/// [`Error::Io`] naming the path: missing, not a regular file, or too large.
pub fn check_regular(path: &Path, max: u64) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Err(io_error(
            path,
            std::io::ErrorKind::InvalidInput,
            format!("it is {what}"),
        ));
    }
    if meta.len() > max {
        return Err(io_error(
            path,
            std::io::ErrorKind::InvalidData,
            format!(
                "it is {} bytes, more than the {} MiB nvx reads",
                meta.len(),
                max >> 20
            ),
        ));
    }
    Ok(())
}

/// Reads a regular file of at most `max` bytes.
///
/// # Errors
/// As [`check_regular`], or the read error, naming the path.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>> {
    check_regular(path, max)?;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut out = Vec::new();
    // The file may have grown since it was checked: never read past the limit.
    file.take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(io)?;
    if out.len() as u64 > max {
        return Err(io_error(
            path,
            std::io::ErrorKind::InvalidData,
            format!("it grew past the {} MiB nvx reads", max >> 20),
        ));
    }
    Ok(out)
}

/// Reads a regular UTF-8 text file of at most `max` bytes.
///
/// # Errors
/// As [`read_regular`], or invalid UTF-8, naming the path.
pub fn read_text(path: &Path, max: u64) -> Result<String> {
    let bytes = read_regular(path, max)?;
    String::from_utf8(bytes).map_err(|e| {
        io_error(
            path,
            std::io::ErrorKind::InvalidData,
            format!("it is not UTF-8 text ({e})"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_regular(&f, 5).unwrap(), b"12345");
        let e = read_regular(&f, 4).unwrap_err().to_string();
        assert!(e.contains("cannot read"), "{e}");
        assert!(read_regular(dir.path(), 100).is_err());
        assert!(read_regular(&dir.path().join("missing"), 100).is_err());
        #[cfg(target_os = "linux")]
        {
            let z = read_regular(Path::new("/dev/zero"), 100).unwrap_err();
            let chain = format!("{z}: {}", std::error::Error::source(&z).unwrap());
            assert!(chain.contains("not a regular file"), "{chain}");
        }
        std::fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(read_text(&f, 10).is_err());
    }
}

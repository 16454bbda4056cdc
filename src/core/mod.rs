//! The pure core of nvx: values and their WAVE text, outcomes, the vote and its
//! policies, manifests and WIT signatures, expected answers, the crash-safe
//! journal, errors and exit codes. It uses no other part of nvx and no
//! WebAssembly runtime.

pub mod cause;
pub mod diversity;
pub mod error;
pub mod exit;
pub mod expect;
pub mod files;
pub mod journal;
pub mod manifest;
pub mod outcome;
pub mod value;
pub mod votable;
pub mod vote;
pub mod wit;

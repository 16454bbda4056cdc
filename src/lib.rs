//! nvx runs independently written WebAssembly variants of one function on the same
//! inputs and votes on their results.

pub mod value;

//! Why a variant's module was refused: not a well-formed component (or a core
//! module that cannot be wrapped into one), or a component that does not
//! implement the ensemble's world.

use std::path::PathBuf;

use super::chain::{BoxedError, Chain};

/// Why a module is not a WebAssembly component nvx can run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModuleProblem {
    /// A binary file without the WebAssembly magic bytes.
    #[error(
        "does not start with the WebAssembly magic bytes `\\0asm` (a .wat text file must be named *.wat)"
    )]
    NoMagic,
    /// A core module where a component is needed.
    #[error(
        "is a core WebAssembly module, not a component; `nvx add` wraps a core module into a component"
    )]
    CoreModule,
    /// A `.wat` file that does not assemble.
    #[error("{0}")]
    Text(#[source] wat::Error),
    /// The binary does not parse.
    #[error("{0}")]
    Binary(#[source] wasmparser::BinaryReaderError),
    /// The component's WIT could not be decoded.
    #[error("{}", Chain(&**.0))]
    Decode(#[source] BoxedError),
    /// A WIT package where a component is needed.
    #[error("is a WIT package, not a component")]
    WitPackage,
    /// The component uses the component-model async ABI.
    #[error(
        "uses the component-model async ABI, which nvx does not run (wasmtime 48 supports it only as an unstable feature); rebuild it for the synchronous ABI (componentize-qjs: `--sync`). wasmtime said: {}",
        Chain(&**.0)
    )]
    AsyncAbi(#[source] BoxedError),
    /// Cranelift could not compile the component.
    #[error("{}", Chain(&**.0))]
    Compile(#[source] BoxedError),
    /// Another compiler could not compile the component.
    #[error("the {compiler} engine cannot compile it: {}", Chain(&**source))]
    CompileOn {
        /// The compiler.
        compiler: &'static str,
        /// wasmtime's error.
        #[source]
        source: BoxedError,
    },
    /// The component could not be linked with the WASI profile or pre-instantiated.
    #[error("{}", Chain(&**.0))]
    Link(#[source] BoxedError),
    /// jco could not transpile the component for the v8 engine.
    #[error("jco {version} cannot transpile it: {why}")]
    Transpile {
        /// jco's version.
        version: &'static str,
        /// jco's message.
        why: String,
    },
    /// A core module jco made could not be given the memory cap.
    #[error("a core module jco made ({name}): {why}")]
    Transpiled {
        /// The file jco wrote.
        name: String,
        /// What is wrong with it.
        why: String,
    },
    /// The WIT for wrapping a core module did not parse.
    #[error("reading {}: {}", wit.display(), Chain(&**source))]
    WrapWit {
        /// The WIT file.
        wit: PathBuf,
        /// wit-parser's error.
        #[source]
        source: BoxedError,
    },
    /// The world to wrap a core module for is not in the WIT.
    #[error("{}", Chain(&**.0))]
    WrapWorld(#[source] BoxedError),
    /// The core module to wrap does not parse.
    #[error("not a valid core module: {0}")]
    NotCore(#[source] wasmparser::BinaryReaderError),
    /// The world could not be embedded in the core module.
    #[error("embedding the world: {}", Chain(&**.0))]
    Embed(#[source] BoxedError),
    /// The core module does not fit the world's canonical ABI.
    #[error("{}", Chain(&**.0))]
    Encode(#[source] BoxedError),
    /// The WASI preview1 adapter could not be added.
    #[error("adding the WASI preview1 adapter: {}", Chain(&**.0))]
    Adapter(#[source] BoxedError),
    /// The component could not be encoded.
    #[error("wrapping into a component: {}", Chain(&**.0))]
    Wrap(#[source] BoxedError),
    /// The module could not be taken apart for mutation testing.
    #[error("{0}")]
    Mutation(#[source] BoxedError),
}

/// Why a component does not implement the ensemble's world.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorldProblem {
    /// Imports outside the deterministic WASI profile.
    #[error(
        "imports {} that nvx does not provide: a variant may import only WASI 0.2.0 to 0.2.{newest_patch} (cli, clocks, filesystem, io, random, sockets, http)",
        quoted(imports)
    )]
    ImportsOutsideWasi {
        /// Every refused import.
        imports: Vec<String>,
        /// The newest WASI 0.2 patch release provided.
        newest_patch: u64,
    },
    /// Any import, in an ensemble with `wasi = false`.
    #[error(
        "imports {}; this ensemble sets `wasi = false`, so variants must import nothing",
        quoted(imports)
    )]
    ImportsWithoutWasi {
        /// Every import.
        imports: Vec<String>,
    },
    /// The world's function is exported as something else.
    #[error("exports `{function}` but not as a function")]
    NotAFunction {
        /// The function.
        function: String,
    },
    /// The world's function is not exported.
    #[error("does not export function `{function}` ({signature})")]
    MissingFunction {
        /// The function.
        function: String,
        /// Its signature in the world.
        signature: String,
    },
    /// The function is exported with another type.
    #[error(
        "function `{function}` has the wrong type: the world says {want}, the component exports {got}"
    )]
    WrongType {
        /// The function.
        function: String,
        /// Its signature in the world.
        want: String,
        /// The exported signature.
        got: String,
    },
    /// The export could not be found by index after type-checking.
    #[error("export `{function}` cannot be looked up")]
    NoIndex {
        /// The function.
        function: String,
    },
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

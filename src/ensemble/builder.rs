//! Building an ensemble from a manifest, WIT and modules held in memory, for
//! programs that embed their variants instead of reading a folder.

use crate::engine::EngineKind;
use crate::error::{Error, Result};
use crate::manifest::Manifest;

use super::Ensemble;

impl Ensemble {
    /// A builder for an ensemble whose manifest, WIT and modules are in memory (for
    /// example embedded with `include_str!` and `include_bytes!`), checked exactly
    /// as [`Ensemble::open`] checks files.
    pub fn builder() -> EnsembleBuilder {
        EnsembleBuilder::default()
    }
}

/// Builds an [`Ensemble`] from a manifest, WIT and modules held in memory; see
/// [`Ensemble::builder`].
///
/// ```no_run
/// # fn main() -> Result<(), nvx::Error> {
/// let crc32 = nvx::Ensemble::builder()
///     .origin("embedded/crc32")
///     .manifest(include_str!("../../wasm-modules/crc32/nvx.toml"))
///     .wit(include_str!("../../wasm-modules/crc32/crc32.wit"))
///     .module("c-table.wasm", include_bytes!("../../wasm-modules/crc32/c-table.wasm").as_slice())
///     // ... one `module` per variant of the manifest
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct EnsembleBuilder {
    origin: Option<std::path::PathBuf>,
    manifest: Option<String>,
    wit: Option<String>,
    modules: Vec<(std::path::PathBuf, Vec<u8>)>,
    engines: Option<Vec<EngineKind>>,
    parallelism: Option<usize>,
}

impl EnsembleBuilder {
    /// The name errors and reports give the ensemble's folder (default `<embedded>`);
    /// nothing is read from it.
    pub fn origin(mut self, origin: impl Into<std::path::PathBuf>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// The manifest's text (`nvx.toml`).
    pub fn manifest(mut self, text: impl Into<String>) -> Self {
        self.manifest = Some(text.into());
        self
    }

    /// The text of the WIT file the manifest names (one package, no dependencies).
    pub fn wit(mut self, text: impl Into<String>) -> Self {
        self.wit = Some(text.into());
        self
    }

    /// The bytes of the module the manifest gives as `path` for a variant. Each is
    /// checked against the manifest's SHA-256 like a file.
    pub fn module(
        mut self,
        path: impl Into<std::path::PathBuf>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        self.modules.push((path.into(), bytes.into()));
        self
    }

    /// The engines, instead of the manifest's `engines`.
    pub fn engines(mut self, engines: &[EngineKind]) -> Self {
        self.engines = Some(engines.to_vec());
        self
    }

    /// The most threads a synchronous call runs the variants on, instead of the
    /// number of cores; see [`Ensemble::set_parallelism`].
    pub fn parallelism(mut self, threads: usize) -> Self {
        self.parallelism = Some(threads);
        self
    }

    /// Checks and compiles everything, as [`Ensemble::open`] does.
    ///
    /// # Errors
    /// [`Error::Usage`] when the manifest or WIT is missing, or a module is missing
    /// for a variant, given twice or named by no variant; otherwise as
    /// [`Ensemble::open`], naming `origin/<path>`.
    pub fn build(self) -> Result<Ensemble> {
        let origin = self
            .origin
            .unwrap_or_else(|| std::path::PathBuf::from("<embedded>"));
        let usage = |problem: crate::cause::BuilderProblem| {
            Error::Usage(crate::cause::UsageError::Builder {
                origin: origin.clone(),
                problem,
            })
        };
        let text = self
            .manifest
            .ok_or_else(|| usage(crate::cause::BuilderProblem::NoManifest))?;
        let wit = self
            .wit
            .ok_or_else(|| usage(crate::cause::BuilderProblem::NoWit))?;
        if let Some(e) = &self.engines {
            EngineKind::check_given(e)?;
        }
        let manifest = Manifest::from_toml(&origin, &text)?;
        let funcs = crate::wit::load_world_text(
            &origin.join(&manifest.ensemble.wit),
            &wit,
            manifest.ensemble.world.as_deref(),
        )?;
        let mut given = self.modules;
        for (i, (p, _)) in given.iter().enumerate() {
            if given[..i].iter().any(|(q, _)| q == p) {
                return Err(usage(crate::cause::BuilderProblem::ModuleTwice {
                    path: p.clone(),
                }));
            }
            if !manifest.variants.iter().any(|v| &v.path == p) {
                return Err(usage(crate::cause::BuilderProblem::StrayModule {
                    path: p.clone(),
                }));
            }
        }
        let mut modules = Vec::with_capacity(manifest.variants.len());
        for v in &manifest.variants {
            let at = given
                .iter()
                .position(|(p, _)| p == &v.path)
                .ok_or_else(|| {
                    usage(crate::cause::BuilderProblem::MissingModule {
                        variant: v.name.clone(),
                        path: v.path.clone(),
                    })
                })?;
            let (path, bytes) = given.swap_remove(at);
            if bytes.len() as u64 > crate::files::MAX_MODULE_BYTES {
                return Err(usage(crate::cause::BuilderProblem::TooLarge {
                    path,
                    max: crate::files::MAX_MODULE_BYTES,
                }));
            }
            modules.push((origin.join(path), bytes));
        }
        let mut ensemble = Ensemble::assemble(manifest, funcs, self.engines.as_deref(), modules)?;
        if let Some(threads) = self.parallelism {
            ensemble.set_parallelism(threads);
        }
        Ok(ensemble)
    }
}

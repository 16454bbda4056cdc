//! The WASI profile variants run under: WASI 0.2 without ambient authority and
//! without nondeterminism, so that two runs of the same input never differ.
//!
//! A variant sees no files, environment, arguments or network, an empty stdin,
//! a wall clock fixed at [`WALL_CLOCK_SECONDS`], a monotonic clock that starts at 0
//! and advances [`MONOTONIC_STEP_NS`] per reading (sleeping advances it instead of
//! waiting), and random bytes from a constant-seeded generator. Its stdout and
//! stderr are captured up to `output-kib` each. `wasi:http` requests are refused.
//! The full profile is documented in `docs/reference.md`.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use wasmtime::component::{Linker, Resource, ResourceTable};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{DynPollable, OutputStream, Pollable, StreamResult, subscribe};
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpHooks};

use crate::cause::WorldProblem;

/// The instant the wall clock shows, in seconds since the Unix epoch:
/// 2000-01-01T00:00:00Z.
pub const WALL_CLOCK_SECONDS: u64 = 946_684_800;
/// How far the monotonic clock advances on each reading, in nanoseconds.
pub const MONOTONIC_STEP_NS: u64 = 1_000;
/// Seed of the generator behind `wasi:random/random`.
pub const SECURE_RANDOM_SEED: u64 = 0x6e76_785f_7365_6375; // "nvx_secu"
/// Seed of the generator behind `wasi:random/insecure`.
pub const INSECURE_RANDOM_SEED: u64 = 0x6e76_785f_696e_7365; // "nvx_inse"
/// What `wasi:random/insecure-seed` returns.
pub const INSECURE_SEED: u128 = 0x6e76_785f_7365_6564_5f76_616c_7565_2121;

/// The newest WASI 0.2 minor release provided; imports of `0.2.0` up to this one load.
pub const WASI_PATCH_MAX: u64 = 12;

/// The WASI interfaces provided, as `package/interface` without a version.
pub const INTERFACES: &[&str] = &[
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:clocks/monotonic-clock",
    "wasi:clocks/wall-clock",
    "wasi:filesystem/types",
    "wasi:filesystem/preopens",
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
    "wasi:sockets/network",
    "wasi:sockets/instance-network",
    "wasi:sockets/ip-name-lookup",
    "wasi:sockets/tcp",
    "wasi:sockets/tcp-create-socket",
    "wasi:sockets/udp",
    "wasi:sockets/udp-create-socket",
    "wasi:http/types",
    "wasi:http/outgoing-handler",
];

/// Whether an import name (`wasi:cli/stdout@0.2.9`) is in the profile.
pub fn provides(import: &str) -> bool {
    let Some((iface, version)) = import.split_once('@') else {
        return false;
    };
    if !INTERFACES.contains(&iface) {
        return false;
    }
    let mut parts = version.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("0"), Some("2"), Some(patch), None)
            if patch.parse::<u64>().is_ok_and(|p| p <= WASI_PATCH_MAX)
    )
}

/// Output captured from one stream: the first `cap` bytes, and how many more
/// were written and dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captured {
    /// The bytes kept.
    pub bytes: Vec<u8>,
    /// Bytes written past the cap and dropped.
    pub dropped: u64,
}

impl Captured {
    /// The kept bytes as text (invalid UTF-8 replaced), with a note when some were
    /// dropped; empty when nothing was written.
    pub fn text(&self) -> String {
        let mut s = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.dropped > 0 {
            s.push_str(&format!(
                "\n[{} more bytes dropped at the output limit]",
                self.dropped
            ));
        }
        s
    }
}

/// A stdout or stderr that keeps what the guest writes, up to a cap, and never
/// fails: output beyond the cap is counted and dropped, so logging cannot change
/// a variant's result.
#[derive(Clone)]
struct Capture {
    cap: usize,
    buf: Arc<Mutex<Captured>>,
}

impl Capture {
    fn new(cap: usize) -> Capture {
        Capture {
            cap,
            buf: Arc::new(Mutex::new(Captured::default())),
        }
    }

    fn push(&self, bytes: &[u8]) {
        let Ok(mut b) = self.buf.lock() else {
            return;
        };
        let room = self.cap.saturating_sub(b.bytes.len());
        let keep = room.min(bytes.len());
        b.bytes.extend_from_slice(&bytes[..keep]);
        b.dropped = b.dropped.saturating_add((bytes.len() - keep) as u64);
    }

    fn take(&self) -> Captured {
        self.buf
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

impl OutputStream for Capture {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.push(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 * 1024)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for Capture {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for Capture {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.push(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// The wall clock: always [`WALL_CLOCK_SECONDS`].
struct FixedWallClock;

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(MONOTONIC_STEP_NS)
    }

    fn now(&self) -> Duration {
        Duration::from_secs(WALL_CLOCK_SECONDS)
    }
}

/// The monotonic clock: a counter that starts at 0, advances one step per reading
/// and jumps forward when the guest sleeps.
#[derive(Clone, Default)]
struct VirtualClock(Arc<AtomicU64>);

impl VirtualClock {
    fn advance_to(&self, t: u64) {
        self.0.fetch_max(t, Ordering::Relaxed);
    }

    fn advance_by(&self, d: u64) {
        let now = self.0.load(Ordering::Relaxed);
        self.advance_to(now.saturating_add(d));
    }
}

impl HostMonotonicClock for VirtualClock {
    fn resolution(&self) -> u64 {
        MONOTONIC_STEP_NS
    }

    fn now(&self) -> u64 {
        self.0
            .fetch_add(MONOTONIC_STEP_NS, Ordering::Relaxed)
            .saturating_add(MONOTONIC_STEP_NS)
    }
}

/// A pollable that is ready at once: what a sleep becomes.
struct Ready;

#[wasmtime_wasi::async_trait]
impl Pollable for Ready {
    async fn ready(&mut self) {}
}

/// SplitMix64: small, fast, and the same on every machine.
struct SplitMix64(u64);

impl rand_core::TryRng for SplitMix64 {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Ok(z ^ (z >> 31))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let w = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

/// Refuses every outgoing HTTP request.
struct NoNetwork;

impl WasiHttpHooks for NoNetwork {
    fn send_request(
        &mut self,
        _request: http::Request<wasmtime_wasi_http::WasiBody>,
        _options: Option<wasmtime_wasi_http::RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<wasmtime_wasi_http::WasiBody>,
                        Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
                    ),
                    wasmtime_wasi_http::Error,
                >,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

/// The WASI state of one call.
pub(crate) struct Sandbox {
    ctx: WasiCtx,
    table: ResourceTable,
    http: WasiHttpCtx,
    hooks: NoNetwork,
    stdout: Capture,
    stderr: Capture,
    clock: VirtualClock,
}

impl Sandbox {
    /// A fresh sandbox whose stdout and stderr each keep up to `cap` bytes.
    pub(crate) fn new(cap: usize) -> Sandbox {
        let stdout = Capture::new(cap);
        let stderr = Capture::new(cap);
        let clock = VirtualClock::default();
        let mut b = WasiCtxBuilder::new();
        b.stdout(stdout.clone())
            .stderr(stderr.clone())
            .wall_clock(FixedWallClock)
            .monotonic_clock(clock.clone())
            .secure_random(SplitMix64(SECURE_RANDOM_SEED))
            .insecure_random(SplitMix64(INSECURE_RANDOM_SEED))
            .insecure_random_seed(INSECURE_SEED)
            .allow_ip_name_lookup(false)
            .allow_tcp(false)
            .allow_udp(false);
        Sandbox {
            ctx: b.build(),
            table: ResourceTable::new(),
            http: WasiHttpCtx::new(),
            hooks: NoNetwork,
            stdout,
            stderr,
            clock,
        }
    }

    /// What the guest wrote to stdout and stderr.
    pub(crate) fn take_output(&self) -> (Captured, Captured) {
        (self.stdout.take(), self.stderr.take())
    }
}

/// Store data that can hand out its sandbox.
pub(crate) trait HasSandbox:
    wasmtime_wasi::WasiView + wasmtime_wasi_http::WasiHttpView + Send + 'static
{
    /// The sandbox of this store.
    fn sandbox(&mut self) -> &mut Sandbox;
}

impl Sandbox {
    /// The view wasmtime-wasi works through.
    pub(crate) fn wasi_view(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }

    /// The view wasmtime-wasi-http works through.
    pub(crate) fn http_view(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        wasmtime_wasi_http::WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// Adds the profile to `linker`.
///
/// # Errors
/// A wasmtime error if the bindings cannot be added (a version clash).
pub(crate) fn add_to_linker<T: HasSandbox>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    // `exit-with-code` is part of wasi:cli/exit since 0.2.12, so it is linked too.
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_sync(linker)?;
    // Sleeping must not wait: it advances the virtual clock and is ready at once,
    // so a sleeping variant costs no wall time and cannot outlast its deadline
    // inside a host call.
    linker.allow_shadowing(true);
    let mut clock =
        linker.instance(&format!("wasi:clocks/monotonic-clock@0.2.{WASI_PATCH_MAX}"))?;
    clock.func_wrap(
        "subscribe-duration",
        |mut store: wasmtime::StoreContextMut<'_, T>,
         (d,): (u64,)|
         -> wasmtime::Result<(Resource<DynPollable>,)> {
            let s = store.data_mut().sandbox();
            s.clock.advance_by(d);
            let r = s.table.push(Ready)?;
            Ok((subscribe(&mut s.table, r)?,))
        },
    )?;
    clock.func_wrap(
        "subscribe-instant",
        |mut store: wasmtime::StoreContextMut<'_, T>,
         (t,): (u64,)|
         -> wasmtime::Result<(Resource<DynPollable>,)> {
            let s = store.data_mut().sandbox();
            s.clock.advance_to(t);
            let r = s.table.push(Ready)?;
            Ok((subscribe(&mut s.table, r)?,))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// Store data holding nothing but a fresh sandbox of the profile, for callers that
/// drive wasmtime themselves and want variants to see exactly the WASI nvx gives
/// them (the campaign benchmark's raw baseline does).
pub struct ProfileHost(Sandbox);

impl ProfileHost {
    /// A fresh sandbox whose stdout and stderr each keep up to `output_cap` bytes.
    pub fn new(output_cap: usize) -> ProfileHost {
        ProfileHost(Sandbox::new(output_cap))
    }

    /// Adds the profile's WASI and HTTP bindings to `linker`.
    ///
    /// # Errors
    /// A wasmtime error if the bindings cannot be added.
    pub fn add_to_linker(linker: &mut Linker<ProfileHost>) -> wasmtime::Result<()> {
        add_to_linker(linker)
    }
}

impl wasmtime_wasi::WasiView for ProfileHost {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        self.0.wasi_view()
    }
}

impl wasmtime_wasi_http::WasiHttpView for ProfileHost {
    fn http(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        self.0.http_view()
    }
}

impl HasSandbox for ProfileHost {
    fn sandbox(&mut self) -> &mut Sandbox {
        &mut self.0
    }
}

/// The names a component imports, read from its binary before compiling it.
///
/// # Errors
/// The parser's error when the bytes are not a well-formed component.
pub fn component_imports(
    bytes: &[u8],
) -> std::result::Result<Vec<String>, wasmparser::BinaryReaderError> {
    use wasmparser::{Parser, Payload};
    let mut out = Vec::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        match payload {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(reader) if depth == 0 => {
                for imp in reader {
                    let imp = imp?;
                    out.push(imp.name.name.to_string());
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Refuses imports outside the WASI profile (or any import when WASI is off),
/// listing every one of them.
pub(crate) fn check_imports(
    imports: &[String],
    allow_wasi: bool,
) -> std::result::Result<(), WorldProblem> {
    let refused: Vec<&str> = imports
        .iter()
        .map(String::as_str)
        .filter(|i| !allow_wasi || !provides(i))
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    let imports = refused.into_iter().map(String::from).collect();
    Err(if allow_wasi {
        WorldProblem::ImportsOutsideWasi {
            imports,
            newest_patch: WASI_PATCH_MAX,
        }
    } else {
        WorldProblem::ImportsWithoutWasi { imports }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::TryRng;

    #[test]
    fn profile_accepts_every_0_2_release_up_to_the_newest() {
        for p in 0..=WASI_PATCH_MAX {
            assert!(provides(&format!("wasi:cli/stdout@0.2.{p}")));
            assert!(provides(&format!("wasi:http/types@0.2.{p}")));
        }
        assert!(!provides("wasi:cli/stdout@0.2.13"));
        assert!(!provides("wasi:cli/stdout@0.3.0"));
        assert!(!provides("wasi:cli/stdout"));
        assert!(!provides("wasi:clocks/timezone@0.2.12"));
        assert!(!provides("wasi:http/incoming-handler@0.2.12"));
        assert!(!provides("my:pkg/iface@0.2.1"));
    }

    #[test]
    fn random_is_fixed_by_the_seed() {
        let mut a = SplitMix64(SECURE_RANDOM_SEED);
        let mut b = SplitMix64(SECURE_RANDOM_SEED);
        let mut x = [0u8; 37];
        let mut y = [0u8; 37];
        a.try_fill_bytes(&mut x).ok();
        b.try_fill_bytes(&mut y).ok();
        assert_eq!(x, y);
        assert_ne!(x, [0u8; 37]);
        // The first output of SplitMix64 seeded with 0 is a published constant.
        assert_eq!(
            SplitMix64(0).try_next_u64().ok(),
            Some(0xe220_a839_7b1d_cdaf)
        );
    }

    #[test]
    fn clock_advances_per_reading_and_by_sleeps() {
        let c = VirtualClock::default();
        assert_eq!(c.now(), MONOTONIC_STEP_NS);
        assert_eq!(c.now(), 2 * MONOTONIC_STEP_NS);
        c.advance_by(1_000_000);
        assert_eq!(c.now(), 1_000_000 + 3 * MONOTONIC_STEP_NS);
        c.advance_to(5);
        assert_eq!(c.now(), 1_000_000 + 4 * MONOTONIC_STEP_NS);
    }

    #[test]
    fn capture_keeps_the_head_and_counts_the_rest() {
        let c = Capture::new(4);
        c.push(b"abc");
        c.push(b"defg");
        let got = c.take();
        assert_eq!(got.bytes, b"abcd");
        assert_eq!(got.dropped, 3);
        assert!(got.text().contains("3 more bytes dropped"));
    }
}

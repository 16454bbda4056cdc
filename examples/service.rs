//! A small HTTP service whose critical function, a CRC-32 of the request body, is
//! computed by an ensemble embedded in the binary: five independently written
//! variants under supervision, each request under a deadline, dissent visible in
//! `/health` and in Prometheus `/metrics`.
//!
//! Run: `cargo run --release --example service -- [ADDR]` (default
//! `127.0.0.1:8080`), then `curl --data-binary 123456789 localhost:8080/crc32`,
//! `curl localhost:8080/health`, `curl localhost:8080/metrics`.
//!
//! `--load N [--concurrency C]` serves on a free port and sends itself N requests
//! of varied sizes from C connections, checking every answer against a CRC-32
//! computed here and sampling the process's resident memory; it prints the samples
//! and fails if an answer was wrong or (from 20 000 requests on) if memory kept
//! growing once warm.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use nvx::{BreakerState, Ensemble, Supervision, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// The ensemble, embedded: its manifest, WIT and every variant's module.
macro_rules! module {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../wasm-modules/crc32/", $name)).as_slice(),
        )
    };
}

const MODULES: [(&str, &[u8]); 5] = [
    module!("as-nibble.wasm"),
    module!("c-table.wasm"),
    module!("rust-slice8.wasm"),
    module!("wat-lazy-table.wasm"),
    module!("zig-bitwise.wasm"),
];

/// Longest a request may take; variants still running then are stopped.
const DEADLINE: Duration = Duration::from_millis(500);

#[derive(Clone)]
struct App {
    crc32: Ensemble,
    metrics: PrometheusHandle,
}

fn ensemble() -> Result<Ensemble, nvx::Error> {
    let mut builder = Ensemble::builder()
        .origin("embedded/crc32")
        .manifest(include_str!("../wasm-modules/crc32/nvx.toml"))
        .wit(include_str!("../wasm-modules/crc32/crc32.wit"));
    for (name, bytes) in MODULES {
        builder = builder.module(name, bytes);
    }
    let mut ensemble = builder.build()?;
    ensemble.supervise(Supervision::default());
    ensemble.on_dissent(|d| {
        eprintln!(
            "dissent: {} of {} ({}) on {}",
            d.variant, d.ensemble, d.outcome, d.function
        )
    });
    ensemble.on_breaker(|e| {
        eprintln!(
            "breaker: {} of {}: {} -> {} ({})",
            e.variant, e.ensemble, e.from, e.to, e.reason
        )
    });
    Ok(ensemble)
}

/// `POST /crc32`: the agreed CRC-32 of the body, or 503 when there is no verdict.
async fn crc32(State(app): State<App>, body: Bytes) -> Response {
    let args = vec![Value::Bytes(body.to_vec())];
    // Dropping the call at the deadline stops its variants.
    match tokio::time::timeout(DEADLINE, app.crc32.call_async("crc32", args)).await {
        Err(_) => (StatusCode::GATEWAY_TIMEOUT, "deadline exceeded\n").into_response(),
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
        Ok(Ok(verdict)) => match verdict.value() {
            Ok(Value::U32(crc)) => {
                let dissent = verdict.dissenters().join(",");
                (
                    StatusCode::OK,
                    [("x-nvx-dissenters", dissent)],
                    format!("{crc:08x}\n"),
                )
                    .into_response()
            }
            Ok(other) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("unexpected result {other}\n"),
            )
                .into_response(),
            Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n")).into_response(),
        },
    }
}

/// `GET /health`: each variant's breaker; 200 while a majority is in service, 503
/// once it is not (no call can then reach a verdict).
async fn health(State(app): State<App>) -> Response {
    let health = app.crc32.health();
    let in_service = health
        .iter()
        .filter(|h| h.state != BreakerState::Open)
        .count();
    let mut text = format!("{in_service} of {} variants in service\n", health.len());
    for h in &health {
        text.push_str(&format!(
            "{} {} consecutive-failures={} dissent-rate={:.3} trips={}\n",
            h.variant, h.state, h.consecutive_failures, h.dissent_rate, h.trips
        ));
    }
    let status = if in_service * 2 > health.len() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, text).into_response()
}

async fn metrics(State(app): State<App>) -> String {
    app.metrics.render()
}

fn router(app: App) -> Router {
    Router::new()
        .route("/crc32", post(crc32))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .with_state(app)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let load = flag(&args, "--load")?;
    let concurrency = flag(&args, "--concurrency")?.unwrap_or(16).max(1);
    let metrics = PrometheusBuilder::new().install_recorder()?;
    let app = App {
        crc32: ensemble()?,
        metrics,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        // The exporter keeps histogram samples until upkeep folds them in; run it
        // as its documentation asks, or they pile up between scrapes.
        let upkeep = app.metrics.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                upkeep.run_upkeep();
            }
        });
        let addr: SocketAddr = match (&load, args.first()) {
            (None, Some(a)) if !a.starts_with("--") => a.parse()?,
            (None, _) => "127.0.0.1:8080".parse()?,
            (Some(_), _) => "127.0.0.1:0".parse()?,
        };
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(async move { axum::serve(listener, router(app)).await });
        match load {
            None => {
                eprintln!("serving on http://{addr}");
                server.await??;
                Ok(())
            }
            Some(n) => load_test(addr, n, concurrency).await,
        }
    })
}

fn flag(args: &[String], name: &str) -> Result<Option<usize>, Box<dyn std::error::Error>> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => {
            let v = args
                .get(i + 1)
                .ok_or_else(|| format!("{name} needs a number"))?;
            Ok(Some(v.parse().map_err(|e| format!("{name} {v}: {e}"))?))
        }
    }
}

/// The process's resident memory in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A reference CRC-32 (IEEE, reflected) to check the service's answers.
fn reference_crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One keep-alive connection's requests: bodies of sizes cycling up to 4 KiB.
async fn client(
    addr: SocketAddr,
    first: usize,
    count: usize,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut wrong = 0;
    for i in first..first + count {
        let len = (i * 37) % 4096;
        let body: Vec<u8> = (0..len).map(|j| (i + j * 7) as u8).collect();
        let head = format!("POST /crc32 HTTP/1.1\r\nhost: nvx\r\ncontent-length: {len}\r\n\r\n");
        write.write_all(head.as_bytes()).await?;
        write.write_all(&body).await?;
        let mut status = String::new();
        read.read_line(&mut status).await?;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            read.read_line(&mut line).await?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse()?;
            }
        }
        let mut answer = vec![0; length];
        read.read_exact(&mut answer).await?;
        let expected = format!("{:08x}\n", reference_crc32(&body));
        if !status.contains(" 200 ") || answer != expected.as_bytes() {
            wrong += 1;
        }
    }
    Ok(wrong)
}

/// The body of `GET path`, on a connection of its own.
async fn fetch(addr: SocketAddr, path: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let head = format!("GET {path} HTTP/1.1\r\nhost: nvx\r\nconnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or(response))
}

async fn load_test(
    addr: SocketAddr,
    n: usize,
    concurrency: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let rounds = 10;
    let per_round = n.div_ceil(rounds);
    let start = Instant::now();
    let mut samples = vec![(0, rss_kib())];
    let mut wrong = 0;
    let mut sent = 0;
    for _ in 0..rounds {
        let share = per_round.div_ceil(concurrency);
        let tasks: Vec<_> = (0..concurrency)
            .map(|c| tokio::spawn(client(addr, sent + c * share, share)))
            .collect();
        for t in tasks {
            wrong += t.await?.map_err(|e| e.to_string())?;
        }
        sent += share * concurrency;
        samples.push((sent, rss_kib()));
    }
    let secs = start.elapsed().as_secs_f64();
    let metrics = fetch(addr, "/metrics").await?;
    let calls = metrics
        .lines()
        .find(|l| l.starts_with("nvx_calls_total{"))
        .unwrap_or("nvx_calls_total missing from /metrics");
    println!("/metrics: {calls}");
    print!("/health: {}", fetch(addr, "/health").await?);
    println!(
        "{sent} requests in {secs:.1} s ({:.0}/s) from {concurrency} connections; wrong answers: {wrong}",
        sent as f64 / secs
    );
    for (done, kib) in &samples {
        println!("rss after {done:>7} requests: {:>7} KiB", kib);
    }
    if wrong > 0 {
        return Err(format!("{wrong} wrong answers").into());
    }
    // Flat: once warm (the first half of the load fills the instance pool's slots,
    // the allocator's arenas and the blocking pool's threads), resident memory
    // stays within 10 % of its value at the half. Checked from 20 000 requests on;
    // shorter runs end before warm-up does.
    if sent >= 20_000 {
        let half = samples[samples.len() / 2].1;
        let peak = samples[samples.len() / 2..]
            .iter()
            .map(|s| s.1)
            .max()
            .unwrap_or(half);
        let growth = peak as f64 / half.max(1) as f64;
        println!("second-half peak over the half: {growth:.3}x");
        if growth > 1.10 {
            return Err(format!("memory grew {growth:.3}x in the second half").into());
        }
    }
    Ok(())
}

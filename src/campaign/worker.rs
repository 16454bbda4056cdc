//! Campaign worker processes. With [`crate::campaign::Options::workers`] set (the
//! CLI always sets it), a campaign runs `jobs` processes of nvx itself (`nvx
//! worker`), each loading the ensemble once and running the inputs the parent hands
//! it, one at a time. Processes share no allocator, page tables or locks, so a
//! campaign scales across cores, and a worker that dies (SIGKILL, a host-side bug in
//! the engine) costs only the input it held: that input is recorded as a harness
//! failure, blaming no variant, and a fresh worker takes over the rest.
//!
//! Protocol, over the worker's stdin and stdout: frames of `[u32 LE length][bincode
//! 1.3 payload]`. The parent sends [`Request::Setup`] once, then
//! [`Request::Run`] batches of input indices; the worker answers the setup with
//! [`Reply::Ready`] (the SHA-256 of every variant it loaded, which the parent checks
//! against its own) or [`Reply::Failed`], and each index with one [`Reply::Record`],
//! in order, flushed as soon as it is done. Workers run in their own process group,
//! so a terminal's Ctrl-C reaches only the parent; a worker whose stdin closes
//! exits.

use std::collections::VecDeque;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::memory::peak_rss_of;
use super::options::Options;
use super::plan::{Plan, Todo};
use super::record::{InputRecord, harness_failure, run_one};
use crate::cause::EngineProblem;
use crate::engine::EngineKind;
use crate::ensemble::Ensemble;
use crate::error::{Error, Result};

pub use super::options::WorkerCommand;

/// What the parent sends a worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Load this ensemble and build its input plan (sent once, first).
    Setup(Setup),
    /// Run these input indices, in order.
    Run(Vec<u64>),
}

/// Everything a worker needs to build the same input plan as the parent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Setup {
    /// The ensemble folder.
    pub dir: PathBuf,
    /// The engines, the voting one first.
    pub engines: Vec<EngineKind>,
    /// `--corpus` files and folders.
    pub corpus: Vec<PathBuf>,
    /// Generated inputs.
    pub generate: u64,
    /// Generator seed.
    pub seed: u64,
}

/// What a worker sends back.
#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// Loaded; the SHA-256 of each variant, in manifest order.
    Ready(Vec<String>),
    /// Could not load the ensemble or build the plan.
    Failed(String),
    /// One input's result.
    Record(Box<InputRecord>),
}

/// Input indices handed to a worker at once. Small, so that a dead worker's
/// unfinished batch is quickly redistributed, yet large enough that the round trip
/// between batches is a small part of the work.
const BATCH: usize = 16;
/// Workers that die in a row without finishing an input before the campaign stops
/// (an ensemble that crashes the engine on every input).
const MAX_FRUITLESS_STARTS: u32 = 10;
/// How long a collecting thread waits for records to gather when none is ready.
const COLLECT_PAUSE: std::time::Duration = std::time::Duration::from_micros(1000);
/// Inputs handed to a worker and not yet answered: enough that it stays busy through
/// a collecting pause even on inputs of a few microseconds.
const IN_FLIGHT: usize = 8 * BATCH;
/// Instance slots a worker's engines reserve: a worker runs one input at a time, so
/// it needs a slot per variant and engine, plus the WASI adapter's instances.
const WORKER_POOL_INSTANCES: u32 = 128;

/// Writes one frame (into `w`'s buffer; the caller flushes).
fn write_frame<T: Serialize>(w: &mut impl Write, value: &T) -> std::io::Result<()> {
    let bytes = bincode::serialize(value).map_err(std::io::Error::other)?;
    let len = u32::try_from(bytes.len())
        .map_err(|_| std::io::Error::other("message too large for one frame (4 GiB)"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(&bytes)
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
fn read_frame<T: DeserializeOwned>(r: &mut impl Read) -> std::io::Result<Option<T>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut buf = vec![0u8; u32::from_le_bytes(len) as usize];
    r.read_exact(&mut buf)?;
    bincode::deserialize(&buf)
        .map(Some)
        .map_err(std::io::Error::other)
}

/// The worker side: serves requests from `input` until it closes. This is all
/// `nvx worker` does.
///
/// # Errors
/// [`Error::Io`] when the parent's pipe fails.
pub fn serve(input: impl Read, output: impl Write) -> Result<()> {
    let io = |source| Error::Io {
        path: PathBuf::from("<worker pipe>"),
        source,
    };
    crate::engine::enter_worker_process(WORKER_POOL_INSTANCES);
    let mut input = BufReader::new(input);
    let mut output = BufWriter::new(output);
    let Some(Request::Setup(setup)) = read_frame::<Request>(&mut input).map_err(io)? else {
        return Ok(());
    };
    let loaded = Ensemble::open_with_engines(&setup.dir, &setup.engines).and_then(|ens| {
        let opts = Options {
            corpus: setup.corpus.clone(),
            generate: setup.generate,
            seed: setup.seed,
            ..Options::default()
        };
        Plan::new(&ens, &opts).map(|plan| (ens, plan))
    });
    let (ensemble, plan) = match loaded {
        Ok(x) => x,
        Err(e) => {
            write_frame(&mut output, &Reply::Failed(e.to_string())).map_err(io)?;
            output.flush().map_err(io)?;
            return Ok(());
        }
    };
    let hashes = ensemble.variants().map(|v| v.sha256.to_string()).collect();
    write_frame(&mut output, &Reply::Ready(hashes)).map_err(io)?;
    output.flush().map_err(io)?;
    while let Some(Request::Run(indices)) = read_frame::<Request>(&mut input).map_err(io)? {
        let inputs: Vec<_> = indices.iter().map(|&i| plan.input(i, setup.seed)).collect();
        // Engines whose calls cross a process boundary (v8) get the whole batch at
        // once and work on it while the other engines run.
        ensemble.ahead(
            inputs
                .iter()
                .map(|x| (x.function.as_str(), x.args.as_slice())),
        );
        for (&i, input) in indices.iter().zip(&inputs) {
            let record = run_one(&ensemble, &plan.id, i, input);
            // Each record is in the pipe before the next input starts, so when a
            // worker dies the parent knows exactly which input it held.
            write_frame(&mut output, &Reply::Record(Box::new(record))).map_err(io)?;
            output.flush().map_err(io)?;
        }
    }
    Ok(())
}

/// The inputs still to hand out: a cursor over the shard's positions, and inputs a
/// dead worker had been given but had not started.
struct Queue {
    next: u64,
    again: VecDeque<u64>,
}

impl Queue {
    /// Up to `n` inputs, those handed back first.
    fn take(&mut self, todo: &Todo, n: usize) -> Vec<u64> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            if let Some(i) = self.again.pop_front() {
                out.push(i);
                continue;
            }
            let Some(i) = todo.index(self.next) else {
                break;
            };
            self.next += 1;
            if !todo.done.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

/// One running worker process.
struct Worker {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// Where its peak RSS is added when it is done.
    peaks: Arc<AtomicU64>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.peaks.fetch_add(self.peak_rss(), Ordering::Relaxed);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Worker {
    /// The process's peak resident set size so far (`VmHWM`), on Linux; 0 when it
    /// cannot be read (another system, or a process that has already ended).
    fn peak_rss(&self) -> u64 {
        peak_rss_of(&self.child.id().to_string()).unwrap_or(0)
    }

    fn start(
        cmd: &WorkerCommand,
        setup: &Setup,
        want: &[String],
        peaks: &Arc<AtomicU64>,
    ) -> Result<Worker> {
        let mut command = Command::new(&cmd.program);
        command
            .args(&cmd.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().map_err(|source| Error::Io {
            path: cmd.program.clone(),
            source,
        })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::Engine(EngineProblem::WorkerPipes));
        };
        let mut w = Worker {
            child,
            stdin: BufWriter::new(stdin),
            stdout: BufReader::new(stdout),
            peaks: Arc::clone(peaks),
        };
        let failed = Error::Engine;
        write_frame(&mut w.stdin, &Request::Setup(setup.clone()))
            .and_then(|()| w.stdin.flush())
            .map_err(|e| failed(EngineProblem::WorkerSetup(e)))?;
        match read_frame::<Reply>(&mut w.stdout) {
            Ok(Some(Reply::Ready(hashes))) if hashes == want => Ok(w),
            Ok(Some(Reply::Ready(_))) => Err(failed(EngineProblem::WorkerStale {
                dir: setup.dir.clone(),
            })),
            Ok(Some(Reply::Failed(why))) => Err(failed(EngineProblem::WorkerFailed { why })),
            Ok(Some(Reply::Record(_))) => Err(failed(EngineProblem::WorkerProtocol)),
            Ok(None) | Err(_) => Err(failed(EngineProblem::WorkerDied {
                status: w.exit_status(),
            })),
        }
    }

    /// How the process ended, in words (waiting for it).
    fn exit_status(&mut self) -> String {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) => describe_status(status),
            Err(e) => format!("its exit status is unknown ({e})"),
        }
    }
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                4 => " (SIGILL)",
                6 => " (SIGABRT)",
                7 => " (SIGBUS)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                15 => " (SIGTERM)",
                _ => "",
            };
            return format!("killed by signal {sig}{name}");
        }
    }
    match status.code() {
        Some(crate::engine::WORKER_DIED) => format!(
            "exited with status {} because a worker process of one of its engines died running it (a Node.js worker of v8; its message is on stderr)",
            crate::engine::WORKER_DIED
        ),
        Some(c) => format!("exited with status {c}"),
        None => "ended".into(),
    }
}

/// Runs the todo inputs of `plan` on `jobs` worker processes, feeding each record to
/// `sink` on this thread, in completion order. Returns the sum of the workers' peak
/// resident set sizes (an upper bound on what they held at once).
pub(crate) fn run_inputs(
    plan: &Plan,
    opts: &Options,
    cmd: &WorkerCommand,
    todo: Todo,
    mut sink: impl FnMut(InputRecord) -> Result<()>,
) -> Result<u64> {
    let ensemble = &plan.ensemble;
    let setup = Setup {
        dir: ensemble.dir().to_path_buf(),
        engines: ensemble.engines().to_vec(),
        corpus: opts.corpus.clone(),
        generate: opts.generate,
        seed: opts.seed,
    };
    let want: Vec<String> = ensemble.variants().map(|v| v.sha256.to_string()).collect();
    let queue = Mutex::new(Queue {
        next: 0,
        again: VecDeque::new(),
    });
    let stop = AtomicBool::new(false);
    let peaks = Arc::new(AtomicU64::new(0));
    // Records travel to this thread a batch at a time: a wake-up per input cost more
    // than a small input's whole run.
    let (tx, rx) = mpsc::sync_channel::<std::result::Result<Vec<InputRecord>, Error>>(16);
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.max(1) {
            let (tx, queue, stop, setup, want, todo, peaks) =
                (tx.clone(), &queue, &stop, &setup, &want, &todo, &peaks);
            scope.spawn(move || {
                let run = Run {
                    cmd,
                    setup,
                    want,
                    plan,
                    seed: opts.seed,
                    todo,
                    queue,
                    stop,
                    peaks,
                };
                if let Err(e) = drive(&run, &tx) {
                    let _ = tx.send(Err(e));
                }
            });
        }
        drop(tx);
        let mut result = Ok(());
        'recv: for msg in rx.iter() {
            let records = match msg {
                Ok(r) => r,
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    result = Err(e);
                    break;
                }
            };
            for r in records {
                if let Err(e) = sink(r) {
                    stop.store(true, Ordering::Relaxed);
                    result = Err(e);
                    break 'recv;
                }
            }
        }
        // Drain so that no worker thread blocks on a full channel.
        stop.store(true, Ordering::Relaxed);
        for _ in rx.iter() {}
        result
    })?;
    Ok(peaks.load(Ordering::Relaxed))
}

/// What one worker thread works with.
struct Run<'a> {
    cmd: &'a WorkerCommand,
    setup: &'a Setup,
    want: &'a [String],
    plan: &'a Plan,
    seed: u64,
    todo: &'a Todo,
    queue: &'a Mutex<Queue>,
    stop: &'a AtomicBool,
    peaks: &'a Arc<AtomicU64>,
}

/// One worker thread: starts a worker process and keeps it busy; when it dies,
/// records the input it held as a harness failure, returns the rest of its batch to
/// the queue and starts another.
fn drive(
    run: &Run<'_>,
    tx: &mpsc::SyncSender<std::result::Result<Vec<InputRecord>, Error>>,
) -> Result<()> {
    let Run {
        cmd,
        setup,
        want,
        plan,
        seed,
        todo,
        queue,
        stop,
        peaks,
    } = *run;
    let mut worker: Option<Worker> = None;
    let mut fruitless = 0;
    // Inputs sent to the worker and not yet answered, in the order it runs them.
    // Several batches are kept in flight, so the worker never waits for the next one
    // while this thread pauses between reads.
    let mut outstanding: VecDeque<u64> = VecDeque::new();
    let mut records = Vec::with_capacity(BATCH);
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut sent = Ok(());
        while outstanding.len() < IN_FLIGHT && sent.is_ok() {
            let batch = queue
                .lock()
                .map(|mut q| q.take(todo, BATCH))
                .unwrap_or_default();
            if batch.is_empty() {
                break;
            }
            let w = match worker.as_mut() {
                Some(w) => w,
                None => match Worker::start(cmd, setup, want, peaks) {
                    Ok(w) => worker.insert(w),
                    Err(e) => {
                        if let Ok(mut q) = queue.lock() {
                            q.again.extend(outstanding.drain(..));
                            q.again.extend(batch);
                        }
                        return Err(e);
                    }
                },
            };
            sent = write_frame(&mut w.stdin, &Request::Run(batch.clone()))
                .and_then(|()| w.stdin.flush());
            outstanding.extend(batch);
        }
        let Some(&expected) = outstanding.front() else {
            let _ = tx.send(Ok(std::mem::take(&mut records)));
            return Ok(());
        };
        let reply = match (&sent, worker.as_mut()) {
            (Ok(()), Some(w)) => {
                // Let records gather in the pipe rather than waking up for each
                // one: a wake-up per input cost more than a small input's run.
                if w.stdout.buffer().is_empty() {
                    std::thread::sleep(COLLECT_PAUSE);
                }
                read_frame::<Reply>(&mut w.stdout).ok().flatten()
            }
            _ => None,
        };
        if let Some(Reply::Record(r)) = reply
            && r.index == expected
        {
            outstanding.pop_front();
            records.push(*r);
            fruitless = 0;
            if (records.len() >= BATCH || outstanding.is_empty())
                && tx
                    .send(Ok(std::mem::replace(
                        &mut records,
                        Vec::with_capacity(BATCH),
                    )))
                    .is_err()
            {
                return Ok(());
            }
            continue;
        }
        // The worker died (or broke the protocol) while it held `expected`: every
        // input it finished had reached the pipe.
        let why = worker
            .take()
            .map_or_else(|| "not running".to_string(), |mut dead| dead.exit_status());
        fruitless += 1;
        outstanding.pop_front();
        if let Ok(mut q) = queue.lock() {
            q.again.extend(outstanding.drain(..));
        }
        let mut finished = std::mem::take(&mut records);
        finished.push(harness_failure(
            plan,
            expected,
            &plan.input(expected, seed),
            &format!("the worker process running it was {why}"),
        ));
        if tx.send(Ok(finished)).is_err() {
            return Ok(());
        }
        if fruitless >= MAX_FRUITLESS_STARTS {
            return Err(Error::Engine(EngineProblem::WorkersFruitless {
                dir: setup.dir.clone(),
                times: MAX_FRUITLESS_STARTS,
                last: why,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_cut_stream_ends_cleanly() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &Request::Run(vec![1, 2, 3])).unwrap();
        write_frame(&mut buf, &Request::Run(vec![])).unwrap();
        let mut r = buf.as_slice();
        assert!(
            matches!(read_frame::<Request>(&mut r).unwrap(), Some(Request::Run(v)) if v == [1, 2, 3])
        );
        assert!(
            matches!(read_frame::<Request>(&mut r).unwrap(), Some(Request::Run(v)) if v.is_empty())
        );
        assert!(read_frame::<Request>(&mut r).unwrap().is_none());
        // A frame cut in its payload is an error, not a clean end.
        let mut cut = &buf[..6];
        assert!(read_frame::<Request>(&mut cut).is_err());
    }

    #[test]
    fn the_queue_hands_out_returned_inputs_first_and_skips_done_ones() {
        let todo = Todo::new(10, None, [2u64, 3].into_iter().collect());
        let mut q = Queue {
            next: 0,
            again: VecDeque::new(),
        };
        assert_eq!(q.take(&todo, 3), [0, 1, 4]);
        q.again.extend([1, 0]);
        assert_eq!(q.take(&todo, 3), [1, 0, 5]);
        assert_eq!(q.take(&todo, 10), [6, 7, 8, 9]);
        assert!(q.take(&todo, 1).is_empty());
    }
}

//! The Node workers of the `v8` engine: `node host.mjs serve` processes that
//! load one variant and answer its calls in framed JSON on stdin and stdout.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use super::toolchain::{JS_STACK_MARGIN_KIB, START_TIMEOUT, toolchain};
use crate::manifest::Limits;
use crate::outcome::Outcome;

/// What starting a worker needs of its variant: its limits, the private folder
/// holding its transpiled code and `host.mjs`, and the message that loads it.
pub(super) struct Launch<'a> {
    pub(super) limits: &'a Limits,
    pub(super) folder: &'a Path,
    pub(super) init: &'a Json,
}

/// One `node host.mjs serve` process with its variant loaded.
pub(super) struct NodeWorker {
    child: Child,
    stdin: ChildStdin,
    /// Each answer with the moment its reader took it off the pipe (so a batch's
    /// answers are timed as they come, not when the caller gets to them).
    replies: mpsc::Receiver<std::result::Result<(Instant, Vec<u8>), String>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Drop for NodeWorker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why a worker could not be had.
pub(super) enum Start {
    /// The variant does not load in V8 (the worker said why, or took too long).
    Refused(String),
    /// The process could not start, or died while loading.
    Died(String),
}

/// Why a call got no answer.
pub(super) enum Lost {
    /// The deadline passed, or the caller stopped the call.
    Stopped(Outcome),
    /// The worker died or broke the protocol.
    Died(String),
}

impl NodeWorker {
    /// Starts a worker and has it load `variant`. `Lost::Died` when the process
    /// could not be started or died on the way; `Lost::Stopped` never.
    pub(super) fn start(variant: &Launch<'_>) -> std::result::Result<NodeWorker, Start> {
        Self::start_inner(variant)
            .map_err(Start::Died)?
            .loaded(variant)
    }

    fn start_inner(variant: &Launch<'_>) -> std::result::Result<NodeWorker, String> {
        let tools = toolchain().as_ref().map_err(Clone::clone)?;
        let stack_kib = variant.limits.stack_kib.saturating_add(JS_STACK_MARGIN_KIB);
        let pages = variant
            .limits
            .memory_mib
            .saturating_mul(16)
            .clamp(1, 65_536);
        let mut cmd = Command::new(&tools.node);
        cmd.args(&tools.features)
            .arg(format!("--stack-size={stack_kib}"))
            .arg(format!("--wasm-max-mem-pages={pages}"))
            .arg("--no-warnings")
            .arg(variant.folder.join("host.mjs"))
            .arg("serve")
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = spawn(cmd, stack_kib)?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        let mut err_pipe = child.stderr.take().ok_or("no stderr")?;
        let (tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("nvx-v8-reader".into())
            .spawn(move || {
                loop {
                    let mut head = [0u8; 4];
                    if let Err(e) = stdout.read_exact(&mut head) {
                        let _ = tx.send(Err(format!("its output ended ({e})")));
                        return;
                    }
                    let mut body = vec![0u8; u32::from_le_bytes(head) as usize];
                    if let Err(e) = stdout.read_exact(&mut body) {
                        let _ = tx.send(Err(format!("its output ended mid-frame ({e})")));
                        return;
                    }
                    if tx.send(Ok((Instant::now(), body))).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&stderr);
        std::thread::Builder::new()
            .name("nvx-v8-stderr".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = err_pipe.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    if let Ok(mut k) = keep.lock() {
                        k.extend_from_slice(&buf[..n]);
                        let len = k.len();
                        if len > 8192 {
                            k.drain(..len - 8192);
                        }
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(NodeWorker {
            child,
            stdin,
            replies,
            stderr,
        })
    }

    /// Has a started worker load `variant`.
    fn loaded(mut self, variant: &Launch<'_>) -> std::result::Result<NodeWorker, Start> {
        let reply = self
            .ask(variant.init, Instant::now() + START_TIMEOUT, None)
            .map_err(|lost| match lost {
                Lost::Stopped(_) => Start::Refused(format!(
                    "its Node.js worker did not load it within {} s",
                    START_TIMEOUT.as_secs()
                )),
                Lost::Died(why) => Start::Died(why),
            })?;
        if let Some(err) = reply.get("error") {
            return Err(Start::Refused(format!(
                "its Node.js worker could not load it: {}",
                err.as_str().unwrap_or_default()
            )));
        }
        Ok(self)
    }

    /// Whether the process still runs (it may have been killed between calls).
    pub(super) fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `msg` and waits for the answer until `deadline`, or until `control`
    /// says stop.
    pub(super) fn ask(
        &mut self,
        msg: &Json,
        deadline: Instant,
        control: Option<&crate::control::CallControl>,
    ) -> std::result::Result<Json, Lost> {
        self.send(msg)?;
        self.receive(deadline, control).map(|(_, reply)| reply)
    }

    /// Sends `msg`, one frame.
    pub(super) fn send(&mut self, msg: &Json) -> std::result::Result<(), Lost> {
        let body = serde_json::to_vec(msg).map_err(|e| Lost::Died(e.to_string()))?;
        let mut frame = (body.len() as u32).to_le_bytes().to_vec();
        frame.extend_from_slice(&body);
        if let Err(e) = self
            .stdin
            .write_all(&frame)
            .and_then(|()| self.stdin.flush())
        {
            return Err(Lost::Died(self.death(&format!("it took no input ({e})"))));
        }
        Ok(())
    }

    /// The next answer and when it arrived, waited for until `deadline` or until
    /// `control` says stop. An answer counts if it arrived by `deadline`, also
    /// when the caller comes for it later (a batch's answers wait in line).
    pub(super) fn receive(
        &mut self,
        deadline: Instant,
        control: Option<&crate::control::CallControl>,
    ) -> std::result::Result<(Instant, Json), Lost> {
        loop {
            let mut wait = deadline.saturating_duration_since(Instant::now());
            if let Some(c) = control {
                if c.stopped() {
                    return Err(Lost::Stopped(Outcome::Cancelled));
                }
                wait = wait.min(Duration::from_millis(5));
            }
            match self.replies.recv_timeout(wait) {
                Ok(Ok((arrived, _))) if arrived > deadline => {
                    return Err(Lost::Stopped(Outcome::TimedOut));
                }
                Ok(Ok((arrived, body))) => {
                    return serde_json::from_slice(&body)
                        .map(|reply| (arrived, reply))
                        .map_err(|e| Lost::Died(format!("it answered with bad JSON ({e})")));
                }
                Ok(Err(why)) => return Err(Lost::Died(self.death(&why))),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if Instant::now() >= deadline {
                        return Err(Lost::Stopped(Outcome::TimedOut));
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Lost::Died(self.death("its reader stopped")));
                }
            }
        }
    }

    /// How the worker died, with the end of what it wrote to stderr.
    fn death(&mut self, what: &str) -> String {
        let status = match self.child.wait() {
            Ok(s) => s.to_string(),
            Err(e) => e.to_string(),
        };
        // Let the stderr reader catch up with what the process wrote last.
        std::thread::sleep(Duration::from_millis(20));
        let tail = self
            .stderr
            .lock()
            .map(|k| String::from_utf8_lossy(&k).trim().to_string())
            .unwrap_or_default();
        let tail: String = tail.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
        if tail.is_empty() {
            format!("the Node.js worker died: {what}, {status}")
        } else {
            format!("the Node.js worker died: {what}, {status}: {tail}")
        }
    }
}

/// Starts `cmd` from one long-lived thread, with the stack limit a deep call
/// needs. On Linux the child is killed when that thread (which lives as long as
/// the process) dies, so no Node worker outlives nvx.
fn spawn(cmd: Command, stack_kib: u64) -> std::result::Result<Child, String> {
    type Job = (Command, u64, mpsc::Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let _ = std::thread::Builder::new()
            .name("nvx-v8-spawner".into())
            .spawn(move || {
                for (mut cmd, stack_kib, reply) in rx {
                    prepare_child(&mut cmd, stack_kib);
                    let _ = reply.send(cmd.spawn());
                }
            });
        Mutex::new(tx)
    });
    let (reply, answer) = mpsc::channel();
    tx.lock()
        .map_err(|_| "the spawner is poisoned".to_string())?
        .send((cmd, stack_kib, reply))
        .map_err(|_| "the spawner thread is gone".to_string())?;
    answer
        .recv()
        .map_err(|_| "the spawner thread is gone".to_string())?
        .map_err(|e| format!("cannot start Node.js: {e}"))
}

// The one unsafe block of the engine: `pre_exec` cannot be had without it.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn prepare_child(cmd: &mut Command, stack_kib: u64) {
    use std::os::unix::process::CommandExt;
    let want = stack_kib.saturating_mul(1024).saturating_mul(2);
    // SAFETY: only async-signal-safe calls (prctl, getrlimit, setrlimit) run
    // between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_STACK, &mut lim) == 0
                && lim.rlim_cur != libc::RLIM_INFINITY
                && lim.rlim_cur < want
            {
                let cur = if lim.rlim_max == libc::RLIM_INFINITY {
                    want
                } else {
                    want.min(lim.rlim_max)
                };
                lim.rlim_cur = cur as libc::rlim_t;
                libc::setrlimit(libc::RLIMIT_STACK, &lim);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn prepare_child(_cmd: &mut Command, _stack_kib: u64) {}

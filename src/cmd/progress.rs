//! A progress line on stderr for runs longer than about a second, shown
//! only when stderr is a terminal: never in CI logs, pipes or files.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a run goes unannounced.
const DELAY: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);
const SPINNER: [char; 4] = ['|', '/', '-', '\\'];

/// The line `WHAT… N.N s`, redrawn until the value is dropped, which
/// erases it before the run's own output.
pub(crate) struct Progress {
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts counting; the line appears after [`DELAY`] unless `quiet`,
    /// stderr is not a terminal, `TERM=dumb`, or `CI` is set.
    pub(crate) fn start(what: &'static str, quiet: bool) -> Progress {
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let shown = !quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        let thread = shown.then(|| {
            let done = done.clone();
            std::thread::spawn(move || draw(what, &done))
        });
        Progress { done, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let (lock, wake) = &*self.done;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Waits [`DELAY`], then redraws the line every [`TICK`] until done.
fn draw(what: &str, done: &(Mutex<bool>, Condvar)) {
    let started = Instant::now();
    let (lock, wake) = done;
    let mut finished = lock.lock().unwrap_or_else(|e| e.into_inner());
    let mut wait = DELAY;
    let mut drawn = false;
    for frame in SPINNER.iter().cycle() {
        (finished, _) = wake
            .wait_timeout_while(finished, wait, |done| !*done)
            .unwrap_or_else(|e| e.into_inner());
        if *finished {
            break;
        }
        let elapsed = started.elapsed().as_secs_f64();
        eprint!("\r{frame} {what}… {elapsed:.1} s");
        let _ = std::io::stderr().flush();
        (drawn, wait) = (true, TICK);
    }
    if drawn {
        // Back to the line's start, erased.
        eprint!("\r\x1b[2K");
    }
}

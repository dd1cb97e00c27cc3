//! Limits on rendering one page, for templates a plans repository brings:
//! what a page may write and how long it may take.
//!
//! A template that writes without end is stopped by its output (each write
//! checks the size, and every [`CLOCK_EVERY`]th the clock). One that loops without writing cannot be
//! interrupted inside Tera: a watchdog thread sees it pass its time limit,
//! says which template it was, and ends the process through
//! [`crate::site::abort`], which removes the staging folder first, so the
//! previous site stays as it was.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The most one page may write.
pub(super) const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// How long after its time limit a silent render is stopped by the
/// watchdog (a render that writes is stopped at the limit itself).
const GRACE: Duration = Duration::from_secs(1);

/// How many writes go by between two looks at the clock: Tera writes a page
/// in thousands of small pieces, and reading the clock for each took a
/// twentieth of a build.
const CLOCK_EVERY: u32 = 256;

/// Why a render was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exceeded {
    /// It wrote more than [`MAX_PAGE_BYTES`].
    Output,
    /// It ran longer than its time limit.
    Time,
}

/// A page's output, written through to `out` and refused past the output or
/// time limit.
#[derive(Debug)]
pub(super) struct Bounded<W> {
    /// Where the page goes.
    pub(super) out: W,
    /// How much was written.
    written: usize,
    deadline: Instant,
    /// Writes until the next look at the clock.
    until_clock: u32,
    /// Which limit stopped the render, if one did.
    pub(super) exceeded: Option<Exceeded>,
}

impl<W: Write> Bounded<W> {
    /// A page written to `out` that may take `limit` from now.
    pub(super) fn new(out: W, limit: Duration) -> Bounded<W> {
        Bounded {
            out,
            written: 0,
            deadline: Instant::now() + limit,
            // The first write looks.
            until_clock: 1,
            exceeded: None,
        }
    }

    fn stop(&mut self, why: Exceeded) -> std::io::Error {
        self.exceeded = Some(why);
        std::io::Error::other(match why {
            Exceeded::Output => "the page is larger than the output limit",
            Exceeded::Time => "the page took longer than the time limit",
        })
    }
}

impl<W: Write> Write for Bounded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() > MAX_PAGE_BYTES {
            return Err(self.stop(Exceeded::Output));
        }
        self.until_clock -= 1;
        if self.until_clock == 0 {
            self.until_clock = CLOCK_EVERY;
            if Instant::now() > self.deadline {
                return Err(self.stop(Exceeded::Time));
            }
        }
        self.out.write_all(buf)?;
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Renders in progress: an id, the template, its limit and when it must end.
type Running = Vec<(u64, String, Duration, Instant)>;

static RUNNING: Mutex<Running> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(0);
static WATCHDOG: std::sync::Once = std::sync::Once::new();

fn running() -> std::sync::MutexGuard<'static, Running> {
    RUNNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One render under the watchdog's eye, until dropped.
#[derive(Debug)]
pub(super) struct Watch(u64);

impl Watch {
    /// Watches the render of `template`, which may take `limit`.
    pub(super) fn start(template: &str, limit: Duration) -> Watch {
        WATCHDOG.call_once(|| {
            std::thread::Builder::new()
                .name("kaplan-render-watchdog".into())
                .spawn(watchdog)
                .map(drop)
                .unwrap_or_else(|e| eprintln!("warning: no render time limit ({e})"));
        });
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let deadline = Instant::now() + limit + GRACE;
        running().push((id, template.to_owned(), limit, deadline));
        Watch(id)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        running().retain(|r| r.0 != self.0);
    }
}

/// Wakes a few times a second; a render past its deadline ends the process.
fn watchdog() {
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let now = Instant::now();
        let late = running()
            .iter()
            .find(|r| r.3 < now)
            .map(|r| (r.1.clone(), r.2));
        if let Some((template, limit)) = late {
            eprintln!("error: {}", timed_out(&template, limit));
            crate::site::abort(2);
        }
    }
}

/// What is said of a template that ran past its time limit.
pub(super) fn timed_out(template: &str, limit: Duration) -> String {
    format!(
        "template `{}` did not finish rendering within {} s (a loop that never ends?); the build was stopped and the previous site left as it was. If the page is only large, raise `render_timeout` in kaplan.toml",
        template.escape_debug(),
        limit.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_past_the_limit_is_refused() {
        let mut page = Bounded::new(Vec::new(), Duration::from_secs(60));
        let chunk = vec![b'x'; 1024 * 1024];
        for _ in 0..MAX_PAGE_BYTES / chunk.len() {
            page.write_all(&chunk).unwrap();
        }
        assert_eq!(page.out.len(), MAX_PAGE_BYTES);
        assert!(page.write_all(b"x").is_err());
        assert_eq!(page.exceeded, Some(Exceeded::Output));
    }

    #[test]
    fn writes_after_the_deadline_are_refused() {
        let mut page = Bounded::new(Vec::new(), Duration::ZERO);
        std::thread::sleep(Duration::from_millis(2));
        assert!(page.write_all(b"<p>").is_err());
        assert_eq!(page.exceeded, Some(Exceeded::Time));
        assert!(page.out.is_empty());
    }

    #[test]
    fn a_page_that_writes_on_past_its_deadline_is_stopped_within_a_round_of_writes() {
        let mut page = Bounded::new(Vec::new(), Duration::from_millis(1));
        page.write_all(b"<p>").unwrap();
        std::thread::sleep(Duration::from_millis(2));
        let written = (0..=CLOCK_EVERY).take_while(|_| page.write_all(b"x").is_ok());
        assert!(written.count() < CLOCK_EVERY as usize);
        assert_eq!(page.exceeded, Some(Exceeded::Time));
    }

    #[test]
    fn a_finished_render_leaves_the_watchdog_nothing_to_watch() {
        let watch = Watch::start("a-test-template.html", Duration::from_secs(600));
        let mine = |r: &Running| r.iter().any(|x| x.0 == watch.0);
        assert!(mine(&running()));
        let id = watch.0;
        drop(watch);
        assert!(!running().iter().any(|x| x.0 == id));
    }
}

//! The history cache kept between runs, in the repository's git directory
//! (`kaplan/history.cache`): the log up to the `HEAD` it was read at, and
//! the trend values of the plan versions checked so far, so that a later
//! run reads only new commits and checks only new versions.
//!
//! The file is input like any other: it is used only when its header, its
//! kaplan version, the shape of the log (plans root, the repository's
//! settings, `.mailmap`) and its checksum match, and when every field reads
//! within bounds; anything else (corrupt, foreign, outdated, too large) is
//! ignored and written anew. Trend values are keyed by content (account,
//! blob, commit date, a hash of the config and of the visit records), so a
//! stale entry is never looked up. The cache changes speed, never results.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::enrich::TrendValues;
use super::git::Repo;

const MAGIC: &[u8] = b"kaplan history cache\n";
/// The layout below; a file of another layout is ignored.
const FORMAT: u32 = 1;
/// A larger file is neither read nor written.
const MAX_BYTES: usize = 512 << 20;

/// A 64-bit FNV-1a-style hash of `parts`, each followed by its length, taken
/// eight bytes at a time: stable from run to run and build to build (unlike
/// `std`'s hasher), and fast enough to check a cache of tens of megabytes.
pub(crate) fn hash(parts: &[&[u8]]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            h = (h ^ u64::from_le_bytes(w.try_into().unwrap_or_default())).wrapping_mul(PRIME);
            h ^= h >> 29;
        }
        for b in words.remainder() {
            h = (h ^ u64::from(*b)).wrapping_mul(PRIME);
        }
    };
    for part in parts {
        eat(part);
        eat(&(part.len() as u64).to_le_bytes());
    }
    h
}

/// What the cache file holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stored {
    /// The commit the log was read at.
    pub(crate) head: String,
    /// The shallow boundary then.
    pub(crate) boundary: Vec<String>,
    /// `git log`'s output at `head` ([`Repo::log`]).
    pub(crate) log: Arc<Vec<u8>>,
    /// Trend values by version key.
    pub(crate) trend: HashMap<String, TrendValues>,
}

/// The cache file of `repo`.
pub(crate) fn path(repo: &Repo) -> PathBuf {
    repo.git_dir.join("kaplan").join("history.cache")
}

/// What the file and `repo` must agree on: kaplan's version (with the
/// commit it was built from, when known) and the shape of the log.
fn identity(repo: &Repo) -> Vec<u8> {
    identity_of(env!("KAPLAN_VERSION"), repo)
}

/// [`identity`] for kaplan `version`.
fn identity_of(version: &str, repo: &Repo) -> Vec<u8> {
    let mut out = version.as_bytes().to_vec();
    out.push(0);
    out.extend_from_slice(&repo.log_shape.to_le_bytes());
    out
}

/// The cache of `repo`, when there is a valid one.
pub(crate) fn read(repo: &Repo) -> Option<Stored> {
    let file = path(repo);
    let len = std::fs::metadata(&file).ok()?.len();
    if len > MAX_BYTES as u64 {
        return None;
    }
    let bytes = std::fs::read(&file).ok()?;
    decode(bytes, &identity(repo))
}

/// Writes `stored` as `repo`'s cache (replacing the file at once, so a
/// reader sees the old file or the new, never half of one). A cache that
/// cannot be written is no error: the next run reads git again.
pub(crate) fn write(repo: &Repo, stored: &Stored) {
    write_as(env!("KAPLAN_VERSION"), repo, stored);
}

/// [`write`], as kaplan `version` would.
pub(super) fn write_as(version: &str, repo: &Repo, stored: &Stored) {
    let bytes = encode(stored, &identity_of(version, repo));
    if bytes.len() > MAX_BYTES {
        return;
    }
    let file = path(repo);
    let Some(dir) = file.parent() else { return };
    let temp = dir.join(format!("history.cache.{}", std::process::id()));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&temp, &bytes))
        .and_then(|()| std::fs::rename(&temp, &file));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn encode(stored: &Stored, identity: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(stored.log.len() + stored.trend.len() * 96 + 256);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    put(&mut out, identity);
    put(&mut out, stored.head.as_bytes());
    out.extend_from_slice(&(stored.boundary.len() as u64).to_le_bytes());
    for b in &stored.boundary {
        put(&mut out, b.as_bytes());
    }
    put(&mut out, &stored.log);
    // Sorted, so the same cache is the same file.
    let mut trend: Vec<(&String, &TrendValues)> = stored.trend.iter().collect();
    trend.sort_by(|a, b| a.0.cmp(b.0));
    out.extend_from_slice(&(trend.len() as u64).to_le_bytes());
    for (key, (a, b, c)) in trend {
        put(&mut out, key.as_bytes());
        for x in [a, b, c] {
            out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }
    let sum = hash(&[&out]);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Reads fields off a byte slice; `None` past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }

    fn string(&mut self) -> Option<String> {
        Some(std::str::from_utf8(self.bytes()?).ok()?.to_owned())
    }

    /// A count of items each at least `min` bytes long (so a corrupt count
    /// cannot make a reader reserve more than the file holds).
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len() / min).then_some(n)
    }
}

/// The cache in `bytes` (whose buffer becomes the log's: a cache of tens
/// of megabytes is not copied).
fn decode(mut bytes: Vec<u8>, identity: &[u8]) -> Option<Stored> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if hash(&[body]).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader(body);
    if r.take(MAGIC.len())? != MAGIC || r.take(4)? != FORMAT.to_le_bytes() {
        return None;
    }
    if r.bytes()? != identity {
        return None;
    }
    let head = r.string()?;
    let n = r.count(8)?;
    let boundary = (0..n).map(|_| r.string()).collect::<Option<Vec<_>>>()?;
    let log_len = r.bytes()?.len();
    let log_end = body.len() - r.0.len();
    let n = r.count(32)?;
    let mut trend = HashMap::with_capacity(n);
    for _ in 0..n {
        let key = r.string()?;
        let mut x = [0.0; 3];
        for v in &mut x {
            *v = f64::from_bits(r.u64()?);
        }
        trend.insert(key, (x[0], x[1], x[2]));
    }
    if !r.0.is_empty() {
        return None;
    }
    bytes.truncate(log_end);
    bytes.drain(..log_end - log_len);
    Some(Stored {
        head,
        boundary,
        log: Arc::new(bytes),
        trend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Stored {
        Stored {
            head: "c2".into(),
            boundary: vec!["b1".into()],
            log: Arc::new(b"\x1ec2\0log".to_vec()),
            trend: HashMap::from([("a\0b1".to_owned(), (1.5, 2.0, 0.5))]),
        }
    }

    #[test]
    fn a_cache_reads_back_as_written() {
        let bytes = encode(&stored(), b"id");
        let back = decode(bytes.clone(), b"id").unwrap();
        assert_eq!(back.head, "c2");
        assert_eq!(back.boundary, ["b1"]);
        assert_eq!(*back.log, b"\x1ec2\0log");
        assert_eq!(back.trend, stored().trend);
        assert_eq!(encode(&back, b"id"), bytes);
    }

    #[test]
    fn a_corrupt_foreign_or_truncated_cache_is_not_used() {
        let bytes = encode(&stored(), b"id");
        // Another kaplan, another repository shape.
        assert!(decode(bytes.clone(), b"other").is_none());
        // Any byte changed, any length cut, garbage: ignored, never a panic.
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            assert!(decode(bad, b"id").is_none(), "byte {i}");
            assert!(decode(bytes[..i].to_vec(), b"id").is_none(), "cut at {i}");
        }
        // A valid checksum over nonsense: the fields must still read.
        let mut forged = MAGIC.to_vec();
        forged.extend_from_slice(&FORMAT.to_le_bytes());
        put(&mut forged, b"id");
        forged.extend_from_slice(&u64::MAX.to_le_bytes());
        let sum = hash(&[&forged]);
        forged.extend_from_slice(&sum.to_le_bytes());
        assert!(decode(forged, b"id").is_none());
    }
}

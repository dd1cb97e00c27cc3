//! The history cache kept between runs, in the repository's git directory
//! (`kaplan/history.cache`): the log up to the `HEAD` it was read at, and
//! what checking plan versions found so far (trend values, comparisons
//! with the last review), so that a later run reads only new commits and
//! checks only new versions.
//!
//! The file is input like any other: it is used only when its header, its
//! kaplan version, the shape of the log (plans root, the repository's
//! settings, `.mailmap`) and its checksum match, and when every field reads
//! within bounds; anything else (corrupt, foreign, outdated, too large) is
//! ignored and written anew. Trend values are keyed by content (account,
//! blob, commit date, a hash of the config and of the visit records), and
//! comparisons by account, base blob, day, a hash of the config and one of
//! the account as read now, so a stale entry is never looked up. The cache
//! changes speed, never results.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::diff::{Change, Item, Kind, Val};
use super::enrich::TrendValues;
use super::git::Repo;

use crate::text::hash;

const MAGIC: &[u8] = b"kaplan history cache\n";
/// The layout below; a file of another layout is ignored.
const FORMAT: u32 = 2;
/// A larger file is neither read nor written.
const MAX_BYTES: usize = 512 << 20;

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
    /// Changes since the last review by comparison key.
    pub(crate) changes: HashMap<String, Vec<Change>>,
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

/// An optional string: a flag byte, then the string.
fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    out.push(u8::from(s.is_some()));
    if let Some(s) = s {
        put(out, s.as_bytes());
    }
}

/// An optional value: a tag byte ([`NO_VALUE`] for none), then its fields.
fn put_val(out: &mut Vec<u8>, v: Option<&Val>) {
    match v {
        None => out.push(NO_VALUE),
        Some(Val::Flag(b)) => out.extend_from_slice(&[0, u8::from(*b)]),
        Some(Val::Number(n)) => {
            out.push(1);
            out.extend_from_slice(&n.to_bits().to_le_bytes());
        }
        Some(Val::Name(t)) => {
            out.push(2);
            put(out, t.as_bytes());
        }
        Some(Val::Text(t)) => {
            out.push(3);
            put(out, t.as_bytes());
        }
        Some(Val::List(items)) => {
            out.push(4);
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for t in items {
                put(out, t.as_bytes());
            }
        }
    }
}

const NO_VALUE: u8 = 0xff;

fn put_change(out: &mut Vec<u8>, c: &Change) {
    put(out, c.section.as_bytes());
    out.push(match c.kind {
        Kind::Added => 0,
        Kind::Removed => 1,
        Kind::Changed => 2,
    });
    out.push(u8::from(c.item.is_some()));
    if let Some(item) = &c.item {
        put(out, item.what.as_bytes());
        put(out, item.key.as_bytes());
        out.extend_from_slice(&[u8::from(item.by_id), u8::from(item.person)]);
        put_opt(out, item.name.as_deref());
    }
    put_opt(out, c.field.as_deref());
    put_opt(out, c.sub.as_deref());
    put_val(out, c.old.as_ref());
    put_val(out, c.new.as_ref());
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
    let mut changes: Vec<(&String, &Vec<Change>)> = stored.changes.iter().collect();
    changes.sort_by(|a, b| a.0.cmp(b.0));
    out.extend_from_slice(&(changes.len() as u64).to_le_bytes());
    for (key, list) in changes {
        put(&mut out, key.as_bytes());
        out.extend_from_slice(&(list.len() as u64).to_le_bytes());
        for c in list {
            put_change(&mut out, c);
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

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(if self.flag()? {
            Some(self.string()?)
        } else {
            None
        })
    }

    fn val(&mut self) -> Option<Option<Val>> {
        Some(Some(match self.byte()? {
            NO_VALUE => return Some(None),
            0 => Val::Flag(self.flag()?),
            1 => Val::Number(f64::from_bits(self.u64()?)),
            2 => Val::Name(self.string()?),
            3 => Val::Text(self.string()?),
            4 => {
                let n = self.count(8)?;
                Val::List((0..n).map(|_| self.string()).collect::<Option<_>>()?)
            }
            _ => return None,
        }))
    }

    fn change(&mut self) -> Option<Change> {
        let section = self.string()?.into();
        let kind = match self.byte()? {
            0 => Kind::Added,
            1 => Kind::Removed,
            2 => Kind::Changed,
            _ => return None,
        };
        let item = if self.flag()? {
            Some(Item {
                what: self.string()?.into(),
                key: self.string()?,
                by_id: self.flag()?,
                person: self.flag()?,
                name: self.opt_string()?,
            })
        } else {
            None
        };
        Some(Change {
            section,
            kind,
            item,
            field: self.opt_string()?,
            sub: self.opt_string()?,
            old: self.val()?,
            new: self.val()?,
        })
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
    let n = r.count(16)?;
    let mut changes = HashMap::with_capacity(n);
    for _ in 0..n {
        let key = r.string()?;
        let m = r.count(13)?;
        let list = (0..m).map(|_| r.change()).collect::<Option<Vec<_>>>()?;
        changes.insert(key, list);
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
        changes,
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
            changes: HashMap::from([("a\0b1\0today".to_owned(), changes())]),
        }
    }

    /// Changes of every shape the diff makes.
    fn changes() -> Vec<Change> {
        let item = Item {
            what: "stakeholder".into(),
            key: "cto".into(),
            by_id: true,
            name: Some("王芳".into()),
            person: true,
        };
        let change = |kind, old, new| Change {
            section: "stakeholders".into(),
            kind,
            item: Some(item.clone()),
            field: Some("needs.kind".into()),
            sub: Some("成本".into()),
            old,
            new,
        };
        vec![
            change(Kind::Added, None, Some(Val::Flag(true))),
            change(Kind::Removed, Some(Val::Number(-0.25)), None),
            change(
                Kind::Changed,
                Some(Val::Name("gold".into())),
                Some(Val::Text("多行\n文字".into())),
            ),
            Change {
                section: "figures".into(),
                kind: Kind::Changed,
                item: None,
                field: None,
                sub: None,
                old: Some(Val::List(vec![])),
                new: Some(Val::List(vec!["a".into(), "".into()])),
            },
        ]
    }

    #[test]
    fn a_cache_reads_back_as_written() {
        let bytes = encode(&stored(), b"id");
        let back = decode(bytes.clone(), b"id").unwrap();
        assert_eq!(back.head, "c2");
        assert_eq!(back.boundary, ["b1"]);
        assert_eq!(*back.log, b"\x1ec2\0log");
        assert_eq!(back.trend, stored().trend);
        assert_eq!(back.changes, stored().changes);
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

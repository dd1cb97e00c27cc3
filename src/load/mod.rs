//! Discovery and loading: the plans repository on disk becomes plain data.
//!
//! Loading never stops at a bad file: every problem becomes a diagnostic and
//! the other files and accounts are still read.

pub(crate) mod read;
pub mod rules;
mod source;
pub mod yaml;

use crate::message::{Message, texts};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;
use walkdir::WalkDir;

pub use read::{Field, FromNode, MapReader, suggest};
pub(crate) use source::{Source, Tree, committed_plan};
pub use yaml::Node;

use crate::diagnostic::{Diagnostic, Sink};
use crate::model::{AccountFiles, Document, Masked, People, Plan, Span};
use crate::text::{count_byte, has_byte};
use rules::{INVALID_VALUE, MISSING_REQUIRED, SYNTAX};

texts! {
    CANNOT_READ: "cannot read `{file}`: {why}" / "无法读取 `{file}`：{why}";
    FOLDER_NOT_ID:
        "the account folder `{id}` is not a valid id: rename it in lowercase kebab-case (e.g. `east-mobile`)"
        / "客户文件夹名 `{id}` 不是有效的 id：请改成小写字母加连字符的形式（例如 `east-mobile`）";
    NO_PLAN:
        "account folder `accounts/{id}` has no plan.yaml"
        / "客户文件夹 `accounts/{id}` 里没有 plan.yaml";
    NO_PLAN_HELP: "create it with `kaplan new {id}`" / "用 `kaplan new {id}` 创建";
    BINARY: "`{file}` is a binary file, not text" / "`{file}` 是二进制文件，不是文本";
    NOT_UTF8:
        "`{file}` is not UTF-8 text (invalid byte {byte})"
        / "`{file}` 不是 UTF-8 文本（无效字节 {byte}）";
    NOT_UTF8_HELP: "save the file as UTF-8" / "请把文件另存为 UTF-8 编码";
    UNCLOSED: "the front matter is not closed" / "前置元数据（front matter）没有结束";
    UNCLOSED_HELP:
        "end the front matter with a line holding only `---`"
        / "在前置元数据末尾加一行，只写 `---`";
}

/// Largest input file read; plans are a few kilobytes.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A problem that stops loading altogether.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The root folder cannot be read.
    #[error("cannot read the plans root `{path}`")]
    Root {
        /// The root.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Everything read from a plans repository.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// The accounts, sorted by id.
    pub(crate) accounts: Vec<Arc<AccountFiles>>,
    /// Problems found while reading.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Reads every account under `root/accounts`, skipping hidden entries and
/// the folders in `exclude` (the output folder).
pub(crate) fn load_accounts(root: &Path, exclude: &[PathBuf]) -> Result<Loaded, LoadError> {
    use rayon::prelude::*;
    let (dirs, mut loaded) = account_dirs(root, exclude)?;
    let accounts: Vec<Loaded> = dirs
        .par_iter()
        .with_max_len(1) // one account per job, as in `crate::build`
        .map(|(id, dir)| load_account(root, dir, id, exclude))
        .collect();
    for account in accounts {
        loaded.merge(account);
    }
    Ok(loaded)
}

/// The account folders under `root/accounts`, sorted by id, and the
/// diagnostics of entries that could not be read.
pub(crate) fn account_dirs(
    root: &Path,
    exclude: &[PathBuf],
) -> Result<(Vec<(String, PathBuf)>, Loaded), LoadError> {
    std::fs::read_dir(root).map_err(|source| LoadError::Root {
        path: root.to_owned(),
        source,
    })?;
    let mut loaded = Loaded::default();
    let mut dirs = Vec::new();
    let accounts_dir = root.join("accounts");
    if !accounts_dir.is_dir() {
        return Ok((dirs, loaded));
    }
    if let Some(why) = link_escape(root, &accounts_dir) {
        account_error(root, &accounts_dir, why.describe(), &mut loaded);
        return Ok((dirs, loaded));
    }
    let entries = match std::fs::read_dir(&accounts_dir) {
        Ok(entries) => entries,
        Err(e) => {
            account_error(root, &accounts_dir, &e.to_string(), &mut loaded);
            return Ok((dirs, loaded));
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                account_error(root, &accounts_dir, &e.to_string(), &mut loaded);
                continue;
            }
        };
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let path = entry.path();
        if !is_account_folder(&name) || is_excluded(&path, exclude) {
            continue;
        }
        // The type without a `stat`, except for symbolic links, which are followed.
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() && links_above(&path, &accounts_dir) => {
                    account_error(root, &path, LOOPS_BACK, &mut loaded);
                    false
                }
                Ok(m) if m.is_dir() => match link_escape(root, &path) {
                    Some(why) => {
                        account_error(root, &path, why.describe(), &mut loaded);
                        false
                    }
                    None => true,
                },
                Ok(_) => false,
                Err(e) => {
                    account_error(root, &path, &e.to_string(), &mut loaded);
                    false
                }
            },
            Ok(t) => t.is_dir(),
            Err(e) => {
                account_error(root, &path, &e.to_string(), &mut loaded);
                false
            }
        };
        if is_dir {
            dirs.push((name, path));
        }
    }
    dirs.sort_unstable();
    Ok((dirs, loaded))
}

/// Where a symbolic link under the plans root leads, when kaplan must not
/// follow it: the plans root is all that kaplan reads or publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// Out of the plans root (or nowhere that can be resolved).
    Outside,
    /// Into a hidden folder of the root, such as `.git`.
    Hidden,
    /// Into the plans' `accounts/` folder (only where plans must not be
    /// published: `static/` and themes).
    Plans,
    /// To nothing: the target does not exist.
    Broken,
}

impl Escape {
    /// Why the link is not followed, as a diagnostic says it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Escape::Outside => {
                "it is a symbolic link that points outside the repository; kaplan reads nothing outside the plans root"
            }
            Escape::Hidden => {
                "it is a symbolic link into a hidden folder (such as `.git`), which kaplan never reads"
            }
            Escape::Plans => {
                "it is a symbolic link into `accounts/`; the plans are never copied into the site as they are"
            }
            Escape::Broken => "it is a symbolic link to nothing: its target does not exist",
        }
    }
}

/// Whether `path` (under `root`) is a symbolic link that must not be
/// followed, or lies in a folder reached through one. Only links cost a
/// look: for anything else this is one `lstat`.
pub(crate) fn link_escape(root: &Path, path: &Path) -> Option<Escape> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    resolved_escape(root, path)
}

/// Where `path` leads once every link on the way is resolved, against the
/// resolved `root`; `None` when that is a visible place inside it.
pub(crate) fn resolved_escape(root: &Path, path: &Path) -> Option<Escape> {
    let Ok(target) = std::fs::canonicalize(path) else {
        return Some(Escape::Broken);
    };
    let Ok(root) = std::fs::canonicalize(root) else {
        return Some(Escape::Outside);
    };
    let Ok(inside) = target.strip_prefix(&root) else {
        return Some(Escape::Outside);
    };
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_str().is_none_or(|n| n.starts_with('.')));
    hidden.then_some(Escape::Hidden)
}

/// What kind of file `meta` describes, when it is not a regular file or a
/// folder: such files are never opened (a FIFO would block the read).
pub(crate) fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Why a folder reached through a symbolic link to a folder above it is not read.
const LOOPS_BACK: &str = "a symbolic link loops back to a folder above it";

/// Whether the symbolic link `link` leads to `dir` or a folder above it.
fn links_above(link: &Path, dir: &Path) -> bool {
    match (std::fs::canonicalize(link), std::fs::canonicalize(dir)) {
        (Ok(target), Ok(dir)) => dir.starts_with(target),
        _ => false,
    }
}

/// The files under `dir` (to `max_depth`, hidden ones and `exclude` left
/// out): path, size and modification time, so that a watcher can tell what changed.
pub(crate) fn fingerprint(
    dir: &Path,
    exclude: &[PathBuf],
    max_depth: usize,
) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    WalkDir::new(dir)
        .max_depth(max_depth)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e) && !is_excluded(e.path(), exclude))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().ok();
            (
                e.into_path(),
                meta.as_ref().map_or(0, |m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            )
        })
        .collect()
}

impl Loaded {
    /// Adds another load's results.
    pub(crate) fn merge(&mut self, mut other: Loaded) {
        self.accounts.append(&mut other.accounts);
        self.diagnostics.append(&mut other.diagnostics);
    }
}

fn is_hidden(e: &walkdir::DirEntry) -> bool {
    e.depth() > 0 && e.file_name().to_str().is_none_or(|n| n.starts_with('.'))
}

fn is_excluded(path: &Path, exclude: &[PathBuf]) -> bool {
    path.file_name().is_some_and(|n| n == "public") || exclude.iter().any(|x| path.starts_with(x))
}

/// `path` relative to `root`, `/`-separated.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    // Usually `path` is the text of `root`, a `/` and segments that are its
    // components: the text after the `/` is the answer.
    if std::path::MAIN_SEPARATOR == '/'
        && let (Some(root), Some(path)) = (root.to_str(), path.to_str())
        && !root.is_empty()
        && let Some(rest) = path.strip_prefix(root).and_then(|r| r.strip_prefix('/'))
        && rest.split('/').all(|seg| !seg.is_empty() && seg != ".")
    {
        return rest.to_owned();
    }
    joined_components(path.strip_prefix(root).unwrap_or(path))
}

/// The components of `path`, joined with `/`.
fn joined_components(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk_error(root: &Path, err: &walkdir::Error, loaded: &mut Loaded) {
    let why = if err.loop_ancestor().is_some() {
        LOOPS_BACK.to_owned()
    } else {
        err.io_error()
            .map_or_else(|| err.to_string(), ToString::to_string)
    };
    account_error(root, err.path().unwrap_or(root), &why, loaded);
}

/// Reports that `path` cannot be read, against the account it belongs to.
fn account_error(root: &Path, path: &Path, why: &str, loaded: &mut Loaded) {
    let path = relative(root, path);
    let account = path.split('/').nth(1).unwrap_or_default().to_owned();
    let mut sink = Sink::new(&account, &path);
    let message = Message::new(&CANNOT_READ)
        .with("file", path.as_str())
        .with("why", why);
    sink.emit(&SYNTAX, Span::FILE, message);
    loaded.diagnostics.append(&mut sink.diagnostics);
}

/// Whether a folder named `name` in `accounts/` is an account: hidden
/// folders and `public` (an output folder) are not.
fn is_account_folder(name: &str) -> bool {
    !name.starts_with('.') && name != "public"
}

/// What an input file of an account folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    /// `plan.yaml`.
    Plan,
    /// A narrative page: a Markdown file in the folder.
    Page,
    /// A visit record: a Markdown file in `visits/`.
    Visit,
}

/// What the file at `parts` (its path inside the account folder, one
/// component each) is, by the shape of its path: the one file selection
/// of the working tree and of git trees. Hidden entries are left out
/// before (by the walk, or by [`input`]).
fn input_kind<S: AsRef<std::ffi::OsStr>>(parts: &[S]) -> Option<Input> {
    let md = |n: &S| Path::new(n.as_ref()).extension().is_some_and(|x| x == "md");
    match parts {
        [n] if n.as_ref() == "plan.yaml" => Some(Input::Plan),
        [n] if md(n) => Some(Input::Page),
        [d, n] if d.as_ref() == "visits" && md(n) => Some(Input::Visit),
        _ => None,
    }
}

/// The account and the kind of input of `path` (relative to the plans
/// root, `/`-separated), when the loader reads it: in an account folder,
/// not hidden, of an [`input_kind`].
fn input(path: &str) -> Option<(&str, Input)> {
    let (id, rest) = path.strip_prefix("accounts/")?.split_once('/')?;
    let parts: Vec<&str> = rest.split('/').collect();
    let visible = parts.iter().all(|p| !p.starts_with('.'));
    let kind = input_kind(&parts).filter(|_| visible && is_account_folder(id))?;
    Some((id, kind))
}

/// An account without files yet, and the sink of its `plan.yaml` (file
/// `plan_file`), which holds a diagnostic when `id` is not a valid id.
fn begin_account(id: &str, plan_file: &str) -> (AccountFiles, Sink) {
    let account = AccountFiles {
        id: id.to_owned(),
        ..AccountFiles::default()
    };
    let mut sink = Sink::new(id, plan_file);
    if crate::model::Id::parse(id).is_err() {
        sink.emit(
            &INVALID_VALUE,
            Span::FILE,
            Message::new(&FOLDER_NOT_ID).with("id", id),
        );
    }
    (account, sink)
}

/// Reports that account `id` has no `plan.yaml`.
fn missing_plan(id: &str, sink: &mut Sink) {
    sink.emit_help(
        &MISSING_REQUIRED,
        Span::FILE,
        Message::new(&NO_PLAN).with("id", id),
        Message::new(&NO_PLAN_HELP).with("id", id),
    );
}

/// Adds input `file` of `kind`, read as `text`, to `account`, with the
/// lines reports never quote.
fn add_file(account: &mut AccountFiles, kind: Input, file: &str, text: &str, sink: &mut Sink) {
    let masked = match kind {
        Input::Visit => {
            let (visit, masked) = parse_document_masked(file, text, sink);
            account.visits.push(visit);
            account.sources.insert(file.to_owned(), text.into());
            masked
        }
        Input::Page => {
            let (page, masked) = parse_document_masked(file, text, sink);
            account.pages.push(page);
            masked
        }
        Input::Plan => {
            let (plan, masked) = parse_plan_masked(text, sink);
            account.plan = plan;
            account.sources.insert(file.to_owned(), text.into());
            masked
        }
    };
    keep_masked(account, file, text, masked);
}

/// Reads one account folder.
pub(crate) fn load_account(root: &Path, dir: &Path, id: &str, exclude: &[PathBuf]) -> Loaded {
    let mut loaded = Loaded::default();
    let plan_path = dir.join("plan.yaml");
    let plan_file = relative(root, &plan_path);
    let (mut account, mut sink) = begin_account(id, &plan_file);
    match std::fs::symlink_metadata(&plan_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing_plan(id, &mut sink),
        Err(e) => refuse(&mut sink, &e.to_string()),
        Ok(m) if m.file_type().is_symlink() => match resolved_escape(root, &plan_path) {
            Some(why) => refuse(&mut sink, why.describe()),
            None => read_plan(&plan_path, &plan_file, &mut account, &mut sink),
        },
        Ok(m) if !m.is_file() => refuse(&mut sink, &not_a_file(&m)),
        Ok(_) => read_plan(&plan_path, &plan_file, &mut account, &mut sink),
    }
    loaded.diagnostics.append(&mut sink.diagnostics);

    let mut files = WalkDir::new(dir)
        .min_depth(1)
        .max_depth(2)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let other_dir = e.depth() == 1 && e.file_type().is_dir() && e.file_name() != "visits";
            !is_hidden(e) && !is_excluded(e.path(), exclude) && !other_dir
        });
    while let Some(entry) = files.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                // Only entries that would have been read are worth an error:
                // a broken link among an account's attachments is not input.
                if err.path().is_some_and(|p| may_be_input(p, err.depth())) {
                    walk_error(root, &err, &mut loaded);
                }
                continue;
            }
        };
        let path = entry.path();
        if !may_be_input(path, entry.depth()) {
            continue;
        }
        // A link is followed only to a visible place inside the root; what
        // lies in a folder reached through one was checked with the folder.
        if entry.path_is_symlink()
            && let Some(why) = resolved_escape(root, path)
        {
            account_error(root, path, why.describe(), &mut loaded);
            if entry.file_type().is_dir() {
                files.skip_current_dir();
            }
            continue;
        }
        let kind = input_at(path, entry.depth());
        let (Some(kind), false) = (kind, entry.file_type().is_dir()) else {
            continue;
        };
        let file = relative(root, path);
        let mut sink = Sink::new(id, &file);
        if !entry.file_type().is_file() {
            let why = entry
                .metadata()
                .map_or_else(|e| e.to_string(), |m| not_a_file(&m));
            refuse(&mut sink, &why);
        } else if let Some(text) = read_text(path, &mut sink) {
            add_file(&mut account, kind, &file, &text, &mut sink);
        }
        loaded.diagnostics.append(&mut sink.diagnostics);
    }
    loaded.accounts.push(Arc::new(account));
    loaded
}

/// The [`input_kind`] of `path`, `depth` levels inside an account folder.
fn input_at(path: &Path, depth: usize) -> Option<Input> {
    let name = path.file_name()?;
    match depth {
        1 => input_kind(&[name]),
        2 => input_kind(&[path.parent()?.file_name()?, name]),
        _ => None,
    }
}

/// Whether `path`, `depth` levels inside an account folder, is a page, the
/// `visits` folder or a visit record.
fn may_be_input(path: &Path, depth: usize) -> bool {
    let visits = depth == 1 && path.file_name().is_some_and(|n| n == "visits");
    visits || matches!(input_at(path, depth), Some(Input::Page | Input::Visit))
}

/// Reports that the sink's file is not read, and why.
fn refuse(sink: &mut Sink, why: &str) {
    let file = sink.file().to_owned();
    let message = Message::new(&CANNOT_READ)
        .with("file", file)
        .with("why", why);
    sink.emit(&SYNTAX, Span::FILE, message);
}

/// Why a file of metadata `meta` is not read: it is not a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> String {
    let kind = if meta.is_dir() {
        "a folder"
    } else {
        special_kind(meta).unwrap_or("something other than a file")
    };
    format!("it is {kind}, not a regular file")
}

/// Reads and parses `plan.yaml` (`file`) into `account`.
fn read_plan(path: &Path, file: &str, account: &mut AccountFiles, sink: &mut Sink) {
    if let Some(text) = read_text(path, sink) {
        add_file(account, Input::Plan, file, &text, sink);
    }
}

/// Keeps the lines of `file` that reports never quote (none, for most
/// pages), unless a line of it ends in a lone `\r` (the report counts those
/// itself).
fn keep_masked(account: &mut AccountFiles, file: &str, text: &str, masked: Masked) {
    let lone_cr = text
        .match_indices('\r')
        .any(|(i, _)| !text[i + 1..].starts_with('\n'));
    if !lone_cr {
        account.masked.insert(file.to_owned(), masked);
    }
}

/// Reads a file as UTF-8 text, without a BOM; reports why when it cannot.
fn read_text(path: &Path, sink: &mut Sink) -> Option<String> {
    decode(read_at_most(path, MAX_FILE_BYTES), sink)
}

/// The text of the sink's file, read as `bytes`: UTF-8 without a BOM and
/// without NUL; reports why when it cannot be read as text. Files on disk
/// and in git trees are decoded here alike.
fn decode(bytes: std::io::Result<Vec<u8>>, sink: &mut Sink) -> Option<String> {
    let file = sink.file().to_owned();
    let mut bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let message = Message::new(&CANNOT_READ)
                .with("file", file)
                .with("why", e.to_string());
            sink.emit(&SYNTAX, Span::FILE, message);
            return None;
        }
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) if has_byte(text.as_bytes(), 0) => {
            let at = position_of(&text, text.find('\0').unwrap_or(0));
            sink.emit(&SYNTAX, at, Message::new(&BINARY).with("file", file));
            None
        }
        Ok(text) => Some(text),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid_up_to = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
            let at = position_of(valid, valid.len());
            sink.emit_help(
                &SYNTAX,
                at,
                Message::new(&NOT_UTF8)
                    .with("file", file)
                    .with("byte", format!("0x{:02X}", bytes[valid_up_to])),
                &NOT_UTF8_HELP,
            );
            None
        }
    }
}

/// The lines (1-based) of a YAML text that hold `private` notes: a line
/// with a `private:` key and the lines indented below it. Textual, so it
/// also works on a file that does not parse; [`masked_lines`] joins it with
/// the lines found on the parsed structure. Lines end at `\n`: give it a
/// text whose lone `\r`s are line feeds for YAML's line numbers.
pub(crate) fn private_lines(text: &str) -> Vec<std::ops::RangeInclusive<usize>> {
    let mut ranges: Vec<std::ops::RangeInclusive<usize>> = Vec::new();
    // The block being skipped: its first line and the column of its key.
    let mut open: Option<(usize, usize)> = None;
    // Only a line that mentions `private` can hold the key: one search of
    // the whole text finds them, and outside a block reading jumps from one
    // to the next, counting the lines in between.
    let mut mentions = text.match_indices("private").map(|(at, _)| at).peekable();
    // Line `n` (1-based) starts at byte `line_start`.
    let (mut n, mut line_start) = (1, 0);
    while line_start < text.len() {
        while mentions.next_if(|&at| at < line_start).is_some() {}
        if open.is_none() {
            let Some(&at) = mentions.peek() else {
                break;
            };
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            n += count_byte(&text.as_bytes()[line_start..start], b'\n');
            line_start = start;
        }
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        let mentioned = mentions.peek().is_some_and(|&at| at < line_end);
        // As `str::lines` gives it.
        let raw = &text[line_start..line_end];
        let line = raw
            .strip_suffix('\n')
            .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
        let this = n;
        (n, line_start) = (n + 1, line_end);
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if let Some((start, col)) = open {
            if body.is_empty() || indent > col {
                continue;
            }
            ranges.push(start..=this - 1);
            open = None;
        }
        if !mentioned {
            continue;
        }
        let Some(at) = private_key(line) else {
            continue;
        };
        let key_line = line[..at].trim_start_matches([' ', '-', '\t']).is_empty();
        if key_line {
            open = Some((this, at));
        } else {
            ranges.push(this..=this);
        }
    }
    // A block still open runs to the last line (reading went line by line).
    if let Some((start, _)) = open {
        ranges.push(start..=(n - 1).max(start));
    }
    ranges
}

/// The byte offset of a `private:` key in `line`, if any.
fn private_key(line: &str) -> Option<usize> {
    line.match_indices("private").find_map(|(at, _)| {
        let before = line[..at].trim_end_matches(['"', '\'']);
        let after = line[at + "private".len()..].trim_start_matches(['"', '\'']);
        let starts_key = before.is_empty() || before.ends_with([' ', '\t', '-', '{', ',']);
        (starts_key && after.trim_start().starts_with(':')).then_some(at)
    })
}

/// Reads a file, failing when it holds more than `limit` bytes. The size
/// on disk only sizes the buffer: it may be stale (the file grows while
/// read) or meaningless (`/proc` files).
pub(crate) fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_for_reading(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(not_a_file(&meta)));
    }
    let size = meta.len();
    if size > limit {
        return Err(too_large(size, limit));
    }
    // One read for the bytes and one to see the end.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "it holds more than {limit} bytes, the limit"
        )));
    }
    Ok(bytes)
}

/// Why a file of `size` bytes is not read, above `limit`.
fn too_large(size: u64, limit: u64) -> std::io::Error {
    std::io::Error::other(format!("it is {size} bytes; the limit is {limit}"))
}

/// Opens `path` for reading without waiting: a FIFO or a device swapped in
/// for a file opens at once, and is then refused for not being a file.
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads `root/rel` when it lies inside `root` once every symbolic link is
/// resolved, outside hidden folders, and is a regular file of at most
/// `limit` bytes: how files are read again for reports and settings.
pub(crate) fn read_inside(root: &Path, rel: &str, limit: u64) -> std::io::Result<Vec<u8>> {
    let path = root.join(rel);
    if let Some(why) = resolved_escape(root, &path) {
        return Err(std::io::Error::other(why.describe()));
    }
    read_at_most(&path, limit)
}

/// The line and column (1-based, in characters) of byte offset `at`.
pub(crate) fn position_of(text: &str, at: usize) -> Span {
    position_in(text, &crate::text::line_starts(&text[..at]), at)
}

/// [`position_of`] with the [`crate::text::line_starts`] of `text` (or of
/// any part of it that holds `at`), for many offsets of one text.
pub(crate) fn position_in(text: &str, starts: &[usize], at: usize) -> Span {
    let line = starts.partition_point(|&s| s <= at).max(1);
    let col = text[starts[line - 1]..at].chars().count() + 1;
    Span::point(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// Reads `people.yaml` at `root` (its text, the people in it), reporting
/// into `sink`; `None` when there is no such file.
pub(crate) fn read_people(root: &Path, sink: &mut Sink) -> Option<(String, Option<People>)> {
    let rel = crate::people::FILE_NAME;
    if std::fs::symlink_metadata(root.join(rel))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return None;
    }
    let Some(text) = decode(read_inside(root, rel, MAX_FILE_BYTES), sink) else {
        return Some((String::new(), None));
    };
    let parsed = yaml::parse(&text, 0);
    for e in &parsed.errors {
        sink.emit(&SYNTAX, e.span, e.message.clone());
    }
    let people = if parsed.errors.iter().any(|e| e.fatal) {
        None
    } else {
        match parsed.root {
            None => Some(People::default()),
            Some(root) => People::from_node(root, sink),
        }
    };
    Some((text, people))
}

/// Parses `plan.yaml`; `None` when it cannot be read as a plan at all.
pub fn parse_plan(text: &str, sink: &mut Sink) -> Option<Plan> {
    parse_plan_masked(text, sink).0
}

/// [`parse_plan`], and the lines reports never quote ([`masked_lines`]),
/// found on the same parse.
fn parse_plan_masked(text: &str, sink: &mut Sink) -> (Option<Plan>, Masked) {
    let mut parsed = yaml::parse(text, 0);
    let masked = with_textual(text, std::mem::take(&mut parsed.private));
    (plan_of(parsed, sink), masked)
}

/// The plan a parsed `plan.yaml` holds, its syntax errors reported; `None`
/// after a fatal one.
fn plan_of(parsed: yaml::Parsed, sink: &mut Sink) -> Option<Plan> {
    let fatal = parsed.errors.iter().any(|e| e.fatal);
    for e in &parsed.errors {
        sink.emit(&SYNTAX, e.span, e.message.clone());
    }
    if fatal {
        return None;
    }
    match parsed.root {
        None => Some(Plan {
            span: Span::FILE,
            ..Plan::default()
        }),
        Some(root) => Plan::from_node(root, sink),
    }
}

/// Splits a Markdown file into front matter and body and reads the front matter.
pub fn parse_document<M: FromNode + Default>(
    file: &str,
    text: &str,
    sink: &mut Sink,
) -> Document<M> {
    parse_document_masked(file, text, sink).0
}

/// [`parse_document`], and the lines reports never quote ([`masked_lines`]),
/// found on the same parse.
fn parse_document_masked<M: FromNode + Default>(
    file: &str,
    text: &str,
    sink: &mut Sink,
) -> (Document<M>, Masked) {
    let mut doc = Document {
        file: file.to_owned(),
        meta: M::default(),
        body: String::new(),
        body_line: 1,
    };
    let (yaml, body_start, body_line) = match front_matter(text) {
        FrontMatter::Closed {
            yaml,
            body_start,
            body_line,
        } => (yaml, body_start, body_line),
        FrontMatter::None => {
            doc.body = text.to_owned();
            return (doc, with_textual(text, Vec::new()));
        }
        FrontMatter::Unclosed => {
            sink.emit_help(&SYNTAX, Span::FILE, &UNCLOSED, &UNCLOSED_HELP);
            doc.body = text.to_owned();
            return (doc, with_textual(text, Vec::new()));
        }
    };
    let parsed = yaml::parse(&text[yaml], 1);
    let masked = with_textual(text, parsed.private);
    let fatal = parsed.errors.iter().any(|e| e.fatal);
    for e in &parsed.errors {
        sink.emit(&SYNTAX, e.span, e.message.clone());
    }
    if !fatal
        && let Some(root) = parsed.root
        && let Some(meta) = M::from_node(root, sink)
    {
        doc.meta = meta;
    }
    doc.body = text[body_start..].to_owned();
    doc.body_line = body_line;
    (doc, masked)
}

/// Where a Markdown file's front matter is.
enum FrontMatter {
    /// The file does not start with a `---` line.
    None,
    /// No `---` (or `...`) line closes it.
    Unclosed,
    /// The YAML (it starts on line 2), and where the body starts.
    Closed {
        yaml: std::ops::Range<usize>,
        body_start: usize,
        body_line: u32,
    },
}

fn front_matter(text: &str) -> FrontMatter {
    let Some(rest) = text
        .strip_prefix("---")
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return FrontMatter::None;
    };
    let yaml_start = 3 + rest.find('\n').map_or(0, |i| i + 1);
    // Find the closing `---` (or `...`) line.
    let mut offset = yaml_start;
    let mut line = 2u32;
    loop {
        let Some(len) = text[offset..]
            .find('\n')
            .map(|i| i + 1)
            .or((offset < text.len()).then(|| text.len() - offset))
        else {
            return FrontMatter::Unclosed;
        };
        let l = text[offset..offset + len].trim_end_matches(['\n', '\r']);
        if l == "---" || l == "..." {
            return FrontMatter::Closed {
                yaml: yaml_start..offset,
                body_start: offset + len,
                body_line: line + 1,
            };
        }
        offset += len;
        line += 1;
    }
}

/// The lines (1-based) of `file` (its path, for its kind) that a report
/// must never quote: the `private` notes found on the parsed structure of
/// a YAML file or of a Markdown file's front matter
/// ([`yaml::private_lines`]), joined with those found by [`private_lines`]'
/// textual scan, which also covers files that do not parse. Lines end as
/// YAML ends them (`\n`, `\r\n`, or a lone `\r`).
pub fn masked_lines(file: &str, text: &str) -> Masked {
    let structural = if file.ends_with(".yaml") || file.ends_with(".yml") {
        yaml::private_lines(text, 0)
    } else if file.ends_with(".md")
        && let FrontMatter::Closed { yaml, .. } = front_matter(text)
    {
        yaml::private_lines(&text[yaml], 1)
    } else {
        Vec::new()
    };
    with_textual(text, structural)
}

/// The lines of `private` notes a file's parse found, joined with those of
/// the textual scan of its text.
fn with_textual(text: &str, structural: Masked) -> Masked {
    let mut all = private_lines(text);
    all.extend(structural);
    all.sort_unstable_by_key(|r| (*r.start(), *r.end()));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PageMeta, Section};

    #[test]
    fn front_matter_is_split_and_positioned() {
        let mut sink = Sink::new("a", "accounts/a/x.md");
        let text = "---\ntitle: Situation\nsection: why\n---\n# Body\n";
        let doc: Document<PageMeta> = parse_document("accounts/a/x.md", text, &mut sink);
        assert!(sink.diagnostics.is_empty());
        assert_eq!(doc.meta.section.as_deref(), Some(&Section::Why));
        assert_eq!(doc.meta.title.as_ref().unwrap().span.line, 2);
        assert_eq!(doc.body, "# Body\n");
        assert_eq!(doc.body_line, 5);
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let mut sink = Sink::new("a", "accounts/a/x.md");
        let _: Document<PageMeta> = parse_document("accounts/a/x.md", "---\ntitle: x\n", &mut sink);
        assert_eq!(sink.diagnostics[0].rule.name, "plan/syntax");
    }

    #[test]
    fn bad_front_matter_field_points_into_the_file() {
        let mut sink = Sink::new("a", "accounts/a/x.md");
        let _: Document<PageMeta> = parse_document(
            "accounts/a/x.md",
            "---\r\nsection: whyy\r\n---\r\nbody",
            &mut sink,
        );
        let d = &sink.diagnostics[0];
        assert_eq!(d.rule.name, "plan/invalid-value");
        assert_eq!((d.span.line, d.span.col), (2, 10));
        let message = d.message(crate::config::Language::En);
        assert!(message.contains("did you mean `why`"), "{message}");
    }

    #[test]
    fn private_blocks_are_found_by_their_lines() {
        let text = "stakeholders:\n  - id: a\n    private:\n      x: 1\n\n      y: [2,\n        3]\n    name: A\n  - {id: b, private: {z: 3}}\n  - private: {w: 4}\n    id: c\n    notes: privately held\n";
        assert_eq!(private_lines(text), [3..=7, 9..=9, 10..=10]);
        assert_eq!(private_lines("a:\n  private:\n    x: 1"), [2..=3]);
        assert!(private_lines("privateer: 1\nprivate_x: 2\n").is_empty());
        assert_eq!(private_lines("a: 1\r\nprivate:\r\n  b: 2\r\nc: 3"), [2..=3]);
    }

    /// The lines the loader keeps for a file are those the report would
    /// find on its own, for every plan, page and visit record of the
    /// example accounts and the test fixtures, and for the ways YAML can
    /// spell `private` (escapes, flow mappings, aliases, CRLF, errors).
    #[test]
    fn the_loaders_masked_lines_are_the_reports() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<(String, String)> =
            ["example-accounts", "tests/fixtures", "tests/rules"]
                .iter()
                .flat_map(|d| WalkDir::new(root.join(d)))
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_owned();
                    let file = if name.ends_with(".md") {
                        "accounts/a/page.md"
                    } else if name.ends_with(".yaml") {
                        "accounts/a/plan.yaml"
                    } else {
                        return None;
                    };
                    Some((file.to_owned(), std::fs::read_to_string(e.path()).ok()?))
                })
                .collect();
        for text in [
            "a:\r\n  \"priv\\u0061te\": {x: 1}\r\nb: 2\r\n",
            "s:\n  - ? private\n    : &n\n      x: 1\n  - y: *n\n",
            "s: [{private: {x: 1}}, {n: 2}]\n",
            "s:\n  private:\n    x: [1,\n",
            "a: 1\na: 2\nprivate:\n  x: 1\n",
        ] {
            texts.push(("accounts/a/plan.yaml".to_owned(), text.to_owned()));
            let page = format!("---\n{text}---\nbody\n");
            texts.push(("accounts/a/page.md".to_owned(), page));
        }
        assert!(texts.len() > 100, "{} files", texts.len());
        for (file, text) in &texts {
            let mut sink = Sink::new("a", file);
            let loaded = if file.ends_with(".md") {
                parse_document_masked::<PageMeta>(file, text, &mut sink).1
            } else {
                parse_plan_masked(text, &mut sink).1
            };
            let normalized = text.replace("\r\n", "\n");
            assert_eq!(loaded, masked_lines(file, &normalized), "{file}:\n{text}");
        }
    }

    /// [`private_lines`] as first written: every line searched on its own.
    fn private_lines_line_by_line(text: &str) -> Vec<std::ops::RangeInclusive<usize>> {
        let mut ranges = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let body = line.trim_start();
            let indent = line.len() - body.len();
            if let Some((start, col)) = open {
                if body.is_empty() || indent > col {
                    continue;
                }
                ranges.push(start..=n - 1);
                open = None;
            }
            let Some(at) = private_key(line) else {
                continue;
            };
            if line[..at].trim_start_matches([' ', '-', '\t']).is_empty() {
                open = Some((n, at));
            } else {
                ranges.push(n..=n);
            }
        }
        if let Some((start, _)) = open {
            ranges.push(start..=text.lines().count().max(start));
        }
        ranges
    }

    #[test]
    fn private_lines_found_from_one_search_match_a_search_per_line() {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "private", "private:", "'private': ", "\"private\":", "privately", "- ", "  ", "    ", "\t",
            "{", "}", ",", ":", " ", "x", "id: a", "notes: private", "\n", "\r\n", "\r", "\n\n", "名称",
        ];
        let mut rng = crate::testing::Rng::new(0x9e37_79b9_7f4a_7c15_u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..5000 {
            let len = next(30);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            assert_eq!(
                private_lines(&text),
                private_lines_line_by_line(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reading_stops_at_the_limit_whatever_the_size_on_disk_says() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.yaml");
        std::fs::write(&path, "x".repeat(11)).unwrap();
        assert_eq!(read_at_most(&path, 11).unwrap().len(), 11);
        let e = read_at_most(&path, 10).unwrap_err();
        assert!(e.to_string().contains("the limit is 10"), "{e}");
        // Files whose size on disk says nothing are read to their end.
        if cfg!(target_os = "linux") {
            let status = read_at_most(Path::new("/proc/self/status"), 1 << 20).unwrap();
            assert!(status.starts_with(b"Name:"));
            let e = read_at_most(Path::new("/proc/self/status"), 10).unwrap_err();
            assert!(e.to_string().contains("more than 10 bytes"), "{e}");
        }
    }

    #[test]
    fn a_nul_is_found_wherever_it_is() {
        for len in [0, 1, 63, 64, 65, 200] {
            let mut bytes = vec![b'x'; len];
            assert!(!has_byte(&bytes, 0));
            for at in 0..len {
                bytes[at] = 0;
                assert!(has_byte(&bytes, 0), "{len} {at}");
                bytes[at] = b'x';
            }
        }
    }

    #[test]
    fn relative_paths_as_text_match_their_components() {
        const PIECES: &[&str] = &[
            "a", "bc", ".", "..", "/", "//", "名称", "x.md", ".hidden", " ",
        ];
        let mut rng = crate::testing::Rng::new(0x853c_49e6_748f_ea9b_u64);
        let mut next = |n: usize| rng.below(n);
        let mut text = |max: usize| -> String {
            let len = next(max);
            (0..len).map(|_| PIECES[next(PIECES.len())]).collect()
        };
        for i in 0..10_000 {
            let root = text(4);
            let path = match i % 3 {
                0 => text(6),
                _ => format!("{root}/{}", text(6)),
            };
            let (root, path) = (Path::new(&root), Path::new(&path));
            let by_components = joined_components(path.strip_prefix(root).unwrap_or(path));
            assert_eq!(relative(root, path), by_components, "{root:?} {path:?}");
        }
        assert_eq!(
            relative(Path::new("/r"), Path::new("/r/accounts/a/plan.yaml")),
            "accounts/a/plan.yaml"
        );
    }

    #[test]
    fn position_counts_characters() {
        assert_eq!(
            position_of("名称\n李明x", "名称\n李明".len()),
            Span::point(2, 3)
        );
    }

    #[test]
    fn positions_from_line_starts_are_positions_counted_from_the_start() {
        for text in ["", "a", "\n", "a\n\nb", "名称\n李明x\n", "x\r\ny\n\n\n李"] {
            let starts = crate::text::line_starts(text);
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let before = &text[..at];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let counted = Span::point(line as u32, col as u32);
                assert_eq!(position_in(text, &starts, at), counted, "{text:?} {at}");
                assert_eq!(position_of(text, at), counted, "{text:?} {at}");
            }
        }
    }
}

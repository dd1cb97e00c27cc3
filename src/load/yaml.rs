//! The one module that talks to the YAML library.
//!
//! saphyr-parser turns text into events with positions; this module builds a
//! small spanned tree from them. We build our own tree rather than use a
//! serde-based loader because every node, valid or not, must keep its
//! position, duplicate keys must be errors, and aliases must be bounded.
//! Scalars keep their text; the reader resolves them (YAML 1.2 core schema,
//! so `yes`/`no`/`on` are strings).

use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError};

use crate::message::{Arg, Message, NOTHING, Text, texts};
use crate::model::Span;
use crate::text::{count_byte, hash};

/// Deepest nesting accepted; plans need about six levels.
pub const MAX_DEPTH: usize = 64;
/// Most nodes one document may expand to, aliases included.
pub const MAX_NODES: usize = 200_000;

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub kind: NodeKind,
    /// Where it was written.
    pub span: Span,
}

/// The three kinds of YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar: its text, and whether it was written plain (unquoted).
    Scalar {
        /// The scalar's text after unescaping.
        text: String,
        /// Written without quotes or block style, so `true`, `12`, `~` resolve.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, with the span of each key.
    Map(Vec<Entry>),
}

/// One key of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key text.
    pub(crate) key: String,
    /// Where the key was written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// A scalar resolved by the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar<'a> {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Anything else, or anything quoted.
    Str(&'a str),
}

impl Node {
    /// What a reader leaves in place of a value it moved out: an empty
    /// plain scalar (null) at no position.
    pub(crate) const TAKEN: Node = Node {
        kind: NodeKind::Scalar {
            text: String::new(),
            plain: true,
        },
        span: Span {
            line: 0,
            col: 0,
            end_line: 0,
            end_col: 0,
        },
    };

    /// Whether this is [`Node::TAKEN`]: no parsed node is at line 0.
    pub(crate) fn is_taken(&self) -> bool {
        self.span.line == 0
    }

    /// The node's kind in words, for messages.
    pub(crate) fn describe(&self) -> &'static Text {
        match &self.kind {
            NodeKind::Seq(_) => &A_LIST,
            NodeKind::Map(_) => &A_MAPPING,
            NodeKind::Scalar { .. } => match self.scalar() {
                Some(Scalar::Null) => &NOTHING_WRITTEN,
                Some(Scalar::Bool(_)) => &A_BOOLEAN,
                Some(Scalar::Int(_) | Scalar::Float(_)) => &A_NUMBER,
                _ => &SOME_TEXT,
            },
        }
    }

    /// The resolved scalar, or `None` for lists and mappings.
    pub(crate) fn scalar(&self) -> Option<Scalar<'_>> {
        let NodeKind::Scalar { text, plain } = &self.kind else {
            return None;
        };
        if !plain {
            return Some(Scalar::Str(text));
        }
        Some(resolve_plain(text))
    }

    /// The node as JSON (for the free-form `private` map and schema checks);
    /// depth is bounded by [`MAX_DEPTH`].
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        let node = self;
        match &node.kind {
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
            NodeKind::Scalar { text, .. } => match node.scalar() {
                Some(Scalar::Null) => Value::Null,
                Some(Scalar::Bool(b)) => Value::Bool(b),
                Some(Scalar::Int(i)) => Value::from(i),
                Some(Scalar::Float(f)) => {
                    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                }
                _ => Value::String(text.clone()),
            },
        }
    }

    /// Whether the node is an explicit or implicit null.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true } if is_null_text(text))
    }
}

/// Whether a plain scalar's text is null in the core schema.
fn is_null_text(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn resolve_plain(text: &str) -> Scalar<'_> {
    if let Some(i) = small_int(text) {
        return Scalar::Int(i);
    }
    if is_null_text(text) {
        return Scalar::Null;
    }
    match text {
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let radix = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_digit(radix)))
            .and_then(|d| i64::from_str_radix(d, radix).ok())
    };
    let int = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        radix("0x", 16).or_else(|| radix("0o", 8))
    };
    if let Some(i) = int {
        return Scalar::Int(i);
    }
    if is_core_float(text)
        && let Ok(f) = text.parse()
    {
        return Scalar::Float(f);
    }
    Scalar::Str(text)
}

/// A decimal integer of at most 18 digits (so it cannot overflow), the
/// usual number in a plan, read without the general path's checks.
fn small_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut value = 0i64;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(d - b'0');
    }
    Some(if negative { -value } else { value })
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => all_digits(int) && all_digits(f) && !(int.is_empty() && f.is_empty()),
        None => !int.is_empty() && all_digits(int),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exp_ok
}

texts! {
    A_LIST: "a list" / "列表";
    A_MAPPING: "a mapping" / "映射（`键: 值`）";
    NOTHING_WRITTEN: "nothing" / "空值";
    A_BOOLEAN: "a boolean" / "布尔值";
    A_NUMBER: "a number" / "数字";
    SOME_TEXT: "text" / "文本";
    MANY_DOCUMENTS:
        "more than one YAML document: a plan file holds exactly one (remove the extra `---`)"
        / "文件里有不止一个 YAML 文档：计划文件只能有一个（删掉多余的 `---`）";
    KEY_NOT_NAME:
        "a mapping key must be a plain name, not {found}"
        / "映射的键必须是普通名称，不能是{found}";
    DUPLICATE_KEY:
        "duplicate key `{key}` (first written on line {line}); remove or rename one of them"
        / "键 `{key}` 重复（第一次写在第 {line} 行）：删掉或改名其中一个";
    DUPLICATE_PRIVATE_KEY:
        "duplicate key in `private` (first written on line {line}); remove or rename one of them"
        / "`private` 中有重复的键（第一次写在第 {line} 行）：删掉或改名其中一个";
    ALIAS_BOMB:
        "the document expands to more than {max} nodes (an alias bomb?); plans never need that many"
        / "文档展开后超过 {max} 个节点（别名炸弹？）；计划文件绝不需要这么多";
    UNKNOWN_ALIAS: "unknown alias" / "未定义的别名";
    PRIVATE_ALIAS:
        "this alias refers to a `private` note, which is never published; write the value here instead"
        / "这个别名指向 `private` 私人备注，而私人备注从不发布：请在这里直接写出值";
    TOO_DEEP:
        "nesting deeper than {max} levels; plans never need that much"
        / "嵌套超过 {max} 层；计划文件绝不需要这么深";
    PARSER_TOO_DEEP:
        "nesting too deep for the YAML parser; plans never need more than {max} levels"
        / "嵌套太深，YAML 解析器无法处理；计划文件绝不需要超过 {max} 层";
    PARSER: "{detail}{hint}" / "YAML 语法错误：{detail}{hint}";
    // The parser's most common complaints, in its words and in Chinese
    // (any other is shown in its words).
    NO_NODE_CONTENT:
        "while parsing a node, did not find expected node content"
        / "这里缺少一个值，或者多了一个符号";
    NO_KEY:
        "while parsing a block mapping, did not find expected key"
        / "缩进不一致：这一行应是上一级映射中的一个键";
    NO_DASH:
        "while parsing a block collection, did not find expected '-' indicator"
        / "缩进不一致：这一行应是以 `-` 开头的列表项";
    NO_MAPPING_HERE:
        "mapping values are not allowed in this context"
        / "这里不能再写 `键: 值`：值里的冒号需要加引号，或者缩进不对";
    NO_ENTRY_HERE:
        "block sequence entries are not allowed in this context"
        / "这里不能开始 `-` 列表项：缩进不对";
    OPEN_LIST:
        "while parsing a flow sequence, expected ',' or ']'"
        / "方括号列表没有闭合：这里应为 `,` 或 `]`";
    OPEN_MAP:
        "while parsing a flow mapping, did not find expected ',' or '}'"
        / "花括号映射没有闭合：这里应为 `,` 或 `}`";
    OPEN_QUOTE:
        "while scanning a quoted scalar, found unexpected end of stream"
        / "引号没有闭合";
    BAD_INDENT: "invalid indentation" / "缩进不正确";
    TAB_INDENT: "tab cannot be used as indentation" / "不能用制表符缩进";
    TAB_HERE: "tabs disallowed within this context (block indentation)" / "这里不能用制表符缩进";
    TAB_IN_TEXT: "while scanning a plain scalar, found a tab" / "文本中出现了制表符";
    UNKNOWN_ANCHOR: "while parsing node, found unknown anchor" / "别名引用了未定义的锚点";
    TWO_ANCHORS: "while parsing anchor, found duplicated anchor" / "锚点重复定义";
    TAB_HINT:
        " (YAML indents with spaces only: replace the tab with spaces)"
        / "（YAML 只能用空格缩进：请把制表符换成空格）";
}

/// A problem found while parsing.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What is wrong.
    pub(crate) message: Message,
    /// Where.
    pub span: Span,
    /// Whether the document could still be read (e.g. a duplicate key).
    pub(crate) fatal: bool,
}

/// The result of parsing one YAML document.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The root node; `None` for an empty document or after a fatal error.
    pub root: Option<Node>,
    /// Every problem found, fatal ones last.
    pub errors: Vec<SyntaxError>,
    /// The lines of `private` notes, as [`private_lines`] finds them.
    pub private: Vec<std::ops::RangeInclusive<usize>>,
}

/// Converts a parser marker to our 1-based span point, shifting by `line_offset`.
fn point(m: &Marker, line_offset: u32) -> Span {
    let line = u32::try_from(m.line())
        .unwrap_or(u32::MAX)
        .saturating_add(line_offset);
    let col = u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1);
    Span::point(line, col)
}

fn span_of(s: &saphyr_parser::Span, line_offset: u32) -> Span {
    let start = point(&s.start, line_offset);
    let end = point(&s.end, line_offset);
    Span {
        end_line: end.line,
        end_col: end.col,
        ..start
    }
}

/// A container being built; its finished children wait on the builder's
/// shared stacks from index `first` on, so that each container's `Vec` is
/// allocated once, at its final size.
enum Open {
    Seq {
        first: usize,
        span: Span,
        anchor: usize,
    },
    Map {
        first: usize,
        pending_key: Option<(String, Span)>,
        span: Span,
        anchor: usize,
        /// The line of each key, once the mapping has more than
        /// [`SCAN_KEYS`]: a key written twice is found in constant time
        /// (a scan of 100,000 keys for each key took 15 s).
        keys: Option<HashMap<String, u32>>,
    },
}

/// Up to this many keys (more than a plan has at its top), a mapping's keys
/// are searched one by one.
const SCAN_KEYS: usize = 32;

struct Builder {
    stack: Vec<Open>,
    /// The items of the open sequences, innermost last.
    items: Vec<Node>,
    /// The entries of the open mappings, innermost last.
    entries: Vec<Entry>,
    /// Anchored nodes: the node, its size, and whether it was written
    /// inside a `private` value.
    anchors: HashMap<usize, (Node, usize, bool)>,
    nodes: usize,
    root: Option<Node>,
    documents: usize,
    errors: Vec<SyntaxError>,
}

impl Builder {
    /// Adds a finished node to its parent (or as the root).
    fn push(&mut self, node: Node, anchor: usize, size: usize) -> Result<(), SyntaxError> {
        if anchor != 0 {
            let private = self.in_private();
            self.anchors.insert(anchor, (node.clone(), size, private));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() || self.documents > 1 {
                    return Err(SyntaxError {
                        message: Message::new(&MANY_DOCUMENTS),
                        span: node.span,
                        fatal: true,
                    });
                }
                self.root = Some(node);
            }
            Some(Open::Seq { .. }) => self.items.push(node),
            Some(Open::Map {
                first,
                pending_key,
                keys,
                ..
            }) => match pending_key.take() {
                None => match node.kind {
                    NodeKind::Scalar { text, .. } => *pending_key = Some((text, node.span)),
                    _ => {
                        return Err(SyntaxError {
                            message: Message::new(&KEY_NOT_NAME).with("found", node.describe()),
                            span: node.span,
                            fatal: true,
                        });
                    }
                },
                Some((key, key_span)) => {
                    let open = &self.entries[*first..];
                    let written = match keys {
                        Some(keys) => keys.get(&key).copied(),
                        None => open.iter().find(|e| e.key == key).map(|e| e.key_span.line),
                    };
                    if let Some(first_line) = written {
                        self.duplicate(&key, key_span, first_line);
                        return Ok(());
                    }
                    match keys {
                        Some(keys) => {
                            keys.insert(key.clone(), key_span.line);
                        }
                        None if open.len() >= SCAN_KEYS => {
                            let lines = open.iter().map(|e| (e.key.clone(), e.key_span.line));
                            *keys = Some(
                                lines
                                    .chain(std::iter::once((key.clone(), key_span.line)))
                                    .collect(),
                            );
                        }
                        None => {}
                    }
                    self.entries.push(Entry {
                        key,
                        key_span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }

    /// Whether the node being read is inside the value of a `private` key
    /// (its parsed text, however it was written: quoted, escaped, explicit).
    fn in_private(&self) -> bool {
        self.stack
            .iter()
            .any(|o| matches!(o, Open::Map { pending_key: Some((k, _)), .. } if k == "private"))
    }

    /// Reports a key written twice in the innermost open mapping.
    fn duplicate(&mut self, key: &str, key_span: Span, first_line: u32) {
        // Inside a `private:` map even key names are personal notes: never
        // quote them.
        let in_private =
            self.stack.iter().rev().skip(1).any(
                |o| matches!(o, Open::Map { pending_key: Some((k, _)), .. } if k == "private"),
            );
        let message = if in_private {
            Message::new(&DUPLICATE_PRIVATE_KEY)
        } else {
            Message::new(&DUPLICATE_KEY).with("key", key)
        };
        self.errors.push(SyntaxError {
            message: message.with("line", first_line.to_string()),
            span: key_span,
            fatal: false,
        });
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), SyntaxError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(SyntaxError {
                message: Message::new(&ALIAS_BOMB).with("max", MAX_NODES.to_string()),
                span,
                fatal: true,
            });
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
            }
            Event::Scalar(text, style, anchor, _tag) => {
                self.count(1, span)?;
                // Most scalars are keys: they wait for their value as they are.
                if anchor == 0
                    && let Some(Open::Map {
                        pending_key: pending @ None,
                        ..
                    }) = self.stack.last_mut()
                {
                    *pending = Some((text.into_owned(), span));
                    return Ok(());
                }
                let plain = style == ScalarStyle::Plain;
                let node = Node {
                    kind: NodeKind::Scalar {
                        text: text.into_owned(),
                        plain,
                    },
                    span,
                };
                self.push(node, anchor, 1)?;
            }
            Event::Alias(id) => {
                let Some((node, size, private)) = self.anchors.get(&id) else {
                    return Err(SyntaxError {
                        message: Message::new(&UNKNOWN_ALIAS),
                        span,
                        fatal: true,
                    });
                };
                if *private && !self.in_private() {
                    // The note would be published, and quoted by messages
                    // about the field: it is read as nothing.
                    self.errors.push(SyntaxError {
                        message: Message::new(&PRIVATE_ALIAS),
                        span,
                        fatal: false,
                    });
                    return self.push(
                        Node {
                            span,
                            ..Node::TAKEN
                        },
                        0,
                        1,
                    );
                }
                let (mut node, size) = (node.clone(), *size);
                self.count(size, span)?;
                node.span = span;
                self.push(node, 0, size)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.count(1, span)?;
                if self.stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        message: Message::new(&TOO_DEEP).with("max", MAX_DEPTH.to_string()),
                        span,
                        fatal: true,
                    });
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Open::Seq {
                            first: self.items.len(),
                            span,
                            anchor,
                        }
                    } else {
                        Open::Map {
                            first: self.entries.len(),
                            pending_key: None,
                            span,
                            anchor,
                            keys: None,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // `split_off` allocates exactly what the children need.
                let (kind, mut node_span, anchor) = match self.stack.pop() {
                    Some(Open::Seq {
                        first,
                        span,
                        anchor,
                    }) => (NodeKind::Seq(self.items.split_off(first)), span, anchor),
                    Some(Open::Map {
                        first,
                        span,
                        anchor,
                        ..
                    }) => (NodeKind::Map(self.entries.split_off(first)), span, anchor),
                    None => return Ok(()),
                };
                node_span.end_line = span.end_line;
                node_span.end_col = span.end_col;
                // Size of a subtree for alias budgeting: counted once when anchored.
                let size = if anchor != 0 { subtree_size(&kind) } else { 0 };
                self.push(
                    Node {
                        kind,
                        span: node_span,
                    },
                    anchor,
                    size,
                )?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }
}

fn subtree_size(kind: &NodeKind) -> usize {
    let mut n = 1;
    let mut todo: Vec<&NodeKind> = vec![kind];
    while let Some(k) = todo.pop() {
        match k {
            NodeKind::Scalar { .. } => {}
            NodeKind::Seq(items) => {
                n += items.len();
                todo.extend(items.iter().map(|i| &i.kind));
            }
            NodeKind::Map(entries) => {
                n += 2 * entries.len();
                todo.extend(entries.iter().map(|e| &e.value.kind));
            }
        }
    }
    n
}

fn scan_error(e: &ScanError, text: &str, line_offset: u32) -> SyntaxError {
    let info = e.info();
    let mut span = point(e.marker(), line_offset);
    // The parser may report a tab at the start of the scalar it was reading
    // (the tab is on a continuation line), or just after it: point at the tab.
    let line = e.marker().line().max(1);
    let col = e.marker().col();
    let at_marker = text.lines().nth(line - 1).and_then(|l| {
        let before = col
            .checked_sub(1)
            .filter(|b| l.chars().nth(*b) == Some('\t'));
        before.or(Some(col).filter(|c| l.chars().nth(*c) == Some('\t')))
    });
    let tab = match at_marker {
        Some(c) => Some((line, c)),
        None if info.contains("tab") => {
            text.lines()
                .enumerate()
                .skip(line - 1)
                .take(3)
                .find_map(|(i, l)| {
                    let from = if i == line - 1 { col } else { 0 };
                    l.chars()
                        .skip(from)
                        .position(|c| c == '\t')
                        .map(|p| (i + 1, from + p))
                })
        }
        None => None,
    };
    if let Some((tab_line, tab_col)) = tab {
        span = Span::point(
            u32::try_from(tab_line)
                .unwrap_or(u32::MAX)
                .saturating_add(line_offset),
            u32::try_from(tab_col + 1).unwrap_or(u32::MAX),
        );
    }
    let message = if info == "recursion limit exceeded" {
        Message::new(&PARSER_TOO_DEEP).with("max", MAX_DEPTH.to_string())
    } else {
        // The parser's own words (English) follow the language's lead-in.
        let hint = if tab.is_some() {
            Message::new(&TAB_HINT)
        } else {
            Message::new(&NOTHING)
        };
        let words = [
            &NO_NODE_CONTENT,
            &NO_KEY,
            &NO_DASH,
            &NO_MAPPING_HERE,
            &NO_ENTRY_HERE,
            &OPEN_LIST,
            &OPEN_MAP,
            &OPEN_QUOTE,
            &BAD_INDENT,
            &TAB_INDENT,
            &TAB_HERE,
            &TAB_IN_TEXT,
            &UNKNOWN_ANCHOR,
            &TWO_ANCHORS,
        ];
        let detail = match words.into_iter().find(|w| w.en == info) {
            Some(w) => Arg::from(w),
            None => Arg::from(info),
        };
        Message::new(&PARSER)
            .with("detail", detail)
            .with("hint", hint)
    };
    SyntaxError {
        message,
        span: within(span, end_of(text, line_offset)),
        fatal: true,
    }
}

/// The position just after the last character of `text`, counting lines as
/// YAML does (`\n`, `\r\n` or a lone `\r` ends a line).
fn end_of(text: &str, line_offset: u32) -> Span {
    let bytes = text.as_bytes();
    let (lf, cr) = (count_byte(bytes, b'\n'), count_byte(bytes, b'\r'));
    // `\r\n` is one break; skip the pair search in the usual text without CRs.
    let crlf = match cr {
        0 => 0,
        _ => bytes.windows(2).filter(|w| w == b"\r\n").count(),
    };
    let breaks = lf + cr - crlf;
    let tail = text.rsplit(['\n', '\r']).next().unwrap_or_default();
    Span::point(
        u32::try_from(breaks + 1)
            .unwrap_or(u32::MAX)
            .saturating_add(line_offset),
        u32::try_from(tail.chars().count() + 1).unwrap_or(u32::MAX),
    )
}

/// `span` moved inside the text: at its very end the parser may count a line
/// that is not there (found by fuzzing: `{`, or `? x` without a value).
fn within(mut span: Span, end: Span) -> Span {
    if span.line > end.line {
        span.line = end.line;
        span.col = end.col;
    }
    if span.end_line > end.line {
        span.end_line = end.line;
        span.end_col = end.col;
    }
    span
}

/// Parses one YAML document. `line_offset` shifts line numbers, for front
/// matter that starts below the top of its file.
pub fn parse(text: &str, line_offset: u32) -> Parsed {
    let mut b = Builder {
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        documents: 0,
        errors: Vec::new(),
    };
    // The private notes are found on the same events: after an error the
    // tree stops, the masker reads on to the parser's end.
    let mut masker = Masker::new(text);
    let mut building = true;
    let end = end_of(text, line_offset);
    for item in Parser::new_from_str(text) {
        // The parser has nothing more after an error.
        let last = item.is_err();
        if let Some(m) = masker.as_mut() {
            m.item(&item);
        }
        if building {
            let result = match item {
                Ok((event, span)) => b.event(event, within(span_of(&span, line_offset), end)),
                Err(e) => Err(scan_error(&e, text, line_offset)),
            };
            if let Err(e) = result {
                b.errors.push(e);
                b.root = None;
                building = false;
            }
        }
        if last || (!building && masker.is_none()) {
            break;
        }
    }
    Parsed {
        root: b.root,
        errors: b.errors,
        private: masker.map_or_else(Vec::new, |m| m.finish(line_offset)),
    }
}

/// The top-level sections of documents parsed before (see
/// [`parse_reusing`]), by their text: kept while one document's versions
/// are read, so that a section a version shares with an earlier one is not
/// parsed again.
#[derive(Debug, Default)]
pub struct Sections(HashMap<u64, Section>);

/// One top-level key and its value, parsed from line `line` on.
#[derive(Debug)]
struct Section {
    /// Its text, the [`hash`] of which is its key.
    text: String,
    line: u32,
    /// The one key, and the span of its mapping, as the section alone parses.
    entry: Entry,
    span: Span,
    private: Vec<std::ops::RangeInclusive<usize>>,
    nodes: usize,
}

impl Section {
    /// A section parsed from line `line` on; `None` unless it is exactly one
    /// key of a mapping, without any error.
    fn of(parsed: Parsed, text: &str, line: u32) -> Option<Section> {
        let root = parsed.root.filter(|_| parsed.errors.is_empty())?;
        let nodes = subtree_size(&root.kind);
        let NodeKind::Map(mut entries) = root.kind else {
            return None;
        };
        let entry = entries.pop().filter(|_| entries.is_empty())?;
        Some(Section {
            text: text.to_owned(),
            line,
            entry,
            span: root.span,
            private: parsed.private,
            nodes,
        })
    }

    /// The section as parsing it from line `line` on gives (its entry, its
    /// mapping's span, its private lines): every line moved by the
    /// distance, columns as they are.
    fn at(&self, line: u32) -> (Entry, Span, Vec<std::ops::RangeInclusive<usize>>) {
        let (mut entry, mut span) = (self.entry.clone(), self.span);
        let delta = i64::from(line) - i64::from(self.line);
        if delta == 0 {
            return (entry, span, self.private.clone());
        }
        let moved = |l: u32| u32::try_from(i64::from(l) + delta).unwrap_or(u32::MAX);
        let shift = |s: &mut Span| {
            s.line = moved(s.line);
            s.end_line = moved(s.end_line);
        };
        shift(&mut span);
        shift(&mut entry.key_span);
        let mut todo = vec![&mut entry.value];
        while let Some(node) = todo.pop() {
            shift(&mut node.span);
            match &mut node.kind {
                NodeKind::Scalar { .. } => {}
                NodeKind::Seq(items) => todo.extend(items.iter_mut()),
                NodeKind::Map(entries) => {
                    for e in entries {
                        shift(&mut e.key_span);
                        todo.push(&mut e.value);
                    }
                }
            }
        }
        let moved = |l: usize| usize::try_from(l as i64 + delta).unwrap_or(usize::MAX);
        let private = self
            .private
            .iter()
            .map(|r| moved(*r.start())..=moved(*r.end()))
            .collect();
        (entry, span, private)
    }
}

/// Where the top-level keys of `text` start (bytes), when `text` is for
/// sure a block mapping whose every key is a name at the start of its own
/// line: every other line is blank, a comment or indented, and the text has
/// no tab, carriage return or byte order mark. Such a key's value ends
/// where the next key starts (a plain or block scalar, a nested block,
/// cannot go on at column 0; a quoted scalar or a flow collection that
/// does leaves its section unfinished, which then fails to parse alone).
fn top_level_keys(text: &str) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    if bytes.starts_with("\u{feff}".as_bytes()) || memchr::memchr2(b'\t', b'\r', bytes).is_some() {
        return None;
    }
    let mut starts = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let line = &bytes[at..];
        let len = memchr::memchr(b'\n', line).map_or(line.len(), |n| n + 1);
        match line[0] {
            b' ' | b'\n' | b'#' => {}
            first => {
                let name = line
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                    .count();
                let simple = (first.is_ascii_alphabetic() || first == b'_')
                    && line.get(name) == Some(&b':')
                    && matches!(line.get(name + 1), None | Some(b' ' | b'\n'));
                if !simple {
                    return None;
                }
                starts.push(at);
            }
        }
        at += len;
    }
    Some(starts)
}

/// [`parse`] of a whole document (`line_offset` 0), parsing each top-level
/// key of a plain block mapping on its own and reusing what `sections`
/// holds of the same text, however many lines it moved. The result is
/// [`parse`]'s (the tests compare the two on every example plan and on
/// thousands of edits of them): a document not split for sure
/// ([`top_level_keys`]), a key written twice, a section with any error,
/// anything near the node limit, is parsed whole.
pub fn parse_reusing(text: &str, sections: &mut Sections) -> Parsed {
    let starts = match top_level_keys(text) {
        Some(starts) if starts.len() > 1 => starts,
        _ => return parse(text, 0),
    };
    let mut entries: Vec<Entry> = Vec::with_capacity(starts.len());
    let mut keys = std::collections::HashSet::new();
    let mut private = Vec::new();
    let (mut nodes, mut line, mut counted) = (0usize, 1u32, 0usize);
    let mut span = Span::FILE;
    for (i, &start) in starts.iter().enumerate() {
        let from = if i == 0 { 0 } else { start };
        let to = starts.get(i + 1).copied().unwrap_or(text.len());
        line = line.saturating_add(
            u32::try_from(count_byte(&text.as_bytes()[counted..from], b'\n')).unwrap_or(u32::MAX),
        );
        counted = from;
        let part = &text[from..to];
        let key = hash(&[part.as_bytes()]);
        if sections.0.get(&key).is_none_or(|s| s.text != part) {
            match Section::of(parse(part, line - 1), part, line) {
                Some(section) => sections.0.insert(key, section),
                None => return parse(text, 0),
            };
        }
        let section = &sections.0[&key];
        nodes = nodes.saturating_add(section.nodes);
        if nodes >= MAX_NODES || !keys.insert(section.entry.key.clone()) {
            return parse(text, 0);
        }
        let (entry, part_span, lines) = section.at(line);
        if i == 0 {
            span = part_span;
        } else {
            span.end_line = part_span.end_line;
            span.end_col = part_span.end_col;
        }
        entries.push(entry);
        private.extend(lines);
    }
    Parsed {
        root: Some(Node {
            kind: NodeKind::Map(entries),
            span,
        }),
        errors: Vec::new(),
        private: merged(private),
    }
}

/// The lines (1-based, shifted by `line_offset`) that hold `private`
/// notes, found on the parsed structure rather than by spelling: the lines
/// from every key whose parsed text is `private` (quoted, escaped, explicit
/// `? private`, in a flow mapping, at any depth) to the end of its value,
/// and the lines of every anchored node that an alias inside such a value
/// refers to. A document that stops parsing inside a `private` value is
/// masked from that key to its end. Reports never quote these lines.
pub fn private_lines(text: &str, line_offset: u32) -> Vec<std::ops::RangeInclusive<usize>> {
    let Some(mut m) = Masker::new(text) else {
        return Vec::new();
    };
    for item in Parser::new_from_str(text) {
        if !m.item(&item) {
            break;
        }
    }
    m.finish(line_offset)
}

/// An open mapping or sequence, for [`private_lines`].
struct Frame {
    map: bool,
    /// In a mapping, the key waiting for its value: whether its text is
    /// `private`, and its line.
    pending: Option<(bool, usize)>,
    /// The line of the `private` key this node is the value of.
    private_key: Option<usize>,
    /// Whether this node is a (complex) mapping key.
    is_key: bool,
    anchor: usize,
    start: usize,
    flow: bool,
    /// Where this node's aliases start in [`Masker::refs`].
    refs_from: usize,
}

/// Walks the parser's events for [`private_lines`].
struct Masker {
    /// The indentation (in characters) of each line, for the end of a
    /// node that the parser puts at the start of the next token.
    indents: Vec<usize>,
    stack: Vec<Frame>,
    /// Each anchor's lines, and whether its text is `private` (an alias
    /// used as a key).
    anchors: HashMap<usize, (Vec<std::ops::RangeInclusive<usize>>, bool)>,
    /// The anchors referred to by aliases, in order.
    refs: Vec<usize>,
    /// The anchors whose lines are already masked.
    added: std::collections::HashSet<usize>,
    /// The last line of content read so far.
    seen: usize,
    out: Vec<std::ops::RangeInclusive<usize>>,
}

impl Masker {
    /// A masker for `text`; `None` when no key of it can read `private`:
    /// only a text that spells it so, or escapes some of it in double
    /// quotes (`"priv\u0061te"`, or a `\` line break), can have one.
    fn new(text: &str) -> Option<Masker> {
        (text.contains("private") || text.contains('\\')).then(|| Masker {
            indents: indents(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            refs: Vec::new(),
            added: std::collections::HashSet::new(),
            seen: 0,
            out: Vec::new(),
        })
    }

    /// Reads one item of the parser; `false` once it is an error, after
    /// which the parser has nothing more. A document that stops parsing
    /// inside a `private` value is masked from that key to its end.
    fn item(&mut self, item: &Result<(Event<'_>, saphyr_parser::Span), ScanError>) -> bool {
        match item {
            Ok((event, span)) => {
                self.event(event, span);
                true
            }
            Err(_) => {
                let last = self.indents.len().max(1);
                let open = self.stack.iter().filter_map(|f| f.private_key).min();
                let pending = self.stack.last().and_then(|f| f.pending).filter(|p| p.0);
                if let Some(key) = open.into_iter().chain(pending.map(|p| p.1)).min() {
                    self.out.push(key..=last.max(key));
                }
                false
            }
        }
    }

    /// The masked lines, shifted by `line_offset`.
    fn finish(self, line_offset: u32) -> Vec<std::ops::RangeInclusive<usize>> {
        let shift = line_offset as usize;
        // Within the text: after an error at its very end the parser may put
        // a value on a line that is not there (found by fuzzing: `{private`).
        let lines = self.indents.len();
        merged(self.out)
            .into_iter()
            .filter(|r| *r.start() <= lines)
            .map(|r| r.start() + shift..=(*r.end()).min(lines) + shift)
            .collect()
    }

    /// The last line of a node from line `start` to `end`: the parser ends
    /// block nodes where the next token starts, on a later line.
    fn last(&self, start: usize, end: &Marker) -> usize {
        let line = end.line();
        let indent = self.indents.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        if line > start && end.col() <= indent {
            line - 1
        } else {
            line
        }
    }

    /// What the node starting now is: the value of a `private` key (its
    /// line), and whether it is a mapping key.
    fn node_start(&mut self) -> (Option<usize>, bool) {
        match self.stack.last_mut() {
            Some(f) if f.map => match f.pending.take() {
                Some((private, line)) => (private.then_some(line), false),
                None => (None, true),
            },
            _ => (None, false),
        }
    }

    fn inside(&self) -> bool {
        self.stack.iter().any(|f| f.private_key.is_some())
    }

    fn set_key(&mut self, private: bool, line: usize) {
        if let Some(f) = self.stack.last_mut() {
            f.pending = Some((private, line));
        }
    }

    fn event(&mut self, event: &Event<'_>, span: &saphyr_parser::Span) {
        let start = span.start.line();
        match event {
            Event::Scalar(text, _, anchor, _) => {
                let last = self.last(start, &span.end);
                self.seen = self.seen.max(last);
                let (private_key, is_key) = self.node_start();
                if is_key {
                    self.set_key(text == "private", start);
                }
                if let Some(key) = private_key {
                    self.out.push(key..=last.max(key));
                }
                if *anchor != 0 {
                    self.anchors
                        .insert(*anchor, (vec![start..=last], text == "private"));
                }
            }
            Event::Alias(id) => {
                self.seen = self.seen.max(span.end.line());
                let (private_key, is_key) = self.node_start();
                let private_text = self.anchors.get(id).is_some_and(|a| a.1);
                if is_key {
                    self.set_key(private_text, start);
                }
                if let Some(key) = private_key {
                    self.out.push(key..=start.max(key));
                }
                if (private_key.is_some() || self.inside())
                    && self.added.insert(*id)
                    && let Some((lines, _)) = self.anchors.get(id)
                {
                    self.out.extend(lines.iter().cloned());
                }
                if self.stack.iter().any(|f| f.anchor != 0) {
                    self.refs.push(*id);
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let (private_key, is_key) = self.node_start();
                self.stack.push(Frame {
                    map: matches!(event, Event::MappingStart(..)),
                    pending: None,
                    private_key,
                    is_key,
                    anchor: *anchor,
                    start,
                    flow: span.end.index() > span.start.index(),
                    refs_from: self.refs.len(),
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(f) = self.stack.pop() else {
                    return;
                };
                if f.flow {
                    self.seen = self.seen.max(self.last(f.start, &span.end));
                }
                let end = self.seen.max(f.start);
                if let Some(key) = f.private_key {
                    self.out.push(key..=end);
                }
                if f.anchor != 0 {
                    let mut ids = self.refs.split_off(f.refs_from);
                    ids.sort_unstable();
                    ids.dedup();
                    let mut lines = vec![f.start..=end];
                    for id in &ids {
                        if let Some((l, _)) = self.anchors.get(id) {
                            lines.extend(l.iter().cloned());
                        }
                    }
                    self.anchors.insert(f.anchor, (merged(lines), false));
                    // The enclosing anchored nodes refer to them too.
                    if self.stack.iter().any(|f| f.anchor != 0) {
                        self.refs.extend(ids);
                    }
                }
                if f.is_key {
                    self.set_key(false, f.start);
                }
            }
            _ => {}
        }
    }
}

/// The indentation (spaces and tabs, in characters) of each line, lines
/// ending as YAML ends them (`\n`, `\r\n` or a lone `\r`).
fn indents(text: &str) -> Vec<usize> {
    // Bytes, not characters: the blanks counted and the line ends are ASCII.
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let line = &bytes[at..];
        out.push(
            line.iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count(),
        );
        let Some(end) = memchr::memchr2(b'\n', b'\r', line) else {
            return out;
        };
        at += end
            + if line[end..].starts_with(b"\r\n") {
                2
            } else {
                1
            };
    }
}

/// `ranges` sorted, with overlapping and adjacent ones joined.
fn merged(
    mut ranges: Vec<std::ops::RangeInclusive<usize>>,
) -> Vec<std::ops::RangeInclusive<usize>> {
    ranges.sort_unstable_by_key(|r| (*r.start(), *r.end()));
    let mut out: Vec<std::ops::RangeInclusive<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if *r.start() <= last.end() + 1 => {
                if r.end() > last.end() {
                    *last = *last.start()..=*r.end();
                }
            }
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language::En;

    /// [`indents`] as first written, a character at a time.
    fn indents_by_char(text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let (mut indent, mut at_start) = (0, true);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' | '\r' => {
                    if c == '\r' {
                        chars.next_if_eq(&'\n');
                    }
                    out.push(indent);
                    (indent, at_start) = (0, true);
                }
                ' ' | '\t' if at_start => indent += 1,
                _ => at_start = false,
            }
        }
        out.push(indent);
        out
    }

    #[test]
    fn indents_by_byte_match_indents_by_character() {
        let pieces = [
            "", " ", "\t", "  ", "a", "李明", ": ", "\n", "\r", "\r\n", "\n\r", " -",
        ];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(indents(&text), indents_by_char(&text), "{text:?}");
        }
    }

    fn root(text: &str) -> Node {
        let p = parse(text, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.root.unwrap()
    }

    #[test]
    fn positions_are_one_based_characters() {
        let n = root("名称: 华东\nb:\n  - x\n");
        let NodeKind::Map(entries) = &n.kind else {
            panic!()
        };
        assert_eq!(entries[0].key_span.line, 1);
        assert_eq!(entries[0].value.span.col, 5);
        let NodeKind::Seq(items) = &entries[1].value.kind else {
            panic!()
        };
        assert_eq!((items[0].span.line, items[0].span.col), (3, 5));
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(resolve_plain("yes"), Scalar::Str("yes"));
        assert_eq!(resolve_plain("no"), Scalar::Str("no"));
        assert_eq!(resolve_plain("on"), Scalar::Str("on"));
        assert_eq!(resolve_plain("true"), Scalar::Bool(true));
        assert_eq!(resolve_plain("12"), Scalar::Int(12));
        assert_eq!(resolve_plain("-3"), Scalar::Int(-3));
        assert_eq!(resolve_plain("0.6"), Scalar::Float(0.6));
        assert_eq!(resolve_plain("1e3"), Scalar::Float(1000.0));
        assert_eq!(resolve_plain("2026-01-01"), Scalar::Str("2026-01-01"));
        assert_eq!(resolve_plain("~"), Scalar::Null);
        assert_eq!(resolve_plain("."), Scalar::Str("."));
        assert_eq!(resolve_plain("1_000"), Scalar::Str("1_000"));
    }

    #[test]
    fn small_integers_read_as_the_general_path_reads_them() {
        const PIECES: &[&str] = &["0", "7", "12", "-", "+", ".", "e", "x", "_", " ", "99999"];
        let mut rng = crate::testing::Rng::new(0x9e37_79b9_7f4a_7c15_u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let len = next(6);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let general = text.strip_prefix(['-', '+']).unwrap_or(&text);
            let expected = (!general.is_empty() && general.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<i64>().ok())
                .flatten();
            match small_int(&text) {
                Some(i) => assert_eq!(Some(i), expected, "{text:?}"),
                None => assert!(text.len() > 19 || expected.is_none(), "{text:?}"),
            }
        }
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_first_kept() {
        let p = parse("a: 1\nb: 2\na: 3\n", 0);
        assert_eq!(p.errors.len(), 1);
        assert!(!p.errors[0].fatal);
        assert_eq!(p.errors[0].span.line, 3);
        let NodeKind::Map(entries) = &p.root.unwrap().kind else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn duplicate_keys_of_large_mappings_are_found_as_of_small_ones() {
        // Keys written twice before, at and after the mapping's size where
        // the keys are looked up instead of searched, and in a nested one.
        for n in [SCAN_KEYS - 1, SCAN_KEYS, SCAN_KEYS + 1, 200] {
            let keys: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            let mut text: String = keys.iter().map(|k| format!("{k}: 1\n")).collect();
            text.push_str("k0: 2\nouter:\n");
            text.extend(keys.iter().map(|k| format!("  {k}: 1\n")));
            text.push_str(&format!("  k{}: 2\n", n - 1));
            let p = parse(&text, 0);
            let lines: Vec<(u32, String)> = p
                .errors
                .iter()
                .map(|e| (e.span.line, e.message.render(En)))
                .collect();
            let (top, nested) = (n as u32 + 1, 2 * n as u32 + 3);
            assert_eq!(lines.len(), 2, "{n}: {lines:?}");
            assert_eq!(lines[0].0, top);
            assert!(lines[0].1.contains("line 1"), "{}", lines[0].1);
            assert_eq!(lines[1].0, nested);
            assert!(
                lines[1].1.contains(&format!("line {}", nested - 1)),
                "{}",
                lines[1].1
            );
            let NodeKind::Map(entries) = &p.root.unwrap().kind else {
                panic!()
            };
            assert_eq!(entries.len(), n + 1);
        }
    }

    #[test]
    fn duplicate_keys_inside_private_are_not_quoted() {
        let p = parse("private:\n  a: {secret: 1, secret: 2}\nb: 1\nb: 2\n", 0);
        let messages: Vec<String> = p.errors.iter().map(|e| e.message.render(En)).collect();
        assert_eq!(messages.len(), 2);
        assert!(
            messages[0].starts_with("duplicate key in `private`"),
            "{messages:?}"
        );
        assert!(messages[1].starts_with("duplicate key `b`"), "{messages:?}");
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let p = parse(&text, 0);
        assert!(p.root.is_none());
        assert!(p.errors[0].message.render(En).contains("alias bomb"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        let p = parse(&text, 0);
        assert!(p.root.is_none());
        assert!(p.errors[0].fatal);
    }

    #[test]
    fn tab_errors_point_at_the_tab() {
        let p = parse("account:\n  name: x\n\tindustry: y\n", 0);
        assert_eq!((p.errors[0].span.line, p.errors[0].span.col), (3, 1));
        assert!(p.errors[0].message.render(En).contains("replace the tab"));
        let p = parse("a:\n  b:\tc\n", 4);
        assert_eq!((p.errors[0].span.line, p.errors[0].span.col), (6, 5));
        assert!(p.errors[0].message.render(En).contains("replace the tab"));
    }

    #[test]
    fn errors_at_the_end_stay_inside_the_text() {
        // Found by the plan_yaml fuzz target: for `{` the parser reported line 2.
        for (text, line) in [("{", 1), ("a: {s", 1), ("a: 1\n{", 2), ("a: 1\n{\n", 3)] {
            let p = parse(text, 0);
            let e = &p.errors[0];
            assert!(e.span.line <= line, "{text:?}: {e:?}");
        }
        // An explicit key without a value: the empty value was put on line 2.
        let p = parse("? key", 0);
        let NodeKind::Map(entries) = &p.root.unwrap().kind else {
            panic!()
        };
        assert_eq!(entries[0].value.span.line, 1);
        // A lone CR ends a line, for the parser and for the clamp alike.
        let p = parse("a: 1\rb: [", 0);
        assert_eq!(p.errors[0].span.line, 2);
    }

    #[test]
    fn deep_flow_nesting_is_refused_with_our_words() {
        let p = parse(&format!("a: {}", "[".repeat(10_000)), 0);
        assert!(
            p.errors[0].message.render(En).contains("nesting"),
            "{:?}",
            p.errors
        );
    }

    #[test]
    fn second_document_is_refused() {
        let p = parse("a: 1\n---\nb: 2\n", 0);
        assert!(
            p.errors
                .iter()
                .any(|e| e.message.render(En).contains("more than one YAML document"))
        );
    }

    #[test]
    fn private_lines_follow_the_parsed_keys_whatever_their_spelling() {
        #[rustfmt::skip]
        let cases: &[(&str, &[std::ops::RangeInclusive<usize>])] = &[
            // Escaped, quoted, explicit keys; the next key is not masked.
            ("a: 1\n\"priv\\u0061te\": secret\nb: 2\n", &[2..=2]),
            ("'private': secret\nb: 2\n", &[1..=1]),
            ("? private\n: secret\nb: 2\n", &[1..=2]),
            // Flow mappings, at any depth; block values to their last line.
            ("- {id: a, private: {salary: 1}}\n- id: b\n", &[1..=1]),
            ("s:\n  - id: a\n    private:\n      x: |\n        one\n        two\n\n    name: A\n", &[3..=7]),
            ("a: 1\nprivate:\n  - x\n  - y\nz: 1", &[2..=4]),
            ("private: {a: 1,\n  b: 2}\nc: 3\n", &[1..=2]),
            // An alias inside `private` masks the anchor's lines, and the
            // lines of the anchors that anchor refers to.
            ("notes: &n secret\nother: 1\nprivate: *n\n", &[1..=1, 3..=3]),
            ("x: &p {a: 1}\ny: &q [*p, 2]\nz: 3\nprivate: {w: *q}\nq: 1\n", &[1..=2, 4..=4]),
            // An alias used as the key `private`.
            ("k: &k private\nm:\n  *k : secret\nn: 1\n", &[3..=3]),
            // A document that stops parsing inside `private` is masked to its end.
            ("a: 1\nprivate: {x: 1\nb: 2\nc: 3\n", &[2..=5]),
            ("privateer: 1\nprivate_x: 2\nnotes: private\n", &[]),
        ];
        for (text, lines) in cases {
            assert_eq!(private_lines(text, 0), *lines, "{text:?}");
        }
        assert_eq!(private_lines("a: 1\nprivate: x\n", 3), [5..=5]);
    }

    /// Every line of every node under a `private` key of the parsed tree,
    /// aliases followed (their nodes keep the anchor's positions).
    fn private_node_lines(node: &Node, inside: bool, out: &mut Vec<u32>) {
        if inside {
            out.push(node.span.line);
        }
        match &node.kind {
            NodeKind::Scalar { .. } => {
                if inside {
                    out.push(node.span.end_line);
                }
            }
            NodeKind::Seq(items) => {
                for i in items {
                    private_node_lines(i, inside, out);
                }
            }
            NodeKind::Map(entries) => {
                for e in entries {
                    if inside {
                        out.push(e.key_span.line);
                    }
                    private_node_lines(&e.value, inside || e.key == "private", out);
                }
            }
        }
    }

    /// A random YAML document: block and flow collections, `private`
    /// written every way, scalars of every style, anchors and aliases.
    struct Gen<'r> {
        next: &'r mut dyn FnMut(usize) -> usize,
        anchors: usize,
        out: String,
    }

    impl Gen<'_> {
        fn key(&mut self) -> &'static str {
            const KEYS: &[&str] = &["private", "\"priv\\u0061te\"", "'private'", "x", "y", "z"];
            KEYS[(self.next)(KEYS.len())]
        }

        fn flow(&mut self, depth: usize) -> String {
            match (self.next)(if depth > 2 { 3 } else { 6 }) {
                0 => "s".into(),
                1 => "\"q\nr\"".into(),
                2 if self.anchors > 0 => format!("*a{}", (self.next)(self.anchors)),
                2 | 3 => {
                    let n = (self.next)(3);
                    let items: Vec<String> = (0..n)
                        .map(|_| {
                            let (k, v) = (self.key(), self.flow(depth + 1));
                            let sep = if (self.next)(3) == 0 { ",\n  " } else { ", " };
                            format!("{k}: {v}{sep}")
                        })
                        .collect();
                    format!("{{{}}}", items.concat().trim_end_matches([',', ' ', '\n']))
                }
                4 => {
                    let a = self.anchors;
                    self.anchors += 1;
                    format!("&a{a} {}", self.flow(depth + 1))
                }
                _ => {
                    let n = (self.next)(3);
                    let items: Vec<String> = (0..n).map(|_| self.flow(depth + 1)).collect();
                    format!("[{}]", items.join(", "))
                }
            }
        }

        /// A block mapping at `indent`.
        fn map(&mut self, indent: usize, depth: usize) {
            let pad = " ".repeat(indent);
            for _ in 0..1 + (self.next)(3) {
                let key = self.key();
                let explicit = (self.next)(6) == 0;
                if explicit {
                    self.out.push_str(&format!("{pad}? {key}\n{pad}:"));
                } else {
                    self.out.push_str(&format!("{pad}{key}:"));
                }
                match (self.next)(if depth > 2 { 2 } else { 5 }) {
                    0 => {
                        let v = self.flow(depth);
                        self.out.push_str(&format!(" {v}\n"));
                    }
                    1 => self
                        .out
                        .push_str(&format!(" |\n{pad}  one\n{pad}  two\n\n")),
                    2 => {
                        self.out.push('\n');
                        self.map(indent + 2, depth + 1);
                    }
                    3 => {
                        let a = self.anchors;
                        self.anchors += 1;
                        self.out.push_str(&format!(" &a{a}\n"));
                        self.map(indent + 2, depth + 1);
                    }
                    _ => {
                        self.out.push('\n');
                        for _ in 0..1 + (self.next)(2) {
                            let v = self.flow(depth);
                            self.out.push_str(&format!("{pad}  - {v}\n"));
                        }
                    }
                }
                if (self.next)(5) == 0 {
                    self.out.push_str(&format!("{pad}# note\n"));
                }
            }
        }
    }

    #[test]
    fn every_private_node_of_the_tree_is_on_a_masked_line() {
        let mut rng = crate::testing::Rng::new(0x5851_f42d_4c95_7f2d_u64);
        let mut next = |n: usize| rng.below(n);
        let mut checked = 0;
        for _ in 0..5000 {
            let mut g = Gen {
                next: &mut next,
                anchors: 0,
                out: String::new(),
            };
            g.map(0, 0);
            let text = g.out;
            let masked = private_lines(&text, 0);
            let Some(root) = parse(&text, 0).root else {
                continue;
            };
            let mut lines = Vec::new();
            private_node_lines(&root, false, &mut lines);
            checked += usize::from(!lines.is_empty());
            for line in lines.into_iter().filter(|&l| l != 0) {
                let line = line as usize;
                // The parser ends a block node at the next token: that line
                // may hold nothing of the node.
                assert!(
                    masked
                        .iter()
                        .any(|r| r.contains(&line) || r.contains(&(line - 1))),
                    "line {line} of\n{text}\n{masked:?}"
                );
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn an_alias_outside_private_to_a_private_note_is_read_as_nothing() {
        let p = parse(
            "a:\n  private: {x: &s secret}\n  role: *s\n  private2: *s\n",
            0,
        );
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
        assert!(
            p.errors
                .iter()
                .all(|e| !e.fatal && e.message.render(En).contains("`private` note"))
        );
        assert_eq!(p.errors[0].span.line, 3);
        let text = format!("{:?}", p.root.unwrap());
        assert_eq!(text.matches("secret").count(), 1, "{text}");
        // Inside `private`, and for anchors outside it, aliases are as usual.
        let p = parse("n: &n x\nprivate: {a: *n, b: &m {c: 1}, d: *m}\n", 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
    }

    #[test]
    fn line_offset_shifts_lines() {
        let n = parse("a: 1\n", 4).root.unwrap();
        assert_eq!(n.span.line, 5);
    }

    /// [`parse_reusing`] gives what [`parse`] gives, with what `sections`
    /// already holds.
    fn reuses_exactly(text: &str, sections: &mut Sections) {
        let whole = parse(text, 0);
        let reused = parse_reusing(text, sections);
        assert_eq!(reused.root, whole.root, "{text:?}");
        assert_eq!(reused.errors, whole.errors, "{text:?}");
        assert_eq!(reused.private, whole.private, "{text:?}");
    }

    #[test]
    fn a_document_parsed_by_sections_is_the_document_parsed_whole() {
        for text in [
            // Split: sections alone and reused.
            "a: 1\nb: 2\n",
            "# top\n\na: 1\n\n# between\nb:\n  - x\n  - y\n",
            "a: 1\nb: 2",
            "a:\nb:\n",
            "a: x\n  y\nb: |+\n  kept\n\n\nc: >-\n  folded\n  text\n\nd: 1\n",
            "a:\n  private:\n    note: x\n# c\n\nb:\n  k: v\n  private: y\nc: 1\n",
            "a: &x {k: 1}\nb: [*x]\n",
            "a: &x 1\nb: &x 2\nc: 3\n",
            // A quoted scalar or flow collection over a line that looks like a key.
            "a: \"x\nb: y\"\nc: 1\n",
            "a: 'x\nb: y'\nc: 1\n",
            "a: [1,\nb, 2]\nc: 1\n",
            "a: {k: 1,\nb: 2}\nc: 1\n",
            // An alias of an anchor in another section; a private alias.
            "a: &x 1\nb: *x\n",
            "a:\n  private: &p x\nb: *p\n",
            // Keys written twice, at the top and below.
            "a: 1\nb: 2\na: 3\n",
            "a:\n  k: 1\n  k: 2\nb: 1\n",
            // Not split: other shapes.
            "a:\n- 1\nb: 2\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "%YAML 1.2\n---\na: 1\nb: 2\n",
            "? a\n: 1\nb: 2\n",
            "a: 1\r\nb: 2\r\n",
            "a: 1\nb:\t2\n",
            "\u{feff}a: 1\nb: 2\n",
            "\"a\": 1\nb: 2\n",
            "a : 1\nb: 2\n",
            "- 1\n- 2\n",
            "",
            "a: [\n",
            "a: 1\nb: {\n",
        ] {
            reuses_exactly(text, &mut Sections::default());
            // Again, each section from the cache; and moved down two lines.
            let mut sections = Sections::default();
            reuses_exactly(text, &mut sections);
            reuses_exactly(text, &mut sections);
            reuses_exactly(&format!("\n# moved\n{text}"), &mut sections);
        }
    }

    #[test]
    fn sections_of_edited_plans_parse_as_the_whole_plans() {
        let examples =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-accounts/accounts");
        let mut plans: Vec<String> = std::fs::read_dir(examples)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path().join("plan.yaml")).unwrap())
            .collect();
        plans.sort();
        assert_eq!(plans.len(), 8);
        // What an edit may insert: plain text, and what changes how the
        // lines around it parse.
        const BITS: &[&str] = &[
            "x",
            "1",
            " ",
            "\n",
            "\n\n",
            "#",
            ": ",
            "- ",
            "\"",
            "'",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&a ",
            "*a",
            "|",
            ">",
            "\t",
            "\r",
            "? ",
            "---\n",
            "...\n",
            "private: p\n",
            "\\",
            "\nkey: value\n",
            "\naccount:\n",
            "\n- item\n",
            "\n  deeper: 1\n",
        ];
        let mut rng = crate::testing::Rng::new(0x5eed_5ec7);
        let (mut split, mut total) = (0, 0);
        for plan in &plans {
            let mut sections = Sections::default();
            reuses_exactly(plan, &mut sections);
            for _ in 0..150 {
                let mut text = plan.clone();
                for _ in 0..1 + rng.below(3) {
                    // Edits at a character boundary: insert, delete a line,
                    // or move a line.
                    let mut at = rng.below(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    match rng.below(4) {
                        0 | 1 => text.insert_str(at, BITS[rng.below(BITS.len())]),
                        2 => {
                            let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                            let end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
                            text.replace_range(start..end, "");
                        }
                        _ => {
                            let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                            let end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
                            let line = text[start..end].to_owned();
                            text.replace_range(start..end, "");
                            text.insert_str(0, &line);
                        }
                    }
                }
                total += 1;
                split += usize::from(top_level_keys(&text).is_some_and(|s| s.len() > 1));
                reuses_exactly(&text, &mut sections);
            }
        }
        // Most edits keep the plan splittable: the reuse was tested, not
        // only the fallback.
        assert!(split * 2 > total, "{split} of {total} split");
    }
}

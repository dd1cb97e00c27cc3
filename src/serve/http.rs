//! The local HTTP server: the site from memory, the live-reload script and
//! a server-sent event stream that tells pages to reload.
//!
//! hyper does the HTTP/1.1: it answers 431 to a request line and headers
//! over [`MAX_HEAD`], and closes a connection whose head has not arrived
//! within [`HEAD_TIMEOUT`] (idle keep-alive connections too). Connections
//! are served on one thread, at most [`MAX_CONNECTIONS`] at a time; pages
//! are rendered on a small pool of blocking threads. Only requests for
//! this server's own names get an answer (see [`Hosts`]).

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{Either, Full, channel::Channel};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;

use super::Site;

/// The most a request line and its headers may take.
pub(super) const MAX_HEAD: usize = 64 * 1024;
/// How long a client may take to send a request's head, or stay idle
/// between requests.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; further ones wait in the listen queue.
const MAX_CONNECTIONS: usize = 128;
/// Threads that render pages at once.
const RENDER_THREADS: usize = 4;
/// How often an idle event stream sends a comment, so that a closed one is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the browser should see.
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// The latest site that rendered.
    site: Option<Arc<Site>>,
    /// Bumped every time a site is published.
    version: u64,
    /// The problems of the last rebuild.
    problems: Problems,
    /// For each account whose plan cannot be read now, the last site that
    /// had its dossier: that page is shown (with the overlay) until it is fixed.
    stale: HashMap<String, Arc<Site>>,
}

/// One list of problems under a title, as the overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(super) struct Group {
    /// What went wrong.
    pub(super) title: String,
    /// One line each.
    pub(super) items: Vec<String>,
}

/// The problems of a rebuild, sent to the pages as JSON.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(super) struct Problems {
    /// Shown on every page: problems that are not about one account.
    pub(super) all: Vec<Group>,
    /// Shown on one account's dossier only: that account's own problems.
    pub(super) accounts: BTreeMap<String, Group>,
}

impl Problems {
    fn is_empty(&self) -> bool {
        self.all.is_empty() && self.accounts.is_empty()
    }
}

impl Shared {
    /// Serves `site` from now on; `problems` are those of the rebuild that made it.
    pub(super) fn publish(&mut self, site: Arc<Site>, problems: Problems) {
        let old = self.site.replace(site.clone());
        let mut stale = HashMap::new();
        for id in problems.accounts.keys() {
            if site.has_dossier(id) {
                continue;
            }
            let last = self.stale.remove(id).or_else(|| {
                old.as_ref()
                    .filter(|old| old.has_dossier(id))
                    .map(Arc::clone)
            });
            if let Some(last) = last {
                stale.insert(id.clone(), last);
            }
        }
        self.stale = stale;
        self.problems = problems;
        self.version += 1;
    }

    /// Keeps the site as it is, with new problems.
    pub(super) fn report(&mut self, problems: Problems) {
        self.problems = problems;
    }

    /// The event that tells a page the current state.
    fn state_event(&self) -> String {
        if self.problems.is_empty() {
            "event: ok\ndata: {}\n\n".to_owned()
        } else {
            let json = serde_json::to_string(&self.problems).unwrap_or_else(|_| "{}".into());
            format!("event: problems\ndata: {json}\n\n")
        }
    }
}

/// The state, and a counter of rebuilds that event streams wait on.
#[derive(Debug)]
pub(super) struct State {
    shared: Mutex<Shared>,
    rebuilds: tokio::sync::watch::Sender<u64>,
}

impl State {
    pub(super) fn new() -> State {
        State {
            shared: Mutex::default(),
            rebuilds: tokio::sync::watch::Sender::new(0),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Tells the event streams that a rebuild finished.
    pub(super) fn rebuilt(&self) {
        self.rebuilds.send_modify(|n| *n += 1);
    }
}

/// The names the server answers to: a page of another origin that reaches
/// it (DNS rebinding: `evil.example` resolving to 127.0.0.1) is refused.
#[derive(Debug, Clone)]
pub(super) struct Hosts {
    names: Vec<String>,
    port: u16,
}

impl Hosts {
    /// `localhost`, `127.0.0.1`, `[::1]`, the address listened on and
    /// `extra`, each with the port listened on.
    pub(super) fn new(addr: SocketAddr, extra: &[String]) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        names.push(host_name(&addr.ip().to_string()));
        names.extend(extra.iter().map(|n| host_name(n)));
        Hosts {
            names,
            port: addr.port(),
        }
    }

    /// Whether a `Host` header's value names this server. Without a port,
    /// the port is 80, as in a URL.
    fn allows(&self, host: &[u8]) -> bool {
        let Ok(host) = std::str::from_utf8(host) else {
            return false;
        };
        let (name, port) = match host.rfind(':') {
            Some(i) if !host[i..].contains(']') => (&host[..i], Some(&host[i + 1..])),
            _ => (host, None),
        };
        let port = match port {
            None => 80,
            Some(p) => match p.parse::<u16>() {
                Ok(p) => p,
                Err(_) => return false,
            },
        };
        port == self.port && self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// A name as it appears in a `Host` header: IPv6 addresses in brackets.
fn host_name(name: &str) -> String {
    match name.parse::<IpAddr>() {
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        Ok(IpAddr::V4(ip)) => ip.to_string(),
        Err(_) => name.to_ascii_lowercase(),
    }
}

const LIVE_JS: &str = include_str!("live.js");

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to a page and lets it connect back.
fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let text = text.replacen(
        "default-src 'none';",
        "default-src 'none'; connect-src 'self';",
        1,
    );
    let tag = "<script src=\"/__kaplan/live.js\" defer></script>\n</head>";
    text.replacen("</head>", tag, 1).into_bytes()
}

type Body = Either<Full<Bytes>, Channel<Bytes>>;

/// A response whose headers are all known to be valid.
fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut response = Response::new(Either::Left(Full::new(body.into())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    respond(
        status,
        "text/plain; charset=utf-8",
        format!("{} {message}\n", status.as_u16()),
    )
}

/// Serves requests on `listener` until the process ends.
pub(super) fn run(listener: std::net::TcpListener, state: Arc<State>, hosts: Hosts) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(RENDER_THREADS)
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the web server: {e}");
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
        {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot start the web server: {e}");
                return;
            }
        };
        let hosts = Arc::new(hosts);
        let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok(permit) = permits.clone().acquire_owned().await else {
                return;
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait instead of spinning.
                    eprintln!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let (state, hosts) = (state.clone(), hosts.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let (state, hosts) = (state.clone(), hosts.clone());
                    async move { Ok::<_, Infallible>(handle(request, state, &hosts).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEAD_TIMEOUT)
                    .max_header_size(MAX_HEAD)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
                drop(permit);
            });
        }
    });
}

async fn handle(request: Request<Incoming>, state: Arc<State>, hosts: &Hosts) -> Response<Body> {
    let Some(host) = request.headers().get(header::HOST) else {
        return text(StatusCode::BAD_REQUEST, "no Host header");
    };
    // A request for `http://name/path` names its host twice: both must be ours.
    let authority = request.uri().authority().map(|a| a.as_str().as_bytes());
    if !hosts.allows(host.as_bytes()) || authority.is_some_and(|a| !hosts.allows(a)) {
        return text(
            StatusCode::FORBIDDEN,
            "this server answers only to its own address (see `kaplan serve --allow-host`)",
        );
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    match request.uri().path() {
        "/__kaplan/events" => events(&state),
        "/__kaplan/live.js" => respond(StatusCode::OK, content_type("x.js"), LIVE_JS),
        path => {
            let path = path.to_owned();
            tokio::task::spawn_blocking(move || page(&state, &path))
                .await
                .unwrap_or_else(|_| {
                    text(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "the page could not be made",
                    )
                })
        }
    }
}

/// What a path of the site leads to.
#[derive(Debug)]
enum Target {
    /// `/accounts/x` → `/accounts/x/`, so relative links resolve.
    Redirect(String),
    /// A file: its name in the site and its bytes, or why it cannot be rendered.
    File(String, Result<Arc<Vec<u8>>, String>),
    /// The dossier of an account whose plan cannot be read, never shown before.
    Unreadable,
    /// Nothing: the site's `404.html` when it has one.
    NotFound(Option<Result<Arc<Vec<u8>>, String>>),
}

/// Finds `path` (as requested, still percent-encoded) in the site.
fn find(state: &State, path: &str) -> Target {
    // Decoded first: `/%2Faccounts/x` must not redirect to `//accounts/x/`,
    // another host.
    let path = percent_decode(path).trim_start_matches('/').to_owned();
    let account = path
        .strip_prefix("accounts/")
        .map(|rest| rest.split('/').next().unwrap_or_default());
    let (site, broken) = {
        let shared = state.lock();
        let stale = account.and_then(|id| shared.stale.get(id));
        let site = stale.or(shared.site.as_ref()).cloned();
        let broken = account.is_some_and(|id| shared.problems.accounts.contains_key(id));
        (site, broken)
    };
    let candidates = [
        path.clone(),
        format!("{}/index.html", path.trim_end_matches('/'))
            .trim_start_matches('/')
            .to_owned(),
    ];
    let found = site.as_ref().and_then(|site| {
        candidates
            .iter()
            .find_map(|c| site.get(c).map(|b| (c.clone(), b)))
    });
    // The folder of the account whose dossier `path` may be.
    let folder = account.map(|id| format!("accounts/{id}"));
    let is = |p: &str, suffix: &str| {
        folder
            .as_ref()
            .is_some_and(|f| p.strip_prefix(f.as_str()) == Some(suffix))
    };
    match found {
        Some((name, _))
            if !path.is_empty()
                && !path.ends_with('/')
                && name.ends_with("/index.html")
                && name != path =>
        {
            Target::Redirect(format!("/{}/", percent_encode(&path)))
        }
        Some((name, bytes)) => Target::File(name, bytes),
        None if broken && is(&path, "") => Target::Redirect(format!("/{}/", percent_encode(&path))),
        None if broken && (is(&path, "/") || is(&path, "/index.html")) => Target::Unreadable,
        None => Target::NotFound(site.and_then(|site| site.get("404.html"))),
    }
}

/// The response for a path of the site.
fn page(state: &State, path: &str) -> Response<Body> {
    match find(state, path) {
        Target::Redirect(to) => match HeaderValue::try_from(to) {
            Ok(location) => {
                let mut response = text(StatusCode::MOVED_PERMANENTLY, "moved");
                response.headers_mut().insert(header::LOCATION, location);
                response
            }
            Err(_) => text(StatusCode::NOT_FOUND, "not found"),
        },
        Target::File(name, Ok(bytes)) => {
            let body = if name.ends_with(".html") {
                inject(&bytes)
            } else {
                bytes.to_vec()
            };
            respond(StatusCode::OK, content_type(&name), body)
        }
        // The page waits for the fix like any other: the script reloads it.
        Target::File(_, Err(message)) => respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            content_type("x.html"),
            inject(&error_page(
                "kaplan: cannot render this page",
                "This page cannot be rendered",
                &message,
            )),
        ),
        Target::Unreadable => respond(
            StatusCode::NOT_FOUND,
            content_type("x.html"),
            inject(&error_page(
                "kaplan: cannot read this plan",
                "This account's plan cannot be read",
                "Its problems are listed below; the page reloads when they are fixed.",
            )),
        ),
        Target::NotFound(Some(Ok(bytes))) => respond(
            StatusCode::NOT_FOUND,
            content_type("404.html"),
            inject(&bytes),
        ),
        Target::NotFound(_) => text(StatusCode::NOT_FOUND, "not found"),
    }
}

/// A page saying why the requested one cannot be shown.
fn error_page(title: &str, heading: &str, message: &str) -> Vec<u8> {
    let mut page = Vec::new();
    page.extend_from_slice(
        b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
    );
    let _ = crate::text::escape_html(title, &mut page);
    page.extend_from_slice(b"</title></head><body><h1>");
    let _ = crate::text::escape_html(heading, &mut page);
    page.extend_from_slice(b"</h1><pre>");
    let _ = crate::text::escape_html(message, &mut page);
    page.extend_from_slice(b"</pre></body></html>");
    page
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `path` with every byte but unreserved characters (RFC 3986) and `/`
/// percent-encoded: always a valid header value and URL path.
fn percent_encode(path: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A server-sent event stream: the current state first, then after each
/// rebuild `reload` when a new site was published, else the state again.
fn events(state: &Arc<State>) -> Response<Body> {
    let (mut sender, body) = Channel::<Bytes>::new(1);
    let mut rebuilds = state.rebuilds.subscribe();
    let (first, mut version) = {
        let shared = state.lock();
        (shared.state_event(), shared.version)
    };
    let state = state.clone();
    tokio::spawn(async move {
        let mut message = first;
        // Ends when the page goes away: then sending fails.
        while sender.send_data(Bytes::from(message)).await.is_ok() {
            message = match tokio::time::timeout(KEEP_ALIVE, rebuilds.changed()).await {
                Err(_) => ": keep-alive\n\n".to_owned(),
                Ok(Err(_)) => return,
                Ok(Ok(())) => {
                    let shared = state.lock();
                    if shared.version != version {
                        version = shared.version;
                        format!("event: reload\ndata: {version}\n\n")
                    } else {
                        shared.state_event()
                    }
                }
            };
        }
    });
    let mut response = Response::new(Either::Right(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_get_the_script_and_may_connect() {
        let page = br#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'"></head><body>"#;
        let out = String::from_utf8(inject(page)).unwrap();
        assert!(out.contains("connect-src 'self'"));
        assert!(out.contains(r#"<script src="/__kaplan/live.js" defer></script>"#));
    }

    #[test]
    fn paths_are_decoded() {
        assert_eq!(percent_decode("accounts/%E5%8D%8E/"), "accounts/华/");
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn redirect_targets_are_encoded_byte_by_byte() {
        assert_eq!(
            percent_encode("accounts/华为"),
            "accounts/%E5%8D%8E%E4%B8%BA"
        );
        assert_eq!(percent_encode("accounts/a\r\nb c"), "accounts/a%0D%0Ab%20c");
        assert_eq!(
            percent_encode("accounts/east-1_x.y~"),
            "accounts/east-1_x.y~"
        );
        assert_eq!(percent_encode("a?b#c%d"), "a%3Fb%23c%25d");
        assert_eq!(
            percent_decode(&percent_encode("accounts/华\n为")),
            "accounts/华\n为"
        );
    }

    #[test]
    fn only_our_own_names_and_port_are_answered() {
        let v4 = Hosts::new(
            "127.0.0.1:1111".parse().unwrap(),
            &["Preview.Example".into()],
        );
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "preview.example:1111",
        ] {
            assert!(v4.allows(ok.as_bytes()), "{ok}");
        }
        for refused in [
            "evil.example:1111",
            "localhost:1112",
            "localhost",
            "localhost:",
            "localhost:1111:1111",
            "localhost.evil.example:1111",
            "127.0.0.2:1111",
            "[::1]",
            "",
        ] {
            assert!(!v4.allows(refused.as_bytes()), "{refused}");
        }
        assert!(!v4.allows(b"localhost\xff:1111"));
        // Bound to an address of the network, and to port 80: the address
        // is answered, and a Host without a port means port 80.
        let lan = Hosts::new("[fe80::1]:80".parse().unwrap(), &["fe80::2".into()]);
        for ok in ["[fe80::1]", "[fe80::1]:80", "[fe80::2]", "localhost"] {
            assert!(lan.allows(ok.as_bytes()), "{ok}");
        }
        assert!(!lan.allows(b"[fe80::3]:80"));
    }
}

//! The local HTTP server: the site from memory, the live-reload script and
//! a server-sent event stream that tells pages to reload.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// What the browser should see.
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// The last good site.
    pub(super) site: Option<Arc<super::Site>>,
    /// Bumped on every rebuild that produced a site.
    pub(super) version: u64,
    /// The problems of the last rebuild, as JSON for the overlay; `None` when clean.
    pub(super) problems: Option<String>,
    /// Bumped on every rebuild, good or bad.
    pub(super) events: u64,
}

/// The state and a signal for waiting event streams.
pub(super) type State = Arc<(Mutex<Shared>, Condvar)>;

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

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// Serves requests until the process ends; each request on its own thread.
pub(super) fn run(server: tiny_http::Server, state: State) {
    for request in server.incoming_requests() {
        let state = state.clone();
        std::thread::spawn(move || handle(request, &state));
    }
}

fn handle(request: tiny_http::Request, state: &State) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    if url == "/__kaplan/events" {
        events(request, state);
        return;
    }
    if url == "/__kaplan/live.js" {
        let response = tiny_http::Response::from_data(LIVE_JS)
            .with_header(header("Content-Type", content_type("x.js")));
        let _ = request.respond(response);
        return;
    }
    let path = percent_decode(url.trim_start_matches('/'));
    let candidates = [
        path.clone(),
        format!("{}/index.html", path.trim_end_matches('/'))
            .trim_start_matches('/')
            .to_owned(),
    ];
    let site = state
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .site
        .clone();
    let found = site.and_then(|site| {
        candidates
            .iter()
            .find_map(|c| site.get(c).map(|b| (c.clone(), b)))
    });
    let response = match found {
        // `/accounts/x` → `/accounts/x/`, so relative links resolve.
        Some((name, _))
            if !path.is_empty()
                && !path.ends_with('/')
                && name.ends_with("/index.html")
                && name != path =>
        {
            tiny_http::Response::from_data(Vec::new())
                .with_status_code(301)
                .with_header(header("Location", &format!("/{path}/")))
        }
        Some((name, Ok(bytes))) => {
            let body = if name.ends_with(".html") {
                inject(&bytes)
            } else {
                bytes.to_vec()
            };
            // Sent whole, with a Content-Length: tiny_http would chunk
            // bodies over 32 KiB.
            tiny_http::Response::from_data(body)
                .with_chunked_threshold(usize::MAX)
                .with_header(header("Content-Type", content_type(&name)))
                .with_header(header("Cache-Control", "no-store"))
        }
        // The page waits for the fix like any other: the script reloads it.
        Some((_, Err(message))) => tiny_http::Response::from_data(inject(&error_page(&message)))
            .with_status_code(500)
            .with_header(header("Content-Type", content_type("x.html")))
            .with_header(header("Cache-Control", "no-store")),
        None => tiny_http::Response::from_data(b"404 not found\n".to_vec()).with_status_code(404),
    };
    let _ = request.respond(response);
}

/// A page saying why the requested one cannot be rendered.
fn error_page(message: &str) -> Vec<u8> {
    let mut page = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kaplan: cannot render this page</title></head><body><h1>This page cannot be rendered</h1><pre>".to_vec();
    let _ = crate::render::escape_html(message, &mut page);
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

/// A server-sent event stream: the current state first, then one event per rebuild.
fn events(request: tiny_http::Request, state: &State) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    let (lock, signal) = &**state;
    let mut seen = {
        let shared = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let first = match &shared.problems {
            Some(p) => format!("event: problems\ndata: {p}\n\n"),
            None => "event: ok\ndata: {}\n\n".to_owned(),
        };
        if writer
            .write_all(first.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
        (shared.events, shared.version)
    };
    loop {
        let message = {
            let shared = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (shared, timeout) = signal
                .wait_timeout_while(shared, Duration::from_secs(15), |s| s.events == seen.0)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if timeout.timed_out() {
                ": keep-alive\n\n".to_owned()
            } else {
                let message = match &shared.problems {
                    Some(p) => format!("event: problems\ndata: {p}\n\n"),
                    None if shared.version != seen.1 => {
                        format!("event: reload\ndata: {}\n\n", shared.version)
                    }
                    None => "event: ok\ndata: {}\n\n".to_owned(),
                };
                seen = (shared.events, shared.version);
                message
            }
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
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
}

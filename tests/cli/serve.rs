//! `kaplan serve`: serves the site, rebuilds on change, tells the browser.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Repo, commit_all, git, repo_root};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    start_with(root, &[])
}

/// Starts `kaplan serve ROOT EXTRA...`.
fn start_with(root: &std::path::Path, extra: &[&str]) -> Server {
    start_in(std::path::Path::new("."), root.to_str().unwrap(), extra)
}

/// Starts `kaplan serve ROOT EXTRA...` in the folder `cwd`.
fn start_in(cwd: &std::path::Path, root: &str, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .current_dir(cwd)
        .args(["serve", root, "--port", "0", "--today", "2026-06-30"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Server { child, port }
}

/// Sends `request` as it is and returns the status and the whole response.
fn send(port: u16, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut response = Vec::new();
    s.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, response)
}

/// `GET path` as a browser on this machine asks for it.
fn get(port: u16, path: &str) -> (u16, String) {
    get_as(port, &format!("localhost:{port}"), path)
}

/// `GET path` with `Host: host`.
fn get_as(port: u16, host: &str, path: &str) -> (u16, String) {
    send(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// The value of the response header `name` (lowercase).
fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Opens the event stream and returns a reader of its lines.
fn events(port: u16) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /__kaplan/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .unwrap();
    BufReader::new(s)
}

fn next_event(reader: &mut BufReader<TcpStream>) -> (String, String) {
    let (mut event, mut line) = (String::new(), String::new());
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the event stream closed"
        );
        if let Some(e) = line.strip_prefix("event: ") {
            event = e.trim().to_owned();
        } else if let Some(d) = line.strip_prefix("data: ") {
            return (event, d.trim().to_owned());
        }
    }
}

fn wait_for(port: u16, path: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = get(port, path);
        if body.contains(needle) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "`{needle}` never appeared in {path}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A repository with one clean account, `east` ("East Mobile
/// Communications"), and the text of its plan.
fn east_mobile() -> (Repo, String) {
    let repo = Repo::new();
    let plan =
        std::fs::read_to_string(repo_root().join("tests/rules/why/no-objectives/passes.yaml"))
            .unwrap();
    repo.write("accounts/east/plan.yaml", &plan);
    (repo, plan)
}

#[test]
fn serve_rebuilds_reloads_and_shows_errors_over_the_last_good_page() {
    let (repo, plan) = east_mobile();
    let server = start(repo.path());
    let (status, page) = get(server.port, "/accounts/east/");
    assert_eq!(status, 200);
    assert!(page.contains("East Mobile Communications"));
    assert!(
        page.contains("/__kaplan/live.js"),
        "the live-reload script is injected"
    );
    assert_eq!(get(server.port, "/accounts/east").0, 301);
    assert_eq!(get(server.port, "/nope").0, 404);

    let mut stream = events(server.port);
    assert_eq!(next_event(&mut stream).0, "ok");

    // An editor's atomic save: write a temporary file, then rename it over the plan.
    let tmp = repo.write(
        "accounts/east/.plan.yaml.swp",
        plan.replace("East Mobile Communications", "West Mobile Communications"),
    );
    std::fs::rename(tmp, repo.path().join("accounts/east/plan.yaml")).unwrap();
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(server.port, "/accounts/east/", "West Mobile Communications");

    // A half-written plan: the site is published (the other pages stay
    // live), the account's last good page stays, and the overlay of that
    // page (reloaded: a new stream) lists the error.
    repo.write("accounts/east/plan.yaml", "account: [\n");
    assert_eq!(next_event(&mut stream).0, "reload");
    let (event, data) = next_event(&mut events(server.port));
    assert_eq!(event, "problems");
    assert!(
        data.contains("accounts/east/plan.yaml:2:1") && data.contains("plan/syntax"),
        "{data}"
    );
    assert!(
        get(server.port, "/accounts/east/")
            .1
            .contains("West Mobile Communications")
    );

    // Fixed: the page reloads with the new content.
    repo.write(
        "accounts/east/plan.yaml",
        plan.replace("East Mobile Communications", "North Mobile"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(server.port, "/accounts/east/", "North Mobile");

    // A template syntax error is a problem too, and so is its fix a reload.
    repo.write(
        "templates/dossier.html",
        "{% extends \"default/dossier.html\" %}{% block more %}{{ broken( }}{% endblock more %}",
    );
    assert_eq!(next_event(&mut stream).0, "problems");
    std::fs::remove_file(repo.path().join("templates/dossier.html")).unwrap();
    assert_eq!(next_event(&mut stream).0, "reload");

    // A new account appears, a deleted one disappears.
    repo.write(
        "accounts/south/plan.yaml",
        plan.replace("East Mobile Communications", "South Mobile"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(server.port, "/", "South Mobile");
    std::fs::remove_dir_all(repo.path().join("accounts/south")).unwrap();
    assert_eq!(next_event(&mut stream).0, "reload");
    assert_eq!(get(server.port, "/accounts/south/").0, 404);
}

/// The watcher starts before the first build: a save made the moment the
/// address is printed (or while the first build runs) is not lost.
#[test]
fn serve_sees_a_save_made_as_soon_as_it_starts() {
    let (repo, plan) = east_mobile();
    let server = start(repo.path());
    repo.write(
        "accounts/east/plan.yaml",
        plan.replace("East Mobile Communications", "Early Mobile"),
    );
    wait_for(server.port, "/accounts/east/", "Early Mobile");
}

#[test]
fn serve_sees_edits_under_a_root_given_as_a_relative_path() {
    let (repo, plan) = east_mobile();
    let (parent, name) = (
        repo.path().parent().unwrap(),
        repo.path().file_name().unwrap(),
    );
    let server = start_in(parent, name.to_str().unwrap(), &[]);
    wait_for(server.port, "/accounts/east/", "East Mobile Communications");
    let mut stream = events(server.port);
    assert_eq!(next_event(&mut stream).0, "ok");
    repo.write(
        "accounts/east/plan.yaml",
        plan.replace("East Mobile Communications", "Relative Mobile"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(server.port, "/accounts/east/", "Relative Mobile");
}

/// From a subfolder, the repository above is served; `--quiet` still
/// says where.
#[test]
fn serve_from_a_subfolder_serves_the_repository_above() {
    let (repo, plan) = east_mobile();
    let server = start_in(&repo.path().join("accounts/east"), ".", &["--quiet"]);
    wait_for(server.port, "/accounts/east/", "East Mobile Communications");
    let mut stream = events(server.port);
    assert_eq!(next_event(&mut stream).0, "ok");
    repo.write(
        "accounts/east/plan.yaml",
        plan.replace("East Mobile Communications", "Upward Mobile"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(server.port, "/accounts/east/", "Upward Mobile");
}

/// DNS rebinding: a page of another origin whose name resolves to
/// 127.0.0.1 must not read the plans. Only our own names and port are
/// answered; the server goes on serving after each refusal.
#[test]
fn serve_refuses_requests_for_other_hosts() {
    let (repo, _) = east_mobile();
    let server = start(repo.path());
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "localhost".to_owned(),
    ] {
        let (status, response) = get_as(port, &host, "/accounts/east/");
        assert_eq!(status, 403, "Host: {host}");
        assert!(!response.contains("East Mobile"), "Host: {host}");
    }
    // An absolute URL names the host too.
    let (status, _) = send(
        port,
        format!(
            "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status, 403);
    // No Host at all.
    assert_eq!(send(port, b"GET / HTTP/1.0\r\n\r\n").0, 400);
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(
            get_as(port, &host, "/accounts/east/").0,
            200,
            "Host: {host}"
        );
    }
}

#[test]
fn serve_answers_names_given_with_allow_host() {
    let (repo, _) = east_mobile();
    let server = start_with(
        repo.path(),
        &[
            "--allow-host",
            "preview.example",
            "--allow-host",
            "10.1.2.3",
        ],
    );
    let port = server.port;
    assert_eq!(get_as(port, &format!("preview.example:{port}"), "/").0, 200);
    assert_eq!(get_as(port, &format!("10.1.2.3:{port}"), "/").0, 200);
    assert_eq!(get_as(port, &format!("evil.example:{port}"), "/").0, 403);
    assert_eq!(get(port, "/").0, 200);
    // A name, not a name with a port or a pattern.
    for bad in ["preview.example:8080", "*", ""] {
        let out = crate::support::kaplan(&["serve", ".", "--allow-host", bad]);
        assert_eq!(out.status.code(), Some(2), "--allow-host {bad:?}");
    }
}

/// A client cannot make the server hold an ever larger request head.
#[test]
fn serve_answers_431_to_an_oversized_head_and_goes_on_serving() {
    let (repo, _) = east_mobile();
    let server = start(repo.path());
    let port = server.port;
    let big = "a".repeat(70 * 1024);
    let (status, _) = send(
        port,
        format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nX-Big: {big}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 431);
    let (status, _) = send(
        port,
        format!("GET /{big} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 431, "a 70 KiB request line");
    let many: String = (0..150).map(|i| format!("X-{i}: 1\r\n")).collect();
    let (status, _) = send(
        port,
        format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n{many}\r\n").as_bytes(),
    );
    assert_eq!(status, 431, "150 headers");
    let (status, page) = get(port, "/accounts/east/");
    assert_eq!(status, 200);
    assert!(page.contains("East Mobile Communications"));
}

/// Slowloris: connections that never finish their request do not keep
/// others from being served, and are closed after a while.
#[test]
fn serve_closes_connections_that_never_finish_their_request() {
    let (repo, _) = east_mobile();
    let server = start(repo.path());
    let port = server.port;
    let started = Instant::now();
    let stalled: Vec<TcpStream> = (0..32)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: local").unwrap();
            s
        })
        .collect();
    assert_eq!(get(port, "/accounts/east/").0, 200);
    let mut s = stalled.into_iter().next().unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(25),
        "a stalled connection was kept {waited:?}"
    );
    assert_eq!(get(port, "/").0, 200);
}

/// Account folders with names that are not ids (still rendered, with a
/// diagnostic): the redirect to the dossier's folder is percent-encoded,
/// nothing panics, and the server goes on serving.
#[test]
fn serve_percent_encodes_redirects_to_odd_account_ids() {
    let (repo, plan) = east_mobile();
    repo.write("accounts/华为/plan.yaml", &plan);
    repo.write("accounts/line\nbreak/plan.yaml", &plan);
    let server = start(repo.path());
    let port = server.port;
    for (path, location) in [
        (
            "/accounts/%E5%8D%8E%E4%B8%BA",
            "/accounts/%E5%8D%8E%E4%B8%BA/",
        ),
        ("/accounts/line%0Abreak", "/accounts/line%0Abreak/"),
        ("/accounts/line%0abreak?x=1", "/accounts/line%0Abreak/"),
    ] {
        let (status, response) = get(port, path);
        assert_eq!(status, 301, "{path}: {response}");
        assert_eq!(header(&response, "location"), Some(location), "{path}");
        let (status, page) = get(port, location);
        assert_eq!(status, 200, "{location}");
        assert!(page.contains("East Mobile Communications"), "{location}");
    }
    // As a client that does not encode sends it: raw UTF-8 in the request line.
    let (status, response) = send(
        port,
        format!(
            "GET /accounts/华为 HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert!(status == 301 || status == 400, "{response}");
    if status == 301 {
        assert_eq!(
            header(&response, "location"),
            Some("/accounts/%E5%8D%8E%E4%B8%BA/")
        );
    }
    // Slashes written as %2F: the redirect stays on this server (`//x/` would be host x).
    for path in [
        "/%2Faccounts/east",
        "//accounts/east",
        "/%2F%2Faccounts/east",
    ] {
        let (status, response) = get(port, path);
        assert_eq!(status, 301, "{path}");
        assert_eq!(
            header(&response, "location"),
            Some("/accounts/east/"),
            "{path}"
        );
    }
    // A line break in a path that leads nowhere.
    let (status, response) = get(port, "/accounts/x%0D%0ASet-Cookie:%20a=b");
    assert_eq!(status, 404);
    assert!(header(&response, "set-cookie").is_none());
    assert_eq!(get(port, "/accounts/east/").0, 200);
}

/// The problems of the event stream as JSON: what every page shows
/// (`all`) and each account's own (`accounts`).
fn problems(port: u16) -> serde_json::Value {
    let (event, data) = next_event(&mut events(port));
    assert_eq!(event, "problems", "{data}");
    serde_json::from_str(&data).unwrap()
}

/// A fresh `kaplan new` account has errors: they mark its own dossier
/// only, and edits to the other accounts still show.
#[test]
fn serve_keeps_other_accounts_live_while_one_plan_has_errors() {
    let (repo, plan) = east_mobile();
    let server = start(repo.path());
    let port = server.port;
    let mut stream = events(port);
    assert_eq!(next_event(&mut stream).0, "ok");
    let out = crate::support::kaplan(&[
        "new",
        "fresh",
        "--name",
        "Fresh Telecom",
        "--root",
        repo.path().to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(port, "/", "Fresh Telecom");
    let (status, page) = get(port, "/accounts/fresh/");
    assert_eq!(status, 200, "the account with errors has its dossier");
    assert!(page.contains("Fresh Telecom"));

    let p = problems(port);
    assert_eq!(p["all"], serde_json::json!([]), "{p}");
    let fresh = p["accounts"]["fresh"]["items"].as_array().unwrap();
    assert!(
        fresh
            .iter()
            .any(|i| i.as_str().unwrap().contains("accounts/fresh/plan.yaml")
                && i.as_str().unwrap().contains("[why/no-objectives]")),
        "{p}"
    );
    assert!(p["accounts"].get("east").is_none(), "{p}");

    repo.write(
        "accounts/east/plan.yaml",
        plan.replace("East Mobile Communications", "West Mobile Communications"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(port, "/accounts/east/", "West Mobile Communications");
    wait_for(port, "/", "West Mobile Communications");
}

/// A plan that is not even YAML hides nothing else: the other accounts
/// stay live, its dossier (never shown before) is a page that lists its
/// problems and reloads, and it comes back when fixed.
#[test]
fn serve_keeps_other_accounts_live_while_one_plan_cannot_be_parsed() {
    let (repo, plan) = east_mobile();
    repo.write("accounts/broken/plan.yaml", "account: [\n");
    let server = start(repo.path());
    let port = server.port;
    let mut stream = events(port);
    let (event, data) = next_event(&mut stream);
    assert_eq!(event, "problems");
    let p: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(p["all"], serde_json::json!([]), "{p}");
    let items = p["accounts"]["broken"]["items"].to_string();
    assert!(
        items.contains("accounts/broken/plan.yaml:2:1") && items.contains("plan/syntax"),
        "{p}"
    );
    assert!(p["accounts"].get("east").is_none(), "{p}");
    let (status, page) = get(port, "/accounts/broken/");
    assert_eq!(status, 404);
    assert!(page.contains("/__kaplan/live.js"), "{page}");
    assert_eq!(
        header(&get(port, "/accounts/broken").1, "location"),
        Some("/accounts/broken/")
    );

    repo.write(
        "accounts/east/plan.yaml",
        plan.replace("East Mobile Communications", "West Mobile Communications"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(port, "/accounts/east/", "West Mobile Communications");

    repo.write(
        "accounts/broken/plan.yaml",
        plan.replace("East Mobile Communications", "Mended Mobile"),
    );
    assert_eq!(next_event(&mut stream).0, "reload");
    wait_for(port, "/accounts/broken/", "Mended Mobile");
    assert_eq!(next_event(&mut events(port)).0, "ok");
}

/// A path the site lacks gets the site's own 404 page, with the live-reload
/// script, and the status 404.
#[test]
fn serve_answers_missing_pages_with_the_sites_404_page() {
    let (repo, _) = east_mobile();
    let server = start(repo.path());
    let port = server.port;
    wait_for(port, "/", "</html>");
    let (status, body) = get(port, "/accounts/no-such-account/");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("<title>"), "{body}");
    assert!(
        body.contains(r#"<meta name="robots" content="noindex, nofollow">"#),
        "{body}"
    );
    assert!(
        body.contains("/assets/kaplan.js") || body.contains("/__kaplan"),
        "{body}"
    );
    let (status, _) = get(port, "/robots.txt");
    assert_eq!(status, 200);
}

/// `serve --audience customer` previews the customer's site: the joint
/// plans' index and the accounts that share something, and none of the
/// team's pages.
#[test]
fn serve_previews_the_customers_site() {
    let repo = Repo::new();
    repo.copy(&repo_root().join("example-accounts"), ".");
    let server = start_with(repo.path(), &["--audience", "customer"]);
    let (status, index) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(index.contains("audience-banner"), "{index}");
    let (status, page) = get(server.port, "/accounts/huijia-retail/");
    assert_eq!(status, 200);
    assert!(page.contains("我们的共同目标"), "{page}");
    for path in ["/checklist/", "/accounts.json", "/accounts/huayue-heavy/"] {
        assert_eq!(get(server.port, path).0, 404, "{path}");
    }
}

/// Waits until `needle` is gone from `path`.
fn wait_without(port: u16, path: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(port, path).1.contains(needle) {
        assert!(Instant::now() < deadline, "`{needle}` stayed in {path}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_follows_commits_resets_and_branches_without_another_save() {
    let (repo, plan) = east_mobile();
    let root = repo.path();
    commit_all(root, "2026-06-01", "plan");
    let server = start(root);
    let uncommitted = "not committed yet";
    let page = "/accounts/east/";
    assert!(!get(server.port, page).1.contains(uncommitted));
    repo.write("accounts/east/plan.yaml", plan.replace("East", "Eastern"));
    wait_for(server.port, page, uncommitted);
    // A commit changes no plan: serve sees `HEAD` move.
    git(root, "2026-06-20", &["commit", "-q", "-am", "rename"]);
    wait_without(server.port, page, uncommitted);
    // `HEAD` moves back: the edit is uncommitted again.
    git(root, "2026-06-20", &["reset", "-q", "--soft", "HEAD~1"]);
    wait_for(server.port, page, uncommitted);
    // Another branch, then a commit on it.
    git(root, "2026-06-21", &["checkout", "-q", "-b", "side"]);
    git(
        root,
        "2026-06-21",
        &["commit", "-q", "-am", "rename on a branch"],
    );
    wait_without(server.port, page, uncommitted);
}

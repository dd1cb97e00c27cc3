//! `kaplan serve`: serves the site, rebuilds on change, tells the browser.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Repo, repo_root};

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
    start_in(std::path::Path::new("."), root.to_str().unwrap())
}

/// Starts `kaplan serve ROOT` in the folder `cwd`.
fn start_in(cwd: &std::path::Path, root: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaplan"))
        .current_dir(cwd)
        .args(["serve", root, "--port", "0", "--today", "2026-06-30"])
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

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    let status = body
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, body)
}

/// Opens the event stream and returns a reader of its lines.
fn events(port: u16) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /__kaplan/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
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

    // A half-written plan: the overlay lists the error, the last good page stays.
    repo.write("accounts/east/plan.yaml", "account: [\n");
    let (event, data) = next_event(&mut stream);
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
    let server = start_in(parent, name.to_str().unwrap());
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

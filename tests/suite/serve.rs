//! `gadocs serve` end to end: the real binary on an ephemeral loopback port, over an index
//! imported from JSON lines written here, queried with raw HTTP/1.1 over a `TcpStream`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::gadocs;
use crate::mirror::{Mirror, harvested, update};

const A_RES_74_247_EN: &str = r#"{"symbol":"A/RES/74/247","lang":"en","doc_type":"resolution","session":"74","committee":"third","agenda_items":["107"],"title":"Countering the use of information and communications technologies for criminal purposes","date":"2020-01-20","adoption_date":"2019-12-27","sponsors":["Russian Federation","Belarus","China"],"additional_sponsors":["Kenya"],"votes":{"without_vote":false,"yes":79,"no":60,"abstain":33},"vote_by_state":{"Russian Federation":"yes","China":"yes","United States of America":"no","France":"no","Kenya":"abstain"},"meeting_record":"A/74/PV.52","cites":["73/187"],"cited_documents":["A/74/130"],"draft_symbols":["A/C.3/74/L.11/Rev.1"],"committee_report":"A/74/400","has_text":true,"text":"The General Assembly,\n\nRecalling its resolution 73/187 on countering the use of information and communications technologies for criminal purposes,\n\n1. Decides to establish an open-ended ad hoc intergovernmental committee of experts."}"#;
const A_RES_74_247_FR: &str = r#"{"symbol":"A/RES/74/247","lang":"fr","doc_type":"resolution","session":"74","committee":"third","agenda_items":["107"],"title":"Lutte contre l'utilisation des technologies de l'information et des communications à des fins criminelles","date":"2020-01-20","adoption_date":"2019-12-27","sponsors":["Russian Federation"],"has_text":true,"text":"L'Assemblée générale,\n\nRappelant sa résolution 73/187 sur la lutte contre l'utilisation des technologies de l'information et des communications à des fins criminelles."}"#;
const A_RES_73_187: &str = r#"{"symbol":"A/RES/73/187","lang":"en","doc_type":"resolution","session":"73","committee":"third","agenda_items":["108"],"title":"Countering the use of information and communications technologies for criminal purposes","date":"2019-01-21","adoption_date":"2018-12-17","sponsors":["Russian Federation"],"has_text":true,"text":"The General Assembly, concerned about information and communications technologies used for criminal purposes."}"#;
const DRAFT: &str = r#"{"symbol":"A/C.1/74/L.50","lang":"en","doc_type":"draft resolution","session":"74","committee":"first","agenda_items":["93"],"title":"Developments in the field of information and telecommunications","date":"2019-10-18","sponsors":["Kenya","France"],"has_text":true,"text":"The General Assembly, noting developments in information and telecommunications."}"#;
/// Title and text written to break out of HTML text and attributes.
const HOSTILE: &str = r#"{"symbol":"A/RES/99/666","lang":"en","doc_type":"resolution","session":"99","committee":"first","title":"<script>alert(1)</script> \"'><img src=x onerror=alert(2)>","date":"2044-01-01","sponsors":["<b>Evil</b>\"'><img src=x onerror=alert(5)>"],"has_text":true,"text":"Hostile <script>alert(3)</script> text \"'><img src=x onerror=alert(4)> about information technologies\f with a form feed."}"#;

/// A running `gadocs serve`; killed on drop.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT` it listens on.
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml")
}

/// Imports JSON lines into `<data>/index`.
fn import(data: &Path, name: &str, lines: &[&str]) {
    let file = data.join(name);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = gadocs(data, &["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts the server on port 0 and reads the bound address from its first stderr line.
pub fn start(data: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gadocs"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("GADOCS_CONFIG", config())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gadocs serve");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr piped"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("read stderr");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first stderr line is not the address: {line:?}"))
        .to_string();
    // keep draining stderr so the server never blocks on a full pipe
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Server { child, addr }
}

fn fixture_server() -> (tempfile::TempDir, Server) {
    let data = tempfile::tempdir().unwrap();
    import(
        data.path(),
        "records.jsonl",
        &[
            A_RES_74_247_EN,
            A_RES_74_247_FR,
            A_RES_73_187,
            DRAFT,
            HOSTILE,
        ],
    );
    let server = start(data.path());
    (data, server)
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One raw HTTP/1.1 GET; the target is sent exactly as given (no normalization).
fn get(server: &Server, target: &str) -> Reply {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("header end");
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let mut reply = Reply {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    };
    if reply
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        reply.body =
            String::from_utf8_lossy(&crate::common::unchunk(reply.body.as_bytes())).into_owned();
    }
    reply
}

#[test]
fn serve_api_has_the_cli_shapes_and_clear_errors() {
    let (data, server) = fixture_server();
    let r = get(
        &server,
        "/api/search?q=information&facet=session&facet=type&limit=2",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .unwrap()
            .contains("application/json")
    );
    let v = r.json();
    assert_eq!(v["total"], 5);
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    for key in [
        "symbol",
        "lang",
        "title",
        "doc_type",
        "session",
        "committee",
        "agenda_items",
        "sponsors",
        "date",
        "score",
        "snippet",
        "highlights",
    ] {
        assert!(v["hits"][0].get(key).is_some(), "hit lacks {key}: {v}");
    }
    assert_eq!(v["facets"]["session"]["74"], 3);
    assert_eq!(v["facets"]["session"]["73"], 1);
    assert_eq!(v["facets"]["type"]["draft resolution"], 1);

    // same shape and numbers as `gadocs search --json`
    let cli = gadocs(
        data.path(),
        &[
            "search",
            "information",
            "--session",
            "74",
            "--facet",
            "committee",
            "--json",
        ],
    );
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let api = get(
        &server,
        "/api/search?q=information&session=74&facet=committee",
    )
    .json();
    assert_eq!(api, cli, "API and CLI agree");
    assert_eq!(api["facets"]["committee"]["third"], 2);

    let filtered = get(&server, "/api/search?sponsor=Kenya&type=draft+resolution").json();
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["hits"][0]["symbol"], "A/C.1/74/L.50");
    let original = get(
        &server,
        "/api/search?sponsor=Kenya&sponsor_stage=original&type=draft+resolution",
    )
    .json();
    let named = get(
        &server,
        "/api/search?original_sponsor=Kenya&type=draft+resolution",
    )
    .json();
    assert_eq!(
        original, named,
        "sponsor_stage=original is original_sponsor"
    );
    let bad = get(&server, "/api/search?sponsor=Kenya&sponsor_stage=later");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("original or additional"), "{}", bad.body);
    let dated = get(
        &server,
        "/api/search?from=2019-12-01&to=2020-12-31&sort=date",
    )
    .json();
    assert_eq!(dated["total"], 2, "{dated}");
    let paged = get(&server, "/api/search?q=information&limit=2&offset=4").json();
    assert_eq!(paged["hits"].as_array().unwrap().len(), 1);

    let doc = get(&server, "/api/doc/A/RES/74/247?lang=fr");
    assert_eq!(doc.status, 200, "{}", doc.body);
    let doc = doc.json();
    assert_eq!(
        (doc["symbol"].as_str(), doc["lang"].as_str()),
        (Some("A/RES/74/247"), Some("fr"))
    );
    let cli_show = gadocs(data.path(), &["show", "A/RES/74/247", "--json"]);
    let cli_show: Value = serde_json::from_slice(&cli_show.stdout).unwrap();
    assert_eq!(get(&server, "/api/doc/A/RES/74/247").json(), cli_show);
    assert_eq!(
        get(&server, "/api/doc/74/247").json()["symbol"],
        "A/RES/74/247"
    );

    let stats = get(&server, "/api/stats").json();
    assert_eq!(stats["documents"], 5);
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    assert_eq!(stats["facets"]["lang"]["fr"], 1);

    let openapi = get(&server, "/api/openapi.json").json();
    assert_eq!(openapi["openapi"], "3.0.3");
    assert!(openapi["paths"]["/api/search"]["get"]["parameters"].is_array());

    // errors: JSON with a 4xx, never a 500
    let cases = [
        ("/api/doc/A/RES/1/1", 404, "not in the index"),
        ("/api/doc/A/RES/74/247?lang=xx", 404, "available: en, fr"),
        ("/api/nothing", 404, "no page"),
        ("/api/search?limit=101", 400, "from 1 to 100"),
        ("/api/search?limit=0", 400, "from 1 to 100"),
        ("/api/search?offset=999999", 400, "offset"),
        ("/api/search?facet=comittee", 400, "known facets"),
        ("/api/search?sort=random", 400, "relevance or date"),
        ("/api/search?from=yesterday", 400, "YYYY-MM-DD"),
        ("/api/search?committee=eleventh", 400, "committee"),
        ("/api/search?colour=red", 400, "known parameters"),
    ];
    for (target, status, needle) in cases {
        let r = get(&server, target);
        assert_eq!(r.status, status, "{target}: {}", r.body);
        let body = r.json();
        assert_eq!(body["status"], status, "{target}: {body}");
        let message = body["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains(needle), "{target}: {message}");
    }
    let long = format!("/api/search?q={}", "a".repeat(1001));
    assert_eq!(get(&server, &long).status, 400);
    let huge = format!("/api/search?q={}", "a".repeat(20_000));
    assert!(matches!(get(&server, &huge).status, 400 | 414 | 431));
    for garbage in [
        "/api/search?%",
        "/api/search?q=%ff%fe%00",
        "/api/search?q=((((((((",
        "/api/search?q=%22unclosed",
        "/api/search?q=AND+OR+NOT",
        "/api/search?q=*",
        "/api/search?q=title:",
        "/api/search?q=&&&===",
        "/api/search?q=symbol:%22%22",
        "/api/search?q=year:abc&session=%00",
        "/api/doc/%ff%fe",
        "/api/doc/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let r = get(&server, garbage);
        assert!(
            r.status < 500 && r.body.starts_with('{'),
            "{garbage}: {} {}",
            r.status,
            r.body
        );
    }
}

#[test]
fn serve_pages_escape_document_text_and_refuse_traversal() {
    let (_data, server) = fixture_server();
    let page = get(&server, "/?q=information+technologies");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().contains("text/html"));
    assert!(page.header("content-security-policy").is_some());
    let html = &page.body;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<label for=\"q\">"),
        "the search box is labelled"
    );
    assert!(
        html.contains("<mark>information</mark>"),
        "snippets are highlighted"
    );
    assert!(html.contains("href=\"/doc/A/RES/74/247?lang=en\""));
    assert!(
        html.contains("lang=\"fr\""),
        "French hits are marked as French"
    );
    for facet in [
        "Session",
        "Committee",
        "Agenda item",
        "Sponsor (printed on the draft)",
        "Document type",
        "Year",
        "Language",
    ] {
        assert!(html.contains(&format!(">{facet}</h3>")), "facet {facet}");
    }
    assert_no_markup_injection(html);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // the session 74 facet link narrows the search
    let link = "/?q=information+technologies&amp;session=74";
    assert!(html.contains(link), "facet link {link}");
    let narrowed = get(&server, &link.replace("&amp;", "&"));
    assert!(narrowed.body.contains("2 documents"), "{}", narrowed.body);
    assert!(narrowed.body.contains("aria-current=\"true\""));
    assert!(!narrowed.body.contains("A/RES/73/187"));

    let doc = get(&server, "/doc/A/RES/74/247");
    assert_eq!(doc.status, 200);
    for needle in [
        "Russian Federation",
        "Belarus",
        "Kenya",
        ">107</a>",
        "79 in favour, 60 against, 33 abstentions",
        ">Legislative history</h2>",
        "href=\"/api/history/A/RES/74/247\"",
        ">Recorded vote</h2>",
        "<summary>In favour (2)</summary>",
        "<summary>Against (2)</summary>",
        "href=\"/api/votes/A/RES/74/247\"",
        "href=\"/doc/A/RES/74/247?lang=fr\"",
        "hreflang=\"fr\"",
        "href=\"/doc/A/C.3/74/L.11/Rev.1\"",
        "1. Decides to establish",
        "<h1>",
    ] {
        assert!(doc.body.contains(needle), "doc page lacks {needle}");
    }
    let fr = get(&server, "/doc/A/RES/74/247?lang=fr");
    assert!(fr.body.contains("class=\"text\" lang=\"fr\""));
    let short = get(&server, "/doc/74/247");
    assert_eq!(short.status, 308);
    assert_eq!(
        short.header("location").as_deref(),
        Some("/doc/A/RES/74/247")
    );

    let hostile = get(&server, "/doc/A/RES/99/666");
    assert_eq!(hostile.status, 200);
    assert_no_markup_injection(&hostile.body);
    assert!(
        hostile
            .body
            .contains("&lt;script&gt;alert(3)&lt;/script&gt;")
    );
    assert!(
        !hostile.body.contains('\u{c}'),
        "control characters dropped"
    );

    for target in [
        "/doc/../../etc/passwd",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/..%2fCargo.toml",
        "/../../../../etc/passwd",
        "/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/doc/../../Cargo.toml",
    ] {
        let r = get(&server, target);
        assert_eq!(r.status, 404, "{target}");
        assert!(
            !r.body.contains("[workspace]") && !r.body.contains("root:x:"),
            "{target} leaked a file"
        );
    }
    let css = get(&server, "/static/style.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    let bad = get(&server, "/?limit=1000");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("role=\"alert\""));
    let missing = get(&server, "/doc/%3Cscript%3Ex");
    assert_eq!(missing.status, 404);
    assert!(!missing.body.contains("<script>x"));
}

/// No tag from the hostile record survives unescaped (its text, escaped, may).
fn assert_no_markup_injection(html: &str) {
    for bad in ["<script", "<img", "<b>Evil"] {
        assert!(!html.contains(bad), "unescaped {bad:?} in page");
    }
}

#[test]
fn serve_feed_is_atom_and_matches_gadocs_feed() {
    let (data, server) = fixture_server();
    let r = get(&server, "/feed?q=information&session=74");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .unwrap()
            .contains("application/atom+xml")
    );
    let ids = atom_entry_ids(&r.body);
    assert_eq!(
        ids.len(),
        3,
        "two languages of A/RES/74/247 and the draft: {ids:?}"
    );
    assert!(
        ids[2].ends_with("/doc/A/C.1/74/L.50?lang=en"),
        "newest first: {ids:?}"
    );

    let base = format!("http://{}", server.addr);
    let out = gadocs(
        data.path(),
        &[
            "feed",
            "information",
            "--session",
            "74",
            "--base-url",
            &base,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = String::from_utf8(out.stdout).unwrap();
    assert_eq!(cli, r.body, "gadocs feed writes what /feed serves");

    // hostile text stays text, and form feeds (invalid in XML) are dropped
    let hostile = get(&server, "/feed?q=hostile");
    let doc = roxmltree::Document::parse(&hostile.body).expect("well-formed");
    let title = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .nth(1)
        .and_then(|n| n.text())
        .unwrap();
    assert!(title.contains("<script>alert(1)</script>"), "{title}");
    assert_eq!(get(&server, "/feed?limit=500").status, 400);

    // the change digest as a feed: the five imported records, newest first
    let changes = get(&server, "/feed/changes?since=1d");
    assert_eq!(changes.status, 200, "{}", changes.body);
    assert_eq!(atom_entry_ids(&changes.body).len(), 5, "{}", changes.body);
    assert_eq!(
        atom_entry_ids(&get(&server, "/feed/changes?type=draft").body).len(),
        1
    );
    let bad = get(&server, "/feed/changes?since=soon");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("expected a date"), "{}", bad.body);
    assert_eq!(
        atom_entry_ids(&get(&server, "/feed?q=nothingmatches").body).len(),
        0
    );
}

fn atom_child<'a, 'input>(
    n: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    n.children()
        .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Parses an Atom feed, checks the elements Atom 1.0 requires, returns the entry ids.
fn atom_entry_ids(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    let rfc3339 = |s: &str| chrono::DateTime::parse_from_rfc3339(s).is_ok();
    for name in ["id", "title", "updated", "author"] {
        assert!(atom_child(feed, name).is_some(), "feed lacks {name}");
    }
    assert!(rfc3339(
        atom_child(feed, "updated").unwrap().text().unwrap()
    ));
    let mut ids = Vec::new();
    let mut last = String::from("9999");
    for entry in feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))) {
        for name in ["id", "title", "updated", "link"] {
            assert!(atom_child(entry, name).is_some(), "entry lacks {name}");
        }
        let updated = atom_child(entry, "updated")
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        assert!(rfc3339(&updated), "{updated}");
        assert!(updated <= last, "entries newest first");
        last = updated;
        assert!(
            atom_child(entry, "link")
                .unwrap()
                .attribute("href")
                .is_some()
        );
        ids.push(atom_child(entry, "id").unwrap().text().unwrap().to_string());
    }
    ids
}

#[test]
fn serve_sees_a_new_commit_without_restart() {
    let (data, server) = fixture_server();
    let before = get(&server, "/api/search?q=zanzibarian").json();
    assert_eq!(before["total"], 0);
    import(
        data.path(),
        "more.jsonl",
        &[
            r#"{"symbol":"A/RES/74/300","lang":"en","doc_type":"resolution","session":"74","title":"Zanzibarian cloves","date":"2020-06-01","has_text":true,"text":"On zanzibarian cloves."}"#,
        ],
    );
    // the server reloads once a second; allow a generous margin on a loaded machine
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = get(&server, "/api/search?q=zanzibarian").json();
        if now["total"] == 1 {
            assert_eq!(now["hits"][0]["symbol"], "A/RES/74/300");
            break;
        }
        assert!(Instant::now() < deadline, "new commit not visible: {now}");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(get(&server, "/api/stats").json()["documents"], 6);
    assert_eq!(get(&server, "/doc/A/RES/74/300").status, 200);
}

/// Parses the JSON lines a CLI `--json` printed (one object, or one per line).
fn cli_json(data: &Path, args: &[&str]) -> Vec<Value> {
    let out = gadocs(data, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {l}")))
        .collect()
}

#[test]
fn serve_history_votes_and_changes_are_the_cli_json() {
    let (data, server) = fixture_server();
    let d = data.path();
    let ok = |target: &str| -> Value {
        let r = get(&server, target);
        assert_eq!(r.status, 200, "{target}: {}", r.body);
        assert!(
            r.header("content-type")
                .unwrap()
                .contains("application/json")
        );
        r.json()
    };

    // history: from the resolution and from its draft, as `history --json`
    let h = ok("/api/history/A/RES/74/247");
    assert_eq!(h, cli_json(d, &["history", "A/RES/74/247", "--json"])[0]);
    assert_eq!(h["resolution"]["symbol"], "A/RES/74/247");
    assert_eq!(h["vote"]["yes"], 79);
    assert_eq!(h["committee_report"]["symbol"], "A/74/400");
    assert_eq!(h["earlier"][0]["symbol"], "A/RES/73/187", "{h}");
    let from_draft = ok("/api/history/A/C.3/74/L.11/Rev.1");
    assert_eq!(from_draft["resolution"]["symbol"], "A/RES/74/247");
    assert_eq!(ok("/api/history/74/247")["query"], "A/RES/74/247");

    // a roll call, as `votes SYMBOL --json`
    let v = ok("/api/votes/A/RES/74/247");
    assert_eq!(v, cli_json(d, &["votes", "A/RES/74/247", "--json"])[0]);
    assert_eq!(v["counts"]["yes"], 79);
    assert_eq!(
        v["no"],
        serde_json::json!(["France", "United States of America"])
    );
    assert_eq!(v["meeting_record"], "A/74/PV.52");

    // one State's votes, as `votes --state … --with … --session … --json`
    let s = ok("/api/votes?state=Russia&with=US&session=74");
    let cli = cli_json(
        d,
        &[
            "votes",
            "--state",
            "Russia",
            "--with",
            "US",
            "--session",
            "74",
            "--json",
        ],
    );
    assert_eq!(s, cli[0]);
    assert_eq!(s["state"], "Russian Federation");
    assert_eq!(s["with"], "United States of America");
    assert_eq!(s["votes"][0]["vote"], "yes");
    assert_eq!(s["votes"][0]["other_vote"], "no");
    assert_eq!(s["agreement"][0]["rate"], 0.0);
    assert_eq!(
        ok("/api/votes?state=Kenya&session=73")["votes"],
        serde_json::json!([])
    );

    // changes, as the lines of `changes --json` in one array
    let all = ok("/api/changes");
    let lines = cli_json(d, &["changes", "--json"]);
    assert_eq!(all, Value::Array(lines));
    assert_eq!(all.as_array().unwrap().len(), 5, "{all}");
    let drafts = ok("/api/changes?since=1d&type=draft&change=new&sponsor=kenya");
    assert_eq!(drafts.as_array().unwrap().len(), 1, "{drafts}");
    assert_eq!(drafts[0]["symbol"], "A/C.1/74/L.50");
    assert_eq!(ok("/api/changes?since=2999-01-01"), serde_json::json!([]));

    // every path of the OpenAPI description is served (not the fallback's 404)
    let openapi = ok("/api/openapi.json");
    for (path, _) in openapi["paths"].as_object().unwrap() {
        let target = path.replace("{symbol}", "A/RES/74/247");
        let r = get(&server, &target);
        assert!(
            !r.body.contains("no page at"),
            "{path} is described but not served"
        );
    }

    // errors: {status, message} with a 4xx, never a 500
    let cases = [
        ("/api/history/A/RES/1/1", 404, "not in the index"),
        (
            "/api/history/A/RES/74/247?lang=fr",
            400,
            "known parameters: none",
        ),
        ("/api/votes/A/RES/1/1", 404, "not in the index"),
        ("/api/votes", 400, "state is required"),
        ("/api/votes?state=", 400, "state is required"),
        ("/api/votes?state=Narnia", 400, "Narnia: not a State"),
        (
            "/api/votes?state=Kenya&with=Atlantis",
            400,
            "Atlantis: not a State",
        ),
        ("/api/votes?state=Kenya&state=France", 400, "given twice"),
        (
            "/api/votes?state=Kenya&colour=red",
            400,
            "known parameters: state, session, with",
        ),
        ("/api/changes?since=not+a+date", 400, "expected a date"),
        ("/api/changes?since=99999999999d", 400, "expected a date"),
        (
            "/api/changes?change=created",
            400,
            "new, changed or removed",
        ),
        ("/api/changes?until=today", 400, "known parameters: since"),
    ];
    for (target, status, needle) in cases {
        let r = get(&server, target);
        assert_eq!(r.status, status, "{target}: {}", r.body);
        let body = r.json();
        assert_eq!(body["status"], status, "{target}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(needle), "{target}: {message}");
    }
    for garbage in [
        "/api/history/%ff%fe",
        "/api/votes/%00",
        "/api/history/%2e%2e/%2e%2e/etc/passwd",
        "/api/votes?state=%ff",
        "/api/changes?since=%00&type=%ff",
        &format!("/api/votes?state={}", "a".repeat(1001)),
    ] {
        let r = get(&server, garbage);
        assert!(
            (400..500).contains(&r.status) && r.body.starts_with('{'),
            "{garbage}: {} {}",
            r.status,
            r.body
        );
    }
}

/// (symbol, lang, change) of the entries of a `/feed/changes` feed, from their titles.
fn feed_changes(xml: &str) -> Vec<(String, String, String)> {
    atom_entry_ids(xml);
    let title = regex::Regex::new(r"^(.+?) \(([a-z]{2,3})\): (new|changed|removed)")
        .expect("literal regex");
    let doc = roxmltree::Document::parse(xml).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|entry| {
            let text = atom_child(entry, "title")
                .and_then(|t| t.text())
                .unwrap_or("");
            let c = title
                .captures(text)
                .unwrap_or_else(|| panic!("entry title {text:?}"));
            (c[1].to_string(), c[2].to_string(), c[3].to_string())
        })
        .collect()
}

/// Issue 9: after `update`, a publish on the mirror, and a second `update`, the Atom feed of
/// changes since the second update began lists exactly the documents the publish added.
/// (`/feed` itself is "newest documents of a search" by document date and cannot say "since
/// the last update"; `/feed/changes` reads the change digest, which can.)
#[test]
fn serve_feed_lists_exactly_what_the_update_after_a_publish_added() {
    let mirror = Mirror::start(&["--hold-back", "3"]);
    let dir = tempfile::tempdir().unwrap();
    let config = mirror.config();
    let data = dir.path().join("data");
    update(&config, &data, &["--session", "80"], "before publish");
    let before = mirror.manifest();
    let published = mirror.http("POST", "/_mirror/publish?count=2");
    let symbols: Vec<String> = published["published"]
        .as_array()
        .expect("published symbols")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    assert_eq!(symbols.len(), 2, "{published}");
    let after = mirror.manifest();
    let added: Vec<(String, String)> = harvested(&after, &["80"])
        .difference(&harvested(&before, &["80"]))
        .cloned()
        .collect();
    assert!(
        symbols.iter().all(|s| added.iter().any(|(n, _)| n == s)),
        "published {symbols:?}, manifest added {added:?}"
    );

    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let run = update(&config, &data, &["--session", "80"], "after publish");
    assert_eq!(run["indexed"].as_u64(), Some(added.len() as u64), "{run}");

    let server = start(&data);
    let target = format!("/feed/changes?since={}", since.replace('+', "%2B"));
    let feed = get(&server, &target);
    assert_eq!(feed.status, 200, "{}", feed.body);
    let mut listed = feed_changes(&feed.body);
    listed.sort();
    eprintln!("published {symbols:?}; the feed since the second update lists {listed:?}");
    let want: Vec<(String, String, String)> = added
        .iter()
        .map(|(s, l)| (s.clone(), l.clone(), "new".to_string()))
        .collect();
    assert_eq!(listed, want, "feed since the second update vs the publish");
    // the JSON of the same digest agrees
    let api = get(&server, &target.replace("/feed/changes", "/api/changes")).json();
    assert_eq!(api.as_array().map(Vec::len), Some(want.len()), "{api}");
    // and nothing before the second update is in it
    let everything = feed_changes(&get(&server, "/feed/changes").body);
    assert!(everything.len() > listed.len());
}

/// One keep-alive HTTP/1.1 connection of the load test.
struct Conn {
    reader: BufReader<TcpStream>,
    addr: String,
}

impl Conn {
    fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            reader: BufReader::new(stream),
            addr: addr.to_string(),
        })
    }

    /// GET `target`; the status, and whether the server keeps the connection open.
    fn get(&mut self, target: &str) -> std::io::Result<(u16, bool)> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        write!(
            self.reader.get_mut(),
            "GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )?;
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(bad("connection closed before the status line"));
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status"))?;
        let (mut length, mut chunked, mut keep) = (0usize, false, true);
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (k, v) = header.split_once(':').ok_or_else(|| bad("header"))?;
            let v = v.trim().to_ascii_lowercase();
            match k.to_ascii_lowercase().as_str() {
                "content-length" => length = v.parse().map_err(|_| bad("content-length"))?,
                "transfer-encoding" => chunked = v.contains("chunked"),
                "connection" => keep = v != "close",
                _ => {}
            }
        }
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk"))?;
                let mut chunk = vec![0u8; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut body = vec![0u8; length];
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, keep))
    }
}

/// The load test's request mix: (target, expected status).
fn load_targets(symbols: &[String]) -> Vec<(String, u16)> {
    let mut t: Vec<(String, u16)> = [
        "/api/search?q=climate+change",
        "/api/search?q=terrorism&facet=session&facet=committee",
        "/api/search?q=%22human+rights+defenders%22",
        "/api/search?q=%22information+and+communications+technologies%22&session=74",
        "/api/search?q=cyber*+OR+digital&facet=sponsor&limit=20",
        "/api/search?sponsor=Russia&session=74&facet=agenda",
        "/api/search?q=women+AND+peace&sort=date&offset=10",
        "/?q=information+and+communications+technologies",
        "/?q=nuclear+disarmament&session=75",
        "/?q=refugees&type=resolution&committee=third",
        "/api/votes?state=Kenya&with=France&session=74",
        "/feed?q=ocean&session=75",
        "/api/stats",
    ]
    .iter()
    .map(|s| (s.to_string(), 200))
    .collect();
    for s in symbols.iter().take(12) {
        let s = s.replace(' ', "%20");
        t.push((format!("/doc/{s}"), 200));
        t.push((format!("/api/doc/{s}"), 200));
    }
    for s in symbols.iter().take(4) {
        let s = s.replace(' ', "%20");
        t.push((format!("/api/history/{s}"), 200));
        t.push((format!("/api/votes/{s}"), 200));
    }
    t.push(("/api/doc/A/RES/1/1".to_string(), 404));
    t
}

/// Synthetic records for the writer of the load test: `n` new resolutions per batch.
fn load_batch(batch: usize, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "symbol": format!("A/RES/99/{}", batch * n + i + 1),
                "lang": "en", "doc_type": "resolution", "session": "99", "committee": "third",
                "title": format!("Load test resolution {batch}-{i} on climate change and terrorism"),
                "date": "2044-01-01", "sponsors": ["Kenya"], "has_text": true,
                "text": "The General Assembly, concerned about climate change, human rights defenders and terrorism, decides to remain seized of the matter."
            })
            .to_string()
        })
        .collect()
}

/// The route a load-test target exercises, for the per-route figures.
fn route_of(target: &str) -> &'static str {
    let path = target.split('?').next().unwrap_or("");
    for route in [
        "/api/search",
        "/api/doc/",
        "/api/history/",
        "/api/votes/",
        "/api/votes",
        "/api/stats",
        "/doc/",
        "/feed",
    ] {
        if path.starts_with(route) {
            return route;
        }
    }
    "/ (page)"
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Issue 9, bounded load: 32 clients for 30 s (`GADOCS_LOAD_SECS`) of mixed searches, pages
/// and documents over keep-alive connections, while `gadocs import` commits into the same
/// data folder; no request may fail (status other than the intended, or connection error).
/// Prints requests/s and p50/p99. Run by .ci/run: `cargo test --release --test tests --
/// --ignored load`.
#[test]
#[ignore = "about 40 s of load; run explicitly (.ci/run does) with --ignored load"]
fn load_serve_32_clients_while_import_commits() {
    const CLIENTS: usize = 32;
    let secs: u64 = std::env::var("GADOCS_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let data = tempfile::tempdir().unwrap();
    crate::browser::index_sessions(data.path());
    let server = start(data.path());
    let listing = get(&server, "/api/search?type=resolution&session=74&limit=100").json();
    let symbols: Vec<String> = listing["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["symbol"].as_str().map(str::to_owned))
        .collect();
    assert!(symbols.len() >= 12, "{listing}");
    let targets = std::sync::Arc::new(load_targets(&symbols));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(secs);

    // the writer: imports batches into the served data folder until the load ends
    let writer_data = data.path().to_path_buf();
    let writer_stop = stop.clone();
    let writer = std::thread::spawn(move || {
        let mut commits = 0usize;
        while !writer_stop.load(std::sync::atomic::Ordering::Relaxed) {
            let lines = load_batch(commits, 50);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            import(&writer_data, &format!("load-{commits}.jsonl"), &lines);
            commits += 1;
            std::thread::sleep(Duration::from_millis(500));
        }
        commits
    });

    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let targets = targets.clone();
        let addr = server.addr.clone();
        clients.push(std::thread::spawn(move || {
            let mut latencies = Vec::new();
            let mut errors: Vec<String> = Vec::new();
            let mut conn: Option<Conn> = None;
            let mut i = c * 7;
            while Instant::now() < deadline {
                let (target, want) = &targets[i % targets.len()];
                i += 1;
                let t = Instant::now();
                let result = match conn.as_mut() {
                    Some(open) => open.get(target),
                    None => Conn::open(&addr).and_then(|mut fresh| {
                        let r = fresh.get(target);
                        conn = Some(fresh);
                        r
                    }),
                };
                latencies.push((route_of(target), t.elapsed()));
                match result {
                    Ok((status, keep)) => {
                        if status != *want {
                            errors.push(format!("{target}: HTTP {status}, expected {want}"));
                        }
                        if !keep {
                            conn = None;
                        }
                    }
                    Err(e) => {
                        errors.push(format!("{target}: {e}"));
                        conn = None;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut by_route: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut errors = Vec::new();
    for c in clients {
        let (l, e) = c.join().expect("client thread");
        for (route, t) in l {
            by_route.entry(route).or_default().push(t);
        }
        errors.extend(e);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let commits = writer.join().expect("writer thread");
    for (route, times) in &mut by_route {
        times.sort();
        eprintln!(
            "load: {route:<14} {:>6} requests, p50 {:>7.1} ms, p99 {:>7.1} ms",
            times.len(),
            percentile(times, 0.50).as_secs_f64() * 1000.0,
            percentile(times, 0.99).as_secs_f64() * 1000.0
        );
    }
    let mut latencies: Vec<Duration> = by_route.into_values().flatten().collect();
    latencies.sort();
    let total = latencies.len();
    eprintln!(
        "load: {CLIENTS} clients, {secs} s, {total} requests, {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {commits} import commits alongside; {} errors",
        total as f64 / secs as f64,
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} failed requests, first: {:?}",
        errors.len(),
        &errors[..errors.len().min(10)]
    );
    assert!(commits >= 2, "the writer committed only {commits} times");
    // the commits became visible to the server
    let seen = get(&server, "/api/search?session=99&limit=1").json();
    assert!(seen["total"].as_u64().unwrap_or(0) > 0, "{seen}");
}

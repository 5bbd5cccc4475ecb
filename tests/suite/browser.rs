//! The search page in a real browser (issue 9): headless Chromium driven over WebDriver
//! (chromedriver, Debian's `chromium` and `chromium-driver` packages) against `gadocs serve`
//! over an index of the real corpus' English resolutions of sessions 74 and 75. A user types
//! a query, submits, narrows to session 74 with the facet link, opens A/RES/74/247 and sees
//! its sponsors and agenda item. Screenshots go to `target/e2e/`. A missing chromedriver is a
//! failure naming the packages to install, never a skip.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::common::{corpus, gadocs};
use crate::serve::start;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const QUERY: &str = "information and communications technologies";

/// A running chromedriver; killed on drop (the browser sessions it started die with it).
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// Starts chromedriver on a free loopback port and waits until it accepts connections.
fn start_driver() -> Driver {
    for program in [CHROMEDRIVER, CHROMIUM] {
        assert!(
            Path::new(program).try_exists().unwrap_or(false),
            "{program} is missing: install Debian's chromium and chromium-driver \
             (sudo apt-get install -y chromium chromium-driver) to run the browser test"
        );
    }
    let port = free_port();
    let mut child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{CHROMEDRIVER}: cannot start: {e}"));
    let stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
    // keep draining its stdout so chromedriver never blocks on a full pipe
    std::thread::spawn(move || for _ in stdout.lines() {});
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port} within 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

/// Indexes the English XML of sessions 74 and 75 into `data` with the real binary.
pub fn index_sessions(data: &Path) {
    let xml = corpus().join("ga-resolutions/raw/xml");
    let inputs = [
        xml.join("74session/GA resolutions_74session_English.zip"),
        xml.join("75session/English.zip"),
    ];
    let mut args = vec!["index".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = gadocs(data, &args);
    // 1: some inputs skipped (the corpus holds a few malformed files on purpose)
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "index: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn e2e_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1400", "--lang=en-GB"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("chromedriver on port {}: no session: {e}", driver.port))
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let path = e2e_dir().join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eprintln!("screenshot: {}", path.display());
}

/// The user's path through the site; panics say which step failed.
async fn search_narrow_open(client: &Client, base: &str) {
    let wait = |secs| client.wait().at_most(Duration::from_secs(secs));
    client.goto(&format!("{base}/")).await.expect("open /");
    let q = wait(10)
        .for_element(Locator::Css("input#q"))
        .await
        .expect("search box");
    q.send_keys(QUERY).await.expect("type the query");
    client
        .find(Locator::Css("form.search button[type=submit]"))
        .await
        .expect("search button")
        .click()
        .await
        .expect("submit");
    // the page before the submit has a results heading too: wait for the one naming the
    // query (its text is never read, so a page navigating away cannot make it stale)
    let heading = format!("//h1[@id='results-h'][contains(normalize-space(.), '{QUERY}')]");
    wait(20)
        .for_element(Locator::XPath(&heading))
        .await
        .expect("results heading naming the query");

    let facet = wait(10)
        .for_element(Locator::XPath(
            "//section[@aria-labelledby='facet-session']//a[starts-with(normalize-space(.), '74 ')]",
        ))
        .await
        .expect("session 74 facet link");
    facet.click().await.expect("click session 74");
    let on = wait(20)
        .for_element(Locator::Css(
            "section[aria-labelledby=facet-session] a[aria-current=true]",
        ))
        .await
        .expect("session 74 selected");
    assert!(on.text().await.unwrap_or_default().contains("74"));
    let url = client.current_url().await.expect("url");
    assert!(
        url.query().unwrap_or("").contains("session=74"),
        "facet link did not narrow: {url}"
    );
    let source = client.source().await.expect("page source");
    assert!(
        !source.contains("/doc/A/RES/75/"),
        "a session-75 hit after narrowing to 74"
    );
    screenshot(client, "results.png").await;

    client
        .find(Locator::Css("ol.hits a[href^='/doc/A/RES/74/247?']"))
        .await
        .expect("A/RES/74/247 among the narrowed results")
        .click()
        .await
        .expect("open A/RES/74/247");
    let fields = wait(20)
        .for_element(Locator::Css("article.doc dl.fields"))
        .await
        .expect("document details");
    let details = fields.text().await.expect("details text");
    let title = client
        .find(Locator::Css("article.doc h1"))
        .await
        .expect("document heading")
        .text()
        .await
        .expect("heading text");
    assert!(title.contains("A/RES/74/247"), "document heading: {title}");
    let sponsors = details
        .lines()
        .skip_while(|l| !l.starts_with("Sponsors"))
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        sponsors.contains("Russian Federation"),
        "sponsors on the page: {sponsors:?}\n{details}"
    );
    let agenda = details
        .lines()
        .skip_while(|l| !l.starts_with("Agenda items"))
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        agenda.contains("107"),
        "agenda items on the page: {agenda:?}"
    );
    screenshot(client, "document.png").await;
}

#[test]
fn browser_search_narrow_and_open_a_resolution() {
    let started = Instant::now();
    let driver = start_driver();
    let data = tempfile::tempdir().expect("temp dir");
    index_sessions(data.path());
    let server = start(data.path());
    let base = format!("http://{}", server.addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = browser(&driver).await;
        let walker = client.clone();
        // a task, so that a failed step (a panic) comes back here as an error
        let walk = tokio::spawn(async move { search_narrow_open(&walker, &base).await });
        let run = tokio::time::timeout(Duration::from_secs(120), walk).await;
        // end the browser session (chromedriver closes Chromium) before reporting
        let _ = client.close().await;
        match run {
            Ok(Ok(())) => {}
            Ok(Err(failed)) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            Ok(Err(failed)) => panic!("the browser walk did not finish: {failed}"),
            Err(_) => panic!("the browser walk took more than 120 s"),
        }
    });
    eprintln!(
        "browser test: {:.1} s (index, server, chromedriver and walk)",
        started.elapsed().as_secs_f64()
    );
    drop(server);
    drop(driver);
}

//! The un-mirror of the UN sources (`../shared/tools/un-mirror`, started over
//! `../shared/corpus`, killed on drop) and what the tests that crawl it share: a
//! configuration pointing `[sources]` at it, its control endpoints, `gadocs update` against
//! it, and what its manifest says a harvest should index.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub(crate) struct Mirror {
    child: Child,
    urls: BTreeMap<String, String>,
    dir: tempfile::TempDir,
}

pub(crate) fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

impl Mirror {
    pub(crate) fn start(extra: &[&str]) -> Mirror {
        let tool = shared().join("tools/un-mirror/un-mirror");
        let corpus = shared().join("corpus");
        assert!(tool.is_file(), "mirror missing: {}", tool.display());
        assert!(corpus.is_dir(), "corpus missing: {}", corpus.display());
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(&tool)
            .arg("--corpus")
            .arg(&corpus)
            .args([
                "--port",
                "0",
                "--crawl-delay",
                "0.2",
                "--oai-page-size",
                "500",
            ])
            .arg("--urls-file")
            .arg(dir.path().join("urls.json"))
            .arg("--quiet")
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: cannot start the mirror: {e}", tool.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut line)
            .expect("mirror prints its URLs");
        let urls =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("mirror URL line {line:?}: {e}"));
        Mirror { child, urls, dir }
    }

    /// A configuration file pointing `[sources]` at the mirror, without extra per-host delay
    /// (the mirror's robots.txt Crawl-delay of 0.2 s still applies).
    pub(crate) fn config(&self) -> PathBuf {
        let mut text = String::from("[index]\nnormalize_threads = 2\n\n[sources]\n");
        for (name, url) in &self.urls {
            text.push_str(&format!("{name} = \"{url}\"\n"));
        }
        text.push_str(concat!(
            "\n[crawler]\n",
            "user_agent = \"gadocs-tests (+https://example.org/gadocs; contact: gadocs@example.org)\"\n",
            "per_host_delay_ms = 0\n",
            "timeout_secs = 30\n",
            "backoff_base_ms = 50\n",
            "backoff_max_ms = 2000\n",
            "max_attempts = 10\n",
        ));
        let path = self.dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write config");
        path
    }

    /// A request to the mirror's control endpoints over a plain TCP connection.
    pub(crate) fn http(&self, method: &str, path: &str) -> Value {
        let base = &self.urls["ods"];
        let host = base.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(host).expect("connect to the mirror");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .expect("send request");
        let mut buf = Vec::new();
        stream.read_to_end(&mut buf).expect("read response");
        let split = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("response has headers");
        let head = String::from_utf8_lossy(&buf[..split]).to_lowercase();
        assert!(
            head.starts_with("http/1.1 200") || head.starts_with("http/1.0 200"),
            "{method} {path}: {head}"
        );
        let mut body = buf[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = crate::common::unchunk(&body);
        }
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub(crate) fn manifest(&self) -> Value {
        self.http("GET", "/_mirror/manifest")
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn gadocs(config: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gadocs"))
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("GADOCS_CONFIG")
        .env_remove("GADOCS_DATA")
        .output()
        .expect("run gadocs")
}

/// `gadocs update --json …`: the summary, after checking the exit status.
pub(crate) fn update(config: &Path, data: &Path, args: &[&str], label: &str) -> Value {
    let t = Instant::now();
    let mut all = vec!["update", "--json"];
    all.extend_from_slice(args);
    let out = gadocs(config, data, &all);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{label}: {}\n{stderr}\n{stdout}",
        out.status
    );
    let v: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{label}: {e}: {stdout}"));
    eprintln!(
        "{label}: {:.1}s — crawl {:.1}s, indexed {} updated {} unchanged {} skipped {} removed {}; raw read {} unchanged {}; metadata-only {}; {} documents",
        t.elapsed().as_secs_f64(),
        v["crawl"]["elapsed_secs"].as_f64().unwrap_or(0.0),
        v["indexed"],
        v["updated"],
        v["unchanged"],
        v["skipped"].as_array().map_or(0, Vec::len),
        v["removed"],
        v["raw_read"],
        v["raw_unchanged"],
        v["metadata_only"],
        v["documents_in_index"],
    );
    v
}

/// What the index should hold after crawling the repository files of `sessions` (`*`: all;
/// and every
/// catalogue record and ODS file), from the manifest: each (symbol, lang) with a crawled XML
/// or PDF file; and for a document with a catalogue record none of whose languages has a
/// crawled file, one English metadata-only record. Returns (names, lang, has a crawled file).
pub(crate) fn expected(
    manifest: &Value,
    sessions: &[&str],
) -> Vec<(BTreeSet<String>, String, bool)> {
    let docs = manifest["documents"].as_array().expect("documents");
    let crawled = |d: &Value| {
        d["files"].as_array().expect("files").iter().any(|f| {
            let url = f["url"].as_str().unwrap_or_default();
            match f["kind"].as_str() {
                Some("pdf") => true,
                Some("xml") => sessions
                    .iter()
                    .any(|s| *s == "*" || url.contains(&format!("/{s}session/"))),
                _ => false,
            }
        })
    };
    let names = |d: &Value| -> BTreeSet<String> {
        let mut n = BTreeSet::from([d["symbol"].as_str().unwrap_or_default().to_owned()]);
        for a in d["aliases"].as_array().into_iter().flatten() {
            n.extend(a.as_str().map(str::to_owned));
        }
        n
    };
    let with_text: BTreeSet<String> = docs.iter().filter(|d| crawled(d)).flat_map(names).collect();
    let mut out = Vec::new();
    let mut metadata_done: BTreeSet<String> = BTreeSet::new();
    for d in docs {
        let n = names(d);
        if crawled(d) {
            out.push((n, d["lang"].as_str().unwrap_or_default().to_owned(), true));
        } else if d["record"].is_string()
            && !n
                .iter()
                .any(|x| with_text.contains(x) || metadata_done.contains(x))
        {
            // one metadata-only record per catalogue record, whatever the languages (and
            // spellings: `A/RES/74/250 A-B` in one language, `A/RES/74/250` in another)
            metadata_done.extend(n.iter().cloned());
            out.push((n, "en".to_owned(), false));
        }
    }
    out
}

/// (name, lang) of every document a harvest of `sessions` indexes, per [`expected`]: what a
/// publish added is the difference of two manifests' harvests.
pub(crate) fn harvested(manifest: &Value, sessions: &[&str]) -> BTreeSet<(String, String)> {
    expected(manifest, sessions)
        .into_iter()
        .map(|(names, lang, _)| (names.into_iter().next().unwrap_or_default(), lang))
        .collect()
}

/// Checks that `second`, an update right after `first`, downloaded and changed nothing: no
/// record indexed, updated or removed, no raw file re-read, no file fetched again (the
/// catalogue's incremental request is a new URL, answered `noRecordsMatch`).
pub(crate) fn assert_nothing_new(first: &Value, second: &Value) {
    assert_eq!(
        (second["indexed"].as_u64(), second["updated"].as_u64()),
        (Some(0), Some(0)),
        "{second}"
    );
    assert_eq!(second["removed"], 0, "{second}");
    assert_eq!(second["raw_read"], 0, "{second}");
    assert_eq!(second["crawl"]["marc_records"], 0, "{second}");
    for (name, c) in second["crawl"]["sources"].as_object().unwrap() {
        if name == "digital_library" {
            continue;
        }
        assert_eq!(
            c["new"].as_u64().unwrap() + c["changed"].as_u64().unwrap(),
            0,
            "{name} downloaded something again: {c}"
        );
    }
    assert_eq!(second["documents_in_index"], first["documents_in_index"]);
}

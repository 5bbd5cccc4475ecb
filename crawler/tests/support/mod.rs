//! Starts the real un-mirror over the shared corpus on loopback ports and talks to its
//! `/_mirror` endpoints. The mirror is killed when the handle drops.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use gadocs_crawler::{CrawlConfig, CrawlerSettings, FetchStatus, RawStore, Sources};
use serde_json::Value;
use url::Url;

pub struct Mirror {
    child: Child,
    pub urls: BTreeMap<String, String>,
    /// Holds the URL file and request log until the mirror stops.
    _dir: tempfile::TempDir,
}

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

impl Mirror {
    pub fn start(extra: &[&str]) -> Mirror {
        let tool = shared().join("tools/un-mirror/un-mirror");
        let corpus = shared().join("corpus");
        assert!(tool.is_file(), "mirror missing: {}", tool.display());
        assert!(corpus.is_dir(), "corpus missing: {}", corpus.display());
        let dir = tempfile::tempdir().expect("temp dir");
        let urls_file = dir.path().join("urls.json");
        let log = dir.path().join("requests.jsonl");
        let mut child = Command::new(&tool)
            .arg("--corpus")
            .arg(&corpus)
            .args([
                "--port",
                "0",
                "--crawl-delay",
                "0.2",
                "--quiet",
                "--oai-page-size",
                "500",
            ])
            .arg("--urls-file")
            .arg(&urls_file)
            .arg("--log")
            .arg(&log)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: cannot start the mirror: {e}", tool.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut line)
            .expect("mirror prints its URLs");
        let urls: BTreeMap<String, String> =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("mirror URL line {line:?}: {e}"));
        Mirror {
            child,
            urls,
            _dir: dir,
        }
    }

    pub fn url(&self, host: &str) -> Url {
        Url::parse(&self.urls[host]).expect("mirror URLs parse")
    }

    /// A crawler configuration pointed at the mirror, with quick backoff for tests.
    pub fn config(&self) -> CrawlConfig {
        CrawlConfig {
            sources: Sources {
                github_api: self.url("github_api"),
                github_raw: self.url("github_raw"),
                digital_library: self.url("digital_library"),
                ods: self.url("ods"),
                un_org: self.url("un_org"),
            },
            crawler: CrawlerSettings {
                user_agent: "gadocs-crawler/0.1 (+test; gadocs@example.org)".into(),
                per_host_delay_ms: 0,
                timeout_secs: 30,
                backoff_base_ms: 50,
                backoff_max_ms: 2000,
                max_attempts: 10,
                ..CrawlerSettings::default()
            },
        }
    }

    pub async fn get(&self, path: &str) -> Value {
        let url = format!("{}{path}", self.urls["ods"]);
        let bytes = reqwest::get(&url)
            .await
            .expect(&url)
            .bytes()
            .await
            .expect(&url);
        serde_json::from_slice(&bytes).expect(&url)
    }

    pub async fn post(&self, path: &str) -> Value {
        let url = format!("{}{path}", self.urls["ods"]);
        let resp = reqwest::Client::new().post(&url).send().await.expect(&url);
        assert!(resp.status().is_success(), "{url}: {}", resp.status());
        let bytes = resp.bytes().await.expect(&url);
        serde_json::from_slice(&bytes).expect(&url)
    }

    /// Violations summed over all hosts.
    pub async fn violations(&self) -> BTreeMap<String, u64> {
        let stats = self.get("/_mirror/stats").await;
        let v = &stats["totals"]["violations"];
        v.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Compares the store with `/_mirror/manifest`: every XML/PDF file of every document stored
/// with a body, every record present. Returns the list of what is missing.
pub fn missing_from_store(store: &RawStore, manifest: &Value) -> Vec<String> {
    let latest = store.latest_entries().expect("manifest reads");
    let mut have: HashSet<String> = HashSet::new();
    for e in latest.iter().filter(|e| e.has_body()) {
        have.insert(e.url.clone());
        have.extend(e.final_url.clone());
    }
    let ids: HashSet<String> = store
        .marc_records()
        .expect("marc reads")
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut missing = Vec::new();
    for doc in manifest["documents"].as_array().expect("documents") {
        let what = format!("{} [{}]", doc["symbol"], doc["lang"]);
        if let Some(record) = doc["record"].as_str()
            && !ids.contains(record)
        {
            missing.push(format!("{what}: record {record}"));
        }
        for file in doc["files"].as_array().expect("files") {
            let url = file["url"].as_str().expect("url");
            let base = url.split('#').next().unwrap_or(url);
            match file["kind"].as_str() {
                Some("xml") | Some("pdf") if !have.contains(base) => {
                    missing.push(format!("{what}: {url}"))
                }
                _ => {}
            }
        }
    }
    missing
}

/// (symbol, lang) pairs of the manifest.
pub fn manifest_keys(manifest: &Value) -> BTreeSet<(String, String)> {
    manifest["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["symbol"].as_str().unwrap_or("").to_owned(),
                d["lang"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Latest entries that ended in failure.
pub fn failed(store: &RawStore) -> Vec<String> {
    store
        .latest_entries()
        .expect("manifest reads")
        .into_iter()
        .filter(|e| e.status == FetchStatus::Failed)
        .map(|e| format!("{} {:?}", e.url, e.reason))
        .collect()
}

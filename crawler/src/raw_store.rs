//! The raw store: content-addressed bodies, an append-only fetch manifest, MARC records and
//! harvest state, all under one folder.
//!
//! Layout: `raw/<sha256[..2]>/<sha256>` (bodies), `manifest.jsonl` (one line per fetch),
//! `marc.jsonl` (one line per harvested record), `state.json` (harvest high-water marks),
//! `tmp/` (bodies being written). A body is written to `tmp/`, synced and renamed into place
//! before its manifest line is appended, so a crash leaves at worst an orphan temp file or a
//! torn last line, which readers skip and writers cut off. Nothing a server sends chooses a path:
//! file names are hex digests.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::StoreError;
use crate::marc::MarcRecord;

/// Which source a fetch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// api.github.com tree listing.
    GithubApi,
    /// raw.githubusercontent.com files.
    GithubRaw,
    /// Digital Library OAI-PMH pages.
    DigitalLibrary,
    /// ODS document files.
    Ods,
    /// www.un.org pages.
    UnOrg,
}

impl SourceKind {
    /// All sources, in crawl order.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::GithubApi,
        SourceKind::GithubRaw,
        SourceKind::DigitalLibrary,
        SourceKind::Ods,
        SourceKind::UnOrg,
    ];

    /// Name as in `[sources]`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::GithubApi => "github_api",
            SourceKind::GithubRaw => "github_raw",
            SourceKind::DigitalLibrary => "digital_library",
            SourceKind::Ods => "ods",
            SourceKind::UnOrg => "un_org",
        }
    }
}

/// Outcome of one fetch as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchStatus {
    /// A body was received and stored (`sha256` set).
    Fetched,
    /// 304: the previously stored body is still current (`sha256` carried over).
    NotModified,
    /// 404, 410 or an empty 200 / invalid body: the source does not have it now.
    Unavailable,
    /// The host answered with an anti-bot challenge.
    Blocked,
    /// Gave up after retries or on a permanent error.
    Failed,
}

/// One line of `manifest.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// URL requested (before redirects).
    pub url: String,
    /// URL the body came from, if redirected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Source of the fetch.
    pub source: SourceKind,
    /// Repository path (GitHub), symbol (ODS), or page name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// ISO 639-1 language, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// SHA-256 (hex) of the stored body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Git blob id of the body (GitHub files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_sha: Option<String>,
    /// What happened.
    pub status: FetchStatus,
    /// Last HTTP status seen (0 if none).
    pub http_status: u16,
    /// Reason for unavailable/blocked/failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `ETag` of the stored body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified` of the stored body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// RFC 3339 time of the fetch.
    pub fetched_at: String,
    /// `Content-Type` of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Body length in bytes.
    pub bytes: u64,
}

impl ManifestEntry {
    /// True if a stored body is available for this entry.
    pub fn has_body(&self) -> bool {
        self.sha256.is_some()
            && matches!(self.status, FetchStatus::Fetched | FetchStatus::NotModified)
    }
}

/// One line of `marc.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarcLine {
    /// OAI identifier.
    pub id: String,
    /// OAI datestamp.
    pub datestamp: String,
    /// True for a deleted record (then `record` is `None`).
    pub deleted: bool,
    /// The record.
    pub record: Option<MarcRecord>,
}

/// Harvest state kept between runs (`state.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HarvestState {
    /// `responseDate` of the first page of the last complete OAI harvest: the next `from`.
    pub oai_last_response_date: Option<String>,
    /// `from` of the harvest in progress (kept so a resumed harvest uses the same window).
    pub oai_in_progress_from: Option<String>,
    /// `responseDate` of the first page of the harvest in progress.
    pub oai_in_progress_response_date: Option<String>,
    /// Resumption token to continue the harvest in progress.
    pub oai_resumption_token: Option<String>,
    /// Tree sha of the last complete GitHub pass.
    pub github_tree_sha: Option<String>,
    /// Time of the last finished crawl.
    pub last_crawl_finished: Option<String>,
}

/// The raw store folder. Cheap to share behind an `Arc`; writes are serialized internally.
#[derive(Debug)]
pub struct RawStore {
    dir: PathBuf,
    manifest: Mutex<File>,
    marc: Mutex<File>,
}

impl RawStore {
    /// Opens (creating if needed) the store in `dir`, cutting off a torn last line.
    pub fn open(dir: impl AsRef<Path>) -> Result<RawStore, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        for sub in ["raw", "tmp"] {
            let path = dir.join(sub);
            fs::create_dir_all(&path).map_err(|source| StoreError::Write { path, source })?;
        }
        let manifest = open_append(&dir.join("manifest.jsonl"))?;
        let marc = open_append(&dir.join("marc.jsonl"))?;
        Ok(RawStore {
            dir,
            manifest: Mutex::new(manifest),
            marc: Mutex::new(marc),
        })
    }

    /// Folder of the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of a body by its SHA-256.
    pub fn body_path(&self, sha256: &str) -> PathBuf {
        debug_assert!(sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()));
        self.dir.join("raw").join(&sha256[..2]).join(sha256)
    }

    /// Stores a body; returns its SHA-256. Idempotent for identical bytes.
    pub fn put_body(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self.body_path(&sha);
        if path.try_exists().unwrap_or(false) {
            return Ok(sha);
        }
        let tmp = self.dir.join("tmp").join(format!(
            "{}.{}.{}",
            &sha[..16],
            std::process::id(),
            fastrand::u64(..)
        ));
        let write = || -> io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::create_dir_all(path.parent().expect("body path has a parent"))?;
            fs::rename(&tmp, &path)
        };
        write().map_err(|source| {
            let _ = fs::remove_file(&tmp);
            StoreError::Write {
                path: path.clone(),
                source,
            }
        })?;
        Ok(sha)
    }

    /// Appends a manifest line (after its body is in place).
    pub fn append_entry(&self, entry: &ManifestEntry) -> Result<(), StoreError> {
        let line = serde_json::to_string(entry).expect("manifest entries serialize");
        append_line(&self.manifest, &self.dir.join("manifest.jsonl"), &line)
    }

    /// Appends a MARC record line.
    pub fn append_marc(&self, line: &MarcLine) -> Result<(), StoreError> {
        let text = serde_json::to_string(line).expect("MARC lines serialize");
        append_line(&self.marc, &self.dir.join("marc.jsonl"), &text)
    }

    /// Every manifest line in order (torn or corrupt lines skipped).
    pub fn entries(&self) -> Result<Vec<ManifestEntry>, StoreError> {
        read_jsonl(&self.dir.join("manifest.jsonl"))
    }

    /// The latest manifest line per URL, in order of first appearance.
    pub fn latest_entries(&self) -> Result<Vec<ManifestEntry>, StoreError> {
        Ok(latest_by(self.entries()?, |e| e.url.clone()))
    }

    /// Reads a stored body.
    pub fn read(&self, entry: &ManifestEntry) -> io::Result<Vec<u8>> {
        let sha = entry
            .sha256
            .as_deref()
            .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "entry has no stored body"))?;
        let mut bytes = Vec::new();
        File::open(self.body_path(sha))?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Every MARC line, in order.
    pub fn marc_lines(&self) -> Result<Vec<MarcLine>, StoreError> {
        read_jsonl(&self.dir.join("marc.jsonl"))
    }

    /// The current MARC records: latest line per OAI identifier, deleted ones dropped.
    pub fn marc_records(&self) -> Result<Vec<MarcRecord>, StoreError> {
        let latest = latest_by(self.marc_lines()?, |l| l.id.clone());
        Ok(latest.into_iter().filter_map(|l| l.record).collect())
    }

    /// Reads `state.json` (default when absent).
    pub fn state(&self) -> Result<HarvestState, StoreError> {
        let path = self.dir.join("state.json");
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|source| StoreError::Corrupt { path, source }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HarvestState::default()),
            Err(source) => Err(StoreError::Read { path, source }),
        }
    }

    /// Writes `state.json` atomically (temp file, sync, rename).
    pub fn save_state(&self, state: &HarvestState) -> Result<(), StoreError> {
        let path = self.dir.join("state.json");
        let tmp = self.dir.join("tmp").join("state.json.tmp");
        let bytes = serde_json::to_vec_pretty(state).expect("state serializes");
        let write = || -> io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&tmp, &path)
        };
        write().map_err(|source| StoreError::Write { path, source })
    }
}

fn open_append(path: &Path) -> Result<File, StoreError> {
    let err = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(err)?;
    // Cut a torn last line (a crash mid-append) so the next line starts clean.
    let len = file.metadata().map_err(err)?.len();
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1)).map_err(err)?;
        file.read_exact(&mut last).map_err(err)?;
        if last[0] != b'\n' {
            let mut text = Vec::new();
            file.seek(SeekFrom::Start(0)).map_err(err)?;
            file.read_to_end(&mut text).map_err(err)?;
            let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            file.set_len(keep as u64).map_err(err)?;
        }
    }
    Ok(file)
}

fn append_line(file: &Mutex<File>, path: &Path, line: &str) -> Result<(), StoreError> {
    let mut buf = Vec::with_capacity(line.len() + 1);
    buf.extend_from_slice(line.as_bytes());
    buf.push(b'\n');
    let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
    // One write call per line: O_APPEND keeps lines whole between writers of this process.
    file.write_all(&buf)
        .and_then(|()| file.sync_data())
        .map_err(|source| StoreError::Write {
            path: path.to_path_buf(),
            source,
        })
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, StoreError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut out = Vec::new();
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(|source| StoreError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if let Ok(value) = serde_json::from_slice(&line) {
            out.push(value);
        } else if !line.is_empty() {
            tracing::warn!(path = %path.display(), "skipped a torn or corrupt line");
        }
    }
    Ok(out)
}

fn latest_by<T, K: std::hash::Hash + Eq + Ord + Clone>(
    items: Vec<T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut order: BTreeMap<usize, K> = BTreeMap::new();
    let mut latest: HashMap<K, (usize, T)> = HashMap::new();
    for item in items {
        let k = key(&item);
        match latest.get_mut(&k) {
            Some(slot) => slot.1 = item,
            None => {
                let n = latest.len();
                order.insert(n, k.clone());
                latest.insert(k, (n, item));
            }
        }
    }
    let mut out: Vec<(usize, T)> = latest.into_values().collect();
    out.sort_by_key(|(n, _)| *n);
    out.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, sha: Option<String>) -> ManifestEntry {
        ManifestEntry {
            url: url.into(),
            final_url: None,
            source: SourceKind::Ods,
            key: None,
            lang: Some("en".into()),
            sha256: sha,
            git_sha: None,
            status: FetchStatus::Fetched,
            http_status: 200,
            reason: None,
            etag: None,
            last_modified: None,
            fetched_at: "2026-01-01T00:00:00Z".into(),
            content_type: None,
            bytes: 3,
        }
    }

    #[test]
    fn torn_line_is_cut_and_latest_wins() {
        let dir = tempfile::tempdir().unwrap();
        let store = RawStore::open(dir.path()).unwrap();
        let sha = store.put_body(b"abc").unwrap();
        store
            .append_entry(&entry("http://x/1", Some(sha.clone())))
            .unwrap();
        store.append_entry(&entry("http://x/2", None)).unwrap();
        drop(store);
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join("manifest.jsonl"))
            .unwrap();
        f.write_all(b"{\"url\": \"http://x/1\", \"sour").unwrap();
        drop(f);
        let store = RawStore::open(dir.path()).unwrap();
        let mut e = entry("http://x/1", Some(sha.clone()));
        e.bytes = 4;
        store.append_entry(&e).unwrap();
        let latest = store.latest_entries().unwrap();
        assert_eq!(latest.len(), 2);
        assert_eq!(latest[0].bytes, 4);
        assert_eq!(store.read(&latest[0]).unwrap(), b"abc");
        assert!(store.body_path(&sha).starts_with(dir.path().join("raw")));
    }

    #[test]
    fn state_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = RawStore::open(dir.path()).unwrap();
        assert_eq!(store.state().unwrap(), HarvestState::default());
        let state = HarvestState {
            github_tree_sha: Some("abc".into()),
            ..Default::default()
        };
        store.save_state(&state).unwrap();
        assert_eq!(store.state().unwrap(), state);
    }
}

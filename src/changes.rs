//! The change digest: `<data>/changes.jsonl`, one JSON line per record that a run of
//! `index`, `import` or `update` added, changed or removed, appended after each commit.
//! Read by `gadocs changes`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use gadocs_index::store::ChangeSummary;
use serde::{Deserialize, Serialize};

/// File name of the digest in the data folder.
pub const CHANGES_FILE: &str = "changes.jsonl";

/// One line of the digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The run that made the change.
    pub run_id: String,
    /// When the record was written (RFC 3339).
    pub time: DateTime<Utc>,
    /// `new`, `changed` or `removed`.
    pub change: String,
    /// The record.
    #[serde(flatten)]
    pub summary: ChangeSummary,
}

impl Change {
    /// A change stamped with the current time.
    pub fn now(run_id: &str, change: &str, summary: ChangeSummary) -> Self {
        Change {
            run_id: run_id.to_owned(),
            time: Utc::now(),
            change: change.to_owned(),
            summary,
        }
    }
}

/// A fresh run identifier (UTC time to the millisecond).
pub fn new_run_id() -> String {
    Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string()
}

/// The digest file of a data folder.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(CHANGES_FILE)
}

/// Appends `changes` (one write, then fsync). A process killed mid-write leaves at most
/// one partial last line, which [`read`] skips.
pub fn append(data_dir: &Path, changes: &[Change]) -> anyhow::Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let path = path(data_dir);
    let mut buf = Vec::new();
    for c in changes {
        serde_json::to_writer(&mut buf, c)?;
        buf.push(b'\n');
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(data_dir)?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        // A partial line left by a killed writer must not swallow the first new line.
        if f.metadata()?.len() > 0 && !ends_with_newline(&path)? {
            f.write_all(b"\n")?;
        }
        f.write_all(&buf)?;
        f.sync_all()
    };
    write().map_err(|e| anyhow::anyhow!("{}: cannot append the change digest: {e}", path.display()))
}

fn ends_with_newline(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

/// Reads the digest (missing file: none), calling `keep` on every well-formed line.
pub fn read(data_dir: &Path, mut keep: impl FnMut(Change)) -> anyhow::Result<()> {
    let path = path(data_dir);
    let f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => anyhow::bail!("{}: {e}", path.display()),
    };
    for line in std::io::BufReader::new(f).lines() {
        let line = line.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if let Ok(c) = serde_json::from_str::<Change>(&line) {
            keep(c);
        }
    }
    Ok(())
}

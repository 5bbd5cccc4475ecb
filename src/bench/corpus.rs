//! The benchmark documents: loaded once into memory as records, then written as one JSON
//! lines file per scale, which both engines index.
//!
//! English resolutions come from the Akoma Ntoso XML through the indexing pipeline (into a
//! scratch index, read back with `for_each_record`, English only: the session-74 zips hold all
//! six languages); the other five languages and the General Debate speeches are JSON lines
//! read with `import::parse_line`, as `gadocs import` reads them.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use gadocs_index::{IndexStore, Record};
use serde::Serialize;

use crate::config::Settings;
use crate::normalize::import;
use crate::pipeline;

/// The documents of one source.
#[derive(Debug, Clone, Serialize)]
pub struct SetInfo {
    /// Which set.
    pub name: String,
    /// Documents loaded.
    pub docs: u64,
    /// Bytes of text (title + body).
    pub text_bytes: u64,
    /// Lines or files that could not be loaded.
    pub skipped: u64,
    /// Time taken to load (XML: normalizing through the pipeline).
    pub load_secs: f64,
}

/// Every benchmark document, in memory.
pub struct Corpus {
    /// Records of all sets, in set order.
    pub records: Vec<Record>,
    /// Per-set counts.
    pub sets: Vec<SetInfo>,
}

/// What a scaled corpus file holds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Written {
    /// Documents.
    pub docs: u64,
    /// Bytes of text (title + body), what MB/s figures divide.
    pub text_bytes: u64,
    /// Bytes of the JSON lines file.
    pub file_bytes: u64,
}

/// Loads the three sets from `dir` (`--corpus`), the first `slice` documents of each.
pub fn load(
    settings: &Settings,
    dir: &Path,
    slice: Option<usize>,
    work: &Path,
) -> anyhow::Result<Corpus> {
    let mut records = Vec::new();
    let mut sets = Vec::new();
    let (english, info) = english_resolutions(settings, dir, slice, work)?;
    records.extend(english);
    sets.push(info);
    for (name, rel) in [
        (
            "resolutions, other languages",
            "ga-resolutions/docs-other-languages.jsonl.xz",
        ),
        (
            "General Debate speeches",
            "general-debate/speeches.jsonl.xz",
        ),
    ] {
        let (loaded, info) = json_lines(name, &dir.join(rel), slice)?;
        records.extend(loaded);
        sets.push(info);
    }
    Ok(Corpus { records, sets })
}

fn english_resolutions(
    settings: &Settings,
    dir: &Path,
    slice: Option<usize>,
    work: &Path,
) -> anyhow::Result<(Vec<Record>, SetInfo)> {
    let started = Instant::now();
    let xml = dir.join("ga-resolutions/raw/xml");
    anyhow::ensure!(
        xml.is_dir(),
        "{}: no XML folder (is --corpus the shared corpus?)",
        xml.display()
    );
    let scratch = work.join("xml-index");
    if scratch.try_exists()? {
        std::fs::remove_dir_all(&scratch)?;
    }
    let (store, _) = IndexStore::open_or_create(&scratch)?;
    let mut opts = crate::cli::index::run_options(settings, false);
    opts.changes_dir = None; // the benchmark never writes to the user's data folder
    let report = pipeline::index_paths(&store, &[xml], &opts)?;
    let mut records = Vec::new();
    store.for_each_record(|r| {
        if r.lang == "en" && r.has_text {
            records.push(r);
        }
        Ok(())
    })?;
    drop(store);
    let _ = std::fs::remove_dir_all(&scratch);
    records.sort_by(|a, b| a.symbol.cmp(&b.symbol));
    if let Some(n) = slice {
        records.truncate(n);
    }
    let info = SetInfo {
        name: "resolutions, English (XML)".into(),
        docs: records.len() as u64,
        text_bytes: records.iter().map(text_len).sum(),
        skipped: report.skipped.len() as u64,
        load_secs: started.elapsed().as_secs_f64(),
    };
    Ok((records, info))
}

fn json_lines(
    name: &str,
    path: &Path,
    slice: Option<usize>,
) -> anyhow::Result<(Vec<Record>, SetInfo)> {
    let started = Instant::now();
    let reader = import::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut records = Vec::new();
    let mut skipped = 0u64;
    for (n, line) in reader.lines().enumerate() {
        if slice.is_some_and(|max| records.len() >= max) {
            break;
        }
        let line = line.with_context(|| format!("{}:{}: read error", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match import::parse_line(&line) {
            Ok(r) => records.push(r),
            Err(e) => {
                skipped += 1;
                tracing::warn!("{}:{}: {e}", path.display(), n + 1);
            }
        }
    }
    let info = SetInfo {
        name: name.to_string(),
        docs: records.len() as u64,
        text_bytes: records.iter().map(text_len).sum(),
        skipped,
        load_secs: started.elapsed().as_secs_f64(),
    };
    Ok((records, info))
}

fn text_len(r: &Record) -> u64 {
    (r.title.len() + r.text.len()) as u64
}

/// Writes `scale` copies of `records` as JSON lines. Copy k ≥ 2 gets the symbol
/// `SYMBOL#rk` (family likewise) and a distinct session: numeric sessions + 100·(k−1)
/// (`74` → `174` in copy 2), others suffixed (`ES-11` → `ES-11-R2`).
pub fn write_scaled(records: &[Record], scale: u32, path: &Path) -> anyhow::Result<Written> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut written = Written::default();
    for copy in 1..=scale.max(1) {
        for r in records {
            let line = if copy == 1 {
                serde_json::to_string(r)?
            } else {
                serde_json::to_string(&replica(r, copy))?
            };
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            written.docs += 1;
            written.text_bytes += text_len(r);
            written.file_bytes += line.len() as u64 + 1;
        }
    }
    out.flush()
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(written)
}

/// Copy `copy` (≥ 2) of a record, with its own symbol and session.
pub fn replica(r: &Record, copy: u32) -> Record {
    let mut c = r.clone();
    c.symbol = format!("{}#r{copy}", r.symbol);
    c.family = format!("{}#r{copy}", r.family);
    c.aliases.clear();
    c.session = r.session.as_ref().map(|s| match s.parse::<u32>() {
        Ok(n) => (n + 100 * (copy - 1)).to_string(),
        Err(_) => format!("{s}-R{copy}"),
    });
    c
}

/// The first record of a corpus file (the document the update test changes).
pub fn first_record(path: &Path) -> anyhow::Result<Record> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut line = String::new();
    std::io::BufReader::new(file).read_line(&mut line)?;
    Ok(serde_json::from_str(&line)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_get_their_own_symbol_and_session() {
        let r = Record {
            symbol: "A/RES/74/1".into(),
            family: "A/RES/74/1".into(),
            session: Some("74".into()),
            ..Default::default()
        };
        let c = replica(&r, 3);
        assert_eq!(c.symbol, "A/RES/74/1#r3");
        assert_eq!(c.session.as_deref(), Some("274"));
        let es = Record {
            session: Some("ES-11".into()),
            ..r
        };
        assert_eq!(replica(&es, 2).session.as_deref(), Some("ES-11-R2"));
    }
}

//! `gadocs update` without the crawl: the raw store (the crawler's output) → the index.
//!
//! Two pipeline passes share one catalogue of MARC records:
//!
//! 1. **texts**: every document body of the raw store ([`raw::plan`]: repository XML, the
//!    session zips expanded, ODS PDFs) is normalized and merged with its catalogue record
//!    ([`merge::Catalog::enrich`]);
//! 2. **metadata-only records**: every catalogue record whose document has no record with a
//!    text body in the index (in any language; symbols and aliases compared) becomes an
//!    English record with `has_text: false` ([`merge::Catalog::metadata_record`]); when its
//!    text arrives later, pass 1 upserts the same (symbol, language) key with the text.
//!    Metadata-only records whose document gained a text in another language only, or whose
//!    catalogue record was deleted, are removed.
//!
//! Only what changed is read again: `<data>/indexed.json` remembers each body (by SHA-256)
//! with the keys and symbols it produced, and each catalogue record's digest. A body is read
//! again when it is new, when one of its symbols' catalogue records (or a record linking to
//! them) changed, or when one of its keys is missing from the index. The file is an
//! optimisation only: without it everything is read again and the pipeline's digest check
//! leaves identical records alone.

pub mod merge;
pub mod raw;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gadocs_crawler::RawStore;
use gadocs_index::IndexStore;
use serde::{Deserialize, Serialize};

use crate::pipeline::{self, Enrich, RunOptions, RunReport, Work};
use merge::{Catalog, canonical, is_metadata_only};

/// Name of the state file in the data folder.
pub const STATE_FILE: &str = "indexed.json";
const STATE_VERSION: u32 = 1;

/// What an update did to the index.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateReport {
    /// Both passes together (texts and metadata-only records).
    #[serde(flatten)]
    pub run: RunReport,
    /// Document bodies in the raw store (after choosing one per symbol and language).
    pub raw_documents: u64,
    /// Of those, read and normalized this run.
    pub raw_read: u64,
    /// Of those, not read: indexed by an earlier update and untouched since.
    pub raw_unchanged: u64,
    /// PDFs not read because an XML file (or a better PDF) gives the same symbol and language.
    pub superseded: u64,
    /// Current catalogue records.
    pub marc_records: u64,
    /// Catalogue records new or changed since the last update (deleted ones included).
    pub marc_changed: u64,
    /// Metadata-only records sent to the index this run.
    pub metadata_sent: u64,
    /// Metadata-only records in the index after the run.
    pub metadata_only: u64,
    /// Metadata-only records removed (text arrived in another language, record deleted).
    pub removed: u64,
}

/// One body as the last update saw it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Produced {
    name: String,
    /// `symbol|lang` keys of its records.
    keys: Vec<String>,
    /// Symbols and aliases of its records (canonical).
    symbols: Vec<String>,
}

/// One catalogue record as the last update saw it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct MarcSeen {
    digest: u64,
    /// Symbols whose records it feeds (its own and those it links to).
    symbols: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct State {
    version: u32,
    /// gadocs version that wrote it: another version reads everything again (its
    /// normalizers may read documents differently).
    gadocs: String,
    /// By body SHA-256.
    bodies: BTreeMap<String, Produced>,
    /// By OAI identifier.
    marc: BTreeMap<String, MarcSeen>,
}

impl State {
    fn load(path: &Path) -> State {
        let Ok(bytes) = std::fs::read(path) else {
            return State::default();
        };
        match serde_json::from_slice::<State>(&bytes) {
            Ok(s) if s.version == STATE_VERSION && s.gadocs == env!("CARGO_PKG_VERSION") => s,
            Ok(_) => State::default(),
            Err(e) => {
                tracing::warn!(
                    "{}: unreadable ({e}); everything is read again",
                    path.display()
                );
                State::default()
            }
        }
    }

    fn save(&self, path: &Path) -> anyhow::Result<()> {
        let tmp = path.with_extension("json.tmp");
        let bytes = serde_json::to_vec(self)?;
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))
    }
}

fn marc_digest(r: &gadocs_crawler::MarcRecord) -> u64 {
    gadocs_index::store::digest(&serde_json::to_vec(r).expect("MARC records serialize"))
}

fn add(total: &mut RunReport, part: RunReport) {
    total.indexed += part.indexed;
    total.updated += part.updated;
    total.unchanged += part.unchanged;
    total.skipped.extend(part.skipped);
    total.ignored.extend(part.ignored);
    total.commits += part.commits;
    total.text_bytes += part.text_bytes;
    if total.run_id.is_empty() {
        total.run_id = part.run_id;
    }
    total.changes.extend(part.changes);
}

/// Indexes the raw store at `raw` into `store`, reading only what changed since the update
/// that wrote `state_path` (see the module documentation).
pub fn update_index(
    store: &IndexStore,
    raw: &Arc<RawStore>,
    state_path: &Path,
    opts: &RunOptions,
) -> anyhow::Result<UpdateReport> {
    let start = Instant::now();
    let mut report = UpdateReport::default();
    let old = State::load(state_path);
    let mut new = State {
        version: STATE_VERSION,
        gadocs: env!("CARGO_PKG_VERSION").to_owned(),
        ..Default::default()
    };

    // The catalogue, and what changed in it.
    let records = raw.marc_records()?;
    report.marc_records = records.len() as u64;
    let mut affected: HashSet<String> = HashSet::new();
    for r in &records {
        let seen = MarcSeen {
            digest: marc_digest(r),
            symbols: Catalog::touched_by(r).into_iter().collect(),
        };
        match old.marc.get(&r.id) {
            Some(prev) if prev.digest == seen.digest => {}
            prev => {
                report.marc_changed += 1;
                affected.extend(seen.symbols.iter().cloned());
                if let Some(prev) = prev {
                    affected.extend(prev.symbols.iter().cloned());
                }
            }
        }
        new.marc.insert(r.id.clone(), seen);
    }
    for (id, prev) in &old.marc {
        if !new.marc.contains_key(id) {
            report.marc_changed += 1;
            affected.extend(prev.symbols.iter().cloned());
        }
    }
    let catalog = Arc::new(Catalog::new(records));
    tracing::debug!(secs = start.elapsed().as_secs_f64(), "catalogue read");

    // Pass 1: document bodies.
    let entries = raw.latest_entries()?;
    let plan = raw::plan(raw, &entries);
    report.raw_documents = plan.bodies.len() as u64;
    report.superseded = plan.superseded.len() as u64;
    let digests = store.digests()?;
    let mut to_read = Vec::new();
    for body in plan.bodies {
        let fresh = old.bodies.get(body.sha256()).filter(|p| {
            p.keys.iter().all(|k| digests.contains_key(k))
                && !p.symbols.iter().any(|s| affected.contains(s))
        });
        match fresh {
            Some(p) => {
                new.bodies.insert(body.sha256().to_owned(), p.clone());
                report.raw_unchanged += 1;
            }
            None => to_read.push(body),
        }
    }
    report.raw_read = to_read.len() as u64;
    tracing::debug!(secs = start.elapsed().as_secs_f64(), "raw store planned");
    if !to_read.is_empty() {
        let produced: Arc<Mutex<HashMap<String, Produced>>> = Arc::new(Mutex::new(
            to_read
                .iter()
                .map(|b| {
                    (
                        b.name.clone(),
                        Produced {
                            name: b.name.clone(),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
        ));
        let enrich: Enrich = {
            let catalog = Arc::clone(&catalog);
            let produced = Arc::clone(&produced);
            Arc::new(move |r| {
                catalog.enrich(r);
                let body = r.source.split("!/").next().unwrap_or(&r.source);
                let mut map = produced.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(p) = map.get_mut(body) {
                    p.keys.push(r.key());
                    for s in std::iter::once(&r.symbol).chain(&r.aliases) {
                        let s = canonical(s);
                        if !p.symbols.contains(&s) {
                            p.symbols.push(s);
                        }
                    }
                }
            })
        };
        let shas: Vec<(String, String)> = to_read
            .iter()
            .map(|b| (b.name.clone(), b.sha256().to_owned()))
            .collect();
        let limits = opts.limits;
        let raw2 = Arc::clone(raw);
        let run = pipeline::run_work(store, opts, Some(enrich), move |sink| {
            for body in &to_read {
                raw::send_body(&raw2, body, limits, &sink);
            }
        })?;
        add(&mut report.run, run);
        let produced = std::mem::take(&mut *produced.lock().unwrap_or_else(|p| p.into_inner()));
        for (name, sha) in shas {
            if let Some(p) = produced.get(&name) {
                new.bodies.insert(sha, p.clone());
            }
        }
    }

    // What the index now holds: symbols with a text record, metadata-only records.
    let mut covered: HashSet<String> = HashSet::new();
    let mut keys: HashSet<String> = HashSet::new();
    let mut metadata: BTreeMap<String, (String, String)> = BTreeMap::new();
    store.for_each_record(|r| {
        keys.insert(r.key());
        if is_metadata_only(&r) {
            metadata.insert(r.key(), (r.symbol.clone(), r.lang.clone()));
        } else {
            covered.insert(canonical(&r.symbol));
            covered.extend(r.aliases.iter().map(|a| canonical(a)));
        }
        Ok(())
    })?;

    tracing::debug!(secs = start.elapsed().as_secs_f64(), "index read");

    // Pass 2: metadata-only records for catalogue records without a text record.
    let mut send: Vec<gadocs_index::Record> = Vec::new();
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    let mut symbols: Vec<&String> = catalog.records().map(|(s, _)| s).collect();
    symbols.sort();
    for symbol in symbols {
        if merge::names_of(symbol).iter().any(|n| covered.contains(n)) {
            continue;
        }
        // the key metadata_record gives: canonical symbol, English
        let key = format!("{symbol}|en");
        if !keys.contains(&key) || affected.contains(symbol) {
            let m = catalog.get(symbol).expect("symbol from the catalogue");
            let record = catalog.metadata_record(m);
            debug_assert_eq!(record.key(), key);
            wanted.insert(record.key());
            send.push(record);
        } else {
            wanted.insert(key);
        }
    }
    report.metadata_sent = send.len() as u64;
    tracing::debug!(
        secs = start.elapsed().as_secs_f64(),
        "metadata records built"
    );
    if !send.is_empty() {
        let run = pipeline::run_work(store, opts, None, move |sink| {
            for r in send {
                if !sink.work(Work::Record(Box::new(r))) {
                    break;
                }
            }
        })?;
        add(&mut report.run, run);
    }
    let stale: Vec<&(String, String)> = metadata
        .iter()
        .filter(|(key, _)| !wanted.contains(*key))
        .map(|(_, v)| v)
        .collect();
    if !stale.is_empty() {
        let mut writer = store.writer(1, opts.writer_budget_bytes.min(64 << 20))?;
        if report.run.run_id.is_empty() {
            report.run.run_id = crate::changes::new_run_id();
        }
        for (symbol, lang) in &stale {
            writer.delete(symbol, lang);
            report.run.changes.push(crate::changes::Change::now(
                &report.run.run_id,
                "removed",
                gadocs_index::store::ChangeSummary {
                    symbol: symbol.clone(),
                    lang: lang.clone(),
                    ..Default::default()
                },
            ));
        }
        writer.commit(&gadocs_index::CommitPayload::default())?;
        if let Some(dir) = &opts.changes_dir {
            let removed = &report.run.changes[report.run.changes.len() - stale.len()..];
            crate::changes::append(dir, removed)?;
        }
        writer.finish()?;
        store.reload()?;
        report.removed = stale.len() as u64;
        report.run.commits += 1;
    }
    report.metadata_only = wanted.len() as u64;
    new.save(state_path)?;
    report.run.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

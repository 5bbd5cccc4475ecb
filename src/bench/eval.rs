//! The evaluation of issue 10: success@3 and MRR@10 per query kind over the English
//! resolutions, for gadocs with expansion, gadocs without expansion (`--no-expand`) and the
//! SQLite FTS5 baseline of [`crate::bench::fts5`]. The query set (`tests/eval/queries.tsv`:
//! query, expected symbols separated by `;`, kind) lives in the repository; `gadocs bench`
//! prints the table and `tests/suite/eval.rs` holds it above measured floors.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use gadocs_index::{IndexStore, SearchRequest};
use serde::Serialize;

use crate::bench::{corpus, fts5};
use crate::config::Settings;

/// One query of the evaluation set.
#[derive(Debug, Clone)]
pub struct EvalQuery {
    /// What a user types.
    pub text: String,
    /// Symbols that answer it.
    pub expected: BTreeSet<String>,
    /// acronym, country, plain, symbol …
    pub kind: String,
}

/// Figures of one engine on one kind of query.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct KindScore {
    /// Queries of this kind.
    pub n: usize,
    /// Share with an expected document in the top 3.
    pub success_at_3: f64,
    /// Mean reciprocal rank of the first expected document in the top 10.
    pub mrr_at_10: f64,
}

/// Figures of one engine.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EngineScores {
    /// Label of the engine.
    pub engine: String,
    /// Kind → figures.
    pub kinds: BTreeMap<String, KindScore>,
    /// Queries whose first hit is not expected (for diagnosis; not in the JSON).
    #[serde(skip)]
    pub misses: Vec<String>,
}

impl EngineScores {
    /// The figures of `kind` (zero when the set has no such query).
    pub fn kind(&self, kind: &str) -> KindScore {
        self.kinds.get(kind).copied().unwrap_or_default()
    }
}

/// The evaluation table.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// The query file.
    pub queries_file: String,
    /// Queries in it.
    pub queries: usize,
    /// English resolutions searched.
    pub documents: u64,
    /// gadocs as shipped (expansion on).
    pub gadocs: EngineScores,
    /// gadocs with `--no-expand`.
    pub gadocs_no_expand: EngineScores,
    /// SQLite FTS5 (BM25, unicode61), a query's words ANDed as quoted tokens.
    pub fts5: EngineScores,
    /// Wall time of the evaluation (indexing included), seconds.
    pub secs: f64,
}

/// Reads the query file (tab-separated: query, expected symbols `;`-separated, kind; `#`
/// comments and blank lines skipped).
pub fn load_queries(path: &Path) -> anyhow::Result<Vec<EvalQuery>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut out = Vec::new();
    for (n, l) in text.lines().enumerate() {
        if l.starts_with('#') || l.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = l.split('\t').collect();
        anyhow::ensure!(
            cols.len() >= 3,
            "{}:{}: expected query, symbols and kind separated by tabs",
            path.display(),
            n + 1
        );
        out.push(EvalQuery {
            text: cols[0].to_string(),
            expected: cols[1].split(';').map(str::to_string).collect(),
            kind: cols[2].to_string(),
        });
    }
    Ok(out)
}

/// The English files of `<corpus>/ga-resolutions/raw/xml` (the other five languages of a
/// session left out).
pub fn english_xml_paths(corpus_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let xml = corpus_dir.join("ga-resolutions/raw/xml");
    let mut paths = Vec::new();
    for session in std::fs::read_dir(&xml).with_context(|| format!("{}", xml.display()))? {
        let session = session?.path();
        if !session.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&session)? {
            let p = entry?.path();
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            let other = ["Arabic", "Chinese", "French", "Russian", "Spanish"]
                .iter()
                .any(|l| name.contains(l));
            if !other {
                paths.push(p);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Indexes the English resolutions of `corpus_dir` in memory and scores the three engines
/// on the queries of `queries_file`; `work` holds the FTS5 database for the run.
pub fn run(
    settings: &Settings,
    corpus_dir: &Path,
    queries_file: &Path,
    work: &Path,
) -> anyhow::Result<EvalReport> {
    let started = std::time::Instant::now();
    let queries = load_queries(queries_file)?;
    let store = IndexStore::in_ram()?;
    let mut opts = crate::cli::index::run_options(settings, false);
    opts.changes_dir = None; // the benchmark never writes to the user's data folder
    crate::pipeline::index_paths(&store, &english_xml_paths(corpus_dir)?, &opts)?;
    let mut report = evaluate(&store, &queries, work)?;
    report.queries_file = queries_file.display().to_string();
    report.secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Scores the three engines on `queries` over the English records of `store` (FTS5 is built
/// from the same records in `work`, then removed).
pub fn evaluate(
    store: &IndexStore,
    queries: &[EvalQuery],
    work: &Path,
) -> anyhow::Result<EvalReport> {
    let started = std::time::Instant::now();
    let mut records = Vec::new();
    store.for_each_record(|r| {
        if r.lang == "en" {
            records.push(r);
        }
        Ok(())
    })?;
    std::fs::create_dir_all(work)?;
    let jsonl = work.join("eval-en.jsonl");
    let db = work.join("eval-fts5.sqlite");
    let _ = std::fs::remove_file(&db);
    corpus::write_scaled(&records, 1, &jsonl)?;
    fts5::build(&jsonl, &db)?;
    let _ = std::fs::remove_file(&jsonl);
    let fts = fts5::Fts5::open(&db)?;

    let gadocs = score("gadocs", queries, |q| search(store, q, true))?;
    let gadocs_no_expand = score("gadocs --no-expand", queries, |q| search(store, q, false))?;
    let fts5 = score("SQLite FTS5", queries, |q| {
        Ok(fts
            .search(&fts5_expr(q), &[], false)
            .map(|a| a.top)
            .unwrap_or_default())
    })?;
    drop(fts);
    let _ = std::fs::remove_file(&db);
    Ok(EvalReport {
        queries_file: String::new(),
        queries: queries.len(),
        documents: records.len() as u64,
        gadocs,
        gadocs_no_expand,
        fts5,
        secs: started.elapsed().as_secs_f64(),
    })
}

fn search(store: &IndexStore, query: &str, expand: bool) -> anyhow::Result<Vec<String>> {
    let req = SearchRequest {
        query: query.to_string(),
        filters: vec![("lang".into(), "en".into())],
        limit: 10,
        no_expand: !expand,
        ..Default::default()
    };
    Ok(crate::cli::search::search(store, &req)?
        .hits
        .into_iter()
        .map(|h| h.symbol)
        .collect())
}

/// A query's words as an AND of quoted FTS5 tokens.
fn fts5_expr(query: &str) -> String {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

fn score(
    engine: &str,
    queries: &[EvalQuery],
    mut top10: impl FnMut(&str) -> anyhow::Result<Vec<String>>,
) -> anyhow::Result<EngineScores> {
    let mut sums: BTreeMap<String, (f64, f64, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for q in queries {
        let hits = top10(&q.text)?;
        let rank = hits.iter().take(10).position(|s| q.expected.contains(s));
        let e = sums.entry(q.kind.clone()).or_default();
        e.2 += 1;
        if let Some(r) = rank {
            e.1 += 1.0 / (r + 1) as f64;
            if r < 3 {
                e.0 += 1.0;
            }
        }
        if rank.is_none_or(|r| r >= 1) {
            misses.push(format!(
                "[{}] {:?} rank {:?}; top: {:?}",
                q.kind,
                q.text,
                rank.map(|r| r + 1),
                &hits[..hits.len().min(3)]
            ));
        }
    }
    let kinds = sums
        .into_iter()
        .map(|(k, (s, m, n))| {
            (
                k,
                KindScore {
                    n,
                    success_at_3: s / n as f64,
                    mrr_at_10: m / n as f64,
                },
            )
        })
        .collect();
    Ok(EngineScores {
        engine: engine.to_string(),
        kinds,
        misses,
    })
}

impl EvalReport {
    /// The aligned table: one row per kind, success@3 and MRR@10 per engine.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "evaluation (issue 10): {} queries{} over {} English resolutions ({:.1} s)",
            self.queries,
            if self.queries_file.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.queries_file)
            },
            self.documents,
            self.secs
        );
        let engines = [&self.gadocs, &self.gadocs_no_expand, &self.fts5];
        let _ = write!(out, "  {:<9} {:>4}", "", "");
        for e in engines {
            let _ = write!(out, "  {:>18}", e.engine);
        }
        out.push('\n');
        let _ = write!(out, "  {:<9} {:>4}", "kind", "n");
        for _ in engines {
            let _ = write!(out, "  {:>9} {:>8}", "success@3", "MRR@10");
        }
        out.push('\n');
        let kinds: BTreeSet<&String> = engines.iter().flat_map(|e| e.kinds.keys()).collect();
        for k in kinds {
            let n = engines
                .iter()
                .map(|e| e.kind(k).n)
                .max()
                .unwrap_or_default();
            let _ = write!(out, "  {k:<9} {n:>4}");
            for e in engines {
                let s = e.kind(k);
                let _ = write!(out, "  {:>9.3} {:>8.3}", s.success_at_3, s.mrr_at_10);
            }
            out.push('\n');
        }
        out
    }
}

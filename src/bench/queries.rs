//! The 56 queries of BENCHMARK-ANCHORS.md in both syntaxes, the timed runs (engines
//! alternating query by query), the comparison of totals, and the one-document update.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use gadocs_index::{IndexStore, Record, SearchRequest, Sort};
use serde::Serialize;

use crate::bench::fts5::{self, Fts5};
use crate::config::Settings;

/// Kind of query; latency is reported per kind and overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One rare word.
    TermRare,
    /// One very common word.
    TermCommon,
    /// A quoted phrase.
    Phrase,
    /// Words joined by AND.
    And,
    /// Alternatives.
    Or,
    /// A word without another.
    Not,
    /// A word prefix.
    Prefix,
    /// Session, committee, sponsor or language filters.
    Filter,
    /// Counts per session over all matches.
    Facet,
    /// Non-English text.
    Multilingual,
}

impl Kind {
    /// The name used in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TermRare => "term-rare",
            Kind::TermCommon => "term-common",
            Kind::Phrase => "phrase",
            Kind::And => "and",
            Kind::Or => "or",
            Kind::Not => "not",
            Kind::Prefix => "prefix",
            Kind::Filter => "filter",
            Kind::Facet => "facet",
            Kind::Multilingual => "multilingual",
        }
    }
}

/// One benchmark query.
#[derive(Debug, Clone, Copy)]
pub struct BenchQuery {
    /// Number in BENCHMARK-ANCHORS.md.
    pub n: u32,
    /// Kind.
    pub kind: Kind,
    /// gadocs syntax.
    pub gadocs: &'static str,
    /// FTS5 expression searched in `{title body}`.
    pub fts5: &'static str,
    /// Exact-match filters (session, committee, sponsor, lang).
    pub filters: &'static [(&'static str, &'static str)],
    /// Also count matches per session.
    pub facets: bool,
}

const fn q(n: u32, kind: Kind, gadocs: &'static str, fts5: &'static str) -> BenchQuery {
    BenchQuery {
        n,
        kind,
        gadocs,
        fts5,
        filters: &[],
        facets: false,
    }
}

const fn f(
    n: u32,
    kind: Kind,
    text: &'static str,
    filters: &'static [(&'static str, &'static str)],
    facets: bool,
) -> BenchQuery {
    BenchQuery {
        n,
        kind,
        gadocs: text,
        fts5: text,
        filters,
        facets,
    }
}

use Kind::*;

/// The query set of BENCHMARK-ANCHORS.md: gadocs syntax (prefix `terror*`, NOT as `-x`,
/// filters as request filters) beside the FTS5 expression.
pub const QUERIES: &[BenchQuery] = &[
    q(1, TermRare, "cybercrime", "cybercrime"),
    q(2, TermRare, "desertification", "desertification"),
    q(3, TermRare, "mercenaries", "mercenaries"),
    q(4, TermRare, "antimicrobial", "antimicrobial"),
    q(5, TermRare, "landmines", "landmines"),
    q(6, TermRare, "tsunami", "tsunami"),
    q(7, TermCommon, "development", "development"),
    q(8, TermCommon, "states", "states"),
    q(9, TermCommon, "international", "international"),
    q(10, TermCommon, "peace", "peace"),
    q(11, TermCommon, "nations", "nations"),
    q(
        12,
        Phrase,
        "\"information and communications technologies\"",
        "\"information and communications technologies\"",
    ),
    q(
        13,
        Phrase,
        "\"human rights defenders\"",
        "\"human rights defenders\"",
    ),
    q(14, Phrase, "\"climate change\"", "\"climate change\""),
    q(
        15,
        Phrase,
        "\"sustainable development goals\"",
        "\"sustainable development goals\"",
    ),
    q(16, Phrase, "\"nuclear weapons\"", "\"nuclear weapons\""),
    q(
        17,
        Phrase,
        "\"right to self-determination\"",
        "\"right to self-determination\"",
    ),
    q(
        18,
        Phrase,
        "\"united nations relief and works agency\"",
        "\"united nations relief and works agency\"",
    ),
    q(
        19,
        And,
        "nuclear AND disarmament",
        "(nuclear AND disarmament)",
    ),
    q(
        20,
        And,
        "women AND peace AND security",
        "(women AND peace AND security)",
    ),
    q(
        21,
        And,
        "\"climate change\" AND oceans",
        "(\"climate change\" AND oceans)",
    ),
    q(
        22,
        And,
        "refugees AND palestine",
        "(refugees AND palestine)",
    ),
    q(
        23,
        Or,
        "cybercrime OR cybersecurity",
        "(cybercrime OR cybersecurity)",
    ),
    q(
        24,
        Or,
        "tsunami OR earthquake OR hurricane",
        "(tsunami OR earthquake OR hurricane)",
    ),
    q(
        25,
        Or,
        "drought OR desertification OR \"land degradation\"",
        "(drought OR desertification OR \"land degradation\")",
    ),
    q(26, Not, "climate -change", "(climate NOT change)"),
    q(27, Not, "terrorism -nuclear", "(terrorism NOT nuclear)"),
    q(28, Not, "embargo -cuba", "(embargo NOT cuba)"),
    q(29, Prefix, "terror*", "terror*"),
    q(30, Prefix, "migra*", "migra*"),
    q(31, Prefix, "cyber*", "cyber*"),
    q(32, Prefix, "decolon*", "decolon*"),
    q(33, Prefix, "develop*", "develop*"),
    f(34, Filter, "climate", &[("session", "74")], false),
    f(35, Filter, "\"human rights\"", &[("session", "79")], false),
    f(36, Filter, "women", &[("committee", "third")], false),
    f(37, Filter, "terrorism", &[("committee", "sixth")], false),
    f(38, Filter, "development", &[("committee", "second")], false),
    f(
        39,
        Filter,
        "information",
        &[("original_sponsor", "RUSSIAN FEDERATION")],
        false,
    ),
    f(
        40,
        Filter,
        "\"nuclear weapons\"",
        &[("original_sponsor", "JAPAN")],
        false,
    ),
    f(
        41,
        Filter,
        "\"changements climatiques\"",
        &[("lang", "fr")],
        false,
    ),
    f(
        42,
        Filter,
        "states",
        &[("session", "74"), ("committee", "third")],
        false,
    ),
    f(43, Facet, "\"climate change\"", &[], true),
    f(44, Facet, "development", &[], true),
    f(45, Facet, "cybercrime", &[], true),
    f(46, Facet, "terrorism", &[], true),
    f(47, Facet, "\"human rights defenders\"", &[], true),
    f(48, Facet, "refugees", &[], true),
    f(49, Facet, "women", &[("committee", "third")], true),
    q(
        50,
        Multilingual,
        "\"développement durable\"",
        "\"développement durable\"",
    ),
    q(
        51,
        Multilingual,
        "\"устойчивого развития\"",
        "\"устойчивого развития\"",
    ),
    q(
        52,
        Multilingual,
        "\"desarrollo sostenible\"",
        "\"desarrollo sostenible\"",
    ),
    q(
        53,
        Multilingual,
        "\"التنمية المستدامة\"",
        "\"التنمية المستدامة\"",
    ),
    q(54, Multilingual, "可持续发展", "\"可持续发展\""),
    q(55, Multilingual, "türkiye", "türkiye"),
    q(56, Multilingual, "\"côte d'ivoire\"", "\"côte d'ivoire\""),
];

impl BenchQuery {
    /// The query as a table shows it: gadocs syntax, then the filters.
    pub fn label(&self) -> String {
        let mut s = self.gadocs.to_string();
        for (k, v) in self.filters {
            s.push_str(&format!(" | {k}={v}"));
        }
        if self.facets {
            s.push_str(" +facets");
        }
        s
    }

    /// The full FTS5 MATCH expression.
    pub fn fts5_expr(&self) -> String {
        format!("{{title body}} : {}", self.fts5)
    }

    fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.gadocs.to_string(),
            filters: self
                .filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            facets: if self.facets {
                vec!["session".to_string()]
            } else {
                Vec::new()
            },
            limit: 10,
            sort: Some(Sort::Relevance),
            snippets: false,
            ..Default::default()
        }
    }

    /// Why totals may differ where they do: the semantic difference this query exercises.
    fn difference_hint(&self) -> &'static str {
        match self.kind {
            Prefix => "prefix: gadocs matches the typed prefix against stemmed terms",
            Multilingual
                if self
                    .gadocs
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) =>
            {
                "segmentation: gadocs splits Chinese into words (jieba), unicode61 does not"
            }
            Multilingual => "stemming/folding: per-language analyzers vs unicode61",
            _ => "stemming: gadocs also matches inflected forms (states/state, weapons/weapon)",
        }
    }
}

/// Latency figures of a set of samples, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    /// Samples.
    pub samples: usize,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Mean.
    pub mean_ms: f64,
}

impl Latency {
    /// Figures of `ms` (nearest-rank percentiles).
    pub fn of(ms: &[f64]) -> Self {
        if ms.is_empty() {
            return Self::default();
        }
        let mut v = ms.to_vec();
        v.sort_by(f64::total_cmp);
        let rank = |p: f64| v[(((p * v.len() as f64).ceil() as usize).max(1) - 1).min(v.len() - 1)];
        Self {
            samples: v.len(),
            p50_ms: rank(0.50),
            p95_ms: rank(0.95),
            p99_ms: rank(0.99),
            max_ms: v[v.len() - 1],
            mean_ms: v.iter().sum::<f64>() / v.len() as f64,
        }
    }
}

/// Latency of both engines for one kind of query (or `overall`).
#[derive(Debug, Clone, Serialize)]
pub struct KindLatency {
    /// Kind name, or `overall`.
    pub kind: String,
    /// Queries of this kind.
    pub queries: usize,
    /// gadocs.
    pub gadocs: Latency,
    /// FTS5.
    pub fts5: Latency,
}

/// One query's results in both engines.
#[derive(Debug, Clone, Serialize)]
pub struct QueryOutcome {
    /// Number in the anchors.
    pub n: u32,
    /// Kind.
    pub kind: Kind,
    /// gadocs query and filters.
    pub query: String,
    /// FTS5 MATCH expression.
    pub fts5: String,
    /// Exact total, gadocs.
    pub gadocs_total: u64,
    /// Exact total, FTS5.
    pub fts5_total: u64,
    /// Totals are equal.
    pub totals_equal: bool,
    /// Where they are not: the semantic difference responsible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// Facet queries: session counts equal (None for others).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facet_counts_equal: Option<bool>,
    /// Median latency, gadocs (ms).
    pub gadocs_p50_ms: f64,
    /// Median latency, FTS5 (ms).
    pub fts5_p50_ms: f64,
    /// Top hits of gadocs (symbol|lang).
    pub gadocs_top: Vec<String>,
    /// Top hits of FTS5 (symbol).
    pub fts5_top: Vec<String>,
}

/// Everything the query runs measured.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    /// Timed runs of the whole set.
    pub runs: usize,
    /// Untimed runs before them.
    pub warmup: usize,
    /// Per kind, then `overall` last.
    pub latency: Vec<KindLatency>,
    /// Per query.
    pub queries: Vec<QueryOutcome>,
    /// Queries whose totals are equal in both engines.
    pub totals_equal: usize,
}

struct GadocsAnswer {
    top: Vec<String>,
    total: u64,
    sessions: Option<BTreeMap<String, u64>>,
}

fn run_gadocs(store: &IndexStore, req: &SearchRequest) -> anyhow::Result<GadocsAnswer> {
    let r = crate::cli::search::search(store, req)?;
    Ok(GadocsAnswer {
        top: r
            .hits
            .iter()
            .map(|h| format!("{}|{}", h.symbol, h.lang))
            .collect(),
        total: r.total,
        sessions: r.facets.get("session").cloned(),
    })
}

/// Runs the set `warmup + runs` times, alternating which engine goes first query by query.
pub fn measure(
    store: &IndexStore,
    fts: &Fts5,
    warmup: usize,
    runs: usize,
) -> anyhow::Result<Measured> {
    let requests: Vec<SearchRequest> = QUERIES.iter().map(BenchQuery::request).collect();
    let exprs: Vec<String> = QUERIES.iter().map(BenchQuery::fts5_expr).collect();
    let mut gadocs_ms = vec![Vec::with_capacity(runs); QUERIES.len()];
    let mut fts5_ms = vec![Vec::with_capacity(runs); QUERIES.len()];
    let mut first: Vec<Option<(GadocsAnswer, fts5::Answer)>> =
        QUERIES.iter().map(|_| None).collect();
    for run in 0..warmup + runs {
        for (i, bq) in QUERIES.iter().enumerate() {
            let time_gadocs = || -> anyhow::Result<(GadocsAnswer, f64)> {
                let t = Instant::now();
                let a = run_gadocs(store, &requests[i])?;
                Ok((a, t.elapsed().as_secs_f64() * 1e3))
            };
            let time_fts5 = || -> anyhow::Result<(fts5::Answer, f64)> {
                let t = Instant::now();
                let a = fts.search(&exprs[i], bq.filters, bq.facets)?;
                Ok((a, t.elapsed().as_secs_f64() * 1e3))
            };
            let ((ga, gt), (fa, ft)) = if (run + i) % 2 == 0 {
                let g = time_gadocs()?;
                (g, time_fts5()?)
            } else {
                let f = time_fts5()?;
                (time_gadocs()?, f)
            };
            if run >= warmup {
                gadocs_ms[i].push(gt);
                fts5_ms[i].push(ft);
            }
            if first[i].is_none() {
                first[i] = Some((ga, fa));
            }
        }
    }
    let mut outcomes = Vec::new();
    for (i, bq) in QUERIES.iter().enumerate() {
        let (ga, fa) = first[i].take().expect("every query ran at least once");
        let equal = ga.total == fa.total;
        outcomes.push(QueryOutcome {
            n: bq.n,
            kind: bq.kind,
            query: bq.label(),
            fts5: exprs[i].clone(),
            gadocs_total: ga.total,
            fts5_total: fa.total,
            totals_equal: equal,
            difference: (!equal).then(|| bq.difference_hint().to_string()),
            facet_counts_equal: match (&ga.sessions, &fa.sessions) {
                (Some(g), Some(f)) => Some(g == f),
                _ => None,
            },
            gadocs_p50_ms: Latency::of(&gadocs_ms[i]).p50_ms,
            fts5_p50_ms: Latency::of(&fts5_ms[i]).p50_ms,
            gadocs_top: ga.top,
            fts5_top: fa.top,
        });
    }
    let mut kinds: Vec<Kind> = QUERIES.iter().map(|q| q.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut latency = Vec::new();
    for kind in kinds {
        let idx: Vec<usize> = (0..QUERIES.len())
            .filter(|i| QUERIES[*i].kind == kind)
            .collect();
        latency.push(kind_latency(kind.as_str(), &idx, &gadocs_ms, &fts5_ms));
    }
    let all: Vec<usize> = (0..QUERIES.len()).collect();
    latency.push(kind_latency("overall", &all, &gadocs_ms, &fts5_ms));
    let totals_equal = outcomes.iter().filter(|o| o.totals_equal).count();
    Ok(Measured {
        runs,
        warmup,
        latency,
        queries: outcomes,
        totals_equal,
    })
}

fn kind_latency(kind: &str, idx: &[usize], g: &[Vec<f64>], f: &[Vec<f64>]) -> KindLatency {
    let gs: Vec<f64> = idx.iter().flat_map(|i| g[*i].iter().copied()).collect();
    let fs: Vec<f64> = idx.iter().flat_map(|i| f[*i].iter().copied()).collect();
    KindLatency {
        kind: kind.to_string(),
        queries: idx.len(),
        gadocs: Latency::of(&gs),
        fts5: Latency::of(&fs),
    }
}

/// Time from changing one document to finding it by a new word.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateTimes {
    /// gadocs: `import` of a one-record file (digests, writer, upsert, commit, merge wait,
    /// reload) and the search that finds it, ms per attempt.
    pub gadocs_ms: Vec<f64>,
    /// FTS5: UPDATE of the body in a transaction, commit, and the MATCH that finds it.
    pub fts5_ms: Vec<f64>,
    /// Median, gadocs.
    pub gadocs_p50_ms: f64,
    /// Slowest, gadocs.
    pub gadocs_max_ms: f64,
    /// Median, FTS5.
    pub fts5_p50_ms: f64,
    /// Slowest, FTS5.
    pub fts5_max_ms: f64,
}

/// Changes `record` `times` times (a new marker word appended to its text) in both engines and
/// times how long until a search finds the marker.
pub fn measure_updates(
    settings: &Settings,
    store: &IndexStore,
    fts: &Fts5,
    record: &Record,
    times: usize,
    work: &Path,
) -> anyhow::Result<UpdateTimes> {
    let mut opts = crate::cli::index::run_options(settings, false);
    opts.changes_dir = None; // the benchmark never writes to the user's data folder
    let file = work.join("update.jsonl");
    let mut out = UpdateTimes::default();
    for attempt in 0..times {
        let marker = marker_word(attempt);
        let mut changed = record.clone();
        changed.text = format!("{} {marker}", record.text);
        std::fs::write(&file, format!("{}\n", serde_json::to_string(&changed)?))?;
        let req = SearchRequest {
            query: marker.clone(),
            limit: 10,
            snippets: false,
            ..Default::default()
        };
        let t = Instant::now();
        crate::pipeline::import_paths(store, std::slice::from_ref(&file), &opts)?;
        wait_until(
            || Ok(run_gadocs(store, &req)?.total >= 1),
            || store.reload().map_err(Into::into),
        )?;
        out.gadocs_ms.push(t.elapsed().as_secs_f64() * 1e3);

        let expr = format!("{{title body}} : {marker}");
        let t = Instant::now();
        fts.update_body(&record.symbol, &record.lang, &changed.text)?;
        wait_until(|| Ok(fts.search(&expr, &[], false)?.total >= 1), || Ok(()))?;
        out.fts5_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let _ = std::fs::remove_file(&file);
    let g = Latency::of(&out.gadocs_ms);
    let f = Latency::of(&out.fts5_ms);
    out.gadocs_p50_ms = g.p50_ms;
    out.gadocs_max_ms = g.max_ms;
    out.fts5_p50_ms = f.p50_ms;
    out.fts5_max_ms = f.max_ms;
    Ok(out)
}

/// A word no document contains, different per attempt (letters only, so every analyzer keeps
/// it whole).
fn marker_word(attempt: usize) -> String {
    let mut s = String::from("gadocsbenchmarker");
    let mut n = attempt;
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

/// Polls `found` (calling `refresh` between tries) for up to 10 s.
fn wait_until(
    mut found: impl FnMut() -> anyhow::Result<bool>,
    mut refresh: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if found()? {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "changed document not searchable after 10 s"
        );
        refresh()?;
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_has_56_numbered_queries_of_every_kind() {
        assert_eq!(QUERIES.len(), 56);
        for (i, q) in QUERIES.iter().enumerate() {
            assert_eq!(q.n as usize, i + 1);
        }
        assert_eq!(QUERIES.iter().filter(|q| q.facets).count(), 7);
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let l = Latency::of(&v);
        assert_eq!(
            (l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms),
            (50.0, 95.0, 99.0, 100.0)
        );
        assert_ne!(marker_word(0), marker_word(1));
    }
}

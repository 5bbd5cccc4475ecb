//! `gadocs stats`: the shape of the index at a glance.

use std::io::Write;

use clap::Args;
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::cli::output::{bar, clean, pad, thousands, truncate, width};
use crate::config::Settings;
use crate::history::graph;

/// Arguments of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Values shown per facet.
    #[arg(long, default_value_t = 15)]
    pub top: usize,
}

/// `gadocs stats`.
pub fn run(settings: &Settings, args: StatsArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let facets = store.facet_counts()?;
    let size: u64 = std::fs::read_dir(store.path())?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    // citations counted in one language (English when indexed, else the largest)
    let lang = facets
        .get("lang")
        .and_then(|langs| {
            langs.get("en").map(|_| "en".to_string()).or_else(|| {
                langs
                    .iter()
                    .max_by_key(|(_, n)| **n)
                    .map(|(l, _)| l.clone())
            })
        })
        .unwrap_or_else(|| "en".to_string());
    let cited = graph::most_cited(&store, &lang, args.top)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({"documents": store.num_docs(), "index_bytes": size, "facets": facets, "most_cited": cited.top, "citations": cited.citations});
        writeln!(out, "{v}")?;
        return Ok(Outcome::Ok);
    }
    writeln!(
        out,
        "{} documents, index {:.1} MB at {}",
        thousands(store.num_docs()),
        size as f64 / 1e6,
        store.path().display()
    )?;
    for name in [
        "session",
        "committee",
        "type",
        "lang",
        "year",
        "sponsor",
        "agenda",
    ] {
        let Some(values) = facets.get(name) else {
            continue;
        };
        let mut values: Vec<(&String, &u64)> = values.iter().collect();
        if matches!(name, "session" | "year") {
            values.sort_by_key(|(k, _)| session_order(k));
        } else {
            values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        }
        writeln!(out, "\n{name} ({} values)", values.len())?;
        print_bars(&mut out, &values, args.top)?;
    }
    if !cited.top.is_empty() {
        writeln!(
            out,
            "\nmost cited ({} citations of {} documents, {lang} texts)",
            thousands(cited.citations),
            thousands(cited.cited_documents)
        )?;
        let labels: Vec<String> = cited
            .top
            .iter()
            .map(|c| {
                let title = if c.title.is_empty() {
                    "[not in the index]".to_string()
                } else {
                    truncate(&clean(&c.title), 50)
                };
                format!("{}  {title}", c.symbol)
            })
            .collect();
        let rows: Vec<(&String, &u64)> = labels
            .iter()
            .zip(cited.top.iter().map(|c| &c.cited_by))
            .collect();
        print_bars(&mut out, &rows, args.top)?;
    }
    Ok(Outcome::Ok)
}

fn session_order(k: &str) -> (u8, u64, String) {
    match k.parse::<u64>() {
        Ok(n) => (0, n, String::new()),
        Err(_) => (1, 0, k.to_string()),
    }
}

/// Aligned label, count and bar per value; at most `top` rows (sessions/years: the last ones).
pub fn print_bars(
    out: &mut impl Write,
    values: &[(&String, &u64)],
    top: usize,
) -> std::io::Result<()> {
    let shown: Vec<&(&String, &u64)> = values.iter().take(top.max(1)).collect();
    let label_w = shown
        .iter()
        .map(|(k, _)| width(&truncate(&clean(k), 72)))
        .max()
        .unwrap_or(0);
    let max = shown.iter().map(|(_, v)| **v).max().unwrap_or(0);
    let count_w = shown
        .iter()
        .map(|(_, v)| thousands(**v).len())
        .max()
        .unwrap_or(1);
    for (k, v) in &shown {
        let label = truncate(&clean(k), 72);
        writeln!(
            out,
            "  {}  {:>count_w$}  {}",
            pad(&label, label_w),
            thousands(**v),
            bar(**v, max, 30)
        )?;
    }
    if values.len() > shown.len() {
        writeln!(out, "  … {} more", values.len() - shown.len())?;
    }
    Ok(())
}

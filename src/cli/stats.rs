//! `gadocs stats`: the shape of the index at a glance.

use std::io::Write;

use clap::Args;
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::cli::output::{bar, clean, pad, thousands, truncate, width};
use crate::config::Settings;

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
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({"documents": store.num_docs(), "index_bytes": size, "facets": facets});
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
        .map(|(k, _)| width(&truncate(&clean(k), 40)))
        .max()
        .unwrap_or(0);
    let max = shown.iter().map(|(_, v)| **v).max().unwrap_or(0);
    let count_w = shown
        .iter()
        .map(|(_, v)| thousands(**v).len())
        .max()
        .unwrap_or(1);
    for (k, v) in &shown {
        let label = truncate(&clean(k), 40);
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

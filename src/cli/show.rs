//! `gadocs show SYMBOL` and `gadocs export`.

use std::io::Write;

use clap::Args;
use gadocs_index::{IndexStore, Record};

use crate::cli::Outcome;
use crate::cli::output::clean;
use crate::config::Settings;
use crate::shorthand;

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Symbol (A/RES/74/247, 74/247, A/C.3/74/L.11).
    pub symbol: String,
    /// Language version to print (default: English, else the first available).
    #[arg(long)]
    pub lang: Option<String>,
    /// Print the full record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// JSON lines (the default and only format; accepted for symmetry with other commands).
    #[arg(long)]
    pub json: bool,
}

/// `gadocs show`.
pub fn run_show(settings: &Settings, args: ShowArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let symbol = shorthand::normalize_symbol(&args.symbol);
    let lang = args.lang.as_deref().map(str::to_lowercase);
    let mut records = store.lookup(&symbol, lang.as_deref())?;
    // exact symbol first, then English
    records.sort_by_key(|r| {
        (
            r.symbol != symbol,
            r.lang != "en",
            r.symbol.clone(),
            r.lang.clone(),
        )
    });
    let Some(record) = records.first() else {
        eprintln!(
            "{symbol}: not in the index{}",
            lang.map(|l| format!(" in language {l}"))
                .unwrap_or_default()
        );
        return Ok(Outcome::Partial);
    };
    let langs: Vec<String> = records
        .iter()
        .filter(|r| r.symbol == record.symbol)
        .map(|r| r.lang.clone())
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(record)?)?;
    } else {
        print_record(&mut out, record, &langs)?;
    }
    Ok(Outcome::Ok)
}

fn print_record(out: &mut impl Write, r: &Record, langs: &[String]) -> anyhow::Result<()> {
    let row = |out: &mut dyn Write, k: &str, v: String| -> std::io::Result<()> {
        if v.is_empty() {
            return Ok(());
        }
        writeln!(out, "{:<20} {}", k, clean(&v))
    };
    row(out, "symbol", r.symbol.clone())?;
    row(out, "title", r.title.clone())?;
    row(out, "type", r.doc_type.to_string())?;
    row(out, "session", r.session.clone().unwrap_or_default())?;
    row(
        out,
        "committee",
        r.committee.map(|c| c.to_string()).unwrap_or_default(),
    )?;
    row(out, "agenda items", r.agenda_items.join("; "))?;
    row(
        out,
        "date",
        r.date.map(|d| d.to_string()).unwrap_or_default(),
    )?;
    row(
        out,
        "adoption date",
        r.adoption_date.map(|d| d.to_string()).unwrap_or_default(),
    )?;
    row(
        out,
        "distribution",
        r.distribution.map(|d| d.to_string()).unwrap_or_default(),
    )?;
    row(
        out,
        "language",
        format!("{} (available: {})", r.lang, langs.join(", ")),
    )?;
    row(out, "sponsors", r.sponsors.join("; "))?;
    row(out, "additional sponsors", r.additional_sponsors.join("; "))?;
    if let Some(v) = r.votes {
        row(out, "vote", v.to_string())?;
    }
    row(out, "drafts", r.draft_symbols.join("; "))?;
    row(
        out,
        "committee report",
        r.committee_report.clone().unwrap_or_default(),
    )?;
    row(out, "adopted as", r.adopted_as.clone().unwrap_or_default())?;
    row(out, "cites", r.cites.join(", "))?;
    row(out, "cited documents", r.cited_documents.join(", "))?;
    row(out, "source", r.source.clone())?;
    writeln!(out)?;
    for para in r.text.split("\n\n") {
        writeln!(out, "{}\n", clean(para))?;
    }
    Ok(())
}

/// `gadocs export`.
pub fn run_export(settings: &Settings, _args: ExportArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed: Option<std::io::Error> = None;
    store.for_each_record(|r| {
        if failed.is_none() {
            let line = serde_json::to_string(&r).expect("records serialize");
            if let Err(e) = writeln!(out, "{line}") {
                failed = Some(e);
            }
        }
        Ok(())
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    out.flush()?;
    Ok(Outcome::Ok)
}

//! `gadocs changes`: what `index`, `import` and `update` added, changed or removed, from
//! the change digest `<data>/changes.jsonl` (see [`crate::changes`]).

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use clap::Args;

use crate::changes::{self, Change};
use crate::cli::Outcome;
use crate::cli::output::{clean, pad, truncate, width};
use crate::config::Settings;

/// Arguments of `changes`.
#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Only changes at or after: a date (2026-11-27, midnight UTC), a date-time (RFC 3339),
    /// `today`, `yesterday`, or an age such as `6h` / `7d`.
    #[arg(long)]
    pub since: Option<String>,
    /// Only this document type (`draft resolution`, `resolution`…; `draft` matches drafts
    /// and revised drafts).
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Only records with a sponsor containing this name (case-insensitive).
    #[arg(long)]
    pub sponsor: Option<String>,
    /// Only `new`, `changed` or `removed`.
    #[arg(long)]
    pub change: Option<String>,
    /// Print JSON lines (as stored).
    #[arg(long)]
    pub json: bool,
}

/// A `--since` (or `since=`) value that is not a time; the message lists the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "since {0:?}: expected a date (2026-11-27), a date-time (2026-11-27T08:00:00Z), today, yesterday, or an age (6h, 7d)"
)]
pub struct BadSince(pub String);

/// A `--change` value other than `new`, `changed` or `removed`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("change {0:?}: expected new, changed or removed")]
pub struct BadChange(pub String);

/// Parses `--since`.
pub fn parse_since(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, BadSince> {
    let t = s.trim();
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    match t.to_lowercase().as_str() {
        "today" => return Ok(midnight(now.date_naive())),
        "yesterday" => return Ok(midnight(now.date_naive()) - Duration::days(1)),
        _ => {}
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
    {
        return Ok(d.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(midnight(d));
    }
    if let Some(age) = crate::config::parse_interval(t)
        .ok()
        .and_then(|age| Duration::from_std(age).ok())
        .and_then(|age| now.checked_sub_signed(age))
    {
        return Ok(age);
    }
    Err(BadSince(t.chars().take(60).collect()))
}

/// Which changes to keep: what `gadocs changes` and `/api/changes` filter by.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    /// Only changes at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only this document type (see [`type_matches`]).
    pub doc_type: Option<String>,
    /// Only records with a sponsor containing this (lowercase).
    pub sponsor: Option<String>,
    /// Only `new`, `changed` or `removed`.
    pub change: Option<String>,
}

impl ChangeFilter {
    /// The filter of the command-line (or query-string) values, checked.
    pub fn new(
        since: Option<&str>,
        doc_type: Option<&str>,
        sponsor: Option<&str>,
        change: Option<&str>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        let change = change.map(|c| c.trim().to_lowercase());
        if let Some(c) = &change
            && !matches!(c.as_str(), "new" | "changed" | "removed")
        {
            return Err(BadChange(c.chars().take(40).collect()).into());
        }
        Ok(ChangeFilter {
            since: since.map(|s| parse_since(s, now)).transpose()?,
            doc_type: doc_type.map(str::to_owned),
            sponsor: sponsor.map(str::to_lowercase),
            change,
        })
    }

    fn keeps(&self, c: &Change) -> bool {
        if self.since.is_some_and(|s| c.time < s) {
            return false;
        }
        if self.change.as_deref().is_some_and(|w| c.change != w) {
            return false;
        }
        if let Some(t) = &self.doc_type
            && !type_matches(&c.summary.doc_type, t)
        {
            return false;
        }
        if let Some(s) = &self.sponsor
            && !c
                .summary
                .sponsors
                .iter()
                .any(|x| x.to_lowercase().contains(s.as_str()))
        {
            return false;
        }
        true
    }
}

/// The changes of a data folder's digest that `filter` keeps, oldest first: the lines
/// `changes --json` prints and the array `/api/changes` serves.
pub fn select(data_dir: &Path, filter: &ChangeFilter) -> anyhow::Result<Vec<Change>> {
    let mut kept = Vec::new();
    changes::read(data_dir, |c| {
        if filter.keeps(&c) {
            kept.push(c);
        }
    })?;
    Ok(kept)
}

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Whether a record's type matches `--type`: the same type, or every word of it.
pub fn type_matches(doc_type: &str, wanted: &str) -> bool {
    let have = words(doc_type);
    let want = words(wanted);
    if gadocs_index::DocType::parse(wanted).is_some() {
        return have == want;
    }
    want.iter().all(|w| have.contains(w))
}

/// `gadocs changes`
pub fn run(settings: &Settings, args: ChangesArgs) -> anyhow::Result<Outcome> {
    let filter = ChangeFilter::new(
        args.since.as_deref(),
        args.doc_type.as_deref(),
        args.sponsor.as_deref(),
        args.change.as_deref(),
        Utc::now(),
    )?;
    let since = filter.since;
    let kept = select(&settings.data_dir, &filter)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        for c in &kept {
            writeln!(out, "{}", serde_json::to_string(c)?)?;
        }
    } else if !kept.is_empty() {
        let rows: Vec<[String; 6]> = kept
            .iter()
            .map(|c| {
                [
                    c.time.format("%Y-%m-%d %H:%M").to_string(),
                    c.change.clone(),
                    format!("{} ({})", c.summary.symbol, c.summary.lang),
                    c.summary.doc_type.clone(),
                    clean(&c.summary.sponsors.join(", ")),
                    clean(&c.summary.title),
                ]
            })
            .collect();
        let mut w = [0usize; 5];
        for r in &rows {
            for (i, cell) in r.iter().take(5).enumerate() {
                w[i] = w[i].max(width(cell));
            }
        }
        w[4] = w[4].min(40);
        for r in &rows {
            writeln!(
                out,
                "{}  {}  {}  {}  {}  {}",
                pad(&r[0], w[0]),
                pad(&r[1], w[1]),
                pad(&r[2], w[2]),
                pad(&r[3], w[3]),
                pad(&truncate(&r[4], w[4]), w[4]),
                truncate(&r[5], 80)
            )?;
        }
        out.flush()?;
        eprintln!(
            "{} {}",
            kept.len(),
            if kept.len() == 1 { "change" } else { "changes" }
        );
    } else {
        eprintln!(
            "no changes{}",
            if since.is_some() { " since then" } else { "" }
        );
    }
    Ok(if kept.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

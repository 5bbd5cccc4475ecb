//! `gadocs history SYMBOL`: the legislative history of a resolution from any member of its
//! family (draft, revision, committee report, meeting record, resolution).

use std::io::Write;

use clap::Args;
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::cli::output::{clean, pad, truncate, width};
use crate::config::Settings;
use crate::history::sponsors::Stage;
use crate::history::{self, DocRef, History};

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Any symbol of the family: A/RES/74/247, 74/247, A/C.3/74/L.11, A/C.3/74/L.11/Rev.1,
    /// A/74/401 (report), A/74/PV.52 (meeting record).
    pub symbol: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `gadocs history`.
pub fn run(settings: &Settings, args: HistoryArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let Some(h) = history::history(&store, &args.symbol)? else {
        eprintln!(
            "{}: not in the index, and no indexed resolution names it",
            args.symbol.trim()
        );
        return Ok(Outcome::Partial);
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&h)?)?;
    } else {
        print_history(&mut out, &h)?;
    }
    Ok(if h.resolution.is_some() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

/// `A/74/401 — Report of the Third Committee (2019-11-22)`, marked when not indexed or
/// metadata-only.
fn line(d: &DocRef) -> String {
    let mut s = d.symbol.clone();
    if !d.title.is_empty() {
        s.push_str(&format!(" — {}", truncate(&clean(&d.title), 90)));
    }
    if let Some(date) = d.date {
        s.push_str(&format!(" ({date})"));
    }
    if !d.indexed {
        s.push_str(" [not in the index]");
    } else if !d.has_text {
        s.push_str(" [metadata only]");
    }
    s
}

fn list(out: &mut impl Write, head: &str, docs: &[DocRef]) -> std::io::Result<()> {
    if docs.is_empty() {
        writeln!(out, "{head}: none in the index")?;
        return Ok(());
    }
    writeln!(out, "{head} ({}):", docs.len())?;
    for d in docs {
        writeln!(out, "    {}", line(d))?;
    }
    Ok(())
}

fn print_history(out: &mut impl Write, h: &History) -> std::io::Result<()> {
    if h.matches.len() > 1 {
        writeln!(
            out,
            "{} ({}) led to {} resolutions; the history of the first follows:",
            h.query,
            h.query_role,
            h.matches.len()
        )?;
        for m in &h.matches {
            writeln!(out, "    {}", line(m))?;
        }
        writeln!(out)?;
    }
    match &h.resolution {
        Some(r) => writeln!(out, "{}", line(r))?,
        None => writeln!(out, "{}: no indexed resolution came from it", h.query)?,
    }
    let mut where_ = Vec::new();
    if let Some(s) = &h.session {
        where_.push(format!("session {s}"));
    }
    if let Some(c) = &h.committee {
        where_.push(format!("{c} committee"));
    }
    if !h.agenda_items.is_empty() {
        where_.push(format!("agenda item {}", h.agenda_items.join(", ")));
    }
    if !where_.is_empty() {
        writeln!(out, "\n1. agenda      {}", where_.join(" · "))?;
    }
    writeln!(out, "2. drafts")?;
    if h.drafts.is_empty() {
        writeln!(out, "    none named")?;
    }
    for d in &h.drafts {
        let adopted = if d.adopted_version {
            "  ← adopted version"
        } else {
            ""
        };
        writeln!(out, "    {}{adopted}", line(&d.doc))?;
        if !d.sponsors.is_empty() {
            writeln!(
                out,
                "        printed sponsors ({}): {}",
                d.sponsors.len(),
                d.sponsors.join(", ")
            )?;
        }
        if !d.additional_sponsors.is_empty() {
            writeln!(
                out,
                "        additional sponsors ({}): {}",
                d.additional_sponsors.len(),
                d.additional_sponsors.join(", ")
            )?;
        }
    }
    if !h.sponsors.is_empty() {
        writeln!(
            out,
            "    sponsors (resolution workflow, {}): {}",
            h.sponsors.len(),
            h.sponsors.join(", ")
        )?;
    }
    if !h.additional_sponsors.is_empty() {
        writeln!(
            out,
            "    additional sponsors (resolution workflow, {}): {}",
            h.additional_sponsors.len(),
            h.additional_sponsors.join(", ")
        )?;
    }
    if !h.all_sponsors.is_empty() {
        let original = h
            .all_sponsors
            .iter()
            .filter(|s| s.stage == Stage::Original)
            .count();
        writeln!(
            out,
            "    all sponsors, every source ({original} original, {} additional):",
            h.all_sponsors.len() - original
        )?;
        let w = h
            .all_sponsors
            .iter()
            .map(|s| width(&s.state))
            .max()
            .unwrap_or(0);
        for s in &h.all_sponsors {
            let stage = match s.stage {
                Stage::Original => "original  ",
                Stage::Additional => "additional",
            };
            writeln!(
                out,
                "        {}  {stage}  {}",
                pad(&s.state, w),
                s.sources.join("; ")
            )?;
        }
    }
    if let Some(r) = &h.committee_report {
        let paragraph = h
            .report_paragraph
            .as_deref()
            .map(|p| format!(", paragraph {p}"))
            .unwrap_or_default();
        writeln!(out, "3. report      {}{paragraph}", line(r))?;
    }
    if let Some(m) = &h.meeting_record {
        writeln!(out, "4. meeting     {}", line(m))?;
    }
    if let Some(d) = h.adoption_date {
        writeln!(out, "5. adopted     {d}")?;
    }
    if let Some(v) = &h.vote {
        if v.without_vote {
            writeln!(out, "6. vote        {}", v.counts())?;
        } else {
            let note = if v.mismatch {
                " (the source's lists disagree with its counts)"
            } else {
                ""
            };
            writeln!(
                out,
                "6. vote        recorded: {}; {} States listed{note}",
                v.counts(),
                v.states_listed
            )?;
        }
    }
    writeln!(out)?;
    list(
        out,
        "earlier resolutions on the subject (similar title or same agenda item)",
        &h.earlier,
    )?;
    list(
        out,
        "later resolutions on the subject (similar title or same agenda item)",
        &h.later,
    )?;
    list(out, "cites", &h.cites)?;
    list(out, "cited by", &h.cited_by)?;
    Ok(())
}

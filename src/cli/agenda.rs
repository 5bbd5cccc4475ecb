//! `gadocs agenda`: one agenda subject session by session, with the item number it had and
//! every document under it.

use std::io::Write;

use clap::Args;
use gadocs_index::IndexStore;

use crate::cli::Outcome;
use crate::cli::output::{clean, truncate};
use crate::config::Settings;
use crate::history::agenda::{self, Continuity};

/// Arguments of `agenda`.
#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// An item number (107, "71 (b)", or 74/107) or words of the item's title
    /// ("criminal purposes", "crime prevention and criminal justice").
    pub item_or_title: String,
    /// The session whose numbering an item number follows (numbers change every session);
    /// with title words, the session whose items are searched for the title.
    #[arg(long)]
    pub session: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `gadocs agenda`.
pub fn run(settings: &Settings, args: AgendaArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    let c = agenda::agenda(&store, &args.item_or_title, args.session.as_deref())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&c)?)?;
    } else {
        print(&mut out, &c)?;
    }
    Ok(if c.sessions.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

fn print(out: &mut impl Write, c: &Continuity) -> std::io::Result<()> {
    let title = if c.title.is_empty() {
        "(no document printed the item's title)".to_string()
    } else {
        c.title.clone()
    };
    writeln!(out, "{title}")?;
    let documents: usize = c.sessions.iter().map(|s| s.documents.len()).sum();
    writeln!(
        out,
        "{} session{}, {documents} document{}\n",
        c.sessions.len(),
        if c.sessions.len() == 1 { "" } else { "s" },
        if documents == 1 { "" } else { "s" }
    )?;
    for s in &c.sessions {
        let renamed = if !s.title.is_empty() && s.title != c.title {
            format!("  \"{}\"", truncate(&clean(&s.title), 80))
        } else {
            String::new()
        };
        writeln!(
            out,
            "session {:<5} item {:<8} {} document{}{renamed}",
            s.session,
            s.item,
            s.documents.len(),
            if s.documents.len() == 1 { "" } else { "s" }
        )?;
        let w = s
            .documents
            .iter()
            .map(|d| d.symbol.len())
            .max()
            .unwrap_or(0);
        for d in &s.documents {
            let date = d
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| " ".repeat(10));
            let kind = d.doc_type.as_deref().unwrap_or("");
            writeln!(
                out,
                "    {:<w$}  {date}  {kind:<17}  {}",
                d.symbol,
                truncate(&clean(&d.title), 70)
            )?;
        }
    }
    Ok(())
}

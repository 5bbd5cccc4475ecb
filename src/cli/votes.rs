//! `gadocs votes SYMBOL` (a roll call) and `gadocs votes --state STATE [--session N]
//! [--with OTHER]` (one State's votes, agreement with another).

use std::io::Write;

use clap::Args;
use gadocs_index::{IndexStore, VoteChoice};

use crate::cli::Outcome;
use crate::cli::output::{bar, clean, pad, truncate, width};
use crate::config::Settings;
use crate::history::{self, RollCall};
use crate::shorthand;

/// Arguments of `votes`.
#[derive(Debug, Args)]
pub struct VotesArgs {
    /// Resolution symbol (A/RES/74/247, 74/247): print its roll call.
    #[arg(required_unless_present = "state", conflicts_with = "state")]
    pub symbol: Option<String>,
    /// State (official name or common short form): how it voted on every recorded vote.
    #[arg(long)]
    pub state: Option<String>,
    /// Only votes of this session (74, ES-11) with --state.
    #[arg(long, requires = "state")]
    pub session: Option<String>,
    /// Second State: its votes alongside, and the agreement rate per session (identical
    /// votes / votes where both voted yes, no or abstain).
    #[arg(long = "with", requires = "state")]
    pub with: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `gadocs votes`.
pub fn run(settings: &Settings, args: VotesArgs) -> anyhow::Result<Outcome> {
    let store = IndexStore::open(&settings.index_dir())?;
    match (&args.symbol, &args.state) {
        (Some(symbol), _) => run_symbol(&store, symbol, args.json),
        (None, Some(state)) => run_state(&store, state, &args),
        (None, None) => unreachable!("clap requires a symbol or --state"),
    }
}

/// A State name `votes --state` / `--with` (and `/api/votes?state=`) cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}: not a State the gazetteer knows (try its official name)")]
pub struct UnknownState(pub String);

fn state_name(s: &str) -> Result<&'static str, UnknownState> {
    gadocs_index::gazetteer::canonical(s).ok_or_else(|| UnknownState(s.trim().to_string()))
}

/// The roll call of a resolution (any spelling `shorthand` accepts), as `votes SYMBOL
/// --json` prints it and `/api/votes/{symbol}` serves it; `None` when the index does not
/// hold the symbol.
pub fn symbol_roll_call(store: &IndexStore, symbol: &str) -> anyhow::Result<Option<RollCall>> {
    let symbol = shorthand::normalize_symbol(symbol);
    Ok(history::find_record(store, &symbol)?.map(|r| history::roll_call(&r)))
}

fn run_symbol(store: &IndexStore, symbol: &str, json: bool) -> anyhow::Result<Outcome> {
    let Some(call) = symbol_roll_call(store, symbol)? else {
        eprintln!("{}: not in the index", shorthand::normalize_symbol(symbol));
        return Ok(Outcome::Partial);
    };
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&call)?)?;
    } else {
        print_roll_call(&mut out, &call)?;
    }
    Ok(if call.counts.is_some() || call.without_vote {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

fn print_roll_call(out: &mut impl Write, c: &RollCall) -> std::io::Result<()> {
    writeln!(out, "{}  {}", c.symbol, clean(&c.title))?;
    let mut adopted = String::from("adopted");
    if let Some(d) = c.adoption_date {
        adopted.push_str(&format!(" {d}"));
    }
    if let Some(m) = &c.meeting_record {
        adopted.push_str(&format!(" ({m})"));
    }
    if c.without_vote {
        writeln!(out, "{adopted} without a vote")?;
        return Ok(());
    }
    let Some(counts) = c.counts else {
        writeln!(out, "no vote recorded in the source")?;
        return Ok(());
    };
    writeln!(
        out,
        "{adopted} by a recorded vote of {} to {}, with {} abstentions",
        counts.yes, counts.no, counts.abstain
    )?;
    if c.mismatch {
        writeln!(
            out,
            "note: the source's lists ({} / {} / {}) disagree with its counts; both shown as given",
            c.listed.yes, c.listed.no, c.listed.abstain
        )?;
    }
    if c.yes.is_empty() && c.no.is_empty() && c.abstain.is_empty() {
        writeln!(out, "(the source gives no per-State lists)")?;
        return Ok(());
    }
    let cols = [&c.yes, &c.no, &c.abstain];
    let w = cols
        .iter()
        .flat_map(|l| l.iter())
        .map(|s| width(s))
        .max()
        .unwrap_or(10)
        .clamp(12, 34);
    let heads = [
        format!("In favour ({}/{})", c.listed.yes, counts.yes),
        format!("Against ({}/{})", c.listed.no, counts.no),
        format!("Abstaining ({}/{})", c.listed.abstain, counts.abstain),
    ];
    let w = heads.iter().map(|h| width(h)).max().unwrap_or(0).max(w);
    writeln!(
        out,
        "\n{}  {}  {}",
        pad(&heads[0], w),
        pad(&heads[1], w),
        heads[2]
    )?;
    writeln!(
        out,
        "{}  {}  {}",
        "─".repeat(w),
        "─".repeat(w),
        "─".repeat(w)
    )?;
    let rows = cols.iter().map(|l| l.len()).max().unwrap_or(0);
    for i in 0..rows {
        let cell = |l: &Vec<String>| l.get(i).map(|s| truncate(&clean(s), w)).unwrap_or_default();
        let line = format!(
            "{}  {}  {}",
            pad(&cell(cols[0]), w),
            pad(&cell(cols[1]), w),
            cell(cols[2])
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    if !c.non_voting.is_empty() {
        writeln!(
            out,
            "\nNon-voting ({}): {}",
            c.non_voting.len(),
            c.non_voting.join(", ")
        )?;
    }
    Ok(())
}

/// One State's recorded votes; field names are the `votes --state --json` contract (also
/// `/api/votes?state=`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct StateReport {
    /// Official name of the State.
    pub state: &'static str,
    /// Official name of the second State (`--with`).
    pub with: Option<&'static str>,
    /// Session the votes were limited to.
    pub session: Option<String>,
    /// Every recorded vote naming the State, oldest first.
    pub votes: Vec<history::StateVote>,
    /// Agreement with the second State per session (empty without `--with`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agreement: Vec<history::Agreement>,
}

/// How `state` voted (in `session`, if given), alongside `with`: what `votes --state` prints.
pub fn state_report(
    store: &IndexStore,
    state: &str,
    session: Option<&str>,
    with: Option<&str>,
) -> anyhow::Result<StateReport> {
    let state = state_name(state)?;
    let other = with.map(state_name).transpose()?;
    let session = session.map(gadocs_index::compile::normalize_session);
    let mut filters = vec![("vote", state)];
    if let Some(s) = &session {
        filters.push(("session", s.as_str()));
    }
    let records = history::records_where(store, "", &filters)?;
    let votes = history::state_votes(&records, state, other);
    let agreement = other
        .map(|o| history::agreement(&records, state, o))
        .unwrap_or_default();
    Ok(StateReport {
        state,
        with: other,
        session,
        votes,
        agreement,
    })
}

fn run_state(store: &IndexStore, state: &str, args: &VotesArgs) -> anyhow::Result<Outcome> {
    let report = state_report(store, state, args.session.as_deref(), args.with.as_deref())?;
    let mut out = std::io::stdout().lock();
    let found = !report.votes.is_empty();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
    } else {
        print_state(
            &mut out,
            report.state,
            report.with,
            &report.votes,
            &report.agreement,
        )?;
    }
    Ok(if found { Outcome::Ok } else { Outcome::Partial })
}

fn choice(c: Option<VoteChoice>) -> &'static str {
    match c {
        Some(VoteChoice::Yes) => "yes",
        Some(VoteChoice::No) => "no",
        Some(VoteChoice::Abstain) => "abstain",
        Some(VoteChoice::NonVoting) => "non-voting",
        None => "—",
    }
}

fn print_state(
    out: &mut impl Write,
    state: &str,
    other: Option<&str>,
    votes: &[history::StateVote],
    agreement: &[history::Agreement],
) -> std::io::Result<()> {
    if votes.is_empty() {
        writeln!(out, "no recorded vote names {state}")?;
        return Ok(());
    }
    let sym_w = votes
        .iter()
        .map(|v| width(&v.symbol))
        .max()
        .unwrap_or(6)
        .max(6);
    let a_w = width(state).clamp(10, 24);
    let b_w = other.map(|o| width(o).clamp(10, 24)).unwrap_or(0);
    let mut head = format!(
        "{}  {}  {}",
        pad("symbol", sym_w),
        pad("date", 10),
        pad(&truncate(state, a_w), a_w)
    );
    if let Some(o) = other {
        head.push_str(&format!("  {}", pad(&truncate(o, b_w), b_w)));
    }
    head.push_str("  title");
    writeln!(out, "{head}")?;
    for v in votes {
        let mut line = format!(
            "{}  {}  {}",
            pad(&v.symbol, sym_w),
            pad(&v.date.map(|d| d.to_string()).unwrap_or_default(), 10),
            pad(choice(Some(v.vote)), a_w)
        );
        if other.is_some() {
            line.push_str(&format!("  {}", pad(choice(v.other_vote), b_w)));
        }
        let mark = if v.mismatch { "* " } else { "" };
        line.push_str(&format!("  {mark}{}", truncate(&clean(&v.title), 60)));
        writeln!(out, "{line}")?;
    }
    let counts = |c| votes.iter().filter(|v| v.vote == c).count();
    writeln!(
        out,
        "\n{} recorded votes: {} yes, {} no, {} abstain, {} non-voting",
        votes.len(),
        counts(VoteChoice::Yes),
        counts(VoteChoice::No),
        counts(VoteChoice::Abstain),
        counts(VoteChoice::NonVoting)
    )?;
    if votes.iter().any(|v| v.mismatch) {
        writeln!(
            out,
            "* the source's lists disagree with its counts on this vote"
        )?;
    }
    if let Some(o) = other {
        writeln!(
            out,
            "\nAgreement of {state} with {o} (identical votes / votes where both voted yes, no or abstain)"
        )?;
        writeln!(
            out,
            "{}  {:>6}  {:>9}  {:>7}",
            pad("session", 8),
            "both",
            "identical",
            "rate"
        )?;
        for a in agreement {
            let rate = a
                .rate
                .map(|r| format!("{:>6.1}%", r * 100.0))
                .unwrap_or_else(|| format!("{:>7}", "—"));
            writeln!(
                out,
                "{}  {:>6}  {:>9}  {}  {}",
                pad(&a.session, 8),
                a.both_voted,
                a.identical,
                rate,
                bar(u64::from(a.identical), u64::from(a.both_voted), 20)
            )?;
        }
    }
    Ok(())
}

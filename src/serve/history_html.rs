//! The legislative history and the roll call on the document page (`/doc/{symbol}`): the same
//! [`History`] and [`RollCall`] that `/api/history/{symbol}` and `/api/votes/{symbol}` serve,
//! rendered as HTML. Every text goes through [`esc`].

use std::fmt::Write as _;

use gadocs_index::{DocType, IndexStore, Record};

use crate::history::{DocRef, History, RollCall};
use crate::serve::ServeError;
use crate::serve::pages::{doc_link, esc};
use crate::serve::params::encode_path;

/// Resolutions listed per "earlier"/"later"/"cited by" list before the rest is left to the
/// JSON (a long-running item has dozens).
const LISTED: usize = 10;

/// The history and roll call shown on a document page.
pub struct Chain {
    history: Option<History>,
    roll_call: Option<RollCall>,
}

impl Chain {
    /// History for resolutions and drafts (the documents a chain is about); roll call when
    /// the record has per-State lists. Reports and meeting records lead to several
    /// resolutions, so their page links to those instead.
    pub fn of(store: &IndexStore, r: &Record) -> Result<Chain, ServeError> {
        let in_chain = matches!(
            r.doc_type,
            DocType::Resolution | DocType::DraftResolution | DocType::RevisedDraftResolution
        );
        let history = if in_chain {
            crate::history::history(store, &r.symbol)?
        } else {
            None
        };
        let roll_call = (!r.vote_by_state.is_empty()).then(|| crate::history::roll_call(r));
        Ok(Chain { history, roll_call })
    }

    /// Both sections, where there is something to show.
    pub fn render(&self, m: &mut String) {
        if let Some(h) = &self.history {
            render_history(m, h);
        }
        if let Some(c) = &self.roll_call {
            render_roll_call(m, c);
        }
    }
}

fn doc_ref(d: &DocRef) -> String {
    let mut s = if d.indexed {
        doc_link(&d.symbol)
    } else {
        esc(&d.symbol)
    };
    if !d.title.is_empty() {
        let _ = write!(s, " — {}", esc(&d.title));
    }
    if let Some(date) = d.date {
        let _ = write!(s, " (<time datetime=\"{date}\">{date}</time>)");
    }
    if !d.indexed {
        s.push_str(" <span class=\"note\">not in the index</span>");
    } else if !d.has_text {
        s.push_str(" <span class=\"note\">metadata only</span>");
    }
    s
}

fn step(m: &mut String, label: &str, html: &str) {
    let _ = writeln!(m, "<li><strong>{}</strong>: {html}</li>", esc(label));
}

fn doc_list(m: &mut String, heading: &str, docs: &[DocRef]) {
    if docs.is_empty() {
        return;
    }
    let _ = writeln!(m, "<h3>{} ({})</h3>\n<ul>", esc(heading), docs.len());
    for d in docs.iter().take(LISTED) {
        let _ = writeln!(m, "<li>{}</li>", doc_ref(d));
    }
    if docs.len() > LISTED {
        let _ = writeln!(
            m,
            "<li>and {} more (see the JSON)</li>",
            docs.len() - LISTED
        );
    }
    m.push_str("</ul>\n");
}

/// The "Legislative history" section: agenda → drafts → report → meeting → adoption → vote,
/// then the resolutions before and after on the same subject.
pub fn render_history(m: &mut String, h: &History) {
    m.push_str("<section class=\"history\" aria-labelledby=\"history-h\">\n<h2 id=\"history-h\">Legislative history</h2>\n");
    if h.matches.len() > 1 {
        let links: Vec<String> = h.matches.iter().map(|d| doc_link(&d.symbol)).collect();
        let _ = writeln!(
            m,
            "<p>This document led to {} resolutions: {}. The history of the first follows.</p>",
            h.matches.len(),
            links.join(", ")
        );
    }
    m.push_str("<ol class=\"chain\">\n");
    if !h.agenda_items.is_empty() {
        let mut at = format!("item {}", esc(&h.agenda_items.join(", ")));
        if let Some(s) = &h.session {
            let _ = write!(at, ", session {}", esc(s));
        }
        step(m, "Agenda", &at);
    }
    for d in &h.drafts {
        let mut html = doc_ref(&d.doc);
        if d.adopted_version {
            html.push_str(" — <em>adopted version</em>");
        }
        if !d.sponsors.is_empty() {
            let _ = write!(
                html,
                "<br>sponsors ({}): {}",
                d.sponsors.len(),
                esc(&d.sponsors.join(", "))
            );
        }
        step(m, "Draft", &html);
    }
    if let Some(r) = &h.committee_report {
        step(m, "Committee report", &doc_ref(r));
    }
    if let Some(r) = &h.meeting_record {
        step(m, "Meeting", &doc_ref(r));
    }
    if let Some(r) = &h.resolution {
        let mut html = doc_ref(r);
        if let Some(d) = h.adoption_date {
            let _ = write!(html, ", adopted <time datetime=\"{d}\">{d}</time>");
        }
        step(m, "Resolution", &html);
    }
    if let Some(v) = &h.vote {
        let recorded = if v.without_vote { "" } else { "recorded: " };
        step(m, "Vote", &esc(&format!("{recorded}{}", v.counts())));
    }
    m.push_str("</ol>\n");
    doc_list(m, "Earlier resolutions on the same subject", &h.earlier);
    doc_list(m, "Later resolutions on the same subject", &h.later);
    doc_list(m, "Cited by", &h.cited_by);
    let _ = writeln!(
        m,
        "<p class=\"json\"><a href=\"/api/history/{}\">This history as JSON</a></p>\n</section>",
        esc(&encode_path(&h.query))
    );
}

/// The roll call: counts, then the States in favour, against and abstaining (folded).
pub fn render_roll_call(m: &mut String, c: &RollCall) {
    let Some(counts) = c.counts else {
        return;
    };
    if c.yes.is_empty() && c.no.is_empty() && c.abstain.is_empty() {
        return;
    }
    m.push_str(
        "<section class=\"votes\" aria-labelledby=\"votes-h\">\n<h2 id=\"votes-h\">Recorded vote</h2>\n",
    );
    let _ = writeln!(
        m,
        "<p>{} in favour, {} against, {} abstentions.</p>",
        counts.yes, counts.no, counts.abstain
    );
    if c.mismatch {
        let _ = writeln!(
            m,
            "<p class=\"note\">The source's lists ({} / {} / {}) disagree with its counts; both are shown as given.</p>",
            c.listed.yes, c.listed.no, c.listed.abstain
        );
    }
    for (label, states) in [
        ("In favour", &c.yes),
        ("Against", &c.no),
        ("Abstaining", &c.abstain),
        ("Non-voting", &c.non_voting),
    ] {
        if states.is_empty() {
            continue;
        }
        let _ = writeln!(
            m,
            "<details><summary>{label} ({})</summary><p>{}</p></details>",
            states.len(),
            esc(&states.join(", "))
        );
    }
    let _ = writeln!(
        m,
        "<p class=\"json\"><a href=\"/api/votes/{}\">This vote as JSON</a></p>\n</section>",
        esc(&encode_path(&c.symbol))
    );
}

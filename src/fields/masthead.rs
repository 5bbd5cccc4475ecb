//! The first-page masthead of GA documents as plain or PDF text (GA-CONVENTIONS §2, §10):
//! symbol, distribution, date, original language, session, committee, agenda items, sponsor
//! line, title, document type and adoption date.

use std::sync::LazyLock;

use chrono::NaiveDate;
use gadocs_index::{Committee, Distribution, DocType, gazetteer};
use regex::Regex;

use super::agenda::agenda_items;
use super::date::{parse_date, session_from_words};
use super::sponsors::split_sponsors;
use super::symbol::Symbol;

/// Fields read from a document's first page. Everything is optional: a field is set only
/// when the page prints it (session and committee fall back to what the symbol implies).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Masthead {
    /// The document symbol printed at the top.
    pub symbol: Option<Symbol>,
    /// `Distr.: General` / `Limited` / `Restricted`.
    pub distribution: Option<Distribution>,
    /// Issue date under the distribution line.
    pub date: Option<NaiveDate>,
    /// `Original: English` → `English`.
    pub original_language: Option<String>,
    /// `74`, `S-32`, `ES-11`.
    pub session: Option<String>,
    /// Main Committee, or plenary for texts "without reference to a Main Committee".
    pub committee: Option<Committee>,
    /// Agenda items as printed (`107`, `71 (b)`).
    pub agenda_items: Vec<String>,
    /// The agenda item's title, printed under a single agenda item.
    pub agenda_title: Option<String>,
    /// Title of the document (after the sponsor line or the resolution number).
    pub title: Option<String>,
    /// Sponsors from the line ending ": draft resolution", canonical names.
    pub sponsors: Vec<String>,
    /// Document type from the page's wording, else from the symbol.
    pub doc_type: Option<DocType>,
    /// "Resolution adopted by the General Assembly on 27 December 2019".
    pub adoption_date: Option<NaiveDate>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex")
}

static DISTR: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^distr\.?\s*:?\s*(general|limited|restricted)?$"));
static ORIGINAL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^original\s*:\s*([a-z]+)?$"));
static COMMITTEE_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(first|second|third|fourth|fifth|sixth)\s+committee$"));
static AGENDA_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:agenda\s+)?items?\s+\d"));
static SPONSOR_END: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i):\s*(revised\s+)?draft\s+(resolution|decision)$"));
static DRAFT_ALONE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(revised\s+)?draft\s+(resolution|decision)$"));
static ADOPTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^resolution\s+adopted\s+by\s+the\s+general\s+assembly(?:\s+on\s+(.+))?$")
});
static REPORT_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(on the report of|report of) the [^\[\]]{0,90}?\b(first|second|third|fourth|fifth|sixth) committee",
    )
});
static WITHOUT_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)without reference to a main committee"));
static RES_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:\d{1,2}|(?:ES|S)-\d{1,2})/\d{1,3}(?:\s?[A-Z])?\.$"));
static MEETING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting$|^summary record of")
});

/// How many first lines make up the masthead area.
const MASTHEAD_LINES: usize = 60;

fn is_body_start(line: &str) -> bool {
    line.starts_with("The General Assembly") || line.starts_with("I have the honour")
}

/// Joins up to `max` lines from `from` until the body starts.
fn title_from(lines: &[String], from: usize, max: usize) -> Option<String> {
    let mut parts = Vec::new();
    for line in lines.iter().skip(from).take(max) {
        if is_body_start(line) || line.starts_with("1.") || RES_NUMBER.is_match(line) {
            break;
        }
        parts.push(line.as_str());
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Cleans the first lines: markdown marks, odd spaces, empties dropped; a lone
/// "draft resolution" line joined to the sponsor line it ends.
fn masthead_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.replace("**", "").replace(['\u{a0}', '\u{202f}'], " ");
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if DRAFT_ALONE.is_match(&line)
            && let Some(prev) = lines.last_mut()
            && prev.ends_with(':')
        {
            prev.push(' ');
            prev.push_str(&line);
            continue;
        }
        lines.push(line);
        if lines.len() >= MASTHEAD_LINES {
            break;
        }
    }
    lines
}

/// Whether line `prev` continues into the next line of a sponsor list.
fn list_continues(prev: &str, next: &str) -> bool {
    let lower = prev.to_lowercase();
    prev.ends_with([',', '('])
        || lower.ends_with(" and")
        || lower.ends_with(" of")
        || lower.ends_with(" the")
        || next.starts_with(|c: char| c.is_lowercase() || c == ')')
}

/// Reads the masthead of a GA document's first page (plain text, markdown-ish text or
/// `pdftotext` output): see [`Masthead`] for the fields.
pub fn parse_masthead(text: &str) -> Masthead {
    let lines = masthead_lines(text);
    let mut m = Masthead::default();
    let mut agenda_line = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if is_body_start(line) {
            break;
        }
        if m.symbol.is_none() {
            let first = line.split(['\u{2013}']).next().unwrap_or(line);
            let first = first.split("-S/").next().unwrap_or(first);
            if let Ok(sym) = first.parse::<Symbol>() {
                m.symbol = Some(sym);
                i += 1;
                continue;
            }
        }
        if let Some(c) = DISTR.captures(line) {
            let word = c
                .get(1)
                .map(|w| w.as_str().to_string())
                .or_else(|| lines.get(i + 1).cloned());
            m.distribution = word.and_then(|w| Distribution::parse(&w));
        } else if let Some(c) = ORIGINAL.captures(line) {
            let word = c
                .get(1)
                .map(|w| w.as_str().to_string())
                .or_else(|| lines.get(i + 1).cloned());
            m.original_language = word.map(|w| {
                let lower = w.to_lowercase();
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|f| f.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            });
        } else if let Some(c) = COMMITTEE_LINE.captures(line) {
            m.committee = m.committee.or(Committee::from_ordinal(&c[1]));
        } else if m.agenda_items.is_empty() && AGENDA_LINE.is_match(line) {
            m.agenda_items = agenda_items(line);
            agenda_line = Some(i);
        } else if let Some(c) = ADOPTED.captures(line) {
            m.doc_type = Some(DocType::Resolution);
            let rest = c.get(1).map(|d| d.as_str().to_string());
            let rest = rest.or_else(|| {
                lines
                    .get(i + 1)
                    .and_then(|l| l.strip_prefix("on "))
                    .map(String::from)
            });
            m.adoption_date = rest.as_deref().and_then(parse_date);
        } else if m.date.is_none() && m.adoption_date.is_none() && parse_date(line).is_some() {
            m.date = parse_date(line);
        } else if m.session.is_none()
            && line.len() < 60
            && line.to_lowercase().ends_with("session")
            && let Some(s) = session_from_words(line)
        {
            m.session = Some(s);
        } else if WITHOUT_REFERENCE.is_match(line) {
            m.committee = Some(Committee::Plenary);
        } else if RES_NUMBER.is_match(line) && m.doc_type == Some(DocType::Resolution) {
            m.title = title_from(&lines, i + 1, 4);
        } else if let Some(c) = SPONSOR_END.captures(line) {
            read_sponsor_block(&lines, i, agenda_line, &mut m);
            m.doc_type = Some(if c.get(1).is_some() {
                DocType::RevisedDraftResolution
            } else if c[2].eq_ignore_ascii_case("decision") {
                DocType::Decision
            } else {
                DocType::DraftResolution
            });
            m.title = title_from(&lines, i + 1, 4);
            break;
        } else if m.doc_type.is_none() {
            classify_line(&lines, i, agenda_line, &mut m);
        }
        i += 1;
    }
    let joined = lines.join(" ");
    if let Some(c) = REPORT_OF.captures(&joined)
        && (m.committee.is_none() || m.committee == Some(Committee::Plenary))
        && !WITHOUT_REFERENCE.is_match(&joined)
    {
        m.committee = Committee::from_ordinal(&c[2]);
    }
    if let Some(sym) = &m.symbol {
        m.session = m.session.take().or_else(|| sym.session());
        m.committee = m.committee.or_else(|| sym.committee());
        if m.doc_type.is_none() {
            m.doc_type = sym.doc_type_hint();
        }
    }
    m
}

/// Sponsor list ending at line `end`: extends upwards while the list continues.
fn read_sponsor_block(lines: &[String], end: usize, agenda_line: Option<usize>, m: &mut Masthead) {
    let floor = agenda_line.map_or(0, |a| a + 1);
    let mut start = end;
    while start > floor && list_continues(&lines[start - 1], &lines[start]) {
        start -= 1;
    }
    // A first line that is not a State (an agenda title) cannot start the list.
    while start < end && gazetteer::longest_match(&lines[start]).is_none() {
        start += 1;
    }
    let block = lines[start..=end].join(" ");
    m.sponsors = split_sponsors(&block).sponsors;
    if let Some(a) = agenda_line
        && a + 1 < start
    {
        m.agenda_title = Some(lines[a + 1..start].join(" "));
    }
}

/// Document type and title from wording: reports, letters, notes, meeting records.
fn classify_line(lines: &[String], i: usize, agenda_line: Option<usize>, m: &mut Masthead) {
    let line = &lines[i];
    let lower = line.to_lowercase();
    if lower.starts_with("letter dated") || lower.starts_with("identical letters dated") {
        m.doc_type = Some(DocType::Letter);
        m.title = title_until(lines, i, "addressed to");
    } else if lower.starts_with("note verbale dated") {
        m.doc_type = Some(DocType::Note);
        m.title = title_until(lines, i, "addressed to");
    } else if lower.starts_with("note by the") {
        m.doc_type = Some(DocType::Note);
        m.title = m.title.take().or_else(|| Some(line.clone()));
    } else if lower.starts_with("report of the") {
        m.doc_type = Some(DocType::Report);
        let agenda_title = agenda_line.and_then(|a| (a + 1 < i).then(|| lines[a + 1..i].join(" ")));
        m.agenda_title = agenda_title.clone();
        m.title = agenda_title.or_else(|| title_from(lines, i, 3));
    } else if MEETING.is_match(line) {
        m.doc_type = Some(DocType::MeetingRecord);
        m.title = Some(line.clone());
    }
}

/// Joins lines from `i` until one contains `marker` (at most 4 lines).
fn title_until(lines: &[String], i: usize, marker: &str) -> Option<String> {
    let mut parts = Vec::new();
    for line in lines.iter().skip(i).take(4) {
        parts.push(line.as_str());
        if line.contains(marker) {
            break;
        }
    }
    Some(parts.join(" "))
}

#[cfg(test)]
mod tests;

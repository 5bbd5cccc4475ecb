//! Akoma Ntoso (AKN4UN) XML of GA resolutions → [`Record`].
//!
//! Reads the symbol (`docNumber`), language (file-name letter, then `FRBRlanguage`, then the
//! folder), session, committee (`docProponent`), agenda items, dates, distribution, title
//! (`preface/docTitle`), the workflow block (drafts with their sponsors, additional
//! sponsors, committee report, adoption meeting), the vote with its per-State roll call, and the text of preamble, body and annexes with
//! footnotes left out of the text but read for citations.

use gadocs_index::{Committee, Distribution, DocType, Record, VoteChoice, Votes};
use roxmltree::{Document, Node, ParsingOptions};

use crate::fields::{agenda, citations, date, sponsors, symbol::Symbol};
use crate::normalize::{Input, NormalizeError, finish_record, lang_from_path};

const AKN_LANGS: &[(&str, &str)] = &[
    ("eng", "en"),
    ("fra", "fr"),
    ("spa", "es"),
    ("rus", "ru"),
    ("ara", "ar"),
    ("zho", "zh"),
    ("chi", "zh"),
    ("deu", "de"),
    ("ger", "de"),
];

/// Parses an AKN document. DTDs are refused before parsing: AKN never uses them, and they
/// are how entity-expansion bombs and external entities get in.
pub fn normalize(input: &Input, text: &str) -> Result<Record, NormalizeError> {
    let doc = parse(input, text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "akomaNtoso" {
        return Err(NormalizeError::Unsupported {
            name: input.name.clone(),
            reason: format!(
                "XML root <{}> is not an Akoma Ntoso document",
                root.tag_name().name()
            ),
        });
    }
    let mut r = Record {
        doc_type: DocType::Resolution,
        ..Default::default()
    };

    // symbol: the XML's own docNumber, else the file name
    let from_name = input.file_symbol();
    let xml_symbol = find(root, "docNumber", Some("#symbol"))
        .map(|n| node_text(n))
        .and_then(|s| s.parse::<Symbol>().ok());
    let symbol = xml_symbol
        .clone()
        .or_else(|| from_name.as_ref().map(|(s, _)| s.clone()));
    let Some(symbol) = symbol else {
        return Err(NormalizeError::NoSymbol {
            name: input.name.clone(),
        });
    };
    r.symbol = symbol.to_string();
    if let (Some(x), Some((f, _))) = (&xml_symbol, &from_name)
        && x.to_string() != f.to_string()
    {
        r.aliases.push(f.to_string());
    }

    // language: file-name letter, then FRBRlanguage, then folder
    let xml_lang = find(root, "FRBRlanguage", None)
        .and_then(|n| n.attribute("language"))
        .and_then(|code| AKN_LANGS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l));
    r.lang = from_name
        .as_ref()
        .and_then(|(_, l)| *l)
        .or(xml_lang)
        .or_else(|| lang_from_path(&input.name))
        .unwrap_or("en")
        .to_string();

    // session: value attribute plus the words (special / emergency special)
    if let Some(s) = find(root, "session", None) {
        let words = node_text(s);
        r.session =
            date::session_from_words(&words).or_else(|| s.attribute("value").map(str::to_string));
    }
    if r.session.is_none() {
        r.session = symbol.session();
    }
    r.committee = find(root, "docProponent", None)
        .and_then(|n| n.attribute("refersTo"))
        .and_then(committee_from_ref);
    // "agenda item" inlines, each followed by its "agenda item name"
    let mut last_items: Vec<String> = Vec::new();
    for n in root
        .descendants()
        .filter(|n| n.has_tag_name_local("inline"))
    {
        match n.attribute("name") {
            Some("agenda item") => {
                let raw = n
                    .attribute("title")
                    .map(|t| format!("Agenda item {t}"))
                    .unwrap_or_else(|| node_text(n));
                last_items = agenda::agenda_items(&raw);
                for item in &last_items {
                    if !r.agenda_items.contains(item) {
                        r.agenda_items.push(item.clone());
                    }
                }
            }
            Some("agenda item name") => {
                let title = node_text(n);
                // a name after "Agenda items 13 and 75 (a)" cannot be told apart: skipped
                if let [item] = last_items.as_slice()
                    && !title.is_empty()
                {
                    r.agenda_titles.entry(item.clone()).or_insert(title);
                }
                last_items.clear();
            }
            _ => {}
        }
    }
    r.date = find(root, "docDate", None)
        .and_then(|n| n.attribute("date"))
        .and_then(date::parse_date);
    r.adoption_date = root
        .descendants()
        .find(|n| n.has_tag_name_local("FRBRdate") && n.attribute("name") == Some("adoption"))
        .and_then(|n| n.attribute("date"))
        .and_then(date::parse_date);
    r.distribution = find(root, "docStatus", None).and_then(|n| {
        let t = node_text(n).to_lowercase();
        if t.contains("limited") {
            Some(Distribution::Limited)
        } else if t.contains("restricted") {
            Some(Distribution::Restricted)
        } else if t.contains("general") {
            Some(Distribution::General)
        } else {
            None
        }
    });
    r.title = root
        .descendants()
        .find(|n| n.has_tag_name_local("preface"))
        .and_then(|p| p.descendants().find(|n| n.has_tag_name_local("docTitle")))
        .map(node_text)
        .unwrap_or_default();
    read_workflow(root, &mut r);
    read_votes(root, &mut r);

    let (body, notes) = body_text(root);
    r.text = body;
    let evidence = CitationEvidence::read(root, &r.text, &notes);
    r.cited_documents = evidence.documents;
    r.cites = evidence.from_text;
    for reference in evidence.from_links {
        if !r.cites.contains(&reference) {
            r.cites.push(reference);
        }
    }
    r.cites
        .retain(|c| Some(c.as_str()) != resolution_number(&r.symbol).as_deref());
    r.has_text = !r.text.trim().is_empty();
    r.source = input.name.clone();
    Ok(finish_record(r, Some(&symbol)))
}

/// The GA resolutions an AKN document cites, read two independent ways: from its words
/// (body and footnotes, by the citation grammar) and from its own reference markup
/// (`<a href="https://undocs.org/en/A/RES/65/230">`). The record keeps their union; the
/// two are kept apart here so that each can be measured against the other.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CitationEvidence {
    /// GA resolutions and decisions named in the text, in order of first mention.
    pub from_text: Vec<String>,
    /// GA resolutions the XML links to, in order of first link.
    pub from_links: Vec<String>,
    /// Other documents named in the text (reports, notes, letters).
    pub documents: Vec<String>,
}

impl CitationEvidence {
    fn read(root: Node, body: &str, notes: &str) -> Self {
        let source = format!("{body}\n\n{notes}");
        let mut from_links: Vec<String> = Vec::new();
        for reference in link_targets(root).filter_map(|l| resolution_number(&l)) {
            if !from_links.contains(&reference) {
                from_links.push(reference);
            }
        }
        Self {
            from_text: citations::ga_resolution_citations(&source),
            from_links,
            documents: citations::cited_documents(&source),
        }
    }
}

/// [`CitationEvidence`] of one AKN document (same parsing limits as [`normalize`]).
pub fn citation_evidence(input: &Input, text: &str) -> Result<CitationEvidence, NormalizeError> {
    let doc = parse(input, text)?;
    let root = doc.root_element();
    let (body, notes) = body_text(root);
    Ok(CitationEvidence::read(root, &body, &notes))
}

/// Parses with DTDs refused and a node limit.
fn parse<'i>(input: &Input, text: &'i str) -> Result<Document<'i>, NormalizeError> {
    refuse_dtd(input, text)?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 5_000_000,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| NormalizeError::Malformed {
        name: input.name.clone(),
        reason: format!("malformed XML: {e}"),
    })
}

fn refuse_dtd(input: &Input, text: &str) -> Result<(), NormalizeError> {
    if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
        return Err(NormalizeError::Hostile {
            name: input.name.clone(),
            reason: "XML with a DOCTYPE or entity declarations is refused (entity expansion and external entities are not allowed)".into(),
        });
    }
    Ok(())
}

trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for Node<'_, '_> {
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}

fn find<'a, 'i>(root: Node<'a, 'i>, tag: &str, refers_to: Option<&str>) -> Option<Node<'a, 'i>> {
    root.descendants().find(|n| {
        n.has_tag_name_local(tag) && refers_to.is_none_or(|r| n.attribute("refersTo") == Some(r))
    })
}

/// Text of a node with whitespace collapsed, footnotes left out.
fn node_text(node: Node) -> String {
    let mut out = String::new();
    collect_inline(node, &mut out);
    collapse(&out)
}

fn collect_inline(node: Node, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or_default());
        } else if child.is_element() && child.tag_name().name() != "authorialNote" {
            collect_inline(child, out);
        }
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn committee_from_ref(r: &str) -> Option<Committee> {
    let r = r.trim_start_matches('#').to_lowercase();
    if r.contains("nomaincommittee") || r.contains("plenary") {
        return Some(Committee::Plenary);
    }
    let ordinal = r.strip_suffix("committee")?;
    Committee::from_ordinal(ordinal)
}

fn read_workflow(root: Node, r: &mut Record) {
    for step in root.descendants().filter(|n| n.has_tag_name_local("step")) {
        let outcome = step.attribute("outcome").unwrap_or_default();
        let by = step.attribute("by").unwrap_or_default();
        let as_symbol = step.attribute("as").and_then(|s| s.parse::<Symbol>().ok());
        match outcome {
            "draftResolution" | "draftDecision" | "revisedDraftResolution" => {
                if let Some(s) = as_symbol {
                    let s = s.to_string();
                    if !r.draft_symbols.contains(&s) {
                        r.draft_symbols.push(s);
                    }
                }
                for name in sponsors::split_sponsors(by).sponsors {
                    if !r.sponsors.contains(&name) {
                        r.sponsors.push(name);
                    }
                }
            }
            "draftResolutionAdditionalSponsors" => {
                for name in sponsors::split_sponsors(by).sponsors {
                    if !r.additional_sponsors.contains(&name) && !r.sponsors.contains(&name) {
                        r.additional_sponsors.push(name);
                    }
                }
            }
            "recommendedForAdoption" => {
                if let Some(s) = as_symbol {
                    r.committee_report = Some(s.to_string());
                    // `refersTo="13"`: the report's paragraph that recommends the draft
                    r.report_paragraph = step
                        .attribute("refersTo")
                        .map(|p| p.trim().trim_start_matches('#').to_string())
                        .filter(|p| !p.is_empty() && p.chars().any(|c| c.is_ascii_digit()));
                }
            }
            "adopted" if r.adoption_date.is_none() => {
                r.adoption_date = step.attribute("date").and_then(date::parse_date);
            }
            _ => {}
        }
    }
}

/// The vote on adoption (§8): counts from `<count value refersTo>` (or, failing them, from an
/// outcome text like `Adopted 90-0-47, 87th plenary meeting`), the per-State lists of
/// `<akn4un:voters>` as canonical names, `vote_mismatch` where the lists disagree with the
/// counts (both kept as given), and the adoption meeting record from the workflow.
fn read_votes(root: Node, r: &mut Record) {
    r.meeting_record = root
        .descendants()
        .filter(|n| n.has_tag_name_local("step") && n.attribute("outcome") == Some("adopted"))
        .find_map(|n| n.attribute("as").and_then(|s| s.parse::<Symbol>().ok()))
        .map(|s| s.to_string());
    let Some(voting) = root.descendants().find(|n| n.has_tag_name_local("voting")) else {
        return;
    };
    let outcome = voting.attribute("outcome").unwrap_or_default();
    let lower = outcome.to_lowercase();
    if lower.contains("withoutvote")
        || lower.contains("without vote")
        || lower.contains("without a vote")
        || lower.contains("acclamation")
        || lower.contains("consensus")
    {
        r.votes = Some(Votes {
            without_vote: true,
            ..Default::default()
        });
        return;
    }
    let mut votes = Votes::default();
    let mut any = false;
    let mut lists: Vec<(VoteChoice, u32, Vec<String>)> = Vec::new();
    for count in voting.children().filter(|n| n.has_tag_name_local("count")) {
        let value: u32 = count
            .attribute("value")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let choice = match count.attribute("refersTo").unwrap_or_default() {
            "inFavour" => VoteChoice::Yes,
            "against" => VoteChoice::No,
            "abstaining" | "abstention" | "abstentions" => VoteChoice::Abstain,
            _ => continue,
        };
        match choice {
            VoteChoice::Yes => votes.yes = value,
            VoteChoice::No => votes.no = value,
            _ => votes.abstain = value,
        }
        any = true;
        let names = count
            .descendants()
            .filter(|n| n.has_tag_name_local("organization"))
            .map(node_text)
            .filter(|n| !n.is_empty())
            .collect();
        lists.push((choice, value, names));
    }
    if !any && let Some((yes, no, abstain)) = counts_in_outcome(outcome) {
        votes = Votes {
            without_vote: false,
            yes,
            no,
            abstain,
        };
        any = true;
    }
    if !any {
        return;
    }
    r.votes = Some(votes);
    if lists.iter().all(|(_, _, names)| names.is_empty()) {
        return; // totals only: no roll call to compare
    }
    let mut mismatch = false;
    for (choice, count, names) in &lists {
        if names.len() as u32 != *count {
            mismatch = true;
        }
        for name in names {
            let state = gadocs_index::gazetteer::canonical(name)
                .map(str::to_string)
                .unwrap_or_else(|| name.clone());
            if r.vote_by_state.insert(state, *choice).is_some() {
                mismatch = true; // listed twice
            }
        }
    }
    // a count of a choice that has no <count> element at all is 0; its list is empty
    r.vote_mismatch = mismatch;
    let members = crate::history::member_states();
    let complete = !mismatch
        && r.vote_by_state
            .keys()
            .all(|s| members.contains(&s.as_str()));
    if complete {
        for m in members {
            r.vote_by_state
                .entry(m.to_string())
                .or_insert(VoteChoice::NonVoting);
        }
    }
}

/// `Adopted 90-0-47, 87th plenary meeting` → (90, 0, 47).
fn counts_in_outcome(outcome: &str) -> Option<(u32, u32, u32)> {
    let mut nums = outcome
        .split(|c: char| !c.is_ascii_digit() && c != '-')
        .find(|w| w.matches('-').count() == 2)?
        .split('-')
        .map(|n| n.parse::<u32>().ok());
    Some((nums.next()??, nums.next()??, nums.next()??))
}

const BLOCKS: &[&str] = &[
    "p",
    "heading",
    "subheading",
    "num",
    "tr",
    "item",
    "listIntroduction",
    "listWrapUp",
    "intro",
    "wrapUp",
    "formula",
    "tblock",
    "li",
    "blockList",
    "paragraph",
    "container",
];

/// The text of preamble, main body and annexes, one paragraph per block element; footnote
/// text separately.
fn body_text(root: Node) -> (String, String) {
    let mut body = String::new();
    let mut notes = String::new();
    for part in root.descendants().filter(|n| {
        matches!(
            n.tag_name().name(),
            "preamble" | "mainBody" | "attachments" | "conclusions"
        ) && n.is_element()
    }) {
        // nested parts (attachments inside a collection) are reached through their parent
        if part
            .ancestors()
            .skip(1)
            .any(|a| matches!(a.tag_name().name(), "preamble" | "mainBody" | "attachments"))
        {
            continue;
        }
        walk(part, &mut body, &mut notes);
        body.push_str("\n\n");
    }
    (tidy_paragraphs(&body), tidy_paragraphs(&notes))
}

fn walk(node: Node, body: &mut String, notes: &mut String) {
    for child in node.children() {
        if child.is_text() {
            body.push_str(child.text().unwrap_or_default());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child.tag_name().name();
        if name == "authorialNote" {
            let mut note = String::new();
            let mut ignored = String::new();
            walk(child, &mut note, &mut ignored);
            notes.push_str(&note);
            notes.push_str("\n\n");
            continue;
        }
        if name == "img" {
            continue;
        }
        let block = BLOCKS.contains(&name);
        if name == "num" {
            body.push_str("\n\n");
            walk(child, body, notes);
            body.push(' ');
            continue;
        }
        if block {
            body.push_str("\n\n");
        }
        walk(child, body, notes);
        if block {
            body.push_str("\n\n");
        } else if matches!(name, "td" | "th" | "cell") {
            body.push(' ');
        }
    }
}

/// Collapses spaces inside paragraphs and keeps one blank line between paragraphs.
fn tidy_paragraphs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for para in s.split("\n\n") {
        let p = collapse(para);
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            // a lone paragraph number joins the paragraph it numbers
            if out.ends_with('.') && is_number_line(last_paragraph(&out)) {
                out.push(' ');
                out.push_str(&p);
                continue;
            }
            out.push_str("\n\n");
        }
        out.push_str(&p);
    }
    out
}

fn last_paragraph(s: &str) -> &str {
    s.rsplit("\n\n").next().unwrap_or(s)
}

fn is_number_line(p: &str) -> bool {
    let p = p.trim_end_matches('.');
    !p.is_empty()
        && p.len() <= 6
        && (p.chars().all(|c| c.is_ascii_digit())
            || p.chars().all(|c| c.is_ascii_lowercase())
            || p.starts_with('('))
}

fn link_targets<'a>(root: Node<'a, '_>) -> impl Iterator<Item = String> + 'a {
    root.descendants()
        .filter(|n| n.has_tag_name_local("a"))
        .filter(|n| !n.ancestors().any(|a| a.tag_name().name() == "meta"))
        .filter_map(|n| n.attribute("href").map(str::to_string))
}

/// `https://undocs.org/en/A/RES/65/230` or `A/RES/65/230` → `65/230`; old style
/// `A/RES/1514(XV)` → `1514 (XV)`. Other bodies' links give nothing.
fn resolution_number(link: &str) -> Option<String> {
    let upper = link.to_uppercase();
    let at = upper.find("A/RES/")?;
    if at > 0 && !upper[..at].ends_with('/') {
        return None;
    }
    let rest = link[at + 6..].trim();
    let symbol: Symbol = format!("A/RES/{rest}").parse().ok()?;
    let s = symbol.to_string();
    s.strip_prefix("A/RES/").map(str::to_string)
}

//! Turns a parsed query ([`Node`]) into a Tantivy query over the per-language fields.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, InvertedIndexRangeQuery,
    Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, Index, Term};

use crate::analysis;
use crate::error::IndexError;
use crate::query::{Node, TextScope};
use crate::record::{Committee, DocType, VoteChoice};
use crate::schema::Fields;
use crate::stats::QueryStats;
use crate::store::{sponsor_key, vote_term};

/// Clauses of a boolean query.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Whether the top hits of a query are best found in a pass of their own: when the query is
/// one term or alternatives of single terms (boosted or not), and those terms occur in many
/// more documents than the hits asked for. Tantivy then ranks with block-max WAND, skipping
/// blocks of postings that cannot enter the top, and a second pass counts the matches
/// without scores. Any other shape, or few matches, is scored in one pass: two would
/// only look the terms up twice. Only speed depends on this answer, never results.
pub fn prunable(query: &dyn Query, stats: &QueryStats, limit: usize) -> bool {
    /// Postings (summed over the terms) from which a second pass pays: callgrind and the
    /// benchmark put the break-even near 2,000 postings for the top 10.
    const POSTINGS_PER_HIT: u64 = 200;
    let union = single_term(query)
        || query.downcast_ref::<BooleanQuery>().is_some_and(|b| {
            b.clauses()
                .iter()
                .all(|(occur, q)| *occur == Occur::Should && single_term(q.as_ref()))
        });
    if !union {
        return false;
    }
    let mut postings = 0;
    query.query_terms(&mut |term, _| {
        postings += stats.doc_freq(term).unwrap_or(0);
    });
    postings >= POSTINGS_PER_HIT * limit as u64
}

/// Whether a query is one plain term (boosted or not): its scorer walks one posting list.
fn single_term(q: &dyn Query) -> bool {
    if q.is::<TermQuery>() {
        return true;
    }
    if !q.is::<BoostQuery>() {
        return false;
    }
    // a boost hands its scorer the inner query's: fine when that is one plain term
    let mut terms = 0;
    let mut positions = false;
    q.query_terms(&mut |_, need_positions| {
        terms += 1;
        positions |= need_positions;
    });
    terms == 1 && !positions
}

/// One query matching any of the alternatives (nothing when there are none).
fn any_of(mut alternatives: Clauses) -> Box<dyn Query> {
    match alternatives.len() {
        0 => Box::new(EmptyQuery),
        1 => alternatives.pop().expect("one").1,
        _ => Box::new(BooleanQuery::new(alternatives)),
    }
}

/// A Tantivy error met while compiling a query.
fn query_error(source: tantivy::TantivyError) -> IndexError {
    IndexError::Tantivy {
        path: "query".into(),
        source,
    }
}

/// Text analyzed for one field.
enum Analyzed {
    /// The analyzer kept no word (stop words only, punctuation).
    NoTerms,
    /// A word no segment holds in this field: the field cannot match.
    NoMatch,
    /// The query for the field.
    Query(Box<dyn Query>),
}

/// Weight of a title match relative to a body match.
pub const TITLE_BOOST: f32 = 3.0;

/// What a query is compiled against.
pub struct Compiler<'a> {
    /// The index (for its analyzers).
    pub index: &'a Index,
    /// Field handles.
    pub fields: &'a Fields,
    /// Field languages searched (all by default; `--lang` restricts).
    pub langs: Vec<&'static str>,
    /// Canonicalizes a symbol typed by a user (`a/res/74/247` → `A/RES/74/247`).
    pub symbol_norm: &'a dyn Fn(&str) -> String,
    /// Document frequencies (a field whose word no segment holds gets no clause) and the
    /// BM25 statistics the search then uses.
    pub stats: QueryStats,
}

impl Compiler<'_> {
    /// Compiles a tree into a query.
    pub fn compile(&self, node: &Node) -> Result<Box<dyn Query>, IndexError> {
        Ok(match node {
            Node::All => Box::new(AllQuery),
            Node::Text { .. } | Node::Or(_) => any_of(self.alternatives(node)?),
            Node::Field { name, value } => {
                Box::new(ConstScoreQuery::new(self.field(name, value)?, 0.0))
            }
            Node::And(parts) => self.all_of(parts, Vec::new())?,
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.compile(inner)?),
            ])),
        })
    }

    /// The matches of `node` that every filter selects (filters are queries that score
    /// nothing: request filters, a date range).
    pub fn filtered(
        &self,
        node: &Node,
        filters: Vec<Box<dyn Query>>,
    ) -> Result<Box<dyn Query>, IndexError> {
        match node {
            Node::And(parts) => self.all_of(parts, filters),
            other => self.all_of(std::slice::from_ref(other), filters),
        }
    }

    /// All of `parts` and of `filters`. Field terms among the parts (`session:79`) are filters
    /// too. When one other part remains and its alternatives are not all single terms (a
    /// phrase in each language's fields), every alternative gets the filters of its own:
    /// Tantivy then intersects with the filter's short posting list leading, and positions
    /// are matched only in the documents the filters select. Filtering the union as a whole
    /// makes it fill its buffer 4,096 documents at a time, matching the phrase in every
    /// document of each block a filtered document falls in. Matches and scores are the same
    /// either way: filters score 0, and a sum of sums is a sum.
    fn all_of(
        &self,
        parts: &[Node],
        mut filters: Vec<Box<dyn Query>>,
    ) -> Result<Box<dyn Query>, IndexError> {
        let mut positive = Vec::new();
        let mut clauses: Clauses = Vec::new();
        for part in parts {
            match part {
                Node::Field { .. } => filters.push(self.compile(part)?),
                Node::Not(inner) => clauses.push((Occur::MustNot, self.compile(inner)?)),
                other => positive.push(other),
            }
        }
        if let [one] = positive[..]
            && !filters.is_empty()
        {
            let alternatives = self.alternatives(one)?;
            if alternatives.len() > 1 && alternatives.iter().any(|(_, q)| !single_term(q.as_ref()))
            {
                let branches = alternatives
                    .into_iter()
                    .map(|(_, alternative)| {
                        let mut all = vec![(Occur::Must, alternative)];
                        all.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
                        let branch: Box<dyn Query> = Box::new(BooleanQuery::new(all));
                        (Occur::Should, branch)
                    })
                    .collect();
                clauses.push((Occur::Must, any_of(branches)));
                filters.clear();
            } else {
                clauses.push((Occur::Must, any_of(alternatives)));
            }
        } else {
            for part in positive {
                clauses.push((Occur::Must, self.compile(part)?));
            }
        }
        clauses.extend(filters.into_iter().map(|f| (Occur::Must, f)));
        // only NOTs: they exclude from everything
        if parts.iter().all(|p| matches!(p, Node::Not(_))) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        if let [(Occur::Must, _)] = clauses[..] {
            return Ok(clauses.pop().expect("one clause").1);
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The alternatives a node stands for: a text's fields, or an OR's parts with their own
    /// alternatives spliced in (the same matches and scores, since a sum of sums is a sum, and
    /// a flat union of terms lets the top hits skip blocks: [`prunable`]); anything else is
    /// one alternative.
    fn alternatives(&self, node: &Node) -> Result<Clauses, IndexError> {
        match node {
            Node::Text {
                scope,
                text,
                phrase,
                prefix,
            } => self.text(*scope, text, *phrase, *prefix),
            Node::Or(parts) => {
                let mut clauses = Vec::new();
                for p in parts {
                    clauses.extend(self.alternatives(p)?);
                }
                Ok(clauses)
            }
            other => Ok(vec![(Occur::Should, self.compile(other)?)]),
        }
    }

    /// Text over title and/or body in every searched language: within one field the words
    /// must all match (a phrase keeps them adjacent); fields are alternatives.
    fn text(
        &self,
        scope: TextScope,
        text: &str,
        phrase: bool,
        prefix: bool,
    ) -> Result<Clauses, IndexError> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for lang in &self.langs {
            let targets: Vec<(Field, f32)> = match scope {
                TextScope::Any => vec![
                    (self.fields.title_of(lang), TITLE_BOOST),
                    (self.fields.body_of(lang), 1.0),
                ],
                TextScope::Title => vec![(self.fields.title_of(lang), 1.0)],
                TextScope::Body => vec![(self.fields.body_of(lang), 1.0)],
            };
            for (field, boost) in targets {
                let q = if prefix {
                    self.prefix_query(field, lang, text)?
                } else {
                    match self.analyzed(field, text, phrase)? {
                        Analyzed::Query(q) => Some(q),
                        Analyzed::NoTerms | Analyzed::NoMatch => None,
                    }
                };
                if let Some(q) = q {
                    let q: Box<dyn Query> = if boost == 1.0 {
                        q
                    } else {
                        Box::new(BoostQuery::new(q, boost))
                    };
                    alternatives.push((Occur::Should, q));
                }
            }
        }
        if !prefix && self.langs.contains(&"zh") && analysis::has_han(text) {
            alternatives.extend(self.han_chars(scope, text)?);
        }
        Ok(alternatives)
    }

    /// Chinese by characters: each whitespace-separated chunk a phrase of its characters, so
    /// a query finds every text containing it even where jieba segmented the text
    /// differently (weighted below the word match, which ranks first where it exists).
    fn han_chars(&self, scope: TextScope, text: &str) -> Result<Clauses, IndexError> {
        let fields = match scope {
            TextScope::Any => vec![
                (self.fields.title_zh_chars, TITLE_BOOST * 0.5),
                (self.fields.body_zh_chars, 0.5),
            ],
            TextScope::Title => vec![(self.fields.title_zh_chars, 0.5)],
            TextScope::Body => vec![(self.fields.body_zh_chars, 0.5)],
        };
        let mut out = Vec::new();
        'fields: for (field, boost) in fields {
            let mut chunks = Vec::new();
            for chunk in text.split_whitespace() {
                match self.analyzed(field, chunk, true)? {
                    Analyzed::Query(q) => chunks.push((Occur::Must, q)),
                    Analyzed::NoTerms => {}
                    // every chunk must match: one that cannot rules the field out
                    Analyzed::NoMatch => continue 'fields,
                }
            }
            if chunks.is_empty() {
                continue;
            }
            let q: Box<dyn Query> = Box::new(BooleanQuery::new(chunks));
            out.push((
                Occur::Should,
                Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>,
            ));
        }
        Ok(out)
    }

    /// Analyzes `text` with the field's analyzer; one term is a term query, several are a
    /// phrase (quoted, or a single word the analyzer split, like `self-determination`) or
    /// an AND of terms. A term no segment holds makes all of these unmatchable
    /// ([`Analyzed::NoMatch`]), which spares building weights and scorers for the field.
    fn analyzed(&self, field: Field, text: &str, phrase: bool) -> Result<Analyzed, IndexError> {
        let mut analyzer = self.index.tokenizer_for_field(field).map_err(query_error)?;
        let mut stream = analyzer.token_stream(text);
        let mut terms: Vec<(usize, Term)> = Vec::new();
        while let Some(token) = stream.next() {
            terms.push((token.position, Term::from_field_text(field, &token.text)));
        }
        if terms.is_empty() {
            return Ok(Analyzed::NoTerms);
        }
        for (_, term) in &terms {
            if self.stats.doc_freq(term).map_err(query_error)? == 0 {
                return Ok(Analyzed::NoMatch);
            }
        }
        if terms.len() == 1 {
            let (_, term) = terms.pop().expect("one term");
            return Ok(Analyzed::Query(Box::new(TermQuery::new(
                term,
                IndexRecordOption::WithFreqs,
            ))));
        }
        let single_word = !text.trim().contains(char::is_whitespace);
        if phrase || single_word {
            let first = terms[0].0;
            let terms = terms
                .into_iter()
                .map(|(p, t)| (p.saturating_sub(first), t))
                .collect();
            return Ok(Analyzed::Query(Box::new(PhraseQuery::new_with_offset(
                terms,
            ))));
        }
        let clauses = terms
            .into_iter()
            .map(|(_, t)| {
                (
                    Occur::Must,
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        Ok(Analyzed::Query(Box::new(BooleanQuery::new(clauses))))
    }

    /// `terror*`: every term of the field starting with the folded prefix, as a range of
    /// the term dictionary (no automaton to build per field, unlike a regex).
    fn prefix_query(
        &self,
        field: Field,
        lang: &str,
        text: &str,
    ) -> Result<Option<Box<dyn Query>>, IndexError> {
        let folded = fold_prefix(lang, text);
        if folded.is_empty() {
            return Ok(None);
        }
        let lower = Term::from_field_text(field, &folded);
        let upper = Term::from_field_text(field, &format!("{folded}\u{10FFFF}"));
        Ok(Some(Box::new(InvertedIndexRangeQuery::new(
            Bound::Included(lower),
            Bound::Included(upper),
        ))))
    }

    /// An exact-match field.
    pub fn field(&self, name: &str, value: &str) -> Result<Box<dyn Query>, IndexError> {
        let f = self.fields;
        let bad = |reason: String| IndexError::Query {
            query: format!("{name}:{value}"),
            reason,
        };
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        Ok(match name {
            "symbol" => {
                let s = (self.symbol_norm)(value);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, term(f.symbol, &s)),
                    (Occur::Should, term(f.family, &s)),
                ]))
            }
            "family" => term(f.family, &(self.symbol_norm)(value)),
            // a State that sponsored at any stage: printed on the draft or joined later
            "sponsor" | "cosponsor" => term(f.cosponsor, &sponsor_key(value)),
            "original_sponsor" => term(f.sponsor, &sponsor_key(value)),
            "additional_sponsor" => Box::new(BooleanQuery::new(vec![
                (Occur::Must, term(f.cosponsor, &sponsor_key(value))),
                (Occur::MustNot, term(f.sponsor, &sponsor_key(value))),
            ])),
            "session" => term(f.session, &normalize_session(value)),
            "committee" => {
                let c = Committee::from_ordinal(value).ok_or_else(|| {
                    bad(format!(
                        "unknown committee; use one of: {}",
                        Committee::names()
                    ))
                })?;
                term(f.committee, c.as_str())
            }
            "type" => {
                let t = parse_doc_type(value).ok_or_else(|| {
                    bad(format!(
                        "unknown document type; use one of: {}",
                        DocType::names()
                    ))
                })?;
                term(f.doc_type, t.as_str())
            }
            "agenda" => term(f.agenda, &normalize_agenda(value)),
            "lang" => term(f.lang, &value.trim().to_lowercase()),
            "year" => term(f.year, value.trim()),
            "cites" => term(
                f.cites,
                &value
                    .trim()
                    .to_uppercase()
                    .replace("(", " (")
                    .replace("  ", " "),
            ),
            "has_text" => term(f.has_text, &value.trim().to_lowercase()),
            "vote" => {
                // `Russian Federation=no`; a State alone matches any recorded vote of it
                let (state, choice) = match value.rsplit_once('=') {
                    Some((s, c)) => (s, Some(c)),
                    None => (value, None),
                };
                let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).trim().to_string();
                let state = unquote(state);
                if state.is_empty() {
                    return Err(bad(
                        "a State is needed: vote:\"Russian Federation\"=no".into()
                    ));
                }
                match choice {
                    Some(c) => {
                        let c = VoteChoice::parse(&unquote(c)).ok_or_else(|| {
                            bad("unknown vote; use one of: yes, no, abstain, non_voting".into())
                        })?;
                        term(f.vote, &vote_term(&state, c))
                    }
                    None => Box::new(BooleanQuery::new(
                        VoteChoice::ALL
                            .iter()
                            .map(|c| (Occur::Should, term(f.vote, &vote_term(&state, *c))))
                            .collect(),
                    )),
                }
            }
            other => return Err(bad(format!("unknown field {other}"))),
        })
    }

    /// `date` between two days, inclusive.
    pub fn date_range(
        &self,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Box<dyn Query> {
        let bound = |d: chrono::NaiveDate| {
            let ts = d
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .timestamp();
            Term::from_field_date(self.fields.date, DateTime::from_timestamp_secs(ts))
        };
        let lower = from
            .map(|d| Bound::Included(bound(d)))
            .unwrap_or(Bound::Unbounded);
        let upper = to
            .map(|d| Bound::Included(bound(d)))
            .unwrap_or(Bound::Unbounded);
        Box::new(ConstScoreQuery::new(
            Box::new(RangeQuery::new(lower, upper)),
            0.0,
        ))
    }
}

/// `es-11` → `ES-11`, ` 74 ` → `74`.
pub fn normalize_session(s: &str) -> String {
    s.trim().to_uppercase().replace(' ', "")
}

/// `71(b)`, `71b`, `71 (B)` → `71 (b)`; `74/107` stays scoped.
pub fn normalize_agenda(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let (scope, item) = match s.rsplit_once('/') {
        Some((scope, item)) => (Some(normalize_session(scope)), item.trim().to_string()),
        None => (None, s),
    };
    let digits: String = item.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest: String = item[digits.len()..]
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    let item = if rest.is_empty() || digits.is_empty() {
        item
    } else {
        format!("{digits} ({rest})")
    };
    match scope {
        Some(scope) => format!("{scope}/{item}"),
        None => item,
    }
}

/// Document type by name, with the short forms users type (`draft`, `res`, `pv`).
pub fn parse_doc_type(s: &str) -> Option<DocType> {
    let s = s.trim().to_lowercase();
    DocType::parse(&s).or(match s.as_str() {
        "draft" | "drafts" | "l" => Some(DocType::DraftResolution),
        "revised" | "rev" | "revised draft" => Some(DocType::RevisedDraftResolution),
        "res" | "resolutions" => Some(DocType::Resolution),
        "pv" | "sr" | "record" | "meeting" => Some(DocType::MeetingRecord),
        "reports" => Some(DocType::Report),
        "letters" => Some(DocType::Letter),
        "notes" => Some(DocType::Note),
        "decisions" => Some(DocType::Decision),
        "speeches" | "statement" => Some(DocType::Speech),
        _ => None,
    })
}

fn fold_prefix(lang: &str, text: &str) -> String {
    // The same folding the analyzer does before stemming; stems of a prefix are not
    // meaningful, so the prefix is matched against indexed (stemmed) terms as typed.
    let lower = text.to_lowercase();
    let mut out = String::new();
    match lang {
        "ar" => analysis::normalize_arabic(&lower, &mut out),
        "ru" => analysis::fold_russian(&lower, &mut out),
        _ => {
            let terms = analysis::terms("other", &lower);
            out = terms.join("");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_and_session_forms() {
        assert_eq!(normalize_agenda("71(b)"), "71 (b)");
        assert_eq!(normalize_agenda("71b"), "71 (b)");
        assert_eq!(normalize_agenda("107"), "107");
        assert_eq!(normalize_agenda("74/107"), "74/107");
        assert_eq!(normalize_agenda("es-11/5"), "ES-11/5");
        assert_eq!(normalize_session(" es-11"), "ES-11");
        assert_eq!(parse_doc_type("draft"), Some(DocType::DraftResolution));
    }
}

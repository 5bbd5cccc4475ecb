//! How people name things at the UN: acronyms (`UNRWA`, `CTBT`, `SIDS`) and short country
//! names (`Syria`, `North Korea`, `Turkey`) in a query also match the official spelling the
//! texts print, as a phrase; and an official spelling typed in full also matches its acronym.
//!
//! The acronym table is `reference/acronyms.tsv` (versioned, shipped in the binary); country
//! names come from the [`gazetteer`](crate::gazetteer). Expansion rewrites the parsed
//! [`Node`] tree before it is compiled, so `--explain` shows exactly what is searched.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use crate::gazetteer;
use crate::query::{Node, TextScope};

/// The table as shipped.
pub const ACRONYMS_TSV: &str = include_str!("../../reference/acronyms.tsv");

/// One acronym with its official expansions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The acronym as printed (`UNRWA`, `LDCs`, `UN-Women`).
    pub key: String,
    /// Official expansions, as printed in GA texts.
    pub expansions: Vec<String>,
    /// agency, body, treaty, mission, group, topic, …
    pub kind: String,
    /// Matches only in its own case (`WHO`, `NAM`, and every 2-letter key).
    pub exact: bool,
}

/// The parsed table with its lookups.
pub struct Table {
    /// The version line of the file.
    pub version: String,
    /// Entries in file order.
    pub entries: Vec<Entry>,
    exact: HashMap<String, usize>,
    folded: HashMap<String, usize>,
    reverse: HashMap<String, usize>,
    max_words: usize,
}

/// One expansion made for a query, as `search --json` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expansion {
    /// What the user typed.
    pub term: String,
    /// What it was also searched as.
    #[serde(rename = "as")]
    pub as_: Vec<String>,
}

/// The shipped table, parsed once.
pub static TABLE: LazyLock<Table> = LazyLock::new(|| Table::parse(ACRONYMS_TSV));

/// Folds case, typographic apostrophes, hyphens and runs of spaces: the key a phrase is
/// looked up by.
pub fn fold(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' => '\'',
            '-' | '\u{2010}'..='\u{2015}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    mapped
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Table {
    /// Parses the TSV (`#` lines are comments; the first holds the version).
    pub fn parse(text: &str) -> Table {
        let mut t = Table {
            version: String::new(),
            entries: Vec::new(),
            exact: HashMap::new(),
            folded: HashMap::new(),
            reverse: HashMap::new(),
            max_words: 1,
        };
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix('#') {
                if t.version.is_empty() {
                    t.version = comment.trim().to_string();
                }
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 || cols[0].trim().is_empty() {
                continue;
            }
            let key = cols[0].trim().to_string();
            let expansions: Vec<String> = cols[1]
                .split(" | ")
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect();
            let kind = cols.get(2).map(|s| s.trim()).unwrap_or("").to_string();
            let exact = key.chars().count() < 3 || cols.get(3).is_some_and(|c| c.trim() == "exact");
            let i = t.entries.len();
            if exact {
                t.exact.entry(key.clone()).or_insert(i);
            } else {
                t.folded.entry(fold(&key)).or_insert(i);
            }
            // reverse: an expansion typed in full also finds the acronym, unless the
            // acronym is an ordinary word in lower case (exact keys) or too short
            if !exact {
                for e in &expansions {
                    let f = fold(e);
                    t.max_words = t.max_words.max(f.split(' ').count());
                    t.reverse.entry(f).or_insert(i);
                }
            }
            t.entries.push(Entry {
                key,
                expansions,
                kind,
                exact,
            });
        }
        t
    }

    /// The entry an acronym typed by a user names (case rules of [`Entry::exact`]).
    pub fn lookup(&self, typed: &str) -> Option<&Entry> {
        let typed = typed.trim();
        self.exact
            .get(typed)
            .or_else(|| self.folded.get(&fold(typed)))
            .map(|i| &self.entries[*i])
    }

    /// The entry whose expansion is `typed` (folded), if any.
    pub fn reverse(&self, typed: &str) -> Option<&Entry> {
        self.reverse.get(&fold(typed)).map(|i| &self.entries[*i])
    }
}

/// What `text` also means: the acronym's expansions, a country's official name, or (for
/// an expansion typed in full) the acronym. Empty when nothing applies.
pub fn meanings(text: &str) -> Vec<String> {
    let t = &*TABLE;
    if let Some(e) = t.lookup(text) {
        return e.expansions.clone();
    }
    if let Some(name) = gazetteer::canonical(text)
        && gazetteer::normalize_name(name) != gazetteer::normalize_name(text)
    {
        return vec![name.to_string()];
    }
    if let Some(e) = t.reverse(text) {
        return vec![e.key.clone()];
    }
    Vec::new()
}

/// Rewrites a parsed query: every acronym, short name or official spelling (one word, a
/// quoted phrase, or a run of adjacent words) becomes an OR of what was typed and its
/// meanings, each as a phrase. `out` collects what was expanded.
pub fn expand(node: &Node, out: &mut Vec<Expansion>) -> Node {
    match node {
        Node::Text {
            scope,
            text,
            phrase,
            prefix: false,
        } => expand_text(*scope, text, *phrase, out).unwrap_or_else(|| node.clone()),
        Node::And(parts) => Node::And(expand_run(parts, out)),
        Node::Or(parts) => Node::Or(parts.iter().map(|p| expand(p, out)).collect()),
        // what is excluded is excluded as typed
        other => other.clone(),
    }
}

fn expand_text(
    scope: TextScope,
    text: &str,
    phrase: bool,
    out: &mut Vec<Expansion>,
) -> Option<Node> {
    let also = meanings(text);
    if also.is_empty() {
        return None;
    }
    let mut alts = vec![Node::Text {
        scope,
        text: text.to_string(),
        phrase,
        prefix: false,
    }];
    for a in &also {
        alts.push(Node::Text {
            scope,
            text: a.clone(),
            phrase: true,
            prefix: false,
        });
    }
    if !out.iter().any(|e| e.term == text) {
        out.push(Expansion {
            term: text.to_string(),
            as_: also,
        });
    }
    Some(Node::Or(alts))
}

/// A plain single word (not quoted, not a prefix).
fn word(n: &Node) -> Option<(TextScope, &str)> {
    match n {
        Node::Text {
            scope,
            text,
            phrase: false,
            prefix: false,
        } if !text.trim().contains(char::is_whitespace) => Some((*scope, text.as_str())),
        _ => None,
    }
}

/// Within an AND, runs of plain words are read longest-first: `North Korea human rights`
/// expands `North Korea` as one name.
fn expand_run(parts: &[Node], out: &mut Vec<Expansion>) -> Vec<Node> {
    let max = TABLE.max_words.max(6);
    let mut result = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let Some((scope, _)) = word(&parts[i]) else {
            result.push(expand(&parts[i], out));
            i += 1;
            continue;
        };
        let mut run_end = i;
        while run_end < parts.len()
            && run_end - i < max
            && word(&parts[run_end]).is_some_and(|(s, _)| s == scope)
        {
            run_end += 1;
        }
        let mut matched = None;
        for end in (i + 2..=run_end).rev() {
            let joined = parts[i..end]
                .iter()
                .filter_map(|p| word(p).map(|(_, t)| t))
                .collect::<Vec<_>>()
                .join(" ");
            // what was typed stays an AND of its words; the meanings are phrases
            if let Some(node) = expand_text(scope, &joined, false, out) {
                matched = Some((node, end));
                break;
            }
        }
        match matched {
            Some((node, end)) => {
                result.push(node);
                i = end;
            }
            None => {
                result.push(expand(&parts[i], out));
                i += 1;
            }
        }
    }
    result
}

/// The tree in the query syntax, for `--explain`.
pub fn render(node: &Node) -> String {
    match node {
        Node::All => "*".into(),
        Node::Text {
            scope,
            text,
            phrase,
            prefix,
        } => {
            let field = match scope {
                TextScope::Any => "",
                TextScope::Title => "title:",
                TextScope::Body => "body:",
            };
            if *phrase {
                format!("{field}\"{text}\"")
            } else if *prefix {
                format!("{field}{text}*")
            } else {
                format!("{field}{text}")
            }
        }
        Node::Field { name, value } => format!("{name}:\"{value}\""),
        Node::And(parts) => format!(
            "({})",
            parts.iter().map(render).collect::<Vec<_>>().join(" AND ")
        ),
        Node::Or(parts) => format!(
            "({})",
            parts.iter().map(render).collect::<Vec<_>>().join(" OR ")
        ),
        Node::Not(inner) => format!("NOT {}", render(inner)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    #[test]
    fn table_parses_with_version_and_case_rules() {
        let t = &*TABLE;
        assert!(t.version.contains("version"), "{}", t.version);
        assert!(t.entries.len() >= 250, "{}", t.entries.len());
        assert_eq!(
            t.lookup("unrwa").unwrap().expansions[0],
            "United Nations Relief and Works Agency for Palestine Refugees in the Near East"
        );
        assert!(t.lookup("who").is_none());
        assert!(t.lookup("WHO").is_some());
        assert!(t.lookup("eu").is_none());
        assert_eq!(t.lookup("EU").unwrap().expansions, ["European Union"]);
        assert_eq!(t.lookup("un women").unwrap().key, "UN-Women");
        assert_eq!(
            t.reverse("international atomic energy agency").unwrap().key,
            "IAEA"
        );
    }

    #[test]
    fn queries_expand_acronyms_countries_and_runs() {
        let mut out = Vec::new();
        let n = expand(&parse("DPRK human rights").node, &mut out);
        assert!(render(&n).contains("\"Democratic People's Republic of Korea\""));
        let mut out = Vec::new();
        let n = expand(&parse("North Korea human rights").node, &mut out);
        assert_eq!(out[0].term, "North Korea");
        assert!(render(&n).starts_with("((North Korea OR \"Democratic People's"));
        let mut out = Vec::new();
        expand(&parse("Syria").node, &mut out);
        assert_eq!(out[0].as_, ["Syrian Arab Republic"]);
        let mut out = Vec::new();
        expand(
            &parse("\"International Atomic Energy Agency\"").node,
            &mut out,
        );
        assert_eq!(out[0].as_, ["IAEA"]);
        let mut out = Vec::new();
        expand(&parse("climate change Japan -UNRWA").node, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}

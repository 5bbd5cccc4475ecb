//! Complete sponsor lists: every State that sponsored a resolution at any stage, merged from
//! every record that names it (the draft's printed sponsor line, its `Add.` documents, the
//! resolution's own record — AKN workflow, MARC 710/515, imported data — and revisions),
//! each State with where it came from.

use serde::Serialize;

use gadocs_index::Record;

use crate::update::merge::is_metadata_only;

/// When a State became a sponsor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Printed on the draft (or listed as a sponsor by the resolution's record).
    Original,
    /// Joined after the draft was issued.
    Additional,
}

/// One sponsoring State and the sources that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sponsor {
    /// Canonical name from the gazetteer.
    pub state: String,
    /// `original` when any source prints it as a sponsor, else `additional`.
    pub stage: Stage,
    /// Where it came from: `A/C.3/74/L.11 (printed sponsor line)`,
    /// `A/RES/74/247 (AKN workflow: additional sponsors)` …
    pub sources: Vec<String>,
}

/// What kind of source a record was read from.
fn origin(r: &Record) -> &'static str {
    let source = r.source.to_lowercase();
    if is_metadata_only(r) {
        "MARC catalogue record"
    } else if source.ends_with(".xml") {
        "AKN workflow"
    } else if source.ends_with(".pdf") {
        "PDF"
    } else if source.contains(".jsonl") || source.ends_with(".json") {
        "imported record"
    } else {
        "document text"
    }
}

/// Where a record's sponsor lists come from, per stage.
fn labels(r: &Record) -> (String, String) {
    let kind = origin(r);
    if kind == "AKN workflow" || kind == "MARC catalogue record" || kind == "imported record" {
        (
            format!("{} ({kind}: sponsors)", r.symbol),
            format!("{} ({kind}: additional sponsors)", r.symbol),
        )
    } else {
        (
            format!("{} (printed sponsor line)", r.symbol),
            format!("{} (additional sponsors listed)", r.symbol),
        )
    }
}

/// Merges the sponsor lists of `records` (the resolution and every draft family member, in
/// any order) into one list: original sponsors first, in the order first printed, then
/// additional sponsors in the order first listed.
pub fn merge<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Sponsor> {
    let mut out: Vec<Sponsor> = Vec::new();
    let mut add =
        |state: &str, stage: Stage, source: &str| match out.iter_mut().find(|s| s.state == state) {
            Some(s) => {
                s.stage = s.stage.min(stage);
                if !s.sources.iter().any(|x| x == source) {
                    s.sources.push(source.to_string());
                }
            }
            None => out.push(Sponsor {
                state: state.to_string(),
                stage,
                sources: vec![source.to_string()],
            }),
        };
    for r in records {
        let (printed, joined) = labels(r);
        for s in &r.sponsors {
            add(s, Stage::Original, &printed);
        }
        for s in &r.additional_sponsors {
            add(s, Stage::Additional, &joined);
        }
    }
    // stable: the order of first mention within each stage
    out.sort_by_key(|s| s.stage);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(symbol: &str, source: &str, sponsors: &[&str], additional: &[&str]) -> Record {
        Record {
            symbol: symbol.into(),
            source: source.into(),
            has_text: true,
            sponsors: sponsors.iter().map(|s| s.to_string()).collect(),
            additional_sponsors: additional.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn every_source_is_kept_and_original_wins() {
        let draft = record("A/C.3/74/L.11", "drafts/L11.txt", &["China", "Cuba"], &[]);
        let add = record("A/C.3/74/L.11/Add.1", "L11Add1.pdf", &[], &["Nicaragua"]);
        let res = record(
            "A/RES/74/247",
            "English.zip!/A_RES_74_247.xml",
            &["China", "Cuba"],
            &["Nicaragua", "Cuba"],
        );
        let merged = merge([&res, &draft, &add]);
        let names: Vec<(&str, Stage)> =
            merged.iter().map(|s| (s.state.as_str(), s.stage)).collect();
        assert_eq!(
            names,
            [
                ("China", Stage::Original),
                ("Cuba", Stage::Original),
                ("Nicaragua", Stage::Additional)
            ]
        );
        assert_eq!(
            merged[2].sources,
            [
                "A/RES/74/247 (AKN workflow: additional sponsors)",
                "A/C.3/74/L.11/Add.1 (additional sponsors listed)"
            ]
        );
        assert!(
            merged[1]
                .sources
                .contains(&"A/C.3/74/L.11 (printed sponsor line)".to_string())
        );
    }
}

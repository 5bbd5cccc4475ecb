//! The normalized record: one per (symbol, language). Everything the index stores and every
//! field of `export` / `show --json` comes from here, so its serde names are a public contract.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One General Assembly document in one language, as normalized from XML, PDF, HTML, text
/// or imported JSON lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// Canonical symbol (`A/C.3/74/L.11`, `A/RES/74/247`), or a stable id for documents
    /// without one (`speech/74/USA`).
    pub symbol: String,
    /// Symbol family key: the symbol without `/Rev.n`, `/Add.n`, `/Corr.n`, `/Amend.n`.
    pub family: String,
    /// Other spellings of this document's symbol (a file name's `A/RES/74/250` for the
    /// XML's `A/RES/74/250 A-B`); symbol lookups find the record by them too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// ISO 639-1 code of this text's language (`en`, `fr`, `es`, `ru`, `ar`, `zh`, …).
    pub lang: String,
    /// What kind of document this is.
    pub doc_type: DocType,
    /// `74`, `S-32`, `ES-11`; `None` when unknown.
    pub session: Option<String>,
    /// Main Committee or plenary.
    pub committee: Option<Committee>,
    /// Agenda items as printed: `107`, `71 (b)`.
    pub agenda_items: Vec<String>,
    /// Agenda item → its title in that session's agenda, where the source prints it
    /// (`107` → "Countering the use of information and communications technologies for
    /// criminal purposes"): AKN `agenda item name`, the masthead, MARC 991.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub agenda_titles: BTreeMap<String, String>,
    /// Title of the document (not the masthead's "Resolution adopted by …" line).
    pub title: String,
    /// Issue date printed on the document.
    pub date: Option<NaiveDate>,
    /// Adoption date, where printed (resolutions).
    pub adoption_date: Option<NaiveDate>,
    /// Distribution: General, Limited or Restricted.
    pub distribution: Option<Distribution>,
    /// Language the document was written in (`English`).
    pub original_language: Option<String>,
    /// Sponsoring States, canonical names from the gazetteer, in printed order.
    pub sponsors: Vec<String>,
    /// States that joined as sponsors after issuance.
    pub additional_sponsors: Vec<String>,
    /// Vote on adoption, where the source gives it.
    pub votes: Option<Votes>,
    /// Roll call of a recorded vote: canonical State name → its vote. `non_voting` is set
    /// only when the listed names are complete (every list as long as its count, every name
    /// a Member State, none twice): the Member States absent from all three lists.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vote_by_state: BTreeMap<String, VoteChoice>,
    /// The source's per-State lists disagree with its own counts (a list longer or shorter
    /// than its count, or a State listed twice); both are kept as the source gives them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vote_mismatch: bool,
    /// On a resolution: the plenary meeting record of its adoption (`A/74/PV.52`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_record: Option<String>,
    /// GA resolutions cited in the text (`65/230`, `1514 (XV)`, `ES-10/23`).
    pub cites: Vec<String>,
    /// Other documents cited by symbol (`A/74/130`, `E/2013/30/Corr.1`).
    pub cited_documents: Vec<String>,
    /// On a draft: the resolution it became.
    pub adopted_as: Option<String>,
    /// On a resolution: the drafts it came from.
    pub draft_symbols: Vec<String>,
    /// On a resolution: the committee report that recommended it.
    pub committee_report: Option<String>,
    /// On a resolution: the paragraph of that report that recommends it (`13`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_paragraph: Option<String>,
    /// Whether `text` holds the document's text (false for metadata-only records).
    pub has_text: bool,
    /// Clean body text, without page furniture and footnote markers.
    pub text: String,
    /// Where the record came from (file path, `zip!/member`, URL).
    pub source: String,
}

/// Vote on adoption.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    /// True when adopted without a vote (then the counts are zero).
    pub without_vote: bool,
    /// Votes in favour.
    pub yes: u32,
    /// Votes against.
    pub no: u32,
    /// Abstentions.
    pub abstain: u32,
}

impl std::fmt::Display for Votes {
    /// `adopted without a vote`, or `79 in favour, 60 against, 33 abstentions`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.without_vote {
            f.write_str("adopted without a vote")
        } else {
            write!(
                f,
                "{} in favour, {} against, {} abstentions",
                self.yes, self.no, self.abstain
            )
        }
    }
}

/// One State's vote in a roll call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteChoice {
    /// In favour.
    Yes,
    /// Against.
    No,
    /// Abstained.
    Abstain,
    /// A Member State in none of the three lists (absent, or did not vote).
    NonVoting,
}

impl VoteChoice {
    /// Every value, in roll-call order.
    pub const ALL: &'static [VoteChoice] = &[
        VoteChoice::Yes,
        VoteChoice::No,
        VoteChoice::Abstain,
        VoteChoice::NonVoting,
    ];

    /// The stable name used in JSON, in `vote` index terms and in the query syntax.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteChoice::Yes => "yes",
            VoteChoice::No => "no",
            VoteChoice::Abstain => "abstain",
            VoteChoice::NonVoting => "non_voting",
        }
    }

    /// Reads the names users and sources write: `yes`/`y`/`in favour`/`for`, `no`/`n`/
    /// `against`, `abstain`/`a`/`abstention`/`abstaining`, `non_voting`/`nv`/`absent`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase().replace(['_', '-'], " ");
        Some(match s.as_str() {
            "yes" | "y" | "in favour" | "in favor" | "infavour" | "favour" | "for" => Self::Yes,
            "no" | "n" | "against" => Self::No,
            "abstain" | "a" | "abstention" | "abstentions" | "abstaining" => Self::Abstain,
            "non voting" | "nonvoting" | "nv" | "absent" | "not voting" | "did not vote" => {
                Self::NonVoting
            }
            _ => return None,
        })
    }

    /// Whether the State took part (yes, no or abstain).
    pub fn took_part(self) -> bool {
        self != VoteChoice::NonVoting
    }
}

impl std::fmt::Display for VoteChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable lower-case name used in JSON, facets and the query syntax.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the stable name (case-insensitive; `_` and `-` count as spaces).
            pub fn parse(s: &str) -> Option<Self> {
                let wanted = s.trim().to_lowercase().replace(['_', '-'], " ");
                $name::ALL.iter().copied().find(|v| v.as_str() == wanted)
            }
            /// The valid names, for error messages.
            pub fn names() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Document type.
    #[derive(Default)]
    DocType {
        /// Adopted resolution (`A/RES/…`).
        Resolution => "resolution",
        /// Draft resolution (`…/L.n`).
        DraftResolution => "draft resolution",
        /// Revised draft (`…/L.n/Rev.n`).
        RevisedDraftResolution => "revised draft resolution",
        /// Decision.
        Decision => "decision",
        /// Report (of a committee, of the Secretary-General …).
        Report => "report",
        /// Letter.
        Letter => "letter",
        /// Note (by the Secretary-General, the Secretariat …).
        Note => "note",
        /// Verbatim or summary record of a meeting.
        MeetingRecord => "meeting record",
        /// A General Debate statement.
        Speech => "speech",
        /// Anything else.
        #[default]
        Other => "other",
    }
}

string_enum! {
    /// Main Committee, or the plenary for texts without reference to a Main Committee.
    Committee {
        /// Plenary.
        Plenary => "plenary",
        /// First Committee (Disarmament and International Security).
        First => "first",
        /// Second Committee (Economic and Financial).
        Second => "second",
        /// Third Committee (Social, Humanitarian and Cultural).
        Third => "third",
        /// Fourth Committee (Special Political and Decolonization).
        Fourth => "fourth",
        /// Fifth Committee (Administrative and Budgetary).
        Fifth => "fifth",
        /// Sixth Committee (Legal).
        Sixth => "sixth",
    }
}

string_enum! {
    /// Distribution printed in the masthead.
    Distribution {
        /// `Distr.: General`.
        General => "general",
        /// `Distr.: Limited` (drafts).
        Limited => "limited",
        /// `Distr.: Restricted`.
        Restricted => "restricted",
    }
}

impl Committee {
    /// Committee from its ordinal word or number (`Third`, `3`, `third committee`).
    pub fn from_ordinal(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        let s = s.trim_end_matches(" committee");
        match s {
            "1" => Some(Self::First),
            "2" => Some(Self::Second),
            "3" => Some(Self::Third),
            "4" => Some(Self::Fourth),
            "5" => Some(Self::Fifth),
            "6" => Some(Self::Sixth),
            _ => Self::parse(s),
        }
    }
}

impl Record {
    /// The upsert key: one record per (symbol, language).
    pub fn key(&self) -> String {
        format!("{}|{}", self.symbol, self.lang)
    }

    /// Adoption date when known, else the issue date: what "year" and date filters use.
    pub fn effective_date(&self) -> Option<NaiveDate> {
        self.adoption_date.or(self.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_names() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(
            DocType::parse("draft_resolution"),
            Some(DocType::DraftResolution)
        );
        assert_eq!(
            Committee::from_ordinal("Third Committee"),
            Some(Committee::Third)
        );
        assert_eq!(Committee::from_ordinal("6"), Some(Committee::Sixth));
    }

    #[test]
    fn record_json_uses_contract_names() {
        let r = Record {
            symbol: "A/RES/74/247".into(),
            doc_type: DocType::DraftResolution,
            committee: Some(Committee::Third),
            ..Default::default()
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["doc_type"], "draft resolution");
        assert_eq!(v["committee"], "third");
        let back: Record = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn vote_fields_are_optional_in_json() {
        let plain = serde_json::to_value(Record::default()).unwrap();
        assert!(plain.get("vote_by_state").is_none());
        assert!(plain.get("vote_mismatch").is_none());
        let mut r = Record::default();
        r.vote_by_state
            .insert("Russian Federation".into(), VoteChoice::Yes);
        r.vote_by_state.insert("Chad".into(), VoteChoice::NonVoting);
        r.vote_mismatch = true;
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["vote_by_state"]["Chad"], "non_voting");
        assert_eq!(v["vote_mismatch"], true);
        let back: Record = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
        for c in VoteChoice::ALL {
            assert_eq!(VoteChoice::parse(c.as_str()), Some(*c));
        }
        assert_eq!(VoteChoice::parse("Against"), Some(VoteChoice::No));
    }
}

/// The document a cited resolution or part belongs to, for the citation graph: `217 A (III)`
/// → `217 (III)`, `76/84 A` → `76/84`, `76/84 A-B` → `76/84`, `53/77 AA` → `53/77`, `65/230`
/// unchanged. Edges join documents; texts and links name parts.
pub fn cited_document(reference: &str) -> String {
    let is_part = |w: &str| {
        !w.is_empty()
            && w.split('-')
                .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_uppercase()))
    };
    reference
        .split_whitespace()
        .filter(|w| !is_part(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Separates the agenda slot from its title in the `agenda_title` column (`74/107\u{1f}Title`).
pub const AGENDA_TITLE_SEPARATOR: char = '\u{1f}';

#[cfg(test)]
mod cited_tests {
    use super::cited_document;

    #[test]
    fn parts_are_dropped_numbers_kept() {
        assert_eq!(cited_document("217 A (III)"), "217 (III)");
        assert_eq!(cited_document("76/84 A-B"), "76/84");
        assert_eq!(cited_document("53/77 AA"), "53/77");
        assert_eq!(cited_document("ES-10/23"), "ES-10/23");
        assert_eq!(cited_document("1514 (XV)"), "1514 (XV)");
    }
}

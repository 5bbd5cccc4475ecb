//! The normalized record: one per (symbol, language). Everything the index stores and every
//! field of `export` / `show --json` comes from here, so its serde names are a public contract.

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
}

//! UN document symbols (GA-CONVENTIONS §1): parsing, canonical form, families, and symbols in
//! file names and running text.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use gadocs_index::{Committee, DocType};
use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// A parsed, canonical document symbol (`A/C.3/74/L.11/Rev.1`, `A/RES/75/251 B`,
/// `A/RES/1514 (XV)`, `S/RES/1723 (2006)`, `E/2013/30/Corr.1`).
///
/// `Display` prints the canonical form and `s.parse::<Symbol>()?.to_string()` equals the
/// canonical form of `s`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol {
    /// `A`, `S`, `E`, `ST`, `T`.
    organ: String,
    /// Components after the organ, modifiers included (`C.3`, `74`, `L.11`, `Rev.1`).
    comps: Vec<String>,
    /// Trailing `*`: reissued for technical reasons.
    reissued: bool,
    /// Resolution part letters (`B`, `A-C`).
    part: Option<String>,
    /// Parenthesised suffix (`XV`, `S-VI`, `2006`, `Resumption 1`).
    paren: Option<String>,
}

/// Why a string is not a document symbol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    /// Empty after normalization.
    #[error("{0:?}: empty symbol")]
    Empty(String),
    /// The first component is not a known organ.
    #[error("{0:?}: unknown organ (expected A, S, E, ST or T)")]
    Organ(String),
    /// A component does not fit the symbol grammar.
    #[error("{input:?}: invalid component {component:?}")]
    Component {
        /// The whole input.
        input: String,
        /// The offending component.
        component: String,
    },
    /// Part letters or a parenthesised suffix where they cannot go.
    #[error("{0:?}: invalid suffix")]
    Suffix(String),
}

const MODIFIERS: &[&str] = &["Rev.", "Add.", "Corr.", "Amend."];
/// Letter components that stand alone (`RES`, `INF` …).
const BARE_TYPES: &[&str] = &[
    "RES", "INF", "BUR", "HRC", "PRST", "SGB", "AI", "IC", "NGO", "PET", "DEC", "OP", "SR", "PV",
];
/// Letter components followed by `.n` (`C.3`, `L.11`, `PV.14` …).
const NUMBERED_TYPES: &[&str] = &[
    "C", "AC", "CONF", "WG", "CN", "L", "PV", "SR", "CRP", "WP", "SUB", "INF", "RES",
];

static COMPONENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+|(?:S|ES)-\d+|([A-Z]+)(?:\.(\d+))?)$").expect("literal regex")
});
static MODIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(rev|add|corr|amend)\.(\d+)$").expect("literal regex"));
static PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:S-|ES-)?[IVXLC]+|\d{4}|resumption \d+)$").expect("literal regex")
});
/// Part letters at the end: `251 B`, `80 A-B`, `2200A`, `254AC`.
static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*/\d+) ?([A-Z])(?: ?- ?([A-Z])|([A-Z]))?$").expect("literal regex")
});

/// Unicode clean-up of §1.7: NFC, odd spaces to spaces (or nothing), dashes to `-`.
fn clean_chars(s: &str) -> String {
    s.nfc()
        .filter_map(|c| match c {
            '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2060}' | '\u{feff}' => None,
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' => Some(' '),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
            c => Some(c),
        })
        .collect()
}

/// Collapses whitespace and removes spaces next to `/` and `.`.
fn squeeze(s: &str) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let chars: Vec<char> = collapsed.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = chars.get(i.wrapping_sub(1)).copied().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if matches!(prev, '/' | '.') || matches!(next, '/' | '.') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn roman_value(r: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in r.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    Some(total)
}

fn is_session(c: &str) -> bool {
    let digits = c
        .strip_prefix("ES-")
        .or_else(|| c.strip_prefix("S-"))
        .unwrap_or(c);
    !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

impl FromStr for Symbol {
    type Err = SymbolError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let mut rest = squeeze(&clean_chars(input)).trim().to_string();
        if rest.is_empty() {
            return Err(SymbolError::Empty(input.to_string()));
        }
        let mut paren = None;
        if rest.ends_with(')') {
            let open = rest.rfind('(').ok_or(SymbolError::Suffix(input.into()))?;
            let inner = rest[open + 1..rest.len() - 1].trim();
            if !PAREN.is_match(inner) {
                return Err(SymbolError::Suffix(input.into()));
            }
            paren = Some(if inner.to_ascii_lowercase().starts_with("resumption") {
                format!("Resumption {}", inner[10..].trim())
            } else {
                inner.to_ascii_uppercase()
            });
            rest = rest[..open].trim_end().to_string();
        }
        let mut reissued = false;
        if let Some(r) = rest.strip_suffix('*') {
            reissued = true;
            rest = r.trim_end().to_string();
        }
        let mut part = None;
        if let Some(c) = PART.captures(&rest.to_ascii_uppercase())
            && rest.to_ascii_uppercase().contains("RES/")
        {
            let first = &c[2];
            part = Some(match c.get(3).or(c.get(4)) {
                Some(last) => format!("{first}-{}", last.as_str()),
                None => first.to_string(),
            });
            rest = rest[..c[1].len()].to_string();
        }
        let mut pieces = rest.split('/');
        let organ = pieces.next().unwrap_or_default().to_ascii_uppercase();
        if !matches!(organ.as_str(), "A" | "S" | "E" | "ST" | "T") {
            return Err(SymbolError::Organ(input.into()));
        }
        let bad = |component: &str| SymbolError::Component {
            input: input.to_string(),
            component: component.to_string(),
        };
        let mut comps: Vec<String> = Vec::new();
        let mut in_modifiers = false;
        for piece in pieces {
            if let Some(m) = MODIFIER.captures(piece) {
                let kind = MODIFIERS
                    .iter()
                    .find(|k| k[..k.len() - 1].eq_ignore_ascii_case(&m[1]))
                    .expect("regex alternatives are the modifiers");
                if comps.is_empty() {
                    return Err(bad(piece));
                }
                comps.push(format!("{kind}{}", &m[2]));
                in_modifiers = true;
                continue;
            }
            if piece.eq_ignore_ascii_case("summary") {
                comps.push("Summary".into());
                in_modifiers = true;
                continue;
            }
            let upper = piece.to_ascii_uppercase();
            if in_modifiers {
                return Err(bad(piece));
            }
            let Some(c) = COMPONENT.captures(&upper) else {
                return Err(bad(piece));
            };
            if let Some(letters) = c.get(1) {
                let allowed = if c.get(2).is_some() {
                    NUMBERED_TYPES
                } else {
                    BARE_TYPES
                };
                if !allowed.contains(&letters.as_str()) {
                    return Err(bad(piece));
                }
            }
            if comps.is_empty()
                && organ == "A"
                && upper.len() > 4
                && upper.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(bad(piece));
            }
            comps.push(upper);
        }
        if comps.is_empty() {
            return Err(SymbolError::Empty(input.into()));
        }
        let sym = Symbol {
            organ,
            comps,
            reissued,
            part,
            paren,
        };
        if sym.part.is_some() && !sym.is_resolution() {
            return Err(SymbolError::Suffix(input.into()));
        }
        Ok(sym)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.organ)?;
        for c in &self.comps {
            write!(f, "/{c}")?;
        }
        if self.reissued {
            f.write_str("*")?;
        }
        if let Some(p) = &self.part {
            write!(f, " {p}")?;
        }
        if let Some(p) = &self.paren {
            write!(f, " ({p})")?;
        }
        Ok(())
    }
}

fn is_modifier(c: &str) -> bool {
    c == "Summary" || MODIFIERS.iter().any(|m| c.starts_with(m))
}

impl Symbol {
    /// Whether this is a resolution symbol of any body (`…/RES/…`).
    fn is_resolution(&self) -> bool {
        self.comps.iter().any(|c| c == "RES")
    }

    /// The lookup key: canonical form without the space before a parenthesis
    /// (`A/RES/1514(XV)`, `S/RES/1723(2006)`), as undocs.org links write it.
    pub fn key(&self) -> String {
        self.to_string().replace(" (", "(")
    }

    /// The family key (§1.6): the symbol without trailing `/Rev.n`, `/Add.n`, `/Corr.n`,
    /// `/Amend.n`, `/Summary` and `*`. Components are compared whole, so `A/C.3/74/L.110`
    /// is not in the family of `A/C.3/74/L.11`.
    pub fn family(&self) -> String {
        let mut base = self.clone();
        base.reissued = false;
        while base.comps.len() > 1 && base.comps.last().is_some_and(|c| is_modifier(c)) {
            base.comps.pop();
        }
        base.to_string()
    }

    /// The session: `74`, `ES-11`, `S-32`; for old-style resolutions the roman numeral in
    /// arabic (`1514 (XV)` → `15`, `3201 (S-VI)` → `S-6`). `None` for other bodies' symbols
    /// and symbols without a session.
    pub fn session(&self) -> Option<String> {
        if !self.is_ga() {
            return None;
        }
        let c = &self.comps;
        let first = c.first()?.as_str();
        if first == "RES" && c.len() == 2 {
            let paren = self.paren.as_deref()?;
            let (prefix, roman) = match paren.split_once('-') {
                Some((p, r)) => (format!("{p}-"), r),
                None => (String::new(), paren),
            };
            return roman_value(roman).map(|n| format!("{prefix}{n}"));
        }
        let candidate = if matches!(first, "RES" | "INF" | "BUR") || first.starts_with("C.") {
            c.get(1)?
        } else {
            c.first()?
        };
        let next = c
            .iter()
            .position(|x| x == candidate)
            .and_then(|i| c.get(i + 1));
        (is_session(candidate) && next.is_some_and(|n| !is_modifier(n))).then(|| candidate.clone())
    }

    /// Main Committee from `A/C.n/…`; plenary for `A/<session>/L.n` and `A/<session>/PV.n`;
    /// `None` otherwise (resolutions included: the symbol does not say).
    pub fn committee(&self) -> Option<Committee> {
        if self.organ != "A" {
            return None;
        }
        let first = self.comps.first()?;
        if let Some(n) = first.strip_prefix("C.") {
            return Committee::from_ordinal(n);
        }
        let second = self.comps.get(1)?;
        (is_session(first) && (second.starts_with("L.") || second.starts_with("PV.")))
            .then_some(Committee::Plenary)
    }

    /// The document type the symbol implies: `RES` → resolution, `L.n` → draft resolution
    /// (`L.n/Rev.n` → revised draft), `PV.n` / `SR.n` → meeting record.
    pub fn doc_type_hint(&self) -> Option<DocType> {
        if self.is_resolution() {
            return Some(DocType::Resolution);
        }
        let l = self.comps.iter().position(|c| c.starts_with("L."));
        if let Some(i) = l {
            let revised = self.comps[i + 1..].iter().any(|c| c.starts_with("Rev."));
            return Some(if revised {
                DocType::RevisedDraftResolution
            } else {
                DocType::DraftResolution
            });
        }
        if self
            .comps
            .iter()
            .any(|c| c.starts_with("PV.") || c.starts_with("SR."))
        {
            return Some(DocType::MeetingRecord);
        }
        None
    }

    /// Whether this is a General Assembly symbol (`A/…`, except the Human Rights Council's
    /// own `A/HRC/…` series). Conference and ad hoc committee series (`A/CONF.…`, `A/AC.…`)
    /// count as GA documents.
    pub fn is_ga(&self) -> bool {
        self.organ == "A" && self.comps.first().is_some_and(|c| c != "HRC")
    }

    /// For a GA resolution, its number as texts cite it: `74/247`, `75/251 B`,
    /// `1514 (XV)`, `ES-11/4`.
    pub fn resolution_ref(&self) -> Option<String> {
        if !self.is_ga() || self.comps.first().map(String::as_str) != Some("RES") {
            return None;
        }
        let mut r = self.comps[1..].join("/");
        if let Some(p) = &self.part {
            r = format!("{r} {p}");
        }
        if let Some(p) = &self.paren {
            r = format!("{r} ({p})");
        }
        Some(r)
    }
}

static FILE_LANG_2: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)-(AR|ZH|EN|FR|RU|ES|DE)$").expect("literal regex"));
static FILE_LANG_JOB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[-_ ]?\d{7}([ACEFRSGacefrsg])$").expect("literal regex"));
static FILE_LANG_1: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[-_]([ACEFRSGacefrsg])$").expect("literal regex"));
static FILE_PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"_([A-Z](?:-[A-Z])?)$").expect("literal regex"));
static FILE_REISSUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[-_]re?iss?ue$").expect("literal regex"));

fn lang_from_letter(l: &str) -> Option<&'static str> {
    Some(match l.to_ascii_uppercase().as_str() {
        "A" | "AR" => "ar",
        "C" | "ZH" => "zh",
        "E" | "EN" => "en",
        "F" | "FR" => "fr",
        "R" | "RU" => "ru",
        "S" | "ES" => "es",
        "G" | "DE" => "de",
        _ => return None,
    })
}

/// The symbol and ISO 639-1 language encoded in a file name (§1.8): ODS/UNDL names
/// (`A_RES_73_3-EN.pdf`, `A_80_98-scan-EN.pdf`), UNxml names with job number and language
/// letter (`A_RES_78_10-2323443E.xml`), session-74/75 zip names (`74_247.xml`,
/// `75_245B_E.xml`), part letters (`A_RES_78_80AB-…` → `A/RES/78/80 A-B`) and reissue
/// suffixes. Directories are ignored; the language is `None` when the name has none.
pub fn symbol_from_file_name(name: &str) -> Option<(Symbol, Option<&'static str>)> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut stem = match base.rsplit_once('.') {
        Some((s, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphabetic()) => s,
        _ => base,
    }
    .trim()
    .to_string();
    if let Some(m) = FILE_REISSUE.find(&stem) {
        stem.truncate(m.start());
    }
    let mut lang = None;
    if let Some(c) = FILE_LANG_2.captures(&stem) {
        lang = lang_from_letter(&c[1]);
        stem.truncate(c.get(0).expect("group 0").start());
        if let Some(s) = stem.strip_suffix("-scan") {
            stem = s.to_string();
        }
    } else if let Some(c) = FILE_LANG_JOB
        .captures(&stem)
        .or_else(|| FILE_LANG_1.captures(&stem))
    {
        lang = lang_from_letter(&c[1]);
        stem.truncate(c.get(0).expect("group 0").start());
    }
    if let Some(c) = FILE_PART.captures(&stem) {
        stem = format!("{} {}", &stem[..c.get(0).expect("group 0").start()], &c[1]);
    }
    let mut text = stem.replace('_', "/");
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        text = format!("A/RES/{text}");
    }
    let symbol = text.parse::<Symbol>().ok()?;
    Some((symbol, lang))
}

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:A|S|E|ST)\s?/\s?",
        r"(?:[A-Za-z]{1,5}(?:\.\s?\d+)?|(?:E?S-)?\d+)",
        r"(?:\s?/\s?(?:[A-Za-z]{1,6}\.\s?\d+|[A-Za-z]{1,6}|(?:E?S-)?\d+))*",
        r"\*?",
        r"(?:\s(?:[A-Z](?:-[A-Z])?)\b)?",
        r"(?:\s?\((?:[IVXLC]+|E?S-[IVXLC]+|\d{4}|Resumption \d+)\))?"
    ))
    .expect("literal regex")
});

/// Every document symbol written in `text`, in order of appearance (duplicates kept).
/// Candidates that fail the grammar (`A/74/A/74/379`) are skipped; a trailing part letter
/// is kept only on resolution symbols.
pub fn find_symbols(text: &str) -> Vec<Symbol> {
    let mut out = Vec::new();
    for m in CANDIDATE.find_iter(text) {
        let s = m.as_str();
        if let Ok(sym) = s.parse::<Symbol>() {
            out.push(sym);
        } else if let Some((head, _)) = s.rsplit_once(' ')
            && let Ok(sym) = head.parse::<Symbol>()
        {
            out.push(sym);
        }
    }
    out
}

#[cfg(test)]
mod tests;

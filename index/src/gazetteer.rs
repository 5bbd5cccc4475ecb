//! Gazetteer of Member States, observer States and the European Union
//! (`reference/member-states.json`): maps every alias, former name and data spelling to the
//! official short name printed in GA documents, and finds the longest name at the start of a
//! sponsor list.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const JSON: &str = include_str!("../../reference/member-states.json");

/// Common forms users type that the JSON does not list (GA-CONVENTIONS §7 and ISO-style
/// inverted names). Inverted names contain a comma, so the sponsor scanner never uses them.
const EXTRA_ALIASES: &[(&str, &str)] = &[
    ("Russia Federation", "Russian Federation"),
    (
        "Korea, Democratic People's Republic of",
        "Democratic People's Republic of Korea",
    ),
    ("Korea, Republic of", "Republic of Korea"),
    ("Iran, Islamic Republic of", "Iran (Islamic Republic of)"),
    (
        "Venezuela, Bolivarian Republic of",
        "Venezuela (Bolivarian Republic of)",
    ),
    (
        "Bolivia, Plurinational State of",
        "Bolivia (Plurinational State of)",
    ),
    (
        "Micronesia, Federated States of",
        "Micronesia (Federated States of)",
    ),
    (
        "Tanzania, United Republic of",
        "United Republic of Tanzania",
    ),
    ("Moldova, Republic of", "Republic of Moldova"),
    (
        "Congo, Democratic Republic of the",
        "Democratic Republic of the Congo",
    ),
    ("Syria Arab Republic", "Syrian Arab Republic"),
    (
        "Netherlands, Kingdom of the",
        "Netherlands (Kingdom of the)",
    ),
    ("The Netherlands", "Netherlands (Kingdom of the)"),
    ("Republic of Turkey", "Türkiye"),
    ("Lao", "Lao People's Democratic Republic"),
    ("Congo-Kinshasa", "Democratic Republic of the Congo"),
    ("Congo-Brazzaville", "Congo"),
    ("Vatican", "Holy See"),
    ("Palestine", "State of Palestine"),
    ("Viet-Nam", "Viet Nam"),
    ("Vietnam", "Viet Nam"),
    ("Holland", "Netherlands (Kingdom of the)"),
    ("Ivory Coast", "Côte d'Ivoire"),
];

#[derive(Deserialize)]
struct File {
    entries: Vec<JsonEntry>,
}

#[derive(Deserialize)]
struct JsonEntry {
    name: String,
    iso3: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    case_sensitive_aliases: Vec<String>,
    #[serde(default)]
    former_names: Vec<FormerName>,
    #[serde(default)]
    data_extract_spellings: Vec<String>,
    #[serde(default)]
    data_extract_garbled: Vec<String>,
}

#[derive(Deserialize)]
struct FormerName {
    name: String,
}

struct Gazetteer {
    names: Vec<String>,
    iso3: Vec<Option<String>>,
    /// normalize_name(alias) → entry index (case-insensitive aliases).
    folded: HashMap<String, usize>,
    /// Aliases without a comma, for the prefix scanner: same keys as `folded` minus inverted
    /// forms.
    scan_folded: HashMap<String, usize>,
    /// Case-sensitive aliases (acronyms), whitespace-normalized but not case-folded.
    exact: Vec<(String, usize)>,
    /// Longest alias in bytes, to bound the prefix scan.
    max_alias_bytes: usize,
}

static GAZ: LazyLock<Gazetteer> = LazyLock::new(build);

fn build() -> Gazetteer {
    let file: File = serde_json::from_str(JSON).expect("member-states.json is embedded and valid");
    let mut g = Gazetteer {
        names: Vec::new(),
        iso3: Vec::new(),
        folded: HashMap::new(),
        scan_folded: HashMap::new(),
        exact: Vec::new(),
        max_alias_bytes: 0,
    };
    for (i, e) in file.entries.iter().enumerate() {
        g.names.push(e.name.clone());
        g.iso3.push(e.iso3.clone());
        let mut all: Vec<&str> = vec![e.name.as_str()];
        all.extend(e.aliases.iter().map(String::as_str));
        all.extend(e.former_names.iter().map(|f| f.name.as_str()));
        all.extend(e.data_extract_spellings.iter().map(String::as_str));
        all.extend(e.data_extract_garbled.iter().map(String::as_str));
        for alias in all {
            if e.case_sensitive_aliases.iter().any(|c| c == alias) {
                g.exact.push((alias.trim().to_string(), i));
            } else {
                g.add(alias, i);
            }
        }
    }
    for (alias, target) in EXTRA_ALIASES {
        let i = g
            .names
            .iter()
            .position(|n| n == target)
            .expect("EXTRA_ALIASES targets are official names");
        g.add(alias, i);
    }
    g
}

impl Gazetteer {
    fn add(&mut self, alias: &str, i: usize) {
        let key = normalize_name(alias);
        if key.is_empty() {
            return;
        }
        self.max_alias_bytes = self.max_alias_bytes.max(alias.len());
        if !alias.contains(',') {
            self.scan_folded.entry(key.clone()).or_insert(i);
        }
        self.folded.entry(key).or_insert(i);
    }
}

/// Normalizes a name for matching: NFC, no-break spaces to spaces, curly apostrophes to `'`,
/// dashes to `-`, diacritics stripped, case-folded, whitespace collapsed, trailing commas and
/// a leading "the " dropped. `TÜRKİYE`, `Türkiye`, `TURKIYE` and `TÜRKÝYE`'s neighbours all
/// fold the same way (`turkiye`).
pub fn normalize_name(s: &str) -> String {
    if s.is_ascii() {
        // fast path (the sponsor scanner calls this for every prefix): NFC/NFD and marks
        // are no-ops on ASCII
        let mut out = String::with_capacity(s.len());
        for word in s.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            for b in word.bytes() {
                out.push(if b == b'`' {
                    '\''
                } else {
                    b.to_ascii_lowercase() as char
                });
            }
        }
        let trimmed = out.trim_end_matches([',', ' ']);
        let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
        return trimmed.to_string();
    }
    let mapped: String = s
        .nfc()
        .map(|c| match c {
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' => ' ',
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' => '\'',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let mut folded = String::with_capacity(mapped.len());
    for c in mapped.nfd().filter(|c| !is_combining_mark(*c)) {
        for l in c.to_lowercase().filter(|c| !is_combining_mark(*c)) {
            folded.push(l);
        }
    }
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let trimmed = out.trim_end_matches([',', ' ']);
    let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
    trimmed.to_string()
}

/// Collapses whitespace and folds apostrophes, keeping case (for acronyms).
fn normalize_exact(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2019}', '\u{2018}'], "'")
}

/// The official short name for any alias, former name, data spelling or common short form
/// (`Russia`, `USSR`, `US`, `UK`, `Turkey`, `Ivory Coast`, `Holland` …). Acronyms listed as
/// case-sensitive (`US`, `DPRK`, `EU`) match only in their own case. `None` when unknown, and
/// for ambiguous forms such as bare "Korea".
pub fn canonical(name: &str) -> Option<&'static str> {
    let g = &*GAZ;
    let exact = normalize_exact(name);
    if let Some((_, i)) = g.exact.iter().find(|(a, _)| *a == exact) {
        return Some(g.names[*i].as_str());
    }
    g.folded
        .get(&normalize_name(name))
        .map(|i| g.names[*i].as_str())
}

/// ISO 3166-1 alpha-3 code of a State (any name [`canonical`] accepts); `None` for the
/// European Union and unknown names.
pub fn iso3(canonical_name: &str) -> Option<&'static str> {
    let g = &*GAZ;
    let name = canonical(canonical_name)?;
    let i = g.names.iter().position(|n| n == name)?;
    g.iso3[i].as_deref()
}

/// Every official short name in the gazetteer (193 Member States, 2 observer States and the
/// European Union), in the file's order.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    GAZ.names.iter().map(String::as_str)
}

/// Whether `s[end..]` starts at a word boundary (end of text or a non-alphanumeric char).
fn boundary_after(s: &str, end: usize) -> bool {
    s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// The longest gazetteer name or alias that is a prefix of `s` and ends at a word boundary:
/// returns the official name and the number of bytes of `s` it covers. `Guinea-Bissau` wins
/// over `Guinea`, `Nigeria` is never read as `Niger`, and names containing "and" or ending in
/// a parenthesis (`Bolivia (Plurinational State of)`) are taken whole. Inverted forms with
/// commas are not used, so `Congo, Democratic Republic of the Congo` yields `Congo`.
pub fn longest_match(s: &str) -> Option<(&'static str, usize)> {
    let g = &*GAZ;
    // Spellings in the data may carry doubled spaces: allow twice the longest alias.
    let limit = g.max_alias_bytes * 2 + 8;
    let mut best: Option<(usize, usize)> = None;
    for (pos, c) in s.char_indices() {
        let end = pos + c.len_utf8();
        if end > limit {
            break;
        }
        if !(c.is_alphanumeric() || c == ')' || c == '.') || !boundary_after(s, end) {
            continue;
        }
        let prefix = &s[..end];
        if let Some(i) = g.scan_folded.get(&normalize_name(prefix)) {
            best = Some((*i, end));
            continue;
        }
        if let Some((_, i)) = g.exact.iter().find(|(a, _)| a == prefix) {
            best = Some((*i, end));
        }
    }
    best.map(|(i, end)| (g.names[i].as_str(), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_folds_case_diacritics_and_apostrophes() {
        for s in [
            "TÜRKİYE",
            "Türkiye",
            "TURKIYE",
            "TÜRKIYE",
            "Türki\u{307}ye",
            "Tu\u{308}rkiye",
        ] {
            assert_eq!(normalize_name(s), "turkiye", "{s}");
        }
        assert_eq!(normalize_name("  CÔTE D\u{2019}IVOIRE ,"), "cote d'ivoire");
        assert_eq!(normalize_name("the Niger"), "niger");
        assert_eq!(normalize_name("Saint\u{a0}Lucia"), "saint lucia");
    }

    #[test]
    fn canonical_resolves_aliases() {
        let cases = [
            ("Russia", "Russian Federation"),
            ("USSR", "Russian Federation"),
            ("Soviet Union", "Russian Federation"),
            ("US", "United States of America"),
            ("U.S.", "United States of America"),
            ("USA", "United States of America"),
            ("United States", "United States of America"),
            ("UNITED STATES", "United States of America"),
            ("UK", "United Kingdom of Great Britain and Northern Ireland"),
            (
                "Britain",
                "United Kingdom of Great Britain and Northern Ireland",
            ),
            ("Turkey", "Türkiye"),
            ("TÜRKÝYE", "Türkiye"),
            ("Syria", "Syrian Arab Republic"),
            ("Iran", "Iran (Islamic Republic of)"),
            ("North Korea", "Democratic People's Republic of Korea"),
            ("DPRK", "Democratic People's Republic of Korea"),
            (
                "Democratic People\u{2019}s Republic of Korea",
                "Democratic People's Republic of Korea",
            ),
            ("South Korea", "Republic of Korea"),
            ("Ivory Coast", "Côte d'Ivoire"),
            ("COTE D'IVOIRE", "Côte d'Ivoire"),
            ("Vietnam", "Viet Nam"),
            ("Holland", "Netherlands (Kingdom of the)"),
            ("Czech Republic", "Czechia"),
            ("Swaziland", "Eswatini"),
            ("FYROM", "North Macedonia"),
            ("Cape Verde", "Cabo Verde"),
            ("Zaire", "Democratic Republic of the Congo"),
            ("Congo-Brazzaville", "Congo"),
            ("The Gambia", "Gambia"),
            ("Palestine", "State of Palestine"),
            ("Vatican", "Holy See"),
            ("Laos", "Lao People's Democratic Republic"),
            ("Tanzania", "United Republic of Tanzania"),
            ("Korea, Republic of", "Republic of Korea"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical(input), Some(want), "{input}");
        }
        assert_eq!(canonical("us"), None, "acronyms are case-sensitive");
        assert_eq!(canonical("Korea"), None, "bare Korea is ambiguous");
        assert_eq!(canonical("Atlantis"), None);
    }

    #[test]
    fn iso3_and_all_names() {
        assert_eq!(iso3("Türkiye"), Some("TUR"));
        assert_eq!(iso3("Turkey"), Some("TUR"));
        assert_eq!(iso3("European Union"), None);
        assert_eq!(all_names().count(), 196);
        for name in all_names() {
            assert_eq!(
                canonical(name),
                Some(name),
                "official name resolves to itself"
            );
        }
    }

    #[test]
    fn every_alias_resolves_to_its_own_entry() {
        let file: File = serde_json::from_str(JSON).unwrap();
        for e in &file.entries {
            for a in e.aliases.iter().chain(&e.data_extract_spellings) {
                assert_eq!(canonical(a), Some(e.name.as_str()), "{a}");
            }
        }
    }

    #[test]
    fn longest_match_handles_prefix_collisions() {
        let cases = [
            ("Guinea-Bissau, Mali", "Guinea-Bissau", 13),
            ("Guinea and Mali", "Guinea", 6),
            ("Nigeria and Niger", "Nigeria", 7),
            ("Niger and Nigeria", "Niger", 5),
            ("Dominican Republic, Dominica", "Dominican Republic", 18),
            ("Dominica and Peru", "Dominica", 8),
            ("South Sudan, Sudan", "South Sudan", 11),
            ("Sudan, South Sudan", "Sudan", 5),
            (
                "Democratic Republic of the Congo and Congo",
                "Democratic Republic of the Congo",
                32,
            ),
            ("Congo, Democratic Republic of the Congo", "Congo", 5),
            ("Equatorial Guinea, Guinea", "Equatorial Guinea", 17),
            ("Papua New Guinea", "Papua New Guinea", 16),
            ("Antigua and Barbuda, Peru", "Antigua and Barbuda", 19),
            (
                "Bosnia and Herzegovina and Peru",
                "Bosnia and Herzegovina",
                22,
            ),
            ("Trinidad and Tobago", "Trinidad and Tobago", 19),
            (
                "Bolivia (Plurinational State of), Chile",
                "Bolivia (Plurinational State of)",
                32,
            ),
            ("Mali (on behalf of the Group of African States)", "Mali", 4),
            (
                "United Kingdom of Great Britain and Northern Ireland and Uruguay",
                "United Kingdom of Great Britain and Northern Ireland",
                52,
            ),
            ("US and Canada", "United States of America", 2),
            ("TÜRKİYE, UKRAINE", "Türkiye", "TÜRKİYE".len()),
        ];
        for (input, name, len) in cases {
            assert_eq!(longest_match(input), Some((name, len)), "{input}");
        }
        assert_eq!(longest_match("Nigerian delegation"), None);
        assert_eq!(longest_match("us and them"), None);
        assert_eq!(longest_match("American Samoa"), None);
    }
}

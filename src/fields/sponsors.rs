//! Sponsor lines (GA-CONVENTIONS §6): "Belarus, Cambodia, … and Venezuela (Bolivarian Republic
//! of): draft resolution" → canonical State names, groups and leftovers.

use std::sync::LazyLock;

use gadocs_index::gazetteer;
use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// A split sponsor line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SponsorLine {
    /// Sponsoring States (Member and observer States), canonical gazetteer names,
    /// deduplicated, in printed order.
    pub sponsors: Vec<String>,
    /// Groups named in "(on behalf of …)" or "(in its capacity as …)" qualifiers, as printed
    /// after "on behalf of the States Members … that are members of the" (`Group of 77 and
    /// China`).
    pub groups: Vec<String>,
    /// A non-State proposer phrase (§6.4: "submitted by the Chair of the Committee …");
    /// when set, `sponsors` is empty.
    pub non_state: Option<String>,
    /// Pieces that are not gazetteer names (typos, truncations): errors to log.
    pub unparsed: Vec<String>,
}

static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*:?\s*(?:revised\s+)?draft\s+(?:resolutions?|decisions?)\s*$")
        .expect("literal regex")
});
static NON_STATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:(?:was\s+)?submitted\s+by|introduced\s|on\s+the\s+basis\s+of|the\s+representative\s+of|",
        r"(?:the\s+)?(?:vice-)?chair\b|(?:the\s+)?president\b|(?:the\s+)?rapporteur\b|",
        r"(?:the\s+)?bureau\b|(?:the\s+)?(?:special\s+)?committee\b)"
    ))
    .expect("literal regex")
});
static GROUP_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:on|of)\s+behalf(?:\s+of)?\s+(?:the\s+)?",
        r"(?:States\s+Members\s+of\s+the\s+United\s+Nations\s+that\s+are\s+",
        r"(?:members\s+of\s+(?:the\s+)?)+)?"
    ))
    .expect("literal regex")
});

/// NFC, no-break spaces, curly apostrophes, markdown emphasis, collapsed whitespace.
fn clean(line: &str) -> String {
    let s: String = line
        .nfc()
        .map(|c| match c {
            '\u{a0}' | '\u{202f}' | '\u{2007}' => ' ',
            '\u{2019}' | '\u{2018}' => '\'',
            c => c,
        })
        .filter(|c| *c != '*')
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Length of a separator (`,`, ` and `, `, and `) at the start of `s`, if any.
fn separator_len(s: &str) -> Option<usize> {
    let t = s.trim_start();
    let ws = s.len() - t.len();
    if let Some(r) = t.strip_prefix(',') {
        let r2 = r.trim_start();
        let after_comma = 1 + (r.len() - r2.len());
        return Some(ws + after_comma + and_len(r2).unwrap_or(0));
    }
    if ws > 0 || s.is_empty() {
        return and_len(t).map(|n| ws + n);
    }
    None
}

/// Length of a leading "and " (word), if any.
fn and_len(s: &str) -> Option<usize> {
    let lower = s.get(..4)?.to_ascii_lowercase();
    (lower == "and ").then_some(4)
}

/// Byte index of the end of a balanced parenthesis starting at `s[0] == '('`.
fn balanced_end(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Length of an unrecognised piece: up to the next `,` or ` and ` outside parentheses.
fn leftover_len(s: &str) -> usize {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => return i,
            ' ' if depth <= 0 && i > 0 && and_len(&s[i + 1..]).is_some() => return i,
            _ => {}
        }
    }
    s.len()
}

fn group_name(inner: &str) -> String {
    let inner = inner.trim();
    let stripped = GROUP_PREFIX.replace(inner, "");
    stripped.trim().trim_end_matches(['.', ',']).to_string()
}

/// Splits a printed sponsor line per §6.2: drops a trailing ": (revised) draft
/// resolution/decision" and markdown `**`, recognises non-State proposers (§6.4), then scans
/// left to right taking the longest gazetteer name at each position, an optional
/// parenthesised qualifier (recorded in `groups`) and a separator. Never splits inside names
/// such as "Bosnia and Herzegovina" or inside nested parentheses.
pub fn split_sponsors(line: &str) -> SponsorLine {
    let mut out = SponsorLine::default();
    let cleaned = clean(line);
    let text = TRAILER.replace(&cleaned, "");
    let mut text = text.trim().trim_end_matches([':', ',', ';']).trim();
    // A full stop after a name ("… and Peru.") is a typo, not part of the name ("U.S.").
    if let Some(t) = text.strip_suffix('.')
        && t.ends_with(|c: char| c.is_lowercase() || c == ')')
    {
        text = t;
    }
    if text.is_empty() {
        return out;
    }
    if NON_STATE.is_match(text) {
        out.non_state = Some(text.to_string());
        return out;
    }
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        if let Some(n) = separator_len(rest).filter(|n| *n > 0) {
            pos += n;
            continue;
        }
        let rest = rest.trim_start();
        pos = text.len() - rest.len();
        if rest.is_empty() {
            break;
        }
        let Some((name, len)) = gazetteer::longest_match(rest) else {
            let n = leftover_len(rest).max(1);
            let piece = rest[..n].trim();
            if !piece.is_empty() {
                out.unparsed.push(piece.to_string());
            }
            pos += n;
            continue;
        };
        if !out.sponsors.iter().any(|s| s == name) {
            out.sponsors.push(name.to_string());
        }
        pos += len;
        let after = &text[pos..];
        let trimmed = after.trim_start();
        if trimmed.starts_with('(') {
            let start = pos + (after.len() - trimmed.len());
            match balanced_end(trimmed) {
                Some(end) => {
                    let group = group_name(&trimmed[1..end - 1]);
                    if !group.is_empty() && !out.groups.contains(&group) {
                        out.groups.push(group);
                    }
                    pos = start + end;
                }
                None => {
                    out.unparsed.push(trimmed.to_string());
                    break;
                }
            }
        }
        let after = &text[pos..];
        if !after.is_empty() && separator_len(after).is_none() {
            let n = leftover_len(after).max(1);
            let piece = after[..n].trim();
            if !piece.is_empty() {
                out.unparsed.push(piece.to_string());
            }
            pos += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_line_of_a_c3_74_l11() {
        let line = "**Belarus, Cambodia, China, Democratic People's Republic of Korea, Myanmar, \
                    Nicaragua, Russian Federation and Venezuela (Bolivarian Republic of):\n\
                    draft resolution**";
        let s = split_sponsors(line);
        assert_eq!(
            s.sponsors,
            [
                "Belarus",
                "Cambodia",
                "China",
                "Democratic People's Republic of Korea",
                "Myanmar",
                "Nicaragua",
                "Russian Federation",
                "Venezuela (Bolivarian Republic of)"
            ]
        );
        assert!(s.unparsed.is_empty() && s.groups.is_empty() && s.non_state.is_none());
    }

    #[test]
    fn long_line_of_74_247() {
        let line = "Algeria, Angola, Azerbaijan, Belarus, Bolivia (Plurinational State of), \
            Burundi, Cambodia, China, Cuba, Democratic People\u{2019}s Republic of Korea, Egypt, \
            Eritrea, Iran (Islamic Republic of), Kazakhstan, Lao People's Democratic Republic, \
            Libya, Madagascar, Myanmar, Nicaragua, Russian Federation, Sudan, Suriname, Syrian \
            Arab Republic, Tajikistan, Uzbekistan, Venezuela (Bolivarian Republic of) and \
            Zimbabwe: revised draft resolution";
        let s = split_sponsors(line);
        assert_eq!(s.sponsors.len(), 27, "{s:?}");
        assert_eq!(s.sponsors[4], "Bolivia (Plurinational State of)");
        assert_eq!(s.sponsors[26], "Zimbabwe");
        assert!(s.unparsed.is_empty());
    }

    #[test]
    fn groups_traps_and_non_state() {
        let s = split_sponsors(
            "Guinea-Bissau, Guinea, Niger, Nigeria, Dominica, Dominican Republic, South Sudan, \
             Sudan, Congo, Democratic Republic of the Congo, Antigua and Barbuda, Trinidad and \
             Tobago, Thailand (on behalf of the States Members of the United Nations that are \
             members of the Association of South-East Asian Nations and the States Parties to \
             the Treaty on the Southeast Asia Nuclear-Weapon-Free Zone (Bangkok Treaty)), Yemen \
             and State of Palestine",
        );
        assert_eq!(s.sponsors.len(), 15, "{s:?}");
        assert_eq!(s.sponsors[12], "Thailand");
        assert_eq!(s.sponsors[14], "State of Palestine");
        assert!(s.groups[0].starts_with("Association of South-East Asian Nations"));
        assert!(s.unparsed.is_empty(), "{s:?}");

        let s = split_sponsors(
            "Cuba (on behalf of the States Members of the United Nations that are members of \
             the Group of 77 and China)",
        );
        assert_eq!(
            (s.sponsors, s.groups),
            (
                vec!["Cuba".to_string()],
                vec!["Group of 77 and China".to_string()]
            )
        );

        let s = split_sponsors(
            "submitted by the Chair of the Committee (following informal consultations)",
        );
        assert!(s.sponsors.is_empty() && s.non_state.is_some());
        let s = split_sponsors(" the representative of Egypt, on behalf of the Bureau");
        assert!(s.sponsors.is_empty() && s.non_state.is_some());

        let s = split_sponsors(
            "ALBANIA, TÜRKİYE, UNITED KINGDOM, SLOVAKIA , Malta, Atlantis and Peru.",
        );
        assert_eq!(s.sponsors.len(), 6, "{s:?}");
        assert_eq!(s.unparsed, ["Atlantis"]);
    }

    /// The `by` attributes of AKN sponsor steps in the session-79 files split cleanly.
    #[test]
    fn corpus_akn_sponsor_lines_split() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/ga-resolutions/raw/xml/79session/English");
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: cannot read corpus folder: {e}", dir.display()));
        let by = Regex::new(
            r#"<step\b[^>]*outcome="draftResolution(?:AdditionalSponsors)?"[^>]*\bby="([^"]*)""#,
        )
        .unwrap();
        let by2 = Regex::new(
            r#"<step\b[^>]*\bby="([^"]*)"[^>]*outcome="draftResolution(?:AdditionalSponsors)?""#,
        )
        .unwrap();
        let (mut lines, mut failed) = (0, Vec::new());
        for entry in entries {
            let path = entry.unwrap().path();
            let xml = std::fs::read_to_string(&path).unwrap();
            for c in by.captures_iter(&xml).chain(by2.captures_iter(&xml)) {
                let line = c[1]
                    .replace("&amp;", "&")
                    .replace("&apos;", "'")
                    .replace("&quot;", "\"");
                if line.trim().is_empty() {
                    continue;
                }
                lines += 1;
                let s = split_sponsors(&line);
                if !s.unparsed.is_empty() || (s.sponsors.is_empty() && s.non_state.is_none()) {
                    failed.push(format!("{line} => {:?}", s.unparsed));
                }
            }
        }
        assert!(lines > 300, "only {lines} sponsor lines found");
        assert!(
            failed.len() * 100 <= lines,
            "{} of {lines} failed:\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
}

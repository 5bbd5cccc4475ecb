//! Citations inside texts (GA-CONVENTIONS §9): GA resolutions and decisions cited by number,
//! and documents cited by symbol.

use std::sync::LazyLock;

use regex::Regex;

use super::symbol::{Symbol, find_symbols};

/// "resolution(s)" or "decision(s)" followed by a list.
static KEYWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(resolution|decision)s?\s+").expect("literal regex"));
/// One list member (§9.1 grammar), anchored.
static MEMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:((?:ES|S)-\d{1,2}/\d{1,3})",
        r"|(\d{1,2}/\d{1,3})(?:\s([A-Z]{1,2})(?:\s(and|to)\s([A-Z]))?\b)?",
        r"|(\d{1,4})(?:\s?([A-Z])(?:\s(and|to)\s([A-Z]))?)?\s?\(((?:E?S-)?[IVXL]+)\))"
    ))
    .expect("literal regex")
});
/// The date after a list member: " of 21 December 2010".
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^,?\s+of\s+\d{1,2}\s+[A-Za-z]+\s+\d{4}").expect("literal regex"));
/// What may come between two members right after the date: `, ` / ` and ` / `, and `, or
/// in a list of places in texts, "52/214, sect. C, para. 3; 55/222, sect. III; and …".
static BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:,\s+(?:paras?\.|sects?\.|sections?|chaps?\.|annex(?:es)?)(?:\s+[\w.–-]+)?",
        r"(?:,?\s+of\s+\d{1,2}\s+[A-Za-z]+\s+\d{4})?)*",
        r"(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+)"
    ))
    .expect("literal regex")
});
/// A list separator anywhere.
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)").expect("literal regex"));
/// The start of a description of a cited text, between list members.
static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:,?\s+entitled\s+“[^”]{0,600}”",
        r"|,?\s+(?:on|concerning|relating\s+to|regarding)\s",
        r"|,\s+(?:in|by|through)\s+which\s",
        r"|,\s+(?:paras?|sects?|chaps?)\.\s+[\w.]+",
        r"|,\s+annex(?:es)?\b)"
    ))
    .expect("literal regex")
});
/// How far (in characters) a description may run before the next member.
const DESCRIPTION_REACH: usize = 600;
/// A `.` that does not end the clause ("para.", "sect.", "No.").
static ABBREVIATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:paras?|sects?|chaps?|No|Nos|Add|Corr|Rev|Vol|art|arts)|\d)$")
        .expect("literal regex")
});
/// What follows a member that continues a list: a date, a separator, a description or the
/// end of the clause.
static LIST_GOES_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,?\s+of\s+\d{1,2}\s|\s*[,;.:)]|\s+and\s|\s+(?:on|entitled)\s|\s*$)")
        .expect("literal regex")
});
/// "of the Conference …" / "adopted by the United Nations Environment Assembly" after a list.
static TRAILING_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^,?\s+(?:of|adopted\s+by|by)\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s+(?:of\s+(?:the\s+)?|on\s+|for\s+|and\s+)?){0,8}(?:Council|Commission|Conference|Committee|Board|Assembly|Organization|Forum|Parties|Meeting|Summit))\b")
        .expect("literal regex")
});
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\n]*)\]\([^)\n]*\)").expect("literal regex"));
/// "and Add.1–6", ", Corr.1" after a cited symbol.
static SHORT_MODS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*,\s*|\s+and\s+)(Add|Corr|Rev)\.\s?(\d+)(?:\s*-\s*(\d+))?")
        .expect("literal regex")
});

/// A body followed by "in its" just before the keyword: "established by the Human Rights
/// Council in its resolution 22/13".
static OTHER_BODY_ITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:[A-Z][\w’'-]*\s+)*(?:Council|Commission|Conference|Committee|Board|Assembly|Organization|Parties|Forum))(?:,?\s+at\s+its\s+[\w\s-]{1,40}?session,?)?\s+(?:in|by|through|under|with)\s+its$")
        .expect("literal regex")
});
/// A resolution cited by its place in another body's report: "Supplement No. 7 (E/2015/27),
/// chap. I, sect. C, resolution 59/1".
static IN_A_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b(?:chap|sect)\.\s+[\w.]+|Supplement\s+No\.\s+\w+(?:\s+\([^)]*\))?|\(\w+/[^)]*\)),$",
    )
    .expect("literal regex")
});
/// "resolutions of the Human Rights Council, the most recent of which was resolution 48/9".
static MOST_RECENT_OF_WHICH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"of\s+the\s+((?:[A-Z][\w’'-]*\s+)*(?:Council|Commission|Conference|Committee|Board|Assembly|Organization|Parties|Forum)),\s+the\s+(?:most\s+recent|latest|last)\s+(?:of\s+which|being)(?:\s+(?:was|were|is|are|being))?$")
        .expect("literal regex")
});

/// Words before "resolution" that do not name another body.
const NOT_A_BODY: &[&str] = &[
    "Its", "The", "In", "By", "See", "Also", "Under", "Pursuant", "And", "Of", "To", "A", "All",
    "Their", "These", "Those", "Such", "Said", "Relevant", "Previous", "Present",
];

/// Text clean-up for citation scanning: spaces, dashes, footnote superscripts, markdown
/// emphasis and link syntax (`[73/187](#)` → `73/187`).
fn prepare(text: &str) -> String {
    // the link regex only when a markdown link can be there (it was most of this function)
    let unlinked = if text.contains("](") {
        MD_LINK.replace_all(text, "$1")
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    clean_spacing(&unlinked)
}

/// What [`clean_spacing`] does with one char.
enum Spacing {
    Space,
    Dash,
    Drop,
    Keep,
}

fn spacing(c: char) -> Spacing {
    match c {
        ' ' | '\u{a0}' | '\u{202f}' | '\u{2007}' | '\n' | '\r' | '\t' => Spacing::Space,
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Spacing::Dash,
        '\u{b9}' | '\u{b2}' | '\u{b3}' | '\u{2070}'..='\u{2079}' | '*' => Spacing::Drop,
        _ => Spacing::Keep,
    }
}

/// Spaces of every kind become one space, dashes `-`, footnote superscripts and `*` go.
/// Runs of other chars are copied whole (char by char, this was 6 % of indexing time).
fn clean_spacing(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    let mut run = 0; // start of the run of kept chars not yet copied
    let mut i = 0;
    while i < bytes.len() {
        // every char `spacing` does not keep starts with one of these bytes
        if !matches!(bytes[i], b' ' | b'\n' | b'\r' | b'\t' | b'*' | 0xC2 | 0xE2) {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("a lead byte starts a char");
        let next = i + c.len_utf8();
        let kind = spacing(c);
        if let Spacing::Keep = kind {
            i = next;
            continue;
        }
        if run < i {
            out.push_str(&text[run..i]);
            last_space = false;
        }
        run = next;
        i = next;
        match kind {
            Spacing::Space if !last_space => {
                out.push(' ');
                last_space = true;
            }
            Spacing::Dash => {
                out.push('-');
                last_space = false;
            }
            Spacing::Space | Spacing::Drop | Spacing::Keep => {}
        }
    }
    out.push_str(&text[run..]);
    out
}

/// Whether the words just before a "resolution" keyword name the General Assembly (or no
/// body at all), rather than another body ("Security Council", "Commission on … Justice").
fn preceded_by_ga(before: &str) -> bool {
    let trimmed = before.trim_end();
    let tail = &trimmed[floor_char_boundary(trimmed, trimmed.len().saturating_sub(300))..];
    if let Some(c) = OTHER_BODY_ITS.captures(tail)
        && !c[1].ends_with("General Assembly")
        && &c[1] != "Assembly"
    {
        return false;
    }
    if IN_A_REPORT.is_match(tail) {
        return false;
    }
    if let Some(c) = MOST_RECENT_OF_WHICH.captures(tail)
        && !c[1].ends_with("General Assembly")
    {
        return false;
    }
    if trimmed.is_empty() || trimmed.ends_with([',', ';', '.', ':', '(', '[']) {
        return true;
    }
    let mut words = trimmed
        .rsplit(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let prev = words.next().unwrap_or_default();
    let prev2 = words.next().unwrap_or_default();
    if !prev.starts_with(char::is_uppercase) {
        return true;
    }
    if prev == "Assembly" {
        return prev2 == "General" || !prev2.starts_with(char::is_uppercase);
    }
    prev.ends_with("ing") || NOT_A_BODY.contains(&prev)
}

/// Whether `n/m` can be a GA resolution or decision number: the Assembly numbers by
/// session only from its thirty-first session (1976; before, `1514 (XV)`), so `30/2`,
/// `10/3` or `7/34` are other bodies' (Human Rights Council, conferences of States parties,
/// commissions) whatever the words around them say.
fn numbered_by_session(number: &str) -> bool {
    number
        .split('/')
        .next()
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n >= FIRST_SESSION_NUMBERED)
}

/// The first GA session whose resolutions are numbered `session/number`.
const FIRST_SESSION_NUMBERED: u32 = 31;

/// Expands one list member into references (`74/92 A and B` → `74/92 A`, `74/92 B`).
fn member_refs(c: &regex::Captures<'_>) -> Vec<String> {
    if let Some(special) = c.get(1) {
        return vec![special.as_str().to_string()];
    }
    let letters = |first: Option<regex::Match<'_>>,
                   op: Option<regex::Match<'_>>,
                   last: Option<regex::Match<'_>>| {
        let Some(first) = first.and_then(|m| m.as_str().bytes().next()) else {
            return vec![None];
        };
        let last = last
            .and_then(|m| m.as_str().bytes().next())
            .unwrap_or(first);
        match op.map(|m| m.as_str()) {
            Some("to") if last >= first => (first..=last).map(|b| Some(b as char)).collect(),
            Some(_) => vec![Some(first as char), Some(last as char)],
            None => vec![Some(first as char)],
        }
    };
    if let Some(num) = c.get(2) {
        if !numbered_by_session(num.as_str()) {
            return Vec::new();
        }
        if let Some(part) = c.get(3).filter(|p| p.len() > 1) {
            // a double-letter part ("53/77 AA") is a name, not a range
            return vec![format!("{} {}", num.as_str(), part.as_str())];
        }
        return letters(c.get(3), c.get(4), c.get(5))
            .into_iter()
            .map(|l| match l {
                Some(l) => format!("{} {l}", num.as_str()),
                None => num.as_str().to_string(),
            })
            .collect();
    }
    let (num, roman) = (&c[6], &c[10]);
    letters(c.get(7), c.get(8), c.get(9))
        .into_iter()
        .map(|l| match l {
            Some(l) => format!("{num} {l} ({roman})"),
            None => format!("{num} ({roman})"),
        })
        .collect()
}

/// (position, reference) of every GA citation after the given keyword kind.
fn keyword_citations(text: &str, kind: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for k in KEYWORD.captures_iter(text) {
        if !k[1].eq_ignore_ascii_case(kind) {
            continue;
        }
        let m = k.get(0).expect("group 0");
        let ga = preceded_by_ga(&text[..m.start()]);
        let mut pos = m.end();
        let mut list = Vec::new();
        while let Some(c) = MEMBER.captures(&text[pos..]) {
            for r in member_refs(&c) {
                list.push((pos, r));
            }
            pos += c.get(0).expect("group 0").end();
            match next_member(text, pos) {
                Some(next) => pos = next,
                None => break,
            }
        }
        if ga && !followed_by_other_body(&text[pos..]) {
            out.extend(list);
        }
    }
    out
}

/// Where the next member of a citation list starts, after a member ending at `pos`: past
/// an optional date, an optional description of the cited text (", entitled “…”", " on the
/// International Day of …", ", in which it proclaimed …", ", para. 10") and a separator
/// (`, ` / ` and ` / `, and `). A description may hold commas, so every separator within
/// reach is tried; the first followed by a member (itself followed by a date, a separator or
/// the end of the clause) wins.
fn next_member(text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    let date = DATE.find(rest).map_or(0, |d| d.end());
    let after_date = &rest[date..];
    if let Some(b) = BETWEEN.find(after_date)
        && MEMBER.is_match(&after_date[b.end()..])
    {
        return Some(pos + date + b.end());
    }
    let described = DESCRIPTION.find(after_date)?;
    let window_end = after_date
        .char_indices()
        .take(DESCRIPTION_REACH)
        .find(|&(i, c)| c == ';' || (c == '.' && !ABBREVIATION.is_match(&after_date[..i])))
        .map_or_else(
            || floor_char_boundary(after_date, DESCRIPTION_REACH * 4),
            |(i, _)| i,
        );
    let window = &after_date[..window_end.max(described.end())];
    for sep in SEPARATOR.find_iter(window) {
        if sep.start() < described.end() {
            continue;
        }
        let next = &after_date[sep.end()..];
        if let Some(c) = MEMBER.find(next)
            && LIST_GOES_ON.is_match(&next[c.end()..])
        {
            return Some(pos + date + sep.end());
        }
    }
    None
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether the words after a citation list name another body as its author ("resolution
/// 6/5 of 6 November 2015 of the Conference of the States Parties", "resolution 5/11 adopted
/// by the United Nations Environment Assembly").
fn followed_by_other_body(after: &str) -> bool {
    let after = DATE.find(after).map_or(after, |d| &after[d.end()..]);
    TRAILING_BODY
        .captures(after)
        .is_some_and(|c| !c[1].starts_with("General Assembly"))
}

fn dedup(items: Vec<(usize, String)>) -> Vec<String> {
    let mut items = items;
    items.sort_by_key(|(pos, _)| *pos);
    let mut out: Vec<String> = Vec::new();
    for (_, r) in items {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// GA resolutions cited in `text` (§9.1), deduplicated in order of appearance: `65/230`,
/// `1514 (XV)`, `2200 A (XXI)`, `ES-10/23`, `S-26/2`, `74/92 A`. Lists ("resolutions 53/70 of
/// 4 December 1998, 54/49 … and 73/187") take the body named before them, so Security
/// Council, ECOSOC, Human Rights Council and commission resolutions are left out. Full
/// symbols `A/RES/n/m` are included as `n/m`. Decisions are in [`ga_decision_citations`].
pub fn ga_resolution_citations(text: &str) -> Vec<String> {
    // every citation form has the keyword or a `/` (cheap test; most speeches have neither)
    if !text.contains("esolution") && !text.contains('/') {
        return Vec::new();
    }
    let text = prepare(text);
    let mut found = keyword_citations(&text, "resolution");
    let mut offset = 0;
    for sym in find_symbols(&text) {
        if let Some(r) = sym.resolution_ref() {
            let key = sym.to_string();
            let pos = text[offset..].find(&key).map_or(offset, |p| offset + p);
            offset = pos;
            found.push((pos, r));
        }
    }
    dedup(found)
}

/// GA decisions cited in `text` ("its decision 74/545", "decisions 74/545, 74/559 and
/// 74/566"), deduplicated in order of appearance.
pub fn ga_decision_citations(text: &str) -> Vec<String> {
    dedup(keyword_citations(&prepare(text), "decision"))
}

/// Documents cited by symbol, canonical, deduplicated in order of appearance: `A/74/130`,
/// `E/2013/30` and `E/2013/30/Corr.1`, "A/62/439 and Add.1–6" expanded to
/// `A/62/439/Add.1` … `/Add.6`. A line that is nothing but a symbol (masthead, running
/// header) is not a citation; resolutions cited by number are not documents here.
pub fn cited_documents(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for raw_line in text.lines() {
        // a symbol always has a `/`: other lines need no work
        if !raw_line.contains('/') {
            continue;
        }
        let line = prepare(raw_line);
        let trimmed = line.trim();
        let symbols = find_symbols(&line);
        if symbols.len() == 1 && trimmed.parse::<Symbol>().is_ok_and(|s| s == symbols[0]) {
            continue;
        }
        let mut offset = 0;
        for sym in symbols {
            let key = sym.to_string();
            push(key.clone());
            // Find where this symbol ends to look for "and Add.1–6" after it.
            let Some(p) = find_loose(&line[offset..], &key) else {
                continue;
            };
            let mut end = offset + p;
            offset = end;
            while let Some(c) = SHORT_MODS.captures(&line[end..]) {
                let from: u32 = c[2].parse().unwrap_or(0);
                let to: u32 = c
                    .get(3)
                    .and_then(|m| m.as_str().parse().ok())
                    .unwrap_or(from);
                for n in from..=to.min(from + 50) {
                    push(format!("{}/{}.{n}", sym.family(), &c[1]));
                }
                end += c.get(0).expect("group 0").end();
            }
        }
    }
    out
}

/// End offset of `key` in `hay`, tolerating spaces the text had around `/` and `.`.
fn find_loose(hay: &str, key: &str) -> Option<usize> {
    hay.find(key).map(|p| p + key.len()).or_else(|| {
        let first = key.split('/').next()?;
        let last = key.rsplit('/').next()?;
        let start = hay.find(&format!("{first}/"))?;
        hay[start..].find(last).map(|p| start + p + last.len())
    })
}

#[cfg(test)]
mod tests;

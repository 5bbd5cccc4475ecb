//! Plain text (and text extracted from PDF or HTML) → [`Record`]: masthead fields from the
//! first page, page furniture removed, citations read from the whole text.

use gadocs_index::Record;

use crate::fields::furniture::strip_furniture;
use crate::fields::masthead::parse_masthead;
use crate::normalize::{Input, NormalizeError, fill_citations, finish_record};

/// Normalizes a text. `from_pdf` marks text extracted from a PDF (page furniture expected).
pub fn normalize_text(input: &Input, text: &str, from_pdf: bool) -> Result<Record, NormalizeError> {
    let masthead = parse_masthead(text);
    let from_name = input.file_symbol();
    let symbol = masthead
        .symbol
        .clone()
        .or_else(|| from_name.as_ref().map(|(s, _)| s.clone()));
    let Some(symbol) = symbol else {
        return Err(NormalizeError::NoSymbol {
            name: input.name.clone(),
        });
    };
    let lang = from_name
        .as_ref()
        .and_then(|(_, l)| *l)
        .or_else(|| guess_lang(text))
        .unwrap_or("en");
    let body = strip_furniture(text, Some(&symbol.to_string()));
    let _ = from_pdf;
    let mut r = Record {
        symbol: symbol.to_string(),
        lang: lang.to_string(),
        doc_type: masthead.doc_type.unwrap_or_default(),
        session: masthead.session.clone(),
        committee: masthead.committee,
        agenda_items: masthead.agenda_items.clone(),
        title: masthead.title.clone().unwrap_or_default(),
        date: masthead.date,
        adoption_date: masthead.adoption_date,
        distribution: masthead.distribution,
        original_language: masthead.original_language.clone(),
        sponsors: masthead.sponsors.clone(),
        has_text: !body.trim().is_empty(),
        text: body,
        source: input.name.clone(),
        ..Default::default()
    };
    if let ([item], Some(title)) = (r.agenda_items.as_slice(), &masthead.agenda_title) {
        r.agenda_titles.insert(item.clone(), title.clone());
    }
    if let Some(joint) = joint_symbol(text, &r.symbol) {
        r.aliases.push(joint);
    }
    fill_citations(&mut r);
    Ok(finish_record(r, Some(&symbol)))
}

/// A rough language guess from the script and frequent words, for texts whose file name
/// carries no language.
pub fn guess_lang(text: &str) -> Option<&'static str> {
    let sample: String = text.chars().take(4000).collect();
    let mut counts = [0usize; 4]; // latin, cyrillic, arabic, han
    for c in sample.chars() {
        match c as u32 {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => counts[0] += 1,
            0x400..=0x4FF => counts[1] += 1,
            0x600..=0x6FF => counts[2] += 1,
            0x4E00..=0x9FFF => counts[3] += 1,
            _ => {}
        }
    }
    let max = counts.iter().copied().max()?;
    if max == 0 {
        return None;
    }
    match counts.iter().position(|&c| c == max)? {
        1 => return Some("ru"),
        2 => return Some("ar"),
        3 => return Some("zh"),
        _ => {}
    }
    let lower = sample.to_lowercase();
    let score = |words: &[&str]| {
        words
            .iter()
            .map(|w| lower.matches(w).count())
            .sum::<usize>()
    };
    let en = score(&[" the ", " and ", " of ", " to "]);
    let fr = score(&[" le ", " les ", " des ", " et ", " du "]);
    let es = score(&[" el ", " los ", " las ", " y ", " del "]);
    Some(if fr > en && fr >= es {
        "fr"
    } else if es > en && es > fr {
        "es"
    } else {
        "en"
    })
}

/// A joint symbol printed on the first page (`A/80/434-S/2025/632`: one document of the
/// General Assembly and the Security Council), so lookups by either form find it.
fn joint_symbol(text: &str, symbol: &str) -> Option<String> {
    let head: String = text.chars().take(1500).collect();
    let at = head.find(symbol)?;
    let rest = &head[at + symbol.len()..];
    // `A/80/434-S/2025/632` on one line, or the Council's symbol on the next line
    let rest = rest
        .strip_prefix(['-', '\u{2013}', '\u{2011}'])
        .or_else(|| {
            rest.strip_prefix(|c: char| c.is_whitespace())
                .map(str::trim_start)
        })?;
    let other: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let council = ["S/", "E/"].iter().any(|p| other.starts_with(p));
    if !council || other.len() < 5 || !other[2..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{symbol}-{other}"))
}

//! Page furniture of PDF / plain text (GA-CONVENTIONS §10): job numbers, barcodes, "Please
//! recycle", running headers, page numbers, footnote separators and markers, markdown marks.

use std::sync::LazyLock;

use regex::Regex;

/// Whole lines that are furniture.
static FURNITURE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:\d{2}-\d{5}\s*\([A-Z]\)(?:\s+\d{6})?",
        r"|\d{6}",
        r"|\*\d{7}\*",
        r"|\W*please\s+recycle\W*",
        r"|\d{1,3}/\d{1,3}\s+\d{2}-\d{5}(?:\s*\([A-Z]\))?",
        r"|\d{2}-\d{5}(?:\s*\([A-Z]\))?\s+\d{1,3}/\d{1,3}",
        r"|_{4,}|-{8,})$"
    ))
    .expect("literal regex")
});
static EMPHASIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\*{1,2}([^*\s](?:[^*\n]*[^*\s])?)\*{1,2}").expect("literal regex")
});
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\n]*)\]\(#?[^)\n]*\)").expect("literal regex"));

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

fn is_superscript_digit(c: char) -> bool {
    matches!(
        c,
        '\u{b9}' | '\u{b2}' | '\u{b3}' | '\u{2070}' | '\u{2074}'..='\u{2079}'
    )
}

/// Removes page furniture from extracted text: job-number lines (`19-22674 (E) 200120`),
/// barcodes (`*1922674*`), "Please recycle", running headers equal to `symbol`, page numbers
/// with job numbers (`2/9 23-21227`), footnote separators, superscript footnote markers
/// ("2013,¹" → "2013,"), markdown emphasis (`**`, `*word*`) and link syntax. Paragraphs stay
/// separated by one blank line; runs of blank lines collapse.
pub fn strip_furniture(text: &str, symbol: Option<&str>) -> String {
    let header = symbol.map(squash);
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    for raw in text.lines() {
        let line = raw.replace(['\u{a0}', '\u{202f}'], " ");
        let trimmed = line.trim();
        if FURNITURE_LINE.is_match(trimmed)
            || header
                .as_deref()
                .is_some_and(|h| !h.is_empty() && squash(trimmed) == h)
        {
            continue;
        }
        let unlinked = MD_LINK.replace_all(trimmed, "$1");
        let plain = EMPHASIS.replace_all(&unlinked, "$1").replace("**", "");
        let cleaned: String = plain
            .chars()
            .filter(|c| !is_superscript_digit(*c))
            .collect();
        let cleaned = cleaned.trim_end();
        if cleaned.trim().is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        out.push_str(cleaned.trim_start());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_furniture_keeps_paragraphs() {
        let text = "A/RES/74/247\n\n19-22674 (E)  200120\n*1922674*\nPlease recycle\n\n\
            Recalling resolution 22/8 of 26 April 2013,\u{b9} in which\n\n\n\n\
            1. *Welcomes* the report\n__________________\n\u{b9} See **Official Records**.\n\
            2/9  23-21227\n23-18952  3/4\nA/RES/74/247\n\n[A/74/130](#).\n";
        let got = strip_furniture(text, Some("A/RES/74/247"));
        assert_eq!(
            got,
            "Recalling resolution 22/8 of 26 April 2013, in which\n\n1. Welcomes the report\n\
             See Official Records.\n\nA/74/130.\n"
        );
    }

    #[test]
    fn strips_the_draft_and_a_pdf_page() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/drafts/A_C.3_74_L.11.txt");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: cannot read corpus file: {e}", path.display()));
        let got = strip_furniture(&text, Some("A/C.3/74/L.11"));
        assert!(!got.contains("A/C.3/74/L.11\n"));
        assert!(!got.contains('*') && !got.contains('\u{b9}') && !got.contains("\n\n\n"));
        assert!(got.contains("Belarus, Cambodia,"));
        assert!(got.contains("1. Welcomes the report"));
        // pdftotext output of A/C.1/80/L.1, page 1 bottom and page 2 top.
        let pdf = "the General Assembly, 1\n\n__________________\n1\n\n25-16208 (E)\n\n\
                   Resolution S-10/2.\n\n151025\n\n*2516208*\n\nA/C.1/80/L.1\n\nEmphasizing";
        let got = strip_furniture(pdf, Some("A/C.1/80/L.1"));
        assert_eq!(
            got,
            "the General Assembly, 1\n\n1\n\nResolution S-10/2.\n\nEmphasizing\n"
        );
    }
}

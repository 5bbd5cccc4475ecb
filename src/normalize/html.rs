//! HTML → text → [`Record`]: scripts and styles dropped, block elements become paragraphs,
//! then the plain-text normalizer reads the masthead.

use gadocs_index::Record;
use scraper::{ElementRef, Html, Node};

use crate::normalize::{Input, NormalizeError, text};

/// Normalizes an HTML page.
pub fn normalize(input: &Input, html: &str) -> Result<Record, NormalizeError> {
    let plain = html_to_text(html);
    let mut record = text::normalize_text(input, &plain, false)?;
    if record.title.is_empty() {
        let doc = Html::parse_document(html);
        let selector = scraper::Selector::parse("title, h1").expect("selector is a literal");
        if let Some(t) = doc.select(&selector).next() {
            record.title = t
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    Ok(record)
}

/// The visible text of a page, one paragraph per block element.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    walk(doc.root_element(), &mut out);
    out.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn walk(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "noscript" | "template" | "head") {
                    continue;
                }
                let block = matches!(
                    name,
                    "p" | "div"
                        | "br"
                        | "li"
                        | "tr"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "table"
                        | "section"
                        | "article"
                        | "blockquote"
                        | "pre"
                        | "ul"
                        | "ol"
                );
                if block {
                    out.push_str("\n\n");
                }
                if let Some(child_el) = ElementRef::wrap(child) {
                    walk(child_el, out);
                }
                if block {
                    out.push_str("\n\n");
                } else if matches!(name, "td" | "th") {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_scripts_and_keeps_paragraphs() {
        let t = html_to_text(
            "<html><head><title>x</title><script>alert(1)</script></head><body><p>One <b>two</b></p><p>three</p></body></html>",
        );
        assert_eq!(t, "One two\n\nthree");
    }
}

//! The gadocs query syntax, parsed into a small tree.
//!
//! ```text
//! words          all must match (AND is the default operator)
//! "a phrase"     words in this order
//! a OR b         either; a AND b; NOT a, -a (exclude); ( … ) groups
//! terror*        prefix
//! field:value    symbol: family: sponsor: original_sponsor: additional_sponsor: cosponsor:
//!                title: body: session: committee: agenda: type: lang: year: cites: has_text:
//!                vote:  (value may be "quoted"; sponsor: is any stage, cosponsor: its old name)
//! vote:"Russian Federation"=no   a State's vote (yes, no, abstain, non_voting)
//! ```
//!
//! The parser never fails: stray operators and unbalanced quotes or parentheses are read
//! leniently, and `warnings` says what was ignored.

/// Fields the query syntax knows besides free text.
pub const QUERY_FIELDS: &[&str] = &[
    "symbol",
    "family",
    "sponsor",
    "original_sponsor",
    "additional_sponsor",
    "cosponsor",
    "title",
    "body",
    "session",
    "committee",
    "agenda",
    "type",
    "lang",
    "year",
    "cites",
    "has_text",
    "vote",
];

/// Where free text is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScope {
    /// Title and body.
    Any,
    /// Title only.
    Title,
    /// Body only.
    Body,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Every document.
    All,
    /// Free text: one or more words (AND of words, or a phrase).
    Text {
        /// Title, body or both.
        scope: TextScope,
        /// The text as typed.
        text: String,
        /// Quoted: words must be adjacent and in order.
        phrase: bool,
        /// Ends in `*`: a prefix of a word.
        prefix: bool,
    },
    /// An exact-match field (`sponsor:Japan`).
    Field {
        /// Field name (one of [`QUERY_FIELDS`] other than title/body).
        name: String,
        /// Value as typed.
        value: String,
    },
    /// All must match.
    And(Vec<Node>),
    /// At least one must match.
    Or(Vec<Node>),
    /// Must not match.
    Not(Box<Node>),
}

/// Result of parsing: the tree and what was ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The query tree.
    pub node: Node,
    /// Human-readable notes on what was read leniently.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    /// A word or quoted text, with an optional field prefix.
    Atom {
        field: Option<String>,
        text: String,
        quoted: bool,
        negated: bool,
    },
}

fn lex(input: &str, warnings: &mut Vec<String>) -> Vec<Tok> {
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' {
            out.push(Tok::Open);
            i += 1;
            continue;
        }
        if c == ')' {
            out.push(Tok::Close);
            i += 1;
            continue;
        }
        let negated = (c == '-' || c == '+')
            && i + 1 < chars.len()
            && !chars[i + 1].is_whitespace()
            && (out.is_empty() || i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(');
        let start = if negated { i + 1 } else { i };
        let is_minus = negated && c == '-';
        // field prefix: name followed by ':'
        let mut j = start;
        while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        let mut field = None;
        let mut k = start;
        if j < chars.len() && chars[j] == ':' && j > start {
            let name: String = chars[start..j].iter().collect::<String>().to_lowercase();
            if QUERY_FIELDS.contains(&name.as_str()) {
                field = Some(name);
                k = j + 1;
            }
        }
        if k < chars.len() && is_quote(chars[k]) {
            let close = (k + 1..chars.len()).find(|&m| is_quote(chars[m]));
            let end = close.unwrap_or(chars.len());
            if close.is_none() {
                warnings.push("unbalanced quote: read to the end as a phrase".into());
            }
            let mut text: String = chars[k + 1..end].iter().collect();
            i = (end + 1).min(chars.len());
            // vote:"Russian Federation"=no: the choice follows the quoted State
            if field.as_deref() == Some("vote") && i < chars.len() && chars[i] == '=' {
                let mut m = i;
                while m < chars.len() && !chars[m].is_whitespace() && chars[m] != ')' {
                    m += 1;
                }
                text.extend(&chars[i..m]);
                i = m;
            }
            out.push(Tok::Atom {
                field,
                text,
                quoted: true,
                negated: is_minus,
            });
            continue;
        }
        let mut m = k;
        while m < chars.len()
            && !chars[m].is_whitespace()
            && chars[m] != '('
            && chars[m] != ')'
            && !is_quote(chars[m])
        {
            m += 1;
        }
        // a field value may contain balanced parentheses: sponsor:Iran (Islamic Republic of) must be quoted,
        // but agenda:71(b) and session:ES-11 are single words.
        if field.is_some()
            && m < chars.len()
            && chars[m] == '('
            && let Some(close) = (m..chars.len()).find(|&x| chars[x] == ')')
        {
            m = close + 1;
        }
        let text: String = chars[k..m].iter().collect();
        i = m.max(i + 1);
        if field.is_none() && !negated {
            match text.as_str() {
                "AND" | "&&" => {
                    out.push(Tok::And);
                    continue;
                }
                "OR" | "||" => {
                    out.push(Tok::Or);
                    continue;
                }
                "NOT" => {
                    out.push(Tok::Not);
                    continue;
                }
                _ => {}
            }
        }
        if text.is_empty() {
            continue;
        }
        out.push(Tok::Atom {
            field,
            text,
            quoted: false,
            negated: is_minus,
        });
    }
    out
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    warnings: Vec<String>,
}

/// Parses a query; an empty query is [`Node::All`].
pub fn parse(input: &str) -> Parsed {
    let mut warnings = Vec::new();
    let toks = lex(input, &mut warnings);
    let mut p = Parser {
        toks,
        pos: 0,
        warnings,
    };
    let mut node = p.or_expr();
    while p.pos < p.toks.len() {
        p.warnings.push("unmatched ')' ignored".to_string());
        p.pos += 1;
        let rest = p.or_expr();
        node = and(vec![node, rest]);
    }
    Parsed {
        node: simplify(node),
        warnings: p.warnings,
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or_expr(&mut self) -> Node {
        let mut parts = vec![self.and_expr()];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and_expr());
        }
        if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Node::Or(parts)
        }
    }

    fn and_expr(&mut self) -> Node {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close) | Some(Tok::Or) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                }
                _ => {
                    if let Some(n) = self.unary() {
                        parts.push(n);
                    }
                }
            }
        }
        and(parts)
    }

    fn unary(&mut self) -> Option<Node> {
        match self.peek()?.clone() {
            Tok::Not => {
                self.pos += 1;
                match self.unary() {
                    Some(n) => Some(Node::Not(Box::new(n))),
                    None => {
                        self.warnings.push("NOT without a term ignored".into());
                        None
                    }
                }
            }
            Tok::Open => {
                self.pos += 1;
                let inner = self.or_expr();
                if self.peek() == Some(&Tok::Close) {
                    self.pos += 1;
                } else {
                    self.warnings.push("missing ')' added at the end".into());
                }
                Some(inner)
            }
            Tok::Atom {
                field,
                text,
                quoted,
                negated,
            } => {
                self.pos += 1;
                let node = atom(field, text, quoted);
                Some(if negated {
                    Node::Not(Box::new(node))
                } else {
                    node
                })
            }
            Tok::Close | Tok::And | Tok::Or => {
                self.pos += 1;
                None
            }
        }
    }
}

fn atom(field: Option<String>, text: String, quoted: bool) -> Node {
    let scope = match field.as_deref() {
        None => TextScope::Any,
        Some("title") => TextScope::Title,
        Some("body") => TextScope::Body,
        Some(name) => {
            return Node::Field {
                name: name.to_string(),
                value: text.trim().to_string(),
            };
        }
    };
    let prefix = !quoted && text.ends_with('*') && text.trim_end_matches('*').chars().count() >= 2;
    let text = if prefix {
        text.trim_end_matches('*').to_string()
    } else {
        text
    };
    Node::Text {
        scope,
        text,
        phrase: quoted,
        prefix,
    }
}

fn and(mut parts: Vec<Node>) -> Node {
    match parts.len() {
        0 => Node::All,
        1 => parts.pop().expect("one part"),
        _ => Node::And(parts),
    }
}

fn simplify(node: Node) -> Node {
    match node {
        Node::And(parts) => {
            let parts: Vec<Node> = parts
                .into_iter()
                .map(simplify)
                .filter(|n| *n != Node::All)
                .collect();
            and(parts)
        }
        Node::Or(parts) => {
            let parts: Vec<Node> = parts.into_iter().map(simplify).collect();
            if parts.contains(&Node::All) {
                Node::All
            } else {
                Node::Or(parts)
            }
        }
        Node::Not(inner) => Node::Not(Box::new(simplify(*inner))),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Node {
        Node::Text {
            scope: TextScope::Any,
            text: t.into(),
            phrase: false,
            prefix: false,
        }
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(parse("").node, Node::All);
        assert_eq!(
            parse("climate change").node,
            Node::And(vec![text("climate"), text("change")])
        );
        assert_eq!(parse("a OR b").node, Node::Or(vec![text("a"), text("b")]));
        assert_eq!(
            parse("climate NOT change").node,
            Node::And(vec![text("climate"), Node::Not(Box::new(text("change")))])
        );
        assert_eq!(
            parse("climate -change").node,
            parse("climate NOT change").node
        );
        let p = parse("\"human rights defenders\"");
        assert!(matches!(p.node, Node::Text { phrase: true, .. }));
        assert!(
            matches!(parse("terror*").node, Node::Text { prefix: true, ref text, .. } if text == "terror")
        );
    }

    #[test]
    fn fields_with_quoted_and_parenthesized_values() {
        assert_eq!(
            parse("sponsor:\"Russian Federation\"").node,
            Node::Field {
                name: "sponsor".into(),
                value: "Russian Federation".into()
            }
        );
        assert_eq!(
            parse("agenda:71(b) session:ES-11").node,
            Node::And(vec![
                Node::Field {
                    name: "agenda".into(),
                    value: "71(b)".into()
                },
                Node::Field {
                    name: "session".into(),
                    value: "ES-11".into()
                },
            ])
        );
        assert!(matches!(
            parse("title:cybercrime").node,
            Node::Text {
                scope: TextScope::Title,
                ..
            }
        ));
        assert_eq!(
            parse("vote:\"Russian Federation\"=no climate").node,
            Node::And(vec![
                Node::Field {
                    name: "vote".into(),
                    value: "Russian Federation=no".into()
                },
                text("climate"),
            ])
        );
        assert_eq!(
            parse("vote:Japan=abstain").node,
            Node::Field {
                name: "vote".into(),
                value: "Japan=abstain".into()
            }
        );
        // an unknown prefix is text
        assert_eq!(parse("note:x").node, text("note:x"));
    }

    #[test]
    fn lenient_on_garbage() {
        for q in [
            "(((",
            ")))",
            "\"unclosed",
            "AND OR NOT",
            "a AND",
            "NOT",
            "-",
            "((a OR) b",
            "*",
            "::",
            "\u{0}",
        ] {
            let _ = parse(q); // must not panic
        }
        assert!(!parse("\"unclosed").warnings.is_empty());
        assert_eq!(parse("(a OR b").node, Node::Or(vec![text("a"), text("b")]));
    }
}

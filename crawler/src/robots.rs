//! robots.txt (RFC 9309): groups by user agent, longest match wins, `*` and `$`, plus Crawl-delay.

use std::time::Duration;

/// The rules of one robots.txt that apply to our user agent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    rules: Vec<Rule>,
    /// `Crawl-delay` of the matching group, if any.
    pub crawl_delay: Option<Duration>,
    disallow_all: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    allow: bool,
    pattern: String,
}

#[derive(Default)]
struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

impl Robots {
    /// Everything allowed (robots.txt absent: 4xx).
    pub fn allow_all() -> Self {
        Robots::default()
    }

    /// Everything disallowed (robots.txt unreachable: 5xx or network error, RFC 9309 §2.3.1.4).
    pub fn disallow_all() -> Self {
        Robots {
            disallow_all: true,
            ..Robots::default()
        }
    }

    /// Parses a robots.txt for the product token of `user_agent` (`gadocs-crawler/0.1 (…)` →
    /// `gadocs-crawler`); falls back to the `*` group.
    pub fn parse(text: &str, user_agent: &str) -> Self {
        let token = user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push(Group::default());
                        in_agents = true;
                    }
                    let group = groups.last_mut().expect("a group was just pushed");
                    group.agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    let Some(group) = groups.last_mut() else {
                        continue;
                    };
                    if value.is_empty() {
                        continue; // `Disallow:` with no path allows everything
                    }
                    group.rules.push(Rule {
                        allow: key == "allow",
                        pattern: value.to_owned(),
                    });
                }
                "crawl-delay" => {
                    in_agents = false;
                    let Some(group) = groups.last_mut() else {
                        continue;
                    };
                    if let Ok(secs) = value.parse::<f64>()
                        && secs.is_finite()
                        && secs >= 0.0
                    {
                        group.crawl_delay = Some(Duration::from_secs_f64(secs.min(3600.0)));
                    }
                }
                _ => in_agents = false,
            }
        }
        let specific: Vec<&Group> = groups
            .iter()
            .filter(|g| {
                g.agents
                    .iter()
                    .any(|a| a != "*" && token.starts_with(a.as_str()))
            })
            .collect();
        let chosen: Vec<&Group> = if specific.is_empty() {
            groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == "*"))
                .collect()
        } else {
            specific
        };
        // RFC 9309 §2.2.1: groups matching the same agent are combined.
        let mut robots = Robots::default();
        for group in chosen {
            robots.rules.extend(group.rules.iter().cloned());
            robots.crawl_delay = robots.crawl_delay.max(group.crawl_delay);
        }
        robots
    }

    /// True if `path_and_query` (starting with `/`) may be fetched.
    pub fn allowed(&self, path_and_query: &str) -> bool {
        if self.disallow_all {
            return path_and_query == "/robots.txt";
        }
        let mut best: Option<(usize, bool)> = None;
        for rule in &self.rules {
            if !pattern_matches(&rule.pattern, path_and_query) {
                continue;
            }
            let len = rule.pattern.len();
            // longest match wins; on a tie, allow wins (RFC 9309 §2.2.2)
            best = match best {
                Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                _ => Some((len, rule.allow)),
            };
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Matches a robots pattern (`*` any run, trailing `$` end anchor) against a path prefix.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let pattern = percent_normalize(pattern);
    let path = percent_normalize(path);
    let pieces: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0usize;
    for (i, piece) in pieces.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(piece) {
                return false;
            }
            pos = piece.len();
            continue;
        }
        let last = i == pieces.len() - 1;
        if last && anchored {
            return path.len() >= pos + piece.len() && path.ends_with(piece);
        }
        match path[pos..].find(piece) {
            Some(at) => pos += at + piece.len(),
            None => return false,
        }
    }
    !anchored || pos == path.len()
}

/// Upper-cases percent escapes so `%2f` and `%2F` compare equal.
fn percent_normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                if let Some(h) = chars.next() {
                    out.push(h.to_ascii_uppercase());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const UA: &str = "gadocs-crawler/0.1 (+contact)";

    #[test]
    fn mirror_rules() {
        let r = Robots::parse(
            "User-agent: *\nCrawl-delay: 0.2\nDisallow: /search\nDisallow: /record/*/export\n",
            UA,
        );
        assert_eq!(r.crawl_delay, Some(Duration::from_millis(200)));
        assert!(!r.allowed("/search?p=1"));
        assert!(!r.allowed("/record/123/export/xm"));
        assert!(r.allowed("/record/123"));
        assert!(r.allowed("/oai2d?verb=ListRecords"));
        let open = Robots::parse("User-agent: *\nDisallow:\n", UA);
        assert!(open.allowed("/anything") && open.crawl_delay.is_none());
    }

    #[test]
    fn longest_match_and_anchor() {
        let r = Robots::parse(
            "User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /*.pdf$\n",
            UA,
        );
        assert!(!r.allowed("/a/c"));
        assert!(r.allowed("/a/b/c"));
        assert!(!r.allowed("/x/y.pdf"));
        assert!(r.allowed("/x/y.pdf?z"));
    }

    #[test]
    fn specific_group_wins_and_groups_merge() {
        let text = "User-agent: *\nDisallow: /\n\nUser-agent: gadocs-crawler\nUser-agent: foo\nDisallow: /private\nCrawl-delay: 3\n";
        let r = Robots::parse(text, UA);
        assert!(r.allowed("/public"));
        assert!(!r.allowed("/private/x"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(3)));
        assert!(!Robots::disallow_all().allowed("/x"));
    }
}

//! Terminal output helpers: sanitizing untrusted text, aligned columns, bars, bold.

use std::io::IsTerminal;

/// Whether an error is a closed pipe (`gadocs search … | head`), which is not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Removes control characters (escape sequences included) from text bound for a terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Whether to use colour/bold on stdout.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Display width of a string (characters; CJK counted double).
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60) { 2 } else { 1 })
        .sum()
}

/// Pads `s` to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    for _ in width(s)..w {
        out.push(' ');
    }
    out
}

/// Cuts `s` to at most `w` columns, with an ellipsis.
pub fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = width(&c.to_string());
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// A horizontal bar of `value / max` over `cells` cells.
pub fn bar(value: u64, max: u64, cells: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let eighths = (value as f64 / max as f64 * cells as f64 * 8.0).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    out.push_str(PARTS[eighths % 8]);
    if out.is_empty() && value > 0 {
        out.push('▏');
    }
    out
}

/// Formats 12345 as "12,345".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_escape_sequences_and_formats() {
        assert_eq!(clean("a\u{1b}[31mb\n"), "a [31mb ");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(bar(5, 10, 4), "██");
    }
}

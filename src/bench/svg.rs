//! The growth curve as a small self-contained SVG (no dependencies): four panels (build
//! throughput, query p50/p99, index size, peak memory while indexing) against corpus size,
//! gadocs beside FTS5.

use std::fmt::Write as _;

use crate::bench::build::mib;
use crate::bench::report::{BenchReport, ScaleResult};

const GADOCS: &str = "#1f5fbf";
const FTS5: &str = "#d9731a";
const PANEL_W: f64 = 440.0;
const PANEL_H: f64 = 260.0;

struct Series {
    label: &'static str,
    color: &'static str,
    dashed: bool,
    values: Vec<f64>,
}

struct Panel {
    title: &'static str,
    unit: &'static str,
    log_y: bool,
    series: Vec<Series>,
}

/// Renders the chart of `report`.
pub fn render(report: &BenchReport) -> String {
    let scales = &report.scales;
    let x_labels: Vec<String> = scales
        .iter()
        .map(|s| format!("{}× ({:.1} GB)", s.scale, s.corpus.text_bytes as f64 / 1e9))
        .collect();
    let pick = |f: &dyn Fn(&ScaleResult) -> f64| scales.iter().map(f).collect::<Vec<f64>>();
    let line = |label, color, dashed, values| Series {
        label,
        color,
        dashed,
        values,
    };
    let panels = [
        Panel {
            title: "index build throughput",
            unit: "MB of text / s",
            log_y: false,
            series: vec![
                line(
                    "gadocs",
                    GADOCS,
                    false,
                    pick(&|s| s.gadocs_build.mb_per_sec()),
                ),
                line("FTS5", FTS5, false, pick(&|s| s.fts5_build.mb_per_sec())),
            ],
        },
        Panel {
            title: "query latency, 56 queries (p50 solid, p99 dashed)",
            unit: "ms (log)",
            log_y: true,
            series: vec![
                line(
                    "gadocs p50",
                    GADOCS,
                    false,
                    pick(&|s| s.overall().gadocs.p50_ms),
                ),
                line(
                    "gadocs p99",
                    GADOCS,
                    true,
                    pick(&|s| s.overall().gadocs.p99_ms),
                ),
                line("FTS5 p50", FTS5, false, pick(&|s| s.overall().fts5.p50_ms)),
                line("FTS5 p99", FTS5, true, pick(&|s| s.overall().fts5.p99_ms)),
            ],
        },
        Panel {
            title: "index size on disk",
            unit: "MB",
            log_y: false,
            series: vec![
                line(
                    "gadocs",
                    GADOCS,
                    false,
                    pick(&|s| s.gadocs_build.index_bytes as f64 / 1e6),
                ),
                line(
                    "FTS5",
                    FTS5,
                    false,
                    pick(&|s| s.fts5_build.index_bytes as f64 / 1e6),
                ),
            ],
        },
        Panel {
            title: "peak RSS while indexing (dashed: private)",
            unit: "MiB",
            log_y: false,
            series: vec![
                line(
                    "gadocs VmHWM",
                    GADOCS,
                    false,
                    pick(&|s| mib(s.gadocs_build.vm_hwm_bytes)),
                ),
                line(
                    "gadocs RssAnon",
                    GADOCS,
                    true,
                    pick(&|s| mib(s.gadocs_build.peak_rss_anon_bytes)),
                ),
                line(
                    "FTS5 VmHWM",
                    FTS5,
                    false,
                    pick(&|s| mib(s.fts5_build.vm_hwm_bytes)),
                ),
            ],
        },
    ];
    let width = 2.0 * PANEL_W + 40.0;
    let height = 2.0 * PANEL_H + 90.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="20" y="24" font-size="15" font-weight="bold">gadocs vs SQLite FTS5 as the corpus grows</text>"#
    );
    let _ = writeln!(
        svg,
        r##"<text x="20" y="42" fill="#555">same documents and queries, same machine, same run; corpus replicated with distinct symbols and sessions</text>"##
    );
    legend(&mut svg, width - 250.0, 20.0);
    for (i, panel) in panels.iter().enumerate() {
        let x0 = 20.0 + (i % 2) as f64 * (PANEL_W + 10.0);
        let y0 = 60.0 + (i / 2) as f64 * (PANEL_H + 10.0);
        draw_panel(&mut svg, panel, &x_labels, x0, y0);
    }
    svg.push_str("</svg>\n");
    svg
}

fn legend(svg: &mut String, x: f64, y: f64) {
    for (i, (label, color)) in [("gadocs", GADOCS), ("SQLite FTS5", FTS5)]
        .iter()
        .enumerate()
    {
        let lx = x + i as f64 * 110.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{lx}" y1="{y}" x2="{}" y2="{y}" stroke="{color}" stroke-width="3"/><text x="{}" y="{}">{label}</text>"#,
            lx + 24.0,
            lx + 30.0,
            y + 4.0
        );
    }
}

fn draw_panel(svg: &mut String, p: &Panel, x_labels: &[String], x0: f64, y0: f64) {
    let (left, right, top, bottom) = (
        x0 + 55.0,
        x0 + PANEL_W - 15.0,
        y0 + 28.0,
        y0 + PANEL_H - 35.0,
    );
    let _ = writeln!(
        svg,
        r##"<rect x="{x0}" y="{y0}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#ddd"/><text x="{}" y="{}" font-weight="bold">{}</text><text x="{}" y="{}" fill="#555">{}</text>"##,
        x0 + 8.0,
        y0 + 16.0,
        p.title,
        x0 + 8.0,
        bottom + 30.0,
        p.unit
    );
    let values: Vec<f64> = p
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    let max = values.iter().copied().fold(0.0f64, f64::max).max(1e-9);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let (lo, hi) = if p.log_y {
        let lo = min.min(max).max(1e-6).log10().floor();
        let hi = max.log10().ceil().max(lo + 1.0);
        (lo, hi)
    } else {
        (0.0, nice_ceiling(max * 1.1))
    };
    let y_of = |v: f64| {
        let t = if p.log_y {
            (v.max(1e-6).log10() - lo) / (hi - lo)
        } else {
            (v - lo) / (hi - lo)
        };
        bottom - t * (bottom - top)
    };
    let n = x_labels.len();
    let x_of = |i: usize| {
        if n <= 1 {
            (left + right) / 2.0
        } else {
            left + (right - left) * i as f64 / (n - 1) as f64
        }
    };
    // Axes and grid.
    let ticks: Vec<f64> = if p.log_y {
        ((lo as i32)..=(hi as i32)).map(|e| 10f64.powi(e)).collect()
    } else {
        (0..=4).map(|k| hi * k as f64 / 4.0).collect()
    };
    for t in ticks {
        let y = y_of(t);
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            left - 4.0,
            y + 4.0,
            short(t)
        );
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>"##
    );
    for (i, label) in x_labels.iter().enumerate() {
        // the last label ends at its point, inside the panel
        let anchor = if i + 1 == x_labels.len() && i > 0 {
            "end"
        } else {
            "middle"
        };
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{}" text-anchor="{anchor}" fill="#555">{label}</text>"##,
            x_of(i),
            bottom + 14.0
        );
    }
    for s in &p.series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x_of(i), y_of(*v)))
            .collect();
        let dash = if s.dashed {
            r#" stroke-dasharray="5,4""#
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{dash}><title>{}</title></polyline>"#,
            points.join(" "),
            s.color,
            s.label
        );
        for (i, v) in s.values.iter().enumerate() {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"><title>{}: {}</title></circle>"#,
                x_of(i),
                y_of(*v),
                s.color,
                s.label,
                short(*v)
            );
        }
    }
}

/// 1, 2 or 5 times a power of ten, at least `v`.
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.max(1e-9).log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

fn short(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else if v >= 0.01 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_are_round() {
        assert_eq!(nice_ceiling(37.0), 50.0);
        assert_eq!(nice_ceiling(0.8), 1.0);
        assert_eq!(nice_ceiling(120.0), 200.0);
    }
}

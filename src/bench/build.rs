//! Index builds, each in a child process of this binary (`gadocs bench --internal-build`), so
//! its wall time, CPU time and peak memory belong to one engine. The child reads its own
//! figures from `/proc/self` (the workspace forbids `unsafe`, so no `getrusage`) and prints
//! them as one JSON line on stdout.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use gadocs_index::IndexStore;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::pipeline;

/// Which engine builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// gadocs: `import` pipeline (JSON → record normalization → analyzers → Tantivy).
    Gadocs,
    /// SQLite FTS5 with side tables for the filters.
    Fts5,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Gadocs => "gadocs",
            Engine::Fts5 => "fts5",
        }
    }
}

/// What one build cost.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuildStats {
    /// `gadocs` or `fts5`.
    pub engine: String,
    /// Documents indexed.
    pub docs: u64,
    /// Bytes of text (title + body) indexed.
    pub text_bytes: u64,
    /// Wall time of the build, seconds (process start-up and corpus-independent set-up
    /// excluded).
    pub wall_secs: f64,
    /// User + system CPU time of the whole child process, seconds.
    pub cpu_secs: f64,
    /// Peak private resident memory (RssAnon, sampled every 20 ms), bytes.
    pub peak_rss_anon_bytes: u64,
    /// Peak resident set (VmHWM: includes file pages mapped by merges), bytes.
    pub vm_hwm_bytes: u64,
    /// Index size on disk after the build, bytes.
    pub index_bytes: u64,
    /// Inputs the engine could not index.
    pub skipped: u64,
}

impl BuildStats {
    /// Documents per second.
    pub fn docs_per_sec(&self) -> f64 {
        self.docs as f64 / self.wall_secs.max(1e-9)
    }
    /// MB (10⁶ bytes) of text per second.
    pub fn mb_per_sec(&self) -> f64 {
        self.text_bytes as f64 / 1e6 / self.wall_secs.max(1e-9)
    }
    /// One line for the progress log.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} docs in {:.1}s ({:.1} MB/s, CPU {:.1}s), peak RSS {:.0} MiB (private {:.0} MiB), index {:.0} MB",
            self.engine,
            self.docs,
            self.wall_secs,
            self.mb_per_sec(),
            self.cpu_secs,
            mib(self.vm_hwm_bytes),
            mib(self.peak_rss_anon_bytes),
            self.index_bytes as f64 / 1e6
        )
    }
}

/// Bytes in MiB.
pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Builds `target` from the JSON lines file `input` in a child process and returns its
/// figures; `text_bytes` (title + body of the file, as counted when writing it) is what MB/s
/// divides for both engines.
pub fn run_child(
    settings: &Settings,
    engine: Engine,
    input: &Path,
    target: &Path,
    text_bytes: u64,
) -> anyhow::Result<BuildStats> {
    let exe = std::env::current_exe().context("cannot find the gadocs executable")?;
    let mut cmd = Command::new(exe);
    if let Some(config) = &settings.config_path {
        cmd.arg("--config").arg(config);
    }
    cmd.arg("-q")
        .arg("bench")
        .arg("--internal-build")
        .arg(engine.name())
        .arg("--internal-input")
        .arg(input)
        .arg("--internal-target")
        .arg(target)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let out = cmd
        .output()
        .with_context(|| format!("{} build: cannot start child process", engine.name()))?;
    anyhow::ensure!(
        out.status.success(),
        "{} build: child process failed ({})",
        engine.name(),
        out.status
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let mut stats: BuildStats = serde_json::from_str(line)
        .with_context(|| format!("{} build: unreadable report {line:?}", engine.name()))?;
    stats.text_bytes = text_bytes;
    Ok(stats)
}

/// The child's side: builds, then prints its [`BuildStats`] as JSON on stdout.
pub fn child_main(
    settings: &Settings,
    engine: Engine,
    input: &Path,
    target: &Path,
) -> anyhow::Result<()> {
    let sampler = RssSampler::start();
    let started = Instant::now();
    let (docs, text_bytes, skipped) = match engine {
        Engine::Gadocs => build_gadocs(settings, input, target)?,
        Engine::Fts5 => {
            let (docs, text_bytes) = crate::bench::fts5::build(input, target)?;
            (docs, text_bytes, 0)
        }
    };
    let wall_secs = started.elapsed().as_secs_f64();
    let stats = BuildStats {
        engine: engine.name().to_string(),
        docs,
        text_bytes,
        wall_secs,
        cpu_secs: cpu_seconds()?,
        peak_rss_anon_bytes: sampler.stop(),
        vm_hwm_bytes: status_bytes("VmHWM")?,
        index_bytes: crate::bench::disk_bytes(target),
        skipped,
    };
    println!("{}", serde_json::to_string(&stats)?);
    Ok(())
}

fn build_gadocs(
    settings: &Settings,
    input: &Path,
    target: &Path,
) -> anyhow::Result<(u64, u64, u64)> {
    let (store, _) = IndexStore::open_or_create(target)?;
    let mut opts = crate::cli::index::run_options(settings, false);
    opts.changes_dir = None; // the benchmark never writes to the user's data folder
    let report = pipeline::import_paths(&store, &[input.to_path_buf()], &opts)?;
    // The pipeline counts body bytes; the parent replaces this with title + body bytes.
    Ok((
        report.records(),
        report.text_bytes,
        report.skipped.len() as u64,
    ))
}

/// User + system CPU seconds of this process, all threads (fields 14 and 15 of
/// `/proc/self/stat`, in USER_HZ ticks, which Linux fixes at 100).
pub fn cpu_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").context("/proc/self/stat")?;
    // The command name (field 2) may hold spaces; fields after it start at the last ')'.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .context("/proc/self/stat: no ')'")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): utime is field 14, stime field 15.
    let tick = |i: usize| -> anyhow::Result<f64> {
        Ok(fields
            .get(i)
            .context("/proc/self/stat: too few fields")?
            .parse::<u64>()? as f64
            / 100.0)
    };
    Ok(tick(14 - 3)? + tick(15 - 3)?)
}

/// A `kB` line of `/proc/self/status` (`VmHWM`, `RssAnon`), in bytes.
pub fn status_bytes(key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").context("/proc/self/status")?;
    for line in status.lines() {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let kb: u64 = rest.trim().trim_end_matches("kB").trim().parse()?;
            return Ok(kb * 1024);
        }
    }
    anyhow::bail!("/proc/self/status: no {key}")
}

/// Samples RssAnon every 20 ms on a thread and keeps the maximum.
struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    handle: std::thread::JoinHandle<()>,
}

impl RssSampler {
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (Arc::clone(&stop), Arc::clone(&peak));
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Ok(now) = status_bytes("RssAnon") {
                    p.fetch_max(now, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Self { stop, peak, handle }
    }

    fn stop(self) -> u64 {
        if let Ok(now) = status_bytes("RssAnon") {
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
        self.peak.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_figures_are_readable() {
        assert!(cpu_seconds().unwrap() >= 0.0);
        assert!(status_bytes("VmHWM").unwrap() > 0);
    }
}

//! Configuration: `config.toml` (every key documented there) → [`FileConfig`] → resolved
//! [`Settings`] with absolute paths and CLI overrides applied. Nothing past the CLI layer
//! reads TOML or clap types.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::walk::Limits;

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileConfig {
    /// Data folder: `index/`, `raw/`, change digests, locks. Relative to the config file.
    pub data_dir: PathBuf,
    /// Index settings.
    pub index: IndexConfig,
    /// Input limits.
    pub limits: LimitsConfig,
    /// Source base URLs (crawler).
    pub sources: gadocs_crawler::Sources,
    /// Crawler behaviour.
    pub crawler: gadocs_crawler::CrawlerSettings,
    /// Re-indexing schedule (`gadocs schedule`).
    pub schedule: ScheduleConfig,
}

impl Default for FileConfig {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            index: IndexConfig::default(),
            limits: LimitsConfig::default(),
            sources: gadocs_crawler::Sources::default(),
            crawler: gadocs_crawler::CrawlerSettings::default(),
            schedule: ScheduleConfig::default(),
        }
    }
}

/// `[schedule]`: when `gadocs schedule` runs `update`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleConfig {
    /// Interval between the starts of two runs: a number and a unit, `30s`, `10m`, `6h`, `1d`.
    pub every: Option<String>,
    /// A cron expression, local time (`0 */6 * * *`; six fields: seconds first). Only one of
    /// `every` and `cron`.
    pub cron: Option<String>,
}

/// Parses an interval such as `30s`, `10m`, `6h`, `1d` (or a bare number of seconds).
pub fn parse_interval(s: &str) -> anyhow::Result<std::time::Duration> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| {
        anyhow::anyhow!("interval {s:?}: expected a number and a unit, e.g. 30s, 10m, 6h, 1d")
    })?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => n,
        "m" | "min" | "mins" => n * 60,
        "h" | "hour" | "hours" => n * 3600,
        "d" | "day" | "days" => n * 86_400,
        other => anyhow::bail!("interval {s:?}: unknown unit {other:?} (s, m, h or d)"),
    };
    anyhow::ensure!(secs > 0, "interval {s:?}: must be longer than zero");
    Ok(std::time::Duration::from_secs(secs))
}

/// `[index]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexConfig {
    /// Total memory budget of the Tantivy writer, in MB.
    pub memory_budget_mb: u64,
    /// Tantivy indexing threads.
    pub writer_threads: usize,
    /// Threads that parse and normalize documents (0: one per core).
    pub normalize_threads: usize,
    /// Commit after this many records.
    pub commit_every_docs: u64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        Self {
            memory_budget_mb: 256,
            writer_threads: 2,
            normalize_threads: 0,
            commit_every_docs: 10_000,
        }
    }
}

/// `[limits]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest file or zip member read, MB.
    pub max_file_mb: u64,
    /// Largest expanded total of one zip archive, MB.
    pub max_archive_mb: u64,
    /// Most members read from one zip archive.
    pub max_archive_entries: usize,
    /// Compression ratio above which a large zip member is refused.
    pub max_zip_ratio: u64,
    /// Wall-clock limit for extracting one PDF, seconds.
    pub pdf_timeout_secs: u64,
    /// Address-space limit of the PDF extractor process, MB.
    pub pdf_max_memory_mb: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_file_mb: 64,
            max_archive_mb: 2048,
            max_archive_entries: 100_000,
            max_zip_ratio: 200,
            pdf_timeout_secs: 30,
            pdf_max_memory_mb: 2048,
        }
    }
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file read (if it existed).
    pub config_path: Option<PathBuf>,
    /// Data folder (absolute).
    pub data_dir: PathBuf,
    /// The file's values.
    pub file: FileConfig,
}

impl Settings {
    /// Reads `path` (a missing default file means defaults; a missing named file is an
    /// error) and applies the `--data` override.
    pub fn load(path: &Path, explicit: bool, data_override: Option<&Path>) -> anyhow::Result<Self> {
        let (file, config_path) = match std::fs::read_to_string(path) {
            Ok(text) => {
                let file: FileConfig = toml::from_str(&text)
                    .with_context(|| format!("{}: invalid configuration", path.display()))?;
                (file, Some(path.to_path_buf()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                (FileConfig::default(), None)
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("{}: cannot read configuration", path.display()));
            }
        };
        let base = config_path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let data_dir = match data_override {
            Some(d) => d.to_path_buf(),
            None if file.data_dir.is_absolute() => file.data_dir.clone(),
            None => base.join(&file.data_dir),
        };
        let data_dir = std::path::absolute(&data_dir).unwrap_or(data_dir);
        let settings = Settings {
            config_path,
            data_dir,
            file,
        };
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let name = self
            .config_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "defaults".into());
        let per_thread =
            self.file.index.memory_budget_mb / self.file.index.writer_threads.max(1) as u64;
        anyhow::ensure!(
            per_thread >= 15,
            "{name}: index.memory_budget_mb must give at least 15 MB per writer thread (Tantivy's per-thread minimum), got {} MB for {} threads",
            self.file.index.memory_budget_mb,
            self.file.index.writer_threads
        );
        anyhow::ensure!(
            self.file.limits.max_file_mb > 0,
            "{name}: limits.max_file_mb must be positive"
        );
        self.crawl_config()
            .validate()
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        Ok(())
    }

    /// Index folder.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// Raw store folder.
    pub fn raw_dir(&self) -> PathBuf {
        self.data_dir.join("raw")
    }

    /// The crawler's configuration: `[sources]` and `[crawler]`.
    pub fn crawl_config(&self) -> gadocs_crawler::CrawlConfig {
        gadocs_crawler::CrawlConfig {
            sources: self.file.sources.clone(),
            crawler: self.file.crawler.clone(),
        }
    }

    /// Input limits.
    pub fn limits(&self) -> Limits {
        let l = &self.file.limits;
        Limits {
            max_file_bytes: l.max_file_mb << 20,
            max_archive_bytes: l.max_archive_mb << 20,
            max_archive_entries: l.max_archive_entries,
            max_ratio: l.max_zip_ratio,
        }
    }
}

//! gadocs integration tests: one binary (link time on 2 cores), modules per area.
//! Real-corpus tests read `../shared/corpus` in place and fail naming the path when it is
//! missing; everything they write goes to temporary folders.

#[path = "suite/browser.rs"]
mod browser;
#[path = "suite/common.rs"]
mod common;
#[path = "suite/crawl.rs"]
mod crawl;
#[path = "suite/eval.rs"]
mod eval;
#[path = "suite/fixtures.rs"]
mod fixtures;
#[path = "suite/history.rs"]
mod history;
#[path = "suite/hostile.rs"]
mod hostile;
#[path = "suite/languages.rs"]
mod languages;
#[path = "suite/mirror.rs"]
mod mirror;
#[path = "suite/real_data.rs"]
mod real_data;
#[path = "suite/schedule.rs"]
mod schedule;
#[path = "suite/serve.rs"]
mod serve;

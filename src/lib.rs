//! gadocs: parse and normalize General Assembly documents, run the indexing pipeline, and
//! the command-line interface.
//!
//! Data flow: [`walk`] (files, folders, zips) → [`normalize`] (XML, PDF, HTML, text, JSON
//! lines → `Record`, using [`fields`]) → [`pipeline`] (workers, upsert, commit) →
//! `gadocs_index` (index, query) → [`cli`].

pub mod bench;
pub mod changes;
pub mod cli;
pub mod config;
pub mod fields;
pub mod grouping;
pub mod history;
pub mod lock;
pub mod normalize;
pub mod pipeline;
pub mod serve;
pub mod shorthand;
pub mod update;
pub mod walk;

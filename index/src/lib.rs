//! gadocs-index: record → index → query.
//!
//! Owns the normalized [`Record`], the Tantivy schema built from it (one analyzed title and
//! body field per language, facets, filters), the writer that upserts records by
//! (symbol, language) and commits with a payload, and the query side: the gadocs query
//! syntax, filters, facet counts and snippets. It knows Tantivy, not HTTP or file formats.
#![warn(missing_docs)]

pub mod gazetteer;
pub mod record;

pub use record::{
    AGENDA_TITLE_SEPARATOR, Committee, Distribution, DocType, Record, VoteChoice, Votes,
    cited_document,
};
pub mod analysis;
pub mod compile;
pub mod error;
pub mod expand;
pub mod facets;
pub mod query;
pub mod read_directory;
pub mod schema;
pub mod search;
pub mod stats;
pub mod store;

pub use error::IndexError;
pub use search::{Hit, SearchRequest, SearchResult, Sort};
pub use store::{CommitPayload, IndexStore, Opened, RecordWriter};

//! Field extractors: pure functions from text to typed GA fields (symbols, dates, sessions,
//! agenda items, sponsors, citations, page furniture and the first-page masthead), following
//! `GA-CONVENTIONS.md`.

pub mod agenda;
pub mod citations;
pub mod date;
pub mod furniture;
pub mod masthead;
pub mod sponsors;
pub mod symbol;

pub use agenda::agenda_items;
pub use citations::{cited_documents, ga_decision_citations, ga_resolution_citations};
pub use date::{parse_date, session_from_words};
pub use furniture::strip_furniture;
pub use masthead::{Masthead, parse_masthead};
pub use sponsors::{SponsorLine, split_sponsors};
pub use symbol::{Symbol, SymbolError, find_symbols, symbol_from_file_name};

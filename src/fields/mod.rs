//! Field extractors: pure functions from text to typed GA fields (symbols, dates, sessions,
//! agenda items, sponsors, citations, page furniture and the first-page masthead), following
//! `GA-CONVENTIONS.md`.

pub mod symbol;

pub use symbol::{Symbol, SymbolError, find_symbols, symbol_from_file_name};

//! gadocs: parse and normalize General Assembly documents, and the command-line interface.
pub mod fields;

//! Field extractors: pure functions from text to typed GA fields.

//! The five sources, each a function of the crawl context.

pub(crate) mod github;
pub(crate) mod oai;
pub(crate) mod ods;
pub mod un_org;

//! gadocs-crawler

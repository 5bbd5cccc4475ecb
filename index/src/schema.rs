//! The Tantivy schema built from [`Record`](crate::Record): per-language analyzed title and
//! body, exact-match filter fields, fast columns for facet counts, the effective date, and
//! the record stored in two parts: `meta` (every field but the text) and `text` (read only for
//! snippets, `show` and `export`), and what a hit shows again in the `hit` bytes column.

use tantivy::schema::{
    DateOptions, FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis::{LANGS, analyzer_name};

/// Bumped whenever the schema, an analyzer or the stored form changes: an index with another
/// version is rebuilt from the raw store.
pub const SCHEMA_VERSION: u32 = 8;

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `symbol|lang`, the upsert key.
    pub key: Field,
    /// Canonical symbol (exact).
    pub symbol: Field,
    /// Symbol family key (exact).
    pub family: Field,
    /// ISO 639-1 language.
    pub lang: Field,
    /// `74`, `ES-11`.
    pub session: Field,
    /// `plenary`, `first` … `sixth`.
    pub committee: Field,
    /// Document type name.
    pub doc_type: Field,
    /// Agenda items, both `107` and `74/107`.
    pub agenda: Field,
    /// Sponsors (normalized names).
    pub sponsor: Field,
    /// Sponsors and additional sponsors (normalized names).
    pub cosponsor: Field,
    /// GA resolutions cited (`65/230`).
    pub cites: Field,
    /// Roll-call votes as `<normalized State>=<choice>` (`russian federation=yes`).
    pub vote: Field,
    /// Year of the effective date.
    pub year: Field,
    /// `has_text` as `true`/`false`.
    pub has_text: Field,
    /// Effective date (adoption, else issue).
    pub date: Field,
    /// Digest of the stored record: re-indexing identical content is a no-op.
    pub digest: Field,
    /// Sponsor names as printed (fast column, facet counts).
    pub sponsor_name: Field,
    /// Additional sponsor names (fast column, facet counts).
    pub additional_sponsor_name: Field,
    /// `74/107` (fast column, facet counts).
    pub agenda_scoped: Field,
    /// The record without its text, as JSON (stored).
    pub meta: Field,
    /// The documents cited, one value per document (`217 (III)`, `73/187`; fast column):
    /// citation counts without reading stored records.
    pub cited: Field,
    /// `74/107\u{1f}Title` per agenda item whose title the record prints (fast column): the
    /// agenda subjects of the index without reading stored records.
    pub agenda_title: Field,
    /// What a hit shows (symbol, title, date …), as JSON in a bytes fast column: reading the
    /// top 10 from it skips the document store, whose blocks hold the (large) texts.
    pub hit: Field,
    /// The record's text (stored).
    pub text: Field,
    /// Analyzed title, one field per language of [`LANGS`].
    pub title: Vec<(&'static str, Field)>,
    /// Analyzed body, one field per language of [`LANGS`].
    pub body: Vec<(&'static str, Field)>,
    /// Chinese title, one token per Han character (substring matches).
    pub title_zh_chars: Field,
    /// Chinese body, one token per Han character.
    pub body_zh_chars: Field,
}

impl Fields {
    /// Title field of a field-language.
    pub fn title_of(&self, lang: &str) -> Field {
        lookup(&self.title, lang)
    }
    /// Body field of a field-language.
    pub fn body_of(&self, lang: &str) -> Field {
        lookup(&self.body, lang)
    }
}

fn lookup(fields: &[(&'static str, Field)], lang: &str) -> Field {
    let lang = crate::analysis::field_lang(lang);
    fields
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, f)| *f)
        .expect("every field language has a field")
}

/// Builds the schema and returns it with its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let exact = STRING | STORED;
    let filter = STRING.set_fast("raw");
    let zh_chars = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(crate::analysis::ZH_CHARS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut title = Vec::new();
    let mut body = Vec::new();
    for lang in LANGS {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(&analyzer_name(lang))
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        title.push((
            *lang,
            b.add_text_field(&format!("title_{lang}"), options.clone()),
        ));
        body.push((*lang, b.add_text_field(&format!("body_{lang}"), options)));
    }
    let fields = Fields {
        key: b.add_text_field("key", STRING.set_fast("raw")),
        symbol: b.add_text_field("symbol", exact.set_fast("raw")),
        family: b.add_text_field("family", STRING),
        lang: b.add_text_field("lang", filter.clone()),
        session: b.add_text_field("session", filter.clone()),
        committee: b.add_text_field("committee", filter.clone()),
        doc_type: b.add_text_field("doc_type", filter.clone()),
        agenda: b.add_text_field("agenda", STRING),
        sponsor: b.add_text_field("sponsor", STRING),
        cosponsor: b.add_text_field("cosponsor", STRING),
        cites: b.add_text_field("cites", STRING),
        vote: b.add_text_field("vote", STRING),
        year: b.add_text_field("year", filter),
        has_text: b.add_text_field("has_text", STRING),
        date: b.add_date_field(
            "date",
            DateOptions::default().set_indexed().set_fast().set_stored(),
        ),
        digest: b.add_u64_field("digest", tantivy::schema::FAST),
        sponsor_name: b.add_text_field("sponsor_name", TextOptions::default().set_fast("raw")),
        additional_sponsor_name: b.add_text_field(
            "additional_sponsor_name",
            TextOptions::default().set_fast("raw"),
        ),
        agenda_scoped: b.add_text_field("agenda_scoped", TextOptions::default().set_fast("raw")),
        meta: b.add_text_field("meta", STORED),
        hit: b.add_bytes_field("hit", FAST),
        cited: b.add_text_field("cited", TextOptions::default().set_fast("raw")),
        agenda_title: b.add_text_field("agenda_title", TextOptions::default().set_fast("raw")),
        text: b.add_text_field("text", STORED),
        title,
        body,
        title_zh_chars: b.add_text_field("title_zh_chars", zh_chars.clone()),
        body_zh_chars: b.add_text_field("body_zh_chars", zh_chars),
    };
    (b.build(), fields)
}

/// Facet names users can ask counts for, with the facet root they read.
pub const FACETS: &[&str] = &[
    "session",
    "committee",
    "agenda",
    "sponsor",
    "additional_sponsor",
    "type",
    "year",
    "lang",
    "cited",
    "agenda_title",
];

/// Checks a facet name and returns it, or an error listing the valid names.
pub fn facet_name(name: &str) -> Result<&'static str, crate::IndexError> {
    let wanted = match name.trim().to_lowercase().as_str() {
        "doc_type" | "doctype" => "type".to_string(),
        "language" => "lang".to_string(),
        "sponsors" => "sponsor".to_string(),
        "agenda_item" | "agenda_items" => "agenda".to_string(),
        other => other.to_string(),
    };
    FACETS
        .iter()
        .copied()
        .find(|f| *f == wanted)
        .ok_or_else(|| crate::IndexError::UnknownFacet {
            name: name.to_string(),
            known: FACETS.join(", "),
        })
}

//! Facet counts from fast columns: one counter per term ordinal per segment, names resolved
//! once per segment from the column's dictionary (sorted ordinals, one pass). Cheaper than a
//! facet field, whose collector walks every facet path of every matching document.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Column holding each facet's values.
pub fn column_of(facet: &str) -> &'static str {
    match facet {
        "session" => "session",
        "committee" => "committee",
        "type" => "doc_type",
        "lang" => "lang",
        "year" => "year",
        "sponsor" => "sponsor_name",
        "additional_sponsor" => "additional_sponsor_name",
        "agenda" => "agenda_scoped",
        "cited" => "cited",
        "agenda_title" => "agenda_title",
        other => unreachable!("facet names are checked by schema::facet_name: {other}"),
    }
}

/// Counts values of several str fast columns over the matching documents.
pub struct FacetCounts {
    columns: Vec<&'static str>,
}

impl FacetCounts {
    /// Counts the given facets (names already checked).
    pub fn new(facets: &[&'static str]) -> Self {
        Self {
            columns: facets.iter().map(|f| column_of(f)).collect(),
        }
    }
}

/// Per-segment counters.
pub struct SegmentFacetCounts {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    /// Ordinals of a block of documents, for a column with one value per document.
    block: Vec<Option<u64>>,
}

/// Value → count, per requested facet, in request order.
pub type Counts = Vec<HashMap<String, u64>>;

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let mut columns = Vec::with_capacity(self.columns.len());
        let mut counts = Vec::with_capacity(self.columns.len());
        for name in &self.columns {
            let column = reader.fast_fields().str(name)?;
            counts.push(vec![0; column.as_ref().map(|c| c.num_terms()).unwrap_or(0)]);
            columns.push(column);
        }
        Ok(SegmentFacetCounts {
            columns,
            counts,
            block: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut out: Counts = vec![HashMap::new(); self.columns.len()];
        for fruit in fruits {
            for (i, values) in fruit.into_iter().enumerate() {
                for (k, v) in values {
                    *out[i].entry(k).or_default() += v;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    /// A block of matches at once (a count without scores hands them so): a column with one
    /// value per document reads their ordinals in one call.
    fn collect_block(&mut self, docs: &[DocId]) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else { continue };
            if column.ords().get_cardinality() == Cardinality::Full {
                self.block.clear();
                self.block.resize(docs.len(), None);
                column.ords().first_vals(docs, &mut self.block);
                for ord in self.block.iter().flatten() {
                    counts[*ord as usize] += 1;
                }
            } else {
                for doc in docs {
                    for ord in column.term_ords(*doc) {
                        counts[ord as usize] += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Vec::with_capacity(self.columns.len());
        for (column, counts) in self.columns.into_iter().zip(self.counts) {
            let mut values = HashMap::new();
            if let Some(column) = column {
                let ords: Vec<u64> = (0..counts.len() as u64)
                    .filter(|o| counts[*o as usize] > 0)
                    .collect();
                let mut names = Vec::with_capacity(ords.len());
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    names.push(String::from_utf8_lossy(bytes).into_owned())
                });
                for (ord, name) in ords.iter().zip(names) {
                    values.insert(name, counts[*ord as usize]);
                }
            }
            out.push(values);
        }
        out
    }
}

/// Orders counts for JSON (value → count).
pub fn to_map(counts: HashMap<String, u64>) -> BTreeMap<String, u64> {
    counts.into_iter().collect()
}

//! The SQLite FTS5 baseline, set up as BENCHMARK-ANCHORS.md measured it:
//! `fts5(id UNINDEXED, title, body, session UNINDEXED, committee UNINDEXED, lang UNINDEXED,
//! sponsors)` with the default `unicode61` tokenizer and BM25 (`ORDER BY rank`), inserts in
//! transactions of 1,000, `journal_mode=OFF`, `synchronous=OFF`, and filters through small
//! side tables joined as `+rowid IN (SELECT …)` (without the `+` SQLite is 16–80× slower).

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use gadocs_index::Record;
use rusqlite::{Connection, OpenFlags, params};

/// Rows per insert transaction.
const BATCH: u64 = 1000;

const SCHEMA: &str = "
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE VIRTUAL TABLE docs USING fts5(
    id UNINDEXED, title, body, session UNINDEXED, committee UNINDEXED, lang UNINDEXED, sponsors
);
CREATE TABLE meta (rowid INTEGER PRIMARY KEY, session TEXT, committee TEXT, lang TEXT);
CREATE TABLE sponsor (doc INTEGER NOT NULL, name TEXT NOT NULL);
";

const SIDE_INDEXES: &str = "
CREATE INDEX meta_session ON meta (session);
CREATE INDEX meta_committee ON meta (committee);
CREATE INDEX meta_lang ON meta (lang);
CREATE INDEX sponsor_name ON sponsor (name, doc);
";

/// Builds the database `db` from a corpus file; returns (documents, title + body bytes).
pub fn build(input: &Path, db: &Path) -> anyhow::Result<(u64, u64)> {
    let mut conn =
        Connection::open(db).with_context(|| format!("{}: cannot create", db.display()))?;
    conn.execute_batch(SCHEMA)?;
    let file =
        std::fs::File::open(input).with_context(|| format!("{}: cannot read", input.display()))?;
    let mut lines = std::io::BufReader::with_capacity(1 << 20, file).lines();
    let mut docs = 0u64;
    let mut bytes = 0u64;
    loop {
        let tx = conn.transaction()?;
        let mut in_batch = 0;
        {
            let mut ins_doc = tx.prepare_cached(
                "INSERT INTO docs (rowid, id, title, body, session, committee, lang, sponsors)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut ins_meta = tx.prepare_cached(
                "INSERT INTO meta (rowid, session, committee, lang) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut ins_sponsor =
                tx.prepare_cached("INSERT INTO sponsor (doc, name) VALUES (?1, ?2)")?;
            while in_batch < BATCH {
                let Some(line) = lines.next() else { break };
                let r: Record = serde_json::from_str(&line?)?;
                let rowid = (docs + 1) as i64;
                let committee = r.committee.map(|c| c.as_str());
                ins_doc.execute(params![
                    rowid,
                    r.symbol,
                    r.title,
                    r.text,
                    r.session,
                    committee,
                    r.lang,
                    r.sponsors.join("; ")
                ])?;
                ins_meta.execute(params![rowid, r.session, committee, r.lang])?;
                for s in &r.sponsors {
                    ins_sponsor.execute(params![rowid, s.to_uppercase()])?;
                }
                docs += 1;
                bytes += (r.title.len() + r.text.len()) as u64;
                in_batch += 1;
            }
        }
        tx.commit()?;
        if in_batch < BATCH {
            break;
        }
    }
    conn.execute_batch(SIDE_INDEXES)?;
    Ok((docs, bytes))
}

/// One answer: the top hits' ids, the exact total, and session counts when asked.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// Ids of the top 10, best first.
    pub top: Vec<String>,
    /// Exact number of matches.
    pub total: u64,
    /// Session → count over all matches (facet queries only).
    pub sessions: Option<BTreeMap<String, u64>>,
}

/// An open FTS5 database.
pub struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    /// Opens a built database.
    pub fn open(db: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .with_context(|| format!("{}: cannot open", db.display()))?;
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        Ok(Self { conn })
    }

    /// Runs `expr` (an FTS5 MATCH expression) with `filters`: top 10 by BM25, exact total,
    /// and counts per session when `facets`.
    pub fn search(
        &self,
        expr: &str,
        filters: &[(&str, &str)],
        facets: bool,
    ) -> anyhow::Result<Answer> {
        let (where_filters, values) = filter_sql(filters)?;
        let mut bind: Vec<&dyn rusqlite::ToSql> = vec![&expr];
        for v in &values {
            bind.push(v);
        }
        let mut top_stmt = self.conn.prepare_cached(&format!(
            "SELECT id FROM docs WHERE docs MATCH ?1{where_filters} ORDER BY rank LIMIT 10"
        ))?;
        let top = top_stmt
            .query_map(bind.as_slice(), |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut count_stmt = self.conn.prepare_cached(&format!(
            "SELECT count(*) FROM docs WHERE docs MATCH ?1{where_filters}"
        ))?;
        let total: i64 = count_stmt.query_row(bind.as_slice(), |row| row.get(0))?;
        let sessions = if facets {
            let mut facet_stmt = self.conn.prepare_cached(&format!(
                "SELECT session, count(*) FROM meta WHERE rowid IN
                   (SELECT rowid FROM docs WHERE docs MATCH ?1{where_filters})
                 GROUP BY session"
            ))?;
            let rows = facet_stmt.query_map(bind.as_slice(), |row| {
                Ok((row.get::<_, Option<String>>(0)?, row.get::<_, i64>(1)?))
            })?;
            let mut counts = BTreeMap::new();
            for row in rows {
                let (session, n) = row?;
                if let Some(s) = session {
                    counts.insert(s, n as u64);
                }
            }
            Some(counts)
        } else {
            None
        };
        Ok(Answer {
            top,
            total: total as u64,
            sessions,
        })
    }

    /// Replaces the body of the document with id `symbol` and language `lang` and commits.
    pub fn update_body(&self, symbol: &str, lang: &str, body: &str) -> anyhow::Result<()> {
        let rowid: i64 = self.conn.query_row(
            "SELECT rowid FROM docs WHERE id = ?1 AND lang = ?2 LIMIT 1",
            params![symbol, lang],
            |row| row.get(0),
        )?;
        self.conn.execute_batch("BEGIN")?;
        self.conn.execute(
            "UPDATE docs SET body = ?1 WHERE rowid = ?2",
            params![body, rowid],
        )?;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

/// SQL for the filters (` AND +rowid IN (SELECT …)` each) and their values, in order
/// (?2, ?3 …).
fn filter_sql(filters: &[(&str, &str)]) -> anyhow::Result<(String, Vec<String>)> {
    let mut sql = String::new();
    let mut values = Vec::new();
    for (field, value) in filters {
        let n = values.len() + 2;
        let (clause, v) = match *field {
            "original_sponsor" => (
                format!(" AND +rowid IN (SELECT doc FROM sponsor WHERE name = ?{n})"),
                value.to_uppercase(),
            ),
            "session" | "committee" | "lang" => (
                format!(" AND +rowid IN (SELECT rowid FROM meta WHERE {field} = ?{n})"),
                value.to_string(),
            ),
            other => anyhow::bail!("benchmark filter {other} has no FTS5 form"),
        };
        sql.push_str(&clause);
        values.push(v);
    }
    Ok((sql, values))
}

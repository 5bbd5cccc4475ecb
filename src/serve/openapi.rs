//! The OpenAPI 3.0 description served at `/api/openapi.json`. Written out by hand next to the
//! handlers it describes; a test checks that every route of the router is in it.

use serde_json::{Value, json};

use crate::serve::params::{MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn changes_parameters() -> Vec<Value> {
    vec![
        param(
            "since",
            "Only changes at or after: a date (2026-11-27), a date-time (RFC 3339), today, yesterday, or an age (6h, 7d).",
            json!({"type": "string"}),
        ),
        param(
            "type",
            "Only this document type (draft matches drafts and revised drafts).",
            json!({"type": "string"}),
        ),
        param(
            "sponsor",
            "Only records with a sponsor containing this (case-insensitive).",
            json!({"type": "string"}),
        ),
        param(
            "change",
            "Only new, changed or removed.",
            json!({"type": "string", "enum": ["new", "changed", "removed"]}),
        ),
    ]
}

fn symbol_param() -> Value {
    json!({"name": "symbol", "in": "path", "required": true, "schema": {"type": "string"}, "example": "A/RES/74/247"})
}

fn search_parameters() -> Vec<Value> {
    let s = || json!({"type": "string"});
    vec![
        param(
            "q",
            "Query: words, \"phrases\", AND/OR/NOT, -word, prefix*, field:value (symbol: sponsor: original_sponsor: additional_sponsor: title: body: session: committee: agenda: type: lang: year: cites:). A symbol (A/RES/74/247, 74/247) finds that document. Empty: everything the filters select.",
            json!({"type": "string", "maxLength": MAX_QUERY_CHARS}),
        ),
        param(
            "session",
            "Session: 74, ES-11, S-32 (repeatable: all must match).",
            s(),
        ),
        param(
            "committee",
            "Committee: plenary, first … sixth (or 1–6).",
            s(),
        ),
        param(
            "agenda",
            "Agenda item: 107, \"71 (b)\", or session-scoped 74/107.",
            s(),
        ),
        param(
            "sponsor",
            "State that sponsored at any stage, printed on the draft or joined later (official name or common short form).",
            s(),
        ),
        param(
            "sponsor_stage",
            "With sponsor: original (printed on the draft) or additional (joined later).",
            s(),
        ),
        param(
            "original_sponsor",
            "State printed as a sponsor on the draft (the sponsor facet counts these).",
            s(),
        ),
        param(
            "additional_sponsor",
            "State that joined as a sponsor after the draft was issued.",
            s(),
        ),
        param("cosponsor", "Same as sponsor (its former name).", s()),
        param(
            "type",
            "Document type: resolution, \"draft resolution\", report, letter, note, \"meeting record\", speech, decision, other.",
            s(),
        ),
        param(
            "year",
            "Year of the effective date (adoption date, else issue date).",
            s(),
        ),
        param("lang", "Language: en, fr, es, ru, ar, zh.", s()),
        param(
            "from",
            "From this date, inclusive.",
            json!({"type": "string", "format": "date"}),
        ),
        param(
            "to",
            "To this date, inclusive.",
            json!({"type": "string", "format": "date"}),
        ),
        json!({"name": "facet", "in": "query", "required": false, "style": "form", "explode": true,
               "description": "Facet to count (repeatable).",
               "schema": {"type": "array", "items": {"type": "string", "enum": gadocs_index::schema::FACETS}}}),
        param(
            "limit",
            "Hits per page.",
            json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10}),
        ),
        param(
            "offset",
            "Hits to skip.",
            json!({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}),
        ),
        param(
            "sort",
            "Order; default relevance with a query, date without.",
            json!({"type": "string", "enum": ["relevance", "date"]}),
        ),
    ]
}

fn error_responses() -> Value {
    let e = json!({"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({"400": e, "404": e, "503": e, "500": e})
}

fn ok(description: &str, schema_ref: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": schema_ref}}}})
}

fn with_errors(ok_response: Value) -> Value {
    let mut responses = error_responses();
    responses["200"] = ok_response;
    responses
}

fn schemas() -> Value {
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let opt = |t: &str| json!({"type": t, "nullable": true});
    json!({
        "Error": {"type": "object", "required": ["status", "message"], "properties": {
            "status": {"type": "integer", "description": "The HTTP status, repeated."},
            "message": {"type": "string", "description": "What went wrong and how to fix it."}}},
        "Hit": {"type": "object", "properties": {
            "symbol": {"type": "string"}, "lang": {"type": "string"}, "title": {"type": "string"},
            "doc_type": {"type": "string"}, "session": opt("string"), "committee": opt("string"),
            "agenda_items": strings, "sponsors": strings,
            "date": {"type": "string", "format": "date", "nullable": true},
            "score": {"type": "number"}, "snippet": {"type": "string"},
            "highlights": {"type": "array", "description": "Byte ranges [start, end) of matched words in snippet.",
                "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}}
        }},
        "SearchResult": {"type": "object", "required": ["total", "hits", "facets"], "properties": {
            "total": {"type": "integer"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {"type": "object", "description": "Facet name → value → count.",
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "warnings": strings
        }},
        "Votes": {"type": "object", "properties": {
            "without_vote": {"type": "boolean"}, "yes": {"type": "integer"},
            "no": {"type": "integer"}, "abstain": {"type": "integer"}}},
        "Record": {"type": "object", "description": "One document in one language, as `gadocs show --json` prints it.", "properties": {
            "symbol": {"type": "string"}, "family": {"type": "string"}, "aliases": strings,
            "lang": {"type": "string"}, "doc_type": {"type": "string"}, "session": opt("string"),
            "committee": opt("string"), "agenda_items": strings, "title": {"type": "string"},
            "date": {"type": "string", "format": "date", "nullable": true},
            "adoption_date": {"type": "string", "format": "date", "nullable": true},
            "distribution": opt("string"), "original_language": opt("string"),
            "sponsors": strings, "additional_sponsors": strings,
            "votes": {"allOf": [{"$ref": "#/components/schemas/Votes"}], "nullable": true},
            "cites": strings, "cited_documents": strings, "adopted_as": opt("string"),
            "draft_symbols": strings, "committee_report": opt("string"),
            "has_text": {"type": "boolean"}, "text": {"type": "string"}, "source": {"type": "string"}
        }},
        "DocRef": {"type": "object", "properties": {
            "symbol": {"type": "string"}, "title": {"type": "string"}, "doc_type": opt("string"),
            "session": opt("string"), "date": {"type": "string", "format": "date", "nullable": true},
            "indexed": {"type": "boolean"}, "has_text": {"type": "boolean"}}},
        "History": {"type": "object", "description": "As `gadocs history --json` prints it.", "properties": {
            "query": {"type": "string"}, "query_role": {"type": "string"},
            "matches": {"type": "array", "items": {"$ref": "#/components/schemas/DocRef"}},
            "resolution": {"allOf": [{"$ref": "#/components/schemas/DocRef"}], "nullable": true},
            "session": opt("string"), "committee": opt("string"), "agenda_items": strings,
            "drafts": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/DocRef"}, {"type": "object", "properties": {
                "adopted_version": {"type": "boolean"}, "sponsors": strings, "additional_sponsors": strings}}]}},
            "sponsors": strings, "additional_sponsors": strings,
            "committee_report": {"allOf": [{"$ref": "#/components/schemas/DocRef"}], "nullable": true},
            "meeting_record": {"allOf": [{"$ref": "#/components/schemas/DocRef"}], "nullable": true},
            "adoption_date": {"type": "string", "format": "date", "nullable": true},
            "vote": {"type": "object", "nullable": true, "properties": {
                "without_vote": {"type": "boolean"}, "yes": {"type": "integer"}, "no": {"type": "integer"},
                "abstain": {"type": "integer"}, "states_listed": {"type": "integer"}, "mismatch": {"type": "boolean"}}},
            "cites": {"type": "array", "items": {"$ref": "#/components/schemas/DocRef"}},
            "cited_by": {"type": "array", "items": {"$ref": "#/components/schemas/DocRef"}},
            "earlier": {"type": "array", "items": {"$ref": "#/components/schemas/DocRef"}},
            "later": {"type": "array", "items": {"$ref": "#/components/schemas/DocRef"}}
        }},
        "Counts": {"type": "object", "properties": {
            "yes": {"type": "integer"}, "no": {"type": "integer"}, "abstain": {"type": "integer"},
            "non_voting": {"type": "integer", "nullable": true}}},
        "RollCall": {"type": "object", "description": "As `gadocs votes SYMBOL --json` prints it.", "properties": {
            "symbol": {"type": "string"}, "title": {"type": "string"}, "session": opt("string"),
            "adoption_date": {"type": "string", "format": "date", "nullable": true},
            "meeting_record": opt("string"), "without_vote": {"type": "boolean"},
            "counts": {"allOf": [{"$ref": "#/components/schemas/Counts"}], "nullable": true},
            "listed": {"$ref": "#/components/schemas/Counts"}, "mismatch": {"type": "boolean"},
            "yes": strings, "no": strings, "abstain": strings, "non_voting": strings}},
        "StateVotes": {"type": "object", "description": "As `gadocs votes --state --json` prints it.", "properties": {
            "state": {"type": "string"}, "with": opt("string"), "session": opt("string"),
            "votes": {"type": "array", "items": {"type": "object", "properties": {
                "symbol": {"type": "string"}, "session": opt("string"),
                "date": {"type": "string", "format": "date", "nullable": true}, "title": {"type": "string"},
                "vote": {"type": "string", "enum": ["yes", "no", "abstain", "non_voting"]},
                "other_vote": {"type": "string", "description": "Only with `with`; absent when the roll call does not name the second State.", "enum": ["yes", "no", "abstain", "non_voting"]},
                "mismatch": {"type": "boolean"}}}},
            "agreement": {"type": "array", "description": "Only with `with`.", "items": {"type": "object", "properties": {
                "session": {"type": "string"}, "both_voted": {"type": "integer"},
                "identical": {"type": "integer"}, "rate": {"type": "number", "nullable": true}}}}}},
        "Change": {"type": "object", "description": "One line of `gadocs changes --json`.", "properties": {
            "run_id": {"type": "string"}, "time": {"type": "string", "format": "date-time"},
            "change": {"type": "string", "enum": ["new", "changed", "removed"]},
            "symbol": {"type": "string"}, "lang": {"type": "string"}, "doc_type": {"type": "string"},
            "title": {"type": "string"}, "session": opt("string"), "sponsors": strings}},
        "Changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}},
        "Stats": {"type": "object", "properties": {
            "documents": {"type": "integer"}, "index_bytes": {"type": "integer"},
            "facets": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}}
        }}
    })
}

/// The OpenAPI document.
pub fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "gadocs",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Search United Nations General Assembly documents. Bodies have the same names and shapes as the CLI's --json output. Errors are {\"status\": code, \"message\": text}."
        },
        "paths": {
            "/api/search": {"get": {
                "operationId": "search", "summary": "Search the index (as `gadocs search --json`)",
                "parameters": search_parameters(),
                "responses": with_errors(ok("Hits, total and facet counts", "#/components/schemas/SearchResult"))
            }},
            "/api/doc/{symbol}": {"get": {
                "operationId": "document", "summary": "One document by symbol (as `gadocs show --json`)",
                "description": "The symbol is the rest of the path and contains slashes, unescaped: /api/doc/A/RES/74/247. Shorthand (74/247) is accepted.",
                "parameters": [
                    symbol_param(),
                    param("lang", "Language version (default: English, else the first available).", json!({"type": "string"}))
                ],
                "responses": with_errors(ok("The record", "#/components/schemas/Record"))
            }},
            "/api/history/{symbol}": {"get": {
                "operationId": "history", "summary": "Legislative history of a resolution (as `gadocs history --json`)",
                "description": "From any member of the family: resolution, draft, revision, committee report, meeting record. The symbol is the rest of the path, with its slashes. 404 when the index knows nothing of it.",
                "parameters": [symbol_param()],
                "responses": with_errors(ok("The history", "#/components/schemas/History"))
            }},
            "/api/votes/{symbol}": {"get": {
                "operationId": "rollCall", "summary": "Roll call of a resolution (as `gadocs votes SYMBOL --json`)",
                "parameters": [symbol_param()],
                "responses": with_errors(ok("The vote", "#/components/schemas/RollCall"))
            }},
            "/api/votes": {"get": {
                "operationId": "stateVotes", "summary": "How one State voted on every recorded vote (as `gadocs votes --state --json`)",
                "parameters": [
                    {"name": "state", "in": "query", "required": true, "description": "State: official name or common short form (Russia, United States).", "schema": {"type": "string"}},
                    param("session", "Only votes of this session (74, ES-11).", json!({"type": "string"})),
                    param("with", "Second State: its votes alongside and the agreement rate per session.", json!({"type": "string"}))
                ],
                "responses": with_errors(ok("The votes", "#/components/schemas/StateVotes"))
            }},
            "/api/changes": {"get": {
                "operationId": "changes", "summary": "What index, import and update added, changed or removed (as `gadocs changes --json`, as an array)",
                "parameters": changes_parameters(),
                "responses": with_errors(ok("Changes, oldest first", "#/components/schemas/Changes"))
            }},
            "/api/stats": {"get": {
                "operationId": "stats", "summary": "Documents per facet and index size (as `gadocs stats --json`)",
                "responses": with_errors(ok("Counts", "#/components/schemas/Stats"))
            }},
            "/api/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This description",
                "responses": {"200": {"description": "OpenAPI 3.0 document", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }},
            "/feed/changes": {"get": {
                "operationId": "changesFeed", "summary": "Atom 1.0 feed of what index, import and update added, changed or removed (the change digest), newest first",
                "parameters": changes_parameters(),
                "responses": {
                    "200": {"description": "Atom feed", "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                    "400": {"description": "Bad parameter", "content": {"text/plain": {"schema": {"type": "string"}}}}
                }
            }},
            "/feed": {"get": {
                "operationId": "feed", "summary": "Atom 1.0 feed of the newest documents matching a search",
                "parameters": search_parameters().into_iter()
                    .filter(|p| !matches!(p["name"].as_str(), Some("facet" | "sort" | "offset")))
                    .collect::<Vec<_>>(),
                "responses": {
                    "200": {"description": "Atom feed", "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                    "400": {"description": "Bad parameter", "content": {"text/plain": {"schema": {"type": "string"}}}}
                }
            }}
        },
        "components": {"schemas": schemas()}
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn describes_every_api_route() {
        let doc = super::document();
        for path in [
            "/api/search",
            "/api/doc/{symbol}",
            "/api/history/{symbol}",
            "/api/votes/{symbol}",
            "/api/votes",
            "/api/changes",
            "/api/stats",
            "/api/openapi.json",
            "/feed",
            "/feed/changes",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing");
        }
        assert_eq!(doc["openapi"], "3.0.3");
    }
}

//! The web page: `/` (search box, facet sidebar, results, paging) and `/doc/{symbol}` (one
//! document with its fields, text and languages). Plain HTML forms and links, no JavaScript.
//! Every piece of text from the index goes through [`esc`]; every URL is built from
//! percent-encoded parts and then escaped as an attribute.

use std::fmt::Write as _;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use gadocs_index::{Hit, Record, SearchRequest, SearchResult};

use crate::serve::api::lang_param;
use crate::serve::history_html::Chain;
use crate::serve::params::{
    self, Defaults, MAX_OFFSET, decode_pairs, encode, encode_pairs, encode_path,
};
use crate::serve::{AppState, FoundDoc, ServeError, find_doc};

const STYLE: &str = include_str!("assets/style.css");

/// Hits per results page.
const PAGE_DEFAULTS: Defaults = Defaults {
    limit: 20,
    strict: false,
};

/// Facets of the sidebar: (facet, parameter that narrows by it, heading).
const SIDEBAR: &[(&str, &str, &str)] = &[
    ("session", "session", "Session"),
    ("committee", "committee", "Committee"),
    ("agenda", "agenda", "Agenda item"),
    // the facet counts States printed on the draft: its links narrow by that stage
    (
        "sponsor",
        "original_sponsor",
        "Sponsor (printed on the draft)",
    ),
    ("type", "type", "Document type"),
    ("year", "year", "Year"),
    ("lang", "lang", "Language"),
];

/// Values shown per facet before "more".
const FACET_SHOWN: usize = 8;
/// Values listed per facet at most.
const FACET_MAX: usize = 60;

/// Page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(search_page))
        .route("/doc/{*symbol}", get(doc_page))
        .route("/static/style.css", get(style))
}

/// Escapes text for HTML content and attribute values; drops control characters.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A language code fit for a `lang` attribute (letters and hyphens), else `und`.
fn lang_attr(code: &str) -> &str {
    let ok = !code.is_empty()
        && code.len() <= 12
        && code.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-');
    if ok { code } else { "und" }
}

/// `lang="ar" dir="rtl"` for a text in `code`.
fn lang_dir(code: &str) -> String {
    let code = lang_attr(code);
    let rtl = matches!(code, "ar" | "he" | "fa" | "ur");
    format!(
        "lang=\"{code}\"{}",
        if rtl { " dir=\"rtl\"" } else { " dir=\"ltr\"" }
    )
}

fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "ru" => "Русский",
        "ar" => "العربية",
        "zh" => "中文",
        "de" => "Deutsch",
        other => other,
    }
}

fn doc_href(symbol: &str, lang: Option<&str>) -> String {
    match lang {
        Some(l) => format!("/doc/{}?lang={}", encode_path(symbol), encode(l)),
        None => format!("/doc/{}", encode_path(symbol)),
    }
}

fn search_href(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", encode_pairs(pairs))
    }
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn html_response(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

/// The page frame: head, skip link, search form, main content, footer.
fn layout(title: &str, search: &SearchForm, head_extra: &str, main: &str) -> String {
    let mut h = String::with_capacity(main.len() + 4096);
    h.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{} · gadocs</title>", esc(title));
    h.push_str("<link rel=\"stylesheet\" href=\"/static/style.css\">\n");
    h.push_str(head_extra);
    h.push_str("</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
    h.push_str("<header class=\"site\">\n<p class=\"brand\"><a href=\"/\">gadocs</a> <span>General Assembly documents</span></p>\n");
    h.push_str(&search.render());
    h.push_str("</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    h.push_str(main);
    h.push_str("</main>\n<footer class=\"site\"><p>Source of the documents: United Nations. ");
    h.push_str("<a href=\"/api/openapi.json\">JSON API</a> · <a href=\"/api/stats\">index statistics</a></p></footer>\n");
    h.push_str("</body>\n</html>\n");
    h
}

/// The search form with the current query, the active filters as hidden fields, and the
/// date range and order.
#[derive(Default)]
struct SearchForm {
    query: String,
    filters: Vec<(String, String)>,
    from: String,
    to: String,
    sort: String,
}

impl SearchForm {
    fn of(req: &SearchRequest) -> Self {
        SearchForm {
            query: req.query.clone(),
            filters: req.filters.clone(),
            from: req.from.map(|d| d.to_string()).unwrap_or_default(),
            to: req.to.map(|d| d.to_string()).unwrap_or_default(),
            sort: match req.sort {
                Some(gadocs_index::Sort::Date) => "date".into(),
                Some(gadocs_index::Sort::Relevance) => "relevance".into(),
                None => String::new(),
            },
        }
    }

    fn render(&self) -> String {
        let mut h = String::new();
        h.push_str("<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">\n");
        h.push_str(
            "<label for=\"q\">Search General Assembly documents</label>\n<div class=\"row\">",
        );
        let _ = write!(
            h,
            "<input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" maxlength=\"{}\" \
             aria-describedby=\"syntax-help\" autocomplete=\"off\">",
            esc(&self.query),
            params::MAX_QUERY_CHARS
        );
        h.push_str("<button type=\"submit\">Search</button></div>\n");
        for (k, v) in &self.filters {
            let _ = writeln!(
                h,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(k),
                esc(v)
            );
        }
        h.push_str("<details class=\"options\"><summary>Dates, order and query syntax</summary>\n<div class=\"fields\">");
        let _ = write!(
            h,
            "<label>From <input type=\"date\" name=\"from\" value=\"{}\"></label>\
             <label>To <input type=\"date\" name=\"to\" value=\"{}\"></label>",
            esc(&self.from),
            esc(&self.to)
        );
        h.push_str("<label>Order <select name=\"sort\">");
        for (value, label) in [
            ("", "best first"),
            ("relevance", "relevance"),
            ("date", "newest first"),
        ] {
            let sel = if self.sort == value { " selected" } else { "" };
            let _ = write!(h, "<option value=\"{value}\"{sel}>{label}</option>");
        }
        h.push_str("</select></label></div>\n");
        h.push_str(
            "<p id=\"syntax-help\" class=\"help\">Words, <code>\"exact phrases\"</code>, \
             <code>AND</code> / <code>OR</code> / <code>NOT</code>, <code>-word</code>, \
             <code>prefix*</code>, and fields: <code>symbol:</code> <code>sponsor:</code> \
             <code>cosponsor:</code> <code>title:</code> <code>body:</code> \
             <code>session:</code> <code>committee:</code> <code>agenda:</code> \
             <code>type:</code> <code>lang:</code> <code>year:</code> <code>cites:</code>. \
             A symbol such as <code>A/RES/74/247</code> or <code>74/247</code> finds that \
             document.</p>\n",
        );
        h.push_str("</details>\n</form>\n");
        h
    }
}

/// An error as a page (with an empty search form).
pub fn error_page(err: &ServeError) -> Response {
    let title = match err.status() {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "Cannot search that",
        StatusCode::SERVICE_UNAVAILABLE => "Busy",
        _ => "Something went wrong",
    };
    error_page_with(err, title, &SearchForm::default())
}

fn error_page_with(err: &ServeError, title: &str, form: &SearchForm) -> Response {
    let main = format!(
        "<h1>{}</h1>\n<p class=\"error\" role=\"alert\">{}</p>\n<p><a href=\"/\">Start a new search</a></p>\n",
        esc(title),
        esc(err.message())
    );
    html_response(err.status(), layout(title, form, "", &main))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

async fn search_page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let mut req = match params::search_request(&pairs, PAGE_DEFAULTS) {
        Ok(r) => r,
        Err(e) => {
            let form = SearchForm {
                query: pairs
                    .iter()
                    .find(|(k, _)| k == "q")
                    .map(|(_, v)| v.chars().take(params::MAX_QUERY_CHARS).collect())
                    .unwrap_or_default(),
                ..Default::default()
            };
            return error_page_with(&e.into(), "Cannot search that", &form);
        }
    };
    req.facets = SIDEBAR.iter().map(|(f, _, _)| f.to_string()).collect();
    let form = SearchForm::of(&req);
    let for_search = req.clone();
    let result = state
        .run(move |store| Ok(crate::cli::search::search(store, &for_search)?))
        .await;
    match result {
        Ok(result) => html_response(StatusCode::OK, render_search(&req, &result, &form)),
        Err(e) => error_page_with(&e, "Cannot search that", &form),
    }
}

fn render_search(req: &SearchRequest, result: &SearchResult, form: &SearchForm) -> String {
    let base = params::request_pairs(req);
    let feed_href = format!("/feed?{}", encode_pairs(&base));
    let head = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Newest documents of this search\" href=\"{}\">\n",
        esc(&feed_href)
    );
    let mut m = String::with_capacity(16 * 1024);
    let title = if req.query.is_empty() && req.filters.is_empty() {
        "Newest documents".to_string()
    } else {
        format!("Search: {}", crate::serve::feed::describe(req))
    };
    m.push_str("<div class=\"layout\">\n");
    render_results(&mut m, req, result, &base, &feed_href);
    render_facets(&mut m, result, &base);
    m.push_str("</div>\n");
    layout(&title, form, &head, &m)
}

fn render_results(
    m: &mut String,
    req: &SearchRequest,
    result: &SearchResult,
    base: &[(String, String)],
    feed_href: &str,
) {
    m.push_str("<section class=\"results\" aria-labelledby=\"results-h\">\n");
    let first = req.offset + 1;
    let last = req.offset + result.hits.len();
    let noun = if result.total == 1 {
        "document"
    } else {
        "documents"
    };
    let _ = write!(
        m,
        "<h1 id=\"results-h\">{} {noun}",
        crate::cli::output::thousands(result.total)
    );
    if !req.query.is_empty() {
        let _ = write!(m, " for <q>{}</q>", esc(&req.query));
    }
    m.push_str("</h1>\n");
    if !result.hits.is_empty() {
        let _ = writeln!(m, "<p class=\"range\">Showing {first}–{last}</p>");
    }
    for w in &result.warnings {
        let _ = writeln!(m, "<p class=\"note\">Note: {}</p>", esc(w));
    }
    if !req.filters.is_empty() || req.from.is_some() || req.to.is_some() {
        m.push_str("<ul class=\"active\" aria-label=\"Active filters\">");
        for (k, v) in &req.filters {
            let without: Vec<_> = base
                .iter()
                .filter(|p| !(p.0 == *k && p.1 == *v))
                .cloned()
                .collect();
            let _ = write!(
                m,
                "<li><a href=\"{}\" aria-label=\"Remove filter {} {}\">{}: {} <span aria-hidden=\"true\">×</span></a></li>",
                esc(&search_href(&without)),
                esc(k),
                esc(v),
                esc(k),
                esc(v)
            );
        }
        let keep_query: Vec<_> = base.iter().filter(|p| p.0 == "q").cloned().collect();
        let _ = writeln!(
            m,
            "<li><a href=\"{}\">Clear all filters</a></li></ul>",
            esc(&search_href(&keep_query))
        );
    }
    if result.hits.is_empty() {
        m.push_str("<p>No documents match. Try fewer words or remove a filter.</p>\n");
    } else {
        let _ = writeln!(m, "<ol class=\"hits\" start=\"{first}\">");
        for hit in &result.hits {
            render_hit(m, hit);
        }
        m.push_str("</ol>\n");
    }
    render_paging(m, req, result.total, base);
    let _ = writeln!(
        m,
        "<p class=\"feed\"><a href=\"{}\">Atom feed of the newest documents of this search</a></p>",
        esc(feed_href)
    );
    m.push_str("</section>\n");
}

fn render_hit(m: &mut String, hit: &Hit) {
    let ld = lang_dir(&hit.lang);
    m.push_str("<li class=\"hit\">\n");
    let _ = writeln!(
        m,
        "<h2><a href=\"{}\"><span class=\"symbol\">{}</span> <span class=\"title\" {ld}>{}</span></a></h2>",
        esc(&doc_href(&hit.symbol, Some(&hit.lang))),
        esc(&hit.symbol),
        esc(if hit.title.is_empty() {
            "(untitled)"
        } else {
            &hit.title
        })
    );
    let mut meta: Vec<String> = Vec::new();
    if let Some(d) = hit.date {
        meta.push(format!(
            "<time datetime=\"{d}\">{}</time>",
            d.format("%-d %B %Y")
        ));
    }
    meta.push(esc(&hit.doc_type));
    if let Some(s) = &hit.session {
        meta.push(format!("session {}", esc(s)));
    }
    if let Some(c) = &hit.committee {
        meta.push(esc(&committee_label(c)));
    }
    if hit.lang != "en" {
        meta.push(esc(language_name(&hit.lang)));
    }
    let _ = writeln!(m, "<p class=\"meta\">{}</p>", meta.join(" · "));
    if !hit.snippet.is_empty() {
        let _ = writeln!(
            m,
            "<p class=\"snippet\" {ld}>{}</p>",
            highlight(&hit.snippet, &hit.highlights)
        );
    }
    m.push_str("</li>\n");
}

fn committee_label(c: &str) -> String {
    match c {
        "plenary" => "plenary".to_string(),
        other => {
            let mut chars = other.chars();
            match chars.next() {
                Some(f) => format!("{}{} Committee", f.to_uppercase(), chars.as_str()),
                None => String::new(),
            }
        }
    }
}

/// The snippet with its highlighted byte ranges in `<mark>`; bad ranges are skipped.
pub fn highlight(snippet: &str, ranges: &[[usize; 2]]) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    let mut at = 0;
    for [a, b] in ranges {
        let (a, b) = (*a, *b);
        if a < at
            || b < a
            || b > snippet.len()
            || !snippet.is_char_boundary(a)
            || !snippet.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&esc(&snippet[at..a]));
        out.push_str("<mark>");
        out.push_str(&esc(&snippet[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&esc(&snippet[at..]));
    out
}

fn render_paging(m: &mut String, req: &SearchRequest, total: u64, base: &[(String, String)]) {
    let total = total as usize;
    let limit = req.limit.max(1);
    if total <= limit && req.offset == 0 {
        return;
    }
    let page_href = |offset: usize| {
        let mut p = base.to_vec();
        if offset > 0 {
            p.push(pair("offset", &offset.to_string()));
        }
        if limit != PAGE_DEFAULTS.limit {
            p.push(pair("limit", &limit.to_string()));
        }
        esc(&search_href(&p))
    };
    m.push_str("<nav class=\"paging\" aria-label=\"Result pages\"><ul>");
    if req.offset > 0 {
        let prev = req.offset.saturating_sub(limit);
        let _ = write!(
            m,
            "<li><a rel=\"prev\" href=\"{}\">← Previous</a></li>",
            page_href(prev)
        );
    }
    let pages = total.div_ceil(limit);
    let _ = write!(
        m,
        "<li aria-current=\"page\">Page {} of {pages}</li>",
        req.offset / limit + 1
    );
    let next = req.offset + limit;
    if next < total && next <= MAX_OFFSET {
        let _ = write!(
            m,
            "<li><a rel=\"next\" href=\"{}\">Next →</a></li>",
            page_href(next)
        );
    }
    m.push_str("</ul></nav>\n");
}

fn render_facets(m: &mut String, result: &SearchResult, base: &[(String, String)]) {
    m.push_str("<aside class=\"facets\" aria-labelledby=\"facets-h\">\n<h2 id=\"facets-h\">Narrow the search</h2>\n");
    for (facet, param, heading) in SIDEBAR {
        let Some(values) = result.facets.get(*facet) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        let mut values: Vec<(&String, &u64)> = values.iter().collect();
        if matches!(*facet, "session" | "year") {
            values.sort_by(|a, b| numeric_desc(a.0, b.0));
        } else {
            values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        }
        values.truncate(FACET_MAX);
        let id = format!("facet-{facet}");
        let _ = writeln!(
            m,
            "<section class=\"facet\" aria-labelledby=\"{id}\"><h3 id=\"{id}\">{heading}</h3>"
        );
        let (shown, more) = values.split_at(values.len().min(FACET_SHOWN));
        facet_list(m, shown, param, facet, base);
        if !more.is_empty() {
            let _ = write!(
                m,
                "<details><summary>{} more <span class=\"visually-hidden\">{}</span></summary>",
                more.len(),
                heading.to_lowercase()
            );
            facet_list(m, more, param, facet, base);
            m.push_str("</details>");
        }
        m.push_str("</section>\n");
    }
    m.push_str("</aside>\n");
}

fn numeric_desc(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => y.cmp(&x),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    }
}

fn facet_list(
    m: &mut String,
    values: &[(&String, &u64)],
    param: &str,
    facet: &str,
    base: &[(String, String)],
) {
    m.push_str("<ul>");
    for (value, count) in values {
        let active = base.iter().any(|(k, v)| k == param && v == *value);
        let href = if active {
            let without: Vec<_> = base
                .iter()
                .filter(|(k, v)| !(k == param && v == *value))
                .cloned()
                .collect();
            search_href(&without)
        } else {
            let mut with = base.to_vec();
            with.push(pair(param, value));
            search_href(&with)
        };
        let label = match facet {
            "lang" => language_name(value).to_string(),
            "committee" => committee_label(value),
            _ => value.to_string(),
        };
        let (cur, mark) = if active {
            (" aria-current=\"true\" class=\"on\"", "✓ ")
        } else {
            ("", "")
        };
        let _ = write!(
            m,
            "<li><a href=\"{}\"{cur}>{mark}{} <span class=\"count\">{}</span></a></li>",
            esc(&href),
            esc(&label),
            crate::cli::output::thousands(**count)
        );
    }
    m.push_str("</ul>");
}

async fn doc_page(
    State(state): State<AppState>,
    symbol: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Ok(Path(symbol)) = symbol else {
        return error_page(&ServeError::BadRequest(
            "the symbol is not valid UTF-8 once percent-decoded".to_string(),
        ));
    };
    let lang = match lang_param(raw.as_deref()) {
        Ok(l) => l,
        Err(e) => return error_page(&e),
    };
    let asked = symbol.clone();
    let result = state
        .run(move |store| {
            let found = find_doc(store, &symbol, lang.as_deref())?;
            let citing = match found.record.symbol.strip_prefix("A/RES/") {
                Some(reference) => {
                    let req = SearchRequest {
                        filters: vec![pair("cites", reference)],
                        limit: 1,
                        ..Default::default()
                    };
                    store
                        .search(&req, &crate::shorthand::normalize_symbol)?
                        .total
                }
                None => 0,
            };
            if found.record.symbol != asked.trim() {
                return Ok((found, lang, citing, None));
            }
            let chain = Chain::of(store, &found.record)?;
            Ok((found, lang, citing, Some(chain)))
        })
        .await;
    match result {
        Ok((found, lang, _, None)) => {
            // shorthand (`74/247`) or alias: send to the permanent address
            let to = doc_href(&found.record.symbol, lang.as_deref());
            Redirect::permanent(&to).into_response()
        }
        Ok((found, _, citing, Some(chain))) => {
            html_response(StatusCode::OK, render_doc(&found, citing, &chain))
        }
        Err(e) => error_page(&e),
    }
}

fn render_doc(found: &FoundDoc, citing: u64, chain: &Chain) -> String {
    let r = &found.record;
    let ld = lang_dir(&r.lang);
    let mut m = String::with_capacity(r.text.len() * 11 / 10 + 8192);
    let _ = writeln!(
        m,
        "<article class=\"doc\">\n<h1><span class=\"symbol\">{}</span> <span class=\"title\" {ld}>{}</span></h1>",
        esc(&r.symbol),
        esc(if r.title.is_empty() {
            "(untitled)"
        } else {
            &r.title
        })
    );
    if found.languages.len() > 1 {
        m.push_str("<nav class=\"langs\" aria-label=\"Other languages\"><h2 class=\"inline\">Languages</h2><ul>");
        for l in &found.languages {
            let name = esc(language_name(l));
            let code = lang_attr(l);
            if *l == r.lang {
                let _ = write!(
                    m,
                    "<li><a aria-current=\"page\" class=\"on\" lang=\"{code}\" href=\"{}\">{name}</a></li>",
                    esc(&doc_href(&r.symbol, Some(l)))
                );
            } else {
                let _ = write!(
                    m,
                    "<li><a lang=\"{code}\" hreflang=\"{code}\" href=\"{}\">{name}</a></li>",
                    esc(&doc_href(&r.symbol, Some(l)))
                );
            }
        }
        m.push_str("</ul></nav>\n");
    }
    m.push_str("<h2>Details</h2>\n<dl class=\"fields\">\n");
    render_fields(&mut m, r, citing);
    if !found.related.is_empty() {
        let links: Vec<String> = found.related.iter().map(|s| doc_link(s)).collect();
        dd(&mut m, "Related documents", &links.join(", "));
    }
    m.push_str("</dl>\n");
    let _ = writeln!(
        m,
        "<p class=\"json\"><a href=\"/api{}\">This record as JSON</a></p>",
        esc(&doc_href(&r.symbol, Some(&r.lang)))
    );
    chain.render(&mut m);
    m.push_str("<h2>Text</h2>\n");
    if r.text.trim().is_empty() {
        m.push_str("<p>The index has no text for this document.</p>\n");
    } else {
        let _ = writeln!(m, "<div class=\"text\" {ld}>");
        for para in r.text.split("\n\n") {
            let para = para.trim();
            if para.is_empty() {
                continue;
            }
            let lines: Vec<String> = para.lines().map(esc).collect();
            let _ = writeln!(m, "<p>{}</p>", lines.join("<br>\n"));
        }
        m.push_str("</div>\n");
    }
    m.push_str("</article>\n");
    let title = if r.title.is_empty() {
        r.symbol.clone()
    } else {
        format!("{}: {}", r.symbol, r.title)
    };
    layout(&title, &SearchForm::default(), "", &m)
}

fn dd(m: &mut String, term: &str, html: &str) {
    if html.is_empty() {
        return;
    }
    let _ = writeln!(m, "<dt>{}</dt><dd>{html}</dd>", esc(term));
}

/// A link to a document's page, its symbol as the text.
pub fn doc_link(symbol: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        esc(&doc_href(symbol, None)),
        esc(symbol)
    )
}

fn filter_link(param: &str, value: &str, label: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        esc(&search_href(&[pair(param, value)])),
        esc(label)
    )
}

fn render_fields(m: &mut String, r: &Record, citing: u64) {
    dd(
        m,
        "Document type",
        &filter_link("type", r.doc_type.as_str(), r.doc_type.as_str()),
    );
    if let Some(s) = &r.session {
        dd(m, "Session", &filter_link("session", s, s));
    }
    if let Some(c) = r.committee {
        dd(
            m,
            "Committee",
            &filter_link("committee", c.as_str(), &committee_label(c.as_str())),
        );
    }
    let agenda: Vec<String> = r
        .agenda_items
        .iter()
        .map(|item| match &r.session {
            Some(s) => filter_link("agenda", &format!("{s}/{item}"), item),
            None => filter_link("agenda", item, item),
        })
        .collect();
    dd(m, "Agenda items", &agenda.join(", "));
    if let Some(d) = r.date {
        dd(
            m,
            "Date",
            &format!("<time datetime=\"{d}\">{}</time>", d.format("%-d %B %Y")),
        );
    }
    if let Some(d) = r.adoption_date {
        dd(
            m,
            "Adopted",
            &format!("<time datetime=\"{d}\">{}</time>", d.format("%-d %B %Y")),
        );
    }
    if let Some(d) = r.distribution {
        dd(m, "Distribution", &esc(d.as_str()));
    }
    if let Some(o) = &r.original_language {
        dd(m, "Original language", &esc(o));
    }
    let states = |names: &[String], param: &str| -> String {
        let links: Vec<String> = names.iter().map(|s| filter_link(param, s, s)).collect();
        links.join(", ")
    };
    dd(m, "Sponsors", &states(&r.sponsors, "original_sponsor"));
    dd(
        m,
        "Additional sponsors",
        &states(&r.additional_sponsors, "additional_sponsor"),
    );
    if let Some(v) = r.votes {
        dd(m, "Vote", &esc(&v.to_string()));
    }
    let links = |symbols: &[String]| -> String {
        symbols
            .iter()
            .map(|s| doc_link(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    dd(m, "Drafts", &links(&r.draft_symbols));
    if let Some(s) = &r.committee_report {
        dd(m, "Committee report", &doc_link(s));
    }
    if let Some(s) = &r.adopted_as {
        dd(m, "Adopted as", &doc_link(s));
    }
    let cites: Vec<String> = r
        .cites
        .iter()
        .map(|c| {
            format!(
                "<a href=\"{}\">{}</a>",
                esc(&search_href(&[pair("q", &format!("symbol:\"{c}\""))])),
                esc(c)
            )
        })
        .collect();
    dd(m, "Cites resolutions", &cites.join(", "));
    dd(m, "Cites documents", &links(&r.cited_documents));
    if let Some(reference) = r.symbol.strip_prefix("A/RES/") {
        let q = format!("cites:\"{reference}\"");
        let label = match citing {
            0 => "no document in the index".to_string(),
            1 => "1 document".to_string(),
            n => format!("{n} documents"),
        };
        dd(m, "Cited by", &filter_link("q", &q, &label));
    }
    if r.source.starts_with("https://") || r.source.starts_with("http://") {
        dd(
            m,
            "Source",
            &format!("<a href=\"{}\">{}</a>", esc(&r.source), esc(&r.source)),
        );
    } else if !r.source.is_empty() {
        dd(m, "Source", &esc(&r.source));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_breaks_out() {
        assert_eq!(
            esc("<script>\"'><img onerror=x>&\u{7}"),
            "&lt;script&gt;&quot;&#39;&gt;&lt;img onerror=x&gt;&amp;"
        );
    }

    #[test]
    fn highlight_escapes_and_ignores_bad_ranges() {
        let s = "a <b> and é";
        assert_eq!(
            highlight(s, &[[2, 5], [0, 1], [10, 11], [7, 99]]),
            "a <mark>&lt;b&gt;</mark> and é"
        );
    }

    #[test]
    fn lang_attributes_are_sanitized() {
        assert_eq!(lang_attr("fr"), "fr");
        assert_eq!(lang_attr("\"><x"), "und");
        assert!(lang_dir("ar").contains("rtl"));
    }
}

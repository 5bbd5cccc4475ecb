//! UNxml/GAresolutions: one tree listing on the API host, then the raw files of the configured
//! languages whose git blob sha changed since they were last stored.

use reqwest::header::{ACCEPT, HeaderValue};
use serde::Deserialize;
use url::Url;

use crate::error::CrawlError;
use crate::frontier::{BodyKind, Ctx, Item};
use crate::lang;
use crate::raw_store::{FetchStatus, SourceKind};

#[derive(Debug, Deserialize)]
struct Tree {
    sha: String,
    tree: Vec<TreeEntry>,
    #[serde(default)]
    truncated: bool,
}

#[derive(Debug, Deserialize)]
struct TreeEntry {
    path: String,
    #[serde(rename = "type")]
    kind: String,
    sha: String,
}

/// A repository file to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RepoFile {
    pub path: String,
    pub sha: String,
    pub lang: Option<String>,
    pub kind: BodyKind,
}

/// Runs the GitHub source.
pub(crate) async fn run(ctx: &Ctx) -> Result<(), CrawlError> {
    let c = &ctx.config;
    let repo = &c.crawler.github_repo;
    let tree_url = join(
        &c.sources.github_api,
        &format!(
            "repos/{repo}/git/trees/{}?recursive=1",
            c.crawler.github_branch
        ),
    );
    let mut item = Item::new(SourceKind::GithubApi, tree_url);
    item.key = Some(format!("{repo}@{}", c.crawler.github_branch));
    item.headers.insert(
        ACCEPT,
        HeaderValue::from_static("application/vnd.github+json"),
    );
    item.headers.insert(
        "x-github-api-version",
        HeaderValue::from_static("2022-11-28"),
    );
    ctx.plan(SourceKind::GithubApi, 1);
    let outcome = ctx.fetch(item).await?;
    ctx.emit(crate::report::CrawlEvent::SourceFinished {
        source: SourceKind::GithubApi,
    });
    let Some(body) = outcome.body else {
        tracing::warn!(status = ?outcome.entry.status, "repository tree unavailable: repository files skipped");
        return Ok(());
    };
    let tree: Tree = match tokio::task::spawn_blocking(move || {
        serde_json::from_slice::<Tree>(&body)
    })
    .await
    {
        Ok(Ok(tree)) => tree,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "repository tree is not valid JSON: repository files skipped");
            ctx.with_report(|r| r.counts(SourceKind::GithubApi).failed += 1);
            return Ok(());
        }
        Err(e) => return Err(CrawlError::Task(e.to_string())),
    };
    if tree.truncated {
        tracing::warn!("repository tree listing truncated: some files may be missing");
    }
    let languages = ctx.languages();
    let files = select(&tree, &languages, &ctx.options.sessions);
    ctx.plan(SourceKind::GithubRaw, files.len() as u64);
    let mut all_ok = true;
    for file in files {
        let url = raw_url(
            &c.sources.github_raw,
            repo,
            &c.crawler.github_branch,
            &file.path,
        );
        let prior = ctx.latest.get(url.as_str());
        if prior.is_some_and(|p| p.has_body() && p.git_sha.as_deref() == Some(file.sha.as_str())) {
            ctx.skipped(SourceKind::GithubRaw);
            continue;
        }
        let mut item = Item::new(SourceKind::GithubRaw, url);
        item.key = Some(file.path.clone());
        item.lang = file.lang.clone();
        item.kind = file.kind;
        item.git_sha = Some(file.sha.clone());
        let outcome = ctx.fetch(item).await?;
        all_ok &= matches!(
            outcome.entry.status,
            FetchStatus::Fetched | FetchStatus::NotModified
        );
    }
    ctx.emit(crate::report::CrawlEvent::SourceFinished {
        source: SourceKind::GithubRaw,
    });
    if all_ok {
        let _guard = ctx.state_lock.lock().await;
        let sha = tree.sha.clone();
        ctx.blocking(move |s| {
            let mut state = s.state()?;
            state.github_tree_sha = Some(sha);
            s.save_state(&state)
        })
        .await?;
    }
    Ok(())
}

/// The files of the tree gadocs wants: resolution XML in the configured languages, the
/// session-74 language zips, and `data_extract/*.json`.
fn select(tree: &Tree, languages: &[String], sessions: &[String]) -> Vec<RepoFile> {
    let wanted = |code: Option<&str>| code.is_none_or(|c| languages.iter().any(|l| l == c));
    let mut out = Vec::new();
    for entry in tree.tree.iter().filter(|e| e.kind == "blob") {
        let path = entry.path.as_str();
        if !sessions.is_empty() && !sessions.iter().any(|s| in_session(path, s)) {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let (lang, kind) = if name.ends_with(".xml") {
            let folder = path.rsplit('/').nth(1).and_then(lang::from_name);
            (lang::from_file_name(name).or(folder), BodyKind::Any)
        } else if name.ends_with(".zip") {
            let stem = name.trim_end_matches(".zip");
            let zip_lang = stem.rsplit(['_', ' ']).next().and_then(lang::from_name);
            (zip_lang, BodyKind::Zip)
        } else if path.starts_with("data_extract/") && name.ends_with(".json") {
            (None, BodyKind::Any)
        } else {
            continue;
        };
        if !wanted(lang) {
            continue;
        }
        out.push(RepoFile {
            path: entry.path.clone(),
            sha: entry.sha.clone(),
            lang: lang.map(str::to_owned),
            kind,
        });
    }
    out
}

/// True if a repository path belongs to session `s` (`74`, `ES-11`).
fn in_session(path: &str, s: &str) -> bool {
    path.starts_with(&format!("{s}session/"))
        || path.starts_with(&format!("Emergency sessions/{s}/"))
        || path == format!("data_extract/{s}.json")
}

/// Raw URL of a repository path, each segment percent-encoded (space → `%20`).
pub(crate) fn raw_url(base: &Url, repo: &str, branch: &str, path: &str) -> Url {
    let mut url = base.clone();
    {
        let mut segs = url
            .path_segments_mut()
            .expect("http(s) base URLs have path segments");
        segs.pop_if_empty();
        for part in repo.split('/').chain([branch]).chain(path.split('/')) {
            segs.push(part);
        }
    }
    url
}

fn join(base: &Url, rel: &str) -> Url {
    let mut s = base.as_str().trim_end_matches('/').to_owned();
    s.push('/');
    s.push_str(rel);
    Url::parse(&s).expect("base URL plus a relative path parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_urls_encode_segments() {
        let base = Url::parse("https://raw.githubusercontent.com").unwrap();
        let url = raw_url(
            &base,
            "UNxml/GAresolutions",
            "main",
            "Emergency sessions/ES-11/English/A_RES_75_242 B-2108986E.xml",
        );
        assert_eq!(
            url.as_str(),
            "https://raw.githubusercontent.com/UNxml/GAresolutions/main/Emergency%20sessions/ES-11/English/A_RES_75_242%20B-2108986E.xml"
        );
    }

    #[test]
    fn selects_languages() {
        let blob = |p: &str| TreeEntry {
            path: p.into(),
            kind: "blob".into(),
            sha: "x".into(),
        };
        let tree = Tree {
            sha: "t".into(),
            truncated: false,
            tree: vec![
                blob("75session/English/75_274_F.xml"),
                blob("75session/English/75_1_E.xml"),
                blob("74session/GA resolutions_74session_Arabic.zip"),
                blob("data_extract/74.json"),
                blob("README.md"),
                blob("77session/German/A_RES_77_1-2212345G.xml"),
            ],
        };
        let en = select(&tree, &["en".into()], &[]);
        let paths: Vec<&str> = en.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["75session/English/75_1_E.xml", "data_extract/74.json"]
        );
        let all = select(&tree, &["en".into(), "fr".into(), "ar".into()], &[]);
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].lang.as_deref(), Some("fr"));
        assert_eq!(select(&tree, &["en".into()], &["74".into()]).len(), 1);
    }
}

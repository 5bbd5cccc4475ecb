//! `gadocs update` end to end against the real un-mirror (started here over
//! `../shared/corpus`, killed on drop): the `gadocs` binary crawls into a temporary data
//! folder, indexes the raw store and merges the catalogue; the index is then compared with
//! the mirror's `/_mirror/manifest`. Crawls are restricted to one session (`--session`) for
//! the repository files to keep the tests near a minute each; catalogue records and ODS files
//! are always harvested in full.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::mirror::{Mirror, assert_nothing_new, expected, gadocs, harvested, update};

fn show(config: &Path, data: &Path, symbol: &str) -> Value {
    let out = gadocs(config, data, &["show", "--json", symbol]);
    assert!(
        out.status.success(),
        "show {symbol}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("show --json")
}

fn search(config: &Path, data: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json", "--limit", "50"];
    all.extend_from_slice(args);
    let out = gadocs(config, data, &all);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "search {args:?}: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["symbol"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// One record of the index: its names (symbol and aliases) and language.
#[derive(Debug, Clone)]
struct Indexed {
    symbol: String,
    names: BTreeSet<String>,
    lang: String,
    has_text: bool,
}

fn export(config: &Path, data: &Path) -> Vec<Indexed> {
    let out = gadocs(config, data, &["export"]);
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let r: Value = serde_json::from_str(line).expect("export line");
            let symbol = r["symbol"].as_str().unwrap_or_default().to_owned();
            let mut names: BTreeSet<String> = BTreeSet::from([symbol.clone()]);
            for a in r["aliases"].as_array().into_iter().flatten() {
                names.extend(a.as_str().map(str::to_owned));
            }
            Indexed {
                symbol,
                names,
                lang: r["lang"].as_str().unwrap_or_default().to_owned(),
                has_text: r["has_text"].as_bool().unwrap_or(false),
            }
        })
        .collect()
}

/// Compares the index with the expected documents; returns (expected but missing, indexed
/// but not expected).
fn compare(
    index: &[Indexed],
    want: &[(BTreeSet<String>, String, bool)],
) -> (Vec<String>, Vec<String>) {
    let mut by_name: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, r) in index.iter().enumerate() {
        for n in &r.names {
            by_name.insert((n.clone(), r.lang.clone()), i);
        }
    }
    let mut used = vec![false; index.len()];
    let mut missing = Vec::new();
    for (names, lang, text) in want {
        let hit = names
            .iter()
            .find_map(|n| by_name.get(&(n.clone(), lang.clone())).copied());
        match hit {
            Some(i) => {
                if used[i] {
                    missing.push(format!(
                        "{names:?} [{lang}] shares the record {} with another document",
                        index[i].symbol
                    ));
                }
                used[i] = true;
                if !text && index[i].has_text {
                    missing.push(format!("{names:?} [{lang}] should have no text"));
                }
            }
            None => missing.push(format!("{names:?} [{lang}] text={text}")),
        }
    }
    let extra = index
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(r, _)| format!("{} [{}]", r.symbol, r.lang))
        .collect();
    (missing, extra)
}

fn assert_matches_manifest(config: &Path, data: &Path, manifest: &Value, sessions: &[&str]) {
    let index = export(config, data);
    let want = expected(manifest, sessions);
    let (missing, extra) = compare(&index, &want);
    eprintln!(
        "index {} records ({} without text); expected from the manifest for sessions {sessions:?}: {} ({} metadata-only); manifest total {}",
        index.len(),
        index.iter().filter(|r| !r.has_text).count(),
        want.len(),
        want.iter().filter(|w| !w.2).count(),
        manifest["totals"]["documents"]
    );
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {}: {:?}\nnot expected {}: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)],
        extra.len(),
        &extra[..extra.len().min(10)]
    );
    assert_eq!(index.len(), want.len());
}

#[test]
fn update_merges_catalogue_and_indexes_metadata_only_documents_then_nothing() {
    let mirror = Mirror::start(&[]);
    let config = mirror.config();
    let data = tempfile::tempdir().unwrap();
    let data = data.path();

    let first = update(&config, data, &["--session", "74"], "first update");
    assert!(first["crawl"]["marc_records"].as_u64().unwrap() > 3000);
    assert!(first["indexed"].as_u64().unwrap() > 5000, "{first}");
    assert_eq!(
        first["skipped"].as_array().map(Vec::len),
        Some(0),
        "{first}"
    );

    // A draft known only from the catalogue, linked to the resolution it became.
    let draft = show(&config, data, "A/C.3/74/L.11");
    assert_eq!(draft["has_text"], false, "{draft}");
    assert_eq!(draft["lang"], "en");
    assert_eq!(draft["doc_type"], "draft resolution");
    assert_eq!(draft["adopted_as"], "A/RES/74/247", "{draft}");
    assert!(
        draft["sponsors"]
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x == "Belarus"))
    );
    assert_eq!(draft["agenda_items"][0], "107");

    // The resolution: text from the XML, relations to its drafts and the committee report.
    let res = show(&config, data, "A/RES/74/247");
    assert_eq!(res["has_text"], true);
    assert!(
        !res["draft_symbols"].as_array().unwrap().is_empty(),
        "{res}"
    );
    assert_eq!(
        res["committee_report"], "A/74/401",
        "{}",
        res["committee_report"]
    );
    assert!(!res["sponsors"].as_array().unwrap().is_empty());
    assert_eq!(res["votes"]["yes"], 79);

    // A committee report known only from the catalogue is searchable by its title words.
    let hits = search(
        &config,
        data,
        &["report of the Third Committee countering information communications"],
    );
    assert!(hits.iter().any(|h| h == "A/74/401"), "{hits:?}");
    let report = show(&config, data, "A/74/401");
    assert_eq!(report["has_text"], false);
    assert_eq!(report["doc_type"], "report");
    // … and the draft by sponsor and agenda item.
    let hits = search(
        &config,
        data,
        &["--sponsor", "Belarus", "--session", "74", "--agenda", "107"],
    );
    assert!(hits.iter().any(|h| h == "A/C.3/74/L.11"), "{hits:?}");

    // Every document of the manifest the crawl covered, nothing else.
    let manifest = mirror.manifest();
    assert_matches_manifest(&config, data, &manifest, &["74"]);

    // A second update downloads nothing new and changes nothing.
    let second = update(&config, data, &["--session", "74"], "second update");
    assert_nothing_new(&first, &second);
}

#[test]
fn update_after_publish_indexes_exactly_the_published_documents() {
    let mirror = Mirror::start(&["--hold-back", "3"]);
    let config = mirror.config();
    let data = tempfile::tempdir().unwrap();
    let data = data.path();

    update(&config, data, &["--session", "80"], "before publish");
    let before = mirror.manifest();
    assert_matches_manifest(&config, data, &before, &["80"]);

    let published = mirror.http("POST", "/_mirror/publish?count=2");
    let symbols: Vec<String> = published["published"]
        .as_array()
        .expect("published symbols")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    assert_eq!(symbols.len(), 2, "{published}");
    let after = mirror.manifest();
    let new: Vec<(String, String)> = harvested(&after, &["80"])
        .difference(&harvested(&before, &["80"]))
        .cloned()
        .collect();
    eprintln!("published {symbols:?}; new documents {new:?}");
    assert!(
        symbols.iter().all(|s| new.iter().any(|(n, _)| n == s)),
        "{new:?}"
    );

    let run = update(&config, data, &["--session", "80"], "after publish");
    assert_eq!(run["indexed"].as_u64(), Some(new.len() as u64), "{run}");
    assert_eq!(run["updated"], 0, "{run}");
    assert_matches_manifest(&config, data, &after, &["80"]);
    for s in &symbols {
        let r = show(&config, data, s);
        assert_eq!(r["has_text"], true, "{s}: {r}");
    }
}

/// Issue 4: `gadocs schedule --every 2s` against the mirror; documents published between
/// runs appear in search and in `gadocs changes`, while searches running alongside never
/// fail and never see the index shrink; SIGTERM stops it with status 0.
#[test]
fn schedule_picks_up_published_documents_while_searches_run() {
    let mirror = Mirror::start(&["--hold-back", "3"]);
    let config = mirror.config();
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    update(&config, data, &["--session", "80"], "before schedule");
    let count = || {
        let out = gadocs(&config, data, &["stats", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["documents"].as_u64().unwrap()
    };
    let before = count();
    let mut sched = Command::new(env!("CARGO_BIN_EXE_gadocs"))
        .arg("--config")
        .arg(&config)
        .arg("--data")
        .arg(data)
        .args(["schedule", "--every", "2s", "--session", "80"])
        .env_remove("GADOCS_CONFIG")
        .env_remove("GADOCS_DATA")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(data.join("schedule.log")).unwrap())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let cut = chrono::Utc::now().to_rfc3339();
    let published = mirror.http("POST", "/_mirror/publish?count=2");
    let t0 = Instant::now();
    let symbols: Vec<String> = published["published"]
        .as_array()
        .expect("published symbols")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    assert_eq!(symbols.len(), 2, "{published}");
    let mut last = before;
    let mut searches = 0;
    let mut searchable = None;
    while t0.elapsed() < Duration::from_secs(240) {
        let n = count();
        assert!(
            n >= last,
            "the index shrank from {last} to {n} during a run"
        );
        last = n;
        let hits = search(&config, data, &["--session", "80"]);
        assert!(!hits.is_empty());
        searches += 1;
        let found = symbols.iter().all(|s| {
            gadocs(&config, data, &["show", "--json", s])
                .status
                .success()
        });
        if found {
            searchable = Some(t0.elapsed());
            break;
        }
    }
    let searchable = searchable.expect("published documents never became searchable");
    eprintln!(
        "published → searchable in {:.1}s ({searches} searches alongside)",
        searchable.as_secs_f64()
    );
    let out = gadocs(&config, data, &["changes", "--json", "--since", &cut]);
    let listed: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["symbol"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for s in &symbols {
        assert!(
            listed.iter().any(|l| l == s),
            "{s} not in changes: {listed:?}"
        );
    }
    std::thread::sleep(Duration::from_secs(3));
    let st = Command::new("kill")
        .arg("-TERM")
        .arg(sched.id().to_string())
        .status()
        .unwrap();
    assert!(st.success());
    let status = sched.wait().unwrap();
    let log = std::fs::read_to_string(data.join("schedule.log")).unwrap();
    assert_eq!(status.code(), Some(0), "{log}");
    let runs: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("schedule: run "))
        .collect();
    eprintln!("{}", runs.join("\n"));
    assert!(runs.len() >= 2, "{log}");
    let after = count();
    assert!(after >= last && after > before, "{before} → {after}");

    // an index lost (or recreated for a new schema version) is rebuilt from the raw store
    std::fs::remove_dir_all(data.join("index")).unwrap();
    let rebuilt = update(&config, data, &["--no-crawl"], "rebuild from the raw store");
    assert_eq!(
        rebuilt["documents_in_index"].as_u64(),
        Some(after),
        "{rebuilt}"
    );
}

/// The whole mirror under its fault profile (429, 503, connection resets, truncated bodies,
/// slow answers), with `update` killed (SIGKILL) three times mid-run: after each kill the
/// index opens and answers; the run after the kills completes the set the manifest lists —
/// nothing lost, nothing twice, no truncated file indexed — and one more run downloads and
/// changes nothing. Several minutes (a full harvest at the mirror's Crawl-delay of 0.2 s), so
/// `.ci/run` runs it in release with `--ignored full_harvest`.
#[test]
#[ignore = "full harvest of the mirror under faults, several minutes; .ci/run runs it (--ignored full_harvest)"]
fn full_harvest_under_faults_survives_kills_and_matches_the_manifest() {
    let mirror = Mirror::start(&[
        "--faults",
        "rate429=0.05,rate503=0.05,reset=0.02,truncate=0.02,slow=0.01",
        "--seed",
        "11",
    ]);
    let config = mirror.config();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let started = Instant::now();
    for (i, secs) in [3u64, 9, 20].into_iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gadocs"))
            .arg("--config")
            .arg(&config)
            .arg("--data")
            .arg(data)
            .args(["--quiet", "update"])
            .env_remove("GADOCS_CONFIG")
            .env_remove("GADOCS_DATA")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start update");
        std::thread::sleep(std::time::Duration::from_secs(secs));
        let finished = child.try_wait().expect("wait").is_some();
        if !finished {
            child.kill().expect("SIGKILL");
        }
        child.wait().expect("reap");
        eprintln!(
            "kill {}: after {secs}s (finished before: {finished})",
            i + 1
        );
        // a Retry-After the killed process was honouring dies with it: wait it out
        std::thread::sleep(std::time::Duration::from_millis(1500));
        // whatever was committed opens and answers
        if data.join("index").exists() {
            let out = gadocs(&config, data, &["search", "--json", "--limit", "1"]);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "search after kill {}: {:?} {}",
                i + 1,
                code,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let first = update(&config, data, &[], "update after three kills");
    let manifest = mirror.manifest();
    assert_matches_manifest(&config, data, &manifest, &["*"]);
    let total = started.elapsed().as_secs_f64();
    let docs = first["documents_in_index"].as_u64().unwrap_or(0);
    let stats = mirror.http("GET", "/_mirror/stats");
    eprintln!(
        "full harvest under faults: {docs} documents in {total:.0}s with three kills ({:.1} documents/s); mirror stats: {stats}",
        docs as f64 / total
    );
    let violations = &stats["totals"]["violations"];
    let count: u64 = violations
        .as_object()
        .map(|v| v.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    assert_eq!(count, 0, "politeness violations: {violations}; {stats}");
    let t = Instant::now();
    let second = update(&config, data, &[], "no-change update");
    eprintln!("no-change full update: {:.1}s", t.elapsed().as_secs_f64());
    assert_nothing_new(&first, &second);
}

/// `update` (session 80, committing every 100 records) killed with SIGKILL 20 times, each run
/// resuming the last: half the kills at moments spread over the first seconds of a run (the
/// crawl and the first commits), half right after the run's first commit that changes
/// records (the change digest `changes.jsonl`, appended after each commit, grows), so kills
/// land before, between and after commits whatever the machine's speed. After every kill the
/// index opens and answers, its document count never goes down (a commit is all or nothing)
/// and holds what a digested commit brought; the run after the last kill converges to
/// exactly the set the manifest lists. `.ci/run` runs it in release (`--ignored`).
#[test]
#[ignore = "20 kill -9 of update against the mirror, a few minutes; run in release as .ci/run does (--release -- --ignored)"]
fn update_killed_at_20_points_converges_to_the_manifest() {
    let mirror = Mirror::start(&[]);
    let config = mirror.config();
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("[index]\n", "[index]\ncommit_every_docs = 100\n"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let digest = data.join("changes.jsonl");
    let digest_len = || std::fs::metadata(&digest).map(|m| m.len()).unwrap_or(0);
    let count = |label: &str| -> u64 {
        if !data.join("index").exists() {
            return 0;
        }
        let out = gadocs(
            &config,
            data,
            &["search", "--json", "--limit", "1", "--no-snippets"],
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{label}: the index does not answer: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("search --json");
        v["total"].as_u64().unwrap_or(0)
    };
    // timed kills: fractions of an uninterrupted run's time (measured here, in another
    // folder: debug and release builds differ tenfold), in a shuffled order
    let reference = tempfile::tempdir().unwrap();
    let t = Instant::now();
    update(
        &config,
        reference.path(),
        &["--session", "80"],
        "uninterrupted reference run",
    );
    let full = t.elapsed().as_secs_f64();
    let span = full.min(3.0);
    let mut seen = Vec::new();
    let mut last = 0;
    let mut killed = 0;
    let mut killed_after_commit = 0;
    for i in 0..20 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gadocs"))
            .arg("--config")
            .arg(&config)
            .arg("--data")
            .arg(data)
            .args(["--quiet", "update", "--session", "80"])
            .env_remove("GADOCS_CONFIG")
            .env_remove("GADOCS_DATA")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start update");
        let mut committed = false;
        let moment = if i % 2 == 0 {
            let secs = span * (((i * 7) % 20) as f64 + 0.5) / 21.0;
            std::thread::sleep(Duration::from_secs_f64(secs));
            format!("{secs:.1}s")
        } else {
            // each commit that adds, changes or removes records appends them to the
            // digest: kill as soon as it grows
            let before = digest_len();
            let started = Instant::now();
            while digest_len() == before
                && child.try_wait().expect("wait").is_none()
                && started.elapsed() < Duration::from_secs(120)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            committed = digest_len() != before;
            let at = started.elapsed().as_secs_f64();
            if committed {
                format!("after commit at {at:.1}s")
            } else {
                format!("no commit in {at:.1}s")
            }
        };
        let finished = child.try_wait().expect("wait").is_some();
        if !finished {
            child.kill().expect("SIGKILL");
            killed += 1;
            if committed {
                killed_after_commit += 1;
            }
        }
        child.wait().expect("reap");
        let n = count(&format!("after kill {}", i + 1));
        assert!(
            n >= last,
            "kill {}: {n} documents after {last}: data lost",
            i + 1
        );
        // the digest only lists new records here: what it got, the index holds
        assert!(
            !committed || n > last,
            "kill {}: a commit was digested, yet the index still has {n} documents",
            i + 1
        );
        seen.push((moment, n, finished));
        last = n;
        std::thread::sleep(Duration::from_millis(1200));
    }
    eprintln!("(kill moment, documents in the index, had finished): {seen:?}");
    assert!(
        killed >= 12 && killed_after_commit >= 5,
        "only {killed} of 20 runs ({killed_after_commit} of the 10 waiting for a commit) were killed mid-way: {seen:?}"
    );
    let first = update(&config, data, &["--session", "80"], "update after 20 kills");
    assert_matches_manifest(&config, data, &mirror.manifest(), &["80"]);
    let second = update(&config, data, &["--session", "80"], "no-change update");
    assert_nothing_new(&first, &second);
    let distinct: std::collections::BTreeSet<u64> = seen.iter().map(|s| s.1).collect();
    assert!(
        distinct.len() >= 3,
        "kills should land before, between and after commits: {seen:?}"
    );
}

//! Issue 4: one writer at a time (`<data>/gadocs.lock`), the change digest
//! (`<data>/changes.jsonl`, `gadocs changes`), `gadocs schedule` with searches running
//! alongside, and kill -9 in the middle of an import.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{fixture, gadocs};

fn command(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gadocs"));
    c.arg("--data").arg(data).env(
        "GADOCS_CONFIG",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"),
    );
    c
}

fn spawn(data: &Path, args: &[&str]) -> Child {
    command(data)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gadocs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{:?}: {}", out.status, stderr(out));
}

/// The two fixture records as JSON lines (`export` of an index of `tests/fixtures`).
fn fixture_lines() -> Vec<Value> {
    let tmp = tempfile::tempdir().unwrap();
    ok(&gadocs(
        tmp.path(),
        &[
            "index",
            fixture("A_RES_99_7.xml").to_str().unwrap(),
            fixture("A_C.2_99_L.7.txt").to_str().unwrap(),
        ],
    ));
    let out = gadocs(tmp.path(), &["export"]);
    ok(&out);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_lines(path: &Path, lines: &[Value]) -> PathBuf {
    let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// `n` distinct resolutions A/RES/99/1000… made from the fixture resolution.
fn generated(n: usize) -> Vec<Value> {
    let base = fixture_lines()
        .into_iter()
        .find(|v| v["symbol"] == "A/RES/99/7")
        .expect("fixture resolution");
    (0..n)
        .map(|i| {
            let mut v = base.clone();
            let symbol = format!("A/RES/99/{}", 1000 + i);
            v["symbol"] = symbol.clone().into();
            v["family"] = symbol.into();
            v["title"] = format!("Generated resolution number {i} on lunar water ice").into();
            v
        })
        .collect()
}

/// Waits until the lock file names a holder (the process has taken the lock).
fn wait_for_lock(data: &Path, child: &mut Child) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(s) = std::fs::read_to_string(data.join("gadocs.lock"))
            && let Ok(v) = serde_json::from_str::<Value>(s.trim())
        {
            return v;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("holder exited early: {status:?}");
        }
        assert!(Instant::now() < deadline, "lock never taken");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: &str) {
    let st = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(st.success());
}

fn total(data: &Path) -> u64 {
    let out = gadocs(data, &["stats", "--json"]);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["documents"].as_u64().unwrap()
}

#[test]
fn second_writer_is_refused_naming_the_holder_or_waits() {
    let data = tempfile::tempdir().unwrap();
    let file = write_lines(&data.path().join("in.jsonl"), &fixture_lines());
    let file = file.to_str().unwrap();
    // a schedule holds the lock for its whole life: a deterministic holder
    let mut holder = spawn(data.path(), &["schedule", "--every", "1h", "--no-crawl"]);
    let who = wait_for_lock(data.path(), &mut holder);
    assert_eq!(who["command"], "schedule");
    assert_eq!(who["pid"].as_u64(), Some(u64::from(holder.id())));

    for args in [
        vec!["import", file],
        vec!["update", "--no-crawl"],
        vec!["schedule", "--every", "1s"],
    ] {
        let out = gadocs(data.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let msg = stderr(&out);
        assert!(
            msg.contains(&format!(
                "locked by gadocs schedule (pid {}, since ",
                holder.id()
            )) && msg.contains("one index/update at a time — retry later or pass --wait"),
            "{args:?}: {msg}"
        );
    }
    // --wait: blocks while the holder lives, then runs
    let mut waiting = spawn(data.path(), &["import", "--wait", file]);
    std::thread::sleep(Duration::from_millis(700));
    assert!(waiting.try_wait().unwrap().is_none(), "--wait did not wait");
    signal(&holder, "TERM");
    let out = holder.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "SIGTERM exits 0: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("schedule: stopped after 1 runs"),
        "{}",
        stderr(&out)
    );
    let out = waiting.wait_with_output().unwrap();
    ok(&out);
    assert!(stderr(&out).contains("waiting"), "{}", stderr(&out));
    assert_eq!(total(data.path()), 2);
}

#[test]
fn concurrent_imports_one_refused_or_both_with_wait() {
    let data = tempfile::tempdir().unwrap();
    let file = write_lines(&data.path().join("in.jsonl"), &generated(3000));
    let file = file.to_str().unwrap();
    let a = spawn(data.path(), &["import", file]);
    let b = spawn(data.path(), &["import", file]);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let codes = [a.status.code(), b.status.code()];
    assert!(
        codes.contains(&Some(0)),
        "{codes:?} {} {}",
        stderr(&a),
        stderr(&b)
    );
    for out in [&a, &b] {
        if out.status.code() == Some(2) {
            assert!(
                stderr(out).contains("locked by gadocs import (pid"),
                "{}",
                stderr(out)
            );
        }
    }
    assert_eq!(total(data.path()), 3000);

    let other = tempfile::tempdir().unwrap();
    let a = spawn(other.path(), &["import", "--wait", file]);
    let b = spawn(other.path(), &["import", "--wait", file]);
    ok(&a.wait_with_output().unwrap());
    ok(&b.wait_with_output().unwrap());
    assert_eq!(total(other.path()), 3000);
}

#[test]
fn lock_of_a_killed_process_is_taken_over() {
    let data = tempfile::tempdir().unwrap();
    let file = write_lines(&data.path().join("in.jsonl"), &fixture_lines());
    let mut holder = spawn(data.path(), &["schedule", "--every", "1h", "--no-crawl"]);
    wait_for_lock(data.path(), &mut holder);
    signal(&holder, "KILL");
    let _ = holder.wait();
    // the file still names the dead process; the OS lock went with it
    assert!(
        std::fs::read_to_string(data.path().join("gadocs.lock"))
            .unwrap()
            .contains("schedule")
    );
    let out = gadocs(data.path(), &["import", file.to_str().unwrap()]);
    ok(&out);
    assert_eq!(total(data.path()), 2);
}

fn changes(data: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["changes", "--json"];
    all.extend_from_slice(args);
    let out = gadocs(data, &all);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn change_digest_lists_new_changed_and_filters() {
    let data = tempfile::tempdir().unwrap();
    let mut lines = fixture_lines();
    let file = write_lines(&data.path().join("in.jsonl"), &lines);
    let file = file.to_str().unwrap();
    ok(&gadocs(data.path(), &["import", file]));
    let first = changes(data.path(), &[]);
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first.iter().all(|c| c["change"] == "new"));
    let draft = first
        .iter()
        .find(|c| c["symbol"] == "A/C.2/99/L.7")
        .unwrap();
    assert_eq!(draft["doc_type"], "draft resolution");
    assert_eq!(draft["lang"], "en");
    assert!(
        draft["sponsors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "Bosnia and Herzegovina")
    );
    assert!(!draft["title"].as_str().unwrap().is_empty());
    assert!(chrono::DateTime::parse_from_rfc3339(draft["time"].as_str().unwrap()).is_ok());
    // unchanged re-import: nothing appended
    ok(&gadocs(data.path(), &["import", file]));
    assert_eq!(changes(data.path(), &[]).len(), 2);

    std::thread::sleep(Duration::from_millis(1100));
    let cut = chrono::Utc::now().to_rfc3339();
    // modify the resolution only
    for v in &mut lines {
        if v["symbol"] == "A/RES/99/7" {
            v["title"] = "Orbital debris and the sharing of lunar water ice (revised)".into();
        }
    }
    write_lines(&data.path().join("in.jsonl"), &lines);
    ok(&gadocs(data.path(), &["import", file]));
    let all = changes(data.path(), &[]);
    assert_eq!(all.len(), 3, "{all:?}");
    let since = changes(data.path(), &["--since", &cut]);
    assert_eq!(since.len(), 1, "{since:?}");
    assert_eq!(since[0]["change"], "changed");
    assert_eq!(since[0]["symbol"], "A/RES/99/7");
    assert_ne!(since[0]["run_id"], first[0]["run_id"]);

    assert_eq!(changes(data.path(), &["--since", "yesterday"]).len(), 3);
    assert_eq!(changes(data.path(), &["--since", "2999-01-01"]).len(), 0);
    let drafts = changes(
        data.path(),
        &[
            "--since",
            "yesterday",
            "--type",
            "draft",
            "--sponsor",
            "bosnia",
        ],
    );
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0]["symbol"], "A/C.2/99/L.7");
    assert_eq!(changes(data.path(), &["--type", "resolution"]).len(), 2);
    assert_eq!(changes(data.path(), &["--sponsor", "Narnia"]).len(), 0);
    let out = gadocs(data.path(), &["changes", "--since", "not a date"]);
    assert_eq!(out.status.code(), Some(2));
    // the table
    let out = gadocs(data.path(), &["changes", "--since", "yesterday"]);
    ok(&out);
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(table.lines().count(), 3, "{table}");
    assert!(
        table.contains("changed") && table.contains("A/C.2/99/L.7 (en)"),
        "{table}"
    );
}

#[test]
fn schedule_runs_while_searches_never_fail_and_sigterm_exits_0() {
    let data = tempfile::tempdir().unwrap();
    let file = write_lines(&data.path().join("in.jsonl"), &fixture_lines());
    ok(&gadocs(data.path(), &["import", file.to_str().unwrap()]));
    let mut sched = spawn(data.path(), &["schedule", "--every", "2s", "--no-crawl"]);
    wait_for_lock(data.path(), &mut sched);
    let start = Instant::now();
    let mut searches = 0;
    while start.elapsed() < Duration::from_secs(5) {
        let out = gadocs(data.path(), &["search", "lunar water ice", "--json"]);
        ok(&out);
        searches += 1;
    }
    assert!(searches > 5);
    signal(&sched, "TERM");
    let out = sched.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = stderr(&out);
    let runs = log
        .lines()
        .filter(|l| l.starts_with("schedule: run "))
        .count();
    assert!(runs >= 2, "{log}");
    assert!(log.contains("schedule: stopped after"), "{log}");
    assert_eq!(
        std::fs::read_to_string(data.path().join("gadocs.lock")).unwrap(),
        ""
    );
}

/// kill -9 of `import --rebuild` at 20 moments (before the rebuild commit, between the
/// commits every 400 records, during the last one): each time the index opens with a
/// committed state (a multiple of 400 records), searches work, and the next run completes.
#[test]
fn kill_9_during_import_leaves_a_committed_state() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config.toml");
    std::fs::write(
        &config,
        "[index]\ncommit_every_docs = 400\nnormalize_threads = 2\n",
    )
    .unwrap();
    let file = write_lines(&data.path().join("big.jsonl"), &generated(4000));
    let run = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gadocs"));
        c.arg("--data")
            .arg(data.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    };
    let count = || {
        let out = run(&["stats", "--json"]).output().unwrap();
        ok(&out);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["documents"].as_u64().unwrap()
    };
    ok(&run(&["import", file.to_str().unwrap()]).output().unwrap());
    assert_eq!(count(), 4000);
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..20u64 {
        let mut child = run(&["import", "--rebuild", file.to_str().unwrap()])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(30 + i * 100));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            signal(&child, "KILL");
        }
        let _ = child.wait();
        let n = count();
        assert_eq!(n % 400, 0, "kill {i}: {n} records is not a committed state");
        seen.insert((n, finished));
        let out = run(&["search", "lunar water ice", "--limit", "3"])
            .output()
            .unwrap();
        let want = if n == 0 { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(want), "kill {i}: {}", stderr(&out));
    }
    eprintln!("states after kill -9 (records, had finished): {seen:?}");
    assert!(
        seen.len() >= 3,
        "kills should land at different points: {seen:?}"
    );
    let out = run(&["import", file.to_str().unwrap()]).output().unwrap();
    ok(&out);
    assert_eq!(count(), 4000);
    // the digest reads back whole (a killed append leaves at most one partial line, skipped)
    let out = run(&["changes", "--json"]).output().unwrap();
    ok(&out);
    let symbols: std::collections::BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["symbol"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(symbols.len(), 4000);
}

#[test]
fn schedule_reads_its_interval_from_the_configuration() {
    let data = tempfile::tempdir().unwrap();
    let run = |config: &str, args: &[&str]| {
        let path = data.path().join("config.toml");
        std::fs::write(&path, config).unwrap();
        Command::new(env!("CARGO_BIN_EXE_gadocs"))
            .arg("--data")
            .arg(data.path())
            .arg("--config")
            .arg(&path)
            .args(args)
            .output()
            .unwrap()
    };
    let t = Instant::now();
    let out = run(
        "[schedule]\nevery = \"1s\"\n",
        &["schedule", "--no-crawl", "--runs", "2"],
    );
    ok(&out);
    assert!(t.elapsed() >= Duration::from_secs(1), "{:?}", t.elapsed());
    let log = stderr(&out);
    assert!(log.contains("schedule: update every 1s"), "{log}");
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("schedule: run "))
            .count(),
        2,
        "{log}"
    );

    let out = run(
        "[schedule]\nevry = \"1s\"\n",
        &["schedule", "--no-crawl", "--runs", "1"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("evry"), "{}", stderr(&out));
    // a cron expression from the configuration (every 2 s, seconds first)
    let out = run(
        "[schedule]\ncron = \"*/2 * * * * *\"\n",
        &["schedule", "--no-crawl", "--runs", "1"],
    );
    ok(&out);
    assert!(
        stderr(&out).contains("at the times of cron \"*/2 * * * * *\""),
        "{}",
        stderr(&out)
    );
    let out = run(
        "[schedule]\ncron = \"0 */6 * * *\"\nevery = \"6h\"\n",
        &["schedule", "--no-crawl"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("both `every` and `cron`"),
        "{}",
        stderr(&out)
    );
    let out = run("", &["schedule", "--no-crawl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no schedule"), "{}", stderr(&out));
    let out = run("", &["schedule", "--no-crawl", "--every", "10 parsecs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown unit"), "{}", stderr(&out));
}

/// `schedule --cron`: runs start at the times of the expression (here every 2 s, six fields),
/// and a bad expression is refused with a message that shows the form.
#[test]
fn schedule_runs_at_cron_times() {
    let data = tempfile::tempdir().unwrap();
    let file = write_lines(&data.path().join("in.jsonl"), &fixture_lines());
    ok(&gadocs(data.path(), &["import", file.to_str().unwrap()]));
    let start = Instant::now();
    let out = gadocs(
        data.path(),
        &[
            "schedule",
            "--cron",
            "*/2 * * * * *",
            "--runs",
            "2",
            "--no-crawl",
        ],
    );
    ok(&out);
    let log = stderr(&out);
    assert!(
        log.contains("at the times of cron \"*/2 * * * * *\""),
        "{log}"
    );
    assert!(log.contains("first run at "), "{log}");
    assert!(log.contains("stopped after 2 runs (0 failed)"), "{log}");
    // two starts at even seconds, 2 s apart: at least 2 s in all
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let bad = gadocs(data.path(), &["schedule", "--cron", "every tuesday"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("five fields"), "{}", stderr(&bad));
    let both = gadocs(
        data.path(),
        &["schedule", "--cron", "* * * * *", "--every", "1s"],
    );
    assert_eq!(both.status.code(), Some(2));
}

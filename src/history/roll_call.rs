//! Roll calls, one State's votes, and agreement between two States.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use gadocs_index::{Record, VoteChoice};
use serde::{Deserialize, Serialize};

const GAZETTEER: &str = include_str!("../../reference/member-states.json");

static MEMBERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    struct File {
        entries: Vec<Entry>,
    }
    #[derive(Deserialize)]
    struct Entry {
        name: String,
        kind: String,
    }
    let file: File = serde_json::from_str(GAZETTEER).expect("member-states.json is embedded");
    file.entries
        .into_iter()
        .filter(|e| e.kind == "member_state")
        .map(|e| &*Box::leak(e.name.into_boxed_str()))
        .collect()
});

/// The 193 Member States (official short names, the gazetteer's order). Observer States and
/// the European Union do not vote, so they are never "non-voting".
pub fn member_states() -> &'static [&'static str] {
    &MEMBERS
}

/// A resolution's vote; field names are the `votes SYMBOL --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct RollCall {
    /// Resolution symbol.
    pub symbol: String,
    /// Title.
    pub title: String,
    /// Session.
    pub session: Option<String>,
    /// Adoption date.
    pub adoption_date: Option<NaiveDate>,
    /// Plenary meeting record of the adoption.
    pub meeting_record: Option<String>,
    /// Adopted without a vote.
    pub without_vote: bool,
    /// Counts as the source gives them (`null` when the source has no vote).
    pub counts: Option<Counts>,
    /// Lengths of the per-State lists.
    pub listed: Counts,
    /// The lists disagree with the counts in the source.
    pub mismatch: bool,
    /// States in favour.
    pub yes: Vec<String>,
    /// States against.
    pub no: Vec<String>,
    /// States abstaining.
    pub abstain: Vec<String>,
    /// Member States in no list (only when the lists are complete).
    pub non_voting: Vec<String>,
}

/// Numbers of a vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// In favour.
    pub yes: u32,
    /// Against.
    pub no: u32,
    /// Abstentions.
    pub abstain: u32,
    /// Member States that did not vote (`null` in `counts`: the source does not count them).
    pub non_voting: Option<u32>,
}

/// The roll call of a record.
pub fn roll_call(r: &Record) -> RollCall {
    let mut lists: BTreeMap<VoteChoice, Vec<String>> = BTreeMap::new();
    for (state, choice) in &r.vote_by_state {
        lists.entry(*choice).or_default().push(state.clone());
    }
    let mut take = |c| lists.remove(&c).unwrap_or_default();
    let (yes, no, abstain, non_voting) = (
        take(VoteChoice::Yes),
        take(VoteChoice::No),
        take(VoteChoice::Abstain),
        take(VoteChoice::NonVoting),
    );
    let complete = !non_voting.is_empty() || yes.len() + no.len() + abstain.len() == 193;
    RollCall {
        symbol: r.symbol.clone(),
        title: r.title.clone(),
        session: r.session.clone(),
        adoption_date: r.adoption_date,
        meeting_record: r.meeting_record.clone(),
        without_vote: r.votes.is_some_and(|v| v.without_vote),
        counts: r.votes.filter(|v| !v.without_vote).map(|v| Counts {
            yes: v.yes,
            no: v.no,
            abstain: v.abstain,
            non_voting: None,
        }),
        listed: Counts {
            yes: yes.len() as u32,
            no: no.len() as u32,
            abstain: abstain.len() as u32,
            non_voting: complete.then_some(non_voting.len() as u32),
        },
        mismatch: r.vote_mismatch,
        yes,
        no,
        abstain,
        non_voting,
    }
}

/// How one State voted on one resolution; field names are the `votes --state --json`
/// contract.
#[derive(Debug, Clone, Serialize)]
pub struct StateVote {
    /// Resolution symbol.
    pub symbol: String,
    /// Session.
    pub session: Option<String>,
    /// Adoption date (issue date when unknown).
    pub date: Option<NaiveDate>,
    /// Title.
    pub title: String,
    /// The State's vote.
    pub vote: VoteChoice,
    /// The other State's vote (with `--with`; `null` when not in the roll call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_vote: Option<VoteChoice>,
    /// The source's lists disagree with its counts on this vote.
    pub mismatch: bool,
}

/// The votes of `state` (a canonical name) in `records`, in their order; records whose roll
/// call does not name it are left out. With `other`, the other State's vote alongside.
pub fn state_votes(records: &[Record], state: &str, other: Option<&str>) -> Vec<StateVote> {
    records
        .iter()
        .filter_map(|r| {
            let vote = *r.vote_by_state.get(state)?;
            Some(StateVote {
                symbol: r.symbol.clone(),
                session: r.session.clone(),
                date: r.effective_date(),
                title: r.title.clone(),
                vote,
                other_vote: other.and_then(|o| r.vote_by_state.get(o).copied()),
                mismatch: r.vote_mismatch,
            })
        })
        .collect()
}

/// Agreement of two States in one session; field names are the `votes --with --json`
/// contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Session (`all` for the total line).
    pub session: String,
    /// Recorded votes where both voted yes, no or abstain.
    pub both_voted: u32,
    /// Of those, the votes where both voted the same.
    pub identical: u32,
    /// `identical / both_voted` (`null` when they never both voted).
    pub rate: Option<f64>,
}

/// Agreement rates between `a` and `b` (canonical names) per session, in session order,
/// then a total line (`session` = `all`): identical votes / votes where both took part.
pub fn agreement(records: &[Record], a: &str, b: &str) -> Vec<Agreement> {
    let mut per: BTreeMap<(u8, u32, String), (String, u32, u32)> = BTreeMap::new();
    for r in records {
        let (Some(va), Some(vb)) = (r.vote_by_state.get(a), r.vote_by_state.get(b)) else {
            continue;
        };
        if !va.took_part() || !vb.took_part() {
            continue;
        }
        let session = r.session.clone().unwrap_or_default();
        let e = per
            .entry(super::session_key(&session))
            .or_insert((session, 0, 0));
        e.1 += 1;
        if va == vb {
            e.2 += 1;
        }
    }
    let mut out: Vec<Agreement> = per
        .into_values()
        .map(|(session, both, same)| line(session, both, same))
        .collect();
    let both = out.iter().map(|a| a.both_voted).sum();
    let same = out.iter().map(|a| a.identical).sum();
    out.push(line("all".into(), both, same));
    out
}

fn line(session: String, both_voted: u32, identical: u32) -> Agreement {
    Agreement {
        session,
        both_voted,
        identical,
        rate: (both_voted > 0).then(|| f64::from(identical) / f64::from(both_voted)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(session: &str, votes: &[(&str, VoteChoice)]) -> Record {
        Record {
            session: Some(session.into()),
            vote_by_state: votes.iter().map(|(s, v)| (s.to_string(), *v)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn agreement_counts_only_votes_where_both_took_part() {
        use VoteChoice::*;
        let records = [
            rec("74", &[("A", Yes), ("B", Yes)]),
            rec("74", &[("A", Yes), ("B", No)]),
            rec("74", &[("A", Abstain), ("B", NonVoting)]),
            rec("75", &[("A", Abstain), ("B", Abstain)]),
            rec("75", &[("A", No)]),
        ];
        let a = agreement(&records, "A", "B");
        assert_eq!(a.len(), 3);
        assert_eq!(
            (a[0].both_voted, a[0].identical, a[0].rate),
            (2, 1, Some(0.5))
        );
        assert_eq!((a[1].both_voted, a[1].identical), (1, 1));
        assert_eq!(
            (a[2].session.as_str(), a[2].both_voted, a[2].identical),
            ("all", 3, 2)
        );
        assert_eq!(member_states().len(), 193);
        assert!(!member_states().contains(&"Holy See"));
    }
}

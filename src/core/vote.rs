//! The voter: turns the ballots of N variants into a [`Decision`] under a [`Policy`].
//! It is pure and generic over the ballot value; it knows nothing about WebAssembly.

use std::cmp::Ordering;
use std::fmt;

/// How a winner is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Policy {
    /// The largest group holds strictly more than half of all ballots (failed ones included).
    Majority,
    /// Every ballot returned and all of them are in one group.
    Unanimous,
    /// The largest group is strictly larger than every other group.
    Plurality,
    /// Exactly one group reaches the given size.
    Quorum(
        /// The number of ballots a group needs; must be in `1..=n` to ever agree.
        usize,
    ),
    /// The lower median of the numeric values, if more than half of all ballots are numeric.
    Median,
}

/// Why a manifest's `policy` and `quorum` do not make a [`Policy`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A name that is no policy.
    #[error("unknown policy `{0}` (expected majority, unanimous, plurality, quorum or median)")]
    Unknown(String),
    /// `quorum` without its size.
    #[error("policy = \"quorum\" needs `quorum = K`")]
    QuorumMissing,
    /// A quorum size outside `1..=n`.
    #[error("quorum = {k} must be between 1 and the number of variants ({n})")]
    QuorumOutOfRange {
        /// The size given.
        k: usize,
        /// The number of variants.
        n: usize,
    },
    /// A quorum size given with another policy.
    #[error("`quorum` is set but policy is `{0}`")]
    QuorumWithoutQuorumPolicy(String),
}

impl Policy {
    /// Every policy's name, in the order messages list them.
    pub const NAMES: [&'static str; 5] = ["majority", "unanimous", "plurality", "quorum", "median"];

    /// The policy's name without parameters: "majority", "unanimous", "plurality",
    /// "quorum" or "median".
    pub fn name(&self) -> &'static str {
        match self {
            Policy::Majority => "majority",
            Policy::Unanimous => "unanimous",
            Policy::Plurality => "plurality",
            Policy::Quorum(_) => "quorum",
            Policy::Median => "median",
        }
    }

    /// The policy a manifest names, with its quorum size checked against the `n`
    /// variants: the inverse of [`Policy::name`] and the `quorum` field.
    ///
    /// # Errors
    /// A [`PolicyError`] naming the bad `policy` or `quorum` value.
    pub fn parse(name: &str, quorum: Option<usize>, n: usize) -> Result<Policy, PolicyError> {
        let p = match name {
            "majority" => Policy::Majority,
            "unanimous" => Policy::Unanimous,
            "plurality" => Policy::Plurality,
            "median" => Policy::Median,
            "quorum" => match quorum {
                Some(k) if (1..=n).contains(&k) => Policy::Quorum(k),
                Some(k) => return Err(PolicyError::QuorumOutOfRange { k, n }),
                None => return Err(PolicyError::QuorumMissing),
            },
            other => return Err(PolicyError::Unknown(other.into())),
        };
        match (p, quorum) {
            (Policy::Quorum(_), _) | (_, None) => Ok(p),
            (
                Policy::Majority | Policy::Unanimous | Policy::Plurality | Policy::Median,
                Some(_),
            ) => Err(PolicyError::QuorumWithoutQuorumPolicy(name.into())),
        }
    }

    /// Whether a vote over `n` ballots whose largest group of equal values has `g1`
    /// members and whose second largest has `g2` elects the largest group. The
    /// median policy elects by value, not by group ([`decide`] applies it first),
    /// so by groups it elects nothing.
    pub fn wins(self, g1: usize, g2: usize, n: usize) -> bool {
        match self {
            // g1 * 2 > n, written so it cannot overflow.
            Policy::Majority => g1 > n / 2,
            Policy::Unanimous => n > 0 && g1 == n,
            Policy::Plurality => g1 > 0 && g1 > g2,
            Policy::Quorum(k) => k >= 1 && g1 >= k && g2 < k,
            Policy::Median => false,
        }
    }

    /// Whether a group of `group` variants out of `n` that agree with each other,
    /// while the others may all agree on something else, can outvote them: the
    /// smallest shared failure that can win the vote. It does not depend on what
    /// the other variants return, so it errs on the safe side:
    /// - `majority`: more than half of all n (2g > n);
    /// - `plurality`: larger than the group of all the others (g > n − g);
    /// - `quorum(k)`: at least k, while the others cannot also reach k (a second
    ///   group of k would be a conflict, no verdict): g ≥ k and n − g < k;
    /// - `unanimous`: all of them (g = n);
    /// - `median`: the lower median of n values falls in the group when the wrong
    ///   value lies below the right one and 2g ≥ n.
    pub fn can_win(self, group: usize, n: usize) -> bool {
        if group == 0 || group > n {
            return false;
        }
        match self {
            Policy::Majority | Policy::Plurality => 2 * group > n,
            Policy::Quorum(k) => k >= 1 && group >= k && n - group < k,
            Policy::Unanimous => group == n,
            Policy::Median => 2 * group >= n,
        }
    }

    /// Whether `decision`, the vote over partial results with `pending` of the `n`
    /// voting variants still running (counted as failed), can no longer change
    /// whatever they return: the rule of the early verdict.
    pub fn settled(self, decision: &Decision, pending: usize, n: usize) -> bool {
        if pending == 0 {
            return true;
        }
        let supporters = match decision {
            Decision::Agreed { supporters, .. } => supporters.len(),
            Decision::NoVerdict { .. } => return false,
        };
        match self {
            // A group of more than half of all variants stays one whatever the rest do.
            Policy::Majority => true,
            // No other group can reach K when everything outside the winners is fewer.
            Policy::Quorum(k) => n - supporters < k,
            // A plurality, a unanimous vote or a median can still be overturned by
            // the variants that have not answered.
            Policy::Unanimous | Policy::Plurality | Policy::Median => false,
        }
    }
}

impl fmt::Display for Policy {
    /// Writes the name, with the quorum size for [`Policy::Quorum`] (e.g. `quorum(3)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Policy::Quorum(k) => write!(f, "quorum({k})"),
            Policy::Majority | Policy::Unanimous | Policy::Plurality | Policy::Median => {
                f.write_str(self.name())
            }
        }
    }
}

/// The result of a vote over n ballots (indices 0..n).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// A value won.
    Agreed {
        /// The index of the ballot whose value is the agreed value.
        winner: usize,
        /// The ballots counted for the winner, ascending; always contains `winner`.
        supporters: Vec<usize>,
        /// Every other ballot, ascending, failed ones included.
        dissenters: Vec<usize>,
    },
    /// No verdict.
    NoVerdict {
        /// The clusters of returned values: each ascending, ordered by size descending,
        /// ties by smallest member.
        groups: Vec<Vec<usize>>,
        /// The ballots that returned nothing, ascending.
        failed: Vec<usize>,
    },
}

/// One cluster found by [`cluster`]: its representative and its members (ascending).
struct Group {
    rep: usize,
    members: Vec<usize>,
}

/// Greedy clustering of the returned ballots (rule 1 of [`decide`]), sorted by size
/// descending, ties by smallest member.
fn cluster<V>(ballots: &[Option<V>], same: &impl Fn(&V, &V) -> bool) -> Vec<Group> {
    let mut remaining: Vec<(usize, &V)> = ballots
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.as_ref().map(|v| (i, v)))
        .collect();
    let mut groups = Vec::new();
    while !remaining.is_empty() {
        // (representative, support size); strict `>` keeps the smallest index on ties.
        let mut best: Option<(usize, &V, usize)> = None;
        for &(i, vi) in &remaining {
            let size = remaining.iter().filter(|&&(_, vj)| same(vi, vj)).count();
            if best.is_none_or(|(_, _, b)| size > b) {
                best = Some((i, vi, size));
            }
        }
        let Some((rep, vrep, _)) = best else { break };
        let (members, rest): (Vec<_>, Vec<_>) = remaining
            .into_iter()
            .partition(|&(j, vj)| j == rep || same(vrep, vj));
        remaining = rest;
        groups.push(Group {
            rep,
            members: members.into_iter().map(|(j, _)| j).collect(),
        });
    }
    groups.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.members.first().cmp(&b.members.first()))
    });
    groups
}

/// Builds `Agreed` with `supporters` (ascending) and every other index of `0..n` as dissenters.
fn agreed(n: usize, winner: usize, supporters: Vec<usize>) -> Decision {
    let mut dissenters = Vec::with_capacity(n.saturating_sub(supporters.len()));
    let mut s = supporters.iter().peekable();
    for i in 0..n {
        if s.next_if(|&&j| j == i).is_none() {
            dissenters.push(i);
        }
    }
    Decision::Agreed {
        winner,
        supporters,
        dissenters,
    }
}

/// Votes. `ballots[i]` is `None` when variant i failed (trap, timeout, ...), else its value.
///
/// `same(a, b)` says whether two values are equivalent; it must be reflexive and symmetric
/// but may be non-transitive (e.g. a float tolerance). `numeric(v)` gives a value's number
/// for [`Policy::Median`] (`None` = not numeric).
///
/// Let n = `ballots.len()`, counting ALL variants, failed ones included.
///
/// 1. **Clustering** (every policy except Median): greedy. `remaining` = the indices of
///    returned ballots, ascending. While it is non-empty: for each i in it, support(i) =
///    { j in remaining : same(v_i, v_j) } (includes i); pick the i with the largest
///    support, ties to the smallest i; that support is a group with representative i, and
///    it leaves `remaining`. With a transitive `same` the groups are the equivalence
///    classes. Groups are sorted by size descending, ties by smallest member; G1 (with
///    representative r1) is the first, G2 the second if any.
/// 2. **Majority**: agreed iff |G1| * 2 > n (strictly more than half of all n).
/// 3. **Unanimous**: agreed iff n > 0 and |G1| == n (all returned, all in one group).
/// 4. **Plurality**: agreed iff G1 exists and there is no G2 or |G1| > |G2|; a tie for the
///    largest size is no verdict.
/// 5. **Quorum(k)**: agreed iff k >= 1, |G1| >= k and not (G2 exists and |G2| >= k): two
///    groups reaching k is a conflict. k == 0 or k > n never agrees.
/// 6. **Median**: take the returned ballots whose `numeric` is `Some(x)` with x not NaN;
///    let m be their count. Agreed iff m * 2 > n: sort them by x ascending (ties by index
///    ascending) and the winner is the one at position (m - 1) / 2, the lower median, so
///    always a value some variant produced, never an average. Its supporters are every
///    returned ballot j with same(v_winner, v_j) (the winner included).
/// 7. For rules 2–5, an agreed vote has winner r1 and supporters G1. In every agreed vote
///    the dissenters are all other ballots, failed ones included. Otherwise the result is
///    [`Decision::NoVerdict`] with the groups of rule 1 and the failed (`None`) ballots;
///    n == 0 gives no verdict with no groups.
///
/// Never panics, whatever the input.
pub fn decide<V>(
    ballots: &[Option<V>],
    policy: Policy,
    same: impl Fn(&V, &V) -> bool,
    numeric: impl Fn(&V) -> Option<f64>,
) -> Decision {
    let n = ballots.len();
    if let Policy::Median = policy
        && let Some(d) = median(ballots, &same, &numeric)
    {
        return d;
    }
    let groups = cluster(ballots, &same);
    let size = |g: Option<&Group>| g.map_or(0, |g| g.members.len());
    let g1 = size(groups.first());
    let g2 = size(groups.get(1));
    let wins = policy.wins(g1, g2, n);
    let mut groups = groups.into_iter();
    match groups.next() {
        Some(first) if wins => agreed(n, first.rep, first.members),
        first => Decision::NoVerdict {
            groups: first.into_iter().chain(groups).map(|g| g.members).collect(),
            failed: ballots
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.is_none().then_some(i))
                .collect(),
        },
    }
}

/// Rule 6 of [`decide`]: `Some(Agreed)` when more than half of all ballots are numeric.
fn median<V>(
    ballots: &[Option<V>],
    same: &impl Fn(&V, &V) -> bool,
    numeric: &impl Fn(&V) -> Option<f64>,
) -> Option<Decision> {
    let n = ballots.len();
    let mut nums: Vec<(f64, usize, &V)> = ballots
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let v = b.as_ref()?;
            numeric(v).filter(|x| !x.is_nan()).map(|x| (x, i, v))
        })
        .collect();
    let m = nums.len();
    // m * 2 > n, written so it cannot overflow.
    if m <= n / 2 || m == 0 {
        return None;
    }
    nums.sort_by(|a, b| {
        a.0.partial_cmp(&b.0)
            .unwrap_or(Ordering::Equal)
            .then(a.1.cmp(&b.1))
    });
    let &(_, winner, vw) = nums.get((m - 1) / 2)?;
    let supporters = ballots
        .iter()
        .enumerate()
        .filter_map(|(j, b)| {
            let v = b.as_ref()?;
            (j == winner || same(vw, v)).then_some(j)
        })
        .collect();
    Some(agreed(n, winner, supporters))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn eq(a: &i64, b: &i64) -> bool {
        a == b
    }

    fn num(v: &i64) -> Option<f64> {
        Some(*v as f64)
    }

    fn near(a: &i64, b: &i64) -> bool {
        (a - b).abs() <= 1
    }

    fn vote(ballots: &[Option<i64>], policy: Policy) -> Decision {
        decide(ballots, policy, eq, num)
    }

    fn ag(winner: usize, supporters: &[usize], dissenters: &[usize]) -> Decision {
        Decision::Agreed {
            winner,
            supporters: supporters.to_vec(),
            dissenters: dissenters.to_vec(),
        }
    }

    fn nv(groups: &[&[usize]], failed: &[usize]) -> Decision {
        Decision::NoVerdict {
            groups: groups.iter().map(|g| g.to_vec()).collect(),
            failed: failed.to_vec(),
        }
    }

    #[test]
    fn names_and_display() {
        assert_eq!(Policy::Majority.name(), "majority");
        assert_eq!(Policy::Unanimous.name(), "unanimous");
        assert_eq!(Policy::Plurality.name(), "plurality");
        assert_eq!(Policy::Quorum(3).name(), "quorum");
        assert_eq!(Policy::Median.name(), "median");
        assert_eq!(Policy::Quorum(3).to_string(), "quorum(3)");
        assert_eq!(Policy::Median.to_string(), "median");
        assert_eq!(Policy::Majority.to_string(), "majority");
    }

    #[test]
    fn majority_two_of_three_with_one_failed() {
        assert_eq!(
            vote(&[Some(7), None, Some(7)], Policy::Majority),
            ag(0, &[0, 2], &[1])
        );
    }

    #[test]
    fn majority_two_of_three_with_one_dissenting() {
        assert_eq!(
            vote(&[Some(1), Some(7), Some(7)], Policy::Majority),
            ag(1, &[1, 2], &[0])
        );
    }

    #[test]
    fn majority_needs_more_than_half_of_all() {
        let b = [Some(4), None, None, Some(4), None];
        assert_eq!(vote(&b, Policy::Majority), nv(&[&[0, 3]], &[1, 2, 4]));
        // Exactly half is not enough either.
        let b = [Some(4), Some(4), Some(5), Some(6)];
        assert_eq!(vote(&b, Policy::Majority), nv(&[&[0, 1], &[2], &[3]], &[]));
    }

    #[test]
    fn unanimous() {
        assert_eq!(
            vote(&[Some(3), Some(3), Some(3)], Policy::Unanimous),
            ag(0, &[0, 1, 2], &[])
        );
        assert_eq!(
            vote(&[Some(3), None, Some(3)], Policy::Unanimous),
            nv(&[&[0, 2]], &[1])
        );
        assert_eq!(
            vote(&[Some(3), Some(4), Some(3)], Policy::Unanimous),
            nv(&[&[0, 2], &[1]], &[])
        );
    }

    #[test]
    fn plurality() {
        let b = [Some(1), Some(2), Some(2), Some(3), None];
        assert_eq!(vote(&b, Policy::Plurality), ag(1, &[1, 2], &[0, 3, 4]));
        let b = [Some(1), Some(2), Some(2), Some(1), Some(3)];
        assert_eq!(
            vote(&b, Policy::Plurality),
            nv(&[&[0, 3], &[1, 2], &[4]], &[])
        );
        // A lone survivor wins a plurality.
        assert_eq!(
            vote(&[None, Some(9), None], Policy::Plurality),
            ag(1, &[1], &[0, 2])
        );
    }

    #[test]
    fn quorum() {
        let b = [Some(1), Some(1), Some(2), Some(2), Some(3)];
        assert_eq!(
            vote(&b, Policy::Quorum(2)),
            nv(&[&[0, 1], &[2, 3], &[4]], &[])
        );
        assert_eq!(
            vote(&b, Policy::Quorum(3)),
            nv(&[&[0, 1], &[2, 3], &[4]], &[])
        );
        let b = [Some(1), Some(1), Some(1), Some(2), Some(2)];
        assert_eq!(vote(&b, Policy::Quorum(3)), ag(0, &[0, 1, 2], &[3, 4]));
        assert_eq!(vote(&b, Policy::Quorum(2)), nv(&[&[0, 1, 2], &[3, 4]], &[]));
        assert_eq!(vote(&b, Policy::Quorum(1)), nv(&[&[0, 1, 2], &[3, 4]], &[]));
        // Out-of-range k never agrees and never panics.
        assert_eq!(vote(&b, Policy::Quorum(0)), nv(&[&[0, 1, 2], &[3, 4]], &[]));
        assert_eq!(vote(&b, Policy::Quorum(6)), nv(&[&[0, 1, 2], &[3, 4]], &[]));
        assert_eq!(
            vote(&b, Policy::Quorum(usize::MAX)),
            nv(&[&[0, 1, 2], &[3, 4]], &[])
        );
    }

    #[test]
    fn median_picks_the_middle_value() {
        assert_eq!(
            vote(&[Some(1), Some(100), Some(2)], Policy::Median),
            ag(2, &[2], &[0, 1])
        );
    }

    #[test]
    fn median_lower_for_even_counts() {
        // Sorted: 1 (3), 5 (0), 7 (2), 9 (1): position (4-1)/2 = 1 is the 5.
        assert_eq!(
            vote(&[Some(5), Some(9), Some(7), Some(1)], Policy::Median),
            ag(0, &[0], &[1, 2, 3])
        );
    }

    #[test]
    fn median_ties_go_by_index_and_supporters_are_all_equal() {
        let b = [Some(3), Some(1), Some(3), None, Some(3)];
        assert_eq!(vote(&b, Policy::Median), ag(0, &[0, 2, 4], &[1, 3]));
    }

    #[test]
    fn median_needs_more_than_half_numeric() {
        let b = [Some(3), None, Some(4), None];
        assert_eq!(vote(&b, Policy::Median), nv(&[&[0], &[2]], &[1, 3]));
        // Non-numeric and NaN values do not count toward m.
        let nonneg = |v: &i64| match *v {
            v if v < 0 => None,
            0 => Some(f64::NAN),
            v => num(&v),
        };
        let b = [Some(-1), Some(0), Some(5), Some(6), Some(7)];
        assert_eq!(
            decide(&b, Policy::Median, eq, nonneg),
            ag(3, &[3], &[0, 1, 2, 4])
        );
        let b = [Some(-1), Some(0), Some(5), Some(6), Some(-2)];
        assert_eq!(
            decide(&b, Policy::Median, eq, nonneg),
            nv(&[&[0], &[1], &[2], &[3], &[4]], &[])
        );
    }

    #[test]
    fn median_of_floats_with_infinities() {
        let b = [
            Some(f64::INFINITY),
            Some(-0.0),
            Some(0.0),
            Some(f64::NEG_INFINITY),
            Some(f64::NAN),
        ];
        let d = decide(&b, Policy::Median, |a, b| a == b, |v| Some(*v));
        // Numeric: -inf(3), -0.0(1), 0.0(2), inf(0); lower median is position 1; -0.0 == 0.0.
        assert_eq!(d, ag(1, &[1, 2], &[0, 3, 4]));
    }

    #[test]
    fn empty_ballots() {
        for p in [
            Policy::Majority,
            Policy::Unanimous,
            Policy::Plurality,
            Policy::Quorum(1),
            Policy::Quorum(0),
            Policy::Median,
        ] {
            assert_eq!(vote(&[], p), nv(&[], &[]), "{p}");
        }
    }

    #[test]
    fn all_failed() {
        for p in [
            Policy::Majority,
            Policy::Plurality,
            Policy::Quorum(1),
            Policy::Median,
        ] {
            assert_eq!(vote(&[None, None], p), nv(&[], &[0, 1]), "{p}");
        }
    }

    #[test]
    fn tolerance_plurality_picks_the_best_supported_representative() {
        let b = [Some(1), Some(2), Some(3), Some(10), Some(11)];
        assert_eq!(
            decide(&b, Policy::Plurality, near, num),
            ag(1, &[0, 1, 2], &[3, 4])
        );
        assert_eq!(
            decide(&b, Policy::Majority, near, num),
            ag(1, &[0, 1, 2], &[3, 4])
        );
    }

    #[test]
    fn tolerance_groups_sorted_by_smallest_member() {
        // Greedy finds {1,2,3} (rep 2, value 1) before {0,4,5} (rep 4, value 5); both have
        // size 3, so {0,4,5} comes first in the output.
        let b = [Some(4), Some(0), Some(1), Some(2), Some(5), Some(6)];
        assert_eq!(
            decide(&b, Policy::Plurality, near, num),
            nv(&[&[0, 4, 5], &[1, 2, 3]], &[])
        );
        assert_eq!(
            decide(&b, Policy::Quorum(3), near, num),
            nv(&[&[0, 4, 5], &[1, 2, 3]], &[])
        );
    }

    #[test]
    fn tolerance_median_supporters_are_near_the_winner() {
        let b = [Some(10), Some(2), Some(3), Some(4), None];
        // Sorted 2,3,4,10: lower median 3 (index 2); 2 and 4 are within 1 of it.
        assert_eq!(
            decide(&b, Policy::Median, near, num),
            ag(2, &[1, 2, 3], &[0, 4])
        );
    }

    #[test]
    fn policy_serde_round_trip() {
        for p in [
            Policy::Majority,
            Policy::Unanimous,
            Policy::Plurality,
            Policy::Quorum(3),
            Policy::Median,
        ] {
            let s = serde_json::to_string(&p).unwrap_or_default();
            assert_eq!(serde_json::from_str::<Policy>(&s).ok(), Some(p), "{s}");
        }
    }

    // ---- Brute-force reference for exact equality, written with counting. ----

    /// The reference decision for exact equality, from the rules, by counting classes.
    fn reference(
        ballots: &[Option<i64>],
        policy: Policy,
        numeric: fn(&i64) -> Option<f64>,
    ) -> Decision {
        let n = ballots.len();
        let mut classes: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        let mut failed = Vec::new();
        for (i, b) in ballots.iter().enumerate() {
            match b {
                Some(v) => classes.entry(*v).or_default().push(i),
                None => failed.push(i),
            }
        }
        let all_but = |sup: &[usize]| (0..n).filter(|i| !sup.contains(i)).collect::<Vec<_>>();
        let mut groups: Vec<Vec<usize>> = classes.values().cloned().collect();
        groups.sort_by_key(|g| (std::cmp::Reverse(g.len()), g[0]));
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        let no = Decision::NoVerdict {
            groups: groups.clone(),
            failed,
        };
        if policy == Policy::Median {
            // Count numeric values per number, walk up to the lower-median rank.
            let mut by_num: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
            for (i, b) in ballots.iter().enumerate() {
                if let Some(v) = b
                    && numeric(v).is_some_and(|x| !x.is_nan())
                {
                    by_num.entry(*v).or_default().push(i);
                }
            }
            let m: usize = by_num.values().map(Vec::len).sum();
            if 2 * m <= n {
                return no;
            }
            let rank = (m - 1) / 2;
            let mut below = 0;
            for (v, idx) in &by_num {
                if rank < below + idx.len() {
                    let sup = classes[v].clone();
                    return Decision::Agreed {
                        winner: idx[rank - below],
                        dissenters: all_but(&sup),
                        supporters: sup,
                    };
                }
                below += idx.len();
            }
            unreachable!("rank < m");
        }
        let g1 = sizes.first().copied().unwrap_or(0);
        let wins = match policy {
            Policy::Majority => 2 * g1 > n,
            Policy::Unanimous => n > 0 && g1 == n,
            Policy::Plurality => g1 > 0 && sizes.iter().filter(|&&s| s == g1).count() == 1,
            Policy::Quorum(k) => k >= 1 && k <= n && sizes.iter().filter(|&&s| s >= k).count() == 1,
            _ => false,
        };
        if !wins {
            return no;
        }
        let sup = groups[0].clone();
        Decision::Agreed {
            winner: sup[0],
            dissenters: all_but(&sup),
            supporters: sup,
        }
    }

    /// Value 4 ("E") is not numeric, so Median must skip it.
    fn num_but_e(v: &i64) -> Option<f64> {
        (*v != 4).then(|| num(v)).flatten()
    }

    #[test]
    fn exhaustive_against_reference() {
        let mut checked = 0usize;
        for n in 1..=5u32 {
            for code in 0..6usize.pow(n) {
                let mut c = code;
                let ballots: Vec<Option<i64>> = (0..n)
                    .map(|_| {
                        let d = c % 6;
                        c /= 6;
                        // 0 = failed, 1..=5 = A..E as values 0..=4.
                        (d > 0).then(|| d as i64 - 1)
                    })
                    .collect();
                let n = n as usize;
                let mut policies = vec![
                    Policy::Majority,
                    Policy::Unanimous,
                    Policy::Plurality,
                    Policy::Median,
                ];
                policies.extend((0..=n + 1).map(Policy::Quorum));
                for p in policies {
                    let got = decide(&ballots, p, eq, num_but_e);
                    let want = reference(&ballots, p, num_but_e);
                    assert_eq!(got, want, "{ballots:?} {p}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 9330 * 4);
    }

    #[test]
    fn reference_is_not_trivial() {
        // Guard against a reference that agrees with anything: spot-check known answers.
        let b = [Some(1), Some(1), None];
        assert_eq!(reference(&b, Policy::Majority, num), ag(0, &[0, 1], &[2]));
        assert_eq!(reference(&b, Policy::Unanimous, num), nv(&[&[0, 1]], &[2]));
        assert_eq!(
            reference(&[Some(1), Some(100), Some(2)], Policy::Median, num),
            ag(2, &[2], &[0, 1])
        );
    }

    // ---- Property tests. ----

    fn ballots_strategy() -> impl Strategy<Value = Vec<Option<i64>>> {
        prop::collection::vec(prop::option::weighted(0.8, 0i64..4), 0..9)
    }

    fn policy_strategy(n: usize) -> impl Strategy<Value = Policy> {
        prop_oneof![
            Just(Policy::Majority),
            Just(Policy::Unanimous),
            Just(Policy::Plurality),
            Just(Policy::Median),
            (0..=n + 1).prop_map(Policy::Quorum),
        ]
    }

    fn case() -> impl Strategy<Value = (Vec<Option<i64>>, Policy)> {
        ballots_strategy().prop_flat_map(|b| {
            let n = b.len();
            (Just(b), policy_strategy(n))
        })
    }

    /// Ballots, a policy, and a permutation `perm` (new position p holds old ballot perm[p]).
    fn permuted_case() -> impl Strategy<Value = (Vec<Option<i64>>, Policy, Vec<usize>)> {
        case().prop_flat_map(|(b, p)| {
            let idx: Vec<usize> = (0..b.len()).collect();
            (Just(b), Just(p), Just(idx).prop_shuffle())
        })
    }

    fn check_structure(
        ballots: &[Option<i64>],
        policy: Policy,
        d: &Decision,
        same: fn(&i64, &i64) -> bool,
    ) -> Result<(), TestCaseError> {
        let n = ballots.len();
        match d {
            Decision::Agreed {
                winner,
                supporters,
                dissenters,
            } => {
                prop_assert!(supporters.contains(winner));
                prop_assert!(supporters.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(dissenters.windows(2).all(|w| w[0] < w[1]));
                let mut all: Vec<usize> = supporters.iter().chain(dissenters).copied().collect();
                all.sort_unstable();
                prop_assert_eq!(all, (0..n).collect::<Vec<_>>());
                let wv = ballots[*winner];
                prop_assert!(wv.is_some());
                for &s in supporters {
                    prop_assert!(ballots[s].is_some());
                    prop_assert!(same(
                        &wv.unwrap_or_default(),
                        &ballots[s].unwrap_or_default()
                    ));
                }
                let k = supporters.len();
                match policy {
                    Policy::Majority => prop_assert!(2 * k > n),
                    Policy::Unanimous => prop_assert_eq!(k, n),
                    Policy::Quorum(q) => prop_assert!(q >= 1 && k >= q),
                    Policy::Plurality => prop_assert!(k >= 1),
                    Policy::Median => {
                        let m = ballots.iter().flatten().count();
                        prop_assert!(2 * m > n);
                    }
                }
            }
            Decision::NoVerdict { groups, failed } => {
                let mut all: Vec<usize> = groups.iter().flatten().chain(failed).copied().collect();
                all.sort_unstable();
                prop_assert_eq!(all, (0..n).collect::<Vec<_>>());
                prop_assert!(failed.iter().all(|&i| ballots[i].is_none()));
                prop_assert!(groups.iter().flatten().all(|&i| ballots[i].is_some()));
                for g in groups {
                    prop_assert!(!g.is_empty());
                    prop_assert!(g.windows(2).all(|w| w[0] < w[1]));
                }
                let ordered = groups.windows(2).all(|w| {
                    (w[0].len(), std::cmp::Reverse(w[0][0]))
                        > (w[1].len(), std::cmp::Reverse(w[1][0]))
                });
                prop_assert!(ordered, "groups out of order: {:?}", groups);
            }
        }
        Ok(())
    }

    /// Maps a decision's indices through `perm` back to the original positions, as sets.
    fn normalize(
        d: &Decision,
        ballots: &[Option<i64>],
        perm: &[usize],
    ) -> (
        Option<i64>,
        BTreeSet<usize>,
        BTreeSet<BTreeSet<usize>>,
        BTreeSet<usize>,
    ) {
        let map = |v: &[usize]| v.iter().map(|&i| perm[i]).collect::<BTreeSet<_>>();
        match d {
            Decision::Agreed {
                winner,
                supporters,
                dissenters,
            } => (
                ballots[*winner],
                map(supporters),
                BTreeSet::new(),
                map(dissenters),
            ),
            Decision::NoVerdict { groups, failed } => (
                None,
                BTreeSet::new(),
                groups.iter().map(|g| map(g)).collect(),
                map(failed),
            ),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn permutation_invariance((b, policy, perm) in permuted_case()) {
            let shuffled: Vec<Option<i64>> = perm.iter().map(|&i| b[i]).collect();
            let d0 = vote(&b, policy);
            let d1 = vote(&shuffled, policy);
            prop_assert_eq!(
                matches!(d0, Decision::Agreed { .. }),
                matches!(d1, Decision::Agreed { .. })
            );
            let identity: Vec<usize> = (0..b.len()).collect();
            prop_assert_eq!(normalize(&d0, &b, &identity), normalize(&d1, &shuffled, &perm));
        }

        #[test]
        fn unanimity(v in 0i64..4, n in 1usize..9) {
            let b = vec![Some(v); n];
            let mut policies = vec![Policy::Majority, Policy::Unanimous, Policy::Plurality, Policy::Median];
            policies.extend((1..=n).map(Policy::Quorum));
            for p in policies {
                match vote(&b, p) {
                    Decision::Agreed { winner, supporters, dissenters } => {
                        prop_assert_eq!(b[winner], Some(v));
                        prop_assert_eq!(supporters, (0..n).collect::<Vec<_>>());
                        prop_assert!(dissenters.is_empty());
                    }
                    d => prop_assert!(false, "{} gave {:?}", p, d),
                }
            }
        }

        #[test]
        fn structure_exact((b, policy) in case()) {
            let d = vote(&b, policy);
            check_structure(&b, policy, &d, eq)?;
            prop_assert_eq!(d, reference(&b, policy, num));
        }

        #[test]
        fn structure_tolerance((b, policy) in case()) {
            let d = decide(&b, policy, near, num);
            check_structure(&b, policy, &d, near)?;
        }

        #[test]
        fn plurality_winner_beats_every_other_class((b, _) in case()) {
            if let Decision::Agreed { supporters, .. } = vote(&b, Policy::Plurality) {
                let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
                for v in b.iter().flatten() {
                    *counts.entry(*v).or_default() += 1;
                }
                let k = supporters.len();
                prop_assert_eq!(counts.values().filter(|&&c| c >= k).count(), 1);
            }
        }
    }
}

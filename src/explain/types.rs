//! An explanation as data: its entries, the typed steps between them, the outstanding
//! requirements with their bases, the demands carried down, the deadlocks on the way.

use std::collections::BTreeMap;

use crate::deadlock::Deadlock;
use crate::ids::{NodeId, PartyId};
use crate::model::{Basis, Threshold};

/// How an entry of an explanation needs another: one typed step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Step {
    /// A stage needs this party's act.
    Act {
        /// The performer.
        party: PartyId,
    },
    /// An act needs the previous stage of its track.
    PreviousStage,
    /// An act of a track's first stage needs an article of the track agreed.
    Article,
    /// A rule of law or of the process requires it; nobody demands it.
    Procedure,
    /// A party's precondition on its own act (or on a condition it owes).
    Precondition {
        /// The party that attached it.
        party: PartyId,
    },
    /// One alternative of a requirement group (any-of or threshold).
    Alternative,
}

impl Step {
    /// The basis of the requirement this step follows.
    #[must_use]
    pub fn basis(self) -> Basis {
        match self {
            Step::Precondition { party } => Basis::Precondition(party),
            Step::Procedure => Basis::Procedure,
            _ => Basis::Structure,
        }
    }
}

/// A reference from one entry to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Cause {
    /// How the entry needs it.
    pub step: Step,
    /// The index of the needed entry in [`Explanation::entries`].
    pub entry: usize,
}

/// Why an entry is unsatisfied; its causes are [`Explanation::causes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// Nothing it requires is unsatisfied: it can be acted on now.
    Frontier,
    /// It needs every one of its causes.
    AllOf,
    /// It is a requirement group: it needs enough of its causes (one, k, or a weight).
    AnyOf,
    /// It is an act (or a stage) of a track that has lapsed: its long-stop date passed, by the
    /// dates recorded, with the stage unreached, and the track was declared to lapse. Nothing
    /// can satisfy it unless the long-stop is extended.
    Lapsed,
}

/// A party whose demand an entry serves: `party` demands `through` (by a precondition, or as
/// the condition's demander), and the entry is `through` itself or something `through`
/// needs ("demanded by a, through `reform`").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Demand {
    /// The demanding party.
    pub party: PartyId,
    /// The node it demands, which the entry serves.
    pub through: NodeId,
}

/// One unsatisfied node of an explanation and why it is unsatisfied.
///
/// Alone, in JSON (feature `serde`), it also shows where its causes and demands start in its
/// explanation's flat lists (`start`, `len`, `dstart`, `dlen`); within an explanation's JSON
/// the causes and demands are listed in the entry instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Entry {
    /// The node.
    pub node: NodeId,
    /// Why.
    pub reason: Reason,
    /// Its causes: `causes[start..start + len]` of the explanation.
    pub(super) start: u32,
    pub(super) len: u32,
    /// Its demands: `demands[dstart..dstart + dlen]` of the explanation.
    pub(super) dstart: u32,
    pub(super) dlen: u32,
}

/// One outstanding requirement of the target: an unsatisfied direct requirement of the
/// target (for a stage, of its blocked acts).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Outstanding {
    /// The required node.
    pub node: NodeId,
    /// Its entry in [`Explanation::entries`]; its chain to the frontier starts there.
    pub entry: usize,
    /// The nodes that require it (the target, or the stage's acts) and on what basis.
    pub required_by: Vec<(NodeId, Basis)>,
}

/// Why a node is blocked: a graph of typed steps from the target down to the frontier, stored
/// flat. Entry 0 is the target; every node appears in one entry only, and entries that share
/// a sub-cause refer to the same entry (so an explanation stays linear in size on DAGs, and
/// finite with cycles). Empty when the target is not blocked.
///
/// Beside the graph: the [outstanding requirements](Self::outstanding) at the top, each
/// entry's [demands](Self::demands) carried down from the demanded nodes, and every
/// [deadlock](Self::deadlocks) among the entries. A blocked node's explanation always has at
/// least one outstanding requirement, and reaches a frontier node or a deadlock.
///
/// For a stage, the target entry lists only its *blocked* pending acts: pending acts that
/// could be performed now are the move itself, not blockers. Deeper down, a stage needs all
/// of its pending acts.
///
/// In JSON (feature `serde`) each entry carries its causes and demands:
/// `{"entries": [{"node", "reason", "causes": [{"step", "entry"}], "demands": [{"party",
/// "through"}]}], "outstanding", "deadlocks"}`; reading one back checks that every `entry`
/// index is in range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "wire::Explanation", into = "wire::Explanation")
)]
#[must_use]
pub struct Explanation {
    pub(super) entries: Vec<Entry>,
    /// Every entry's causes, one after the other, in entry order.
    pub(super) causes: Vec<Cause>,
    /// Every entry's demands, one after the other, in entry order, each sorted by party.
    pub(super) demands: Vec<Demand>,
    pub(super) outstanding: Vec<Outstanding>,
    pub(super) deadlocks: Vec<Deadlock>,
}

/// The JSON form of an explanation: each entry with its causes and demands.
#[cfg(feature = "serde")]
mod wire {
    use super::{Cause, Deadlock, Demand, Entry, Outstanding, Reason};
    use crate::ids::NodeId;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Explanation {
        entries: Vec<EntryWire>,
        outstanding: Vec<Outstanding>,
        deadlocks: Vec<Deadlock>,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EntryWire {
        node: NodeId,
        reason: Reason,
        causes: Vec<Cause>,
        demands: Vec<Demand>,
    }

    impl From<super::Explanation> for Explanation {
        fn from(why: super::Explanation) -> Explanation {
            Explanation {
                entries: (0..why.entries.len())
                    .map(|i| EntryWire {
                        node: why.entries[i].node,
                        reason: why.entries[i].reason,
                        causes: why.causes(i).to_vec(),
                        demands: why.demands(i).to_vec(),
                    })
                    .collect(),
                outstanding: why.outstanding,
                deadlocks: why.deadlocks,
            }
        }
    }

    impl TryFrom<Explanation> for super::Explanation {
        type Error = String;

        fn try_from(wire: Explanation) -> Result<super::Explanation, String> {
            let n = wire.entries.len();
            let mut why = super::Explanation::default();
            let offset = |len: usize| {
                u32::try_from(len).map_err(|_| "too many causes or demands".to_owned())
            };
            for (i, e) in wire.entries.into_iter().enumerate() {
                if let Some(c) = e.causes.iter().find(|c| c.entry >= n) {
                    return Err(format!(
                        "entries[{i}]: cause {} is not an entry ({n} entries)",
                        c.entry
                    ));
                }
                let (start, dstart) = (offset(why.causes.len())?, offset(why.demands.len())?);
                why.causes.extend(e.causes);
                why.demands.extend(e.demands);
                why.entries.push(Entry {
                    node: e.node,
                    reason: e.reason,
                    start,
                    len: offset(why.causes.len())? - start,
                    dstart,
                    dlen: offset(why.demands.len())? - dstart,
                });
            }
            if let Some(o) = wire.outstanding.iter().find(|o| o.entry >= n) {
                return Err(format!(
                    "outstanding: entry {} is not an entry ({n} entries)",
                    o.entry
                ));
            }
            why.outstanding = wire.outstanding;
            why.deadlocks = wire.deadlocks;
            Ok(why)
        }
    }
}

/// Nodes grouped by a party; `None` collects nodes no party is named for.
pub type Grouping = BTreeMap<Option<PartyId>, Vec<NodeId>>;

/// How far a requirement group is from its threshold; see [`Negotiation::group_progress`](crate::Negotiation::group_progress).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct GroupProgress {
    /// What the group needs.
    pub threshold: Threshold,
    /// The count (or weight) of its satisfied alternatives.
    pub reached: u32,
    /// How much more it needs (0 when satisfied).
    pub more_needed: u32,
    /// Its unsatisfied alternatives, sorted.
    pub remaining: Vec<NodeId>,
}

impl Explanation {
    /// Whether there is nothing blocking the target.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The target, unless the explanation is empty.
    #[must_use]
    pub fn target(&self) -> Option<NodeId> {
        self.entries.first().map(|e| e.node)
    }

    /// Every entry, the target first, in breadth-first order from the target.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The causes of entry `i` (an index into [`entries`](Self::entries)): empty for a
    /// frontier entry or an index out of range.
    #[must_use]
    pub fn causes(&self, i: usize) -> &[Cause] {
        self.entries.get(i).map_or(&[], |e| {
            let start = e.start as usize;
            self.causes
                .get(start..start + e.len as usize)
                .unwrap_or(&[])
        })
    }

    /// The demands entry `i` serves, sorted by party: the parties whose preconditions (or
    /// whose demanded conditions) lead to it, each with the demanded node it serves. A
    /// prerequisite of a demanded condition is credited to that condition's demander.
    #[must_use]
    pub fn demands(&self, i: usize) -> &[Demand] {
        self.entries.get(i).map_or(&[], |e| {
            let start = e.dstart as usize;
            self.demands
                .get(start..start + e.dlen as usize)
                .unwrap_or(&[])
        })
    }

    /// The outstanding requirements: every unsatisfied direct requirement of the target (of
    /// its blocked acts, for a stage), sorted by node. Non-empty exactly when the target is
    /// blocked.
    #[must_use]
    pub fn outstanding(&self) -> &[Outstanding] {
        &self.outstanding
    }

    /// The deadlocks among the entries: cycles of requirements none of whose nodes can be
    /// satisfied before the others, with the parties in them and the requirements whose
    /// dropping breaks them. Sorted.
    #[must_use]
    pub fn deadlocks(&self) -> &[Deadlock] {
        &self.deadlocks
    }

    /// The frontier: unsatisfied nodes whose own requirements are all satisfied — what can be
    /// acted on now — sorted by node.
    #[must_use]
    pub fn frontier(&self) -> Vec<NodeId> {
        let mut f: Vec<NodeId> = self
            .entries
            .iter()
            .skip(1)
            .filter(|e| e.reason == Reason::Frontier)
            .map(|e| e.node)
            .collect();
        f.sort_unstable();
        f
    }
}

impl crate::foreign::Owned for Explanation {
    fn belongs_to(&self, negotiation: &dyn crate::foreign::Handles) -> bool {
        self.entries.iter().all(|e| e.node.belongs_to(negotiation))
            && self.outstanding.iter().all(|o| {
                o.node.belongs_to(negotiation)
                    && o.required_by
                        .iter()
                        .all(|(n, b)| n.belongs_to(negotiation) && b.belongs_to(negotiation))
            })
            && self
                .demands
                .iter()
                .all(|d| d.party.belongs_to(negotiation) && d.through.belongs_to(negotiation))
            && self.deadlocks.belongs_to(negotiation)
    }
}

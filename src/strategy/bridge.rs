//! From a negotiation to a conflict: chosen acts, conditions and concessions become options of
//! the parties controlling them; the requirement graph supplies feasibility.

use super::conflict::{ConflictBuilder, Direction, StateRef};
use super::statement::{Literal, Statement};
use super::OptionId;
use crate::ids::{NodeId, PartyId};
use crate::model::NodeRef;
use crate::state::Negotiation;

/// Why a node cannot become an option.
///
/// Marked `#[non_exhaustive]`: new variants are not breaking changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BridgeError {
    /// No node has this id.
    #[error("unknown node `{0}`")]
    UnknownNode(String),
    /// [`Bridge::option_for`] named a party that does not exist.
    #[error("`{key}`: unknown party `{party}`")]
    UnknownParty {
        /// The node.
        key: String,
        /// The party named.
        party: String,
    },
    /// Articles, stages and any-of groups are not moves of one party.
    #[error("`{key}` is a {kind}: only acts, conditions and concessions can be options")]
    NotAnOption {
        /// The node.
        key: String,
        /// Its kind.
        kind: &'static str,
    },
    /// A condition owed by no party or by several: name its controller with
    /// [`Bridge::option_for`].
    #[error("condition `{0}` is not owed by exactly one party: name who controls it")]
    NoController(String),
    /// The node was chosen twice.
    #[error("`{0}` is already an option")]
    Duplicate(String),
    /// More options than a conflict holds: the node that would be one too many.
    #[error("`{0}` would be option {n}: a conflict holds at most {max}", n = super::MAX_OPTIONS + 1, max = super::MAX_OPTIONS)]
    TooMany(String),
}

/// Builds a [`ConflictBuilder`] from a [`Negotiation`].
///
/// Each chosen node becomes an option named by its key, controlled by a decision maker named
/// by the party's key: an act by its party (forward only: an act once performed stays
/// performed), a condition by the party owing it (forward only), a concession by the party
/// making it (both ways: it can be retracted). An option may be taken only in states where
/// its requirements hold. A requirement is evaluated through the graph: a chosen node by its
/// option, a stage by all of its acts, an any-of group by any of its alternatives, anything
/// else by its status now (nobody in the conflict moves it). A requirement on a cycle counts as
/// unsatisfied. The status quo is the present: an option is taken when its node is satisfied.
///
/// The analyst then adds options of their own (declaring a decision maker again adds to its
/// options) and the preferences.
///
/// # Examples
///
/// ```
/// use negotiation::strategy::{Bridge, Concept};
///
/// let scenario = std::fs::read_to_string("examples/scenarios/armenia_azerbaijan_2025.json")?;
/// let (_, negotiation) = negotiation::Scenario::from_json(&scenario)?;
/// let conflict = Bridge::new(&negotiation)
///     .option("amend_constitution")
///     .option("peace.signed.azerbaijan")
///     .builder()? // the first node that cannot be an option, if any
///     .prioritize("armenia", ["peace.signed.azerbaijan", "!amend_constitution"])
///     .prioritize("azerbaijan", ["amend_constitution", "!peace.signed.azerbaijan"])
///     .build()?;
/// // Azerbaijan's signature needs the amendment (and the Minsk Group's dissolution, which
/// // nobody here can bring about): two of the four states are infeasible.
/// assert_eq!(conflict.state_count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a bridge does nothing until `builder` is called"]
pub struct Bridge<'n> {
    negotiation: &'n Negotiation,
    options: Vec<(NodeId, PartyId)>,
    /// The first refused node, reported by [`Bridge::builder`].
    error: Option<BridgeError>,
}

impl<'n> Bridge<'n> {
    /// A bridge with no options yet.
    pub fn new(negotiation: &'n Negotiation) -> Self {
        Bridge {
            negotiation,
            options: Vec::new(),
            error: None,
        }
    }

    /// Makes the node an option of the party that controls it.
    ///
    /// A node that cannot be one (unknown, not an act, condition or concession, already
    /// chosen, or a condition not owed by exactly one party) is reported, by key, by
    /// [`builder`](Self::builder): the first such node, later ones being ignored.
    pub fn option(self, key: &str) -> Self {
        self.or_refuse(|b| b.try_option(key))
    }

    /// Makes the node an option of the named party. Refusals are reported as by
    /// [`option`](Self::option), also for an unknown party.
    pub fn option_for(self, key: &str, party: &str) -> Self {
        self.or_refuse(|b| b.try_option_for(key, party))
    }

    /// Applies `f` unless a node was refused already; keeps its error.
    fn or_refuse(mut self, f: impl FnOnce(&mut Self) -> Result<(), BridgeError>) -> Self {
        if self.error.is_none() {
            if let Err(e) = f(&mut self) {
                self.error = Some(e);
            }
        }
        self
    }

    fn try_option(&mut self, key: &str) -> Result<(), BridgeError> {
        let n = self.node(key)?;
        let party = match self.negotiation.get(n) {
            Some(NodeRef::Act(a)) => a.party(),
            Some(NodeRef::Concession(c)) => c.by(),
            Some(NodeRef::Condition(c)) => match c.owed_by() {
                [one] => *one,
                _ => return Err(BridgeError::NoController(key.to_string())),
            },
            _ => not_an_option(self.negotiation, n, key)?,
        };
        self.push(n, party, key)
    }

    fn try_option_for(&mut self, key: &str, party: &str) -> Result<(), BridgeError> {
        let n = self.node(key)?;
        if !matches!(
            self.negotiation.get(n),
            Some(NodeRef::Act(_) | NodeRef::Concession(_) | NodeRef::Condition(_))
        ) {
            not_an_option(self.negotiation, n, key)?;
        }
        let p = self
            .negotiation
            .party_id(party)
            .ok_or_else(|| BridgeError::UnknownParty {
                key: key.to_string(),
                party: party.to_string(),
            })?;
        self.push(n, p, key)
    }

    fn node(&self, key: &str) -> Result<NodeId, BridgeError> {
        self.negotiation
            .node_id(key)
            .ok_or_else(|| BridgeError::UnknownNode(key.to_string()))
    }

    fn push(&mut self, n: NodeId, p: PartyId, key: &str) -> Result<(), BridgeError> {
        if self.options.iter().any(|&(o, _)| o == n) {
            return Err(BridgeError::Duplicate(key.to_string()));
        }
        if self.options.len() == super::MAX_OPTIONS {
            return Err(BridgeError::TooMany(key.to_string()));
        }
        self.options.push((n, p));
        Ok(())
    }

    /// The conflict so far: options, decision makers, feasibility and status quo. Preferences
    /// are the analyst's to add.
    ///
    /// # Errors
    ///
    /// The first node [`option`](Self::option) or [`option_for`](Self::option_for) refused,
    /// the error naming it.
    pub fn builder(self) -> Result<ConflictBuilder, BridgeError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let neg = self.negotiation;
        let mut b = ConflictBuilder::new();
        for &(n, _) in &self.options {
            let direction = match neg.get(n) {
                Some(NodeRef::Concession(_)) => Direction::Both,
                _ => Direction::Forward,
            };
            b = b.option_with(neg.key_of(n), direction);
        }
        let mut parties: Vec<PartyId> = self.options.iter().map(|&(_, p)| p).collect();
        parties.sort_unstable();
        parties.dedup();
        for p in parties {
            let owned = self
                .options
                .iter()
                .filter(|&&(_, q)| q == p)
                .map(|&(n, _)| neg.key_of(n).to_string());
            let name = neg.party(p).map_or("", |p| p.key());
            b = b.decision_maker(name, owned.collect::<Vec<_>>());
        }
        let option_of = |n: NodeId| {
            self.options
                .iter()
                .position(|&(o, _)| o == n)
                .map(|k| OptionId(k as u32))
        };
        let mut cuts = Cuts::new(neg, &option_of);
        for (k, &(n, _)) in self.options.iter().enumerate() {
            for r in neg.sorted_requirements(n) {
                for cut in cuts.of(r.target) {
                    let literals = std::iter::once(Literal::yes(OptionId(k as u32))).chain(
                        (0..self.options.len() as u32)
                            .filter(|j| cut >> j & 1 == 1)
                            .map(|j| Literal::no(OptionId(j))),
                    );
                    b = b.infeasible(Statement::all_of(literals));
                }
            }
        }
        let taken = self
            .options
            .iter()
            .filter(|&&(n, _)| neg.satisfied(n))
            .map(|&(n, _)| neg.key_of(n).to_string())
            .collect();
        Ok(b.status_quo(StateRef::Taken(taken)))
    }
}

fn not_an_option<T>(neg: &Negotiation, n: NodeId, key: &str) -> Result<T, BridgeError> {
    Err(BridgeError::NotAnOption {
        key: key.to_string(),
        kind: neg.kind(n).map_or("node", |k| k.as_str()),
    })
}

/// The minimal cut sets of a node's satisfaction as a monotone function of the options: the
/// node is unsatisfied exactly when every option of some cut is not taken. No cut: always
/// satisfied; the empty cut: never.
struct Cuts<'a> {
    neg: &'a Negotiation,
    option_of: &'a dyn Fn(NodeId) -> Option<OptionId>,
    memo: Vec<Option<Vec<u64>>>,
}

impl<'a> Cuts<'a> {
    fn new(neg: &'a Negotiation, option_of: &'a dyn Fn(NodeId) -> Option<OptionId>) -> Self {
        Cuts {
            neg,
            option_of,
            memo: vec![None; neg.node_count()],
        }
    }

    /// Iterative post-order over the derived nodes (stages and any-of groups) below `root`.
    fn of(&mut self, root: NodeId) -> Vec<u64> {
        let mut on_path = vec![false; self.memo.len()];
        let mut stack = vec![(root, false)];
        while let Some((n, expanded)) = stack.pop() {
            let i = n.index();
            if self.memo[i].is_some() {
                continue;
            }
            let derived = matches!(self.neg.get(n), Some(NodeRef::Stage(_) | NodeRef::Group(_)))
                && (self.option_of)(n).is_none();
            if !derived {
                self.memo[i] = Some(match (self.option_of)(n) {
                    Some(o) => vec![1 << o.index],
                    None if self.neg.satisfied(n) => Vec::new(),
                    None => vec![0],
                });
                continue;
            }
            let weighted: Vec<(NodeId, u32)> = self
                .neg
                .sorted_requirements(n)
                .into_iter()
                .map(|r| (r.target, r.weight))
                .collect();
            let children: Vec<NodeId> = weighted.iter().map(|&(c, _)| c).collect();
            if !expanded {
                on_path[i] = true;
                stack.push((n, true));
                for &c in &children {
                    if self.memo[c.index()].is_none() && !on_path[c.index()] {
                        stack.push((c, false));
                    }
                }
                continue;
            }
            on_path[i] = false;
            // A child still on the path closes a cycle: unsatisfiable through it.
            let child = |c: NodeId| self.memo[c.index()].clone().unwrap_or_else(|| vec![0]);
            let cuts = match self.neg.get(n) {
                Some(NodeRef::Group(g)) if g.is_any_of() => {
                    children.iter().fold(vec![0], |acc, &c| {
                        let other = child(c);
                        minimal(
                            acc.iter()
                                .flat_map(|a| other.iter().map(move |b| a | b))
                                .collect(),
                        )
                    })
                }
                // A threshold fails once the alternatives that fail weigh more than its slack:
                // combine the alternatives' cuts until they do.
                Some(NodeRef::Group(g)) => {
                    let slack = g.total() - g.needed();
                    let mut partial: Vec<(u64, u32)> = vec![(0, 0)];
                    for &(c, w) in &weighted {
                        let other = child(c);
                        let mut next = partial.clone();
                        for &(m, failed) in partial.iter().filter(|(_, f)| *f <= slack) {
                            next.extend(other.iter().map(|&b| (m | b, failed + w)));
                        }
                        next.sort_unstable();
                        next.dedup();
                        partial = next;
                    }
                    minimal(
                        partial
                            .into_iter()
                            .filter(|&(_, failed)| failed > slack)
                            .map(|(m, _)| m)
                            .collect(),
                    )
                }
                _ => minimal(children.iter().flat_map(|&c| child(c)).collect()),
            };
            self.memo[i] = Some(cuts);
        }
        self.memo[root.index()].clone().unwrap_or_else(|| vec![0])
    }
}

/// Without duplicates and supersets.
fn minimal(mut cuts: Vec<u64>) -> Vec<u64> {
    cuts.sort_unstable_by_key(|c| (c.count_ones(), *c));
    cuts.dedup();
    let mut kept: Vec<u64> = Vec::with_capacity(cuts.len());
    for c in cuts {
        if !kept.iter().any(|k| c & k == *k) {
            kept.push(c);
        }
    }
    kept.sort_unstable();
    kept
}

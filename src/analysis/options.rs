//! What an analysis may spend and what moves cost (`Options`, `Costs`), and what it spent (`Effort`).

use std::collections::BTreeMap;

use crate::ids::{NodeId, PartyId};
use crate::state::Negotiation;

/// Costs an analyst assigns to moves. A move's cost is, in order of precedence, the one given
/// for its actor and node (`party_nodes`), for its node (the condition fulfilled or waived,
/// the act performed, the article accepted, the concession made: `nodes`), for its actor
/// (`parties`), else `default`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct Costs {
    /// The cost of a move nothing else prices.
    #[cfg_attr(feature = "serde", serde(default = "one"))]
    pub default: u64,
    /// Cost per node id.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::serde_maps::unique_map::deserialize"
        )
    )]
    pub nodes: BTreeMap<String, u64>,
    /// Cost per acting party id.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::serde_maps::unique_map::deserialize"
        )
    )]
    pub parties: BTreeMap<String, u64>,
    /// Cost per acting party id, then node id.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::serde_maps::unique_map::nested"
        )
    )]
    pub party_nodes: BTreeMap<String, BTreeMap<String, u64>>,
    /// Why these costs (for reports).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub note: Option<String>,
}

#[cfg(feature = "serde")]
fn one() -> u64 {
    1
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            default: 1,
            nodes: BTreeMap::new(),
            parties: BTreeMap::new(),
            party_nodes: BTreeMap::new(),
            note: None,
        }
    }
}

impl Costs {
    /// Every move costs `default`, until [`node`](Self::node), [`party`](Self::party) or
    /// [`party_node`](Self::party_node) say otherwise.
    pub fn with_default(default: u64) -> Costs {
        Costs {
            default,
            ..Costs::default()
        }
    }

    /// A move on `node` (an id) costs `cost`, whoever makes it.
    pub fn node(mut self, node: impl Into<String>, cost: u64) -> Costs {
        self.nodes.insert(node.into(), cost);
        self
    }

    /// A move by `party` (an id) costs `cost`, unless its node has a cost.
    pub fn party(mut self, party: impl Into<String>, cost: u64) -> Costs {
        self.parties.insert(party.into(), cost);
        self
    }

    /// A move by `party` on `node` costs `cost`, before any other rule.
    pub fn party_node(
        mut self,
        party: impl Into<String>,
        node: impl Into<String>,
        cost: u64,
    ) -> Costs {
        self.party_nodes
            .entry(party.into())
            .or_default()
            .insert(node.into(), cost);
        self
    }

    /// The cost of `party`'s move on `node` in `neg`. `None` if `node` or `party` is not
    /// `neg`'s.
    #[must_use]
    pub fn of(&self, neg: &Negotiation, node: NodeId, party: PartyId) -> Option<u64> {
        (neg.has_node(node) && neg.has_party(party)).then(|| self.cost_of(neg, node, party))
    }

    /// [`of`](Self::of) a node and party of `neg`.
    pub(crate) fn cost_of(&self, neg: &Negotiation, node: NodeId, party: PartyId) -> u64 {
        let (node, party) = (neg.key_of(node), neg.party(party).map_or("", |p| p.key()));
        self.party_nodes
            .get(party)
            .and_then(|m| m.get(node))
            .or_else(|| self.nodes.get(node))
            .or_else(|| self.parties.get(party))
            .copied()
            .unwrap_or(self.default)
    }
}

/// Options of the analyses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Options {
    /// Move costs.
    pub costs: Costs,
    /// Whether demanders may give way: waive a demanded condition, unlink a precondition from
    /// their own act. Off by default: a plan then only uses moves that comply (fulfil,
    /// perform, accept, make a concession), and a precondition cycle is a deadlock.
    pub allow_waivers: bool,
    /// How much work an exact search may do before it returns its best result marked as not
    /// exact: one unit per goal visited, per goal copied at a choice, and per goal of each
    /// solution checked. It bounds the search, not the region the search runs on (the
    /// unsatisfied part of the graph below the target, which every answer needs and which is
    /// built in full, in time linear in its size): each result reports both as [`Effort`].
    /// When every solution includes more goals than the budget (what the target needs with no
    /// choice in between), the search is not started: counting past the budget is all it
    /// spends, and the result is as when the budget runs out before a first solution (a plan
    /// found without search, no unblocking set).
    pub budget: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            costs: Costs::default(),
            allow_waivers: false,
            budget: 100_000,
        }
    }
}

impl Options {
    /// The defaults: every move costs 1, no waivers, a budget of 100,000.
    pub fn new() -> Options {
        Options::default()
    }

    /// Move costs.
    pub fn costs(mut self, costs: Costs) -> Options {
        self.costs = costs;
        self
    }

    /// Whether demanders may give way (see the field [`allow_waivers`](Options#structfield.allow_waivers)).
    pub fn allow_waivers(mut self, allow: bool) -> Options {
        self.allow_waivers = allow;
        self
    }

    /// How much work an exact search may do (see the field [`budget`](Options#structfield.budget)).
    pub fn budget(mut self, budget: usize) -> Options {
        self.budget = budget;
        self
    }
}

/// What an analysis did, in [`Options::budget`]'s units: the region it built in full and the
/// search steps the budget bounds. A call costs time linear in `region` plus `steps`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Effort {
    /// Goals of the AND-OR region built below the target: about one per unsatisfied node
    /// there, and one per alternative that waivers add.
    pub region: usize,
    /// Search steps spent: at most the budget, plus the check of a solution reached just
    /// before it ran out (a solution's size at most).
    pub steps: usize,
}

impl Effort {
    /// "the budget ran out after N search steps over a region of M goals".
    pub(super) fn spent(&self) -> String {
        format!(
            "the budget ran out after {} search steps over a region of {} goals",
            self.steps, self.region
        )
    }
}

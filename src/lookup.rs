//! Small reads of a negotiation that several layers share: who must act on a node, how parties
//! and bases read in text, and a reference to an undeclared id with the nearest declared one.

use crate::build::BuildError;
use crate::ids::{NodeId, PartyId};
use crate::model::{Basis, NodeData, Position};
use crate::state::Negotiation;

/// The parties that must act on an unsatisfied node.
pub(crate) fn actors_of(neg: &Negotiation, n: NodeId) -> Vec<PartyId> {
    let Some(node) = neg.nodes.get(n.index()) else {
        return Vec::new();
    };
    match &node.data {
        NodeData::Condition(c) => c.still_owed_by(),
        NodeData::Act(a) => vec![a.party],
        NodeData::Concession(c) => vec![c.by],
        NodeData::Article(a) => neg.tracks[a.track.index()]
            .principals
            .iter()
            .copied()
            .filter(|&p| a.position(p) != Position::Accepts)
            .collect(),
        NodeData::Stage(_) | NodeData::Group(_) => Vec::new(),
    }
}

/// A party's display name; `?` for a handle from another negotiation.
pub(crate) fn party_name(neg: &Negotiation, p: PartyId) -> &str {
    neg.party(p).map_or("?", |p| p.name())
}

/// Display names joined by commas, or `nobody`.
pub(crate) fn party_list(neg: &Negotiation, ps: &[PartyId]) -> String {
    if ps.is_empty() {
        return "nobody".to_owned();
    }
    ps.iter()
        .map(|&p| party_name(neg, p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a basis reads in a report: `Azerbaijan's precondition`, `required by procedure
/// (Art. 218(6) TFEU)`, `structure`.
pub(crate) fn basis_text(neg: &Negotiation, basis: Basis, from: NodeId, to: NodeId) -> String {
    match basis {
        Basis::Precondition(p) => format!("{}'s precondition", party_name(neg, p)),
        Basis::Procedure => match neg.citation(from, to) {
            Some(c) => format!("required by procedure ({c})"),
            None => "required by procedure".to_owned(),
        },
        Basis::Structure => "structure".to_owned(),
    }
}

impl Negotiation {
    /// A reference to an undeclared `expected` thing, with the nearest declared id.
    pub(crate) fn dangling(&self, path: String, expected: &'static str, id: &str) -> BuildError {
        BuildError::DanglingReference {
            path,
            expected,
            id: id.to_owned(),
            suggestion: self.nearest_id(expected, id),
        }
    }
}

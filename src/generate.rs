//! Seeded model generators for benchmarks, tests and users (feature `generate`).
//!
//! Every generator is deterministic in its seed: the same shape, size and seed give the same
//! model, so everyone measures the same input.
//!
//! ```
//! use negotiation::generate::{model, valid_moves, Shape};
//!
//! let mut neg = model(Shape::Treaty, 1_000, 7).build()?;
//! assert!(neg.node_count() >= 900 && neg.node_count() <= 1_100);
//! for mv in valid_moves(&neg, 200, 7) {
//!     neg.apply(&mv)?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::build::{ArticleSpec, ConditionSpec, NegotiationBuilder, StageSpec, TrackSpec};
use crate::ids::NodeId;
use crate::model::{NodeData, Position, Role, StageKind};
use crate::moves::{Move, MoveKind};
use crate::schedule::{ScheduleSpec, Takes};
use crate::state::Negotiation;
use crate::strategy::{ConflictBuilder, Direction};
use crate::time::Span;

/// A small, fast, seeded pseudo-random generator (SplitMix64). Not for cryptography.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator with this seed.
    #[must_use]
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// `true` with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// The shape of a generated negotiation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Tracks × articles × conditions, with chains of conditions and preconditions on the
    /// principals' signatures, like a treaty with annexes.
    Treaty,
    /// One closing with a wide fan-in of conditions precedent, any-of alternatives and
    /// sub-conditions, like a merger closing checklist.
    Checklist,
    /// One signature requiring a single chain of conditions, as deep as the size.
    Chain,
    /// Conditions with random requirements on later ones (a random DAG), some any-of, some
    /// preconditions.
    RandomDag,
}

impl Shape {
    /// Every shape.
    pub const ALL: [Shape; 4] = [
        Shape::Treaty,
        Shape::Checklist,
        Shape::Chain,
        Shape::RandomDag,
    ];

    /// The stage a benchmark should ask about (the last stage of the first track).
    #[must_use]
    pub fn target(self) -> &'static str {
        match self {
            Shape::Treaty => "t0.ratified",
            Shape::Checklist => "deal.closing",
            Shape::Chain | Shape::RandomDag => "t0.signed",
        }
    }
}

fn parties(b: NegotiationBuilder) -> NegotiationBuilder {
    b.party("a", "Party A", Role::Principal)
        .party("b", "Party B", Role::Principal)
        .party("x", "Institution X", Role::Institution)
        .party("y", "Institution Y", Role::Institution)
}

const OBLIGORS: [&str; 4] = ["a", "b", "x", "y"];

/// A random conflict for the strategy layer (seeded): `options` options dealt round-robin to
/// `dms` decision makers (named `D0`, `D1`, …; options `o0`, `o1`, …), about one in ten
/// irreversible, `infeasible` random three-literal infeasibility patterns, and for each
/// decision maker as many prioritized statements as options, each a conjunction of one to
/// three random literals.
///
/// ```
/// use negotiation::generate::conflict;
///
/// let c = conflict(12, 3, 0, 7).build()?;
/// assert_eq!(c.state_count(), 4_096);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn conflict(options: usize, dms: usize, infeasible: usize, seed: u64) -> ConflictBuilder {
    let mut rng = Rng::new(seed);
    let mut b = ConflictBuilder::new();
    let (options, dms) = (options.max(1), dms.clamp(1, options.max(1)));
    for k in 0..options {
        let direction = match rng.below(20) {
            0 => Direction::Forward,
            1 => Direction::Backward,
            _ => Direction::Both,
        };
        b = b.option_with(format!("o{k}"), direction);
    }
    for d in 0..dms {
        let own: Vec<String> = (d..options).step_by(dms).map(|k| format!("o{k}")).collect();
        b = b.decision_maker(format!("D{d}"), own);
    }
    let conjunction = |rng: &mut Rng, n: usize| {
        (0..n)
            .map(|_| {
                let neg = if rng.chance(50) { "!" } else { "" };
                format!("{neg}o{}", rng.below(options))
            })
            .collect::<Vec<_>>()
            .join(" & ")
    };
    for _ in 0..infeasible {
        let p = conjunction(&mut rng, 3);
        b = b.infeasible(p);
    }
    for d in 0..dms {
        let statements: Vec<String> = (0..options)
            .map(|_| {
                let n = 1 + rng.below(3);
                conjunction(&mut rng, n)
            })
            .collect();
        b = b.prioritize(&format!("D{d}"), statements);
    }
    b
}

/// A model of about `nodes` nodes (stages, acts, articles, conditions and any-of groups
/// together), seeded.
pub fn model(shape: Shape, nodes: usize, seed: u64) -> NegotiationBuilder {
    let mut rng = Rng::new(seed);
    let mut b = parties(NegotiationBuilder::new());
    let nodes = nodes.max(10);
    match shape {
        Shape::Treaty => {
            // Per track: 3 stages, 6 acts, ~40 articles, ~60 conditions.
            let tracks = (nodes / 110).max(1);
            let per_track = nodes / tracks - 9;
            for t in 0..tracks {
                let track = format!("t{t}");
                b = b.track(
                    TrackSpec::new(&track, format!("Track {t}"), ["a", "b"])
                        .stage(StageKind::Finalized)
                        .stage(StageKind::Signed)
                        .stage(StageKind::Ratified),
                );
                let articles = per_track * 2 / 5;
                for i in 0..articles {
                    let mut a = ArticleSpec::new(format!("{track}.a{i}"), &track, "Article")
                        .position("a", Position::Accepts);
                    if !rng.chance(10) {
                        a = a.position("b", Position::Accepts);
                    }
                    b = b.article(a);
                }
                let conditions = per_track - articles;
                for i in 0..conditions {
                    let id = format!("{track}.c{i}");
                    b = b.condition(
                        ConditionSpec::new(&id, "Condition")
                            .owed_by([OBLIGORS[rng.below(4)]])
                            .demanded_by(["a", "b"][rng.below(2)]),
                    );
                    if i + 1 < conditions && rng.chance(60) {
                        let j = i + 1 + rng.below((conditions - i - 1).min(5));
                        b = b.requires(id.clone(), format!("{track}.c{j}"));
                    }
                    if i % 7 == 0 {
                        let party = ["a", "b"][rng.below(2)];
                        b = b.requires(format!("{track}.signed.{party}"), id);
                    }
                }
            }
        }
        Shape::Checklist => {
            b = b.track(
                TrackSpec::new("deal", "The deal", ["a", "b"])
                    .stage(StageSpec::new(StageKind::Signed).performed_by(["a", "b"]))
                    .stage(StageKind::Custom("closing".into())),
            );
            let conditions = nodes - 6;
            let top = (conditions / 3).max(1);
            let mut i = 0;
            while i < conditions {
                let id = format!("cp{i}");
                b = b.condition(
                    ConditionSpec::new(&id, "Condition precedent")
                        .owed_by([OBLIGORS[rng.below(4)]])
                        .demanded_by("a"),
                );
                if i < top {
                    if rng.chance(20) && i + 2 < conditions {
                        // Either of two financing-like sources.
                        let (x, y) = (format!("cp{}", i + 1), format!("cp{}", i + 2));
                        for alt in [&x, &y] {
                            b = b.condition(
                                ConditionSpec::new(alt.clone(), "Alternative")
                                    .owed_by([OBLIGORS[rng.below(4)]]),
                            );
                        }
                        b = b.requires_any_of(id.clone(), [x, y]);
                        i += 2;
                    }
                    b = b.requires("deal.closing.a", id);
                } else {
                    let parent = rng.below(top);
                    b = b.requires(format!("cp{parent}"), id);
                }
                i += 1;
            }
        }
        Shape::Chain => {
            b = b.track(TrackSpec::new("t0", "Track 0", ["a", "b"]).stage(StageKind::Signed));
            let n = nodes - 3;
            b.conditions.reserve(n);
            b.requirements.reserve(n);
            for i in 0..n {
                b.conditions
                    .push(ConditionSpec::new(format!("c{i}"), "Link").owed_by([OBLIGORS[i % 4]]));
            }
            for i in 0..n - 1 {
                b = b.requires(format!("c{i}"), format!("c{}", i + 1));
            }
            b = b.requires("t0.signed.a", "c0");
        }
        Shape::RandomDag => {
            b = b.track(
                TrackSpec::new("t0", "Track 0", ["a", "b"])
                    .stage(StageKind::Finalized)
                    .stage(StageKind::Signed),
            );
            let n = nodes - 6;
            let groups = n / 10;
            let conditions = n - groups;
            for i in 0..conditions {
                b = b.condition(
                    ConditionSpec::new(format!("c{i}"), "Condition")
                        .owed_by([OBLIGORS[rng.below(4)]])
                        .demanded_by(["a", "b"][rng.below(2)]),
                );
            }
            let mut edges = std::collections::HashSet::new();
            for i in 0..conditions {
                for _ in 0..2 {
                    if i + 1 < conditions && rng.chance(70) {
                        let j = i + 1 + rng.below((conditions - i - 1).min(50));
                        if edges.insert((i, j)) {
                            b = b.requires(format!("c{i}"), format!("c{j}"));
                        }
                    }
                }
            }
            let mut groups_seen = std::collections::HashSet::new();
            for _ in 0..groups {
                let i = rng.below(conditions.saturating_sub(2));
                let span = conditions - i - 1;
                let (x, y) = (i + 1 + rng.below(span), i + 1 + rng.below(span));
                if x != y && groups_seen.insert((i, x.min(y), x.max(y))) {
                    b = b.requires_any_of(
                        format!("c{i}"),
                        [format!("c{}", x.min(y)), format!("c{}", x.max(y))],
                    );
                }
            }
            let mut preconditions = std::collections::HashSet::new();
            for k in 0..(conditions / 20).max(1) {
                let c = rng.below(conditions);
                if preconditions.insert((k % 2, c)) {
                    let party = ["a", "b"][k % 2];
                    b = b.requires(format!("t0.signed.{party}"), format!("c{c}"));
                }
            }
        }
    }
    b
}

/// `builder` with a duration on about `percent` % of its conditions and acts (seeded): each
/// takes at least 1 to 90 days, and about half of them at most up to twice their minimum (the
/// others have no known maximum). Spans are in days, so a maximum is never shorter than its
/// minimum. A node that already has a duration keeps it.
///
/// ```
/// use negotiation::generate::{model, with_durations, Shape};
///
/// let neg = with_durations(model(Shape::RandomDag, 1_000, 7), 30, 7).build()?;
/// let timed = neg.node_ids().filter(|&n| neg.takes(n).is_some()).count();
/// assert!(timed > 200 && timed < 400, "{timed}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn with_durations(
    mut builder: NegotiationBuilder,
    percent: u64,
    seed: u64,
) -> NegotiationBuilder {
    let mut rng = Rng::new(seed);
    let timed: std::collections::HashSet<&str> = builder
        .schedule
        .iter()
        .filter(|s| s.takes.is_some())
        .map(|s| s.node.as_str())
        .collect();
    let acts = builder.tracks.iter().flat_map(|t| {
        t.stages.iter().flat_map(move |s| {
            let performers = if s.performers.is_empty() {
                &t.principals
            } else {
                &s.performers
            };
            performers
                .iter()
                .map(move |p| format!("{}.{}.{p}", t.id, s.kind))
        })
    });
    let mut added = Vec::new();
    for node in builder.conditions.iter().map(|c| c.id.clone()).chain(acts) {
        if !rng.chance(percent) || timed.contains(node.as_str()) {
            continue;
        }
        let min = 1 + rng.below(90) as u32;
        let max = rng
            .chance(50)
            .then(|| Span::days(min + rng.below(min as usize + 1) as u32));
        added.push(ScheduleSpec {
            node,
            due: None,
            takes: Some(Takes {
                min: Span::days(min),
                max,
            }),
        });
    }
    builder.schedule.extend(added);
    builder
}

/// The move that satisfies `n` now, if one party can make it in one move.
fn satisfying_move(neg: &Negotiation, n: NodeId) -> Option<Move> {
    let party = |p: crate::ids::PartyId| neg.parties[p.index()].key.clone();
    let key = neg.key_of(n).to_owned();
    let kind = match &neg.nodes[n.index()].data {
        NodeData::Condition(c) => {
            let p = *c.owed_by.first()?;
            return Some(Move::new(party(p), MoveKind::Fulfil { condition: key }));
        }
        NodeData::Act(a) => {
            let stage = neg.key_of(a.stage).to_owned();
            return Some(Move::new(party(a.party), MoveKind::Perform { stage }));
        }
        NodeData::Article(a) if !a.excluded => {
            let p = neg.tracks[a.track.index()]
                .principals
                .iter()
                .copied()
                .find(|&p| a.position(p) != Position::Accepts)?;
            (
                p,
                MoveKind::SetPosition {
                    article: key,
                    position: Position::Accepts,
                },
            )
        }
        NodeData::Concession(c) => (c.by, MoveKind::Make { concession: key }),
        _ => return None,
    };
    Some(Move::new(party(kind.0), kind.1))
}

/// A generated model part-way through its negotiation, as the benchmarks use it: `shape` at
/// `nodes` nodes (seeded), built, with a quarter of its nodes' worth of
/// [`valid_moves`] (same seed) applied.
///
/// # Panics
///
/// Never for the models and moves this module generates (they are valid by construction).
#[must_use]
pub fn part_way(shape: Shape, nodes: usize, seed: u64) -> Negotiation {
    let mut neg = model(shape, nodes, seed)
        .build()
        .expect("generated models are valid");
    for mv in valid_moves(&neg, nodes / 4, seed) {
        neg.apply(&mv).expect("generated moves are valid");
    }
    neg
}

/// Up to `count` moves, each valid after the ones before it when applied in order to `neg`:
/// mostly moves that satisfy a node that can be acted on now (fulfil, perform, accept), and
/// some contests and declarations of readiness, dated one day apart after the latest date
/// recorded (from 2000-01-01 if none). Seeded; costs time proportional to the moves, not to
/// the model (after one pass to find the first actionable nodes).
#[must_use]
pub fn valid_moves(neg: &Negotiation, count: usize, seed: u64) -> Vec<Move> {
    let mut rng = Rng::new(seed);
    let mut neg = neg.clone();
    let mut ready: Vec<NodeId> = neg
        .node_ids()
        .filter(|&n| !neg.satisfied(n) && !neg.blocked(n))
        .collect();
    let mut out = Vec::with_capacity(count);
    // Dates start the day after the latest recorded, or on 2000-01-01.
    let first_date = match neg.latest_date() {
        Some(d) => d.last_day().checked_add(crate::Span::days(1)),
        None => crate::Date::day(2000, 1, 1),
    }
    .ok();
    while out.len() < count && !ready.is_empty() {
        let i = rng.below(ready.len());
        let n = ready.swap_remove(i);
        if neg.satisfied(n) || neg.blocked(n) {
            continue;
        }
        let Some(mut mv) = satisfying_move(&neg, n) else {
            continue;
        };
        if rng.chance(5) {
            if let MoveKind::Fulfil { condition } = &mv.kind {
                if neg.status_of(n) == crate::Status::Unmet {
                    let contest = Move::new(
                        mv.actor.clone(),
                        MoveKind::Contest {
                            condition: condition.clone(),
                        },
                    );
                    if neg.apply(&contest).is_ok() {
                        out.push(contest);
                    }
                }
            }
        }
        // One day per recorded move (undated past the year 9999).
        mv.meta.date =
            first_date.and_then(|d| d.checked_add(crate::Span::days(out.len() as u32)).ok());
        match neg.apply(&mv) {
            Ok(t) => {
                out.push(mv);
                if !neg.satisfied(n) {
                    ready.push(n); // an article that needs another acceptance
                }
                ready.extend(
                    t.newly_unblocked
                        .iter()
                        .copied()
                        .filter(|&u| !neg.satisfied(u)),
                );
                // Nodes whose requirements were all satisfied all along become actionable
                // once their dependents' requirements are met: the newly satisfied nodes'
                // dependents are candidates too.
                for c in &t.status_changes {
                    for (d, _) in neg.graph.dependents(c.node) {
                        if !neg.satisfied(d) && !neg.blocked(d) {
                            ready.push(d);
                        }
                    }
                }
            }
            Err(_) => continue,
        }
    }
    out.truncate(count);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_builds_at_every_size_and_its_moves_apply() {
        for shape in Shape::ALL {
            for size in [100, 1_000, 10_000] {
                let mut neg = model(shape, size, 1)
                    .build()
                    .unwrap_or_else(|e| panic!("{shape:?} {size}: {e}"));
                let n = neg.node_count();
                assert!(
                    n * 10 >= size * 8 && n * 10 <= size * 13,
                    "{shape:?} {size}: {n} nodes"
                );
                assert!(neg.node_id(shape.target()).is_some(), "{shape:?}");
                let moves = valid_moves(&neg, size / 2, 1);
                assert!(
                    moves.len() >= size / 10,
                    "{shape:?} {size}: only {} moves",
                    moves.len()
                );
                for mv in &moves {
                    neg.apply(mv)
                        .unwrap_or_else(|e| panic!("{shape:?} {size}: {mv}: {e}"));
                }
            }
        }
    }

    #[test]
    fn durations_attach_to_every_shape_and_are_seeded() {
        for shape in Shape::ALL {
            let b = with_durations(model(shape, 1_000, 1), 50, 3);
            assert_eq!(b, with_durations(model(shape, 1_000, 1), 50, 3));
            let neg = b.build().unwrap_or_else(|e| panic!("{shape:?}: {e}"));
            let timed = neg.node_ids().filter(|&n| neg.takes(n).is_some()).count();
            let timeable = neg
                .node_ids()
                .filter(|&n| {
                    matches!(
                        neg.kind(n),
                        Some(crate::NodeKind::Condition | crate::NodeKind::Act)
                    )
                })
                .count();
            assert!(
                timed * 10 >= timeable * 4 && timed * 10 <= timeable * 6,
                "{shape:?}: {timed} durations on {timeable} conditions and acts"
            );
            assert!(neg
                .node_ids()
                .any(|n| { neg.kind(n) == Some(crate::NodeKind::Act) && neg.takes(n).is_some() }));
        }
    }

    #[test]
    fn generators_are_deterministic() {
        let a = model(Shape::RandomDag, 500, 9);
        assert_eq!(a, model(Shape::RandomDag, 500, 9));
        assert_ne!(a, model(Shape::RandomDag, 500, 10));
        let neg = a.build().unwrap();
        assert_eq!(valid_moves(&neg, 100, 3), valid_moves(&neg, 100, 3));
    }
}

//! Arbitrary move sequences on generated models. After every move: a refused move leaves the
//! negotiation equal; a hypothesis of the move leaves no change; an applied move's transition
//! is the diff of the states before and after; the cached state equals a replay from scratch.
//! At the end: blocked nodes are explained and unblocked ones are not (I2); `state_at`, replay
//! and the JSON round trip give equal values; a plan reaches its target and an unblocking set
//! unblocks it, with no move to spare.
#![no_main]

use libfuzzer_sys::fuzz_target;
use negotiation::generate::{model, with_durations, Shape};
use negotiation::{
    Date, Move, MoveKind, Negotiation, NodeId, NodeKind, Options, Position, Scenario, ScheduleSpec,
    Span, Takes, Transition,
};

/// Reads bytes one at a time, zero when they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }
}

fn pick<T: Clone>(items: &[T], b: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[b as usize % items.len()].clone())
}

fn keys(neg: &Negotiation, kind: NodeKind) -> Vec<String> {
    neg.node_ids()
        .filter(|&n| neg.kind(n) == Some(kind))
        .map(|n| neg.key(n).unwrap().to_owned())
        .collect()
}

fn a_move(neg: &Negotiation, bytes: &mut Bytes<'_>) -> Option<Move> {
    let parties: Vec<String> = neg.parties().map(|p| p.key().to_owned()).collect();
    let actor = pick(&parties, bytes.next())?;
    let (k, x) = (bytes.next(), bytes.next());
    let node = |kind| pick(&keys(neg, kind), x);
    let kind = match k % 14 {
        0 => MoveKind::SetPosition {
            article: node(NodeKind::Article)?,
            position: [Position::Accepts, Position::Rejects, Position::NotStated][x as usize % 3],
        },
        1 | 2 => MoveKind::Fulfil {
            condition: node(NodeKind::Condition)?,
        },
        3 => MoveKind::Contest {
            condition: node(NodeKind::Condition)?,
        },
        4 => MoveKind::Waive {
            condition: node(NodeKind::Condition)?,
        },
        5 => MoveKind::Make {
            concession: node(NodeKind::Concession)?,
        },
        6 => MoveKind::Offer {
            concession: node(NodeKind::Concession)?,
        },
        7 => MoveKind::Demand {
            condition: format!("new{x}"),
            description: "A demand".into(),
            owed_by: vec![pick(&parties, x)?],
            precondition_of: pick(&keys(neg, NodeKind::Stage), x.wrapping_add(1)),
        },
        8 => MoveKind::Link {
            condition: node(NodeKind::Condition)?,
            stage: pick(&keys(neg, NodeKind::Stage), x.wrapping_mul(7))?,
        },
        9 => MoveKind::Reschedule {
            entry: ScheduleSpec::new(node(NodeKind::Condition)?)
                .takes(Takes::between(Span::days(u32::from(x % 9)), Span::days(9))),
        },
        10 => MoveKind::Record {
            event: "An event".into(),
            about: node(NodeKind::Condition),
        },
        _ => MoveKind::Perform {
            stage: node(NodeKind::Stage)?,
        },
    };
    let mv = Move::new(actor, kind);
    let day = bytes.next();
    Some(match day % 4 {
        0 => mv,
        _ => {
            let d: Date = "2026-01-01".parse().ok()?;
            mv.on(d.checked_add(Span::days(u32::from(day))).ok()?)
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let shape = Shape::ALL[bytes.next() as usize % Shape::ALL.len()];
    let size = 20 + bytes.next() as usize % 80;
    let seed = u64::from(bytes.next());
    let Ok(mut neg) = with_durations(model(shape, size, seed), 30, seed).build() else {
        return;
    };
    let mut tried = Vec::new();
    while !bytes.0.is_empty() && tried.len() < 64 {
        let Some(mv) = a_move(&neg, &mut bytes) else {
            continue;
        };
        let before = neg.clone();
        neg.hypothetically(std::slice::from_ref(&mv), |_, _, _| ());
        assert!(neg == before, "a hypothesis of {mv} left a change");
        match neg.apply(&mv) {
            Err(_) => assert!(
                neg == before,
                "a refused move changed the negotiation: {mv}"
            ),
            Ok(t) => {
                same_as_diff(&before, &neg, &t, &mv);
                let replayed = neg
                    .state_at(neg.history().len())
                    .expect("the history replays");
                assert!(
                    replayed == neg,
                    "the state after {mv} differs from a replay"
                );
            }
        }
        tried.push(mv);
    }
    for n in neg.node_ids() {
        assert_eq!(
            neg.blockers(n).unwrap().is_empty(),
            !neg.is_blocked(n).unwrap(),
            "{}",
            neg.key(n).unwrap()
        );
    }
    let replayed = neg
        .state_at(neg.history().len())
        .expect("the history replays");
    assert!(replayed == neg, "replay differs");
    let json = Scenario::of(&neg).to_json();
    let (_, again) = Scenario::from_json(&json).expect("a saved scenario loads");
    assert!(again == neg, "round trip differs");
    let before = neg.clone();
    neg.hypothetically(&tried, |_, _, _| ());
    assert!(neg == before, "a hypothesis left a change");
    let stages: Vec<NodeId> = neg
        .node_ids()
        .filter(|&n| neg.kind(n) == Some(NodeKind::Stage))
        .collect();
    if let Some(target) = pick(&stages, bytes.next()) {
        plans_do_what_they_claim(&mut neg, target);
    }
});

/// The transition of a move lists what a diff of the states before and after it finds.
fn same_as_diff(before: &Negotiation, after: &Negotiation, t: &Transition, mv: &Move) {
    let d = before.diff(after);
    let key = |n: NodeId| after.key(n).unwrap().to_owned();
    let mut status: Vec<_> = t
        .status_changes
        .iter()
        .map(|c| (key(c.node), c.from, c.to))
        .collect();
    let mut expected: Vec<_> = d
        .status_changes
        .iter()
        .map(|c| (c.node.clone(), c.from, c.to))
        .collect();
    status.sort();
    expected.sort();
    assert_eq!(status, expected, "status changes of {mv}");
    let mut positions: Vec<_> = t
        .position_changes
        .iter()
        .map(|c| {
            (
                key(c.article),
                after.party(c.party).unwrap().key().to_owned(),
                c.from,
                c.to,
            )
        })
        .collect();
    let mut expected: Vec<_> = d
        .position_changes
        .iter()
        .map(|c| (c.article.clone(), c.party.clone(), c.from, c.to))
        .collect();
    positions.sort();
    expected.sort();
    assert_eq!(positions, expected, "position changes of {mv}");
    let keys = |ids: &[NodeId]| -> Vec<String> {
        let mut k: Vec<String> = ids.iter().map(|&n| key(n)).collect();
        k.sort();
        k
    };
    let sorted = |k: &[String]| -> Vec<String> {
        let mut k = k.to_vec();
        k.sort();
        k
    };
    assert_eq!(
        keys(&t.newly_blocked),
        sorted(&d.newly_blocked),
        "newly blocked by {mv}"
    );
    assert_eq!(
        keys(&t.newly_unblocked),
        sorted(&d.newly_unblocked),
        "newly unblocked by {mv}"
    );
    assert_eq!(keys(&t.added), sorted(&d.added), "nodes added by {mv}");
    assert!(d.removed.is_empty(), "{mv} removed nodes: {:?}", d.removed);
}

/// A plan, applied in order, satisfies its target; each unblocking set, applied, unblocks it,
/// and without any one of its moves does not.
fn plans_do_what_they_claim(neg: &mut Negotiation, target: NodeId) {
    let id = neg.key(target).unwrap().to_owned();
    let options = Options::new().allow_waivers(true).budget(2_000);
    if let Ok(plan) = neg.plan(&id, &options) {
        let moves: Vec<Move> = plan.moves.iter().map(|m| m.mv.clone()).collect();
        let reached = neg.hypothetically(&moves, |after, _, failure| {
            failure.is_none() && after.is_satisfied(target).unwrap()
        });
        assert!(reached, "the plan for {id} does not reach it: {moves:?}");
    }
    let Ok(unblocking) = neg.cheapest_unblocking(&id, 2, &options) else {
        return;
    };
    for set in &unblocking.sets {
        let moves: Vec<Move> = set.moves.iter().map(|m| m.mv.clone()).collect();
        let unblocks = |neg: &mut Negotiation, moves: &[Move]| {
            neg.hypothetically(moves, |after, _, failure| {
                failure.is_none() && !after.is_blocked(target).unwrap()
            })
        };
        assert!(
            unblocks(neg, &moves),
            "the set for {id} does not unblock it: {moves:?}"
        );
        for i in 0..moves.len() {
            let mut fewer = moves.clone();
            let _ = fewer.remove(i);
            assert!(
                !unblocks(neg, &fewer),
                "the set for {id} unblocks it without move {i}: {moves:?}"
            );
        }
    }
}

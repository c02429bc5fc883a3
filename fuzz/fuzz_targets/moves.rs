//! Arbitrary move sequences on generated models. After every move: a refused move leaves the
//! negotiation equal, blocked nodes are explained and unblocked ones are not (I2); at the end:
//! replay and the JSON round trip give equal values, and a hypothesis leaves no change.
#![no_main]

use libfuzzer_sys::fuzz_target;
use negotiation::generate::{model, with_durations, Shape};
use negotiation::{
    Date, Move, MoveKind, Negotiation, NodeKind, Position, Scenario, ScheduleSpec, Span, Takes,
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
        .map(|n| neg.key(n).to_owned())
        .collect()
}

fn a_move(neg: &Negotiation, bytes: &mut Bytes<'_>) -> Option<Move> {
    let parties: Vec<String> = neg.parties().iter().map(|p| p.key().to_owned()).collect();
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
            entry: ScheduleSpec {
                node: node(NodeKind::Condition)?,
                due: None,
                takes: Some(Takes::between(Span::days(u32::from(x % 9)), Span::days(9))),
            },
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
        if neg.apply(&mv).is_err() {
            assert!(neg == before, "a refused move changed the negotiation: {mv}");
        }
        tried.push(mv);
    }
    for n in neg.node_ids() {
        assert_eq!(neg.blockers(n).is_empty(), !neg.is_blocked(n), "{}", neg.key(n));
    }
    let replayed = neg.state_at(neg.history().len()).expect("the history replays");
    assert!(replayed == neg, "replay differs");
    let json = Scenario::of(&neg).to_json();
    let (_, again) = Scenario::from_json(&json).expect("a saved scenario loads");
    assert!(again == neg, "round trip differs");
    let before = neg.clone();
    neg.hypothetically(&tried, |_, _, _| ());
    assert!(neg == before, "a hypothesis left a change");
});

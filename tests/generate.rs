//! Generated models and move sequences for the property tests.

use negotiation::{
    ArticleSpec, ConcessionSpec, ConcessionStatus, ConditionSpec, ConditionStatus, Date, DueSpec,
    Effect, Move, MoveKind, Needs, Negotiation, NegotiationBuilder, NodeKind, NodeRef, Position,
    RequirementSpec, Role, ScheduleSpec, Span, StageKind, StageSpec, Takes, TrackSpec,
};
use proptest::prelude::*;

pub(crate) const PARTIES: [&str; 4] = ["p0", "p1", "court", "mediator"];

fn position() -> impl Strategy<Value = Position> {
    prop_oneof![
        Just(Position::NotStated),
        Just(Position::Accepts),
        Just(Position::Accepts),
        Just(Position::Rejects)
    ]
}

/// A model: two principals, an institution and a mediator; three tracks (the third with
/// per-track roles: the mediator is a principal there, the court a signatory, and its first
/// stage is a custom stage named `finalized`); articles, conditions (some jointly owed),
/// concessions and random requirements: between conditions (declared cycles included),
/// preconditions and any-of groups on acts, thresholds (k of n, weighted), procedures with
/// citations on stages, an obligor's precondition on a condition, and requirements on the
/// second track's stages.
pub(crate) fn model() -> impl Strategy<Value = NegotiationBuilder> {
    model_with(5, 9, 14, true, true)
}

/// A smaller model for exhaustive oracles: fewer articles, conditions and requirements, and
/// (without `waiver_effects`) concessions whose effects only accept and fulfil, which their
/// party could do by plain moves too.
pub(crate) fn small_model() -> impl Strategy<Value = NegotiationBuilder> {
    model_with(3, 5, 8, false, false)
}

/// A small model without concessions (whose effects could satisfy nodes as a side effect).
pub(crate) fn tiny_model() -> impl Strategy<Value = NegotiationBuilder> {
    model_with(3, 5, 8, false, false).prop_map(|mut b| {
        b.concessions.clear();
        b.requirements.retain(|r| !r.node.starts_with('k'));
        b
    })
}

fn model_with(
    max_articles: usize,
    max_conditions: usize,
    max_edges: usize,
    waiver_effects: bool,
    rich: bool,
) -> impl Strategy<Value = NegotiationBuilder> {
    let articles = prop::collection::vec(
        (any::<bool>(), position(), position(), any::<u8>()),
        0..max_articles,
    );
    let conditions = prop::collection::vec(
        (
            0u8..8,                   // owed_by bitmask over p0, p1, court
            prop::option::of(0u8..2), // demanded_by
            any::<bool>(),            // jointly owed, when several owe it
            prop_oneof![3 => Just(ConditionStatus::Unmet), 1 => Just(ConditionStatus::Contested), 1 => Just(ConditionStatus::Waived)],
        ),
        1..max_conditions,
    );
    let concessions = prop::collection::vec(
        (
            0u8..2,
            prop::collection::vec((0u8..3, any::<u8>()), 0..3),
            any::<bool>(),
        ),
        0..3,
    );
    let edges = prop::collection::vec((any::<u8>(), any::<u8>(), 0u8..11), 0..max_edges);
    (articles, conditions, concessions, edges).prop_map(
        move |(articles, conditions, concessions, edges)| {
            let mut b = Negotiation::builder()
                .party("p0", "P0", Role::Principal)
                .party("p1", "P1", Role::Principal)
                .party("court", "Court", Role::Institution)
                .party("mediator", "Mediator", Role::Mediator)
                .track(
                    TrackSpec::new("t0", "Track 0", ["p0", "p1"])
                        .stage(StageKind::Finalized)
                        .stage(StageKind::Signed)
                        .stage(StageKind::Ratified)
                        .long_stop(StageKind::Ratified, crate::date("2026-06-30"), rich),
                )
                .track(
                    TrackSpec::new("t1", "Track 1", ["p0", "p1"])
                        .stage(StageKind::Finalized)
                        .stage(StageKind::Custom("review".into())),
                )
                .track(
                    TrackSpec::new("t2", "Track 2", ["p0", "mediator"])
                        .role("court", Role::Signatory)
                        .stage(
                            StageSpec::new(StageKind::Custom("finalized".into()))
                                .performers(["p0", "court"]),
                        )
                        .stage(
                            StageSpec::new(StageKind::Signed)
                                .performers(["p0", "mediator", "court"]),
                        ),
                );
            for (i, (second, pos0, pos1, _)) in articles.iter().enumerate() {
                b = b.article(
                    ArticleSpec::new(
                        format!("a{i}"),
                        if *second { "t1" } else { "t0" },
                        format!("Article {i}"),
                    )
                    .position("p0", *pos0)
                    .position("p1", *pos1),
                );
            }
            let n = conditions.len();
            for (i, (owed, demanded, joint, status)) in conditions.iter().enumerate() {
                let owed: Vec<&str> = (0..3)
                    .filter(|k| owed & (1 << k) != 0)
                    .map(|k| PARTIES[k])
                    .collect();
                let several = owed.len() > 1;
                let mut c = ConditionSpec::new(format!("c{i}"), format!("Condition {i}"))
                    .owed_by(owed)
                    .status(*status);
                // Joint obligations multiply the states an exhaustive oracle walks: only in
                // the full model.
                if *joint && several && rich {
                    c = c.jointly();
                }
                if let Some(d) = demanded {
                    c = c.demanded_by(PARTIES[*d as usize]);
                }
                b = b.condition(c);
            }
            for (i, (by, effects, offered)) in concessions.iter().enumerate() {
                let mut c = ConcessionSpec::new(
                    format!("k{i}"),
                    PARTIES[*by as usize],
                    format!("Concession {i}"),
                );
                for (kind, x) in effects {
                    let effect = match kind {
                        0 if !articles.is_empty() => Effect::Accept {
                            article: format!("a{}", *x as usize % articles.len()),
                        },
                        1 if waiver_effects => Effect::Waive {
                            condition: format!("c{}", *x as usize % n),
                        },
                        _ => Effect::Fulfil {
                            condition: format!("c{}", *x as usize % n),
                        },
                    };
                    c = c.effect(effect);
                }
                if *offered {
                    c = c.status(ConcessionStatus::Offered);
                }
                b = b.concession(c);
            }
            let all_acts = [
                "t0.finalized.p0",
                "t0.signed.p0",
                "t0.signed.p1",
                "t0.ratified.p1",
                "t1.finalized.p1",
                "t1.review.p0",
                "t2.finalized.court",
                "t2.signed.mediator",
            ];
            let acts = &all_acts[..if rich { 8 } else { 6 }];
            let mut seen = std::collections::BTreeSet::new();
            for (x, y, kind) in edges {
                let (x, y) = (x as usize, y as usize);
                let (from, to) = match kind {
                    0 | 1 if n >= 2 => {
                        let (i, j) = ((x % n).min(y % n), (x % n).max(y % n));
                        if i == j {
                            continue;
                        }
                        (format!("c{i}"), format!("c{j}"))
                    }
                    2 => (acts[x % acts.len()].to_owned(), format!("c{}", y % n)),
                    3 if n >= 2 => {
                        let from = acts[x % acts.len()];
                        let (i, j) = ((y % n).min((y + 1) % n), (y % n).max((y + 1) % n));
                        if seen.insert((from.to_owned(), format!("any{i}|{j}"))) {
                            b = b.requires_any_of(
                                from,
                                [format!("c{}", y % n), format!("c{}", (y + 1) % n)],
                            );
                        }
                        continue;
                    }
                    4 if !concessions.is_empty() => {
                        (format!("k{}", x % concessions.len()), format!("c{}", y % n))
                    }
                    // Thresholds on acts: 2 of 3 conditions, or a weight.
                    6 | 7 if n >= 3 => {
                        let from = acts[x % acts.len()];
                        let alts: Vec<String> =
                            (0..3).map(|k| format!("c{}", (y + k) % n)).collect();
                        if seen.insert((from.to_owned(), format!("group{kind}{}", y % n))) {
                            b = if kind == 6 {
                                b.requires_at_least(from, 2, alts)
                            } else {
                                let weights = [3, 2, 1 + x as u32 % 4];
                                b.requires_weight(
                                    from,
                                    3 + y as u32 % 3,
                                    alts.into_iter().zip(weights),
                                )
                            };
                        }
                        continue;
                    }
                    // A declared cycle: a later condition requires an earlier one.
                    8 if n >= 2 => {
                        let (i, j) = ((x % n).min(y % n), (x % n).max(y % n));
                        if i == j {
                            continue;
                        }
                        (format!("c{j}"), format!("c{i}"))
                    }
                    // A procedure with a citation on a whole stage (each act gets it).
                    9 => {
                        let (stage, performers): (&str, &[&str]) = [
                            ("t0.signed", &["p0", "p1"][..]),
                            ("t1.review", &["p0", "p1"][..]),
                            ("t2.signed", &["p0", "mediator", "court"][..]),
                        ][x % if rich { 3 } else { 2 }];
                        let target = format!("c{}", y % n);
                        let pairs: Vec<(String, String)> = performers
                            .iter()
                            .map(|p| (format!("{stage}.{p}"), target.clone()))
                            .collect();
                        if pairs.iter().all(|pair| !seen.contains(pair)) {
                            seen.extend(pairs);
                            b = b.procedure(stage, target, Some("Rule 1"));
                        }
                        continue;
                    }
                    // An obligor's precondition on a condition it owes.
                    10 if n >= 2 => {
                        let (i, j) = (x % n, y % n);
                        let owed = &conditions[i].0;
                        let Some(k) = (0..3).find(|k| owed & (1 << k) != 0) else {
                            continue;
                        };
                        if i == j || !seen.insert((format!("c{i}"), format!("c{j}"))) {
                            continue;
                        }
                        b = b.requirement(
                            RequirementSpec::new(format!("c{i}"), Needs::Node(format!("c{j}")))
                                .precondition_of(PARTIES[k]),
                        );
                        continue;
                    }
                    // Conditions that wait for the second track's stages (may close a cycle).
                    5 if x % 3 == 0 => (
                        format!("c{}", x % n),
                        if y % 2 == 0 {
                            "t1.finalized"
                        } else {
                            "t1.review"
                        }
                        .to_owned(),
                    ),
                    _ => continue,
                };
                if seen.insert((from.clone(), to.clone())) {
                    b = b.requires(from, to);
                }
            }
            b
        },
    )
}

/// A move as random choices, turned into a move against the current negotiation by [`to_move`].
pub(crate) type MoveSeed = (u8, u8, u8, u8);

pub(crate) fn move_seeds(max: usize) -> impl Strategy<Value = Vec<MoveSeed>> {
    prop::collection::vec(any::<MoveSeed>(), 1..max)
}

fn pick(keys: &[String], x: u8) -> String {
    if keys.is_empty() || x == 255 {
        "ghost".to_owned()
    } else {
        keys[x as usize % keys.len()].clone()
    }
}

/// Turns random choices into a move: usually about existing nodes, sometimes by the wrong
/// actor, in the wrong status, or about an unknown id.
pub(crate) fn to_move(neg: &Negotiation, (a, k, x, y): MoveSeed) -> Move {
    let of_kind = |kind: NodeKind| -> Vec<String> {
        neg.node_ids()
            .filter(|&n| neg.kind(n) == Some(kind))
            .map(|n| neg.key(n).unwrap().to_owned())
            .collect()
    };
    let random_actor = if a == 255 {
        "ghost".to_owned()
    } else {
        PARTIES[a as usize % PARTIES.len()].to_owned()
    };
    let articles = of_kind(NodeKind::Article);
    let conditions = of_kind(NodeKind::Condition);
    let concessions = of_kind(NodeKind::Concession);
    let stages = of_kind(NodeKind::Stage);
    let kind = match k % 24 {
        0 | 1 => MoveKind::SetPosition {
            article: pick(&articles, x),
            position: [
                Position::Accepts,
                Position::Rejects,
                Position::NotStated,
                Position::Accepts,
            ][y as usize % 4],
        },
        2 => MoveKind::ProposeArticle {
            article: format!("new_a{}", x % 4),
            track: ["t0", "t1"][y as usize % 2].into(),
            title: "New".into(),
        },
        3 => MoveKind::AmendArticle {
            article: pick(&articles, x),
            title: "Amended".into(),
        },
        4 => MoveKind::MoveArticle {
            article: pick(&articles, x),
            to_track: ["t0", "t1", "t9"][y as usize % 3].into(),
        },
        5 => MoveKind::ExcludeArticle {
            article: pick(&articles, x),
        },
        6 => MoveKind::Demand {
            condition: format!("new_c{}", x % 4),
            description: "New demand".into(),
            owed_by: vec![PARTIES[y as usize % 3].into()],
            precondition_of: (y % 2 == 0).then(|| pick(&stages, x)),
        },
        7 => MoveKind::Link {
            condition: pick(&conditions, x),
            stage: pick(&stages, y),
        },
        8 => MoveKind::Unlink {
            condition: pick(&conditions, x),
            stage: pick(&stages, y),
        },
        9 => MoveKind::Waive {
            condition: pick(&conditions, x),
        },
        10 => MoveKind::Contest {
            condition: pick(&conditions, x),
        },
        11 | 12 => MoveKind::Fulfil {
            condition: pick(&conditions, x),
        },
        13 => MoveKind::Offer {
            concession: pick(&concessions, x),
        },
        14 => MoveKind::Make {
            concession: pick(&concessions, x),
        },
        15 => MoveKind::Retract {
            concession: pick(&concessions, x),
        },
        16 => {
            let acts = of_kind(NodeKind::Act);
            let from = if y % 2 == 0 {
                pick(&acts, x)
            } else {
                pick(&conditions, x)
            };
            let requirement = match y % 3 {
                0 => RequirementSpec::new(from, Needs::Node(pick(&conditions, y))),
                1 => RequirementSpec::new(from, Needs::Node(pick(&conditions, y)))
                    .procedure(Some("Rule 2".into())),
                _ => RequirementSpec::new(
                    from,
                    Needs::AtLeast {
                        count: 1 + u32::from(x % 2),
                        of: vec![pick(&conditions, y), pick(&conditions, y.wrapping_add(1))],
                    },
                ),
            };
            MoveKind::Require { requirement }
        }
        17 => MoveKind::Record {
            event: "A vote fails".into(),
            about: (y % 2 == 0).then(|| pick(&conditions, x)),
        },
        19 => {
            // Drop a requirement of some node: the actor's own precondition, or refused.
            let all: Vec<String> = neg
                .node_ids()
                .map(|n| neg.key(n).unwrap().to_owned())
                .collect();
            let node = pick(&all, x);
            let required = neg
                .node_id(&node)
                .and_then(|n| {
                    neg.requirements(n)
                        .unwrap()
                        .first()
                        .map(|r| neg.key(r.target).unwrap().to_owned())
                })
                .unwrap_or_else(|| pick(&conditions, y));
            MoveKind::Unrequire { node, required }
        }
        20 => MoveKind::Reschedule {
            entry: {
                let mut entry = ScheduleSpec::new(pick(&conditions, x));
                if y % 3 != 0 {
                    entry = entry.due(match y % 2 {
                        0 => DueSpec::By(day(x)),
                        _ => DueSpec::Within {
                            span: Span::days(u32::from(y)),
                            after: pick(&stages, y),
                        },
                    });
                }
                if y % 3 != 1 {
                    entry = entry.takes(Takes::between(
                        Span::days(u32::from(x % 7)),
                        Span::days(u32::from(y % 9)),
                    ));
                }
                entry
            },
        },
        21 => MoveKind::Extend {
            track: ["t0", "t1"][x as usize % 2].into(),
            until: day(y),
        },
        18 => MoveKind::OpenTrack {
            track: TrackSpec::new(format!("new_t{}", x % 3), "Opened", ["p0", "p1"])
                .role("court", Role::Witness)
                .stage(StageKind::Finalized)
                .stage(StageKind::Signed),
        },
        _ => MoveKind::Perform {
            stage: pick(&stages, x),
        },
    };
    // Most of the time, the party entitled to make the move.
    let actor = if a % 4 != 0 {
        entitled(neg, &kind).unwrap_or(random_actor)
    } else {
        random_actor
    };
    // A quarter of the moves are dated, in no particular order (some are refused as out of
    // order), a few with a month only.
    let mv = Move::new(actor, kind);
    match y % 8 {
        0 => mv.on(day(x)),
        1 => mv.on(crate::date(
            ["2026-01", "2026-02", "2026-03"][x as usize % 3],
        )),
        _ => mv,
    }
}

/// A day of 2026, from a random byte.
fn day(x: u8) -> Date {
    let d = crate::date("2026-01-01");
    d.checked_add(Span::days(u32::from(x))).unwrap_or(d)
}

/// The party that may make `kind`, if one is easy to name.
fn entitled(neg: &Negotiation, kind: &MoveKind) -> Option<String> {
    let key = |p: negotiation::PartyId| neg.party(p).unwrap().key().to_owned();
    let node = neg.node_id(kind.subject()).and_then(|n| neg.get(n));
    match (kind, node?) {
        (MoveKind::Perform { .. }, NodeRef::Stage(s)) => {
            let pending = s
                .acts()
                .iter()
                .find(|&&(_, a)| !neg.is_satisfied(a).unwrap())
                .or(s.acts().first());
            pending.map(|&(p, _)| key(p))
        }
        (MoveKind::Fulfil { .. } | MoveKind::Contest { .. }, NodeRef::Condition(c)) => {
            c.owed_by().first().map(|&p| key(p))
        }
        (
            MoveKind::Waive { .. } | MoveKind::Link { .. } | MoveKind::Unlink { .. },
            NodeRef::Condition(c),
        ) => c.demanded_by().map(key),
        (
            MoveKind::Offer { .. } | MoveKind::Make { .. } | MoveKind::Retract { .. },
            NodeRef::Concession(c),
        ) => Some(key(c.by())),
        _ => None,
    }
}

/// The model, if it builds (a few generated models have cycles through the second track).
pub(crate) fn build(builder: &NegotiationBuilder) -> Option<Negotiation> {
    builder.clone().build().ok()
}

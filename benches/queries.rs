//! Core queries against the least possible work, on seeded generated models, each group at
//! 10³ to 10⁶ nodes (`earliest` at 10⁴ and 10⁶). Figures and ratios are in BENCHMARKS.md.
//!
//! ```sh
//! cargo bench --features generate --bench queries
//! ```

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use negotiation::generate::{model, valid_moves, with_durations, Rng, Shape};
use negotiation::{Date, Move, Negotiation, NodeId, Scenario};
use petgraph::visit::Dfs;

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn built(shape: Shape, size: usize) -> Negotiation {
    model(shape, size, 42)
        .build()
        .expect("generated models are valid")
}

/// `is_blocked` on 1,000 seeded nodes: must not grow with the model.
fn is_blocked(c: &mut Criterion) {
    let mut group = c.benchmark_group("is_blocked");
    group.throughput(Throughput::Elements(1_000));
    for size in SIZES {
        let neg = built(Shape::RandomDag, size);
        let mut rng = Rng::new(7);
        let all: Vec<NodeId> = neg.node_ids().collect();
        let ids: Vec<NodeId> = (0..1_000).map(|_| all[rng.below(all.len())]).collect();
        group.bench_with_input(BenchmarkId::from_parameter(size), &ids, |b, ids| {
            b.iter(|| {
                ids.iter()
                    .filter(|&&n| neg.is_blocked(black_box(n)).unwrap())
                    .count()
            })
        });
    }
    group.finish();
}

/// `apply` of a move touching a fixed neighbourhood (fulfilling the last link of a chain,
/// which unblocks one node), undone after each iteration: must not grow with the model.
fn apply(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply");
    for size in SIZES {
        let mut neg = built(Shape::Chain, size);
        let last = format!("c{}", neg.node_count() - 4);
        let actor = ["a", "b", "x", "y"][(neg.node_count() - 4) % 4];
        let mv = [Move::fulfil(actor, last)];
        assert!(neg.hypothetically(&mv, |_, t, failure| failure.is_none()
            && t[0].newly_unblocked.len() == 1));
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| neg.hypothetically(&mv, |_, t, _| black_box(t.len())))
        });
    }
    group.finish();
}

/// A compressed adjacency array (offsets + targets) of the requirement graph: the practical
/// floor for a walk.
struct Flat {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Flat {
    fn new(neg: &Negotiation) -> Flat {
        let mut offsets = Vec::with_capacity(neg.node_count() + 1);
        let mut targets = Vec::new();
        offsets.push(0);
        for n in neg.node_ids() {
            targets.extend(
                neg.requirements(n)
                    .unwrap()
                    .iter()
                    .map(|r| r.target.index() as u32),
            );
            offsets.push(targets.len() as u32);
        }
        Flat { offsets, targets }
    }

    fn bfs(&self, start: u32, seen: &mut [bool]) -> usize {
        seen.iter_mut().for_each(|s| *s = false);
        let mut queue = VecDeque::from([start]);
        seen[start as usize] = true;
        let mut count = 0;
        while let Some(x) = queue.pop_front() {
            count += 1;
            let (a, b) = (
                self.offsets[x as usize] as usize,
                self.offsets[x as usize + 1] as usize,
            );
            for &y in &self.targets[a..b] {
                if !std::mem::replace(&mut seen[y as usize], true) {
                    queue.push_back(y);
                }
            }
        }
        count
    }
}

/// The explanation of a target whose whole ancestry is unsatisfied, against a bare petgraph
/// depth-first walk over the same ancestors and a breadth-first walk over a flat array.
fn blockers(c: &mut Criterion) {
    let mut group = c.benchmark_group("blockers");
    group.sample_size(10);
    for size in SIZES {
        let neg = built(Shape::RandomDag, size);
        let target = neg.node_id("t0.signed").expect("target");
        let explained = neg.blockers(target).unwrap().entries().len();
        let graph = neg.as_petgraph();
        let start = petgraph::stable_graph::NodeIndex::new(target.index());
        let mut dfs_count = 0;
        let mut dfs = Dfs::new(graph, start);
        while dfs.next(graph).is_some() {
            dfs_count += 1;
        }
        assert_eq!(dfs_count, explained, "the walks cover the same ancestors");
        group.throughput(Throughput::Elements(explained as u64));
        group.bench_function(BenchmarkId::new("blockers", size), |b| {
            b.iter(|| black_box(neg.blockers(target).unwrap()).entries().len())
        });
        group.bench_function(BenchmarkId::new("petgraph_dfs", size), |b| {
            b.iter(|| {
                let mut dfs = Dfs::new(graph, start);
                let mut n = 0;
                while dfs.next(graph).is_some() {
                    n += 1;
                }
                n
            })
        });
        let flat = Flat::new(&neg);
        let mut seen = vec![false; neg.node_count()];
        group.bench_function(BenchmarkId::new("flat_bfs", size), |b| {
            b.iter(|| flat.bfs(target.index() as u32, &mut seen))
        });
    }
    group.finish();
}

/// The earliest date of the `blockers` group's target (a fresh random DAG, its whole ancestry
/// unsatisfied) with durations on 30 % of the conditions and acts, against the explanation
/// of the same target on the same negotiation.
fn earliest(c: &mut Criterion) {
    let mut group = c.benchmark_group("earliest");
    group.sample_size(10);
    let from = Date::day(2026, 1, 1).expect("a valid date");
    for size in [10_000, 1_000_000] {
        let neg = with_durations(model(Shape::RandomDag, size, 42), 30, 42)
            .build()
            .expect("generated models are valid");
        let target = neg.node_id(Shape::RandomDag.target()).expect("target");
        let answer = neg.earliest(target, from).unwrap();
        assert!(
            answer.earliest.is_some() || !answer.deadlocks.is_empty(),
            "the earliest date is measured on an answer"
        );
        let explained = neg.blockers(target).unwrap().entries().len();
        group.throughput(Throughput::Elements(explained as u64));
        group.bench_function(BenchmarkId::new("earliest", size), |b| {
            b.iter(|| black_box(neg.earliest(black_box(target), from).unwrap()).earliest)
        });
        group.bench_function(BenchmarkId::new("blockers", size), |b| {
            b.iter(|| {
                black_box(neg.blockers(black_box(target)).unwrap())
                    .entries()
                    .len()
            })
        });
    }
    group.finish();
}

/// Loading a scenario file of 10⁵ nodes and 10⁵ moves (typed parse, validation, graph
/// building and replay), against parsing the same bytes into an untyped JSON value.
fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    let neg = built(Shape::RandomDag, 100_000);
    let mut played = neg.clone();
    let moves = valid_moves(&neg, 100_000, 42);
    for mv in &moves {
        played.apply(mv).expect("valid");
    }
    let json = Scenario::of(&played).to_json();
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function(BenchmarkId::new("scenario_from_json", moves.len()), |b| {
        b.iter(|| Scenario::from_json(black_box(&json)).is_ok())
    });
    group.bench_function(BenchmarkId::new("serde_json_value", moves.len()), |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).is_ok())
    });
    group.finish();
}

/// Replaying 10⁶ moves (fulfilling a 10⁶-long chain from its end).
fn replay(c: &mut Criterion) {
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    let neg = built(Shape::Chain, 1_000_003);
    let moves = valid_moves(&neg, 1_000_000, 42);
    group.throughput(Throughput::Elements(moves.len() as u64));
    group.bench_function(BenchmarkId::new("moves", moves.len()), |b| {
        b.iter_batched(
            || neg.clone(),
            |mut n| {
                for mv in &moves {
                    let _ = n.apply(mv);
                }
                n
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// What-if of 3 moves on a 10⁵-node model (apply, look, undo), against the same 3 `apply`
/// calls alone on a copy whose memory they touch is as warm: before each timed run, the copy
/// has had the same moves applied and undone (by `hypothetically`, outside the timing), as the
/// what-if's own model has from the runs before. Each sample times at most 100 runs on fresh
/// copies and scales to the iterations criterion asks for (copies cost milliseconds; the moves
/// microseconds).
fn what_if(c: &mut Criterion) {
    let mut group = c.benchmark_group("what_if");
    group.sample_size(20);
    let mut neg = built(Shape::Treaty, 100_000);
    let moves = valid_moves(&neg, 3, 9);
    assert_eq!(moves.len(), 3);
    let target = neg.node_id(Shape::Treaty.target()).expect("target");
    group.bench_function("hypothetically_3_moves", |b| {
        b.iter(|| {
            neg.hypothetically(&moves, |after, _, _| {
                black_box(after.is_blocked(target).unwrap())
            })
        })
    });
    group.bench_function("apply_3_moves_warm", |b| {
        b.iter_custom(|iters| {
            let runs = iters.clamp(1, 100);
            let mut total = Duration::ZERO;
            for _ in 0..runs {
                let mut n = neg.clone();
                n.hypothetically(&moves, |_, _, _| ());
                let start = Instant::now();
                for mv in &moves {
                    let _ = n.apply(mv);
                }
                black_box(n.is_blocked(target).unwrap());
                total += start.elapsed();
            }
            total.mul_f64(iters as f64 / runs as f64)
        })
    });
    group.finish();
}

criterion_group!(benches, is_blocked, apply, blockers, earliest, load, replay, what_if);
criterion_main!(benches);

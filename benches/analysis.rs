//! The analysis layer on seeded generated models of 10², 10³ and 10⁴ nodes: plans, cheapest
//! unblocking sets (with the budget reached or not), and deadlock detection.
//!
//! ```sh
//! cargo bench --features generate --bench analysis
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use negotiation::generate::{part_way, Shape};
use negotiation::{Move, Needs, Negotiation, Options, RequirementSpec};

const SIZES: [usize; 3] = [100, 1_000, 10_000];

/// A generated model part-way through its negotiation (a quarter of its nodes' moves made).
fn negotiation(shape: Shape, size: usize) -> Negotiation {
    part_way(shape, size, 42)
}

fn plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    for shape in [Shape::Treaty, Shape::Checklist, Shape::RandomDag] {
        for size in SIZES {
            let neg = negotiation(shape, size);
            let options = Options::default();
            group.bench_with_input(
                BenchmarkId::new(format!("{shape:?}"), size),
                &neg,
                |b, neg| b.iter(|| black_box(neg.plan(shape.target(), &options)).is_ok()),
            );
        }
    }
    group.finish();
}

fn cheapest(c: &mut Criterion) {
    let mut group = c.benchmark_group("cheapest_unblocking");
    for shape in [Shape::Checklist, Shape::RandomDag] {
        for size in SIZES {
            let neg = negotiation(shape, size);
            // A small budget that large models exhaust, and a generous one.
            for budget in [1_000, 1_000_000] {
                let options = Options::new().allow_waivers(true).budget(budget);
                let exact = neg
                    .cheapest_unblocking(shape.target(), 3, &options)
                    .map(|u| u.exact)
                    .unwrap_or(true);
                let id = BenchmarkId::new(format!("{shape:?}/budget={budget}/exact={exact}"), size);
                group.bench_with_input(id, &neg, |b, neg| {
                    b.iter(|| {
                        black_box(neg.cheapest_unblocking(shape.target(), 3, &options)).is_ok()
                    })
                });
            }
        }
    }
    group.finish();
}

fn deadlocks(c: &mut Criterion) {
    let mut group = c.benchmark_group("deadlocks");
    for size in SIZES {
        // A random DAG with one deadlock: each party's signature waits on a condition the
        // other owes, and each makes the condition it owes wait on the other's.
        let mut neg = negotiation(Shape::RandomDag, size);
        for mv in [
            Move::precondition("b", "loop_a", "A moves first", ["a"], "t0.signed"),
            Move::precondition("a", "loop_b", "B moves first", ["b"], "t0.signed"),
            Move::require(
                "a",
                RequirementSpec::new("loop_a", Needs::Node("loop_b".into())).precondition_of("a"),
            ),
            Move::require(
                "b",
                RequirementSpec::new("loop_b", Needs::Node("loop_a".into())).precondition_of("b"),
            ),
        ] {
            neg.apply(&mv).expect("the deadlock's moves apply");
        }
        let found = neg.deadlocks();
        assert!(
            found.iter().any(|d| d.nodes.len() == 2),
            "the benchmark's deadlock is found at {size}"
        );
        group.bench_with_input(BenchmarkId::new("RandomDag", size), &neg, |b, neg| {
            b.iter(|| black_box(neg.deadlocks()).len())
        });
    }
    group.finish();
}

criterion_group!(benches, plan, cheapest, deadlocks);
criterion_main!(benches);

//! How every query and analysis grows with the model: each operation on seeded generated
//! models of 10³ to 10⁶ nodes, its time at each size and the ratio to the size 10× smaller
//! (×10 is linear; ×12–13 is n log n; ×100 is quadratic). The ratios are measured in one run,
//! so they hold on a shared machine where absolute times drift; criterion's benches
//! (`queries`, `analysis`) give the statistics at fixed sizes.
//!
//! ```sh
//! cargo bench --all-features --bench scale            # 10^3 .. 10^6 (several minutes)
//! cargo bench --all-features --bench scale -- plan    # the operations whose name contains "plan"
//! ```
//!
//! Each time is the median of 7 runs up to 10⁴ nodes and of 3 above (so the first, cold call
//! at 10⁶ does not count against the warm ones at 10⁵); building the
//! model and the moves that put it part-way through its negotiation are outside the timing,
//! except for the operations that are the building (`build/` rows time the build alone: the
//! declaration is made before and the negotiation dropped after). An operation that took more
//! than a minute is not run at the next size ("(not run)").
//!
//! Two kinds of rows are baselines, the least work of their kind, whose growth per 10× in the
//! same run shows how much of an operation's growth is the machine's memory hierarchy rather
//! than the operation:
//! - `build-baseline/Checklist`: the least work any build of the checklist declaration must do
//!   (every node key into a `std` `HashMap<&str, u32>`, both ends of every requirement looked
//!   up; the map dropped inside the timing, one free); `-- build` runs it with the builds.
//! - `fresh-memory-baseline/`: 256 bytes per node written into a new block and freed, what
//!   an operation that writes that much (a build, a plan of one move per node) pays the
//!   allocator and the kernel. With glibc's defaults, a block over 32 MiB is mapped from
//!   the kernel unless the heap already has room for it, and unmapped when freed, so the next
//!   call's pages are fresh (zeroed on a page fault each 4 KiB); smaller blocks are reused.
//!   Whether a call gets fresh pages thus depends on what the process allocated before: run
//!   first, the row jumps far more than ×10 where its block stops being reused. Run with
//!   `GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=40000000000` to keep
//!   every freed block at every size, and the rows compare like with like (the header says
//!   which regime ran).
//! - `walk-baseline/`: a bare petgraph depth-first walk from the shape's target, the floor for
//!   a query below it. Where a shape's requirements point far away in memory, a walk itself
//!   grows faster than ×10 once the model outgrows the caches; each query of a shape with a
//!   walk is also printed, at the end, as a multiple of that walk.

use std::hint::black_box;
use std::time::{Duration, Instant};

use negotiation::generate::{model, part_way, Shape};
use negotiation::{
    ConditionSpec, Needs, Negotiation, Options, RequirementSpec, Role, Scenario, StageKind,
    TrackSpec,
};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::Dfs;

/// A generated model part-way through its negotiation (a quarter of its nodes' moves made).
fn negotiation(shape: Shape, size: usize) -> Negotiation {
    part_way(shape, size, 42)
}

/// The median time of `runs` calls of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// One operation on a model of `size` nodes: set up (untimed), then timed.
type Operation = (&'static str, fn(usize) -> Box<dyn FnMut()>);

fn operations() -> Vec<Operation> {
    vec![
        ("build/Treaty", |n| build(Shape::Treaty, n)),
        ("build/Checklist", |n| build(Shape::Checklist, n)),
        ("build/Chain", |n| build(Shape::Chain, n)),
        ("build/RandomDag", |n| build(Shape::RandomDag, n)),
        ("build-baseline/Checklist", |n| {
            build_baseline(Shape::Checklist, n)
        }),
        ("fresh-memory-baseline/256 B per node", |n| {
            Box::new(move || {
                let mut block: Vec<u64> = Vec::with_capacity(32 * n);
                block.extend(0..32 * n as u64);
                black_box(&block);
            })
        }),
        ("load/Treaty", |n| {
            let json = Scenario::of(&negotiation(Shape::Treaty, n)).to_json();
            Box::new(move || {
                black_box(Scenario::from_json(&json).expect("loads"));
            })
        }),
        ("blockers/RandomDag", |n| {
            let neg = negotiation(Shape::RandomDag, n);
            let t = neg.node_id(Shape::RandomDag.target()).expect("target");
            Box::new(move || {
                let _ = black_box(neg.blockers(t).unwrap());
            })
        }),
        ("earliest/RandomDag", |n| {
            let neg = negotiation(Shape::RandomDag, n);
            let t = neg.node_id(Shape::RandomDag.target()).expect("target");
            let from = "2026-01-01".parse().expect("a date");
            Box::new(move || {
                let _ = black_box(neg.earliest(t, from).unwrap());
            })
        }),
        ("plan/Treaty", |n| plan(Shape::Treaty, n)),
        ("plan/Checklist", |n| plan(Shape::Checklist, n)),
        ("plan/Chain", |n| plan(Shape::Chain, n)),
        ("plan/RandomDag", |n| plan(Shape::RandomDag, n)),
        ("walk-baseline/Treaty", |n| walk(Shape::Treaty, n)),
        ("walk-baseline/Checklist", |n| walk(Shape::Checklist, n)),
        ("walk-baseline/Chain", |n| walk(Shape::Chain, n)),
        ("walk-baseline/RandomDag", |n| walk(Shape::RandomDag, n)),
        ("cheapest_unblocking/Checklist budget=1000", |n| {
            cheapest(Shape::Checklist, n)
        }),
        ("cheapest_unblocking/RandomDag budget=1000", |n| {
            cheapest(Shape::RandomDag, n)
        }),
        ("landmarks/Treaty", |n| landmarks(Shape::Treaty, n)),
        ("landmarks/RandomDag", |n| landmarks(Shape::RandomDag, n)),
        ("leverage/Treaty", |n| {
            let neg = negotiation(Shape::Treaty, n);
            Box::new(move || {
                let _ = black_box(neg.leverage());
            })
        }),
        ("leverage/SharedRegion", |n| {
            let neg = shared_region(n);
            Box::new(move || {
                let _ = black_box(neg.leverage());
            })
        }),
        ("deadlocks/RandomDag", |n| {
            let neg = negotiation(Shape::RandomDag, n);
            Box::new(move || {
                black_box(neg.deadlocks());
            })
        }),
    ]
}

/// A model of about `n` nodes where many acts wait on one large region: half the nodes are
/// conditions B owes, all required by one `hub` condition, and each of about `n / 6` tracks
/// has A's signature preconditioned on `hub`. Every act's blockers are the same half of the
/// model, so explaining each act separately is quadratic; `leverage` walks the region once.
fn shared_region(n: usize) -> Negotiation {
    let mut b = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .condition(ConditionSpec::new("hub", "The common ground").owed_by(["b"]));
    for j in 0..n / 2 {
        b = b
            .condition(ConditionSpec::new(format!("c{j}"), "A condition").owed_by(["b"]))
            .requirement(RequirementSpec::new("hub", Needs::Node(format!("c{j}"))));
    }
    for i in 0..n / 6 {
        b = b
            .track(TrackSpec::new(format!("t{i}"), "A text", ["a", "b"]).stage(StageKind::Signed))
            .requirement(
                RequirementSpec::new(format!("t{i}.signed.a"), Needs::Node("hub".into()))
                    .precondition_of("a"),
            );
    }
    b.build().expect("a valid model")
}

/// Building: the declarations are made in the setup and the negotiations dropped after the
/// timing, so a `build/` row times the build alone.
fn build(shape: Shape, n: usize) -> Box<dyn FnMut()> {
    let mut declarations: Vec<_> = (0..runs(n)).map(|_| model(shape, n, 42)).collect();
    let mut built = Vec::with_capacity(declarations.len());
    Box::new(move || {
        let declaration = declarations.pop().expect("one declaration per run");
        built.push(black_box(
            declaration.build().expect("generated models are valid"),
        ));
    })
}

/// The least work any build of the declaration must do, the baseline of the `build/` rows:
/// every node key the declaration names (its articles', conditions' and concessions' ids,
/// and the stage and act keys its tracks compose, composed in the setup) inserted into a
/// `std::collections::HashMap<&str, u32>` sized for them, then both ends of every
/// requirement looked up (each alternative of a group). Its growth per 10× is what the
/// machine's memory hierarchy alone makes of one hashed lookup per key; the build's growth
/// beyond it is the build's own.
fn build_baseline(shape: Shape, n: usize) -> Box<dyn FnMut()> {
    use negotiation::{Needs, NegotiationBuilder};
    use std::collections::HashMap;

    let declaration = model(shape, n, 42);
    let composed: Vec<String> = declaration
        .tracks
        .iter()
        .flat_map(|t| {
            t.stages.iter().flat_map(move |s| {
                let stage = format!("{}.{}", t.id, s.kind);
                let performers = if s.performers.is_empty() {
                    &t.principals
                } else {
                    &s.performers
                };
                let acts: Vec<String> = performers.iter().map(|p| format!("{stage}.{p}")).collect();
                std::iter::once(stage).chain(acts)
            })
        })
        .collect();
    fn run(d: &NegotiationBuilder, composed: &[String]) -> usize {
        let keys = d.articles.len() + d.conditions.len() + d.concessions.len() + composed.len();
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(keys);
        let ids = (d.articles.iter().map(|a| a.id.as_str()))
            .chain(d.conditions.iter().map(|c| c.id.as_str()))
            .chain(d.concessions.iter().map(|c| c.id.as_str()))
            .chain(composed.iter().map(String::as_str));
        for (i, id) in ids.enumerate() {
            index.insert(id, i as u32);
        }
        let mut found = 0;
        let mut look = |key: &str| found += usize::from(index.contains_key(key));
        for r in &d.requirements {
            look(&r.node);
            match &r.needs {
                Needs::Node(t) => look(t),
                Needs::AnyOf(of) | Needs::AtLeast { of, .. } => of.iter().for_each(|t| look(t)),
                Needs::Weight { of, .. } => of.iter().for_each(|(t, _)| look(t)),
                // `Needs` is non-exhaustive; every kind there is is listed above.
                _ => {}
            }
        }
        found
    }
    Box::new(move || {
        black_box(run(&declaration, &composed));
    })
}

/// How many runs an operation gets at `size` nodes (the median is reported).
fn runs(size: usize) -> usize {
    if size <= 10_000 {
        7
    } else {
        3
    }
}

fn plan(shape: Shape, n: usize) -> Box<dyn FnMut()> {
    let neg = negotiation(shape, n);
    let options = Options::default();
    Box::new(move || {
        let _ = black_box(neg.plan(shape.target(), &options));
    })
}

/// The floor for any query that walks below the target: a bare petgraph depth-first walk
/// from the shape's target over the requirement graph (every node below it, satisfied or
/// not). Its growth per 10× is what the machine's caches make of a walk on that shape: a
/// query that grows no faster than its walk is as linear as the memory hierarchy allows.
fn walk(shape: Shape, n: usize) -> Box<dyn FnMut()> {
    let neg = negotiation(shape, n);
    let start = NodeIndex::new(neg.node_id(shape.target()).expect("target").index());
    Box::new(move || {
        let graph = neg.as_petgraph();
        let mut dfs = Dfs::new(graph, start);
        let mut count = 0usize;
        while dfs.next(graph).is_some() {
            count += 1;
        }
        black_box(count);
    })
}

fn cheapest(shape: Shape, n: usize) -> Box<dyn FnMut()> {
    let neg = negotiation(shape, n);
    let options = Options::new().allow_waivers(true).budget(1_000);
    Box::new(move || {
        let _ = black_box(neg.cheapest_unblocking(shape.target(), 3, &options));
    })
}

fn landmarks(shape: Shape, n: usize) -> Box<dyn FnMut()> {
    let neg = negotiation(shape, n);
    let options = Options::default();
    Box::new(move || {
        let _ = black_box(neg.landmarks(shape.target(), &options));
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench -- --test` smoke-runs every bench: small sizes then.
    let smoke = args.iter().any(|a| a == "--test");
    let filter: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let sizes: &[usize] = if smoke {
        &[1_000, 10_000]
    } else {
        &[1_000, 10_000, 100_000, 1_000_000]
    };
    println!(
        "memory regime: {}",
        std::env::var("GLIBC_TUNABLES")
            .map(|t| format!("GLIBC_TUNABLES={t}"))
            .unwrap_or_else(|_| "the allocator's defaults".to_owned())
    );
    println!(
        "{:<44}{}",
        "operation",
        sizes
            .iter()
            .map(|s| format!("{:>22}", format!("n={s}")))
            .collect::<String>()
    );
    // Each operation's times, by size, for the comparison with the walks at the end.
    let mut measured: Vec<(&str, Vec<Duration>)> = Vec::new();
    for (name, setup) in operations() {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let mut line = format!("{name:<44}");
        let mut previous: Option<Duration> = None;
        let mut times = Vec::new();
        for &size in sizes {
            // An operation past a minute is not run 10× larger: its growth is already shown.
            if previous.is_some_and(|p| p > Duration::from_secs(60)) {
                line.push_str(&format!("{:>22}", "(not run)"));
                continue;
            }
            let mut op = setup(size);
            let time = median(runs(size), &mut op);
            drop(op);
            let growth = previous
                .map(|p| format!(" ×{:.1}", time.as_secs_f64() / p.as_secs_f64().max(1e-9)))
                .unwrap_or_default();
            line.push_str(&format!("{:>22}", format!("{:.3?}{growth}", time)));
            previous = Some(time);
            times.push(time);
        }
        println!("{line}");
        measured.push((name, times));
    }
    against_walks(&measured);
}

/// Each query below a target, of a shape that has a `walk-baseline/` row, as a multiple of
/// that walk at each size: a multiple that does not grow with the size means the query grows
/// as its walk does.
fn against_walks(measured: &[(&str, Vec<Duration>)]) {
    for (name, times) in measured {
        let Some((kind, rest)) = name.split_once('/') else {
            continue;
        };
        // `cheapest_unblocking/RandomDag budget=1000` is of the shape `RandomDag`.
        let shape = rest.split(' ').next().unwrap_or(rest);
        let walk = measured
            .iter()
            .find(|(other, _)| *other == format!("walk-baseline/{shape}"));
        // Only the queries that walk below the target: loading, leverage and the deadlock
        // search read the whole model.
        let below_target = [
            "blockers",
            "earliest",
            "plan",
            "cheapest_unblocking",
            "landmarks",
        ];
        let Some((_, walk)) = walk.filter(|_| below_target.contains(&kind)) else {
            continue;
        };
        let multiples: String = times
            .iter()
            .zip(walk)
            .map(|(t, w)| {
                let multiple = t.as_secs_f64() / w.as_secs_f64().max(1e-9);
                format!("{:>22}", format!("{multiple:.1}× the walk"))
            })
            .collect();
        println!("{name:<44}{multiples}");
    }
}

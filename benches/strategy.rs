//! The strategy layer on seeded random conflicts (`negotiation::generate::conflict`).
//!
//! - 4,096 states (12 options) with 2, 3 and 4 decision makers: the full analysis (all six
//!   concepts for every decision maker and state), against a baseline in the same run that
//!   does the least possible work on the same conflict: one pass over every unilateral move of
//!   every decision maker from every state, checking whether it improves (Nash stability).
//! - One decision maker with 16, 18 and 20 options (2^16 to 2^20 states, up to 2^20 − 1
//!   moves per state): the full analysis.
//! - Coalitions against the plain analysis of the same conflict (16,384 states, 4 decision
//!   makers; the first two move as one): compare the two medians.
//! - (Feature `serde`, on by default.) Import of a GMCR+ file with 2,000 prioritized statements (1,000 per decision maker, one or
//!   two literals each) over 16 options: `Conflict::from_gmcr`.
//! - 2^20 states (20 options), 4 decision makers: the full analysis once, its wall time and its
//!   peak heap (a counting allocator), and the baseline's time for the ratio; then the import
//!   of the same kind of file as above over 22 options (4,194,304 states), once. Under
//!   `cargo bench -- --test` (the CI smoke run) they use 2^16 states instead.
//!
//! ```sh
//! cargo bench --features generate --bench strategy
//! # One case, once, for its CPU time (see `one_shot`):
//! STRATEGY_ONE="20 4" /usr/bin/time -f '%U s user' cargo bench -q --all-features --bench strategy
//! # A GMCR+ file, 200 times (import, analysis, equilibria), for the comparison with GMCR+:
//! STRATEGY_ONE="file conflict.gmcr 200" /usr/bin/time -f '%U s user' cargo bench -q --all-features --bench strategy
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use criterion::{BenchmarkId, Criterion};
use negotiation::generate::conflict;
use negotiation::strategy::{Concept, Conflict};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: forwards every call to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The baseline: every unilateral move of every decision maker from every state, once.
fn nash_pass(c: &Conflict) -> usize {
    c.dm_ids()
        .flat_map(|d| c.states().map(move |s| (d, s)))
        .filter(|&(d, s)| {
            c.improvements(d, s)
                .expect("a handle of this conflict")
                .next()
                .is_none()
        })
        .count()
}

fn full(c: &Conflict) -> usize {
    let a = c.analyse();
    Concept::ALL.iter().map(|&k| a.equilibria(k).len()).sum()
}

fn small(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("strategy_4096_states");
    for dms in [2, 3, 4] {
        let c = conflict(12, dms, 0, 42)
            .build()
            .expect("generated conflicts are valid");
        group.bench_with_input(BenchmarkId::new("baseline_nash_pass", dms), &c, |b, c| {
            b.iter(|| black_box(nash_pass(c)))
        });
        group.bench_with_input(BenchmarkId::new("all_concepts", dms), &c, |b, c| {
            b.iter(|| black_box(full(c)))
        });
    }
    group.finish();
}

fn one_decision_maker(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("strategy_one_decision_maker");
    group.sample_size(10);
    for options in [16, 18, 20] {
        let c = conflict(options, 1, 0, 42)
            .build()
            .expect("generated conflicts are valid");
        group.bench_with_input(BenchmarkId::new("all_concepts", options), &c, |b, c| {
            b.iter(|| black_box(full(c)))
        });
    }
    group.finish();
}

fn coalitions(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("strategy_coalitions");
    group.sample_size(10);
    let c = conflict(14, 4, 0, 42)
        .build()
        .expect("generated conflicts are valid");
    let groups = [vec!["D0", "D1"], vec!["D2"], vec!["D3"]];
    group.bench_function("plain", |b| b.iter(|| black_box(full(&c))));
    group.bench_function("first_two_together", |b| {
        b.iter(|| {
            let a = c
                .analyse_coalitions(groups.clone())
                .expect("a partition of the decision makers");
            black_box(a.equilibria(Concept::Smr).len())
        })
    });
    group.finish();
}

#[cfg(feature = "serde")]
/// A GMCR+ file over `options` options, two decision makers splitting them, each with
/// `per_dm` prioritized statements of one or two seeded random literals.
fn statements_file(options: usize, per_dm: usize) -> String {
    let mut seed = 42u64;
    let mut next = move |below: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % below
    };
    let names: Vec<String> = (0..options)
        .map(|k| format!(r#"{{"name": "o{k}"}}"#))
        .collect();
    let half = options / 2;
    let dm = |name: &str, own: std::ops::Range<usize>, next: &mut dyn FnMut(usize) -> usize| {
        let statements: Vec<String> = (0..per_dm)
            .map(|_| {
                let literals: Vec<String> = (0..1 + next(2))
                    .map(|_| format!(r#"[{}, "{}"]"#, next(options), ["Y", "N"][next(2)]))
                    .collect();
                format!("[{}]", literals.join(", "))
            })
            .collect();
        let own: Vec<String> = own.map(|k| k.to_string()).collect();
        format!(
            r#"{{"name": "{name}", "options": [{}], "preferences": [{}]}}"#,
            own.join(", "),
            statements.join(", ")
        )
    };
    let a = dm("A", 0..half, &mut next);
    let b = dm("B", half..options, &mut next);
    format!(
        r#"{{"options": [{}], "decisionMakers": [{a}, {b}], "infeasibles": [],
            "useManualPreferenceRanking": false}}"#,
        names.join(", ")
    )
}

#[cfg(feature = "serde")]
fn import(crit: &mut Criterion) {
    let mut group = crit.benchmark_group("strategy_import");
    group.sample_size(10);
    let text = statements_file(16, 1000);
    group.bench_function("16_options_2000_statements", |b| {
        b.iter(|| black_box(Conflict::from_gmcr(&text).map(|c| c.state_count())))
    });
    group.finish();
}

#[cfg(feature = "serde")]
fn large_import(options: usize) {
    let text = statements_file(options, 1000);
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let t = Instant::now();
    let c = Conflict::from_gmcr(&text).expect("the generated file is valid");
    let elapsed = t.elapsed();
    let peak = PEAK.load(Ordering::Relaxed) - start;
    println!(
        "strategy_large_import: {} KB, {options} options, 2,000 statements, {} states: {:.2} s, \
         peak heap {:.0} MiB",
        text.len() / 1000,
        c.state_count(),
        elapsed.as_secs_f64(),
        peak as f64 / (1 << 20) as f64,
    );
}

fn large(options: usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let c = conflict(options, 4, 0, 42)
        .build()
        .expect("generated conflicts are valid");
    let built = LIVE.load(Ordering::Relaxed) - start;
    let t = Instant::now();
    black_box(nash_pass(&c));
    let baseline = t.elapsed();
    let t = Instant::now();
    let a = c.analyse();
    let counts: Vec<String> = Concept::ALL
        .iter()
        .map(|&k| format!("{k} {}", a.equilibria(k).len()))
        .collect();
    let elapsed = t.elapsed();
    let peak = PEAK.load(Ordering::Relaxed) - start;
    let mib = |bytes: usize| bytes as f64 / (1 << 20) as f64;
    println!(
        "strategy_large: {} states, 4 decision makers: all concepts in {:.2} s ({:.0}x the \
         baseline's {:.3} s); heap: the conflict {:.0} MiB, peak {:.0} MiB in all (building \
         and analysing); equilibria: {}",
        c.state_count(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() / baseline.as_secs_f64(),
        baseline.as_secs_f64(),
        mib(built),
        mib(peak),
        counts.join(", "),
    );
}

#[cfg(feature = "serde")]
/// A GMCR+ file's whole analysis as a user of the crate runs it, `reps` times in one process:
/// `Conflict::from_gmcr`, `analyse`, the six equilibrium lists. For comparing with GMCR+ on
/// the same file (BENCHMARKS.md): CPU time per repetition is the difference of two runs'
/// `/usr/bin/time` figures (1 and N + 1 repetitions) divided by N.
fn file_analysis(path: &str, reps: usize) {
    let text = std::fs::read_to_string(path).expect("a readable .gmcr file");
    let t = Instant::now();
    let mut stable = 0;
    let mut states = 0;
    for _ in 0..reps {
        let c = Conflict::from_gmcr(black_box(&text)).expect("a valid .gmcr file");
        let a = c.analyse();
        stable += Concept::ALL
            .iter()
            .map(|&k| a.equilibria(k).len())
            .sum::<usize>();
        states = c.state_count();
    }
    println!(
        "file {path}: {states} states, {reps} x (import, analysis, equilibria), {:.3} ms each \
         (wall), {} equilibria in all",
        t.elapsed().as_secs_f64() * 1e3 / reps.max(1) as f64,
        stable / reps.max(1)
    );
}

/// `STRATEGY_ONE="OPTIONS DECISION_MAKERS [coalition]"`, `"import OPTIONS"` or `"file PATH
/// [REPETITIONS]"`: that case alone, for a CPU-time measure under `/usr/bin/time` (the machine
/// is shared: wall times drift, CPU time much less). Whether it ran.
fn one_shot() -> bool {
    let Ok(spec) = std::env::var("STRATEGY_ONE") else {
        return false;
    };
    let words: Vec<&str> = spec.split_whitespace().collect();
    let number = |k: usize| words.get(k).and_then(|w| w.parse::<usize>().ok());
    match (words.first(), number(0), number(1)) {
        #[cfg(feature = "serde")]
        (Some(&"import"), _, Some(options)) => large_import(options),
        #[cfg(feature = "serde")]
        (Some(&"file"), _, _) if words.len() >= 2 => {
            file_analysis(words[1], number(2).unwrap_or(1))
        }
        (_, Some(options), Some(dms)) => {
            let c = conflict(options, dms, 0, 42)
                .build()
                .expect("generated conflicts are valid");
            let t = Instant::now();
            let stable = if words.get(2) == Some(&"coalition") && dms >= 2 {
                let names: Vec<&str> = c.decision_makers().iter().map(|d| d.name()).collect();
                let groups =
                    std::iter::once(names[..2].to_vec()).chain(names[2..].iter().map(|n| vec![*n]));
                let a = c
                    .analyse_coalitions(groups)
                    .expect("a partition of the decision makers");
                Concept::ALL.iter().map(|&k| a.equilibria(k).len()).sum()
            } else {
                full(&c)
            };
            println!(
                "{spec}: {} states, analysis {:.2} s (wall), {stable} equilibria in all",
                c.state_count(),
                t.elapsed().as_secs_f64()
            );
        }
        _ => eprintln!(
            "STRATEGY_ONE: `OPTIONS DECISION_MAKERS [coalition]`, `import OPTIONS` or `file PATH \
             [REPETITIONS]`"
        ),
    }
    true
}

fn main() {
    if one_shot() {
        return;
    }
    let smoke = std::env::args().any(|a| a == "--test");
    let mut crit = Criterion::default().configure_from_args();
    small(&mut crit);
    one_decision_maker(&mut crit);
    coalitions(&mut crit);
    #[cfg(feature = "serde")]
    import(&mut crit);
    crit.final_summary();
    large(if smoke { 16 } else { 20 });
    #[cfg(feature = "serde")]
    large_import(if smoke { 16 } else { 22 });
}

//! The strategy layer on seeded random conflicts (`negotiation::generate::conflict`).
//!
//! - 4,096 states (12 options) with 2, 3 and 4 decision makers: the full analysis (all six
//!   concepts for every decision maker and state), against a baseline in the same run that
//!   does the least possible work on the same conflict: one pass over every unilateral move of
//!   every decision maker from every state, checking whether it improves (Nash stability).
//! - 2^20 states (20 options), 4 decision makers: the full analysis once, its wall time and its
//!   peak heap (a counting allocator), and the baseline's time for the ratio. Under
//!   `cargo bench -- --test` (the CI smoke run) it uses 2^16 states instead.
//!
//! ```sh
//! cargo bench --features generate --bench strategy
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
        .filter(|&(d, s)| c.improvements(d, s).next().is_none())
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

fn main() {
    let smoke = std::env::args().any(|a| a == "--test");
    let mut crit = Criterion::default().configure_from_args();
    small(&mut crit);
    crit.final_summary();
    large(if smoke { 16 } else { 20 });
}

//! Memory at 10⁶ nodes as the allocator sees it: bytes requested and allocations made, counted
//! by a global allocator, and the peak resident size of a process, for three jobs, each in a
//! process of its own (this bench runs itself with `--job`):
//!
//! - `build`: each generated shape built (bytes and allocations per node; the declaration the
//!   negotiation keeps for replay counted apart);
//! - `moves`: a treaty built, then its valid moves applied (bytes per recorded move);
//! - `load`: a treaty with its moves saved as a scenario file and loaded back (the text
//!   dropped before the load is measured, so the figure is what the loaded negotiation holds).
//!
//! ```sh
//! cargo bench --features generate,serde --bench memory
//! ```
//!
//! A fourth job, run only when asked, times the build itself in CPU time (the thread's run
//! time from `/proc/thread-self/schedstat`, so other processes' load does not count) at 10⁵
//! and 10⁶ nodes, the declaration made and the negotiation dropped outside the timing:
//!
//! ```sh
//! cargo bench --all-features --bench memory -- --job build-time
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use negotiation::generate::{model, part_way, valid_moves, Shape};
use negotiation::Scenario;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
/// Blocks allocated and not yet freed (a reallocation moves a block, it adds none).
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live bytes and allocations made so far.
fn counters() -> (usize, usize) {
    (
        LIVE.load(Ordering::Relaxed),
        ALLOCATIONS.load(Ordering::Relaxed),
    )
}

/// The process's peak resident size in MiB (`VmHWM`), if the system says.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn rss() -> String {
    peak_rss_mib().map_or("unknown".to_owned(), |m| format!("{m:.0} MiB"))
}

fn build(size: usize) {
    for shape in Shape::ALL {
        // From before the declaration: the negotiation keeps it for replay.
        let (before, allocs) = counters();
        let declaration = model(shape, size, 42);
        let declared = counters().0 - before;
        let neg = declaration.build().expect("generated models are valid");
        let (after, allocs_after) = counters();
        let total = after - before;
        // What the negotiation holds apart from its declaration: what dropping it frees while
        // a copy (which shares the declaration) is alive. The rest is the declaration as the
        // negotiation keeps it (the build trims its lists to their length).
        let nodes = neg.node_count();
        let edges = neg.as_petgraph().edge_count();
        let copy = neg.clone();
        let with_both = counters().0;
        drop(neg);
        let structures = with_both - counters().0;
        drop(copy);
        let kept = total.saturating_sub(structures);
        let per = |bytes: usize| bytes as f64 / nodes as f64;
        println!(
            "  build {shape:?}: {nodes} nodes, {edges} edges: {:.0} bytes/node in all ({:.1} allocations/node), of which {:.0} the declaration kept for replay ({:.0} as generated) and {:.0} the graph, state and indexes",
            per(total),
            (allocs_after - allocs) as f64 / nodes as f64,
            per(kept),
            per(declared),
            per(structures)
        );
    }
    println!(
        "  build: peak resident {} (every shape, one after the other)",
        rss()
    );
}

/// The calling thread's CPU time so far, in seconds (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    let ns: f64 = stat
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .expect("run time in ns");
    ns / 1e9
}

fn build_time() {
    for shape in Shape::ALL {
        let mut times = Vec::new();
        for (size, runs) in [(100_000, 5), (1_000_000, 2)] {
            let best = (0..runs)
                .map(|_| {
                    let declaration = model(shape, size, 42);
                    let start = cpu_seconds();
                    let neg = declaration.build().expect("generated models are valid");
                    let time = cpu_seconds() - start;
                    drop(neg);
                    time
                })
                .fold(f64::INFINITY, f64::min);
            times.push(best);
        }
        println!(
            "  build-time {shape:?}: {:.3} s at 10^5, {:.3} s at 10^6 (x{:.1}), CPU time, the least of 5 and 2 runs",
            times[0],
            times[1],
            times[1] / times[0]
        );
    }
}

fn moves(size: usize) {
    let mut neg = model(Shape::Treaty, size, 42)
        .build()
        .expect("generated models are valid");
    let moves = valid_moves(&neg, size, 42);
    let (before, allocs) = counters();
    let blocks = BLOCKS.load(Ordering::Relaxed);
    for mv in &moves {
        neg.apply(mv).expect("generated moves are valid");
    }
    let (after, allocs_after) = counters();
    let blocks_after = BLOCKS.load(Ordering::Relaxed);
    // The moves themselves are the caller's; the negotiation keeps its own record of them.
    let n = moves.len().max(1);
    println!(
        "  moves: {} moves on {} nodes: {:.0} bytes and {:.2} allocated blocks kept per recorded move (history and state), {:.1} allocations made per move (with the transition reports and the engine's scratch, freed); peak resident {}",
        moves.len(),
        neg.node_count(),
        after.saturating_sub(before) as f64 / n as f64,
        blocks_after.saturating_sub(blocks) as f64 / n as f64,
        (allocs_after - allocs) as f64 / n as f64,
        rss()
    );
}

fn load(size: usize) {
    let (base, _) = counters();
    let json = Scenario::of(&part_way(Shape::Treaty, size, 42)).to_json();
    let file_mib = json.len() as f64 / (1 << 20) as f64;
    let (scenario, neg) = Scenario::from_json(&json).expect("the saved scenario loads");
    drop(json);
    // Everything else made on the way was dropped: what is live is what the load holds.
    let held = counters().0.saturating_sub(base);
    // Held once: the negotiation's declaration and history are the scenario's own.
    let saved = Scenario::of(&neg);
    let shared =
        Arc::ptr_eq(&saved.model, &scenario.model) && Arc::ptr_eq(&saved.moves, &scenario.moves);
    println!(
        "  load: a {file_mib:.0} MiB scenario of {} nodes and {} moves: {:.0} bytes/node held by the scenario and the negotiation after loading (model and moves shared: {shared}); peak resident {}",
        neg.node_count(),
        scenario.moves.len(),
        held as f64 / neg.node_count() as f64,
        rss()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench -- --test` smoke-runs every bench: use a smaller model then.
    let smoke = args.iter().any(|a| a == "--test");
    let size = if smoke { 10_000 } else { 1_000_000 };
    if let Some(job) = args
        .iter()
        .position(|a| a == "--job")
        .and_then(|i| args.get(i + 1))
    {
        match job.as_str() {
            "build" => build(size),
            "moves" => moves(size),
            "load" => load(size),
            "build-time" => build_time(),
            other => panic!("unknown job {other}"),
        }
        return;
    }
    println!("memory at {size} nodes (targets: <= 256 bytes/node for the model, <= 64 per recorded move, a loaded scenario held once)");
    let exe = std::env::current_exe().expect("the bench knows its path");
    for job in ["build", "moves", "load"] {
        let mut command = Command::new(&exe);
        command.args(["--job", job]);
        if smoke {
            command.arg("--test");
        }
        let out = command.output().expect("the bench runs itself");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        assert!(
            out.status.success(),
            "job {job}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

//! Bytes per node at 10⁶ nodes, measured with a counting global allocator: everything the
//! negotiation holds (node data, ids, the requirement graph with its edges, the counters,
//! the lookup indexes, and the declaration it keeps for replay).
//!
//! ```sh
//! cargo bench --features generate --bench memory
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use negotiation::generate::{model, Shape};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    // `cargo bench -- --test` smoke-runs every bench: use a smaller model then.
    let smoke = std::env::args().any(|a| a == "--test");
    let size = if smoke { 10_000 } else { 1_000_000 };
    println!("memory: bytes per node (target <= 256 at 10^6 nodes)");
    for shape in Shape::ALL {
        // From before the declaration: the negotiation keeps it for replay.
        let before = LIVE.load(Ordering::Relaxed);
        let declaration = model(shape, size, 42);
        let declared = LIVE.load(Ordering::Relaxed) - before;
        let neg = declaration.build().expect("generated models are valid");
        let total = LIVE.load(Ordering::Relaxed) - before;
        let nodes = neg.node_count();
        let edges = neg.as_petgraph().edge_count();
        let per = |bytes: usize| bytes as f64 / nodes as f64;
        println!(
            "  {shape:?}: {nodes} nodes, {edges} edges: {:.0} bytes/node in all, of which {:.0} the declaration kept for replay and {:.0} the graph, state and indexes",
            per(total),
            per(declared),
            per(total - declared)
        );
        drop(neg);
    }
}

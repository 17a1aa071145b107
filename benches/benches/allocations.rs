//! Heap allocations per signing hash (and per parse + hash), ours against alloy, counted
//! by a global allocator that wraps the system one. Prints a table; no timing.
//!
//! `cargo bench --manifest-path benches/Cargo.toml --bench allocations`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use alloy_dyn_abi::eip712::TypedData as AlloyTypedData;
use auth_signing::eip712::TypedData;
use benches::{INPUTS, parse_both};

/// Counts allocations (including reallocations) and bytes requested, then defers to the
/// system allocator.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract is `System`'s; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes of one call of `f` (run once before, to warm lazy statics).
fn count<R>(mut f: impl FnMut() -> R) -> (u64, u64) {
    black_box(f());
    let (a0, b0) = (ALLOCS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst));
    black_box(f());
    (
        ALLOCS.load(Ordering::SeqCst) - a0,
        BYTES.load(Ordering::SeqCst) - b0,
    )
}

fn main() {
    // `cargo bench` passes `--bench` (and maybe a filter); this target takes no options.
    println!("heap allocations per call (count / bytes requested)");
    println!(
        "| input | signing hash: ours | signing hash: alloy | parse + hash: ours | parse + hash: alloy |"
    );
    println!("|---|---|---|---|---|");
    for input in &INPUTS {
        let (ours, theirs) = parse_both(input);
        let hash_ours = count(|| ours.signing_hash());
        let hash_alloy = count(|| theirs.eip712_signing_hash().unwrap());
        let parse_ours = count(|| TypedData::from_json_str(input.json).unwrap().signing_hash());
        let parse_alloy = count(|| {
            serde_json::from_str::<AlloyTypedData>(input.json)
                .unwrap()
                .eip712_signing_hash()
                .unwrap()
        });
        println!(
            "| {} | {} / {} B | {} / {} B | {} / {} B | {} / {} B |",
            input.name,
            hash_ours.0,
            hash_ours.1,
            hash_alloy.0,
            hash_alloy.1,
            parse_ours.0,
            parse_ours.1,
            parse_alloy.0,
            parse_alloy.1
        );
    }
}

//! Where a build's time and memory go, stage by stage, for `avtal build --timings` and
//! the benchmarks.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

/// One finished stage: its name, how long it took, and the process's memory
/// high-water mark when it ended.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    pub peak_kb: Option<u64>,
    /// Bytes allocated and not yet freed when the stage ended, and the most there were
    /// at any moment during it; `None` unless [`CountingAllocator`] is the global
    /// allocator.
    pub heap: Option<HeapUse>,
}

/// What the program itself holds, apart from what the allocator keeps in reserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapUse {
    pub live: usize,
    pub peak: usize,
}

/// Records stages as they end.
#[derive(Debug)]
pub struct Timings {
    started: Instant,
    lap: Instant,
    pub stages: Vec<Stage>,
}

impl Default for Timings {
    fn default() -> Self {
        let now = Instant::now();
        Timings {
            started: now,
            lap: now,
            stages: Vec::new(),
        }
    }
}

impl Timings {
    /// Ends the current stage, named `name`, and starts the next.
    pub fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push(Stage {
            name,
            took: now - self.lap,
            peak_kb: peak_memory_kb(),
            heap: heap_use_since_last(),
        });
        self.lap = now;
    }

    /// A table, one stage a line, with the total.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for stage in &self.stages {
            out.push_str(&format!(
                "  {:<28} {:>8.1} ms   peak memory {}",
                stage.name,
                stage.took.as_secs_f64() * 1000.0,
                stage
                    .peak_kb
                    .map_or("?".to_string(), |kb| format!("{} MB", kb / 1024))
            ));
            if let Some(heap) = stage.heap {
                out.push_str(&format!(
                    "   (heap: at most {} MB, {} MB at the end)",
                    heap.peak >> 20,
                    heap.live >> 20
                ));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "  {:<28} {:>8.1} ms\n",
            "total",
            self.started.elapsed().as_secs_f64() * 1000.0
        ));
        out
    }
}

/// The process's peak resident memory so far (Linux `VmHWM`); `None` elsewhere.
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

// Signed: blocks allocated before counting began are freed while it runs.
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static PEAK_BYTES: AtomicIsize = AtomicIsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);

/// Starts counting heap bytes in [`CountingAllocator`] (`--timings`). Off by default:
/// threads updating the same counters on every allocation slow a build down markedly
/// (README, "Performance").
pub fn start_counting_heap() {
    COUNTING.store(true, Ordering::Relaxed);
}

/// A global allocator that counts the bytes the program holds, around another
/// allocator: the resident size (`VmHWM`) also counts what the allocator keeps for
/// reuse, this says what the program's data takes. Once [`start_counting_heap`] is
/// called, two relaxed atomic operations per allocation; before, one relaxed load.
pub struct CountingAllocator<A>(pub A);

impl<A> CountingAllocator<A> {
    fn grew(size: usize) {
        if !COUNTING.load(Ordering::Relaxed) {
            return;
        }
        let size = size as isize;
        let live = LIVE_BYTES.fetch_add(size, Ordering::Relaxed) + size;
        if live > PEAK_BYTES.load(Ordering::Relaxed) {
            PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
        }
    }

    fn shrank(size: usize) {
        if !COUNTING.load(Ordering::Relaxed) {
            return;
        }
        LIVE_BYTES.fetch_sub(size as isize, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on unchanged to the inner allocator; only counters are
// updated around it.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        let pointer = unsafe { self.0.alloc(layout) };
        if !pointer.is_null() {
            Self::grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { self.0.alloc_zeroed(layout) };
        if !pointer.is_null() {
            Self::grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { self.0.dealloc(pointer, layout) };
        Self::shrank(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let moved = unsafe { self.0.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size >= layout.size() {
                Self::grew(new_size - layout.size());
            } else {
                Self::shrank(layout.size() - new_size);
            }
        }
        moved
    }
}

/// The heap in use now and at most since the last call (which starts a new period);
/// `None` when [`CountingAllocator`] is not the global allocator or is not counting.
pub fn heap_use_since_last() -> Option<HeapUse> {
    // Something is always allocated by the time anyone asks (the caller's own data).
    let live = LIVE_BYTES.load(Ordering::Relaxed);
    if live <= 0 || !COUNTING.load(Ordering::Relaxed) {
        return None;
    }
    let peak = PEAK_BYTES.swap(live, Ordering::Relaxed).max(live);
    Some(HeapUse {
        live: live as usize,
        peak: peak as usize,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn stages_are_recorded_in_order_with_a_total() {
        let mut timings = super::Timings::default();
        timings.end("load");
        timings.end("render");
        let names: Vec<_> = timings.stages.iter().map(|s| s.name).collect();
        assert_eq!(names, ["load", "render"]);
        let report = timings.report();
        assert!(report.contains("load") && report.contains("render") && report.contains("total"));
        #[cfg(target_os = "linux")]
        assert!(super::peak_memory_kb().is_some_and(|kb| kb > 0));
    }

    #[test]
    fn the_counting_allocator_tracks_live_and_peak_bytes() {
        use std::alloc::{GlobalAlloc, Layout, System};
        let allocator = super::CountingAllocator(System);
        super::start_counting_heap();
        // Held throughout, so the count never drops to nothing (which reads as "not
        // counting").
        let keeper_layout = Layout::from_size_align(64, 8).unwrap();
        // SAFETY: a non-zero layout, freed at the end with the same layout.
        let keeper = unsafe { allocator.alloc(keeper_layout) };
        assert!(!keeper.is_null());
        let layout = Layout::from_size_align(1 << 20, 8).unwrap();
        // SAFETY: a non-zero layout, freed below with the same layout.
        let block = unsafe { allocator.alloc(layout) };
        assert!(!block.is_null());
        let held = super::heap_use_since_last().expect("counted");
        assert!(held.live >= 1 << 20 && held.peak >= held.live);
        // SAFETY: grown from the block allocated above, with its layout.
        let block = unsafe { allocator.realloc(block, layout, 3 << 20) };
        assert!(!block.is_null());
        let grown = super::heap_use_since_last().expect("counted");
        assert_eq!(grown.live, held.live + (2 << 20));
        let grown_layout = Layout::from_size_align(3 << 20, 8).unwrap();
        // SAFETY: the block from `realloc`, with its new layout.
        unsafe { allocator.dealloc(block, grown_layout) };
        let freed = super::heap_use_since_last().expect("counted");
        assert_eq!(freed.live, held.live - (1 << 20));
        // The peak of the period that just ended still saw the 3 MB block.
        assert!(freed.peak >= grown.live);
        // SAFETY: allocated above with this layout.
        unsafe { allocator.dealloc(keeper, keeper_layout) };
    }
}

//! Where a build's time and memory go, stage by stage, for `avtal build --timings` and
//! the benchmarks.

use std::time::{Duration, Instant};

/// One finished stage: its name, how long it took, and the process's memory
/// high-water mark when it ended.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    pub peak_kb: Option<u64>,
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
        });
        self.lap = now;
    }

    /// A table, one stage a line, with the total.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for stage in &self.stages {
            out.push_str(&format!(
                "  {:<28} {:>8.1} ms   peak memory {}\n",
                stage.name,
                stage.took.as_secs_f64() * 1000.0,
                stage
                    .peak_kb
                    .map_or("?".to_string(), |kb| format!("{} MB", kb / 1024))
            ));
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
}

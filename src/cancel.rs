//! Lets long work stop early once its result is no longer wanted: `serve` gives way to
//! a newer save. Long loops (per clause, per page, per word-list line) ask
//! [`requested`] and stop when it says so, leaving a partial result; whoever started
//! the work asks its [`Cancel`] afterwards ([`Cancel::check`], or [`check`] on a thread
//! working for it) before reading anything from that result, and returns
//! `Err(`[`Cancelled`]`)` instead: cancellation is a value of its own, never an empty
//! or partial list of problems. A `Cancel` that once said "stop" keeps saying it, so a
//! partial result is never taken for a whole one. Outside `serve` nothing is ever
//! cancelled, and [`requested`] costs one thread-local read.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Work given up because its result is no longer wanted: not a problem of the site,
/// and never reported as one. The errors of work that can give way have a variant made
/// from it, so `?` carries it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// `Err(Cancelled)` once the work this thread does is no longer wanted.
pub fn check() -> Result<(), Cancelled> {
    if requested() { Err(Cancelled) } else { Ok(()) }
}

/// Whether one piece of work is still wanted.
#[derive(Clone)]
pub struct Cancel(Arc<Inner>);

struct Inner {
    stopped: AtomicBool,
    ask: Option<Box<dyn Fn() -> bool + Send + Sync>>,
}

thread_local! {
    static CURRENT: RefCell<Option<Cancel>> = const { RefCell::new(None) };
}

/// Whether the work this thread does for someone is no longer wanted.
pub fn requested() -> bool {
    CURRENT
        .try_with(|current| current.borrow().as_ref().is_some_and(Cancel::is_requested))
        .unwrap_or(false)
}

impl Cancel {
    /// Work that is always wanted.
    pub fn never() -> Cancel {
        Cancel(Arc::new(Inner {
            stopped: AtomicBool::new(false),
            ask: None,
        }))
    }

    /// Work that is no longer wanted once `ask` says so.
    pub fn when(ask: impl Fn() -> bool + Send + Sync + 'static) -> Cancel {
        Cancel(Arc::new(Inner {
            stopped: AtomicBool::new(false),
            ask: Some(Box::new(ask)),
        }))
    }

    pub fn is_requested(&self) -> bool {
        if self.0.stopped.load(Ordering::Acquire) {
            return true;
        }
        let stop = self.0.ask.as_ref().is_some_and(|ask| ask());
        if stop {
            self.0.stopped.store(true, Ordering::Release);
        }
        stop
    }

    /// `Err(Cancelled)` once this work is no longer wanted.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_requested() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Runs `work` on this thread with [`requested`] answering from `self`.
    pub fn scope<T>(&self, work: impl FnOnce() -> T) -> T {
        struct Restore(Option<Cancel>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|current| current.replace(Some(self.clone())));
        let _restore = Restore(previous);
        work()
    }

    /// Runs `work` in `pool` (rayon's global pool when `None`) with [`requested`]
    /// answering from `self` on every thread of the pool, for the parallel parts of
    /// the work. Nothing else may use the pool meanwhile.
    pub fn run_in<T: Send>(
        &self,
        pool: Option<&rayon::ThreadPool>,
        work: impl FnOnce() -> T + Send,
    ) -> T {
        let attach = |cancel: Option<Cancel>| {
            let set = |_: rayon::BroadcastContext<'_>| {
                CURRENT.with(|current| *current.borrow_mut() = cancel.clone());
            };
            match pool {
                Some(pool) => {
                    pool.broadcast(set);
                }
                None => {
                    rayon::broadcast(set);
                }
            }
        };
        attach(Some(self.clone()));
        let result = match pool {
            Some(pool) => pool.install(|| self.scope(work)),
            None => self.scope(work),
        };
        attach(None);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn nothing_is_cancelled_outside_a_scope_and_a_stop_stays() {
        assert!(!requested());
        let raised = Arc::new(AtomicBool::new(false));
        let flag = raised.clone();
        let cancel = Cancel::when(move || flag.load(Ordering::SeqCst));
        cancel.scope(|| {
            assert!(!requested());
            assert_eq!(check(), Ok(()));
            raised.store(true, Ordering::SeqCst);
            assert!(requested());
            assert_eq!(check(), Err(Cancelled));
            // Lowered again, the work stays cancelled: its partial result stays so.
            raised.store(false, Ordering::SeqCst);
            assert!(requested());
        });
        assert!(!requested(), "the scope ended");
        assert!(cancel.is_requested());
        assert_eq!(cancel.check(), Err(Cancelled));
        assert!(!Cancel::never().scope(requested));
        assert_eq!(Cancel::never().check(), Ok(()));
    }

    #[test]
    fn every_thread_of_the_pool_sees_the_cancel_while_the_work_runs() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let cancel = Cancel::when(|| true);
        let asked = AtomicUsize::new(0);
        let cancelled = cancel.run_in(Some(&pool), || {
            (0..64)
                .into_par_iter()
                .filter(|_| {
                    asked.fetch_add(1, Ordering::SeqCst);
                    requested()
                })
                .count()
        });
        assert_eq!(cancelled, 64);
        assert_eq!(asked.load(Ordering::SeqCst), 64);
        // Afterwards the pool's threads work for nobody in particular.
        let after = pool.install(|| (0..64).into_par_iter().filter(|_| requested()).count());
        assert_eq!(after, 0);
    }
}

//! The password gate: every argon2 hash and verification (the dummy one for unknown handles
//! included) runs here, on a bounded number of blocking threads behind a semaphore, with a short
//! queue in front. Each argon2id run takes 19 MiB and tens of milliseconds of one core, so an
//! unbounded number at once lets a flood of sign-ins take all memory and every core; past the
//! queue, a caller is told to come back ([`Busy`]) instead of waiting. Each worker's 19 MiB is a
//! [`PasswordScratch`] kept for the next run, so memory stays at workers × 19 MiB.

use std::sync::{Arc, Mutex};

use kindred_auth::PasswordScratch;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The gate is full: try again in a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy;

/// A bounded pool of argon2 workers with a short queue.
#[derive(Debug)]
pub struct PasswordGate {
    /// Callers inside the gate, running or queued: workers + queue.
    admitted: Arc<Semaphore>,
    /// Callers running argon2 now.
    running: Arc<Semaphore>,
    /// Working memory, one per running caller.
    scratch: Arc<Mutex<Vec<PasswordScratch>>>,
}

/// A place in the gate, held for a whole sign-in or registration so the work it leads to (the
/// throttle reservation, the credentials read, the hash) is bounded with it.
#[derive(Debug)]
pub struct Admission {
    _permit: OwnedSemaphorePermit,
    running: Arc<Semaphore>,
    scratch: Arc<Mutex<Vec<PasswordScratch>>>,
}

impl PasswordGate {
    /// A gate running at most `workers` argon2 computations at once, with `queue` more callers
    /// waiting.
    pub fn new(workers: usize, queue: usize) -> PasswordGate {
        let workers = workers.max(1);
        PasswordGate {
            admitted: Arc::new(Semaphore::new(workers + queue)),
            running: Arc::new(Semaphore::new(workers)),
            scratch: Arc::new(Mutex::new(Vec::with_capacity(workers))),
        }
    }

    /// A gate of `workers` and `queue`, each defaulting to this machine's size: one worker fewer
    /// than the cores (at least one), so serving other members keeps a core, and a queue of eight
    /// per worker (a wait of a few hundred milliseconds at most).
    pub fn sized(workers: Option<u32>, queue: Option<u32>) -> PasswordGate {
        let workers = workers.map_or_else(
            || {
                let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
                cores.saturating_sub(1)
            },
            |n| usize::try_from(n).unwrap_or(1),
        );
        let workers = workers.max(1);
        let queue = queue.map_or(workers * 8, |n| usize::try_from(n).unwrap_or(0));
        PasswordGate::new(workers, queue)
    }

    /// Enters the gate, or says it is full. Never waits.
    pub fn admit(&self) -> Result<Admission, Busy> {
        let permit = self.admitted.clone().try_acquire_owned().map_err(|_| Busy)?;
        Ok(Admission {
            _permit: permit,
            running: self.running.clone(),
            scratch: self.scratch.clone(),
        })
    }
}

impl Admission {
    /// Runs `work` (an argon2 hash or verification, with a worker's kept memory) on a blocking
    /// thread once a worker is free. `None` if the work panicked or the runtime is shutting down.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PasswordScratch) -> T + Send + 'static,
    ) -> Option<T> {
        let _running = self.running.acquire().await.ok()?;
        // Holding a running permit means a scratch is free (or not made yet).
        let mut scratch = self
            .scratch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        let (result, scratch) = tokio::task::spawn_blocking(move || {
            let result = work(&mut scratch);
            (result, scratch)
        })
        .await
        .ok()?;
        self.scratch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(scratch);
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn admits_workers_plus_queue_and_no_more() {
        let gate = PasswordGate::new(2, 3);
        let held: Vec<_> = (0..5).map(|_| gate.admit().unwrap()).collect();
        assert_eq!(gate.admit().unwrap_err(), Busy);
        drop(held);
        let admission = gate.admit().unwrap();
        assert_eq!(admission.run(|_| 41 + 1).await, Some(42));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_at_most_workers_at_once() {
        let gate = Arc::new(PasswordGate::new(2, 10));
        let now_running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let admission = gate.admit().unwrap();
                let (now_running, most) = (now_running.clone(), most.clone());
                tokio::spawn(async move {
                    admission
                        .run(move |_| {
                            use std::sync::atomic::Ordering::SeqCst;
                            let n = now_running.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(n, SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            now_running.fetch_sub(1, SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}

//! The login rate limiter: after too many failed log-ins for one handle (or from one address)
//! within a window, further attempts are refused until the window passes. Kept in memory: a
//! restart forgets it, which costs an attacker a restart they cannot cause.

use std::collections::HashMap;
use std::sync::Mutex;

/// Refused: try again after this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

/// Failed-attempt counts per key (`handle:…`, `ip:…`) in fixed windows.
#[derive(Debug)]
pub struct LoginLimiter {
    max_failures: u32,
    window_secs: u64,
    failures: Mutex<HashMap<String, (u64, u32)>>,
}

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

impl LoginLimiter {
    /// A limiter allowing `max_failures` failed attempts per key per `window_secs`.
    pub fn new(max_failures: u32, window_secs: u64) -> LoginLimiter {
        LoginLimiter {
            max_failures,
            window_secs,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether an attempt for every key may go ahead now.
    pub fn check(&self, keys: &[&str], now: u64) -> Result<(), RetryAfter> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = 0;
        for key in keys {
            if let Some(&(start, n)) = failures.get(*key) {
                let end = start + self.window_secs;
                if n >= self.max_failures && now < end {
                    wait = wait.max(end - now);
                }
            }
        }
        if wait > 0 { Err(RetryAfter(wait)) } else { Ok(()) }
    }

    /// Counts a failed attempt against every key.
    pub fn failed(&self, keys: &[&str], now: u64) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > SWEEP_AT {
            let window = self.window_secs;
            failures.retain(|_, (start, _)| *start + window > now);
        }
        for key in keys {
            let entry = failures.entry((*key).to_owned()).or_insert((now, 0));
            if entry.0 + self.window_secs <= now {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
    }

    /// Clears a key after a successful log-in.
    pub fn succeeded(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_max_failures_until_window_passes() {
        let limiter = LoginLimiter::new(3, 600);
        let keys = ["handle:owl", "ip:127.0.0.1"];
        for _ in 0..3 {
            assert!(limiter.check(&keys, 100).is_ok());
            limiter.failed(&keys, 100);
        }
        assert_eq!(limiter.check(&keys, 100), Err(RetryAfter(600)));
        assert_eq!(limiter.check(&["handle:owl"], 650), Err(RetryAfter(50)));
        assert!(limiter.check(&["handle:other"], 650).is_ok());
        assert!(limiter.check(&keys, 700).is_ok());
        limiter.succeeded("handle:owl");
        assert!(limiter.check(&["handle:owl"], 101).is_ok());
    }
}

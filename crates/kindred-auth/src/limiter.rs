//! Throttles for sign-ins and registrations, as a pure policy over a stored state.
//!
//! An attempt *reserves* its place before any work is done: [`Policy::reserve`] takes a key's
//! state (a handle, a client address) and either returns the state with this attempt counted, or
//! refuses with how long to wait. The store applies the new state only if nobody changed it in
//! between (compare and swap), so concurrent attempts count as they start, on every server over one
//! database, and a burst of simultaneous guesses gets no more tries than a sequence would.
//!
//! After `free_attempts` in one window the key is locked for `first_lock_secs`, doubling with each
//! further lockout up to `max_lock_secs` (backoff with a cap). The escalation is forgotten once the
//! key has been quiet for [`FORGET_AFTER_SECS`]. A real owner is therefore never locked out for
//! longer than the cap after an attacker stops, and even under a steady attack gets through within
//! the cap once the attacker's burst is spent.

use serde::{Deserialize, Serialize};

/// Refused: try again after this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

/// A key's stored state. All times are Unix seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleState {
    /// When the current window began.
    pub window_start: i64,
    /// Attempts reserved in the current window.
    pub attempts: i64,
    /// Lockouts so far (each doubles the next one), until the key is quiet for a while.
    pub lockouts: i64,
    /// No attempt is allowed before this time.
    pub blocked_until: i64,
}

/// How often one key may try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Attempts allowed per window; the last of them starts a lockout.
    pub free_attempts: i64,
    /// The window's length in seconds.
    pub window_secs: i64,
    /// The first lockout's length in seconds.
    pub first_lock_secs: i64,
    /// The longest lockout in seconds.
    pub max_lock_secs: i64,
}

/// Quiet time after which a key's lockout escalation starts again from the first step.
pub const FORGET_AFTER_SECS: i64 = 24 * 3600;

/// Sign-ins per handle: five tries, then 1, 2, 4, 8 minutes and at most 15 minutes locked.
pub const SIGN_IN_PER_HANDLE: Policy = Policy {
    free_attempts: 5,
    window_secs: 15 * 60,
    first_lock_secs: 60,
    max_lock_secs: 15 * 60,
};

/// Sign-ins per client address: people share addresses, so four times the handle allowance.
pub const SIGN_IN_PER_ADDRESS: Policy = Policy {
    free_attempts: 20,
    window_secs: 15 * 60,
    first_lock_secs: 60,
    max_lock_secs: 15 * 60,
};

impl Policy {
    /// Counts one attempt against `state` (absent for a key never seen) at `now`: the new state to
    /// store, or how long to wait.
    pub fn reserve(&self, state: Option<ThrottleState>, now: i64) -> Result<ThrottleState, RetryAfter> {
        let mut next = state.unwrap_or(ThrottleState {
            window_start: now,
            ..ThrottleState::default()
        });
        if next.blocked_until > now {
            return Err(RetryAfter(u64::try_from(next.blocked_until - now).unwrap_or(1)));
        }
        let last_activity = next.window_start.max(next.blocked_until);
        if now.saturating_sub(last_activity) >= FORGET_AFTER_SECS {
            next.lockouts = 0;
        }
        if now >= next.window_start.saturating_add(self.window_secs) {
            next.window_start = now;
            next.attempts = 0;
        }
        next.attempts += 1;
        if next.attempts >= self.free_attempts {
            next.blocked_until = now.saturating_add(self.lock_secs(next.lockouts));
            next.lockouts = next.lockouts.saturating_add(1);
            next.window_start = now;
            next.attempts = 0;
        }
        Ok(next)
    }

    /// The length of the lockout after `lockouts` earlier ones.
    pub fn lock_secs(&self, lockouts: i64) -> i64 {
        let doublings = u32::try_from(lockouts.clamp(0, 30)).unwrap_or(30);
        self.first_lock_secs
            .saturating_mul(1_i64 << doublings)
            .min(self.max_lock_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(policy: &Policy, state: &mut Option<ThrottleState>, now: i64) -> Result<(), RetryAfter> {
        let next = policy.reserve(*state, now)?;
        *state = Some(next);
        Ok(())
    }

    #[test]
    fn five_attempts_then_a_lockout_that_doubles_up_to_the_cap() {
        let policy = SIGN_IN_PER_HANDLE;
        let mut state = None;
        let mut now = 1_000_000;
        let mut locks = Vec::new();
        for _ in 0..7 {
            for _ in 0..5 {
                assert_eq!(run(&policy, &mut state, now), Ok(()));
            }
            let Err(RetryAfter(wait)) = run(&policy, &mut state, now) else {
                panic!("the sixth attempt must be refused");
            };
            locks.push(wait);
            now += i64::try_from(wait).unwrap();
        }
        assert_eq!(locks, [60, 120, 240, 480, 900, 900, 900]);
    }

    #[test]
    fn escalation_is_forgotten_after_a_quiet_day() {
        let policy = SIGN_IN_PER_HANDLE;
        let mut state = None;
        let mut now = 0;
        for _ in 0..3 {
            for _ in 0..5 {
                run(&policy, &mut state, now).unwrap();
            }
            now += 900;
        }
        now += FORGET_AFTER_SECS;
        for _ in 0..5 {
            run(&policy, &mut state, now).unwrap();
        }
        assert_eq!(run(&policy, &mut state, now), Err(RetryAfter(60)));
    }

    #[test]
    fn a_window_that_passes_starts_the_count_again() {
        let policy = SIGN_IN_PER_HANDLE;
        let mut state = None;
        for _ in 0..4 {
            run(&policy, &mut state, 0).unwrap();
        }
        for _ in 0..4 {
            run(&policy, &mut state, policy.window_secs).unwrap();
        }
        assert_eq!(state.unwrap().attempts, 4);
    }

    #[test]
    fn a_fixed_lock_for_the_rest_of_the_hour() {
        let policy = Policy {
            free_attempts: 5,
            window_secs: 3600,
            first_lock_secs: 3600,
            max_lock_secs: 3600,
        };
        let mut state = None;
        for _ in 0..5 {
            run(&policy, &mut state, 10).unwrap();
        }
        assert_eq!(run(&policy, &mut state, 20), Err(RetryAfter(3590)));
        assert_eq!(run(&policy, &mut state, 3610), Ok(()));
    }
}

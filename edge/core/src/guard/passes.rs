//! Temporary Access Pass sign-in in the guard. Wrong passes lock a (username, client network)
//! pair for a while — so a stranger elsewhere cannot lock an administrator out — and a ceiling
//! of wrong passes in a row from anywhere locks the username until an administrator issues a new
//! pass. A one-time pass succeeds once.

use serde::{Deserialize, Serialize};

use super::counter::seconds_until;
use crate::limits::{
    MAX_PASS_LIFETIME_MS, PASS_FAILURE_CEILING, PASS_LOCKOUT_MS, PASS_LOCKOUT_THRESHOLD,
};
use crate::time::UnixMillis;

/// Wrong passes for one username from one client network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkFailures {
    pub network: String,
    pub consecutive_failures: u32,
    pub locked_until: Option<UnixMillis>,
}

/// Pass sign-in state of one username (known or not: unknown names lock out the same way).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PassGuardRecord {
    /// Networks with wrong passes in a row or a lock (the others are dropped).
    pub networks: Vec<NetworkFailures>,
    /// Wrong passes in a row from anywhere; the right pass resets it.
    pub consecutive_failures: u32,
    /// Set at the ceiling: the pass that was current then (none for a name without one). Pass
    /// sign-in stays locked until the user's pass is another.
    pub locked_pass: Option<Option<String>>,
    /// Ids of one-time passes already used (the newest few; a user has one pass at a time).
    pub used: Vec<String>,
    /// The last wrong pass or one-time use: the record is forgotten a pass lifetime after it.
    pub last_activity_at: Option<UnixMillis>,
}

impl PassGuardRecord {
    /// True when the record can be forgotten: nothing in it changes an answer any more. A
    /// pass lives at most [`MAX_PASS_LIFETIME_MS`], so a pass that was current at the last wrong
    /// try or the last one-time use has ended by then — and with it what the record guards.
    pub fn is_idle(&self, now: UnixMillis) -> bool {
        self.last_activity_at
            .is_none_or(|at| now >= at + MAX_PASS_LIFETIME_MS)
            && self
                .networks
                .iter()
                .all(|n| n.locked_until.is_none_or(|until| now >= until))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PassOutcome {
    Accepted,
    Wrong,
    /// Too many wrong passes from this network: wait.
    Locked {
        retry_after_seconds: u64,
    },
    /// Too many wrong passes from anywhere: only a new pass unlocks.
    LockedUntilNewPass,
    /// The right one-time pass, used before.
    AlreadyUsed,
    /// The client network made too many attempts this hour.
    Throttled {
        retry_after_seconds: u64,
    },
}

/// One attempt, as the guard sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassFacts {
    pub network: String,
    pub correct: bool,
    /// The one-time pass to consume when everything else allows the sign-in.
    pub consume: Option<String>,
    /// The user's current pass (none for unknown names, guests and users without one).
    pub current_pass: Option<String>,
}

const USED_PASSES_KEPT: usize = 8;
/// Networks remembered per username; past this the oldest unlocked one is forgotten.
const NETWORKS_KEPT: usize = 32;

/// One pass sign-in attempt.
pub fn record_pass_attempt(
    record: PassGuardRecord,
    facts: &PassFacts,
    now: UnixMillis,
) -> (PassGuardRecord, PassOutcome) {
    let mut next = record.clone();
    match &next.locked_pass {
        Some(locked) if *locked == facts.current_pass => {
            return (record, PassOutcome::LockedUntilNewPass)
        }
        // An administrator issued a new pass (or deleted it): the ceiling starts again.
        Some(_) => {
            next.locked_pass = None;
            next.consecutive_failures = 0;
            next.networks.clear();
        }
        None => {}
    }
    let here = match next
        .networks
        .iter()
        .position(|n| n.network == facts.network)
    {
        Some(i) => i,
        None => {
            next.networks.push(NetworkFailures {
                network: facts.network.clone(),
                consecutive_failures: 0,
                locked_until: None,
            });
            next.networks.len() - 1
        }
    };
    if let Some(until) = next.networks[here]
        .locked_until
        .filter(|until| now < *until)
    {
        let outcome = PassOutcome::Locked {
            retry_after_seconds: seconds_until(now, until),
        };
        return (record, outcome);
    }
    let outcome = if facts.correct {
        next.networks.remove(here);
        next.consecutive_failures = 0;
        match &facts.consume {
            Some(id) if next.used.contains(id) => PassOutcome::AlreadyUsed,
            Some(id) => {
                next.last_activity_at = Some(now);
                next.used.push(id.clone());
                if next.used.len() > USED_PASSES_KEPT {
                    next.used.remove(0);
                }
                PassOutcome::Accepted
            }
            None => PassOutcome::Accepted,
        }
    } else {
        next.last_activity_at = Some(now);
        next.consecutive_failures += 1;
        let network = &mut next.networks[here];
        network.consecutive_failures += 1;
        network.locked_until = None;
        if next.consecutive_failures >= PASS_FAILURE_CEILING {
            next.locked_pass = Some(facts.current_pass.clone());
            PassOutcome::LockedUntilNewPass
        } else if network.consecutive_failures >= PASS_LOCKOUT_THRESHOLD {
            network.consecutive_failures = 0;
            network.locked_until = Some(now + PASS_LOCKOUT_MS);
            PassOutcome::Locked {
                retry_after_seconds: seconds_until(now, now + PASS_LOCKOUT_MS),
            }
        } else {
            PassOutcome::Wrong
        }
    };
    next.networks
        .retain(|n| n.consecutive_failures > 0 || n.locked_until.is_some_and(|until| now < until));
    while next.networks.len() > NETWORKS_KEPT {
        let oldest_unlocked = next
            .networks
            .iter()
            .position(|n| n.locked_until.is_none())
            .unwrap_or(0);
        next.networks.remove(oldest_unlocked);
    }
    (next, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    const T0: UnixMillis = 1_795_348_800_000;
    const ADMIN_NET: &str = "198.51.100.7";
    const ATTACKER: &str = "203.0.113.66";

    fn attempt(network: &str, correct: bool) -> PassFacts {
        PassFacts {
            network: network.into(),
            correct,
            consume: None,
            current_pass: Some("p1".into()),
        }
    }

    fn run(
        record: PassGuardRecord,
        facts: &PassFacts,
        at: UnixMillis,
    ) -> (PassGuardRecord, PassOutcome) {
        record_pass_attempt(record, facts, at)
    }

    #[test]
    fn ten_wrong_passes_lock_that_network_for_fifteen_minutes_even_for_the_right_pass() {
        let mut record = PassGuardRecord::default();
        for _ in 0..9 {
            let (next, outcome) = run(record, &attempt(ADMIN_NET, false), T0);
            assert_eq!(outcome, PassOutcome::Wrong);
            record = next;
        }
        let (record, outcome) = run(record, &attempt(ADMIN_NET, false), T0);
        assert_eq!(
            outcome,
            PassOutcome::Locked {
                retry_after_seconds: 15 * 60
            }
        );
        let (record, outcome) = run(record, &attempt(ADMIN_NET, true), T0 + 14 * MINUTE);
        assert_eq!(
            outcome,
            PassOutcome::Locked {
                retry_after_seconds: 60
            }
        );
        assert_eq!(
            run(record, &attempt(ADMIN_NET, true), T0 + 15 * MINUTE).1,
            PassOutcome::Accepted
        );
    }

    #[test]
    fn a_stranger_locking_their_own_network_does_not_lock_the_administrator_out() {
        let mut record = PassGuardRecord::default();
        for _ in 0..10 {
            record = run(record, &attempt(ATTACKER, false), T0).0;
        }
        assert!(matches!(
            run(record.clone(), &attempt(ATTACKER, true), T0).1,
            PassOutcome::Locked { .. }
        ));
        assert_eq!(
            run(record, &attempt(ADMIN_NET, true), T0).1,
            PassOutcome::Accepted
        );
    }

    #[test]
    fn a_hundred_wrong_passes_from_anywhere_lock_until_a_new_pass_is_issued() {
        let mut record = PassGuardRecord::default();
        let mut last = PassOutcome::Wrong;
        for i in 0..PASS_FAILURE_CEILING {
            let network = format!("192.0.2.{}", i / 9);
            (record, last) = run(record, &attempt(&network, false), T0);
        }
        assert_eq!(last, PassOutcome::LockedUntilNewPass);
        // Even the right pass, from the administrator's own network, a day later.
        let (record, outcome) = run(record, &attempt(ADMIN_NET, true), T0 + 24 * 60 * MINUTE);
        assert_eq!(outcome, PassOutcome::LockedUntilNewPass);
        // A new pass unlocks.
        let new_pass = PassFacts {
            current_pass: Some("p2".into()),
            ..attempt(ADMIN_NET, true)
        };
        let (record, outcome) = run(record, &new_pass, T0 + 24 * 60 * MINUTE);
        assert_eq!(outcome, PassOutcome::Accepted);
        assert!(record.networks.is_empty() && record.locked_pass.is_none());
    }

    #[test]
    fn a_record_is_forgotten_a_pass_lifetime_after_its_last_wrong_try_or_use() {
        let (record, _) = run(PassGuardRecord::default(), &attempt(ADMIN_NET, false), T0);
        assert!(!record.is_idle(T0 + MAX_PASS_LIFETIME_MS - 1));
        assert!(record.is_idle(T0 + MAX_PASS_LIFETIME_MS));
        let (clean, _) = run(PassGuardRecord::default(), &attempt(ADMIN_NET, true), T0);
        assert!(
            clean.is_idle(T0),
            "a right multi-use pass leaves nothing to keep"
        );
    }

    #[test]
    fn a_right_pass_resets_the_count_of_wrong_ones() {
        let mut record = PassGuardRecord::default();
        for _ in 0..9 {
            record = run(record, &attempt(ADMIN_NET, false), T0).0;
        }
        let (record, ok) = run(record, &attempt(ADMIN_NET, true), T0);
        assert_eq!(ok, PassOutcome::Accepted);
        assert_eq!(record.consecutive_failures, 0);
        assert_eq!(
            run(record, &attempt(ADMIN_NET, false), T0).1,
            PassOutcome::Wrong
        );
    }

    #[test]
    fn a_one_time_pass_is_accepted_once() {
        let once = PassFacts {
            consume: Some("p1".into()),
            ..attempt(ADMIN_NET, true)
        };
        let (record, first) = run(PassGuardRecord::default(), &once, T0);
        assert_eq!(first, PassOutcome::Accepted);
        let (record, second) = run(record, &once, T0 + MINUTE);
        assert_eq!(second, PassOutcome::AlreadyUsed);
        let other = PassFacts {
            consume: Some("p2".into()),
            current_pass: Some("p2".into()),
            ..once
        };
        assert_eq!(
            run(record, &other, T0 + MINUTE).1,
            PassOutcome::Accepted,
            "a new pass is a new pass"
        );
    }
}

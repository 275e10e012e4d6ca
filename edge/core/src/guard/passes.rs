//! Temporary Access Pass sign-in in the guard: lockout after consecutive wrong passes, and a
//! one-time pass that succeeds once.

use serde::{Deserialize, Serialize};

use super::counter::seconds_until;
use crate::limits::{PASS_LOCKOUT_MS, PASS_LOCKOUT_THRESHOLD};
use crate::time::UnixMillis;

/// Pass sign-in state of one username (known or not: unknown names lock out the same way).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassGuardRecord {
    pub consecutive_failures: u32,
    pub locked_until: Option<UnixMillis>,
    /// Ids of one-time passes already used (the newest few; a user has one pass at a time).
    pub used: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PassOutcome {
    Accepted,
    Wrong,
    Locked {
        retry_after_seconds: u64,
    },
    /// The right one-time pass, used before.
    AlreadyUsed,
}

const USED_PASSES_KEPT: usize = 8;

/// One pass sign-in attempt. A lock refuses even the right pass; `PASS_LOCKOUT_THRESHOLD`
/// consecutive wrong passes lock for `PASS_LOCKOUT_MS`; a right pass resets the count; `consume`
/// (a one-time pass's id) succeeds once.
pub fn record_pass_attempt(
    record: PassGuardRecord,
    correct: bool,
    consume: Option<&str>,
    now: UnixMillis,
) -> (PassGuardRecord, PassOutcome) {
    if let Some(until) = record.locked_until.filter(|until| now < *until) {
        return (
            record,
            PassOutcome::Locked {
                retry_after_seconds: seconds_until(now, until),
            },
        );
    }
    if !correct {
        let failures = record.consecutive_failures + 1;
        if failures >= PASS_LOCKOUT_THRESHOLD {
            let until = now + PASS_LOCKOUT_MS;
            let locked = PassGuardRecord {
                consecutive_failures: 0,
                locked_until: Some(until),
                ..record
            };
            return (
                locked,
                PassOutcome::Locked {
                    retry_after_seconds: seconds_until(now, until),
                },
            );
        }
        return (
            PassGuardRecord {
                consecutive_failures: failures,
                locked_until: None,
                ..record
            },
            PassOutcome::Wrong,
        );
    }
    let mut next = PassGuardRecord {
        consecutive_failures: 0,
        locked_until: None,
        ..record
    };
    let Some(pass_id) = consume else {
        return (next, PassOutcome::Accepted);
    };
    if next.used.iter().any(|used| used == pass_id) {
        return (next, PassOutcome::AlreadyUsed);
    }
    next.used.push(pass_id.to_string());
    if next.used.len() > USED_PASSES_KEPT {
        next.used.remove(0);
    }
    (next, PassOutcome::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    const T0: UnixMillis = 1_795_348_800_000;

    #[test]
    fn ten_wrong_passes_lock_even_the_right_one_for_fifteen_minutes() {
        let mut record = PassGuardRecord::default();
        for _ in 0..9 {
            let (next, outcome) = record_pass_attempt(record, false, None, T0);
            assert_eq!(outcome, PassOutcome::Wrong);
            record = next;
        }
        let (record, outcome) = record_pass_attempt(record, false, None, T0);
        assert_eq!(
            outcome,
            PassOutcome::Locked {
                retry_after_seconds: 15 * 60
            }
        );
        let (record, outcome) = record_pass_attempt(record, true, None, T0 + 14 * MINUTE);
        assert_eq!(
            outcome,
            PassOutcome::Locked {
                retry_after_seconds: 60
            }
        );
        let (_, outcome) = record_pass_attempt(record, true, None, T0 + 15 * MINUTE);
        assert_eq!(outcome, PassOutcome::Accepted);
    }

    #[test]
    fn a_right_pass_resets_the_count_of_wrong_ones() {
        let mut record = PassGuardRecord::default();
        for _ in 0..9 {
            record = record_pass_attempt(record, false, None, T0).0;
        }
        record = record_pass_attempt(record, true, None, T0).0;
        let (_, outcome) = record_pass_attempt(record, false, None, T0);
        assert_eq!(outcome, PassOutcome::Wrong, "the count starts again");
    }

    #[test]
    fn a_one_time_pass_is_accepted_once() {
        let (record, first) = record_pass_attempt(PassGuardRecord::default(), true, Some("p1"), T0);
        assert_eq!(first, PassOutcome::Accepted);
        let (record, second) = record_pass_attempt(record, true, Some("p1"), T0 + MINUTE);
        assert_eq!(second, PassOutcome::AlreadyUsed);
        let (_, other) = record_pass_attempt(record, true, Some("p2"), T0 + MINUTE);
        assert_eq!(other, PassOutcome::Accepted, "a new pass is a new pass");
    }
}

//! The strongly consistent guard: the rules the Durable Object enforces, as pure functions.
//!
//! KV is eventually consistent (a write may take 60 s or more to be seen elsewhere, last write
//! wins), so it can never be what makes a code succeed only once. Every "once", every attempt
//! count and every throttle is decided here, on a record the Durable Object loads, hands to these
//! functions and stores back. A Durable Object serializes the requests of one instance and its
//! storage calls hold other events off (input gates), so load → decide → store is atomic.
//!
//! Instances: `tenant:{tenantId}` keeps the tenant's send counter and one [`AddressRecord`] per
//! address (keyed by a hash, never the address in clear); `ip:{address}` keeps a client IP's counter.

use serde::{Deserialize, Serialize};

use crate::limits::{
    ADDRESS_FAILURE_BUDGET, ADDRESS_FAILURE_WINDOW_MS, ADDRESS_RESEND_INTERVAL_MS,
    ADDRESS_SENDS_PER_DAY, MAX_WRONG_TRIES_PER_CODE, PASS_LOCKOUT_MS, PASS_LOCKOUT_THRESHOLD,
};
use crate::time::{UnixMillis, DAY, HOUR, SECOND};

/// A fixed-window counter: at most `limit` hits per `window_ms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowCounter {
    pub window_start: UnixMillis,
    pub count: u32,
}

impl WindowCounter {
    fn current(self, now: UnixMillis, window_ms: i64) -> WindowCounter {
        if now >= self.window_start + window_ms || now < self.window_start {
            WindowCounter {
                window_start: now,
                count: 0,
            }
        } else {
            self
        }
    }

    /// Seconds until the window frees a hit, or `None` when one is free now.
    pub fn retry_after(self, now: UnixMillis, window_ms: i64, limit: u32) -> Option<u64> {
        let current = self.current(now, window_ms);
        (current.count >= limit).then(|| seconds_until(now, current.window_start + window_ms))
    }

    pub fn hit(self, now: UnixMillis, window_ms: i64) -> WindowCounter {
        let current = self.current(now, window_ms);
        WindowCounter {
            count: current.count + 1,
            ..current
        }
    }
}

fn seconds_until(now: UnixMillis, at: UnixMillis) -> u64 {
    ((at - now).max(0) as u64).div_ceil(SECOND as u64).max(1)
}

/// The newest code sent to an address: only it can succeed, once, within its tries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentCode {
    pub nonce: String,
    pub expires_at: UnixMillis,
    pub wrong_tries: u32,
    pub consumed: bool,
}

/// Everything the guard knows about one address in one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressRecord {
    pub last_send_at: Option<UnixMillis>,
    pub daily_sends: WindowCounter,
    pub failures: WindowCounter,
    pub current: Option<CurrentCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SendOutcome {
    Accepted,
    Throttled {
        retry_after_seconds: u64,
        scope: ThrottleScope,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ThrottleScope {
    Address,
    Tenant,
    ClientIp,
}

/// Records a send to an address, if the address and the tenant both have room. Checks first and
/// changes nothing on refusal, so a throttled request leaves every counter as it was.
pub fn record_send(
    address: AddressRecord,
    tenant_sends: WindowCounter,
    per_tenant_per_hour: u32,
    nonce: &str,
    expires_at: UnixMillis,
    now: UnixMillis,
) -> (AddressRecord, WindowCounter, SendOutcome) {
    let gap = address
        .last_send_at
        .filter(|last| now < last + ADDRESS_RESEND_INTERVAL_MS && now >= *last)
        .map(|last| seconds_until(now, last + ADDRESS_RESEND_INTERVAL_MS));
    let refusal = gap
        .map(|s| (s, ThrottleScope::Address))
        .or_else(|| {
            address
                .daily_sends
                .retry_after(now, DAY, ADDRESS_SENDS_PER_DAY)
                .map(|s| (s, ThrottleScope::Address))
        })
        .or_else(|| {
            tenant_sends
                .retry_after(now, HOUR, per_tenant_per_hour)
                .map(|s| (s, ThrottleScope::Tenant))
        });
    if let Some((retry_after_seconds, scope)) = refusal {
        return (
            address,
            tenant_sends,
            SendOutcome::Throttled {
                retry_after_seconds,
                scope,
            },
        );
    }
    let address = AddressRecord {
        last_send_at: Some(now),
        daily_sends: address.daily_sends.hit(now, DAY),
        failures: address.failures,
        current: Some(CurrentCode {
            nonce: nonce.into(),
            expires_at,
            wrong_tries: 0,
            consumed: false,
        }),
    };
    (address, tenant_sends.hit(now, HOUR), SendOutcome::Accepted)
}

/// Counts a send from a client IP, across tenants.
pub fn record_ip_send(
    counter: WindowCounter,
    per_ip_per_hour: u32,
    now: UnixMillis,
) -> (WindowCounter, SendOutcome) {
    match counter.retry_after(now, HOUR, per_ip_per_hour) {
        Some(retry_after_seconds) => (
            counter,
            SendOutcome::Throttled {
                retry_after_seconds,
                scope: ThrottleScope::ClientIp,
            },
        ),
        None => (counter.hit(now, HOUR), SendOutcome::Accepted),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VerifyOutcome {
    Success,
    WrongCode {
        attempts_remaining: u32,
    },
    /// This code has had its tries (`retry_after_seconds: None`: ask for a new code), or the
    /// address spent its failure budget (`Some`: wait that long).
    TooManyAttempts {
        retry_after_seconds: Option<u64>,
    },
    AlreadyUsed,
    /// Not the newest code for this address, or unknown here.
    Superseded,
    Expired,
}

/// Applies one verification attempt. The adapter has already checked the challenge's MAC and
/// computed `correct` in constant time; here the attempt is counted and "once" is enforced.
pub fn record_attempt(
    address: AddressRecord,
    nonce: &str,
    correct: bool,
    now: UnixMillis,
) -> (AddressRecord, VerifyOutcome) {
    if let Some(retry) =
        address
            .failures
            .retry_after(now, ADDRESS_FAILURE_WINDOW_MS, ADDRESS_FAILURE_BUDGET)
    {
        return (
            address,
            VerifyOutcome::TooManyAttempts {
                retry_after_seconds: Some(retry),
            },
        );
    }
    let Some(current) = address.current.clone().filter(|c| c.nonce == nonce) else {
        return (address, VerifyOutcome::Superseded);
    };
    if current.consumed {
        return (address, VerifyOutcome::AlreadyUsed);
    }
    if now >= current.expires_at {
        return (address, VerifyOutcome::Expired);
    }
    if current.wrong_tries >= MAX_WRONG_TRIES_PER_CODE {
        return (
            address,
            VerifyOutcome::TooManyAttempts {
                retry_after_seconds: None,
            },
        );
    }
    if correct {
        let current = CurrentCode {
            consumed: true,
            ..current
        };
        return (
            AddressRecord {
                current: Some(current),
                ..address
            },
            VerifyOutcome::Success,
        );
    }
    let wrong_tries = current.wrong_tries + 1;
    let failures = address.failures.hit(now, ADDRESS_FAILURE_WINDOW_MS);
    let next = AddressRecord {
        failures,
        current: Some(CurrentCode {
            wrong_tries,
            ..current
        }),
        ..address
    };
    let outcome = if wrong_tries >= MAX_WRONG_TRIES_PER_CODE {
        VerifyOutcome::TooManyAttempts {
            retry_after_seconds: None,
        }
    } else if let Some(retry) =
        failures.retry_after(now, ADDRESS_FAILURE_WINDOW_MS, ADDRESS_FAILURE_BUDGET)
    {
        VerifyOutcome::TooManyAttempts {
            retry_after_seconds: Some(retry),
        }
    } else {
        VerifyOutcome::WrongCode {
            attempts_remaining: MAX_WRONG_TRIES_PER_CODE - wrong_tries,
        }
    };
    (next, outcome)
}

/// What the adapter asks a guard instance to do (the Durable Object's request body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum GuardCommand {
    Send {
        address_key: String,
        nonce: String,
        expires_at: UnixMillis,
        per_tenant_per_hour: u32,
        now: UnixMillis,
    },
    IpSend {
        per_ip_per_hour: u32,
        now: UnixMillis,
    },
    Verify {
        address_key: String,
        nonce: String,
        correct: bool,
        now: UnixMillis,
    },
    Pass {
        user_key: String,
        correct: bool,
        consume: Option<String>,
        now: UnixMillis,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum GuardReply {
    Send { outcome: SendOutcome },
    Verify { outcome: VerifyOutcome },
    Pass { outcome: PassOutcome },
}

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
    const EXPIRY: UnixMillis = T0 + 30 * MINUTE;

    fn sent(nonce: &str, at: UnixMillis) -> AddressRecord {
        let (record, _, outcome) = record_send(
            AddressRecord::default(),
            WindowCounter::default(),
            1000,
            nonce,
            at + 30 * MINUTE,
            at,
        );
        assert_eq!(outcome, SendOutcome::Accepted);
        record
    }

    #[test]
    fn the_right_code_succeeds_exactly_once() {
        let (record, first) = record_attempt(sent("n1", T0), "n1", true, T0 + 1_000);
        assert_eq!(first, VerifyOutcome::Success);
        let (_, replay) = record_attempt(record, "n1", true, T0 + 2_000);
        assert_eq!(replay, VerifyOutcome::AlreadyUsed);
    }

    #[test]
    fn five_wrong_tries_exhaust_a_code_even_for_the_right_code_after() {
        let mut record = sent("n1", T0);
        for remaining in (1..MAX_WRONG_TRIES_PER_CODE).rev() {
            let (next, outcome) = record_attempt(record, "n1", false, T0 + 1_000);
            assert_eq!(
                outcome,
                VerifyOutcome::WrongCode {
                    attempts_remaining: remaining
                }
            );
            record = next;
        }
        let (record, fifth) = record_attempt(record, "n1", false, T0 + 1_000);
        assert_eq!(
            fifth,
            VerifyOutcome::TooManyAttempts {
                retry_after_seconds: None
            }
        );
        let (_, right_after) = record_attempt(record, "n1", true, T0 + 2_000);
        assert_eq!(
            right_after,
            VerifyOutcome::TooManyAttempts {
                retry_after_seconds: None
            }
        );
    }

    #[test]
    fn a_new_code_invalidates_the_previous_one() {
        let first = sent("n1", T0);
        let (second, _, outcome) = record_send(
            first,
            WindowCounter::default(),
            1000,
            "n2",
            EXPIRY + MINUTE,
            T0 + MINUTE,
        );
        assert_eq!(outcome, SendOutcome::Accepted);
        let (second, old) = record_attempt(second, "n1", true, T0 + MINUTE + 1);
        assert_eq!(old, VerifyOutcome::Superseded);
        assert_eq!(
            record_attempt(second, "n2", true, T0 + MINUTE + 2).1,
            VerifyOutcome::Success
        );
    }

    #[test]
    fn the_guard_refuses_codes_at_and_after_expiry() {
        assert_eq!(
            record_attempt(sent("n1", T0), "n1", true, EXPIRY - 1_000).1,
            VerifyOutcome::Success
        );
        assert_eq!(
            record_attempt(sent("n1", T0), "n1", true, EXPIRY).1,
            VerifyOutcome::Expired
        );
    }

    #[test]
    fn the_address_failure_budget_spans_codes_and_locks_for_the_window() {
        let mut record = AddressRecord::default();
        let mut at = T0;
        let mut failures = 0;
        // Two wrong tries per code, fresh code each minute, until the budget is spent.
        while failures < ADDRESS_FAILURE_BUDGET {
            let nonce = format!("n{failures}");
            let (next, _, outcome) = record_send(
                record,
                WindowCounter::default(),
                1000,
                &nonce,
                at + 30 * MINUTE,
                at,
            );
            assert_eq!(outcome, SendOutcome::Accepted);
            record = next;
            for _ in 0..2 {
                let (next, outcome) = record_attempt(record, &nonce, false, at);
                record = next;
                failures += 1;
                if failures == ADDRESS_FAILURE_BUDGET {
                    assert!(matches!(
                        outcome,
                        VerifyOutcome::TooManyAttempts {
                            retry_after_seconds: Some(_)
                        }
                    ));
                }
            }
            at += MINUTE;
        }
        let (locked, _, _) = record_send(
            record,
            WindowCounter::default(),
            1000,
            "fresh",
            at + 30 * MINUTE,
            at,
        );
        assert!(matches!(
            record_attempt(locked.clone(), "fresh", true, at).1,
            VerifyOutcome::TooManyAttempts { retry_after_seconds: Some(s) } if s > 0 && s <= 3600
        ));
        // After the window, the budget is back.
        let later = T0 + ADDRESS_FAILURE_WINDOW_MS + 1;
        let (fresh, _, _) = record_send(
            locked,
            WindowCounter::default(),
            1000,
            "later",
            later + 30 * MINUTE,
            later,
        );
        assert_eq!(
            record_attempt(fresh, "later", true, later).1,
            VerifyOutcome::Success
        );
    }

    #[test]
    fn an_address_may_be_sent_one_code_a_minute() {
        let record = sent("n1", T0);
        let (record, _, too_soon) = record_send(
            record,
            WindowCounter::default(),
            1000,
            "n2",
            EXPIRY,
            T0 + 59_000,
        );
        assert_eq!(
            too_soon,
            SendOutcome::Throttled {
                retry_after_seconds: 1,
                scope: ThrottleScope::Address
            }
        );
        assert_eq!(
            record.current.as_ref().unwrap().nonce,
            "n1",
            "a refused send changes nothing"
        );
        let (_, _, on_time) = record_send(
            record,
            WindowCounter::default(),
            1000,
            "n2",
            EXPIRY,
            T0 + 60_000,
        );
        assert_eq!(on_time, SendOutcome::Accepted);
    }

    #[test]
    fn an_address_may_be_sent_ten_codes_a_day() {
        let mut record = AddressRecord::default();
        for i in 0..ADDRESS_SENDS_PER_DAY as i64 {
            let (next, _, outcome) = record_send(
                record,
                WindowCounter::default(),
                1000,
                "n",
                EXPIRY,
                T0 + i * MINUTE,
            );
            assert_eq!(outcome, SendOutcome::Accepted);
            record = next;
        }
        let eleventh = T0 + 10 * MINUTE;
        let (record, _, outcome) = record_send(
            record,
            WindowCounter::default(),
            1000,
            "n",
            EXPIRY,
            eleventh,
        );
        let expected_wait = ((T0 + DAY - eleventh) / 1000) as u64;
        assert_eq!(
            outcome,
            SendOutcome::Throttled {
                retry_after_seconds: expected_wait,
                scope: ThrottleScope::Address
            }
        );
        let (_, _, next_day) = record_send(
            record,
            WindowCounter::default(),
            1000,
            "n",
            EXPIRY,
            T0 + DAY,
        );
        assert_eq!(next_day, SendOutcome::Accepted);
    }

    #[test]
    fn the_tenant_counter_limits_sends_across_addresses() {
        let mut tenant = WindowCounter::default();
        for i in 0..3 {
            let (_, next, outcome) =
                record_send(AddressRecord::default(), tenant, 3, "n", EXPIRY, T0 + i);
            assert_eq!(outcome, SendOutcome::Accepted);
            tenant = next;
        }
        let (_, unchanged, outcome) =
            record_send(AddressRecord::default(), tenant, 3, "n", EXPIRY, T0 + 10);
        assert!(matches!(
            outcome,
            SendOutcome::Throttled {
                scope: ThrottleScope::Tenant,
                ..
            }
        ));
        assert_eq!(unchanged, tenant);
    }

    #[test]
    fn the_ip_counter_limits_sends_per_hour() {
        let mut ip = WindowCounter::default();
        for _ in 0..2 {
            let (next, outcome) = record_ip_send(ip, 2, T0);
            assert_eq!(outcome, SendOutcome::Accepted);
            ip = next;
        }
        let (ip, outcome) = record_ip_send(ip, 2, T0 + 1_000);
        assert_eq!(
            outcome,
            SendOutcome::Throttled {
                retry_after_seconds: 3599,
                scope: ThrottleScope::ClientIp
            }
        );
        assert_eq!(record_ip_send(ip, 2, T0 + HOUR).1, SendOutcome::Accepted);
    }

    #[test]
    fn an_unknown_nonce_is_superseded_not_counted() {
        let (record, outcome) = record_attempt(AddressRecord::default(), "nope", false, T0);
        assert_eq!(outcome, VerifyOutcome::Superseded);
        assert_eq!(record.failures.count, 0);
    }

    #[test]
    fn commands_round_trip_as_json() {
        let cmd = GuardCommand::Verify {
            address_key: "a".into(),
            nonce: "n".into(),
            correct: true,
            now: T0,
        };
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<GuardCommand>(&json).unwrap(), cmd);
    }

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

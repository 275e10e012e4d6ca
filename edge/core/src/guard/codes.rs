//! Email codes in the guard: the newest code per address succeeds once within its tries, and
//! sends are throttled per address and per tenant (and per client IP, across tenants).

use serde::{Deserialize, Serialize};

use super::counter::{seconds_until, WindowCounter};
use crate::limits::{
    ADDRESS_FAILURE_BUDGET, ADDRESS_FAILURE_WINDOW_MS, ADDRESS_RESEND_INTERVAL_MS,
    ADDRESS_SENDS_PER_DAY, MAX_WRONG_TRIES_PER_CODE,
};
use crate::time::{UnixMillis, DAY, HOUR};

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
}

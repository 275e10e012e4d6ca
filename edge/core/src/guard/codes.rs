//! Email codes in the guard. An address may hold up to three live codes; each succeeds once,
//! within five tries, before it expires. Sends are limited per (address, client network) — so a
//! stranger elsewhere cannot use up a guest's sends — per address overall, per tenant (counting
//! only addresses that may sign in) and per client network across tenants. One hundred wrong
//! codes in a row lock the address for a day.

use serde::{Deserialize, Serialize};

use super::counter::{seconds_until, WindowCounter};
use crate::limits::{
    ADDRESS_FAILURE_CEILING, ADDRESS_LOCK_MS, ADDRESS_RESEND_INTERVAL_MS, ADDRESS_SENDS_PER_DAY,
    ADDRESS_SENDS_PER_NETWORK_PER_DAY, LIVE_CODES_PER_ADDRESS, MAX_WRONG_TRIES_PER_CODE,
};
use crate::time::{UnixMillis, DAY, HOUR};

/// A code sent to an address: it succeeds once, within its tries, until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveCode {
    pub nonce: String,
    /// The client network that asked for it: a newer code from there replaces it.
    pub network: String,
    pub expires_at: UnixMillis,
    pub wrong_tries: u32,
    pub consumed: bool,
}

/// Sends to one address from one client network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSends {
    pub network: String,
    pub last_send_at: UnixMillis,
    pub daily: WindowCounter,
}

/// Everything the guard knows about one address in one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AddressRecord {
    /// Sends to this address today, from anywhere.
    pub daily_sends: WindowCounter,
    /// Sends per client network (those whose day is over are dropped).
    pub networks: Vec<NetworkSends>,
    /// Codes that may still succeed or be told apart from a stranger's, oldest first.
    pub codes: Vec<LiveCode>,
    /// Wrong codes in a row, from anywhere; the right code resets it.
    pub consecutive_failures: u32,
    /// Set when `consecutive_failures` reached the ceiling: nothing verifies until then.
    pub locked_until: Option<UnixMillis>,
}

impl AddressRecord {
    /// When nothing in the record matters any more: no live code, no send window, no lock.
    pub fn forgettable_at(&self) -> UnixMillis {
        let codes = self.codes.iter().map(|c| c.expires_at);
        let networks = self
            .networks
            .iter()
            .map(|n| (n.daily.window_start + DAY).max(n.last_send_at + ADDRESS_RESEND_INTERVAL_MS));
        codes
            .chain(networks)
            .chain(std::iter::once(self.daily_sends.window_start + DAY))
            .chain(self.locked_until)
            .max()
            .unwrap_or(0)
    }
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

/// One send, as the guard sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendFacts {
    pub nonce: String,
    pub network: String,
    pub expires_at: UnixMillis,
    /// Whether the address may sign in: only those count toward the tenant's hourly cap, so
    /// sends to made-up addresses cannot shut email sign-in for the whole tenant.
    pub counts_for_tenant: bool,
    pub per_tenant_per_hour: u32,
}

fn throttled(retry_after_seconds: u64, scope: ThrottleScope) -> SendOutcome {
    SendOutcome::Throttled {
        retry_after_seconds,
        scope,
    }
}

/// Records a send to an address, if every limit has room. Checks first and changes nothing on
/// refusal, so a throttled request leaves every counter as it was.
pub fn record_send(
    address: AddressRecord,
    tenant_sends: WindowCounter,
    send: &SendFacts,
    now: UnixMillis,
) -> (AddressRecord, WindowCounter, SendOutcome) {
    let mut next = address.clone();
    // What no longer matters: a network whose day is over, a code that expired or was used.
    next.networks.retain(|n| {
        now < n.daily.window_start + DAY || now < n.last_send_at + ADDRESS_RESEND_INTERVAL_MS
    });
    next.codes.retain(|c| now < c.expires_at && !c.consumed);
    let from_here = next.networks.iter().position(|n| n.network == send.network);
    let refusal = from_here
        .map(|i| &next.networks[i])
        .and_then(|n| {
            let gap = (now >= n.last_send_at && now < n.last_send_at + ADDRESS_RESEND_INTERVAL_MS)
                .then(|| seconds_until(now, n.last_send_at + ADDRESS_RESEND_INTERVAL_MS));
            gap.or_else(|| {
                n.daily
                    .retry_after(now, DAY, ADDRESS_SENDS_PER_NETWORK_PER_DAY)
            })
        })
        .or_else(|| {
            next.daily_sends
                .retry_after(now, DAY, ADDRESS_SENDS_PER_DAY)
        })
        .map(|s| throttled(s, ThrottleScope::Address))
        .or_else(|| {
            send.counts_for_tenant
                .then(|| tenant_sends.retry_after(now, HOUR, send.per_tenant_per_hour))
                .flatten()
                .map(|s| throttled(s, ThrottleScope::Tenant))
        });
    if let Some(outcome) = refusal {
        return (address, tenant_sends, outcome);
    }
    match from_here {
        Some(i) => {
            let n = &mut next.networks[i];
            n.last_send_at = now;
            n.daily = n.daily.hit(now, DAY);
        }
        None => next.networks.push(NetworkSends {
            network: send.network.clone(),
            last_send_at: now,
            daily: WindowCounter::default().hit(now, DAY),
        }),
    }
    next.daily_sends = next.daily_sends.hit(now, DAY);
    // A newer code from the same network replaces the older; other networks' codes stay, up to
    // the live-code limit (the oldest goes first).
    next.codes.retain(|c| c.network != send.network);
    while next.codes.len() >= LIVE_CODES_PER_ADDRESS {
        next.codes.remove(0);
    }
    next.codes.push(LiveCode {
        nonce: send.nonce.clone(),
        network: send.network.clone(),
        expires_at: send.expires_at,
        wrong_tries: 0,
        consumed: false,
    });
    let tenant_sends = if send.counts_for_tenant {
        tenant_sends.hit(now, HOUR)
    } else {
        tenant_sends
    };
    (next, tenant_sends, SendOutcome::Accepted)
}

/// Counts a send from a client network, across tenants.
pub fn record_network_send(
    counter: WindowCounter,
    per_network_per_hour: u32,
    now: UnixMillis,
) -> (WindowCounter, SendOutcome) {
    match counter.retry_after(now, HOUR, per_network_per_hour) {
        Some(retry_after_seconds) => (
            counter,
            throttled(retry_after_seconds, ThrottleScope::ClientIp),
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
    /// address reached the ceiling of wrong codes in a row (`Some`: wait that long).
    TooManyAttempts {
        retry_after_seconds: Option<u64>,
    },
    AlreadyUsed,
    /// Not one of the address's live codes: replaced by a newer one, or unknown here.
    Superseded,
    Expired,
    /// The client network made too many attempts this hour.
    Throttled {
        retry_after_seconds: u64,
    },
}

/// Applies one verification attempt. The caller has already checked the challenge's MAC and
/// computed `correct` in constant time; here the attempt is counted and "once" is enforced.
pub fn record_attempt(
    address: AddressRecord,
    nonce: &str,
    correct: bool,
    now: UnixMillis,
) -> (AddressRecord, VerifyOutcome) {
    if let Some(until) = address.locked_until.filter(|until| now < *until) {
        let outcome = VerifyOutcome::TooManyAttempts {
            retry_after_seconds: Some(seconds_until(now, until)),
        };
        return (address, outcome);
    }
    let Some(index) = address.codes.iter().position(|c| c.nonce == nonce) else {
        return (address, VerifyOutcome::Superseded);
    };
    let code = &address.codes[index];
    if code.consumed {
        return (address, VerifyOutcome::AlreadyUsed);
    }
    if now >= code.expires_at {
        return (address, VerifyOutcome::Expired);
    }
    if code.wrong_tries >= MAX_WRONG_TRIES_PER_CODE {
        let outcome = VerifyOutcome::TooManyAttempts {
            retry_after_seconds: None,
        };
        return (address, outcome);
    }
    let mut next = address;
    next.locked_until = None;
    if correct {
        next.codes[index].consumed = true;
        next.consecutive_failures = 0;
        return (next, VerifyOutcome::Success);
    }
    next.codes[index].wrong_tries += 1;
    next.consecutive_failures += 1;
    let wrong_tries = next.codes[index].wrong_tries;
    let outcome = if next.consecutive_failures >= ADDRESS_FAILURE_CEILING {
        next.consecutive_failures = 0;
        next.locked_until = Some(now + ADDRESS_LOCK_MS);
        VerifyOutcome::TooManyAttempts {
            retry_after_seconds: Some(seconds_until(now, now + ADDRESS_LOCK_MS)),
        }
    } else if wrong_tries >= MAX_WRONG_TRIES_PER_CODE {
        VerifyOutcome::TooManyAttempts {
            retry_after_seconds: None,
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
    const VICTIM: &str = "198.51.100.7";
    const ATTACKER: &str = "203.0.113.66";

    fn facts(nonce: &str, network: &str, at: UnixMillis) -> SendFacts {
        SendFacts {
            nonce: nonce.into(),
            network: network.into(),
            expires_at: at + 30 * MINUTE,
            counts_for_tenant: true,
            per_tenant_per_hour: 1000,
        }
    }

    fn send(
        record: AddressRecord,
        nonce: &str,
        network: &str,
        at: UnixMillis,
    ) -> (AddressRecord, SendOutcome) {
        let (record, _, outcome) = record_send(
            record,
            WindowCounter::default(),
            &facts(nonce, network, at),
            at,
        );
        (record, outcome)
    }

    fn sent(nonce: &str, network: &str, at: UnixMillis) -> AddressRecord {
        let (record, outcome) = send(AddressRecord::default(), nonce, network, at);
        assert_eq!(outcome, SendOutcome::Accepted);
        record
    }

    fn verify(
        record: AddressRecord,
        nonce: &str,
        correct: bool,
        at: UnixMillis,
    ) -> (AddressRecord, VerifyOutcome) {
        record_attempt(record, nonce, correct, at)
    }

    #[test]
    fn the_right_code_succeeds_exactly_once() {
        let (record, first) = verify(sent("n1", VICTIM, T0), "n1", true, T0 + 1_000);
        assert_eq!(first, VerifyOutcome::Success);
        assert_eq!(
            verify(record, "n1", true, T0 + 2_000).1,
            VerifyOutcome::AlreadyUsed
        );
    }

    #[test]
    fn five_wrong_tries_exhaust_a_code_even_for_the_right_code_after() {
        let mut record = sent("n1", VICTIM, T0);
        for remaining in (1..MAX_WRONG_TRIES_PER_CODE).rev() {
            let (next, outcome) = verify(record, "n1", false, T0 + 1_000);
            assert_eq!(
                outcome,
                VerifyOutcome::WrongCode {
                    attempts_remaining: remaining
                }
            );
            record = next;
        }
        let exhausted = VerifyOutcome::TooManyAttempts {
            retry_after_seconds: None,
        };
        let (record, fifth) = verify(record, "n1", false, T0 + 1_000);
        assert_eq!(fifth, exhausted);
        assert_eq!(verify(record, "n1", true, T0 + 2_000).1, exhausted);
    }

    #[test]
    fn a_newer_code_from_the_same_network_replaces_the_older() {
        let (record, _) = send(sent("n1", VICTIM, T0), "n2", VICTIM, T0 + MINUTE);
        let (record, old) = verify(record, "n1", true, T0 + MINUTE + 1);
        assert_eq!(old, VerifyOutcome::Superseded);
        assert_eq!(
            verify(record, "n2", true, T0 + MINUTE + 2).1,
            VerifyOutcome::Success
        );
    }

    #[test]
    fn a_strangers_send_from_another_network_leaves_the_guests_code_working() {
        let victim = sent("mine", VICTIM, T0);
        let (record, outcome) = send(victim, "theirs", ATTACKER, T0 + 1_000);
        assert_eq!(
            outcome,
            SendOutcome::Accepted,
            "no per-address minute shared across networks"
        );
        // The stranger burns every try of their own code…
        let mut record = record;
        for _ in 0..MAX_WRONG_TRIES_PER_CODE {
            record = verify(record, "theirs", false, T0 + 2_000).0;
        }
        // …and the guest's code still works.
        assert_eq!(
            verify(record, "mine", true, T0 + 3_000).1,
            VerifyOutcome::Success
        );
    }

    #[test]
    fn at_most_three_codes_live_at_once_the_oldest_going_first() {
        let mut record = sent("a", "192.0.2.1", T0);
        for (nonce, network) in [("b", "192.0.2.2"), ("c", "192.0.2.3"), ("d", "192.0.2.4")] {
            record = send(record, nonce, network, T0 + 1_000).0;
        }
        let live: Vec<_> = record.codes.iter().map(|c| c.nonce.as_str()).collect();
        assert_eq!(live, ["b", "c", "d"]);
        assert_eq!(
            verify(record, "a", true, T0 + 2_000).1,
            VerifyOutcome::Superseded
        );
    }

    #[test]
    fn the_guard_refuses_codes_at_and_after_expiry() {
        let record = sent("n1", VICTIM, T0);
        let expiry = T0 + 30 * MINUTE;
        assert_eq!(
            verify(record.clone(), "n1", true, expiry - 1).1,
            VerifyOutcome::Success
        );
        assert_eq!(verify(record, "n1", true, expiry).1, VerifyOutcome::Expired);
    }

    #[test]
    fn one_send_a_minute_and_ten_a_day_per_address_and_network() {
        let record = sent("n0", VICTIM, T0);
        let (record, second) = send(record, "n1", VICTIM, T0 + 30_000);
        assert_eq!(second, throttled(30, ThrottleScope::Address));
        let mut record = record;
        for i in 1..ADDRESS_SENDS_PER_NETWORK_PER_DAY as i64 {
            let (next, outcome) = send(record, "n", VICTIM, T0 + i * MINUTE);
            assert_eq!(outcome, SendOutcome::Accepted, "send {i}");
            record = next;
        }
        let (record, eleventh) = send(record, "n", VICTIM, T0 + 20 * MINUTE);
        assert!(matches!(
            eleventh,
            SendOutcome::Throttled {
                scope: ThrottleScope::Address,
                ..
            }
        ));
        // The day's limit is this network's: the guest on another network still gets codes.
        assert_eq!(
            send(record, "n", "192.0.2.99", T0 + 20 * MINUTE).1,
            SendOutcome::Accepted
        );
    }

    #[test]
    fn fifty_sends_a_day_per_address_from_anywhere() {
        let mut record = AddressRecord::default();
        for i in 0..ADDRESS_SENDS_PER_DAY {
            let network = format!("192.0.2.{}", i / 10);
            let (next, outcome) = send(record, "n", &network, T0 + i as i64 * MINUTE);
            assert_eq!(outcome, SendOutcome::Accepted, "send {i}");
            record = next;
        }
        let (_, over) = send(record, "n", "192.0.2.200", T0 + 60 * MINUTE);
        assert!(matches!(
            over,
            SendOutcome::Throttled {
                scope: ThrottleScope::Address,
                ..
            }
        ));
    }

    #[test]
    fn a_hundred_wrong_codes_in_a_row_lock_the_address_for_a_day_and_a_right_one_resets_the_count()
    {
        let mut record = AddressRecord::default();
        let mut at = T0;
        let mut last = VerifyOutcome::Success;
        for i in 0..ADDRESS_FAILURE_CEILING {
            if i % MAX_WRONG_TRIES_PER_CODE == 0 {
                let network = format!("192.0.2.{}", i / 50);
                record = send(record, &format!("n{i}"), &network, at).0;
            }
            let nonce = format!("n{}", i - i % MAX_WRONG_TRIES_PER_CODE);
            (record, last) = verify(record, &nonce, false, at);
            at += MINUTE;
        }
        assert_eq!(
            last,
            VerifyOutcome::TooManyAttempts {
                retry_after_seconds: Some(24 * 3600)
            }
        );
        let fresh = send(record.clone(), "fresh", VICTIM, at).0;
        assert!(matches!(
            verify(fresh, "fresh", true, at).1,
            VerifyOutcome::TooManyAttempts {
                retry_after_seconds: Some(_)
            }
        ));
        let later = at + ADDRESS_LOCK_MS;
        let record = send(record, "later", VICTIM, later).0;
        assert_eq!(
            verify(record, "later", true, later).1,
            VerifyOutcome::Success
        );

        // Ninety-nine wrong, one right: the count starts again.
        let mut record = sent("r", VICTIM, T0);
        record.consecutive_failures = ADDRESS_FAILURE_CEILING - 1;
        let (record, ok) = verify(record, "r", true, T0 + 1);
        assert_eq!(
            (ok, record.consecutive_failures),
            (VerifyOutcome::Success, 0)
        );
    }

    #[test]
    fn a_refused_send_changes_nothing() {
        let record = sent("n1", VICTIM, T0);
        let tenant = WindowCounter::default().hit(T0, HOUR);
        let (after, counter, outcome) =
            record_send(record.clone(), tenant, &facts("n2", VICTIM, T0 + 1), T0 + 1);
        assert!(matches!(outcome, SendOutcome::Throttled { .. }));
        assert_eq!((after, counter), (record, tenant));
    }

    #[test]
    fn only_addresses_that_may_sign_in_count_toward_the_tenant_cap() {
        let full = WindowCounter {
            window_start: T0,
            count: 5,
        };
        let mut stranger = facts("n", VICTIM, T0);
        stranger.counts_for_tenant = false;
        stranger.per_tenant_per_hour = 5;
        let (_, counter, outcome) = record_send(AddressRecord::default(), full, &stranger, T0);
        assert_eq!((outcome, counter), (SendOutcome::Accepted, full));
        let mut guest = stranger.clone();
        guest.counts_for_tenant = true;
        let (_, _, outcome) = record_send(AddressRecord::default(), full, &guest, T0);
        assert!(matches!(
            outcome,
            SendOutcome::Throttled {
                scope: ThrottleScope::Tenant,
                ..
            }
        ));
    }

    #[test]
    fn the_network_counter_limits_sends_per_hour() {
        let mut counter = WindowCounter::default();
        for _ in 0..3 {
            let (next, outcome) = record_network_send(counter, 3, T0);
            assert_eq!(outcome, SendOutcome::Accepted);
            counter = next;
        }
        assert!(matches!(
            record_network_send(counter, 3, T0).1,
            SendOutcome::Throttled {
                scope: ThrottleScope::ClientIp,
                ..
            }
        ));
        assert_eq!(
            record_network_send(counter, 3, T0 + HOUR).1,
            SendOutcome::Accepted
        );
    }

    #[test]
    fn a_record_is_forgettable_once_its_codes_windows_and_lock_have_passed() {
        let record = sent("n1", VICTIM, T0);
        assert_eq!(record.forgettable_at(), T0 + DAY);
        let mut locked = record;
        locked.locked_until = Some(T0 + 2 * DAY);
        assert_eq!(locked.forgettable_at(), T0 + 2 * DAY);
    }
}

//! The guard's protocol: the commands an instance takes, its replies, and [`apply`], the whole of
//! what an instance does with one command — load its records, let the rules decide, store what
//! changed. The Durable Object and the in-memory guard both run exactly this.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::codes::{
    record_attempt, record_network_send, record_send, AddressRecord, SendFacts, SendOutcome,
    VerifyOutcome,
};
use super::counter::WindowCounter;
use super::grants::{redeem, rotate, CodeRecord, GrantRecord, Redemption, Rotation};
use super::passes::{record_pass_attempt, PassFacts, PassGuardRecord, PassOutcome};
use crate::error::DomainError;
use crate::limits::{ATTEMPTS_PER_NETWORK_PER_HOUR, GUARD_SWEEP_INTERVAL_MS};
use crate::oidc::stored_keys::{StoredKey, StoredKeys};
use crate::storage_keys::{
    guard_address, guard_challenge, guard_failures, guard_network, guard_network_sends, guard_pass,
    GUARD_ADDRESS_PREFIX as ADDRESS_PREFIX, GUARD_CHALLENGE_PREFIX as CHALLENGE_PREFIX, GUARD_CODE,
    GUARD_GRANT, GUARD_NETWORK_SENDS, GUARD_PASS_PREFIX as PASS_PREFIX, GUARD_SIGNING_KEYS,
    GUARD_TENANT_SENDS,
};
use crate::time::{UnixMillis, HOUR, MINUTE};

/// What the adapter asks a guard instance to do (the Durable Object's request body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GuardCommand {
    /// A code sent to an address (tenant instance).
    Send {
        address_key: String,
        facts: SendFacts,
        now: UnixMillis,
    },
    /// A send from a client network, across tenants (an instance of the data centre's pool,
    /// `guard::network_instance`). A command from before the pool names no network: its
    /// instance was the network's own.
    NetworkSend {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        network: Option<String>,
        per_network_per_hour: u32,
        now: UnixMillis,
    },
    /// A code typed for an address, from a client network (tenant instance).
    Verify {
        address_key: String,
        nonce: String,
        correct: bool,
        network: String,
        #[serde(default = "all_network_attempts")]
        network_attempts: u32,
        now: UnixMillis,
    },
    /// A pass typed for a username (tenant instance).
    Pass {
        user_key: String,
        facts: PassFacts,
        #[serde(default = "all_network_attempts")]
        network_attempts: u32,
        now: UnixMillis,
    },
    /// Whether a username's pass sign-in is locked until a new pass (tenant instance; reads
    /// only).
    PassLock {
        user_key: String,
        current_pass: Option<String>,
    },
    /// A WebAuthn response answers the challenge with this nonce (tenant instance): the first
    /// answer uses it up, until it expires anyway.
    Challenge {
        nonce: String,
        expires_at: UnixMillis,
        now: UnixMillis,
    },
    /// An attempt that failed before reaching the guard (a forged challenge, say): counted like
    /// any attempt from the network, and tallied for the log (tenant instance).
    Failure {
        network: String,
        #[serde(default = "all_network_attempts")]
        network_attempts: u32,
        now: UnixMillis,
    },
    /// An OpenID Connect authorization code issued (its grant's instance).
    IssueCode { code: CodeRecord, now: UnixMillis },
    /// The code exchanged for tokens (its grant's instance): see `grants::redeem`.
    RedeemCode {
        redemption: Redemption,
        now: UnixMillis,
    },
    /// The grant's refresh token used (its grant's instance): see `grants::rotate`.
    Refresh { rotation: Rotation, now: UnixMillis },
    /// Whether the grant's tokens still stand (its grant's instance; reads only).
    GrantStatus { now: UnixMillis },
    /// The grant ends: its tokens stand no more (its grant's instance).
    RevokeGrant { now: UnixMillis },
    /// The tenant's RS256 signing keys (tenant instance), `candidate` offered to join them (see
    /// `StoredKeys::settle`); without one, a read.
    SigningKeys {
        candidate: Option<StoredKey>,
        now: UnixMillis,
    },
}

/// `network_attempts`: how many attempts a client network may make in this instance within an
/// hour — the tenant's [`ATTEMPTS_PER_NETWORK_PER_HOUR`], or its shard's share of them
/// (`guard::shards`). A command from before shards carries none: the whole limit.
fn all_network_attempts() -> u32 {
    ATTEMPTS_PER_NETWORK_PER_HOUR
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GuardReply {
    Send {
        outcome: SendOutcome,
    },
    /// `tally` on a failure: the network's failures in this minute, this one included.
    Verify {
        outcome: VerifyOutcome,
        tally: Option<FailureTally>,
    },
    Pass {
        outcome: PassOutcome,
        tally: Option<FailureTally>,
    },
    Failure {
        throttled: Option<u64>,
        tally: FailureTally,
    },
    PassLock {
        locked_until_new_pass: bool,
    },
    /// `first`: no earlier response used this challenge.
    Challenge {
        first: bool,
    },
    /// To `IssueCode` and `RevokeGrant`.
    Done,
    /// To `RedeemCode` and `Refresh`: what the code authorized, or nothing (`invalid_grant`).
    Grant {
        payload: Option<String>,
    },
    GrantStatus {
        active: bool,
    },
    /// To `SigningKeys`: the set as it stands after the offer.
    SigningKeys {
        keys: StoredKeys,
    },
}

/// A client network's failed attempts in the tenant within one minute: the sign-in log gives
/// the first few their own lines and folds the rest into one line per network and minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureTally {
    pub count: u32,
    /// When this minute's counting began: names the folded line.
    pub since: UnixMillis,
}

/// One guard instance's own storage (Durable Object storage, or a map in tests).
///
/// Contract: strongly consistent and private to the instance; a read sees every earlier write.
/// The instance runs one command at a time, so [`apply`]'s load → decide → store is atomic. An
/// alarm, once scheduled, runs [`sweep`] at or after its time (and, like a command, alone).
#[allow(async_fn_in_trait)]
pub trait GuardStorage {
    async fn load<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, DomainError>;
    async fn store<T: Serialize>(&self, key: &str, value: &T) -> Result<(), DomainError>;
    async fn delete(&self, key: &str) -> Result<(), DomainError>;
    /// Every key that starts with `prefix`.
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, DomainError>;
    /// Makes sure a sweep runs at `at` or sooner (an earlier alarm already set stays).
    async fn schedule_sweep(&self, at: UnixMillis) -> Result<(), DomainError>;
}

/// Loads a record, or its default when the instance has none yet.
async fn load_or_default<S: GuardStorage, T: DeserializeOwned + Default>(
    storage: &S,
    key: &str,
) -> Result<T, DomainError> {
    Ok(storage.load(key).await?.unwrap_or_default())
}

/// Stores `after` only when it differs from `before`: a refusal changes nothing and writes
/// nothing. Whatever is written is swept once it no longer matters, so a sweep is scheduled.
async fn store_changed<S: GuardStorage, T: Serialize + PartialEq>(
    storage: &S,
    key: &str,
    before: &T,
    after: &T,
    now: UnixMillis,
) -> Result<(), DomainError> {
    if before != after {
        storage.store(key, after).await?;
        storage
            .schedule_sweep(now + GUARD_SWEEP_INTERVAL_MS)
            .await?;
    }
    Ok(())
}

/// Deletes every record that no longer changes an answer: codes expired and windows passed,
/// locks over, counters whose hour is gone. Returns whether any record is left (then the caller
/// schedules the next sweep). Nothing in guard storage outlives its purpose.
pub async fn sweep<S: GuardStorage>(storage: &S, now: UnixMillis) -> Result<bool, DomainError> {
    let mut left = false;
    for key in storage.keys("").await? {
        if key == GUARD_SIGNING_KEYS {
            // The tenant's keys last as long as it does; they need no sweep.
            continue;
        }
        let forget = if key.starts_with(ADDRESS_PREFIX) {
            let record: Option<AddressRecord> = storage.load(&key).await?;
            record.is_none_or(|r| now >= r.forgettable_at())
        } else if key.starts_with(CHALLENGE_PREFIX) {
            let expires_at: Option<UnixMillis> = storage.load(&key).await?;
            expires_at.is_none_or(|at| now >= at)
        } else if key == GUARD_CODE {
            let record: Option<CodeRecord> = storage.load(&key).await?;
            record.is_none_or(|r| now >= r.forget_at)
        } else if key == GUARD_GRANT {
            let record: Option<GrantRecord> = storage.load(&key).await?;
            record.is_none_or(|r| now >= r.expires_at)
        } else if key.starts_with(PASS_PREFIX) {
            let record: Option<PassGuardRecord> = storage.load(&key).await?;
            record.is_none_or(|r| r.is_idle(now))
        } else {
            // The hourly counters: sends per tenant or network, attempts per network.
            let counter: Option<WindowCounter> = storage.load(&key).await?;
            counter.is_none_or(|c| now >= c.window_start + HOUR)
        };
        if forget {
            storage.delete(&key).await?;
        } else {
            left = true;
        }
    }
    Ok(left)
}

/// Counts an attempt from a client network in this instance: the retry delay when the network
/// has used its `limit` for the hour, else nothing (and the attempt is counted).
async fn network_attempt<S: GuardStorage>(
    storage: &S,
    network: &str,
    limit: u32,
    now: UnixMillis,
) -> Result<Option<u64>, DomainError> {
    let key = guard_network(network);
    let counter: WindowCounter = load_or_default(storage, &key).await?;
    if let Some(retry) = counter.retry_after(now, HOUR, limit) {
        return Ok(Some(retry));
    }
    store_changed(storage, &key, &counter, &counter.hit(now, HOUR), now).await?;
    Ok(None)
}

/// Counts a failed attempt from `network` in this minute.
async fn tally_failure<S: GuardStorage>(
    storage: &S,
    network: &str,
    now: UnixMillis,
) -> Result<FailureTally, DomainError> {
    let key = guard_failures(network);
    let counter: WindowCounter = load_or_default(storage, &key).await?;
    let next = counter.hit(now, MINUTE);
    store_changed(storage, &key, &counter, &next, now).await?;
    Ok(FailureTally {
        count: next.count,
        since: next.window_start,
    })
}

/// Stores a grant instance's code and grant where they changed (`(before, after)` each).
async fn store_grant_records<S: GuardStorage>(
    storage: &S,
    code: (&Option<CodeRecord>, &Option<CodeRecord>),
    grant: (&Option<GrantRecord>, &Option<GrantRecord>),
    now: UnixMillis,
) -> Result<(), DomainError> {
    if let (before, Some(after)) = code {
        store_changed(storage, GUARD_CODE, before, &Some(after.clone()), now).await?;
    }
    if let (before, Some(after)) = grant {
        store_changed(storage, GUARD_GRANT, before, &Some(after.clone()), now).await?;
    }
    Ok(())
}

/// Runs one command against an instance's storage.
pub async fn apply<S: GuardStorage>(
    storage: &S,
    command: GuardCommand,
) -> Result<GuardReply, DomainError> {
    Ok(match command {
        GuardCommand::Send {
            address_key,
            facts,
            now,
        } => {
            let key = guard_address(&address_key);
            let address: AddressRecord = load_or_default(storage, &key).await?;
            let tenant: WindowCounter = load_or_default(storage, GUARD_TENANT_SENDS).await?;
            let (new_address, new_tenant, outcome) =
                record_send(address.clone(), tenant, &facts, now);
            store_changed(storage, &key, &address, &new_address, now).await?;
            store_changed(storage, GUARD_TENANT_SENDS, &tenant, &new_tenant, now).await?;
            GuardReply::Send { outcome }
        }
        GuardCommand::NetworkSend {
            network,
            per_network_per_hour,
            now,
        } => {
            let key = network
                .as_deref()
                .map_or_else(|| GUARD_NETWORK_SENDS.to_string(), guard_network_sends);
            let counter: WindowCounter = load_or_default(storage, &key).await?;
            let (new_counter, outcome) = record_network_send(counter, per_network_per_hour, now);
            store_changed(storage, &key, &counter, &new_counter, now).await?;
            GuardReply::Send { outcome }
        }
        GuardCommand::Verify {
            address_key,
            nonce,
            correct,
            network,
            network_attempts,
            now,
        } => {
            let outcome = match network_attempt(storage, &network, network_attempts, now).await? {
                Some(retry_after_seconds) => VerifyOutcome::Throttled {
                    retry_after_seconds,
                },
                None => {
                    let key = guard_address(&address_key);
                    let address: AddressRecord = load_or_default(storage, &key).await?;
                    let (new_address, outcome) =
                        record_attempt(address.clone(), &nonce, correct, now);
                    store_changed(storage, &key, &address, &new_address, now).await?;
                    outcome
                }
            };
            let tally = match outcome {
                VerifyOutcome::Success => None,
                _ => Some(tally_failure(storage, &network, now).await?),
            };
            GuardReply::Verify { outcome, tally }
        }
        GuardCommand::Pass {
            user_key,
            facts,
            network_attempts,
            now,
        } => {
            let outcome = match network_attempt(storage, &facts.network, network_attempts, now)
                .await?
            {
                Some(retry_after_seconds) => PassOutcome::Throttled {
                    retry_after_seconds,
                },
                None => {
                    let key = guard_pass(&user_key);
                    let record: PassGuardRecord = load_or_default(storage, &key).await?;
                    let (new_record, outcome) = record_pass_attempt(record.clone(), &facts, now);
                    store_changed(storage, &key, &record, &new_record, now).await?;
                    outcome
                }
            };
            let tally = match outcome {
                PassOutcome::Accepted => None,
                _ => Some(tally_failure(storage, &facts.network, now).await?),
            };
            GuardReply::Pass { outcome, tally }
        }
        GuardCommand::PassLock {
            user_key,
            current_pass,
        } => {
            let record: PassGuardRecord = load_or_default(storage, &guard_pass(&user_key)).await?;
            GuardReply::PassLock {
                locked_until_new_pass: record.locked_pass == Some(current_pass),
            }
        }
        GuardCommand::Challenge {
            nonce,
            expires_at,
            now,
        } => {
            let key = guard_challenge(&nonce);
            let used: Option<UnixMillis> = storage.load(&key).await?;
            // An expired challenge is refused before it gets here; remembering it past its expiry
            // would protect nothing.
            let first = used.is_none_or(|at| now >= at);
            if first {
                storage.store(&key, &expires_at).await?;
                storage.schedule_sweep(expires_at).await?;
            }
            GuardReply::Challenge { first }
        }
        GuardCommand::Failure {
            network,
            network_attempts,
            now,
        } => {
            let throttled = network_attempt(storage, &network, network_attempts, now).await?;
            let tally = tally_failure(storage, &network, now).await?;
            GuardReply::Failure { throttled, tally }
        }
        GuardCommand::IssueCode { code, now } => {
            // A grant's instance is new with its code: there is nothing to compare against.
            storage.store(GUARD_CODE, &code).await?;
            storage.schedule_sweep(code.forget_at.max(now)).await?;
            GuardReply::Done
        }
        GuardCommand::RedeemCode { redemption, now } => {
            let code: Option<CodeRecord> = storage.load(GUARD_CODE).await?;
            let grant: Option<GrantRecord> = storage.load(GUARD_GRANT).await?;
            let (new_code, new_grant, payload) =
                redeem(code.clone(), grant.clone(), &redemption, now);
            store_grant_records(storage, (&code, &new_code), (&grant, &new_grant), now).await?;
            GuardReply::Grant { payload }
        }
        GuardCommand::Refresh { rotation, now } => {
            let grant: Option<GrantRecord> = storage.load(GUARD_GRANT).await?;
            let (new_grant, payload) = rotate(grant.clone(), &rotation, now);
            store_grant_records(storage, (&None, &None), (&grant, &new_grant), now).await?;
            GuardReply::Grant { payload }
        }
        GuardCommand::GrantStatus { now } => {
            let grant: Option<GrantRecord> = storage.load(GUARD_GRANT).await?;
            GuardReply::GrantStatus {
                active: grant.is_some_and(|g| g.is_active(now)),
            }
        }
        GuardCommand::RevokeGrant { now } => {
            let grant: Option<GrantRecord> = storage.load(GUARD_GRANT).await?;
            let revoked = grant.clone().map(|g| GrantRecord { revoked: true, ..g });
            store_grant_records(storage, (&None, &None), (&grant, &revoked), now).await?;
            GuardReply::Done
        }
        GuardCommand::SigningKeys { candidate, now } => {
            let keys: StoredKeys = load_or_default(storage, GUARD_SIGNING_KEYS).await?;
            let keys = match candidate {
                Some(candidate) => {
                    let settled = keys.clone().settle(candidate, now);
                    if settled != keys {
                        storage.store(GUARD_SIGNING_KEYS, &settled).await?;
                    }
                    settled
                }
                None => keys,
            };
            GuardReply::SigningKeys { keys }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_round_trip_as_json() {
        let cmd = GuardCommand::Verify {
            address_key: "a".into(),
            nonce: "n".into(),
            correct: true,
            network: "192.0.2.1".into(),
            network_attempts: 15,
            now: 1_795_348_800_000,
        };
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<GuardCommand>(&json).unwrap(), cmd);
    }

    #[test]
    fn a_command_from_before_shards_allows_the_whole_hourly_limit() {
        let json = r#"{"failure":{"network":"192.0.2.1","now":1}}"#;
        let GuardCommand::Failure {
            network_attempts, ..
        } = serde_json::from_str(json).unwrap()
        else {
            panic!("not a failure");
        };
        assert_eq!(network_attempts, ATTEMPTS_PER_NETWORK_PER_HOUR);
    }

    #[test]
    fn a_network_send_from_before_the_pool_counts_in_the_networks_own_instance_record() {
        use crate::memory::{run, MemoryGuard};
        use crate::ports::Guard;
        let guard = MemoryGuard::default();
        let old = r#"{"networkSend":{"per_network_per_hour":1,"now":1}}"#;
        run(guard.call("ip:192.0.2.1", serde_json::from_str(old).unwrap())).unwrap();
        let pooled = GuardCommand::NetworkSend {
            network: Some("192.0.2.1".into()),
            per_network_per_hour: 1,
            now: 1,
        };
        assert!(serde_json::to_string(&pooled)
            .unwrap()
            .contains(r#""network":"192.0.2.1""#));
        run(guard.call("ip:192.0.2.1", pooled)).unwrap();
        assert_eq!(
            guard.record_keys("ip:192.0.2.1"),
            ["sends:ip", "sends:ip:192.0.2.1"]
        );
    }
}

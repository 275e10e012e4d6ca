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
use super::passes::{record_pass_attempt, PassFacts, PassGuardRecord, PassOutcome};
use crate::error::DomainError;
use crate::limits::ATTEMPTS_PER_NETWORK_PER_HOUR;
use crate::storage_keys::{
    guard_address, guard_network, guard_pass, GUARD_NETWORK_SENDS, GUARD_TENANT_SENDS,
};
use crate::time::{UnixMillis, HOUR};

/// What the adapter asks a guard instance to do (the Durable Object's request body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum GuardCommand {
    /// A code sent to an address (tenant instance).
    Send {
        address_key: String,
        facts: SendFacts,
        now: UnixMillis,
    },
    /// A send from a client network, across tenants (network instance).
    NetworkSend {
        per_network_per_hour: u32,
        now: UnixMillis,
    },
    /// A code typed for an address, from a client network (tenant instance).
    Verify {
        address_key: String,
        nonce: String,
        correct: bool,
        network: String,
        now: UnixMillis,
    },
    /// A pass typed for a username (tenant instance).
    Pass {
        user_key: String,
        facts: PassFacts,
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

/// One guard instance's own storage (Durable Object storage, or a map in tests).
///
/// Contract: strongly consistent and private to the instance; a read sees every earlier write.
/// The instance runs one command at a time, so [`apply`]'s load → decide → store is atomic.
#[allow(async_fn_in_trait)]
pub trait GuardStorage {
    async fn load<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, DomainError>;
    async fn store<T: Serialize>(&self, key: &str, value: &T) -> Result<(), DomainError>;
}

/// Loads a record, or its default when the instance has none yet.
async fn load_or_default<S: GuardStorage, T: DeserializeOwned + Default>(
    storage: &S,
    key: &str,
) -> Result<T, DomainError> {
    Ok(storage.load(key).await?.unwrap_or_default())
}

/// Stores `after` only when it differs from `before`: a refusal changes nothing and writes nothing.
async fn store_changed<S: GuardStorage, T: Serialize + PartialEq>(
    storage: &S,
    key: &str,
    before: &T,
    after: &T,
) -> Result<(), DomainError> {
    if before != after {
        storage.store(key, after).await?;
    }
    Ok(())
}

/// Counts an attempt from a client network in this tenant: the retry delay when the network
/// has used its hour, else nothing (and the attempt is counted).
async fn network_attempt<S: GuardStorage>(
    storage: &S,
    network: &str,
    now: UnixMillis,
) -> Result<Option<u64>, DomainError> {
    let key = guard_network(network);
    let counter: WindowCounter = load_or_default(storage, &key).await?;
    if let Some(retry) = counter.retry_after(now, HOUR, ATTEMPTS_PER_NETWORK_PER_HOUR) {
        return Ok(Some(retry));
    }
    storage.store(&key, &counter.hit(now, HOUR)).await?;
    Ok(None)
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
            store_changed(storage, &key, &address, &new_address).await?;
            store_changed(storage, GUARD_TENANT_SENDS, &tenant, &new_tenant).await?;
            GuardReply::Send { outcome }
        }
        GuardCommand::NetworkSend {
            per_network_per_hour,
            now,
        } => {
            let counter: WindowCounter = load_or_default(storage, GUARD_NETWORK_SENDS).await?;
            let (new_counter, outcome) = record_network_send(counter, per_network_per_hour, now);
            store_changed(storage, GUARD_NETWORK_SENDS, &counter, &new_counter).await?;
            GuardReply::Send { outcome }
        }
        GuardCommand::Verify {
            address_key,
            nonce,
            correct,
            network,
            now,
        } => {
            if let Some(retry_after_seconds) = network_attempt(storage, &network, now).await? {
                let outcome = VerifyOutcome::Throttled {
                    retry_after_seconds,
                };
                return Ok(GuardReply::Verify { outcome });
            }
            let key = guard_address(&address_key);
            let address: AddressRecord = load_or_default(storage, &key).await?;
            let (new_address, outcome) = record_attempt(address.clone(), &nonce, correct, now);
            store_changed(storage, &key, &address, &new_address).await?;
            GuardReply::Verify { outcome }
        }
        GuardCommand::Pass {
            user_key,
            facts,
            now,
        } => {
            if let Some(retry_after_seconds) = network_attempt(storage, &facts.network, now).await?
            {
                let outcome = PassOutcome::Throttled {
                    retry_after_seconds,
                };
                return Ok(GuardReply::Pass { outcome });
            }
            let key = guard_pass(&user_key);
            let record: PassGuardRecord = load_or_default(storage, &key).await?;
            let (new_record, outcome) = record_pass_attempt(record.clone(), &facts, now);
            store_changed(storage, &key, &record, &new_record).await?;
            GuardReply::Pass { outcome }
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
            now: 1_795_348_800_000,
        };
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<GuardCommand>(&json).unwrap(), cmd);
    }
}

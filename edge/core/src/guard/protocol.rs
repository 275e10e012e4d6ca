//! The guard's protocol: the commands an instance takes, its replies, and [`apply`], the whole of
//! what an instance does with one command — load its records, let the rules decide, store what
//! changed. The Durable Object and the in-memory guard both run exactly this.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::codes::{
    record_attempt, record_ip_send, record_send, AddressRecord, SendOutcome, VerifyOutcome,
};
use super::counter::WindowCounter;
use super::passes::{record_pass_attempt, PassGuardRecord, PassOutcome};
use crate::error::DomainError;
use crate::storage_keys::{guard_address, guard_pass, GUARD_IP_SENDS, GUARD_TENANT_SENDS};
use crate::time::UnixMillis;

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

/// Runs one command against an instance's storage.
pub async fn apply<S: GuardStorage>(
    storage: &S,
    command: GuardCommand,
) -> Result<GuardReply, DomainError> {
    Ok(match command {
        GuardCommand::Send {
            address_key,
            nonce,
            expires_at,
            per_tenant_per_hour,
            now,
        } => {
            let key = guard_address(&address_key);
            let address: AddressRecord = load_or_default(storage, &key).await?;
            let tenant: WindowCounter = load_or_default(storage, GUARD_TENANT_SENDS).await?;
            let (new_address, new_tenant, outcome) = record_send(
                address.clone(),
                tenant,
                per_tenant_per_hour,
                &nonce,
                expires_at,
                now,
            );
            store_changed(storage, &key, &address, &new_address).await?;
            store_changed(storage, GUARD_TENANT_SENDS, &tenant, &new_tenant).await?;
            GuardReply::Send { outcome }
        }
        GuardCommand::IpSend {
            per_ip_per_hour,
            now,
        } => {
            let counter: WindowCounter = load_or_default(storage, GUARD_IP_SENDS).await?;
            let (new_counter, outcome) = record_ip_send(counter, per_ip_per_hour, now);
            store_changed(storage, GUARD_IP_SENDS, &counter, &new_counter).await?;
            GuardReply::Send { outcome }
        }
        GuardCommand::Verify {
            address_key,
            nonce,
            correct,
            now,
        } => {
            let key = guard_address(&address_key);
            let address: AddressRecord = load_or_default(storage, &key).await?;
            let (new_address, outcome) = record_attempt(address.clone(), &nonce, correct, now);
            store_changed(storage, &key, &address, &new_address).await?;
            GuardReply::Verify { outcome }
        }
        GuardCommand::Pass {
            user_key,
            correct,
            consume,
            now,
        } => {
            let key = guard_pass(&user_key);
            let record: PassGuardRecord = load_or_default(storage, &key).await?;
            let (new_record, outcome) =
                record_pass_attempt(record.clone(), correct, consume.as_deref(), now);
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
            now: 1_795_348_800_000,
        };
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<GuardCommand>(&json).unwrap(), cmd);
    }
}

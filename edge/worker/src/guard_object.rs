//! The guard Durable Object: loads a record, lets `guestpass_core::guard` decide, stores the
//! result. One instance per tenant (its addresses, send counter and pass sign-in lockouts) and
//! one per client IP.
//! Requests to one instance run one at a time, and storage calls hold other events off, so each
//! load → decide → store below is atomic.

use guestpass_core::guard::{
    record_attempt, record_ip_send, record_pass_attempt, record_send, AddressRecord, GuardCommand,
    GuardReply, PassGuardRecord, WindowCounter,
};
use guestpass_core::storage_keys::{guard_address, guard_pass, GUARD_IP_SENDS, GUARD_TENANT_SENDS};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

#[durable_object]
pub struct Guard {
    state: State,
}

impl DurableObject for Guard {
    fn new(state: State, _env: Env) -> Self {
        Guard { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let command: GuardCommand = match req.json().await {
            Ok(command) => command,
            Err(e) => return Response::error(format!("bad guard command: {e}"), 400),
        };
        let storage = self.state.storage();
        let reply = match command {
            GuardCommand::Send {
                address_key,
                nonce,
                expires_at,
                per_tenant_per_hour,
                now,
            } => {
                let key = guard_address(&address_key);
                let address: AddressRecord = storage.get(&key).await?.unwrap_or_default();
                let tenant: WindowCounter =
                    storage.get(GUARD_TENANT_SENDS).await?.unwrap_or_default();
                let (new_address, new_tenant, outcome) = record_send(
                    address.clone(),
                    tenant,
                    per_tenant_per_hour,
                    &nonce,
                    expires_at,
                    now,
                );
                // A refusal changes nothing, so it writes nothing.
                if new_address != address {
                    storage.put(&key, &new_address).await?;
                }
                if new_tenant != tenant {
                    storage.put(GUARD_TENANT_SENDS, new_tenant).await?;
                }
                GuardReply::Send { outcome }
            }
            GuardCommand::IpSend {
                per_ip_per_hour,
                now,
            } => {
                let counter: WindowCounter = storage.get(GUARD_IP_SENDS).await?.unwrap_or_default();
                let (new_counter, outcome) = record_ip_send(counter, per_ip_per_hour, now);
                if new_counter != counter {
                    storage.put(GUARD_IP_SENDS, new_counter).await?;
                }
                GuardReply::Send { outcome }
            }
            GuardCommand::Verify {
                address_key,
                nonce,
                correct,
                now,
            } => {
                let key = guard_address(&address_key);
                let address: AddressRecord = storage.get(&key).await?.unwrap_or_default();
                let (new_address, outcome) = record_attempt(address.clone(), &nonce, correct, now);
                if new_address != address {
                    storage.put(&key, &new_address).await?;
                }
                GuardReply::Verify { outcome }
            }
            GuardCommand::Pass {
                user_key,
                correct,
                consume,
                now,
            } => {
                let key = guard_pass(&user_key);
                let record: PassGuardRecord = storage.get(&key).await?.unwrap_or_default();
                let (new_record, outcome) =
                    record_pass_attempt(record.clone(), correct, consume.as_deref(), now);
                if new_record != record {
                    storage.put(&key, &new_record).await?;
                }
                GuardReply::Pass { outcome }
            }
        };
        Response::from_json(&reply)
    }
}

//! The strongly consistent guard: the rules a Durable Object enforces, as pure functions.
//!
//! KV is eventually consistent (a write may take 60 s or more to be seen elsewhere, last write
//! wins), so it can never be what makes a code succeed only once. Every "once", every attempt
//! count and every throttle is decided here, on a record the guard instance loads, hands to these
//! functions and stores back ([`protocol::apply`]). A Durable Object serializes the requests of
//! one instance and its storage calls hold other events off (input gates), so load → decide →
//! store is atomic.
//!
//! Instances: `tenant:{tenantId}` keeps the tenant's send counter, one [`codes::AddressRecord`]
//! per address and one [`passes::PassGuardRecord`] per pass username (keyed by a hash, never the
//! address in clear), answered WebAuthn challenges and the tenant's RS256 signing keys — or, for a
//! tenant the operator spread over several instances, `tenant:{tenantId}:{s}` keeps the records
//! of the addresses and usernames whose shard is `s` ([`shards`]);
//! `ip:{dataCentre}:{slot}` keeps the send counters, across tenants, of the client networks its
//! data centre's keyed hash gives it ([`network_instance`]); `grant:{tenantId}:{grantId}` an OpenID
//! Connect code and the grant it started ([`grants`]). Use cases reach an instance through the
//! [`crate::ports::Guard`] port and the typed calls below.

pub mod codes;
pub mod counter;
pub mod grants;
pub mod passes;
pub mod protocol;
pub mod shards;

use hmac::Mac;

pub use codes::{SendOutcome, ThrottleScope, VerifyOutcome};
pub use passes::PassOutcome;
pub use protocol::{FailureTally, GuardCommand, GuardReply};
pub use shards::Shards;

use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::keys::{KeyPurpose, KeyRing, SecretKey};
use crate::ports::Guard;

/// The guard's name for an address or a username: a MAC under `key`'s guard sub-key, so
/// Durable Object storage holds no address in clear, and a list of addresses cannot be hashed
/// to find one.
pub fn subject_key(key: &SecretKey, name: &str) -> String {
    let mut mac = key.mac(KeyPurpose::GuardSubject);
    mac.update(name.as_bytes());
    let digest = mac.finalize().into_bytes();
    crate::ids::hex(&digest[..16])
}

/// How many instances in each data centre count client networks' sends across tenants. A pool
/// is soon warm, where an instance per network made a client's first send of the hour create a
/// Durable Object: ~8 ms of a send's ~11 inside the Worker under `wrangler dev` (2026-11-23).
pub const NETWORK_POOL: u8 = 16;

/// The instance that counts `network`'s sends across tenants: one of [`NETWORK_POOL`] named
/// after the data centre that received the request, so it is created near the clients it
/// counts (a client reaches one data centre; one that moves is counted anew in the next), and
/// picked by the network's keyed hash, so nobody can aim networks at one instance. A new
/// signing key moves networks to other instances once, as it does subject keys.
///
/// `data_centre` is what the runtime said (Cloudflare's `colo`, an airport code), or nothing:
/// anything but a short alphanumeric name counts in the pool named `any`, so no request can
/// name instances of its own.
pub fn network_instance(keys: &KeyRing, data_centre: Option<&str>, network: &str) -> String {
    let pool = Shards::new(NETWORK_POOL).unwrap_or_default();
    let slot = pool.pick(&subject_key(keys.signing(), network));
    let data_centre = data_centre
        .filter(|name| {
            (1..=8).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .unwrap_or("any");
    crate::storage_keys::network_guard(data_centre, slot)
}

/// A reply of another command's kind: a guard of another version, never a client's doing.
fn mismatch(asked: &str) -> DomainError {
    DomainError::StorageUnavailable(format!("guard answered another command than a {asked}"))
}

/// Uses up a WebAuthn challenge: true the first time its nonce is answered, false after.
pub async fn use_challenge<G: Guard>(
    guard: &G,
    instance: &str,
    nonce: &str,
    expires_at: crate::time::UnixMillis,
    now: crate::time::UnixMillis,
) -> Result<bool, DomainError> {
    let command = GuardCommand::Challenge {
        nonce: nonce.to_string(),
        expires_at,
        now,
    };
    match guard.call(instance, command).await? {
        GuardReply::Challenge { first } => Ok(first),
        _ => Err(mismatch("challenge")),
    }
}

/// A send (`Send` or `NetworkSend`): accepted, or throttled for how long.
pub async fn send<G: Guard>(
    guard: &G,
    instance: &str,
    command: GuardCommand,
) -> Result<SendOutcome, DomainError> {
    match guard.call(instance, command).await? {
        GuardReply::Send { outcome } => Ok(outcome),
        _ => Err(mismatch("send")),
    }
}

/// A code verification attempt: the guard's verdict, and on a failure the network's tally.
pub async fn verify<G: Guard>(
    guard: &G,
    instance: &str,
    command: GuardCommand,
) -> Result<(VerifyOutcome, Option<FailureTally>), DomainError> {
    match guard.call(instance, command).await? {
        GuardReply::Verify { outcome, tally } => Ok((outcome, tally)),
        _ => Err(mismatch("verify")),
    }
}

/// A pass sign-in attempt: the guard's verdict on lockout and one-time use, and on a failure
/// the network's tally.
pub async fn pass<G: Guard>(
    guard: &G,
    instance: &str,
    command: GuardCommand,
) -> Result<(PassOutcome, Option<FailureTally>), DomainError> {
    match guard.call(instance, command).await? {
        GuardReply::Pass { outcome, tally } => Ok((outcome, tally)),
        _ => Err(mismatch("pass")),
    }
}

/// Whether a username's pass sign-in waits for a new pass.
pub async fn pass_locked<G: Guard>(
    guard: &G,
    instance: &str,
    command: GuardCommand,
) -> Result<bool, DomainError> {
    match guard.call(instance, command).await? {
        GuardReply::PassLock {
            locked_until_new_pass,
        } => Ok(locked_until_new_pass),
        _ => Err(mismatch("pass lock")),
    }
}

/// A failure found before the guard was asked (a forged challenge, an unknown credential):
/// counted like any attempt from `network`, in the shard of the tenant that the network's keyed
/// hash picks (there is no address or username to pick one). Whether the network is over its
/// hour, and the tally.
pub async fn failure<G: Guard>(
    guard: &G,
    keys: &KeyRing,
    tenant: &TenantRecord,
    network: String,
    now: crate::time::UnixMillis,
) -> Result<(Option<u64>, FailureTally), DomainError> {
    let shards = tenant.guard_shards;
    let instance = shards::instance(
        &tenant.id,
        shards.pick(&subject_key(keys.signing(), &network)),
    );
    let command = GuardCommand::Failure {
        network,
        network_attempts: shards.network_attempts(),
        now,
    };
    match guard.call(&instance, command).await? {
        GuardReply::Failure { throttled, tally } => Ok((throttled, tally)),
        _ => Err(mismatch("failure")),
    }
}

/// An OpenID Connect grant's commands (`grants`), on its own instance: `Done` for issuing a
/// code and revoking, the payload (or nothing) for redeeming and refreshing, and whether the
/// grant stands for a status.
pub async fn grant<G: Guard>(
    guard: &G,
    instance: &str,
    command: GuardCommand,
) -> Result<GrantAnswer, DomainError> {
    match guard.call(instance, command).await? {
        GuardReply::Done => Ok(GrantAnswer::Done),
        GuardReply::Grant { payload } => Ok(GrantAnswer::Payload(payload)),
        GuardReply::GrantStatus { active } => Ok(GrantAnswer::Active(active)),
        _ => Err(mismatch("grant")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantAnswer {
    Done,
    Payload(Option<String>),
    Active(bool),
}

/// The tenant's RS256 signing keys (`SigningKeys`, on its instance): the set as it stands after
/// the command's offer, if any.
pub async fn signing_keys<G: Guard>(
    guard: &G,
    instance: &str,
    command: GuardCommand,
) -> Result<crate::oidc::stored_keys::StoredKeys, DomainError> {
    match guard.call(instance, command).await? {
        GuardReply::SigningKeys { keys } => Ok(keys),
        _ => Err(mismatch("signing keys")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_keys_hide_the_name_and_depend_on_the_key() {
        let ring = crate::keys::tests::ring(&["k1", "k2"]);
        let (k1, k2) = (ring.verifying("k1").unwrap(), ring.verifying("k2").unwrap());
        let name = subject_key(k1, "ada@example.com");
        assert_eq!(name.len(), 32);
        assert!(!name.contains("ada"));
        assert_eq!(name, subject_key(k1, "ada@example.com"));
        assert_ne!(name, subject_key(k2, "ada@example.com"));
    }

    #[test]
    fn client_networks_share_a_small_pool_of_instances_in_each_data_centre() {
        let ring = crate::keys::tests::ring(&["k1"]);
        let networks: Vec<String> = (0..2000)
            .map(|n| format!("198.18.{}.{}", n / 250, n % 250))
            .collect();
        let instances: std::collections::BTreeSet<String> = networks
            .iter()
            .map(|network| network_instance(&ring, Some("CDG"), network))
            .collect();
        assert_eq!(instances.len(), usize::from(NETWORK_POOL));
        assert!(instances.iter().all(|name| name.starts_with("ip:CDG:")));
        let v6 = "2001:db8::/64";
        assert_eq!(
            network_instance(&ring, Some("CDG"), v6),
            network_instance(&ring, Some("CDG"), v6)
        );
        assert_eq!(
            network_instance(&ring, Some("NRT"), v6).replace("NRT", "CDG"),
            network_instance(&ring, Some("CDG"), v6)
        );
    }

    #[test]
    fn a_missing_or_malformed_data_centre_counts_in_the_pool_named_any() {
        let ring = crate::keys::tests::ring(&["k1"]);
        let any = network_instance(&ring, None, "192.0.2.1");
        assert!(any.starts_with("ip:any:"), "{any}");
        for name in ["", "ip:LHR", "LHR:3", "a-very-long-name", "L H R"] {
            assert_eq!(
                network_instance(&ring, Some(name), "192.0.2.1"),
                any,
                "{name:?}"
            );
        }
    }
}

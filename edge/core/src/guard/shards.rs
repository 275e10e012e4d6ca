//! A tenant's guard records spread over several instances (shards), so that one tenant's peak
//! — or a flood aimed at one tenant — does not queue behind one Durable Object.
//!
//! Every record of one address or one username lives in one shard, picked by its subject key
//! (a MAC: nobody can aim at a shard), so once-only, tries and locks stay exact. What decides a
//! code, a pass or a WebAuthn challenge names its shard itself — the challenge's signed claims,
//! the pass record — so a change of the tenant's shard count never sends a verification to an
//! instance that did not see the send: what was issued is decided where it was issued.
//!
//! Tenant-wide limits split without a shared counter on any request's path: each shard allows
//! its share (rounded up) of the tenant's hourly sends and of a network's hourly attempts. With
//! one shard — every tenant's default — nothing changes: shard 0 is the instance `tenant:{id}`.

use serde::{Deserialize, Serialize};

use crate::limits::ATTEMPTS_PER_NETWORK_PER_HOUR;
use crate::storage_keys::{tenant_guard, tenant_guard_shard};

/// The most instances a tenant's records may spread over (SPEC's 100× peak needs 64).
pub const MAX_SHARDS: u8 = 64;

/// How many guard instances share a tenant's records: 1 unless the operator raised it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Shards(u8);

impl Default for Shards {
    fn default() -> Self {
        Shards(1)
    }
}

impl Shards {
    /// A count from 1 to [`MAX_SHARDS`].
    pub fn new(count: u8) -> Option<Shards> {
        (1..=MAX_SHARDS).contains(&count).then_some(Shards(count))
    }

    /// The count; a stored 0 counts as 1, so a damaged record never divides by zero.
    pub fn count(self) -> u8 {
        self.0.max(1)
    }

    pub fn is_one(&self) -> bool {
        self.count() == 1
    }

    /// The shard of a subject key (hex, see `guard::subject_key`) or any other uniform hex.
    pub fn pick(self, subject_key: &str) -> u8 {
        let head = subject_key
            .get(subject_key.len().saturating_sub(8)..)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .unwrap_or(0);
        (head % u32::from(self.count())) as u8
    }

    /// The shard of random bytes (a WebAuthn challenge's nonce).
    pub fn pick_bytes(self, random: &[u8; 16]) -> u8 {
        let head = u32::from_be_bytes([random[0], random[1], random[2], random[3]]);
        (head % u32::from(self.count())) as u8
    }

    /// One shard's part of a tenant-wide limit, rounded up (exact with one shard).
    pub fn share(self, limit: u32) -> u32 {
        limit.div_ceil(u32::from(self.count()))
    }

    /// One shard's part of a network's hourly attempts in the tenant.
    pub fn network_attempts(self) -> u32 {
        self.share(ATTEMPTS_PER_NETWORK_PER_HOUR)
    }
}

/// For `skip_serializing_if`: shard 0 is left out of what names a shard (a challenge, a pass), as
/// those from before shards were.
pub fn is_first(shard: &u8) -> bool {
    *shard == 0
}

/// A tenant's guard instance for `shard` (shard 0 keeps the unsharded name, so a tenant that
/// never had more than one shard, and its signing keys, stay where they always were).
pub fn instance(tenant_id: &str, shard: u8) -> String {
    match shard {
        0 => tenant_guard(tenant_id),
        shard => tenant_guard_shard(tenant_id, shard),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::subject_key;
    use crate::keys::tests::ring;

    #[test]
    fn one_shard_keeps_every_record_in_the_tenants_own_instance() {
        let one = Shards::default();
        assert!(one.is_one());
        for name in ["ada@example.com", "bob@example.com", "pass-x", ""] {
            assert_eq!(one.pick(name), 0);
        }
        assert_eq!(instance("t1", 0), "tenant:t1");
        assert_eq!(one.share(1_000), 1_000);
        assert_eq!(one.network_attempts(), ATTEMPTS_PER_NETWORK_PER_HOUR);
    }

    #[test]
    fn counts_outside_one_to_sixty_four_are_refused_and_a_stored_zero_counts_as_one() {
        assert_eq!(Shards::new(0), None);
        assert_eq!(Shards::new(65), None);
        assert_eq!(Shards::new(64).map(Shards::count), Some(64));
        let zero: Shards = serde_json::from_str("0").unwrap();
        assert_eq!((zero.count(), zero.pick("ffffffff")), (1, 0));
    }

    #[test]
    fn subjects_spread_evenly_and_each_always_lands_in_the_same_shard() {
        let ring = ring(&["k1"]);
        let key = ring.signing();
        let shards = Shards::new(8).unwrap();
        let mut counts = [0u32; 8];
        for i in 0..8_000 {
            let subject = subject_key(key, &format!("guest{i}@example.com"));
            let shard = shards.pick(&subject);
            assert_eq!(shard, shards.pick(&subject));
            counts[usize::from(shard)] += 1;
        }
        // 1,000 expected each; a keyed hash stays well within ±15 %.
        assert!(
            counts.iter().all(|&n| (850..=1_150).contains(&n)),
            "{counts:?}"
        );
    }

    #[test]
    fn tenant_wide_limits_split_rounded_up_so_the_shards_together_allow_at_least_the_limit() {
        let eight = Shards::new(8).unwrap();
        assert_eq!(eight.share(1_000), 125);
        assert_eq!(eight.network_attempts(), 15);
        let three = Shards::new(3).unwrap();
        assert_eq!(three.share(1_000), 334);
        assert!(three.share(1_000) * 3 >= 1_000);
    }

    #[test]
    fn other_shards_have_instances_of_their_own() {
        assert_eq!(instance("t1", 3), "tenant:t1:3");
        assert_ne!(instance("t1", 1), instance("t2", 1));
    }
}

//! Every KV key and Durable Object name, built in one place. `docs/storage-schema.md` documents
//! each; the test below pins their shapes so a change to either is deliberate.

/// Newest-first ordering for KV lists (which sort ascending): a descending timestamp.
fn descending(at: i64) -> String {
    format!("{:013}", 9_999_999_999_999 - at.clamp(0, 9_999_999_999_999))
}

pub fn tenant(tenant_id: &str) -> String {
    format!("tenant:{tenant_id}")
}

pub fn domain(domain: &str) -> String {
    format!("domain:{domain}")
}

pub fn user(tenant_id: &str, user_id: &str) -> String {
    format!("user:{tenant_id}:{user_id}")
}

pub fn users_prefix(tenant_id: &str) -> String {
    format!("user:{tenant_id}:")
}

/// The sign-in index: normalized address (guest mail or member UPN) → user id.
pub fn sign_in_name(tenant_id: &str, address: &str) -> String {
    format!("login:{tenant_id}:{address}")
}

/// The user's "sessions issued before" mark: revocation writes it, and only revocation.
pub fn revoked(tenant_id: &str, user_id: &str) -> String {
    format!("revoked:{tenant_id}:{user_id}")
}

/// The tenant's banner logo (the image, base64, and its content type).
pub fn logo(tenant_id: &str) -> String {
    format!("logo:{tenant_id}")
}

pub fn pass(tenant_id: &str, user_id: &str) -> String {
    format!("tap:{tenant_id}:{user_id}")
}

/// A member's passkey (`method` derives from the credential id, see `passkey::method_id`).
pub fn passkey(tenant_id: &str, user_id: &str, method: &str) -> String {
    format!("passkey:{tenant_id}:{user_id}:{method}")
}

pub fn passkeys_prefix(tenant_id: &str, user_id: &str) -> String {
    format!("passkey:{tenant_id}:{user_id}:")
}

/// The credential index: a passkey's method id → its owner's user id (discoverable sign-in
/// knows the credential before the member).
pub fn passkey_owner(tenant_id: &str, method: &str) -> String {
    format!("passkey-id:{tenant_id}:{method}")
}

/// An OpenID Connect application of the tenant.
pub fn application(tenant_id: &str, id: &str) -> String {
    format!("app:{tenant_id}:{id}")
}

pub fn applications_prefix(tenant_id: &str) -> String {
    format!("app:{tenant_id}:")
}

/// The tenant's RS256 signing keys: KV's copy of what its guard instance decided.
pub fn signing_keys(tenant_id: &str) -> String {
    format!("oidc-keys:{tenant_id}")
}

/// The client-id index: what a client sends (`client_id`) → its application's id.
pub fn client_id(tenant_id: &str, client_id: &str) -> String {
    format!("client-id:{tenant_id}:{client_id}")
}

pub fn sign_in_log(tenant_id: &str, at: i64, id: &str) -> String {
    format!("log:signin:{tenant_id}:{}:{id}", descending(at))
}

pub fn sign_in_log_prefix(tenant_id: &str) -> String {
    format!("log:signin:{tenant_id}:")
}

pub fn directory_log(tenant_id: &str, at: i64, id: &str) -> String {
    format!("log:directory:{tenant_id}:{}:{id}", descending(at))
}

pub fn directory_log_prefix(tenant_id: &str) -> String {
    format!("log:directory:{tenant_id}:")
}

/// Development outbox, per recipient, oldest first.
pub fn outbox(to: &str, at: i64, id: &str) -> String {
    format!("outbox:{to}:{at:013}:{id}")
}

pub fn outbox_prefix(to: Option<&str>) -> String {
    match to {
        Some(to) => format!("outbox:{to}:"),
        None => "outbox:".into(),
    }
}

/// Durable Object instance names.
pub fn tenant_guard(tenant_id: &str) -> String {
    format!("tenant:{tenant_id}")
}

/// A tenant's guard instance other than the first (`guard::shards`; shard 0 is `tenant_guard`).
pub fn tenant_guard_shard(tenant_id: &str, shard: u8) -> String {
    format!("tenant:{tenant_id}:{shard}")
}

/// One of a data centre's instances that count client networks' sends across tenants
/// (`guard::network_instance`).
pub fn network_guard(data_centre: &str, slot: u8) -> String {
    format!("ip:{data_centre}:{slot}")
}

/// An OpenID Connect grant's own instance: its code and the grant it started (see
/// `guard::grants`). The tenant is part of the name, so a grant of one tenant is never found
/// from another's endpoints.
pub fn grant_guard(tenant_id: &str, grant_id: &str) -> String {
    format!("grant:{tenant_id}:{grant_id}")
}

/// Keys inside a guard instance's storage.
pub const GUARD_ADDRESS_PREFIX: &str = "addr:";
pub const GUARD_PASS_PREFIX: &str = "pass:";
pub const GUARD_CHALLENGE_PREFIX: &str = "challenge:";

pub fn guard_address(address_key: &str) -> String {
    format!("{GUARD_ADDRESS_PREFIX}{address_key}")
}

/// A username's pass sign-in state (lockout, used one-time passes).
pub fn guard_pass(user_key: &str) -> String {
    format!("{GUARD_PASS_PREFIX}{user_key}")
}

/// A WebAuthn challenge's nonce once answered (its expiry, until the sweep forgets it).
pub fn guard_challenge(nonce: &str) -> String {
    format!("{GUARD_CHALLENGE_PREFIX}{nonce}")
}

/// A client network's verification and pass attempts in a tenant instance.
pub fn guard_network(network: &str) -> String {
    format!("net:{network}")
}

/// A client network's failed attempts in a tenant instance, this minute (for the log).
pub fn guard_failures(network: &str) -> String {
    format!("fail:{network}")
}

pub const GUARD_TENANT_SENDS: &str = "sends:tenant";
/// In a grant's instance: its authorization code and the grant.
pub const GUARD_CODE: &str = "code";
pub const GUARD_GRANT: &str = "grant";
/// A client network's sends this hour in its instance of the pool: `sends:ip:{network}`. Kept
/// bare by the instances of one network each (`ip:{network}`) that came before the pool.
pub const GUARD_NETWORK_SENDS: &str = "sends:ip";

pub fn guard_network_sends(network: &str) -> String {
    format!("{GUARD_NETWORK_SENDS}:{network}")
}
/// In a tenant's instance: its RS256 signing keys (`oidc::stored_keys`), the deciding copy.
pub const GUARD_SIGNING_KEYS: &str = "signing-keys";

/// How long logs and the outbox live in KV.
pub const LOG_TTL_SECONDS: u64 = 30 * 24 * 3600;
pub const OUTBOX_TTL_SECONDS: u64 = 24 * 3600;
/// A revocation mark outlives every session it ends: sessions last at most a day.
pub const REVOCATION_TTL_SECONDS: u64 = 25 * 3600;
/// Most messages one outbox read returns.
pub const OUTBOX_LIMIT: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shapes_are_pinned() {
        assert_eq!(tenant("t"), "tenant:t");
        assert_eq!(domain("contoso.com"), "domain:contoso.com");
        assert_eq!(passkey("t", "u", "m"), "passkey:t:u:m");
        assert_eq!(passkeys_prefix("t", "u"), "passkey:t:u:");
        assert_eq!(passkey_owner("t", "m"), "passkey-id:t:m");
        assert_eq!(application("t", "a"), "app:t:a");
        assert_eq!(applications_prefix("t"), "app:t:");
        assert_eq!(signing_keys("t"), "oidc-keys:t");
        assert_eq!(client_id("t", "c"), "client-id:t:c");
        assert_eq!(user("t", "u"), "user:t:u");
        assert_eq!(users_prefix("t"), "user:t:");
        assert_eq!(sign_in_name("t", "a@b.com"), "login:t:a@b.com");
        assert_eq!(pass("t", "u"), "tap:t:u");
        assert_eq!(revoked("t", "u"), "revoked:t:u");
        assert_eq!(logo("t"), "logo:t");
        assert_eq!(sign_in_log("t", 1_000, "i"), "log:signin:t:9999999998999:i");
        assert_eq!(
            directory_log("t", 0, "i"),
            "log:directory:t:9999999999999:i"
        );
        assert_eq!(outbox("a@b.com", 5, "i"), "outbox:a@b.com:0000000000005:i");
        assert_eq!(tenant_guard("t"), "tenant:t");
        assert_eq!(tenant_guard_shard("t", 3), "tenant:t:3");
        assert_eq!(network_guard("CDG", 7), "ip:CDG:7");
        assert_eq!(
            guard_network_sends("2001:db8::/64"),
            "sends:ip:2001:db8::/64"
        );
        assert_eq!(guard_network("203.0.113.9"), "net:203.0.113.9");
        assert_eq!(guard_address("k"), "addr:k");
        assert_eq!(guard_pass("k"), "pass:k");
    }

    #[test]
    fn logs_list_newest_first() {
        assert!(sign_in_log("t", 2_000, "a") < sign_in_log("t", 1_000, "a"));
        assert!(outbox("x@y.z", 1_000, "a") < outbox("x@y.z", 2_000, "a"));
    }
}

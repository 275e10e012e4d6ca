//! Every number of the email-code flow, in one place (SPEC "Guest email one-time passcode").

use crate::time::{DAY, HOUR, MINUTE};

/// Digits in an email code.
pub const CODE_LENGTH: u32 = 8;
/// How long a code stays valid unless the tenant shortens it.
pub const CODE_LIFETIME_MS: i64 = 30 * MINUTE;
/// Wrong tries allowed on one code.
pub const MAX_WRONG_TRIES_PER_CODE: u32 = 5;
/// Consecutive wrong codes for an address, from anywhere, that lock it (NIST SP 800-63B's
/// ceiling of 100)…
pub const ADDRESS_FAILURE_CEILING: u32 = 100;
/// …for this long, even for the right code.
pub const ADDRESS_LOCK_MS: i64 = DAY;
/// Per (address, client network): one send a minute, ten a day. Limits that a stranger on
/// another network can exhaust would let them lock a guest out, so they are per network.
pub const ADDRESS_RESEND_INTERVAL_MS: i64 = MINUTE;
pub const ADDRESS_SENDS_PER_NETWORK_PER_DAY: u32 = 10;
/// Per address from anywhere: fifty sends a day (the mailbox's protection against bombing).
pub const ADDRESS_SENDS_PER_DAY: u32 = 50;
/// Codes an address may hold at once; a newer one from the same network replaces the older.
pub const LIVE_CODES_PER_ADDRESS: usize = 3;
/// Verification and pass attempts one client network may make per hour, per tenant.
pub const ATTEMPTS_PER_NETWORK_PER_HOUR: u32 = 120;
/// Guest sessions last a day.
pub const SESSION_LIFETIME_MS: i64 = DAY;

/// The throttles a deployment may tune (vars `OTP_SENDS_PER_TENANT_PER_HOUR` and
/// `OTP_SENDS_PER_IP_PER_HOUR`). Per-address limits are fixed: they protect the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendLimits {
    pub per_tenant_per_hour: u32,
    pub per_ip_per_hour: u32,
}

impl Default for SendLimits {
    fn default() -> Self {
        SendLimits {
            per_tenant_per_hour: 1_000,
            per_ip_per_hour: 30,
        }
    }
}

/// Consecutive wrong passes for one (username, client network) that lock that pair…
pub const PASS_LOCKOUT_THRESHOLD: u32 = 10;
/// …for this long, even with the right pass.
pub const PASS_LOCKOUT_MS: i64 = 15 * MINUTE;
/// The longest a pass can live (the policy's maximum of 43 200 minutes).
pub const MAX_PASS_LIFETIME_MS: i64 = 30 * DAY;
/// An OpenID Connect authorization code may wait this long for its exchange (RFC 9700 §4.2:
/// short-lived).
pub const AUTHORIZATION_CODE_MS: i64 = MINUTE;
/// ID and access tokens are good for this long; a grant without a refresh token ends with them.
pub const ACCESS_TOKEN_MS: i64 = HOUR;
/// A refresh token (`offline_access`) is good this long after its grant last rotated it.
pub const REFRESH_TOKEN_IDLE_MS: i64 = 14 * DAY;
/// How often a guard instance sweeps out records that no longer matter.
pub const GUARD_SWEEP_INTERVAL_MS: i64 = HOUR;
/// Consecutive wrong passes for one username from anywhere that lock pass sign-in until an
/// administrator issues a new pass.
pub const PASS_FAILURE_CEILING: u32 = 100;
/// A one-time pass opens a registration session this long (seed: "within 10 minutes").
pub const REGISTRATION_SESSION_MS: i64 = 10 * MINUTE;
/// A WebAuthn ceremony's challenge (and the browser's timeout) lasts this long.
pub const PASSKEY_CHALLENGE_MS: i64 = 5 * MINUTE;

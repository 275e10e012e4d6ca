//! Every number of the email-code flow, in one place (SPEC "Guest email one-time passcode").

use crate::time::{DAY, HOUR, MINUTE};

/// Digits in an email code.
pub const CODE_LENGTH: u32 = 8;
/// How long a code stays valid unless the tenant shortens it.
pub const CODE_LIFETIME_MS: i64 = 30 * MINUTE;
/// Wrong tries allowed on one code.
pub const MAX_WRONG_TRIES_PER_CODE: u32 = 5;
/// Wrong codes an address may enter, across codes, per window, before verification locks.
pub const ADDRESS_FAILURE_BUDGET: u32 = 10;
pub const ADDRESS_FAILURE_WINDOW_MS: i64 = HOUR;
/// One send per address per minute, ten per day.
pub const ADDRESS_RESEND_INTERVAL_MS: i64 = MINUTE;
pub const ADDRESS_SENDS_PER_DAY: u32 = 10;
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

/// Consecutive wrong passes for one username that lock pass sign-in (seed-style lockout)…
pub const PASS_LOCKOUT_THRESHOLD: u32 = 10;
/// …for this long, even with the right pass.
pub const PASS_LOCKOUT_MS: i64 = 15 * MINUTE;
/// A one-time pass opens a registration session this long (seed: "within 10 minutes").
pub const REGISTRATION_SESSION_MS: i64 = 10 * MINUTE;

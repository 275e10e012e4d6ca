//! Signing in with a Temporary Access Pass: the stored state's verdict, then the guard's (lockout,
//! one-time use), then the session the pass opens.
//!
//! The typed pass is compared before anything about the pass is told: a wrong pass, an unknown
//! username and a user without a pass get the same answer, and only the holder of the right pass
//! learns that it is expired, not yet valid or blocked.

use guestpass_wire::tap::MethodUsabilityReason as Reason;
use guestpass_wire::tap::PassSignInRequest;
use guestpass_wire::{normalize_email, AuthenticationMethod, SessionScope, UserType};

use super::pass::{self, PassRecord};
use super::policy::PassPolicy;
use crate::audit::SignInEvent;
use crate::context::Ctx;
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::guard::passes::PassFacts;
use crate::guard::{self, subject_key, GuardCommand, PassOutcome};
use crate::keys::KeyRing;
use crate::limits::{REGISTRATION_SESSION_MS, SESSION_LIFETIME_MS};
use crate::ports::Ports;
use crate::session::{signed_in, SessionClaims, SignedIn};
use crate::time::UnixMillis;

/// The guard's key for a username's pass attempts, whether or not the name exists.
pub fn pass_user_key(keys: &KeyRing, username: &str) -> String {
    format!("pass-{}", subject_key(keys.signing(), username))
}

/// What the directory says about an attempt; the guard still decides lockout and one-time use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassAttempt {
    pub correct: bool,
    /// The one-time pass the guard must consume, when everything else allows the sign-in.
    pub consume: Option<String>,
    /// Why the right pass still cannot sign in.
    pub refusal: Option<DomainError>,
}

pub fn check_pass(
    keys: &KeyRing,
    policy: &PassPolicy,
    user: Option<&UserRecord>,
    pass: Option<&PassRecord>,
    typed: &str,
    now: UnixMillis,
) -> PassAttempt {
    let wrong = PassAttempt {
        correct: false,
        consume: None,
        refusal: None,
    };
    // Guests never sign in with a pass: they look exactly like unknown names. Those, and
    // members without a pass, still cost one MAC, so the answer takes the same work.
    let (Some(user), Some(pass)) = (user.filter(|u| u.user_type == UserType::Member), pass) else {
        pass::burn_a_comparison(keys, typed);
        return wrong;
    };
    if !pass::matches(keys, pass, &user.tenant_id, &user.id, typed) {
        return wrong;
    }
    let refusal = match pass.usability(policy.includes(&user.groups), now).1 {
        Reason::DisabledByPolicy => Some(DomainError::PassDisabled),
        Reason::OneTimeUsed => Some(DomainError::PassBlocked),
        Reason::NotYetValid => Some(DomainError::PassNotYetValid),
        Reason::Expired => Some(DomainError::PassExpired),
        // Seed: a multi-use pass while the policy requires one-time is blocked.
        Reason::EnabledByPolicy if policy.is_usable_once && !pass.is_usable_once => {
            Some(DomainError::PassBlocked)
        }
        Reason::EnabledByPolicy => None,
    };
    let consume = (refusal.is_none() && pass.is_usable_once).then(|| pass.id.clone());
    PassAttempt {
        correct: true,
        consume,
        refusal,
    }
}

/// The guard's outcome and the directory's refusal, as the answer.
pub fn pass_verdict(outcome: PassOutcome, refusal: Option<DomainError>) -> Result<(), DomainError> {
    match outcome {
        PassOutcome::Locked {
            retry_after_seconds,
        } => Err(DomainError::PassLocked {
            retry_after_seconds,
        }),
        PassOutcome::Wrong => Err(DomainError::InvalidCredentials),
        PassOutcome::LockedUntilNewPass => Err(DomainError::PassLockedUntilNewPass),
        PassOutcome::Throttled {
            retry_after_seconds,
        } => Err(DomainError::Throttled {
            retry_after_seconds,
        }),
        // Seed: "a one-time pass already used" is the blocked message.
        PassOutcome::AlreadyUsed => Err(DomainError::PassBlocked),
        PassOutcome::Accepted => refusal.map_or(Ok(()), Err),
    }
}

/// After an accepted sign-in: marks a one-time pass used (a mirror of the guard's record, so
/// reads say `OneTimeUsed`; the guard is what refuses). `consumed` is the attempt's
/// [`PassAttempt::consume`]. True when the record changed.
pub fn record_use(pass: &mut PassRecord, consumed: Option<&str>, now: UnixMillis) -> bool {
    if consumed != Some(pass.id.as_str()) {
        return false;
    }
    pass.used_at = Some(now);
    true
}

/// A multi-use pass opens a full session that ends no later than the pass; a one-time pass a
/// registration session of ten minutes.
pub fn pass_session(user: &UserRecord, pass: &PassRecord, now: UnixMillis) -> SessionClaims {
    let (scope, expires_at) = if pass.is_usable_once {
        (SessionScope::Registration, now + REGISTRATION_SESSION_MS)
    } else {
        (
            SessionScope::Full,
            (now + SESSION_LIFETIME_MS).min(pass.end_at()),
        )
    };
    SessionClaims {
        user_id: user.id.clone(),
        tenant_id: user.tenant_id.clone(),
        method: AuthenticationMethod::TemporaryAccessPass,
        scope,
        issued_at: now,
        expires_at,
        synced_passkey: false,
    }
}

/// `POST sign-in/temporary-access-pass`: a member signs in with a pass. The pass is compared in
/// constant time; the guard counts wrong passes per username (known or not) and lets a one-time
/// pass succeed once.
pub async fn sign_in<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    request: &PassSignInRequest,
) -> Result<SignedIn, DomainError> {
    let username = normalize_email(&request.username).map_err(DomainError::InvalidEmail)?;
    let directory = cx.directory();
    let user = directory
        .user_by_sign_in_name(&tenant.id, &username)
        .await?;
    let mut stored = directory.pass_of(&tenant.id, user.as_ref()).await?;
    let attempt = check_pass(
        &cx.settings.keys,
        &tenant.tap_policy,
        user.as_ref(),
        stored.as_ref(),
        &request.temporary_access_pass,
        cx.now,
    );
    let current_pass = user
        .as_ref()
        .filter(|u| u.user_type == UserType::Member)
        .and(stored.as_ref())
        .map(|p| p.id.clone());
    let user_key = pass_user_key(&cx.settings.keys, &username);
    // A pass is decided in the shard it was issued for, so its one use stays one whatever the
    // tenant's shards became since; a name without one, in the shard its key picks now.
    let shards = tenant.guard_shards;
    let shard = match (&current_pass, &stored) {
        (Some(_), Some(pass)) => pass.guard_shard,
        _ => shards.pick(&user_key),
    };
    let command = GuardCommand::Pass {
        user_key,
        facts: PassFacts {
            network: cx.network(),
            correct: attempt.correct,
            consume: attempt.consume.clone(),
            current_pass,
        },
        network_attempts: shards.network_attempts(),
        now: cx.now,
    };
    let instance = guard::shards::instance(&tenant.id, shard);
    let (outcome, tally) = guard::pass(cx.ports.guard(), &instance, command).await?;
    let event = SignInEvent {
        tenant,
        method: AuthenticationMethod::TemporaryAccessPass,
        step: "pass",
        user_id: user.as_ref().map(|u| u.id.as_str()),
        address: &username,
    };
    pass_verdict(outcome, attempt.refusal).map_err(|err| event.failed_attempt(cx, err, tally))?;
    // The verdict is Ok only for a member with the right, usable pass.
    let (Some(user), Some(pass)) = (user.as_ref(), stored.as_mut()) else {
        return Err(DomainError::Internal("pass verdict without a pass".into()));
    };
    if record_use(pass, attempt.consume.as_deref(), cx.now) {
        directory.save_pass(user, pass).await?;
    }
    let claims = pass_session(user, pass, cx.now);
    event.record(cx, Ok(()), None);
    Ok(signed_in(&cx.settings.keys, user, &claims, None, cx.now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::passes::{record_pass_attempt, PassGuardRecord};
    use crate::keys::tests::ring;
    use crate::tap::issue::{plan_create, tests::member, PassDraft};
    use crate::time::MINUTE;
    use guestpass_wire::tap::{CreatePassRequest, PolicyState, TemporaryAccessPassPolicyPatch};

    const NOW: UnixMillis = 1_795_348_800_000;

    fn issue(once: bool) -> (PassRecord, String) {
        let request = CreatePassRequest {
            is_usable_once: Some(once),
            ..Default::default()
        };
        let draft = PassDraft {
            policy: &PassPolicy::default(),
            target: &member(),
            existing: None,
            request: &request,
            shards: Default::default(),
            now: NOW,
        };
        let new = plan_create(&ring(&["k1"]), draft, "p1".into(), &[9; 192]).unwrap();
        (new.record, new.value)
    }

    fn attempt(
        policy: &PassPolicy,
        pass: &PassRecord,
        typed: &str,
        at: UnixMillis,
    ) -> Result<(), DomainError> {
        let check = check_pass(
            &ring(&["k1"]),
            policy,
            Some(&member()),
            Some(pass),
            typed,
            at,
        );
        let (_, outcome) =
            record_pass_attempt(PassGuardRecord::default(), &facts(&check, pass), at);
        pass_verdict(outcome, check.refusal)
    }

    /// The guard's view of an attempt from 192.0.2.1.
    fn facts(check: &PassAttempt, pass: &PassRecord) -> PassFacts {
        PassFacts {
            network: "192.0.2.1".into(),
            correct: check.correct,
            consume: check.consume.clone(),
            current_pass: Some(pass.id.clone()),
        }
    }

    fn policy(patch: TemporaryAccessPassPolicyPatch) -> PassPolicy {
        PassPolicy::default().patched(&patch).unwrap()
    }

    #[test]
    fn the_right_pass_signs_in_and_a_wrong_one_does_not() {
        let (pass, value) = issue(false);
        assert_eq!(attempt(&PassPolicy::default(), &pass, &value, NOW), Ok(()));
        assert_eq!(
            attempt(&PassPolicy::default(), &pass, "wrong-pass", NOW),
            Err(DomainError::InvalidCredentials)
        );
    }

    #[test]
    fn unknown_users_guests_and_users_without_a_pass_look_like_wrong_passes() {
        let keys = ring(&["k1"]);
        let (pass, value) = issue(false);
        let nobody = check_pass(&keys, &PassPolicy::default(), None, None, &value, NOW);
        let no_pass = check_pass(
            &keys,
            &PassPolicy::default(),
            Some(&member()),
            None,
            &value,
            NOW,
        );
        let guest = UserRecord {
            user_type: UserType::Guest,
            ..member()
        };
        let as_guest = check_pass(
            &keys,
            &PassPolicy::default(),
            Some(&guest),
            Some(&pass),
            &value,
            NOW,
        );
        for check in [nobody, no_pass, as_guest] {
            assert_eq!(
                check,
                PassAttempt {
                    correct: false,
                    consume: None,
                    refusal: None
                }
            );
        }
    }

    #[test]
    fn expired_not_yet_valid_and_disabled_are_told_only_to_the_right_pass() {
        let (pass, value) = issue(false);
        assert_eq!(
            attempt(&PassPolicy::default(), &pass, &value, pass.end_at()),
            Err(DomainError::PassExpired)
        );
        assert_eq!(
            attempt(&PassPolicy::default(), &pass, "wrong-pass", pass.end_at()),
            Err(DomainError::InvalidCredentials)
        );
        let later = PassRecord {
            start_at: NOW + MINUTE,
            ..pass.clone()
        };
        assert_eq!(
            attempt(&PassPolicy::default(), &later, &value, NOW),
            Err(DomainError::PassNotYetValid)
        );
        let off = policy(TemporaryAccessPassPolicyPatch {
            state: Some(PolicyState::Disabled),
            ..Default::default()
        });
        assert_eq!(
            attempt(&off, &pass, &value, NOW),
            Err(DomainError::PassDisabled)
        );
        let groups = policy(TemporaryAccessPassPolicyPatch {
            include_targets: Some(vec![guestpass_wire::tap::IncludeTarget {
                id: "pilot".into(),
                target_type: guestpass_wire::tap::TargetType::Group,
            }]),
            ..Default::default()
        });
        assert_eq!(
            attempt(&groups, &pass, &value, NOW),
            Err(DomainError::PassDisabled),
            "not in the policy's groups"
        );
    }

    #[test]
    fn a_multi_use_pass_under_a_one_time_policy_is_blocked() {
        let (pass, value) = issue(false);
        let once = policy(TemporaryAccessPassPolicyPatch {
            is_usable_once: Some(true),
            ..Default::default()
        });
        assert_eq!(
            attempt(&once, &pass, &value, NOW),
            Err(DomainError::PassBlocked)
        );
        assert_eq!(
            DomainError::PassBlocked.to_api().error.message,
            "Temporary Access Pass sign in was blocked due to User Credential Policy."
        );
    }

    #[test]
    fn a_used_one_time_pass_is_blocked() {
        let (pass, value) = issue(true);
        let check = check_pass(
            &ring(&["k1"]),
            &PassPolicy::default(),
            Some(&member()),
            Some(&pass),
            &value,
            NOW,
        );
        assert_eq!(check.consume.as_deref(), Some("p1"));
        let (guard, first) =
            record_pass_attempt(PassGuardRecord::default(), &facts(&check, &pass), NOW);
        assert_eq!(pass_verdict(first, check.refusal.clone()), Ok(()));
        let (_, second) = record_pass_attempt(guard, &facts(&check, &pass), NOW + MINUTE);
        assert_eq!(
            pass_verdict(second, check.refusal),
            Err(DomainError::PassBlocked)
        );
        let mirrored = PassRecord {
            used_at: Some(NOW),
            ..pass
        };
        assert_eq!(
            attempt(&PassPolicy::default(), &mirrored, &value, NOW + MINUTE),
            Err(DomainError::PassBlocked)
        );
    }

    #[test]
    fn a_locked_username_is_refused_with_the_right_pass() {
        let (pass, value) = issue(false);
        let locked = PassGuardRecord {
            networks: vec![crate::guard::passes::NetworkFailures {
                network: "192.0.2.1".into(),
                consecutive_failures: 0,
                locked_until: Some(NOW + MINUTE),
            }],
            ..Default::default()
        };
        let check = check_pass(
            &ring(&["k1"]),
            &PassPolicy::default(),
            Some(&member()),
            Some(&pass),
            &value,
            NOW,
        );
        let (_, outcome) = record_pass_attempt(locked, &facts(&check, &pass), NOW);
        assert_eq!(
            pass_verdict(outcome, None),
            Err(DomainError::PassLocked {
                retry_after_seconds: 60
            })
        );
    }

    #[test]
    fn sessions_are_full_until_the_pass_ends_or_registration_for_ten_minutes() {
        let (multi, _) = issue(false);
        assert!(
            !record_use(&mut multi.clone(), None, NOW),
            "a multi-use pass is never marked used"
        );
        let full = pass_session(&member(), &multi, NOW);
        assert_eq!(
            (full.scope, full.expires_at),
            (SessionScope::Full, multi.end_at()),
            "a 1-hour pass ends the session"
        );
        let long = PassRecord {
            lifetime_in_minutes: 43_200,
            ..multi
        };
        assert_eq!(
            pass_session(&member(), &long, NOW).expires_at,
            NOW + SESSION_LIFETIME_MS
        );
        let (once, _) = issue(true);
        let registration = pass_session(&member(), &once, NOW);
        assert_eq!(
            (registration.scope, registration.expires_at),
            (SessionScope::Registration, NOW + 10 * MINUTE)
        );
        assert_eq!(
            registration.method,
            AuthenticationMethod::TemporaryAccessPass
        );
    }
}

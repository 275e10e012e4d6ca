//! Verifying a code: stateless checks first (the challenge's MAC, tenant, expiry, the code's
//! shape), then the guard counts the attempt and enforces "once"; the first success redeems the
//! invitation and opens a 24-hour session.

use guestpass_wire::{AuthenticationMethod, SessionScope, VerifyCodeRequest};

use super::challenge::{self, ChallengeClaims, Purpose};
use super::{email_code_eligibility, policy, EmailCodeEligibility};
use crate::audit::SignInEvent;
use crate::context::Ctx;
use crate::directory::invitation::redeem_with_email_code;
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::guard::{self, shards, subject_key, GuardCommand, VerifyOutcome};
use crate::join::join;
use crate::keys::KeyRing;
use crate::limits::{CODE_LENGTH, SESSION_LIFETIME_MS};
use crate::ports::Ports;
use crate::session::{signed_in, SessionClaims, SignedIn};
use crate::time::UnixMillis;

/// A verification that passed the stateless checks, ready for the guard.
#[derive(Debug)]
pub struct CheckedAttempt {
    pub claims: ChallengeClaims,
    pub address_key: String,
    /// Whether the typed code is right, computed in constant time.
    pub correct: bool,
}

/// The stateless half of verification: the challenge is ours, for this tenant, unexpired, and
/// the code has the right shape. Attempts are counted by the guard, not here.
pub fn check_attempt(
    keys: &KeyRing,
    tenant_id: &str,
    challenge_text: &str,
    typed_code: &str,
    now: UnixMillis,
) -> Result<CheckedAttempt, DomainError> {
    let (claims, expected) =
        challenge::open(keys, challenge_text).map_err(|_| DomainError::ChallengeInvalid)?;
    if claims.tenant != tenant_id || claims.purpose != Purpose::SignIn {
        return Err(DomainError::ChallengeInvalid);
    }
    let typed = typed_code.trim();
    if !challenge::is_code_shaped(typed) {
        return Err(DomainError::validation(
            "code",
            format!("Enter the {CODE_LENGTH}-digit code from the email."),
        ));
    }
    if claims.is_expired(now) {
        return Err(DomainError::CodeExpired);
    }
    let correct = challenge::code_matches(&expected, typed);
    let key = keys
        .verifying(&claims.key_id)
        .ok_or(DomainError::ChallengeInvalid)?;
    let address_key = subject_key(key, &claims.email);
    Ok(CheckedAttempt {
        claims,
        address_key,
        correct,
    })
}

/// Maps the guard's verdict to the result the client sees.
pub fn verdict(outcome: VerifyOutcome) -> Result<(), DomainError> {
    match outcome {
        VerifyOutcome::Success => Ok(()),
        VerifyOutcome::WrongCode { attempts_remaining } => {
            Err(DomainError::WrongCode { attempts_remaining })
        }
        VerifyOutcome::TooManyAttempts {
            retry_after_seconds,
        } => Err(DomainError::TooManyAttempts {
            retry_after_seconds,
        }),
        VerifyOutcome::AlreadyUsed => Err(DomainError::CodeAlreadyUsed),
        VerifyOutcome::Superseded => Err(DomainError::CodeSuperseded),
        VerifyOutcome::Expired => Err(DomainError::CodeExpired),
        VerifyOutcome::Throttled {
            retry_after_seconds,
        } => Err(DomainError::Throttled {
            retry_after_seconds,
        }),
    }
}

/// After a successful code: the user must still be a guest who may use codes.
pub fn account_for_code(user: Option<UserRecord>) -> Result<UserRecord, DomainError> {
    match email_code_eligibility(user.as_ref()) {
        EmailCodeEligibility::Eligible => Ok(user.expect("eligible implies a user")),
        EmailCodeEligibility::NotInvited | EmailCodeEligibility::NotAGuest => {
            Err(DomainError::NoAccount)
        }
    }
}

/// A full guest session of 24 hours.
pub fn email_code_session(user: &UserRecord, now: UnixMillis) -> SessionClaims {
    SessionClaims {
        user_id: user.id.clone(),
        tenant_id: user.tenant_id.clone(),
        method: AuthenticationMethod::EmailOtp,
        scope: SessionScope::Full,
        issued_at: now,
        expires_at: now + SESSION_LIFETIME_MS,
        synced_passkey: false,
    }
}

/// `POST sign-in/email-otp/verify`.
pub async fn verify<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    request: &VerifyCodeRequest,
) -> Result<SignedIn, DomainError> {
    let unknown = SignInEvent {
        tenant,
        method: AuthenticationMethod::EmailOtp,
        step: "verify",
        user_id: None,
        address: "unknown",
    };
    let checked = policy::require_email_otp(tenant.email_otp_state, cx.settings.email_otp, cx.now)
        .and_then(|()| {
            check_attempt(
                &cx.settings.keys,
                &tenant.id,
                &request.challenge,
                &request.code,
                cx.now,
            )
        });
    let attempt = match checked {
        Ok(attempt) => attempt,
        // Refused before the guard was asked: still an attempt from this network, counted and
        // tallied like the others, so forged challenges can neither flood the log nor go on
        // without limit.
        Err(err) => {
            let (throttled, tally) = guard::failure(
                cx.ports.guard(),
                &cx.settings.keys,
                tenant,
                cx.network(),
                cx.now,
            )
            .await?;
            let err = match throttled {
                Some(retry_after_seconds) => DomainError::Throttled {
                    retry_after_seconds,
                },
                None => err,
            };
            return Err(unknown.failed_attempt(cx, err, Some(tally)));
        }
    };
    let email = attempt.claims.email.as_str();
    let mut event = SignInEvent {
        address: email,
        ..unknown
    };
    let command = GuardCommand::Verify {
        address_key: attempt.address_key.clone(),
        nonce: attempt.claims.nonce.clone(),
        correct: attempt.correct,
        network: cx.network(),
        network_attempts: tenant.guard_shards.network_attempts(),
        now: cx.now,
    };
    // The code is decided in the shard that recorded its send, which its challenge names.
    let instance = shards::instance(&tenant.id, attempt.claims.shard);
    // The address's user is read while the guard decides (a read changes nothing): a right
    // code then signs in without a second round trip.
    let (guarded, found) = join(
        guard::verify(cx.ports.guard(), &instance, command),
        cx.directory().user_by_sign_in_name(&tenant.id, email),
    )
    .await;
    let (outcome, tally) = guarded?;
    verdict(outcome).map_err(|err| event.failed_attempt(cx, err, tally))?;
    let found = found?;
    let mut user = account_for_code(found)
        .inspect_err(|err| event.record(cx, Err(err), Some("no_account")))?;
    let redeemed = redeem_with_email_code(&mut user, cx.now);
    if redeemed {
        cx.directory().update_user(&user).await?;
    }
    let claims = email_code_session(&user, cx.now);
    event.user_id = Some(&user.id);
    event.record(cx, Ok(()), Some(if redeemed { "redeemed" } else { "ok" }));
    Ok(signed_in(
        &cx.settings.keys,
        &user,
        &claims,
        user.invite_redirect_url.clone(),
        cx.now,
    ))
}

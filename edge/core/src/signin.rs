//! The email-code sign-in steps, as the adapter drives them: each function is one decision.

use guestpass_wire::{AuthenticationMethod, SendCodeResponse, SessionScope};
use sha2::{Digest, Sha256};

use crate::challenge::{self, ChallengeClaims, IssuedChallenge, Purpose};
use crate::directory::{email_code_eligibility, EmailCodeEligibility, UserRecord};
use crate::error::DomainError;
use crate::guard::{SendOutcome, VerifyOutcome};
use crate::keys::KeyRing;
use crate::limits::{ADDRESS_RESEND_INTERVAL_MS, CODE_LENGTH, SESSION_LIFETIME_MS};
use crate::session::SessionClaims;
use crate::time::{format_rfc3339, UnixMillis, SECOND};

/// The guard's name for an address: a hash, so Durable Object storage holds no address in clear.
pub fn address_key(email: &str) -> String {
    let digest = Sha256::digest(email.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// A send, decided: the challenge every caller gets, and whether an email goes out.
pub struct SendPlan {
    pub issued: IssuedChallenge,
    pub address_key: String,
    pub deliver: bool,
    /// Why no email went out, for the sign-in log (the caller sees the same answer either way).
    pub log_reason: &'static str,
}

/// Plans a send. Every address gets the same kind of challenge and the same answer; only an
/// invited guest gets an email. This is what keeps "send" from telling who may sign in.
pub fn plan_send(
    keys: &KeyRing,
    tenant_id: &str,
    email: &str,
    user: Option<&UserRecord>,
    nonce: [u8; 16],
    now: UnixMillis,
    lifetime_ms: i64,
) -> SendPlan {
    let issued = challenge::issue(
        keys,
        tenant_id,
        email,
        Purpose::SignIn,
        nonce,
        now,
        lifetime_ms,
    );
    let (deliver, log_reason) = match email_code_eligibility(user) {
        EmailCodeEligibility::Eligible => (true, "code_sent"),
        EmailCodeEligibility::NotInvited => (false, "not_invited"),
        EmailCodeEligibility::NotAGuest => (false, "not_a_guest"),
    };
    SendPlan {
        issued,
        address_key: address_key(email),
        deliver,
        log_reason,
    }
}

pub fn send_response(issued: &IssuedChallenge) -> SendCodeResponse {
    SendCodeResponse {
        challenge: issued.text.clone(),
        expires_at: format_rfc3339(issued.claims.expires_at()),
        code_length: CODE_LENGTH,
        resend_after_seconds: (ADDRESS_RESEND_INTERVAL_MS / SECOND) as u64,
    }
}

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
    let address_key = address_key(&claims.email);
    Ok(CheckedAttempt {
        claims,
        address_key,
        correct,
    })
}

/// Maps the guard's answer to a send (or the IP's counter) to the result the client sees.
pub fn send_verdict(outcome: SendOutcome) -> Result<(), DomainError> {
    match outcome {
        SendOutcome::Accepted => Ok(()),
        SendOutcome::Throttled {
            retry_after_seconds,
            ..
        } => Err(DomainError::Throttled {
            retry_after_seconds,
        }),
    }
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
        epoch: user.session_epoch,
        method: AuthenticationMethod::EmailOtp,
        scope: SessionScope::Full,
        issued_at: now,
        expires_at: now + SESSION_LIFETIME_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard::{record_attempt, record_send, AddressRecord, WindowCounter};
    use crate::keys::tests::ring;
    use crate::limits::CODE_LIFETIME_MS;

    const NOW: UnixMillis = 1_795_348_800_000;

    fn guest() -> UserRecord {
        UserRecord {
            id: "g1".into(),
            tenant_id: "t1".into(),
            user_type: guestpass_wire::UserType::Guest,
            display_name: "Ada".into(),
            mail: Some("ada@example.com".into()),
            user_principal_name: "ada_example.com#EXT#@contoso.com".into(),
            roles: vec![],
            created_at: NOW,
            external_user_state: Some(guestpass_wire::ExternalUserState::PendingAcceptance),
            external_user_state_changed_at: Some(NOW),
            source: None,
            invite_redirect_url: None,
            session_epoch: 0,
            groups: vec![],
        }
    }

    #[test]
    fn invited_and_unknown_addresses_get_the_same_answer_but_only_guests_get_mail() {
        let keys = ring(&["k1"]);
        let invited = plan_send(
            &keys,
            "t1",
            "ada@example.com",
            Some(&guest()),
            [1; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        let stranger = plan_send(
            &keys,
            "t1",
            "eve@example.com",
            None,
            [1; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        assert!(invited.deliver);
        assert!(!stranger.deliver);
        let (a, b) = (
            send_response(&invited.issued),
            send_response(&stranger.issued),
        );
        assert_eq!(
            (a.code_length, a.resend_after_seconds, &a.expires_at),
            (b.code_length, b.resend_after_seconds, &b.expires_at)
        );
        assert_eq!(
            a.challenge.len().abs_diff(b.challenge.len()),
            0,
            "same-length addresses give same-length challenges"
        );
    }

    #[test]
    fn a_whole_conversation_with_a_fixed_clock() {
        let keys = ring(&["k1"]);
        let plan = plan_send(
            &keys,
            "t1",
            "ada@example.com",
            Some(&guest()),
            [7; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        let (address, _, _) = record_send(
            AddressRecord::default(),
            WindowCounter::default(),
            100,
            &plan.issued.claims.nonce,
            plan.issued.claims.expires_at(),
            NOW,
        );
        // A wrong code first: counted, with tries left.
        let wrong = if plan.issued.code == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        let attempt = check_attempt(&keys, "t1", &plan.issued.text, wrong, NOW + 10_000).unwrap();
        assert!(!attempt.correct);
        let (address, outcome) = record_attempt(
            address,
            &attempt.claims.nonce,
            attempt.correct,
            NOW + 10_000,
        );
        assert_eq!(
            verdict(outcome),
            Err(DomainError::WrongCode {
                attempts_remaining: 4
            })
        );
        // Then the right one, 29 minutes 59 seconds in.
        let at = NOW + CODE_LIFETIME_MS - 1_000;
        let attempt = check_attempt(&keys, "t1", &plan.issued.text, &plan.issued.code, at).unwrap();
        let (address, outcome) =
            record_attempt(address, &attempt.claims.nonce, attempt.correct, at);
        assert_eq!(verdict(outcome), Ok(()));
        let session = email_code_session(&account_for_code(Some(guest())).unwrap(), at);
        assert_eq!(session.expires_at, at + SESSION_LIFETIME_MS);
        // A replay fails.
        let (_, outcome) = record_attempt(address, &attempt.claims.nonce, true, at + 1);
        assert_eq!(verdict(outcome), Err(DomainError::CodeAlreadyUsed));
    }

    #[test]
    fn stateless_checks_refuse_other_tenants_expired_codes_and_bad_shapes() {
        let keys = ring(&["k1"]);
        let plan = plan_send(
            &keys,
            "t1",
            "ada@example.com",
            None,
            [7; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        let code = &plan.issued.code;
        assert_eq!(
            check_attempt(&keys, "t2", &plan.issued.text, code, NOW).unwrap_err(),
            DomainError::ChallengeInvalid
        );
        assert_eq!(
            check_attempt(
                &keys,
                "t1",
                &plan.issued.text,
                code,
                NOW + CODE_LIFETIME_MS + 1_000
            )
            .unwrap_err(),
            DomainError::CodeExpired
        );
        assert!(matches!(
            check_attempt(&keys, "t1", &plan.issued.text, "12ab5678", NOW).unwrap_err(),
            DomainError::Validation { target: "code", .. }
        ));
    }

    #[test]
    fn a_throttled_send_carries_its_retry_delay() {
        use crate::guard::ThrottleScope;
        assert_eq!(send_verdict(SendOutcome::Accepted), Ok(()));
        let refused = SendOutcome::Throttled {
            retry_after_seconds: 42,
            scope: ThrottleScope::ClientIp,
        };
        assert_eq!(
            send_verdict(refused),
            Err(DomainError::Throttled {
                retry_after_seconds: 42
            })
        );
    }

    #[test]
    fn the_right_code_for_an_uninvited_address_does_not_sign_in() {
        assert_eq!(account_for_code(None).unwrap_err(), DomainError::NoAccount);
    }

    #[test]
    fn address_keys_hide_the_address() {
        let key = address_key("ada@example.com");
        assert_eq!(key.len(), 32);
        assert!(!key.contains("ada"));
        assert_eq!(key, address_key("ada@example.com"));
    }
}

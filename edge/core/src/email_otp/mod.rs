//! Guest sign-in with an email one-time passcode: the stateless challenge, the tenant's policy,
//! send, verify and the emails.

pub mod challenge;
pub mod policy;
pub mod send;
pub mod verify;

pub use send::send;
pub use verify::verify;

use guestpass_wire::UserType;

use crate::directory::UserRecord;

/// Whether a user may sign in with an email code, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailCodeEligibility {
    Eligible,
    NotInvited,
    NotAGuest,
}

/// Only invited guests sign in with email codes.
pub fn email_code_eligibility(user: Option<&UserRecord>) -> EmailCodeEligibility {
    match user {
        None => EmailCodeEligibility::NotInvited,
        Some(u) if u.user_type != UserType::Guest => EmailCodeEligibility::NotAGuest,
        Some(_) => EmailCodeEligibility::Eligible,
    }
}

#[cfg(test)]
mod tests {
    use super::send::*;
    use super::verify::*;
    use super::*;
    use crate::error::DomainError;
    use crate::guard::codes::{record_attempt, record_send, AddressRecord, SendFacts};
    use crate::guard::counter::WindowCounter;
    use crate::guard::subject_key as address_key;
    use crate::guard::{SendOutcome, Shards};
    use crate::keys::tests::ring;
    use crate::limits::{CODE_LIFETIME_MS, SESSION_LIFETIME_MS};
    use crate::time::UnixMillis;

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
            groups: vec![],
        }
    }

    #[test]
    fn invited_and_unknown_addresses_get_the_same_answer_but_only_guests_get_mail() {
        let keys = ring(&["k1"]);
        let invited = plan_send(
            &keys,
            "t1",
            Shards::default(),
            "ada@example.com",
            Some(&guest()),
            [1; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        let stranger = plan_send(
            &keys,
            "t1",
            Shards::default(),
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
            Shards::default(),
            "ada@example.com",
            Some(&guest()),
            [7; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        let facts = SendFacts {
            nonce: plan.issued.claims.nonce.clone(),
            network: "192.0.2.1".into(),
            expires_at: plan.issued.claims.expires_at(),
            counts_for_tenant: plan.deliver,
            per_tenant_per_hour: 100,
        };
        let (address, _, _) = record_send(
            AddressRecord::default(),
            WindowCounter::default(),
            &facts,
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
            Shards::default(),
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
    fn the_guard_names_an_address_by_a_keyed_mac_of_the_challenges_key() {
        let keys = ring(&["k1"]);
        let plan = plan_send(
            &keys,
            "t1",
            Shards::default(),
            "ada@example.com",
            None,
            [1; 16],
            NOW,
            CODE_LIFETIME_MS,
        );
        assert_eq!(
            plan.address_key,
            address_key(keys.signing(), "ada@example.com")
        );
        assert!(!plan.address_key.contains("ada"));
        let attempt = check_attempt(&keys, "t1", &plan.issued.text, "12345678", NOW).unwrap();
        assert_eq!(attempt.address_key, plan.address_key);
    }
}

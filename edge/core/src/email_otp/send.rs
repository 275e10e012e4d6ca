//! Sending a code: every well-formed address gets the same `202` and the same kind of challenge;
//! only an invited guest gets an email. Throttles apply to every address alike, or they would
//! tell them apart.

use guestpass_wire::{normalize_email, AuthenticationMethod, SendCodeRequest, SendCodeResponse};

use super::challenge::{self, IssuedChallenge, Purpose};
use super::{email_code_eligibility, policy, EmailCodeEligibility};
use crate::audit::SignInEvent;
use crate::context::Ctx;
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::guard::codes::SendFacts;
use crate::guard::{self, shards, subject_key, GuardCommand, SendOutcome, Shards};
use crate::join::join;
use crate::keys::KeyRing;
use crate::limits::{ADDRESS_RESEND_INTERVAL_MS, CODE_LENGTH, CODE_LIFETIME_MS};
use crate::mail::code_email;
use crate::ports::{Entropy, Mailer, Ports};
use crate::time::{format_rfc3339, UnixMillis, SECOND};

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
#[allow(clippy::too_many_arguments)]
pub fn plan_send(
    keys: &KeyRing,
    tenant_id: &str,
    shards: Shards,
    email: &str,
    user: Option<&UserRecord>,
    nonce: [u8; 16],
    now: UnixMillis,
    lifetime_ms: i64,
) -> SendPlan {
    let address_key = subject_key(keys.signing(), email);
    let issued = challenge::issue(
        keys,
        tenant_id,
        email,
        Purpose::SignIn,
        shards.pick(&address_key),
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
        address_key,
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

/// `POST sign-in/email-otp/send`.
pub async fn send<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    request: &SendCodeRequest,
) -> Result<SendCodeResponse, DomainError> {
    let email = normalize_email(&request.email).map_err(DomainError::InvalidEmail)?;
    let mut event = SignInEvent {
        tenant,
        method: AuthenticationMethod::EmailOtp,
        step: "send",
        user_id: None,
        address: &email,
    };
    policy::require_email_otp(tenant.email_otp_state, cx.settings.email_otp, cx.now)
        .map_err(|err| event.failed(cx, err))?;
    let network = cx.network();
    let network_command = GuardCommand::NetworkSend {
        network: Some(network.clone()),
        per_network_per_hour: cx.settings.send_limits.per_ip_per_hour,
        now: cx.now,
    };
    // Not logged when refused: a client over its limit must not be able to fill the log either.
    // The address's user is read meanwhile (a read changes nothing, so it need not wait); the
    // tenant's guard is asked only once the network's has allowed the send, so a client over
    // its limit cannot spend an address's sends — nor replace a guest's live code with one never
    // mailed, as asking both at once did (tested in `email_otp_flows.rs`).
    let instance = guard::network_instance(&cx.settings.keys, cx.data_centre, &network);
    let (network_verdict, user) = join(
        guard::send(cx.ports.guard(), &instance, network_command),
        cx.directory().user_by_sign_in_name(&tenant.id, &email),
    )
    .await;
    send_verdict(network_verdict?)?;
    let user = user?;
    event.user_id = user.as_ref().map(|u| u.id.as_str());
    let shards = tenant.guard_shards;
    let plan = plan_send(
        &cx.settings.keys,
        &tenant.id,
        shards,
        &email,
        user.as_ref(),
        cx.ports.entropy().bytes()?,
        cx.now,
        CODE_LIFETIME_MS,
    );
    let command = GuardCommand::Send {
        address_key: plan.address_key.clone(),
        facts: SendFacts {
            nonce: plan.issued.claims.nonce.clone(),
            network,
            expires_at: plan.issued.claims.expires_at(),
            counts_for_tenant: plan.deliver,
            per_tenant_per_hour: shards.share(cx.settings.send_limits.per_tenant_per_hour),
        },
        now: cx.now,
    };
    // The address's shard, as the challenge names it for the verification.
    let instance = shards::instance(&tenant.id, plan.issued.claims.shard);
    let outcome = guard::send(cx.ports.guard(), &instance, command).await?;
    send_verdict(outcome).map_err(|err| event.failed(cx, err))?;
    event.record(cx, Ok(()), Some(plan.log_reason));
    if plan.deliver {
        cx.ports.mailer().send(code_email(
            &email,
            &tenant.display_name,
            &plan.issued.code,
            request.language.unwrap_or_default(),
        ));
    }
    Ok(send_response(&plan.issued))
}

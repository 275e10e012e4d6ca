//! Signing in with a passkey (WebAuthn §7.2): options for `navigator.credentials.get`, then the
//! assertion. Every refusal is one answer (`passkey_not_recognized`), with its reason in the
//! sign-in log, and counts as a failed attempt from the client's network in the guard.

use guestpass_wire::passkey::{PasskeyOptionsRequest, PasskeySignInRequest, RequestOptions};
use guestpass_wire::{normalize_email, AuthenticationMethod, SessionScope, UserType};

use super::ceremony::{verify_authentication, Assertion, Registered};
use super::challenge::{self, Ceremony};
use super::record::method_id;
use super::register::require_enabled;
use super::{base64url, client_data, expectation, relying_party, unbase64url, user_verification};
use crate::audit::SignInEvent;
use crate::context::Ctx;
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::guard;
use crate::limits::{PASSKEY_CHALLENGE_MS, SESSION_LIFETIME_MS};
use crate::ports::{Entropy, Ports};
use crate::session::{signed_in, SessionClaims, SignedIn};

/// The username a ceremony is for, normalized; `""` for a discoverable sign-in.
fn username_of(username: Option<&str>) -> Result<String, DomainError> {
    match username.map(str::trim).filter(|u| !u.is_empty()) {
        Some(username) => normalize_email(username).map_err(DomainError::InvalidEmail),
        None => Ok(String::new()),
    }
}

/// `POST sign-in/passkey/options`. The challenge binds the username when there is one; the
/// options never list credentials, so they say nothing about who has a passkey (every passkey
/// Guestpass registers is discoverable, so the browser finds it without a list).
pub async fn options<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    request: &PasskeyOptionsRequest,
) -> Result<RequestOptions, DomainError> {
    require_enabled(tenant)?;
    let username = username_of(request.username.as_deref())?;
    let nonce = cx.ports.entropy().bytes::<16>()?;
    let challenge = challenge::issue(
        &cx.settings.keys,
        Ceremony::SignIn,
        &tenant.id,
        &username,
        tenant.guard_shards,
        nonce,
        cx.now,
        PASSKEY_CHALLENGE_MS,
    );
    let (_, rp_id) = relying_party(cx.link_origin);
    Ok(RequestOptions {
        challenge: base64url(&challenge),
        timeout: PASSKEY_CHALLENGE_MS as u32,
        rp_id: rp_id.into(),
        allow_credentials: Vec::new(),
        user_verification: user_verification(tenant.passkey_policy.is_user_verification_required),
    })
}

/// `POST sign-in/passkey`: a full 24-hour session for the passkey's owner.
pub async fn sign_in<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    request: &PasskeySignInRequest,
) -> Result<SignedIn, DomainError> {
    let username = username_of(request.username.as_deref())?;
    let mut event = SignInEvent {
        tenant,
        method: AuthenticationMethod::Passkey,
        step: "passkey",
        user_id: None,
        address: if username.is_empty() {
            "unknown"
        } else {
            &username
        },
    };
    let owner = match check(cx, tenant, &username, request).await {
        Ok(owner) => owner,
        Err(err) => return Err(refused(cx, tenant, &event, err).await),
    };
    let (user, mut record, asserted) = owner;
    event.user_id = Some(&user.id);
    event.address = user.sign_in_name();
    record.sign_count = asserted.sign_count;
    record.backed_up = asserted.backed_up;
    record.last_used_at = Some(cx.now);
    record.possibly_cloned |= asserted.possible_clone;
    cx.directory().update_passkey(&user, &record).await?;
    if asserted.possible_clone && tenant.passkey_policy.refuse_possible_clones {
        return Err(event.failed(cx, DomainError::PasskeyNotAllowed("possible_clone")));
    }
    let claims = SessionClaims {
        user_id: user.id.clone(),
        tenant_id: tenant.id.clone(),
        method: AuthenticationMethod::Passkey,
        scope: SessionScope::Full,
        issued_at: cx.now,
        expires_at: cx.now + SESSION_LIFETIME_MS,
        synced_passkey: asserted.backed_up,
    };
    let reason = asserted.possible_clone.then_some("possible_clone");
    event.record(cx, Ok(()), reason);
    Ok(signed_in(&cx.settings.keys, &user, &claims, None, cx.now))
}

type Verified = (
    crate::directory::user::UserRecord,
    super::record::PasskeyRecord,
    super::Asserted,
);

/// Everything that can refuse, before anything is written.
async fn check<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    username: &str,
    request: &PasskeySignInRequest,
) -> Result<Verified, DomainError> {
    require_enabled(tenant)?;
    let not_recognized = DomainError::PasskeyNotRecognized;
    let response = &request.credential.response;
    let client_data_json = unbase64url(&response.client_data_json, "clientDataJSON")?;
    let authenticator_data = unbase64url(&response.authenticator_data, "authenticatorData")?;
    let signature = unbase64url(&response.signature, "signature")?;
    let raw_id = unbase64url(&request.credential.raw_id, "rawId")?;
    let user_handle = match &response.user_handle {
        Some(handle) => Some(unbase64url(handle, "userHandle")?),
        None => None,
    };
    let challenge =
        client_data::challenge_of(&client_data_json).ok_or(not_recognized("client_data"))?;
    let opened = challenge::open(
        &cx.settings.keys,
        &challenge,
        Ceremony::SignIn,
        &tenant.id,
        username,
        cx.now,
    )
    .map_err(|e| match e {
        challenge::ChallengeError::Expired => not_recognized("challenge_expired"),
        challenge::ChallengeError::Invalid => not_recognized("challenge_invalid"),
    })?;
    let nonce = base64url(&opened.nonce);
    let instance = guard::shards::instance(&tenant.id, opened.shard);
    if !guard::use_challenge(
        cx.ports.guard(),
        &instance,
        &nonce,
        opened.expires_at,
        cx.now,
    )
    .await?
    {
        return Err(not_recognized("challenge_used"));
    }
    // The credential names its owner through the index; a discoverable sign-in must also carry
    // the owner's user handle, and a username-first one must be that username's.
    let directory = cx.directory();
    let method = method_id(&raw_id);
    let owner = directory.passkey_owner(&tenant.id, &method).await?;
    let user = match owner {
        Some(id) => directory.user(&tenant.id, &id).await?,
        None => None,
    };
    let user = user
        .filter(|u| u.user_type == UserType::Member)
        .ok_or(not_recognized("unknown_credential"))?;
    if !username.is_empty() && user.sign_in_name() != username {
        return Err(not_recognized("other_user"));
    }
    if username.is_empty() && user_handle.is_none() {
        return Err(not_recognized("no_user_handle"));
    }
    let record = directory
        .passkey(&user, &method)
        .await?
        .ok_or(not_recognized("unknown_credential"))?;
    let public_key = unbase64url(&record.public_key, "publicKey")
        .map_err(|_| DomainError::Internal(format!("passkey {method}: stored key unreadable")))?;
    let expect = expectation(cx.link_origin, tenant, &challenge);
    let assertion = Assertion {
        client_data_json: &client_data_json,
        authenticator_data: &authenticator_data,
        signature: &signature,
        user_handle: user_handle.as_deref(),
    };
    let registered = Registered {
        public_key: &public_key,
        user_handle: user.id.as_bytes(),
        sign_count: record.sign_count,
        backup_eligible: record.backup_eligible,
    };
    let asserted = verify_authentication(&expect, &assertion, &registered, cx.ports.signatures())
        .await
        .map_err(|refusal| not_recognized(refusal.reason()))?;
    Ok((user, record, asserted))
}

/// A refused sign-in: counted against the client's network like any failed attempt (and
/// throttled with it), and logged.
async fn refused<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    event: &SignInEvent<'_>,
    err: DomainError,
) -> DomainError {
    if !matches!(err, DomainError::PasskeyNotRecognized(_)) {
        return event.failed(cx, err);
    }
    let counted = guard::failure(
        cx.ports.guard(),
        &cx.settings.keys,
        tenant,
        cx.network(),
        cx.now,
    );
    match counted.await {
        Ok((Some(retry_after_seconds), tally)) => event.failed_attempt(
            cx,
            DomainError::Throttled {
                retry_after_seconds,
            },
            Some(tally),
        ),
        Ok((None, tally)) => event.failed_attempt(cx, err, Some(tally)),
        Err(unavailable) => unavailable,
    }
}

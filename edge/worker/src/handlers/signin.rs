//! Guest sign-in with an email code: the public page data, send, verify.

use guestpass_core::directory::{redeem_with_email_code, TenantRecord, UserRecord};
use guestpass_core::guard::GuardCommand;
use guestpass_core::limits::CODE_LIFETIME_MS;
use guestpass_core::mail::code_email;
use guestpass_core::session::SessionClaims;
use guestpass_core::storage_keys as keys;
use guestpass_core::storage_keys::{ip_guard, tenant_guard};
use guestpass_core::tap::PassRecord;
use guestpass_core::tap_signin::{
    check_pass, pass_session, pass_user_key, pass_verdict, record_use,
};
use guestpass_core::{policy, session, signin, DomainError};
use guestpass_wire::tap::{PassSignInRequest, PolicyState};
use guestpass_wire::{
    normalize_email, AuthenticationMethod, SendCodeRequest, SignInInfo, SignInMethods,
    SignInResult, VerifyCodeRequest,
};
use worker::Request;

use crate::audit::{self, SignInEvent};
use crate::guard_client;
use crate::http::{json, read_json, set_header, HandlerResult};
use crate::mailer::send_after_response;
use crate::random;
use crate::router::Ctx;

pub fn info(ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    json(
        200,
        &SignInInfo {
            tenant_id: tenant.id.clone(),
            display_name: tenant.display_name.clone(),
            branding: tenant.branding.clone(),
            methods: SignInMethods {
                email_otp: policy::is_effectively_enabled(
                    tenant.email_otp_state,
                    ctx.config.email_otp,
                    ctx.now,
                ),
                temporary_access_pass: tenant.tap_policy.state == PolicyState::Enabled,
            },
            verified_domains: tenant.verified_domains.clone(),
            development_outbox: ctx.config.development,
        },
    )
}

/// Records an email-code sign-in log line after the response.
fn log(
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    user_id: Option<&str>,
    address: &str,
    step: &str,
    result: Result<(), &DomainError>,
    reason: Option<&str>,
) {
    log_event(
        ctx,
        tenant,
        AuthenticationMethod::EmailOtp,
        user_id,
        address,
        step,
        result,
        reason,
    );
}

/// Records a sign-in log line after the response.
#[allow(clippy::too_many_arguments)]
fn log_event(
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    method: AuthenticationMethod,
    user_id: Option<&str>,
    address: &str,
    step: &str,
    result: Result<(), &DomainError>,
    reason: Option<&str>,
) {
    let Ok(id) = random::uuid() else { return };
    let reason = match (reason, result) {
        (Some(reason), _) => reason.to_string(),
        (None, Ok(())) => "ok".into(),
        (None, Err(e)) => e.log_reason(),
    };
    let event = SignInEvent {
        tenant_id: &tenant.id,
        user_id,
        address,
        method,
        step,
        success: result.is_ok(),
        reason,
        ip: &ctx.client_ip,
    };
    let (key, entry) = audit::sign_in_entry(&event, id, ctx.now);
    audit::write_after_response(ctx, key, entry);
}

/// `POST sign-in/email-otp/send`: the same `202` for every well-formed address; an email only
/// for an invited guest. Throttles apply to every address alike, or they would tell them apart.
pub async fn send(req: &mut Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: SendCodeRequest = read_json(req).await?;
    let email = normalize_email(&body.email).map_err(DomainError::InvalidEmail)?;
    if let Err(err) =
        policy::require_email_otp(tenant.email_otp_state, ctx.config.email_otp, ctx.now)
    {
        log(ctx, tenant, None, &email, "send", Err(&err), None);
        return Err(err);
    }
    let ip_command = GuardCommand::IpSend {
        per_ip_per_hour: ctx.config.send_limits.per_ip_per_hour,
        now: ctx.now,
    };
    // Not logged when refused: an IP over its limit must not be able to fill the log either.
    signin::send_verdict(
        guard_client::send(ctx.env, &ip_guard(&ctx.client_ip), &ip_command).await?,
    )?;

    let user = ctx
        .directory
        .user_by_sign_in_name(&tenant.id, &email)
        .await?;
    let plan = signin::plan_send(
        &ctx.config.keys,
        &tenant.id,
        &email,
        user.as_ref(),
        random::bytes()?,
        ctx.now,
        CODE_LIFETIME_MS,
    );
    let command = GuardCommand::Send {
        address_key: plan.address_key.clone(),
        nonce: plan.issued.claims.nonce.clone(),
        expires_at: plan.issued.claims.expires_at(),
        per_tenant_per_hour: ctx.config.send_limits.per_tenant_per_hour,
        now: ctx.now,
    };
    let outcome = guard_client::send(ctx.env, &tenant_guard(&tenant.id), &command).await?;
    let user_id = user.as_ref().map(|u| u.id.as_str());
    if let Err(err) = signin::send_verdict(outcome) {
        log(ctx, tenant, user_id, &email, "send", Err(&err), None);
        return Err(err);
    }
    log(
        ctx,
        tenant,
        user_id,
        &email,
        "send",
        Ok(()),
        Some(plan.log_reason),
    );
    if plan.deliver {
        let message = code_email(
            &email,
            &tenant.display_name,
            &plan.issued.code,
            body.language.unwrap_or_default(),
        );
        send_after_response(ctx, message)?;
    }
    json(202, &signin::send_response(&plan.issued))
}

/// `POST sign-in/email-otp/verify`: stateless checks, then the guard counts the attempt and
/// enforces "once"; the first success redeems the invitation and opens a 24-hour session.
pub async fn verify(req: &mut Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: VerifyCodeRequest = read_json(req).await?;
    if let Err(err) =
        policy::require_email_otp(tenant.email_otp_state, ctx.config.email_otp, ctx.now)
    {
        log(ctx, tenant, None, "unknown", "verify", Err(&err), None);
        return Err(err);
    }
    let attempt = match signin::check_attempt(
        &ctx.config.keys,
        &tenant.id,
        &body.challenge,
        &body.code,
        ctx.now,
    ) {
        Ok(attempt) => attempt,
        Err(err) => {
            log(ctx, tenant, None, "unknown", "verify", Err(&err), None);
            return Err(err);
        }
    };
    let email = attempt.claims.email.clone();
    let command = GuardCommand::Verify {
        address_key: attempt.address_key.clone(),
        nonce: attempt.claims.nonce.clone(),
        correct: attempt.correct,
        now: ctx.now,
    };
    let outcome = guard_client::verify(ctx.env, &tenant_guard(&tenant.id), &command).await?;
    if let Err(err) = signin::verdict(outcome) {
        log(ctx, tenant, None, &email, "verify", Err(&err), None);
        return Err(err);
    }
    let found = ctx
        .directory
        .user_by_sign_in_name(&tenant.id, &email)
        .await?;
    let mut user = match signin::account_for_code(found) {
        Ok(user) => user,
        Err(err) => {
            log(
                ctx,
                tenant,
                None,
                &email,
                "verify",
                Err(&err),
                Some("no_account"),
            );
            return Err(err);
        }
    };
    let redeemed = redeem_with_email_code(&mut user, ctx.now);
    if redeemed {
        ctx.directory.update_user(&user).await?;
    }
    let claims = signin::email_code_session(&user, ctx.now);
    log(
        ctx,
        tenant,
        Some(&user.id),
        &email,
        "verify",
        Ok(()),
        Some(if redeemed { "redeemed" } else { "ok" }),
    );
    signed_in(ctx, &user, &claims, user.invite_redirect_url.clone())
}

/// A sign-in's answer: the session and where to go, with the signed cookie.
fn signed_in(
    ctx: &Ctx<'_>,
    user: &UserRecord,
    claims: &SessionClaims,
    redirect_url: Option<String>,
) -> HandlerResult {
    let cookie = session::sign(&ctx.config.keys, claims);
    let result = SignInResult {
        session: session::view(user, claims),
        redirect_url,
    };
    let mut response = json(200, &result)?;
    set_header(
        &mut response,
        "Set-Cookie",
        &session::set_cookie_header(&cookie, claims, ctx.now),
    );
    Ok(response)
}

/// `POST sign-in/temporary-access-pass`: a member signs in with a pass. The pass is compared in
/// constant time; the guard Durable Object counts wrong passes per username (known or not) and
/// lets a one-time pass succeed once.
pub async fn pass(req: &mut Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: PassSignInRequest = read_json(req).await?;
    let username = normalize_email(&body.username).map_err(DomainError::InvalidEmail)?;
    let user = ctx
        .directory
        .user_by_sign_in_name(&tenant.id, &username)
        .await?;
    let mut stored: Option<PassRecord> = match &user {
        Some(user) => ctx.directory.get(&keys::pass(&tenant.id, &user.id)).await?,
        None => None,
    };
    let attempt = check_pass(
        &ctx.config.keys,
        &tenant.tap_policy,
        user.as_ref(),
        stored.as_ref(),
        &body.temporary_access_pass,
        ctx.now,
    );
    let command = GuardCommand::Pass {
        user_key: pass_user_key(&username),
        correct: attempt.correct,
        consume: attempt.consume.clone(),
        now: ctx.now,
    };
    let outcome = guard_client::pass(ctx.env, &tenant_guard(&tenant.id), &command).await?;
    let user_id = user.as_ref().map(|u| u.id.as_str());
    let method = AuthenticationMethod::TemporaryAccessPass;
    if let Err(err) = pass_verdict(outcome, attempt.refusal) {
        log_event(
            ctx,
            tenant,
            method,
            user_id,
            &username,
            "pass",
            Err(&err),
            None,
        );
        return Err(err);
    }
    // The verdict is Ok only for a member with the right, usable pass.
    let (Some(user), Some(pass)) = (user.as_ref(), stored.as_mut()) else {
        return Err(DomainError::Internal("pass verdict without a pass".into()));
    };
    if record_use(pass, attempt.consume.as_deref(), ctx.now) {
        ctx.directory
            .put(&keys::pass(&tenant.id, &user.id), &*pass)
            .await?;
    }
    let claims = pass_session(user, pass, ctx.now);
    log_event(
        ctx,
        tenant,
        method,
        Some(&user.id),
        &username,
        "pass",
        Ok(()),
        None,
    );
    signed_in(ctx, user, &claims, None)
}

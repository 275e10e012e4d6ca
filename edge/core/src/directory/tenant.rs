//! Tenants: the record, and a new tenant with its first Global Administrator.

use guestpass_wire::tap::CreatePassRequest;
use guestpass_wire::{
    normalize_email, AdminRef, Branding, CreateTenantRequest, CreateTenantResponse, EmailOtpState,
    GuardSettings, InvitationDomains, Role, SignInInfo, SignInMethods, TenantView,
};
use serde::{Deserialize, Serialize};

use super::user::{check_display_name, member_record, UserRecord};
use crate::audit;
use crate::authz;
use crate::context::{Body, Credentials, Ctx, Settings};
use crate::email_otp;
use crate::error::DomainError;
use crate::guard::shards::{Shards, MAX_SHARDS};
use crate::ports::{Entropy, Ports};
use crate::tap::{self, issue::PASS_ENTROPY_BYTES, policy::PassPolicy};
use crate::time::UnixMillis;

const MAX_VERIFIED_DOMAINS: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantRecord {
    pub id: String,
    pub display_name: String,
    pub verified_domains: Vec<String>,
    pub created_at: UnixMillis,
    pub email_otp_state: EmailOtpState,
    #[serde(default)]
    pub branding: Branding,
    /// The Temporary Access Pass policy (tenants stored before it existed get the defaults).
    #[serde(default)]
    pub tap_policy: PassPolicy,
    /// Which domains guests may be invited from (allow all by default).
    #[serde(default)]
    pub invitation_domains: InvitationDomains,
    /// The passkey policy (defaults: on, user verification required, any authenticator).
    #[serde(default)]
    pub passkey_policy: guestpass_wire::passkey::PasskeyPolicy,
    /// How many guard instances share the tenant's records (the operator's setting; one for
    /// tenants stored before it existed, and not written while it is one).
    #[serde(default, skip_serializing_if = "Shards::is_one")]
    pub guard_shards: Shards,
}

impl TenantRecord {
    pub fn view(&self) -> TenantView {
        TenantView {
            id: self.id.clone(),
            display_name: self.display_name.clone(),
            verified_domains: self.verified_domains.clone(),
        }
    }

    pub fn primary_domain(&self) -> &str {
        &self.verified_domains[0]
    }
}

/// A new tenant and its first Global Administrator, validated.
pub fn new_tenant(
    request: &CreateTenantRequest,
    tenant_id: String,
    admin_id: String,
    now: UnixMillis,
    default_email_otp: EmailOtpState,
) -> Result<(TenantRecord, UserRecord), DomainError> {
    let display_name = check_display_name("displayName", &request.display_name)?;
    if request.verified_domains.is_empty() || request.verified_domains.len() > MAX_VERIFIED_DOMAINS
    {
        return Err(DomainError::validation(
            "verifiedDomains",
            format!("Give 1 to {MAX_VERIFIED_DOMAINS} domains."),
        ));
    }
    let mut domains: Vec<String> = Vec::new();
    for domain in &request.verified_domains {
        let domain = domain.trim().to_ascii_lowercase();
        if !guestpass_wire::email::is_valid_domain(&domain) {
            return Err(DomainError::validation(
                "verifiedDomains",
                format!("{domain:?} is not a domain name."),
            ));
        }
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    let upn =
        normalize_email(&request.admin.user_principal_name).map_err(DomainError::InvalidEmail)?;
    let upn_domain = upn.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if !domains.iter().any(|d| d == upn_domain) {
        return Err(DomainError::validation(
            "admin.userPrincipalName",
            "The administrator's name must be in one of the verified domains.",
        ));
    }
    let admin_name = check_display_name("admin.displayName", &request.admin.display_name)?;
    let tenant = TenantRecord {
        id: tenant_id.clone(),
        display_name,
        verified_domains: domains,
        created_at: now,
        email_otp_state: default_email_otp,
        branding: Branding::default(),
        invitation_domains: InvitationDomains::default(),
        passkey_policy: Default::default(),
        tap_policy: PassPolicy::default(),
        guard_shards: Shards::default(),
    };
    let admin = member_record(
        tenant_id,
        admin_id,
        admin_name,
        upn,
        vec![Role::GlobalAdministrator],
        Vec::new(),
        now,
    );
    Ok((tenant, admin))
}

/// The bootstrap pass lasts a working day: long enough to sign in, configure the tenant and
/// register a passkey.
pub const BOOTSTRAP_PASS_MINUTES: u32 = 8 * 60;

/// `POST operator/tenants`: a tenant, its first Global Administrator, and a multi-use pass valid
/// [`BOOTSTRAP_PASS_MINUTES`] so that administrator can sign in. A verified domain belongs to one
/// tenant only.
pub async fn create_tenant<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    body: impl Body<CreateTenantRequest>,
) -> Result<CreateTenantResponse, DomainError> {
    let operator = authz::require_operator(cx.settings, credentials)?;
    let request = &body.read().await?;
    let (tenant, admin) = new_tenant(
        request,
        cx.uuid()?,
        cx.uuid()?,
        cx.now,
        EmailOtpState::Default,
    )?;
    let directory = cx.directory();
    for domain in &tenant.verified_domains {
        if directory.domain_taken(domain).await? {
            return Err(DomainError::Conflict(format!(
                "The domain {domain} is already verified by another organization."
            )));
        }
    }
    // The bootstrap pass is an ordinary pass, issued under the new tenant's (default) policy.
    let pass_request = CreatePassRequest {
        lifetime_in_minutes: Some(BOOTSTRAP_PASS_MINUTES),
        ..Default::default()
    };
    let issued = tap::issue::plan_create(
        &cx.settings.keys,
        tap::issue::PassDraft {
            policy: &tenant.tap_policy,
            target: &admin,
            existing: None,
            request: &pass_request,
            shards: tenant.guard_shards,
            now: cx.now,
        },
        cx.uuid()?,
        &cx.ports.entropy().bytes::<PASS_ENTROPY_BYTES>()?,
    )?;
    // The user and pass first; the tenant (and its domains) last, which makes it all reachable.
    directory.save_user(&admin, None).await?;
    directory.save_pass(&admin, &issued.record).await?;
    directory.create_tenant(&tenant).await?;
    audit::directory_change(cx, &tenant.id, &operator, "Create tenant", &tenant.id, None);
    Ok(CreateTenantResponse {
        tenant: tenant.view(),
        admin: AdminRef {
            id: admin.id.clone(),
            user_principal_name: admin.user_principal_name.clone(),
        },
        temporary_access_pass: issued.record.issued_view(issued.value),
        sign_in_url: sign_in_url(cx.link_origin, &tenant.id),
    })
}

/// Where a tenant's users sign in.
pub fn sign_in_url(origin: &str, tenant_id: &str) -> String {
    format!("{origin}/{tenant_id}/sign-in")
}

/// `GET sign-in`: what the public sign-in page shows — name, branding, the methods in force.
pub fn sign_in_info(settings: &Settings, tenant: &TenantRecord, now: UnixMillis) -> SignInInfo {
    SignInInfo {
        tenant_id: tenant.id.clone(),
        display_name: tenant.display_name.clone(),
        branding: tenant.branding.clone(),
        methods: SignInMethods {
            email_otp: email_otp::policy::is_effectively_enabled(
                tenant.email_otp_state,
                settings.email_otp,
                now,
            ),
            temporary_access_pass: tenant.tap_policy.is_enabled(),
            passkey: tenant.passkey_policy.state == guestpass_wire::tap::PolicyState::Enabled,
        },
        verified_domains: tenant.verified_domains.clone(),
        development_outbox: settings.development,
    }
}

/// A tenant-wide setting changed (a policy, branding, external collaboration): the caller needs
/// `permission`; `change` applies the request to the record, or refuses it and nothing is
/// stored; the record is saved and the change logged as `activity` with the detail `change`
/// gives. Every setting's `PATCH` is this, with its own rule.
pub async fn change_setting<P: Ports, B>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    mut tenant: TenantRecord,
    permission: authz::Permission,
    body: impl Body<B>,
    activity: &str,
    change: impl FnOnce(&mut TenantRecord, B) -> Result<Option<String>, DomainError>,
) -> Result<TenantRecord, DomainError> {
    let principal = authz::authorized(cx, credentials, &tenant, permission).await?;
    let request = body.read().await?;
    let detail = change(&mut tenant, request)?;
    cx.directory().save_tenant(&tenant).await?;
    audit::directory_change(cx, &tenant.id, &principal, activity, &tenant.id, detail);
    Ok(tenant)
}

/// `GET operator/tenants/{tenant}/guard`: the operator's only, like the setting itself.
pub fn guard_settings(
    settings: &Settings,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<GuardSettings, DomainError> {
    authz::require_operator(settings, credentials)?;
    Ok(GuardSettings {
        shards: tenant.guard_shards.count(),
    })
}

/// `PATCH operator/tenants/{tenant}/guard`: spreads the tenant's guard records over `shards`
/// instances. The operator's only: it is capacity, not the tenant's policy. Codes, passes and
/// WebAuthn challenges already issued stay decided in the shard that issued them
/// (`guard::shards`), so the change cuts no sign-in short.
pub async fn set_guard_shards<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    mut tenant: TenantRecord,
    body: impl Body<GuardSettings>,
) -> Result<GuardSettings, DomainError> {
    let operator = authz::require_operator(cx.settings, credentials)?;
    let request = body.read().await?;
    let shards = Shards::new(request.shards).ok_or_else(|| {
        DomainError::validation("shards", format!("Give 1 to {MAX_SHARDS} shards."))
    })?;
    let before = tenant.guard_shards.count();
    tenant.guard_shards = shards;
    cx.directory().save_tenant(&tenant).await?;
    let detail = format!("{before} -> {}", shards.count());
    audit::directory_change(
        cx,
        &tenant.id,
        &operator,
        "Update guard shards",
        &tenant.id,
        Some(detail),
    );
    Ok(GuardSettings {
        shards: shards.count(),
    })
}

//! External collaboration: which domains the tenant's guests may be invited from (Entra's
//! "collaboration restrictions"). The invitations API enforces it (`403 domain_not_allowed`).

use guestpass_wire::{ExternalCollaborationPolicy, MAX_INVITATION_DOMAINS};

use super::tenant::change_setting;
use super::TenantRecord;
use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::error::DomainError;
use crate::ports::Ports;

fn view(tenant: &TenantRecord) -> ExternalCollaborationPolicy {
    ExternalCollaborationPolicy {
        invitation_domains: tenant.invitation_domains.clone(),
    }
}

/// `GET policies/external-collaboration`.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<ExternalCollaborationPolicy, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadPolicies).await?;
    Ok(view(tenant))
}

/// `PATCH policies/external-collaboration`: those who invite guests (Global Administrators).
pub async fn patch<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
    body: impl Body<ExternalCollaborationPolicy>,
) -> Result<ExternalCollaborationPolicy, DomainError> {
    let tenant = change_setting(
        cx,
        credentials,
        tenant,
        Permission::ManageGuests,
        body,
        "Update external collaboration settings",
        |tenant, request: ExternalCollaborationPolicy| {
            let requested = request.invitation_domains;
            if requested.domains.len() > MAX_INVITATION_DOMAINS {
                return Err(DomainError::validation(
                    "invitationDomains.domains",
                    format!("List at most {MAX_INVITATION_DOMAINS} domains."),
                ));
            }
            let domains = requested.normalized().map_err(|entry| {
                DomainError::validation(
                    "invitationDomains.domains",
                    format!("{entry:?} is not a domain name."),
                )
            })?;
            let detail = format!("{:?}: {}", domains.mode, domains.domains.join(", "));
            tenant.invitation_domains = domains;
            Ok(Some(detail))
        },
    )
    .await?;
    Ok(view(&tenant))
}

//! Invitations: inviting a guest, inviting again, resetting redemption, and redeeming.

use guestpass_wire::{
    normalize_email, ExternalUserState, Invitation, InvitationRequest, Language, UserRef, UserType,
};

use super::tenant::TenantRecord;
use super::user::{check_display_name, UserRecord};
use crate::audit;
use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::error::DomainError;
use crate::mail::invitation_email;
use crate::ports::{Mailer, Ports};
use crate::session;
use crate::time::UnixMillis;
use crate::url::{encode_component, is_acceptable_redirect};

pub const SOURCE_INVITED: &str = "Invited user";
pub const SOURCE_EMAIL_OTP: &str = "Email one-time passcode";
const MAX_MESSAGE_BODY: usize = 2_000;

/// What an invitation request resolves to, once checked against the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct InvitationPlan {
    pub guest: UserRecord,
    /// True when `guest` is new and must be written with its sign-in index.
    pub created: bool,
    /// The sign-in index to drop when a reset changed the guest's address.
    pub previous_address: Option<String>,
    pub send_message: bool,
    pub custom_message: Option<String>,
    /// The invitation email's language, from `invitedUserMessageInfo.messageLanguage`.
    pub language: Language,
    /// A reset ends the guest's sessions.
    pub revokes_sessions: bool,
}

/// Validated fields of an invitation request.
pub struct CheckedInvitation {
    pub email: String,
    pub redirect_url: Option<String>,
    pub display_name: Option<String>,
    pub custom_message: Option<String>,
    pub language: Language,
}

pub fn check_invitation(request: &InvitationRequest) -> Result<CheckedInvitation, DomainError> {
    let email =
        normalize_email(&request.invited_user_email_address).map_err(DomainError::InvalidEmail)?;
    let redirect_url = match request
        .invite_redirect_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(url) if is_acceptable_redirect(url) => Some(url.to_string()),
        Some(_) => {
            return Err(DomainError::validation(
                "inviteRedirectUrl",
                "The redirect URL must be an absolute https URL (http only for localhost).",
            ))
        }
        None => None,
    };
    let display_name = match request.invited_user_display_name.as_deref() {
        Some(name) => Some(check_display_name("invitedUserDisplayName", name)?),
        None => None,
    };
    let custom_message = request
        .invited_user_message_info
        .as_ref()
        .and_then(|i| i.customized_message_body.clone());
    if custom_message
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_MESSAGE_BODY)
    {
        return Err(DomainError::validation(
            "invitedUserMessageInfo.customizedMessageBody",
            format!("The message is longer than {MAX_MESSAGE_BODY} characters."),
        ));
    }
    // Graph accepts any tag here; one we do not speak falls back to English rather than failing.
    let language = request
        .invited_user_message_info
        .as_ref()
        .and_then(|i| i.message_language.as_deref())
        .and_then(Language::from_tag)
        .unwrap_or_default();
    if request.reset_redemption && request.invited_user.is_none() {
        return Err(DomainError::validation(
            "invitedUser",
            "Resetting redemption needs invitedUser.id.",
        ));
    }
    Ok(CheckedInvitation {
        email,
        redirect_url,
        display_name,
        custom_message,
        language,
    })
}

/// Decides what an invitation does. `by_address` is the user already signing in with the
/// invited address; `by_id` the user named by `invitedUser.id` (for a reset).
pub fn plan_invitation(
    tenant: &TenantRecord,
    request: &InvitationRequest,
    checked: CheckedInvitation,
    by_address: Option<UserRecord>,
    by_id: Option<UserRecord>,
    new_id: String,
    now: UnixMillis,
) -> Result<InvitationPlan, DomainError> {
    let CheckedInvitation {
        email,
        redirect_url,
        display_name,
        custom_message,
        language,
    } = checked;
    if !tenant.invitation_domains.allows(&email) {
        return Err(DomainError::DomainNotAllowed);
    }
    let send_message = request.send_invitation_message;
    if request.reset_redemption {
        let mut guest = by_id.ok_or(DomainError::UserNotFound)?;
        if guest.user_type != UserType::Guest {
            return Err(DomainError::validation(
                "invitedUser",
                "Only a guest's redemption can be reset.",
            ));
        }
        if by_address
            .as_ref()
            .is_some_and(|other| other.id != guest.id)
        {
            return Err(DomainError::Conflict(
                "Another user in this organization already uses that email address.".into(),
            ));
        }
        let previous_address = guest.mail.clone().filter(|old| *old != email);
        guest.mail = Some(email.clone());
        guest.user_principal_name = guest_principal_name(&email, tenant.primary_domain());
        guest.external_user_state = Some(ExternalUserState::PendingAcceptance);
        guest.external_user_state_changed_at = Some(now);
        guest.source = Some(SOURCE_INVITED.into());
        guest.invite_redirect_url = redirect_url.or(guest.invite_redirect_url);
        if let Some(name) = display_name {
            guest.display_name = name;
        }
        return Ok(InvitationPlan {
            guest,
            created: false,
            previous_address,
            send_message,
            custom_message,
            language,
            revokes_sessions: true,
        });
    }
    match by_address {
        Some(existing) if existing.user_type == UserType::Member => Err(DomainError::Conflict(
            "That address belongs to a member of this organization, who cannot be invited as a guest.".into(),
        )),
        Some(mut guest) => {
            // Inviting an existing guest again re-sends the invitation; their state is kept.
            guest.invite_redirect_url = redirect_url.or(guest.invite_redirect_url);
            Ok(InvitationPlan { guest, created: false, previous_address: None, send_message, custom_message, language, revokes_sessions: false })
        }
        None => {
            let guest = UserRecord {
                id: new_id,
                tenant_id: tenant.id.clone(),
                user_type: UserType::Guest,
                display_name: display_name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string()),
                mail: Some(email.clone()),
                user_principal_name: guest_principal_name(&email, tenant.primary_domain()),
                roles: Vec::new(),
                created_at: now,
                external_user_state: Some(ExternalUserState::PendingAcceptance),
                external_user_state_changed_at: Some(now),
                source: Some(SOURCE_INVITED.into()),
                invite_redirect_url: redirect_url,
                groups: Vec::new(),
            };
            Ok(InvitationPlan { guest, created: true, previous_address: None, send_message, custom_message, language, revokes_sessions: false })
        }
    }
}

/// `ada_example.com#EXT#@contoso.com`, the shape Entra gives guests.
pub fn guest_principal_name(email: &str, tenant_domain: &str) -> String {
    format!("{}#EXT#@{tenant_domain}", email.replace('@', "_"))
}

/// The link in the invitation email. It carries the tenant and the address to prefill — never a
/// code or a secret.
pub fn redeem_url(origin: &str, tenant_id: &str, invitation_id: &str, email: &str) -> String {
    format!(
        "{origin}/{tenant_id}/redeem?invitation={invitation_id}&login_hint={}",
        encode_component(email)
    )
}

/// The first successful code sign-in redeems the invitation. Returns true if the record changed.
pub fn redeem_with_email_code(guest: &mut UserRecord, now: UnixMillis) -> bool {
    if guest.external_user_state == Some(ExternalUserState::Accepted) {
        return false;
    }
    guest.external_user_state = Some(ExternalUserState::Accepted);
    guest.external_user_state_changed_at = Some(now);
    guest.source = Some(SOURCE_EMAIL_OTP.into());
    true
}

/// `POST invitations`: creates a pending guest (or re-invites, or resets redemption) and, when
/// asked, emails the redeem link.
pub async fn invite<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    body: impl Body<InvitationRequest>,
) -> Result<Invitation, DomainError> {
    let principal = authz::authorized(cx, credentials, tenant, Permission::ManageGuests).await?;
    let request = &body.read().await?;
    let checked = check_invitation(request)?;
    let directory = cx.directory();
    let by_address = directory
        .user_by_sign_in_name(&tenant.id, &checked.email)
        .await?;
    let by_id = match &request.invited_user {
        Some(UserRef { id }) if request.reset_redemption => directory.user(&tenant.id, id).await?,
        _ => None,
    };
    let plan = plan_invitation(
        tenant,
        request,
        checked,
        by_address,
        by_id,
        cx.uuid()?,
        cx.now,
    )?;
    directory
        .save_user(&plan.guest, plan.previous_address.as_deref())
        .await?;
    if plan.revokes_sessions {
        session::revoke_all(cx, &tenant.id, &plan.guest.id).await?;
    }

    let invitation_id = cx.uuid()?;
    let email = plan.guest.mail.clone().unwrap_or_default();
    let url = redeem_url(cx.link_origin, &tenant.id, &invitation_id, &email);
    let activity = match (request.reset_redemption, plan.created) {
        (true, _) => "Reset redemption status",
        (false, true) => "Invite external user",
        (false, false) => "Re-invite external user",
    };
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        activity,
        &plan.guest.id,
        Some(format!("invitation {invitation_id}")),
    );
    if plan.send_message {
        cx.ports.mailer().send(invitation_email(
            &email,
            &tenant.display_name,
            &url,
            plan.custom_message.as_deref(),
            plan.language,
        ));
    }
    Ok(Invitation {
        id: invitation_id,
        invited_user_email_address: email,
        invite_redeem_url: url,
        invite_redirect_url: plan.guest.invite_redirect_url.clone(),
        send_invitation_message: plan.send_message,
        reset_redemption: request.reset_redemption,
        invited_user: UserRef {
            id: plan.guest.id.clone(),
        },
        status: plan
            .guest
            .external_user_state
            .unwrap_or(ExternalUserState::PendingAcceptance),
    })
}

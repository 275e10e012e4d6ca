//! Tenants, users and invitations: the records KV keeps and the rules that change them.

use guestpass_wire::{
    normalize_email, Branding, CreateTenantRequest, CreateUserRequest, EmailOtpState,
    ExternalUserState, InvitationRequest, Language, Role, SessionUser, TenantView, User, UserType,
};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::tap_policy::PassPolicy;
use crate::time::{format_rfc3339, UnixMillis};
use crate::url::{encode_component, is_acceptable_redirect};

pub const SOURCE_INVITED: &str = "Invited user";
pub const SOURCE_EMAIL_OTP: &str = "Email one-time passcode";
const MAX_DISPLAY_NAME: usize = 256;
const MAX_MESSAGE_BODY: usize = 2_000;
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRecord {
    pub id: String,
    pub tenant_id: String,
    pub user_type: UserType,
    pub display_name: String,
    pub mail: Option<String>,
    pub user_principal_name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    pub created_at: UnixMillis,
    #[serde(default)]
    pub external_user_state: Option<ExternalUserState>,
    #[serde(default)]
    pub external_user_state_changed_at: Option<UnixMillis>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub invite_redirect_url: Option<String>,
    /// Bumped to revoke every session issued before.
    #[serde(default)]
    pub session_epoch: u64,
    /// Group ids (the TAP policy may target groups).
    #[serde(default)]
    pub groups: Vec<String>,
}

impl UserRecord {
    /// The address the user signs in with: mail for guests, UPN for members.
    pub fn sign_in_name(&self) -> &str {
        match self.user_type {
            UserType::Guest => self.mail.as_deref().unwrap_or(&self.user_principal_name),
            UserType::Member => &self.user_principal_name,
        }
    }

    pub fn view(&self) -> User {
        User {
            id: self.id.clone(),
            display_name: self.display_name.clone(),
            mail: self.mail.clone(),
            user_principal_name: self.user_principal_name.clone(),
            user_type: self.user_type,
            roles: self.roles.clone(),
            created_date_time: format_rfc3339(self.created_at),
            external_user_state: self.external_user_state,
            external_user_state_change_date_time: self
                .external_user_state_changed_at
                .map(format_rfc3339),
            source: self.source.clone(),
            groups: self.groups.clone(),
        }
    }

    pub fn session_view(&self) -> SessionUser {
        SessionUser {
            id: self.id.clone(),
            display_name: self.display_name.clone(),
            mail: self.mail.clone(),
            user_principal_name: self.user_principal_name.clone(),
            user_type: self.user_type,
            roles: self.roles.clone(),
        }
    }

    /// Revokes every session issued so far.
    pub fn revoke_sessions(&mut self) {
        self.session_epoch += 1;
    }
}

fn check_display_name(target: &'static str, name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_DISPLAY_NAME
        || name.chars().any(char::is_control)
    {
        return Err(DomainError::validation(
            target,
            format!("Enter a name of 1 to {MAX_DISPLAY_NAME} characters."),
        ));
    }
    Ok(name.into())
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
        tap_policy: PassPolicy::default(),
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

fn member_record(
    tenant_id: String,
    id: String,
    display_name: String,
    upn: String,
    roles: Vec<Role>,
    groups: Vec<String>,
    now: UnixMillis,
) -> UserRecord {
    UserRecord {
        id,
        tenant_id,
        user_type: UserType::Member,
        display_name,
        mail: Some(upn.clone()),
        user_principal_name: upn,
        roles,
        created_at: now,
        external_user_state: None,
        external_user_state_changed_at: None,
        source: None,
        invite_redirect_url: None,
        session_epoch: 0,
        groups,
    }
}

const MAX_GROUPS: usize = 20;

/// `POST users`: a member whose name is in one of the tenant's verified domains.
pub fn new_member(
    tenant: &TenantRecord,
    request: &CreateUserRequest,
    id: String,
    now: UnixMillis,
) -> Result<UserRecord, DomainError> {
    let display_name = check_display_name("displayName", &request.display_name)?;
    let upn = normalize_email(&request.user_principal_name).map_err(DomainError::InvalidEmail)?;
    let upn_domain = upn.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if !tenant.verified_domains.iter().any(|d| d == upn_domain) {
        return Err(DomainError::validation(
            "userPrincipalName",
            "A member's name must be in one of the organization's verified domains.",
        ));
    }
    let mut roles = request.roles.clone();
    roles.sort();
    roles.dedup();
    let mut groups: Vec<String> = Vec::new();
    for group in &request.groups {
        let group = group.trim().to_ascii_lowercase();
        let valid = !group.is_empty()
            && group.len() <= 64
            && group
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid || group == guestpass_wire::tap::ALL_USERS {
            return Err(DomainError::validation(
                "groups",
                "A group id is 1 to 64 letters, digits, '-' or '_' (and not all_users).",
            ));
        }
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    if groups.len() > MAX_GROUPS {
        return Err(DomainError::validation(
            "groups",
            format!("A member may be in at most {MAX_GROUPS} groups."),
        ));
    }
    Ok(member_record(
        tenant.id.clone(),
        id,
        display_name,
        upn,
        roles,
        groups,
        now,
    ))
}

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
        guest.revoke_sessions();
        return Ok(InvitationPlan {
            guest,
            created: false,
            previous_address,
            send_message,
            custom_message,
            language,
        });
    }
    match by_address {
        Some(existing) if existing.user_type == UserType::Member => Err(DomainError::Conflict(
            "That address belongs to a member of this organization, who cannot be invited as a guest.".into(),
        )),
        Some(mut guest) => {
            // Inviting an existing guest again re-sends the invitation; their state is kept.
            guest.invite_redirect_url = redirect_url.or(guest.invite_redirect_url);
            Ok(InvitationPlan { guest, created: false, previous_address: None, send_message, custom_message, language })
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
                session_epoch: 0,
                groups: Vec::new(),
            };
            Ok(InvitationPlan { guest, created: true, previous_address: None, send_message, custom_message, language })
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

/// Where a guest may sign in with an email code, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailCodeEligibility {
    Eligible,
    NotInvited,
    NotAGuest,
}

pub fn email_code_eligibility(user: Option<&UserRecord>) -> EmailCodeEligibility {
    match user {
        None => EmailCodeEligibility::NotInvited,
        Some(u) if u.user_type != UserType::Guest => EmailCodeEligibility::NotAGuest,
        Some(_) => EmailCodeEligibility::Eligible,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use guestpass_wire::{CreateTenantAdmin, UserRef};

    const NOW: UnixMillis = 1_795_348_800_000;

    fn tenant() -> TenantRecord {
        let request = CreateTenantRequest {
            display_name: "Contoso".into(),
            verified_domains: vec!["Contoso.com".into()],
            admin: CreateTenantAdmin {
                display_name: "Admin".into(),
                user_principal_name: "admin@contoso.com".into(),
            },
        };
        new_tenant(
            &request,
            "t1".into(),
            "a1".into(),
            NOW,
            EmailOtpState::Default,
        )
        .unwrap()
        .0
    }

    fn invitation(email: &str) -> InvitationRequest {
        InvitationRequest {
            invited_user_email_address: email.into(),
            invite_redirect_url: Some("https://apps.contoso.com".into()),
            send_invitation_message: true,
            invited_user_display_name: None,
            invited_user_message_info: None,
            reset_redemption: false,
            invited_user: None,
        }
    }

    fn plan(
        request: &InvitationRequest,
        by_address: Option<UserRecord>,
        by_id: Option<UserRecord>,
    ) -> Result<InvitationPlan, DomainError> {
        let checked = check_invitation(request)?;
        plan_invitation(
            &tenant(),
            request,
            checked,
            by_address,
            by_id,
            "g1".into(),
            NOW,
        )
    }

    #[test]
    fn a_tenant_needs_its_admin_in_a_verified_domain() {
        let mut request = CreateTenantRequest {
            display_name: "Contoso".into(),
            verified_domains: vec!["contoso.com".into()],
            admin: CreateTenantAdmin {
                display_name: "Admin".into(),
                user_principal_name: "admin@fabrikam.com".into(),
            },
        };
        let err = new_tenant(
            &request,
            "t".into(),
            "a".into(),
            NOW,
            EmailOtpState::Default,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Validation {
                target: "admin.userPrincipalName",
                ..
            }
        ));
        request.admin.user_principal_name = "Admin@Contoso.com".into();
        let (tenant, admin) = new_tenant(
            &request,
            "t".into(),
            "a".into(),
            NOW,
            EmailOtpState::Default,
        )
        .unwrap();
        assert_eq!(tenant.verified_domains, ["contoso.com"]);
        assert_eq!(admin.roles, [Role::GlobalAdministrator]);
        assert_eq!(admin.user_principal_name, "admin@contoso.com");
    }

    #[test]
    fn tenant_fields_are_validated() {
        let base = CreateTenantRequest {
            display_name: " ".into(),
            verified_domains: vec!["contoso.com".into()],
            admin: CreateTenantAdmin {
                display_name: "A".into(),
                user_principal_name: "a@contoso.com".into(),
            },
        };
        assert!(new_tenant(&base, "t".into(), "a".into(), NOW, EmailOtpState::Default).is_err());
        let no_domains = CreateTenantRequest {
            display_name: "C".into(),
            verified_domains: vec![],
            ..base.clone()
        };
        assert!(new_tenant(
            &no_domains,
            "t".into(),
            "a".into(),
            NOW,
            EmailOtpState::Default
        )
        .is_err());
        let bad_domain = CreateTenantRequest {
            display_name: "C".into(),
            verified_domains: vec!["not a domain".into()],
            ..base
        };
        assert!(new_tenant(
            &bad_domain,
            "t".into(),
            "a".into(),
            NOW,
            EmailOtpState::Default
        )
        .is_err());
    }

    #[test]
    fn inviting_a_new_address_creates_a_pending_guest() {
        let plan = plan(&invitation("Ada@Example.com"), None, None).unwrap();
        assert!(plan.created);
        let guest = plan.guest;
        assert_eq!(guest.user_type, UserType::Guest);
        assert_eq!(guest.mail.as_deref(), Some("ada@example.com"));
        assert_eq!(
            guest.user_principal_name,
            "ada_example.com#EXT#@contoso.com"
        );
        assert_eq!(
            guest.external_user_state,
            Some(ExternalUserState::PendingAcceptance)
        );
        assert_eq!(guest.source.as_deref(), Some(SOURCE_INVITED));
    }

    #[test]
    fn inviting_an_existing_guest_keeps_their_state() {
        let mut existing = plan(&invitation("ada@example.com"), None, None)
            .unwrap()
            .guest;
        redeem_with_email_code(&mut existing, NOW);
        let again = plan(&invitation("ada@example.com"), Some(existing.clone()), None).unwrap();
        assert!(!again.created);
        assert_eq!(
            again.guest.external_user_state,
            Some(ExternalUserState::Accepted)
        );
    }

    #[test]
    fn a_member_address_cannot_be_invited_as_a_guest() {
        let (_, admin) = new_tenant(
            &CreateTenantRequest {
                display_name: "C".into(),
                verified_domains: vec!["contoso.com".into()],
                admin: CreateTenantAdmin {
                    display_name: "A".into(),
                    user_principal_name: "admin@contoso.com".into(),
                },
            },
            "t1".into(),
            "a1".into(),
            NOW,
            EmailOtpState::Default,
        )
        .unwrap();
        assert!(matches!(
            plan(&invitation("admin@contoso.com"), Some(admin), None),
            Err(DomainError::Conflict(_))
        ));
    }

    #[test]
    fn reset_redemption_keeps_the_id_and_revokes_sessions() {
        let mut guest = plan(&invitation("ada@example.com"), None, None)
            .unwrap()
            .guest;
        redeem_with_email_code(&mut guest, NOW);
        let epoch = guest.session_epoch;
        let mut request = invitation("ada@example.com");
        request.reset_redemption = true;
        request.invited_user = Some(UserRef {
            id: guest.id.clone(),
        });
        let reset = plan(&request, Some(guest.clone()), Some(guest.clone())).unwrap();
        assert_eq!(reset.guest.id, guest.id);
        assert_eq!(
            reset.guest.external_user_state,
            Some(ExternalUserState::PendingAcceptance)
        );
        assert_eq!(reset.guest.session_epoch, epoch + 1);
        assert_eq!(reset.previous_address, None);
    }

    #[test]
    fn reset_redemption_may_move_the_guest_to_a_new_address() {
        let guest = plan(&invitation("ada@example.com"), None, None)
            .unwrap()
            .guest;
        let mut request = invitation("ada@newmail.example");
        request.reset_redemption = true;
        request.invited_user = Some(UserRef {
            id: guest.id.clone(),
        });
        let reset = plan(&request, None, Some(guest)).unwrap();
        assert_eq!(reset.previous_address.as_deref(), Some("ada@example.com"));
        assert_eq!(reset.guest.mail.as_deref(), Some("ada@newmail.example"));
    }

    #[test]
    fn reset_redemption_needs_an_existing_guest() {
        let mut request = invitation("ada@example.com");
        request.reset_redemption = true;
        assert!(matches!(
            plan(&request, None, None),
            Err(DomainError::Validation {
                target: "invitedUser",
                ..
            })
        ));
        request.invited_user = Some(UserRef {
            id: "nobody".into(),
        });
        assert_eq!(
            plan(&request, None, None).unwrap_err(),
            DomainError::UserNotFound
        );
    }

    #[test]
    fn redirect_urls_are_vetted() {
        let mut request = invitation("ada@example.com");
        request.invite_redirect_url = Some("javascript:alert(1)".into());
        assert!(matches!(
            plan(&request, None, None),
            Err(DomainError::Validation {
                target: "inviteRedirectUrl",
                ..
            })
        ));
    }

    #[test]
    fn redemption_happens_once_and_records_the_source() {
        let mut guest = plan(&invitation("ada@example.com"), None, None)
            .unwrap()
            .guest;
        assert!(redeem_with_email_code(&mut guest, NOW + 5));
        assert_eq!(guest.external_user_state, Some(ExternalUserState::Accepted));
        assert_eq!(guest.source.as_deref(), Some(SOURCE_EMAIL_OTP));
        assert_eq!(guest.external_user_state_changed_at, Some(NOW + 5));
        assert!(!redeem_with_email_code(&mut guest, NOW + 10));
        assert_eq!(guest.external_user_state_changed_at, Some(NOW + 5));
    }

    #[test]
    fn only_guests_are_eligible_for_email_codes() {
        let guest = plan(&invitation("ada@example.com"), None, None)
            .unwrap()
            .guest;
        assert_eq!(
            email_code_eligibility(Some(&guest)),
            EmailCodeEligibility::Eligible
        );
        assert_eq!(
            email_code_eligibility(None),
            EmailCodeEligibility::NotInvited
        );
        let member = UserRecord {
            user_type: UserType::Member,
            ..guest
        };
        assert_eq!(
            email_code_eligibility(Some(&member)),
            EmailCodeEligibility::NotAGuest
        );
    }

    #[test]
    fn the_redeem_url_carries_tenant_context_and_no_secret() {
        let url = redeem_url("https://id.example", "t1", "i1", "a+b@example.com");
        assert_eq!(
            url,
            "https://id.example/t1/redeem?invitation=i1&login_hint=a%2Bb%40example.com"
        );
    }
}

//! The directory: tenants, users (members and guests) and invitations — the records KV keeps,
//! the rules that change them, and the administrator's use cases over them.

pub mod branding;
pub mod collaboration;
pub mod invitation;
pub mod member;
pub mod store;
pub mod tenant;
pub mod user;

pub use invitation::invite;
pub use member::create_member;
pub use tenant::{create_tenant, sign_in_info, TenantRecord};
pub use user::UserRecord;

use guestpass_wire::{Endpoint, List, User, UserType};

use crate::audit;
use crate::authz::{self, refuse_self, Permission};
use crate::context::{Credentials, Ctx};
use crate::error::DomainError;
use crate::paging::{self, parse_top, PageCursor, Pages};
use crate::ports::{KeyValueStore, Ports};
use crate::session;
use crate::storage_keys;
use store::Directory;

/// What `GET users` may ask for, as the query string gave it.
#[derive(Debug, Clone, Copy, Default)]
pub struct UserQuery<'a> {
    /// Page size, 1 to 999 (100 when absent).
    pub top: Option<&'a str>,
    /// From a previous page's `nextLink`.
    pub cursor: Option<&'a str>,
    /// Part of a name, mail or user principal name, any case.
    pub search: Option<&'a str>,
    /// `Guest` or `Member`.
    pub user_type: Option<&'a str>,
}

const MAX_SEARCH: usize = 256;

/// A tenant's users, page by page, in key order.
struct Users<'a, S> {
    directory: Directory<'a, S>,
    prefix: String,
}

impl<S: KeyValueStore> Pages<UserRecord> for Users<'_, S> {
    async fn page(
        &self,
        cursor: Option<&str>,
    ) -> Result<(Vec<UserRecord>, Option<String>), DomainError> {
        self.directory.values_page(&self.prefix, cursor).await
    }
}

fn matches(user: &UserRecord, search: &str, user_type: Option<UserType>) -> bool {
    let search = search.to_lowercase();
    user_type.is_none_or(|t| user.user_type == t)
        && (search.is_empty()
            || [
                Some(user.display_name.as_str()),
                user.mail.as_deref(),
                Some(user.user_principal_name.as_str()),
            ]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&search)))
}

/// `GET users?top=&cursor=&search=&userType=`: one page of members and guests, in a stable
/// order, with `nextLink` while more may remain.
pub async fn list_users<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: UserQuery<'_>,
) -> Result<List<User>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadDirectory).await?;
    let user_type = match query.user_type {
        None => None,
        Some("Guest") => Some(UserType::Guest),
        Some("Member") => Some(UserType::Member),
        Some(_) => {
            return Err(DomainError::validation(
                "userType",
                "userType is Guest or Member.",
            ))
        }
    };
    let top = parse_top(query.top)?;
    let search = query.search.unwrap_or_default().trim();
    if search.chars().count() > MAX_SEARCH {
        return Err(DomainError::validation(
            "search",
            format!("Search for at most {MAX_SEARCH} characters."),
        ));
    }
    let start = PageCursor::decode(query.cursor)?;
    let users = Users {
        directory: cx.directory(),
        prefix: storage_keys::users_prefix(&tenant.id),
    };
    let keep = |user: &UserRecord| matches(user, search, user_type);
    let (found, next) = paging::collect(&users, start, top, keep, |_| false).await?;
    let filters = [
        ("search", Some(search).filter(|s| !s.is_empty())),
        ("userType", query.user_type),
    ];
    let path = Endpoint::ListUsers.path(&[&tenant.id]);
    let next_link = next.map(|c| paging::next_link(cx.link_origin, &path, top, &c, &filters));
    let value = found.iter().map(UserRecord::view).collect();
    Ok(List { value, next_link })
}

/// `GET users/{id}`.
pub async fn get_user<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> Result<User, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadDirectory).await?;
    let user = cx.directory().existing_user(&tenant.id, user_id).await?;
    Ok(user.view())
}

/// `DELETE users/{id}`: the user, their sign-in index entry and their pass. Not oneself.
pub async fn delete_user<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> Result<(), DomainError> {
    let principal = authz::authorized(cx, credentials, tenant, Permission::ManageGuests).await?;
    let user = cx.directory().existing_user(&tenant.id, user_id).await?;
    refuse_self(&principal, &user.id, "You cannot delete yourself.")?;
    cx.directory().delete_user(&user).await?;
    session::revoke_all(cx, &tenant.id, &user.id).await?;
    audit::directory_change(cx, &tenant.id, &principal, "Delete user", &user.id, None);
    Ok(())
}

/// `POST users/{id}/revoke-sign-in-sessions`: every session issued so far stops working.
pub async fn revoke_sessions<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> Result<(), DomainError> {
    let principal = authz::authorized(cx, credentials, tenant, Permission::ManageGuests).await?;
    let user = cx.directory().existing_user(&tenant.id, user_id).await?;
    session::revoke_all(cx, &tenant.id, &user.id).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Revoke sign-in sessions",
        &user.id,
        None,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::invitation::*;
    use super::tenant::*;
    use super::*;
    use crate::email_otp::{email_code_eligibility, EmailCodeEligibility};
    use crate::time::UnixMillis;
    use guestpass_wire::{
        CreateTenantAdmin, CreateTenantRequest, EmailOtpState, ExternalUserState,
        InvitationRequest, Role, UserRef,
    };

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
        assert!(reset.revokes_sessions);
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

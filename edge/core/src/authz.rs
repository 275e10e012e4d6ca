//! Who may do what in a tenant's administration.
//!
//! A principal is the operator (bearer token, acting as a Global Administrator for automation) or
//! a signed-in member with roles. Each admin endpoint names the [`Permission`] it needs.

pub use guestpass_wire::Permission;
use guestpass_wire::{Role, SessionScope};
use subtle::ConstantTimeEq;

use crate::context::{Credentials, Ctx, Settings};
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::ports::Ports;
use crate::session;
use crate::tap::refuse_guest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Automation with one of the deployment's operator tokens (named by its id, never its value).
    Operator { token_id: String },
    Member {
        user_id: String,
        roles: Vec<Role>,
        scope: SessionScope,
    },
}

impl Principal {
    /// How the directory audit log names who acted.
    pub fn audit_name(&self) -> String {
        match self {
            Principal::Operator { token_id } => format!("operator:{token_id}"),
            Principal::Member { user_id, .. } => format!("user:{user_id}"),
        }
    }
}

pub fn authorize(principal: &Principal, permission: Permission) -> Result<(), DomainError> {
    match principal {
        Principal::Operator { .. } => Ok(()),
        Principal::Member {
            scope: SessionScope::Registration,
            ..
        } => Err(DomainError::Forbidden(
            "A registration session may only register authentication methods.",
        )),
        Principal::Member { roles, .. } if roles.iter().any(|r| r.grants(permission)) => Ok(()),
        Principal::Member { .. } => Err(DomainError::Forbidden(
            "Your role does not allow this action.",
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassAction {
    /// See a pass's details (never its value).
    Read,
    /// Create or delete it.
    Manage,
}

/// Who may see or issue whose Temporary Access Pass (seed 001): a Global Administrator for
/// anyone, a Privileged Authentication Administrator for administrators and members, an
/// Authentication Administrator for members without a role; none of them for themselves.
/// Readers see details. The operator acts as a Global Administrator who is nobody's self.
/// A guest cannot have a pass at all: that comes first, with the seed's message.
pub fn authorize_pass(
    principal: &Principal,
    target: &UserRecord,
    action: PassAction,
) -> Result<(), DomainError> {
    if action == PassAction::Manage {
        refuse_guest(target)?;
    }
    let roles = match principal {
        Principal::Operator { .. } => return Ok(()),
        Principal::Member {
            scope: SessionScope::Registration,
            ..
        } => {
            return Err(DomainError::Forbidden(
                "A registration session may only register authentication methods.",
            ))
        }
        Principal::Member { user_id, .. }
            if *user_id == target.id && action == PassAction::Manage =>
        {
            return Err(DomainError::Forbidden(
                "You cannot create or delete your own Temporary Access Pass.",
            ))
        }
        Principal::Member { roles, .. } => roles,
    };
    let target_is_admin = !target.roles.is_empty();
    let allowed = roles.iter().any(|role| match action {
        PassAction::Manage => role.manages_passes_of(target_is_admin),
        PassAction::Read => role.reads_passes(),
    });
    if allowed {
        Ok(())
    } else if action == PassAction::Manage && roles.contains(&Role::AuthenticationAdministrator) {
        Err(DomainError::Forbidden("An Authentication Administrator may issue passes for members without administrator roles only."))
    } else {
        Err(DomainError::Forbidden(
            "Your role does not allow this action.",
        ))
    }
}

/// Administrators act on others: an action on one's own account is refused.
pub fn refuse_self(
    principal: &Principal,
    target_user_id: &str,
    why: &'static str,
) -> Result<(), DomainError> {
    match principal {
        Principal::Member { user_id, .. } if user_id == target_user_id => {
            Err(DomainError::Forbidden(why))
        }
        _ => Ok(()),
    }
}

/// The id of the operator token the caller presents, if any. Every configured token is compared,
/// each in constant time, so neither timing nor order tells which one matched (several are
/// configured while one rotates out). A bearer token that is malformed or wrong is refused
/// outright, not treated as "no token".
fn presented_operator_token(
    settings: &Settings,
    credentials: Credentials<'_>,
) -> Result<Option<String>, DomainError> {
    let Some(authorization) = credentials.authorization else {
        return Ok(None);
    };
    let presented = authorization
        .strip_prefix("Bearer ")
        .ok_or(DomainError::NotSignedIn)?
        .trim()
        .as_bytes();
    let mut matched = None;
    for token in &settings.operator_tokens {
        let expected = token.value.as_bytes();
        let equal = presented.len() == expected.len() && bool::from(presented.ct_eq(expected));
        if equal {
            matched = Some(token.id.clone());
        }
    }
    matched.map(Some).ok_or(DomainError::NotSignedIn)
}

/// The operator API: an operator token and nothing else.
pub fn require_operator(
    settings: &Settings,
    credentials: Credentials<'_>,
) -> Result<Principal, DomainError> {
    match presented_operator_token(settings, credentials)? {
        Some(token_id) => Ok(Principal::Operator { token_id }),
        None => Err(DomainError::NotSignedIn),
    }
}

/// Who is administering: the operator, or a signed-in user of this tenant (roles are checked by
/// [`authorize`] or [`authorize_pass`]).
pub async fn administrator<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<Principal, DomainError> {
    if let Some(token_id) = presented_operator_token(cx.settings, credentials)? {
        return Ok(Principal::Operator { token_id });
    }
    let (claims, user) = session::current(cx, credentials, tenant).await?;
    Ok(Principal::Member {
        user_id: user.id,
        roles: user.roles,
        scope: claims.scope,
    })
}

/// An administrator allowed `permission`.
pub async fn authorized<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    permission: Permission,
) -> Result<Principal, DomainError> {
    let principal = administrator(cx, credentials, tenant).await?;
    authorize(&principal, permission)?;
    Ok(principal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operator() -> Principal {
        Principal::Operator {
            token_id: "1".into(),
        }
    }

    fn member(roles: &[Role], scope: SessionScope) -> Principal {
        Principal::Member {
            user_id: "u".into(),
            roles: roles.to_vec(),
            scope,
        }
    }

    #[test]
    fn the_operator_may_do_everything() {
        for p in [
            Permission::ReadDirectory,
            Permission::ManageGuests,
            Permission::ChangeAuthenticationPolicy,
        ] {
            assert!(authorize(&operator(), p).is_ok());
        }
    }

    #[test]
    fn readers_read_but_do_not_change() {
        let reader = member(&[Role::GlobalReader], SessionScope::Full);
        assert!(authorize(&reader, Permission::ReadDirectory).is_ok());
        assert!(authorize(&reader, Permission::ReadAuditLogs).is_ok());
        assert!(authorize(&reader, Permission::ManageGuests).is_err());
        assert!(authorize(&reader, Permission::ChangeAuthenticationPolicy).is_err());
    }

    #[test]
    fn policy_administrators_change_policies_not_the_directory() {
        let admin = member(
            &[Role::AuthenticationPolicyAdministrator],
            SessionScope::Full,
        );
        assert!(authorize(&admin, Permission::ChangeAuthenticationPolicy).is_ok());
        assert!(authorize(&admin, Permission::ManageGuests).is_err());
    }

    #[test]
    fn actions_on_oneself_are_refused_but_not_for_the_operator() {
        let admin = member(&[Role::GlobalAdministrator], SessionScope::Full);
        assert!(refuse_self(&admin, "u", "no").is_err());
        assert!(refuse_self(&admin, "someone-else", "no").is_ok());
        assert!(refuse_self(&operator(), "u", "no").is_ok());
    }

    #[test]
    fn members_without_roles_are_refused() {
        assert!(authorize(&member(&[], SessionScope::Full), Permission::ReadDirectory).is_err());
    }

    fn pass(
        principal: &Principal,
        target: &str,
        target_roles: &[Role],
        action: PassAction,
    ) -> bool {
        let member = crate::tap::issue::tests::member();
        let target = UserRecord {
            id: target.into(),
            roles: target_roles.to_vec(),
            ..member
        };
        authorize_pass(principal, &target, action).is_ok()
    }

    #[test]
    fn nobody_may_issue_a_pass_for_a_guest_and_the_seed_says_why() {
        let guest = UserRecord {
            user_type: guestpass_wire::UserType::Guest,
            ..crate::tap::issue::tests::member()
        };
        let refused = authorize_pass(&operator(), &guest, PassAction::Manage);
        assert!(
            matches!(refused, Err(DomainError::Validation { message, .. }) if message == crate::tap::GUEST_REFUSAL)
        );
        assert!(
            authorize_pass(&operator(), &guest, PassAction::Read).is_ok(),
            "reading shows no pass"
        );
    }

    #[test]
    fn a_global_administrator_issues_for_anyone_but_themselves() {
        let global = member(&[Role::GlobalAdministrator], SessionScope::Full);
        assert!(pass(&global, "other", &[], PassAction::Manage));
        assert!(pass(
            &global,
            "other",
            &[Role::GlobalAdministrator],
            PassAction::Manage
        ));
        assert!(!pass(
            &global,
            "u",
            &[Role::GlobalAdministrator],
            PassAction::Manage
        ));
        assert!(pass(&operator(), "u", &[], PassAction::Manage));
    }

    #[test]
    fn a_privileged_authentication_administrator_issues_for_administrators_and_members_not_themselves(
    ) {
        let privileged = member(
            &[Role::PrivilegedAuthenticationAdministrator],
            SessionScope::Full,
        );
        assert!(pass(&privileged, "other", &[], PassAction::Manage));
        assert!(pass(
            &privileged,
            "other",
            &[Role::GlobalAdministrator],
            PassAction::Manage
        ));
        assert!(!pass(&privileged, "u", &[], PassAction::Manage));
    }

    #[test]
    fn an_authentication_administrator_issues_for_members_only() {
        let authentication = member(&[Role::AuthenticationAdministrator], SessionScope::Full);
        assert!(pass(&authentication, "other", &[], PassAction::Manage));
        for admin_role in [
            Role::GlobalAdministrator,
            Role::AuthenticationAdministrator,
            Role::GlobalReader,
        ] {
            assert!(
                !pass(&authentication, "other", &[admin_role], PassAction::Manage),
                "{admin_role:?}"
            );
        }
        assert!(!pass(&authentication, "u", &[], PassAction::Manage));
        assert!(pass(
            &authentication,
            "other",
            &[Role::GlobalAdministrator],
            PassAction::Read
        ));
    }

    #[test]
    fn readers_see_pass_details_and_others_do_not() {
        let reader = member(&[Role::GlobalReader], SessionScope::Full);
        assert!(pass(&reader, "other", &[], PassAction::Read));
        assert!(!pass(&reader, "other", &[], PassAction::Manage));
        let policy = member(
            &[Role::AuthenticationPolicyAdministrator],
            SessionScope::Full,
        );
        assert!(!pass(&policy, "other", &[], PassAction::Manage));
        assert!(!pass(
            &member(&[], SessionScope::Full),
            "other",
            &[],
            PassAction::Read
        ));
    }

    #[test]
    fn a_registration_session_cannot_touch_passes() {
        let global = member(&[Role::GlobalAdministrator], SessionScope::Registration);
        assert!(!pass(&global, "other", &[], PassAction::Read));
    }

    #[test]
    fn only_global_administrators_create_users() {
        assert!(authorize(
            &member(&[Role::GlobalAdministrator], SessionScope::Full),
            Permission::ManageUsers
        )
        .is_ok());
        assert!(authorize(
            &member(
                &[Role::PrivilegedAuthenticationAdministrator],
                SessionScope::Full
            ),
            Permission::ManageUsers
        )
        .is_err());
    }

    #[test]
    fn a_registration_session_is_refused_even_for_a_global_administrator() {
        let admin = member(&[Role::GlobalAdministrator], SessionScope::Registration);
        assert!(authorize(&admin, Permission::ReadDirectory).is_err());
    }
}

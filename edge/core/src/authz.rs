//! Who may do what in a tenant's administration.
//!
//! A principal is the operator (bearer token, acting as a Global Administrator for automation) or
//! a signed-in member with roles. Each admin endpoint names the [`Permission`] it needs.

use guestpass_wire::{Role, SessionScope};

use crate::error::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Operator,
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
            Principal::Operator => "operator".into(),
            Principal::Member { user_id, .. } => format!("user:{user_id}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadDirectory,
    ManageGuests,
    ReadPolicies,
    ChangeAuthenticationPolicy,
    ReadAuditLogs,
}

fn grants(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        ReadDirectory | ReadPolicies | ReadAuditLogs => true,
        ManageGuests => role == GlobalAdministrator,
        ChangeAuthenticationPolicy => matches!(
            role,
            GlobalAdministrator | AuthenticationPolicyAdministrator
        ),
    }
}

pub fn authorize(principal: &Principal, permission: Permission) -> Result<(), DomainError> {
    match principal {
        Principal::Operator => Ok(()),
        Principal::Member {
            scope: SessionScope::Registration,
            ..
        } => Err(DomainError::Forbidden(
            "A registration session may only register authentication methods.",
        )),
        Principal::Member { roles, .. } if roles.iter().any(|r| grants(*r, permission)) => Ok(()),
        Principal::Member { .. } => Err(DomainError::Forbidden(
            "Your role does not allow this action.",
        )),
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

#[cfg(test)]
mod tests {
    use super::*;

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
            assert!(authorize(&Principal::Operator, p).is_ok());
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
        assert!(refuse_self(&Principal::Operator, "u", "no").is_ok());
    }

    #[test]
    fn members_without_roles_are_refused() {
        assert!(authorize(&member(&[], SessionScope::Full), Permission::ReadDirectory).is_err());
    }

    #[test]
    fn a_registration_session_is_refused_even_for_a_global_administrator() {
        let admin = member(&[Role::GlobalAdministrator], SessionScope::Registration);
        assert!(authorize(&admin, Permission::ReadDirectory).is_err());
    }
}

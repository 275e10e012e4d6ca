//! Users: the record KV keeps for members and guests alike, and how the API shows it.

use guestpass_wire::{ExternalUserState, Role, SessionUser, User, UserType};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::time::{format_rfc3339, UnixMillis};

const MAX_DISPLAY_NAME: usize = 256;

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
}

pub(crate) fn check_display_name(target: &'static str, name: &str) -> Result<String, DomainError> {
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

pub(crate) fn member_record(
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
        groups,
    }
}

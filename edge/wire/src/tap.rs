//! Temporary Access Pass bodies (Graph's `temporaryAccessPassAuthenticationMethodConfiguration`
//! and `temporaryAccessPassAuthenticationMethod`), and the member sign-in with a pass.

use serde::{Deserialize, Serialize};

/// The policy's bounds (seed table): lifetimes in minutes, length in characters.
pub const LIFETIME_MINUTES_RANGE: (u32, u32) = (10, 43_200);
pub const LENGTH_RANGE: (u32, u32) = (8, 48);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyState {
    Enabled,
    Disabled,
}

/// Who the policy applies to: `{"id": "all_users", "targetType": "group"}` or a group's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncludeTarget {
    pub id: String,
    pub target_type: TargetType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TargetType {
    Group,
}

/// The id of the built-in target that means every member.
pub const ALL_USERS: &str = "all_users";

/// `GET policies/temporary-access-pass`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryAccessPassPolicy {
    pub state: PolicyState,
    pub include_targets: Vec<IncludeTarget>,
    pub minimum_lifetime_in_minutes: u32,
    pub maximum_lifetime_in_minutes: u32,
    pub default_lifetime_in_minutes: u32,
    pub is_usable_once: bool,
    pub default_length: u32,
}

/// `PATCH policies/temporary-access-pass`: any subset of the fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemporaryAccessPassPolicyPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<PolicyState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_targets: Option<Vec<IncludeTarget>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_lifetime_in_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_lifetime_in_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_lifetime_in_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_usable_once: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_length: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MethodUsabilityReason {
    EnabledByPolicy,
    DisabledByPolicy,
    Expired,
    NotYetValid,
    OneTimeUsed,
}

/// `POST …/temporary-access-pass-methods`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePassRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_in_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_usable_once: Option<bool>,
}

/// A pass as the API shows it. `temporaryAccessPass` (the value) is only in the create response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryAccessPassMethod {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_access_pass: Option<String>,
    pub created_date_time: String,
    pub start_date_time: String,
    pub lifetime_in_minutes: u32,
    pub is_usable_once: bool,
    pub is_usable: bool,
    pub method_usability_reason: MethodUsabilityReason,
    /// Present (true) when a hundred wrong passes in a row locked the user's pass sign-in: only a
    /// new pass unlocks it. Administrators see it; the console says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub locked_until_new_pass: bool,
}

/// `POST sign-in/temporary-access-pass`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PassSignInRequest {
    pub username: String,
    pub temporary_access_pass: String,
}

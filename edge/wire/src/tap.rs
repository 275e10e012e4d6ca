//! Temporary Access Pass bodies (Graph's `temporaryAccessPassAuthenticationMethodConfiguration`
//! and `temporaryAccessPassAuthenticationMethod`), and the member sign-in with a pass.

use serde::{Deserialize, Serialize};

/// The policy's bounds (seed table): lifetimes in minutes, length in characters.
pub const LIFETIME_MINUTES_RANGE: (u32, u32) = (10, 43_200);
pub const LENGTH_RANGE: (u32, u32) = (8, 48);

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum PolicyState {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

/// Who the policy applies to: `{"id": "all_users", "targetType": "group"}` or a group's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncludeTarget {
    pub id: String,
    pub target_type: TargetType,
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TargetType {
        Group = "group",
    }
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

/// Why a TAP policy is not valid, field by field (the API's `validation_failed` detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyProblem {
    /// A lifetime (the camelCase field named) outside [`LIFETIME_MINUTES_RANGE`].
    LifetimeOutOfRange(&'static str),
    LengthOutOfRange,
    /// Not minimum ≤ default ≤ maximum.
    DefaultOutsideMinimumAndMaximum,
    EmptyTarget,
}

impl PolicyProblem {
    /// The field the problem is reported on.
    pub fn field(self) -> &'static str {
        match self {
            PolicyProblem::LifetimeOutOfRange(field) => field,
            PolicyProblem::LengthOutOfRange => "defaultLength",
            PolicyProblem::DefaultOutsideMinimumAndMaximum => "defaultLifetimeInMinutes",
            PolicyProblem::EmptyTarget => "includeTargets",
        }
    }
}

impl TemporaryAccessPassPolicy {
    /// Every rule the policy breaks, in field order: the edge refuses a patch with the first,
    /// the console shows each beside its field as the administrator types.
    pub fn problems(&self) -> Vec<PolicyProblem> {
        let mut problems = Vec::new();
        let (low, high) = LIFETIME_MINUTES_RANGE;
        for (field, value) in [
            ("minimumLifetimeInMinutes", self.minimum_lifetime_in_minutes),
            ("maximumLifetimeInMinutes", self.maximum_lifetime_in_minutes),
            ("defaultLifetimeInMinutes", self.default_lifetime_in_minutes),
        ] {
            if !(low..=high).contains(&value) {
                problems.push(PolicyProblem::LifetimeOutOfRange(field));
            }
        }
        if !(LENGTH_RANGE.0..=LENGTH_RANGE.1).contains(&self.default_length) {
            problems.push(PolicyProblem::LengthOutOfRange);
        }
        if !(self.minimum_lifetime_in_minutes <= self.default_lifetime_in_minutes
            && self.default_lifetime_in_minutes <= self.maximum_lifetime_in_minutes)
        {
            problems.push(PolicyProblem::DefaultOutsideMinimumAndMaximum);
        }
        if self
            .include_targets
            .iter()
            .any(|t| t.id.trim().is_empty() || t.id.len() > 128)
        {
            problems.push(PolicyProblem::EmptyTarget);
        }
        problems
    }

    /// The policy with `patch` applied (valid or not: see [`Self::problems`]).
    pub fn with(&self, patch: &TemporaryAccessPassPolicyPatch) -> TemporaryAccessPassPolicy {
        TemporaryAccessPassPolicy {
            state: patch.state.unwrap_or(self.state),
            include_targets: patch
                .include_targets
                .clone()
                .unwrap_or_else(|| self.include_targets.clone()),
            minimum_lifetime_in_minutes: patch
                .minimum_lifetime_in_minutes
                .unwrap_or(self.minimum_lifetime_in_minutes),
            maximum_lifetime_in_minutes: patch
                .maximum_lifetime_in_minutes
                .unwrap_or(self.maximum_lifetime_in_minutes),
            default_lifetime_in_minutes: patch
                .default_lifetime_in_minutes
                .unwrap_or(self.default_lifetime_in_minutes),
            is_usable_once: patch.is_usable_once.unwrap_or(self.is_usable_once),
            default_length: patch.default_length.unwrap_or(self.default_length),
        }
    }
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

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum MethodUsabilityReason {
        EnabledByPolicy = "EnabledByPolicy",
        DisabledByPolicy = "DisabledByPolicy",
        Expired = "Expired",
        NotYetValid = "NotYetValid",
        OneTimeUsed = "OneTimeUsed",
    }
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

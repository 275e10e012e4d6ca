//! The tenant's Temporary Access Pass policy (seed 001's table): defaults, allowed ranges, and who
//! it includes.

use guestpass_wire::tap::{
    IncludeTarget, PolicyProblem, PolicyState, TargetType, TemporaryAccessPassPolicy,
    TemporaryAccessPassPolicyPatch, ALL_USERS, LENGTH_RANGE, LIFETIME_MINUTES_RANGE,
};
use serde::{Deserialize, Serialize};

use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::directory::tenant::change_setting;
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::ports::Ports;

/// The stored policy has the API's shape (`serde(transparent)`, so `GET` shows it as stored);
/// the wrapper adds its rules. Fields read through `Deref`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PassPolicy(TemporaryAccessPassPolicy);

impl std::ops::Deref for PassPolicy {
    type Target = TemporaryAccessPassPolicy;

    fn deref(&self) -> &TemporaryAccessPassPolicy {
        &self.0
    }
}

impl Default for PassPolicy {
    /// The seed's defaults (1 h minimum, 24 h maximum, 1 h default, multi-use, 8 characters).
    /// Enabled for all users, unlike Entra's: a new tenant's first administrator has no other
    /// way in than the pass the operator issued.
    fn default() -> PassPolicy {
        PassPolicy(TemporaryAccessPassPolicy {
            state: PolicyState::Enabled,
            include_targets: vec![IncludeTarget {
                id: ALL_USERS.into(),
                target_type: TargetType::Group,
            }],
            minimum_lifetime_in_minutes: 60,
            maximum_lifetime_in_minutes: 1440,
            default_lifetime_in_minutes: 60,
            is_usable_once: false,
            default_length: 8,
        })
    }
}

impl PassPolicy {
    pub fn view(&self) -> TemporaryAccessPassPolicy {
        self.0.clone()
    }

    /// Whether pass sign-in is on for anyone in the tenant.
    pub fn is_enabled(&self) -> bool {
        self.state == PolicyState::Enabled
    }

    /// Whether a member in `groups` may sign in with a pass under this policy.
    pub fn includes(&self, groups: &[String]) -> bool {
        self.state == PolicyState::Enabled
            && self
                .include_targets
                .iter()
                .any(|t| t.id == ALL_USERS || groups.contains(&t.id))
    }

    /// The policy after `patch`, or why the result would not be a valid policy.
    pub fn patched(
        &self,
        patch: &TemporaryAccessPassPolicyPatch,
    ) -> Result<PassPolicy, DomainError> {
        let next = self.0.with(patch);
        let Some(problem) = next.problems().first().copied() else {
            return Ok(PassPolicy(next));
        };
        let field = problem.field();
        let message = match problem {
            PolicyProblem::LifetimeOutOfRange(_) => {
                let (low, high) = LIFETIME_MINUTES_RANGE;
                format!("{field} must be between {low} and {high} minutes.")
            }
            PolicyProblem::LengthOutOfRange => {
                let (low, high) = LENGTH_RANGE;
                format!("defaultLength must be between {low} and {high} characters.")
            }
            PolicyProblem::DefaultOutsideMinimumAndMaximum => {
                "The lifetimes must satisfy minimum ≤ default ≤ maximum.".into()
            }
            PolicyProblem::EmptyTarget => "Each target needs a group id (or all_users).".into(),
        };
        Err(DomainError::validation(field, message))
    }
}

/// `GET policies/temporary-access-pass`.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<TemporaryAccessPassPolicy, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadPolicies).await?;
    Ok(tenant.tap_policy.view())
}

/// `PATCH policies/temporary-access-pass`: Global and Authentication Policy Administrators only.
pub async fn patch<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
    body: impl Body<TemporaryAccessPassPolicyPatch>,
) -> Result<TemporaryAccessPassPolicy, DomainError> {
    let tenant = change_setting(
        cx,
        credentials,
        tenant,
        Permission::ChangeAuthenticationPolicy,
        body,
        "Update Temporary Access Pass policy",
        |tenant, patch: TemporaryAccessPassPolicyPatch| {
            tenant.tap_policy = tenant.tap_policy.patched(&patch)?;
            Ok(serde_json::to_string(&patch).ok())
        },
    )
    .await?;
    Ok(tenant.tap_policy.view())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch() -> TemporaryAccessPassPolicyPatch {
        TemporaryAccessPassPolicyPatch::default()
    }

    #[test]
    fn the_defaults_are_the_seeds_table() {
        let policy = PassPolicy::default();
        assert_eq!(
            (
                policy.minimum_lifetime_in_minutes,
                policy.maximum_lifetime_in_minutes,
                policy.default_lifetime_in_minutes
            ),
            (60, 1440, 60)
        );
        assert!(!policy.is_usable_once);
        assert_eq!(policy.default_length, 8);
        assert!(policy.includes(&[]), "all users");
    }

    #[test]
    fn lifetimes_are_accepted_from_10_minutes_to_30_days_and_no_further() {
        let policy = PassPolicy::default();
        let ok = policy
            .patched(&TemporaryAccessPassPolicyPatch {
                minimum_lifetime_in_minutes: Some(10),
                ..patch()
            })
            .unwrap();
        assert_eq!(ok.minimum_lifetime_in_minutes, 10);
        let ok = policy
            .patched(&TemporaryAccessPassPolicyPatch {
                maximum_lifetime_in_minutes: Some(43_200),
                ..patch()
            })
            .unwrap();
        assert_eq!(ok.maximum_lifetime_in_minutes, 43_200);
        for bad in [0, 9, 43_201] {
            let err = policy.patched(&TemporaryAccessPassPolicyPatch {
                maximum_lifetime_in_minutes: Some(bad),
                ..patch()
            });
            assert!(
                matches!(
                    err,
                    Err(DomainError::Validation {
                        target: "maximumLifetimeInMinutes",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_default_lifetime_must_lie_between_minimum_and_maximum() {
        let policy = PassPolicy::default();
        let err = policy.patched(&TemporaryAccessPassPolicyPatch {
            default_lifetime_in_minutes: Some(30),
            ..patch()
        });
        assert!(matches!(
            err,
            Err(DomainError::Validation {
                target: "defaultLifetimeInMinutes",
                ..
            })
        ));
        let err = policy.patched(&TemporaryAccessPassPolicyPatch {
            minimum_lifetime_in_minutes: Some(2000),
            ..patch()
        });
        assert!(err.is_err(), "a minimum above the maximum");
        let ok = policy
            .patched(&TemporaryAccessPassPolicyPatch {
                minimum_lifetime_in_minutes: Some(10),
                default_lifetime_in_minutes: Some(30),
                ..patch()
            })
            .unwrap();
        assert_eq!(ok.default_lifetime_in_minutes, 30);
    }

    #[test]
    fn lengths_run_from_8_to_48() {
        let policy = PassPolicy::default();
        assert_eq!(
            policy
                .patched(&TemporaryAccessPassPolicyPatch {
                    default_length: Some(48),
                    ..patch()
                })
                .unwrap()
                .default_length,
            48
        );
        for bad in [7, 49] {
            assert!(
                policy
                    .patched(&TemporaryAccessPassPolicyPatch {
                        default_length: Some(bad),
                        ..patch()
                    })
                    .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn group_targets_include_only_their_members_and_disabled_includes_nobody() {
        let groups = PassPolicy::default()
            .patched(&TemporaryAccessPassPolicyPatch {
                include_targets: Some(vec![IncludeTarget {
                    id: "onboarding".into(),
                    target_type: TargetType::Group,
                }]),
                ..patch()
            })
            .unwrap();
        assert!(groups.includes(&["onboarding".into()]));
        assert!(!groups.includes(&["sales".into()]));
        assert!(!groups.includes(&[]));
        let disabled = PassPolicy::default()
            .patched(&TemporaryAccessPassPolicyPatch {
                state: Some(PolicyState::Disabled),
                ..patch()
            })
            .unwrap();
        assert!(!disabled.includes(&[]));
    }
}

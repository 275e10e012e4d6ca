//! Issuing a Temporary Access Pass (seed 001): its lifetime and use within the policy, one pass
//! per user, what replacing or deleting one does — and the administrator's use cases over a
//! user's pass.

use guestpass_wire::tap::{CreatePassRequest, TemporaryAccessPassMethod};
use guestpass_wire::List;

use super::pass::{self, PassRecord};
use super::policy::PassPolicy;
use super::refuse_guest;
use super::sign_in::pass_user_key;
use crate::audit;
use crate::authz::{self, authorize_pass, PassAction, Principal};
use crate::context::{Body, Credentials, Ctx};
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::guard::{self, shards, GuardCommand, Shards};
use crate::keys::KeyRing;
use crate::ports::{Entropy, Ports};
use crate::session;
use crate::time::{parse_rfc3339, UnixMillis};

/// Bytes of entropy to draw for a pass of the longest length (rejection sampling drops some).
pub const PASS_ENTROPY_BYTES: usize = 4 * 48;

/// A pass to store, its value to show once, and what it replaces.
#[derive(Debug)]
pub struct NewPass {
    pub record: PassRecord,
    pub value: String,
    /// The expired or used pass it replaces (no session is revoked for that).
    pub replaces: Option<String>,
}

/// What a new pass is decided from.
pub struct PassDraft<'a> {
    pub policy: &'a PassPolicy,
    pub target: &'a UserRecord,
    /// The user's current pass, if any.
    pub existing: Option<&'a PassRecord>,
    pub request: &'a CreatePassRequest,
    /// The tenant's guard shards: the pass is decided in its username's shard as they stand.
    pub shards: Shards,
    pub now: UnixMillis,
}

/// Decides a new pass from `draft`, with its `id` and the `entropy` its value is drawn from.
pub fn plan_create(
    keys: &KeyRing,
    draft: PassDraft<'_>,
    id: String,
    entropy: &[u8],
) -> Result<NewPass, DomainError> {
    let PassDraft {
        policy,
        target,
        existing,
        request,
        shards,
        now,
    } = draft;
    refuse_guest(target)?;
    if existing.is_some_and(|p| p.is_current(now)) {
        return Err(DomainError::Conflict(
            "This user already has a valid Temporary Access Pass. Delete it before creating a new one.".into(),
        ));
    }
    let (min, max) = (
        policy.minimum_lifetime_in_minutes,
        policy.maximum_lifetime_in_minutes,
    );
    let lifetime_in_minutes = request
        .lifetime_in_minutes
        .unwrap_or(policy.default_lifetime_in_minutes);
    if !(min..=max).contains(&lifetime_in_minutes) {
        return Err(DomainError::validation(
            "lifetimeInMinutes",
            format!("The policy allows lifetimes from {min} to {max} minutes."),
        ));
    }
    let start_at = match request.start_date_time.as_deref() {
        None => now,
        Some(text) => parse_rfc3339(text).ok_or_else(|| {
            DomainError::validation(
                "startDateTime",
                "startDateTime must be an RFC 3339 date and time, like 2026-03-11T06:00:00Z.",
            )
        })?,
    };
    // A one-time policy makes every pass one-time, whatever the request says.
    let is_usable_once = policy.is_usable_once || request.is_usable_once.unwrap_or(false);
    let value = pass::generate(policy.default_length as usize, entropy)
        .ok_or_else(|| DomainError::Internal("not enough entropy for a pass".into()))?;
    let (key_id, hash) = pass::hash(keys, &target.tenant_id, &target.id, &value);
    let record = PassRecord {
        id,
        key_id,
        hash,
        created_at: now,
        start_at,
        lifetime_in_minutes,
        is_usable_once,
        used_at: None,
        guard_shard: shards.pick(&pass_user_key(keys, target.sign_in_name())),
    };
    Ok(NewPass {
        record,
        value,
        replaces: existing.map(|p| p.id.clone()),
    })
}

/// The principal, the target user and their pass, once `action` on that user's pass is allowed.
async fn load<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    action: PassAction,
) -> Result<(Principal, UserRecord, Option<PassRecord>), DomainError> {
    let principal = authz::administrator(cx, credentials, tenant).await?;
    let user = cx.directory().existing_user(&tenant.id, user_id).await?;
    authorize_pass(&principal, &user, action)?;
    let pass = cx.directory().pass(&user).await?;
    Ok((principal, user, pass))
}

/// The pass as an administrator sees it: with whether the guard holds pass sign-in locked
/// until a new pass (a hundred wrong passes in a row).
async fn admin_view<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    user: &UserRecord,
    pass: &PassRecord,
) -> Result<TemporaryAccessPassMethod, DomainError> {
    let mut view = pass.view(&tenant.tap_policy, &user.groups, cx.now, None);
    let command = GuardCommand::PassLock {
        user_key: pass_user_key(&cx.settings.keys, user.sign_in_name()),
        current_pass: Some(pass.id.clone()),
    };
    let instance = shards::instance(&tenant.id, pass.guard_shard);
    view.locked_until_new_pass = guard::pass_locked(cx.ports.guard(), &instance, command).await?;
    Ok(view)
}

/// The user's pass when it is the one the path names.
fn named(pass: Option<PassRecord>, method_id: &str) -> Result<PassRecord, DomainError> {
    pass.filter(|p| p.id == method_id)
        .ok_or(DomainError::PassNotFound)
}

/// `GET users/{id}/authentication/temporary-access-pass-methods`: the pass, if any.
pub async fn list<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> Result<List<TemporaryAccessPassMethod>, DomainError> {
    let (_, user, pass) = load(cx, credentials, tenant, user_id, PassAction::Read).await?;
    let value = match &pass {
        Some(pass) => vec![admin_view(cx, tenant, &user, pass).await?],
        None => Vec::new(),
    };
    Ok(List::whole(value))
}

/// `GET …/temporary-access-pass-methods/{methodId}`: details, never the value.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> Result<TemporaryAccessPassMethod, DomainError> {
    let (_, user, pass) = load(cx, credentials, tenant, user_id, PassAction::Read).await?;
    let pass = named(pass, method_id)?;
    admin_view(cx, tenant, &user, &pass).await
}

/// `POST …/temporary-access-pass-methods`: the value is in this answer and nowhere else, ever.
pub async fn create<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    body: impl Body<CreatePassRequest>,
) -> Result<TemporaryAccessPassMethod, DomainError> {
    let (principal, user, existing) =
        load(cx, credentials, tenant, user_id, PassAction::Manage).await?;
    let request = body.read().await?;
    let draft = PassDraft {
        policy: &tenant.tap_policy,
        target: &user,
        existing: existing.as_ref(),
        request: &request,
        shards: tenant.guard_shards,
        now: cx.now,
    };
    let entropy = cx.ports.entropy().bytes::<PASS_ENTROPY_BYTES>()?;
    let new = plan_create(&cx.settings.keys, draft, cx.uuid()?, &entropy)?;
    cx.directory().save_pass(&user, &new.record).await?;
    let detail = match &new.replaces {
        Some(old) => format!(
            "pass {} (replaces expired or used pass {old})",
            new.record.id
        ),
        None => format!("pass {}", new.record.id),
    };
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Create Temporary Access Pass",
        &user.id,
        Some(detail),
    );
    Ok(new
        .record
        .view(&tenant.tap_policy, &user.groups, cx.now, Some(new.value)))
}

/// `DELETE …/temporary-access-pass-methods/{methodId}`: deleting a pass that could still sign in
/// also ends the user's sessions (an expired or used one ends nothing).
pub async fn delete<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> Result<(), DomainError> {
    let (principal, user, pass) =
        load(cx, credentials, tenant, user_id, PassAction::Manage).await?;
    let pass = named(pass, method_id)?;
    let revoke = pass.is_current(cx.now);
    cx.directory().delete_pass(&user).await?;
    if revoke {
        session::revoke_all(cx, &tenant.id, &user.id).await?;
    }
    let detail = format!(
        "pass {}{}",
        pass.id,
        if revoke { "; sessions revoked" } else { "" }
    );
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Delete Temporary Access Pass",
        &user.id,
        Some(detail),
    );
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::keys::tests::ring;
    use crate::tap::GUEST_REFUSAL;
    use crate::time::MINUTE;
    use guestpass_wire::tap::MethodUsabilityReason as Reason;
    use guestpass_wire::tap::TemporaryAccessPassPolicyPatch;
    use guestpass_wire::UserType;

    const NOW: UnixMillis = 1_795_348_800_000;

    pub(crate) fn member() -> UserRecord {
        let request = guestpass_wire::CreateTenantRequest {
            display_name: "Contoso".into(),
            verified_domains: vec!["contoso.com".into()],
            admin: guestpass_wire::CreateTenantAdmin {
                display_name: "Admin".into(),
                user_principal_name: "admin@contoso.com".into(),
            },
        };
        let (tenant, _) = crate::directory::tenant::new_tenant(
            &request,
            "t1".into(),
            "a1".into(),
            NOW,
            guestpass_wire::EmailOtpState::Default,
        )
        .unwrap();
        let ada = guestpass_wire::CreateUserRequest {
            display_name: "Ada".into(),
            user_principal_name: "ada@contoso.com".into(),
            roles: vec![],
            groups: vec![],
        };
        crate::directory::member::new_member(&tenant, &ada, "u1".into(), NOW).unwrap()
    }

    fn create(
        policy: &PassPolicy,
        existing: Option<&PassRecord>,
        request: CreatePassRequest,
    ) -> Result<NewPass, DomainError> {
        plan_create(
            &ring(&["k1"]),
            PassDraft {
                policy,
                target: &member(),
                existing,
                request: &request,
                shards: Shards::default(),
                now: NOW,
            },
            "p2".into(),
            &[7; PASS_ENTROPY_BYTES],
        )
    }

    fn issued(request: CreatePassRequest) -> PassRecord {
        create(&PassPolicy::default(), None, request)
            .unwrap()
            .record
    }

    #[test]
    fn a_pass_takes_the_policys_default_lifetime_and_length_and_starts_now() {
        let new = create(&PassPolicy::default(), None, CreatePassRequest::default()).unwrap();
        assert_eq!(new.record.lifetime_in_minutes, 60);
        assert_eq!(new.record.start_at, NOW);
        assert_eq!(new.value.len(), 8);
        assert!(
            !new.record.hash.contains(&new.value),
            "only a keyed hash is stored"
        );
        assert!(pass::matches(
            &ring(&["k1"]),
            &new.record,
            "t1",
            "u1",
            &new.value
        ));
    }

    #[test]
    fn a_lifetime_outside_the_policy_is_refused() {
        for minutes in [59, 1441] {
            let err = create(
                &PassPolicy::default(),
                None,
                CreatePassRequest {
                    lifetime_in_minutes: Some(minutes),
                    ..Default::default()
                },
            );
            assert!(
                matches!(
                    err,
                    Err(DomainError::Validation {
                        target: "lifetimeInMinutes",
                        ..
                    })
                ),
                "{minutes}"
            );
        }
        assert!(create(
            &PassPolicy::default(),
            None,
            CreatePassRequest {
                lifetime_in_minutes: Some(1440),
                ..Default::default()
            }
        )
        .is_ok());
    }

    #[test]
    fn a_one_time_policy_forces_one_time_passes() {
        let once = PassPolicy::default()
            .patched(&TemporaryAccessPassPolicyPatch {
                is_usable_once: Some(true),
                ..Default::default()
            })
            .unwrap();
        let new = create(
            &once,
            None,
            CreatePassRequest {
                is_usable_once: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(new.record.is_usable_once);
        assert!(
            issued(CreatePassRequest {
                is_usable_once: Some(true),
                ..Default::default()
            })
            .is_usable_once
        );
        assert!(!issued(CreatePassRequest::default()).is_usable_once);
    }

    #[test]
    fn guests_cannot_have_a_pass() {
        let guest = UserRecord {
            user_type: UserType::Guest,
            ..member()
        };
        let draft = PassDraft {
            policy: &PassPolicy::default(),
            target: &guest,
            existing: None,
            request: &CreatePassRequest::default(),
            shards: Shards::default(),
            now: NOW,
        };
        let err = plan_create(&ring(&["k1"]), draft, "p".into(), &[7; 200]);
        assert!(
            matches!(err, Err(DomainError::Validation { message, .. }) if message == GUEST_REFUSAL)
        );
    }

    #[test]
    fn a_valid_pass_must_be_deleted_first_but_an_expired_or_used_one_is_replaced() {
        let current = issued(CreatePassRequest::default());
        assert!(matches!(
            create(
                &PassPolicy::default(),
                Some(&current),
                CreatePassRequest::default()
            ),
            Err(DomainError::Conflict(_))
        ));
        let future = issued(CreatePassRequest {
            start_date_time: Some("2027-01-01T00:00:00Z".into()),
            ..Default::default()
        });
        assert!(
            create(
                &PassPolicy::default(),
                Some(&future),
                CreatePassRequest::default()
            )
            .is_err(),
            "not yet valid is still current"
        );
        let expired = PassRecord {
            start_at: NOW - 61 * MINUTE,
            ..current.clone()
        };
        assert_eq!(
            create(
                &PassPolicy::default(),
                Some(&expired),
                CreatePassRequest::default()
            )
            .unwrap()
            .replaces
            .as_deref(),
            Some("p2")
        );
        let used = PassRecord {
            used_at: Some(NOW - MINUTE),
            ..current
        };
        assert!(create(
            &PassPolicy::default(),
            Some(&used),
            CreatePassRequest::default()
        )
        .is_ok());
    }

    #[test]
    fn a_bad_start_time_is_refused() {
        let err = create(
            &PassPolicy::default(),
            None,
            CreatePassRequest {
                start_date_time: Some("tomorrow".into()),
                ..Default::default()
            },
        );
        assert!(matches!(
            err,
            Err(DomainError::Validation {
                target: "startDateTime",
                ..
            })
        ));
    }

    #[test]
    fn usability_names_each_reason() {
        let pass = issued(CreatePassRequest {
            start_date_time: Some(crate::time::format_rfc3339(NOW + MINUTE)),
            ..Default::default()
        });
        assert_eq!(pass.usability(true, NOW), (false, Reason::NotYetValid));
        assert_eq!(
            pass.usability(true, NOW + MINUTE),
            (true, Reason::EnabledByPolicy)
        );
        assert_eq!(
            pass.usability(true, pass.end_at() - 1),
            (true, Reason::EnabledByPolicy)
        );
        assert_eq!(
            pass.usability(true, pass.end_at()),
            (false, Reason::Expired)
        );
        assert_eq!(
            pass.usability(false, NOW + MINUTE),
            (false, Reason::DisabledByPolicy)
        );
        let used = PassRecord {
            used_at: Some(NOW + 2 * MINUTE),
            ..pass
        };
        assert_eq!(
            used.usability(true, NOW + 3 * MINUTE),
            (false, Reason::OneTimeUsed)
        );
    }

    #[test]
    fn the_view_shows_the_value_only_when_given() {
        let pass = issued(CreatePassRequest::default());
        assert_eq!(
            pass.view(&PassPolicy::default(), &[], NOW, None)
                .temporary_access_pass,
            None
        );
        assert_eq!(
            pass.view(&PassPolicy::default(), &[], NOW, Some("v".into()))
                .temporary_access_pass
                .as_deref(),
            Some("v")
        );
    }
}

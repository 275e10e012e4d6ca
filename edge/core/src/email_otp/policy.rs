//! The tenant's email one-time passcode setting and whether it is in force.

use guestpass_wire::{EmailOtpPolicy, EmailOtpPolicyPatch, EmailOtpState};

use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::directory::tenant::change_setting;
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::ports::Ports;
use crate::time::{format_date, UnixMillis};

/// What the deployment decides for tenants left on `default` (vars `EMAIL_OTP_DEFAULT` and
/// `EMAIL_OTP_AUTO_ENABLE_ON`). Sovereign-cloud style deployments set `disabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailOtpDeployment {
    /// Midnight UTC of the day `default` starts meaning enabled.
    pub auto_enable_on: UnixMillis,
    /// False when the deployment makes `default` mean disabled.
    pub default_enables: bool,
}

pub fn is_effectively_enabled(
    state: EmailOtpState,
    deployment: EmailOtpDeployment,
    now: UnixMillis,
) -> bool {
    match state {
        EmailOtpState::Enabled => true,
        EmailOtpState::Disabled => false,
        EmailOtpState::Default => deployment.default_enables && now >= deployment.auto_enable_on,
    }
}

/// Email codes may be sent and checked only while the tenant's setting is in force.
pub fn require_email_otp(
    state: EmailOtpState,
    deployment: EmailOtpDeployment,
    now: UnixMillis,
) -> Result<(), DomainError> {
    if is_effectively_enabled(state, deployment, now) {
        Ok(())
    } else {
        Err(DomainError::EmailOtpDisabled)
    }
}

pub fn view(
    state: EmailOtpState,
    deployment: EmailOtpDeployment,
    now: UnixMillis,
) -> EmailOtpPolicy {
    EmailOtpPolicy {
        state,
        auto_enable_on: format_date(deployment.auto_enable_on),
        is_effectively_enabled: is_effectively_enabled(state, deployment, now),
    }
}

/// `GET policies/email-otp`.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<EmailOtpPolicy, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadPolicies).await?;
    Ok(view(tenant.email_otp_state, cx.settings.email_otp, cx.now))
}

/// `PATCH policies/email-otp`: Global and Authentication Policy Administrators only.
pub async fn patch<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
    body: impl Body<EmailOtpPolicyPatch>,
) -> Result<EmailOtpPolicy, DomainError> {
    let tenant = change_setting(
        cx,
        credentials,
        tenant,
        Permission::ChangeAuthenticationPolicy,
        body,
        "Update email one-time passcode policy",
        |tenant, patch: EmailOtpPolicyPatch| {
            let before = tenant.email_otp_state;
            tenant.email_otp_state = patch.state;
            Ok(Some(format!("{before:?} -> {:?}", patch.state)))
        },
    )
    .await?;
    Ok(view(tenant.email_otp_state, cx.settings.email_otp, cx.now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_date;

    #[test]
    fn default_turns_on_at_the_auto_enable_date() {
        let on = parse_date("2026-12-01").unwrap();
        let deployment = EmailOtpDeployment {
            auto_enable_on: on,
            default_enables: true,
        };
        assert!(!is_effectively_enabled(
            EmailOtpState::Default,
            deployment,
            on - 1
        ));
        assert!(is_effectively_enabled(
            EmailOtpState::Default,
            deployment,
            on
        ));
        assert_eq!(
            view(EmailOtpState::Default, deployment, on).auto_enable_on,
            "2026-12-01"
        );
    }

    #[test]
    fn explicit_states_ignore_the_date() {
        let deployment = EmailOtpDeployment {
            auto_enable_on: i64::MAX,
            default_enables: true,
        };
        assert!(is_effectively_enabled(
            EmailOtpState::Enabled,
            deployment,
            0
        ));
        assert!(!is_effectively_enabled(
            EmailOtpState::Disabled,
            deployment,
            i64::MAX - 1
        ));
    }

    #[test]
    fn a_disabled_setting_refuses_with_email_otp_disabled() {
        let deployment = EmailOtpDeployment {
            auto_enable_on: 0,
            default_enables: true,
        };
        assert_eq!(
            require_email_otp(EmailOtpState::Disabled, deployment, 1),
            Err(DomainError::EmailOtpDisabled)
        );
        assert_eq!(
            require_email_otp(EmailOtpState::Default, deployment, 1),
            Ok(())
        );
    }

    #[test]
    fn a_deployment_can_make_default_mean_disabled() {
        let deployment = EmailOtpDeployment {
            auto_enable_on: 0,
            default_enables: false,
        };
        assert!(!is_effectively_enabled(
            EmailOtpState::Default,
            deployment,
            1_000
        ));
        assert!(is_effectively_enabled(
            EmailOtpState::Enabled,
            deployment,
            1_000
        ));
    }
}

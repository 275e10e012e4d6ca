//! Two error layers, one mapping: [`DomainError`] says what really happened (for the log);
//! [`DomainError::to_api`] says what a client may know. The `match` has no catch-all arm, so a
//! new variant cannot ship without deciding its status and its public message.

use guestpass_wire::{ApiError, EmailError, ErrorCode};

use crate::session::SessionError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    InvalidJson(String),
    UnsupportedMediaType,
    PayloadTooLarge {
        limit: usize,
    },
    Validation {
        target: &'static str,
        message: String,
    },
    InvalidEmail(EmailError),
    RouteNotFound,
    MethodNotAllowed,
    TenantMissing,
    TenantNotFound,
    UserNotFound,
    PassNotFound,
    NotSignedIn,
    Session(SessionError),
    Forbidden(&'static str),
    CrossSite,
    Conflict(String),
    ChallengeInvalid,
    WrongCode {
        attempts_remaining: u32,
    },
    CodeExpired,
    CodeSuperseded,
    CodeAlreadyUsed,
    TooManyAttempts {
        retry_after_seconds: Option<u64>,
    },
    /// The right code for an address that may not sign in (it was never emailed one).
    NoAccount,
    EmailOtpDisabled,
    /// The tenant's external collaboration policy does not allow invitations to the domain.
    DomainNotAllowed,
    /// A wrong pass, an unknown username, or a user with no pass: one answer for all three.
    InvalidCredentials,
    PassNotYetValid,
    PassExpired,
    PassDisabled,
    PassBlocked,
    /// Too many wrong passes for a username: pass sign-in is locked for a while.
    PassLocked {
        retry_after_seconds: u64,
    },
    /// A hundred wrong passes in a row for a username: locked until a new pass is issued.
    PassLockedUntilNewPass,
    Throttled {
        retry_after_seconds: u64,
    },
    /// A registration the ceremony refused; the reason is for the log.
    PasskeyNotAccepted(&'static str),
    /// A passkey sign-in refused, whatever the reason (logged): one answer for all.
    PasskeyNotRecognized(&'static str),
    /// The passkey policy refuses.
    PasskeyNotAllowed(&'static str),
    /// No passkey of this user with this id.
    PasskeyNotFound,
    /// No application of this tenant with this id.
    ApplicationNotFound,
    /// No secret of this application with this id.
    SecretNotFound,
    StorageUnavailable(String),
    Misconfigured(String),
    Internal(String),
}

impl DomainError {
    pub fn validation(target: &'static str, message: impl Into<String>) -> Self {
        DomainError::Validation {
            target,
            message: message.into(),
        }
    }

    /// What the client sees: a code, a message safe to show, and the extras it may act on.
    pub fn to_api(&self) -> ApiError {
        use DomainError as E;
        let (code, message): (ErrorCode, String) = match self {
            E::InvalidJson(why) => (ErrorCode::InvalidJson, format!("The request body is not valid JSON: {why}")),
            E::UnsupportedMediaType => (ErrorCode::UnsupportedMediaType, "Send the request body as application/json.".into()),
            E::PayloadTooLarge { limit } => (ErrorCode::PayloadTooLarge, format!("The request body is larger than {limit} bytes.")),
            E::Validation { message, .. } => (ErrorCode::ValidationFailed, message.clone()),
            E::InvalidEmail(why) => (ErrorCode::InvalidEmail, why.message().into()),
            E::RouteNotFound => (ErrorCode::NotFound, "There is nothing at this address.".into()),
            E::MethodNotAllowed => (ErrorCode::MethodNotAllowed, "This address does not accept that method.".into()),
            E::TenantMissing => (
                ErrorCode::TenantMissing,
                "The link is missing the organization. Ask the organization for its sign-in link.".into(),
            ),
            E::TenantNotFound => (
                ErrorCode::TenantNotFound,
                "Organization not found. Check the link, or ask the organization for its sign-in link.".into(),
            ),
            E::UserNotFound => (ErrorCode::UserNotFound, "No such user in this organization.".into()),
            E::PassNotFound => (ErrorCode::NotFound, "This user has no such Temporary Access Pass.".into()),
            // Which session check failed stays in the log: "sign in again" is all a client needs.
            E::NotSignedIn | E::Session(_) => (ErrorCode::Unauthorized, "You are not signed in, or your session ended. Sign in again.".into()),
            E::Forbidden(why) => (ErrorCode::Forbidden, (*why).into()),
            E::CrossSite => (ErrorCode::CrossSiteRequest, "Cross-site requests are refused.".into()),
            E::Conflict(why) => (ErrorCode::Conflict, why.clone()),
            E::ChallengeInvalid => (ErrorCode::InvalidRequest, "This sign-in request is not valid here. Request a new code.".into()),
            E::WrongCode { .. } | E::NoAccount => (ErrorCode::InvalidCode, "That code is not right. Check the email and try again.".into()),
            E::CodeExpired => (ErrorCode::CodeExpired, "This code has expired. Request a new code.".into()),
            E::CodeSuperseded => (ErrorCode::CodeExpired, "A newer code was sent: use the latest code, or request a new one.".into()),
            E::CodeAlreadyUsed => (ErrorCode::CodeAlreadyUsed, "This code was already used. Request a new code.".into()),
            E::TooManyAttempts { retry_after_seconds: None } => {
                (ErrorCode::TooManyAttempts, "Too many wrong tries for this code. Request a new code.".into())
            }
            E::TooManyAttempts { retry_after_seconds: Some(_) } => {
                (ErrorCode::TooManyAttempts, "Too many wrong codes. Wait a while before trying again.".into())
            }
            E::EmailOtpDisabled => (
                ErrorCode::EmailOtpDisabled,
                "Sign-in with an email code is turned off for this organization. Contact the organization for access.".into(),
            ),
            E::DomainNotAllowed => (
                ErrorCode::DomainNotAllowed,
                "This organization's external collaboration settings do not allow invitations to this domain.".into(),
            ),
            E::InvalidCredentials => (
                ErrorCode::InvalidCredentials,
                "The username or the Temporary Access Pass is not right.".into(),
            ),
            E::PassNotYetValid => (
                ErrorCode::TemporaryAccessPassNotYetValid,
                "This Temporary Access Pass is not valid yet. Try again from its start time.".into(),
            ),
            E::PassExpired => (
                ErrorCode::TemporaryAccessPassExpired,
                "This Temporary Access Pass has expired. Ask your administrator for a new one.".into(),
            ),
            E::PassDisabled => (
                ErrorCode::TemporaryAccessPassDisabled,
                "Sign-in with a Temporary Access Pass is not enabled for you. Contact your administrator.".into(),
            ),
            E::PassBlocked => (
                ErrorCode::TemporaryAccessPassBlocked,
                "Temporary Access Pass sign in was blocked due to User Credential Policy.".into(),
            ),
            E::PassLocked { .. } => (
                ErrorCode::TooManyAttempts,
                "Too many wrong passes. Temporary Access Pass sign-in is locked for a while.".into(),
            ),
            E::PassLockedUntilNewPass => (
                ErrorCode::TooManyAttempts,
                "Too many wrong passes. Ask your administrator for a new Temporary Access Pass.".into(),
            ),
            E::PasskeyNotAccepted(_) => (ErrorCode::PasskeyNotAccepted, "This passkey could not be added. Try again.".into()),
            E::PasskeyNotRecognized(_) => (
                ErrorCode::PasskeyNotRecognized,
                "This passkey was not recognized. Try another one, or use a Temporary Access Pass.".into(),
            ),
            E::PasskeyNotAllowed(_) => (ErrorCode::PasskeyNotAllowed, "Your organization's policy does not allow this passkey.".into()),
            E::PasskeyNotFound => (ErrorCode::NotFound, "This user has no such passkey.".into()),
            E::ApplicationNotFound => (ErrorCode::NotFound, "No such application in this organization.".into()),
            E::SecretNotFound => (ErrorCode::NotFound, "This application has no such secret.".into()),
            E::Throttled { .. } => (ErrorCode::Throttled, "Too many requests. Wait a moment before trying again.".into()),
            E::StorageUnavailable(_) | E::Misconfigured(_) => {
                (ErrorCode::ServiceUnavailable, "Sign-in is unavailable right now. Try again in a few minutes.".into())
            }
            E::Internal(_) => (ErrorCode::InternalError, "Something went wrong on our side. Try again.".into()),
        };
        let mut api = ApiError::new(code, message);
        match self {
            E::WrongCode { attempts_remaining } => {
                api.error.attempts_remaining = Some(*attempts_remaining)
            }
            E::Throttled {
                retry_after_seconds,
            }
            | E::TooManyAttempts {
                retry_after_seconds: Some(retry_after_seconds),
            }
            | E::PassLocked {
                retry_after_seconds,
            } => api.error.retry_after_seconds = Some(*retry_after_seconds),
            E::Validation { target, .. } => api.error.target = Some((*target).into()),
            _ => {}
        }
        api
    }

    /// What a Worker's own log says of a failed background step (a retried KV call, a log line
    /// or an email not written, a guard command): a server fault's internal detail, which never
    /// holds a code, pass or key. Those steps meet no other error; were one to, its kind is not
    /// worth linking every variant's `Debug` or message into each Worker for.
    pub fn log_detail(&self) -> &str {
        match self {
            DomainError::StorageUnavailable(detail)
            | DomainError::Misconfigured(detail)
            | DomainError::Internal(detail) => detail,
            _ => "a refusal, not a server fault",
        }
    }

    /// The short reason the sign-in log records (never a code or a pass).
    pub fn log_reason(&self) -> String {
        match self {
            DomainError::Session(why) => why.log_reason().into(),
            DomainError::CodeSuperseded => "code_superseded".into(),
            DomainError::PasskeyNotAccepted(why)
            | DomainError::PasskeyNotRecognized(why)
            | DomainError::PasskeyNotAllowed(why) => format!("passkey_{why}"),
            other => other.to_api().error.code.as_str().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_codes_carry_the_tries_left() {
        let api = DomainError::WrongCode {
            attempts_remaining: 3,
        }
        .to_api();
        assert_eq!(api.error.code, ErrorCode::InvalidCode);
        assert_eq!(api.error.attempts_remaining, Some(3));
    }

    #[test]
    fn session_failures_do_not_say_which_check_failed() {
        let revoked = DomainError::Session(SessionError::Revoked).to_api();
        let tampered = DomainError::Session(SessionError::Invalid).to_api();
        assert_eq!(revoked, tampered);
        assert_eq!(revoked.error.code.http_status(), 401);
    }

    #[test]
    fn the_right_code_for_an_uninvited_address_looks_like_a_wrong_code() {
        assert_eq!(
            DomainError::NoAccount.to_api().error.code,
            ErrorCode::InvalidCode
        );
    }

    #[test]
    fn internal_details_never_reach_the_client() {
        for err in [
            DomainError::StorageUnavailable("kv get tenant:abc failed".into()),
            DomainError::Internal("serde: missing field at line 3".into()),
            DomainError::Misconfigured("SIGNING_KEYS missing".into()),
        ] {
            let text = serde_json::to_string(&err.to_api()).unwrap();
            assert!(
                !text.contains("kv") && !text.contains("serde") && !text.contains("SIGNING"),
                "{text}"
            );
        }
    }

    #[test]
    fn log_reasons_use_the_wire_code_names() {
        assert_eq!(
            DomainError::WrongCode {
                attempts_remaining: 1
            }
            .log_reason(),
            "invalid_code"
        );
        assert_eq!(DomainError::CodeSuperseded.log_reason(), "code_superseded");
        assert_eq!(
            DomainError::Session(SessionError::Revoked).log_reason(),
            "session_revoked"
        );
    }

    #[test]
    fn throttles_carry_retry_after() {
        assert_eq!(
            DomainError::Throttled {
                retry_after_seconds: 42
            }
            .to_api()
            .error
            .retry_after_seconds,
            Some(42)
        );
    }
}

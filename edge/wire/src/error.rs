//! The error codes of the API and the one shape every error takes:
//! `{"error": {"code": "…", "message": "…", …}}`.
//!
//! Clients branch on [`ErrorCode`], never on the message, which is only safe to show.

use serde::{Deserialize, Serialize};

named_enum! {
    /// Every error code the API answers with. Adding one is a contract change: the SPA's copy table
    /// maps each to text, and a test there fails when one is missing.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ErrorCode {
        InvalidRequest = "invalid_request",
        InvalidJson = "invalid_json",
        UnsupportedMediaType = "unsupported_media_type",
        PayloadTooLarge = "payload_too_large",
        ValidationFailed = "validation_failed",
        InvalidEmail = "invalid_email",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        TenantMissing = "tenant_missing",
        TenantNotFound = "tenant_not_found",
        UserNotFound = "user_not_found",
        Unauthorized = "unauthorized",
        Forbidden = "forbidden",
        CrossSiteRequest = "cross_site_request",
        Conflict = "conflict",
        InvalidCode = "invalid_code",
        CodeExpired = "code_expired",
        CodeAlreadyUsed = "code_already_used",
        TooManyAttempts = "too_many_attempts",
        EmailOtpDisabled = "email_otp_disabled",
        /// The external collaboration policy does not allow invitations to this domain.
        DomainNotAllowed = "domain_not_allowed",
        /// Wrong username or pass (the two are never told apart).
        InvalidCredentials = "invalid_credentials",
        TemporaryAccessPassNotYetValid = "temporary_access_pass_not_yet_valid",
        TemporaryAccessPassExpired = "temporary_access_pass_expired",
        /// The policy is off, or does not include the user.
        TemporaryAccessPassDisabled = "temporary_access_pass_disabled",
        /// The seed's "blocked due to User Credential Policy": a used one-time pass, or a multi-use
        /// pass while the policy requires one-time.
        TemporaryAccessPassBlocked = "temporary_access_pass_blocked",
        /// A passkey registration the ceremony's checks refused (or whose challenge expired).
        PasskeyNotAccepted = "passkey_not_accepted",
        /// A passkey sign-in refused: unknown passkey, bad signature, stale challenge — one answer.
        PasskeyNotRecognized = "passkey_not_recognized",
        /// The passkey policy refuses: passkeys off, an authenticator model not allowed, or a
        /// possible clone.
        PasskeyNotAllowed = "passkey_not_allowed",
        Throttled = "throttled",
        ServiceUnavailable = "service_unavailable",
        InternalError = "internal_error",
    }
}

impl ErrorCode {
    /// The HTTP status that goes with the code: one exhaustive table, no catch-all arm.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest
            | ErrorCode::InvalidJson
            | ErrorCode::ValidationFailed
            | ErrorCode::InvalidEmail
            | ErrorCode::TenantMissing
            | ErrorCode::InvalidCode
            | ErrorCode::CodeExpired
            | ErrorCode::CodeAlreadyUsed
            | ErrorCode::InvalidCredentials
            | ErrorCode::PasskeyNotAccepted
            | ErrorCode::PasskeyNotRecognized => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden
            | ErrorCode::CrossSiteRequest
            | ErrorCode::EmailOtpDisabled
            | ErrorCode::DomainNotAllowed
            | ErrorCode::TemporaryAccessPassNotYetValid
            | ErrorCode::TemporaryAccessPassExpired
            | ErrorCode::TemporaryAccessPassDisabled
            | ErrorCode::TemporaryAccessPassBlocked
            | ErrorCode::PasskeyNotAllowed => 403,
            ErrorCode::NotFound | ErrorCode::TenantNotFound | ErrorCode::UserNotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::TooManyAttempts | ErrorCode::Throttled => 429,
            ErrorCode::InternalError => 500,
            ErrorCode::ServiceUnavailable => 503,
        }
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// Wrong code: how many tries this code has left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_remaining: Option<u32>,
    /// `429`: seconds until a retry can succeed (also in the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// Validation: the field that was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            error: ErrorBody {
                code,
                message: message.into(),
                attempts_remaining: None,
                retry_after_seconds: None,
                target: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_serialize_in_snake_case() {
        let json = serde_json::to_string(&ErrorCode::CodeAlreadyUsed).unwrap();
        assert_eq!(json, "\"code_already_used\"");
    }

    #[test]
    fn client_mistakes_are_4xx_and_only_server_faults_are_5xx() {
        use ErrorCode::*;
        let client = [
            InvalidRequest,
            InvalidJson,
            UnsupportedMediaType,
            PayloadTooLarge,
            ValidationFailed,
            InvalidEmail,
            NotFound,
            MethodNotAllowed,
            TenantMissing,
            TenantNotFound,
            UserNotFound,
            Unauthorized,
            Forbidden,
            CrossSiteRequest,
            Conflict,
            InvalidCode,
            CodeExpired,
            CodeAlreadyUsed,
            TooManyAttempts,
            EmailOtpDisabled,
            DomainNotAllowed,
            InvalidCredentials,
            TemporaryAccessPassNotYetValid,
            TemporaryAccessPassExpired,
            TemporaryAccessPassDisabled,
            TemporaryAccessPassBlocked,
            Throttled,
        ];
        for code in client {
            assert!((400..500).contains(&code.http_status()), "{code:?}");
        }
        assert_eq!(ServiceUnavailable.http_status(), 503);
        assert_eq!(InternalError.http_status(), 500);
    }

    #[test]
    fn optional_error_fields_are_omitted_when_absent() {
        let json =
            serde_json::to_value(ApiError::new(ErrorCode::NotFound, "No such route.")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "not_found", "message": "No such route."}})
        );
    }
}

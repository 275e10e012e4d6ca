//! Typed deployment configuration, read from `[vars]` and secrets once per request.
//! Every name and default is in the README's configuration table.

use guestpass_core::context::{OperatorToken, Settings};
use guestpass_core::email_otp::policy::EmailOtpDeployment;
use guestpass_core::keys::KeyRing;
use guestpass_core::limits::SendLimits;
use guestpass_core::time::parse_date;
use guestpass_core::DomainError;
use worker::Env;

/// The date `default` starts meaning enabled, unless `EMAIL_OTP_AUTO_ENABLE_ON` says otherwise.
const DEFAULT_AUTO_ENABLE_ON: &str = "2026-01-01";

#[derive(Clone)]
pub struct ProviderConfig {
    pub url: String,
    pub api_key: String,
    pub from: String,
}

pub struct Config {
    /// What the core's use cases consult.
    pub settings: Settings,
    pub provider: Option<ProviderConfig>,
    /// Origin used in links sent by email; the request's origin when unset.
    pub public_origin: Option<String>,
}

/// A var or secret, trimmed; `None` when unset or empty.
fn read(env: &Env, name: &str) -> Option<String> {
    let value = env
        .secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .ok()?;
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(value)
}

fn read_number(env: &Env, name: &str, default: u32) -> Result<u32, DomainError> {
    match read(env, name) {
        None => Ok(default),
        Some(text) => text
            .parse()
            .map_err(|_| DomainError::Misconfigured(format!("{name} is not a whole number"))),
    }
}

impl Config {
    pub fn from_env(env: &Env) -> Result<Config, DomainError> {
        let development = read(env, "ENVIRONMENT").as_deref() == Some("development");
        let keys = KeyRing::parse(&read(env, "SIGNING_KEYS").unwrap_or_default())
            .map_err(|e| DomainError::Misconfigured(e.to_string()))?;
        if !development && keys.has_development_keys() {
            return Err(DomainError::Misconfigured(
                "development signing keys refused outside ENVIRONMENT=development".into(),
            ));
        }
        let operator_tokens =
            OperatorToken::parse_list(&read(env, "OPERATOR_TOKEN").unwrap_or_default())
                .map_err(DomainError::Misconfigured)?;
        let provider = match (read(env, "EMAIL_API_URL"), read(env, "EMAIL_API_KEY")) {
            (Some(url), Some(api_key)) => Some(ProviderConfig {
                url,
                api_key,
                from: read(env, "EMAIL_FROM")
                    .unwrap_or_else(|| "Guestpass <no-reply@guestpass.invalid>".into()),
            }),
            (None, None) => None,
            _ => {
                return Err(DomainError::Misconfigured(
                    "EMAIL_API_URL and EMAIL_API_KEY go together".into(),
                ))
            }
        };
        let auto_enable_text =
            read(env, "EMAIL_OTP_AUTO_ENABLE_ON").unwrap_or_else(|| DEFAULT_AUTO_ENABLE_ON.into());
        let auto_enable_on = parse_date(&auto_enable_text).ok_or_else(|| {
            DomainError::Misconfigured("EMAIL_OTP_AUTO_ENABLE_ON is not YYYY-MM-DD".into())
        })?;
        let default_enables = match read(env, "EMAIL_OTP_DEFAULT").as_deref() {
            None | Some("default") => true,
            Some("disabled") => false,
            Some(_) => {
                return Err(DomainError::Misconfigured(
                    "EMAIL_OTP_DEFAULT is neither default nor disabled".into(),
                ))
            }
        };
        let defaults = SendLimits::default();
        let send_limits = SendLimits {
            per_tenant_per_hour: read_number(
                env,
                "OTP_SENDS_PER_TENANT_PER_HOUR",
                defaults.per_tenant_per_hour,
            )?,
            per_ip_per_hour: read_number(
                env,
                "OTP_SENDS_PER_IP_PER_HOUR",
                defaults.per_ip_per_hour,
            )?,
        };
        Ok(Config {
            settings: Settings {
                development,
                keys,
                operator_tokens,
                email_otp: EmailOtpDeployment {
                    auto_enable_on,
                    default_enables,
                },
                send_limits,
            },
            provider,
            public_origin: read(env, "PUBLIC_ORIGIN").map(|o| o.trim_end_matches('/').to_string()),
        })
    }
}

//! Sign-in as a small state machine: username first, then the guest's email code, or the
//! member's passkey or Temporary Access Pass. The screens render from ([`Step`], [`Problem`])
//! and these rules are tested natively.

use crate::api::Failure;
use crate::i18n::{self, fill, Key};
use guestpass_wire::{ErrorCode, Language, SendCodeResponse, SignInInfo};

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Type the address (a direct link), then **Next**.
    Username,
    /// A guest confirms the address, then **Send code**.
    SendCode { email: String },
    /// A code is on its way to `email`.
    Code(Pending),
    /// A member signs in with a passkey, or chooses their Temporary Access Pass instead.
    Passkey { username: String },
    /// A member enters the Temporary Access Pass an administrator gave them.
    Pass { username: String },
}

/// Where **Next** leads for what was typed: a name in one of the organization's verified
/// domains is a member's (passkey while passkeys are on, else pass); any other address is a
/// guest's (email code). Decided from public facts only (the sign-in info), so it tells nobody
/// whether the account exists or has a passkey. A member while both are off hears so at once.
pub fn after_username(typed: &str, info: &SignInInfo) -> Result<Step, Problem> {
    let username = guestpass_wire::normalize_email(typed).map_err(|_| Problem::InvalidEmail)?;
    let domain = username
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or_default();
    if !info
        .verified_domains
        .iter()
        .any(|d| d.eq_ignore_ascii_case(domain))
    {
        Ok(Step::SendCode { email: username })
    } else if info.methods.passkey {
        Ok(Step::Passkey { username })
    } else if info.methods.temporary_access_pass {
        Ok(Step::Pass { username })
    } else {
        Err(Problem::PassesOff)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub email: String,
    pub challenge: String,
    pub code_length: usize,
    pub expires_at: String,
    /// When **Resend** becomes available, in page milliseconds (`Date.now()`).
    pub resend_at_ms: f64,
}

impl Pending {
    pub fn new(email: String, sent: SendCodeResponse, now_ms: f64) -> Pending {
        Pending {
            email,
            challenge: sent.challenge,
            code_length: sent.code_length as usize,
            expires_at: sent.expires_at,
            resend_at_ms: now_ms + sent.resend_after_seconds as f64 * 1000.0,
        }
    }

    /// Whole seconds until **Resend** is allowed; 0 when it is.
    pub fn resend_in_seconds(&self, now_ms: f64) -> u64 {
        ((self.resend_at_ms - now_ms) / 1000.0).ceil().max(0.0) as u64
    }
}

/// What went wrong with the last step, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Failed(Failure),
    /// Not an address: caught before any request, by the wire crate's rule.
    InvalidEmail,
    /// Fewer digits than the code has: caught before any request.
    CodeIncomplete {
        length: usize,
    },
    /// A member's name while the organization's pass policy is off: said before any request.
    PassesOff,
    /// Too many wrong passes for this username: pass sign-in is locked for a while.
    PassLocked {
        retry_after_seconds: u64,
    },
    /// The browser's passkey prompt ended without a credential.
    Passkey(BrowserRefusal),
}

/// Why `navigator.credentials` gave no credential, from the `DOMException`'s name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserRefusal {
    /// `NotAllowedError`: cancelled, timed out, or no passkey for this site on the device.
    Cancelled,
    /// `InvalidStateError` on create: this authenticator already holds one of the member's.
    AlreadyRegistered,
    /// No WebAuthn in this browser, or `NotSupportedError` (no authenticator can do it).
    Unsupported,
    /// `AbortError`: the page aborted it (an autofill request when the step goes).
    Aborted,
    Failed,
}

impl From<Failure> for Problem {
    fn from(failure: Failure) -> Problem {
        Problem::Failed(failure)
    }
}

impl From<BrowserRefusal> for Problem {
    fn from(refusal: BrowserRefusal) -> Problem {
        Problem::Passkey(refusal)
    }
}

impl BrowserRefusal {
    pub fn from_error_name(name: &str) -> BrowserRefusal {
        match name {
            "NotAllowedError" => BrowserRefusal::Cancelled,
            "InvalidStateError" => BrowserRefusal::AlreadyRegistered,
            "NotSupportedError" => BrowserRefusal::Unsupported,
            "AbortError" => BrowserRefusal::Aborted,
            _ => BrowserRefusal::Failed,
        }
    }
}

impl Problem {
    /// A failed pass sign-in: the lockout has its own words (it is not about a code).
    pub fn of_pass(failure: Failure) -> Problem {
        match failure {
            Failure::Api {
                code: ErrorCode::TooManyAttempts,
                retry_after_seconds: Some(s),
                ..
            } => Problem::PassLocked {
                retry_after_seconds: s,
            },
            other => Problem::Failed(other),
        }
    }

    /// The sentence for this problem, in `language`.
    pub fn text(&self, language: Language) -> String {
        let t = |key| i18n::text(language, key);
        match self {
            Problem::CodeIncomplete { length } => fill(
                t(Key::ErrCodeIncomplete),
                &[("length", &length.to_string())],
            ),
            Problem::PassLocked {
                retry_after_seconds,
            } => fill(
                t(Key::ErrPassLocked),
                &[("seconds", &retry_after_seconds.to_string())],
            ),
            Problem::PassesOff => t(Key::ErrPassDisabled).to_string(),
            Problem::Passkey(refusal) => t(match refusal {
                BrowserRefusal::Cancelled => Key::ErrPasskeyCancelled,
                BrowserRefusal::AlreadyRegistered => Key::ErrPasskeyExists,
                BrowserRefusal::Unsupported => Key::ErrPasskeyUnsupported,
                BrowserRefusal::Aborted | BrowserRefusal::Failed => Key::ErrGeneric,
            })
            .to_string(),
            Problem::InvalidEmail => t(Key::ErrInvalidEmail).to_string(),
            Problem::Failed(Failure::Network) => t(Key::ErrNetwork).to_string(),
            Problem::Failed(Failure::Api {
                code: ErrorCode::InvalidCode,
                attempts_remaining: Some(left),
                ..
            }) => fill(t(Key::ErrInvalidCode), &[("count", &left.to_string())]),
            Problem::Failed(Failure::Api {
                code: ErrorCode::Throttled | ErrorCode::TooManyAttempts,
                retry_after_seconds: Some(s),
                ..
            }) if !self.offers_new_code() => {
                fill(t(Key::ErrThrottledFor), &[("seconds", &s.to_string())])
            }
            Problem::Failed(Failure::Api { code, .. }) => t(i18n::error_key(*code)).to_string(),
        }
    }

    /// The code in hand can no longer succeed: the page offers a new one instead of another try.
    pub fn offers_new_code(&self) -> bool {
        matches!(
            self,
            Problem::Failed(Failure::Api {
                code: ErrorCode::CodeExpired
                    | ErrorCode::CodeAlreadyUsed
                    | ErrorCode::TooManyAttempts,
                ..
            })
        )
    }
}

/// What the code field keeps of what was typed or pasted: digits only, at most `length`.
/// "Code: 1234 5678" pasted from an email becomes "12345678".
pub fn sanitize_code(raw: &str, length: usize) -> String {
    raw.chars()
        .filter(char::is_ascii_digit)
        .take(length)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: ErrorCode) -> Failure {
        Failure::Api {
            code,
            attempts_remaining: None,
            retry_after_seconds: None,
        }
    }

    #[test]
    fn the_code_field_keeps_digits_only_up_to_the_length() {
        assert_eq!(sanitize_code("Code: 1234 5678", 8), "12345678");
        assert_eq!(sanitize_code("123456789", 8), "12345678");
        assert_eq!(sanitize_code("abc", 8), "");
        assert_eq!(
            sanitize_code("１２3", 8),
            "3",
            "full-width digits are not ASCII digits"
        );
    }

    #[test]
    fn resend_counts_down_in_whole_seconds() {
        let sent = SendCodeResponse {
            challenge: "c".into(),
            expires_at: "t".into(),
            code_length: 8,
            resend_after_seconds: 60,
        };
        let pending = Pending::new("ada@example.com".into(), sent, 1_000.0);
        assert_eq!(pending.resend_in_seconds(1_000.0), 60);
        assert_eq!(pending.resend_in_seconds(1_500.0), 60);
        assert_eq!(pending.resend_in_seconds(60_999.0), 1);
        assert_eq!(pending.resend_in_seconds(61_000.0), 0);
        assert_eq!(pending.resend_in_seconds(99_000.0), 0);
    }

    #[test]
    fn a_wrong_code_says_how_many_tries_are_left() {
        let problem = Problem::Failed(Failure::Api {
            code: ErrorCode::InvalidCode,
            attempts_remaining: Some(3),
            retry_after_seconds: None,
        });
        assert_eq!(
            problem.text(Language::En),
            "That code is not right. Tries left: 3."
        );
        assert_eq!(
            problem.text(Language::Fr),
            "Ce code est incorrect. Essais restants : 3."
        );
        assert!(!problem.offers_new_code());
    }

    #[test]
    fn expired_used_and_exhausted_codes_offer_a_new_one() {
        for code in [
            ErrorCode::CodeExpired,
            ErrorCode::CodeAlreadyUsed,
            ErrorCode::TooManyAttempts,
        ] {
            assert!(Problem::Failed(api(code)).offers_new_code(), "{code:?}");
        }
        assert!(!Problem::Failed(api(ErrorCode::Throttled)).offers_new_code());
        assert!(!Problem::Failed(Failure::Network).offers_new_code());
    }

    #[test]
    fn throttling_says_when_to_retry() {
        let problem = Problem::Failed(Failure::Api {
            code: ErrorCode::Throttled,
            attempts_remaining: None,
            retry_after_seconds: Some(42),
        });
        assert_eq!(
            problem.text(Language::En),
            "Too many requests. Try again in 42 s."
        );
        assert_eq!(
            Problem::Failed(api(ErrorCode::Throttled)).text(Language::En),
            "Too many requests. Try again later."
        );
    }

    #[test]
    fn next_leads_members_to_a_passkey_then_the_pass_and_everyone_else_to_a_code() {
        let mut info = SignInInfo {
            tenant_id: "t".into(),
            display_name: "Contoso".into(),
            branding: Default::default(),
            methods: guestpass_wire::SignInMethods {
                email_otp: true,
                temporary_access_pass: true,
                passkey: true,
            },
            verified_domains: vec!["contoso.com".into()],
            development_outbox: false,
        };
        assert_eq!(
            after_username(" Ada@Contoso.com ", &info),
            Ok(Step::Passkey {
                username: "ada@contoso.com".into()
            }),
            "every member while passkeys are on: nothing tells who has one"
        );
        info.methods.passkey = false;
        assert_eq!(
            after_username(" Ada@Contoso.com ", &info),
            Ok(Step::Pass {
                username: "ada@contoso.com".into()
            })
        );
        assert_eq!(
            after_username("bob@fabrikam.com", &info),
            Ok(Step::SendCode {
                email: "bob@fabrikam.com".into()
            })
        );
        assert_eq!(
            after_username("ada@sub.contoso.com", &info),
            Ok(Step::SendCode {
                email: "ada@sub.contoso.com".into()
            })
        );
        assert_eq!(
            after_username("not an address", &info),
            Err(Problem::InvalidEmail)
        );
        info.methods.temporary_access_pass = false;
        assert_eq!(
            after_username("ada@contoso.com", &info),
            Err(Problem::PassesOff)
        );
        assert!(
            matches!(
                after_username("bob@fabrikam.com", &info),
                Ok(Step::SendCode { .. })
            ),
            "guests are not affected"
        );
    }

    #[test]
    fn a_locked_pass_sign_in_says_when_to_retry_in_the_pages_language() {
        let locked = Problem::of_pass(Failure::Api {
            code: ErrorCode::TooManyAttempts,
            attempts_remaining: None,
            retry_after_seconds: Some(900),
        });
        assert_eq!(
            locked.text(Language::En),
            "Too many wrong passes. Try again in 900 s."
        );
        assert_eq!(
            Problem::PassesOff.text(Language::En),
            "Sign-in with a Temporary Access Pass is not enabled for you. Contact your administrator."
        );
        let blocked = Problem::of_pass(api(ErrorCode::TemporaryAccessPassBlocked));
        assert_eq!(
            blocked.text(Language::En),
            "Temporary Access Pass sign in was blocked due to User Credential Policy."
        );
        assert!(blocked
            .text(Language::Fr)
            .starts_with("La connexion par passe d'accès temporaire a été bloquée"));
    }

    #[test]
    fn a_passkey_prompt_that_ends_without_a_credential_says_why_in_the_pages_language() {
        let problem = |name| Problem::Passkey(BrowserRefusal::from_error_name(name));
        assert_eq!(
            problem("NotAllowedError").text(Language::En),
            "The passkey request was cancelled or timed out. Try again."
        );
        assert!(problem("NotAllowedError")
            .text(Language::Fr)
            .contains("clé d'accès"));
        assert_eq!(
            problem("InvalidStateError").text(Language::En),
            "This device already holds one of your passkeys."
        );
        assert_eq!(
            problem("NotSupportedError"),
            Problem::Passkey(BrowserRefusal::Unsupported)
        );
        assert_eq!(
            BrowserRefusal::from_error_name("AbortError"),
            BrowserRefusal::Aborted
        );
        assert_eq!(BrowserRefusal::from_error_name(""), BrowserRefusal::Failed);
    }

    #[test]
    fn an_incomplete_code_names_the_length() {
        assert_eq!(
            Problem::CodeIncomplete { length: 8 }.text(Language::En),
            "Enter all 8 digits of the code."
        );
    }
}

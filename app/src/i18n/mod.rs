//! All user-facing text, one table per language. Views ask for a [`Key`]; nothing they show is a
//! literal. Placeholders are `{name}` and are filled by [`fill`].

mod en;
mod fr;
mod ru;

use guestpass_wire::{ErrorCode, Language};

/// Declares a copy table's keys once, with `ALL` so tests can walk every table.
macro_rules! keys {
    ($(#[$meta:meta])* $name:ident { $($key:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),+];
        }
    };
}

keys! {
    /// The texts of the sign-in app, and those the account pages share with it.
    Key {
        LanguageLabel, Loading, PoweredBy,
        NoTenantTitle, NoTenantBody, NoTenantAction,
        UnknownTenantTitle, UnknownTenantBody, UnknownTenantAction,
        RedeemTitle, RedeemIntro, RedeemSeesHeading, RedeemSeesEmail, RedeemSeesName, RedeemSeesActivity,
        RedeemNoPassword, RedeemAccept,
        SignInTitle, SendIntroFixed, UsernameIntro, EmailLabel, Next, SendCode, Sending, UseOtherAddress,
        PassTitle, PassIntro, PassLabel, ScopeFull, ScopeRegistration,
        EnterCodeTitle, CodeSentTo, CodeHint, CodeLabel, SignIn, SigningIn, Resend, ResendIn, CodeResent,
        SendNewCode, CheckSpam, OpenOutbox,
        SignedInTitle, SignedInAs, SignedInWith, OpenConsole, SignOut, SigningOut, SignedOut,
        MethodEmailOtp, MethodTemporaryAccessPass, MethodPasskey, UserTypeGuest, UserTypeMember,
        ErrInvalidCode, ErrCodeExpired, ErrCodeAlreadyUsed, ErrTooManyAttempts, ErrThrottledFor, ErrThrottled,
        ErrEmailOtpDisabled, ErrInvalidEmail, ErrCodeIncomplete, ErrServiceUnavailable, ErrNetwork, ErrGeneric,
        ErrSessionEnded, ErrCheckInput, ErrTenantNotFound,
        ErrPasskeyNotAccepted, ErrPasskeyNotRecognized, ErrPasskeyNotAllowed,
        ErrPasskeyCancelled, ErrPasskeyExists, ErrPasskeyUnsupported,
        PasskeyTitle, PasskeyIntro, UsePassInstead, UsePasskeyInstead, SecurityInfoLink, MyAppsLink,
        ErrInvalidCredentials, ErrPassNotYetValid, ErrPassExpired, ErrPassDisabled, ErrPassBlocked, ErrPassLocked,
    }
}

keys! {
    /// The texts only the account pages show (security info, My apps, the outbox): a table of
    /// their own, so the sign-in app's wasm does not carry them (1.6 KB gzip, 2026-11-24).
    AccountKey {
        SecurityInfoTitle, SecurityInfoIntro, SecurityInfoGuest, MyAppsTitle, MyAppsIntro, MyAppsEmpty,
        PasskeysHeading, PasskeysEmpty, PasskeyNameLabel, PasskeyDefaultName, AddPasskey, AddingPasskey,
        PasskeyAdded, PasskeyAddedOn, PasskeyLastUsed, PasskeyNeverUsed, PasskeySynced, Rename, Save,
        Cancel, Delete, DeletePasskeyConfirm, PasskeyDeleted, PasskeyRenamed, SignInWithNewPasskey, Done,
        OutboxTitle, OutboxIntro, OutboxEmpty, OutboxTo, OutboxSent, OutboxRefresh, OutboxUnavailable,
    }
}

/// A key of one of the copy tables: what a view asks [`crate::Texts`] for.
pub trait CopyKey: Copy + Send + Sync + 'static {
    /// The text in `language`.
    fn text(self, language: Language) -> &'static str;
}

impl CopyKey for Key {
    fn text(self, language: Language) -> &'static str {
        text(language, self)
    }
}

impl CopyKey for AccountKey {
    fn text(self, language: Language) -> &'static str {
        match language {
            Language::En => en::account_text(self),
            Language::Fr => fr::account_text(self),
            Language::Ru => ru::account_text(self),
        }
    }
}

/// The text for `key` in `language`.
pub fn text(language: Language, key: Key) -> &'static str {
    match language {
        Language::En => en::text(key),
        Language::Fr => fr::text(key),
        Language::Ru => ru::text(key),
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The copy for an API error code: one exhaustive match, so a new code cannot go untranslated.
pub fn error_key(code: ErrorCode) -> Key {
    match code {
        ErrorCode::InvalidCode => Key::ErrInvalidCode,
        ErrorCode::CodeExpired => Key::ErrCodeExpired,
        ErrorCode::CodeAlreadyUsed => Key::ErrCodeAlreadyUsed,
        ErrorCode::TooManyAttempts => Key::ErrTooManyAttempts,
        ErrorCode::Throttled => Key::ErrThrottled,
        ErrorCode::EmailOtpDisabled => Key::ErrEmailOtpDisabled,
        ErrorCode::InvalidEmail => Key::ErrInvalidEmail,
        ErrorCode::Unauthorized => Key::ErrSessionEnded,
        ErrorCode::TenantNotFound | ErrorCode::TenantMissing => Key::ErrTenantNotFound,
        ErrorCode::ServiceUnavailable => Key::ErrServiceUnavailable,
        ErrorCode::InvalidCredentials => Key::ErrInvalidCredentials,
        ErrorCode::PasskeyNotAccepted => Key::ErrPasskeyNotAccepted,
        ErrorCode::PasskeyNotRecognized => Key::ErrPasskeyNotRecognized,
        ErrorCode::PasskeyNotAllowed => Key::ErrPasskeyNotAllowed,
        ErrorCode::TemporaryAccessPassNotYetValid => Key::ErrPassNotYetValid,
        ErrorCode::TemporaryAccessPassExpired => Key::ErrPassExpired,
        ErrorCode::TemporaryAccessPassDisabled => Key::ErrPassDisabled,
        ErrorCode::TemporaryAccessPassBlocked => Key::ErrPassBlocked,
        ErrorCode::ValidationFailed | ErrorCode::InvalidRequest | ErrorCode::InvalidJson => {
            Key::ErrCheckInput
        }
        ErrorCode::UnsupportedMediaType
        | ErrorCode::PayloadTooLarge
        | ErrorCode::NotFound
        | ErrorCode::MethodNotAllowed
        | ErrorCode::UserNotFound
        | ErrorCode::DomainNotAllowed
        | ErrorCode::Forbidden
        | ErrorCode::CrossSiteRequest
        | ErrorCode::Conflict
        | ErrorCode::InternalError => Key::ErrGeneric,
    }
}

/// The `{name}` placeholders a text uses, in order of appearance.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

/// The rules every copy table keeps (the app's and the console's), for their tests: each key has
/// text in every language, with the same placeholders as English, and French and Russian text
/// of their own unless `same_as_english` says the word is shared. Panics on the first break.
pub fn check_copy_tables<K: Copy + std::fmt::Debug>(
    keys: &[K],
    text: impl Fn(Language, K) -> &'static str,
    same_as_english: impl Fn(Language, K) -> bool,
) {
    for &key in keys {
        let english = text(Language::En, key);
        for language in Language::ALL {
            let translated = text(language, key);
            assert!(
                !translated.trim().is_empty(),
                "{key:?} is empty in {language:?}"
            );
            assert_eq!(
                placeholders(translated),
                placeholders(english),
                "{key:?} in {language:?}"
            );
            if language != Language::En && !same_as_english(language, key) {
                assert_ne!(translated, english, "{key:?} is English in {language:?}");
            }
        }
    }
    assert!(keys.iter().any(|k| text(Language::Ru, *k)
        .chars()
        .any(|c| ('а'..='я').contains(&c))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_its_own_text_with_the_same_placeholders_in_every_language() {
        // The product name is the same everywhere, and "Code" is also the French word.
        check_copy_tables(Key::ALL, text, |language, key| {
            key == Key::PoweredBy || (language, key) == (Language::Fr, Key::CodeLabel)
        });
        check_copy_tables(
            AccountKey::ALL,
            |language, key| key.text(language),
            |_, _| false,
        );
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill(
                "We sent a code to {email}.",
                &[("email", "ada@example.com")]
            ),
            "We sent a code to ada@example.com."
        );
        assert_eq!(placeholders("{b} and {a}"), vec!["a", "b"]);
    }
}

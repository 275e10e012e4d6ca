//! All console text, one table per language, grouped by area. Views ask for a [`Key`]; nothing
//! they show is a literal. Placeholders are `{name}`; keys that count something hold their plural
//! forms as `one|few|many|other` with `#` for the number (see `Language::count`).

mod en;
mod fr;
mod ru;

use guestpass_wire::{AuthenticationMethod, Language, Role};

macro_rules! keys {
    ($($key:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key),+ }
        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),+];
        }
    };
}

keys! {
    AllKept,
    NavBranding, BrandingTitle, BrandingIntro, LogoLabel, LogoHint, LogoUploaded, LogoTooLarge, ColorLabel, ColorInvalid, SignInTextLabel, SignInTextTooLong, UsernameHintLabel, UsernameHintTooLong, PreviewTitle,
    NavPasskeys, PasskeyPolicyTitle, PasskeyPolicyIntro, PasskeysEnabled, PasskeyVerification, PasskeyRefuseClones,
    AaGuidLegend, AaGuidAllowAll, AaGuidAllowList, AaGuidBlockList, AaGuidLabel, AaGuidHint,
    PasskeysTitle, NoPasskeys, PasskeySynced, PasskeyPossiblyCloned, Never, DeletePasskey, DeletePasskeyQuestion,
    PasskeyDeleted, ColumnLastUsed, ColumnState,
    NavApplications, ApplicationsTitle, ApplicationsIntro, NoApplications, ColumnClientId, ColumnClientType, ClientPublic, ClientConfidential, ColumnAssignment, AssignmentEveryone, AssignmentListed, RegisterApplicationTitle, ApplicationName, RedirectUrisLabel, RedirectUrisHint, LogoutUrisLabel, HomePageLabel, HomePageHint, PublicClientLabel, IdTokenAlgorithmLabel, AssignmentRequiredLabel, AssignedUsersLabel, AssignedGroupsLabel, RegisterSubmit, ApplicationRegistered, BackToApplications, ApplicationGone, ApplicationGoneBody, SecretsTitle, NoSecrets, NewSecret, SecretShownOnce, SecretAdded, DeleteSecret, DeleteSecretQuestion, SecretDeleted, DeleteApplication, DeleteApplicationQuestion, ApplicationDeleted,
    NavExternalCollaboration, CollaborationTitle, CollaborationIntro, CollaborationLegend, DomainsAllowAll, DomainsAllowList, DomainsBlockList, DomainsLabel, DomainsHint, ErrDomainNotAllowed,
    ConsoleTitle, LanguageLabel, Loading, SkipToContent, SignOut, NavLabel, NavOverview, NavUsers,
    NavEmailOtp, NavTemporaryAccessPass, NavSignInLogs, NavAuditLogs, NotFoundTitle, NotFoundBody,
    NotConsole, GateSigningIn, GateRegistration, GateNoRole, GateUnknownTenant, GateSignInLink,
    ErrForbidden, ErrSessionEnded, ErrConflict, ErrCheckInput, ErrNotFound, ErrThrottled,
    ErrUnavailable, ErrNetwork, ErrGeneric, Save, Saving, Saved, Cancel, Apply, Yes, No, ReadOnly,
    PreviousPage, NextPage, NoEntries, OverviewTitle, OrganizationName, TenantId, VerifiedDomains,
    DirectoryHeading, CountMembers, CountGuestsPending, CountGuestsAccepted, SignInsLastWeek,
    ChartTitle, ChartSummary, ChartData, ChartPeriod, UsersTitle, SearchLabel, TypeLabel, TypeAll,
    TypeMember, TypeGuest, ColumnName, ColumnAddress, ColumnRedemption, ColumnCreated,
    StatePending, StateAccepted, NoUsers, InviteTitle, InviteEmail, InviteRedirect, InviteLanguage,
    InviteSend, InviteSubmit, GuestInvited, OpenUser, AddMemberTitle, MemberName, MemberUsername,
    MemberUsernameHint, RolesLabel, GroupsLabel, GroupsHint, AddMemberSubmit, MemberAdded,
    RoleGlobalAdministrator, RolePrivilegedAuthenticationAdministrator,
    RoleAuthenticationAdministrator, RoleAuthenticationPolicyAdministrator, RoleGlobalReader,
    UserTitle, UserGone, UserGoneBody, BackToUsers, SourceLabel, NoRoles, NoGroups, ActionsTitle,
    ResendInvitation, ResetRedemption, ResetRedemptionQuestion, RedemptionReset, RevokeSessions,
    RevokeSessionsQuestion, SessionsRevoked, DeleteUser, DeleteUserQuestion, UserDeleted,
    PassesTitle, NoPasses, CreatePassTitle, PassStart, PassStartHint, PassLifetime,
    PassLifetimeHint, PassOnce, CreatePass, PassCreated, PassShownOnce, PassEndsAt, PassEnds,
    PassState, PassUsable, PassNotUsable, PassLocked, PassNotAllowed, DeletePass,
    DeletePassQuestion, PassDeleted, Copy, Copied, CopyFailed, EmailOtpTitle, EmailOtpIntro,
    EmailOtpLegend, EmailOtpAutomatic, EmailOtpEnableNow, EmailOtpDisable, EmailOtpIsOn,
    EmailOtpIsOff, PassPolicyTitle, PassPolicyIntro, PolicyEnabled, PolicyTargets, TargetsAll,
    TargetsGroups, GroupsNeeded, MinimumLifetime, MaximumLifetime, DefaultLifetime, DefaultLength,
    PolicyOnce, LifetimeRange, LengthRange, DefaultBetween, SignInLogsTitle, AuditLogsTitle,
    PeriodLabel, LastDay, LastWeek, LastMonth, OutcomeLabel, OutcomeAny, OutcomeSuccess,
    OutcomeFailure, MethodLabel, MethodAny, MethodEmailOtp, MethodTemporaryAccessPass,
    MethodPasskey, UserFilterLabel, ColumnTime, ColumnStep, ColumnReason, ColumnIp, ColumnActivity,
    ColumnInitiatedBy, ColumnTarget, ColumnDetail,
}

pub fn text(language: Language, key: Key) -> &'static str {
    match language {
        Language::En => en::text(key),
        Language::Fr => fr::text(key),
        Language::Ru => ru::text(key),
    }
}

pub fn role_key(role: Role) -> Key {
    match role {
        Role::GlobalAdministrator => Key::RoleGlobalAdministrator,
        Role::PrivilegedAuthenticationAdministrator => {
            Key::RolePrivilegedAuthenticationAdministrator
        }
        Role::AuthenticationAdministrator => Key::RoleAuthenticationAdministrator,
        Role::AuthenticationPolicyAdministrator => Key::RoleAuthenticationPolicyAdministrator,
        Role::GlobalReader => Key::RoleGlobalReader,
    }
}

pub fn method_key(method: AuthenticationMethod) -> Key {
    match method {
        AuthenticationMethod::EmailOtp => Key::MethodEmailOtp,
        AuthenticationMethod::TemporaryAccessPass => Key::MethodTemporaryAccessPass,
        AuthenticationMethod::Passkey => Key::MethodPasskey,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guestpass_app::i18n::check_copy_tables;

    /// The keys whose text is a set of plural forms.
    const PLURAL: &[Key] = &[
        Key::CountMembers,
        Key::CountGuestsPending,
        Key::CountGuestsAccepted,
    ];

    #[test]
    fn every_key_has_its_own_text_with_the_same_placeholders_in_every_language() {
        // Words French shares with English.
        let shared = [
            Key::ConsoleTitle,
            Key::NavLabel,
            Key::TypeLabel,
            Key::SourceLabel,
            Key::ColumnRedemption,
            Key::ActionsTitle,
            Key::NavApplications,
            Key::ApplicationsTitle,
            Key::ColumnClientType,
        ];
        check_copy_tables(Key::ALL, text, |language, key| {
            language == Language::Fr && shared.contains(&key)
        });
    }

    #[test]
    fn counted_words_agree_with_their_number_in_every_language() {
        for key in PLURAL {
            for language in Language::ALL {
                let forms = text(language, *key);
                assert_eq!(
                    forms.split('|').count(),
                    4,
                    "{key:?} in {language:?} has four slots"
                );
                for n in [0, 1, 2, 5, 21] {
                    let counted = language.count(n, forms);
                    assert!(
                        counted.starts_with(&n.to_string()),
                        "{key:?} {n} in {language:?}: {counted}"
                    );
                }
            }
        }
        assert_eq!(
            Language::En.count(1, text(Language::En, Key::CountMembers)),
            "1 member"
        );
        assert_eq!(
            Language::En.count(3, text(Language::En, Key::CountMembers)),
            "3 members"
        );
        assert_eq!(
            Language::Ru.count(2, text(Language::Ru, Key::CountMembers)),
            "2 участника"
        );
        assert_eq!(
            Language::Ru.count(5, text(Language::Ru, Key::CountMembers)),
            "5 участников"
        );
        assert_eq!(
            Language::Ru.count(21, text(Language::Ru, Key::CountMembers)),
            "21 участник"
        );
        assert_eq!(
            Language::Fr.count(0, text(Language::Fr, Key::CountMembers)),
            "0 membre"
        );
    }
}

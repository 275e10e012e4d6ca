//! Request and response bodies of API v1. Field names are the contract (SPEC, "API").

use serde::{Deserialize, Serialize};

/// Every list the API returns: `{"value": […]}`, with `nextLink` (an opaque URL that fetches the
/// next page) while more remain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    pub value: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

impl<T> List<T> {
    /// A whole list: one page, nothing after it.
    pub fn whole(value: Vec<T>) -> List<T> {
        List {
            value,
            next_link: None,
        }
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum UserType {
        Member = "Member",
        Guest = "Guest",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ExternalUserState {
        PendingAcceptance = "PendingAcceptance",
        Accepted = "Accepted",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Role {
        GlobalAdministrator = "GlobalAdministrator",
        PrivilegedAuthenticationAdministrator = "PrivilegedAuthenticationAdministrator",
        AuthenticationAdministrator = "AuthenticationAdministrator",
        AuthenticationPolicyAdministrator = "AuthenticationPolicyAdministrator",
        GlobalReader = "GlobalReader",
    }
}

/// What an administrative action needs. Written once here: the edge enforces it, the console
/// shows only the controls a role may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadDirectory,
    ManageGuests,
    ReadPolicies,
    ChangeAuthenticationPolicy,
    ReadAuditLogs,
    /// Create members and give them roles.
    ManageUsers,
    /// Register, change and delete OpenID Connect applications and their secrets.
    ManageApplications,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::GlobalAdministrator,
        Role::PrivilegedAuthenticationAdministrator,
        Role::AuthenticationAdministrator,
        Role::AuthenticationPolicyAdministrator,
        Role::GlobalReader,
    ];

    /// Whether this role grants `permission` (every role reads).
    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            ReadDirectory | ReadPolicies | ReadAuditLogs => true,
            ManageGuests | ManageUsers | ManageApplications => self == Role::GlobalAdministrator,
            ChangeAuthenticationPolicy => matches!(
                self,
                Role::GlobalAdministrator | Role::AuthenticationPolicyAdministrator
            ),
        }
    }

    /// Whether this role creates and deletes the passes of a member who has administrator roles
    /// (`target_is_admin`) or has none (seed 001). Nobody manages their own, and guests have none.
    pub fn manages_passes_of(self, target_is_admin: bool) -> bool {
        match self {
            Role::GlobalAdministrator | Role::PrivilegedAuthenticationAdministrator => true,
            Role::AuthenticationAdministrator => !target_is_admin,
            Role::AuthenticationPolicyAdministrator | Role::GlobalReader => false,
        }
    }

    /// Whether this role sees the details of members' passes (never their values).
    pub fn reads_passes(self) -> bool {
        self != Role::AuthenticationPolicyAdministrator
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AuthenticationMethod {
        EmailOtp = "emailOtp",
        TemporaryAccessPass = "temporaryAccessPass",
        Passkey = "passkey",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SessionScope {
        Full = "full",
        Registration = "registration",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EmailOtpState {
        Default = "default",
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

/// `GET /api/v1/tenants/{t}/sign-in`: what a sign-in page needs before anyone is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInInfo {
    pub tenant_id: String,
    pub display_name: String,
    pub branding: Branding,
    pub methods: SignInMethods,
    /// The organization's domains: a username in one of them is a member's (pass sign-in);
    /// any other address is a guest's (email code). Public already: links may name them.
    #[serde(default)]
    pub verified_domains: Vec<String>,
    /// True when the deployment runs in development and keeps a readable outbox.
    pub development_outbox: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_page_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner_logo_url: Option<String>,
    /// The username field's placeholder on the sign-in screen ("someone@contoso.example").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_hint_text: Option<String>,
    /// The text colour that reads on `backgroundColor` ([`text_color_on`]); set by the edge with
    /// the colour, so the sign-in screens need no colour arithmetic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_color: Option<String>,
}

/// `PATCH branding`: each field given replaces the stored one; an empty string clears it. The
/// banner logo is uploaded on its own (`PUT branding/banner-logo`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BrandingPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_page_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_hint_text: Option<String>,
}

/// Longest sign-in page text and username hint (Entra's limits), in characters.
pub const MAX_SIGN_IN_PAGE_TEXT: usize = 1024;
pub const MAX_USERNAME_HINT: usize = 64;
/// Largest banner logo, in bytes.
pub const MAX_LOGO_BYTES: usize = 100 * 1024;

/// `#rgb` or `#rrggbb`: the only colours a tenant's branding may set.
pub fn is_hex_color(value: &str) -> bool {
    let hex = value.strip_prefix('#').unwrap_or("");
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The text colour that reads best on a brand colour (`#rgb`/`#rrggbb`): white or near-black,
/// whichever contrasts more (WCAG's contrast ratio on a near relative luminance), so a tenant's dark colour never leaves
/// its name unreadable. `None` for anything that is not such a colour.
pub fn text_color_on(background: &str) -> Option<&'static str> {
    if !is_hex_color(background) {
        return None;
    }
    let hex = &background[1..];
    let channel = |i: usize| -> f64 {
        let value = if hex.len() == 3 {
            u8::from_str_radix(&hex[i..i + 1].repeat(2), 16)
        } else {
            u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
        }
        .unwrap_or(0);
        // sRGB's curve, as gamma 2 (close enough to pick the better of two, and no `powf`
        // in the wasm).
        let c = f64::from(value) / 255.0;
        c * c
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
    // Contrast with white is 1.05 / (L + 0.05); with #1b1b1f (L ≈ 0.011) it is (L + 0.05) / 0.061.
    let with_white = 1.05 / (luminance + 0.05);
    let with_dark = (luminance + 0.05) / 0.061;
    Some(if with_white >= with_dark {
        "#ffffff"
    } else {
        "#1b1b1f"
    })
}

impl BrandingPatch {
    /// The fields that break the rules (camelCase names), for the edge's refusal and the
    /// console's messages.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        let long = |text: &Option<String>, max: usize| {
            text.as_ref().is_some_and(|t| t.chars().count() > max)
        };
        if long(&self.sign_in_page_text, MAX_SIGN_IN_PAGE_TEXT) {
            problems.push("signInPageText");
        }
        if self
            .background_color
            .as_deref()
            .is_some_and(|c| !c.is_empty() && !is_hex_color(c))
        {
            problems.push("backgroundColor");
        }
        if long(&self.username_hint_text, MAX_USERNAME_HINT)
            || self
                .username_hint_text
                .as_deref()
                .is_some_and(|h| h.chars().any(char::is_control))
        {
            problems.push("usernameHintText");
        }
        problems
    }
}

/// True for the canonical text form of any UUID, `8-4-4-4-12` hex digits (either case).
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An uploaded banner logo's format, told by its first bytes (not by what the upload claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    Png,
    Jpeg,
    Svg,
}

impl LogoFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            LogoFormat::Png => "image/png",
            LogoFormat::Jpeg => "image/jpeg",
            LogoFormat::Svg => "image/svg+xml",
        }
    }

    /// The format of `bytes`, when they are a PNG, a JPEG or an SVG without scripts, event
    /// handlers, links to scripts or embedded documents (an SVG is a document: it is served with
    /// a sandboxing CSP too, but a logo needs none of these).
    pub fn sniff(bytes: &[u8]) -> Option<LogoFormat> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(LogoFormat::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(LogoFormat::Jpeg);
        }
        let text = std::str::from_utf8(bytes)
            .ok()?
            .trim_start_matches('\u{feff}');
        let lower = text.to_ascii_lowercase();
        let starts_as_svg = lower.trim_start().starts_with("<svg")
            || (lower.trim_start().starts_with("<?xml") && lower.contains("<svg"));
        let active = [
            "<script",
            "javascript:",
            "<foreignobject",
            "<iframe",
            "<embed",
            "<object",
            "xlink:href=\"data:",
            "href=\"data:",
        ]
        .iter()
        .any(|needle| lower.contains(needle))
            || has_event_handler(&lower);
        (starts_as_svg && !active).then_some(LogoFormat::Svg)
    }
}

/// Whether markup has an `on…=` attribute (an event handler).
fn has_event_handler(lower: &str) -> bool {
    lower.match_indices("on").any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let name: String = lower[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let after = lower[at + name.len()..].trim_start();
        matches!(before, Some(c) if c.is_whitespace() || c == '/')
            && name.len() > 2
            && after.starts_with('=')
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInMethods {
    pub email_otp: bool,
    pub temporary_access_pass: bool,
    #[serde(default)]
    pub passkey: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendCodeRequest {
    pub email: String,
    /// The language of the code email: the page's. English when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::Language>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendCodeResponse {
    pub challenge: String,
    pub expires_at: String,
    pub code_length: u32,
    pub resend_after_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyCodeRequest {
    pub challenge: String,
    pub code: String,
}

/// A successful sign-in: the session, and where the browser goes next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInResult {
    pub session: Session,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user: SessionUser,
    pub authentication_method: AuthenticationMethod,
    pub scope: SessionScope,
    pub expires_date_time: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUser {
    pub id: String,
    pub display_name: String,
    pub mail: Option<String>,
    pub user_principal_name: String,
    pub user_type: UserType,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailOtpPolicy {
    pub state: EmailOtpState,
    pub auto_enable_on: String,
    pub is_effectively_enabled: bool,
}

/// `PATCH policies/email-otp`. `autoEnableOn` is the deployment's, so only `state` changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailOtpPolicyPatch {
    pub state: EmailOtpState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvitationRequest {
    pub invited_user_email_address: String,
    #[serde(default)]
    pub invite_redirect_url: Option<String>,
    #[serde(default)]
    pub send_invitation_message: bool,
    #[serde(default)]
    pub invited_user_display_name: Option<String>,
    #[serde(default)]
    pub invited_user_message_info: Option<InvitedUserMessageInfo>,
    #[serde(default)]
    pub reset_redemption: bool,
    #[serde(default)]
    pub invited_user: Option<UserRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvitedUserMessageInfo {
    #[serde(default)]
    pub customized_message_body: Option<String>,
    #[serde(default)]
    pub message_language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRef {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: String,
    pub invited_user_email_address: String,
    pub invite_redeem_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_redirect_url: Option<String>,
    pub send_invitation_message: bool,
    pub reset_redemption: bool,
    pub invited_user: UserRef,
    pub status: ExternalUserState,
}

/// A directory user as administrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: String,
    pub mail: Option<String>,
    pub user_principal_name: String,
    pub user_type: UserType,
    pub roles: Vec<Role>,
    pub created_date_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_user_state: Option<ExternalUserState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_user_state_change_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Group ids (members); the TAP policy can target them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

/// `POST users`: a member of the tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUserRequest {
    pub display_name: String,
    pub user_principal_name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Group ids the member belongs to (the TAP policy can target groups).
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTenantRequest {
    pub display_name: String,
    pub verified_domains: Vec<String>,
    pub admin: CreateTenantAdmin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTenantAdmin {
    pub display_name: String,
    pub user_principal_name: String,
}

/// `…/operator/tenants/{tenant}/guard`: how many guard instances (Durable Objects) share the
/// tenant's codes, passes and counters — capacity for a large tenant's peak, set by the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GuardSettings {
    pub shards: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTenantResponse {
    pub tenant: TenantView,
    pub admin: AdminRef,
    pub temporary_access_pass: IssuedPass,
    pub sign_in_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantView {
    pub id: String,
    pub display_name: String,
    pub verified_domains: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminRef {
    pub id: String,
    pub user_principal_name: String,
}

/// A pass as its creator sees it, once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedPass {
    pub temporary_access_pass: String,
    pub start_date_time: String,
    pub lifetime_in_minutes: u32,
    pub is_usable_once: bool,
}

/// One line of the sign-in log. Never holds a code or a pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInLogEntry {
    pub id: String,
    pub created_date_time: String,
    pub user_id: Option<String>,
    pub address: String,
    pub authentication_method: AuthenticationMethod,
    pub step: String,
    pub outcome: String,
    pub reason: String,
    pub ip_address: String,
    /// On a line that stands for several failed attempts from one network in one minute: how
    /// many (the first of them named the address and reason above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// One interval of the sign-in chart: how many sign-in steps succeeded and failed in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInBucket {
    pub start: String,
    pub success: u32,
    pub failure: u32,
}

/// One line of the directory audit log: who changed what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryAuditEntry {
    pub id: String,
    pub activity_date_time: String,
    pub activity: String,
    pub initiated_by: String,
    pub target_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A message the development outbox kept instead of sending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub sent_date_time: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

/// The answer of an action that has nothing else to say (`{"value": true}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Done {
    pub value: bool,
}

/// `GET`/`PATCH policies/external-collaboration`: which domains guests may be invited from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalCollaborationPolicy {
    pub invitation_domains: InvitationDomains,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvitationDomains {
    pub mode: DomainMode,
    #[serde(default)]
    pub domains: Vec<String>,
}

named_enum! {
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum DomainMode {
        /// Invitations to any domain (the default).
        #[default]
        AllowAll = "allowAll",
        /// Only to the listed domains.
        AllowList = "allowList",
        /// To every domain but the listed ones.
        BlockList = "blockList",
    }
}

/// Most domains one list holds.
pub const MAX_INVITATION_DOMAINS: usize = 200;

impl InvitationDomains {
    /// Whether a guest at `address` (an email address, already normalized) may be invited. A
    /// listed domain covers its subdomains too: blocking `fabrikam.example` blocks
    /// `eu.fabrikam.example`.
    pub fn allows(&self, address: &str) -> bool {
        let domain = address.rsplit_once('@').map(|(_, d)| d).unwrap_or(address);
        let listed = self.domains.iter().any(|entry| {
            domain == entry
                || domain
                    .strip_suffix(entry.as_str())
                    .is_some_and(|head| head.ends_with('.'))
        });
        match self.mode {
            DomainMode::AllowAll => true,
            DomainMode::AllowList => listed,
            DomainMode::BlockList => !listed,
        }
    }

    /// The list as stored: trimmed, lower case, each once, in order; or the first entry that is
    /// not a domain.
    pub fn normalized(&self) -> Result<InvitationDomains, String> {
        let mut domains: Vec<String> = Vec::new();
        for entry in &self.domains {
            let domain = entry.trim().trim_start_matches("*.").to_ascii_lowercase();
            if !crate::email::is_valid_domain(&domain) {
                return Err(entry.clone());
            }
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        Ok(InvitationDomains {
            mode: self.mode,
            domains,
        })
    }
}

#[cfg(test)]
mod branding_tests {
    use super::*;

    #[test]
    fn logos_are_told_by_their_bytes_and_active_svg_is_refused() {
        assert_eq!(
            LogoFormat::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(LogoFormat::Png)
        );
        assert_eq!(
            LogoFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(LogoFormat::Jpeg)
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="blue"/></svg>"#;
        assert_eq!(LogoFormat::sniff(svg), Some(LogoFormat::Svg));
        assert_eq!(
            LogoFormat::sniff(
                b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
            ),
            Some(LogoFormat::Svg)
        );
        for bad in [
            &b"hello, not an image"[..],
            b"GIF89a....",
            b"<svg><script>alert(1)</script></svg>",
            b"<svg onload=\"alert(1)\"/>",
            b"<svg><a href=\"javascript:alert(1)\">x</a></svg>",
            b"<svg><foreignObject><iframe/></foreignObject></svg>",
            b"<html><svg/></html>",
        ] {
            assert_eq!(
                LogoFormat::sniff(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // Words that merely contain "on" are fine.
        assert_eq!(
            LogoFormat::sniff(br#"<svg font="Montserrat" id="icon"><title>Contoso</title></svg>"#),
            Some(LogoFormat::Svg)
        );
    }

    #[test]
    fn text_on_a_brand_colour_is_white_on_dark_and_dark_on_light() {
        assert_eq!(text_color_on("#0a5fa0"), Some("#ffffff"));
        assert_eq!(text_color_on("#000"), Some("#ffffff"));
        assert_eq!(text_color_on("#dfe6f5"), Some("#1b1b1f"));
        assert_eq!(text_color_on("#ff0"), Some("#1b1b1f"));
        assert_eq!(text_color_on("red"), None);
    }

    #[test]
    fn branding_fields_keep_their_limits() {
        let ok = BrandingPatch {
            sign_in_page_text: Some("Welcome".into()),
            background_color: Some("#0a5".into()),
            username_hint_text: Some("someone@contoso.example".into()),
        };
        assert!(ok.problems().is_empty());
        let clear = BrandingPatch {
            background_color: Some(String::new()),
            ..Default::default()
        };
        assert!(clear.problems().is_empty());
        let bad = BrandingPatch {
            sign_in_page_text: Some("x".repeat(MAX_SIGN_IN_PAGE_TEXT + 1)),
            background_color: Some("red; background: url(x)".into()),
            username_hint_text: Some("a\nb".into()),
        };
        assert_eq!(
            bad.problems(),
            ["signInPageText", "backgroundColor", "usernameHintText"]
        );
    }
}

#[cfg(test)]
mod invitation_domain_tests {
    use super::*;

    fn list(mode: DomainMode, domains: &[&str]) -> InvitationDomains {
        InvitationDomains {
            mode,
            domains: domains.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn a_listed_domain_covers_itself_and_its_subdomains_only() {
        let blocked = list(DomainMode::BlockList, &["fabrikam.example"]);
        assert!(!blocked.allows("ada@fabrikam.example"));
        assert!(!blocked.allows("ada@eu.fabrikam.example"));
        assert!(blocked.allows("ada@notfabrikam.example"));
        assert!(blocked.allows("ada@fabrikam.example.org"));
        let allowed = list(DomainMode::AllowList, &["fabrikam.example"]);
        assert!(allowed.allows("ada@eu.fabrikam.example"));
        assert!(!allowed.allows("ada@contoso.example"));
        assert!(list(DomainMode::AllowAll, &[]).allows("anyone@anywhere.example"));
        assert!(!list(DomainMode::AllowList, &[]).allows("anyone@anywhere.example"));
    }

    #[test]
    fn lists_are_stored_trimmed_lower_case_and_once() {
        let given = list(
            DomainMode::BlockList,
            &[" A.Example", "*.b.example", "a.example"],
        );
        assert_eq!(
            given.normalized().unwrap().domains,
            ["a.example", "b.example"]
        );
        assert_eq!(
            list(DomainMode::BlockList, &["a b"]).normalized(),
            Err("a b".to_string())
        );
    }

    #[test]
    fn the_policy_travels_in_the_apis_words() {
        let policy = ExternalCollaborationPolicy {
            invitation_domains: list(DomainMode::AllowList, &["a.example"]),
        };
        assert_eq!(
            serde_json::to_string(&policy).unwrap(),
            r#"{"invitationDomains":{"mode":"allowList","domains":["a.example"]}}"#
        );
    }
}

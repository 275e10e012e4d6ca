//! A world for native whole-flow tests: the core's use cases on in-memory ports, with a clock
//! the test advances. Each helper is one API call, as a client would make it.

#![allow(dead_code)]

use guestpass_core::context::{Credentials, Ctx, OperatorToken, Settings};
use guestpass_core::directory::TenantRecord;
use guestpass_core::email_otp::policy::EmailOtpDeployment;
use guestpass_core::keys::KeyRing;
use guestpass_core::limits::SendLimits;
use guestpass_core::memory::{run, Clock, MemoryPorts};
use guestpass_core::session::SignedIn;
use guestpass_core::time::{parse_date, UnixMillis, SECOND};
use guestpass_core::{directory, email_otp, session, tap, DomainError};
use guestpass_wire::tap::{CreatePassRequest, PassSignInRequest, TemporaryAccessPassMethod};
use guestpass_wire::{
    CreateTenantAdmin, CreateTenantRequest, CreateUserRequest, Invitation, InvitationRequest, Role,
    SendCodeRequest, SendCodeResponse, Session, User, VerifyCodeRequest,
};

/// 2026-11-22T00:00:00Z: after the deployment's auto-enable date, so email codes are on.
pub const T0: UnixMillis = 1_795_305_600_000;
pub const OPERATOR_TOKEN: &str = "operator-token-for-native-tests-0123456789";
pub const ORIGIN: &str = "https://id.example";
pub const IP: &str = "203.0.113.7";

/// A user record as the directory stores it, for rules that take one (no world needed): a
/// member of tenant `t-1` named by `id`, in `groups`.
pub fn user_record(id: &str, groups: &[&str]) -> guestpass_core::directory::UserRecord {
    guestpass_core::directory::UserRecord {
        id: id.into(),
        tenant_id: "t-1".into(),
        user_type: guestpass_wire::UserType::Member,
        display_name: id.into(),
        mail: None,
        user_principal_name: format!("{id}@contoso.example"),
        roles: vec![],
        created_at: 0,
        external_user_state: None,
        external_user_state_changed_at: None,
        source: None,
        invite_redirect_url: None,
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

/// The data centre every request of these tests reaches.
pub const DATA_CENTRE: &str = "LHR";

pub struct World {
    pub ports: MemoryPorts,
    pub settings: Settings,
}

/// A tenant as the operator created it.
pub struct Org {
    pub id: String,
    pub domain: String,
    pub admin_id: String,
    pub admin_pass: String,
}

/// `Cookie:` header value for a sign-in's session.
pub fn cookie(signed_in: &SignedIn) -> String {
    signed_in
        .set_cookie
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub fn with_cookie(cookie: &str) -> Credentials<'_> {
    Credentials {
        authorization: None,
        cookie: Some(cookie),
    }
}

/// A code that is not `code` (for a wrong try).
pub fn wrong(code: &str) -> &'static str {
    if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    }
}

pub fn operator() -> Credentials<'static> {
    Credentials {
        authorization: Some("Bearer operator-token-for-native-tests-0123456789"),
        cookie: None,
    }
}

impl World {
    pub fn new() -> World {
        let settings = Settings {
            development: true,
            keys: KeyRing::parse("k1:QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=").unwrap(),
            operator_tokens: vec![OperatorToken {
                id: "ci".into(),
                value: OPERATOR_TOKEN.into(),
            }],
            email_otp: EmailOtpDeployment {
                auto_enable_on: parse_date("2026-01-01").unwrap(),
                default_enables: true,
            },
            send_limits: SendLimits::default(),
        };
        World {
            ports: MemoryPorts::new(Clock::at(T0)),
            settings,
        }
    }

    pub fn now(&self) -> UnixMillis {
        self.ports.clock.now()
    }

    pub fn advance(&self, ms: i64) {
        self.ports.clock.advance(ms);
    }

    /// A request from `ip` now.
    pub fn cx_from<'a>(&'a self, ip: &'a str) -> Ctx<'a, MemoryPorts> {
        Ctx {
            ports: &self.ports,
            settings: &self.settings,
            now: self.now(),
            client_ip: ip,
            data_centre: Some(DATA_CENTRE),
            link_origin: ORIGIN,
        }
    }

    pub fn cx(&self) -> Ctx<'_, MemoryPorts> {
        self.cx_from(IP)
    }

    pub fn tenant(&self, reference: &str) -> TenantRecord {
        run(self.cx().directory().resolve_tenant(reference)).expect("the tenant resolves")
    }

    pub fn create_tenant(&self, domain: &str) -> Org {
        let request = CreateTenantRequest {
            display_name: format!("Org {domain}"),
            verified_domains: vec![domain.into()],
            admin: CreateTenantAdmin {
                display_name: "Admin".into(),
                user_principal_name: format!("admin@{domain}"),
            },
        };
        let created = run(directory::create_tenant(&self.cx(), operator(), &request))
            .expect("the operator creates a tenant");
        Org {
            id: created.tenant.id,
            domain: domain.into(),
            admin_id: created.admin.id,
            admin_pass: created.temporary_access_pass.temporary_access_pass,
        }
    }

    /// The operator spreads the tenant's guard records over `shards` instances.
    pub fn set_guard_shards(&self, org: &Org, shards: u8) {
        let request = guestpass_wire::GuardSettings { shards };
        run(directory::tenant::set_guard_shards(
            &self.cx(),
            operator(),
            self.tenant(&org.id),
            &request,
        ))
        .expect("the operator sets the tenant's guard shards");
    }

    pub fn invite(&self, org: &Org, email: &str) -> Invitation {
        let request = InvitationRequest {
            invited_user_email_address: email.into(),
            invite_redirect_url: Some("https://apps.example/welcome".into()),
            send_invitation_message: false,
            invited_user_display_name: None,
            invited_user_message_info: None,
            reset_redemption: false,
            invited_user: None,
        };
        self.invite_with(org, operator(), &request)
            .expect("the operator invites")
    }

    pub fn invite_with(
        &self,
        org: &Org,
        credentials: Credentials<'_>,
        request: &InvitationRequest,
    ) -> Result<Invitation, DomainError> {
        run(directory::invite(
            &self.cx(),
            credentials,
            &self.tenant(&org.id),
            request,
        ))
    }

    pub fn send_from(
        &self,
        org: &Org,
        email: &str,
        ip: &str,
    ) -> Result<SendCodeResponse, DomainError> {
        let request = SendCodeRequest {
            email: email.into(),
            language: None,
        };
        run(email_otp::send(
            &self.cx_from(ip),
            &self.tenant(&org.id),
            &request,
        ))
    }

    pub fn send(&self, org: &Org, email: &str) -> Result<SendCodeResponse, DomainError> {
        self.send_from(org, email, IP)
    }

    /// Every code mailed to `email`, oldest first.
    pub fn codes(&self, email: &str) -> Vec<String> {
        self.ports
            .mailer
            .sent_to(email)
            .iter()
            .filter_map(|m| {
                m.text
                    .split_whitespace()
                    .find(|w| w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit()))
                    .map(String::from)
            })
            .collect()
    }

    /// Sends a code and reads it from the mail: (challenge, code).
    pub fn request_code(&self, org: &Org, email: &str) -> (String, String) {
        let sent = self.send(org, email).expect("the send is accepted");
        let code = self.codes(email).pop().expect("a code was mailed");
        (sent.challenge, code)
    }

    pub fn verify(&self, org: &Org, challenge: &str, code: &str) -> Result<SignedIn, DomainError> {
        let request = VerifyCodeRequest {
            challenge: challenge.into(),
            code: code.into(),
        };
        run(email_otp::verify(
            &self.cx(),
            &self.tenant(&org.id),
            &request,
        ))
    }

    /// A code typed from client address `ip`.
    pub fn verify_from(
        &self,
        org: &Org,
        ip: &str,
        challenge: &str,
        code: &str,
    ) -> Result<(), DomainError> {
        let request = VerifyCodeRequest {
            challenge: challenge.into(),
            code: code.into(),
        };
        run(email_otp::verify(
            &self.cx_from(ip),
            &self.tenant(&org.id),
            &request,
        ))
        .map(|_| ())
    }

    /// The whole guest sign-in: send, read the mail (a second), verify. Returns the cookie.
    pub fn sign_in_guest(&self, org: &Org, email: &str) -> String {
        let (challenge, code) = self.request_code(org, email);
        self.advance(SECOND);
        cookie(
            &self
                .verify(org, &challenge, &code)
                .expect("the right code signs in"),
        )
    }

    /// `GET session` as the Worker serves it: the tenant by the id in the path.
    pub fn session(&self, org: &Org, cookie: &str) -> Result<Session, DomainError> {
        run(session::get_for(&self.cx(), with_cookie(cookie), &org.id))
    }

    /// `GET session` with the tenant named by `reference` (an id or a domain).
    pub fn session_at(&self, reference: &str, cookie: &str) -> Result<Session, DomainError> {
        run(session::get_for(&self.cx(), with_cookie(cookie), reference))
    }

    /// The id of the user who signs in as `address`.
    pub fn tenant_user_id(&self, org: &Org, address: &str) -> String {
        run(self.cx().directory().user_by_sign_in_name(&org.id, address))
            .unwrap()
            .expect("a user with that address")
            .id
    }

    pub fn user(&self, org: &Org, id: &str) -> User {
        run(directory::get_user(
            &self.cx(),
            operator(),
            &self.tenant(&org.id),
            id,
        ))
        .expect("the user exists")
    }

    pub fn add_member(&self, org: &Org, name: &str, roles: &[Role]) -> User {
        self.add_member_in_groups(org, name, roles, &[])
    }

    pub fn add_member_in_groups(
        &self,
        org: &Org,
        name: &str,
        roles: &[Role],
        groups: &[&str],
    ) -> User {
        let request = CreateUserRequest {
            display_name: name.into(),
            user_principal_name: format!("{name}@{}", org.domain),
            roles: roles.to_vec(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        run(directory::create_member(
            &self.cx(),
            operator(),
            &self.tenant(&org.id),
            &request,
        ))
        .expect("the operator adds a member")
    }

    pub fn create_pass(
        &self,
        org: &Org,
        credentials: Credentials<'_>,
        user_id: &str,
        request: &CreatePassRequest,
    ) -> Result<TemporaryAccessPassMethod, DomainError> {
        run(tap::issue::create(
            &self.cx(),
            credentials,
            &self.tenant(&org.id),
            user_id,
            request,
        ))
    }

    pub fn pass_sign_in(
        &self,
        org: &Org,
        username: &str,
        pass: &str,
    ) -> Result<SignedIn, DomainError> {
        self.pass_sign_in_from(org, IP, username, pass)
    }

    /// A pass typed from client address `ip`.
    pub fn pass_sign_in_from(
        &self,
        org: &Org,
        ip: &str,
        username: &str,
        pass: &str,
    ) -> Result<SignedIn, DomainError> {
        let request = PassSignInRequest {
            username: username.into(),
            temporary_access_pass: pass.into(),
        };
        run(tap::sign_in(
            &self.cx_from(ip),
            &self.tenant(&org.id),
            &request,
        ))
    }

    /// A member with `roles`, signed in with a multi-use pass the administrator issued: the
    /// member and the session cookie.
    pub fn member_signed_in(&self, org: &Org, name: &str, roles: &[Role]) -> (User, String) {
        let member = self.add_member(org, name, roles);
        let cookie = self.pass_session(org, &member);
        (member, cookie)
    }

    /// A session for `member`, from a multi-use pass the administrator issues: its cookie.
    pub fn pass_session(&self, org: &Org, member: &User) -> String {
        let admin = self.admin_cookie(org);
        let request = guestpass_wire::tap::CreatePassRequest {
            is_usable_once: Some(false),
            ..Default::default()
        };
        let pass = self
            .create_pass(org, with_cookie(&admin), &member.id, &request)
            .expect("a pass")
            .temporary_access_pass
            .expect("its value");
        let signed_in = self
            .pass_sign_in(org, &member.user_principal_name, &pass)
            .expect("the pass signs in");
        cookie(&signed_in)
    }

    /// The tenant's first administrator's session, from the bootstrap pass.
    pub fn admin_cookie(&self, org: &Org) -> String {
        let username = format!("admin@{}", org.domain);
        cookie(
            &self
                .pass_sign_in(org, &username, &org.admin_pass)
                .expect("the bootstrap pass"),
        )
    }
}

//! The endpoint table: every API operation's method, path pattern and bodies, written once and
//! used by the Worker's router (including its `405`), the SPA's client, the black-box tests and
//! the seed script.
//!
//! A pattern's `{…}` segments are parameters, filled in order by [`Endpoint::path`] and captured
//! in order by [`Endpoint::recognize`]. Each endpoint also has a marker type in [`op`] that names
//! its request and response bodies ([`Operation`]), so a typed client cannot send the wrong body
//! to a path.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::application::{
    Application, ApplicationPatch, CreateApplicationRequest, MyApplication, NewClientSecret,
};
use crate::passkey::*;
use crate::tap::{
    CreatePassRequest, PassSignInRequest, TemporaryAccessPassMethod, TemporaryAccessPassPolicy,
    TemporaryAccessPassPolicyPatch,
};
use crate::types::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        Some(match text {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PATCH" => Method::Patch,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
}

/// No body: a `GET`'s request, a `204`'s response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoBody;

/// An operation's bodies, on its marker type in [`op`].
pub trait Operation {
    const ENDPOINT: Endpoint;
    type Request: Serialize;
    type Response: DeserializeOwned;
}

macro_rules! endpoints {
    ($($name:ident: $method:ident $pattern:literal, $request:ty => $response:ty;)+) => {
        /// Every operation of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Endpoint {
            $($name,)+
        }

        impl Endpoint {
            pub const ALL: &'static [Endpoint] = &[$(Endpoint::$name,)+];

            pub const fn method(self) -> Method {
                match self {
                    $(Endpoint::$name => Method::$method,)+
                }
            }

            pub const fn pattern(self) -> &'static str {
                match self {
                    $(Endpoint::$name => $pattern,)+
                }
            }
        }

        /// Marker types naming each operation's bodies.
        pub mod op {
            use super::*;

            $(
                pub struct $name;

                impl Operation for $name {
                    const ENDPOINT: Endpoint = Endpoint::$name;
                    type Request = $request;
                    type Response = $response;
                }
            )+
        }
    };
}

/// The most items one page of a list holds (`top`).
pub const MAX_PAGE: usize = 999;

endpoints! {
    Health: Get "/api/health", NoBody => crate::types::Health;
    CreateTenant: Post "/api/v1/operator/tenants", CreateTenantRequest => CreateTenantResponse;
    GetGuard: Get "/api/v1/operator/tenants/{tenant}/guard", NoBody => GuardSettings;
    PatchGuard: Patch "/api/v1/operator/tenants/{tenant}/guard", GuardSettings => GuardSettings;
    DevOutbox: Get "/api/v1/dev/outbox", NoBody => List<OutboxMessage>;
    SignInInfo: Get "/api/v1/tenants/{tenant}/sign-in", NoBody => crate::types::SignInInfo;
    SendCode: Post "/api/v1/tenants/{tenant}/sign-in/email-otp/send", SendCodeRequest => SendCodeResponse;
    VerifyCode: Post "/api/v1/tenants/{tenant}/sign-in/email-otp/verify", VerifyCodeRequest => SignInResult;
    PassSignIn: Post "/api/v1/tenants/{tenant}/sign-in/temporary-access-pass", PassSignInRequest => SignInResult;
    GetSession: Get "/api/v1/tenants/{tenant}/session", NoBody => Session;
    SignOut: Delete "/api/v1/tenants/{tenant}/session", NoBody => NoBody;
    GetEmailOtpPolicy: Get "/api/v1/tenants/{tenant}/policies/email-otp", NoBody => EmailOtpPolicy;
    PatchEmailOtpPolicy: Patch "/api/v1/tenants/{tenant}/policies/email-otp", EmailOtpPolicyPatch => EmailOtpPolicy;
    GetPassPolicy: Get "/api/v1/tenants/{tenant}/policies/temporary-access-pass", NoBody => TemporaryAccessPassPolicy;
    PatchPassPolicy: Patch "/api/v1/tenants/{tenant}/policies/temporary-access-pass", TemporaryAccessPassPolicyPatch => TemporaryAccessPassPolicy;
    GetExternalCollaboration: Get "/api/v1/tenants/{tenant}/policies/external-collaboration", NoBody => ExternalCollaborationPolicy;
    PatchExternalCollaboration: Patch "/api/v1/tenants/{tenant}/policies/external-collaboration", ExternalCollaborationPolicy => ExternalCollaborationPolicy;
    GetBranding: Get "/api/v1/tenants/{tenant}/branding", NoBody => Branding;
    PatchBranding: Patch "/api/v1/tenants/{tenant}/branding", BrandingPatch => Branding;
    // The logo travels as the image itself (`Content-Type: image/png|image/jpeg|image/svg+xml`).
    PutBannerLogo: Put "/api/v1/tenants/{tenant}/branding/banner-logo", NoBody => Branding;
    GetBannerLogo: Get "/api/v1/tenants/{tenant}/branding/banner-logo", NoBody => NoBody;
    Invite: Post "/api/v1/tenants/{tenant}/invitations", InvitationRequest => Invitation;
    ListUsers: Get "/api/v1/tenants/{tenant}/users", NoBody => List<User>;
    CreateUser: Post "/api/v1/tenants/{tenant}/users", CreateUserRequest => User;
    GetUser: Get "/api/v1/tenants/{tenant}/users/{user}", NoBody => User;
    DeleteUser: Delete "/api/v1/tenants/{tenant}/users/{user}", NoBody => NoBody;
    RevokeSessions: Post "/api/v1/tenants/{tenant}/users/{user}/revoke-sign-in-sessions", NoBody => Done;
    ListPasses: Get "/api/v1/tenants/{tenant}/users/{user}/authentication/temporary-access-pass-methods", NoBody => List<TemporaryAccessPassMethod>;
    CreatePass: Post "/api/v1/tenants/{tenant}/users/{user}/authentication/temporary-access-pass-methods", CreatePassRequest => TemporaryAccessPassMethod;
    GetPass: Get "/api/v1/tenants/{tenant}/users/{user}/authentication/temporary-access-pass-methods/{method}", NoBody => TemporaryAccessPassMethod;
    DeletePass: Delete "/api/v1/tenants/{tenant}/users/{user}/authentication/temporary-access-pass-methods/{method}", NoBody => NoBody;
    SignInLogs: Get "/api/v1/tenants/{tenant}/audit-logs/sign-ins", NoBody => List<SignInLogEntry>;
    SignInSummary: Get "/api/v1/tenants/{tenant}/audit-logs/sign-ins/summary", NoBody => List<SignInBucket>;
    DirectoryLogs: Get "/api/v1/tenants/{tenant}/audit-logs/directory", NoBody => List<DirectoryAuditEntry>;
    PasskeyOptions: Post "/api/v1/tenants/{tenant}/sign-in/passkey/options", PasskeyOptionsRequest => RequestOptions;
    PasskeySignIn: Post "/api/v1/tenants/{tenant}/sign-in/passkey", PasskeySignInRequest => SignInResult;
    PasskeyRegistrationOptions: Post "/api/v1/tenants/{tenant}/me/passkeys/registration-options", NoBody => CreationOptions;
    RegisterPasskey: Post "/api/v1/tenants/{tenant}/me/passkeys", RegisterPasskeyRequest => PasskeyMethod;
    ListOwnPasskeys: Get "/api/v1/tenants/{tenant}/me/passkeys", NoBody => List<PasskeyMethod>;
    RenameOwnPasskey: Patch "/api/v1/tenants/{tenant}/me/passkeys/{passkey}", RenamePasskeyRequest => PasskeyMethod;
    DeleteOwnPasskey: Delete "/api/v1/tenants/{tenant}/me/passkeys/{passkey}", NoBody => NoBody;
    ListPasskeys: Get "/api/v1/tenants/{tenant}/users/{user}/authentication/passkey-methods", NoBody => List<PasskeyMethod>;
    DeletePasskey: Delete "/api/v1/tenants/{tenant}/users/{user}/authentication/passkey-methods/{method}", NoBody => NoBody;
    GetPasskeyPolicy: Get "/api/v1/tenants/{tenant}/policies/passkey", NoBody => PasskeyPolicy;
    PatchPasskeyPolicy: Patch "/api/v1/tenants/{tenant}/policies/passkey", PasskeyPolicyPatch => PasskeyPolicy;
    ListApplications: Get "/api/v1/tenants/{tenant}/applications", NoBody => List<Application>;
    CreateApplication: Post "/api/v1/tenants/{tenant}/applications", CreateApplicationRequest => Application;
    GetApplication: Get "/api/v1/tenants/{tenant}/applications/{application}", NoBody => Application;
    PatchApplication: Patch "/api/v1/tenants/{tenant}/applications/{application}", ApplicationPatch => Application;
    DeleteApplication: Delete "/api/v1/tenants/{tenant}/applications/{application}", NoBody => NoBody;
    AddClientSecret: Post "/api/v1/tenants/{tenant}/applications/{application}/secrets", NoBody => NewClientSecret;
    RemoveClientSecret: Delete "/api/v1/tenants/{tenant}/applications/{application}/secrets/{secret}", NoBody => NoBody;
    ListMyApplications: Get "/api/v1/tenants/{tenant}/me/applications", NoBody => List<MyApplication>;
}

/// Why a request matched no operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrecognized {
    /// No pattern has this path.
    NotFound,
    /// A pattern has this path, for other methods only.
    MethodNotAllowed,
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.trim_start_matches('/').split('/')
}

/// `pattern` with its parameters replaced by `params`, in order. Parameters are ids and
/// domains, which need no escaping; one holding `/`, `?` or `#` would change the path, so it
/// panics in tests and is caught by the router (404) in production. (The SPAs pass an
/// operation's pattern as a constant, so only the patterns a bundle calls are in its bytes.)
pub fn fill(pattern: &str, params: &[&str]) -> String {
    let mut params = params.iter();
    let mut path = String::new();
    for segment in segments(pattern) {
        path.push('/');
        if segment.starts_with('{') {
            let value = params.next().expect("a value for each path parameter");
            debug_assert!(!value.contains(['/', '?', '#']), "{value:?} in a path");
            path.push_str(value);
        } else {
            path.push_str(segment);
        }
    }
    debug_assert!(params.next().is_none(), "more values than path parameters");
    path
}

impl Endpoint {
    /// Whether `method` reaches this endpoint. `HEAD` reaches the health check too, for probes.
    pub fn accepts(self, method: Method) -> bool {
        self.method() == method || (self == Endpoint::Health && method == Method::Head)
    }

    /// The path with the pattern's parameters replaced by `params`, in order ([`fill`]).
    pub fn path(self, params: &[&str]) -> String {
        fill(self.pattern(), params)
    }

    /// The parameters of `path` if it has this endpoint's pattern (a trailing `/` is ignored).
    pub fn captures(self, path: &str) -> Option<Vec<&str>> {
        let path = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let mut actual = segments(path);
        let mut captured = Vec::new();
        for expected in segments(self.pattern()) {
            let segment = actual.next()?;
            if expected.starts_with('{') {
                if segment.is_empty() {
                    return None;
                }
                captured.push(segment);
            } else if segment != expected {
                return None;
            }
        }
        actual.next().is_none().then_some(captured)
    }

    /// The operation a request names, with its path parameters.
    pub fn recognize(method: Method, path: &str) -> Result<(Endpoint, Vec<&str>), Unrecognized> {
        let mut path_known = false;
        for endpoint in Endpoint::ALL {
            if let Some(captured) = endpoint.captures(path) {
                if endpoint.accepts(method) {
                    return Ok((*endpoint, captured));
                }
                path_known = true;
            }
        }
        Err(if path_known {
            Unrecognized::MethodNotAllowed
        } else {
            Unrecognized::NotFound
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_parameters_in_order_and_are_recognized_back() {
        let path = Endpoint::GetPass.path(&["t1", "u1", "m1"]);
        assert_eq!(
            path,
            "/api/v1/tenants/t1/users/u1/authentication/temporary-access-pass-methods/m1"
        );
        assert_eq!(
            Endpoint::recognize(Method::Get, &path),
            Ok((Endpoint::GetPass, vec!["t1", "u1", "m1"]))
        );
    }

    #[test]
    fn every_endpoint_recognizes_its_own_path() {
        for endpoint in Endpoint::ALL {
            let params = ["a"; 3];
            let count = endpoint.pattern().matches('{').count();
            let path = endpoint.path(&params[..count]);
            assert_eq!(
                Endpoint::recognize(endpoint.method(), &path).map(|(e, _)| e),
                Ok(*endpoint),
                "{path}"
            );
        }
    }

    #[test]
    fn a_known_path_with_another_method_is_not_allowed_and_an_unknown_one_not_found() {
        assert_eq!(
            Endpoint::recognize(Method::Put, "/api/v1/tenants/t1/session"),
            Err(Unrecognized::MethodNotAllowed)
        );
        assert_eq!(
            Endpoint::recognize(Method::Get, "/api/v1/tenants/t1/nothing"),
            Err(Unrecognized::NotFound)
        );
        assert_eq!(
            Endpoint::recognize(Method::Get, "/api/v1/tenants//sign-in"),
            Err(Unrecognized::NotFound)
        );
    }

    #[test]
    fn a_trailing_slash_is_the_same_path_and_head_reaches_only_the_health_check() {
        assert_eq!(
            Endpoint::recognize(Method::Get, "/api/v1/tenants/t1/sign-in/").map(|(e, _)| e),
            Ok(Endpoint::SignInInfo)
        );
        assert!(Endpoint::recognize(Method::Head, "/api/health").is_ok());
        assert_eq!(
            Endpoint::recognize(Method::Head, "/api/v1/tenants/t1/sign-in"),
            Err(Unrecognized::MethodNotAllowed)
        );
    }

    #[test]
    fn one_method_and_pattern_per_endpoint() {
        for (i, a) in Endpoint::ALL.iter().enumerate() {
            for b in &Endpoint::ALL[i + 1..] {
                assert!(
                    (a.method(), a.pattern()) != (b.method(), b.pattern()),
                    "{a:?} and {b:?}"
                );
            }
        }
    }
}

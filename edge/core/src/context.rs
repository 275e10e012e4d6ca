//! What every use case runs with: the deployment's settings, the request's time and origin, the
//! caller's credentials as presented, and the ports.

use crate::directory::store::Directory;
use crate::email_otp::policy::EmailOtpDeployment;
use crate::keys::KeyRing;
use crate::limits::SendLimits;
use crate::ports::{Entropy, Ports};
use crate::time::UnixMillis;

/// The deployment's settings a use case may consult (the Worker reads them from `[vars]` and
/// secrets; the README's configuration table documents each).
pub struct Settings {
    /// `ENVIRONMENT=development`: the outbox exists and `dev-` keys are accepted.
    pub development: bool,
    pub keys: KeyRing,
    /// Bearer token of the operator API and admin automation; `None` turns both off.
    pub operator_token: Option<String>,
    pub email_otp: EmailOtpDeployment,
    pub send_limits: SendLimits,
}

/// What the caller presented, unparsed: the `Authorization` and `Cookie` headers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials<'a> {
    pub authorization: Option<&'a str>,
    pub cookie: Option<&'a str>,
}

/// A request body, read only when the use case asks for it — after the caller is
/// authenticated and authorized, so a stranger learns nothing about shapes and a refused request
/// is not even parsed. The Worker reads JSON by the request rules; tests hand a value.
#[allow(async_fn_in_trait)]
pub trait Body<T> {
    async fn read(self) -> Result<T, crate::DomainError>;
}

/// A body already parsed.
impl<T: Clone> Body<T> for &T {
    async fn read(self) -> Result<T, crate::DomainError> {
        Ok(self.clone())
    }
}

/// One request's context.
pub struct Ctx<'a, P: Ports> {
    pub ports: &'a P,
    pub settings: &'a Settings,
    pub now: UnixMillis,
    /// The client's address (`CF-Connecting-IP`), for throttles and the sign-in log.
    pub client_ip: &'a str,
    /// The origin links in emails point at: `PUBLIC_ORIGIN`, or the request's.
    pub link_origin: &'a str,
}

impl<P: Ports> Ctx<'_, P> {
    pub fn directory(&self) -> Directory<'_, P::Store> {
        Directory::new(self.ports.store())
    }

    /// The client's network (IPv4 address or IPv6 /64): what per-client limits count.
    pub fn network(&self) -> String {
        crate::network::client_network(self.client_ip)
    }

    pub fn uuid(&self) -> Result<String, crate::DomainError> {
        self.ports.entropy().uuid()
    }
}

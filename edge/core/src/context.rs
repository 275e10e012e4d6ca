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
    /// Bearer tokens of the operator API and admin automation (several while one rotates out);
    /// none turns both off.
    pub operator_tokens: Vec<OperatorToken>,
    pub email_otp: EmailOtpDeployment,
    pub send_limits: SendLimits,
}

/// One operator token: its id (what logs name) and its value (never logged).
#[derive(Clone)]
pub struct OperatorToken {
    pub id: String,
    pub value: String,
}

/// Operator tokens are long random strings: anything shorter is a mistake.
const MIN_OPERATOR_TOKEN_LENGTH: usize = 32;

impl OperatorToken {
    /// `OPERATOR_TOKEN`: `token[,token…]` or `id:token[,id:token…]`; a token without an id is
    /// named by its place in the list (`1`, `2`, …). Empty means no operator API.
    pub fn parse_list(spec: &str) -> Result<Vec<OperatorToken>, String> {
        let mut tokens: Vec<OperatorToken> = Vec::new();
        let entries = spec.split(',').map(str::trim).filter(|e| !e.is_empty());
        for (place, entry) in entries.enumerate() {
            let (id, value) = match entry.split_once(':') {
                Some((id, value)) => (id.trim().to_string(), value.trim()),
                None => ((place + 1).to_string(), entry),
            };
            if !crate::keys::is_valid_id(&id) {
                return Err(format!(
                    "OPERATOR_TOKEN entry {} has a malformed id",
                    place + 1
                ));
            }
            if value.len() < MIN_OPERATOR_TOKEN_LENGTH {
                return Err(format!(
                    "OPERATOR_TOKEN {id:?} is shorter than {MIN_OPERATOR_TOKEN_LENGTH} characters"
                ));
            }
            if tokens.iter().any(|t| t.id == id) {
                return Err(format!("OPERATOR_TOKEN id {id:?} appears twice"));
            }
            tokens.push(OperatorToken {
                id,
                value: value.into(),
            });
        }
        Ok(tokens)
    }
}

impl std::fmt::Debug for OperatorToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorToken")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
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
    /// The data centre that received the request as the runtime names it (Cloudflare's `colo`),
    /// whose instances count client networks' sends (`guard::network_instance`).
    pub data_centre: Option<&'a str>,
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

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn operator_tokens_are_named_by_their_id_or_their_place() {
        let tokens = OperatorToken::parse_list(&format!("{A}, new:{B}")).unwrap();
        let ids: Vec<_> = tokens.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["1", "new"]);
        assert_eq!(tokens[1].value, B);
        assert!(OperatorToken::parse_list("").unwrap().is_empty());
    }

    #[test]
    fn short_duplicate_or_badly_named_tokens_are_refused_without_showing_them() {
        let short = "tiny-secret";
        for spec in [short, &format!("x:{A},x:{B}"), &format!("bad id:{A}")] {
            let err = OperatorToken::parse_list(spec).unwrap_err();
            assert!(
                !err.contains(A) && !err.contains(B) && !err.contains(short),
                "{err}"
            );
        }
        assert!(!format!("{:?}", OperatorToken::parse_list(A).unwrap()).contains(A));
    }
}

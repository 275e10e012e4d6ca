//! Where each tenant's OpenID Connect endpoints are: under `/{tenant}`, at Microsoft Entra's
//! paths (so people moving from it recognise them). The Worker routes by these, discovery
//! advertises them, and the SPA knows the authorization endpoint as a place to return to after
//! sign-in.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolEndpoint {
    /// `{issuer}/.well-known/openid-configuration`, the issuer being `{origin}/{tenant}/v2.0`.
    Discovery,
    /// The tenant's public signing keys (JWKS).
    Keys,
    Authorize,
    Token,
    UserInfo,
    /// RP-initiated logout.
    EndSession,
}

impl ProtocolEndpoint {
    pub const ALL: [ProtocolEndpoint; 6] = [
        ProtocolEndpoint::Discovery,
        ProtocolEndpoint::Keys,
        ProtocolEndpoint::Authorize,
        ProtocolEndpoint::Token,
        ProtocolEndpoint::UserInfo,
        ProtocolEndpoint::EndSession,
    ];

    /// The path after `/{tenant}`.
    pub fn suffix(self) -> &'static str {
        match self {
            ProtocolEndpoint::Discovery => "/v2.0/.well-known/openid-configuration",
            ProtocolEndpoint::Keys => "/discovery/v2.0/keys",
            ProtocolEndpoint::Authorize => "/oauth2/v2.0/authorize",
            ProtocolEndpoint::Token => "/oauth2/v2.0/token",
            ProtocolEndpoint::UserInfo => "/oidc/userinfo",
            ProtocolEndpoint::EndSession => "/oauth2/v2.0/logout",
        }
    }

    /// `/{tenant}{suffix}`.
    pub fn path(self, tenant: &str) -> String {
        format!("/{tenant}{}", self.suffix())
    }

    /// The endpoint a path names, and its tenant (one non-empty segment).
    pub fn recognize(path: &str) -> Option<(ProtocolEndpoint, &str)> {
        let rest = path.strip_prefix('/')?;
        let (tenant, suffix) = rest.split_at(rest.find('/')?);
        if tenant.is_empty() {
            return None;
        }
        Self::ALL
            .into_iter()
            .find(|endpoint| endpoint.suffix() == suffix)
            .map(|endpoint| (endpoint, tenant))
    }
}

#[cfg(test)]
mod tests {
    use super::ProtocolEndpoint;

    #[test]
    fn every_endpoint_is_recognized_from_its_path_with_its_tenant() {
        for endpoint in ProtocolEndpoint::ALL {
            let path = endpoint.path("contoso.example");
            assert_eq!(
                ProtocolEndpoint::recognize(&path),
                Some((endpoint, "contoso.example"))
            );
        }
    }

    #[test]
    fn other_paths_are_not_protocol_endpoints() {
        for path in [
            "/oauth2/v2.0/token",
            "//oauth2/v2.0/token",
            "/t/oauth2/v2.0/token/",
            "/t/oauth2/v2.0/tokens",
            "/api/v1/tenants/t/session",
            "/t/a/oauth2/v2.0/token",
        ] {
            assert_eq!(ProtocolEndpoint::recognize(path), None, "{path}");
        }
    }
}

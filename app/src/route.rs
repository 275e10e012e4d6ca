//! Which screen a URL shows. Pure, so the rules are tested natively: the first path segment is the
//! organization (`/{tenantId}/…` or `/{domain}/…`), the rest picks the page.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the link lacks the organization.
    NoTenant,
    /// `/dev/outbox[?to=]`: the development outbox.
    Outbox {
        to: Option<String>,
    },
    /// A segment that cannot name a tenant (not an id or a domain): no request is made for it.
    UnknownTenant {
        tenant: String,
    },
    Tenant {
        tenant: String,
        page: TenantPage,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantPage {
    /// `/{t}/`: who is signed in, or the sign-in when nobody is.
    Landing,
    /// `/{t}/sign-in[?login_hint=][&return_to=][&prompt=login]`: a direct sign-in link; the
    /// address stays editable. `return_to` is a console page, the security info or the OpenID
    /// Connect authorization endpoint of the same tenant, to go back to afterwards. With
    /// `prompt=login` (the authorization endpoint's, when a session does not do) the screens
    /// show even to someone signed in.
    SignIn {
        login_hint: Option<String>,
        return_to: Option<String>,
        again: bool,
    },
    /// `/{t}/redeem?invitation=…&login_hint=…`: the invitation email's link.
    Redeem { login_hint: Option<String> },
    /// `/{t}/security-info`: a member's passkeys (the account bundle's page).
    SecurityInfo,
    /// `/{t}/apps`: "My apps", the applications the signed-in user may open (the account
    /// bundle's page).
    MyApps,
}

pub fn parse(path: &str, query: &str) -> Route {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(first) = segments.first() else {
        return Route::NoTenant;
    };
    if segments == ["dev", "outbox"] {
        return Route::Outbox {
            to: query_value(query, "to"),
        };
    }
    let tenant = percent_decode(first).to_ascii_lowercase();
    if !can_name_tenant(&tenant) {
        return Route::UnknownTenant { tenant };
    }
    let login_hint = query_value(query, "login_hint");
    let page = match segments.get(1).copied() {
        Some("sign-in") => TenantPage::SignIn {
            login_hint,
            return_to: query_value(query, "return_to").filter(|path| may_return_to(&tenant, path)),
            again: query_value(query, "prompt").as_deref() == Some("login"),
        },
        Some("redeem") => TenantPage::Redeem { login_hint },
        Some("security-info") => TenantPage::SecurityInfo,
        Some("apps") => TenantPage::MyApps,
        _ => TenantPage::Landing,
    };
    Route::Tenant { tenant, page }
}

/// The administrator's console of a tenant.
pub fn console_path(tenant: &str) -> String {
    format!("/{tenant}/admin")
}

/// Whether `path` is a page of `tenant`'s console, its security info, "My apps" or its
/// authorization endpoint: the only places a sign-in link may send the visitor back to
/// (anything else could make our sign-in page a redirector).
fn may_return_to(tenant: &str, path: &str) -> bool {
    if path == security_info_path(tenant) || path == my_apps_path(tenant) {
        return true;
    }
    // The authorization request itself, which the Worker checks again.
    let authorize = guestpass_wire::oidc::ProtocolEndpoint::Authorize.path(tenant);
    if let Some(query) = path.strip_prefix(&authorize) {
        return query.starts_with('?')
            && !path.contains(['\\', '#'])
            && !path.chars().any(char::is_control);
    }
    let console = console_path(tenant);
    let Some(rest) = path.strip_prefix(&console) else {
        return false;
    };
    (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
        && !rest.contains("//")
        && !path.contains(['\\', '#'])
        && !path.chars().any(char::is_control)
}

/// Where a member manages their passkeys, and where a one-time pass's sign-in leads.
pub fn security_info_path(tenant: &str) -> String {
    format!("/{tenant}/security-info")
}

/// "My apps": the applications the signed-in user may open.
pub fn my_apps_path(tenant: &str) -> String {
    format!("/{tenant}/apps")
}

/// The sign-in page that brings the visitor back to `return_to` (a page [`may_return_to`]
/// allows) afterwards.
pub fn sign_in_href(tenant: &str, return_to: &str) -> String {
    format!("/{tenant}/sign-in?return_to={}", encode(return_to))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The landing path of a tenant, where a finished sign-in lands.
pub fn landing_path(tenant: &str) -> String {
    format!("/{tenant}/")
}

/// Tenant ids are UUIDs and domains are letters, digits, dots and hyphens: anything else is not
/// sent to the API at all (it could not name a tenant, and must not shape the request path).
fn can_name_tenant(segment: &str) -> bool {
    !segment.is_empty()
        && segment.len() <= 253
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !segment.starts_with('.')
}

/// The decoded value of `name` in a query string (`?a=1&b=2` or `a=1&b=2`); empty values are absent.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| percent_decode(value))
        .filter(|value| !value.trim().is_empty())
}

/// `%XX` decoding. A `+` stays a `+`: addresses may contain one, and our links encode spaces as `%20`.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(page: TenantPage) -> Route {
        Route::Tenant {
            tenant: "contoso.example".into(),
            page,
        }
    }

    #[test]
    fn the_root_has_no_tenant() {
        assert_eq!(parse("/", ""), Route::NoTenant);
        assert_eq!(parse("", "?tenantid=x"), Route::NoTenant);
    }

    #[test]
    fn the_first_segment_is_the_tenant_and_the_second_the_page() {
        assert_eq!(parse("/contoso.example/", ""), tenant(TenantPage::Landing));
        assert_eq!(parse("/Contoso.Example", ""), tenant(TenantPage::Landing));
        assert_eq!(
            parse(
                "/contoso.example/sign-in",
                "?login_hint=ada%40fabrikam.example"
            ),
            tenant(TenantPage::SignIn {
                login_hint: Some("ada@fabrikam.example".into()),
                return_to: None,
                again: false,
            })
        );
        // The authorization endpoint's way through sign-in: the screens even over a session.
        assert_eq!(
            parse(
                "/contoso.example/sign-in",
                "?prompt=login&return_to=%2Fcontoso.example%2Fapps"
            ),
            tenant(TenantPage::SignIn {
                login_hint: None,
                return_to: Some("/contoso.example/apps".into()),
                again: true,
            })
        );
        assert_eq!(
            parse(
                "/contoso.example/redeem",
                "?invitation=abc&login_hint=ada%2Btag%40fabrikam.example"
            ),
            tenant(TenantPage::Redeem {
                login_hint: Some("ada+tag@fabrikam.example".into())
            })
        );
        assert_eq!(
            parse("/contoso.example/redeem", "?login_hint="),
            tenant(TenantPage::Redeem { login_hint: None })
        );
        assert_eq!(
            parse(&security_info_path("contoso.example"), ""),
            tenant(TenantPage::SecurityInfo)
        );
        assert_eq!(
            parse(&my_apps_path("contoso.example"), ""),
            tenant(TenantPage::MyApps)
        );
    }

    #[test]
    fn a_sign_in_link_may_return_to_the_same_tenants_console_security_info_or_apps_only() {
        let return_to = |query: &str| match parse("/contoso.example/sign-in", query) {
            Route::Tenant {
                page: TenantPage::SignIn { return_to, .. },
                ..
            } => return_to,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            return_to("?return_to=%2Fcontoso.example%2Fadmin%2Fusers%3Ftype%3DGuest"),
            Some("/contoso.example/admin/users?type=Guest".into())
        );
        assert_eq!(
            return_to("?return_to=/contoso.example/admin"),
            Some("/contoso.example/admin".into())
        );
        assert_eq!(
            return_to("?return_to=%2Fcontoso.example%2Fsecurity-info"),
            Some("/contoso.example/security-info".into())
        );
        assert_eq!(
            return_to("?return_to=%2Fcontoso.example%2Fapps"),
            Some("/contoso.example/apps".into())
        );
        assert_eq!(
            return_to("?return_to=%2Fcontoso.example%2Foauth2%2Fv2.0%2Fauthorize%3Fclient_id%3Dc%26state%3Ds"),
            Some("/contoso.example/oauth2/v2.0/authorize?client_id=c&state=s".into())
        );
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/contoso.example/admin",
            "/fabrikam.example/admin",
            "/contoso.example/administrator",
            "/contoso.example/admin//evil.example",
            "/contoso.example/admin/%5Cevil",
            "/contoso.example/",
            "/fabrikam.example/security-info",
            "/fabrikam.example/apps",
            "/contoso.example/apps/../admin",
            "/contoso.example/security-info/../admin",
            "/fabrikam.example/oauth2/v2.0/authorize?client_id=c",
            "/contoso.example/oauth2/v2.0/authorize/../../admin",
            "/contoso.example/oauth2/v2.0/token?x=1",
        ] {
            assert_eq!(
                return_to(&format!("?return_to={elsewhere}")),
                None,
                "{elsewhere}"
            );
        }
    }

    #[test]
    fn a_segment_that_cannot_name_a_tenant_is_unknown_without_asking_the_api() {
        assert_eq!(
            parse("/a%2Fb/", ""),
            Route::UnknownTenant {
                tenant: "a/b".into()
            }
        );
        assert_eq!(
            parse("/..%2Fapi/", ""),
            Route::UnknownTenant {
                tenant: "../api".into()
            }
        );
        assert_eq!(
            parse("/x y/", ""),
            Route::UnknownTenant {
                tenant: "x y".into()
            }
        );
    }

    #[test]
    fn the_outbox_has_its_own_path() {
        assert_eq!(
            parse("/dev/outbox", "?to=ada%40fabrikam.example"),
            Route::Outbox {
                to: Some("ada@fabrikam.example".into())
            }
        );
        assert_eq!(parse("/dev/outbox/", ""), Route::Outbox { to: None });
    }

    #[test]
    fn broken_escapes_are_kept_as_typed() {
        assert_eq!(query_value("a=%zz%4", "a").as_deref(), Some("%zz%4"));
    }
}

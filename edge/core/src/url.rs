//! The few URL rules the API needs: percent-encoding a query value and vetting redirect URLs.

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// Written once in the wire crate: the SPA checks a redirect before following it.
pub use guestpass_wire::redirect::{is_acceptable_redirect, MAX_URL_LENGTH};

/// The path (from its `/`) and the query (after `?`, without the fragment) of an absolute URL.
/// The router reads these from the URL string workerd hands over, already normalized, so the
/// Worker does not link a full URL parser (and its IDNA tables) for it.
pub fn path_and_query(url: &str) -> (&str, &str) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let from_path = after_scheme
        .find(['/', '?', '#'])
        .map_or("", |at| &after_scheme[at..]);
    let without_fragment = from_path.split('#').next().unwrap_or("");
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    (if path.is_empty() { "/" } else { path }, query)
}

/// The decoded pairs of an `application/x-www-form-urlencoded` query: `+` is a space, `%XX` a
/// byte; a malformed escape stays as typed.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(key), form_decode(value))
        })
        .collect()
}

/// One `application/x-www-form-urlencoded` value decoded (also what HTTP Basic client credentials
/// are encoded with, RFC 6749 §2.3.1).
pub fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (byte, _, _) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The origin (`scheme://host[:port]`) of an absolute URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| {
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            authority.to_ascii_lowercase()
        )
    })
}

/// Where `/?tenantid={tenant}` lands: `/{tenant}/`, when the value can name a tenant (an id or a
/// domain). Anything else stays on `/`, which explains that the link lacks the organization; the
/// value never becomes a path it could escape from (no `/`, `.`-only or scheme tricks).
pub fn tenant_landing_path(tenantid: &str) -> Option<String> {
    let tenant = tenantid.trim().to_ascii_lowercase();
    (crate::ids::is_uuid(&tenant) || guestpass_wire::email::is_valid_domain(&tenant))
        .then(|| format!("/{tenant}/"))
}

/// Where the console's shell is served from (its bundle lives under this path).
pub const CONSOLE_SHELL: &str = "/_console/";
/// Where the account pages' shell is served from (security info: passkeys; "My apps").
pub const ACCOUNT_SHELL: &str = "/_account/";

/// The shell of the bundle that serves `path`, when it is not the sign-in app's: a tenant's
/// console (`/{tenant}/admin` and below), a member's security info (`/{tenant}/security-info`)
/// and "My apps" (`/{tenant}/apps`) have bundles of their own, so the guest's sign-in never
/// downloads their bytes; the account bundle also shows a development deployment's outbox.
pub fn bundle_shell(path: &str) -> Option<&'static str> {
    if path.trim_end_matches('/') == "/dev/outbox" {
        return Some(ACCOUNT_SHELL);
    }
    let mut segments = path.trim_start_matches('/').split('/');
    let tenant = segments.next().unwrap_or("");
    tenant_landing_path(tenant)?;
    match (segments.next(), segments.next()) {
        (Some("admin"), _) => Some(CONSOLE_SHELL),
        (Some("security-info" | "apps"), None | Some("")) => Some(ACCOUNT_SHELL),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_paths_are_a_tenants_admin_and_below() {
        for path in [
            "/contoso.example/admin",
            "/contoso.example/admin/",
            "/contoso.example/admin/users/1",
        ] {
            assert_eq!(bundle_shell(path), Some(CONSOLE_SHELL), "{path}");
        }
        for path in [
            "/",
            "/contoso.example/",
            "/contoso.example/administrator",
            "/admin",
            "//admin",
            "/_console/admin",
            "/api/admin",
        ] {
            assert_ne!(bundle_shell(path), Some(CONSOLE_SHELL), "{path}");
        }
    }

    #[test]
    fn security_info_my_apps_and_the_dev_outbox_have_the_account_bundle_and_other_pages_the_sign_in_apps(
    ) {
        for path in [
            "/contoso.example/security-info",
            "/contoso.example/security-info/",
            "/contoso.example/apps",
            "/contoso.example/apps/",
            "/dev/outbox",
            "/dev/outbox/",
        ] {
            assert_eq!(bundle_shell(path), Some(ACCOUNT_SHELL), "{path}");
        }
        assert_eq!(
            bundle_shell("/contoso.example/admin/users"),
            Some(CONSOLE_SHELL)
        );
        for path in [
            "/contoso.example/",
            "/contoso.example/sign-in",
            "/contoso.example/security-info/x",
            "/contoso.example/apps/x",
            "/contoso.example/applications",
            "/_account/security-info",
            "/security-info",
        ] {
            assert_eq!(bundle_shell(path), None, "{path}");
        }
    }

    #[test]
    fn tenantid_lands_on_the_tenant_path_and_nothing_else() {
        let id = "3f7c1c2e-8f1a-4d1e-9b7a-0c1d2e3f4a5b";
        assert_eq!(
            tenant_landing_path(id).as_deref(),
            Some("/3f7c1c2e-8f1a-4d1e-9b7a-0c1d2e3f4a5b/")
        );
        assert_eq!(
            tenant_landing_path("Contoso.com").as_deref(),
            Some("/contoso.com/")
        );
        for bad in [
            "",
            "/evil.example",
            "//evil.example",
            "https://evil.example",
            "..",
            "a/b.example",
            "x",
        ] {
            assert_eq!(tenant_landing_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(encode_component("a+b@c.com"), "a%2Bb%40c.com");
    }

    #[test]
    fn redirects_must_be_https_or_loopback_http() {
        assert!(is_acceptable_redirect(
            "https://apps.contoso.com/welcome?x=1"
        ));
        assert!(is_acceptable_redirect("http://127.0.0.1:8787/landing"));
        for bad in [
            "javascript:alert(1)",
            "//evil.com",
            "http://evil.com",
            "https://user:pw@evil.com",
            "https://",
            "ftp://contoso.com",
            "https://evil.com\\@good.com",
            "https://a b.com",
        ] {
            assert!(!is_acceptable_redirect(bad), "{bad}");
        }
    }

    #[test]
    fn origins_drop_path_and_query() {
        assert_eq!(
            origin_of("http://127.0.0.1:8787/api/v1?x").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(origin_of("nope"), None);
    }

    #[test]
    fn a_request_url_splits_into_path_and_query() {
        assert_eq!(
            path_and_query("https://x.example/api/v1/t?a=1#f"),
            ("/api/v1/t", "a=1")
        );
        assert_eq!(path_and_query("http://127.0.0.1:8787/"), ("/", ""));
        assert_eq!(path_and_query("http://127.0.0.1:8787"), ("/", ""));
        assert_eq!(path_and_query("http://h/?tenantid=x"), ("/", "tenantid=x"));
    }

    #[test]
    fn query_pairs_decode_like_a_form() {
        assert_eq!(
            query_pairs("to=a%2Bb%40c.example&userType=Guest&x=one+two&flag&bad=%zz"),
            vec![
                ("to".into(), "a+b@c.example".into()),
                ("userType".into(), "Guest".into()),
                ("x".into(), "one two".into()),
                ("flag".into(), "".into()),
                ("bad".into(), "%zz".into()),
            ]
        );
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

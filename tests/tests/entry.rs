//! The Worker serves the SPA, and `/?tenantid=` lands on the tenant's pages.

use guestpass_e2e::*;

#[test]
fn tenantid_in_the_query_redirects_to_the_tenant_path() {
    let api = api();
    let tenant = api.new_tenant();
    let reply = api
        .get(&format!("/?tenantid={}", tenant.id), &[])
        .expect(302);
    assert_eq!(
        reply.header("location"),
        Some(format!("/{}/", tenant.id).as_str())
    );
    let by_domain = api
        .get(&format!("/?tenantid={}", tenant.domain.to_uppercase()), &[])
        .expect(302);
    assert_eq!(
        by_domain.header("location"),
        Some(format!("/{}/", tenant.domain).as_str())
    );
}

#[test]
fn a_tenantid_that_names_nothing_plausible_never_redirects() {
    let api = api();
    for bad in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "..", ""] {
        let reply = api.get(&format!("/?tenantid={bad}"), &[]);
        assert_eq!(reply.status, 200, "{bad}");
        assert!(reply.header("location").is_none());
    }
}

#[test]
fn the_spa_is_served_at_the_root_and_as_the_fallback_with_its_own_headers() {
    let api = api();
    for path in [
        "/",
        "/3f7c1c2e-8f1a-4d1e-9b7a-0c1d2e3f4a5b/sign-in",
        "/contoso.example/redeem?invitation=x",
    ] {
        let reply = api.get(path, &[]).expect(200);
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(
            reply.text.to_lowercase().starts_with("<!doctype html"),
            "{path}"
        );
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

//! Applications (OpenID Connect clients) on the real Worker: a Global Administrator registers
//! one, changes it, gives it secrets (shown once) and deletes it; bad redirect URIs and unknown
//! fields are refused without a trace; readers read and cannot change; each tenant's
//! applications are its own; "My apps" lists what a signed-in user may open.

use guestpass_e2e::{api, json, Api, Endpoint, Tenant};

fn applications(api: &Api, tenant: &Tenant) -> String {
    api.tenant_path(tenant, Endpoint::ListApplications)
}

fn one(api: &Api, tenant: &Tenant, id: &str) -> String {
    format!("{}/{id}", applications(api, tenant))
}

fn wiki() -> guestpass_e2e::Value {
    json!({"displayName": "Wiki", "redirectUris": ["https://wiki.example/callback"]})
}

#[test]
fn an_administrator_registers_an_application_gives_it_secrets_and_deletes_it() {
    let api = api();
    let tenant = api.new_tenant();
    let admin = api.admin_session(&tenant);
    let created = api
        .as_session(&admin, "POST", &applications(&api, &tenant), Some(&wiki()))
        .expect(201)
        .body;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        created["redirectUris"],
        json!(["https://wiki.example/callback"])
    );
    assert_eq!(created["idTokenSignedResponseAlg"], "ES256");
    assert_eq!(created["publicClient"], false);
    assert!(created["clientId"].is_string() && created["clientId"] != created["id"]);

    let patched = api
        .as_session(
            &admin,
            "PATCH",
            &one(&api, &tenant, &id),
            Some(&json!({"redirectUris": ["https://wiki.example/cb2", "http://localhost:8080/cb"], "assignmentRequired": true})),
        )
        .expect(200)
        .body;
    assert_eq!(patched["redirectUris"][1], "http://localhost:8080/cb");
    assert_eq!(patched["assignmentRequired"], true);
    assert_eq!(patched["displayName"], "Wiki");

    let secrets = format!("{}/secrets", one(&api, &tenant, &id));
    let secret = api
        .as_session(&admin, "POST", &secrets, None)
        .expect(201)
        .body;
    let text = secret["secretText"].as_str().unwrap();
    assert_eq!(text.len(), 43);
    let listed = api
        .as_session(&admin, "GET", &applications(&api, &tenant), None)
        .expect(200);
    assert_eq!(listed.body["value"][0]["secrets"][0]["id"], secret["id"]);
    assert!(!listed.text.contains(text), "the value is shown once only");

    let gone = format!("{secrets}/{}", secret["id"].as_str().unwrap());
    api.as_session(&admin, "DELETE", &gone, None).expect(204);
    api.as_session(&admin, "DELETE", &gone, None)
        .expect_error(404, "not_found");
    api.as_session(&admin, "DELETE", &one(&api, &tenant, &id), None)
        .expect(204);
    api.as_session(&admin, "GET", &one(&api, &tenant, &id), None)
        .expect_error(404, "not_found");
    let activities = api.directory_activities(&tenant);
    for activity in [
        "Add application",
        "Update application",
        "Add client secret",
        "Remove client secret",
        "Delete application",
    ] {
        assert!(activities.iter().any(|a| a == activity), "{activity}");
    }
}

#[test]
fn bad_redirect_uris_and_unknown_fields_are_refused_and_nothing_is_stored() {
    let api = api();
    let tenant = api.new_tenant();
    let path = applications(&api, &tenant);
    for uris in [
        json!(["http://wiki.example/callback"]),
        json!(["https://wiki.example/callback#frag"]),
        json!(["wiki.example/callback"]),
    ] {
        let body = json!({"displayName": "Wiki", "redirectUris": uris});
        api.as_operator("POST", &path, Some(&body))
            .expect_error(400, "validation_failed");
    }
    // A client cannot choose its own secret or id: unknown fields are refused.
    api.as_operator(
        "POST",
        &path,
        Some(&json!({"displayName": "Wiki", "clientSecret": "x"})),
    )
    .expect_error(400, "validation_failed");
    let listed = api.as_operator("GET", &path, None).expect(200).body;
    assert_eq!(listed["value"], json!([]));
}

#[test]
fn readers_read_applications_and_only_global_administrators_change_them() {
    let api = api();
    let tenant = api.new_tenant();
    let created = api
        .as_operator("POST", &applications(&api, &tenant), Some(&wiki()))
        .expect(201)
        .body;
    let app = one(&api, &tenant, created["id"].as_str().unwrap());
    let (_, reader) = api.member_session(&tenant, "gloria", &["GlobalReader"]);
    api.as_session(&reader, "GET", &app, None).expect(200);
    api.as_session(
        &reader,
        "PATCH",
        &app,
        Some(&json!({"displayName": "Mine"})),
    )
    .expect_error(403, "forbidden");
    api.as_session(&reader, "POST", &format!("{app}/secrets"), None)
        .expect_error(403, "forbidden");
    api.as_session(&reader, "DELETE", &app, None)
        .expect_error(403, "forbidden");
    let (_, member) = api.member_session(&tenant, "nora", &[]);
    api.as_session(&member, "GET", &app, None)
        .expect_error(403, "forbidden");
    api.as_operator("GET", &app, None).expect(200);
}

#[test]
fn a_tenants_applications_are_not_reachable_from_another_tenant() {
    let api = api();
    let contoso = api.new_tenant();
    let fabrikam = api.new_tenant();
    let created = api
        .as_operator("POST", &applications(&api, &contoso), Some(&wiki()))
        .expect(201)
        .body;
    let id = created["id"].as_str().unwrap();
    // Fabrikam's administrator, on Fabrikam's path and on Contoso's.
    let admin = api.admin_session(&fabrikam);
    api.as_session(&admin, "GET", &one(&api, &fabrikam, id), None)
        .expect_error(404, "not_found");
    let status = api
        .as_session(&admin, "GET", &one(&api, &contoso, id), None)
        .status;
    assert!(status == 401 || status == 403, "{status}");
}

#[test]
fn my_apps_lists_what_the_signed_in_guest_may_open_and_needs_a_session() {
    let api = api();
    let (tenant, email, guest_id) = api.tenant_with_guest("my-apps");
    let admin = api.admin_session(&tenant);
    let register = |body: guestpass_e2e::Value| {
        api.as_session(&admin, "POST", &applications(&api, &tenant), Some(&body))
            .expect(201);
    };
    register(
        json!({"displayName": "Wiki", "redirectUris": ["https://wiki.example/callback"],
                    "homePageUrl": "https://wiki.example/start"}),
    );
    register(
        json!({"displayName": "CRM", "redirectUris": ["https://crm.example/cb"],
                    "assignmentRequired": true, "assignments": [{"id": guest_id, "type": "user"}]}),
    );
    register(
        json!({"displayName": "Payroll", "redirectUris": ["https://pay.example/cb"],
                    "assignmentRequired": true, "assignments": [{"id": "finance", "type": "group"}]}),
    );
    let mine = api.tenant_path(&tenant, Endpoint::ListMyApplications);

    let cookie = api.sign_in_guest(&tenant, &email).session_cookie().unwrap();
    let listed = api.as_session(&cookie, "GET", &mine, None).expect(200).body;
    let names: Vec<(&str, &str)> = listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|app| {
            (
                app["displayName"].as_str().unwrap(),
                app["launchUrl"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("CRM", "https://crm.example/"),
            ("Wiki", "https://wiki.example/start")
        ],
        "assigned to the guest or open to everyone; Payroll is the finance group's"
    );
    assert!(
        listed["value"][0].get("clientId").is_none(),
        "nothing but the name and the link"
    );
    api.get(&mine, &[]).expect_error(401, "unauthorized");
}

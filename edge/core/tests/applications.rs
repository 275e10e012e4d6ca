//! Applications (OpenID Connect clients): registered with exact redirect URIs, changed and
//! deleted by Global Administrators only, client secrets shown once and kept as keyed hashes,
//! every change in the directory log, and each tenant's applications its own.

mod support;

use guestpass_core::audit::{self, DirectoryQuery};
use guestpass_core::context::Credentials;
use guestpass_core::memory::run;
use guestpass_core::oidc::application;
use guestpass_core::DomainError;
use guestpass_wire::application::{
    Application, ApplicationPatch, Assignment, AssignmentType, CreateApplicationRequest,
    IdTokenAlgorithm, MAX_CLIENT_SECRETS,
};
use guestpass_wire::Role;
use support::*;

fn wiki() -> CreateApplicationRequest {
    CreateApplicationRequest {
        display_name: " Wiki ".into(),
        redirect_uris: vec![
            "https://wiki.contoso.example/callback".into(),
            "https://wiki.contoso.example/callback".into(),
            "http://localhost:3000/callback".into(),
        ],
        ..Default::default()
    }
}

fn create(
    world: &World,
    org: &Org,
    credentials: guestpass_core::context::Credentials<'_>,
    request: &CreateApplicationRequest,
) -> Result<Application, DomainError> {
    run(application::create(
        &world.cx(),
        credentials,
        &world.tenant(&org.id),
        request,
    ))
}

fn forbidden<T>(result: Result<T, DomainError>) -> bool {
    matches!(result, Err(DomainError::Forbidden(_)))
}

fn field_of(error: DomainError) -> String {
    match error {
        DomainError::Validation { target, .. } => target.to_string(),
        other => panic!("not a validation error: {other:?}"),
    }
}

#[test]
fn an_application_is_registered_with_its_own_ids_and_read_back_as_stored() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let app = create(&world, &org, operator(), &wiki()).unwrap();
    assert_eq!(app.display_name, "Wiki", "trimmed");
    assert_eq!(
        app.redirect_uris,
        [
            "https://wiki.contoso.example/callback",
            "http://localhost:3000/callback"
        ],
        "each once"
    );
    assert_ne!(app.id, app.client_id);
    assert_eq!(app.id_token_signed_response_alg, IdTokenAlgorithm::Es256);
    assert!(app.secrets.is_empty() && !app.public_client);
    let tenant = world.tenant(&org.id);
    assert_eq!(
        run(application::get(&world.cx(), operator(), &tenant, &app.id)).unwrap(),
        app
    );
    let listed = run(application::list(&world.cx(), operator(), &tenant)).unwrap();
    assert_eq!(listed.value, std::slice::from_ref(&app));
    let found = run(world
        .cx()
        .directory()
        .application_by_client_id(&org.id, &app.client_id))
    .unwrap()
    .expect("the client id finds it");
    assert_eq!(found.id, app.id);
}

#[test]
fn redirect_uris_names_and_assignments_are_checked() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    for (uris, why) in [
        (vec!["http://wiki.contoso.example/cb"], "http off loopback"),
        (vec!["https://wiki.contoso.example/cb#done"], "a fragment"),
        (vec!["/cb"], "relative"),
    ] {
        let request = CreateApplicationRequest {
            redirect_uris: uris.iter().map(|u| u.to_string()).collect(),
            ..wiki()
        };
        let error = create(&world, &org, operator(), &request).unwrap_err();
        assert_eq!(field_of(error), "redirectUris", "{why}");
    }
    let too_many = CreateApplicationRequest {
        redirect_uris: (0..21)
            .map(|i| format!("https://wiki.contoso.example/cb{i}"))
            .collect(),
        ..wiki()
    };
    assert_eq!(
        field_of(create(&world, &org, operator(), &too_many).unwrap_err()),
        "redirectUris"
    );
    let nameless = CreateApplicationRequest {
        display_name: "  ".into(),
        ..wiki()
    };
    assert_eq!(
        field_of(create(&world, &org, operator(), &nameless).unwrap_err()),
        "displayName"
    );
    let nobody = CreateApplicationRequest {
        assignments: vec![Assignment {
            id: "00000000-0000-4000-8000-000000000000".into(),
            kind: AssignmentType::User,
        }],
        ..wiki()
    };
    assert_eq!(
        field_of(create(&world, &org, operator(), &nobody).unwrap_err()),
        "assignments",
        "a user who is not in the tenant"
    );
    let member = world.add_member(&org, "megan", &[]);
    let assigned = CreateApplicationRequest {
        assignment_required: true,
        assignments: vec![
            Assignment {
                id: member.id.clone(),
                kind: AssignmentType::User,
            },
            Assignment {
                id: "Finance".into(),
                kind: AssignmentType::Group,
            },
        ],
        ..wiki()
    };
    let app = create(&world, &org, operator(), &assigned).unwrap();
    assert!(app.assignment_required);
    assert_eq!(app.assignments.len(), 2);
    assert!(
        run(world.cx().directory().applications(&org.id))
            .unwrap()
            .len()
            == 1,
        "nothing refused was stored"
    );
}

#[test]
fn a_secret_is_shown_once_kept_as_a_hash_and_matches_until_deleted() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let app = create(&world, &org, operator(), &wiki()).unwrap();
    let first = run(application::add_secret(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
    ))
    .unwrap();
    assert_eq!(first.secret_text.len(), 43, "256 bits, base64url");
    assert!(first.secret_text.starts_with(&first.hint));
    let second = run(application::add_secret(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
    ))
    .unwrap();
    assert_ne!(first.secret_text, second.secret_text);

    let stored = run(world.cx().directory().application(&org.id, &app.id))
        .unwrap()
        .unwrap();
    let raw = serde_json::to_string(&stored).unwrap();
    assert!(
        !raw.contains(&first.secret_text) && !raw.contains(&second.secret_text),
        "no secret is stored in clear"
    );
    let keys = &world.cx().settings.keys;
    assert!(stored.secret_matches(keys, &first.secret_text));
    assert!(
        stored.secret_matches(keys, &second.secret_text),
        "both valid while clients move over"
    );
    assert!(!stored.secret_matches(keys, "not-the-secret"));
    let viewed = run(application::get(&world.cx(), operator(), &tenant, &app.id)).unwrap();
    assert_eq!(viewed.secrets.len(), 2);
    assert!(!serde_json::to_string(&viewed)
        .unwrap()
        .contains(&first.secret_text));

    run(application::remove_secret(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
        &first.id,
    ))
    .unwrap();
    let stored = run(world.cx().directory().application(&org.id, &app.id))
        .unwrap()
        .unwrap();
    assert!(!stored.secret_matches(keys, &first.secret_text));
    assert!(stored.secret_matches(keys, &second.secret_text));
    assert_eq!(
        run(application::remove_secret(
            &world.cx(),
            operator(),
            &tenant,
            &app.id,
            &first.id
        )),
        Err(DomainError::SecretNotFound)
    );

    // A secret is bound to its application: the same value means nothing to another one.
    let other = create(&world, &org, operator(), &wiki()).unwrap();
    let other = run(world.cx().directory().application(&org.id, &other.id))
        .unwrap()
        .unwrap();
    assert!(!other.secret_matches(keys, &second.secret_text));
}

#[test]
fn public_clients_have_no_secrets_and_an_application_holds_a_bounded_number() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let public = create(
        &world,
        &org,
        operator(),
        &CreateApplicationRequest {
            public_client: true,
            ..wiki()
        },
    )
    .unwrap();
    let error = run(application::add_secret(
        &world.cx(),
        operator(),
        &tenant,
        &public.id,
    ));
    assert_eq!(field_of(error.unwrap_err()), "publicClient");

    let app = create(&world, &org, operator(), &wiki()).unwrap();
    for _ in 0..MAX_CLIENT_SECRETS {
        run(application::add_secret(
            &world.cx(),
            operator(),
            &tenant,
            &app.id,
        ))
        .unwrap();
    }
    let error = run(application::add_secret(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
    ));
    assert_eq!(field_of(error.unwrap_err()), "secrets");

    // Becoming public drops the secrets: they would no longer be asked for.
    let patch = ApplicationPatch {
        public_client: Some(true),
        ..Default::default()
    };
    let patched = run(application::patch(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
        &patch,
    ))
    .unwrap();
    assert!(patched.public_client && patched.secrets.is_empty());
}

#[test]
fn a_patch_changes_only_what_it_names_and_a_deleted_application_is_gone_with_its_client_id() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let app = create(&world, &org, operator(), &wiki()).unwrap();
    let patch = ApplicationPatch {
        redirect_uris: Some(vec!["https://wiki.contoso.example/new".into()]),
        id_token_signed_response_alg: Some(IdTokenAlgorithm::Rs256),
        ..Default::default()
    };
    let patched = run(application::patch(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
        &patch,
    ))
    .unwrap();
    assert_eq!(patched.redirect_uris, ["https://wiki.contoso.example/new"]);
    assert_eq!(
        patched.id_token_signed_response_alg,
        IdTokenAlgorithm::Rs256
    );
    assert_eq!(
        (patched.display_name.as_str(), patched.client_id.as_str()),
        ("Wiki", app.client_id.as_str())
    );
    let bad = ApplicationPatch {
        post_logout_redirect_uris: Some(vec!["http://evil.example/".into()]),
        ..Default::default()
    };
    let error = run(application::patch(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
        &bad,
    ));
    assert_eq!(field_of(error.unwrap_err()), "postLogoutRedirectUris");
    assert_eq!(
        run(application::get(&world.cx(), operator(), &tenant, &app.id)).unwrap(),
        patched,
        "a refused patch changes nothing"
    );

    run(application::delete(
        &world.cx(),
        operator(),
        &tenant,
        &app.id,
    ))
    .unwrap();
    assert_eq!(
        run(application::get(&world.cx(), operator(), &tenant, &app.id)),
        Err(DomainError::ApplicationNotFound)
    );
    assert!(run(world
        .cx()
        .directory()
        .application_by_client_id(&org.id, &app.client_id))
    .unwrap()
    .is_none());
    assert_eq!(
        run(application::delete(
            &world.cx(),
            operator(),
            &tenant,
            &app.id
        )),
        Err(DomainError::ApplicationNotFound)
    );
    let log = run(audit::directory_changes(
        &world.cx(),
        operator(),
        &tenant,
        DirectoryQuery::default(),
    ))
    .unwrap();
    let activities: Vec<&str> = log.value.iter().map(|e| e.activity.as_str()).collect();
    for activity in [
        "Add application",
        "Update application",
        "Delete application",
    ] {
        assert!(
            activities.contains(&activity),
            "{activity} in {activities:?}"
        );
    }
}

#[test]
fn only_global_administrators_change_applications_and_every_administrator_reads_them() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let app = create(&world, &org, operator(), &wiki()).unwrap();
    let admin = world.admin_cookie(&org);
    create(&world, &org, with_cookie(&admin), &wiki()).expect("a Global Administrator registers");
    for role in [
        Role::GlobalReader,
        Role::AuthenticationPolicyAdministrator,
        Role::PrivilegedAuthenticationAdministrator,
    ] {
        let (_, cookie) =
            world.member_signed_in(&org, &format!("{role:?}").to_lowercase(), &[role]);
        let reads = run(application::get(
            &world.cx(),
            with_cookie(&cookie),
            &tenant,
            &app.id,
        ));
        assert!(reads.is_ok(), "{role:?} reads");
        assert!(
            forbidden(create(&world, &org, with_cookie(&cookie), &wiki())),
            "{role:?}"
        );
        assert!(
            forbidden(run(application::add_secret(
                &world.cx(),
                with_cookie(&cookie),
                &tenant,
                &app.id
            ))),
            "{role:?}"
        );
        assert!(
            forbidden(run(application::delete(
                &world.cx(),
                with_cookie(&cookie),
                &tenant,
                &app.id
            ))),
            "{role:?}"
        );
    }
    let (_, plain) = world.member_signed_in(&org, "nora", &[]);
    assert!(
        run(application::list(&world.cx(), with_cookie(&plain), &tenant)).is_err(),
        "a member without a role"
    );
}

#[test]
fn a_tenants_applications_are_its_own() {
    let world = World::new();
    let contoso = world.create_tenant("contoso.example");
    let fabrikam = world.create_tenant("fabrikam.example");
    let app = create(&world, &contoso, operator(), &wiki()).unwrap();
    let elsewhere = world.tenant(&fabrikam.id);
    assert_eq!(
        run(application::get(
            &world.cx(),
            operator(),
            &elsewhere,
            &app.id
        )),
        Err(DomainError::ApplicationNotFound)
    );
    assert!(run(application::list(&world.cx(), operator(), &elsewhere))
        .unwrap()
        .value
        .is_empty());
    assert!(run(world
        .cx()
        .directory()
        .application_by_client_id(&fabrikam.id, &app.client_id))
    .unwrap()
    .is_none());
    // Contoso's administrator cannot reach into Fabrikam either.
    let admin = world.admin_cookie(&contoso);
    assert!(run(application::list(
        &world.cx(),
        with_cookie(&admin),
        &elsewhere
    ))
    .is_err());
}

#[test]
fn my_apps_lists_by_name_what_the_user_may_open_and_where_it_opens() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    world.invite(&org, "ana@guests.example");
    let guest_cookie = world.sign_in_guest(&org, "ana@guests.example");
    let guest_id = world.tenant_user_id(&org, "ana@guests.example");
    let finance = world.add_member_in_groups(&org, "fred", &[], &["Finance"]);
    let member_cookie = world.pass_session(&org, &finance);
    let register = |name: &str, uris: &[&str], home: Option<&str>, assigned: &[Assignment]| {
        let request = CreateApplicationRequest {
            display_name: name.into(),
            redirect_uris: uris.iter().map(|u| u.to_string()).collect(),
            home_page_url: home.map(str::to_string),
            assignment_required: !assigned.is_empty(),
            assignments: assigned.to_vec(),
            ..Default::default()
        };
        create(&world, &org, operator(), &request).unwrap()
    };
    register(
        "Wiki",
        &["https://wiki.contoso.example/auth/cb"],
        Some("https://wiki.contoso.example/start"),
        &[],
    );
    register(
        "atlas",
        &["https://atlas.contoso.example:8443/cb?x=1"],
        None,
        &[],
    );
    let group = Assignment {
        id: "finance".into(),
        kind: AssignmentType::Group,
    };
    register(
        "Payroll",
        &["https://pay.contoso.example/cb"],
        None,
        &[group],
    );
    let user = Assignment {
        id: guest_id,
        kind: AssignmentType::User,
    };
    register("CRM", &["https://crm.contoso.example/cb"], None, &[user]);
    register("Nowhere", &[], None, &[]);

    let mine = |cookie: &str| -> Vec<(String, String)> {
        run(application::mine(&world.cx(), with_cookie(cookie), &tenant))
            .unwrap()
            .value
            .into_iter()
            .map(|app| (app.display_name, app.launch_url))
            .collect()
    };
    let pair = |name: &str, url: &str| (name.to_string(), url.to_string());
    assert_eq!(
        mine(&guest_cookie),
        [
            pair("atlas", "https://atlas.contoso.example:8443/"),
            pair("CRM", "https://crm.contoso.example/"),
            pair("Wiki", "https://wiki.contoso.example/start"),
        ],
        "the guest's: assigned by id, open to everyone; by name whatever the case"
    );
    assert_eq!(
        mine(&member_cookie),
        [
            pair("atlas", "https://atlas.contoso.example:8443/"),
            pair("Payroll", "https://pay.contoso.example/"),
            pair("Wiki", "https://wiki.contoso.example/start"),
        ],
        "the member's: through a group named in another case"
    );
    assert!(matches!(
        run(application::mine(
            &world.cx(),
            Credentials::default(),
            &tenant
        )),
        Err(DomainError::NotSignedIn)
    ));
    // A one-time pass's registration session may add a passkey, not open applications.
    let newcomer = world.add_member(&org, "nina", &[]);
    let admin = world.admin_cookie(&org);
    let once = guestpass_wire::tap::CreatePassRequest {
        is_usable_once: Some(true),
        ..Default::default()
    };
    let pass = world
        .create_pass(&org, with_cookie(&admin), &newcomer.id, &once)
        .unwrap()
        .temporary_access_pass
        .unwrap();
    let signed_in = world.pass_sign_in(&org, &newcomer.user_principal_name, &pass);
    let registration = cookie(&signed_in.unwrap());
    assert!(forbidden(run(application::mine(
        &world.cx(),
        with_cookie(&registration),
        &tenant
    ))));
    // Another organization's session lists nothing here.
    let fabrikam = world.create_tenant("fabrikam.example");
    world.invite(&fabrikam, "ana@guests.example");
    let elsewhere = world.sign_in_guest(&fabrikam, "ana@guests.example");
    assert!(run(application::mine(
        &world.cx(),
        with_cookie(&elsewhere),
        &tenant
    ))
    .is_err());
}

#[test]
fn a_home_page_is_an_https_url_and_an_empty_one_removes_it() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let mut request = wiki();
    request.home_page_url = Some("javascript:alert(1)".into());
    assert_eq!(
        field_of(create(&world, &org, operator(), &request).unwrap_err()),
        "homePageUrl"
    );
    request.home_page_url = Some(" https://wiki.contoso.example/ ".into());
    let app = create(&world, &org, operator(), &request).unwrap();
    assert_eq!(
        app.home_page_url.as_deref(),
        Some("https://wiki.contoso.example/")
    );
    let patch = |url: &str| {
        let patch = ApplicationPatch {
            home_page_url: Some(url.into()),
            ..Default::default()
        };
        run(application::patch(
            &world.cx(),
            operator(),
            &tenant,
            &app.id,
            &patch,
        ))
    };
    assert_eq!(
        field_of(patch("http://wiki.contoso.example/").unwrap_err()),
        "homePageUrl"
    );
    assert_eq!(patch("").unwrap().home_page_url, None);
}

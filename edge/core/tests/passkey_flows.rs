//! Passkeys as members use them, natively: register in a registration session, sign in with the
//! passkey (username first, or discoverable), and every way it must not work — a replayed or
//! expired challenge, another tenant, a deleted passkey, a guest, the policy.

#[path = "support/authenticator.rs"]
mod authenticator;
mod support;

use authenticator::{Authenticator, Key, BE, BS, UP, UV};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_core::ids::format_uuid;
use guestpass_core::memory::run;
use guestpass_core::passkey::{admin, register, sign_in};
use guestpass_core::ports::AuditLog;
use guestpass_core::session::SignedIn;
use guestpass_core::time::MINUTE;
use guestpass_core::DomainError;
use guestpass_wire::passkey::{
    AaGuidRestriction, AssertionResponse, AttestationResponse, AuthenticationCredential,
    PasskeyMethod, PasskeyOptionsRequest, PasskeyPolicyPatch, PasskeySignInRequest,
    RegisterPasskeyRequest, RegistrationCredential, RenamePasskeyRequest,
};
use guestpass_wire::tap::{CreatePassRequest, PolicyState};
use guestpass_wire::{AuthenticationMethod, DomainMode, SessionScope, User};
use support::*;

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A member, signed in with a one-time pass: a ten-minute registration session.
fn member_in_registration(world: &World, org: &Org, name: &str) -> (User, String) {
    let member = world.add_member(org, name, &[]);
    let admin = world.admin_cookie(org);
    let pass = world
        .create_pass(
            org,
            with_cookie(&admin),
            &member.id,
            &CreatePassRequest {
                is_usable_once: Some(true),
                ..Default::default()
            },
        )
        .unwrap()
        .temporary_access_pass
        .unwrap();
    let signed_in = world
        .pass_sign_in(org, &member.user_principal_name, &pass)
        .unwrap();
    assert_eq!(signed_in.body.session.scope, SessionScope::Registration);
    (member, cookie(&signed_in))
}

/// The member's authenticator, for this deployment's origin.
fn authenticator_of(member: &User, key: Key) -> Authenticator {
    let mut authenticator = Authenticator::new(key);
    authenticator.rp_id = "id.example".into();
    authenticator.origin = ORIGIN.into();
    authenticator.user_handle = member.id.as_bytes().to_vec();
    authenticator
}

fn register_with(
    world: &World,
    org: &Org,
    cookie: &str,
    authenticator: &Authenticator,
) -> Result<PasskeyMethod, DomainError> {
    let tenant = world.tenant(&org.id);
    let options = run(register::registration_options(
        &world.cx(),
        with_cookie(cookie),
        &tenant,
    ))?;
    let challenge = URL_SAFE_NO_PAD.decode(&options.challenge).unwrap();
    let created = authenticator.register(&challenge);
    let request = registration_request(authenticator, &created);
    run(register::register(
        &world.cx(),
        with_cookie(cookie),
        &tenant,
        &request,
    ))
}

fn registration_request(
    authenticator: &Authenticator,
    created: &authenticator::Created,
) -> RegisterPasskeyRequest {
    RegisterPasskeyRequest {
        display_name: "Laptop".into(),
        credential: RegistrationCredential {
            id: b64(&authenticator.credential_id),
            raw_id: b64(&authenticator.credential_id),
            kind: "public-key".into(),
            response: AttestationResponse {
                client_data_json: b64(&created.client_data_json),
                attestation_object: b64(&created.attestation_object),
                transports: vec!["internal".into()],
            },
            authenticator_attachment: Some("platform".into()),
        },
    }
}

/// Options, then the authenticator's assertion, as the sign-in screen does.
fn assertion(
    world: &World,
    org: &Org,
    username: Option<&str>,
    authenticator: &mut Authenticator,
) -> PasskeySignInRequest {
    let tenant = world.tenant(&org.id);
    let request = PasskeyOptionsRequest {
        username: username.map(String::from),
    };
    let options = run(sign_in::options(&world.cx(), &tenant, &request)).unwrap();
    assert!(options.allow_credentials.is_empty());
    let challenge = URL_SAFE_NO_PAD.decode(&options.challenge).unwrap();
    let signed = authenticator.assert(&challenge);
    PasskeySignInRequest {
        username: username.map(String::from),
        credential: AuthenticationCredential {
            id: b64(&authenticator.credential_id),
            raw_id: b64(&authenticator.credential_id),
            kind: "public-key".into(),
            response: AssertionResponse {
                client_data_json: b64(&signed.client_data_json),
                authenticator_data: b64(&signed.authenticator_data),
                signature: b64(&signed.signature),
                user_handle: signed.user_handle.as_deref().map(b64),
            },
            authenticator_attachment: None,
        },
    }
}

fn passkey_sign_in(
    world: &World,
    org: &Org,
    request: &PasskeySignInRequest,
) -> Result<SignedIn, DomainError> {
    run(sign_in::sign_in(
        &world.cx(),
        &world.tenant(&org.id),
        request,
    ))
}

fn reasons(world: &World, org: &Org) -> Vec<String> {
    let (lines, _) = run(world.ports.log.sign_ins(&org.id, None)).unwrap();
    lines
        .iter()
        .filter(|l| l.authentication_method == AuthenticationMethod::Passkey)
        .map(|l| format!("{} {} {}", l.step, l.outcome, l.reason))
        .collect()
}

#[test]
fn a_member_registers_a_passkey_with_a_one_time_pass_and_signs_in_with_it_for_a_full_day() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (amelie, registration) = member_in_registration(&world, &org, "amelie");
    let mut authenticator = authenticator_of(&amelie, Key::p256(1));
    let method = register_with(&world, &org, &registration, &authenticator).unwrap();
    assert_eq!(method.display_name, "Laptop");
    assert!(method.backup_eligible && method.backed_up && !method.possibly_cloned);

    // Username first.
    let request = assertion(
        &world,
        &org,
        Some(&amelie.user_principal_name),
        &mut authenticator,
    );
    let signed_in = passkey_sign_in(&world, &org, &request).unwrap();
    let session = &signed_in.body.session;
    assert_eq!(session.authentication_method, AuthenticationMethod::Passkey);
    assert_eq!(session.scope, SessionScope::Full);
    assert_eq!(session.user.id, amelie.id);
    let full = cookie(&signed_in);
    assert!(world.session(&org, &full).is_ok());

    // Discoverable (autofill): no username, the user handle names her.
    world.advance(MINUTE);
    let request = assertion(&world, &org, None, &mut authenticator);
    assert!(passkey_sign_in(&world, &org, &request).is_ok());

    // Her list shows the last use.
    let listed = run(register::list_own(
        &world.cx(),
        with_cookie(&full),
        &world.tenant(&org.id),
    ))
    .unwrap();
    assert_eq!(listed.value.len(), 1);
    assert!(listed.value[0].last_used_date_time.is_some());
    assert_eq!(
        reasons(&world, &org),
        [
            "passkey success ok",
            "passkey success ok",
            "register success ok"
        ]
    );
}

#[test]
fn each_algorithm_registers_and_signs_in() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    for (name, key) in [("ed", Key::ed25519(4)), ("rsa", Key::rsa())] {
        let (member, registration) = member_in_registration(&world, &org, name);
        let mut authenticator = authenticator_of(&member, key);
        authenticator.credential_id = name.as_bytes().repeat(8);
        register_with(&world, &org, &registration, &authenticator).unwrap();
        let request = assertion(&world, &org, None, &mut authenticator);
        assert!(passkey_sign_in(&world, &org, &request).is_ok(), "{name}");
    }
}

#[test]
fn a_replayed_or_expired_challenge_is_refused() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (amelie, registration) = member_in_registration(&world, &org, "amelie");
    let mut authenticator = authenticator_of(&amelie, Key::p256(1));
    let tenant = world.tenant(&org.id);
    let options = run(register::registration_options(
        &world.cx(),
        with_cookie(&registration),
        &tenant,
    ))
    .unwrap();
    let created = authenticator.register(&URL_SAFE_NO_PAD.decode(&options.challenge).unwrap());
    let request = registration_request(&authenticator, &created);
    run(register::register(
        &world.cx(),
        with_cookie(&registration),
        &tenant,
        &request,
    ))
    .unwrap();
    // The same registration again: its challenge is used.
    let again = run(register::register(
        &world.cx(),
        with_cookie(&registration),
        &tenant,
        &request,
    ));
    assert_eq!(
        again,
        Err(DomainError::PasskeyNotAccepted("challenge_used"))
    );

    let request = assertion(&world, &org, None, &mut authenticator);
    assert!(passkey_sign_in(&world, &org, &request).is_ok());
    assert_eq!(
        passkey_sign_in(&world, &org, &request).map(|_| ()),
        Err(DomainError::PasskeyNotRecognized("challenge_used"))
    );
    let late = assertion(&world, &org, None, &mut authenticator);
    world.advance(5 * MINUTE);
    assert_eq!(
        passkey_sign_in(&world, &org, &late).map(|_| ()),
        Err(DomainError::PasskeyNotRecognized("challenge_expired"))
    );
}

#[test]
fn a_challenge_used_before_the_tenants_guard_shards_changed_stays_used_after() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    let (amelie, registration) = member_in_registration(&world, &org, "amelie");
    let mut authenticator = authenticator_of(&amelie, Key::p256(1));
    register_with(&world, &org, &registration, &authenticator).unwrap();
    for _ in 0..6 {
        world.set_guard_shards(&org, 8);
        let request = assertion(&world, &org, None, &mut authenticator);
        assert!(passkey_sign_in(&world, &org, &request).is_ok());
        // The challenge names the shard that used it up, whatever the count is now.
        world.set_guard_shards(&org, 1);
        assert_eq!(
            passkey_sign_in(&world, &org, &request).map(|_| ()),
            Err(DomainError::PasskeyNotRecognized("challenge_used"))
        );
    }
    let instances: std::collections::BTreeSet<String> = world
        .ports
        .guard
        .calls()
        .into_iter()
        .filter(|(_, c)| matches!(c, guestpass_core::guard::GuardCommand::Challenge { .. }))
        .map(|(instance, _)| instance)
        .collect();
    assert!(instances.len() > 1, "{instances:?}");
}

#[test]
fn a_passkey_of_one_tenant_or_member_does_not_sign_in_elsewhere() {
    let world = World::new();
    let contoso = world.create_tenant("contoso.example");
    let fabrikam = world.create_tenant("fabrikam.example");
    let (amelie, registration) = member_in_registration(&world, &contoso, "amelie");
    let mut authenticator = authenticator_of(&amelie, Key::p256(1));
    register_with(&world, &contoso, &registration, &authenticator).unwrap();
    let request = assertion(&world, &fabrikam, None, &mut authenticator);
    assert_eq!(
        passkey_sign_in(&world, &fabrikam, &request).map(|_| ()),
        Err(DomainError::PasskeyNotRecognized("unknown_credential"))
    );
    // Contoso's options, answered in Fabrikam: the challenge is bound to its tenant.
    let mut crossed = assertion(&world, &contoso, None, &mut authenticator);
    crossed.username = None;
    assert_eq!(
        passkey_sign_in(&world, &fabrikam, &crossed).map(|_| ()),
        Err(DomainError::PasskeyNotRecognized("challenge_invalid"))
    );
    // Username first with someone else's name.
    world.add_member(&contoso, "bob", &[]);
    let request = assertion(
        &world,
        &contoso,
        Some("bob@contoso.example"),
        &mut authenticator,
    );
    assert_eq!(
        passkey_sign_in(&world, &contoso, &request).map(|_| ()),
        Err(DomainError::PasskeyNotRecognized("other_user"))
    );
}

#[test]
fn a_deleted_passkey_stops_signing_in_and_its_sessions_end() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (amelie, registration) = member_in_registration(&world, &org, "amelie");
    let mut authenticator = authenticator_of(&amelie, Key::p256(1));
    let method = register_with(&world, &org, &registration, &authenticator).unwrap();
    let request = assertion(&world, &org, None, &mut authenticator);
    let session = cookie(&passkey_sign_in(&world, &org, &request).unwrap());
    let tenant = world.tenant(&org.id);
    let admin = world.admin_cookie(&org);
    let listed = run(admin::list(
        &world.cx(),
        with_cookie(&admin),
        &tenant,
        &amelie.id,
    ))
    .unwrap();
    assert_eq!(
        listed.value,
        [method.clone()].map(|mut m| {
            m.last_used_date_time = listed.value[0].last_used_date_time.clone();
            m
        })
    );
    world.advance(1000);
    run(admin::delete(
        &world.cx(),
        with_cookie(&admin),
        &tenant,
        &amelie.id,
        &method.id,
    ))
    .unwrap();
    assert!(world.session(&org, &session).is_err(), "her sessions ended");
    let request = assertion(&world, &org, None, &mut authenticator);
    assert_eq!(
        passkey_sign_in(&world, &org, &request).map(|_| ()),
        Err(DomainError::PasskeyNotRecognized("unknown_credential"))
    );
}

#[test]
fn guests_cannot_register_a_passkey() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "gita@fabrikam.example");
    let guest = world.sign_in_guest(&org, "gita@fabrikam.example");
    let tenant = world.tenant(&org.id);
    let refused = run(register::registration_options(
        &world.cx(),
        with_cookie(&guest),
        &tenant,
    ));
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
}

#[test]
fn the_policy_blocks_a_model_turns_passkeys_off_and_may_refuse_clones() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = world.admin_cookie(&org);
    let patch = |patch: PasskeyPolicyPatch| {
        run(admin::patch_policy(
            &world.cx(),
            with_cookie(&admin),
            world.tenant(&org.id),
            &patch,
        ))
        .unwrap()
    };
    // The test authenticator's model, upper-case as an administrator might paste it.
    let aaguid = format_uuid(&authenticator::AAGUID).to_uppercase();
    patch(PasskeyPolicyPatch {
        aa_guid_restriction: Some(AaGuidRestriction {
            mode: DomainMode::BlockList,
            aa_guids: vec![aaguid],
        }),
        ..Default::default()
    });
    let (amelie, registration) = member_in_registration(&world, &org, "amelie");
    let mut authenticator = authenticator_of(&amelie, Key::p256(1));
    assert_eq!(
        register_with(&world, &org, &registration, &authenticator),
        Err(DomainError::PasskeyNotAllowed("authenticator_model"))
    );
    patch(PasskeyPolicyPatch {
        aa_guid_restriction: Some(AaGuidRestriction::default()),
        refuse_possible_clones: Some(true),
        ..Default::default()
    });
    authenticator.sign_count = 10;
    register_with(&world, &org, &registration, &authenticator).unwrap();
    // A copy of the key that lags behind: the count does not grow.
    authenticator.sign_count = 9;
    let request = assertion(&world, &org, None, &mut authenticator);
    assert_eq!(
        passkey_sign_in(&world, &org, &request).map(|_| ()),
        Err(DomainError::PasskeyNotAllowed("possible_clone"))
    );
    let listed = run(admin::list(
        &world.cx(),
        with_cookie(&admin),
        &world.tenant(&org.id),
        &amelie.id,
    ))
    .unwrap();
    assert!(
        listed.value[0].possibly_cloned,
        "the flag stays on the passkey"
    );

    patch(PasskeyPolicyPatch {
        state: Some(PolicyState::Disabled),
        ..Default::default()
    });
    let tenant = world.tenant(&org.id);
    assert_eq!(
        run(sign_in::options(
            &world.cx(),
            &tenant,
            &PasskeyOptionsRequest::default()
        ))
        .map(|_| ()),
        Err(DomainError::PasskeyNotAllowed("disabled"))
    );
}

#[test]
fn a_member_renames_and_deletes_her_own_passkeys() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (amelie, registration) = member_in_registration(&world, &org, "amelie");
    let authenticator = authenticator_of(&amelie, Key::p256(1));
    let method = register_with(&world, &org, &registration, &authenticator).unwrap();
    let tenant = world.tenant(&org.id);
    let rename = |name: &str| {
        run(register::rename_own(
            &world.cx(),
            with_cookie(&registration),
            &tenant,
            &method.id,
            &RenamePasskeyRequest {
                display_name: name.into(),
            },
        ))
    };
    assert_eq!(rename("  Phone ").unwrap().display_name, "Phone");
    assert!(matches!(
        rename(" "),
        Err(DomainError::Validation {
            target: "displayName",
            ..
        })
    ));
    run(register::delete_own(
        &world.cx(),
        with_cookie(&registration),
        &tenant,
        &method.id,
    ))
    .unwrap();
    assert_eq!(
        run(register::delete_own(
            &world.cx(),
            with_cookie(&registration),
            &tenant,
            &method.id
        )),
        Err(DomainError::PasskeyNotFound)
    );
    let listed = run(register::list_own(
        &world.cx(),
        with_cookie(&registration),
        &tenant,
    ))
    .unwrap();
    assert!(listed.value.is_empty());
}

#[test]
fn an_application_is_told_swk_for_a_synced_passkey_and_hwk_for_a_device_bound_one() {
    use guestpass_core::oidc::provider::{self, Answer};
    use guestpass_core::oidc::{application, signing};
    use guestpass_core::url::{encode_component, query_pairs};
    const CALLBACK: &str = "https://wiki.contoso.example/callback";
    // RFC 7636 Appendix B's verifier and its S256 challenge.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let request = guestpass_wire::application::CreateApplicationRequest {
        display_name: "Wiki".into(),
        redirect_uris: vec![CALLBACK.into()],
        public_client: true,
        ..Default::default()
    };
    let app = run(application::create(
        &world.cx(),
        operator(),
        &tenant,
        &request,
    ))
    .unwrap();
    for (seed, flags, amr) in [(1u8, UP | UV | BE | BS, "swk"), (2, UP | UV, "hwk")] {
        let (member, registration) = member_in_registration(&world, &org, &format!("m{seed}"));
        let mut authenticator = authenticator_of(&member, Key::p256(seed));
        authenticator.credential_id = vec![seed; 32];
        authenticator.flags = flags;
        register_with(&world, &org, &registration, &authenticator).unwrap();
        let request = assertion(
            &world,
            &org,
            Some(&member.user_principal_name),
            &mut authenticator,
        );
        let full = cookie(&passkey_sign_in(&world, &org, &request).unwrap());
        let query = format!(
            "response_type=code&client_id={}&redirect_uri={}&scope=openid\
             &code_challenge={CHALLENGE}&code_challenge_method=S256",
            app.client_id,
            encode_component(CALLBACK)
        );
        let answer = run(provider::authorize(
            &world.cx(),
            with_cookie(&full),
            &tenant,
            &query,
        ));
        let Ok(Answer::Redirect(url)) = answer else {
            panic!("{answer:?}")
        };
        let code = query_pairs(url.split_once('?').unwrap().1)
            .into_iter()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1;
        let form = format!(
            "grant_type=authorization_code&client_id={}&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
            app.client_id,
            encode_component(CALLBACK)
        );
        let tokens = run(provider::token(&world.cx(), &tenant, None, &form))
            .unwrap()
            .expect("tokens");
        let payload = signing::parse(&tokens.id_token).unwrap().payload;
        let claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(claims["amr"], serde_json::json!([amr]), "flags {flags:#x}");
    }
}

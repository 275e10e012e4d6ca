//! A Worker with `ENVIRONMENT=production`: no development outbox, and sign-in still answers.

use guestpass_e2e::*;

#[test]
fn the_development_outbox_does_not_exist_in_production() {
    let api = production_api();
    api.get(&Endpoint::DevOutbox.path(&[]), &[])
        .expect_error(404, "not_found");
    api.get(
        &format!("{}?to=a@b.example", Endpoint::DevOutbox.path(&[])),
        &[],
    )
    .expect_error(404, "not_found");
}

#[test]
fn production_serves_sign_in_and_tells_the_spa_there_is_no_outbox() {
    let api = production_api();
    let tenant = api.new_tenant();
    let info = api
        .get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200)
        .body;
    assert_eq!(info["developmentOutbox"], false);
    let email = format!("{}@guests.example", unique("prod"));
    api.invite(&tenant, &email);
    api.send_code(&tenant, &email, &unique_ip()).expect(202);
}

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

#[test]
fn sends_to_made_up_addresses_leave_the_tenants_hour_to_its_guests() {
    // This Worker's tenants may send 5 codes an hour (OTP_SENDS_PER_TENANT_PER_HOUR=5).
    let api = production_api();
    let tenant = api.new_tenant();
    let guests: Vec<String> = (0..5)
        .map(|_| format!("{}@guests.example", unique("capped")))
        .collect();
    for guest in &guests {
        api.invite(&tenant, guest);
    }
    for _ in 0..20 {
        let stranger = format!("{}@guests.example", unique("made-up"));
        api.send_code(&tenant, &stranger, &unique_ip()).expect(202);
    }
    for guest in &guests {
        api.send_code(&tenant, guest, &unique_ip()).expect(202);
    }
    // The cap is real: the sixth invited address this hour is refused.
    let sixth = format!("{}@guests.example", unique("capped"));
    api.invite(&tenant, &sixth);
    api.send_code(&tenant, &sixth, &unique_ip())
        .expect_error(429, "throttled");
}

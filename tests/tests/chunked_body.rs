//! A request body without a declared length is refused with `413` once it passes 16 KiB. That
//! reading stops there is pinned natively (`request_rules::read_capped`); this proves the wiring.
//!
//! A file of its own, so no other test runs beside it: should the local proxy of `wrangler dev`
//! stumble on an upload the Worker refused part-way, no other test's request pays for it.

use guestpass_e2e::*;

#[test]
fn a_chunked_body_past_the_limit_is_refused() {
    let api = api();
    let tenant = api.new_tenant();
    let url = format!(
        "{}{}",
        api.base,
        api.tenant_path(&tenant, Endpoint::SendCode)
    );
    let body = std::io::Cursor::new(vec![b' '; 1 << 20]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into();
    let response = agent
        .post(&url)
        .header("content-type", "application/json")
        .send(ureq::SendBody::from_owned_reader(body));
    // The Worker reads and drops the rest of the upload (up to 1 MiB), so the client sends it
    // all and reads the answer.
    let mut response = response.expect("an answer");
    assert_eq!(response.status().as_u16(), 413);
    let text = response.body_mut().read_to_string().unwrap_or_default();
    assert!(text.contains("payload_too_large"), "{text}");
    // The rest of the upload was read and thrown away: the Worker answers the next ones at once.
    let started = std::time::Instant::now();
    api.get(&Endpoint::Health.path(&[]), &[]).expect(200);
    api.get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

//! The SPAs read and write JSON with serde-json-wasm (`guestpass_app::json`), the Worker with
//! serde_json. These tests hold the two to the same wire: what the Worker writes the SPA reads
//! as the same value, and what the SPA writes the Worker reads back as it was sent.

use guestpass_app::api::ceremony_body;
use guestpass_app::json::{self, NotTheShape};
use guestpass_wire::api::NoBody;
use guestpass_wire::application::MyApplication;
use guestpass_wire::passkey::{
    PasskeyMethod, PasskeyOptionsRequest, PasskeySignInRequest, RegisterPasskeyRequest,
    RenamePasskeyRequest,
};
use guestpass_wire::tap::PassSignInRequest;
use guestpass_wire::{
    ApiError, AuthenticationMethod, BrandingPatch, ErrorCode, Language, List, OutboxMessage, Role,
    SendCodeRequest, SendCodeResponse, SessionScope, SignInInfo, SignInResult, UserType,
    VerifyCodeRequest,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// The SPA reads `text` (written as the Worker writes it) as the value serde_json reads.
fn reads_as_the_worker_wrote<T: DeserializeOwned + PartialEq + Debug>(text: &str) -> T {
    let worker: T = serde_json::from_str(text).expect("the sample is the Worker's JSON");
    let spa: T = json::parse(text).expect("the SPA reads it");
    assert_eq!(spa, worker, "{text}");
    spa
}

/// What the SPA writes is the JSON serde_json writes for the same value, and reads back as it.
fn writes_as_the_worker_reads<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let text = json::to_text(value).expect("the SPA writes it");
    let read: T = serde_json::from_str(&text).expect("the Worker reads it");
    assert_eq!(&read, value, "{text}");
    let ours: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(ours, serde_json::to_value(value).unwrap(), "{text}");
}

#[test]
fn the_sign_in_page_info_reads_with_its_branding_methods_and_defaults() {
    let info: SignInInfo = reads_as_the_worker_wrote(
        r##"{"tenantId":"8e1f","displayName":"Contoso","branding":{"backgroundColor":"#0f6cbd","textColor":"#ffffff","signInPageText":"Hi «all»"},"methods":{"emailOtp":true,"temporaryAccessPass":false},"developmentOutbox":false,"futureField":[1,2]}"##,
    );
    assert_eq!(info.branding.username_hint_text, None, "absent optional");
    assert!(info.verified_domains.is_empty(), "absent defaulted list");
    assert!(!info.methods.passkey, "absent defaulted flag");
    assert_eq!(info.branding.sign_in_page_text.as_deref(), Some("Hi «all»"));
}

#[test]
fn a_sent_code_and_a_session_read_with_their_numbers_enums_and_nulls() {
    let sent: SendCodeResponse = reads_as_the_worker_wrote(
        r#"{"challenge":"v1.abc","expiresAt":"2026-11-24T10:00:00Z","codeLength":8,"resendAfterSeconds":30}"#,
    );
    assert_eq!((sent.code_length, sent.resend_after_seconds), (8, 30));

    let result: SignInResult = reads_as_the_worker_wrote(
        r#"{"session":{"user":{"id":"u1","displayName":"Ада","mail":null,"userPrincipalName":"ada@contoso.com","userType":"Member","roles":["GlobalAdministrator","GlobalReader"]},"authenticationMethod":"passkey","scope":"full","expiresDateTime":"2026-11-24T18:00:00Z"},"redirectUrl":"https://app.example/cb?code=x"}"#,
    );
    let session = &result.session;
    assert_eq!(session.user.mail, None);
    assert_eq!(session.user.user_type, UserType::Member);
    assert_eq!(
        session.user.roles,
        [Role::GlobalAdministrator, Role::GlobalReader]
    );
    assert_eq!(session.authentication_method, AuthenticationMethod::Passkey);
    assert_eq!(session.scope, SessionScope::Full);
}

#[test]
fn an_error_body_reads_with_its_code_and_counters() {
    let error: ApiError = reads_as_the_worker_wrote(
        r#"{"error":{"code":"invalid_code","message":"That code is not right.","attemptsRemaining":2}}"#,
    );
    assert_eq!(error.error.code, ErrorCode::InvalidCode);
    assert_eq!(error.error.attempts_remaining, Some(2));
    let throttled: ApiError = reads_as_the_worker_wrote(
        r#"{"error":{"code":"throttled","message":"Slow down.","retryAfterSeconds":3600}}"#,
    );
    assert_eq!(throttled.error.retry_after_seconds, Some(3600));
}

#[test]
fn lists_and_the_account_pages_bodies_read() {
    reads_as_the_worker_wrote::<List<OutboxMessage>>(
        r#"{"value":[{"to":"a@b.c","subject":"Your code","text":"12345678\nline","sentDateTime":"2026-11-24T10:00:00Z"}],"nextLink":"/api/v1/dev/outbox?after=x"}"#,
    );
    reads_as_the_worker_wrote::<List<MyApplication>>(r#"{"value":[]}"#);
    reads_as_the_worker_wrote::<List<PasskeyMethod>>(
        r#"{"value":[{"id":"k1","displayName":"Laptop","createdDateTime":"2026-11-24T10:00:00Z","aaGuid":"00000000-0000-0000-0000-000000000000","backupEligible":true,"backedUp":false,"possiblyCloned":false}]}"#,
    );
}

#[test]
fn a_no_content_answer_reads_as_no_body() {
    assert_eq!(json::parse::<NoBody>("null"), Ok(NoBody));
}

#[test]
fn text_that_is_not_json_or_not_the_shape_is_refused_not_guessed() {
    assert_eq!(
        json::parse::<ApiError>("<html>Bad gateway</html>"),
        Err(NotTheShape)
    );
    assert_eq!(json::parse::<ApiError>(""), Err(NotTheShape));
    // A number where a string belongs, a missing required field, an unknown enum name.
    assert_eq!(
        json::parse::<SendCodeResponse>(
            r#"{"challenge":7,"expiresAt":"x","codeLength":8,"resendAfterSeconds":30}"#
        ),
        Err(NotTheShape)
    );
    assert_eq!(
        json::parse::<SendCodeResponse>(r#"{"challenge":"c","expiresAt":"x","codeLength":8}"#),
        Err(NotTheShape)
    );
    assert_eq!(
        json::parse::<ApiError>(r#"{"error":{"code":"no_such_code","message":"?"}}"#),
        Err(NotTheShape)
    );
    // A count that is not a whole number, or is negative.
    assert_eq!(
        json::parse::<SendCodeResponse>(
            r#"{"challenge":"c","expiresAt":"x","codeLength":8.5,"resendAfterSeconds":30}"#
        ),
        Err(NotTheShape)
    );
    assert_eq!(
        json::parse::<SendCodeResponse>(
            r#"{"challenge":"c","expiresAt":"x","codeLength":8,"resendAfterSeconds":-1}"#
        ),
        Err(NotTheShape)
    );
}

#[test]
fn request_bodies_are_written_as_the_worker_reads_them() {
    writes_as_the_worker_reads(&SendCodeRequest {
        email: "ada@contoso.com".into(),
        language: Some(Language::Ru),
    });
    writes_as_the_worker_reads(&SendCodeRequest {
        email: "\"quoted\"\\back\u{2028}slash@x.y".into(),
        language: None,
    });
    writes_as_the_worker_reads(&VerifyCodeRequest {
        challenge: "v1.abc".into(),
        code: "01234567".into(),
    });
    writes_as_the_worker_reads(&PassSignInRequest {
        username: "ada@contoso.com".into(),
        temporary_access_pass: "Ab3$-x".into(),
    });
    writes_as_the_worker_reads(&PasskeyOptionsRequest { username: None });
    writes_as_the_worker_reads(&RenamePasskeyRequest {
        display_name: "Ноутбук".into(),
    });
    writes_as_the_worker_reads(&BrandingPatch {
        sign_in_page_text: Some(String::new()),
        ..BrandingPatch::default()
    });
}

#[test]
fn a_none_is_written_as_null_and_a_u64_as_a_plain_number() {
    let result: SignInResult = serde_json::from_str(
        r#"{"session":{"user":{"id":"u1","displayName":"Ada","mail":null,"userPrincipalName":"ada@contoso.com","userType":"Guest","roles":[]},"authenticationMethod":"emailOtp","scope":"full","expiresDateTime":"2026-11-24T18:00:00Z"}}"#,
    )
    .unwrap();
    writes_as_the_worker_reads(&result);
    assert!(json::to_text(&result).unwrap().contains(r#""mail":null"#));
    writes_as_the_worker_reads(&SendCodeResponse {
        challenge: "v1.abc".into(),
        expires_at: "2026-11-24T10:00:00Z".into(),
        code_length: 8,
        resend_after_seconds: u64::from(u32::MAX) + 1,
    });
}

const ASSERTION: &str = r#"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA","userHandle":"AQ"}}"#;
const ATTESTATION: &str = r#"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA","transports":["internal"]}}"#;

#[test]
fn a_ceremony_body_is_the_wire_request_with_the_browsers_credential_unchanged() {
    let body = ceremony_body("username", Some("ada@contoso.com"), ASSERTION);
    let parsed: PasskeySignInRequest = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed.username.as_deref(), Some("ada@contoso.com"));
    assert_eq!(
        parsed.credential.response.user_handle.as_deref(),
        Some("AQ")
    );
    assert!(body.contains(ASSERTION), "embedded as it came");

    let discoverable = ceremony_body("username", None, ASSERTION);
    let parsed: PasskeySignInRequest = serde_json::from_str(&discoverable).unwrap();
    assert_eq!(parsed.username, None);

    let body = ceremony_body("displayName", Some("Ada's \"laptop\""), ATTESTATION);
    let parsed: RegisterPasskeyRequest = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed.display_name, "Ada's \"laptop\"", "escaped");
    assert_eq!(parsed.credential.response.transports, ["internal"]);
}

//! Native cost of the hot cryptographic steps, run by `cargo xtask bench` (release build).

use std::hint::black_box;
use std::time::Instant;

use guestpass_core::email_otp::challenge::{self, Purpose};
use guestpass_core::keys::KeyRing;
use guestpass_core::session::{self, SessionClaims};
use guestpass_wire::{AuthenticationMethod, SessionScope};

const NOW: i64 = 1_795_348_800_000;

fn measure(name: &str, iterations: u32, mut op: impl FnMut(u32)) {
    for i in 0..iterations / 10 {
        op(i);
    }
    let started = Instant::now();
    for i in 0..iterations {
        op(i);
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    println!("{name}\t{micros:.2}");
}

fn main() {
    let keys =
        KeyRing::parse("bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").expect("bench key");
    let issued = challenge::issue(
        &keys,
        "tenant",
        "ada@example.com",
        Purpose::SignIn,
        0,
        [7; 16],
        NOW,
        1_800_000,
    );
    measure("issue challenge + derive code", 20_000, |i| {
        let mut nonce = [0u8; 16];
        nonce[..4].copy_from_slice(&i.to_be_bytes());
        black_box(challenge::issue(
            &keys,
            "tenant",
            "ada@example.com",
            Purpose::SignIn,
            0,
            nonce,
            NOW,
            1_800_000,
        ));
    });
    measure("open challenge + derive code", 20_000, |_| {
        black_box(challenge::open(&keys, black_box(&issued.text)).expect("valid"));
    });
    let claims = SessionClaims {
        user_id: "3f7c1c2e-8f1a-4d1e-9b7a-0c1d2e3f4a5b".into(),
        tenant_id: "tenant".into(),
        method: AuthenticationMethod::EmailOtp,
        scope: SessionScope::Full,
        issued_at: NOW,
        expires_at: NOW + 86_400_000,
        synced_passkey: false,
    };
    let cookie = session::sign(&keys, &claims);
    measure("verify session cookie", 20_000, |_| {
        black_box(session::verify(&keys, black_box(&cookie), "tenant", NOW).expect("valid"));
    });
}

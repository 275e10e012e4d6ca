//! The sign-in log: pages newest first with `nextLink`, filters, and the chart's series.

mod support;

use guestpass_core::audit::{self, SignInQuery, SummaryQuery};
use guestpass_core::memory::{run, MEMORY_LOG_PAGE};
use guestpass_core::time::{format_rfc3339, HOUR, MINUTE};
use guestpass_core::DomainError;
use guestpass_wire::{List, SignInLogEntry};
use support::*;

fn log(
    world: &World,
    org: &Org,
    query: SignInQuery<'_>,
) -> Result<List<SignInLogEntry>, DomainError> {
    run(audit::sign_ins(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        query,
    ))
}

/// A tenant where one guest signs in among many strangers' sends, an hour apart in two groups.
fn busy() -> (World, Org) {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    for i in 0..(2 * MEMORY_LOG_PAGE) {
        world
            .send_from(
                &org,
                &format!("nobody{i}@guests.example"),
                &format!("192.0.2.{}", i % 200),
            )
            .unwrap();
    }
    world.advance(HOUR);
    world.sign_in_guest(&org, "ada@guests.example");
    (world, org)
}

#[test]
fn the_log_pages_newest_first_and_every_line_comes_once() {
    let (world, org) = busy();
    let mut cursor: Option<String> = None;
    let mut lines = Vec::new();
    loop {
        let query = SignInQuery {
            top: Some("30"),
            cursor: cursor.as_deref(),
            ..Default::default()
        };
        let page = log(&world, &org, query).unwrap();
        assert!(page.value.len() <= 30);
        lines.extend(page.value);
        let Some(link) = page.next_link else { break };
        let value = link.split("cursor=").nth(1).unwrap();
        cursor = Some(value.split('&').next().unwrap().to_string());
    }
    // 100 sends, then the guest's send and verify.
    assert_eq!(lines.len(), 2 * MEMORY_LOG_PAGE + 2);
    assert_eq!(lines[0].step, "verify");
    let times: Vec<&str> = lines.iter().map(|l| l.created_date_time.as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn lines_of_the_same_second_keep_the_order_they_happened_in() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    for _ in 0..5 {
        let (challenge, code) = world.request_code(&org, "ada@guests.example");
        world.advance(3);
        let wrong = if code == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        assert!(world.verify(&org, &challenge, wrong).is_err());
        world.advance(3);
        world.verify(&org, &challenge, &code).unwrap();
        world.advance(MINUTE);
    }
    let lines = log(&world, &org, SignInQuery::default()).unwrap().value;
    let outcomes: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l.step.as_str(), l.outcome.as_str()))
        .collect();
    let round = [
        ("verify", "success"),
        ("verify", "failure"),
        ("send", "success"),
    ];
    assert_eq!(
        outcomes,
        round.repeat(5),
        "newest first, to the millisecond"
    );
}

#[test]
fn a_success_is_found_by_its_filters_among_the_noise() {
    let (world, org) = busy();
    let success = SignInQuery {
        outcome: Some("success"),
        user: Some("ADA@guests"),
        ..Default::default()
    };
    let found = log(&world, &org, success).unwrap().value;
    let steps: Vec<&str> = found.iter().map(|l| l.step.as_str()).collect();
    assert_eq!(steps, ["verify", "send"]);
    // By time: only the last hour holds the guest's sign-in.
    let from = format_rfc3339(world.now() - 30 * MINUTE);
    let recent = SignInQuery {
        from: Some(&from),
        method: Some("emailOtp"),
        ..Default::default()
    };
    assert_eq!(log(&world, &org, recent).unwrap().value.len(), 2);
    let none = SignInQuery {
        method: Some("temporaryAccessPass"),
        ..Default::default()
    };
    assert!(log(&world, &org, none).unwrap().value.is_empty());
}

#[test]
fn bad_log_filters_are_refused_clearly() {
    let (world, org) = busy();
    for (query, target) in [
        (
            SignInQuery {
                outcome: Some("maybe"),
                ..Default::default()
            },
            "outcome",
        ),
        (
            SignInQuery {
                method: Some("password"),
                ..Default::default()
            },
            "method",
        ),
        (
            SignInQuery {
                from: Some("yesterday"),
                ..Default::default()
            },
            "from",
        ),
        (
            SignInQuery {
                top: Some("0"),
                ..Default::default()
            },
            "top",
        ),
    ] {
        assert!(
            matches!(log(&world, &org, query), Err(DomainError::Validation { target: t, .. }) if t == target),
            "{target}"
        );
    }
}

#[test]
fn the_summary_counts_successes_and_failures_per_hour() {
    let (world, org) = busy();
    // One wrong code, a minute later.
    world.invite(&org, "bob@guests.example");
    world.advance(MINUTE);
    let (challenge, code) = world.request_code(&org, "bob@guests.example");
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let _ = world.verify(&org, &challenge, wrong);
    let from = format_rfc3339(T0);
    let to = format_rfc3339(T0 + 2 * HOUR);
    let query = SummaryQuery {
        from: Some(&from),
        to: Some(&to),
        interval: Some("hour"),
    };
    let series = run(audit::sign_in_summary(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        query,
    ))
    .unwrap()
    .value;
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].start, format_rfc3339(T0));
    // Hour one: the strangers' sends (logged as successful sends). Hour two: the guest's send and
    // verify, Bob's send — and his wrong code.
    assert_eq!(
        (series[0].success, series[0].failure),
        (2 * MEMORY_LOG_PAGE as u32, 0)
    );
    assert_eq!((series[1].success, series[1].failure), (3, 1));
    let default = run(audit::sign_in_summary(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        SummaryQuery::default(),
    ))
    .unwrap()
    .value;
    assert_eq!(
        default.len(),
        8,
        "seven days by day, the partial first one included"
    );
}

#[test]
fn garbage_attempts_fold_into_one_line_per_network_and_minute_and_a_sign_in_stays_findable() {
    use guestpass_wire::VerifyCodeRequest;
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let tenant = world.tenant(&org.id);
    let forged = VerifyCodeRequest {
        challenge: "forged.challenge".into(),
        code: "12345678".into(),
    };
    let attacker = world.cx_from("203.0.113.66");
    for _ in 0..50 {
        let refused = run(guestpass_core::email_otp::verify(
            &attacker, &tenant, &forged,
        ));
        assert_eq!(refused.unwrap_err(), DomainError::ChallengeInvalid);
    }
    world.advance(MINUTE);
    world.sign_in_guest(&org, "ada@guests.example");
    let lines = log(&world, &org, SignInQuery::default()).unwrap().value;
    let failures: Vec<_> = lines.iter().filter(|l| l.outcome == "failure").collect();
    // Three lines of their own, and one line counting the other 47.
    assert_eq!(failures.len(), 4);
    let folded: Vec<_> = failures.iter().filter(|l| l.count.is_some()).collect();
    assert_eq!(folded.len(), 1);
    assert_eq!(folded[0].count, Some(47));
    assert_eq!(folded[0].reason, "repeated_failures");
    let found = SignInQuery {
        outcome: Some("success"),
        user: Some("ada@guests.example"),
        ..Default::default()
    };
    assert_eq!(log(&world, &org, found).unwrap().value.len(), 2);
    // The chart still counts every failure.
    let series = run(audit::sign_in_summary(
        &world.cx(),
        operator(),
        &tenant,
        SummaryQuery::default(),
    ))
    .unwrap()
    .value;
    let failed: u32 = series.iter().map(|b| b.failure).sum();
    assert_eq!(failed, 50);
    // And the flood is rate-limited: a network has 120 attempts an hour.
    for _ in 0..70 {
        let _ = run(guestpass_core::email_otp::verify(
            &attacker, &tenant, &forged,
        ));
    }
    let attacker = world.cx_from("203.0.113.66");
    assert!(matches!(
        run(guestpass_core::email_otp::verify(
            &attacker, &tenant, &forged
        )),
        Err(DomainError::Throttled { .. })
    ));
}

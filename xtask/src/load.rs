//! The bench's load run: 2,000 mixed requests from 32 concurrent clients against the Worker under
//! `wrangler dev` (loopback only; it stops by itself), then a check that nothing was lost — every
//! accepted sign-in is in the log, every issued pass is listed — and no answer was a 5xx.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use guestpass_wire::Endpoint;

use crate::client::Body;
use serde_json::{json, Value};

pub const CLIENTS: usize = 32;
pub const REQUESTS: usize = 2000;

/// What the run measured.
pub struct LoadReport {
    pub latencies_ms: Vec<f64>,
    pub server_errors: usize,
    pub other_errors: Vec<String>,
    pub sign_ins: usize,
    pub passes: usize,
    pub elapsed: Duration,
}

/// One of the run's clients: its own connection and client address.
struct Client {
    http: crate::client::Client,
    auth: String,
    /// The client's address, as `CF-Connecting-IP` (RFC 2544's benchmarking range).
    ip: String,
}

impl Client {
    fn new(base: &str, token: &str, ip: String) -> Client {
        Client {
            http: crate::client::Client::new(base),
            auth: format!("Bearer {token}"),
            ip,
        }
    }

    /// A `GET` (no body) or a `POST` of `body`, as the operator when `operator`: (status, JSON
    /// body, ms).
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        operator: bool,
    ) -> Result<(u16, Value, f64), String> {
        let mut headers = vec![("cf-connecting-ip", self.ip.as_str())];
        if operator {
            headers.push(("authorization", &self.auth));
        }
        let answer = match method {
            "GET" => self.http.get(path, &headers)?,
            _ => {
                let body = body.unwrap_or(Value::Null);
                self.http.post(path, Body::Json(&body), &headers)?
            }
        };
        Ok((answer.status, answer.json(), answer.ms))
    }
}

/// Runs the load against a fresh tenant of its own on `base`.
pub fn run(base: &str, token: &str) -> Result<LoadReport, String> {
    let setup = Client::new(base, token, "198.19.255.1".into());
    let tenant = crate::bench::create_tenant(&setup.http, token, "load.example")?;
    let tenant_id = tenant["tenant"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let server_errors = Arc::new(AtomicUsize::new(0));
    let other_errors = Arc::new(Mutex::new(Vec::new()));
    let signed_in = Arc::new(AtomicUsize::new(0));
    let issued = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let client = Client::new(base, token, format!("198.19.{}.{}", c / 250, c % 250 + 1));
            let (tenant_id, next, latencies, server_errors, other_errors, signed_in, issued) = (
                tenant_id.clone(),
                next.clone(),
                latencies.clone(),
                server_errors.clone(),
                other_errors.clone(),
                signed_in.clone(),
                issued.clone(),
            );
            std::thread::spawn(move || {
                let record = |result: Result<(u16, Value, f64), String>| match result {
                    Ok((status, body, ms)) => {
                        latencies.lock().unwrap().push(ms);
                        if status >= 500 {
                            server_errors.fetch_add(1, Ordering::Relaxed);
                            other_errors
                                .lock()
                                .unwrap()
                                .push(format!("{status} {body}"));
                        }
                        Some((status, body))
                    }
                    Err(e) => {
                        other_errors.lock().unwrap().push(e);
                        None
                    }
                };
                let tenant = [tenant_id.as_str()];
                // One journey a turn — invite, send, outbox, verify; every fifth also a member
                // and a pass — until the run's count of requests is spent.
                let mut journeys = 0;
                while next.fetch_add(4, Ordering::Relaxed) < REQUESTS {
                    journeys += 1;
                    let n = c * 1000 + journeys;
                    let guest = format!("guest{n}-{}@load-guests.example", client.ip);
                    let invite = json!({"invitedUserEmailAddress": guest});
                    record(client.call(
                        "POST",
                        &Endpoint::Invite.path(&tenant),
                        Some(invite),
                        true,
                    ));
                    let send = json!({"email": guest});
                    let Some((202, sent)) = record(client.call(
                        "POST",
                        &Endpoint::SendCode.path(&tenant),
                        Some(send),
                        false,
                    )) else {
                        continue;
                    };
                    // Mail goes out after the response: look again until it is there.
                    let outbox = format!("{}?to={}", Endpoint::DevOutbox.path(&[]), guest);
                    let mut mail = Value::Null;
                    for _ in 0..20 {
                        if let Some((200, found)) = record(client.call("GET", &outbox, None, false))
                        {
                            if found["value"][0].is_object() {
                                mail = found;
                                break;
                            }
                        }
                        std::thread::sleep(Duration::from_millis(25));
                    }
                    let code: String = mail["value"][0]["text"]
                        .as_str()
                        .unwrap_or_default()
                        .split_whitespace()
                        .find(|w| w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit()))
                        .unwrap_or_default()
                        .into();
                    let verify = json!({"challenge": sent["challenge"], "code": code});
                    if let Some((200, _)) = record(client.call(
                        "POST",
                        &Endpoint::VerifyCode.path(&tenant),
                        Some(verify),
                        false,
                    )) {
                        signed_in.fetch_add(1, Ordering::Relaxed);
                    }
                    if journeys % 5 == 0 {
                        next.fetch_add(2, Ordering::Relaxed);
                        let upn = format!("member{n}@load.example");
                        let member = json!({"displayName": "Member", "userPrincipalName": upn});
                        if let Some((201, user)) = record(client.call(
                            "POST",
                            &Endpoint::CreateUser.path(&tenant),
                            Some(member),
                            true,
                        )) {
                            let id = user["id"].as_str().unwrap_or_default().to_string();
                            let passes = Endpoint::CreatePass.path(&[&tenant_id, &id]);
                            if let Some((201, pass)) =
                                record(client.call("POST", &passes, Some(json!({})), true))
                            {
                                issued
                                    .lock()
                                    .unwrap()
                                    .push((id, pass["id"].as_str().unwrap_or_default().into()));
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().map_err(|_| "a load client panicked")?;
    }
    let elapsed = started.elapsed();
    // Nothing lost: every accepted verify is a success line in the log (written after the
    // response, so give the last ones a moment), every issued pass is listed.
    let sign_ins = signed_in.load(Ordering::Relaxed);
    let logs = Endpoint::SignInLogs.path(&[&tenant_id]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let logged = loop {
        let mut count = 0;
        let mut url = format!("{logs}?outcome=success&top=999");
        loop {
            let (_, page, _) = setup.call("GET", &url, None, true)?;
            let lines = page["value"].as_array().cloned().unwrap_or_default();
            count += lines.iter().filter(|l| l["step"] == "verify").count();
            match page["nextLink"].as_str() {
                Some(next) => url = next.strip_prefix(base).unwrap_or(next).to_string(),
                None => break,
            }
        }
        if count >= sign_ins || Instant::now() > deadline {
            break count;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let mut problems = other_errors.lock().unwrap().clone();
    if logged != sign_ins {
        problems.push(format!("{sign_ins} sign-ins accepted, {logged} in the log"));
    }
    let issued = issued.lock().unwrap().clone();
    for (user, pass) in &issued {
        let (_, listed, _) = setup.call(
            "GET",
            &Endpoint::ListPasses.path(&[&tenant_id, user]),
            None,
            true,
        )?;
        if !listed["value"]
            .as_array()
            .is_some_and(|v| v.iter().any(|p| p["id"] == pass.as_str()))
        {
            problems.push(format!("pass {pass} of {user} is not listed"));
        }
    }
    let latencies_ms = latencies.lock().unwrap().clone();
    Ok(LoadReport {
        latencies_ms,
        server_errors: server_errors.load(Ordering::Relaxed),
        other_errors: problems,
        sign_ins,
        passes: issued.len(),
        elapsed,
    })
}

//! Black-box helpers for the Guestpass Worker running under `wrangler dev`.
//!
//! `cargo xtask test` starts the Worker (workerd, local KV and Durable Objects) and a mock email
//! provider, then runs these tests with `GUESTPASS_BASE_URL`, `GUESTPASS_OPERATOR_TOKEN` and
//! `GUESTPASS_MOCK_MAIL_URL` set. Each test makes its own tenant, addresses and client IP, so
//! tests run in parallel against one Worker without sharing state.

pub mod browser;
pub mod device;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use guestpass_wire::Endpoint;
pub use serde_json::{json, Value};

pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// The raw body, for non-JSON answers (the SPA's pages).
    pub text: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `error.code` of an error reply (empty when there is none).
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The session cookie a sign-in set, as a `Cookie` request header value.
    pub fn session_cookie(&self) -> Option<String> {
        let set = self.header("set-cookie")?;
        let pair = set.split(';').next()?.trim();
        pair.starts_with("__Host-guestpass=")
            .then(|| pair.to_string())
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(self.status, status, "unexpected reply: {}", self.body);
        self
    }

    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Reply {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "unexpected reply: {}",
            self.body
        );
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "error without a message: {}",
            self.body
        );
        self
    }
}

pub struct Tenant {
    pub id: String,
    pub domain: String,
    pub admin_id: String,
    pub admin_pass: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}{}x{n}x{}",
        std::process::id() % 10_000,
        nanos % 1_000_000
    )
}

/// A client IP of its own for each caller, so per-network throttles of one test never hit another.
pub fn unique_ip() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) + std::process::id();
    format!("10.{}.{}.{}", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
}

pub struct Api {
    pub base: String,
    token: String,
    mail: String,
    agent: ureq::Agent,
}

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run these tests with `cargo xtask test`"))
}

pub fn api() -> Api {
    api_at(env("GUESTPASS_BASE_URL"))
}

/// The Worker the browser tests drive (development mode, outbox only, no per-network send limit:
/// every browser shares one client IP).
pub fn browser_api() -> Api {
    api_at(env("GUESTPASS_BROWSER_URL"))
}

/// The black-box Worker at `http://localhost:…` rather than its loopback address: WebAuthn
/// refuses an IP address as the relying party's id.
pub fn localhost_api() -> Api {
    api_at(env("GUESTPASS_BASE_URL").replace("127.0.0.1", "localhost"))
}

/// On the browser tests' Worker: a tenant, a member, and a pass its administrator (not the
/// operator) issued with `body`: the value.
pub fn member_with_pass(prefix: &str, body: Value) -> (Tenant, Member, String) {
    let api = browser_api();
    let tenant = api.new_tenant();
    let member = api.add_member(&tenant, prefix, &[], &[]);
    let admin = api.admin_session(&tenant);
    let issued = api
        .as_session(
            &admin,
            "POST",
            &api.passes_path(&tenant, &member.id),
            Some(&body),
        )
        .expect(201);
    let pass = issued.body["temporaryAccessPass"]
        .as_str()
        .unwrap()
        .to_string();
    (tenant, member, pass)
}

/// The browser tests' Worker at `http://localhost:…` (for an independent WebAuthn client).
pub fn browser_localhost_api() -> Api {
    api_at(env("GUESTPASS_BROWSER_URL").replace("127.0.0.1", "localhost"))
}

/// The second Worker `cargo xtask test` starts, with `ENVIRONMENT=production`.
pub fn production_api() -> Api {
    api_at(env("GUESTPASS_PRODUCTION_URL"))
}

fn api_at(base: String) -> Api {
    Api {
        base,
        token: env("GUESTPASS_OPERATOR_TOKEN"),
        mail: env("GUESTPASS_MOCK_MAIL_URL"),
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into(),
    }
}

impl Api {
    pub fn operator_auth(&self) -> (String, String) {
        ("authorization".into(), format!("Bearer {}", self.token))
    }

    /// Any request: `body` is sent as-is with `content_type` when given.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        headers: &[(String, String)],
    ) -> Reply {
        self.raw_once(method, path, body, headers, true)
    }

    fn raw_once(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        headers: &[(String, String)],
        retry_transport: bool,
    ) -> Reply {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET" | "DELETE" | "HEAD", None) => {
                let mut req = match method {
                    "GET" => self.agent.get(&url),
                    "HEAD" => self.agent.head(&url),
                    _ => self.agent.delete(&url),
                };
                for (k, v) in headers {
                    req = req.header(k, v);
                }
                req.call()
            }
            (_, body) => {
                let mut req = match method {
                    "POST" => self.agent.post(&url),
                    "PATCH" => self.agent.patch(&url),
                    "PUT" => self.agent.put(&url),
                    other => panic!("unsupported method {other}"),
                };
                for (k, v) in headers {
                    req = req.header(k, v);
                }
                match body {
                    Some((content_type, bytes)) => {
                        req.header("content-type", content_type).send(&bytes[..])
                    }
                    None => req.send_empty(),
                }
            }
        };
        let mut response = match response {
            Ok(response) => response,
            // wrangler dev may close a pooled keep-alive connection just as it is reused: a read
            // can safely go again on a fresh one.
            Err(ureq::Error::Io(_)) if method == "GET" && retry_transport => {
                return self.raw_once(method, path, None, headers, false);
            }
            Err(e) => panic!("{method} {url}: {e}"),
        };
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            text,
            headers,
        }
    }

    pub fn get(&self, path: &str, headers: &[(String, String)]) -> Reply {
        self.raw("GET", path, None, headers)
    }

    pub fn send_json(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        headers: &[(String, String)],
    ) -> Reply {
        self.raw(
            method,
            path,
            Some(("application/json", body.to_string().into_bytes())),
            headers,
        )
    }

    pub fn post(&self, path: &str, body: &Value, headers: &[(String, String)]) -> Reply {
        self.send_json("POST", path, body, headers)
    }

    pub fn as_operator(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let auth = [self.operator_auth()];
        match body {
            Some(body) => self.send_json(method, path, body, &auth),
            None => self.raw(method, path, None, &auth),
        }
    }

    /// A new tenant with a domain of its own.
    pub fn new_tenant(&self) -> Tenant {
        let domain = format!("{}.example", unique("org"));
        let reply = self.as_operator(
            "POST",
            &Endpoint::CreateTenant.path(&[]),
            Some(&json!({
                "displayName": format!("Org {domain}"),
                "verifiedDomains": [domain],
                "admin": {"displayName": "Admin", "userPrincipalName": format!("admin@{domain}")}
            })),
        );
        let reply = reply.expect(201);
        Tenant {
            id: reply.body["tenant"]["id"].as_str().unwrap().into(),
            domain,
            admin_id: reply.body["admin"]["id"].as_str().unwrap().into(),
            admin_pass: reply.body["temporaryAccessPass"]["temporaryAccessPass"]
                .as_str()
                .unwrap()
                .into(),
        }
    }

    /// The path of a tenant's `endpoint` (from the wire crate's endpoint table).
    pub fn tenant_path(&self, tenant: &Tenant, endpoint: Endpoint) -> String {
        endpoint.path(&[&tenant.id])
    }

    /// The path of `endpoint` for one of the tenant's users.
    pub fn user_path(&self, tenant: &Tenant, endpoint: Endpoint, user_id: &str) -> String {
        endpoint.path(&[&tenant.id, user_id])
    }

    /// Invites a guest (no invitation email) and returns the invitation.
    pub fn invite(&self, tenant: &Tenant, email: &str) -> Value {
        let body = json!({"invitedUserEmailAddress": email, "sendInvitationMessage": false});
        self.as_operator(
            "POST",
            &self.tenant_path(tenant, Endpoint::Invite),
            Some(&body),
        )
        .expect(201)
        .body
    }

    pub fn send_code(&self, tenant: &Tenant, email: &str, ip: &str) -> Reply {
        self.post(
            &self.tenant_path(tenant, Endpoint::SendCode),
            &json!({"email": email}),
            &[("cf-connecting-ip".into(), ip.into())],
        )
    }

    pub fn verify(&self, tenant: &Tenant, challenge: &str, code: &str, ip: &str) -> Reply {
        self.post(
            &self.tenant_path(tenant, Endpoint::VerifyCode),
            &json!({"challenge": challenge, "code": code}),
            &[("cf-connecting-ip".into(), ip.into())],
        )
    }

    /// The development outbox for one address, oldest first.
    pub fn outbox(&self, email: &str) -> Vec<Value> {
        let reply = self
            .get(
                &format!(
                    "{}?to={}",
                    Endpoint::DevOutbox.path(&[]),
                    email.replace('+', "%2B")
                ),
                &[],
            )
            .expect(200);
        reply.body["value"].as_array().cloned().unwrap_or_default()
    }

    /// Waits for the `n`-th email to an address (mail goes out after the response).
    pub fn wait_for_email(&self, email: &str, n: usize) -> Value {
        eventually(&format!("email #{n} to {email}"), || {
            self.outbox(email).get(n - 1).cloned()
        })
    }

    /// Every code emailed to an address so far, oldest first.
    pub fn codes(&self, email: &str) -> Vec<String> {
        self.outbox(email)
            .iter()
            .filter_map(|m| m["text"].as_str())
            .filter_map(|t| {
                t.split_whitespace()
                    .find(|w| w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit()))
                    .map(String::from)
            })
            .collect()
    }

    /// A new tenant with one invited guest: (tenant, guest address, guest user id).
    pub fn tenant_with_guest(&self, prefix: &str) -> (Tenant, String, String) {
        let tenant = self.new_tenant();
        let email = format!("{}@guests.example", unique(prefix));
        let invitation = self.invite(&tenant, &email);
        let id = invitation["invitedUser"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        (tenant, email, id)
    }

    /// Sends a code and waits for its email: (challenge, code).
    pub fn request_code(&self, tenant: &Tenant, email: &str, ip: &str) -> (String, String) {
        let before = self.codes(email).len();
        let sent = self.send_code(tenant, email, ip).expect(202);
        let code = eventually(&format!("a new code for {email}"), || {
            self.codes(email).get(before).cloned()
        });
        (sent.body["challenge"].as_str().unwrap().to_string(), code)
    }

    /// Sends, reads the code and verifies: the whole guest sign-in, returning the verify reply.
    pub fn sign_in_guest(&self, tenant: &Tenant, email: &str) -> Reply {
        let ip = unique_ip();
        let (challenge, code) = self.request_code(tenant, email, &ip);
        self.verify(tenant, &challenge, &code, &ip).expect(200)
    }

    /// What the mock provider received for an address.
    pub fn provider_received(&self, email: &str) -> Vec<Value> {
        let url = format!(
            "{}/received?to={}",
            self.mail,
            email.replace('@', "%40").replace('+', "%2B")
        );
        let mut response = self.agent.get(&url).call().expect("mock provider");
        let value: Value = response.body_mut().read_json().expect("json");
        value["value"].as_array().cloned().unwrap_or_default()
    }

    /// Headers a same-origin browser call carries, plus the given cookie.
    pub fn browser(&self, cookie: &str) -> Vec<(String, String)> {
        vec![
            ("cookie".into(), cookie.into()),
            ("origin".into(), self.base.clone()),
            ("sec-fetch-site".into(), "same-origin".into()),
        ]
    }
}

/// A member, and how to act as them.
pub struct Member {
    pub id: String,
    pub upn: String,
}

impl Api {
    /// Adds a member (as the operator) with `roles` (e.g. `["AuthenticationAdministrator"]`).
    pub fn add_member(
        &self,
        tenant: &Tenant,
        prefix: &str,
        roles: &[&str],
        groups: &[&str],
    ) -> Member {
        let upn = format!("{}@{}", unique(prefix), tenant.domain);
        let body = json!({"displayName": prefix, "userPrincipalName": upn, "roles": roles, "groups": groups});
        let reply = self
            .as_operator(
                "POST",
                &self.tenant_path(tenant, Endpoint::CreateUser),
                Some(&body),
            )
            .expect(201);
        Member {
            id: reply.body["id"].as_str().unwrap().into(),
            upn,
        }
    }

    pub fn passes_path(&self, tenant: &Tenant, user_id: &str) -> String {
        self.user_path(tenant, Endpoint::ListPasses, user_id)
    }

    /// Issues a pass as the operator; returns the create reply's body (value included).
    pub fn issue_pass(&self, tenant: &Tenant, user_id: &str, body: Value) -> Value {
        self.as_operator("POST", &self.passes_path(tenant, user_id), Some(&body))
            .expect(201)
            .body
    }

    pub fn pass_sign_in(&self, tenant: &Tenant, username: &str, pass: &str) -> Reply {
        self.post(
            &self.tenant_path(tenant, Endpoint::PassSignIn),
            &json!({"username": username, "temporaryAccessPass": pass}),
            &[],
        )
    }

    /// A multi-use pass for `member`, issued by the operator: its value.
    pub fn multi_use_pass(&self, tenant: &Tenant, member: &Member) -> String {
        self.issue_pass(tenant, &member.id, json!({"isUsableOnce": false}))["temporaryAccessPass"]
            .as_str()
            .expect("the pass's value")
            .to_string()
    }

    /// A member with `roles` and a full session: the member and the session cookie.
    pub fn member_session(
        &self,
        tenant: &Tenant,
        prefix: &str,
        roles: &[&str],
    ) -> (Member, String) {
        let member = self.add_member(tenant, prefix, roles, &[]);
        let pass = self.multi_use_pass(tenant, &member);
        let cookie = self.session_with_pass(tenant, &member.upn, &pass);
        (member, cookie)
    }

    /// Signs in with a pass and returns the session cookie.
    pub fn session_with_pass(&self, tenant: &Tenant, username: &str, pass: &str) -> String {
        self.pass_sign_in(tenant, username, pass)
            .expect(200)
            .session_cookie()
            .expect("a session cookie")
    }

    /// The tenant's first administrator's session (the operator's bootstrap pass).
    pub fn admin_session(&self, tenant: &Tenant) -> String {
        self.session_with_pass(
            tenant,
            &format!("admin@{}", tenant.domain),
            &tenant.admin_pass,
        )
    }

    /// The directory audit log's activities, newest first.
    pub fn directory_activities(&self, tenant: &Tenant) -> Vec<String> {
        let body = self
            .as_operator(
                "GET",
                &self.tenant_path(tenant, Endpoint::DirectoryLogs),
                None,
            )
            .expect(200)
            .body;
        body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["activity"].as_str().unwrap_or("").to_string())
            .collect()
    }

    /// A request as the holder of `cookie`, from the SPA's origin.
    pub fn as_session(
        &self,
        cookie: &str,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Reply {
        let headers = self.browser(cookie);
        match body {
            Some(body) => self.send_json(method, path, body, &headers),
            None => self.raw(method, path, None, &headers),
        }
    }
}

/// A `Retry-After`-style wait for background writes that have no other signal.
pub fn eventually<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

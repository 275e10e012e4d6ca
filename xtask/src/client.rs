//! The benchmarks' HTTP client: one keep-alive connection, redirects and error statuses handed
//! back as they are, each call timed from sending to the body's last byte and given up after
//! 30 s (a hung Worker fails the run instead of stalling it).

use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Client {
    agent: ureq::Agent,
    base: String,
}

/// One answer, read whole.
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// Each `Set-Cookie`'s `name=value`.
    pub cookies: Vec<String>,
    pub location: Option<String>,
    /// From sending the request to the body's last byte.
    pub ms: f64,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The cookie named `name`, as `name=value`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .map(String::as_str)
            .find(|c| c.split('=').next() == Some(name))
    }
}

/// A request's body.
pub enum Body<'a> {
    None,
    Json(&'a Value),
    Form(&'a [(&'a str, &'a str)]),
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Client {
            agent,
            base: base.to_string(),
        }
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<Answer, String> {
        self.call("GET", path, Body::None, headers)
    }

    pub fn post(&self, path: &str, body: Body, headers: &[(&str, &str)]) -> Result<Answer, String> {
        self.call("POST", path, body, headers)
    }

    pub fn patch(
        &self,
        path: &str,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Result<Answer, String> {
        self.call("PATCH", path, body, headers)
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Result<Answer, String> {
        let url = format!("{}{path}", self.base);
        let started = Instant::now();
        let sent = if method == "GET" {
            let mut req = self.agent.get(&url);
            for (name, value) in headers {
                req = req.header(*name, *value);
            }
            req.call()
        } else {
            let mut req = match method {
                "PATCH" => self.agent.patch(&url),
                _ => self.agent.post(&url),
            };
            for (name, value) in headers {
                req = req.header(*name, *value);
            }
            match body {
                Body::None => req.send_empty(),
                Body::Json(value) => req.send_json(value),
                Body::Form(fields) => req.send_form(fields.iter().copied()),
            }
        };
        let mut resp = sent.map_err(|e| format!("{method} {url}: {e}"))?;
        let body = resp
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{method} {url}: {e}"))?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let header = |name: &str| {
            resp.headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let cookies = header("set-cookie")
            .iter()
            .map(|c| c.split(';').next().unwrap_or("").to_string())
            .collect();
        Ok(Answer {
            status: resp.status().as_u16(),
            location: header("location").into_iter().next(),
            cookies,
            body,
            ms,
        })
    }
}

//! A stand-in email provider for the black-box tests: it speaks the Resend-compatible JSON API
//! the Worker's `HttpMailer` calls, over real HTTP on loopback, and records every attempt.
//!
//! Behaviour the tests rely on: a wrong bearer key gets `401`; a recipient whose address
//! contains `provider-fails-once` gets `503` on the first attempt (to prove retries); one
//! containing `provider-rejects` always gets `422` (to prove 4xx is not retried).
//! `GET /received?to=…` lists the attempts, oldest first.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde::Serialize;

pub const API_KEY: &str = "test-provider-key";

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Attempt {
    to: String,
    subject: String,
    text: String,
    from: String,
    authorized: bool,
    status: u16,
}

pub struct MockMail {
    pub url: String,
}

pub fn start() -> Result<MockMail, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("mock mail: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let attempts: Arc<Mutex<Vec<Attempt>>> = Arc::default();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let attempts = attempts.clone();
            std::thread::spawn(move || {
                let _ = serve(stream, &attempts);
            });
        }
    });
    Ok(MockMail {
        url: format!("http://127.0.0.1:{port}"),
    })
}

fn serve(stream: TcpStream, attempts: &Mutex<Vec<Attempt>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, reply) = match (method, target.split_once('?').map_or(target, |(p, _)| p)) {
        ("POST", "/emails") => receive(&headers, &body, attempts),
        ("GET", "/received") => {
            let to = target
                .split_once("?to=")
                .map(|(_, t)| t.replace("%40", "@").replace("%2B", "+"))
                .unwrap_or_default();
            let list: Vec<Attempt> = attempts
                .lock()
                .unwrap()
                .iter()
                .filter(|a| to.is_empty() || a.to == to)
                .cloned()
                .collect();
            (200, serde_json::json!({ "value": list }).to_string())
        }
        _ => (404, "{}".to_string()),
    };
    let mut out = stream;
    write!(out, "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}", reply.len())?;
    out.flush()
}

fn receive(
    headers: &HashMap<String, String>,
    body: &[u8],
    attempts: &Mutex<Vec<Attempt>>,
) -> (u16, String) {
    let message: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let text = |field: &str| {
        message
            .get(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let to = message
        .get("to")
        .and_then(|t| t.get(0))
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_string();
    let authorized = headers
        .get("authorization")
        .is_some_and(|a| a == &format!("Bearer {API_KEY}"));
    let mut attempts = attempts.lock().unwrap();
    let earlier = attempts.iter().filter(|a| a.to == to).count();
    let status = if !authorized {
        401
    } else if to.contains("provider-rejects") {
        422
    } else if to.contains("provider-fails-once") && earlier == 0 {
        503
    } else {
        200
    };
    attempts.push(Attempt {
        to,
        subject: text("subject"),
        text: text("text"),
        from: text("from"),
        authorized,
        status,
    });
    (status, format!("{{\"id\":\"mock-{}\"}}", attempts.len()))
}

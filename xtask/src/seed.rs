//! The demo tenant of `cargo xtask dev`, seeded once and remembered in `.wrangler/demo.json`.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::util::root;

pub fn demo_file() -> PathBuf {
    root().join(".wrangler/demo.json")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(url: &str, token: &str, body: Value) -> Result<(u16, Value), String> {
    let mut resp = agent()
        .post(url)
        .header("authorization", &format!("Bearer {token}"))
        .send_json(body)
        .map_err(|e| format!("POST {url}: {e}"))?;
    let status = resp.status().as_u16();
    let value = resp.body_mut().read_json::<Value>().unwrap_or(Value::Null);
    Ok((status, value))
}

/// Creates the demo tenant and invites a demo guest, unless that was done before.
pub fn demo(base: &str, token: &str) -> Result<Value, String> {
    if let Ok(text) = std::fs::read_to_string(demo_file()) {
        if let Ok(saved) = serde_json::from_str::<Value>(&text) {
            let tenant_id = saved["tenant"]["tenant"]["id"].as_str().unwrap_or_default();
            let probe = agent()
                .get(&format!("{base}/api/v1/tenants/{tenant_id}/sign-in"))
                .call();
            if probe.is_ok_and(|r| r.status() == 200) {
                return Ok(saved);
            }
        }
    }
    let tenant_body = json!({
        "displayName": "Contoso (demo)",
        "verifiedDomains": ["contoso.example"],
        "admin": {"displayName": "Demo Administrator", "userPrincipalName": "admin@contoso.example"}
    });
    let (status, tenant) = post(
        &format!("{base}/api/v1/operator/tenants"),
        token,
        tenant_body,
    )?;
    if status == 409 {
        return Err(
            "the demo domain exists but .wrangler/demo.json is gone: run `cargo xtask dev --fresh`"
                .into(),
        );
    }
    if status != 201 {
        return Err(format!(
            "seeding the demo tenant answered {status}: {tenant}"
        ));
    }
    let tenant_id = tenant["tenant"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let invite = json!({
        "invitedUserEmailAddress": "guest@fabrikam.example",
        "invitedUserDisplayName": "Demo Guest",
        "sendInvitationMessage": true
    });
    let (status, invitation) = post(
        &format!("{base}/api/v1/tenants/{tenant_id}/invitations"),
        token,
        invite,
    )?;
    if status != 201 {
        return Err(format!(
            "inviting the demo guest answered {status}: {invitation}"
        ));
    }
    let saved = json!({ "tenant": tenant, "invitation": invitation });
    std::fs::write(
        demo_file(),
        serde_json::to_string_pretty(&saved).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    Ok(saved)
}

/// A saved link on the current server (the demo may have been seeded on another port).
fn rebased(base: &str, saved_url: &str, tenant_id: &str) -> String {
    saved_url
        .find(&format!("/{tenant_id}/"))
        .map(|at| format!("{base}{}", &saved_url[at..]))
        .unwrap_or_default()
}

pub fn print(base: &str, demo: &Value) {
    let tenant = &demo["tenant"];
    let tenant_id = tenant["tenant"]["id"].as_str().unwrap_or("");
    let pass = &tenant["temporaryAccessPass"];
    println!();
    println!("Guestpass is running at {base}");
    println!(
        "  Demo tenant:      {} ({tenant_id})",
        tenant["tenant"]["displayName"].as_str().unwrap_or("")
    );
    println!(
        "  Sign-in URL:      {}",
        rebased(base, tenant["signInUrl"].as_str().unwrap_or(""), tenant_id)
    );
    println!(
        "  Administrator:    {}",
        tenant["admin"]["userPrincipalName"].as_str().unwrap_or("")
    );
    println!(
        "  Temporary Access Pass: {}  (from {}, {} minutes; `cargo xtask dev --fresh` issues a new one)",
        pass["temporaryAccessPass"].as_str().unwrap_or(""),
        pass["startDateTime"].as_str().unwrap_or(""),
        pass["lifetimeInMinutes"]
    );
    println!(
        "  Demo guest:       {}",
        demo["invitation"]["invitedUserEmailAddress"]
            .as_str()
            .unwrap_or("")
    );
    println!(
        "  Guest's link:     {}",
        rebased(
            base,
            demo["invitation"]["inviteRedeemUrl"].as_str().unwrap_or(""),
            tenant_id
        )
    );
    println!("  Outbox (codes):   {base}/dev/outbox   (JSON: {base}/api/v1/dev/outbox)");
    println!("Press Ctrl-C to stop.");
}

#[cfg(test)]
mod tests {
    use super::rebased;

    #[test]
    fn saved_links_move_to_the_current_server() {
        let saved = "http://127.0.0.1:8787/t1/redeem?invitation=i&login_hint=a%40b.example";
        assert_eq!(
            rebased("http://127.0.0.1:9000", saved, "t1"),
            "http://127.0.0.1:9000/t1/redeem?invitation=i&login_hint=a%40b.example"
        );
    }
}

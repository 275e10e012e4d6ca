//! The demo tenant of `cargo xtask dev`, seeded once and remembered in `.wrangler/demo.json`.

use std::path::PathBuf;

use guestpass_wire::Endpoint;
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

/// An operator call: `body` is sent as JSON when given.
fn call(method: &str, url: &str, token: &str, body: Option<Value>) -> Result<(u16, Value), String> {
    let auth = format!("Bearer {token}");
    let agent = agent();
    let result = match (method, body) {
        ("GET", _) => agent.get(url).header("authorization", &auth).call(),
        ("DELETE", _) => agent.delete(url).header("authorization", &auth).call(),
        (_, body) => agent
            .post(url)
            .header("authorization", &auth)
            .send_json(body.unwrap_or(json!({}))),
    };
    let mut resp = result.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = resp.status().as_u16();
    let value = resp.body_mut().read_json::<Value>().unwrap_or(Value::Null);
    Ok((status, value))
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
                .get(&format!(
                    "{base}{}",
                    Endpoint::SignInInfo.path(&[tenant_id])
                ))
                .call();
            if probe.is_ok_and(|r| r.status() == 200) {
                return with_member(base, token, saved);
            }
        }
    }
    let tenant_body = json!({
        "displayName": "Contoso (demo)",
        "verifiedDomains": ["contoso.example"],
        "admin": {"displayName": "Demo Administrator", "userPrincipalName": "admin@contoso.example"}
    });
    let (status, tenant) = post(
        &format!("{base}{}", Endpoint::CreateTenant.path(&[])),
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
        &format!("{base}{}", Endpoint::Invite.path(&[&tenant_id])),
        token,
        invite,
    )?;
    if status != 201 {
        return Err(format!(
            "inviting the demo guest answered {status}: {invitation}"
        ));
    }
    with_member(
        base,
        token,
        json!({ "tenant": tenant, "invitation": invitation }),
    )
}

/// Adds the demo member (once; demos seeded before members existed get one too) and saves.
fn with_member(base: &str, token: &str, mut demo: Value) -> Result<Value, String> {
    if demo["member"]["id"].is_string() {
        return Ok(demo);
    }
    let tenant_id = demo["tenant"]["tenant"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let users = format!("{base}{}", Endpoint::CreateUser.path(&[&tenant_id]));
    let body = json!({"displayName": "Megan Bowen (demo member)", "userPrincipalName": MEMBER});
    let (status, member) = post(&users, token, body)?;
    demo["member"] = match status {
        201 => member,
        409 => {
            let (_, list) = call("GET", &format!("{users}?userType=Member"), token, None)?;
            let found = list["value"]
                .as_array()
                .and_then(|v| v.iter().find(|u| u["userPrincipalName"] == MEMBER).cloned());
            found.ok_or("the demo member exists but cannot be found")?
        }
        _ => {
            return Err(format!(
                "adding the demo member answered {status}: {member}"
            ))
        }
    };
    std::fs::write(
        demo_file(),
        serde_json::to_string_pretty(&demo).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    Ok(demo)
}

const MEMBER: &str = "megan@contoso.example";

/// A usable pass for `user_id`: the one saved in `demo.json` while the API says it is still
/// usable, else a new one (an expired or used one is replaced; a valid one we cannot show is
/// deleted first). Saved back, since the API shows a value only once.
pub fn current_pass(base: &str, token: &str, demo: &mut Value, who: &str) -> Result<Value, String> {
    let tenant_id = demo["tenant"]["tenant"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let user_id = match who {
        "admin" => demo["tenant"]["admin"]["id"].as_str(),
        _ => demo["member"]["id"].as_str(),
    }
    .unwrap_or_default()
    .to_string();
    let passes = format!(
        "{base}{}",
        Endpoint::ListPasses.path(&[&tenant_id, &user_id])
    );
    let saved = match who {
        "admin" => demo["tenant"]["temporaryAccessPass"].clone(),
        _ => demo["memberPass"].clone(),
    };
    let (status, list) = call("GET", &passes, token, None)?;
    if status != 200 {
        return Err(format!(
            "reading the demo {who}'s pass answered {status}: {list}"
        ));
    }
    let current = list["value"].get(0).cloned().unwrap_or(Value::Null);
    let saved_is_current = saved["temporaryAccessPass"].is_string()
        && current["isUsable"] == true
        && (saved["id"].is_null() || saved["id"] == current["id"]);
    if saved_is_current {
        return Ok(saved);
    }
    if current["isUsable"] == true || current["methodUsabilityReason"] == "NotYetValid" {
        call(
            "DELETE",
            &format!(
                "{base}{}",
                Endpoint::DeletePass.path(&[
                    &tenant_id,
                    &user_id,
                    current["id"].as_str().unwrap_or_default()
                ])
            ),
            token,
            None,
        )?;
    }
    let (status, pass) = call(
        "POST",
        &passes,
        token,
        Some(json!({"lifetimeInMinutes": 480})),
    )?;
    if status != 201 {
        return Err(format!(
            "issuing the demo {who}'s pass answered {status}: {pass}"
        ));
    }
    match who {
        "admin" => demo["tenant"]["temporaryAccessPass"] = pass.clone(),
        _ => demo["memberPass"] = pass.clone(),
    }
    std::fs::write(
        demo_file(),
        serde_json::to_string_pretty(demo).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    Ok(pass)
}

/// A saved link on the current server (the demo may have been seeded on another port).
fn rebased(base: &str, saved_url: &str, tenant_id: &str) -> String {
    saved_url
        .find(&format!("/{tenant_id}/"))
        .map(|at| format!("{base}{}", &saved_url[at..]))
        .unwrap_or_default()
}

pub fn print(base: &str, demo: &Value, admin_pass: &Value, member_pass: &Value) {
    let tenant = &demo["tenant"];
    let tenant_id = tenant["tenant"]["id"].as_str().unwrap_or("");
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
    println!("  Console:          {base}/{tenant_id}/admin   (sign in as the administrator)");
    println!(
        "  Administrator:    {}",
        tenant["admin"]["userPrincipalName"].as_str().unwrap_or("")
    );
    println!("  Admin's pass:     {}", describe_pass(admin_pass));
    println!(
        "  Demo member:      {}",
        demo["member"]["userPrincipalName"].as_str().unwrap_or("")
    );
    println!("  Member's pass:    {}", describe_pass(member_pass));
    println!(
        "  Security info:    {base}/{tenant_id}/security-info   (the member adds a passkey there)"
    );
    println!("  My apps:          {base}/{tenant_id}/apps   (the applications a signed-in user may open)");
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
    println!(
        "  Outbox (codes):   {base}/dev/outbox   (JSON: {base}{})",
        Endpoint::DevOutbox.path(&[])
    );
    println!("Press Ctrl-C to stop.");
}

fn describe_pass(pass: &Value) -> String {
    format!(
        "{}  (Temporary Access Pass from {}, {} minutes; a new one when it runs out)",
        pass["temporaryAccessPass"].as_str().unwrap_or(""),
        pass["startDateTime"].as_str().unwrap_or(""),
        pass["lifetimeInMinutes"]
    )
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

//! Applications: the tenant's OpenID Connect clients (after Microsoft Graph's `application`):
//! where they may send a signed-in user back (exact redirect URIs), whether they hold a secret
//! (confidential) or not (public, PKCE only), who may use them, and their client secrets — shown
//! once when made, kept only as keyed hashes.

use serde::{Deserialize, Serialize};

/// Redirect URIs (and post-logout redirect URIs) one application may list.
pub const MAX_REDIRECT_URIS: usize = 20;
/// Users and groups one application may be assigned to.
pub const MAX_ASSIGNMENTS: usize = 100;
/// Client secrets valid at once (a new one beside the old while clients move over).
pub const MAX_CLIENT_SECRETS: usize = 5;
pub const MAX_APPLICATION_NAME: usize = 120;
/// The characters of a secret shown again in lists, so an administrator can tell them apart.
pub const SECRET_HINT_LENGTH: usize = 3;

named_enum! {
    /// Whether an assignment names a user or a group.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AssignmentType {
        User = "user",
        Group = "group",
    }
}

named_enum! {
    /// How the application's ID tokens are signed: ES256 by default; RS256 for clients that know
    /// only it (OpenID Connect Discovery requires it listed).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum IdTokenAlgorithm {
        #[default]
        Es256 = "ES256",
        Rs256 = "RS256",
    }
}

/// A user or a group the application is open to (when assignment is required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AssignmentType,
}

/// A client secret as lists show it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSecret {
    pub id: String,
    /// The secret's first characters.
    pub hint: String,
    pub created_date_time: String,
}

/// `POST …/applications/{id}/secrets`: the new secret, its value shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewClientSecret {
    pub id: String,
    pub secret_text: String,
    pub hint: String,
    pub created_date_time: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    /// What the application sends as `client_id`.
    pub client_id: String,
    pub display_name: String,
    pub redirect_uris: Vec<String>,
    /// Where RP-initiated logout may send the browser afterwards.
    pub post_logout_redirect_uris: Vec<String>,
    /// No secret: it proves itself with PKCE alone (a single-page or native app).
    pub public_client: bool,
    /// Open only to `assignments`; otherwise to everyone in the tenant.
    pub assignment_required: bool,
    pub assignments: Vec<Assignment>,
    pub id_token_signed_response_alg: IdTokenAlgorithm,
    /// Where "My apps" sends a user who opens it (by default the first redirect URI's site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    pub secrets: Vec<ClientSecret>,
    pub created_date_time: String,
}

/// `GET …/me/applications`: an application the signed-in user may open from "My apps" (the
/// seed's access panel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MyApplication {
    pub id: String,
    pub display_name: String,
    /// The application's home page, where its own sign-in starts.
    pub launch_url: String,
}

/// `POST …/applications`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateApplicationRequest {
    pub display_name: String,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    pub public_client: bool,
    #[serde(default)]
    pub assignment_required: bool,
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    #[serde(default)]
    pub id_token_signed_response_alg: IdTokenAlgorithm,
    #[serde(default)]
    pub home_page_url: Option<String>,
}

/// `PATCH …/applications/{id}`: any subset of the fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_logout_redirect_uris: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_client: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignments: Option<Vec<Assignment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_signed_response_alg: Option<IdTokenAlgorithm>,
    /// An empty string removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
}

/// Why a redirect URI cannot be registered, or `None` when it can: absolute `https` (or `http` on
/// a loopback host, for development), no fragment (RFC 6749 §3.1.2), no credentials. The
/// authorization endpoint then compares the one a client sends with these exactly.
pub fn redirect_uri_problem(uri: &str) -> Option<&'static str> {
    if uri.contains('#') {
        Some("A redirect URI cannot have a fragment.")
    } else if !crate::redirect::is_acceptable_redirect(uri) {
        Some("A redirect URI must be an absolute https URL, or http on localhost.")
    } else {
        None
    }
}

/// Why a home page URL cannot be registered, or `None` when it can: absolute `https` (or `http`
/// on a loopback host), no credentials.
pub fn home_page_url_problem(url: &str) -> Option<&'static str> {
    (!crate::redirect::is_acceptable_redirect(url))
        .then_some("A home page URL must be an absolute https URL, or http on localhost.")
}

/// Where "My apps" opens an application: its home page, or else the site of its first redirect
/// URI (`https://wiki.example/auth/callback` → `https://wiki.example/`); `None` when it has
/// neither.
pub fn launch_url(home_page_url: Option<&str>, redirect_uris: &[String]) -> Option<String> {
    if let Some(home) = home_page_url {
        return Some(home.to_string());
    }
    let (scheme, authority) = crate::redirect::scheme_and_authority(redirect_uris.first()?)?;
    Some(format!("{scheme}://{authority}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_https_or_loopback_http_without_fragments() {
        for good in [
            "https://app.contoso.example/callback",
            "https://app.contoso.example:8443/auth/cb?tenant=1",
            "http://localhost:3000/callback",
            "http://127.0.0.1:8080/cb",
            "http://[::1]/cb",
        ] {
            assert_eq!(redirect_uri_problem(good), None, "{good}");
        }
        for bad in [
            "http://app.contoso.example/callback",
            "https://app.contoso.example/callback#x",
            "https://user:pw@app.contoso.example/cb",
            "/callback",
            "javascript:alert(1)",
            "https://app.contoso.example/ cb",
            "myapp://callback",
        ] {
            assert!(redirect_uri_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn an_application_travels_in_graphs_camel_case_and_defaults_to_es256() {
        let request: CreateApplicationRequest = serde_json::from_str(
            r#"{"displayName":"Wiki","redirectUris":["https://wiki.example/cb"]}"#,
        )
        .unwrap();
        assert_eq!(
            request.id_token_signed_response_alg,
            IdTokenAlgorithm::Es256
        );
        assert!(!request.public_client && !request.assignment_required);
        let assignment: Assignment = serde_json::from_str(r#"{"id":"g1","type":"group"}"#).unwrap();
        assert_eq!(assignment.kind, AssignmentType::Group);
        assert!(serde_json::from_str::<ApplicationPatch>(r#"{"clientId":"x"}"#).is_err());
    }

    #[test]
    fn my_apps_opens_the_home_page_or_else_the_first_redirect_uris_site() {
        let uris = vec![
            "https://wiki.example:8443/auth/callback?x=1".to_string(),
            "https://other.example/cb".to_string(),
        ];
        assert_eq!(
            launch_url(Some("https://wiki.example/start"), &uris).as_deref(),
            Some("https://wiki.example/start")
        );
        assert_eq!(
            launch_url(None, &uris).as_deref(),
            Some("https://wiki.example:8443/")
        );
        assert_eq!(launch_url(None, &[]), None);
        assert_eq!(home_page_url_problem("https://wiki.example/"), None);
        assert!(home_page_url_problem("javascript:alert(1)").is_some());
        assert!(home_page_url_problem("http://wiki.example/").is_some());
    }
}

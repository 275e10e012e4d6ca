//! The tenant's applications (OpenID Connect clients): register, read, change and delete them,
//! and give them client secrets. Global Administrators (and the operator) change them; every
//! administrator role reads them. A secret's value is shown once and kept as a keyed hash.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_wire::application::{
    home_page_url_problem, launch_url, redirect_uri_problem, Application, ApplicationPatch,
    Assignment, AssignmentType, ClientSecret, CreateApplicationRequest, IdTokenAlgorithm,
    MyApplication, NewClientSecret, MAX_APPLICATION_NAME, MAX_ASSIGNMENTS, MAX_CLIENT_SECRETS,
    MAX_REDIRECT_URIS, SECRET_HINT_LENGTH,
};
use guestpass_wire::{List, SessionScope};
use hmac::Mac;
use serde::{Deserialize, Serialize};

use super::authorize::is_assigned;
use crate::audit;
use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::keys::{KeyPurpose, KeyRing};
use crate::ports::{Entropy, Ports};
use crate::session;
use crate::time::{format_rfc3339, UnixMillis};

/// An application as stored: its secrets as keyed hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationRecord {
    pub id: String,
    pub tenant_id: String,
    pub client_id: String,
    pub display_name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub public_client: bool,
    pub assignment_required: bool,
    pub assignments: Vec<Assignment>,
    pub id_token_signed_response_alg: IdTokenAlgorithm,
    /// Absent from applications registered before "My apps".
    #[serde(default)]
    pub home_page_url: Option<String>,
    pub secrets: Vec<SecretRecord>,
    pub created_at: UnixMillis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretRecord {
    pub id: String,
    pub hint: String,
    /// The signing key the hash was made with (keys rotate; old hashes still verify).
    pub key_id: String,
    pub hash: String,
    pub created_at: UnixMillis,
}

impl ApplicationRecord {
    pub fn view(&self) -> Application {
        Application {
            id: self.id.clone(),
            client_id: self.client_id.clone(),
            display_name: self.display_name.clone(),
            redirect_uris: self.redirect_uris.clone(),
            post_logout_redirect_uris: self.post_logout_redirect_uris.clone(),
            public_client: self.public_client,
            assignment_required: self.assignment_required,
            assignments: self.assignments.clone(),
            id_token_signed_response_alg: self.id_token_signed_response_alg,
            home_page_url: self.home_page_url.clone(),
            secrets: self
                .secrets
                .iter()
                .map(|s| ClientSecret {
                    id: s.id.clone(),
                    hint: s.hint.clone(),
                    created_date_time: format_rfc3339(s.created_at),
                })
                .collect(),
            created_date_time: format_rfc3339(self.created_at),
        }
    }

    /// Whether `typed` is one of this application's secrets, in constant time for each.
    pub fn secret_matches(&self, keys: &KeyRing, typed: &str) -> bool {
        let mut found = false;
        for secret in &self.secrets {
            let Ok(stored) = URL_SAFE_NO_PAD.decode(&secret.hash) else {
                continue;
            };
            let parts = [self.tenant_id.as_str(), self.id.as_str(), typed];
            found |= keys
                .hash_parts(&secret.key_id, KeyPurpose::ClientSecret, &parts)
                .is_some_and(|mac| mac.verify_slice(&stored).is_ok());
        }
        found
    }
}

/// The fields an application is made of, checked: what `create` and `patch` store.
struct Checked {
    display_name: String,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    assignments: Vec<Assignment>,
    home_page_url: Option<String>,
}

/// A home page as stored: `None` for an empty one.
fn home_page_url(url: &str) -> Result<Option<String>, DomainError> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    match home_page_url_problem(url) {
        Some(problem) => Err(DomainError::validation("homePageUrl", problem)),
        None => Ok(Some(url.to_string())),
    }
}

fn display_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_APPLICATION_NAME {
        return Err(DomainError::validation(
            "displayName",
            format!("Give the application a name of 1 to {MAX_APPLICATION_NAME} characters."),
        ));
    }
    Ok(name.to_string())
}

/// Redirect URIs as registered: each acceptable, at most `MAX_REDIRECT_URIS`, duplicates once.
fn uris(field: &'static str, uris: &[String]) -> Result<Vec<String>, DomainError> {
    if uris.len() > MAX_REDIRECT_URIS {
        return Err(DomainError::validation(
            field,
            format!("List at most {MAX_REDIRECT_URIS} URIs."),
        ));
    }
    let mut kept: Vec<String> = Vec::new();
    for uri in uris {
        if let Some(problem) = redirect_uri_problem(uri) {
            return Err(DomainError::validation(
                field,
                format!("{uri:?}: {problem}"),
            ));
        }
        if !kept.contains(uri) {
            kept.push(uri.clone());
        }
    }
    Ok(kept)
}

/// Assignments as stored: users must exist in the tenant; groups are the directory's names.
async fn assignments<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    requested: &[Assignment],
) -> Result<Vec<Assignment>, DomainError> {
    if requested.len() > MAX_ASSIGNMENTS {
        return Err(DomainError::validation(
            "assignments",
            format!("Assign at most {MAX_ASSIGNMENTS} users and groups."),
        ));
    }
    let mut kept: Vec<Assignment> = Vec::new();
    for assignment in requested {
        let id = assignment.id.trim();
        if id.is_empty() || id.len() > 256 {
            return Err(DomainError::validation(
                "assignments",
                "Each assignment needs the id of a user or the name of a group.",
            ));
        }
        if assignment.kind == AssignmentType::User
            && cx.directory().user(&tenant.id, id).await?.is_none()
        {
            return Err(DomainError::validation(
                "assignments",
                format!("There is no user {id:?} in this organization."),
            ));
        }
        let assignment = Assignment {
            id: id.to_string(),
            kind: assignment.kind,
        };
        if !kept.contains(&assignment) {
            kept.push(assignment);
        }
    }
    Ok(kept)
}

/// An RS256 application needs the tenant's RS256 key: made now, so that it is in the JWKS
/// before the first token it signs.
async fn publish_keys_for<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    app: &ApplicationRecord,
) -> Result<(), DomainError> {
    if app.id_token_signed_response_alg == IdTokenAlgorithm::Rs256 {
        super::stored_keys::current(cx, &tenant.id).await?;
    }
    Ok(())
}

async fn find<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    id: &str,
) -> Result<ApplicationRecord, DomainError> {
    cx.directory()
        .application(&tenant.id, id)
        .await?
        .ok_or(DomainError::ApplicationNotFound)
}

/// `GET applications`: every application of the tenant.
pub async fn list<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<List<Application>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadDirectory).await?;
    let applications = cx.directory().applications(&tenant.id).await?;
    Ok(List::whole(
        applications.iter().map(ApplicationRecord::view).collect(),
    ))
}

/// `GET me/applications` ("My apps"): the applications the signed-in user may use and open,
/// by name. One with neither a home page nor a redirect URI has nowhere to open, so is left out.
pub async fn mine<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<List<MyApplication>, DomainError> {
    let (claims, user) = session::current(cx, credentials, tenant).await?;
    if claims.scope != SessionScope::Full {
        return Err(DomainError::Forbidden(
            "Sign in fully to see your applications.",
        ));
    }
    let mut mine: Vec<MyApplication> = cx
        .directory()
        .applications(&tenant.id)
        .await?
        .into_iter()
        .filter(|app| is_assigned(app, &user))
        .filter_map(|app| {
            Some(MyApplication {
                launch_url: launch_url(app.home_page_url.as_deref(), &app.redirect_uris)?,
                id: app.id,
                display_name: app.display_name,
            })
        })
        .collect();
    mine.sort_by_cached_key(|app| app.display_name.to_lowercase());
    Ok(List::whole(mine))
}

/// `GET applications/{id}`.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> Result<Application, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadDirectory).await?;
    Ok(find(cx, tenant, id).await?.view())
}

/// `POST applications`: a new application with an id and a client id of its own, no secret yet.
pub async fn create<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    body: impl Body<CreateApplicationRequest>,
) -> Result<Application, DomainError> {
    let principal =
        authz::authorized(cx, credentials, tenant, Permission::ManageApplications).await?;
    let request = body.read().await?;
    let checked = Checked {
        display_name: display_name(&request.display_name)?,
        redirect_uris: uris("redirectUris", &request.redirect_uris)?,
        post_logout_redirect_uris: uris(
            "postLogoutRedirectUris",
            &request.post_logout_redirect_uris,
        )?,
        assignments: assignments(cx, tenant, &request.assignments).await?,
        home_page_url: home_page_url(request.home_page_url.as_deref().unwrap_or(""))?,
    };
    let record = ApplicationRecord {
        id: cx.uuid()?,
        tenant_id: tenant.id.clone(),
        client_id: cx.uuid()?,
        display_name: checked.display_name,
        redirect_uris: checked.redirect_uris,
        post_logout_redirect_uris: checked.post_logout_redirect_uris,
        public_client: request.public_client,
        assignment_required: request.assignment_required,
        assignments: checked.assignments,
        id_token_signed_response_alg: request.id_token_signed_response_alg,
        home_page_url: checked.home_page_url,
        secrets: Vec::new(),
        created_at: cx.now,
    };
    publish_keys_for(cx, tenant, &record).await?;
    cx.directory().save_application(&record).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Add application",
        &record.id,
        Some(record.display_name.clone()),
    );
    Ok(record.view())
}

/// `PATCH applications/{id}`: any subset of the fields; the ids and secrets stay.
pub async fn patch<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
    body: impl Body<ApplicationPatch>,
) -> Result<Application, DomainError> {
    let principal =
        authz::authorized(cx, credentials, tenant, Permission::ManageApplications).await?;
    let patch = body.read().await?;
    let mut record = find(cx, tenant, id).await?;
    if let Some(name) = &patch.display_name {
        record.display_name = display_name(name)?;
    }
    if let Some(list) = &patch.redirect_uris {
        record.redirect_uris = uris("redirectUris", list)?;
    }
    if let Some(list) = &patch.post_logout_redirect_uris {
        record.post_logout_redirect_uris = uris("postLogoutRedirectUris", list)?;
    }
    if let Some(list) = &patch.assignments {
        record.assignments = assignments(cx, tenant, list).await?;
    }
    if let Some(public) = patch.public_client {
        // A public client proves itself with PKCE alone: secrets it held stop counting.
        if public {
            record.secrets.clear();
        }
        record.public_client = public;
    }
    if let Some(required) = patch.assignment_required {
        record.assignment_required = required;
    }
    if let Some(algorithm) = patch.id_token_signed_response_alg {
        record.id_token_signed_response_alg = algorithm;
    }
    if let Some(url) = &patch.home_page_url {
        record.home_page_url = home_page_url(url)?;
    }
    publish_keys_for(cx, tenant, &record).await?;
    cx.directory().update_application(&record).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Update application",
        &record.id,
        Some(record.display_name.clone()),
    );
    Ok(record.view())
}

/// `DELETE applications/{id}`: its client id stops working at once.
pub async fn delete<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> Result<(), DomainError> {
    let principal =
        authz::authorized(cx, credentials, tenant, Permission::ManageApplications).await?;
    let record = find(cx, tenant, id).await?;
    cx.directory().delete_application(&record).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Delete application",
        &record.id,
        Some(record.display_name),
    );
    Ok(())
}

/// `POST applications/{id}/secrets`: a new secret beside the others (so clients can move over
/// before the old one is deleted); its value is in this answer only.
pub async fn add_secret<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> Result<NewClientSecret, DomainError> {
    let principal =
        authz::authorized(cx, credentials, tenant, Permission::ManageApplications).await?;
    let mut record = find(cx, tenant, id).await?;
    if record.public_client {
        return Err(DomainError::validation(
            "publicClient",
            "A public client has no secrets: it proves itself with PKCE.",
        ));
    }
    if record.secrets.len() >= MAX_CLIENT_SECRETS {
        return Err(DomainError::validation(
            "secrets",
            format!("An application holds at most {MAX_CLIENT_SECRETS} secrets: delete one first."),
        ));
    }
    // 32 random bytes: 256 bits, as base64url (43 characters).
    let value = URL_SAFE_NO_PAD.encode(cx.ports.entropy().bytes::<32>()?);
    let keys = &cx.settings.keys;
    let key_id = keys.signing().id.clone();
    let parts = [
        record.tenant_id.as_str(),
        record.id.as_str(),
        value.as_str(),
    ];
    let hash = keys
        .hash_parts(&key_id, KeyPurpose::ClientSecret, &parts)
        .ok_or_else(|| DomainError::Internal("the signing key".into()))?;
    let secret = SecretRecord {
        id: cx.uuid()?,
        hint: value.chars().take(SECRET_HINT_LENGTH).collect(),
        key_id,
        hash: URL_SAFE_NO_PAD.encode(hash.finalize().into_bytes()),
        created_at: cx.now,
    };
    let answer = NewClientSecret {
        id: secret.id.clone(),
        secret_text: value,
        hint: secret.hint.clone(),
        created_date_time: format_rfc3339(secret.created_at),
    };
    record.secrets.push(secret);
    cx.directory().update_application(&record).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Add client secret",
        &record.id,
        Some(format!("secret {}", answer.id)),
    );
    Ok(answer)
}

/// `DELETE applications/{id}/secrets/{secretId}`: the secret stops working.
pub async fn remove_secret<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
    secret_id: &str,
) -> Result<(), DomainError> {
    let principal =
        authz::authorized(cx, credentials, tenant, Permission::ManageApplications).await?;
    let mut record = find(cx, tenant, id).await?;
    let before = record.secrets.len();
    record.secrets.retain(|s| s.id != secret_id);
    if record.secrets.len() == before {
        return Err(DomainError::SecretNotFound);
    }
    cx.directory().update_application(&record).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Remove client secret",
        &record.id,
        Some(format!("secret {secret_id}")),
    );
    Ok(())
}

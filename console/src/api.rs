//! The console's calls: each one an operation of the wire crate's endpoint table, through the
//! app's typed client (aborted when the view that made it goes away).

use guestpass_app::api::{call_op, next_page, Failure};
use guestpass_wire::api::op;
use guestpass_wire::application::{
    Application, ApplicationPatch, CreateApplicationRequest, NewClientSecret,
};
use guestpass_wire::passkey::{PasskeyMethod, PasskeyPolicy, PasskeyPolicyPatch};
use guestpass_wire::tap::{
    CreatePassRequest, TemporaryAccessPassMethod, TemporaryAccessPassPolicy,
    TemporaryAccessPassPolicyPatch,
};
use guestpass_wire::{
    Branding, BrandingPatch, CreateUserRequest, DirectoryAuditEntry, Done, EmailOtpPolicy,
    EmailOtpPolicyPatch, ErrorCode, ExternalCollaborationPolicy, Invitation, InvitationRequest,
    List, NoBody, SignInBucket, SignInLogEntry, User,
};

/// A failed load, as an error an `ErrorBoundary` can hold.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError(pub Failure);

/// What the page says comes from the failure's code ([`crate::components::outcome::failure_key`]);
/// this text is only what an error boundary requires, so it names the kind without the
/// failure's `Debug`.
impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Failure::Api { code, .. } => f.write_str(code.as_str()),
            _ => f.write_str("the request did not complete"),
        }
    }
}

impl std::error::Error for LoadError {}

pub type Loaded<T> = Result<T, LoadError>;

fn load<T>(result: Result<T, Failure>) -> Loaded<T> {
    result.map_err(LoadError)
}

pub use guestpass_app::api::{session, sign_in_info, sign_out};

pub async fn users(
    tenant: &str,
    search: Option<&str>,
    user_type: Option<&str>,
    top: usize,
) -> Loaded<List<User>> {
    let top = top.to_string();
    let query = [
        ("search", search.unwrap_or("")),
        ("userType", user_type.unwrap_or("")),
        ("top", top.as_str()),
    ];
    load(call_op::<op::ListUsers>(&[tenant], &query, None).await)
}

pub async fn page<T: serde::de::DeserializeOwned>(next_link: &str) -> Loaded<List<T>> {
    load(next_page(next_link).await)
}

/// The user, `None` when there is no such user (deleted meanwhile, or a mistyped link).
pub async fn user(tenant: &str, id: &str) -> Loaded<Option<User>> {
    match call_op::<op::GetUser>(&[tenant, id], &[], None).await {
        Ok(user) => Ok(Some(user)),
        Err(Failure::Api {
            code: ErrorCode::UserNotFound | ErrorCode::NotFound,
            ..
        }) => Ok(None),
        Err(failure) => Err(LoadError(failure)),
    }
}

pub async fn invite(tenant: &str, body: InvitationRequest) -> Result<Invitation, Failure> {
    call_op::<op::Invite>(&[tenant], &[], Some(&body)).await
}

pub async fn add_member(tenant: &str, body: CreateUserRequest) -> Result<User, Failure> {
    call_op::<op::CreateUser>(&[tenant], &[], Some(&body)).await
}

pub async fn delete_user(tenant: &str, id: &str) -> Result<NoBody, Failure> {
    call_op::<op::DeleteUser>(&[tenant, id], &[], None).await
}

pub async fn revoke_sessions(tenant: &str, id: &str) -> Result<Done, Failure> {
    call_op::<op::RevokeSessions>(&[tenant, id], &[], Some(&NoBody)).await
}

pub async fn passes(tenant: &str, id: &str) -> Loaded<List<TemporaryAccessPassMethod>> {
    load(call_op::<op::ListPasses>(&[tenant, id], &[], None).await)
}

pub async fn create_pass(
    tenant: &str,
    id: &str,
    body: CreatePassRequest,
) -> Result<TemporaryAccessPassMethod, Failure> {
    call_op::<op::CreatePass>(&[tenant, id], &[], Some(&body)).await
}

pub async fn delete_pass(tenant: &str, id: &str, method: &str) -> Result<NoBody, Failure> {
    call_op::<op::DeletePass>(&[tenant, id, method], &[], None).await
}

pub async fn passkeys(tenant: &str, id: &str) -> Loaded<List<PasskeyMethod>> {
    load(call_op::<op::ListPasskeys>(&[tenant, id], &[], None).await)
}

pub async fn delete_passkey(tenant: &str, id: &str, method: &str) -> Result<NoBody, Failure> {
    call_op::<op::DeletePasskey>(&[tenant, id, method], &[], None).await
}

pub async fn passkey_policy(tenant: &str) -> Loaded<PasskeyPolicy> {
    load(call_op::<op::GetPasskeyPolicy>(&[tenant], &[], None).await)
}

pub async fn patch_passkey_policy(
    tenant: &str,
    body: PasskeyPolicyPatch,
) -> Result<PasskeyPolicy, Failure> {
    call_op::<op::PatchPasskeyPolicy>(&[tenant], &[], Some(&body)).await
}

pub async fn email_otp_policy(tenant: &str) -> Loaded<EmailOtpPolicy> {
    load(call_op::<op::GetEmailOtpPolicy>(&[tenant], &[], None).await)
}

pub async fn patch_email_otp_policy(
    tenant: &str,
    body: EmailOtpPolicyPatch,
) -> Result<EmailOtpPolicy, Failure> {
    call_op::<op::PatchEmailOtpPolicy>(&[tenant], &[], Some(&body)).await
}

pub async fn branding(tenant: &str) -> Loaded<Branding> {
    load(call_op::<op::GetBranding>(&[tenant], &[], None).await)
}

pub async fn patch_branding(tenant: &str, body: BrandingPatch) -> Result<Branding, Failure> {
    call_op::<op::PatchBranding>(&[tenant], &[], Some(&body)).await
}

pub async fn upload_logo(tenant: &str, file: web_sys::File) -> Result<Branding, Failure> {
    guestpass_app::api::upload::<op::PutBannerLogo>(&[tenant], file.into()).await
}

pub async fn external_collaboration(tenant: &str) -> Loaded<ExternalCollaborationPolicy> {
    load(call_op::<op::GetExternalCollaboration>(&[tenant], &[], None).await)
}

pub async fn patch_external_collaboration(
    tenant: &str,
    body: ExternalCollaborationPolicy,
) -> Result<ExternalCollaborationPolicy, Failure> {
    call_op::<op::PatchExternalCollaboration>(&[tenant], &[], Some(&body)).await
}

pub async fn pass_policy(tenant: &str) -> Loaded<TemporaryAccessPassPolicy> {
    load(call_op::<op::GetPassPolicy>(&[tenant], &[], None).await)
}

pub async fn patch_pass_policy(
    tenant: &str,
    body: TemporaryAccessPassPolicyPatch,
) -> Result<TemporaryAccessPassPolicy, Failure> {
    call_op::<op::PatchPassPolicy>(&[tenant], &[], Some(&body)).await
}

/// The sign-in log's first page for `filters` (`from`, `outcome`, `method`, `user`).
pub async fn sign_ins(tenant: &str, filters: &[(&str, &str)]) -> Loaded<List<SignInLogEntry>> {
    load(call_op::<op::SignInLogs>(&[tenant], filters, None).await)
}

pub async fn sign_in_summary(
    tenant: &str,
    from: &str,
    interval: &str,
) -> Loaded<List<SignInBucket>> {
    let query = [("from", from), ("interval", interval)];
    load(call_op::<op::SignInSummary>(&[tenant], &query, None).await)
}

/// The directory log's first page for `filters` (`from`, `activity`, `top`).
pub async fn directory_log(
    tenant: &str,
    filters: &[(&str, &str)],
) -> Loaded<List<DirectoryAuditEntry>> {
    load(call_op::<op::DirectoryLogs>(&[tenant], filters, None).await)
}

pub async fn applications(tenant: &str) -> Loaded<List<Application>> {
    load(call_op::<op::ListApplications>(&[tenant], &[], None).await)
}

/// The application, `None` when there is no such application (deleted meanwhile, or a
/// mistyped link).
pub async fn application(tenant: &str, id: &str) -> Loaded<Option<Application>> {
    match call_op::<op::GetApplication>(&[tenant, id], &[], None).await {
        Ok(app) => Ok(Some(app)),
        Err(Failure::Api {
            code: ErrorCode::NotFound,
            ..
        }) => Ok(None),
        Err(failure) => Err(LoadError(failure)),
    }
}

pub async fn create_application(
    tenant: &str,
    body: CreateApplicationRequest,
) -> Result<Application, Failure> {
    call_op::<op::CreateApplication>(&[tenant], &[], Some(&body)).await
}

pub async fn patch_application(
    tenant: &str,
    id: &str,
    body: ApplicationPatch,
) -> Result<Application, Failure> {
    call_op::<op::PatchApplication>(&[tenant, id], &[], Some(&body)).await
}

pub async fn delete_application(tenant: &str, id: &str) -> Result<NoBody, Failure> {
    call_op::<op::DeleteApplication>(&[tenant, id], &[], None).await
}

pub async fn add_client_secret(tenant: &str, id: &str) -> Result<NewClientSecret, Failure> {
    call_op::<op::AddClientSecret>(&[tenant, id], &[], Some(&NoBody)).await
}

pub async fn remove_client_secret(tenant: &str, id: &str, secret: &str) -> Result<NoBody, Failure> {
    call_op::<op::RemoveClientSecret>(&[tenant, id, secret], &[], None).await
}

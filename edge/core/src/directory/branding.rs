//! Company branding: the sign-in screens' banner logo, background colour, text and username
//! hint. Administrators read it; Global Administrators change it; the sign-in screens get it
//! through `GET sign-in` and the logo from its own public URL.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use guestpass_wire::api::Endpoint;
use guestpass_wire::{Branding, BrandingPatch, LogoFormat, MAX_LOGO_BYTES};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::tenant::change_setting;
use super::TenantRecord;
use crate::audit;
use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::error::DomainError;
use crate::ports::Ports;
use crate::storage_keys;

/// A stored banner logo (`logo:{tenantId}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoRecord {
    pub content_type: String,
    /// The image, base64.
    pub data: String,
}

/// `GET branding`.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<Branding, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadPolicies).await?;
    Ok(tenant.branding.clone())
}

/// `PATCH branding`: each field given replaces the stored one; an empty string clears it.
pub async fn patch<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
    body: impl Body<BrandingPatch>,
) -> Result<Branding, DomainError> {
    let tenant = change_setting(
        cx,
        credentials,
        tenant,
        Permission::ManageUsers,
        body,
        "Update company branding",
        |tenant, patch: BrandingPatch| {
            if let Some(field) = patch.problems().first() {
                return Err(DomainError::validation(
                    field,
                    match *field {
                        "backgroundColor" => {
                            "backgroundColor is a colour like #0a5 or #00aa55.".to_string()
                        }
                        "signInPageText" => format!(
                            "signInPageText is at most {} characters.",
                            guestpass_wire::MAX_SIGN_IN_PAGE_TEXT
                        ),
                        _ => format!(
                            "usernameHintText is one line of at most {} characters.",
                            guestpass_wire::MAX_USERNAME_HINT
                        ),
                    },
                ));
            }
            let replace = |slot: &mut Option<String>, given: Option<String>| {
                if let Some(value) = given {
                    let value = value.trim().to_string();
                    *slot = (!value.is_empty()).then_some(value);
                }
            };
            let branding = &mut tenant.branding;
            replace(&mut branding.sign_in_page_text, patch.sign_in_page_text);
            replace(&mut branding.background_color, patch.background_color);
            replace(&mut branding.username_hint_text, patch.username_hint_text);
            branding.text_color = branding
                .background_color
                .as_deref()
                .and_then(guestpass_wire::text_color_on)
                .map(String::from);
            Ok(None)
        },
    )
    .await?;
    Ok(tenant.branding)
}

/// `PUT branding/banner-logo`: the image itself, at most [`MAX_LOGO_BYTES`]; a PNG, a JPEG or a
/// script-free SVG by its bytes, whatever the upload's type claims. The logo's URL carries a
/// digest of it, so a new logo is never hidden by a cached old one.
pub async fn set_logo<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    mut tenant: TenantRecord,
    image: &[u8],
) -> Result<Branding, DomainError> {
    let principal = authz::authorized(cx, credentials, &tenant, Permission::ManageUsers).await?;
    if image.len() > MAX_LOGO_BYTES {
        return Err(DomainError::PayloadTooLarge {
            limit: MAX_LOGO_BYTES,
        });
    }
    let format = LogoFormat::sniff(image).ok_or_else(|| {
        DomainError::validation(
            "bannerLogo",
            "The banner logo must be a PNG, a JPEG or an SVG without scripts.",
        )
    })?;
    let record = LogoRecord {
        content_type: format.content_type().to_string(),
        data: STANDARD.encode(image),
    };
    cx.directory()
        .put(&storage_keys::logo(&tenant.id), &record)
        .await?;
    let digest = Sha256::digest(image);
    let version = crate::ids::hex(&digest[..6]);
    let path = Endpoint::GetBannerLogo.path(&[&tenant.id]);
    tenant.branding.banner_logo_url = Some(format!("{path}?v={version}"));
    cx.directory().save_tenant(&tenant).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Upload banner logo",
        &tenant.id,
        Some(format!("{} bytes, {}", image.len(), format.content_type())),
    );
    Ok(tenant.branding)
}

/// `GET branding/banner-logo`: public, like the sign-in page that shows it. The content type and
/// the image, or `NotFound`.
pub async fn logo<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
) -> Result<(String, Vec<u8>), DomainError> {
    let record: LogoRecord = cx
        .directory()
        .get(&storage_keys::logo(&tenant.id))
        .await?
        .ok_or(DomainError::RouteNotFound)?;
    let image = STANDARD
        .decode(record.data)
        .map_err(|e| DomainError::Internal(format!("stored logo: {e}")))?;
    Ok((record.content_type, image))
}

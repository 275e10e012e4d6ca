//! The account bundle's pages: `/{tenant}/security-info` (a member's passkeys) and
//! `/{tenant}/apps` ("My apps"). They are a bundle of their own (`app/account.html`, the
//! `guestpass-account` binary), so the guest's sign-in app never carries their bytes. Nobody
//! signed in is sent to sign-in and brought back.

use super::my_apps::MyApps;
use super::security_info::SecurityInfo;
use super::tenant::{in_frame, load, Loaded};
use crate::browser;
use crate::components::frame::Skeleton;
use crate::route::{landing_path, my_apps_path, security_info_path, sign_in_href, TenantPage};
use guestpass_wire::SignInResult;
use leptos::prelude::*;

#[component]
pub fn AccountPage(tenant: String, page: TenantPage) -> impl IntoView {
    let Loaded { state, .. } = load(&tenant);
    // Signing in with a passkey just added ends on the sign-in app's landing page, which says how.
    let to_landing = {
        let tenant = tenant.clone();
        Callback::new(move |_: SignInResult| browser::leave_for(&landing_path(&tenant)))
    };
    let apps = page == TenantPage::MyApps;
    in_frame(tenant.clone(), state, move |_, session| {
        let tenant = tenant.clone();
        match session {
            Some(_) if apps => view! { <MyApps tenant /> }.into_any(),
            Some(session) => {
                view! { <SecurityInfo tenant session on_signed_in=to_landing /> }.into_any()
            }
            None => {
                let here = if apps {
                    my_apps_path(&tenant)
                } else {
                    security_info_path(&tenant)
                };
                browser::leave_for(&sign_in_href(&tenant, &here));
                view! { <Skeleton /> }.into_any()
            }
        }
    })
}

//! The account bundle's page, `/{tenant}/security-info`: a member's passkeys. It is a bundle of
//! its own (`app/account.html`, the `guestpass-account` binary), so the guest's sign-in app
//! never carries its bytes. Nobody signed in is sent to sign-in and brought back.

use super::security_info::SecurityInfo;
use super::tenant::{in_frame, load, Loaded};
use crate::browser;
use crate::components::frame::Skeleton;
use crate::route::{landing_path, security_info_path, sign_in_href};
use guestpass_wire::SignInResult;
use leptos::prelude::*;

#[component]
pub fn AccountPage(tenant: String) -> impl IntoView {
    let Loaded { state, .. } = load(&tenant);
    // Signing in with a passkey just added ends on the sign-in app's landing page, which says how.
    let to_landing = {
        let tenant = tenant.clone();
        Callback::new(move |_: SignInResult| browser::leave_for(&landing_path(&tenant)))
    };
    in_frame(tenant.clone(), state, move |_, session| {
        let tenant = tenant.clone();
        match session {
            Some(session) => {
                view! { <SecurityInfo tenant session on_signed_in=to_landing /> }.into_any()
            }
            None => {
                browser::leave_for(&sign_in_href(&tenant, &security_info_path(&tenant)));
                view! { <Skeleton /> }.into_any()
            }
        }
    })
}

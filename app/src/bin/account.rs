//! The account bundle (`/{tenant}/security-info`): built from `app/account.html` into
//! `dist/_account/`, so the sign-in app's bundle never carries the passkey management pages.

fn main() {
    guestpass_app::start_account();
}

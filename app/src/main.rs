fn main() {
    leptos::mount::mount_to_body(guestpass_app::App);
}

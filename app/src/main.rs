fn main() {
    guestpass_app::start();
}

fn main() {
    guestpass_console::start();
}

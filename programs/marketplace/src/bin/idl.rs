//! Prints the program's Anchor IDL (host build with `--features idl-build`).
fn main() {
    println!("{}", marketplace::idl());
}

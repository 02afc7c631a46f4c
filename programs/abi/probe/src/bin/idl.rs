//! Prints the probe's Anchor IDL.
fn main() {
    println!("{}", abi_probe::idl());
}

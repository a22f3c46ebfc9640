// The knowledge files and migrations are compiled into the binary: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=knowledge");
    println!("cargo:rerun-if-changed=migrations");
}

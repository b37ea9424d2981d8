//! Prints catalog conditions whose name matches an argument, with synonyms and documents.
#![allow(clippy::unwrap_used)]
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap();
    let needle = args.next().unwrap().to_lowercase();
    let k = kindred_app::Kindred::open(std::path::Path::new(&dir))
        .unwrap()
        .unwrap();
    for c in &k.library().catalog.conditions {
        if c.name.to_lowercase() == needle {
            println!("{} [{}] docs={:?}", c.name, c.slug, c.documents);
        }
    }
}

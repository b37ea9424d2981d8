//! Prints the passages of one document: id, section, copy mark and the first characters of the text.
#![allow(clippy::unwrap_used, missing_docs)]
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap();
    let document = args.next().unwrap();
    let kindred = kindred_app::Kindred::open(std::path::Path::new(&dir))
        .unwrap()
        .unwrap();
    for passage in kindred
        .library()
        .passages
        .iter()
        .filter(|p| p.document.0 == document)
    {
        let start: String = passage.text.chars().take(90).collect();
        println!(
            "{} [{}] copy_of={:?} {start}",
            passage.id.0,
            passage.section,
            passage.copy_of.as_ref().map(|p| &p.0)
        );
    }
}

//! The HTML pages: structure, and what the bundled library must show on them.

use axum::http::StatusCode;

use crate::support::{assert_page_shell, encode, get, html_escape};

/// A page that rendered with 200 and the shared shell.
async fn page(uri: &str) -> String {
    let reply = get(uri).await;
    reply.assert_status(StatusCode::OK);
    assert_page_shell(&reply);
    reply.text().to_owned()
}

#[tokio::test]
async fn home_links_to_the_flagship_and_the_letters() {
    let html = page("/").await;
    assert!(html.contains(r#"href="/conditions/dystonia""#));
    assert!(html.contains(r#"href="/conditions?letter=d""#));
    assert!(html.contains(r#"action="/ask""#), "the ask box");
}

#[tokio::test]
async fn dystonia_page_merges_every_publisher() {
    let html = page("/conditions/dystonia").await;
    for publisher in [
        "Mayo Clinic",
        "Alike",
        "Hospital health library",
        "Clinic health library",
        "MedlinePlus",
        "(NINDS)",
    ] {
        assert!(html.contains(publisher), "no content from {publisher}");
    }
    assert!(html.contains("<strong>Other names:</strong>"));
    assert!(html.contains("Torsion dystonia"), "a synonym from the sources");
    assert!(html.contains(r#"<a href="/sources/seed-000">"#));
    assert!(html.contains(r#"<a href="/sources/NINDS_0000112">"#));
    assert!(html.contains(r#"id="sources""#), "the sources section");
}

/// From a link to the end of the list item or paragraph holding it.
fn enclosing_item(from_link: &str) -> &str {
    let end = ["</li>", "</p>"]
        .iter()
        .filter_map(|end| from_link.find(end))
        .min()
        .expect("the link is in a list item or a paragraph");
    &from_link[..end]
}

#[tokio::test]
async fn dystonia_page_shows_the_mayo_copy_only_as_a_copy() {
    let html = page("/conditions/dystonia").await;
    let link = r#"<a href="/sources/seed-003">"#;
    let occurrences: Vec<usize> = html.match_indices(link).map(|(i, _)| i).collect();
    assert!(!occurrences.is_empty(), "seed-003 is listed (as a copy)");
    for at in occurrences {
        let item = enclosing_item(&html[at..]);
        assert!(
            item.contains(r#"<span class="copy">"#) && item.contains("counted once"),
            "seed-003 shown without its copy mark: {item}"
        );
    }
    // The original is never marked as a copy.
    for (at, _) in html.match_indices(r#"<a href="/sources/seed-000">"#) {
        let item = enclosing_item(&html[at..]);
        assert!(
            !item.contains(r#"class="copy""#),
            "seed-000 marked as a copy: {item}"
        );
    }
}

#[tokio::test]
async fn dystonia_page_has_no_scraping_noise() {
    let html = page("/conditions/dystonia").await;
    for noise in [
        "Â",
        "Thank you! Your submission",
        "Alikes with",
        "Your donation",
        "donation powers",
        "Mayo Clinic Care Network",
    ] {
        assert!(!html.contains(noise), "the condition page shows {noise:?}");
    }
    assert!(!html.to_lowercase().contains("donation"), "a donation line");
}

#[tokio::test]
async fn condition_pages_of_a_whole_list_page_render() {
    let list = get("/api/v1/conditions?letter=d&page=2").await.json();
    let items = list["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        let slug = item["slug"].as_str().expect("slug");
        let html = page(&format!("/conditions/{}", encode(slug))).await;
        let name = html_escape(item["name"].as_str().expect("name"));
        assert!(
            html.contains(&format!("<h1>{name}</h1>")),
            "/conditions/{slug}: heading"
        );
    }
}

#[tokio::test]
async fn ask_answers_how_often_with_the_interval() {
    let html = page("/ask?q=how+often+do+I+need+botox+shots%3F").await;
    let short = &html[html.find(r#"id="answer-heading""#).expect("an answer")..];
    let short = &short[..short.find("</section>").expect("end of the answer")];
    assert!(short.contains("every 3 to 4 months"), "the short answer: {short}");
    assert!(short.contains(r#"href="/sources/"#), "the short answer is cited");
    assert!(
        html.contains(r#"value="how often do I need botox shots?""#),
        "the question is kept in the box"
    );
}

/// The page shows the same reason as the API, escaped.
async fn assert_abstains(query: &str, reason_contains: &str) {
    let api = get(&format!("/api/v1/ask?q={query}")).await.json();
    assert_eq!(api["abstained"], true, "{query}: {api}");
    let reason = api["reason"].as_str().expect("an abstention has a reason");
    assert!(reason.contains(reason_contains), "{query}: reason {reason:?}");
    let html = page(&format!("/ask?q={query}")).await;
    assert!(
        html.contains(r#"class="abstained""#),
        "{query}: no abstention section"
    );
    assert!(
        html.contains(&html_escape(reason)),
        "{query}: the page does not show the reason"
    );
    assert!(
        !html.contains(r#"id="answer-heading""#),
        "{query}: an answer beside the abstention"
    );
}

#[tokio::test]
async fn ask_abstains_off_topic() {
    assert_abstains(
        "what+is+the+capital+of+France%3F",
        "does not answer rather than guess",
    )
    .await;
}

#[tokio::test]
async fn ask_abstains_for_dosing() {
    assert_abstains("how+many+units+of+botox+should+I+inject", "dosing").await;
}

#[tokio::test]
async fn ask_shows_the_emergency_notice_before_the_answer() {
    let html = page("/ask?q=I+have+chest+pain").await;
    let notice = html.find(r#"class="emergency""#).expect("an emergency notice");
    assert!(html[notice..].contains("emergency number"));
    let answer = html
        .find(r#"id="answer-heading""#)
        .or_else(|| html.find(r#"id="abstained-heading""#))
        .expect("an answer or an abstention");
    assert!(notice < answer, "the emergency notice comes after the answer");
    let box_end = html.find("</form>").expect("the ask box");
    assert!(box_end < notice, "the notice follows the ask box");
}

#[tokio::test]
async fn source_page_shows_provenance_and_removed_lines() {
    let html = page("/sources/seed-000").await;
    let removed = &html[html.find(r#"<ul class="removed">"#).expect("a removed list")..];
    let removed = &removed[..removed.find("</ul>").expect("end of the list")];
    assert!(
        removed.contains("As a member of the Mayo Clinic Care Network, RSPP has special access"),
        "the Care Network line: {removed}"
    );
    let provenance = &html[html.find(r#"<dl class="provenance">"#).expect("provenance")..];
    let provenance = &provenance[..provenance.find("</dl>").expect("end of provenance")];
    for field in [
        "Publisher",
        "Mayo Clinic",
        "Licence",
        "Mayo Foundation",
        "seed-000",
        "Ingested",
        "seeds",
    ] {
        assert!(
            provenance.contains(field),
            "provenance lacks {field:?}: {provenance}"
        );
    }
    assert!(
        provenance.contains(r#"<a href="/conditions/dystonia">"#),
        "the condition link"
    );
    assert!(provenance.contains(r#"<a href="/sources/seed-003">"#), "the copy");
}

#[tokio::test]
async fn medquad_source_page_renders() {
    let html = page("/sources/NINDS_0000112").await;
    assert!(html.contains("<h1>Dystonias</h1>"));
    assert!(html.contains(r#"href="http://www.ninds.nih.gov/disorders/dystonias/dystonias.htm""#));
    assert!(html.contains("CC BY 4.0"));
    assert!(html.contains("<p>Nothing was removed.</p>") || html.contains(r#"class="removed""#));
}

#[tokio::test]
async fn search_page_lists_conditions_and_passages() {
    let html = page("/search?q=dystonia").await;
    assert!(html.contains(r#"<a href="/conditions/dystonia">Dystonia</a>"#));
    let passages = &html[html.find(r#"id="passages-heading""#).expect("passages")..];
    assert!(passages.contains(r#"<ol class="passages">"#), "passages found");
    assert!(passages.contains(r#"href="/sources/"#), "passages are cited");
    assert!(html.contains(r#"value="dystonia""#));
}

#[tokio::test]
async fn conditions_list_paginates_by_letter() {
    let html = page("/conditions?letter=d&page=2").await;
    let api = get("/api/v1/conditions?letter=d&page=2").await.json();
    assert!(html.contains(&format!("Page 2 of {}.", api["n_pages"])));
    assert!(
        html.contains(r#"href="/conditions?page=1&amp;letter=d""#),
        "previous page"
    );
    for item in api["items"].as_array().expect("items") {
        let slug = item["slug"].as_str().expect("slug");
        assert!(
            html.contains(&format!(r#"href="/conditions/{slug}""#)),
            "{slug} listed"
        );
    }
    assert!(
        html.contains(r#"aria-current="page""#),
        "the letter is marked current"
    );
}

#[tokio::test]
async fn stylesheet_is_css() {
    let reply = get("/static/kindred.css").await;
    reply.assert_status(StatusCode::OK);
    assert!(reply.content_type().starts_with("text/css"));
    assert!(reply.text().contains(".skip-link"));
}

#[tokio::test]
async fn empty_forms_render() {
    for uri in ["/ask", "/ask?q=", "/ask?q=+++", "/search", "/search?q="] {
        let html = page(uri).await;
        assert!(
            !html.contains("passages-heading"),
            "{uri}: results without a question"
        );
    }
}

#[tokio::test]
async fn a_condition_without_text_links_its_original_pages() {
    // A.D.A.M. answers were removed from MedQuAD: the condition is listed, its page says so and
    // links the original MedlinePlus page instead of showing nothing.
    let html = page("/conditions/a-guide-to-clinical-trials-for-cancer").await;
    assert!(html.contains("give no text about it yet"), "the notice");
    assert!(
        html.contains(r#"href="https://www.nlm.nih.gov/medlineplus/ency/patientinstructions/000823.htm""#)
    );
    assert!(html.contains(r#"href="/sources/ADAM_0000001""#));
}

/// Issue 9: the Nu HTML checker found errors on every page: the favicon's `data:` URL had
/// unescaped spaces, and `<time datetime>` values had nine fraction digits (HTML allows three).
/// CI runs the checker itself (tests/browser/validate.sh); this pins the two causes.
#[tokio::test]
async fn favicon_and_time_values_are_valid_html() {
    for uri in ["/", "/conditions/dystonia", "/sources/seed-000"] {
        let html = get(uri).await.text().to_owned();
        let icon = html
            .split(r#"<link rel="icon" href=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a favicon link");
        assert!(icon.starts_with("data:image/svg+xml,"), "{uri}: {icon}");
        assert!(!icon.contains(' '), "{uri}: the favicon URL has a space: {icon}");
        for value in html.split(r#"<time datetime=""#).skip(1) {
            let value = value.split('"').next().unwrap_or_default();
            let fraction = value
                .split_once('.')
                .map_or(0, |(_, rest)| rest.bytes().take_while(u8::is_ascii_digit).count());
            assert!(
                fraction <= 3,
                "{uri}: datetime {value:?} has {fraction} fraction digits"
            );
            assert!(
                value.contains('T') && value.ends_with('Z'),
                "{uri}: datetime {value:?}"
            );
        }
    }
    assert!(get("/sources/seed-000").await.text().contains("<time datetime="));
}

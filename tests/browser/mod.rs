//! A browser stand-in for tests: loads the consent page, fills in the form the way a
//! person would (hidden CSRF field included), and reports where the server redirects.
//! It follows no redirects itself, so each hop can be checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use std::sync::Mutex;
use url::Url;

pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

pub struct Browser {
    http: reqwest::Client,
    /// Cookies set by the server, sent back on later requests (the CSRF token may be
    /// bound to one).
    cookies: Mutex<Vec<String>>,
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Mutex::new(Vec::new()),
        }
    }

    fn remember_cookies(&self, response: &reqwest::Response) {
        let mut cookies = self.cookies.lock().unwrap();
        for value in response.headers().get_all(SET_COOKIE) {
            if let Some(pair) = value.to_str().unwrap().split(';').next() {
                cookies.push(pair.trim().to_string());
            }
        }
    }

    fn with_cookies(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let cookies = self.cookies.lock().unwrap();
        if cookies.is_empty() {
            request
        } else {
            request.header(COOKIE, cookies.join("; "))
        }
    }

    async fn read(&self, response: reqwest::Response) -> Page {
        self.remember_cookies(&response);
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_string());
        Page {
            status,
            body: response.text().await.unwrap(),
            location,
        }
    }

    pub async fn get(&self, url: &str) -> Page {
        let response = self.with_cookies(self.http.get(url)).send().await.unwrap();
        self.read(response).await
    }

    /// Opens the authorize URL, signs in and clicks `decision` (`approve` or `deny`).
    /// Returns the URL the server redirects the browser to.
    pub async fn consent(
        &self,
        authorize_url: &str,
        user: &str,
        password: &str,
        decision: &str,
    ) -> String {
        let page = self.get(authorize_url).await;
        assert_eq!(page.status, 200, "the consent page loads: {}", page.body);
        let form = Form::parse(&page.body);
        let action = Url::parse(authorize_url)
            .unwrap()
            .join(&form.action)
            .unwrap();
        let mut fields = form.hidden;
        fields.push(("username".into(), user.into()));
        fields.push(("password".into(), password.into()));
        fields.push(("decision".into(), decision.into()));
        let response = self
            .with_cookies(self.http.post(action).form(&fields))
            .send()
            .await
            .unwrap();
        let answer = self.read(response).await;
        assert!(
            (300..400).contains(&answer.status),
            "the form redirects (HTTP {}): {}",
            answer.status,
            answer.body
        );
        let location = answer.location.expect("a Location header");
        Url::parse(authorize_url)
            .unwrap()
            .join(&location)
            .unwrap()
            .to_string()
    }
}

impl Browser {
    /// Submits the first form of `page` (loaded from `page_url`): its hidden fields
    /// plus `fields`.
    async fn submit(&self, page_url: &str, page: &Page, fields: &[(&str, &str)]) -> Page {
        let form = Form::parse(&page.body);
        let action = Url::parse(page_url).unwrap().join(&form.action).unwrap();
        let mut all = form.hidden;
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let response = self
            .with_cookies(self.http.post(action).form(&all))
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// Walks the device pages as a person would: the code, signing in, then Allow on
    /// the confirmation page that names the app. Returns the last page.
    pub async fn approve_device(
        &self,
        page_url: &str,
        user_code: &str,
        user: &str,
        password: &str,
    ) -> Page {
        let page = self.get(page_url).await;
        assert_eq!(page.status, 200, "the device page loads: {}", page.body);
        let page = self
            .submit(
                page_url,
                &page,
                &[("user_code", user_code), ("decision", "continue")],
            )
            .await;
        assert!(page.body.contains("name=\"password\""), "{}", page.body);
        let page = self
            .submit(
                page_url,
                &page,
                &[
                    ("username", user),
                    ("password", password),
                    ("decision", "continue"),
                ],
            )
            .await;
        assert!(page.body.contains("value=\"approve\""), "{}", page.body);
        self.submit(page_url, &page, &[("decision", "approve")])
            .await
    }
}

/// The first form of a page: where it posts, and its hidden fields.
struct Form {
    action: String,
    hidden: Vec<(String, String)>,
}

impl Form {
    fn parse(html: &str) -> Form {
        let form_tag = tags(html, "form")
            .into_iter()
            .next()
            .expect("a <form> on the page");
        let action = attribute(&form_tag, "action").unwrap_or_default();
        let hidden = tags(html, "input")
            .into_iter()
            .filter(|t| attribute(t, "type").is_some_and(|v| v.eq_ignore_ascii_case("hidden")))
            .filter_map(|t| {
                Some((
                    attribute(&t, "name")?,
                    attribute(&t, "value").unwrap_or_default(),
                ))
            })
            .collect();
        Form { action, hidden }
    }
}

fn tags(html: &str, name: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find(&open).map(|i| i + from) {
        let end = lower[start..]
            .find('>')
            .map(|i| i + start)
            .unwrap_or(lower.len());
        found.push(html[start..end].to_string());
        from = end;
    }
    found
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        if let Some(i) = lower.find(&needle) {
            let start = i + needle.len();
            let end = tag[start..].find(quote)? + start;
            return Some(unescape(&tag[start..end]));
        }
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

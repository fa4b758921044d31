package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/verify"
)

// records is the provider host's record of whom each decision is about, keyed by the
// decision's check ID: the source of released claims.
type records struct {
	mu sync.Mutex
	m  map[string]relyingparty.Identity
}

func (r *records) put(checkID string, id relyingparty.Identity) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[checkID] = id
}

// Identity implements relyingparty.IdentitySource.
func (r *records) Identity(_ context.Context, d verify.Decision) (relyingparty.Identity, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.m[d.CheckID]
	if !ok {
		return id, errors.New("no record for this check")
	}
	return id, nil
}

var (
	reRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)
	reConsent = regexp.MustCompile(`name="consent" value="([^"]+)"`)
	reNotice  = regexp.MustCompile(`name="notice" value="([^"]+)"`)
	reResult  = regexp.MustCompile(`(?s)<pre id="received">(.*)</pre>`)
)

// browser is the person's browser: cookies, redirects followed.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// signIn simulates the person at a site: they click "sign in with trustid" (asking for
// claims), the provider shows its page, and their wallet answers with the decision token
// and, if consent is true, the consent to every claim the page lists. It returns what the
// site received.
func signIn(ctx context.Context, siteURL, claims, decision string, consent bool) (received, error) {
	b := browser()
	form, providerPage, err := openConsentPage(ctx, b, siteURL, claims)
	if err != nil {
		return received{}, err
	}
	form.Set("decision", decision)
	if !consent {
		form.Del("consent")
	}
	resp, err := b.PostForm(providerPage.ResolveReference(&url.URL{Path: providerPage.Path + "/approve"}).String(), form)
	if err != nil {
		return received{}, err
	}
	return readResult(resp)
}

// openConsentPage starts a sign-in at the site and returns the provider page's form, as
// the person would post it with every box ticked, and the page's URL.
func openConsentPage(ctx context.Context, b *http.Client, siteURL, claims string) (url.Values, *url.URL, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, siteURL+"/login?claims="+url.QueryEscape(claims), nil)
	resp, err := b.Do(req)
	if err != nil {
		return nil, nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("provider page: %s", resp.Status)
	}
	m := reRequest.FindSubmatch(body)
	n := reNotice.FindSubmatch(body)
	if m == nil || n == nil {
		return nil, nil, errors.New("provider page without a request form")
	}
	form := url.Values{"request": {html.UnescapeString(string(m[1]))}, "notice": {html.UnescapeString(string(n[1]))}}
	for _, c := range reConsent.FindAllSubmatch(body, -1) {
		form.Add("consent", string(c[1]))
	}
	return form, resp.Request.URL, nil
}

// readResult reads the site's page after the callback.
func readResult(resp *http.Response) (received, error) {
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return received{}, fmt.Errorf("%s: %s", resp.Request.URL.Path, strings.TrimSpace(string(body)))
	}
	m := reResult.FindSubmatch(body)
	if m == nil {
		return received{}, errors.New("site page without a result")
	}
	var got received
	err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got)
	return got, err
}

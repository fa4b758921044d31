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

var (
	reQRLink    = regexp.MustCompile(`href="([^"]*/authorize/qr\?[^"]*)"`)
	reChallenge = regexp.MustCompile(`<p hidden id="challenge">([^<]+)</p>`)
)

// walletView is what the wallet shows after scanning: whom the person signs in to.
type walletView struct {
	ClientName string   `json:"client_name"`
	Purpose    string   `json:"purpose"`
	Claims     []string `json:"claims"`
}

// signInQR simulates the cross-device path: the browser on the computer opens the
// provider's QR page; the wallet on the phone scans the code, shows the relying party's
// registered name and what it asks for, and answers with the decision token and the
// consent; the browser's page moves on to the site. It returns what the wallet showed and
// what the site received.
func signInQR(ctx context.Context, providerURL, siteURL, claims, decision string) (walletView, received, error) {
	b := browser()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, siteURL+"/login?claims="+url.QueryEscape(claims), nil)
	resp, err := b.Do(req)
	if err != nil {
		return walletView{}, received{}, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	link := reQRLink.FindSubmatch(body)
	if link == nil {
		return walletView{}, received{}, errors.New("provider page without a QR link")
	}
	qrPage := resp.Request.URL.Scheme + "://" + resp.Request.URL.Host + html.UnescapeString(string(link[1]))
	resp, err = b.Get(qrPage)
	if err != nil {
		return walletView{}, received{}, err
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	ch := reChallenge.FindSubmatch(body)
	if ch == nil {
		return walletView{}, received{}, errors.New("QR page without a challenge")
	}
	challenge := html.UnescapeString(string(ch[1]))

	view, err := walletAnswer(ctx, providerURL, challenge, decision)
	if err != nil {
		return view, received{}, err
	}

	// The computer: the page's next refresh moves on.
	resp, err = b.Get(qrPage)
	if err != nil {
		return view, received{}, err
	}
	got, err := readResult(resp)
	return view, got, err
}

// walletAnswer simulates the wallet on the person's phone after it scanned challenge from
// the provider's QR page: it asks the provider what to show (the relying party's
// registered name, the purpose, the claims), and answers with the decision token and the
// person's consent to every claim shown. It returns what the wallet showed.
func walletAnswer(ctx context.Context, providerURL, challenge, decision string) (walletView, error) {
	phone := &http.Client{}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, providerURL+"/qr/scan?"+url.Values{"challenge": {challenge}}.Encode(), nil)
	resp, err := phone.Do(req)
	if err != nil {
		return walletView{}, err
	}
	var view walletView
	err = json.NewDecoder(resp.Body).Decode(&view)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return view, fmt.Errorf("scan: %s", resp.Status)
	}
	form := url.Values{"challenge": {challenge}, "decision": {decision}, "consent": view.Claims, "notice": {"2026-12-v1"}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, providerURL+"/qr/answer", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = phone.Do(req)
	if err != nil {
		return view, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return view, fmt.Errorf("answer: %s", resp.Status)
	}
	return view, nil
}

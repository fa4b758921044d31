package oidcprovider_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/relyingparty/oidcprovider"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

const redirect = "https://rp.example/cb"

var secret = strings.Repeat("s", 32)

type env struct {
	srv      *httptest.Server
	decision string
	client   *http.Client // does not follow redirects
	p        *relyingparty.Provider
}

// identity is the host's record of the test person.
type identity struct{ number string }

func (i identity) Identity(context.Context, verify.Decision) (relyingparty.Identity, error) {
	return relyingparty.Identity{Name: "林小雨", IDNumber: i.number}, nil
}

// newEnv serves a provider with one client, "rp", which may ask for the name; mod, if
// given, changes the handler's configuration.
func newEnv(t testing.TB, mod ...func(*oidcprovider.Config)) *env {
	t.Helper()
	number, err := idcard.Generate(rand.Reader, idcard.GenOptions{Region: "110108", Birth: time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := verify.NewMemoryRegistry(verify.Record{Kind: verify.KindIDCard, Number: number, Name: "林小雨", Status: verify.StatusValid,
		ValidFrom: verify.Date{Year: 2020, Month: 1, Day: 1}, LongTerm: true})
	if err != nil {
		t.Fatal(err)
	}
	checker, err := verify.New(verify.Config{Registry: reg, SubjectKey: bytes.Repeat([]byte{1}, 32),
		Keys: []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{2}, 32)}}, Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := checker.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: number, Name: "林小雨"})
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	e := &env{decision: checker.Decide(doc, nil, nil).Token,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	var h http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	p, err := relyingparty.New(relyingparty.Config{Issuer: e.srv.URL + "/op", Decisions: checker.Decisions(),
		Keys: []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{3}, 32)}}, SigningKeys: []relyingparty.SigningKey{{ID: "ed", Key: edKey}},
		PairwiseKey: bytes.Repeat([]byte{4}, 32), Identities: identity{number},
		Clients: []relyingparty.Client{{ID: "rp", Name: "RP", Secret: []byte(secret), RedirectURIs: []string{redirect},
			Claims: []relyingparty.Claim{relyingparty.ClaimName}, Purposes: []string{"sign-in"}}}})
	if err != nil {
		t.Fatal(err)
	}
	e.p = p
	hc := oidcprovider.Config{Provider: p}
	for _, m := range mod {
		m(&hc)
	}
	if h, err = oidcprovider.New(hc); err != nil {
		t.Fatal(err)
	}
	return e
}

func authQuery(challenge string) url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {"rp"}, "redirect_uri": {redirect}, "scope": {"openid"},
		"state": {"st"}, "nonce": {rand.Text()}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
}

func pkce() (string, string) {
	v := rand.Text() + rand.Text()
	s := sha256.Sum256([]byte(v))
	return v, base64.RawURLEncoding.EncodeToString(s[:])
}

var reRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)

// code runs the authorisation endpoint and the approval and returns the code.
func (e *env) code(t testing.TB, challenge string) string {
	t.Helper()
	resp, err := e.client.Get(e.srv.URL + "/op/authorize?" + authQuery(challenge).Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := reRequest.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("authorize: %s", resp.Status)
	}
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("page CSP %q", got)
	}
	resp, err = e.client.PostForm(e.srv.URL+"/op/authorize/approve", url.Values{"request": {string(m[1])}, "decision": {e.decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %s", resp.Status)
	}
	if loc.Query().Get("iss") != e.srv.URL+"/op" || loc.Query().Get("state") != "st" {
		t.Errorf("redirect %v lacks iss or state", loc.Query())
	}
	return loc.Query().Get("code")
}

func (e *env) token(t testing.TB, form url.Values, basic bool) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/op/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth("rp", secret)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.srv.URL + "/op/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	iss := e.srv.URL + "/op"
	for k, want := range map[string]any{
		"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/token", "jwks_uri": iss + "/jwks",
		"response_types_supported": []any{"code"}, "code_challenge_methods_supported": []any{"S256"},
		"subject_types_supported": []any{"pairwise"}, "id_token_signing_alg_values_supported": []any{"EdDSA"},
		"request_parameter_supported": false, "authorization_response_iss_parameter_supported": true,
	} {
		if diff := cmp.Diff(want, m[k]); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", k, diff)
		}
	}
}

func TestCodeFlowBasicAndPost(t *testing.T) {
	e := newEnv(t)
	for _, basic := range []bool{true, false} {
		v, ch := pkce()
		form := url.Values{"grant_type": {"authorization_code"}, "code": {e.code(t, ch)}, "redirect_uri": {redirect}, "code_verifier": {v}}
		if !basic {
			form.Set("client_id", "rp")
			form.Set("client_secret", secret)
		}
		status, out, h := e.token(t, form, basic)
		if status != http.StatusOK || out["id_token"] == nil || out["token_type"] != "Bearer" {
			t.Errorf("basic=%t: %d %v", basic, status, out["error"])
		}
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("token response Cache-Control %q", h.Get("Cache-Control"))
		}
		// Replayed: invalid_grant, still no-store.
		status, out, h = e.token(t, form, basic)
		if status != http.StatusBadRequest || out["error"] != "invalid_grant" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("replay basic=%t: %d %v %q", basic, status, out["error"], h.Get("Cache-Control"))
		}
	}
}

func TestTokenEndpointRefusals(t *testing.T) {
	e := newEnv(t)
	v, ch := pkce()
	code := e.code(t, ch)
	good := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {v}}
	for name, tc := range map[string]struct {
		mod    func(url.Values)
		basic  bool
		status int
		code   string
	}{
		"credentials twice":    {func(f url.Values) { f.Set("client_secret", secret) }, true, 400, "invalid_request"},
		"no credentials":       {func(url.Values) {}, false, 401, "invalid_client"},
		"grant type":           {func(f url.Values) { f.Set("grant_type", "password") }, true, 400, "unsupported_grant_type"},
		"repeated parameter":   {func(f url.Values) { f.Add("code", "x") }, true, 400, "invalid_request"},
		"implicit-style grant": {func(f url.Values) { f.Del("grant_type") }, true, 400, "unsupported_grant_type"},
	} {
		t.Run(name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range good {
				f[k] = append([]string(nil), v...)
			}
			tc.mod(f)
			status, out, _ := e.token(t, f, tc.basic)
			if status != tc.status || out["error"] != tc.code {
				t.Errorf("got %d %v, want %d %s", status, out["error"], tc.status, tc.code)
			}
		})
	}
}

func TestAuthorizeErrors(t *testing.T) {
	e := newEnv(t)
	_, ch := pkce()
	for name, tc := range map[string]struct {
		mod      func(url.Values)
		redirect string // "" = error page, no redirect
	}{
		"unknown client":         {func(q url.Values) { q.Set("client_id", "mallory") }, ""},
		"redirect path suffix":   {func(q url.Values) { q.Set("redirect_uri", redirect+"/x") }, ""},
		"redirect scheme":        {func(q url.Values) { q.Set("redirect_uri", "http://rp.example/cb") }, ""},
		"redirect repeated":      {func(q url.Values) { q.Add("redirect_uri", redirect) }, ""},
		"client repeated":        {func(q url.Values) { q.Add("client_id", "rp") }, ""},
		"plain PKCE":             {func(q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request"},
		"no PKCE":                {func(q url.Values) { q.Del("code_challenge") }, "invalid_request"},
		"implicit flow":          {func(q url.Values) { q.Set("response_type", "id_token") }, "unsupported_response_type"},
		"no openid scope":        {func(q url.Values) { q.Set("scope", "name") }, "invalid_scope"},
		"claim not registered":   {func(q url.Values) { q.Set("scope", "openid birthdate") }, "invalid_scope"},
		"request object":         {func(q url.Values) { q.Set("request", "eyJ") }, "request_not_supported"},
		"fragment response mode": {func(q url.Values) { q.Set("response_mode", "fragment") }, "unsupported_response_type"},
	} {
		t.Run(name, func(t *testing.T) {
			q := authQuery(ch)
			tc.mod(q)
			resp, err := e.client.Get(e.srv.URL + "/op/authorize?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, _ := resp.Location()
			if tc.redirect == "" {
				if resp.StatusCode != http.StatusBadRequest || loc != nil {
					t.Errorf("got %s to %v, want an error page", resp.Status, loc)
				}
				return
			}
			if loc == nil || !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("error") != tc.redirect || loc.Query().Get("state") != "st" {
				t.Errorf("got %s to %v, want error=%s at the client", resp.Status, loc, tc.redirect)
			}
		})
	}
}

func TestApproveRefusedDecisionRedirectsAccessDenied(t *testing.T) {
	e := newEnv(t)
	_, ch := pkce()
	resp, err := e.client.Get(e.srv.URL + "/op/authorize?" + authQuery(ch).Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := reRequest.FindSubmatch(body)
	resp, err = e.client.PostForm(e.srv.URL+"/op/authorize/approve", url.Values{"request": {string(m[1])}, "decision": {"forged"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := resp.Location()
	if loc == nil || loc.Query().Get("error") != "access_denied" {
		t.Errorf("forged decision: %s to %v, want error=access_denied", resp.Status, loc)
	}
}

var reQRLink = regexp.MustCompile(`href="([^"]*/authorize/qr\?[^"]*)"`)
var reChallenge = regexp.MustCompile(`<p hidden id="challenge">([^<]+)</p>`)

func TestQREndpoints(t *testing.T) {
	e := newEnv(t)
	_, ch := pkce()
	resp, err := e.client.Get(e.srv.URL + "/op/authorize?" + authQuery(ch).Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	link := reQRLink.FindSubmatch(body)
	if link == nil {
		t.Fatal("no QR link")
	}
	qrPage := e.srv.URL + strings.ReplaceAll(string(link[1]), "&amp;", "&")
	get := func(u string) (*http.Response, []byte) {
		resp, err := e.client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, b
	}
	resp, body = get(qrPage)
	m := reChallenge.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(string(body), "data:image/png;base64,") {
		t.Fatalf("QR page: %s", resp.Status)
	}
	challenge := string(m[1])
	resp, body = get(e.srv.URL + "/op/qr/scan?" + url.Values{"challenge": {challenge}}.Encode())
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"client_name":"RP"`) {
		t.Errorf("scan: %s %s", resp.Status, body)
	}
	resp, body = get(e.srv.URL + "/op/qr/scan?challenge=TRUSTID-SIGNIN:forged")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"not_authentic"`) {
		t.Errorf("scan of a forged challenge: %s %s", resp.Status, body)
	}
	answer := func() int {
		resp, err := e.client.PostForm(e.srv.URL+"/op/qr/answer", url.Values{"challenge": {challenge}, "decision": {e.decision}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := answer(); got != http.StatusNoContent {
		t.Fatalf("answer: %d", got)
	}
	if got := answer(); got != http.StatusBadRequest {
		t.Errorf("second answer: %d, want 400", got)
	}
	resp, _ = get(qrPage)
	if loc, _ := resp.Location(); resp.StatusCode != http.StatusSeeOther || loc == nil || !strings.HasPrefix(loc.String(), redirect+"?code=") {
		t.Errorf("QR page after the answer: %s to %v", resp.Status, loc)
	}
	if resp, _ = get(qrPage); resp.StatusCode != http.StatusOK {
		t.Errorf("QR page after the hand-off: %s, want the page again (the redirect is handed out once)", resp.Status)
	}
}

// TestSignInPageFormAction: approve and deny answer the sign-in page's forms with a
// redirect to the client, and browsers apply form-action to that redirect, so the page's
// policy must allow the redirect URI's origin (and no other).
func TestSignInPageFormAction(t *testing.T) {
	e := newEnv(t)
	_, challenge := pkce()
	resp, err := e.client.Get(e.srv.URL + "/op/authorize?" + authQuery(challenge).Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var formAction []string
	for _, d := range strings.Split(resp.Header.Get("Content-Security-Policy"), ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "form-action" {
			formAction = f[1:]
		}
	}
	if diff := cmp.Diff([]string{"'self'", "https://rp.example"}, formAction); diff != "" {
		t.Errorf("sign-in page's form-action (-want +got):\n%s", diff)
	}
}

var reConsent = regexp.MustCompile(`name="consent" value="([^"]+)"`)

// TestOnApprovalKeepsConsent: a consent given on the sign-in page or through a QR answer
// reaches the host through Config.OnApproval, and withdrawing it stops the code not yet
// redeemed.
func TestOnApprovalKeepsConsent(t *testing.T) {
	for _, path := range []string{"page", "qr"} {
		var got []relyingparty.Approval
		e := newEnv(t, func(c *oidcprovider.Config) {
			c.OnApproval = func(_ context.Context, a relyingparty.Approval) { got = append(got, a) }
		})
		v, ch := pkce()
		q := authQuery(ch)
		q.Set("scope", "openid name")
		resp, err := e.client.Get(e.srv.URL + "/op/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		req, link := reRequest.FindSubmatch(body), reQRLink.FindSubmatch(body)
		if req == nil || link == nil || reConsent.Find(body) == nil {
			t.Fatalf("%s: sign-in page without request, QR link or consent", path)
		}
		var code string
		switch path {
		case "page":
			resp, err = e.client.PostForm(e.srv.URL+"/op/authorize/approve", url.Values{"request": {string(req[1])},
				"decision": {e.decision}, "consent": {"name"}, "notice": {"1"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if err != nil {
				t.Fatalf("approve: %s", resp.Status)
			}
			code = loc.Query().Get("code")
		case "qr":
			qrPage := e.srv.URL + strings.ReplaceAll(string(link[1]), "&amp;", "&")
			resp, err = e.client.Get(qrPage)
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			m := reChallenge.FindSubmatch(body)
			if m == nil {
				t.Fatal("no challenge")
			}
			resp, err = e.client.PostForm(e.srv.URL+"/op/qr/answer", url.Values{"challenge": {string(m[1])},
				"decision": {e.decision}, "consent": {"name"}, "notice": {"1"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("answer: %s", resp.Status)
			}
			resp, err = e.client.Get(qrPage)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if err != nil {
				t.Fatalf("QR page after the answer: %s", resp.Status)
			}
			code = loc.Query().Get("code")
		}
		if len(got) != 1 || got[0].Consent == "" {
			t.Fatalf("%s: OnApproval got %d approvals (%v), want one with a consent ID", path, len(got), got)
		}
		if err := e.p.WithdrawConsent(context.Background(), got[0].Consent); err != nil {
			t.Fatalf("%s: withdraw: %v", path, err)
		}
		status, out, _ := e.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {v}}, true)
		if status != http.StatusBadRequest || out["id_token"] != nil {
			t.Errorf("%s: token after withdrawal: %d %v, want a refusal", path, status, out["error"])
		}
	}
}

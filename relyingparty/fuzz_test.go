package relyingparty_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/trustid/trustid/relyingparty"
)

// FuzzParseAuthorizationRequest checks that any query either parses into a request that
// keeps the parser's promises or is refused with one of the provider's sentinels, and that
// Authorize never panics on what parsed.
func FuzzParseAuthorizationRequest(f *testing.F) {
	_, ch := pkce()
	f.Add(authRequest("bank", bankURI, ch, "openid name id_number").Encode())
	f.Add(authRequest("bank", bankURI, ch, "openid").Encode() + "&max_age=0")
	f.Add(authRequest("bank", bankURI, ch, "openid").Encode() + "&state=again")
	f.Add("response_type=code&client_id=bank&redirect_uri=https%3A%2F%2Fbank.example%2Fcallback&code_challenge_method=plain")
	f.Add("request=eyJ&client_id=bank&redirect_uri=x")
	e := newEnv(f, nil)
	sentinels := []error{relyingparty.ErrInvalidArgument, relyingparty.ErrUnknownClient, relyingparty.ErrRedirectMismatch, relyingparty.ErrNotPermitted}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, err := relyingparty.ParseAuthorizationRequest(q)
		if err != nil {
			if !slices.ContainsFunc(sentinels, func(s error) bool { return errors.Is(err, s) }) {
				t.Fatalf("refusal matches no sentinel: %v", err)
			}
			return
		}
		if r.ClientID == "" || r.RedirectURI == "" || r.State == "" || r.Nonce == "" || len(r.CodeChallenge) != 43 || r.MaxAge < 0 {
			t.Fatalf("accepted a request missing a required part")
		}
		if !slices.IsSorted(r.Claims) || len(slices.Compact(slices.Clone(r.Claims))) != len(r.Claims) {
			t.Fatalf("claims not sorted and unique: %v", r.Claims)
		}
		for _, c := range r.Claims {
			if !slices.Contains(relyingparty.Claims(), c) {
				t.Fatalf("accepted unknown claim %q", c)
			}
		}
		if p, err := e.p.Authorize(context.Background(), r); err == nil && (p.ClientID != r.ClientID || p.RedirectURI != r.RedirectURI) {
			t.Fatalf("pending request for another client or URI")
		}
	})
}

// FuzzParseTokenRequest checks the token request parser, and that Exchange refuses every
// code but a real one without panicking.
func FuzzParseTokenRequest(f *testing.F) {
	e := newEnv(f, nil)
	fl := e.authorize(f, "bank-app", "http://127.0.0.1/app", "openid")
	v, _ := pkce()
	f.Add(url.Values{"grant_type": {"authorization_code"}, "code": {fl.pending.Token}, "redirect_uri": {bankURI},
		"code_verifier": {v}, "client_id": {"bank-app"}}.Encode())
	f.Add("grant_type=refresh_token&refresh_token=x")
	f.Add("grant_type=authorization_code&code=a&code=b")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, err := relyingparty.ParseTokenRequest(form)
		if err != nil {
			if !errors.Is(err, relyingparty.ErrInvalidArgument) && !errors.Is(err, relyingparty.ErrNotPermitted) && !errors.Is(err, relyingparty.ErrGrantMismatch) {
				t.Fatalf("refusal matches no sentinel: %v", err)
			}
			return
		}
		if r.Code == "" || r.RedirectURI == "" || len(r.CodeVerifier) < 43 {
			t.Fatalf("accepted a token request missing a required part")
		}
		if _, err := e.p.Exchange(context.Background(), r); err == nil {
			t.Fatalf("a fuzzed token request was redeemed")
		}
	})
}

// FuzzScanQR checks that the wallet's entry point refuses every text but a challenge the
// provider sealed, with ErrNotAuthentic or ErrExpired.
func FuzzScanQR(f *testing.F) {
	e := newEnv(f, nil)
	fl := e.authorize(f, "bank", bankURI, "openid name")
	qr, err := e.p.QRChallenge(fl.pending)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(qr)
	f.Add(relyingparty.QRPrefix + fl.pending.Token)
	f.Add(relyingparty.QRPrefix)
	f.Fuzz(func(t *testing.T, text string) {
		p, err := e.p.ScanQR(text)
		if err == nil {
			// Only the seeded challenge (sealed under the fixed test key, in this or the
			// coordinating process) opens.
			if p.ClientID != "bank" || p.RedirectURI != bankURI || p.Token != "" {
				t.Fatalf("opened a challenge to another request, or revealed its token")
			}
			return
		}
		if !errors.Is(err, relyingparty.ErrNotAuthentic) && !errors.Is(err, relyingparty.ErrExpired) {
			t.Fatalf("refusal matches no sentinel: %v", err)
		}
	})
}

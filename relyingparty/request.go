package relyingparty

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trustid/trustid/internal/mask"
)

// Limits on request parameters: a request beyond them is refused before any other work.
const (
	maxParam       = 512  // any single parameter
	maxRedirectURI = 2048 // redirect_uri
	maxCode        = 4096 // code
	maxScopes      = 16
)

// AuthorizationRequest is a parsed OAuth 2.0 authorisation request (RFC 6749 §4.1.1 with
// PKCE, RFC 7636, and OpenID Connect Core §3.1.2.1). Only the authorisation code flow is
// supported.
type AuthorizationRequest struct {
	ClientID    string
	RedirectURI string
	// Claims are the scope values beyond "openid": each names a [Claim].
	Claims []Claim
	// State is returned to the client unchanged; required.
	State string
	// Nonce is copied into the ID token; required.
	Nonce string
	// CodeChallenge is the PKCE S256 challenge; required.
	CodeChallenge string
	// Purpose is the purpose the client states (OpenID Connect for Identity Assurance
	// §6.1); empty means the client's first registered purpose.
	Purpose string
	// MaxAge, if positive, is the oldest authentication (the decision's earliest evidence)
	// the client accepts (OpenID Connect Core max_age).
	MaxAge time.Duration
	// Fresh asks for evidence completed after the request (max_age=0 or prompt=login):
	// the person must go through the evidence chain again; a new decision on old evidence
	// does not do.
	Fresh bool
}

// ParseAuthorizationRequest parses the query or form of an authorisation request. It
// refuses a repeated parameter, a response type other than "code", a scope without
// "openid" or with an unknown value, a code challenge method other than S256, and request
// objects. A refusal whose error matches [ErrUnknownClient] or [ErrRedirectMismatch] must
// not be redirected; the rest may be, once the client and redirect URI are checked with
// [Provider.Authorize].
func ParseAuthorizationRequest(q url.Values) (AuthorizationRequest, error) {
	var r AuthorizationRequest
	for k, v := range q {
		if len(v) != 1 {
			return r, fail(ReasonInvalidArgument, k)
		}
		limit := maxParam
		if k == "redirect_uri" {
			limit = maxRedirectURI
		}
		if len(v[0]) > limit {
			return r, fail(ReasonInvalidArgument, k)
		}
	}
	r.ClientID = q.Get("client_id")
	r.RedirectURI = q.Get("redirect_uri")
	if r.ClientID == "" {
		return r, fail(ReasonUnknownClient, "client_id")
	}
	if r.RedirectURI == "" {
		return r, fail(ReasonRedirectMismatch, "redirect_uri")
	}
	r.State = q.Get("state")
	r.Nonce = q.Get("nonce")
	r.CodeChallenge = q.Get("code_challenge")
	r.Purpose = q.Get("purpose")
	switch {
	case q.Get("response_type") != "code":
		return r, fail(ReasonNotPermitted, "response_type")
	case q.Has("request") || q.Has("request_uri"):
		return r, fail(ReasonNotPermitted, "request")
	case q.Has("response_mode") && q.Get("response_mode") != "query":
		return r, fail(ReasonNotPermitted, "response_mode")
	case r.State == "":
		return r, fail(ReasonInvalidArgument, "state")
	case r.Nonce == "":
		return r, fail(ReasonInvalidArgument, "nonce")
	case q.Get("code_challenge_method") != "S256":
		return r, fail(ReasonInvalidArgument, "code_challenge_method")
	case !validChallenge(r.CodeChallenge):
		return r, fail(ReasonInvalidArgument, "code_challenge")
	}
	if ma := q.Get("max_age"); ma != "" {
		n, err := strconv.ParseUint(ma, 10, 32)
		if err != nil {
			return r, fail(ReasonInvalidArgument, "max_age")
		}
		r.MaxAge = time.Duration(n) * time.Second
		r.Fresh = n == 0
	}
	for _, p := range strings.Fields(q.Get("prompt")) {
		switch p {
		case "login", "consent":
			r.Fresh = r.Fresh || p == "login"
		default:
			// none (no page may be shown) and select_account cannot be honoured: the
			// person always answers on the provider's page.
			return r, fail(ReasonNotPermitted, "prompt")
		}
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) > maxScopes || !slices.Contains(scopes, "openid") {
		return r, fail(ReasonNotPermitted, "scope")
	}
	for _, s := range scopes {
		if s == "openid" {
			continue
		}
		c := Claim(s)
		if !c.valid() {
			return r, fail(ReasonNotPermitted, "scope")
		}
		if !slices.Contains(r.Claims, c) {
			r.Claims = append(r.Claims, c)
		}
	}
	slices.Sort(r.Claims)
	return r, nil
}

// validChallenge reports whether s is a base64url SHA-256 digest: 43 characters of the
// unpadded alphabet (RFC 7636 §4.2).
func validChallenge(s string) bool { return len(s) == 43 && isB64URL(s) }

// validVerifier reports whether s is a code verifier of RFC 7636 §4.1: 43 to 128
// characters of [A-Z a-z 0-9 - . _ ~].
func validVerifier(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

func isB64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// TokenRequest is a parsed token request for the authorisation code grant (RFC 6749 §4.1.3
// with PKCE). The client's credentials come from the form or from HTTP Basic
// authentication, whichever the client used; the HTTP layer fills them in.
type TokenRequest struct {
	Code         string
	RedirectURI  string
	CodeVerifier string
	ClientID     string
	// ClientSecret is empty for a public client.
	ClientSecret string
}

// Format never writes the code, the verifier or the secret, for every verb.
func (r TokenRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.masked(), r.masked()) }

// ParseTokenRequest parses the form of a token request. It refuses a repeated parameter, a
// grant type other than authorization_code and a missing code, redirect URI or verifier.
// Client credentials in the form (client_id, client_secret) are copied; a caller with HTTP
// Basic credentials sets them afterwards, and must refuse a request that carries both.
func ParseTokenRequest(form url.Values) (TokenRequest, error) {
	var r TokenRequest
	for k, v := range form {
		if len(v) != 1 {
			return r, fail(ReasonInvalidArgument, k)
		}
		limit := maxParam
		switch k {
		case "redirect_uri":
			limit = maxRedirectURI
		case "code":
			limit = maxCode
		}
		if len(v[0]) > limit {
			return r, fail(ReasonInvalidArgument, k)
		}
	}
	if form.Get("grant_type") != "authorization_code" {
		return r, fail(ReasonNotPermitted, "grant_type")
	}
	r.Code = form.Get("code")
	r.RedirectURI = form.Get("redirect_uri")
	r.CodeVerifier = form.Get("code_verifier")
	r.ClientID = form.Get("client_id")
	r.ClientSecret = form.Get("client_secret")
	switch {
	case r.Code == "":
		return r, fail(ReasonInvalidArgument, "code")
	case r.RedirectURI == "":
		return r, fail(ReasonInvalidArgument, "redirect_uri")
	case !validVerifier(r.CodeVerifier):
		return r, fail(ReasonGrantMismatch, "code_verifier")
	}
	return r, nil
}

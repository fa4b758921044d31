// Package oidcprovider serves a [relyingparty.Provider] over HTTP as an OpenID Provider
// (OpenID Connect Core 1.0, Discovery 1.0), so that a relying party's existing OpenID
// Connect client works with no trustid-specific code.
//
// # Endpoints
//
// Paths are relative to the issuer URL:
//
//	GET  /.well-known/openid-configuration   discovery metadata
//	GET  /jwks                               the public signing keys (JWK Set)
//	GET  /authorize                          authorisation endpoint: checks the request, shows the sign-in page
//	POST /authorize/approve                  the person's decision token and consent; redirects with the code
//	POST /authorize/deny                     the person refuses; redirects with error=access_denied
//	POST /token                              token endpoint (authorization_code grant, PKCE S256)
//	GET  /authorize/qr?request=…             QR sign-in page: shows the challenge, moves on once the wallet answered
//	GET  /qr/scan?challenge=…                for the wallet: the relying party's name, purpose and claims (JSON)
//	POST /qr/answer                          for the wallet: challenge, decision, consent, notice
//
// # QR sign-in
//
// Across devices: the sign-in page links to the QR page, which shows the challenge
// ([relyingparty.Provider.QRChallenge]) as a QR code and refreshes every two seconds. The
// wallet scans it, asks /qr/scan what to show (the relying party's registered name, the
// purpose, the claims), and posts the person's decision token and consent to /qr/answer;
// the page's next refresh redirects to the client with the code. On the same device, the
// page's link "trustid-wallet:" followed by the challenge opens the wallet, which answers
// the same way; the person then returns to the browser, whose page moves on. The QR
// challenge lets its holder answer but not follow the sign-in: the page polls with the
// pending token, which never leaves it. Like every QR sign-in, it does not stop a phishing
// site from relaying a genuine challenge to a person: the wallet shows the relying party's
// registered name so that the person can see whom they sign in to.
//
// # Security
//
// An unknown client or a redirect URI that is not exactly a registered one gets an error
// page, never a redirect. Other authorisation errors are redirected with error, state and
// iss (RFC 9207). Token responses and errors carry Cache-Control: no-store. Client
// credentials are accepted by HTTP Basic authentication or in the form, not both. Request
// bodies are capped at 64 KiB. Pages are served with a restrictive Content-Security-Policy
// and frame-ancestors 'none' against clickjacking; the sign-in page's forms may end only
// at the provider and at the origin of the request's registered redirect URI, where
// approve and deny redirect.
package oidcprovider

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
)

// Paths of the endpoints, relative to the issuer.
const (
	PathDiscovery = "/.well-known/openid-configuration"
	PathJWKS      = "/jwks"
	PathAuthorize = "/authorize"
	PathApprove   = "/authorize/approve"
	PathDeny      = "/authorize/deny"
	PathToken     = "/token"
	PathQR        = "/authorize/qr"
	PathQRScan    = "/qr/scan"
	PathQRAnswer  = "/qr/answer"
)

const maxBody = 64 << 10

// Config configures a [Handler].
type Config struct {
	// Provider is the core. Required.
	Provider *relyingparty.Provider
	// SignInPage renders the page for a pending request: it shows the relying party's
	// name, the purpose and the claims asked for, and lets the person present their
	// decision token (from the wallet) and consent, posting to PathApprove the fields
	// "request" (Pending.Token), "decision", "consent" (one per claim) and "notice"; or
	// refuse, posting "request" to PathDeny. Nil means a built-in page.
	SignInPage func(w http.ResponseWriter, r *http.Request, p relyingparty.Pending)
	// Notice is the version of the consent text the built-in page shows; empty means "1".
	Notice string
	// OnApproval, if set, is called after each successful approval, before the response,
	// so that the host keeps the consent record's ID (Approval.Consent; empty for a
	// result-only sign-in) and can let the person withdraw the consent
	// ([relyingparty.Provider.WithdrawConsent]); the record itself is in the provider's
	// ConsentStore. On the sign-in page's approval it gets the whole [relyingparty.Approval];
	// on a wallet's QR answer it gets the consent ID only (the code goes to the page that
	// polls). It must not log the approval's code; the approval has been made whatever it
	// does.
	OnApproval func(ctx context.Context, a relyingparty.Approval)
}

// Handler is the OpenID Provider's HTTP handler. Mount it at the issuer URL's path.
type Handler struct {
	p      *relyingparty.Provider
	page   func(http.ResponseWriter, *http.Request, relyingparty.Pending)
	notice string
	onApp  func(context.Context, relyingparty.Approval)
	prefix string
	mux    *http.ServeMux
}

// New returns the handler.
func New(c Config) (*Handler, error) {
	if c.Provider == nil {
		return nil, relyingparty.ErrInvalidArgument
	}
	u, err := url.Parse(c.Provider.Issuer())
	if err != nil {
		return nil, relyingparty.ErrInvalidArgument
	}
	h := &Handler{p: c.Provider, page: c.SignInPage, notice: c.Notice, onApp: c.OnApproval, prefix: strings.TrimSuffix(u.Path, "/"), mux: http.NewServeMux()}
	if h.notice == "" {
		h.notice = "1"
	}
	if h.page == nil {
		h.page = h.builtinPage
	}
	h.mux.HandleFunc("GET "+h.prefix+PathDiscovery, h.discovery)
	h.mux.HandleFunc("GET "+h.prefix+PathJWKS, h.jwks)
	h.mux.HandleFunc("GET "+h.prefix+PathAuthorize, h.authorize)
	h.mux.HandleFunc("POST "+h.prefix+PathApprove, h.approve)
	h.mux.HandleFunc("POST "+h.prefix+PathDeny, h.deny)
	h.mux.HandleFunc("POST "+h.prefix+PathToken, h.token)
	h.mux.HandleFunc("GET "+h.prefix+PathQR, h.qrPage)
	h.mux.HandleFunc("GET "+h.prefix+PathQRScan, h.qrScan)
	h.mux.HandleFunc("POST "+h.prefix+PathQRAnswer, h.qrAnswer)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Metadata is the discovery document (OpenID Connect Discovery 1.0 §3, RFC 8414).
type Metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	AuthorizationResponseIssParameter bool     `json:"authorization_response_iss_parameter_supported"`
	RequestParameterSupported         bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	VerifiedClaimsSupported           bool     `json:"verified_claims_supported"`
	TrustFrameworksSupported          []string `json:"trust_frameworks_supported"`
	EvidenceSupported                 []string `json:"evidence_supported"`
	ClaimsInVerifiedClaimsSupported   []string `json:"claims_in_verified_claims_supported"`
}

// Metadata returns the discovery document.
func (h *Handler) Metadata() Metadata {
	iss := h.p.Issuer()
	base := strings.TrimSuffix(iss, "/")
	var claims []string
	scopes := []string{"openid"}
	for _, c := range relyingparty.Claims() {
		claims = append(claims, string(c))
		scopes = append(scopes, string(c))
	}
	return Metadata{
		Issuer: iss, AuthorizationEndpoint: base + PathAuthorize, TokenEndpoint: base + PathToken, JWKSURI: base + PathJWKS,
		ResponseTypesSupported: []string{"code"}, ResponseModesSupported: []string{"query"},
		GrantTypesSupported: []string{"authorization_code"}, SubjectTypesSupported: []string{"pairwise"},
		IDTokenSigningAlgValuesSupported: h.p.SigningAlgorithms(), ScopesSupported: scopes,
		ClaimsSupported:                   append([]string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "verified_claims"}, claims...),
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "none"},
		CodeChallengeMethodsSupported:     []string{"S256"}, AuthorizationResponseIssParameter: true,
		VerifiedClaimsSupported: true, TrustFrameworksSupported: []string{h.p.TrustFramework()},
		EvidenceSupported: []string{"electronic_record"}, ClaimsInVerifiedClaimsSupported: claims,
	}
}

func (h *Handler) discovery(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, h.Metadata())
}

func (h *Handler) jwks(w http.ResponseWriter, _ *http.Request) {
	b, err := h.p.JWKS()
	if err != nil {
		http.Error(w, "unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// oauthCode maps a provider error to an OAuth 2.0 error code.
func oauthCode(err error, token bool) string {
	switch {
	case errors.Is(err, relyingparty.ErrUnknownClient):
		return "invalid_client"
	case errors.Is(err, relyingparty.ErrUnavailable):
		if token {
			return "server_error"
		}
		return "temporarily_unavailable"
	case token && (errors.Is(err, relyingparty.ErrNotAuthentic) || errors.Is(err, relyingparty.ErrExpired) ||
		errors.Is(err, relyingparty.ErrGrantMismatch) || errors.Is(err, store.ErrReplayed) ||
		errors.Is(err, relyingparty.ErrAccessDenied)):
		return "invalid_grant"
	case errors.Is(err, relyingparty.ErrAccessDenied):
		return "access_denied"
	case errors.Is(err, relyingparty.ErrNotPermitted):
		var e *relyingparty.Error
		if errors.As(err, &e) {
			switch e.Field {
			case "scope", "purpose":
				return "invalid_scope"
			case "response_type", "response_mode":
				return "unsupported_response_type"
			case "grant_type":
				return "unsupported_grant_type"
			case "request":
				return "request_not_supported"
			case "prompt":
				return "login_required" // prompt=none: the person must always answer

			}
		}
		return "invalid_request"
	}
	return "invalid_request"
}

func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req, err := relyingparty.ParseAuthorizationRequest(q)
	var pending relyingparty.Pending
	if err == nil {
		pending, err = h.p.Authorize(r.Context(), req)
	}
	if err != nil {
		if errors.Is(err, relyingparty.ErrUnknownClient) || errors.Is(err, relyingparty.ErrRedirectMismatch) {
			errorPage(w, http.StatusBadRequest)
			return
		}
		// The parse may have stopped early: redirect only to what the client registered.
		req.ClientID, req.RedirectURI, req.State = q.Get("client_id"), q.Get("redirect_uri"), firstOf(q["state"])
		if to, ok := h.p.ErrorRedirect(req, oauthCode(err, false)); ok && len(q["client_id"]) == 1 && len(q["redirect_uri"]) == 1 {
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		errorPage(w, http.StatusBadRequest)
		return
	}
	securePage(w, pending.RedirectURI)
	h.page(w, r, pending)
}

func firstOf(v []string) string {
	if len(v) == 1 {
		return v[0]
	}
	return ""
}

func (h *Handler) approve(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	var consent []relyingparty.Claim
	for _, c := range r.PostForm["consent"] {
		consent = append(consent, relyingparty.Claim(c))
	}
	a, err := h.p.Approve(r.Context(), relyingparty.ApproveRequest{Request: r.PostForm.Get("request"),
		Decision: r.PostForm.Get("decision"), Consent: consent, Notice: r.PostForm.Get("notice")})
	if err != nil {
		// A refused decision or consent ends the request at the client; a request token
		// that cannot be opened (or was used) has nowhere safe to go.
		if errors.Is(err, relyingparty.ErrAccessDenied) || errors.Is(err, relyingparty.ErrExpired) && !isField(err, "request") ||
			errors.Is(err, relyingparty.ErrNotAuthentic) && isField(err, "decision") {
			if p, perr := h.p.Pending(r.PostForm.Get("request")); perr == nil {
				http.Redirect(w, r, mustErrorRedirect(h.p, p, "access_denied"), http.StatusSeeOther)
				return
			}
		}
		errorPage(w, http.StatusBadRequest)
		return
	}
	if h.onApp != nil {
		h.onApp(r.Context(), a)
	}
	http.Redirect(w, r, a.RedirectURI, http.StatusSeeOther)
}

func isField(err error, f string) bool {
	var e *relyingparty.Error
	return errors.As(err, &e) && e.Field == f
}

func mustErrorRedirect(p *relyingparty.Provider, pending relyingparty.Pending, code string) string {
	to, _ := p.ErrorRedirect(relyingparty.AuthorizationRequest{ClientID: pending.ClientID, RedirectURI: pending.RedirectURI,
		State: pending.State}, code)
	return to
}

func (h *Handler) deny(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	to, err := h.p.Deny(r.PostForm.Get("request"))
	if err != nil {
		errorPage(w, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		errorPage(w, http.StatusBadRequest)
		return false
	}
	return true
}

func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	req, err := relyingparty.ParseTokenRequest(r.PostForm)
	if err != nil {
		tokenError(w, http.StatusBadRequest, oauthCode(err, true))
		return
	}
	if id, secret, ok := r.BasicAuth(); ok {
		if req.ClientID != "" && req.ClientID != unescape(id) || req.ClientSecret != "" {
			tokenError(w, http.StatusBadRequest, "invalid_request")
			return
		}
		// RFC 6749 §2.3.1: the credentials are form-urlencoded before Basic encoding.
		req.ClientID, req.ClientSecret = unescape(id), unescape(secret)
	}
	resp, err := h.p.Exchange(r.Context(), req)
	if err != nil {
		code := oauthCode(err, true)
		status := http.StatusBadRequest
		switch code {
		case "invalid_client":
			status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
		case "server_error":
			status = http.StatusInternalServerError
		}
		tokenError(w, status, code)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func unescape(s string) string {
	u, err := url.QueryUnescape(s)
	if err != nil {
		return "\x00" // matches no client
	}
	return u
}

func tokenError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// securePage sets the headers of the provider's pages. redirectURI, when not empty, is
// the client's registered redirect URI, where the sign-in page's forms end: approve and
// deny answer with a redirect there, and browsers (Chromium) apply form-action to the
// redirects that follow a form's submission, so its origin is allowed besides 'self'.
func securePage(w http.ResponseWriter, redirectURI string) {
	formAction := "'self'"
	if src := sourceOf(redirectURI); src != "" {
		formAction += " " + src
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action "+formAction+"; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

// sourceOf returns the CSP source expression that matches redirectURI: its origin
// (scheme://host[:port]) or, for a URI without a host (a native app's private-use
// scheme), its scheme ("com.example.app:"); empty if it has neither or holds a character
// that could end the expression.
func sourceOf(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme == "" {
		return ""
	}
	src := u.Scheme + ":"
	if u.Host != "" {
		src = u.Scheme + "://" + u.Host
	}
	if strings.ContainsFunc(src, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune(`;,'"`, r) }) {
		return ""
	}
	return src
}

func errorPage(w http.ResponseWriter, status int) {
	securePage(w, "")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte("<!doctype html><title>Sign-in refused</title><p>This sign-in request is not valid. Return to the site and try again.</p>\n"))
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><title>Sign in to {{.P.ClientName}}</title>
<h1>{{.P.ClientName}}</h1>
<p>wants to know that you are a verified person{{if .P.Claims}}, and asks for:{{else}}. It will not learn your name or ID number.{{end}}</p>
<form method="post" action="{{.Approve}}">
<input type="hidden" name="request" value="{{.P.Token}}">
<input type="hidden" name="notice" value="{{.Notice}}">
{{range .P.Claims}}<label><input type="checkbox" name="consent" value="{{.}}"> {{.}}</label><br>{{end}}
<p>Purpose: {{.P.Purpose}}</p>
<label>Decision token from your wallet <input name="decision" autocomplete="off"></label>
<button>Sign in</button>
</form>
<form method="post" action="{{.Deny}}"><input type="hidden" name="request" value="{{.P.Token}}"><button>Cancel</button></form>
<p><a href="{{.QR}}">Sign in with the wallet on your phone (QR code)</a></p>
`))

func (h *Handler) builtinPage(w http.ResponseWriter, _ *http.Request, p relyingparty.Pending) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	pageTmpl.Execute(w, struct {
		P                         relyingparty.Pending
		Approve, Deny, Notice, QR string
	}{p, h.prefix + PathApprove, h.prefix + PathDeny, h.notice, h.prefix + PathQR + "?" + url.Values{"request": {p.Token}}.Encode()})
}

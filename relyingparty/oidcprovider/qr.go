package oidcprovider

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"github.com/skip2/go-qrcode"

	"github.com/trustid/trustid/relyingparty"
)

var qrTmpl = template.Must(template.New("qr").Parse(`<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Sign in to {{.P.ClientName}}</title>
<h1>{{.P.ClientName}}</h1>
<p>Scan with your trustid wallet.</p>
<img alt="QR code" src="data:image/png;base64,{{.PNG}}">
<p><a href="{{.Link}}">Open the wallet on this device</a></p>
<p hidden id="challenge">{{.Challenge}}</p>
`))

// qrPage shows the QR challenge of a pending request and, once the wallet answered,
// redirects to the client.
func (h *Handler) qrPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("request")
	a, done, err := h.p.PollQR(r.Context(), token)
	if err != nil {
		errorPage(w, http.StatusBadRequest)
		return
	}
	if done {
		http.Redirect(w, r, a.RedirectURI, http.StatusSeeOther)
		return
	}
	p, err := h.p.Pending(token)
	if err != nil {
		errorPage(w, http.StatusBadRequest)
		return
	}
	challenge, err := h.p.QRChallenge(p)
	if err != nil {
		errorPage(w, http.StatusBadRequest)
		return
	}
	png, err := qrcode.Encode(challenge, qrcode.Low, 320)
	if err != nil {
		errorPage(w, http.StatusInternalServerError)
		return
	}
	securePage(w, "")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	qrTmpl.Execute(w, struct {
		P                    relyingparty.Pending
		PNG, Challenge, Link string
	}{p, base64.StdEncoding.EncodeToString(png), challenge,
		"trustid-wallet:?" + url.Values{"challenge": {challenge}}.Encode()})
}

// scanResponse is what the wallet shows the person.
type scanResponse struct {
	ClientID   string               `json:"client_id"`
	ClientName string               `json:"client_name"`
	Purpose    string               `json:"purpose"`
	Claims     []relyingparty.Claim `json:"claims"`
}

func (h *Handler) qrScan(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	p, err := h.p.ScanQR(r.URL.Query().Get("challenge"))
	if err != nil {
		tokenError(w, http.StatusBadRequest, walletCode(err))
		return
	}
	writeJSON(w, http.StatusOK, scanResponse{p.ClientID, p.ClientName, p.Purpose, p.Claims})
}

func (h *Handler) qrAnswer(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	var consent []relyingparty.Claim
	for _, c := range r.PostForm["consent"] {
		consent = append(consent, relyingparty.Claim(c))
	}
	id, err := h.p.AnswerQR(r.Context(), relyingparty.QRAnswer{Challenge: r.PostForm.Get("challenge"), Decision: r.PostForm.Get("decision"),
		Consent: consent, Notice: r.PostForm.Get("notice")})
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, relyingparty.ErrUnavailable) {
			status = http.StatusServiceUnavailable
		}
		tokenError(w, status, walletCode(err))
		return
	}
	if h.onApp != nil {
		h.onApp(r.Context(), relyingparty.Approval{Consent: id})
	}
	w.WriteHeader(http.StatusNoContent)
}

// walletCode is the machine-readable reason the wallet shows: the provider's Reason.
func walletCode(err error) string {
	var e *relyingparty.Error
	if errors.As(err, &e) {
		return string(e.Reason)
	}
	return string(relyingparty.ReasonInvalidArgument)
}

package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify/idcard"
)

// qrSize is the side of the rendered QR images in pixels: large enough for a phone (and
// zbarimg reading a screenshot) at ECC level M, with go-qrcode's 4-module quiet zone.
const qrSize = 296

// maxCheckIns bounds the terminal's list: it shows the most recent ones.
const maxCheckIns = 100

// maxBody bounds every request body; a check-in is a few hundred characters.
const maxBody = 4 << 10

// person is the holder shown on the person page. Its fields are personal data: the
// type masks them in every fmt verb and in log/slog.
type person struct {
	Name     string
	IDNumber string
}

func (p person) String() string {
	return fmt.Sprintf("person{name:%s id:%s}", maskName(p.Name), maskID(p.IDNumber))
}

// Format prints the masked form for every verb, so %#v cannot show the raw fields.
func (p person) Format(f fmt.State, _ rune) { io.WriteString(f, p.String()) }

// LogValue masks the person in structured logs.
func (p person) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", maskName(p.Name)), slog.String("id", maskID(p.IDNumber)))
}

// maskID keeps the region and the last four characters: 110105********002X.
func maskID(id string) string { return maskMiddle(id, 6, 4) }

// maskName keeps the first character of each part of a name and replaces the rest with
// '*' (张三 → 张*, 阿依古丽·买买提 → 阿***·买**); a one-character name is replaced whole.
// The example's own helper: a host writes its masking with what it needs.
func maskName(s string) string {
	if utf8.RuneCountInString(s) < 2 {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	var b strings.Builder
	start := true
	for _, r := range s {
		switch {
		case r == ' ' || r == '·':
			b.WriteRune(r)
			start = true
		case start:
			b.WriteRune(r)
			start = false
		default:
			b.WriteByte('*')
		}
	}
	return b.String()
}

// maskMiddle keeps the first keepFirst and last keepLast characters of s and replaces
// the others with '*'; a value no longer than what would be kept is replaced whole.
func maskMiddle(s string, keepFirst, keepLast int) string {
	r := []rune(s)
	if len(r) <= keepFirst+keepLast {
		return strings.Repeat("*", len(r))
	}
	for i := keepFirst; i < len(r)-keepLast; i++ {
		r[i] = '*'
	}
	return string(r)
}

// syntheticName is made up and says so: no real person is meant.
const syntheticName = "测试样例"

// config configures the example server. Zero values are filled with in-memory defaults:
// random keys, a synthetic adult, the real clock.
type config struct {
	// Window is the rotation period of the identity codes (whole seconds, default 60 s).
	Window time.Duration
	// Person is the holder whose code the person page shows (default: synthetic).
	Person person
	// Key is the online secret key shared by the issuer and the cafe's reader.
	Key qrtoken.SecretKey
	// VenueKey signs the terminal's challenges; VenueID and TerminalID name it.
	VenueKey   qrtoken.VenueKey
	VenueID    uint32
	TerminalID uint32
	Now        func() time.Time // default time.Now
	// Rand makes the demo's generated keys and synthetic person (default crypto/rand.Reader);
	// the library's own nonces always come from crypto/rand.
	Rand   io.Reader
	Logger *slog.Logger // default: discard
}

// checkIn is one entry in the terminal's list. It holds masked values only: the example
// keeps no unmasked personal data after the response is written.
type checkIn struct {
	Name     string    `json:"name"`
	IDNumber string    `json:"idNumber"`
	Flow     string    `json:"flow"` // "scan" (terminal scanned the person) or "venue" (reverse flow)
	At       time.Time `json:"at"`
}

// server is the cafe: the issuing side (the person's code), the venue terminal and the
// cafe's reader in one process, as an example only.
type server struct {
	cfg    config
	issuer *qrtoken.Issuer
	reader *qrtoken.Reader
	venue  *qrtoken.Venue
	mux    *http.ServeMux
	// venueShow is how long the terminal shows a challenge before replacing it.
	venueShow time.Duration

	mu        sync.Mutex
	code      qrtoken.Code // the person's code of the current window
	codePNG   string       // its data URL
	challenge *qrtoken.VenueChallenge
	venuePNG  string
	checkIns  []checkIn
}

// newServer validates cfg, fills defaults and returns the cafe's HTTP handler.
func newServer(cfg config) (*server, error) {
	if cfg.Window == 0 {
		cfg.Window = qrtoken.DefaultWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Key.Secret == nil {
		cfg.Key = qrtoken.SecretKey{ID: 1, Secret: make([]byte, 32)}
		if _, err := io.ReadFull(cfg.Rand, cfg.Key.Secret); err != nil {
			return nil, fmt.Errorf("generating the secret key: %w", err)
		}
	}
	if cfg.VenueKey.Key == nil {
		_, priv, err := ed25519.GenerateKey(cfg.Rand)
		if err != nil {
			return nil, fmt.Errorf("generating the venue key: %w", err)
		}
		cfg.VenueKey = qrtoken.VenueKey{ID: 1, Key: priv}
	}
	if cfg.VenueID == 0 {
		cfg.VenueID = 1001
	}
	if cfg.TerminalID == 0 {
		cfg.TerminalID = 1
	}
	if cfg.Person == (person{}) {
		// A random birth date between 1940 and 2005: always an adult.
		id, err := idcard.Generate(cfg.Rand, idcard.GenOptions{})
		if err != nil {
			return nil, fmt.Errorf("generating the synthetic ID number: %w", err)
		}
		cfg.Person = person{Name: syntheticName, IDNumber: id}
	}
	if _, err := idcard.Parse(cfg.Person.IDNumber, cfg.Now()); err != nil {
		return nil, fmt.Errorf("the person's ID number: %w", err)
	}

	issuer, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &cfg.Key, Window: cfg.Window, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	reader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:  []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:      []qrtoken.SecretKey{cfg.Key},
		VenueKeys: []qrtoken.VenuePublicKey{cfg.VenueKey.Public(cfg.VenueID)},
		Window:    cfg.Window,
		Now:       cfg.Now,
		// The cafe's age limit, enforced by the reader itself: a minor's code is refused
		// with "under_age" before it is used up.
		RequireAgeOver: 18,
	})
	if err != nil {
		return nil, err
	}
	// A challenge lives two windows (at most a day) and is shown for half its life: one
	// scanned just before the terminal replaces it still has as long again to come back
	// as a check-in.
	ttl := min(2*cfg.Window, 24*time.Hour)
	venue, err := qrtoken.NewVenue(qrtoken.VenueConfig{
		Key: cfg.VenueKey, VenueID: cfg.VenueID, TerminalID: cfg.TerminalID,
		TTL: ttl, Now: cfg.Now,
	})
	if err != nil {
		return nil, err
	}

	s := &server{cfg: cfg, issuer: issuer, reader: reader, venue: venue, venueShow: ttl / 2, mux: http.NewServeMux()}
	s.mux.Handle("/{$}", only(http.MethodGet, s.personPage))
	s.mux.Handle("/terminal", only(http.MethodGet, s.terminalPage))
	s.mux.Handle("/api/code", only(http.MethodGet, s.handleCode))
	s.mux.Handle("/api/venue", only(http.MethodGet, s.handleVenue))
	s.mux.Handle("/api/terminal", only(http.MethodGet, s.handleTerminal))
	s.mux.Handle("/api/scan", only(http.MethodPost, s.handleScan))
	s.mux.Handle("/api/checkin", only(http.MethodPost, s.handleCheckIn))
	s.mux.Handle("/api/wallet/checkin", only(http.MethodPost, s.handleWalletCheckIn))
	s.mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such page")
	}))
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// only restricts h to one method, answering others with a JSON error.
func only(method string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", method+" only")
			return
		}
		h(w, r)
	})
}

// qrJSON is a code or challenge as the pages fetch it.
type qrJSON struct {
	Text string `json:"text"` // the QR symbol's content (a bearer credential for codes)
	PNG  string `json:"png"`  // data:image/png;base64,...
	// Expires is when the page should fetch again: the end of a code's window, or when
	// the terminal replaces its challenge (which stays valid as long again).
	Expires     time.Time `json:"expires"`
	ExpiresInMs int64     `json:"expiresInMs"`      // by the server's clock, so the page needs no synchronised clock
	Holder      string    `json:"holder,omitempty"` // person's code only: masked name and ID number
}

// currentCode returns the person's code of the current window, issuing it on first use.
func (s *server) currentCode(ctx context.Context) (qrJSON, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	if s.codePNG == "" || !now.Before(s.code.Expires) {
		c, err := s.issuer.Issue(ctx, qrtoken.Claims{Name: s.cfg.Person.Name, IDNumber: s.cfg.Person.IDNumber}, qrtoken.PurposeInternetCafe())
		if err != nil {
			return qrJSON{}, err
		}
		png, err := pngDataURL(c.Text())
		if err != nil {
			return qrJSON{}, err
		}
		s.code, s.codePNG = c, png
	}
	return qrJSON{
		Text: s.code.Text(), PNG: s.codePNG, Expires: s.code.Expires, ExpiresInMs: s.code.Expires.Sub(now).Milliseconds(),
		Holder: maskName(s.cfg.Person.Name) + " " + maskID(s.cfg.Person.IDNumber),
	}, nil
}

// currentChallenge returns the terminal's challenge, replacing it once it has been shown
// for half its life or answered.
func (s *server) currentChallenge(ctx context.Context) (qrJSON, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	showUntil := func() time.Time { return s.challenge.Expires.Add(-s.venueShow) }
	if s.challenge == nil || !now.Before(showUntil()) {
		c, err := s.venue.Challenge(ctx)
		if err != nil {
			return qrJSON{}, err
		}
		png, err := pngDataURL(c.Text())
		if err != nil {
			return qrJSON{}, err
		}
		s.challenge, s.venuePNG = c, png
	}
	return qrJSON{Text: s.challenge.Text(), PNG: s.venuePNG, Expires: showUntil(), ExpiresInMs: showUntil().Sub(now).Milliseconds()}, nil
}

func pngDataURL(text string) (string, error) {
	b, err := qrtoken.PNG(text, qrSize, qrtoken.RecoveryM)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b), nil
}

func (s *server) handleCode(w http.ResponseWriter, r *http.Request) {
	c, err := s.currentCode(r.Context())
	if err != nil {
		s.fail(w, "code", err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *server) handleVenue(w http.ResponseWriter, r *http.Request) {
	c, err := s.currentChallenge(r.Context())
	if err != nil {
		s.fail(w, "venue", err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *server) handleTerminal(w http.ResponseWriter, r *http.Request) {
	c, err := s.currentChallenge(r.Context())
	if err != nil {
		s.fail(w, "terminal", err)
		return
	}
	s.mu.Lock()
	list := append([]checkIn{}, s.checkIns...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Venue    qrJSON    `json:"venue"`
		CheckIns []checkIn `json:"checkIns"`
	}{c, list})
}

// handleScan is the terminal scanning the person's code: {"code": "<QR text>"}.
func (s *server) handleScan(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Code == "" {
		writeError(w, http.StatusBadRequest, "bad_request", "code is required")
		return
	}
	o, err := s.reader.Open(r.Context(), req.Code)
	if err != nil {
		s.fail(w, "scan", err)
		return
	}
	s.admit(w, "scan", o.Claims)
}

// handleCheckIn is the reverse flow: the wallet scanned the terminal's challenge and sends
// back {"checkin": "<check-in text>"}, its identity code bound to that challenge.
func (s *server) handleCheckIn(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CheckIn string `json:"checkin"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.CheckIn == "" {
		writeError(w, http.StatusBadRequest, "bad_request", "checkin is required")
		return
	}
	o, err := s.reader.OpenCheckIn(r.Context(), req.CheckIn)
	if err != nil {
		s.fail(w, "venue", err)
		return
	}
	s.mu.Lock()
	if s.challenge != nil && s.challenge.Nonce == o.Venue.Nonce {
		s.challenge = nil // answered: the terminal shows a fresh one
	}
	s.mu.Unlock()
	s.admit(w, "venue", o.Claims)
}

// handleWalletCheckIn stands in for the person's wallet app, which in this example lives
// in the same process as the issuer: given the terminal's challenge text (as scanned from
// its QR), it returns the person's check-in for the cafe purpose, to be POSTed to
// /api/checkin.
func (s *server) handleWalletCheckIn(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Challenge string `json:"challenge"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Challenge == "" {
		writeError(w, http.StatusBadRequest, "bad_request", "challenge is required")
		return
	}
	c, err := s.issuer.IssueCheckIn(r.Context(), req.Challenge, qrtoken.Claims{Name: s.cfg.Person.Name, IDNumber: s.cfg.Person.IDNumber}, qrtoken.PurposeInternetCafe())
	if err != nil {
		s.fail(w, "wallet", err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		CheckIn string    `json:"checkin"`
		Expires time.Time `json:"expires"`
	}{c.Text(), c.Expires})
}

// admit records the check-in of an opened code, masked. The reader has already refused
// a holder under 18 (ReaderConfig.RequireAgeOver); admit checks again, so that the list
// can never show a minor even if the reader were configured differently.
func (s *server) admit(w http.ResponseWriter, flow string, claims qrtoken.Claims) {
	over, present := claims.IsOver(18)
	if !present || !over {
		s.cfg.Logger.Error("reader admitted a holder under 18", "flow", flow, "holder", claims)
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	c := checkIn{Name: maskName(claims.Name), IDNumber: maskID(claims.IDNumber), Flow: flow, At: s.cfg.Now().UTC()}
	s.mu.Lock()
	if len(s.checkIns) == maxCheckIns {
		s.checkIns = append(s.checkIns[:0], s.checkIns[1:]...)
	}
	s.checkIns = append(s.checkIns, c)
	s.mu.Unlock()
	s.cfg.Logger.Info("checked in", "flow", flow, "holder", claims)
	writeJSON(w, http.StatusOK, struct {
		Status  string  `json:"status"`
		CheckIn checkIn `json:"checkIn"`
	}{"checked_in", c})
}

// fail answers a library error with its reason code. The error text of qrtoken never
// carries personal data or code text, so it is safe to log.
func (s *server) fail(w http.ResponseWriter, op string, err error) {
	var qe *qrtoken.Error
	if !errors.As(err, &qe) {
		s.cfg.Logger.Error("internal error", "op", op, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	s.cfg.Logger.Info("refused", "op", op, "reason", string(qe.Reason))
	writeError(w, statusFor(qe.Reason), string(qe.Reason), qe.Error())
}

func statusFor(r qrtoken.Reason) int {
	switch r {
	case qrtoken.ReasonMalformed, qrtoken.ReasonUnsupportedVersion, qrtoken.ReasonWrongSuite, qrtoken.ReasonWrongMode:
		return http.StatusBadRequest
	case qrtoken.ReasonReplayed:
		return http.StatusConflict
	case qrtoken.ReasonUnavailable:
		return http.StatusServiceUnavailable
	case qrtoken.ReasonInvalidArgument, qrtoken.ReasonMissingClaim,
		qrtoken.ReasonClaimNotInPurpose, qrtoken.ReasonInvalidClaim:
		return http.StatusInternalServerError // the server's own configuration or data
	}
	// not_authentic, unknown_key, wrong_purpose, expired, not_yet_valid: a refused code.
	return http.StatusForbidden
}

// readJSON decodes exactly one JSON object of at most maxBody bytes with known fields
// only; on failure it has answered 400 or 413.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, e := dec.Token(); e != io.EOF {
			err = errors.New("trailing data")
		}
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", "request body too large")
			return false
		}
		writeError(w, http.StatusBadRequest, "bad_request", "body must be one JSON object")
		return false
	}
	return true
}

// errorJSON is every error response: a machine-readable reason and a short message.
type errorJSON struct {
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, reason, msg string) {
	writeJSON(w, status, errorJSON{Reason: reason, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
